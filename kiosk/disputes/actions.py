"""What people do at the workbench, as events: state a case, decide, review a decision, and
undo one.

Each action checks what a person can fix (unknown people, a salesperson who is not a side,
a split above the cap, a decided item …) and raises `DisputeError` with one line; then it
records one event through `kiosk.events.record`, whose applier (`kiosk.events.disputes`)
changes the tables. Decisions carry both salespeople's ids (`sides`) and everyone they
concern (`notify`), so a notifier can address them from the event alone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

import sqlite_utils

from kiosk import events as ev
from kiosk.booth import named_salesperson, require_salesperson
from kiosk.clock import local_day, show_zone
from kiosk.config import ShowConfig
from kiosk.disputes.standing import describe, standing
from kiosk.errors import KioskError
from kiosk.events.disputes import CRM_SETTLED, OUTDATED, SETTLED_WITH
from kiosk.events.log import stamp_words
from kiosk.models import Salesperson
from kiosk.routing.arrangement import (
    Choice,
    ChoiceError,
    Holding,
    holding_words,
    review_date,
    review_due,
    settle,
    split_cap,
)
from kiosk.routing.rules import name_of
from kiosk.safety import clean_text
from kiosk.store import DECISIONS_NEWEST_FIRST, get_contact, load_salespeople

MAX_CASE = 2000  # characters in one side's statement


class DisputeError(KioskError, ValueError):
    """A workbench action was refused. The message is the CLI's English line; `code` and
    `facts` say the same as values (ids, times), so the TUI can word the refusal in its own
    language with names and the show's time ('' and {}: only the message says why)."""

    def __init__(self, message: str, code: str = "", **facts: Any) -> None:
        super().__init__(message)
        self.code = code
        self.facts = facts


def today_of(config: ShowConfig, now: datetime) -> date:
    """The show's calendar day at `now`: decisions, reviews and deferrals are by day."""
    return local_day(now, show_zone(config.timezone))


def _record(
    db: sqlite_utils.Database, config: ShowConfig, kind: ev.EventKind, payload: dict[str, Any],
    *, now: datetime, actor: str, after: str = "",
) -> ev.Event:  # fmt: skip
    ts = ev.next_ts(db, config.kiosk_id, now, after=[after] if after else ())
    event = ev.new_event(kind, payload, kiosk_id=config.kiosk_id, actor=actor, ts=ts)
    ev.record(db, event)
    return event


def _open_item(db: sqlite_utils.Database, proposal_id: str) -> dict[str, Any]:
    cur = db.execute(
        "SELECT id, item_key, kind, status, contact_id, current_id, proposed_id, split, outcome,"
        " decision_note, decided_at, decided_by FROM proposals WHERE id = ?",
        [proposal_id],
    )
    row = cur.fetchone()
    if row is None:
        raise DisputeError(f"no proposal with id {proposal_id} (see kiosk proposals)")
    item = dict(zip([d[0] for d in cur.description], row, strict=True))
    if item["outcome"] == OUTDATED:
        owner = db.execute(
            "SELECT owner_id FROM contacts WHERE id = ?", [item["contact_id"]]
        ).fetchone()
        by_crm = str(item["decision_note"] or "").startswith(CRM_SETTLED)
        raise DisputeError(
            f"proposal {proposal_id} is {item['decision_note']}: nothing to decide",
            "crm_settled" if by_crm else "outdated",
            owner=owner[0] if owner else None, at=item["decided_at"],
        )  # fmt: skip
    if item["status"] != "open":
        raise DisputeError(
            f"proposal {proposal_id} was already decided ({item['status']})", "decided",
            by=item["decided_by"], at=item["decided_at"],
        )  # fmt: skip
    return item


def _salesperson(db: sqlite_utils.Database, key: str, what: str) -> Salesperson:
    sp = named_salesperson(db, key)
    if sp.role != "sales":
        raise DisputeError(
            f"{sp.name} is not a salesperson and cannot be the {what}", "not_sales",
            who=sp.id, what=what,
        )  # fmt: skip
    return sp


