"""What undoing a manager's decision does to the tables (`dispute.undone`, in `appliers.APPLIERS`).

A manager who pressed the wrong person takes the decision back (`kiosk.disputes.undo`). The
event names the decision (its `dispute.decided` uuid, which is its `arrangements` row's id)
and, when the decision still stands as it was left, applying it:

- gives the customer back the holding the decision replaced: owner, assistant, split and
  the customer's stated preference, as the decision's row kept them (`held_before`, what
  the contact said when the decision was applied — in this log's order, after any CRM
  import) or, for a row applied before that column existed, as the booth read them;
- reopens the items the decision closed: the decided one, those it settled with it
  (`SETTLED_WITH`) and those it made out of date (`OUTDATED`), each with the deferral it had
  — unless the same question has been raised again since (that newer item stands); one
  that asks about an owner the CRM no longer gives the customer, now that they are held as
  the CRM says, is closed as settled by the CRM (`settled_by_crm`), as it was before the
  decision took it up;
- moves the decision's row from `arrangements` to `undone_decisions`, with who undid it,
  when and why: nothing reads it as standing any more (the card, the engine, the report),
  and the history still shows "decided … then undone by …";
- closes the review the decision raised, if it was raised, and the open items that ask
  about the owner the decision had left (`close_outdated`).

Like every applier it is deterministic over (tables, event) and never reads the clock. A
merge may bring it after something that changed the customer since the decision — a later
decision, an approval, the same decision undone at another kiosk. Then the undo does not
overwrite what came later: it is raised as a new open item for the manager, with what it
would have restored (`raise_again`), once in any merge order. An undo of a decision this
database raised as a conflict instead (`_decided_again`) withdraws that item; an undo of a
decision undone already changes nothing; and one whose decision has not arrived yet waits
in the log (the decision sorts before it, so its arrival replays the log with both).
"""

from __future__ import annotations

import json
from typing import Any

import sqlite_utils

from kiosk.events.disputes import (
    OUTDATED,
    SETTLED_WITH,
    asks_another_owner,
    close_outdated,
    crm_holder,
    holding_text,
    person_name,
    raise_again,
    settled_by_crm,
)
from kiosk.events.log import Event, stamp_words
from kiosk.store import DECISIONS_NEWEST_FIRST

# The columns an undone decision keeps, in `arrangements` and `undone_decisions` alike.
ARRANGEMENT_COLUMNS = (
    "id, proposal_id, kind, contact_id, outcome, side_a, side_b, owner_id, assistant_id, split,"
    " customer_chose, defer_until, review_at, review_status, decided_at, decided_by, note,"
    " held_before"
)
_UNDONE_SQL = (
    f"INSERT OR IGNORE INTO undone_decisions({ARRANGEMENT_COLUMNS}, undo_id, undone_at,"
    f" undone_by, undo_reason) SELECT {ARRANGEMENT_COLUMNS}, ?, ?, ?, ? FROM arrangements"
    " WHERE id = ?"
)


def restored_holding(row_before: str | None, payload: dict[str, Any]) -> tuple[Any, ...]:
    """(owner, assistant, split, preferred) to give back: the decision row's own record of
    what it replaced when it has one, else what the booth read when it undid it."""
    if row_before:
        kept = json.loads(row_before)
        if isinstance(kept, list) and len(kept) == 4:
            return tuple(kept)
    return tuple(payload.get(k) for k in ("owner_id", "assistant_id", "split", "preferred_id"))


def apply_undone(db: sqlite_utils.Database, event: Event) -> None:
    p = event.payload
    decision_id = p["decision_id"]
    row = db.execute(
        "SELECT proposal_id, contact_id, outcome, owner_id, assistant_id, split, decided_at,"
        " decided_by, review_status, held_before FROM arrangements WHERE id = ?",
        [decision_id],
    ).fetchone()
    if row is None:
        _withdraw_conflict(db, event)
        return
    proposal_id, contact_id, outcome, *left, decided_at, decided_by, review, before = row
    if outcome == "deferred":
        return  # a deferral is not undone (the booth refuses it): decide the item instead
    restore = restored_holding(before, p)
    if contact_id:
        held = db.execute(
            "SELECT owner_id, assistant_id, split FROM contacts WHERE id = ?", [contact_id]
        ).fetchone()
        latest = db.execute(
            "SELECT id FROM arrangements WHERE contact_id = ? AND outcome <> 'deferred'"
            f" {DECISIONS_NEWEST_FIRST} LIMIT 1",
            [contact_id],
        ).fetchone()
        if held is not None and (tuple(held) != tuple(left) or latest[0] != decision_id):
            _not_undone(db, event, contact_id, tuple(held), tuple(left), restore[:3])
            return
        db.execute(
            "UPDATE contacts SET owner_id = ?, assistant_id = ?, split = ?, preferred_id = ?"
            " WHERE id = ?",
            [*restore, contact_id],
        )
    reopened = _reopen(db, proposal_id, contact_id, decided_at, decided_by)
    if contact_id and reopened and (crm := crm_holder(db, contact_id)) is not None:
        # given back the CRM's holding, an item asking about an owner the CRM no longer
        # gives them (the CRM changed after the item was raised) is settled by the CRM
        for item_id, current in reopened:
            if asks_another_owner({"current_id": current}, crm):
                settled_by_crm(db, item_id, crm, event.ts)
    db.execute(
        _UNDONE_SQL,
        [event.uuid, event.ts, event.actor, p.get("reason") or "", decision_id],
    )
    db.execute("DELETE FROM arrangements WHERE id = ?", [decision_id])
    undone = f"the decision on {proposal_id} was undone"
    if review == "raised":
        db.execute(
            "UPDATE proposals SET status = 'rejected', outcome = ?, decided_at = ?,"
            " decided_by = ?, decision_note = ?, deferred_until = NULL WHERE status = 'open'"
            " AND contact_id IS ? AND substr(item_key, -length(?)) = ?",
            [OUTDATED, event.ts, event.actor, f"out of date: {undone}", contact_id,
             *[f"|review:{decision_id}"] * 2],
        )  # fmt: skip
    if contact_id:
        close_outdated(db, contact_id, event, proposal_id, why=undone)


