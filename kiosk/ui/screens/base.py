"""What every kiosk screen shares: the header, the footer, relabelling and scan hand-off."""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, OptionList

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


NARROW = 120  # columns: below this the footer drops the app's rarer keys (they still work)


class KioskScreen(Relabel, Screen[None]):
    """A full screen. `accept_scan` lets a screen use a scan itself (the lead form does).

    `OWN_KEY` is the app binding that opens this very screen (not worth a footer slot here);
    `NARROW_HIDDEN` are app bindings left out of the footer on a narrow terminal, so the
    screen's own keys and F12 Lock stay visible. Hidden keys keep working, and the command
    palette lists them all.
    """

    CAPTURES_SCANS = True
    OWN_KEY = ""
    NARROW_HIDDEN: tuple[str, ...] = ()
    _narrow = False

    @property
    def active_bindings(self):  # what the footer shows; key dispatch does not read this
        bindings = super().active_bindings
        hidden = {self.OWN_KEY, *(self.NARROW_HIDDEN if self._narrow else ())}
        return {k: b for k, b in bindings.items() if b.binding.id not in hidden}

    def on_mount(self) -> None:
        translate_bindings(self, self.app.t)  # type: ignore[attr-defined]
        for header in self.query(KioskHeader):
            header.refresh_header(self.app.t(self.TITLE_KEY) if self.TITLE_KEY else "")  # type: ignore[attr-defined]

    def on_resize(self, event: events.Resize) -> None:
        # Textual calls this as well as a screen's own on_resize (handlers run up the MRO)
        for footer in self.query(Footer):
            footer.compact = event.size.width < 140  # keep F12 Lock on a 100-column screen
        narrow = event.size.width < NARROW
        if narrow != self._narrow:
            self._narrow = narrow
            self.refresh_bindings()

    def accept_scan(self, payload: str) -> bool:
        return False

    def booth_changed(self) -> None:
        """Data changed elsewhere (a check-in, a decision): reload what the screen shows."""


class KioskModal(Relabel, ModalScreen):  # type: ignore[type-arg]
    """A dialog; a scan while it is open closes it and shows the card (unless it opts out).

    A modal screen hides the app's bindings, so F8 is repeated here: a visitor who reads
    only Chinese can switch the dialog in front of them too (subclasses' BINDINGS add to it).
    """

    CAPTURES_SCANS = True
    BINDINGS = [
        Binding("f8", "app.switch_language", "key.language", id="language", show=False),
    ]

    def on_mount(self) -> None:
        translate_bindings(self, self.app.t)  # type: ignore[attr-defined]

    def accept_scan(self, payload: str) -> bool:
        return False

    def booth_changed(self) -> None:
        pass


def jump_to_letter(box: OptionList, character: str | None) -> bool:
    """Type-to-find in a list of people: 'k' highlights the next name starting with K.

    Returns True when the key was used. Names are folded ('é' finds 'É'), so a receptionist
    need not scroll through thirteen salespeople with the arrow keys.
    """
    from kiosk.text import fold

    if not character or not character.isprintable() or character.isspace():
        return False
    wanted = fold(character)
    count = box.option_count
    start = (box.highlighted or 0) + 1
    for step in range(count):
        index = (start + step) % count
        prompt = box.get_option_at_index(index).prompt
        text = prompt.plain if hasattr(prompt, "plain") else str(prompt)
        if fold(text).startswith(wanted):
            box.highlighted = index
            return True
    return False
