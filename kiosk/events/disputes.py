"""What the dispute workbench's events do to the tables (listed in `appliers.APPLIERS`).

- `dispute.note`: one side's own statement ("my case") on an open item.
- `dispute.decided`: the manager's settlement — kept, given, shared, customer chose, or
  deferred. It writes the contact's new holding, closes the item with its outcome (and the
  other open items on the same contact between the same two people: one decision settles
  the pair), and keeps an `arrangements` row with the review date. A deferral leaves the
  item open with the day it comes back.
- `dispute.review`: the review day came and no deal followed: a new lapse proposal, keyed
  by the arrangement so the item the manager settled before does not hide it.

An item raised against an owner the CRM no longer gives the customer — the next morning's
CRM export already gives Ann to Bob, who claimed her from Alice, and the import replays the
log over it — asks about a picture that is no longer true: it is closed as it is raised,
with the outcome `outdated` and a note that the CRM import settled it (`settled_by_crm`),
so the manager is not asked to settle what the CRM has. A decision the log holds on it
(taken before the import, or at a kiosk that had not imported it yet) still counts: the
manager decided a question that was open then, and every kiosk replays it the same way.
An item merged from a kiosk that had not seen a decision sorting before it (which gave the
customer to someone else) is closed as that decision would have closed it, had the item
come first (`outdated_by_decision`): the same in any merge order, and reopened by its undo.

A decision that leaves the customer with another owner than an open item was raised
against ("reassign from Luis to Marta", and the manager gave the customer to Ana) makes
that item out of date: it is closed with the outcome `outdated` (`close_outdated`), so the
manager is never asked to decide on a picture that is no longer true, and it blocks no new
item: the next scan raises what still holds, against the owner now.

Like every applier these are deterministic over (tables, event): the event carries the
outcome, the holding and the dates the booth computed, so a replay needs no config or clock.
Only the first decision on an item counts, as with `proposal.decided`; a later one that
says otherwise (two kiosks' managers, merged) is raised as a new item (`_decided_again`).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlite_utils

from kiosk.events.log import Event, stamp_words
from kiosk.routing.arrangement import holding_words

_COLS = "id, kind, contact_id, current_id, proposed_id, status"
# The decision note of an item a decision on another item settled too (`apply_decided`),
# followed by that item's id, which `_decided_again` reads back.
SETTLED_WITH = "settled with "
# The outcome of an item a decision made out of date (`close_outdated`). Its status is
# 'rejected' (the table allows no other), but unlike a rejection it blocks nothing: the
# same proposal is raised again when it still holds (`appliers.DUPLICATE_SQL`).
OUTDATED = "outdated"
# The note of an item a CRM import settled (`settled_by_crm`) begins with this. Such an item
# has no `decided_by`: nobody at the booth closed it.
CRM_SETTLED = "settled by the CRM import"
# An item a booth event may still act on: open, or settled by the CRM after the event was
# taken (a note, a decision made while the item was open is replayed as it was made).
_ACTIONABLE = (
    f"(status = 'open' OR (outcome = '{OUTDATED}' AND decided_by IS NULL"
    f" AND substr(decision_note, 1, {len(CRM_SETTLED)}) = '{CRM_SETTLED}'))"
)


def open_item(
    db: sqlite_utils.Database, proposal_id: str, key: str | None
) -> tuple[Any, ...] | None:
    """The open item an event names: by id, else (raised first on another kiosk) by key.
    One the CRM settled counts as open here (see the module): the event was taken on it."""
    row = db.execute(
        f"SELECT {_COLS}, {_ACTIONABLE} FROM proposals WHERE id = ?", [proposal_id]
    ).fetchone()
    if row is not None and row[-1]:
        return tuple(row[:-1])
    if key:
        # raised here by another event: the open one (or, if this kiosk never had the
        # item the event names, one the CRM settled)
        which = "status = 'open'" if row is not None else _ACTIONABLE
        found = db.execute(
            f"SELECT {_COLS} FROM proposals WHERE item_key = ? AND {which}"
            " ORDER BY status <> 'open' LIMIT 1",
            [key],
        ).fetchone()
        return tuple(found) if found is not None else None
    return None


def crm_holder(db: sqlite_utils.Database, contact_id: str) -> str | None:
    """The customer's owner when it is the one the CRM gives them (no booth decision in
    force says otherwise), else None."""
    owner, by_crm = holder(db, contact_id)
    return owner if by_crm else None


def holder(db: sqlite_utils.Database, contact_id: str) -> tuple[str | None, bool]:
    """A CRM customer's owner now, and whether that is the CRM's word (no booth decision in
    force says otherwise); (None, False) for a visitor the booth filed, whose items the
    claims of rule 6 settle."""
    row = db.execute(
        "SELECT owner_id, owner_id IS crm_owner_id FROM contacts WHERE id = ? AND source = 'crm'",
        [contact_id],
    ).fetchone()
    return (str(row[0]), bool(row[1])) if row and row[0] is not None else (None, False)


def asks_another_owner(proposal: dict[str, Any], owner: str | None) -> bool:
    """A proposal raised against another owner than `owner` (`holder`). The engine always
    raises a proposal against the owner it finds, so this one was raised on an older
    picture: before a CRM re-import, or at a kiosk that had not imported it yet or had not
    seen a decision that sorts before it (merged)."""
    return owner is not None and proposal.get("current_id") != owner


# A proposal the CRM settled already, raised again on the same old picture (a rescan taken
# before the import, replayed): it is that item, not a new one.
CRM_DUPLICATE_SQL = (
    f"SELECT 1 FROM proposals WHERE item_key = ? AND outcome = '{OUTDATED}'"
    f" AND decided_by IS NULL AND substr(decision_note, 1, {len(CRM_SETTLED)}) = '{CRM_SETTLED}'"
)


def outdated_by_decision(
    db: sqlite_utils.Database, contact_id: str, owner: str, at: str
) -> tuple[str, str | None, str]:
    """How to close an item raised against another owner than `owner`, whom a booth
    decision left holding the customer before the item was raised (merged from a kiosk
    that had not seen it): (decided_at, decided_by, note) exactly as `close_outdated` would
    have closed it had the item come first — so the history reads the same in any merge
    order, and an undo of that decision reopens it (`kiosk.events.undo`). With no decision
    to name: the raising event's time `at`, nobody, and a note that says so."""
    row = db.execute(
        "SELECT decided_at, decided_by, proposal_id FROM arrangements WHERE contact_id = ?"
        " AND outcome <> 'deferred' AND owner_id IS ? ORDER BY julianday(decided_at) DESC,"
        " decided_at DESC, id DESC LIMIT 1",
        [contact_id, owner],
    ).fetchone()
    who = person_name(db, owner)
    if row is None:
        return at, None, f"out of date: {who} owns the customer (a change the item did not see)"
    decided_at, decided_by, by_item = row
    note = (
        f"out of date: {who} owns the customer since {stamp_words(decided_at)}"
        f" (the decision on {by_item})"
    )
    return str(decided_at), decided_by, note


