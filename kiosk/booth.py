"""What people do at the booth, as plain functions over the database.

Each action reads what it needs, asks the routing engine for a decision, and writes one or
more events through `kiosk.events.record` — so the CLI, the TUI and the tests share one
path, and every change lands in the log. Nothing here imports a UI.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

from kiosk import routing
from kiosk.clock import local_day, show_zone
from kiosk.config import ShowConfig
from kiosk.db import transaction
from kiosk.errors import KioskError
from kiosk.models import RATINGS, Contact, Decision, Proposal, Salesperson, TerritoryRule
from kiosk.routing.arrangement import decided_text, review_due
from kiosk.routing.rules import aware
from kiosk.safety import clean_optional, clean_text, clean_value
from kiosk.store import (
    DECISIONS_NEWEST_FIRST,
    find_salesperson,
    get_contact,
    load_rules,
    load_salespeople,
    parse_ts,
    rotation_counts,
)
from kiosk.text import normalize_email

if TYPE_CHECKING:  # the event log loads with the first event written (after the first frame)
    import sqlite_utils

    from kiosk import events as ev


class BoothError(KioskError, ValueError):
    """A booth action was refused; the message is shown to the person as is."""


@dataclass(frozen=True)
class CheckIn:
    event: ev.Event
    contact: Contact
    decision: Decision


@dataclass(frozen=True)
class LeadResult:
    event: ev.Event
    contact_id: str
    decision: Decision


def has_open_dispute(db: sqlite_utils.Database, contact_id: str | None) -> bool:
    if not contact_id:
        return False
    row = db.execute(
        "SELECT 1 FROM proposals WHERE contact_id = ? AND kind = 'dispute' AND status = 'open' LIMIT 1",
        [contact_id],
    ).fetchone()
    return row is not None


def invited_by(db: sqlite_utils.Database, contact_id: str | None) -> str | None:
    """The salesperson whose invitation this visitor holds, when invitations are recorded."""
    if not contact_id or "invitations" not in db.table_names():
        return None
    row = db.execute(
        "SELECT salesperson_id FROM invitations WHERE contact_id = ? ORDER BY issued_at DESC LIMIT 1",
        [contact_id],
    ).fetchone()
    return row[0] if row else None


def invited_visit(
    db: sqlite_utils.Database, visitor: Contact, inviter: str | None, *, now: datetime, here: bool
) -> datetime | None:
    """The latest visit an invitation of `visitor`'s owner brought: rule 3 counts it as the
    owner's contact (`routing.owner.lapse` says why).

    A visit is credited to the invitation its check-in row names (`checkins.invited_by`,
    what the report's "invites → visits" and the workbench's "came on it" count), so the
    answer comes from the log's own tables and a rebuild or a merge gives the same one.
    The visit under way (`here`: being checked in, or an invitation held up at the booth)
    counts too, at `now`, when it is credited to the owner's invitation (`inviter`)."""
    owner = visitor.owner_id
    if not visitor.id or not owner:
        return None
    row = db.execute(
        "SELECT at FROM checkins WHERE contact_id = ? AND invited_by = ?"
        " ORDER BY julianday(at) DESC LIMIT 1",
        [visitor.id, owner],
    ).fetchone()
    came = parse_ts(row[0]) if row else None
    if here and inviter == owner:
        came = aware(now) if came is None else max(came, aware(now))
    return came


# Who filed a visitor the booth filed: whoever brought them when their first lead was
# filed, else (reception filed it for nobody in particular) the salesperson it was routed
# to. The routed person owns the customer; the bringer is who found them, and a dispute's
# evidence and the card credit the filing to them. First in time: kiosks stamp in their
# own zone, and '…T17:30+08:00' sorts after '…T10:00+00:00' as text.
LEAD_FILER_SQL = (
    "SELECT coalesce(brought_by, owner_id) FROM leads WHERE contact_id = ?"
    " ORDER BY julianday(at), at, id LIMIT 1"
)