def _manager(db: sqlite_utils.Database, key: str) -> Salesperson:
    sp = require_salesperson(db, key)
    if sp is None:
        raise DisputeError("say which manager decides (--by MANAGER)")
    if sp.role != "manager":
        raise DisputeError(f"{sp.name} is not a manager", "not_manager", who=sp.id)
    return sp


def add_case(
    db: sqlite_utils.Database, config: ShowConfig, proposal_id: str, *, by: str, text: str,
    now: datetime, actor: str = "",
) -> ev.Event:  # fmt: skip
    """One side states their case on an open item, before the manager decides."""
    item = _open_item(db, proposal_id)
    sp = named_salesperson(db, by)
    sides = [s for s in (item["current_id"], item["proposed_id"]) if s]
    if sp.id not in sides:
        people = load_salespeople(db)
        names = " and ".join(name_of(people, s) for s in sides) or "nobody"
        raise DisputeError(
            f"{sp.name} is not a side of {proposal_id}: only {names} can state a case"
        )
    text = clean_text(text, multiline=True).strip()
    if not text:
        raise DisputeError("a case needs some text (--text …)")
    if len(text) > MAX_CASE:
        raise DisputeError(f"a case is at most {MAX_CASE} characters, not {len(text)}")
    payload = {"proposal_id": item["id"], "key": item["item_key"], "by": sp.id, "text": text}
    return _record(
        db, config, "dispute.note", payload, now=now, actor=actor or sp.id,
        after=proposal_id.partition(":")[0],
    )  # fmt: skip


def shorthand(
    item: dict[str, Any], holding: Holding, approve: bool, assign_to: str | None
) -> Choice:
    """`--approve` (the proposal as proposed) or `--reject` (things as they are) as a Choice."""
    if not approve:
        return Choice(owner_id=holding.owner_id)
    if item["kind"] == "assistant":
        return Choice(
            owner_id=holding.owner_id or item["current_id"],
            assistant_id=assign_to or item["proposed_id"],
            split=item["split"],
        )
    target = assign_to or item["proposed_id"]
    if not target:
        raise DisputeError(
            f"proposal {item['id']} names nobody: say who gets the customer (--owner SALESPERSON)"
        )
    return Choice(owner_id=target, customer_chose=item["kind"] == "preference")


