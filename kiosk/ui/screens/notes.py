"""The private sales notes of a customer (staff and manager only; the app checks the role)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from kiosk.ui.screens.base import KioskModal
from kiosk.ui.widgets.tr import Tr


class NotesModal(KioskModal):
    BINDINGS = [Binding("escape", "dismiss", "key.close", id="close")]

    def __init__(self, name: str, notes: str) -> None:
        super().__init__()
        self.visitor = name
        self.notes = notes

    def compose(self) -> ComposeResult:
        with Vertical(id="notes-box", classes="dialog"):
            yield Static(Text(self.visitor, style="bold"), id="notes-who")
            yield Tr("notes.title", classes="dialog-title")
            if self.notes.strip():
                with VerticalScroll(id="notes-scroll"):
                    yield Static(Text(self.notes), id="notes-text")
            yield Tr("notes.empty" if not self.notes.strip() else "notes.private", classes="dim")
            yield Tr("dialog.close_hint", classes="dialog-hint")