def lead_filer(db: sqlite_utils.Database, contact_id: str | None, source: str | None) -> str | None:
    """Who filed a visitor of `source` 'booth' (`LEAD_FILER_SQL`); None for a CRM customer
    (the CRM owner filed them) and for a visitor with no lead yet (a walk-in)."""
    if not contact_id or source != "booth":
        return None
    row = db.execute(LEAD_FILER_SQL, [contact_id]).fetchone()
    return row[0] if row else None


def decide_for(
    db: sqlite_utils.Database,
    config: ShowConfig,
    visitor: Contact,
    *,
    now: datetime,
    brought_by: str | None = None,
    invited: str | None = None,
    salespeople: dict[str, Salesperson] | None = None,
    rules: list[TerritoryRule] | None = None,
    counts: dict[tuple[int, str], int] | None = None,
    arriving: bool = False,
) -> Decision:
    """Gather the engine's inputs from the database and ask it who should receive `visitor`.

    Callers deciding for many candidates at once (a lookup's result list) pass the shared
    inputs — salespeople, rules, rotation counts — so they are read once, not per candidate.
    `invited` is the invitation the visitor holds up now (scanned), `arriving` says the
    decision is for the check-in being recorded (`invited_visit`).
    """
    people = salespeople if salespeople is not None else load_salespeople(db)
    inviter = invited if invited is not None else invited_by(db, visitor.id)
    here = arriving or invited is not None
    return routing.decide(
        visitor,
        salespeople=people,
        rules=rules if rules is not None else load_rules(db),
        config=config,
        now=now,
        brought_by=brought_by,
        invited_by=inviter,
        rotation_counts=counts if counts is not None else rotation_counts(db),
        open_dispute=has_open_dispute(db, visitor.id),
        settled=settlement(db, config, visitor, people, now=now),
        filed_by=lead_filer(db, visitor.id, visitor.source),
        invited_visit_at=invited_visit(db, visitor, inviter, now=now, here=here),
    )


_SETTLEMENT_SQL = (
    "SELECT owner_id, assistant_id, split, side_a, side_b, customer_chose, review_at,"
    " review_status, decided_at, decided_by FROM arrangements"
    f" WHERE contact_id = ? AND outcome <> 'deferred' {DECISIONS_NEWEST_FIRST} LIMIT 1"
)


def settlement(
    db: sqlite_utils.Database,
    config: ShowConfig,
    visitor: Contact,
    people: Mapping[str, Salesperson],
    *,
    now: datetime,
) -> routing.Settled | None:
    """The manager's decision in force for `visitor`, for the engine: their latest
    settlement (a deferral settles nothing) while it holds — the owner it left still owns
    them, and its review has not come with no deal since (then `raise_due_reviews` asks the
    manager again, and the engine may too)."""
    if not visitor.id or not visitor.owner_id:
        return None
    row = db.execute(_SETTLEMENT_SQL, [visitor.id]).fetchone()
    if row is None:
        return None
    owner, assistant, split, side_a, side_b, chose, review, status, decided_at, by = row
    decided = parse_ts(decided_at)
    if owner != visitor.owner_id or status == "raised" or decided is None:
        return None
    zone = show_zone(config.timezone)
    review_at = date.fromisoformat(review) if review else None
    if review_at is not None and review_due(
        review_at, local_day(now, zone), decided, visitor.last_deal_at
    ):
        return None
    text = decided_text(
        people, by=by or None, decided_on=local_day(decided, zone), owner_id=owner,
        assistant_id=assistant, split=split, customer_chose=chose, review_at=review_at,
    )  # fmt: skip
    concerned = frozenset(p for p in (side_a, side_b, owner, assistant) if p)
    return routing.Settled(concerned, text, side_a if side_a and side_a != owner else None)