# An item closed as out of date by the same change, raised again on the same old picture:
# it is that item, not a new one.
OUTDATED_DUPLICATE_SQL = (
    "SELECT 1 FROM proposals WHERE item_key = ? AND outcome = ? AND decided_at IS ?"
    " AND decision_note = ?"
)


def close_raised_outdated(
    db: sqlite_utils.Database, proposal_id: str, closing: tuple[str, str | None, str]
) -> None:
    """Close item `proposal_id`, just raised, as `outdated_by_decision` says."""
    at, by, note = closing
    db.execute(
        "UPDATE proposals SET status = 'rejected', outcome = ?, decided_at = ?,"
        " decided_by = ?, decision_note = ?, deferred_until = NULL WHERE id = ?",
        [OUTDATED, at, by, note, proposal_id],
    )


def settled_by_crm(
    db: sqlite_utils.Database, proposal_id: str, owner: str, at: str, *, why: str = ""
) -> None:
    """Close item `proposal_id`, just raised, as settled by the CRM import: it asks about
    an owner the CRM no longer gives the customer (`asks_another_owner`), or a question the
    CRM's data answers now (`crm_answers`: `why` is its note). The note says whom the CRM
    gives them to, for the history (`kiosk proposals --all`) and the refusal of a decision
    on it; `at` (the raising event's time) keeps the replay deterministic."""
    row = db.execute(
        "SELECT c.name FROM proposals p JOIN contacts c ON c.id = p.contact_id WHERE p.id = ?",
        [proposal_id],
    ).fetchone()
    name = str(row[0]) if row and row[0] else "the customer"
    note = why or f"{CRM_SETTLED}: the CRM gives {name} to {person_name(db, owner)}"
    db.execute(
        "UPDATE proposals SET status = 'rejected', outcome = ?, decided_at = ?,"
        " decided_by = NULL, decision_note = ?, deferred_until = NULL WHERE id = ?",
        [OUTDATED, at, note, proposal_id],
    )


