"""A salesperson states their case on a dispute, in their own words, before the decision."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static, TextArea

from kiosk.ui.screens.base import KioskModal
from kiosk.ui.widgets.tr import Tr


class CaseModal(KioskModal):
    """Returns the text (ctrl+s or the button), or None (Esc). Keys typed here are words,
    not a scanner's burst: a fast typist's sentence must not become a scan."""

    CAPTURES_SCANS = False
    BINDINGS = [
        Binding("escape", "cancel", "key.cancel", id="cancel"),
        Binding("ctrl+s", "save", "key.save_case", id="save_case"),
    ]

    def __init__(self, title: str, text: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.text = text

    def compose(self) -> ComposeResult:
        t = self.kiosk.t
        with Vertical(id="case-box", classes="dialog"):
            yield Static(Text(self.title_text, style="bold"), classes="dialog-title")
            yield TextArea(self.text, id="case-text")
            yield Tr("case.hint", classes="dialog-hint")
            with Horizontal(id="confirm-buttons"):
                yield Button(t("case.save"), id="yes", variant="primary")
                yield Button(t("dialog.no"), id="no")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#case-text", TextArea).focus()

    @on(Button.Pressed, "#yes")
    def action_save(self) -> None:
        self.dismiss(self.query_one("#case-text", TextArea).text)

    @on(Button.Pressed, "#no")
    def action_cancel(self) -> None:
        self.dismiss(None)
