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
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cached_property
from itertools import islice
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


_INSERT_SQL = (
    "INSERT OR IGNORE INTO events(uuid, kiosk_id, ts, ts_utc, recorded_at, actor, kind, payload)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)


def _row(event: Event, recorded_at: str) -> tuple[str, ...]:
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


def event_from_row(row: Mapping[str, Any] | tuple) -> Event:
    """An Event from an `events` row (a mapping, or the tuple `iter_events` selects)."""
    ts_utc = None
    if not isinstance(row, Mapping):
        uuid, kiosk_id, ts, kind, payload, actor, recorded_at, *rest = row
        ts_utc = rest[0] if rest else None
        row = dict(
            uuid=uuid,
            kiosk_id=kiosk_id,
            ts=ts,
            kind=kind,
            payload=payload,
            actor=actor,
            recorded_at=recorded_at,
        )
    else:
        ts_utc = row.get("ts_utc")
    payload = row["payload"]
    event = Event(
        uuid=row["uuid"],
        kiosk_id=row["kiosk_id"],
        ts=row["ts"],
        kind=row["kind"],
        payload=json.loads(payload) if isinstance(payload, str) else dict(payload),
        actor=row["actor"] or "",
        recorded_at=row["recorded_at"] or "",
    )
    if isinstance(payload, str):
        event.__dict__["_stored_payload"] = payload
    if ts_utc:
        event.__dict__["ts_utc"] = ts_utc  # the stored replay key, already computed once
    return event


def iter_events(db: sqlite_utils.Database, *, since_utc: str | None = None) -> Iterable[Event]:
    """The log in replay order."""
    sql = "SELECT uuid, kiosk_id, ts, kind, payload, actor, recorded_at, ts_utc FROM events"
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
    count = 0
    with transaction(db):
        reset_booth_state(db)
        for event in iter_events(db):
            apply(db, event)
            count += 1
    return count


def merge_events(db: sqlite_utils.Database, events: Iterable[Event]) -> tuple[int, int]:
    """Add events from another kiosk; returns (new, already known).

    New events that all sort after this log's last event are simply applied. If any sorts
    earlier, applying it now would differ from applying it in order, so the booth state is
    rebuilt from the log instead: the result is the same whatever order kiosks merge in.
    """
    _load_appliers()
    new = known = 0
    recorded_at = iso(now_utc()) or ""
    stream = iter(events)
    with transaction(db):
        last = latest_order_key(db)
        fresh: list[Event] = []
        seen: set[str] = set()
        # In chunks: one query finds which uuids the log has, one executemany stores the rest.
        while chunk := list(islice(stream, 500)):
            marks = ",".join("?" * len(chunk))
            have = {r[0] for r in db.execute(
                f"SELECT uuid FROM events WHERE uuid IN ({marks})", [e.uuid for e in chunk]
            )}  # fmt: skip
            rows = []
            for event in chunk:
                if event.uuid in have or event.uuid in seen:
                    known += 1
                    continue
                seen.add(event.uuid)
                fresh.append(event)
                rows.append(_row(event, recorded_at))
            db.conn.executemany(_INSERT_SQL, rows)
        new = len(fresh)
        if not fresh:
            return new, known
        fresh.sort(key=lambda e: e.order_key)
        if last is not None and fresh[0].order_key < last:
            reset_booth_state(db)
            for event in iter_events(db):
                apply(db, event)
        else:
            for event in fresh:
                apply(db, event)
    return new, known


def _load_appliers() -> None:
    """Import the modules that register appliers (kept out of this module's import time)."""
    import kiosk.appliers  # noqa: F401
