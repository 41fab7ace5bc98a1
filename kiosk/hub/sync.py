"""One sync round with the hub: push what the hub lacks, pull what this kiosk lacks, apply.

- **Push**: this kiosk's events past the mark `hub.pushed_rowid` (its own, and any it got
  through `kiosk merge`), in pages, `INSERT … ON CONFLICT (uuid) DO NOTHING`: pushing twice
  is harmless, so a round cut short by the hub going away is simply run again. The mark
  moves only after the hub committed a page. Events that came *from* the hub are listed in
  `hub_seen` and not sent back.
- **Pull**: the hub's events of this show past this kiosk's cursor (`hub.cursor`, a hub
  `seq`), in pages. Each page is merged with the rules of `kiosk merge`
  (`kiosk.events.merge_rows`: checked one by one, bad ones set aside in `quarantine`,
  idempotent on the uuid, a copy of an event this kiosk has that differs from it set aside,
  disputes for conflicting claims) and the cursor is written in the
  same SQLite transaction, so a crash or a lost hub mid-pull resumes at the first page not
  applied, never skipping one and never applying one twice.
- **Clock**: given a `hub_clock` (the front-ends pass `server_clock`, PostgreSQL's
  `clock_timestamp()`, unless `KIOSK_NOW` freezes their own clock on purpose), each round
  first reads the hub's time and keeps its offset from this kiosk's `now` in the report. A
  kiosk cannot see its own clock is wrong, and one behind wins every "earliest claim"
  dispute; the hub is the one outside clock it meets, so the CLI and the TUI header say
  when the two differ by more than `kiosk.clock.HUB_CLOCK_TOLERANCE`. Nothing is
  restamped: the events keep their kiosk's time, as in a file merge. (The hub's clock is a
  parameter so that tests say what time the hub reads, as they do for the kiosk.)
- **Kiosk ids**: before anything is pushed, the kiosk claims its kiosk id on the hub for
  its install (`claim_kiosk_id`): a second laptop calling itself kiosk-1 is refused, with
  one line saying how to rename it, and sends and takes nothing.
- Pushes of one show take a transaction-level advisory lock, so the hub's `seq` order is
  its commit order and a cursor never passes an event still being committed.

A `checkpoint` callback, when given, is told where the round is ("push:sent" before the
hub commits a page, "push:committed", "pull:fetched", "pull:applied"), so the fault tests
can stop the server at each of those points.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import psycopg
import sqlite_utils

from kiosk import events, installs
from kiosk.clock import aware, clock_off, offset_size
from kiosk.db import get_meta, last_rowid, set_meta, transaction
from kiosk.events import COLUMNS, Rejected
from kiosk.hub.connection import HubError, connect, public_url, unreachable
from kiosk.hub.schema import CHANNEL, check_schema
from kiosk.store import iso

PUSHED = "hub.pushed_rowid"
CURSOR = "hub.cursor"
PUSH_PAGE = 1000
# A pulled page is one SQLite write transaction: small enough that a scan waiting for the
# file (busy_timeout 5 s) gets it between pages even when a kiosk catches up on a backlog.
PULL_PAGE = 500

Checkpoint = Callable[[str], None]
# Reads the hub's time on an open connection (`server_clock`; tests give their own).
HubClock = Callable[["psycopg.Connection[Any]"], datetime]

_PUSH_SQL = (
    "INSERT INTO hub_events(seq, show_id, uuid, kiosk_id, ts, ts_utc, recorded_at, actor, kind,"
    " payload) VALUES (nextval('hub_event_seq'), %s, %s, %s, %s, %s, %s, %s, %s, %s)"
    " ON CONFLICT (uuid) DO NOTHING"
)
_PULL_SQL = (
    "SELECT seq, uuid, kiosk_id, ts, ts_utc, recorded_at, actor, kind, payload FROM hub_events"
    " WHERE show_id = %s AND seq > %s ORDER BY seq LIMIT %s"
)


@dataclass
class RoundReport:
    """What one round did, for the CLI's line and the TUI's header."""

    pushed: int = 0  # events sent to the hub (already there ones included)
    pulled: int = 0  # events read from the hub
    applied: int = 0  # of those, new here
    set_aside: int = 0  # of those, refused (kept in quarantine)
    cursor: int = 0  # the hub seq this kiosk has applied up to
    pending: int = 0  # local events still to push (0 after a full round)
    # The hub's clock − this kiosk's at the start of the round (positive: this one is behind).
    clock_offset: timedelta | None = None

    def line(self) -> str:
        text = f"pushed {self.pushed}, pulled {self.pulled} ({self.applied} new)"
        if self.set_aside:
            text += f", set aside {self.set_aside} (see the quarantine table)"
        return text

    def clock_warning(self) -> str:
        """One line when this kiosk's clock is off the hub's ('' when it agrees)."""
        return clock_warning(self.clock_offset)


def clock_warning(offset: timedelta | None) -> str:
    """What a person reads when this kiosk's clock is off an outside one ('' when not)."""
    if offset is None or not clock_off(offset):
        return ""
    if offset > timedelta(0):
        return (
            f"Warning: this kiosk's clock is {offset_size(offset)} behind the hub's. Set it"
            " right: its scans and leads look earlier than the other kiosks' and win"
            " 'earliest claim' disputes."
        )
    return (
        f"Warning: this kiosk's clock is {offset_size(offset)} ahead of the hub's. Set it"
        " right: its scans and leads look later than they were, and merges flag them."
    )