def _proposal_dicts(proposals: Sequence[Proposal], decision: Decision) -> list[dict[str, Any]]:
    """A decision's proposals as stored in an event: each becomes one item for the manager."""
    return [
        {
            "kind": p.kind,
            "current_id": p.current_id,
            "proposed_id": p.proposed_id,
            "split": p.split,
            "reason": p.reason,
            "evidence": decision.evidence,
        }
        for p in proposals
    ]


def require_salesperson(db: sqlite_utils.Database, key: str | None) -> Salesperson | None:
    """Resolve `--by`-style input; raise BoothError naming the unknown person."""
    if not key:
        return None
    sp = find_salesperson(db, key)
    if sp is None:
        raise BoothError(f"unknown salesperson: {key}")
    return sp


def named_salesperson(db: sqlite_utils.Database, key: str) -> Salesperson:
    """The salesperson `key` names (id, e-mail or name): BoothError when it is empty or
    names nobody, so a blank `--by` or `kiosk away ""` is a one-line error."""
    sp = require_salesperson(db, key)
    if sp is None:
        raise BoothError("say which salesperson (an id, e-mail or name)")
    return sp


P = ParamSpec("P")
R = TypeVar("R")


def _serialized(
    action: Callable[Concatenate[sqlite_utils.Database, P], R],
) -> Callable[Concatenate[sqlite_utils.Database, P], R]:
    """Run a booth action in one write transaction, from its stamp to its record.

    `_stamp` reads the latest event to stamp the new one after it; stamped outside the
    write lock, another connection of this kiosk (the TUI's scan thread, a CLI command,
    another process on the file) could record an event in between, the new one then
    sorted before it, and `events.record` replayed the whole log inside the booth's
    transaction to keep the tables in order: during a million-row import, 2,400–8,900
    statements and up to a second, while every other booth write waited for it. Under the
    lock, nothing can land between the stamp and the record, and the decision is made on
    the state it is recorded on."""

    @functools.wraps(action)
    def run(db: sqlite_utils.Database, /, *args: P.args, **kwargs: P.kwargs) -> R:
        with transaction(db):
            return action(db, *args, **kwargs)

    return run


def _stamp(
    db: sqlite_utils.Database, config: ShowConfig, now: datetime, after: Sequence[str] = ()
) -> datetime:
    """This kiosk's time for a new event: never before what it has seen, and after the
    events it answers (`after`, by uuid) wherever they were stamped (see events.next_ts)."""
    # measured start-up cost: kiosk.events (~12 ms), first needed here
    from kiosk import events as ev

    return ev.next_ts(db, config.kiosk_id, now, after=after)


@_serialized
def _record(
    db: sqlite_utils.Database,
    config: ShowConfig,
    kind: ev.EventKind,
    payload: dict[str, Any],
    *,
    now: datetime,
    actor: str,
    after: Sequence[str] = (),
) -> ev.Event:
    """Stamp, record and apply one event of this kiosk: the end of most booth actions."""
    # measured start-up cost: kiosk.events (~12 ms), first needed here
    from kiosk import events as ev

    event = ev.new_event(
        kind, payload, kiosk_id=config.kiosk_id, actor=actor, ts=_stamp(db, config, now, after)
    )
    ev.record(db, event)
    return event


