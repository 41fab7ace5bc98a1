"""The append-only event log: every change made at the booth, and how it is applied.

A booth action (a check-in, a new lead, a manager's decision) is written as one row in
`events` *and* applied to the materialized tables in the same transaction, so the two can
never disagree. Because the log is the source of truth, `rebuild` can throw the
materialized booth state away and replay it, and merging kiosks is replaying events by
UUID in one global order — (UTC time, uuid) — which makes a merge idempotent and
independent of the order in which kiosks are merged.
"""

from __future__ import annotations

import json
import uuid as uuidlib
from collections.abc import Callable, Iterable, Mapping
from contextlib import AbstractContextManager, ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cached_property
from itertools import islice
from operator import itemgetter
from typing import Any

import sqlite_utils

from kiosk.db import transaction
from kiosk.store import iso, now_utc, parse_ts


@dataclass(frozen=True)
class Event:
    uuid: str
    kiosk_id: str
    ts: str  # original time with zone, as the kiosk's clock said
    kind: str
    payload: dict[str, Any] = field(default_factory=dict)
    actor: str = ""
    recorded_at: str = ""

    @cached_property  # replay sorts and stores it once per event; parsing it is not free
    def ts_utc(self) -> str:
        dt = parse_ts(self.ts) or datetime.fromtimestamp(0, UTC)
        return dt.astimezone(UTC).isoformat(timespec="microseconds")

    @property
    def order_key(self) -> tuple[str, str]:
        return (self.ts_utc, self.uuid)


Applier = Callable[[sqlite_utils.Database, Event], None]
APPLIERS: dict[str, Applier] = {}
# SQL that resets what the appliers build, run by `rebuild` before replaying the log.
RESETS: list[str] = []
# Context managers entered around a replay of many events (a merge, a rebuild), registered
# next to the appliers: for work that is cheaper once per replay than once per event.
# They must leave the tables exactly as applying the events one by one would.
REPLAY_SCOPES: list[Callable[[sqlite_utils.Database], AbstractContextManager[object]]] = []


def applies(kind: str) -> Callable[[Applier], Applier]:
    """Register the function that applies events of `kind` to the materialized tables."""

    def register(fn: Applier) -> Applier:
        if kind in APPLIERS:
            raise ValueError(f"event kind {kind!r} already has an applier")
        APPLIERS[kind] = fn
        return fn

    return register


def new_event(
    kind: str,
    payload: Mapping[str, Any],
    *,
    kiosk_id: str,
    actor: str = "",
    ts: datetime | None = None,
) -> Event:
    when = ts or now_utc()
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return Event(
        uuid=str(uuidlib.uuid4()),
        kiosk_id=kiosk_id,
        ts=when.isoformat(timespec="microseconds"),
        kind=kind,
        payload=dict(payload),
        actor=actor,
    )


def next_ts(db: sqlite_utils.Database, when: datetime | None = None) -> datetime:
    """The time to stamp a new booth event with: now, but never before the log's last event.

    A laptop clock can step backwards (NTP, a wrong time zone fixed mid-show). Replay order
    is (time, uuid), so an event stamped before one it follows would be replayed before its
    cause — a "received" before the check-in it closes. Like a hybrid logical clock, we keep
    the wall-clock time unless that would go backwards, and then step one microsecond past
    the latest event instead.
    """
    when = when or now_utc()
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    last = latest_order_key(db)
    if last is not None:
        floor = datetime.fromisoformat(last[0]) + timedelta(microseconds=1)
        if when < floor:
            return floor.astimezone(when.tzinfo)
    return when


# The column order of a stored row, as `_INSERT_SQL` takes it and `iter_events` reads it.
COLUMNS = "uuid, kiosk_id, ts, ts_utc, recorded_at, actor, kind, payload"
_INSERT_SQL = f"INSERT OR IGNORE INTO events({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
_FIELDS = tuple(c.strip() for c in COLUMNS.split(","))
StoredRow = tuple[str, str, str, str, str, str, str, str]


def _row(event: Event, recorded_at: str) -> StoredRow:
    # An event read from a log carries its stored JSON (see event_from_row): a merge copies
    # that text instead of re-encoding. `dataclasses.replace` builds a new instance without
    # it, so an edited payload is always encoded afresh.
    payload = event.__dict__.get("_stored_payload")
    if payload is None:
        payload = json.dumps(event.payload, ensure_ascii=False, sort_keys=True)
    return (event.uuid, event.kiosk_id, event.ts, event.ts_utc, recorded_at, event.actor,
            event.kind, payload)  # fmt: skip


