"""A yes/no question (the manager approving or rejecting a proposal)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Button, Static

from kiosk.ui.screens.base import CANCEL, KioskModal, dialog_title, yes_no_buttons


class ConfirmModal(KioskModal):
    """Returns True (yes) or False (no / escape: a question left unanswered is a no)."""

    BINDINGS = [
        CANCEL,
        Binding("y", "yes", "key.yes", id="yes"),
        Binding("n", "cancel", "key.no", id="no"),
    ]

    def __init__(self, question: str, detail: str = "", *, default_no: bool = False) -> None:
        super().__init__()
        self.question = question
        self.detail = detail
        self.default_no = default_no  # Enter must not do what cannot be undone

    def compose(self) -> ComposeResult:
        t = self.kiosk.t
        with Vertical(id="confirm-box", classes="dialog"):
            yield dialog_title(self.question)
            if self.detail:
                yield Static(Text(self.detail), id="confirm-detail")
            yield yes_no_buttons(t("dialog.yes"), t("dialog.no"))

    def on_mount(self) -> None:
        self.query_one("#no" if self.default_no else "#yes", Button).focus()

    @on(Button.Pressed, "#yes")
    def action_yes(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
