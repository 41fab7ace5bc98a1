"""Both sides of an item, as the manager weighs them: the workbench's evidence and its queue.

For each open dispute or proposal the two salespeople are the owner now (`current_id`) and
the person the item proposes (`proposed_id`; a lapse with nobody to propose has one side).
Per side: did they file the customer and when, did they first contact them, did they invite
them to this show and did the customer come on that invitation, did they bring or receive
them at the booth, their last contact and last deal, whether the customer asked for them,
and their own statement ("my case"). Typed values, not sentences: the TUI and the CLI
word them.

Where the data says less than the question: the CRM keeps one last-contact and one
last-deal date per customer, which belong to the CRM owner; the other side's last contact
is what the booth saw of them (a visit they received or brought, a lead they filed). A
visitor the booth filed was filed and first contacted by whoever brought their first lead,
not by the salesperson it was routed to (`booth.lead_filer`); the customer's other dates
are the routed owner's. Each side's own earliest lead, and the kiosk that filed it, is kept too: the
second of two kiosks' claims filed no customer (the first claim did), but it is the very
claim the manager decides on, and when and where it was made is its evidence.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

import sqlite_utils

from kiosk import installs
from kiosk.booth import lead_filer
from kiosk.clock import before_show, booth_opens, local_day, show_zone
from kiosk.config import ShowConfig
from kiosk.disputes.standing import Arrangement, standing
from kiosk.events.disputes import CRM_SETTLED, OUTDATED
from kiosk.show import show_config
from kiosk.store import parse_ts


@dataclass(frozen=True)
class Side:
    """One salesperson's evidence on one item (None: not this person)."""

    salesperson_id: str
    holds: str  # 'owner', 'assistant' or '' — what they hold of the customer now
    filed_at: datetime | None = None  # they filed the customer (CRM, or the first lead)
    first_contact_at: datetime | None = None  # they were the first to contact them
    invited_at: datetime | None = None  # their latest invitation to this show
    came_on_invitation: bool = False  # a visit was credited to their invitation
    at_booth: datetime | None = None  # latest time they brought or received them here
    last_contact_at: datetime | None = None
    last_deal_at: datetime | None = None
    preferred: bool = False  # the customer asked for them
    case: str = ""  # their own statement
    case_at: datetime | None = None
    # their own earliest lead on this customer and the kiosk that filed it: a claim. The
    # second of two kiosks' claims has no filing to show, and this is when and where it was
    lead_at: datetime | None = None
    lead_kiosk: str = ""


@dataclass(frozen=True)
class ClockDoubt:
    """A kiosk whose stamp on this customer no honest clock gives: a lead or a scan before
    the show's set-up (`kiosk.clock.booth_opens`), or dated after the manager's today. Such a
    time decides "earliest claim" (rule 6) and a lapse count all the same, so the manager
    is told before trusting it."""

    kiosk_id: str
    at: datetime  # the kiosk's earliest such stamp on this customer
    behind: timedelta | None  # how far before the set-up; None: it is in the future

    def summary(self) -> dict[str, object]:
        return {"kiosk": self.kiosk_id, "at": self.at.isoformat(),
                "before_show_seconds": int(self.behind.total_seconds()) if self.behind else None,
                "ahead": self.behind is None}  # fmt: skip


@dataclass(frozen=True)
class Item:
    """One open (or decided) item of the manager's queue with both sides' evidence."""

    proposal_id: str
    key: str
    kind: str
    status: str
    outcome: str | None
    contact_id: str | None
    contact_name: str
    company: str
    current_id: str | None
    proposed_id: str | None
    split: float | None
    reason: str
    created_at: datetime | None
    deferred_until: date | None
    returned: bool  # deferred, and its day has come: back at the top of the queue
    sides: tuple[Side, ...]
    preferred_id: str | None
    standing: Arrangement | None
    decided_at: datetime | None = None
    decision_note: str = ""
    owner_now: str | None = None  # who owns the customer now (the item may be out of date)
    # the facts the item was raised on (the proposal's stored evidence): `reason` is their
    # English record, and a front-end words them in its own language from these
    facts: Mapping[str, Any] = field(default_factory=dict)
    # Kiosks whose clock looked wrong when they stamped this customer's leads or scans.
    clock_doubts: tuple[ClockDoubt, ...] = ()
    # Kiosk ids on this customer's leads or scans that two laptops use (`kiosk.installs`).
    shared_kiosks: tuple[str, ...] = ()

    @property
    def outdated(self) -> bool:
        """Closed by a later decision that left the customer with another owner than the
        one it asked about (`events.disputes.close_outdated`): nothing to decide."""
        return self.outcome == OUTDATED

    @property
    def crm_settled(self) -> bool:
        """Out of date because a CRM import gives the customer to someone else than the
        owner it asked about (`events.disputes.settled_by_crm`): nothing to decide."""
        return self.outdated and self.decision_note.startswith(CRM_SETTLED)

    @property
    def deferred(self) -> bool:
        """Deferred to a day still to come (it waits at the bottom of the queue)."""
        return self.deferred_until is not None and not self.returned

    def side(self, salesperson_id: str | None) -> Side | None:
        return next((s for s in self.sides if s.salesperson_id == salesperson_id), None)