class DuplicateKiosk(HubError):
    """Another laptop already syncs under this kiosk id with the hub."""


def claim_kiosk_id(
    db: sqlite_utils.Database, conn: psycopg.Connection[Any], show_id: str, kiosk_id: str
) -> None:
    """Claim `kiosk_id` on the hub for this database's install, or refuse the round.

    Refused, not warned, unlike a USB merge (`kiosk.sync.merge`): the hub keeps each kiosk's
    progress by its id (`hub_cursors`, `kiosk hub status`, the notification claims), which
    two laptops would overwrite round after round, and every kiosk would file their scans
    and leads under one name. Refusing loses nothing: this laptop goes on recording locally
    (its header says offline, with this message), and once renamed (`kiosk init --kiosk-id`)
    its next round pushes everything, the events written under the old id included — they
    keep it, as every event keeps its kiosk's id. The laptop that synced first keeps the id.
    Also learns the show's other kiosks' installs, for a later USB merge to check against.
    """
    mine = installs.install_id(db)
    if mine is None:
        return
    with conn.transaction():
        (present,) = conn.execute("SELECT to_regclass('hub_installs') IS NOT NULL").fetchone() or (
            False,
        )
        if not present:
            return  # a hub from before the check: `kiosk hub init` again adds it
        conn.execute(
            "INSERT INTO hub_installs(show_id, kiosk_id, install_id) VALUES (%s, %s, %s)"
            " ON CONFLICT (show_id, kiosk_id) DO NOTHING",
            [show_id, kiosk_id, mine],
        )
        pairs = conn.execute(
            "SELECT kiosk_id, install_id FROM hub_installs WHERE show_id = %s", [show_id]
        ).fetchall()
    known = installs.fitting(pairs)
    if new := known - installs.known_pairs(db):
        with transaction(db):
            installs.learn(db, new)
    owner = next((i for k, i in known if k == kiosk_id), mine)
    if owner != mine:
        taken = sorted({k for k, _ in known})
        raise DuplicateKiosk(
            f"two laptops both call themselves {kiosk_id}: another one already syncs as"
            f" {kiosk_id} with show {show_id!r} on this hub, so this one may not (its scans"
            " would be filed under the other's name). Give this laptop its own id with"
            f" 'kiosk init --kiosk-id {free_kiosk_id(taken)}' (taken on this hub:"
            f" {', '.join(taken)}), then sync again; until then nothing was sent or taken,"
            " and everything stays recorded here."
        )


def free_kiosk_id(taken: Sequence[str]) -> str:
    """An id no kiosk of the show has: the next 'kiosk-N' after the highest one taken. The
    refusal always said "e.g. kiosk-3", the id just refused among them."""
    numbers = [int(k[6:]) for k in taken if k.startswith("kiosk-") and k[6:].isdigit()]
    n = max(numbers, default=0) + 1
    while f"kiosk-{n}" in taken:
        n += 1
    return f"kiosk-{n}"


