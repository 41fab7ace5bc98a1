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

import heapq
import sqlite3
from collections.abc import Callable, Container, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, ExitStack, nullcontext
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from operator import itemgetter
from typing import Any

import sqlite_utils

from kiosk.bulk import deferred_indexes
from kiosk.db import last_rowid, transaction
from kiosk.events.appliers import APPLIERS, REPLAY_SCOPES, RESETS, SCOPED_KINDS, CheckinBatch
from kiosk.events.commute import LatePlan, late_plan, retract
from kiosk.events.copies import IN_THE_LOG, differences, differing_copy, taken_from
from kiosk.events.leads import LeadRun
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
from kiosk.events.validate import (
    BadEvent,
    Rejected,
    check_columns,
    check_stored,
    plain_values,
    quarantine_row,
    shown,
)
from kiosk.installs import note_own
from kiosk.store import iso

__all__ = [
    "APPLIERS",
    "COLUMNS",
    "MAX_CLOCK_SKEW",
    "Event",
    "EventKind",
    "Rejected",
    "StoredRow",
    "apply",
    "apply_many",
    "differences",
    "differing_copy",
    "event_from_row",
    "iter_events",
    "known_uuids",
    "latest_order_key",
    "merge_events",
    "merge_rows",
    "new_event",
    "next_ts",
    "rebuild",
    "record",
    "reset_booth_state",
    "set_aside",
    "taken_from",
    "utc_key",
]

_INSERT_SQL = f"INSERT OR IGNORE INTO events({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"


@dataclass(frozen=True)
class Known:
    """The uuids of the log's rows up to rowid `upto`, read once by a caller that must
    know them before `merge_rows` begins (`kiosk.sync.merge` counts each file's new
    events). The log is append-only, so the rows past `upto` are the only ones that can
    have come since; `merge_rows` reads those inside its transaction."""

    uuids: set[Any]
    upto: int


def known_uuids(db: sqlite_utils.Database) -> Known:
    upto = last_rowid(db, "events")
    uuids = {r[0] for r in db.execute("SELECT uuid FROM events WHERE rowid <= ?", [upto])}
    return Known(uuids, int(upto))


# A merge that adds at least this many rows to a table, and at least as many as it holds,
# builds the table's secondary indexes again after its inserts instead of keeping them up
# to date row by row: a sort instead of a B-tree search per row and index (measured on a
# fresh office database, 100,000 events: events + check-ins inserts 0.94 s with the
# indexes kept, 0.52 s + 0.18 s to build them). Only the big merge of a fresh office
# database does it: the drop and the build are schema changes, after which every other
# connection prepares its statements again, and a hub pull is a few events.
DEFER_INDEXES_AT = 5_000


def _defer_indexes(
    db: sqlite_utils.Database, table: str, adding: int
) -> AbstractContextManager[None]:
    """`kiosk.bulk.deferred_indexes` of `table` when adding `adding` rows makes it worth it."""
    if adding >= DEFER_INDEXES_AT:
        top = last_rowid(db, table)
        if adding >= top:
            return deferred_indexes(db, (table,))
    return nullcontext()


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
        # this laptop writes under these kiosk ids (two laptops sharing one: kiosk.installs)
        note_own(db, (e.kiosk_id for e in events))
        last = latest_order_key(db)
        replay = False
        for event in events:
            if not insert(db, event, recorded_at) or replay:
                continue
            if last is not None and event.order_key < last:
                # Usual with a hub: a pull landed another kiosk's later events between
                # this event's stamp and now. A plain check-in is applied where it lands.
                row = stored_row(event, recorded_at or event.ts_utc)
                plan = late_plan(db, [row], [row])
                if plan is None:
                    replay = True  # applied by the replay below, in its place in the log
                    continue
                retract(db, plan, event.uuid)
                apply(db, event)
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


def apply_many(db: sqlite_utils.Database, events: Iterable[Event]) -> int:
    """Apply events, in the given order, on top of the booth state (a replay's next events,
    all sorting after the ones applied: `kiosk.events.aside`); how many."""
    return _apply_many(db, events)


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
        batch = CheckinBatch(db)
        leads = LeadRun(db, batch)
        for event in events:
            if event.kind == "lead.created" and leads.add(event):
                count += 1
                continue
            if not batch.add(event):  # flushed (the leads queued first)
                leads.forget()  # what the run knew may change
                apply(db, event)
            count += 1
        batch.flush()
    return count