# The reason a lapse proposal opens with, after the owner's name (`routing.owner.lapse`):
# what tells it from another reassignment the same scan raised (they share the evidence).
LAPSE_REASON = " has had no deal or contact for "


def crm_answers(
    db: sqlite_utils.Database, contact_id: str, proposal: dict[str, Any], at: str
) -> str | None:
    """The note of an item the CRM's data answers now, though it asks about the owner the
    customer still has (`asks_another_owner` is false), else None. Two questions can be:

    - a namesake dispute (`routing.namesake_disputes`): the visitor was filed for their
      owner while a customer of the same name and company was another's. When the CRM now
      gives that customer to the visitor's owner too, one person holds both and there is
      nothing left to decide. (A namesake given to a third person is left open: who should
      have them is still a question, and this item does not ask it right.)
    - a lapse (`routing.owner.lapse`): the owner had no deal or contact for longer than the
      lapse days when the visitor was scanned. When the CRM now records a later deal or
      contact, within the lapse days of that scan, the lapse is over.

    Read from the tables and the proposal as stored, like every applier: a replay gives the
    same answer."""
    evidence = proposal.get("evidence") or {}
    kind = proposal.get("kind")
    if kind == "dispute" and evidence.get("same_as_id"):
        if evidence.get("same_as_owner") != proposal.get("proposed_id"):
            return None  # a second namesake's owner: the evidence names only the first
        owner, by_crm = holder(db, str(evidence["same_as_id"]))
        if not by_crm or owner is None or owner != proposal.get("current_id"):
            return None
        who = person_name(db, owner)
        name = evidence.get("same_as_name") or evidence["same_as_id"]
        return (
            f"{CRM_SETTLED}: the CRM gives {name} ({evidence['same_as_id']}) to {who},"
            f" who has this visitor too"
        )
    if (
        kind == "reassign"
        and evidence.get("lapse_days")
        and LAPSE_REASON in str(proposal.get("reason") or "")
    ):
        return _lapse_ended(db, contact_id, evidence, at)
    return None


def _lapse_ended(
    db: sqlite_utils.Database, contact_id: str, evidence: dict[str, Any], at: str
) -> str | None:
    """The note of a lapse proposal raised at `at` whose lapse the CRM's dates now end: a
    deal or contact later than the last the scan saw, no more than the lapse days before
    `at`; else None."""
    row = db.execute(
        "SELECT last_deal_at, last_contact_at FROM contacts WHERE id = ? AND source = 'crm'",
        [contact_id],
    ).fetchone()
    seen = _when(evidence.get("last_activity_at"))
    scanned = _when(at)
    if row is None or seen is None or scanned is None:
        return None
    try:
        days = int(evidence["lapse_days"])
    except (TypeError, ValueError):
        return None
    dated = ((_when(row[0]), "deal"), (_when(row[1]), "contact"))
    latest = max(((d, what) for d, what in dated if d is not None), default=None)
    if latest is None or latest[0] <= seen or scanned - latest[0] > timedelta(days=days):
        return None
    return (
        f"{CRM_SETTLED}: the CRM records a {latest[1]} on {latest[0].date().isoformat()},"
        f" within the {days} lapse days"
    )


def _when(text: Any) -> datetime | None:
    """An ISO date or time from the tables, the evidence or an event (naive: UTC)."""
    if not text:
        return None
    try:
        dt = datetime.fromisoformat(str(text))
    except ValueError:
        return None
    return dt if dt.tzinfo is not None else dt.replace(tzinfo=UTC)


def covered(db: sqlite_utils.Database, contact_id: str, proposed_id: str | None) -> bool:
    """A decision already settled this contact between its owner and `proposed_id`: the
    engine's same proposal (raised again by every scan) is not a new item for the manager."""
    row = db.execute(
        "SELECT 1 FROM arrangements WHERE contact_id = ? AND outcome <> 'deferred'"
        " AND (side_b IS ? OR side_a IS ? OR assistant_id IS ? OR owner_id IS ?) LIMIT 1",
        [contact_id, proposed_id, proposed_id, proposed_id, proposed_id],
    ).fetchone()
    return row is not None


