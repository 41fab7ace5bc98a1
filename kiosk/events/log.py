"""The event log's records and storage: what an event is, when it is stamped, how it is stored.

The bottom of `kiosk.events`: `Event`, `new_event`, the hybrid logical clock `next_ts`, and
reading and writing rows of the append-only `events` table. It knows nothing of what an
event does to the booth tables (`kiosk.events.appliers`).
"""

from __future__ import annotations

import json
import uuid as uuidlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cached_property
from typing import Any, Literal

import sqlite_utils

from kiosk.store import parse_ts

# Every kind of event the booth records; `kiosk.events.appliers.APPLIERS` has one applier each.
EventKind = Literal[
    "checkin", "checkin.received", "walkin.arrived", "lead.created", "proposal.decided",
    "contact.preference", "salesperson.away", "invitation.sent", "badges.layout",
    "dispute.note", "dispute.decided", "dispute.review", "dispute.undone",
    "pin.failed",
]  # fmt: skip


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


def stored_row(event: Event, recorded_at: str) -> StoredRow:
    # An event read from a log carries its stored JSON (see event_from_row): a merge copies
    # that text instead of re-encoding. `dataclasses.replace` builds a new instance without
    # it, so an edited payload is always encoded afresh.
    payload = event.__dict__.get("_stored_payload")
    if payload is None:
        payload = json.dumps(event.payload, ensure_ascii=False, sort_keys=True)
    return (event.uuid, event.kiosk_id, event.ts, event.ts_utc, recorded_at, event.actor,
            event.kind, payload)  # fmt: skip


def insert(db: sqlite_utils.Database, event: Event, recorded_at: str | None) -> bool:
    """Store the event; False when its uuid is already in the log (a merge seeing it again)."""
    # Without the caller's `now`, the event's own time (its replay key) stands in.
    cur = db.execute(_INSERT_SQL, stored_row(event, recorded_at or event.ts_utc))
    return cur.rowcount == 1


def event_from_row(row: Mapping[str, Any] | StoredRow) -> Event:
    """An Event from an `events` row: a mapping, or a tuple in `COLUMNS` order.

    A merge or a rebuild turns every row of the log into an Event, so this is on the hot
    path. The frozen dataclass' generated `__init__` sets each field through
    `object.__setattr__`; filling the instance dict in one update gives the same object
    (Event has no `__post_init__`) in a fraction of the time.
    """
    values: tuple[Any, ...]
    if type(row) is tuple:  # checked first: an isinstance(…, Mapping) costs more
        values = row
    elif isinstance(row, Mapping):
        values = tuple(row.get(c) for c in _FIELDS)
    else:
        values = tuple(row)
    uuid, kiosk_id, ts, ts_utc, recorded_at, actor, kind, payload = values
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


def utc_key(ts: str) -> str:
    """The replay key of a row stored without one (`Event.ts_utc` computes the same)."""
    return Event("", "", ts, "").ts_utc


def stamp_words(ts: str) -> str:
    """An event's stored time as a person reads it, with the zone it was stamped in:
    '2026-12-02 06:37 UTC', '2026-12-02 07:37 UTC+01:00' (was '2026-12-02T06:37', whose zone
    the reader had to guess, beside screens that show the show's local time)."""
    day, _, rest = ts.partition("T")
    zone = rest[-6:] if len(rest) >= 6 and rest[-6] in "+-" else ""
    shown = f"{day} {rest[:5]}".rstrip()
    if not zone:
        return shown
    return f"{shown} UTC" if zone == "+00:00" else f"{shown} UTC{zone}"
