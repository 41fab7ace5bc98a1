"""Whom should this customer go to? Asked when the manager approves an item naming nobody.

A lapsed owner with no colleague on the territory raises an item with no one proposed: the
manager picks the new owner here before the decision is recorded.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from kiosk.ui.screens.base import PeopleModal
from kiosk.ui.widgets.tr import Tr


class AssignModal(PeopleModal):
    """Returns the id of the salesperson who gets the customer, or None (cancelled)."""

    def __init__(self, customer: str, current: str | None) -> None:
        super().__init__()
        self.customer = customer
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="assign-box", classes="dialog"):
            yield Static(id="assign-title", classes="dialog-title", markup=False)
            yield OptionList(id="assignees")
            yield Tr("assign.hint", classes="dialog-hint")

    def relabel(self) -> None:
        t = self.kiosk.t
        self.query_one("#assign-title", Static).update(
            Text(t("assign.title", name=self.customer), style="bold")
        )
        box = self.query_one("#assignees", OptionList)
        box.clear_options()
        for sp in self.kiosk.services.sales_staff():
            if sp.role != "sales" or sp.id == self.current:
                continue
            line = Text(sp.name, style="bold")
            if sp.away:
                line.append("  " + t("card.away"), style="italic dim")
            box.add_option(Option(line, id=sp.id))
        if box.option_count:
            box.highlighted = 0