_ITEM = (
    "SELECT p.id, p.item_key, p.kind, p.status, p.outcome, p.contact_id, c.name, c.company,"
    " p.current_id, p.proposed_id, p.split, p.reason, p.created_at, p.deferred_until,"
    " p.decided_at, p.decision_note, c.owner_id, p.evidence"
    " FROM proposals p LEFT JOIN contacts c ON c.id = p.contact_id"
)


def _max(*values: datetime | None) -> datetime | None:
    present = [v for v in values if v is not None]
    return max(present) if present else None


def _customer(db: sqlite_utils.Database, contact_id: str | None) -> dict[str, Any]:
    if not contact_id:
        return {}
    cur = db.execute(
        "SELECT owner_id, assistant_id, crm_owner_id, source, filed_at, first_contact_by,"
        " first_contact_at, last_contact_at, last_deal_at, preferred_id,"
        " (SELECT l.owner_id FROM leads l WHERE l.contact_id = c.id"
        "  ORDER BY julianday(l.at), l.at, l.id"
        "  LIMIT 1) AS first_lead_owner FROM contacts c WHERE id = ?",
        [contact_id],
    )
    row = cur.fetchone()
    if row is None:
        return {}
    c = dict(zip([d[0] for d in cur.description], row, strict=True))
    # The CRM's dates (filing, last contact, last deal) are its owner's, and a visitor the
    # booth filed has them from the salesperson their first lead was routed to ('holder');
    # but the booth's visitor was filed by whoever brought that lead (`booth.lead_filer`).
    c["holder"] = c["crm_owner_id"] if c["source"] == "crm" else c["first_lead_owner"]
    c["filer"] = lead_filer(db, contact_id, c["source"]) or c["holder"]
    return c


def _side(db: sqlite_utils.Database, sp: str, c: dict[str, Any], contact_id: str | None) -> Side:
    holder, filer = c.get("holder"), c.get("filer")
    # A visitor the booth filed was first met by whoever filed their first lead (who brought
    # it): that lead's time is the filing and the first contact alike, and the salesperson it
    # was routed to had not met them (the contact's `first_contact_by` is the routed owner).
    booth_filed = c.get("source") == "booth" and c.get("filed_at")
    first_by = (filer if booth_filed else None) or c.get("first_contact_by") or holder
    holds = (
        "owner" if c.get("owner_id") == sp else "assistant" if c.get("assistant_id") == sp else ""
    )
    invited = came = booth = lead = None
    if contact_id:
        invited = db.execute(
            "SELECT max(issued_at) FROM invitations WHERE contact_id = ? AND salesperson_id = ?",
            [contact_id, sp],
        ).fetchone()[0]
        came = db.execute(
            "SELECT at FROM checkins WHERE contact_id = ? AND invited_by = ?"
            " ORDER BY julianday(at) DESC LIMIT 1",
            [contact_id, sp],
        ).fetchone()
        booth = db.execute(
            "SELECT max(t) FROM (SELECT coalesce(received_at, at) AS t FROM checkins"
            " WHERE contact_id = ?1 AND (received_by = ?2 OR brought_by = ?2)"
            " UNION ALL SELECT at FROM leads WHERE contact_id = ?1 AND brought_by = ?2)",
            [contact_id, sp],
        ).fetchone()[0]
        # who filed a lead is whoever brought it, else the salesperson it was routed to
        # (`booth.LEAD_FILER_SQL`)
        lead = db.execute(
            "SELECT at, kiosk_id FROM leads WHERE contact_id = ?"
            " AND coalesce(brought_by, owner_id) = ? ORDER BY julianday(at), at, id LIMIT 1",
            [contact_id, sp],
        ).fetchone()
    at_booth = parse_ts(booth)
    crm_contact = parse_ts(c.get("last_contact_at")) if holder == sp else None
    # a visit their invitation brought is their contact, as rule 3 counts it for an owner
    # (`booth.invited_visit`): "last contact" beside "came on it" is not the CRM's old date
    came_at = parse_ts(came[0]) if came is not None else None
    return Side(
        salesperson_id=sp,
        holds=holds,
        filed_at=parse_ts(c.get("filed_at")) if filer == sp else None,
        first_contact_at=parse_ts(c.get("first_contact_at") or c.get("filed_at"))
        if first_by == sp
        else None,
        invited_at=parse_ts(invited),
        came_on_invitation=came is not None,
        at_booth=at_booth,
        last_contact_at=_max(crm_contact, at_booth, came_at),
        last_deal_at=parse_ts(c.get("last_deal_at")) if holder == sp else None,
        preferred=c.get("preferred_id") == sp,
        lead_at=parse_ts(lead[0]) if lead else None,
        lead_kiosk=(lead[1] or "") if lead else "",
    )