def _insert(db: sqlite_utils.Database, event: Event) -> bool:
    """Store the event; False when its uuid is already in the log (a merge seeing it again)."""
    cur = db.execute(_INSERT_SQL, _row(event, iso(now_utc()) or ""))
    return cur.rowcount == 1


def apply(db: sqlite_utils.Database, event: Event) -> None:
    applier = APPLIERS.get(event.kind)
    if applier is None:
        raise ValueError(f"unknown event kind {event.kind!r}")
    applier(db, event)


def record(db: sqlite_utils.Database, *events: Event) -> None:
    """Append events and apply them, all in one transaction: all of them land or none."""
    _load_appliers()
    with transaction(db):
        for event in events:
            if _insert(db, event):
                apply(db, event)


def event_from_row(row: Mapping[str, Any] | StoredRow) -> Event:
    """An Event from an `events` row: a mapping, or a tuple in `COLUMNS` order.

    A merge or a rebuild turns every row of the log into an Event, so this is on the hot
    path. The frozen dataclass' generated `__init__` sets each field through
    `object.__setattr__`; filling the instance dict in one update gives the same object
    (Event has no `__post_init__`) in a fraction of the time.
    """
    if type(row) is not tuple:  # checked first: an isinstance(…, Mapping) costs more
        row = tuple(row.get(c) for c in _FIELDS) if isinstance(row, Mapping) else tuple(row)
    uuid, kiosk_id, ts, ts_utc, recorded_at, actor, kind, payload = row
    stored = isinstance(payload, str)
    event = object.__new__(Event)
    fields = event.__dict__
    fields.update(
        uuid=uuid,
        kiosk_id=kiosk_id,
        ts=ts,
        kind=kind,
        payload=json.loads(payload) if stored else dict(payload),
        actor=actor or "",
        recorded_at=recorded_at or "",
    )
    if stored:
        fields["_stored_payload"] = payload
    if ts_utc:
        fields["ts_utc"] = ts_utc  # the stored replay key, already computed once
    return event


def iter_events(db: sqlite_utils.Database, *, since_utc: str | None = None) -> Iterable[Event]:
    """The log in replay order."""
    sql = f"SELECT {COLUMNS} FROM events"
    params: list[Any] = []
    if since_utc:
        sql += " WHERE ts_utc > ?"
        params.append(since_utc)
    sql += " ORDER BY ts_utc, uuid"
    for row in db.execute(sql, params):
        yield event_from_row(row)


def latest_order_key(db: sqlite_utils.Database) -> tuple[str, str] | None:
    row = db.execute(
        "SELECT ts_utc, uuid FROM events ORDER BY ts_utc DESC, uuid DESC LIMIT 1"
    ).fetchone()
    return (row[0], row[1]) if row else None


def reset_booth_state(db: sqlite_utils.Database) -> None:
    """Return the materialized tables to what the CRM import alone says."""
    _load_appliers()
    for sql in RESETS:
        db.execute(sql)


def rebuild(db: sqlite_utils.Database) -> int:
    """Replay the whole log onto the CRM data; returns how many events were applied."""
    _load_appliers()
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


def merge_events(db: sqlite_utils.Database, events: Iterable[Event]) -> tuple[int, int]:
    """Add events from another kiosk; returns (new, already known). See `merge_rows`."""
    return merge_rows(db, (_row(event, "") for event in events))


def merge_rows(db: sqlite_utils.Database, rows: Iterable[StoredRow]) -> tuple[int, int]:
    """Add stored event rows (`COLUMNS` order) from other kiosks; returns (new, known).

    New events that all sort after this log's last event are simply applied. If any sorts
    earlier, applying it now would differ from applying it in order, so the booth state is
    rebuilt from the log instead: the result is the same whatever order kiosks merge in.

    Rows rather than Events, because a merge of 100,000 events is dominated by per-event
    Python work: the payload text is copied into the log as it is, and each payload is
    decoded only when its event is applied, so a decoded event lives for one apply instead
    of the whole merge (which also keeps the cyclic garbage collector from walking them).
    """
    _load_appliers()
    known = 0
    recorded_at = iso(now_utc()) or ""
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
                ts_utc = ts_utc or _utc(ts)
                fresh.append((uuid, kiosk_id, ts, ts_utc, recorded_at, actor, kind, payload))
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


def _utc(ts: str) -> str:
    """The replay key of a row stored without one (`Event.ts_utc` computes the same)."""
    return Event("", "", ts, "").ts_utc


def _load_appliers() -> None:
    """Import the modules that register appliers (kept out of this module's import time)."""
    import kiosk.appliers  # noqa: F401
