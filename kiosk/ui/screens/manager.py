"""The manager's view (behind the PIN): each salesperson's day, arrivals per hour, and the
queue of disputes and proposals to approve or reject (each decision is an event).

The figures come from `kiosk.dashboard` (UI-free SQL, shared with `kiosk report`).
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Footer, Sparkline, Static

from kiosk.ui.fmt import clip, minutes
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.widgets.header import KioskHeader
from kiosk.ui.widgets.tr import Tr

FIRST_HOUR, LAST_HOUR = 8, 19  # the axis always shows booth hours, widened by any outlier
COL = 3  # columns per hour on the sparkline, so the hour labels line up under the bars
LEAD_COLOURS = (("hot", "#dc2626"), ("warm", "#d97706"), ("cold", "#2563eb"))
REASON_WIDTH = 56


def num(n: int, style: str = "bold") -> Text:
    """A right-aligned count; zero is dimmed so the eye finds the non-zero figures."""
    return Text(str(n), style=style if n else "dim", justify="right")


class ManagerScreen(KioskScreen):
    TITLE_KEY = "title.manager"
    BINDINGS = [
        Binding("escape", "back", "key.back", id="back"),
        Binding("a", "decide(True)", "key.approve", id="approve"),
        Binding("x", "decide(False)", "key.reject", id="reject"),
        Binding("t", "toggle_span", "key.toggle_span", id="toggle_span"),
        Binding("tab", "switch_table", "key.switch_pane", id="switch_pane", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.whole_show = False
        self.queue: list = []

    def compose(self) -> ComposeResult:
        yield KioskHeader()
        yield Static(id="mgr-summary", markup=False)
        with Horizontal(id="mgr-top"):
            with Vertical(id="mgr-hours"):
                yield Tr("manager.per_hour", classes="side-title")
                yield Sparkline([], id="mgr-spark")
                yield Static(id="mgr-axis", markup=False)
        yield DataTable(id="mgr-people", cursor_type="row", zebra_stripes=True)
        yield Tr("manager.queue", classes="side-title", id="mgr-queue-title")
        yield DataTable(id="mgr-queue", cursor_type="row", zebra_stripes=True)
        yield Static(id="mgr-detail", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.relabel()
        self.query_one("#mgr-queue", DataTable).focus()

    def relabel(self) -> None:
        t = self.app.t
        people = self.query_one("#mgr-people", DataTable)
        people.clear(columns=True)
        for key in ("person", "invited", "own", "leads", "waiting", "received", "median"):
            people.add_column(t(f"manager.col_{key}"), key=key)
        queue = self.query_one("#mgr-queue", DataTable)
        queue.clear(columns=True)
        for key in ("kind", "visitor", "change", "split", "since", "summary"):
            queue.add_column(
                t(f"manager.q_{key}" if key != "summary" else "manager.col_summary"), key=key
            )
        self.reload()

    def booth_changed(self) -> None:
        self.reload()

    def reload(self) -> None:
        app, t = self.app, self.app.t
        services = app.services
        d = services.dashboard(whole_show=self.whole_show)
        span = (
            t("manager.whole_show") if d.day is None else t("manager.day", date=d.day.isoformat())
        )
        summary = Text(span, style="bold")
        summary.append("   " + t("manager.totals", checkins=d.checkins, waiting=d.waiting,
                                  leads=d.leads, proposals=d.open_proposals))  # fmt: skip
        self.query_one("#mgr-summary", Static).update(summary)
        self._hours(d.arrivals_per_hour)
        people = self.query_one("#mgr-people", DataTable)
        people.clear()
        for p in d.people:
            name = Text(p.name, style="bold")
            if p.away:
                name.append("  " + t("card.away"), style="italic dim")
            leads = Text(justify="center")
            for i, (rating, colour) in enumerate(LEAD_COLOURS):
                n = p.leads[rating]
                leads.append(" / " if i else "", style="dim")
                leads.append(str(n), style=f"bold {colour}" if n else "dim")
            median = minutes(p.median_wait.total_seconds()) if p.median_wait is not None else "–"
            people.add_row(
                name, num(p.invited_arrived), num(p.own_checked_in), leads,
                num(p.waiting, "bold #d97706"), num(p.received),
                Text(median, justify="right"), key=p.salesperson_id,
            )  # fmt: skip
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
            Text(axis + "  " + self.app.t("manager.peak", n=peak), style="dim")
        )

    def _fill_queue(self) -> None:
        app, t = self.app, self.app.t
        self.queue = app.services.queue()
        table = self.query_one("#mgr-queue", DataTable)
        table.clear()
        for q in self.queue:
            cur = app.services.person(q.current_id)
            new = app.services.person(q.proposed_id)
            change = Text(cur.name if cur else (q.current_id or "–"))
            change.append(" → ")
            change.append(new.name if new else (q.proposed_id or "–"), style="bold")
            visitor = Text(q.contact_name, style="bold")
            if q.company:
                visitor.append(" · " + q.company)
            split = f"{round(q.split * 100)}%" if q.split is not None else ""
            since = (
                q.created_at.astimezone(app.services.zone).strftime("%m-%d %H:%M")
                if q.created_at
                else ""
            )
            kind_style = "bold #dc2626" if q.kind == "dispute" else "bold"
            table.add_row(
                Text(t.maybe(f"kind.proposal_{q.kind}", q.kind), style=kind_style), visitor, change,
                Text(split), Text(since), Text(self._summary(q, new, split), style="dim"),
                key=q.proposal_id,
            )  # fmt: skip
        title = self.query_one("#mgr-queue-title", Tr)
        title.relabel("manager.queue", n=len(self.queue))
        self.refresh_bindings()
        self._show_detail(table.cursor_row if self.queue else None)

    def _summary(self, q, new, split: str) -> str:
        """The proposal in the UI language (the engine's English reason is in the detail line)."""
        t, key = self.app.t, f"manager.sum_{q.kind}"
        who = new.name if new else (q.proposed_id or "–")
        return clip(t(key, who=who, split=split) if t.has(key) else q.kind, REASON_WIDTH)

    @on(DataTable.RowHighlighted, "#mgr-queue")
    def proposal_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail(event.cursor_row)

    def _show_detail(self, row: int | None) -> None:
        detail = self.query_one("#mgr-detail", Static)
        if row is None or not (0 <= row < len(self.queue)):
            detail.update(Text(self.app.t("manager.queue_empty") if not self.queue else ""))
            return
        q = self.queue[row]
        text = Text(q.contact_name, style="bold")
        if q.company:
            text.append(" · " + q.company)
        text.append("\n" + q.reason)
        detail.update(text)

    def action_decide(self, approve: bool) -> None:
        from kiosk.ui.screens.confirm import ConfirmModal

        table = self.query_one("#mgr-queue", DataTable)
        if not self.queue or table.cursor_row is None or table.cursor_row >= len(self.queue):
            return
        item = self.queue[table.cursor_row]
        t = self.app.t
        question = t("manager.confirm_approve" if approve else "manager.confirm_reject",
                     kind=t.maybe(f"kind.proposal_{item.kind}", item.kind), name=item.contact_name)  # fmt: skip

        def done(yes: bool | None) -> None:
            if yes:
                self._decide(item.proposal_id, approve)

        self.app.push_screen(ConfirmModal(question, item.reason), done)

    def _decide(self, proposal_id: str, approve: bool) -> None:
        app = self.app
        try:
            app.services.decide(proposal_id, approve=approve, actor=app.actor)
        except Exception as exc:  # noqa: BLE001
            app.notify(str(exc), severity="error", markup=False)
            return
        app.notify(app.t("manager.decided_yes" if approve else "manager.decided_no"))
        from kiosk.ui.messages import BoothChanged

        app.post_message(BoothChanged())

    def action_toggle_span(self) -> None:
        self.whole_show = not self.whole_show
        self.reload()

    def action_switch_table(self) -> None:
        people = self.query_one("#mgr-people", DataTable)
        queue = self.query_one("#mgr-queue", DataTable)
        (people if queue.has_focus else queue).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "decide":
            return self.app.role == "manager" and bool(self.queue)
        return True

    def action_back(self) -> None:
        self.app.pop_screen()
