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
from kiosk.store import iso, parse_ts


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
    ts: datetime,
    actor: str = "",
) -> Event:
    """A new event stamped `ts` (usually `next_ts(db, kiosk_id, now)`; naive means UTC)."""
    when = ts if ts.tzinfo is not None else ts.replace(tzinfo=UTC)
    return Event(
        uuid=str(uuidlib.uuid4()),
        kiosk_id=kiosk_id,
        ts=when.isoformat(timespec="microseconds"),
        kind=kind,
        payload=dict(payload),
        actor=actor,
    )


# How far ahead of this kiosk's clock another kiosk's events may be stamped and still count
# as "the same time": within it, merged events move this kiosk's clock forward (so new events
# sort after what it has seen); beyond it, a kiosk's clock is wrong and moves nobody's.
MAX_CLOCK_SKEW = timedelta(minutes=10)


def next_ts(
    db: sqlite_utils.Database,
    kiosk_id: str,
    now: datetime,
    *,
    after: Iterable[str] = (),
    max_skew: timedelta = MAX_CLOCK_SKEW,
) -> datetime:
    """The time to stamp a new event of kiosk `kiosk_id` with: `now`, but never before an
    event this kiosk has seen (then one microsecond past it) — a hybrid logical clock.

    A laptop clock can step backwards (NTP, a wrong time zone fixed mid-show), and kiosks'
    clocks differ by seconds. Replay order is (time, uuid), so an event stamped before one
    it follows would be replayed before its cause — a "received" before the check-in it
    closes — and a merge would have to replay the log. So the floor is this kiosk's own last
    stamp and the latest event in the log stamped no later than `now + max_skew`.

    Events stamped further ahead come from a kiosk whose clock is wrong: they do not move
    this kiosk's clock, or one kiosk a year ahead would, once merged, drag every later event
    of every kiosk a year ahead (and today's check-ins off the dashboard). A new event then
    sorts before them and `record` replays the log to keep the tables in replay order.

    `after` names (by uuid) events the new one answers — the check-in a "received" closes,
    the event that raised the proposal a decision settles — even when they lie beyond the
    skew: the answer must replay after its cause, where it finds something to act on.
    Reads the events_kiosk_order and events_order indexes.
    """
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    horizon = (now + max_skew).astimezone(UTC).isoformat(timespec="microseconds")
    (own,) = db.execute("SELECT max(ts_utc) FROM events WHERE kiosk_id = ?", [kiosk_id]).fetchone()
    (seen,) = db.execute("SELECT max(ts_utc) FROM events WHERE ts_utc <= ?", [horizon]).fetchone()
    floors = [t for t in (own, seen) if t]
    causes = list(dict.fromkeys(after))
    if causes:
        marks = ",".join("?" * len(causes))
        (cause,) = db.execute(
            f"SELECT max(ts_utc) FROM events WHERE uuid IN ({marks})", causes
        ).fetchone()
        if cause:
            floors.append(cause)
    if floors:
        floor = datetime.fromisoformat(max(floors)) + timedelta(microseconds=1)
        if now < floor:
            return floor.astimezone(now.tzinfo)
    return now


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


def _insert(db: sqlite_utils.Database, event: Event, recorded_at: str | None) -> bool:
    """Store the event; False when its uuid is already in the log (a merge seeing it again)."""
    # Without the caller's `now`, the event's own time (its replay key) stands in.
    cur = db.execute(_INSERT_SQL, _row(event, recorded_at or event.ts_utc))
    return cur.rowcount == 1


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
    _load_appliers()
    recorded_at = iso(now) if now is not None else None
    with transaction(db):
        last = latest_order_key(db)
        replay = False
        for event in events:
            if not _insert(db, event, recorded_at) or replay:
                continue
            if last is not None and event.order_key < last:
                replay = True  # applied by the replay below, in its place in the log
                continue
            apply(db, event)
            last = event.order_key
        if replay:
            _replay_all(db)


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


def merge_events(
    db: sqlite_utils.Database, events: Iterable[Event], *, now: datetime | None = None
) -> tuple[int, int]:
    """Add events from another kiosk; returns (new, already known). See `merge_rows`."""
    return merge_rows(db, (_row(event, "") for event in events), now=now)


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
    _load_appliers()
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


def utc_key(ts: str) -> str:
    """The replay key of a row stored without one (`Event.ts_utc` computes the same)."""
    return Event("", "", ts, "").ts_utc


def _load_appliers() -> None:
    """Import the modules that register appliers (kept out of this module's import time)."""
    import kiosk.appliers  # noqa: F401
