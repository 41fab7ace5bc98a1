"""The arrangements the manager made: the one standing for a customer, in words, and per person.

Read from the `arrangements` table (`kiosk.events.disputes` writes it): the card and
`kiosk lookup --json` show the standing arrangement, a salesperson's staff screen lists
the decisions about them, and the report counts each item once by its latest outcome. A
decision the manager undid is in `undone_decisions` instead (`kiosk.events.undo`): only the
history reads it (`arrangements(…, include_undone=True)`), as "decided … then undone by …".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import Any

import sqlite_utils

from kiosk.models import Salesperson
from kiosk.routing.arrangement import OUTCOMES, decided_text, short_date
from kiosk.routing.rules import name_of
from kiosk.store import DECISIONS_NEWEST_FIRST, iso, parse_ts

_COLUMNS = (
    "id, proposal_id, kind, contact_id, outcome, side_a, side_b, owner_id, assistant_id, split,"
    " customer_chose, defer_until, review_at, review_status, decided_at, decided_by, note"
)


@dataclass(frozen=True)
class Arrangement:
    """One decision of the manager on one item (a deferral too)."""

    id: str
    proposal_id: str
    kind: str
    contact_id: str | None
    outcome: str
    side_a: str | None  # the owner when it was decided
    side_b: str | None  # the other side: the person the item proposed
    owner_id: str | None
    assistant_id: str | None
    split: float | None
    customer_chose: str | None
    defer_until: date | None
    review_at: date | None
    review_status: str
    decided_at: datetime
    decided_by: str
    note: str
    undone_at: datetime | None = None  # when the manager undid it (`undone_decisions`)
    undone_by: str = ""
    undo_reason: str = ""

    @property
    def sides(self) -> tuple[str, ...]:
        return tuple(s for s in (self.side_a, self.side_b) if s)

    @property
    def concerned(self) -> tuple[str, ...]:
        """Everyone the decision is about: both sides, the owner and the assistant."""
        return tuple(
            dict.fromkeys(
                s for s in (self.side_a, self.side_b, self.owner_id, self.assistant_id) if s
            )
        )


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _arrangement(row: tuple[Any, ...]) -> Arrangement:
    r = list(row)
    return Arrangement(
        id=r[0], proposal_id=r[1], kind=r[2], contact_id=r[3], outcome=r[4], side_a=r[5],
        side_b=r[6], owner_id=r[7], assistant_id=r[8], split=r[9], customer_chose=r[10],
        defer_until=_day(r[11]), review_at=_day(r[12]), review_status=r[13],
        decided_at=parse_ts(r[14]) or datetime.min, decided_by=r[15] or "", note=r[16] or "",
        undone_at=parse_ts(r[17]) if len(r) > 17 else None,
        undone_by=(r[18] or "") if len(r) > 17 else "",
        undo_reason=(r[19] or "") if len(r) > 17 else "",
    )  # fmt: skip


_ORDER = DECISIONS_NEWEST_FIRST


def standing(db: sqlite_utils.Database, contact_id: str | None) -> Arrangement | None:
    """The arrangement in force for a customer: the manager's latest settlement (not a
    deferral), or None when the manager never settled anything about them."""
    if not contact_id:
        return None
    row = db.execute(
        f"SELECT {_COLUMNS} FROM arrangements WHERE contact_id = ? AND outcome <> 'deferred'"
        f" {_ORDER} LIMIT 1",
        [contact_id],
    ).fetchone()
    return _arrangement(row) if row else None


def arrangements(
    db: sqlite_utils.Database, *, proposal_id: str | None = None, person: str | None = None,
    limit: int = 200, include_undone: bool = False,
) -> list[Arrangement]:  # fmt: skip
    """Decisions, newest first: on one item, or concerning one person (a side, the owner
    or the assistant), or all of them; with `include_undone`, the ones the manager undid
    too (the history), each with who undid it and when."""
    where, params = [], []
    if proposal_id is not None:
        where.append("proposal_id = ?")
        params.append(proposal_id)
    if person is not None:
        where.append("? IN (side_a, side_b, owner_id, assistant_id)")
        params.append(person)
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    if include_undone:
        rows = db.execute(
            f"SELECT * FROM (SELECT {_COLUMNS}, NULL, '', '' FROM arrangements {clause}"
            f" UNION ALL SELECT {_COLUMNS}, undone_at, undone_by, undo_reason"
            f" FROM undone_decisions {clause}) {_ORDER} LIMIT ?",
            [*params, *params, limit],
        ).fetchall()
    else:
        rows = db.execute(
            f"SELECT {_COLUMNS} FROM arrangements {clause} {_ORDER} LIMIT ?", [*params, limit]
        ).fetchall()
    return [_arrangement(r) for r in rows]


def undone_text(a: Arrangement, people: Mapping[str, Salesperson], *, at: datetime) -> str:
    """What became of an undone decision, in English: "then undone by Helen at 11:30 on
    2 Dec (wrong person)". `at` is when, in the show's zone."""
    day = short_date(at.date(), year_of=a.decided_at.date())
    text = f"then undone by {name_of(people, a.undone_by or None)} at {at:%H:%M} on {day}"
    return text + (f" ({a.undo_reason})" if a.undo_reason else "")