def apply_note(db: sqlite_utils.Database, event: Event) -> None:
    p = event.payload
    row = open_item(db, p["proposal_id"], p.get("key"))
    if row is None:
        return
    db.execute(
        "INSERT OR IGNORE INTO dispute_notes(id, proposal_id, salesperson_id, text, at)"
        " VALUES (?, ?, ?, ?, ?)",
        [event.uuid, row[0], p["by"], p.get("text") or "", event.ts],
    )


def person_name(db: sqlite_utils.Database, person: Any, nobody: str = "nobody") -> str:
    """A salesperson's name for a reason line the log keeps (their id when unknown)."""
    row = db.execute("SELECT name FROM salespeople WHERE id = ?", [person]).fetchone()
    return str(row[0]) if row else str(person or nobody)


def holding_text(db: sqlite_utils.Database, owner: Any, assistant: Any, split: Any) -> str:
    """'Sofía Ramírez owns, Zhang Wei (Mateo) assists at 30%', names from the table."""
    return holding_words(lambda sp: person_name(db, sp), owner, assistant, split)


def close_outdated(
    db: sqlite_utils.Database, contact_id: str, event: Event, by_item: str, *, why: str = ""
) -> None:
    """Close the open items on `contact_id` that ask about an owner the customer no longer
    has: raised against `current_id`, while the decision `event` (on item `by_item`) left
    someone else owning them. The note says who owns them since when, and why (`why`, by
    default "the decision on <by_item>"; an undo says so: `kiosk.events.undo`)."""
    row = db.execute("SELECT owner_id FROM contacts WHERE id = ?", [contact_id]).fetchone()
    if row is None:
        return
    owner = row[0]
    note = (
        f"out of date: {person_name(db, owner)} owns the customer since {stamp_words(event.ts)}"
        f" ({why or f'the decision on {by_item}'})"
    )
    db.execute(
        "UPDATE proposals SET status = 'rejected', outcome = ?, decided_at = ?, decided_by = ?,"
        " decision_note = ?, deferred_until = NULL"
        " WHERE contact_id = ? AND status = 'open' AND current_id IS NOT ?",
        [OUTDATED, event.ts, event.actor, note, contact_id, owner],
    )


def _decided_on_outdated(db: sqlite_utils.Database, event: Event, item_id: str) -> None:
    """A decision on an item a decision elsewhere made out of date first (two kiosks,
    merged): the customer's owner now stands, and if the late decision says otherwise it
    becomes a new open item for the manager with what it decided and its note, keyed by
    the event (raised once in any merge order)."""
    p = event.payload
    row = db.execute(
        "SELECT p.contact_id, c.owner_id, c.assistant_id, c.split, p.decision_note"
        " FROM proposals p JOIN contacts c ON c.id = p.contact_id WHERE p.id = ?",
        [item_id],
    ).fetchone()
    if row is None:
        return
    contact_id, owner, assistant, split, closed = row
    theirs = (p.get("owner_id"), p.get("assistant_id"), p.get("split"))
    if (owner, assistant, split) == theirs:
        return
    proposed = next((s for s in theirs[:2] if s and s != owner), None)
    note = f' ("{p["note"]}")' if p.get("note") else ""
    reason = (
        f"Decided on an item already {closed}; {person_name(db, event.actor, 'the manager')} at"
        f" {event.kiosk_id} on {stamp_words(event.ts)}: {holding_text(db, *theirs)}{note};"
        f" now {holding_text(db, owner, assistant, split)}. Decide again if that should change."
    )
    stands = {"stands_owner": owner, "stands_assistant": assistant, "stands_split": split}
    raise_again(db, event, contact_id, owner, proposed, reason, stands | {"closed": OUTDATED})