def decide(
    db: sqlite_utils.Database, config: ShowConfig, proposal_id: str, choice: Choice | None = None,
    *, actor: str, now: datetime, note: str = "", approve: bool | None = None,
    assign_to: str | None = None, review_after: int | None = None,
) -> ev.Event:  # fmt: skip
    """The manager settles an item: one `dispute.decided` event with the outcome.

    `choice` names people by id, e-mail or name; `approve` is the `--approve`/`--reject`
    shorthand instead of a choice. The review date is the decision's day plus the show's
    lapse days (or `review_after`).
    """
    manager = _manager(db, actor)
    item = _open_item(db, proposal_id)
    contact = get_contact(db, item["contact_id"]) if item["contact_id"] else None
    holding = (
        Holding(contact.owner_id, contact.assistant_id, contact.split)
        if contact is not None
        else Holding(item["current_id"])
    )
    if choice is None:
        if approve is None:
            raise DisputeError("say what the manager decided (--owner, --defer-until, --approve …)")
        choice = shorthand(item, holding, approve, assign_to)
    today = today_of(config, now)
    rejecting = approve is False  # things stay as they are, whoever holds the customer
    if choice.owner_id and not rejecting:
        choice = replace(choice, owner_id=_salesperson(db, choice.owner_id, "owner").id)
    if choice.assistant_id:
        choice = replace(choice, assistant_id=_salesperson(db, choice.assistant_id, "assistant").id)
        if choice.split is None:
            choice = replace(choice, split=min(config.suggested_split, split_cap(config.max_split)))
    if choice.defer_until is not None and review_after is not None:
        raise DisputeError("a deferral has no review: --review-after goes with a decision")
    try:
        if rejecting:
            outcome, after = "kept", holding
        else:
            outcome, after = settle(holding, choice, cap=config.max_split, today=today)
        review = (
            review_date(today, config.lapse_days, review_after) if outcome != "deferred" else None
        )
    except ChoiceError as exc:
        raise DisputeError(str(exc)) from None
    sides = [s for s in dict.fromkeys((item["current_id"], item["proposed_id"])) if s]
    payload: dict[str, Any] = {
        "proposal_id": item["id"],
        "key": item["item_key"],
        "contact_id": item["contact_id"],
        "outcome": outcome,
        "owner_id": after.owner_id,
        "assistant_id": after.assistant_id,
        "split": after.split if after.assistant_id else None,
        "customer_chose": after.owner_id if outcome == "customer" else None,
        "defer_until": choice.defer_until.isoformat() if choice.defer_until else None,
        "review_at": review.isoformat() if review else None,
        "note": clean_text(note, multiline=True).strip(),
        "sides": sides,
        "notify": [s for s in dict.fromkeys([*sides, after.owner_id, after.assistant_id]) if s],
    }
    return _record(
        db, config, "dispute.decided", payload, now=now, actor=manager.id,
        after=proposal_id.partition(":")[0],
    )  # fmt: skip


def raise_due_reviews(
    db: sqlite_utils.Database, config: ShowConfig, *, now: datetime
) -> list[ev.Event]:
    """Raise a lapse proposal for each standing decision whose review day has come with no
    deal since (the CRM's last deal date, after a re-import). Run when the queue is read, so
    an item is never kept or moved silently. Idempotent: a review is raised once."""
    today = today_of(config, now)
    due = db.execute(
        "SELECT id, contact_id FROM arrangements WHERE review_status = 'pending'"
        " AND review_at <= ? AND contact_id IS NOT NULL",
        [today.isoformat()],
    ).fetchall()
    raised = []
    people = load_salespeople(db) if due else {}
    for arrangement_id, contact_id in due:
        a = standing(db, contact_id)
        contact = get_contact(db, contact_id)
        if a is None or a.id != arrangement_id or contact is None or a.review_at is None:
            continue  # a later decision replaced it: that one has its own review
        if not review_due(a.review_at, today, a.decided_at, contact.last_deal_at):
            continue
        owner = contact.owner_id
        other = contact.assistant_id or next((s for s in a.sides if s != owner), None)
        decided_on = today_of(config, a.decided_at)
        deal = contact.last_deal_at.date().isoformat() if contact.last_deal_at else "none"
        reason = (
            f"Review of the decision ({describe(a, people, decided_on=decided_on)}): no deal since"
            f" (last deal {deal}); the manager decides again"
        )
        payload = {
            "arrangement_id": a.id,
            "contact_id": contact_id,
            "current_id": owner,
            "proposed_id": other,
            "reason": reason,
            "evidence": {
                "arrangement_id": a.id,
                "review_at": a.review_at.isoformat(),
                "decided_by": a.decided_by,
                "last_deal_at": contact.last_deal_at.isoformat() if contact.last_deal_at else "",
            },  # fmt: skip
            "notify": [s for s in dict.fromkeys((owner, other)) if s],
        }
        raised.append(_record(db, config, "dispute.review", payload, now=now, actor="kiosk"))
    return raised


MAX_REASON = 500  # characters in the reason an undo is recorded with