def _with_cases(db: sqlite_utils.Database, proposal_id: str, sides: Iterable[Side]) -> list[Side]:
    """Each side with their latest statement on this item."""
    out = []
    for s in sides:
        row = db.execute(
            "SELECT text, at FROM dispute_notes WHERE proposal_id = ? AND salesperson_id = ?"
            " ORDER BY julianday(at) DESC, at DESC, id DESC LIMIT 1",
            [proposal_id, s.salesperson_id],
        ).fetchone()
        if row:
            s = replace(s, case=row[0], case_at=parse_ts(row[1]))
        out.append(s)
    return out


def _facts(text: str | None) -> dict[str, Any]:
    try:
        facts = json.loads(text or "{}")
    except ValueError:
        return {}
    return facts if isinstance(facts, dict) else {}


# Per kiosk, its earliest and latest stamp on one customer's booth facts (leads, scans).
_STAMPS = (
    "SELECT kiosk_id, min(at), max(at) FROM (SELECT kiosk_id, at FROM leads WHERE contact_id = ?"
    " UNION ALL SELECT kiosk_id, at FROM checkins WHERE contact_id = ?) GROUP BY kiosk_id"
)


@dataclass(frozen=True)
class _Calendar:
    """What a doubtful stamp is measured against: the booth's opening and the manager's day."""

    opens: datetime | None
    today: date
    zone: Any
    twins: frozenset[str] = frozenset()  # kiosk ids two laptops write under (kiosk.installs)


def _calendar(db: sqlite_utils.Database, today: date, show: ShowConfig | None) -> _Calendar:
    """`show`'s dates (the caller's configuration in force), else the show stored in `db`."""
    show = show if show is not None else show_config(db)
    zone = show_zone(show.timezone)
    twins = frozenset(r[0] for r in db.execute(installs.SHARED_IDS_SQL))
    return _Calendar(booth_opens(show.start, zone), today, zone, twins)


def shared_kiosks(
    db: sqlite_utils.Database, contact_id: str | None, cal: _Calendar
) -> tuple[str, ...]:
    """The kiosk ids on this customer's leads and scans that two laptops write under: "filed
    at kiosk-1" could then be either laptop, so the manager is told."""
    if not contact_id or not cal.twins:
        return ()
    ids = {r[0] for r in db.execute(_STAMPS, [contact_id, contact_id])}
    return tuple(sorted(ids & cal.twins))


def clock_doubts(
    db: sqlite_utils.Database, contact_id: str | None, cal: _Calendar
) -> tuple[ClockDoubt, ...]:
    """The kiosks whose stamps on this customer's leads and scans look like a wrong clock."""
    if not contact_id:
        return ()
    out = []
    for kiosk_id, first, last in db.execute(_STAMPS, [contact_id, contact_id]):
        early, late = parse_ts(first), parse_ts(last)
        if early is not None and (gap := before_show(early, cal.opens)) is not None:
            out.append(ClockDoubt(kiosk_id, early, gap))
        elif late is not None and local_day(late, cal.zone) > cal.today + timedelta(days=1):
            out.append(ClockDoubt(kiosk_id, late, None))
    return tuple(out)


