"""What the manager and the arrivals board see: the booth's day as numbers, from SQL.

UI-free so the TUI's manager view, the arrivals board and `kiosk report` read the same
figures. Every function takes `now` (no clock inside), and "a day" is a calendar day in the
show's time zone (`config.timezone`): a booth in Shanghai closes at 18:00 Shanghai time,
whatever zone a kiosk's events were stamped in. SQLite's `julianday()` compares ISO 8601
times across offsets, so events from kiosks with different zones mix correctly.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

from kiosk.clock import day_bounds, local_day, whole_minutes
from kiosk.store import SHOWN, WAITING, load_salespeople, parse_ts

if TYPE_CHECKING:
    import sqlite_utils


@dataclass(frozen=True)
class Arrival:
    """One check-in on the arrivals board."""

    checkin_id: str
    contact_id: str
    name: str
    company: str
    country: str | None
    at: datetime
    owner_id: str | None
    status: str  # 'waiting' or 'received'
    received_by: str | None
    received_at: datetime | None
    invited_by: str | None
    brought_by: str | None
    is_lead: bool  # a lead is filed on this contact (a CRM customer's too)
    # met first at the booth (not in the CRM): a new visitor, or, with no lead yet, a walk-in
    booth_met: bool = False
    # a visitor with no name (a walk-in scanned from a bare badge id): their badge id, the
    # only thing that tells them apart on the board; '' when they have a name
    badge_id: str = ""

    def waited(self, now: datetime) -> timedelta:
        """How long they waited (so far, if still waiting)."""
        return (self.received_at or now) - self.at


def arrivals(
    db: sqlite_utils.Database, *, now: datetime, zone: tzinfo = UTC, day: date | None = None
) -> list[Arrival]:
    """Today's check-ins (or `day`'s), newest first, one row per visit: a visitor's waiting
    check-in that a later one of theirs follows is not shown again (`store.WAITING`)."""
    start, end = day_bounds(day or local_day(now, zone), zone)
    rows = db.execute(
        f"""
        SELECT k.id, k.contact_id, c.name, c.company, c.country, k.at, k.owner_id, k.status,
               k.received_by, k.received_at, k.invited_by, k.brought_by,
               EXISTS (SELECT 1 FROM leads l WHERE l.contact_id = k.contact_id) AS is_lead,
               c.source = 'booth' AS booth_met,
               CASE WHEN c.name = '' THEN (SELECT b.badge_id FROM contact_badges b
                    WHERE b.contact_id = c.id ORDER BY b.badge_id LIMIT 1) END AS badge_id
        FROM checkins k JOIN contacts c ON c.id = k.contact_id
        WHERE julianday(k.at) >= julianday(?) AND julianday(k.at) < julianday(?) AND {SHOWN}
        ORDER BY julianday(k.at) DESC, k.at DESC, k.id
        """,
        [start, end],
    ).fetchall()
    out = []
    for r in rows:
        at = parse_ts(r[5]) or now
        out.append(
            Arrival(
                checkin_id=r[0],
                contact_id=r[1],
                name=r[2] or "",
                company=r[3] or "",
                country=r[4],
                at=at,
                owner_id=r[6],
                status=r[7],
                received_by=r[8],
                received_at=parse_ts(r[9]),
                invited_by=r[10],
                brought_by=r[11],
                is_lead=bool(r[12]),
                booth_met=bool(r[13]),
                badge_id=r[14] or "",
            )  # fmt: skip
        )
    return out


@dataclass(frozen=True)
class PersonDay:
    """One salesperson's day at the booth, as the manager reads it."""

    salesperson_id: str
    name: str
    away: bool
    invited_arrived: int
    own_checked_in: int
    leads: dict[str, int]  # rating → visitors with a lead (each once, at their hottest)
    waiting: int
    received: int
    median_wait: timedelta | None
    # Invitations this salesperson sent, and how many of those customers came (whole show:
    # an invitation goes out weeks before and may bring its visitor on any day).
    invitations_sent: int = 0
    invitations_visited: int = 0
    # Walk-ins reception called this person for (unknown visitors scanned, routed by
    # territory), whether or not staff have completed them into leads yet.
    walk_ins: int = 0

    @property
    def lead_total(self) -> int:
        return sum(self.leads.values())

    @property
    def median_wait_min(self) -> int | None:
        """The median wait in whole minutes (`clock.whole_minutes`), as every front-end says it."""
        return None if self.median_wait is None else whole_minutes(self.median_wait.total_seconds())