def clock_news(state: str, offset: timedelta | None) -> tuple[str, str]:
    """For rounds in a loop (`kiosk sync --every`): the clock's state after this round's
    `offset` ('' in step, 'behind', 'ahead') and what to say ('' nothing). The offset moves
    by a fraction of a second every round, so the warning is said when it appears or turns
    round, and once more when the clock is back in step; not every 2 seconds."""
    warning = clock_warning(offset)
    now = "" if not warning or offset is None else "behind" if offset > timedelta(0) else "ahead"
    if now == state:
        return state, ""
    return now, warning or "This kiosk's clock agrees with the hub's again."


def server_clock(conn: psycopg.Connection[Any]) -> datetime:
    """The hub server's time now, read in a transaction of its own (a round's pushes open
    theirs after it)."""
    row = conn.execute("SELECT clock_timestamp()").fetchone()
    conn.commit()
    assert row is not None
    return aware(row[0])


def hub_offset(
    conn: psycopg.Connection[Any], now: datetime, hub_clock: HubClock | None
) -> timedelta | None:
    """The hub's clock − `now` (this kiosk's clock); None without a `hub_clock`."""
    return None if hub_clock is None else aware(hub_clock(conn)) - aware(now)


def show_of(db: sqlite_utils.Database) -> str:
    show = get_meta(db, "show_id")
    if not show:
        raise HubError(
            "this database has no show identity (set it up with 'kiosk init --show SHOW.toml');"
            " the hub keeps several shows apart by it"
        )
    return show


def pending_count(db: sqlite_utils.Database) -> int:
    """Local events the hub has not confirmed yet (the header's "to push")."""
    mark = int(get_meta(db, PUSHED) or 0)
    (n,) = db.execute(
        "SELECT count(*) FROM events WHERE rowid > ? AND uuid NOT IN (SELECT uuid FROM hub_seen)",
        [mark],
    ).fetchone()
    return int(n)


def push(
    db: sqlite_utils.Database,
    conn: psycopg.Connection[Any],
    show_id: str,
    *,
    page: int = PUSH_PAGE,
    checkpoint: Checkpoint | None = None,
) -> int:
    """Send the local events past the mark; returns how many were sent."""
    mark = int(get_meta(db, PUSHED) or 0)
    top = last_rowid(db, "events")
    sent = 0
    while rows := db.execute(
        f"SELECT rowid, {COLUMNS} FROM events WHERE rowid > ? AND rowid <= ?"
        " AND uuid NOT IN (SELECT uuid FROM hub_seen) ORDER BY rowid LIMIT ?",
        [mark, top, page],
    ).fetchall():
        with conn.transaction():
            conn.execute(
                "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [f"kiosk-hub:{show_id}"]
            )
            with conn.cursor() as cur:
                cur.executemany(_PUSH_SQL, [(show_id, *r[1:]) for r in rows])
            conn.execute("SELECT pg_notify(%s, %s)", [CHANNEL, show_id])
            if checkpoint:
                checkpoint("push:sent")
        if checkpoint:
            checkpoint("push:committed")
        sent += len(rows)
        mark = rows[-1][0]
        _set_mark(db, mark)
    if mark < top:
        _set_mark(db, top)  # the rest were events pulled from the hub
    return sent


def _set_mark(db: sqlite_utils.Database, mark: int) -> None:
    with transaction(db):
        set_meta(db, PUSHED, str(mark))
        db.execute(
            "DELETE FROM hub_seen WHERE NOT EXISTS (SELECT 1 FROM events e"
            " WHERE e.uuid = hub_seen.uuid AND e.rowid > ?)",
            [mark],
        )