def merge_events(
    db: sqlite_utils.Database,
    events: Iterable[Event],
    *,
    now: datetime | None = None,
    rejected: list[Rejected] | None = None,
) -> tuple[int, int]:
    """Add events from another kiosk; returns (new, already known). See `merge_rows`."""
    return merge_rows(db, (stored_row(event, "") for event in events), now=now, rejected=rejected)


# What an applier raises for an event that does not fit this database (a contact or a
# salesperson it lacks, a value a table refuses): that event is set aside, the rest merge.
# Anything else (a locked or full disk, a damaged file) stops the merge as before.
_UNFIT = (
    sqlite3.IntegrityError, sqlite3.ProgrammingError, sqlite3.InterfaceError, ValueError,
    TypeError, KeyError, IndexError, AttributeError,
)  # fmt: skip


def _unfit_reason(exc: BaseException) -> str:
    text = str(exc)
    if isinstance(exc, sqlite3.IntegrityError) and "FOREIGN KEY" in text:
        return "names a contact or salesperson this database does not have"
    return f"cannot be applied here: {type(exc).__name__}: {text}"[:300]


def merge_rows(
    db: sqlite_utils.Database,
    rows: Iterable[Sequence[Any]],
    *,
    now: datetime | None = None,
    rejected: list[Rejected] | None = None,
    source_of: Callable[[Sequence[Any]], str] | None = None,
    known_ids: Known | None = None,
) -> tuple[int, int]:
    """Add stored event rows (`COLUMNS` order) from other kiosks; returns (new, known).

    `known_ids` (`known_uuids`, read earlier by the caller) spares looking each row's uuid up
    in the log: the rows stored since it was read are added to it first.

    `now` (the merging kiosk's time) is kept as each new event's `recorded_at`; without
    it, the event's own time is.

    Every new row is checked on its own (`kiosk.events.validate.check_row`: columns, time,
    kind, payload shape; text made inert). A row that fails, or whose event cannot be
    applied to this database (it names a contact this database does not have), is set
    aside: kept in the `quarantine` table with the reason and `source_of(row)` (its file),
    appended to `rejected`, and left out of the log, so a later rebuild never meets it.
    The others merge. A row whose uuid the log has (or an earlier row of `rows` had) is
    known, unless it says something else (`kiosk.events.copies`): then it is set aside the
    same way and the copy taken stands. Of the uuids in `known_ids`, only those stored since
    it was read are compared here (the caller compared the others).

    New events that all sort after this log's last event are simply applied. If any sorts
    earlier, applying it now would in general differ from applying it in order, so the
    booth state is rebuilt from the log instead: the result is the same whatever order
    kiosks merge in. Late plain check-ins that commute with everything after them
    (`kiosk.events.commute`: the hub's usual case) are applied where they land.

    Rows rather than Events, because a merge of 100,000 events is dominated by per-event
    Python work: the payload text is copied into the log as it is, and each payload is
    decoded only when its event is checked and applied, so a decoded event lives for one
    apply instead of the whole merge (which also keeps the cyclic garbage collector from
    walking them). Applying runs optimistically under one savepoint; only when an event
    fails is it run again event by event, each under its own.
    """
    known = 0
    recorded_at = iso(now) if now is not None else None
    bad: list[Rejected] = []
    stream = iter(rows)
    with transaction(db):
        last = latest_order_key(db)
        fresh: list[StoredRow] = []
        seen: dict[Any, Sequence[Any]] = {}  # uuid → the copy this merge took
        logged: dict[Any, Sequence[Any]] = {}  # uuid → the log's copy, for those compared
        if known_ids is not None:
            logged = {
                r[0]: r
                for r in db.execute(
                    f"SELECT {COLUMNS} FROM events WHERE rowid > ?", [known_ids.upto]
                )
            }
            known_ids.uuids.update(logged)
        # In chunks: one query finds which uuids the log already has, and their copies.
        while chunk := [tuple(r) for r in islice(stream, 500)]:
            if known_ids is not None:
                have: Container[Any] = known_ids.uuids
            else:
                ids = [r[0] for r in chunk if r and isinstance(r[0], str)]
                marks = ",".join("?" * len(ids))
                have = logged = {r[0]: r for r in db.execute(
                    f"SELECT {COLUMNS} FROM events WHERE uuid IN ({marks})", ids
                )} if ids else {}  # fmt: skip
            for row in chunk:
                uuid = row[0] if row else None
                if uuid in have or uuid in seen:
                    # The same event again is known; a copy that differs is set aside
                    # (`kiosk.events.copies`). A caller's `known_ids` were compared by it.
                    first = seen.get(uuid) or logged.get(uuid)
                    if first is not None and (what := differences(first, row)):
                        taken = taken_from("an earlier row") if uuid in seen else IN_THE_LOG
                        bad.append(differing_copy(row, what, taken=taken))
                    else:
                        known += 1
                    continue
                try:
                    checked = check_columns(row)
                except BadEvent as exc:
                    bad.append(Rejected(row, str(exc)))
                    continue
                seen[uuid] = row
                fresh.append((*checked[:4], recorded_at or checked[3], *checked[5:]))
        added = 0
        if fresh:
            # Stored in replay order, the events_order index is appended to, not split.
            fresh.sort(key=itemgetter(3, 0))
            late = [r for r in fresh if last is not None and (r[3], r[0]) < last]
            plan = late_plan(db, late, fresh)
            people = frozenset(r[0] for r in db.execute("SELECT id FROM salespeople"))
            if plan is None:
                added = _merge_replaying(db, fresh, bad, people)
            else:
                added = _merge_appending(db, fresh, bad, plan, people)
        if bad:
            at = recorded_at or ""
            _quarantine(
                db, [quarantine_row(r, source_of(r.row) if source_of else "", at) for r in bad]
            )
            if rejected is not None:
                rejected.extend(bad)
    return added, known