@dataclass(frozen=True)
class Dashboard:
    day: date | None  # None: the whole show
    people: tuple[PersonDay, ...]
    arrivals_per_hour: tuple[int, ...]  # 24 local hours of `day` (all days summed if None)
    checkins: int  # scans recorded, repeats included (`kiosk stats`' "Check-ins")
    waiting: int
    leads: int
    open_proposals: int
    visitors: int = 0  # people checked in: one scanned twice, or at two kiosks, is one


# New leads per salesperson: visitors, not lead forms. A visitor filed at two kiosks (hot
# at one, cold at the other) is one lead, as hot as their hottest form, and it is the
# customer's owner's now: a manager's decision that gives them to another moves the credit
# (the forms keep the owner they were routed to when filed).
_LEADS_BY_OWNER = """
    SELECT owner, CASE best WHEN 0 THEN 'hot' WHEN 1 THEN 'warm' ELSE 'cold' END, count(*)
    FROM (
        SELECT coalesce(c.owner_id, max(l.owner_id)) AS owner,
               min(CASE l.rating WHEN 'hot' THEN 0 WHEN 'warm' THEN 1 ELSE 2 END) AS best
        FROM leads l JOIN contacts c ON c.id = l.contact_id
        WHERE {span}
        GROUP BY l.contact_id
    )
    GROUP BY owner, best
"""


def _invitations(db: sqlite_utils.Database) -> dict[str, tuple[int, int]]:
    """{salesperson: (invitations sent, invited customers who came)}; empty before any invite."""
    if "invitations" not in db.table_names():
        return {}
    return invitation_stats(db)


def _median(values: Sequence[float]) -> timedelta | None:
    return timedelta(seconds=statistics.median(values)) if values else None


