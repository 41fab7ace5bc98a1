"""A salesperson states their case on a dispute, in their own words, before the decision."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Button, TextArea

from kiosk.ui.screens.base import CANCEL, KioskModal, dialog_title, yes_no_buttons
from kiosk.ui.widgets.tr import Tr


class CaseModal(KioskModal):
    """Returns the text (ctrl+s or the button), or None (Esc). Keys typed here are words,
    not a scanner's burst: a fast typist's sentence must not become a scan."""

    CAPTURES_SCANS = False
    BINDINGS = [
        CANCEL,
        Binding("ctrl+s", "save", "key.save_case", id="save_case"),
    ]

    def __init__(self, title: str, text: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.text = text

    def compose(self) -> ComposeResult:
        t = self.kiosk.t
        with Vertical(id="case-box", classes="dialog"):
            yield dialog_title(self.title_text)
            yield TextArea(self.text, id="case-text")
            yield Tr("case.hint", classes="dialog-hint")
            yield yes_no_buttons(t("case.save"), t("dialog.no"))

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#case-text", TextArea).focus()

    @on(Button.Pressed, "#yes")
    def action_save(self) -> None:
        self.dismiss(self.query_one("#case-text", TextArea).text)