def pull(
    db: sqlite_utils.Database,
    conn: psycopg.Connection[Any],
    show_id: str,
    *,
    now: datetime,
    source: str = "hub",
    page: int = PULL_PAGE,
    checkpoint: Checkpoint | None = None,
    report: RoundReport | None = None,
) -> RoundReport:
    """Apply the hub's events past this kiosk's cursor, a page per SQLite transaction."""
    report = report if report is not None else RoundReport()
    cursor = int(get_meta(db, CURSOR) or 0)
    while True:
        rows = conn.execute(_PULL_SQL, [show_id, cursor, page]).fetchall()
        conn.commit()  # end the read: nothing is held open while this kiosk applies
        if not rows:
            break
        if checkpoint:
            checkpoint("pull:fetched")
        bad: list[Rejected] = []
        with transaction(db):
            new, _known = events.merge_rows(
                db, (r[1:] for r in rows), now=now, rejected=bad, source_of=lambda _r: source
            )
            db.conn.executemany(
                "INSERT OR IGNORE INTO hub_seen(uuid) VALUES (?)", [(r[1],) for r in rows]
            )
            cursor = int(rows[-1][0])
            set_meta(db, CURSOR, str(cursor))
        if checkpoint:
            checkpoint("pull:applied")
        report.pulled += len(rows)
        report.applied += new
        report.set_aside += len(bad)
    report.cursor = cursor
    return report


def sync_round(
    db: sqlite_utils.Database,
    conn: psycopg.Connection[Any],
    url: str,
    *,
    kiosk_id: str,
    now: datetime,
    checkpoint: Checkpoint | None = None,
    push_page: int = PUSH_PAGE,
    pull_page: int = PULL_PAGE,
    hub_clock: HubClock | None = None,
) -> RoundReport:
    """Push, then pull and apply, on an open connection; HubUnreachable if it drops. With a
    `hub_clock`, the report says how far this kiosk's `now` is from the hub's time."""
    show_id = show_of(db)
    report = RoundReport()
    try:
        report.clock_offset = hub_offset(conn, now, hub_clock)
        claim_kiosk_id(db, conn, show_id, kiosk_id)
        report.pushed = push(db, conn, show_id, page=push_page, checkpoint=checkpoint)
        pull(
            db, conn, show_id, now=now, source=f"hub {public_url(url)}", page=pull_page,
            checkpoint=checkpoint, report=report,
        )  # fmt: skip
        with conn.transaction():
            # Only `kiosk hub status` reads it, and the next round writes it again: no need
            # to wait for the hub's disk (every kiosk writes it every round).
            conn.execute("SET LOCAL synchronous_commit = off")
            conn.execute(
                "INSERT INTO hub_cursors(show_id, kiosk_id, seq, synced_at) VALUES"
                " (%s, %s, %s, %s) ON CONFLICT (show_id, kiosk_id) DO UPDATE"
                " SET seq = excluded.seq, synced_at = excluded.synced_at",
                [show_id, kiosk_id, report.cursor, iso(now)],
            )
    except (psycopg.OperationalError, psycopg.errors.IdleInTransactionSessionTimeout) as exc:
        # (the second: this kiosk slept inside a push and the hub ended its session,
        # `kiosk.hub.connection.IDLE_IN_TRANSACTION_MS`; the page is pushed again)
        _rollback(conn)
        raise unreachable(url, exc) from None
    except psycopg.Error as exc:
        _rollback(conn)
        raise HubError(f"the hub at {public_url(url)} refused the sync: {exc}") from None
    report.pending = pending_count(db)
    return report


def _rollback(conn: psycopg.Connection[Any]) -> None:
    try:
        if not conn.closed:
            conn.rollback()
    except psycopg.Error:
        pass


def sync_once(
    db: sqlite_utils.Database,
    url: str,
    *,
    kiosk_id: str,
    now: datetime,
    checkpoint: Checkpoint | None = None,
    after: Callable[[psycopg.Connection[Any]], object] | None = None,
    hub_clock: HubClock | None = None,
) -> RoundReport:
    """Connect, check the hub, run one round, disconnect (`kiosk sync` without --every).

    `after` runs on the open connection once the round is done (the notification pass)."""
    conn = connect(url)
    try:
        try:
            check_schema(conn, url)
            conn.commit()
        except psycopg.OperationalError as exc:
            raise unreachable(url, exc) from None
        report = sync_round(
            db, conn, url, kiosk_id=kiosk_id, now=now, checkpoint=checkpoint, hub_clock=hub_clock
        )
        if after is not None:
            after(conn)
        return report
    finally:
        conn.close()
