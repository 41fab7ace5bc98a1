"""Sync rounds in a loop: `kiosk sync --every 2s` and the TUI's background worker.

The worker owns its own SQLite connection and one hub connection that LISTENs on the
hub's channel. It runs a round, then waits until the first of: a NOTIFY for its show
(another kiosk pushed), a new local event (a scan here: pushed at once), `wake()`, or
`every` seconds. When the hub cannot be reached it reports "offline" and retries with
back-off (doubling up to `MAX_BACKOFF`); the kiosk goes on recording locally meanwhile, and
nothing is lost: the next round pushes everything past the mark.

After each round (online or not) it runs the `after_round` tasks — the notification
outbox (`kiosk.notify`) — with the hub connection when there is one. Without a hub (`url`
None) it runs only those, every `every` seconds or when a local event is recorded.

The worker reads time only through the clock it is given; it waits with
`threading.Event.wait`, which is not the wall clock.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

import psycopg
import sqlite_utils

from kiosk.clock import Clock
from kiosk.db import last_rowid
from kiosk.hub.connection import HubError, HubUnreachable, connect, unreachable
from kiosk.hub.schema import CHANNEL, check_schema
from kiosk.hub.sync import (
    DuplicateKiosk,
    HubClock,
    RoundReport,
    pending_count,
    show_of,
    sync_round,
)

# Seconds between tries while the hub is away, at most: a try is one TCP connect, and in tmux
# a hub back after 13 s offline was seen 10 s later with 30 (tries 2, 4, 8, 16 s apart).
MAX_BACKOFF = 10.0
POLL = 0.1  # how often a waiting worker looks for a new local event (seconds)
# The least time between two rounds. At a busy booth every scan here and every push of
# every other kiosk (a NOTIFY) asks for a round: run back to back, ten kiosks spent their
# cores on rounds of one event each (a hub commit, a SQLite write, a cursor report every
# time). A short pause lets them gather; a scan at a quiet booth still goes at once,
# because the pause is spent while nothing happens.
MIN_GAP = 0.25

AfterRound = Callable[[sqlite_utils.Database, "psycopg.Connection[Any] | None", datetime], None]


@dataclass(frozen=True)
class HubStatus:
    """What the header shows: online or not, since when in step, what waits to be pushed."""

    online: bool
    pending: int = 0
    cursor: int = 0
    last_ok: datetime | None = None  # the end of the last round that reached the hub
    error: str = ""
    last_round: RoundReport | None = None
    # the hub refused this laptop's kiosk id: another laptop syncs under it (the header and
    # a notice say how to rename this one; a retry cannot fix it)
    duplicate: bool = False

    def lag(self, now: datetime) -> timedelta | None:
        """How long since this kiosk was last in step with the hub (None: never)."""
        return None if self.last_ok is None else max(now - self.last_ok, timedelta(0))


class SyncWorker:
    """Runs rounds until `stop` is set. Thread-safe to `wake()` from another thread."""

    def __init__(
        self,
        open_db: Callable[[], sqlite_utils.Database],
        url: str | None,
        *,
        kiosk_id: str,
        clock: Clock,
        every: float = 2.0,
        on_status: Callable[[HubStatus], None] | None = None,
        after_round: Sequence[AfterRound] = (),
        min_gap: float = MIN_GAP,
        hub_clock: HubClock | None = None,
    ) -> None:
        self._open_db = open_db
        self.url = url
        self.kiosk_id = kiosk_id
        self.clock = clock
        self.every = every
        self.on_status = on_status
        self.after_round = tuple(after_round)
        self.min_gap = min_gap
        self.hub_clock = hub_clock  # each round compares this kiosk's clock with it
        self._woken = threading.Event()
        self.status = HubStatus(online=False)
        self._conn: psycopg.Connection[Any] | None = None
        self._show = ""

    def wake(self) -> None:
        """Run a round now (a scan was recorded, the user asked)."""
        self._woken.set()

    def run(self, stop: threading.Event) -> None:
        db = self._open_db()
        # Everything this connection writes can be had again: the events it pulls are on
        # the hub (the cursor moves in the same transaction), a push mark lost re-pushes
        # (idempotent). So its commits do not wait for the disk (WAL stays atomic): with a
        # flush per pulled page, a busy booth's scans queued behind the sync's fsyncs.
        db.execute("PRAGMA synchronous = NORMAL")
        try:
            self._loop(db, stop)
        finally:
            self._close()
            db.conn.close()

    def _loop(self, db: sqlite_utils.Database, stop: threading.Event) -> None:
        self._show = show_of(db)
        backoff = self.every
        while not stop.is_set():
            self._woken.clear()
            online = self._round(db)
            for task in self.after_round:
                task(db, self._conn, self.clock())
            if online:
                backoff = self.every
                self._wait(db, stop, self.every)
            else:
                self._wait(db, stop, backoff, listen=False)
                backoff = min(backoff * 2, MAX_BACKOFF)

    def _round(self, db: sqlite_utils.Database) -> bool:
        if self.url is None:  # no hub: only the after-round tasks (notifications) run
            return True
        try:
            conn = self._connection()
            report = sync_round(
                db, conn, self.url, kiosk_id=self.kiosk_id, now=self.clock(),
                hub_clock=self.hub_clock,
            )  # fmt: skip
        except sqlite3.OperationalError:
            return True  # this kiosk's file was busy (a long merge): the next round goes on
        except HubError as exc:
            self._close()
            self._publish(
                replace(
                    self.status,
                    online=False,
                    pending=pending_count(db),
                    error=str(exc),
                    duplicate=isinstance(exc, DuplicateKiosk),
                )  # fmt: skip
            )
            return False
        self._publish(
            HubStatus(
                online=True,
                pending=report.pending,
                cursor=report.cursor,
                last_ok=self.clock(),
                last_round=report,
            )
        )
        return True

    def _connection(self) -> psycopg.Connection[Any]:
        if self._conn is not None and not self._conn.closed:
            return self._conn
        assert self.url is not None
        conn = connect(self.url)
        try:
            check_schema(conn, self.url)
            conn.execute(f"LISTEN {CHANNEL}")
            conn.commit()
        except psycopg.OperationalError as exc:
            conn.close()
            raise unreachable(self.url, exc) from None
        except BaseException:
            conn.close()
            raise
        # No notify handler: notifications that arrive while a round runs wait in
        # psycopg's backlog and come out of the next `notifies()` in `_wait`.
        self._conn = conn
        return conn

    def _wait(
        self, db: sqlite_utils.Database, stop: threading.Event, seconds: float, listen: bool = True
    ) -> None:
        """Until `seconds` pass, the hub notifies, a local event is recorded, or `wake()` —
        but not before `min_gap` (what comes meanwhile goes in the next round)."""
        top = last_rowid(db, "events")
        if stop.wait(self.min_gap):
            return
        steps = max(1, round((seconds - self.min_gap) / POLL))
        for _ in range(steps):
            if stop.is_set() or self._woken.is_set():
                return
            conn = self._conn if listen else None
            if conn is not None and not conn.closed:
                try:
                    for note in conn.notifies(timeout=POLL, stop_after=1):
                        if note.payload == self._show:
                            self._woken.set()
                except psycopg.Error:
                    self._close()
                    stop.wait(POLL)
            else:
                stop.wait(POLL)
            now_top = last_rowid(db, "events")
            if now_top != top:
                return

    def _close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except psycopg.Error:
                pass
            self._conn = None

    def _publish(self, status: HubStatus) -> None:
        self.status = status
        if self.on_status is not None:
            self.on_status(status)


__all__ = ["HubStatus", "HubUnreachable", "SyncWorker"]