def _shown_time(ts: str, zone: Any) -> str:
    """A stored time in the show's zone, as `dispute history` shows it (the refusal said UTC
    where the history beside it said the show's time)."""
    try:
        at = datetime.fromisoformat(ts)
    except ValueError:
        return stamp_words(ts)
    if zone is None or at.tzinfo is None:
        return stamp_words(ts)
    return at.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def _undo_target(db: sqlite_utils.Database, proposal_id: str, zone: Any = None) -> dict[str, Any]:
    """The decision an undo of item `proposal_id` takes back: the item's latest settlement,
    as `arrangements` has it (with `held_before`); or DisputeError saying why there is none."""
    item = db.execute(
        "SELECT id, item_key, status, outcome, decision_note FROM proposals WHERE id = ?",
        [proposal_id],
    ).fetchone()
    if item is None:
        raise DisputeError(f"no proposal with id {proposal_id} (see kiosk proposals --all)")
    cur = db.execute(
        "SELECT id, proposal_id, contact_id, outcome, side_a, side_b, owner_id, assistant_id,"
        " split, decided_at, decided_by, held_before FROM arrangements"
        f" WHERE proposal_id = ? AND outcome <> 'deferred' {DECISIONS_NEWEST_FIRST} LIMIT 1",
        [proposal_id],
    )
    row = cur.fetchone()
    if row is not None:
        found = dict(zip([d[0] for d in cur.description], row, strict=True))
        return found | {"key": item[1]}
    _, _, status, outcome, note = item
    people = load_salespeople(db)
    undone = db.execute(
        "SELECT undone_by, undone_at FROM undone_decisions WHERE proposal_id = ?"
        " ORDER BY julianday(undone_at) DESC, undone_at DESC LIMIT 1",
        [proposal_id],
    ).fetchone()
    if status == "open" and undone is not None:
        raise DisputeError(
            f"the decision on {proposal_id} was already undone by {name_of(people, undone[0])}"
            f" on {_shown_time(undone[1], zone)}: the item is open again, nothing to undo"
        )
    if outcome == OUTDATED:
        raise DisputeError(
            f"proposal {proposal_id} was never decided: it was closed as {note};"
            " undo that decision instead"
        )
    if str(note or "").startswith(SETTLED_WITH):
        other = str(note).removeprefix(SETTLED_WITH)
        raise DisputeError(
            f"proposal {proposal_id} was settled by the decision on {other}:"
            f" undo that one (kiosk dispute undo {other})"
        )
    if status == "open":
        raise DisputeError(f"proposal {proposal_id} was never decided: nothing to undo")
    raise DisputeError(
        f"proposal {proposal_id} was {status} by an older kiosk, which kept no record to undo it"
        " from: decide the customer's holding again instead"
    )


