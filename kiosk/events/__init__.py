"""The append-only event log: every change made at the booth, and how it is applied.

A booth action (a check-in, a new lead, a manager's decision) is written as one row in
`events` *and* applied to the materialized tables in the same transaction, so the two can
never disagree. Because the log is the source of truth, `rebuild` can throw the
materialized booth state away and replay it, and merging kiosks is replaying events by
UUID in one global order — (UTC time, uuid) — which makes a merge idempotent and
independent of the order in which kiosks are merged.

The package: `log` (records, the clock, storage) and `appliers` (what each kind of event
does to the booth tables, in one literal table) under this module's API — record, rebuild,
merge. Nothing registers itself by import side effect.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import ExitStack
from datetime import datetime
from itertools import islice
from operator import itemgetter

import sqlite_utils

from kiosk.db import transaction
from kiosk.events.appliers import APPLIERS, REPLAY_SCOPES, RESETS
from kiosk.events.log import (
    COLUMNS,
    MAX_CLOCK_SKEW,
    Event,
    EventKind,
    StoredRow,
    event_from_row,
    insert,
    iter_events,
    latest_order_key,
    new_event,
    next_ts,
    stored_row,
    utc_key,
)
from kiosk.store import iso

__all__ = [
    "APPLIERS",
    "COLUMNS",
    "MAX_CLOCK_SKEW",
    "Event",
    "EventKind",
    "StoredRow",
    "apply",
    "event_from_row",
    "iter_events",
    "latest_order_key",
    "merge_events",
    "merge_rows",
    "new_event",
    "next_ts",
    "rebuild",
    "record",
    "reset_booth_state",
    "utc_key",
]

_INSERT_SQL = f"INSERT OR IGNORE INTO events({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"


def apply(db: sqlite_utils.Database, event: Event) -> None:
    applier = APPLIERS.get(event.kind)
    if applier is None:
        raise ValueError(f"unknown event kind {event.kind!r}")
    applier(db, event)


def record(db: sqlite_utils.Database, *events: Event, now: datetime | None = None) -> None:
    """Append events and apply them, all in one transaction: all of them land or none.

    `now` (this kiosk's time) is kept as each event's `recorded_at`; without it, the
    event's own time is. An event that sorts before the log's last event — stamped by
    `next_ts` at this kiosk's `now` while events merged from a kiosk whose clock ran ahead
    sort later — cannot simply be applied on top: the booth state is then replayed from
    the log, as `merge_rows` does, so it is always the replay of the log in order.
    """
    recorded_at = iso(now) if now is not None else None
    with transaction(db):
        last = latest_order_key(db)
        replay = False
        for event in events:
            if not insert(db, event, recorded_at) or replay:
                continue
            if last is not None and event.order_key < last:
                replay = True  # applied by the replay below, in its place in the log
                continue
            apply(db, event)
            last = event.order_key
        if replay:
            _replay_all(db)


def reset_booth_state(db: sqlite_utils.Database) -> None:
    """Return the materialized tables to what the CRM import alone says."""
    for sql in RESETS:
        db.execute(sql)


def rebuild(db: sqlite_utils.Database) -> int:
    """Replay the whole log onto the CRM data; returns how many events were applied."""
    with transaction(db):
        return _replay_all(db)


def _replay_all(db: sqlite_utils.Database) -> int:
    reset_booth_state(db)
    return _apply_many(db, iter_events(db))


def _apply_many(db: sqlite_utils.Database, events: Iterable[Event]) -> int:
    """Apply events in the given order inside every registered REPLAY_SCOPES context.

    A scope may change the schema on its way out, which SQLite refuses while a SELECT is
    still stepping: should an applier fail mid-log, the `iter_events` generator is closed
    (its statement reset) before the scopes exit, so the applier's own error is the one
    the caller sees.
    """
    count = 0
    with ExitStack() as stack:
        for scope in REPLAY_SCOPES:
            stack.enter_context(scope(db))
        events = iter(events)
        if close := getattr(events, "close", None):
            stack.callback(close)
        for event in events:
            apply(db, event)
            count += 1
    return count


def merge_events(
    db: sqlite_utils.Database, events: Iterable[Event], *, now: datetime | None = None
) -> tuple[int, int]:
    """Add events from another kiosk; returns (new, already known). See `merge_rows`."""
    return merge_rows(db, (stored_row(event, "") for event in events), now=now)


def merge_rows(
    db: sqlite_utils.Database, rows: Iterable[StoredRow], *, now: datetime | None = None
) -> tuple[int, int]:
    """Add stored event rows (`COLUMNS` order) from other kiosks; returns (new, known).

    `now` (the merging kiosk's time) is kept as each new event's `recorded_at`; without
    it, the event's own time is.

    New events that all sort after this log's last event are simply applied. If any sorts
    earlier, applying it now would differ from applying it in order, so the booth state is
    rebuilt from the log instead: the result is the same whatever order kiosks merge in.

    Rows rather than Events, because a merge of 100,000 events is dominated by per-event
    Python work: the payload text is copied into the log as it is, and each payload is
    decoded only when its event is applied, so a decoded event lives for one apply instead
    of the whole merge (which also keeps the cyclic garbage collector from walking them).
    """
    known = 0
    recorded_at = iso(now) if now is not None else None
    stream = iter(rows)
    with transaction(db):
        last = latest_order_key(db)
        fresh: list[StoredRow] = []
        seen: set[str] = set()
        # In chunks: one query finds which uuids the log already has.
        while chunk := list(islice(stream, 500)):
            marks = ",".join("?" * len(chunk))
            have = {r[0] for r in db.execute(
                f"SELECT uuid FROM events WHERE uuid IN ({marks})", [r[0] for r in chunk]
            )}  # fmt: skip
            for uuid, kiosk_id, ts, ts_utc, _, actor, kind, payload in chunk:
                if uuid in have or uuid in seen:
                    known += 1
                    continue
                seen.add(uuid)
                ts_utc = ts_utc or utc_key(ts)
                fresh.append(
                    (uuid, kiosk_id, ts, ts_utc, recorded_at or ts_utc, actor, kind, payload)
                )
        if not fresh:
            return 0, known
        # Stored in replay order, the events_order index is appended to, not split.
        fresh.sort(key=itemgetter(3, 0))
        db.conn.executemany(_INSERT_SQL, fresh)
        if last is not None and (fresh[0][3], fresh[0][0]) < last:
            _replay_all(db)
        else:
            _apply_many(db, map(event_from_row, fresh))
    return len(fresh), known