@_serialized
def check_in(
    db: sqlite_utils.Database,
    config: ShowConfig,
    contact_id: str,
    *,
    now: datetime,
    actor: str = "",
    brought_by: str | None = None,
    invited: str | None = None,
    raw: str = "",
) -> CheckIn:
    """Record that a known visitor arrived, with the decision shown to reception.

    `raw` is the badge as scanned, kept in the event (the show's badge layout is learnt
    from the scans: `kiosk.visits.layout`)."""
    contact = get_contact(db, contact_id)
    if contact is None:
        raise BoothError(f"no contact with id {contact_id}")
    by = require_salesperson(db, brought_by)
    raw = clean_text(raw, multiline=True)  # the scan as read, made inert
    when = _stamp(db, config, now)
    decision = decide_for(
        db, config, contact, brought_by=by.id if by else None, invited=invited, now=when,
        arriving=True,
    )  # fmt: skip
    # measured start-up cost: kiosk.events (~12 ms), first needed here
    from kiosk import events as ev

    event = ev.new_event(
        "checkin",
        {
            "contact_id": contact.id,
            "owner_id": decision.salesperson_id,
            "rule": decision.rule,
            "reason": decision.reason,
            "invited_by": invited if invited is not None else invited_by(db, contact.id),
            "brought_by": by.id if by else None,
            "proposals": _proposal_dicts(decision.proposals, decision),
            **({"raw": raw} if raw else {}),
        },
        kiosk_id=config.kiosk_id,
        actor=actor,
        ts=when,
    )
    ev.record(db, event)
    return CheckIn(event, contact, decision)


@dataclass(frozen=True)
class WalkIn:
    event: ev.Event
    contact_id: str
    decision: Decision


@_serialized
def walk_in(
    db: sqlite_utils.Database,
    config: ShowConfig,
    visitor: Contact,
    *,
    now: datetime,
    raw: str = "",
    badge: dict[str, Any] | None = None,
    actor: str = "",
) -> WalkIn:
    """An unknown visitor scanned at reception: an arrival today, routed by territory.

    The event keeps the raw scan and the parsed fields, so nothing a badge said is lost; the
    visitor becomes a booth contact (the same one again when the badge id or e-mail is seen
    at another kiosk) and the check-in counts for the routed salesperson, so rotation moves
    on. It is not a claim: the visitor is claimed (rule 6) only when staff file the lead.
    """
    if visitor.known:
        raise BoothError("a walk-in is a visitor not yet in the contact list")
    # A badge is text from outside: made inert before it is decided on and recorded.
    visitor = replace(
        visitor,
        name=clean_text(visitor.name), company=clean_text(visitor.company),
        title=clean_text(visitor.title), email=clean_text(visitor.email),
        phone=clean_text(visitor.phone), country=clean_optional(visitor.country),
        city=clean_text(visitor.city), language=clean_optional(visitor.language),
        badge_id=clean_optional(visitor.badge_id),
    )  # fmt: skip
    raw = clean_text(raw, multiline=True)
    badge = clean_value(dict(badge or {}))
    when = _stamp(db, config, now)
    decision = decide_for(db, config, visitor, now=when)
    # measured start-up cost: kiosk.events (~12 ms), first needed here
    from kiosk import events as ev

    event = ev.new_event(
        "walkin.arrived",
        {
            "contact": {
                "name": visitor.name,
                "company": visitor.company,
                "title": visitor.title,
                "email": visitor.email,
                "phone": visitor.phone,
                "country": visitor.country,
                "city": visitor.city,
                "language": visitor.language,
                "badge_id": visitor.badge_id,
            },
            "raw": raw,
            "badge": dict(badge or {}),
            "owner_id": decision.salesperson_id,
            "rule": decision.rule,
            "reason": decision.reason,
            "territory_rule_id": decision.territory_rule_id,
            "proposals": _proposal_dicts(decision.proposals, decision),
        },
        kiosk_id=config.kiosk_id,
        actor=actor,
        ts=when,
    )
    ev.record(db, event)
    row = db.execute("SELECT contact_id FROM checkins WHERE id = ?", [event.uuid]).fetchone()
    return WalkIn(event, row[0], decision)


