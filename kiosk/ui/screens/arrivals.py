"""The arrivals board: today's visitors per salesperson, waiting or received.

Left, each salesperson with how many visitors wait for them; right, the visits of the one
highlighted (or everyone). `r` marks the highlighted visit received — by the logged-in
person, or at reception by the salesperson who was called.

Under 100 columns (80×24) every column stays in view, in every language, with no sideways
scroll: the people list is one line a person (the name and how many wait), how a visitor
came (Via) is the second line under their name, a receiver other than the one called is
"✓ Ben Carter" (the tick says received), and the arrival time, company and country leave
the table. A line under it says the highlighted visit in full: when, company and country,
whom it called, who received them and how they came.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, OptionList, Static
from textual.widgets.option_list import Option

from kiosk.ui.fmt import clip, minutes
from kiosk.ui.messages import VisitorReceived
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.screens.receiver import ReceiverModal
from kiosk.ui.widgets.footer import KioskFooter
from kiosk.ui.widgets.header import KioskHeader
from kiosk.ui.widgets.tables import current_key, restore_cursor, set_columns, show_row
from kiosk.ui.widgets.visitor_card import country_label

if TYPE_CHECKING:
    from kiosk.reports.dashboard import Arrival

ALL = "*"
COLUMNS = ("time", "visitor", "called", "status", "waited", "via", "company", "country")
TINY_COLUMNS = ("visitor", "called", "status", "waited")
# Under 100 columns: the people list's names, the salespeople's names in the table, and the
# visitor's name and Via (the line under it) cut to these many cells, so that the widest
# row — a receiver's name, a wait of '1小时05分' and a scroll bar — still fits 80 columns
# (the line under the table says them in full)
LIST_NAME, TINY_NAME, TINY_VIA = 10, 10, 22
AMBER, GREEN = "#d97706", "#16a34a"  # readable on the dark and the light theme


class ArrivalsScreen(KioskScreen):
    TITLE_KEY = "title.arrivals"
    OWN_KEY = "arrivals"
    NARROW_HIDDEN = ("search", "new_lead", "manager")
    BINDINGS = [
        Binding("escape", "back", "key.back", id="back"),
        Binding("r", "received", "key.mark_received", id="mark_received"),
        Binding("w", "waiting_only", "key.waiting_only", id="waiting_only"),
        Binding("tab", "switch_pane", "key.switch_pane", id="switch_pane", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Arrival] = []
        self.person = ALL
        self.waiting_only = False
        self.compact = False  # under 120 columns: a narrower people list and shorter cells
        self.tiny = False  # under 100 (80×24): narrower still, so "waiting" stays in view

    def compose(self) -> ComposeResult:
        yield KioskHeader()
        yield Static(id="arrivals-summary", markup=False)
        with Horizontal(id="arrivals-body"):
            yield OptionList(id="arrivals-people")
            yield DataTable(id="arrivals-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="arrivals-detail", markup=False)
        yield KioskFooter()

    def on_mount(self) -> None:
        self.relabel()
        self.query_one("#arrivals-table", DataTable).focus()

    def relabel(self) -> None:
        t = self.kiosk.t
        # what reception needs first (who, whom to call, waiting?) before what a wide screen adds
        set_columns(
            self.query_one("#arrivals-table", DataTable), self._columns(),
            lambda k: t("arrivals.col_visitor_via" if k == "visitor" and self.tiny
                        else f"arrivals.col_{k}"),
        )  # fmt: skip
        self.reload()

    def _columns(self) -> tuple[str, ...]:
        """What reception needs first (who, whom to call, waiting?) before what a wide screen
        adds. Under 100 columns Via is the visitor's second line, and the arrival time,
        company and country are in the line under the table (the wait says how urgent): all
        of it in view with no sideways scroll, where Via and "received by" were cut."""
        return TINY_COLUMNS if self.tiny else COLUMNS

    def booth_changed(self) -> None:
        self.reload()

    def reload(self) -> None:
        services = self.kiosk.services
        self.rows = services.arrivals()
        t = self.kiosk.t
        waiting: dict[str, int] = {}
        received: dict[str, int] = {}
        for a in self.rows:
            bucket = waiting if a.status == "waiting" else received
            bucket[a.owner_id or ""] = bucket.get(a.owner_id or "", 0) + 1
        people = self.query_one("#arrivals-people", OptionList)
        people.clear_options()
        total_wait = sum(waiting.values())
        people.add_option(
            Option(
                self._person_line(t("arrivals.everyone"), total_wait, len(self.rows) - total_wait),
                id=ALL,
            )
        )
        for sp in services.sales_staff():
            line = self._person_line(sp.name, waiting.get(sp.id, 0), received.get(sp.id, 0))
            if sp.away:
                line.append("  " + t("card.away"), style="italic dim")
            people.add_option(Option(line, id=sp.id))
        ids = [ALL] + [sp.id for sp in services.sales_staff()]
        people.highlighted = ids.index(self.person) if self.person in ids else 0
        summary = t("arrivals.summary", n=len(self.rows), waiting=total_wait)
        if self.waiting_only:
            summary += "  · " + t("arrivals.waiting_only")
        self.query_one("#arrivals-summary", Static).update(Text(summary, style="bold"))
        self._fill()

    def _person_line(self, name: str, waiting: int, received: int) -> Text:
        if self.tiny:  # 80 columns: one line, the name and how many wait (the table: the rest)
            short = clip(name, LIST_NAME)
            line = Text(short + " " * (LIST_NAME - cell_len(short)), style="bold")
            line.append(f" {waiting:>2}", style="bold #f59e0b" if waiting else "dim")
            return line
        line = Text(clip(name, 20) if self.compact else name, style="bold")
        line.append("\n  ")
        line.append(
            self.kiosk.t("arrivals.waiting_n", n=waiting),
            style="bold #f59e0b" if waiting else "dim",
        )
        if self.compact:
            line.append(f" · ✓{received}", style="dim")
        else:
            line.append(" · " + self.kiosk.t("arrivals.received_n", n=received), style="dim")
        return line

    def on_resize(self, event: events.Resize) -> None:
        compact, tiny = self.size.width < 120, self.size.width < 100
        if (compact, tiny) != (self.compact, self.tiny):
            self.compact, self.tiny = compact, tiny
            self.set_class(compact, "-narrow")
            self.set_class(tiny, "-tiny")
            self.relabel()  # the columns too: their widths follow the longest cell shown

    def shown_rows(self) -> list[Arrival]:  # not `visible`: a Textual property
        rows = self.rows
        if self.person != ALL:
            rows = [a for a in rows if a.owner_id == self.person]
        if self.waiting_only:
            rows = [a for a in rows if a.status == "waiting"]
        return rows

    def _fill(self) -> None:
        services, t, lang = self.kiosk.services, self.kiosk.t, self.kiosk.lang
        now = services.now()
        table = self.query_one("#arrivals-table", DataTable)
        keep = current_key(table)
        table.clear()
        width = TINY_NAME if self.tiny else 18 if self.compact else 22
        for a in self.shown_rows():
            owner = services.person(a.owner_id)
            if a.status == "waiting":
                status = Text(t("arrivals.waiting"), style=f"bold {AMBER}")
            elif a.received_by in (None, a.owner_id):
                status = Text("✓ " + t("arrivals.received"), style=GREEN)
            elif self.tiny:  # the tick says received: the name is what matters
                status = Text("✓ " + clip(self._person_name(a.received_by), TINY_NAME), style=GREEN)
            else:
                who = clip(self._person_name(a.received_by), 18)
                status = Text("✓ " + t("arrivals.received_by", who=who), style=GREEN)
            via = self._via(a)
            # under 100 columns the visitor's column is as wide as Via's line: their name too
            visitor = Text(clip(self._who(a), TINY_VIA if self.tiny else width), style="bold")
            if self.tiny and via:
                visitor.append("\n" + clip(via, TINY_VIA), style="dim")
            cells = {
                "time": Text(a.at.astimezone(services.zone).strftime("%H:%M")),
                "visitor": visitor,
                "called": Text(clip(owner.name, width) if owner else t("card.nobody")),
                "status": status,
                "waited": Text(minutes(a.waited(now).total_seconds(), t)),
                "via": Text(via, style="dim"),
                "company": Text(clip(a.company, 24)),
                "country": Text(clip(country_label(a.country, lang), 16)),
            }
            table.add_row(*(cells[k] for k in self._columns()), key=a.checkin_id,
                          height=2 if self.tiny and via else 1)  # fmt: skip
        restore_cursor(table, keep)
        self._show_detail()

    def _person_name(self, sp_id: str | None) -> str:
        person = self.kiosk.services.person(sp_id)
        return person.name if person else (sp_id or "")

    def _who(self, a: Arrival) -> str:
        """The visitor as the board names them: a walk-in scanned from a bare badge id has
        no name, and its cell was blank; its badge id is what reception can match."""
        if a.name.strip():
            return a.name
        t = self.kiosk.t
        return t("card.badge_only", badge=a.badge_id) if a.badge_id else t("card.no_name")

    def _via(self, a: Arrival) -> str:
        """How the visitor came: invited, brought, a walk-in or new visitor, a lead filed."""
        t, via = self.kiosk.t, []
        for flag, sp_id in (("invited", a.invited_by), ("brought_by", a.brought_by)):
            if sp_id:
                via.append(t(f"flag.{flag}", who=self._person_name(sp_id)))
        if a.booth_met:  # scanned or typed in, not yet filed: a lead to take
            via.append(t("flag.new_visitor" if a.is_lead else "flag.walk_in"))
        elif a.is_lead:  # a CRM customer: "new visitor" would have been wrong
            via.append(t("flag.lead_filed"))
        return ", ".join(via)

    def _full(self, a: Arrival) -> Text:
        """The highlighted visit in full, for a board too narrow for its whole row."""
        services, t = self.kiosk.services, self.kiosk.t
        text = Text(a.at.astimezone(services.zone).strftime("%H:%M") + "  ")
        text.append(self._who(a), style="bold")
        for part in (a.company, country_label(a.country, self.kiosk.lang) if a.country else ""):
            if part:
                text.append(" · " + part)
        said = [t("arrivals.detail_called", who=self._person_name(a.owner_id) or t("card.nobody"))]
        if a.status == "waiting":
            said.append(t("arrivals.waiting"))
        else:
            said.append(
                "✓ " + t("arrivals.received_by", who=self._person_name(a.received_by or a.owner_id))
            )
        via = self._via(a)
        text.append("\n" + " · ".join([*said, via] if via else said), style="dim")
        return text

    def _show_detail(self) -> None:
        table = self.query_one("#arrivals-table", DataTable)
        rows = self.shown_rows()
        row = table.cursor_row if rows else None
        show_row(self.query_one("#arrivals-detail", Static), rows, row, "", self._full)

    @on(DataTable.RowHighlighted, "#arrivals-table")
    def visit_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    @on(OptionList.OptionHighlighted, "#arrivals-people")
    def person_picked(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_id and event.option_id != self.person:
            self.person = event.option_id
            self._fill()

    def action_received(self) -> None:
        table = self.query_one("#arrivals-table", DataTable)
        rows = self.shown_rows()
        if not rows or table.cursor_row is None or table.cursor_row >= len(rows):
            return
        a = rows[table.cursor_row]
        if a.status != "waiting":
            self.kiosk.notify(self.kiosk.t("arrivals.already_received"), severity="warning")
            return
        app = self.kiosk

        def received(by: str | None) -> None:
            if not by:
                return
            try:
                proposals = app.services.mark_received(a.checkin_id, by=by, actor=app.actor)
            except Exception as exc:  # noqa: BLE001
                app.notify(str(exc), severity="error", markup=False)
                return
            self.post_message(VisitorReceived(self._who(a), by, proposals))

        contact = app.services.contact(a.contact_id)
        assistant = contact.assistant_id if contact else None
        me = app.user.id if app.user is not None else None  # else the person called
        app.push_screen(ReceiverModal(self._who(a), a.owner_id, me, assistant=assistant), received)

    def action_waiting_only(self) -> None:
        self.waiting_only = not self.waiting_only
        self.reload()

    def action_switch_pane(self) -> None:
        people = self.query_one("#arrivals-people", OptionList)
        table = self.query_one("#arrivals-table", DataTable)
        (table if people.has_focus else people).focus()

    def action_back(self) -> None:
        self.kiosk.pop_screen()