def set_aside(
    db: sqlite_utils.Database, rows: Iterable[Rejected], source: str, now: datetime
) -> None:
    """Keep rejected rows of `source` in the `quarantine` table (one already kept stays as
    it is), as `merge_rows` does with those it sets aside."""
    _quarantine(db, [quarantine_row(r, source, iso(now) or "") for r in rows])


def _quarantine(db: sqlite_utils.Database, rows: list[tuple[Any, ...]]) -> None:
    db.conn.executemany(
        "INSERT OR IGNORE INTO quarantine(key, uuid, kiosk_id, ts, actor, kind, payload,"
        " reason, source, quarantined_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
        rows,
    )


def _merge_appending(
    db: sqlite_utils.Database,
    fresh: list[StoredRow],
    bad: list[Rejected],
    plan: LatePlan,
    people: Container[str],
) -> int:
    """Apply and store new events in order: all sort after the log, or the late ones
    commute (`plan`); how many."""
    mark = len(bad)
    checkins = sum(1 for row in fresh if row[6] == "checkin")
    with _defer_indexes(db, "checkins", checkins):
        db.execute("SAVEPOINT merge_apply")
        try:
            good = _apply_rows(db, fresh, bad, careful=False, plan=plan, people=people)
        except _UNFIT:
            db.execute("ROLLBACK TO merge_apply")
            db.execute("RELEASE merge_apply")
            del bad[mark:]  # the careful pass finds them again
            good = _apply_rows(db, fresh, bad, careful=True, plan=plan, people=people)
        else:
            db.execute("RELEASE merge_apply")
    with _defer_indexes(db, "events", len(good)):
        db.conn.executemany(_INSERT_SQL, good)
    return len(good)


def _apply_rows(
    db: sqlite_utils.Database,
    rows: list[StoredRow],
    bad: list[Rejected],
    *,
    careful: bool,
    plan: LatePlan | None = None,
    people: Container[str] | None = None,
) -> list[StoredRow]:
    """Check and apply each row in order, inside the replay scopes; the rows that applied.

    A row that fails its check, or names a salesperson not in `people` (`strangers`), goes
    to `bad`. With `careful`, each event is applied under its own savepoint and one that
    does not fit goes to `bad`; without, it raises.
    """
    good: list[StoredRow] = []
    with ExitStack() as stack:
        if any(row[6] in SCOPED_KINDS for row in rows):
            for scope in REPLAY_SCOPES:
                stack.enter_context(scope(db))
        batch = CheckinBatch(db)
        leads = None if careful else LeadRun(db, batch)  # a merge's leads, decided in memory
        for row in rows:
            # a plain check-in or mark in the booth's own form is applied undecoded
            if not careful and (values := plain_values(row[6], row[7])) is not None:
                if people is not None and (who := _plain_strangers(row[6], values, people)):
                    bad.append(Rejected(row, stranger_reason(who)))
                    continue
                retract(db, plan, row[0])
                batch.add_plain(row, values)
                good.append(row)
                continue
            try:
                stored, event = check_stored(row)
            except BadEvent as exc:
                bad.append(Rejected(row, str(exc)))
                continue
            if people is not None and (who := strangers(event.kind, event.payload, people)):
                bad.append(Rejected(row, stranger_reason(who)))
                continue
            if careful:
                if _apply_one(db, event, row, bad, plan):
                    good.append(stored)
                continue
            if leads is not None:
                if event.kind == "lead.created" and leads.add(event):
                    good.append(stored)
                    continue
                if plan is not None and event.uuid in plan.retract:
                    batch.flush()  # the leads queued first: the items retracted are known
                    leads.forget()
            retract(db, plan, event.uuid)
            if not batch.add(event):  # flushed (the leads queued first)
                if leads is not None:
                    leads.forget()  # what the run knew may change
                apply(db, event)
            good.append(stored)
        batch.flush()
    return good


