"""A yes/no question (the manager approving or rejecting a proposal)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from kiosk.ui.screens.base import KioskModal


class ConfirmModal(KioskModal):
    """Returns True (yes) or False (no / escape)."""

    BINDINGS = [
        Binding("escape", "no", "key.cancel", id="cancel"),
        Binding("y", "yes", "key.yes", id="yes"),
        Binding("n", "no", "key.no", id="no"),
    ]

    def __init__(self, question: str, detail: str = "") -> None:
        super().__init__()
        self.question = question
        self.detail = detail

    def compose(self) -> ComposeResult:
        t = self.kiosk.t
        with Vertical(id="confirm-box", classes="dialog"):
            yield Static(Text(self.question, style="bold"), classes="dialog-title")
            if self.detail:
                yield Static(Text(self.detail), id="confirm-detail")
            with Horizontal(id="confirm-buttons"):
                yield Button(t("dialog.yes"), id="yes", variant="primary")
                yield Button(t("dialog.no"), id="no")

    def on_mount(self) -> None:
        self.query_one("#yes", Button).focus()

    @on(Button.Pressed, "#yes")
    def action_yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#no")
    def action_no(self) -> None:
        self.dismiss(False)