def dashboard(
    db: sqlite_utils.Database, *, now: datetime, zone: tzinfo = UTC, day: date | None = None,
    whole_show: bool = False,
) -> Dashboard:  # fmt: skip
    """Per-salesperson figures for one local day (default today) or, with `whole_show`, all days."""
    the_day = None if whole_show else (day or local_day(now, zone))
    if the_day is None:
        start, end = "0001-01-01T00:00:00+00:00", "9999-12-31T00:00:00+00:00"
    else:
        start, end = day_bounds(the_day, zone)
    span = "julianday({col}) >= julianday(?) AND julianday({col}) < julianday(?)"
    k_span, l_span = span.format(col="k.at"), span.format(col="l.at")

    def per_person(sql: str) -> dict[str, int]:
        return {r[0]: r[1] for r in db.execute(sql, [start, end]).fetchall() if r[0]}

    invited = per_person(
        f"SELECT k.invited_by, count(DISTINCT k.contact_id) FROM checkins k WHERE {k_span}"
        " GROUP BY k.invited_by"
    )
    own = per_person(
        "SELECT k.owner_id, count(DISTINCT k.contact_id) FROM checkins k"
        f" JOIN contacts c ON c.id = k.contact_id WHERE c.source = 'crm' AND {k_span}"
        " GROUP BY k.owner_id"
    )
    walk_ins = per_person(
        "SELECT k.owner_id, count(DISTINCT k.contact_id) FROM checkins k"
        f" JOIN contacts c ON c.id = k.contact_id WHERE k.id IN (SELECT uuid FROM events"
        f" WHERE kind = 'walkin.arrived') AND {k_span} GROUP BY k.owner_id"
    )
    waiting = per_person(
        f"SELECT k.owner_id, count(*) FROM checkins k WHERE {WAITING} AND {k_span}"
        " GROUP BY k.owner_id"
    )
    received = per_person(
        f"SELECT k.owner_id, count(*) FROM checkins k WHERE k.status = 'received' AND {k_span}"
        " GROUP BY k.owner_id"
    )
    leads: dict[str, dict[str, int]] = {}
    for owner, rating, n in db.execute(_LEADS_BY_OWNER.format(span=l_span), [start, end]):
        if owner:
            leads.setdefault(owner, {})[rating] = n
    waits: dict[str, list[float]] = {}
    for owner, seconds in db.execute(
        "SELECT k.owner_id, (julianday(k.received_at) - julianday(k.at)) * 86400.0"
        f" FROM checkins k WHERE k.status = 'received' AND k.received_at IS NOT NULL AND {k_span}",
        [start, end],
    ).fetchall():
        if owner and seconds is not None:
            waits.setdefault(owner, []).append(max(0.0, round(seconds)))

    invitations = _invitations(db)
    people = []
    for sp in load_salespeople(db).values():
        if sp.role == "reception":
            continue
        people.append(
            PersonDay(
                salesperson_id=sp.id,
                name=sp.name,
                away=sp.away,
                invited_arrived=invited.get(sp.id, 0),
                own_checked_in=own.get(sp.id, 0),
                leads={r: leads.get(sp.id, {}).get(r, 0) for r in ("hot", "warm", "cold")},
                waiting=waiting.get(sp.id, 0),
                received=received.get(sp.id, 0),
                median_wait=_median(waits.get(sp.id, [])),
                invitations_sent=invitations.get(sp.id, (0, 0))[0],
                invitations_visited=invitations.get(sp.id, (0, 0))[1],
                walk_ins=walk_ins.get(sp.id, 0),
            )
        )

    hours = [0] * 24
    for (at,) in db.execute(f"SELECT k.at FROM checkins k WHERE {k_span}", [start, end]):
        dt = parse_ts(at)
        if dt is not None:
            hours[dt.astimezone(zone).hour] += 1

    def count(sql: str, params: Sequence[str] = ()) -> int:
        return int(db.execute(sql, list(params)).fetchone()[0])

    return Dashboard(
        day=the_day,
        people=tuple(people),
        arrivals_per_hour=tuple(hours),
        checkins=count(f"SELECT count(*) FROM checkins k WHERE {k_span}", [start, end]),
        waiting=count(
            f"SELECT count(*) FROM checkins k WHERE {WAITING} AND {k_span}", [start, end]
        ),
        leads=count(
            f"SELECT count(DISTINCT l.contact_id) FROM leads l WHERE {l_span}", [start, end]
        ),
        open_proposals=open_items(db),
        visitors=count(
            f"SELECT count(DISTINCT k.contact_id) FROM checkins k WHERE {k_span}", [start, end]
        ),
    )


def open_items(db: sqlite_utils.Database) -> int:
    """The items waiting for the manager, each once: the manager header's "open proposals",
    the length of `kiosk proposals` and the total of the report's "Disputes open" (whose
    per-person column counts an item in the row of each of its two sides)."""
    return int(db.execute("SELECT count(*) FROM proposals WHERE status = 'open'").fetchone()[0])


def invitation_stats(db: sqlite_utils.Database) -> dict[str, tuple[int, int]]:
    """Per salesperson: (customers invited, invited customers who checked in).

    Both count distinct customers, so inviting someone twice or a visitor checking in on two
    days counts once. A visit counts for whoever the check-in credited (`invited_by`: a
    scanned invitation, or the customer's latest recorded invitation).
    """
    stats: dict[str, list[int]] = {}
    for sp, n in db.execute(
        "SELECT salesperson_id, count(DISTINCT contact_id) FROM invitations GROUP BY salesperson_id"
    ):
        stats.setdefault(sp, [0, 0])[0] = n
    for sp, n in db.execute(
        "SELECT invited_by, count(DISTINCT contact_id) FROM checkins"
        " WHERE invited_by IS NOT NULL AND invited_by <> '' GROUP BY invited_by"
    ):
        stats.setdefault(sp, [0, 0])[1] = n
    return {sp: (v[0], v[1]) for sp, v in sorted(stats.items())}