def strangers(kind: str, payload: Mapping[str, Any], people: Container[str]) -> list[str]:
    """The salespeople an arriving event names as bringing, inviting or receiving a visitor,
    or in a proposal, that this database does not have. Such an event is set aside like one
    naming a contact it lacks (a lead's owner is checked by the contacts table's foreign
    key): merged, it raised an item the manager could not settle ("unknown salesperson:
    zoe") and exports wrote the bare id where an e-mail belongs."""
    named: list[Any] = []
    if kind in ("checkin", "lead.created"):
        named += (payload.get("brought_by"), payload.get("invited_by"))
    elif kind == "checkin.received":
        named.append(payload.get("by"))
    else:
        return []
    for proposal in payload.get("proposals") or ():
        if isinstance(proposal, Mapping):
            named += (proposal.get("proposed_id"), proposal.get("current_id"))
    return [p for p in dict.fromkeys(named) if isinstance(p, str) and p and p not in people]


def _plain_strangers(kind: str, values: tuple[Any, ...], people: Container[str]) -> list[str]:
    """`strangers` for a plain check-in or mark, from what `plain_values` read."""
    named = values[4:6] if kind == "checkin" else values[1:2]
    return [p for p in named if isinstance(p, str) and p and p not in people]


def stranger_reason(who: Sequence[str]) -> str:
    return "names a salesperson this database does not have: " + ", ".join(map(shown, who))


def _apply_one(
    db: sqlite_utils.Database,
    event: Event,
    row: StoredRow,
    bad: list[Rejected],
    plan: LatePlan | None = None,
) -> bool:
    """Apply one event under its own savepoint; False (and the row in `bad`) if it does not
    fit this database."""
    db.execute("SAVEPOINT merge_event")
    try:
        retract(db, plan, event.uuid)
        apply(db, event)
    except _UNFIT as exc:
        db.execute("ROLLBACK TO merge_event")
        bad.append(Rejected(row, _unfit_reason(exc)))
        return False
    finally:
        db.execute("RELEASE merge_event")
    return True


def _merge_replaying(
    db: sqlite_utils.Database,
    fresh: list[StoredRow],
    bad: list[Rejected],
    people: Container[str],
) -> int:
    """New events of which some sort before the log's last: stored, and the booth state
    replayed from the log with them in place; how many were stored.

    The log's own events were accepted earlier (and may be in the CRM already): they stand.
    A new event that makes one of them fail in its place — a lead naming an owner this
    database does not have, whose dispute an approval already in the log approves — is set
    aside like one that does not fit at all, with the logged event it conflicts with
    (`_conflict`), and the rest merge.
    """
    checked: list[StoredRow] = []
    for row in fresh:
        try:
            stored, event = check_stored(row)
        except BadEvent as exc:
            bad.append(Rejected(row, str(exc)))
            continue
        if who := strangers(event.kind, event.payload, people):
            bad.append(Rejected(row, stranger_reason(who)))
            continue
        checked.append(stored)
    db.execute("SAVEPOINT merge_replay")
    try:
        db.conn.executemany(_INSERT_SQL, checked)
        _replay_all(db)
    except _UNFIT:
        db.execute("ROLLBACK TO merge_replay")
        db.execute("RELEASE merge_replay")
    else:
        db.execute("RELEASE merge_replay")
        return len(checked)
    # One of them does not fit: replay again, the log's own events as a rebuild applies
    # them and each new one under its own savepoint, then store those that applied. Should
    # one of the log's own events fail, the new event that made it fail is found, set
    # aside, and the replay starts again without it.
    conflicts: dict[str, str] = {}  # new uuid → why it was set aside
    while True:
        db.execute("SAVEPOINT merge_careful")
        unfit: list[Rejected] = []
        try:
            good = _replay_carefully(db, checked, unfit, skip=conflicts)
        except _LogEventFailed as failure:
            db.execute("ROLLBACK TO merge_careful")
            db.execute("RELEASE merge_careful")
            uuid, reason = _conflict(db, checked, conflicts, failure)
            conflicts[uuid] = reason
            continue
        db.execute("RELEASE merge_careful")
        break
    bad.extend(unfit)
    bad.extend(Rejected(row, conflicts[row[0]]) for row in checked if row[0] in conflicts)
    db.conn.executemany(_INSERT_SQL, good)
    return len(good)


