"""Whom did the customer choose? One of the two sides of a dispute."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from kiosk.ui.screens.base import CANCEL, KioskModal, dialog_title


class PickModal(KioskModal):
    """Whom did the customer choose? One of the two sides; returns their id or None."""

    BINDINGS = [CANCEL]

    def __init__(self, title: str, people: list[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.people = people

    def compose(self) -> ComposeResult:
        with Vertical(id="pick-box", classes="dialog"):
            yield dialog_title(self.title_text)
            yield OptionList(*(Option(Text(name), id=sp) for sp, name in self.people), id="pick")

    def on_mount(self) -> None:
        super().on_mount()
        box = self.query_one("#pick", OptionList)
        box.highlighted = 0
        box.focus()

    @on(OptionList.OptionSelected, "#pick")
    def picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option_id)
