"""The top bar: the show, this kiosk, who is logged in (role) and the UI language.

No clock on purpose: the reception screen must look the same in a snapshot taken any day,
and the terminal's own clock is on every laptop anyway.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from kiosk.ui.context import kiosk_app
from kiosk.ui.i18n import LANG_NAMES


class KioskHeader(Horizontal):
    """Re-read from the app by `refresh_header()` (the app calls it on role/language changes)."""

    def compose(self) -> ComposeResult:
        yield Static(id="hdr-show", markup=False)
        yield Static(id="hdr-place", markup=False)
        yield Static(id="hdr-title", markup=False)
        yield Static(id="hdr-who", markup=False)
        yield Static(id="hdr-lang", markup=False)

    def on_mount(self) -> None:
        self.refresh_header()

    def refresh_header(self, title: str = "") -> None:
        app = kiosk_app(self)
        config = app.services.config
        show = Text(" ◆ ", style="bold")
        show.append(config.name, style="bold")
        self.query_one("#hdr-show", Static).update(show)
        place = " · ".join(x for x in (config.booth, config.kiosk_id) if x)
        self.query_one("#hdr-place", Static).update(Text(place))
        self.query_one("#hdr-title", Static).update(Text(title or "", style="bold"))
        who = Text(f" {app.t(f'role.{app.role}')} ", style="bold")
        if app.user is not None:
            who.append(f" {app.user.name} ")
        who_w = self.query_one("#hdr-who", Static)
        who_w.update(who)
        for role in ("reception", "staff", "manager"):
            who_w.set_class(app.role == role, f"-{role}")
        self.query_one("#hdr-lang", Static).update(Text(f" {LANG_NAMES[app.lang]} "))
