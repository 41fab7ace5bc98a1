"""What every kiosk screen shares: the header, the footer, relabelling and scan hand-off."""

from __future__ import annotations

from textual.screen import ModalScreen, Screen

from kiosk.ui.widgets.header import KioskHeader
from kiosk.ui.widgets.tr import Tr, translate_bindings


class Relabel:
    """Mixin: `apply_language` relabels `Tr` widgets, the header and the footer bindings."""

    TITLE_KEY = ""

    def apply_language(self) -> None:
        app = self.app  # type: ignore[attr-defined]
        translate_bindings(self, app.t)  # type: ignore[arg-type]
        for tr in self.query(Tr):  # type: ignore[attr-defined]
            tr.relabel()
        for header in self.query(KioskHeader):  # type: ignore[attr-defined]
            header.refresh_header(app.t(self.TITLE_KEY) if self.TITLE_KEY else "")
        self.relabel()

    def relabel(self) -> None:
        """Screens update their own dynamic text (tables, placeholders) here."""

    def refresh_session(self) -> None:
        """The role or the user changed: the header and the footer follow."""
        app = self.app  # type: ignore[attr-defined]
        for header in self.query(KioskHeader):  # type: ignore[attr-defined]
            header.refresh_header(app.t(self.TITLE_KEY) if self.TITLE_KEY else "")
        self.refresh_bindings()  # type: ignore[attr-defined]


class KioskScreen(Relabel, Screen[None]):
    """A full screen. `accept_scan` lets a screen use a scan itself (the lead form does)."""

    CAPTURES_SCANS = True

    def on_mount(self) -> None:
        translate_bindings(self, self.app.t)  # type: ignore[attr-defined]
        for header in self.query(KioskHeader):
            header.refresh_header(self.app.t(self.TITLE_KEY) if self.TITLE_KEY else "")  # type: ignore[attr-defined]

    def accept_scan(self, payload: str) -> bool:
        return False

    def booth_changed(self) -> None:
        """Data changed elsewhere (a check-in, a decision): reload what the screen shows."""


class KioskModal(Relabel, ModalScreen):  # type: ignore[type-arg]
    """A dialog; a scan while it is open closes it and shows the card (unless it opts out)."""

    CAPTURES_SCANS = True

    def on_mount(self) -> None:
        translate_bindings(self, self.app.t)  # type: ignore[attr-defined]

    def accept_scan(self, payload: str) -> bool:
        return False

    def booth_changed(self) -> None:
        pass
