"""The manager's view (behind the PIN): each salesperson's day, arrivals per hour, and the
queue of disputes and proposals (each decision is an event). Enter opens an item at the
dispute workbench (`WorkbenchScreen`: both sides' evidence and the real outcomes); `a`/`x`
stay as quick approve/reject. `o` switches the people table to each salesperson's disputes
by outcome (won, lost, shared, customer chose, deferred) and assists with their splits;
`n` opens the outbox of notifications to salespeople (`OutboxScreen`: sent, failed and why);
`h` lists the decided items after the open ones, so a decision can be opened and undone.

The figures come from `kiosk.reports.dashboard` (UI-free SQL, shared with `kiosk report`). The
invitation columns (sent, turned into visits) cover the whole show whatever the span: an
invitation goes out weeks ahead and may bring its visitor on any day. Both tables share the
height left by the sparkline, so nothing falls off a 30-row terminal.
"""

from __future__ import annotations

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Sparkline, Static

from kiosk.ui.fmt import clip, minutes, show_dates_warning
from kiosk.ui.messages import ProposalDecided
from kiosk.ui.screens.assign import AssignModal
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.screens.confirm import ConfirmModal
from kiosk.ui.screens.workbench import WorkbenchScreen
from kiosk.ui.widgets.footer import KioskFooter
from kiosk.ui.widgets.header import KioskHeader
from kiosk.ui.widgets.reason import reason_line
from kiosk.ui.widgets.tables import current_key, restore_cursor, set_columns, show_row
from kiosk.ui.widgets.tr import Tr
from kiosk.visits.layout import LayoutOffer

FIRST_HOUR, LAST_HOUR = 8, 19  # the axis always shows booth hours, widened by any outlier
COL = 3  # columns per hour on the sparkline, so the hour labels line up under the bars
LEAD_COLOURS = (("hot", "#dc2626"), ("warm", "#d97706"), ("cold", "#2563eb"))
REASON_WIDTH = 44
PEOPLE_COLUMNS = (
    "person",
    "sent",
    "visits",
    "invited",
    "own",
    "walkins",
    "leads",
    "waiting",
    "received",
    "median",
)


OUTCOME_COLUMNS = ("person", "won", "lost", "shared", "customer", "deferred", "assists")


def num(n: int, style: str = "bold") -> Text:
    """A right-aligned count; zero is dimmed so the eye finds the non-zero figures."""
    return Text(str(n), style=style if n else "dim", justify="right")