def _item(
    db: sqlite_utils.Database,
    r: tuple[Any, ...],
    today: date,
    evidence: bool = True,
    cal: _Calendar | None = None,
) -> Item:
    pid, contact_id, current, proposed = r[0], r[5], r[8], r[9]
    cal = cal or _calendar(db, today, None)
    c = _customer(db, contact_id) if evidence else {}
    people = [p for p in dict.fromkeys((current, proposed)) if p] if evidence else []
    sides = _with_cases(db, pid, (_side(db, sp, c, contact_id) for sp in people))
    until = date.fromisoformat(r[13]) if r[13] else None
    return Item(
        proposal_id=pid, key=r[1] or "", kind=r[2], status=r[3], outcome=r[4],
        contact_id=contact_id, contact_name=r[6] or "", company=r[7] or "", current_id=current,
        proposed_id=proposed, split=r[10], reason=r[11] or "", created_at=parse_ts(r[12]),
        deferred_until=until, returned=until is not None and until <= today,
        sides=tuple(sides), preferred_id=c.get("preferred_id"),
        standing=standing(db, contact_id) if evidence else None,
        decided_at=parse_ts(r[14]), decision_note=r[15] or "", owner_now=r[16],
        facts=_facts(r[17]),
        clock_doubts=clock_doubts(db, contact_id, cal) if evidence else (),
        shared_kiosks=shared_kiosks(db, contact_id, cal) if evidence else (),
    )  # fmt: skip


def item(
    db: sqlite_utils.Database, proposal_id: str, *, today: date, show: ShowConfig | None = None
) -> Item | None:
    """One item of the queue (open or decided) with both sides' evidence; `show` (default:
    the one stored in `db`) dates the set-up a stamp is doubted against (`clock_doubts`)."""
    row = db.execute(f"{_ITEM} WHERE p.id = ?", [proposal_id]).fetchone()
    return _item(db, row, today, cal=_calendar(db, today, show)) if row else None


# What the manager's queue holds (`queue`), and so what every count of open items counts
# (`open_by_person`: the report's "Disputes open"): each open item whatever its kind — two
# kiosks' claims (a dispute), a lapse or another reassignment, an assistant, the customer's
# preference, a review, a decision taken twice — deferred ones too (they wait at the
# bottom). An item is a person's when they are one of its sides.
OPEN_ITEM = "p.status = 'open'"
SIDE_OF = "? IN (p.current_id, p.proposed_id)"


def open_by_person(db: sqlite_utils.Database) -> dict[str, int]:
    """How many items of the manager's queue each salesperson is a side of: for each, the
    length of `queue(person=…)`, in one query."""
    counts: dict[str, int] = {}
    for sides in db.execute(
        f"SELECT p.current_id, p.proposed_id FROM proposals p WHERE {OPEN_ITEM}"
    ):
        for sid in set(sides) - {None}:
            counts[sid] = counts.get(sid, 0) + 1
    return counts


def _order(i: Item) -> tuple[int, int, str]:
    if i.returned:
        return (0, 0, i.deferred_until.isoformat() if i.deferred_until else "")
    if i.deferred:
        return (2, 0, i.deferred_until.isoformat() if i.deferred_until else "")
    return (1, 0 if i.kind == "dispute" else 1, "")


def queue(
    db: sqlite_utils.Database, *, today: date, include_decided: bool = False,
    person: str | None = None, evidence: bool = True, show: ShowConfig | None = None,
) -> list[Item]:  # fmt: skip
    """The manager's queue: items back from a deferral first (their day has come), then
    disputes, then the other proposals, oldest first; items deferred to a later day last.
    `person` keeps the items where that salesperson is a side (their staff screen).
    `evidence=False` leaves out the sides and the standing arrangement (a list of 500 items
    costs ~120 ms with them, which the manager's table does not show; `item` reads them)."""
    where = [] if include_decided else [OPEN_ITEM]
    params: list[Any] = []
    if person is not None:
        where.append(SIDE_OF)
        params.append(person)
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    rows = db.execute(
        f"{_ITEM}{clause} ORDER BY julianday(p.created_at), p.created_at, p.id", params
    ).fetchall()
    cal = _calendar(db, today, show) if evidence else None
    items = [_item(db, r, today, evidence, cal) for r in rows]
    return sorted(items, key=_order)  # stable: oldest first within each group