def undo(
    db: sqlite_utils.Database, config: ShowConfig, proposal_id: str, *, actor: str,
    now: datetime, reason: str = "",
) -> ev.Event:  # fmt: skip
    """The manager takes back the decision on an item: one `dispute.undone` event.

    Only the latest change to the customer's holding can be taken back — a later decision,
    or a CRM owner since, would be overwritten by the holding before it — so anything else
    is refused with a line that says what changed. The event carries the decision it undoes
    and the holding it gives back (as the decision's row kept it), so the applier
    (`kiosk.events.undo`) needs no clock and no config, on any kiosk the event reaches.
    """
    manager = _manager(db, actor)
    d = _undo_target(db, proposal_id, show_zone(config.timezone))
    contact = get_contact(db, d["contact_id"]) if d["contact_id"] else None
    people = load_salespeople(db)
    if contact is not None:
        latest = standing(db, contact.id)
        if latest is not None and latest.id != d["id"]:
            on = today_of(config, latest.decided_at)
            raise DisputeError(
                f"a later decision changed {contact.name}'s holding (on {latest.proposal_id},"
                f" {describe(latest, people, decided_on=on)}): undo that one first"
            )
        left = (d["owner_id"], d["assistant_id"], d["split"])
        if (contact.owner_id, contact.assistant_id, contact.split) != left:
            now_words = holding_words(
                lambda sp: name_of(people, sp), contact.owner_id, contact.assistant_id,
                contact.split,
            )  # fmt: skip
            raise DisputeError(
                f"{contact.name}'s holding changed since that decision (now {now_words},"
                " from the CRM or an approval): undoing it would overwrite that; decide again"
                " instead"
            )
        if d["held_before"] is None:
            raise DisputeError(
                f"the holding before the decision on {proposal_id} was not recorded (an older"
                " kiosk applied it): run kiosk rebuild once, then undo it"
            )
    before = json.loads(d["held_before"]) if d["held_before"] else [None, None, None, None]
    reason = clean_text(reason).strip()
    if len(reason) > MAX_REASON:
        raise DisputeError(f"a reason is at most {MAX_REASON} characters, not {len(reason)}")
    sides = [s for s in dict.fromkeys((d["side_a"], d["side_b"])) if s]
    concerned = [*sides, d["owner_id"], d["assistant_id"], before[0], before[1]]
    payload: dict[str, Any] = {
        "proposal_id": d["proposal_id"],
        "key": d["key"],
        "decision_id": d["id"],
        "contact_id": d["contact_id"],
        "outcome": d["outcome"],
        "owner_id": before[0],
        "assistant_id": before[1],
        "split": before[2],
        "preferred_id": before[3],
        "reason": reason,
        "sides": sides,
        "notify": [s for s in dict.fromkeys(concerned) if s],
    }
    return _record(db, config, "dispute.undone", payload, now=now, actor=manager.id, after=d["id"])


@dataclass(frozen=True)
class AfterUndo:
    """Whom an undo left holding the customer, for its message: the owner, assistant and
    split now, and `crm_changed_from` — the owner the decided item asked about, when the
    undo gave the customer to someone else because the CRM import gives them to that
    person now (then "owns again" would not be true), else None."""

    owner_id: str | None
    assistant_id: str | None
    split: float | None
    crm_changed_from: str | None = None


def _crm_changed(owner: Any, before: Any, crm: Any) -> str | None:
    """`before` (the owner the decided item asked about) when the undo gives the customer
    to someone else, `owner`, because the CRM gives them to that person now."""
    if owner is None or not before or owner == before or owner != crm:
        return None
    return str(before)


def after_undo(db: sqlite_utils.Database, event: ev.Event) -> AfterUndo | None:
    """What undo `event` left (`AfterUndo`), read from the tables; None with no customer."""
    p = event.payload
    row = db.execute(
        "SELECT owner_id, assistant_id, split, crm_owner_id FROM contacts WHERE id = ?",
        [p.get("contact_id")],
    ).fetchone()
    if row is None:
        return None
    owner, assistant, split, crm = row
    asked = db.execute(
        "SELECT side_a FROM undone_decisions WHERE id = ?", [p.get("decision_id")]
    ).fetchone()
    before = asked[0] if asked else None
    return AfterUndo(owner, assistant, split, _crm_changed(owner, before, crm))


def undo_preview(db: sqlite_utils.Database, proposal_id: str) -> AfterUndo | None:
    """What undoing the decision on `proposal_id` would leave (`AfterUndo`), for the
    question asked before it: the holding the decision's row kept from before it. None when
    there is no decision to undo or no customer."""
    row = db.execute(
        "SELECT a.held_before, a.side_a, c.crm_owner_id FROM (SELECT * FROM arrangements"
        f" WHERE proposal_id = ? AND outcome <> 'deferred' {DECISIONS_NEWEST_FIRST} LIMIT 1) a"
        " JOIN contacts c ON c.id = a.contact_id",
        [proposal_id],
    ).fetchone()
    if row is None or not row[0]:
        return None
    held, before, crm = json.loads(row[0]), row[1], row[2]
    owner = held[0]
    return AfterUndo(owner, held[1], held[2], _crm_changed(owner, before, crm))
