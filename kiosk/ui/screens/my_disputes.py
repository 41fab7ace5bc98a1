"""A salesperson's own disputes (staff view, F11): the open items they are a side of, with both
sides' evidence, where they state their case (n), and the manager's decisions about them.

The decisions reach the salesperson here and as a notice when they log in
(`SessionActions`): opening this screen marks them seen.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from kiosk.disputes import Item
from kiosk.ui.explain import name_of
from kiosk.ui.fmt import clip
from kiosk.ui.messages import CaseStated
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.screens.case import CaseModal
from kiosk.ui.widgets.evidence import arrangement_line, evidence_table, short_day
from kiosk.ui.widgets.footer import KioskFooter
from kiosk.ui.widgets.header import KioskHeader
from kiosk.ui.widgets.reason import refusal_line
from kiosk.ui.widgets.tables import current_key, restore_cursor, set_columns
from kiosk.ui.widgets.tr import Tr


class MyDisputesScreen(KioskScreen):
    TITLE_KEY = "title.my_disputes"
    OWN_KEY = "my_disputes"
    NARROW_HIDDEN = ("search", "new_lead", "arrivals", "manager")
    BINDINGS = [
        Binding("escape", "back", "key.back", id="back"),
        Binding("n", "case", "key.my_case", id="my_case"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.items: list[Item] = []

    def compose(self) -> ComposeResult:
        yield KioskHeader()
        yield Static(id="my-who", markup=False)
        yield Tr("my.open", classes="side-title", id="my-open-title")
        yield DataTable(id="my-items", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="my-body"):
            yield Static(id="my-evidence", markup=False)
            yield Tr("my.decisions", classes="side-title")
            yield Static(id="my-decisions", markup=False)
        yield KioskFooter()

    def on_mount(self) -> None:
        super().on_mount()
        self.relabel()
        self.query_one("#my-items", DataTable).focus()
        user = self.kiosk.user
        if user is not None:
            self.kiosk.services.mark_decisions_seen(user.id)

    def booth_changed(self) -> None:
        self.reload()

    def refresh_session(self) -> None:
        super().refresh_session()
        self.reload()

    def relabel(self) -> None:
        t = self.kiosk.t
        columns = ("kind", "visitor", "other", "state")
        set_columns(self.query_one("#my-items", DataTable), columns, lambda k: t(f"my.col_{k}"))
        self.reload()

    def reload(self) -> None:
        app, t = self.kiosk, self.kiosk.t
        services, user = app.services, app.user
        me = user.id if user is not None else ""
        self.query_one("#my-who", Static).update(
            Text(t("my.who", name=user.name if user else t("role.reception")), style="bold")
        )
        self.items = services.my_items(me) if me else []
        table = self.query_one("#my-items", DataTable)
        keep = current_key(table)
        table.clear()
        for i in self.items:
            other = next((s for s in (i.current_id, i.proposed_id) if s and s != me), None)
            state = t("my.waiting")
            if i.deferred_until is not None and not i.returned:
                state = t("workbench.deferred", date=short_day(i.deferred_until, t))
            side = i.side(me)
            if side is not None and side.case:
                state += " · " + t("my.case_given")
            table.add_row(
                Text(t.maybe(f"kind.proposal_{i.kind}", i.kind), style="bold"),
                Text(clip(i.contact_name, 24), style="bold"),
                Text(clip(name_of(services.people, other) or t("card.nobody"), 22)),
                Text(state, style="dim"),
                key=i.proposal_id,
            )
        restore_cursor(table, keep)
        self.query_one("#my-open-title", Tr).relabel("my.open", n=len(self.items))
        self._show_item(table.cursor_row if self.items else None)
        lines = Text()
        for a, customer in services.my_decisions(me) if me else []:
            if lines.plain:
                lines.append("\n")
            lines.append(customer, style="bold")
            lines.append(" — " + arrangement_line(a, t, services.people, services.zone))
            if a.note:
                lines.append(f"  “{a.note}”", style="italic dim")
        self.query_one("#my-decisions", Static).update(
            lines or Text(t("my.no_decisions"), style="dim")
        )
        self.refresh_bindings()

    @on(DataTable.RowHighlighted, "#my-items")
    def item_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_item(event.cursor_row)

    def _current(self) -> Item | None:
        row = self.query_one("#my-items", DataTable).cursor_row
        return (
            self.items[row]
            if self.items and row is not None and 0 <= row < len(self.items)
            else None
        )

    def _show_item(self, row: int | None) -> None:
        box = self.query_one("#my-evidence", Static)
        if row is None or not 0 <= row < len(self.items):
            box.update(Text(self.kiosk.t("my.none_open"), style="dim"))
            return
        i, services, t = self.items[row], self.kiosk.services, self.kiosk.t
        box.update(evidence_table(i, t, services.people, services.zone, services.today()))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "case":
            return self.kiosk.user is not None and self._current() is not None
        return True

    def action_case(self) -> None:
        item, user = self._current(), self.kiosk.user
        if item is None or user is None:
            return
        side = item.side(user.id)
        title = self.kiosk.t("case.title", name=item.contact_name)

        def done(text: str | None) -> None:
            if text is None:
                return
            try:
                self.kiosk.services.add_case(item.proposal_id, by=user.id, text=text)
            except Exception as exc:  # noqa: BLE001 - the core's one-line refusal
                services = self.kiosk.services
                said = refusal_line(exc, self.kiosk.t, services.people, services.zone,
                                    services.today())  # fmt: skip
                self.kiosk.notify(said, severity="error", markup=False)
                return
            self.kiosk.notify(self.kiosk.t("case.saved", name=item.contact_name), markup=False)
            self.post_message(CaseStated(item.proposal_id))

        self.kiosk.push_screen(CaseModal(title, side.case if side else ""), done)

    def action_back(self) -> None:
        self.kiosk.pop_screen()