@_serialized
def mark_received(
    db: sqlite_utils.Database,
    config: ShowConfig,
    checkin_id: str,
    *,
    by: str,
    now: datetime,
    actor: str = "",
) -> ev.Event:
    """The salesperson has met the visitor: the arrivals board stops showing them as waiting.

    If someone other than the owner receives a known customer, rule 2 applies: the owner
    stays primary and the receiver is proposed as assistant with a split, for the manager.
    """
    sp = named_salesperson(db, by)
    row = db.execute(
        "SELECT contact_id, owner_id, status FROM checkins WHERE id = ?", [checkin_id]
    ).fetchone()
    if row is None:
        raise BoothError(f"no check-in with id {checkin_id}")
    contact_id, called, status = row
    if status == "received":
        raise BoothError("this visitor was already received")
    when = _stamp(db, config, now, after=[checkin_id])
    proposals: list[dict[str, Any]] = []
    contact = get_contact(db, contact_id)
    if contact is not None and contact.owner_id and sp.id != contact.owner_id and sp.id != called:
        decision = decide_for(db, config, contact, brought_by=sp.id, now=when)
        proposals = _proposal_dicts(
            [p for p in decision.proposals if p.kind == "assistant"], decision
        )
    # measured start-up cost: kiosk.events (~12 ms), first needed here
    from kiosk import events as ev

    event = ev.new_event(
        "checkin.received",
        {"checkin_id": checkin_id, "by": sp.id, "proposals": proposals},
        kiosk_id=config.kiosk_id,
        actor=actor,
        ts=when,
    )
    ev.record(db, event)
    return event


@dataclass(frozen=True)
class LeadInput:
    """What the lead form (or `kiosk lead add`) collected about a new visitor.

    `contact_id` files the lead on a contact the kiosk already has (a walk-in completed
    into a lead, or `kiosk lead add --attach`); `distinct` says a visitor who shares an
    e-mail, phone or badge with a known contact is nevertheless another person (`--new`).
    """

    name: str
    company: str = ""
    email: str = ""
    phone: str = ""
    country: str | None = None
    city: str = ""
    title: str = ""
    language: str | None = None
    badge_id: str | None = None
    rating: str = "warm"
    products: tuple[str, ...] = ()
    notes: str = ""
    consent: bool = False
    brought_by: str | None = None
    contact_id: str | None = None
    distinct: bool = False


def _clean_lead(lead: LeadInput) -> LeadInput:
    """The lead's text made inert (`kiosk.safety.clean_text`): no control characters or
    bidi overrides from a form, a command line or a badge reach the log or a terminal."""
    one, maybe = clean_text, clean_optional
    return replace(
        lead,
        name=one(lead.name), company=one(lead.company), email=one(lead.email),
        phone=one(lead.phone), country=maybe(lead.country), city=one(lead.city),
        title=one(lead.title), language=maybe(lead.language), badge_id=maybe(lead.badge_id),
        rating=one(lead.rating), products=tuple(one(p) for p in lead.products),
        notes=one(lead.notes, multiline=True), brought_by=maybe(lead.brought_by),
        contact_id=maybe(lead.contact_id),
    )  # fmt: skip


def validate_lead(lead: LeadInput, config: ShowConfig) -> LeadInput:
    """Check and tidy a lead; raise BoothError with a message a person can act on."""
    lead = _clean_lead(lead)
    name = " ".join(lead.name.split())
    if not name:
        raise BoothError("a lead needs a name")
    email = lead.email.strip()
    if email and not normalize_email(email):
        raise BoothError(f"not a valid email address: {email}")
    if lead.rating not in RATINGS:
        raise BoothError(f"rating must be one of {', '.join(RATINGS)}")
    products = lead.products
    if config.products:
        # The show's spelling for one typed in another case ('led drivers'); the message
        # lists the show's products, which the person typing cannot see from the CLI.
        named = {p.casefold(): p for p in config.products}
        products = tuple(named.get(p.casefold(), p) for p in products)
        unknown = [p for p in products if p not in config.products]
        if unknown:
            raise BoothError(
                f"unknown product(s): {', '.join(unknown)}"
                f" (this show's products: {', '.join(config.products)})"
            )
    return replace(
        lead,
        products=products,
        name=name,
        email=email,
        company=" ".join(lead.company.split()),
        notes=lead.notes.strip() if lead.consent else "",
    )