class _LogEventFailed(Exception):
    """One of the log's own events failed in a careful replay (`_replay_carefully`)."""

    def __init__(self, event: Event, error: BaseException, applied: list[str]) -> None:
        super().__init__(str(error))
        self.event = event
        self.error = error
        self.applied = applied  # the new events applied before it, in replay order


def _replay_carefully(
    db: sqlite_utils.Database,
    rows: list[StoredRow],
    bad: list[Rejected],
    *,
    skip: Container[str] = (),
    only: Container[str] | None = None,
    upto: tuple[str, str] | None = None,
) -> list[StoredRow]:
    """Reset the booth state and replay the log with the new `rows` in place (those in
    `only`, if given, and not in `skip`), each new one under its own savepoint: one that
    does not fit goes to `bad`. Stops after the replay key `upto`, if given. Returns the
    new rows that applied; raises `_LogEventFailed` when one of the log's own events fails.
    """
    reset_booth_state(db)
    good: list[StoredRow] = []
    applied: list[str] = []
    with ExitStack() as stack:
        for scope in REPLAY_SCOPES:
            stack.enter_context(scope(db))
        Step = tuple[tuple[str, str], Event | None, StoredRow | None]
        old: Iterable[Step] = ((e.order_key, e, None) for e in _log_in_pages(db))
        new: Iterable[Step] = (
            ((r[3], r[0]), None, r)
            for r in rows
            if r[0] not in skip and (only is None or r[0] in only)
        )
        for key, event, arriving in heapq.merge(old, new, key=itemgetter(0)):
            if upto is not None and key > upto:
                break
            if event is not None:
                try:
                    apply(db, event)
                except _UNFIT as exc:
                    raise _LogEventFailed(event, exc, applied) from exc
            elif arriving is not None:
                stored, merged = check_stored(arriving)
                if _apply_one(db, merged, arriving, bad):
                    good.append(stored)
                    applied.append(stored[0])
    return good


def _conflict(
    db: sqlite_utils.Database,
    rows: list[StoredRow],
    skip: Container[str],
    failure: _LogEventFailed,
) -> tuple[str, str]:
    """The new event that makes one of the log's own events fail, and the reason to set it
    aside with.

    Of the new events applied before the failing one (`failure.applied`, in replay order),
    the first n with which the log still replays (up to the failing event) and the first
    n + 1 with which it does not are found by bisection, each probe a replay rolled back:
    the (n + 1)-th is the one. The log alone replayed when it was written, so n = 0 holds;
    should it not (the log fails on its own), the log's error is raised as before.
    """
    candidates = failure.applied
    upto = failure.event.order_key

    def probe(n: int) -> _LogEventFailed | None:
        db.execute("SAVEPOINT merge_probe")
        try:
            _replay_carefully(db, rows, [], skip=skip, only=set(candidates[:n]), upto=upto)
        except _LogEventFailed as failed:
            return failed
        finally:
            db.execute("ROLLBACK TO merge_probe")
            db.execute("RELEASE merge_probe")
        return None

    lo, hi, failed = 0, len(candidates), failure
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if found := probe(mid):
            hi, failed = mid, found
        else:
            lo = mid
    if hi == 0 or (lo == 0 and probe(0) is not None):
        raise failure.error  # not a new event's doing: the log does not replay on its own
    error, logged = failed.error, failed.event
    why = f"{type(error).__name__}: {error}"[:200]
    return candidates[hi - 1], (
        f"conflicts with this database's own {logged.kind} event {logged.uuid}, merged"
        f" earlier, which would fail after it ({why}); the logged event stands"
    )


def _log_in_pages(db: sqlite_utils.Database, size: int = 2000) -> Iterator[Event]:
    """The log in replay order, read a page at a time with no statement left open in
    between: rolling back to a savepoint aborts every statement still stepping."""
    after = ("", "")
    while rows := db.execute(
        f"SELECT {COLUMNS} FROM events WHERE (ts_utc, uuid) > (?, ?) ORDER BY ts_utc, uuid LIMIT ?",
        [*after, size],
    ).fetchall():
        yield from map(event_from_row, rows)
        after = (rows[-1][3], rows[-1][0])
