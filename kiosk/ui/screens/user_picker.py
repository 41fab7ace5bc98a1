"""Who is at the keyboard: reception (no login), a salesperson (staff), or the manager (PIN).

The manager comes right after reception, and the list is as tall as the terminal lets it be
with the key hint still under it (on 80×24 the manager and the hint used to fall off)."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from kiosk.ui.screens.base import PeopleModal
from kiosk.ui.widgets.tr import Tr


class UserPickerModal(PeopleModal):
    """Returns 'reception', a salesperson id, or None (cancelled)."""

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-box", classes="dialog"):
            yield Tr("user.title", classes="dialog-title")
            yield OptionList(id="people")
            yield Tr("user.hint", classes="dialog-hint")

    def relabel(self) -> None:
        t = self.kiosk.t
        box = self.query_one("#people", OptionList)
        box.clear_options()
        box.add_option(Option(Text(t("user.reception"), style="bold"), id="reception"))
        staff = self.kiosk.services.sales_staff()
        for sp in sorted(staff, key=lambda p: p.role != "manager"):  # the manager first
            line = Text(sp.name, style="bold")
            role = t("user.with_pin") if sp.role == "manager" else t("role.staff")
            line.append(f"  {role}", style="dim")
            if sp.away:
                line.append("  " + t("card.away"), style="italic")
            box.add_option(Option(line, id=sp.id))
        current = self.kiosk.user.id if self.kiosk.user else "reception"
        try:
            box.highlighted = box.get_option_index(current)
        except Exception:  # noqa: BLE001
            box.highlighted = 0

    def on_resize(self, event: events.Resize) -> None:
        # the dialog's frame, title and hint take 12 rows: the list gets the rest
        self.query_one("#people", OptionList).styles.max_height = max(4, event.size.height - 12)
