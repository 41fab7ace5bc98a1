"""The manager's PIN. Typed by a person, so scans are not captured here (a fast typist on a
number pad could otherwise look like a scanner)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input

from kiosk.ui.screens.base import KioskModal
from kiosk.ui.widgets.tr import Tr


class PinModal(KioskModal):
    """Returns True when the PIN matched, None when cancelled."""

    CAPTURES_SCANS = False
    BINDINGS = [Binding("escape", "cancel", "key.cancel", id="cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(id="pin-box", classes="dialog"):
            yield Tr("pin.title", classes="dialog-title")
            yield Input(password=True, id="pin", max_length=12)
            yield Tr("pin.hint", id="pin-msg", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#pin", Input).focus()

    @on(Input.Submitted, "#pin")
    def check(self, event: Input.Submitted) -> None:
        if self.kiosk.services.check_pin(event.value):
            self.dismiss(True)
            return
        event.input.value = ""
        msg = self.query_one("#pin-msg", Tr)
        msg.relabel("pin.wrong")
        msg.add_class("error")

    def action_cancel(self) -> None:
        self.dismiss(None)