def raise_again(
    db: sqlite_utils.Database, event: Event, contact_id: str, owner: str | None,
    proposed: str | None, reason: str, stands: dict[str, Any] | None = None, *,
    evidence: dict[str, Any] | None = None,
) -> None:  # fmt: skip
    """A decision (or an undo of one) that could not stand as it was taken, raised as a new
    open item keyed by its event (so any merge order raises it once) for the manager to
    decide again. A decision's evidence keeps both holdings (`stands`: the one that stands),
    who decided where and when, and the note, as values: `reason` is the English record,
    and the workbench words them in the UI language. An undo passes its own `evidence`."""
    p = event.payload
    if evidence is None:
        evidence = {
            "decided_again": p["proposal_id"], "outcome": p["outcome"], "by": event.actor,
            "kiosk": event.kiosk_id, "at": event.ts, "owner_id": p.get("owner_id"),
            "assistant_id": p.get("assistant_id"), "split": p.get("split"),
            "note": p.get("note") or "", **(stands or {}),
        }  # fmt: skip
    db.execute(
        "INSERT OR IGNORE INTO proposals(id, kind, contact_id, current_id, proposed_id, reason,"
        " evidence, status, created_at, item_key) VALUES (?, 'reassign', ?, ?, ?, ?, ?, 'open', ?, ?)",
        [
            f"{event.uuid}:0", contact_id, owner, proposed, reason,
            json.dumps(evidence, ensure_ascii=False, sort_keys=True),
            event.ts, f"{contact_id}|reassign|{proposed or ''}|again:{event.uuid}",
        ],
    )  # fmt: skip


def _decided_again(db: sqlite_utils.Database, event: Event) -> None:
    """A decision on an item another decision settled first — two kiosks' managers decided
    it apart, and a merge brings both: the first stands (the log's order), and if the
    second says otherwise it becomes a new open item for the manager, with both decisions
    and the second one's note in its reason. Nothing the second said is lost; the item is
    keyed by the event, so a replay or a merge in any order raises it once."""
    p = event.payload
    if p["outcome"] == "deferred":
        return  # a deferral of what is already settled changes nothing
    # the item as this database has it (by id, else raised on another kiosk: by key), and
    # the decision that settled it: its own, or the one it was settled with
    item = db.execute(
        "SELECT id, decision_note, outcome FROM proposals WHERE id = ?", [p["proposal_id"]]
    ).fetchone()
    if item is None and p.get("key"):
        item = db.execute(
            "SELECT id, decision_note, outcome FROM proposals WHERE item_key = ?"
            " AND status <> 'open' ORDER BY decided_at LIMIT 1",
            [p["key"]],
        ).fetchone()
    if item is None:
        return
    if item[2] == OUTDATED:
        _decided_on_outdated(db, event, item[0])
        return
    settled_by = str(item[1] or "")
    pid = settled_by.removeprefix(SETTLED_WITH) if settled_by.startswith(SETTLED_WITH) else item[0]
    first = db.execute(
        "SELECT contact_id, owner_id, assistant_id, split, decided_by, decided_at, side_a, side_b"
        " FROM arrangements WHERE proposal_id = ? AND outcome <> 'deferred'"
        " ORDER BY julianday(decided_at), decided_at, id LIMIT 1",
        [pid],
    ).fetchone()
    if first is None:
        return
    contact_id, owner, assistant, split = first[:4]
    theirs = (p.get("owner_id"), p.get("assistant_id"), p.get("split"))
    if (owner, assistant, split) == theirs or not contact_id:
        return
    proposed = next(
        (s for s in (theirs[0], theirs[1], first[7], first[6]) if s and s != owner), None
    )
    note = f' ("{p["note"]}")' if p.get("note") else ""
    reason = (
        f"Decided twice: {person_name(db, first[4], 'the manager')} on {stamp_words(str(first[5]))}:"
        f" {holding_text(db, owner, assistant, split)} — this stands;"
        f" {person_name(db, event.actor, 'the manager')} at {event.kiosk_id} on"
        f" {stamp_words(event.ts)}: {holding_text(db, *theirs)}{note}."
        " Decide again if that should change."
    )
    stands = {"stands_owner": owner, "stands_assistant": assistant, "stands_split": split,
              "stands_by": first[4], "stands_at": first[5]}  # fmt: skip
    raise_again(db, event, contact_id, owner, proposed, reason, stands)