@_serialized
def add_lead(
    db: sqlite_utils.Database,
    config: ShowConfig,
    lead: LeadInput,
    *,
    now: datetime,
    actor: str = "",
    check_in_too: bool = True,
    namesakes: Sequence[Contact] = (),
) -> LeadResult:
    """File a new visitor as a lead routed by territory, and (by default) check them in.

    Notes are kept only with the visitor's consent. If brought_by names a salesperson other
    than the routed owner, the engine's assistant/split proposal goes to the manager. A lead
    on a known contact (`lead.contact_id`) is decided like that contact's visit: its owner
    stands, and no second contact is made. `namesakes` are contacts with the visitor's name
    at their company whom the person filing said are someone else: each other owner's
    dispute goes to the manager (`routing.namesake_disputes`), in the event, so a replay
    raises the same items.
    """
    lead = validate_lead(lead, config)
    by = require_salesperson(db, lead.brought_by)
    when = _stamp(db, config, now)
    existing = get_contact(db, lead.contact_id) if lead.contact_id else None
    if lead.contact_id and existing is None:
        raise BoothError(f"no contact with id {lead.contact_id}")
    visitor = existing or Contact(
        id=None,
        name=lead.name,
        company=lead.company,
        email=lead.email,
        phone=lead.phone,
        country=lead.country,
        city=lead.city,
        title=lead.title,
        language=lead.language,
        badge_id=lead.badge_id,
    )
    decision = decide_for(db, config, visitor, brought_by=by.id if by else None, now=when)
    if namesakes:  # a new visitor, or a walk-in completed (`VisitService.file_lead`)
        decision = routing.namesake_disputes(decision, namesakes, salespeople=load_salespeople(db))
    payload = {
        "contact": {
            "name": lead.name,
            "company": lead.company,
            "title": lead.title,
            "email": lead.email,
            "phone": lead.phone,
            "country": lead.country,
            "city": lead.city,
            "language": lead.language,
            "badge_id": lead.badge_id,
        },
        "rating": lead.rating,
        "products": list(lead.products),
        "notes": lead.notes,
        "consent": lead.consent,
        "brought_by": by.id if by else None,
        "owner_id": decision.salesperson_id,
        "rule": decision.rule,
        "reason": decision.reason,
        "territory_rule_id": decision.territory_rule_id,
        "proposals": _proposal_dicts(decision.proposals, decision),
    }
    if existing is not None:
        payload["contact_id"] = existing.id
    if lead.distinct:
        payload["distinct"] = True
    # measured start-up cost: kiosk.events (~12 ms), first needed here
    from kiosk import events as ev

    event = ev.new_event("lead.created", payload, kiosk_id=config.kiosk_id, actor=actor, ts=when)
    with transaction(db):
        ev.record(db, event)
        row = db.execute("SELECT contact_id FROM leads WHERE id = ?", [event.uuid]).fetchone()
        contact_id = row[0]
        if check_in_too:
            checkin = ev.new_event(
                "checkin",
                {
                    "contact_id": contact_id,
                    "owner_id": decision.salesperson_id,
                    "rule": decision.rule,
                    "reason": decision.reason,
                    "brought_by": by.id if by else None,
                },
                kiosk_id=config.kiosk_id,
                actor=actor,
                # one microsecond later, so replay order (time, uuid) keeps cause before effect
                ts=when + timedelta(microseconds=1),
            )
            ev.record(db, checkin)
    return LeadResult(event, contact_id, decision)


def set_preference(
    db: sqlite_utils.Database,
    config: ShowConfig,
    contact_id: str,
    preferred: str,
    *,
    now: datetime,
    actor: str = "",
) -> ev.Event:
    """The customer asked for a specific salesperson: record it; the manager decides."""
    sp = named_salesperson(db, preferred)
    if get_contact(db, contact_id) is None:
        raise BoothError(f"no contact with id {contact_id}")
    return _record(
        db,
        config,
        "contact.preference",
        {"contact_id": contact_id, "preferred_id": sp.id},
        now=now,
        actor=actor,
    )