class ManagerScreen(KioskScreen):
    TITLE_KEY = "title.manager"
    OWN_KEY = "manager"
    NARROW_HIDDEN = ("search", "new_lead")
    BINDINGS = [
        Binding("escape", "back", "key.back", id="back"),
        Binding("a", "decide(True)", "key.approve", id="approve"),
        Binding("x", "decide(False)", "key.reject", id="reject"),
        Binding("t", "toggle_span", "key.toggle_span", id="toggle_span"),
        Binding("o", "toggle_outcomes", "key.outcomes", id="outcomes", show=False),
        Binding("n", "outbox", "key.outbox", id="outbox", show=False),
        Binding("h", "toggle_decided", "key.show_decided", id="show_decided", show=False),
        Binding("l", "use_layout", "key.use_layout", id="use_layout"),
        Binding("tab", "switch_table", "key.switch_pane", id="switch_pane", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.whole_show = False
        self.offer: LayoutOffer | None = None
        self.queue: list = []
        self.compact = False  # under 120 columns: fewer, narrower columns (no sideways scroll)
        self.tiny = False  # under 100 (80×24): the day's figures only
        self.outcomes = False  # the people table shows disputes by outcome instead of the day
        self.decided = False  # the queue lists the decided items too, after the open ones

    def compose(self) -> ComposeResult:
        yield KioskHeader()
        yield Static(id="mgr-dates", markup=False)
        yield Static(id="mgr-summary", markup=False)
        yield Static(id="mgr-layout", markup=False)
        with Horizontal(id="mgr-top"):
            with Vertical(id="mgr-hours"):
                yield Tr("manager.per_hour", classes="side-title")
                yield Sparkline([], id="mgr-spark")
                yield Static(id="mgr-axis", markup=False)
        yield DataTable(id="mgr-people", cursor_type="row", zebra_stripes=True, header_height=2)
        yield Tr("manager.queue", classes="side-title", id="mgr-queue-title")
        yield DataTable(id="mgr-queue", cursor_type="row", zebra_stripes=True)
        yield Static(id="mgr-detail", markup=False)
        yield KioskFooter()

    def on_mount(self) -> None:
        self.relabel()
        self.query_one("#mgr-queue", DataTable).focus()

    def relabel(self) -> None:
        t = self.kiosk.t

        def people_label(key: str) -> str:
            """Under 120 columns, the short header where the language has one."""
            short = f"manager.short_{key}"
            return t(short) if self.compact and t.has(short) else t(f"manager.col_{key}")

        set_columns(self.query_one("#mgr-people", DataTable), self._people_columns(), people_label)
        set_columns(
            self.query_one("#mgr-queue", DataTable),
            ("kind", "visitor", "change", "split", "since", "summary"),
            lambda k: t("manager.col_summary" if k == "summary" else f"manager.q_{k}"),
        )
        self.reload()

    def booth_changed(self) -> None:
        self.reload()

    def reload(self) -> None:
        app, t = self.kiosk, self.kiosk.t
        services = app.services
        d = services.dashboard(whole_show=self.whole_show)
        span = (
            t("manager.whole_show") if d.day is None else t("manager.day", date=d.day.isoformat())
        )
        summary = Text(span, style="bold")
        summary.append("   " + t("manager.totals", visitors=d.visitors, checkins=d.checkins,
                                  waiting=d.waiting, leads=d.leads,
                                  proposals=d.open_proposals))  # fmt: skip
        summary.append("   · " + t("manager.invites_note"), style="dim")
        self.query_one("#mgr-summary", Static).update(summary)
        dates = show_dates_warning(services.show_dates(), t, services.config.name, services.today())
        self.query_one("#mgr-dates", Static).update(Text(dates, style="bold #d97706"))
        self.query_one("#mgr-dates").display = bool(dates)
        self._show_layout_offer()
        self._hours(d.arrivals_per_hour)
        people = self.query_one("#mgr-people", DataTable)
        keep = current_key(people)
        people.clear()
        columns = self._people_columns()
        if self.outcomes:
            self._outcomes(people, d.people)
            restore_cursor(people, keep)
            self._fill_queue()
            return
        for p in d.people:
            name = Text(clip(p.name, 18 if self.compact else 30), style="bold")
            if p.away:
                name.append("  " + t("card.away"), style="italic dim")
            leads = Text(justify="center")
            for i, (rating, colour) in enumerate(LEAD_COLOURS):
                n = p.leads[rating]
                leads.append(("/" if self.compact else " / ") if i else "", style="dim")
                leads.append(str(n), style=f"bold {colour}" if n else "dim")
            median = minutes(p.median_wait.total_seconds(), t) if p.median_wait is not None else "–"
            cells = dict(
                person=name, sent=num(p.invitations_sent),
                visits=_visits(p.invitations_visited, p.invitations_sent),
                invited=num(p.invited_arrived), own=num(p.own_checked_in),
                walkins=num(p.walk_ins), leads=leads,
                waiting=num(p.waiting, "bold #d97706"), received=num(p.received),
                median=Text(median, justify="right"),
            )  # fmt: skip
            people.add_row(*(cells[c] for c in columns), key=p.salesperson_id)
        restore_cursor(people, keep)
        self._fill_queue()

    def _hours(self, per_hour: tuple[int, ...]) -> None:
        busy = [h for h, n in enumerate(per_hour) if n]
        first = min([FIRST_HOUR, *busy])
        last = max([LAST_HOUR, *busy])
        data = list(per_hour[first : last + 1])
        spark = self.query_one("#mgr-spark", Sparkline)
        spark.data = [float(n) for n in data] if any(data) else [0.0] * len(data)
        spark.styles.width = COL * len(data)
        axis = "".join(f"{h:02d}".ljust(COL) for h in range(first, last + 1))
        peak = max(data) if data else 0
        self.query_one("#mgr-axis", Static).update(
            Text(axis + "  " + self.kiosk.t("manager.peak", n=peak), style="dim")
        )

    def _fill_queue(self) -> None:
        app, t = self.kiosk, self.kiosk.t
        self.queue = app.services.queue(include_decided=self.decided)
        table = self.query_one("#mgr-queue", DataTable)
        keep = current_key(table)
        table.clear()
        for q in self.queue:
            cur = app.services.person(q.current_id)
            proposed_id, share = q.proposed_id, q.split
            if q.status != "open" and not q.outdated:  # listed after `h`: what was decided
                # (the proposal's "→ –" and 30% beside an item given to Sofía, or shared
                # at 25%, read as the decision)
                if (a := app.services.decision_on(q.proposal_id)) is not None:
                    proposed_id, share = a.owner_id, a.split
            new = app.services.person(proposed_id)
            width = 14 if self.compact else 20
            change = Text(clip(cur.name if cur else (q.current_id or "–"), width))
            change.append(" → ")
            if new is None and not proposed_id and q.status == "open":  # nobody proposed
                change.append(clip(t("manager.chooses"), width), style="italic")
            else:
                change.append(clip(new.name if new else (proposed_id or "–"), width), style="bold")
            visitor = Text(clip(q.contact_name, 18 if self.compact else 22), style="bold")
            if q.company and not self.compact:
                visitor.append(" · " + clip(q.company, 18))
            split = f"{round(share * 100)}%" if share is not None else ""
            since = (
                q.created_at.astimezone(app.services.zone).strftime("%m-%d %H:%M")
                if q.created_at
                else ""
            )
            if q.deferred_until is not None:  # waiting at the bottom, or back at the top
                key = "manager.back_short" if q.returned else "manager.deferred_short"
                since = t(key, date=q.deferred_until.strftime("%m-%d"))
            if q.status != "open" and q.decided_at is not None:  # listed after `h`
                at = q.decided_at.astimezone(app.services.zone).strftime("%m-%d")
                key = "manager.outdated_short" if q.outdated else "manager.decided_short"
                since = t(key, date=at)
            kind_style = "bold #dc2626" if q.kind == "dispute" else "bold"
            table.add_row(
                Text(t.maybe(f"kind.proposal_{q.kind}", q.kind), style=kind_style), visitor, change,
                Text(split), Text(since), Text(self._summary(q), style="dim"),
                key=q.proposal_id,
            )  # fmt: skip
        restore_cursor(table, keep)
        title = self.query_one("#mgr-queue-title", Tr)
        if self.decided:
            waiting = sum(1 for q in self.queue if q.status == "open")
            title.relabel("manager.queue_decided", n=waiting, decided=len(self.queue) - waiting)
        else:
            title.relabel("manager.queue", n=len(self.queue))
        self.refresh_bindings()
        self._show_detail(table.cursor_row if self.queue else None)

    def _summary(self, q) -> str:
        """The proposal in the UI language, short (the detail line below says why in full);
        a reassignment with nobody proposed says the manager chooses, not "reassign to –"."""
        t, key = self.kiosk.t, f"manager.sum_{q.kind}"
        if q.kind == "reassign" and not q.proposed_id:
            key = "manager.sum_reassign_open"
        new = self.kiosk.services.person(q.proposed_id)
        who = new.name if new else (q.proposed_id or "–")
        split = f"{round(q.split * 100)}%" if q.split is not None else ""
        return clip(t(key, who=who, split=split) if t.has(key) else q.kind, REASON_WIDTH)

    @on(DataTable.RowSelected, "#mgr-queue")
    def open_item(self, event: DataTable.RowSelected) -> None:
        """Enter: the item at the workbench, both sides side by side."""
        if event.row_key.value:
            self.kiosk.push_screen(WorkbenchScreen(event.row_key.value))

    def _outcomes(self, table: DataTable, day_people) -> None:
        """Each salesperson's disputes by outcome, and their assists with the splits."""
        per_person, totals = self.kiosk.services.dispute_tallies()
        for p in day_people:
            tally = per_person.get(p.salesperson_id)
            name = Text(clip(p.name, 18 if self.compact else 30), style="bold")
            if tally is None:
                cells = [num(0) for _ in range(5)] + [num(0)]
            else:
                splits = ", ".join(f"{round(s * 100)}%" for s in tally.splits)
                assists = Text(str(tally.assists), style="bold" if tally.assists else "dim",
                               justify="right")  # fmt: skip
                if splits:
                    assists.append(f" ({splits})", style="dim")
                cells = [num(tally.won), num(tally.lost), num(tally.shared), num(tally.customer),
                         num(tally.deferred), assists]  # fmt: skip
            table.add_row(name, *cells, key=p.salesperson_id)
        line = self.kiosk.t("manager.outcomes_totals", **totals)
        self.query_one("#mgr-summary", Static).update(Text(line, style="bold"))

    def action_outbox(self) -> None:
        """n: the notifications to salespeople and their state (`OutboxScreen`)."""
        # The outbox loads kiosk.notify and apprise: opening the manager view does not pay
        # for them, only its `n` key.
        # measured start-up cost: kiosk.ui.screens.outbox (~113 ms), first needed here
        from kiosk.ui.screens.outbox import OutboxScreen

        self.kiosk.push_screen(OutboxScreen())

    def action_toggle_decided(self) -> None:
        """h: the decided items after the open ones (Enter opens one; u there undoes it)."""
        self.decided = not self.decided
        self._fill_queue()

    def action_toggle_outcomes(self) -> None:
        self.outcomes = not self.outcomes
        self.relabel()

    @on(DataTable.RowHighlighted, "#mgr-queue")
    def proposal_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail(event.cursor_row)

    def _show_detail(self, row: int | None) -> None:
        detail = self.query_one("#mgr-detail", Static)
        show_row(detail, self.queue, row, self.kiosk.t("manager.queue_empty"), self._full)

    def _full(self, q) -> Text:
        text = Text(q.contact_name, style="bold")
        if q.company:
            text.append(" · " + q.company)
        text.append("\n" + self._reason(q))
        return text

    def _reason(self, q) -> str:
        """Why the item waits, in the UI language with names and the show's time."""
        services = self.kiosk.services
        return reason_line(q, self.kiosk.t, services.people, services.zone, services.today())

    def action_decide(self, approve: bool) -> None:
        table = self.query_one("#mgr-queue", DataTable)
        if not self.queue or table.cursor_row is None or table.cursor_row >= len(self.queue):
            return
        item = self.queue[table.cursor_row]
        if item.status != "open":  # decided (listed after `h`): the workbench undoes it
            self.kiosk.notify(self.kiosk.t("manager.already_decided"), markup=False)
            return
        if approve and item.proposed_id is None and item.kind != "assistant":
            # Nobody proposed (a lapsed owner alone on the territory): pick the new owner.
            def assigned(who: str | None) -> None:
                if who:
                    self._confirm(item, approve, assign_to=who)

            self.kiosk.push_screen(AssignModal(item.contact_name, item.current_id), assigned)
            return
        self._confirm(item, approve)

    def _confirm(self, item, approve: bool, assign_to: str | None = None) -> None:
        t = self.kiosk.t
        question = t("manager.confirm_approve" if approve else "manager.confirm_reject",
                     kind=t.maybe(f"kind.proposal_{item.kind}", item.kind), name=item.contact_name)  # fmt: skip

        def done(yes: bool | None) -> None:
            if yes:
                self._decide(item.proposal_id, approve, assign_to)

        detail = self._consequence(item, approve, assign_to) + "\n\n" + self._reason(item)
        self.kiosk.push_screen(ConfirmModal(question, detail), done)

    def _consequence(self, item, approve: bool, assign_to: str | None = None) -> str:
        """What approving or rejecting will change, in words — before the manager says yes."""
        t, people = self.kiosk.t, self.kiosk.services
        who = people.person(assign_to or item.proposed_id)
        owner = people.person(item.current_id)
        names = dict(
            who=who.name if who else (item.proposed_id or "–"),
            owner=owner.name if owner else (item.current_id or "–"),
            name=item.contact_name,
            split=f"{round(item.split * 100)}%" if item.split is not None else "",
        )
        kind = "assistant" if item.kind == "assistant" else "owner"
        return t(f"manager.if_{'approve' if approve else 'reject'}_{kind}", **names)

    def _decide(self, proposal_id: str, approve: bool, assign_to: str | None = None) -> None:
        app = self.kiosk
        try:
            app.services.decide(proposal_id, approve=approve, actor=app.actor, assign_to=assign_to)
        except Exception as exc:  # noqa: BLE001
            app.notify(str(exc), severity="error", markup=False)
            return
        app.notify(app.t("manager.decided_yes" if approve else "manager.decided_no"))
        self.post_message(ProposalDecided(proposal_id, approve=approve))

    def on_resize(self, event: events.Resize) -> None:
        # a short terminal: a flatter sparkline, so both tables keep a few rows each
        self.set_class(self.size.height < 40, "-short")
        compact, tiny = self.size.width < 120, self.size.width < 100
        if (compact, tiny) != (self.compact, self.tiny):
            self.compact, self.tiny = compact, tiny
            self.relabel()

    def _people_columns(self) -> tuple[str, ...]:
        if self.outcomes:
            return OUTCOME_COLUMNS
        # Narrow: short headers, and the least telling columns go first. The brief's key
        # figures (invited customers who came, own customers, new leads by rating) stay at
        # any width; 80×24 once showed only leads, waiting, received and the median wait.
        # Under 120 columns the invitations sent go (visits says "2 (50%)": their share);
        # under 100 the whole show's visits and the received count (the median wait says
        # how reception is doing), so the day's figures fit 80 columns.
        dropped: tuple[str, ...] = ()
        if self.compact:
            dropped = ("sent",)
        if self.tiny:
            dropped = (*dropped, "visits", "received")
        return tuple(c for c in PEOPLE_COLUMNS if c not in dropped)

    def _show_layout_offer(self) -> None:
        """The badge layout the recent scans suggest, when it differs from the one in force."""
        t = self.kiosk.t
        self.offer = self.kiosk.services.layout_offer()
        line = self.query_one("#mgr-layout", Static)
        line.display = self.offer is not None
        if self.offer is not None:
            p = self.offer.proposal
            line.update(Text(t("manager.layout_offer", scans=p.scans, agree=p.agreeing,
                                 fields=" ^ ".join(p.fields)), style="bold #d97706"))  # fmt: skip
        self.refresh_bindings()

    def action_use_layout(self) -> None:
        if self.offer is None:
            return
        fields = self.offer.proposal.fields
        self.kiosk.services.use_layout(fields, actor=self.kiosk.actor)
        self.kiosk.notify(self.kiosk.t("manager.layout_saved", fields=" ^ ".join(fields)))
        self.reload()

    def action_toggle_span(self) -> None:
        self.whole_show = not self.whole_show
        self.reload()

    def action_switch_table(self) -> None:
        people = self.query_one("#mgr-people", DataTable)
        queue = self.query_one("#mgr-queue", DataTable)
        (people if queue.has_focus else queue).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "use_layout":
            return self.kiosk.role == "manager" and self.offer is not None
        if action == "decide":
            return self.kiosk.role == "manager" and bool(self.queue)
        return True

    def action_back(self) -> None:
        self.kiosk.pop_screen()


def _visits(visited: int, sent: int) -> Text:
    """Invited customers who came, with the share of invitations that turned into a visit."""
    if not sent:
        return num(visited)
    return Text.assemble(
        (str(visited), "bold" if visited else "dim"),
        (f" ({round(100 * visited / sent)}%)", "dim"),
        justify="right",
    )