def apply_decided(db: sqlite_utils.Database, event: Event) -> None:
    p = event.payload
    row = open_item(db, p["proposal_id"], p.get("key"))
    if row is None:
        _decided_again(db, event)
        return
    proposal_id, kind, contact_id, current, proposed, _ = row
    outcome = p["outcome"]
    sides = [s for s in (current, proposed) if s]
    # the holding this decision replaces, kept so an undo can restore it (`kiosk.events.undo`)
    held = db.execute(
        "SELECT owner_id, assistant_id, split, preferred_id FROM contacts WHERE id = ?",
        [contact_id],
    ).fetchone() if contact_id else None  # fmt: skip
    arrangement = {
        "id": event.uuid, "proposal_id": proposal_id, "kind": kind, "contact_id": contact_id,
        "outcome": outcome, "side_a": current, "side_b": proposed,
        "owner_id": p.get("owner_id"), "assistant_id": p.get("assistant_id"),
        "split": p.get("split"), "customer_chose": p.get("customer_chose"),
        "defer_until": p.get("defer_until"), "review_at": p.get("review_at"),
        "review_status": "pending" if p.get("review_at") and outcome != "deferred" else "none",
        "decided_at": event.ts, "decided_by": event.actor, "note": p.get("note") or "",
        "held_before": json.dumps(list(held)) if held is not None else None,
    }  # fmt: skip
    db.execute(
        f"INSERT OR IGNORE INTO arrangements({', '.join(arrangement)})"
        f" VALUES ({', '.join('?' * len(arrangement))})",
        list(arrangement.values()),
    )
    if outcome == "deferred":
        db.execute(
            "UPDATE proposals SET deferred_until = ? WHERE id = ? AND status = 'open'",
            [p.get("defer_until"), proposal_id],
        )
        return
    changed = False
    if contact_id:
        after = (p.get("owner_id"), p.get("assistant_id"), p.get("split"))
        if held is not None and tuple(held[:3]) != after:
            changed = True
            db.execute(
                "UPDATE contacts SET owner_id = ?, assistant_id = ?, split = ? WHERE id = ?",
                [*after, contact_id],
            )
        if p.get("customer_chose"):
            db.execute(
                "UPDATE contacts SET preferred_id = ? WHERE id = ?",
                [p["customer_chose"], contact_id],
            )
    status = "approved" if changed else "rejected"
    db.execute(
        "UPDATE proposals SET status = ?, outcome = ?, decided_at = ?, decided_by = ?,"
        " decision_note = ?, deferred_until = NULL WHERE id = ?",
        [status, outcome, event.ts, event.actor, p.get("note") or "", proposal_id],
    )
    if contact_id and sides:
        # The other open items between these two people on this customer are settled too.
        marks = ",".join("?" * len(sides))
        db.execute(
            "UPDATE proposals SET status = ?, decided_at = ?, decided_by = ?, decision_note = ?,"
            " deferred_until = NULL WHERE contact_id = ? AND status = 'open' AND id <> ?"
            f" AND (proposed_id IN ({marks}) OR proposed_id IS NULL)",
            [status, event.ts, event.actor, f"{SETTLED_WITH}{proposal_id}", contact_id,
             proposal_id, *sides],
        )  # fmt: skip
    if contact_id:
        # and the items between other people that asked about an owner the customer no
        # longer has are out of date
        close_outdated(db, contact_id, event, proposal_id)


def apply_review(db: sqlite_utils.Database, event: Event) -> None:
    p = event.payload
    arrangement_id = p["arrangement_id"]
    row = db.execute(
        "SELECT contact_id, review_status FROM arrangements WHERE id = ?", [arrangement_id]
    ).fetchone()
    if row is None or row[1] != "pending":
        return
    contact_id = row[0]
    proposed = p.get("proposed_id")
    key = f"{contact_id or ''}|reassign|{proposed or ''}|review:{arrangement_id}"
    db.execute(
        "INSERT OR IGNORE INTO proposals(id, kind, contact_id, current_id, proposed_id, reason,"
        " evidence, status, created_at, item_key) VALUES (?, 'reassign', ?, ?, ?, ?, ?, 'open', ?, ?)",
        [
            f"{event.uuid}:0",
            contact_id,
            p.get("current_id"),
            proposed,
            p.get("reason") or "",
            json.dumps(p.get("evidence") or {}, ensure_ascii=False, sort_keys=True),
            event.ts,
            key,
        ],
    )
    db.execute("UPDATE arrangements SET review_status = 'raised' WHERE id = ?", [arrangement_id])
