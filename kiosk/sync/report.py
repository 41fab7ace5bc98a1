"""`kiosk report`: what each salesperson's show looked like, for the manager.

The figures are the manager screen's (`kiosk.reports.dashboard.dashboard` over the whole show):
invited customers who came, own customers checked in, new leads by rating, visitors
waiting and received and the median wait. The report adds what matters after the show:
the open items of the manager's queue each person is a side of ("Disputes open": what the
workbench lists, of every kind — `kiosk.disputes.open_by_person`, the queue's own
definition), and invitations sent (when invitations are recorded); and
how the manager settled their disputes (`kiosk.disputes.tallies`: won, lost, shared, the
customer chose, deferred — each item once, by its latest decision) and the assists the
decisions gave them, with each split.
"""

from __future__ import annotations

import io
import json
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

import sqlite_utils

from kiosk.disputes import Tally, open_by_person, tallies
from kiosk.reports.dashboard import dashboard
from kiosk.reports.stats import checkins_line
from kiosk.safety import csv_writer

REPORT_FORMATS = ("table", "csv", "markdown", "json")


@dataclass(frozen=True)
class PersonReport:
    id: str
    name: str
    invited_came: int = 0
    own_checked_in: int = 0
    walk_ins: int = 0
    leads_hot: int = 0
    leads_warm: int = 0
    leads_cold: int = 0
    waiting: int = 0
    received: int = 0
    median_wait_min: int | None = None  # whole minutes, floored: the manager screen's rule
    disputes_open: int = 0
    invitations_sent: int | None = None
    disputes_won: int = 0
    disputes_lost: int = 0
    disputes_shared: int = 0
    disputes_customer_chose: int = 0
    disputes_deferred: int = 0
    assists: int = 0
    assist_splits: str = ""  # '30%, 20%': each assist's share of the commission

    @property
    def leads(self) -> int:
        return self.leads_hot + self.leads_warm + self.leads_cold


LABELS = {
    "name": "Salesperson",
    "invited_came": "Invited, came",
    "own_checked_in": "Own customers in",
    "walk_ins": "Walk-ins",
    "leads_hot": "New leads hot",
    "leads_warm": "warm",
    "leads_cold": "cold",
    "waiting": "Waiting",
    "received": "Received",
    "median_wait_min": "Median wait (min)",
    "disputes_open": "Disputes open",
    "invitations_sent": "Invitations sent",
    "disputes_won": "Disputes won",
    "disputes_lost": "lost",
    "disputes_shared": "shared",
    "disputes_customer_chose": "customer chose",
    "disputes_deferred": "deferred",
    "assists": "Assists",
    "assist_splits": "Assist splits",
}
LEAD_COLUMNS = ("leads_hot", "leads_warm", "leads_cold")


def long_label(col: str) -> str:
    """A column's label alone, out of the table's grouping ('warm' is 'New leads warm')."""
    if col in ("leads_warm", "leads_cold"):
        return f"New leads {LABELS[col]}"
    if col in ("disputes_lost", "disputes_shared", "disputes_customer_chose", "disputes_deferred"):
        return f"Disputes {LABELS[col]}"
    return LABELS[col]


# What the manager decided, per item (the outcome types do not overlap).
OUTCOME_LABELS = {
    "kept": "kept", "given": "given", "shared": "shared", "customer": "customer chose",
    "deferred": "deferred",
}  # fmt: skip


def _count(db: sqlite_utils.Database, sql: str) -> dict[str, int]:
    return {k: v for k, v in db.execute(sql) if k is not None}


def show_report(db: sqlite_utils.Database, *, now: datetime) -> list[PersonReport]:
    """One PersonReport per salesperson and manager, over the whole show, as at `now`
    (the front-end's clock: the figures of a show still running depend on it)."""

    board = dashboard(db, now=now, whole_show=True)
    tally, _ = tallies(db)
    disputes = open_by_person(db)
    invitations = (
        _count(db, "SELECT salesperson_id, count(*) FROM invitations GROUP BY salesperson_id")
        if "invitations" in db.table_names()
        else None
    )
    out = []
    for p in board.people:
        out.append(
            PersonReport(
                id=p.salesperson_id,
                name=p.name,
                invited_came=p.invited_arrived,
                own_checked_in=p.own_checked_in,
                walk_ins=p.walk_ins,
                leads_hot=p.leads.get("hot", 0),
                leads_warm=p.leads.get("warm", 0),
                leads_cold=p.leads.get("cold", 0),
                waiting=p.waiting,
                received=p.received,
                median_wait_min=p.median_wait_min,
                disputes_open=disputes.get(p.salesperson_id, 0),
                invitations_sent=None
                if invitations is None
                else invitations.get(p.salesperson_id, 0),
                **_decided(tally.get(p.salesperson_id)),
            )
        )
    return out


