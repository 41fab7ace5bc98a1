"""Who is receiving this visitor? Asked before a visit is marked received.

The person called is listed first and is the usual answer (Enter). Anyone else can be
picked: rule 2 keeps the owner primary, and the kiosk sends the manager an assistant/split
proposal — the dialog says so before it happens, not after.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from kiosk.ui.screens.base import PeopleModal
from kiosk.ui.widgets.tr import Tr


class ReceiverModal(PeopleModal):
    """Returns the id of the salesperson receiving the visitor, or None (cancelled)."""

    def __init__(
        self,
        visitor: str,
        called: str | None,
        default: str | None = None,
        *,
        assistant: str | None = None,
    ) -> None:
        super().__init__()
        self.visitor = visitor
        self.called = called
        self.default = default or called
        self.assistant = assistant  # already the assistant: receiving changes nothing
        self.ids: list[str] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="receiver-box", classes="dialog"):
            yield Static(id="receiver-title", classes="dialog-title", markup=False)
            yield OptionList(id="receivers")
            yield Static(id="receiver-note", classes="dialog-hint", markup=False)
            yield Tr("receive.keys", classes="dialog-hint")

    def relabel(self) -> None:
        app, t = self.kiosk, self.kiosk.t
        self.query_one("#receiver-title", Static).update(
            Text(t("receive.title", name=self.visitor), style="bold")
        )
        staff = app.services.sales_staff()
        people = sorted(staff, key=lambda sp: sp.id != self.called)  # the called person first
        box = self.query_one("#receivers", OptionList)
        current = box.highlighted_option.id if box.highlighted_option is not None else None
        box.clear_options()
        self.ids = []
        for sp in people:
            line = Text(sp.name, style="bold")
            if sp.id == self.called:
                line.append("  " + t("receive.called"), style="italic")
            if app.user is not None and sp.id == app.user.id:
                line.append("  " + t("receive.you"), style="dim")
            if sp.away:
                line.append("  " + t("card.away"), style="dim italic")
            box.add_option(Option(line, id=sp.id))
            self.ids.append(sp.id)
        keep = current if current in self.ids else self.default  # F8 keeps the choice
        box.highlighted = self.ids.index(keep) if keep in self.ids else 0
        self._explain(self.ids[box.highlighted] if self.ids else None)

    @on(OptionList.OptionHighlighted, "#receivers")
    def highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._explain(event.option_id)

    def _explain(self, sp_id: str | None) -> None:
        """What picking this person will do, said before Enter is pressed."""
        app, t = self.kiosk, self.kiosk.t
        note = self.query_one("#receiver-note", Static)
        if sp_id is None or not self.called or sp_id == self.called:
            note.update(Text(t("receive.same"), style="dim"))
            return
        called = app.services.person(self.called)
        picked = app.services.person(sp_id)
        if sp_id == self.assistant:
            note.update(Text(t("receive.assistant", who=picked.name if picked else sp_id)))
            return
        note.update(
            Text(
                t(
                    "receive.other",
                    who=picked.name if picked else sp_id,
                    owner=called.name if called else self.called,
                ),
                style="bold",
            )
        )