def _reopen(
    db: sqlite_utils.Database, proposal_id: str, contact_id: str | None, decided_at: str,
    decided_by: str,
) -> list[tuple[str, Any]]:  # fmt: skip
    """Reopen the items the decision closed — they carry its time and its manager — each
    with the deferral it had, unless the same question is open again since; the items
    reopened, with the owner each asked about."""
    reopened: list[tuple[str, Any]] = []
    closed = db.execute(
        "SELECT id, item_key, current_id FROM proposals WHERE status <> 'open' AND decided_at = ?"
        " AND decided_by IS ? AND contact_id IS ? AND (id = ? OR decision_note = ?"
        " OR (outcome = ? AND instr(decision_note, ?) > 0)) ORDER BY id",
        [decided_at, decided_by, contact_id, proposal_id, f"{SETTLED_WITH}{proposal_id}",
         OUTDATED, f"(the decision on {proposal_id})"],
    ).fetchall()  # fmt: skip
    for item_id, key, current in closed:
        again = db.execute(
            "SELECT 1 FROM proposals WHERE item_key = ? AND status = 'open'", [key]
        ).fetchone()
        if again is not None:
            continue
        reopened.append((item_id, current))
        db.execute(
            "UPDATE proposals SET status = 'open', outcome = NULL, decided_at = NULL,"
            " decided_by = NULL, decision_note = '', deferred_until = (SELECT a.defer_until"
            " FROM arrangements a WHERE a.proposal_id = proposals.id AND a.outcome = 'deferred'"
            f" {DECISIONS_NEWEST_FIRST} LIMIT 1)"
            " WHERE id = ?",
            [item_id],
        )
    return reopened


def _not_undone(
    db: sqlite_utils.Database, event: Event, contact_id: str, held: tuple[Any, ...],
    left: tuple[Any, ...], restore: tuple[Any, ...],
) -> None:  # fmt: skip
    """The customer's holding changed after the decision (a later decision or approval,
    merged from another kiosk): the undo would overwrite it, so it is raised for the
    manager instead, with what it would have restored and the manager's reason."""
    p = event.payload
    owner = held[0]
    proposed = next((s for s in (*restore[:2], *(p.get("sides") or [])) if s and s != owner), None)
    why = f' ("{p["reason"]}")' if p.get("reason") else ""
    reason = (
        f"Undo not applied: {person_name(db, event.actor, 'the manager')} at {event.kiosk_id} on"
        f" {stamp_words(event.ts)} undid the decision on {p['proposal_id']}"
        f" ({holding_text(db, *left)}) to go back to {holding_text(db, *restore)}{why}, but the customer"
        f" changed hands since: now {holding_text(db, *held)}. Decide again if that should change."
    )
    evidence = {"undo_of": p["decision_id"], "proposal_id": p["proposal_id"]}
    raise_again(db, event, contact_id, owner, proposed, reason, evidence=evidence)


def _withdraw_conflict(db: sqlite_utils.Database, event: Event) -> None:
    """The decision is not standing here: undone already (nothing to do), not merged yet
    (nothing to do: its arrival replays the log), or raised as a conflict because another
    decision came first (`_decided_again`) — the manager took it back, so that item is
    closed with a note that says so."""
    p = event.payload
    note = (
        f"withdrawn: {person_name(db, event.actor, 'the manager')} undid that decision on"
        f" {stamp_words(event.ts)}"
    )
    db.execute(
        "UPDATE proposals SET status = 'rejected', outcome = ?, decided_at = ?, decided_by = ?,"
        " decision_note = ?, deferred_until = NULL WHERE id = ? AND status = 'open'"
        " AND substr(item_key, -length(?)) = ?",
        [
            OUTDATED,
            event.ts,
            event.actor,
            note,
            f"{p['decision_id']}:0",
            *[f"|again:{p['decision_id']}"] * 2,
        ],
    )