def _decided(t: Tally | None) -> dict[str, Any]:
    if t is None:
        return {}
    return {
        "disputes_won": t.won, "disputes_lost": t.lost, "disputes_shared": t.shared,
        "disputes_customer_chose": t.customer, "disputes_deferred": t.deferred,
        "assists": t.assists, "assist_splits": ", ".join(f"{round(s * 100)}%" for s in t.splits),
    }  # fmt: skip


def decision_totals(db: sqlite_utils.Database) -> dict[str, int]:
    """The manager's decisions by outcome type (kept, given, shared, customer, deferred)."""
    return tallies(db)[1]


def outcomes_line(totals: dict[str, int]) -> str:
    """'Decisions: kept 2 · given 1 · shared 1 · customer chose 0 · deferred 1'."""
    return "Decisions: " + " · ".join(
        f"{OUTCOME_LABELS[k]} {totals.get(k, 0)}" for k in OUTCOME_LABELS
    )


def open_items_line(n: int) -> str:
    """The open items once each: a row's "Disputes open" counts the items that person is a
    side of, so the rows add up to more than this whenever an item has two sides."""
    return f"Open items for the manager: {n} (each once; rows count both sides)"


def columns(people: list[PersonReport]) -> list[str]:
    cols = [k for k in LABELS]
    if people and people[0].invitations_sent is None:
        cols.remove("invitations_sent")
    return cols


def value(p: PersonReport, col: str) -> str:
    v = getattr(p, col)
    return "–" if v is None else str(v)


def totals(people: list[PersonReport], open_items: int | None = None) -> dict[str, int]:
    """Each column's sum, but "Disputes open": an item has two sides and shows in both their
    rows, so its total is `open_items` (`reports.dashboard.open_items`: each item once, the
    manager header's and `kiosk proposals`' figure), and left out when not given — the sum
    of the rows said 4 for the queue's 2 items."""
    keys = ("invited_came", "own_checked_in", "walk_ins", "leads_hot", "leads_warm", "leads_cold",
            "waiting", "received", "disputes_open", "disputes_won", "disputes_lost",
            "disputes_shared", "disputes_customer_chose", "disputes_deferred", "assists")  # fmt: skip
    sums = {k: sum(getattr(p, k) for p in people) for k in keys if k != "disputes_open"}
    return sums if open_items is None else {**sums, "disputes_open": open_items}


def render(
    people: list[PersonReport],
    fmt: str,
    title: str = "",
    outcomes: dict[str, int] | None = None,
    checked_in: dict[str, int] | None = None,
    delimiter: str = ",",
    open_items: int | None = None,
) -> str:
    """The report as csv, markdown or json text (the terminal table is `kiosk.cli.render.report_table`).
    `outcomes` (`decision_totals`): the decisions by outcome type, under the table and in JSON;
    `checked_in` (`reports.stats.checkin_totals`): visitors and check-ins, likewise.
    `delimiter`: the CSV's (the sync writes it in its CRM export's, for the same Excel).
    `open_items` (`reports.dashboard.open_items`): the JSON totals' "disputes_open", and a
    line under the markdown table."""
    cols = columns(people)
    if fmt == "json":
        data = {
            "title": title,
            "salespeople": [asdict(p) for p in people],
            "totals": totals(people, open_items),
        }
        if outcomes is not None:
            data["decisions"] = outcomes
        if checked_in is not None:
            data["checked_in"] = checked_in
        return json.dumps(data, ensure_ascii=False, indent=2)
    if fmt == "csv":
        buf = io.StringIO()
        w = csv_writer(buf, lineterminator="\r\n", delimiter=delimiter)
        w.writerow(["id", *cols])
        for p in people:
            w.writerow([p.id, *(value(p, c) for c in cols)])
        return buf.getvalue()
    if fmt == "markdown":
        head = [
            LABELS[c] if c != "leads_warm" and c != "leads_cold" else long_label(c) for c in cols
        ]
        lines = [f"## {title}", ""] if title else []
        lines.append("| " + " | ".join(head) + " |")
        lines.append("|" + "|".join(" --- " if c == "name" else " ---: " for c in cols) + "|")
        for p in people:
            cells = [value(p, c).replace("|", "\\|") for c in cols]
            lines.append("| " + " | ".join(cells) + " |")
        if checked_in is not None or outcomes is not None or open_items is not None:
            lines.append("")
        if open_items is not None:
            lines.append(open_items_line(open_items))
        if checked_in is not None:
            lines.append(checkins_line(checked_in))
        if outcomes is not None:
            lines.append(outcomes_line(outcomes))
        return "\n".join(lines) + "\n"
    raise ValueError(f"unknown report format {fmt!r}")