def describe(
    a: Arrangement, people: Mapping[str, Salesperson], *, decided_on: date,
    zone: tzinfo | None = None,
) -> str:  # fmt: skip
    """The arrangement in one English line for the CLI and the JSON, e.g. "decided by Helen
    on 2 Dec: Kenji owns, Mateo assists at 30%; review 2 Mar" (the TUI words it in its
    own language from the same fields). `decided_on` is the decision's day in the show's zone;
    an undone decision says when it was undone in `zone` (else the zone it was stamped in)."""
    if a.outcome == "deferred":
        on = short_date(decided_on, year_of=decided_on)
        until = short_date(a.defer_until, year_of=decided_on) if a.defer_until else "?"
        return f"deferred by {name_of(people, a.decided_by or None)} on {on} until {until}"
    text = decided_text(
        people, by=a.decided_by or None, decided_on=decided_on, owner_id=a.owner_id,
        assistant_id=a.assistant_id, split=a.split, customer_chose=a.customer_chose,
        review_at=a.review_at if a.undone_at is None else None,  # undone: no review comes
    )  # fmt: skip
    if a.undone_at is not None:
        at = a.undone_at.astimezone(zone or a.undone_at.tzinfo)
        text += " — " + undone_text(a, people, at=at)
    return text


def arrangement_dict(
    a: Arrangement, people: Mapping[str, Salesperson], *, decided_on: date,
    zone: tzinfo | None = None,
) -> dict[str, Any]:  # fmt: skip
    """The arrangement as `--json` shows it (key `arrangement` of `kiosk lookup --json`)."""
    return {
        "id": a.id,
        "proposal_id": a.proposal_id,
        "outcome": a.outcome,
        "owner_id": a.owner_id,
        "assistant_id": a.assistant_id,
        "split": a.split,
        "customer_chose": a.customer_chose,
        "sides": list(a.sides),
        "decided_by": a.decided_by,
        "decided_at": iso(a.decided_at),
        "defer_until": a.defer_until.isoformat() if a.defer_until else None,
        "review_at": a.review_at.isoformat() if a.review_at else None,
        "review_status": a.review_status,
        "note": a.note,
        "summary": describe(a, people, decided_on=decided_on, zone=zone),
    } | (
        {"undone_at": iso(a.undone_at), "undone_by": a.undone_by, "undo_reason": a.undo_reason}
        if a.undone_at is not None
        else {}
    )


@dataclass
class Tally:
    """One salesperson's disputes by outcome (each item once, by its latest decision).

    `won`/`lost`: the manager kept or gave the customer, to them or away from them;
    `shared`, `customer` (the customer chose) and `deferred` count the item for both
    sides. `assists` are the items that left them assistant, with each split.
    """

    won: int = 0
    lost: int = 0
    shared: int = 0
    customer: int = 0
    deferred: int = 0
    splits: list[float] = field(default_factory=list)

    @property
    def assists(self) -> int:
        return len(self.splits)

    @property
    def decided(self) -> int:
        return self.won + self.lost + self.shared + self.customer + self.deferred


def latest_per_item(db: sqlite_utils.Database) -> list[Arrangement]:
    """Each decided or deferred item once, by its latest decision."""
    seen: set[str] = set()
    out = []
    for a in arrangements(db, limit=-1):
        if a.proposal_id not in seen:
            seen.add(a.proposal_id)
            out.append(a)
    return out


def tallies(db: sqlite_utils.Database) -> tuple[dict[str, Tally], dict[str, int]]:
    """Per salesperson, their disputes by outcome; and the items per outcome type (kept,
    given, shared, customer, deferred — they do not overlap)."""
    people: dict[str, Tally] = {}
    totals: dict[str, int] = dict.fromkeys(OUTCOMES, 0)
    still_open = {r[0] for r in db.execute("SELECT id FROM proposals WHERE status = 'open'")}
    for a in latest_per_item(db):
        if a.outcome == "deferred" and a.proposal_id not in still_open:
            continue  # a decision on the same pair settled it meanwhile: counted there
        totals[a.outcome] = totals.get(a.outcome, 0) + 1
        concerned = a.sides
        if a.outcome == "given" and a.owner_id and a.owner_id not in concerned:
            # given to someone the item did not name (`decide --to`): they won it
            concerned = (*concerned, a.owner_id)
        for side in concerned:
            t = people.setdefault(side, Tally())
            if a.outcome in ("kept", "given"):
                if side == a.owner_id:
                    t.won += 1
                else:
                    t.lost += 1
            elif a.outcome == "shared":
                t.shared += 1
            elif a.outcome == "customer":
                t.customer += 1
            else:
                t.deferred += 1
        if a.outcome in ("shared", "customer") and a.assistant_id:  # named by the decision
            people.setdefault(a.assistant_id, Tally()).splits.append(a.split or 0.0)
    return people, totals


def standing_dict(
    db: sqlite_utils.Database, contact_id: str | None, people: Mapping[str, Salesperson],
    *, zone: Any,
) -> dict[str, Any] | None:  # fmt: skip
    """The standing arrangement of a customer as JSON (None when there is none): the
    `arrangement` key of `kiosk lookup --json`, for each match and for the visit."""
    a = standing(db, contact_id)
    if a is None:
        return None
    return arrangement_dict(a, people, decided_on=a.decided_at.astimezone(zone).date())
