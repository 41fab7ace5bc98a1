"""Which late events can be applied where they land, without replaying the log.

A merge whose new events all sort after the log's last event applies them; one where some
sort earlier must give the tables the replay of the whole log in order, which
`merge_rows` gets by replaying it. Live sync through the hub meets that case on almost
every pull: kiosk B's check-in stamped at 10:00:00.2 reaches kiosk A after A recorded its
own at 10:00:00.4. Replaying tens of thousands of events every two seconds is not an
option, and is not needed when the late event *commutes* with everything after it: applied
now it writes exactly the rows it would have written in its place, and nothing after it
would have read them.

A check-in does so when (`commutes`):

- the manager items it raises (proposals, keyed by contact, kind and person) exist nowhere
  yet — not in `proposals`, not raised twice in the batch, not named by a later event —
  so it is the first to raise them in any order (items are deduplicated in replay order);
- its visitor is a CRM contact that is nobody's alias (an alias made later would have
  redirected it; CRM contacts survive every reset, so the row is there either way);
- no event after it — in the log or in the same batch — names its uuid (a "received"
  that closes it, a decision on a proposal it raised), since that event was applied
  while it was missing.

The only applier that reads `checkins` (`_received`) reads its own check-in by id, which
the last condition covers. Everything else still replays: the merge property tests compare
both paths with a full rebuild.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

import sqlite_utils

from kiosk.events.appliers import item_key

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _plain_checkin(db: sqlite_utils.Database, row: Sequence[Any], keys: list[str]) -> bool:
    """A check-in of a CRM visitor nobody aliased whose proposals (their item keys go to
    `keys`) raise manager items no event has raised yet."""
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
        "SELECT source = 'crm' AND NOT EXISTS (SELECT 1 FROM contact_aliases WHERE alias = ?)"
        " FROM contacts WHERE id = ?",
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
        key = item_key(contact, p["kind"], p.get("proposed_id"))
        if db.execute("SELECT 1 FROM proposals WHERE item_key = ? LIMIT 1", [key]).fetchone():
            return False  # the item exists: which event raised it first depends on order
        keys.append(key)
    return True


def commutes(
    db: sqlite_utils.Database,
    late: Sequence[Sequence[Any]],
    batch: Sequence[Sequence[Any]],
) -> bool:
    """True when every `late` row (stored rows in `COLUMNS` order that sort before the
    log's last event) can be applied out of place with the same result as a replay.

    `batch` is every new row of the merge (the late ones included), in replay order."""
    if not late or len(late) > 5000:
        return not late
    keys: list[str] = []
    if not all(_plain_checkin(db, row, keys) for row in late):
        return False
    if len(set(keys)) < len(keys):
        return False  # two late check-ins raise the same item: order decides
    ids = {row[0] for row in late}
    first = min((row[3], row[0]) for row in late)
    later = db.execute(
        "SELECT payload FROM events WHERE (ts_utc, uuid) > (?, ?)", list(first)
    ).fetchall()
    texts = [p for (p,) in later] + [r[7] for r in batch if (r[3], r[0]) > first]
    for text in texts:
        if not isinstance(text, str):
            continue
        if ids.intersection(_UUID.findall(text)) or any(
            json.dumps(k, ensure_ascii=False) in text for k in keys
        ):
            return False  # it answers one of them, or decides an item one of them raises
    return True
