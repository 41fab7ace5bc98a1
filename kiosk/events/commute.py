"""Which late events can be applied where they land, without replaying the log.

A merge whose new events all sort after the log's last event applies them; one where some
sort earlier must give the tables the replay of the whole log in order, which
`merge_rows` gets by replaying it. Live sync through the hub meets that case on almost
every pull: kiosk B's check-in stamped at 10:00:00.2 reaches kiosk A after A recorded its
own at 10:00:00.4. Replaying tens of thousands of events every two seconds is not an
option, and is not needed when the late event *commutes* with everything after it: applied
now it writes exactly the rows it would have written in its place, and nothing after it
would have read them.

A check-in does so when (`late_plan`):

- its visitor is a CRM contact that is nobody's alias (an alias made later would have
  redirected it; CRM contacts survive every reset, so the row is there either way), and
  none of its items asks about another owner than they have (closed as they are raised:
  `appliers._add_proposals`);
- no event after it — in the log or in the same batch — names its uuid (a "received"
  that closes it, a decision on a proposal it raised), since that event was applied
  while it was missing;
- each manager item it raises (proposals, keyed by contact, kind and person; items are
  deduplicated in replay order, and the batch is applied in replay order, so of two late
  check-ins raising one item the first raises it) either exists nowhere yet, is named by
  no later event and no decision comes after it (a decision closes the open items on its
  customer raised against the owner it replaces) — so it is the first to raise it in any
  order and stays as raised — or, when no event after it decides anything (no `proposal.decided`, no
  `dispute.*`: the statuses it finds are the ones it would have found in its place):
  * the open (or rejected) item was raised by an event that sorts *before* it: in its
    place it would have found that item and raised nothing, as it does now;
  * the open item was raised by a check-in that sorts *after* it: in its place it would
    have raised the item and that check-in nothing, so that check-in's row is removed
    (the plan's `retract`) and the late one raises its own.

The second case is the hub's everyday one: the same visitor scanned at two kiosks a second
apart, or any visitor whose proposal is already on the manager's list. Every scan raises
the engine's proposals again, so without it every pull of a busy booth replays the log.

The only applier that reads `checkins` (`_received`) reads its own check-in by id, which
the uuid condition covers. Everything else still replays: the merge and hub property tests
compare both paths with a full rebuild.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from kiosk.events.appliers import item_key
from kiosk.events.disputes import OUTDATED, asks_another_owner

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


# Kinds whose appliers change an item's status or what `disputes.covered` reads.
DECIDING = (
    "proposal.decided",
    "dispute.decided",
    "dispute.review",
    "dispute.note",
    "dispute.undone",
)


@dataclass
class LatePlan:
    """How to apply late check-ins where they land: per late event (its uuid), the item
    rows raised by a later check-in to take back just before it is applied."""

    retract: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class _Raise:
    key: str
    at: tuple[str, str]  # the late check-in's replay key (ts_utc, uuid)


def _plain_checkin(db: sqlite_utils.Database, row: Sequence[Any], raises: list[_Raise]) -> bool:
    """A check-in of a CRM visitor nobody aliased (the items its proposals raise go to
    `raises`)."""
    if row[6] != "checkin":
        return False
    try:
        payload = json.loads(row[7])
    except (TypeError, ValueError):
        return False
    if not isinstance(payload, dict):
        return False
    contact = payload.get("contact_id")
    if not isinstance(contact, str):
        return False
    found = db.execute(
        "SELECT source = 'crm' AND NOT EXISTS (SELECT 1 FROM contact_aliases WHERE alias = ?),"
        " owner_id FROM contacts WHERE id = ?",
        [contact, contact],
    ).fetchone()
    if not (found and found[0]):
        return False
    proposals = payload.get("proposals") or []
    if not isinstance(proposals, list):
        return False
    for p in proposals:
        if not isinstance(p, dict) or not isinstance(p.get("kind"), str):
            return False
        if asks_another_owner(p, found[1]):
            return False  # raised on an older picture: which item it closes, the replay says
        raises.append(_Raise(item_key(contact, p["kind"], p.get("proposed_id")), (row[3], row[0])))
    return True


def _settle_item(
    db: sqlite_utils.Database, item: _Raise, decided_after: bool, plan: LatePlan
) -> bool | None:
    """Whether the late raise of an item that may exist commutes: True (and maybe a row
    to retract in `plan`), False (replay), None (the item exists nowhere)."""
    rows = db.execute(
        "SELECT p.id, p.status, e.ts_utc, e.uuid, e.kind, p.outcome FROM proposals p"
        " LEFT JOIN events e ON e.uuid = substr(p.id, 1, instr(p.id, ':') - 1)"
        " WHERE p.item_key = ?",
        [item.key],
    ).fetchall()
    if not rows:
        return None
    if decided_after:
        return False  # a decision after it: the status it would have met may differ
    # the items it would have found (`appliers.DUPLICATE_SQL`): one made out of date is none
    live = [r[:5] for r in rows if r[1] in ("open", "rejected") and r[5] != OUTDATED]
    if not live:
        return True  # only decided items, all decided before it: it raises a new one either way
    if len(live) > 1 or live[0][2] is None:
        return False
    proposal_id, status, ts_utc, uuid, kind = live[0]
    if (ts_utc, uuid) < item.at:
        return True  # raised before it: it would have found the item and raised nothing
    if status == "open" and kind == "checkin":
        # it raises the item in its place; the later check-in then raised nothing
        plan.retract.setdefault(item.at[1], []).append(proposal_id)
        return True
    return False


def late_plan(
    db: sqlite_utils.Database,
    late: Sequence[Sequence[Any]],
    batch: Sequence[Sequence[Any]],
) -> LatePlan | None:
    """How `late` rows (stored rows in `COLUMNS` order that sort before the log's last
    event) can be applied out of place with the same result as a replay; None when they
    cannot (the log must be replayed).

    `batch` is every new row of the merge (the late ones included), in replay order."""
    plan = LatePlan()
    if not late:
        return plan
    if len(late) > 5000:
        return None
    raises: list[_Raise] = []
    if not all(_plain_checkin(db, row, raises) for row in late):
        return None
    # Late check-ins that raise the same item are applied in replay order (the batch is
    # sorted): the first raises it (or takes it over), the others find it, as in a replay.
    ids = {row[0] for row in late}
    first = min((row[3], row[0]) for row in late)
    later = db.execute(
        "SELECT kind, payload FROM events WHERE (ts_utc, uuid) > (?, ?)", list(first)
    ).fetchall()
    texts = later + [(r[6], r[7]) for r in batch if (r[3], r[0]) > first]
    decided_after = any(kind in DECIDING for kind, _ in texts)
    fresh_keys: list[str] = []
    for item in raises:
        settled = _settle_item(db, item, decided_after, plan)
        if settled is False:
            return None
        if settled is None:
            if decided_after:
                # a decision after it may close the item it raises in its place (one on
                # the same customer closes those raised against the owner it replaces:
                # `events.disputes.close_outdated`), though it names neither
                return None
            fresh_keys.append(item.key)
    # each key as it is written inside a payload, once (written again for every later
    # event, it was a tenth of a busy hub pull's time, profiled)
    needles = [json.dumps(k, ensure_ascii=False) for k in fresh_keys]
    for _kind, text in texts:
        if not isinstance(text, str):
            continue
        if ids.intersection(_UUID.findall(text)) or any(n in text for n in needles):
            return None  # it answers one of them, or decides an item one of them raises
    return plan


def retract(db: sqlite_utils.Database, plan: LatePlan | None, uuid: str) -> None:
    """Before late event `uuid` is applied: take back the item rows it raises in its place
    (see `late_plan`). Called right before its applier, so a savepoint that undoes the
    one undoes the other."""
    if plan is not None and (ids := plan.retract.get(uuid)):
        db.conn.executemany("DELETE FROM proposals WHERE id = ?", [(i,) for i in ids])