def decide_proposal(
    db: sqlite_utils.Database,
    config: ShowConfig,
    proposal_id: str,
    *,
    approve: bool,
    actor: str,
    now: datetime,
    note: str = "",
    assign_to: str | None = None,
) -> ev.Event:
    """The manager approves or rejects a proposal; the decision is itself an event.

    The event names the item by id and by its stable key (contact, kind, proposed person),
    so a decision taken on one kiosk finds the same item after a merge even when another
    kiosk raised it first. `assign_to` approves with someone else than proposed (required
    when nobody was proposed, e.g. a lapsed owner with no colleague on the territory).
    """
    row = db.execute(
        "SELECT status, item_key, proposed_id, kind FROM proposals WHERE id = ?", [proposal_id]
    ).fetchone()
    if row is None:
        raise BoothError(f"no proposal with id {proposal_id}")
    if row[0] != "open":
        raise BoothError(f"proposal {proposal_id} was already {row[0]}")
    target = require_salesperson(db, assign_to)
    if approve and row[3] != "assistant" and not (target or row[2]):
        raise BoothError(
            f"proposal {proposal_id} names nobody: say who gets the customer (--to SALESPERSON)"
        )
    payload: dict[str, Any] = {
        "proposal_id": proposal_id,
        "key": row[1],
        "approve": approve,
        "note": note,
    }
    if target is not None:
        payload["assign_to"] = target.id
    return _record(
        db,
        config,
        "proposal.decided",
        payload,
        now=now,
        actor=actor,
        after=[proposal_id.partition(":")[0]],
    )


def confirm_layout(
    db: sqlite_utils.Database,
    config: ShowConfig,
    fields: Sequence[str],
    *,
    now: datetime,
    actor: str,
    confidence: float | None = None,
    scans: int | None = None,
) -> ev.Event:
    """The manager confirms the show's badge layout (learnt from scans, or typed): an event,
    so it merges and syncs like every other booth fact, and replaces `[badges] fields`."""
    # measured start-up cost: kiosk.badges (~21 ms), first needed here
    from kiosk.badges import BADGE_FIELD_NAMES

    unknown = [f for f in fields if f not in BADGE_FIELD_NAMES]
    if not fields or unknown:
        raise BoothError(
            f"not a badge layout: {', '.join(fields) or '(empty)'}"
            f" (fields are {', '.join(BADGE_FIELD_NAMES)})"
        )
    return _record(
        db,
        config,
        "badges.layout",
        {"fields": list(fields), "confidence": confidence, "scans": scans},
        now=now,
        actor=actor,
    )


def set_away(
    db: sqlite_utils.Database,
    config: ShowConfig,
    salesperson: str,
    away: bool,
    *,
    now: datetime,
    actor: str = "",
) -> ev.Event:
    """Mark someone away (lunch, a meeting) so rotation skips them, or back."""
    sp = named_salesperson(db, salesperson)
    return _record(
        db,
        config,
        "salesperson.away",
        {"salesperson_id": sp.id, "away": away},
        now=now,
        actor=actor,
    )


def pin_failed(
    db: sqlite_utils.Database,
    config: ShowConfig,
    subject: str,
    *,
    failures: int,
    wait_seconds: float,
    locked: bool,
    purpose: str,
    now: datetime,
    actor: str = "",
) -> ev.Event:
    """A wrong PIN typed at the booth screen (`kiosk.pins`): the manager reads who was tried."""
    return _record(
        db, config, "pin.failed",
        {"subject": subject, "failures": failures, "wait_seconds": wait_seconds,
         "locked": locked, "purpose": purpose},
        now=now, actor=actor,
    )  # fmt: skip
