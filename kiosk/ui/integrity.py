"""The database file checked for damage in quiet time, and a damaged one said on every screen.

A damaged page (a bad sector, a laptop that lost power with a lying disk cache, a file
half-copied from a USB stick) shows only when something reads it: the booth went on writing
scans and leads into such a file without a word, and the damage was found only by a
`kiosk check` run by hand or a merge that refused the file, after the show. SQLite's
`quick_check` reads every page — ~7.6 s at a million contacts with a cold cache — so it
cannot run at start-up (the scan screen is due in 0.4 s) nor on the UI thread.

So the booth screen runs it itself, out of everyone's way:

- on a read-only connection of its own, on a daemon thread (`kiosk-integrity`): a reader
  never blocks the scan thread's writes (WAL), the pragma runs in SQLite's C code with the
  GIL released, and quitting never waits for it (the check is interrupted at unmount);
- `IntegrityWatch.integrity_delay` seconds after the first frame (`INTEGRITY_DELAY`), and
  only when no scan is running or came in the last `INTEGRITY_QUIET` seconds — else it
  waits that long again, so a busy booth puts it off until a lull;
- stopped by the next scan (`QuietWork.reading`: `sqlite3_interrupt` from the UI thread,
  which SQLite's check obeys at once), and started again at the next quiet spell. Measured
  at a million contacts (docs/measurements.md, `scripts/bench.py --integrity`): a check
  running through every scan left p50–p99 as without one (GIL released) and only the
  slowest scan slower (45 against 27–34 ms) — two cores shared three ways, and a cold
  check's disk reads besides; stopped by each scan, nothing to see. A warm check of the
  million-contact file takes ~0.65 s, a cold one ~7.6 s: any booth has quiet spells that
  long;
- once per session, and again each `INTEGRITY_AGAIN` (a day) for a kiosk left running
  overnight: a day's disk trouble is found the next morning. Not "once a day" kept in the
  database: that is a write to a file that may be damaged, and a restarted kiosk checking
  once more costs seconds of a quiet booth's idle disk. A check that could not run (the
  file locked for long, gone) is tried again after `INTEGRITY_RETRY`.

Damage found — by this check, or by a scan, a lead or a screen whose read or write SQLite
refused as malformed (`kiosk.ui.db_errors.damage_seen`) — puts a lasting line under every
screen's header (`KioskScreen.show_damage`), in the UI language: the file is damaged,
scans are still recorded (one the file refuses stays on screen as not recorded yet, kept
and retried), copy it now with `kiosk backup` and check it with `kiosk check`. It stays
until the kiosk quits: no toast that goes while nobody looks.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from functools import partial
from pathlib import Path

from kiosk.db import BUSY_TIMEOUT_MS
from kiosk.ui.db_errors import is_damage
from kiosk.ui.scanning import ScanActions
from kiosk.ui.timers import Later, call_after

INTEGRITY_DELAY = 30.0  # seconds after the first frame before the first check
INTEGRITY_QUIET = 10.0  # seconds without a scan the check waits for (and waits again)
INTEGRITY_AGAIN = 24 * 3600.0  # a kiosk left running checks again after a day
INTEGRITY_RETRY = 600.0  # a check that could not run (locked, the file gone) tries again
PROBLEMS_SHOWN = 10  # what SQLite found, at most (the log keeps it; `kiosk check` lists it)


def file_problems(
    path: Path,
    *,
    limit: int = PROBLEMS_SHOWN,
    reading: Callable[[sqlite3.Connection], AbstractContextManager[object]] = nullcontext,
) -> list[str]:
    """SQLite's `quick_check` of the file at `path` on a read-only connection of its own:
    [] when it is sound, else what SQLite found (or its error, when the damage stops the
    check itself). Raises sqlite3.Error when the check could not run for another reason (a
    lock held past the busy timeout, the file gone, a scan that stopped it): no verdict.

    The check runs inside `reading(conn)` (the app's: a scan interrupts it, and so does
    quitting)."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    conn = sqlite3.connect(uri, uri=True, check_same_thread=False, isolation_level=None)
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        with reading(conn):
            rows = conn.execute(f"PRAGMA quick_check({int(limit)})").fetchall()
    except sqlite3.DatabaseError as exc:
        # A disk I/O error is a sector that cannot be read as surely as it is a stick pulled
        # out: either way the file as it is needs copying and checking.
        if is_damage(exc) or "disk i/o error" in str(exc).lower():
            return [str(exc)]
        raise
    finally:
        conn.close()
    found = [line for (text,) in rows for line in str(text).splitlines() if line.strip()]
    return [] if found == ["ok"] else found


class IntegrityWatch(ScanActions):
    """The integrity half of `KioskApp`: when to check, and the warning on screen."""

    integrity_delay: float | None
    # what the last check found ([] sound; None before any ended); the tests wait for it
    integrity_found: list[str] | None
    integrity_put_off: int  # checks a scan stopped (started again when next quiet)
    damage: str | None  # why the file is known to be damaged (None: not known to be)
    _integrity_timer: Later | None
    _integrity_conn: sqlite3.Connection | None

    def watch_integrity(self, delay: float | None) -> None:
        """Set up (in `__init__`): the first check `delay` seconds after the first frame;
        None: never (the tests of other things, the benchmark unless it asks)."""
        self.integrity_delay = delay
        self.integrity_found = None
        self.integrity_put_off = 0
        self.damage = None
        self._integrity_timer = None
        self._integrity_conn = None

    def start_integrity_watch(self) -> None:
        """At the first frame: the first check is due `integrity_delay` seconds later (an
        in-memory database has no file to check)."""
        if self.integrity_delay is None or self.services.db_path is None:
            return
        self._integrity_after(self.integrity_delay)

    def stop_integrity_watch(self) -> None:
        """Quitting: a check still reading is stopped (its thread ends with an error)."""
        if self._integrity_timer is not None:
            self._integrity_timer.stop()
        conn = self._integrity_conn
        if conn is not None:
            conn.interrupt()  # safe from another thread (sqlite3_interrupt)

    def _integrity_after(self, delay: float) -> None:
        self._integrity_timer = call_after(self, delay, self._integrity_due, name="integrity")

    def _integrity_due(self) -> None:
        """Start the check now if the booth is quiet, else look again a quiet spell later."""
        self._integrity_timer = None
        if self.scans_in_flight or self.clock() - self._last_scan < INTEGRITY_QUIET:
            self._integrity_after(INTEGRITY_QUIET)
            return
        self.check_integrity_now()

    def check_integrity_now(self, *, stoppable: bool = True) -> threading.Thread | None:
        """Start the check on its own thread, stopped by the next scan (`QuietWork.reading`)
        unless not `stoppable` (the benchmark's worst case: one that runs on through scans)."""
        path = self.services.db_path
        if path is None:
            return None
        ticket = self.quiet_work.ticket() if stoppable else None
        loop = asyncio.get_running_loop()
        thread = threading.Thread(target=self._run_integrity_check, args=(path, ticket, loop),
                                  name="kiosk-integrity", daemon=True)  # fmt: skip
        thread.start()
        return thread

    def _run_integrity_check(
        self, path: Path, ticket: int | None, loop: asyncio.AbstractEventLoop
    ) -> None:
        """On the check's own thread; the verdict goes to the app's thread."""

        def reading(conn: sqlite3.Connection) -> AbstractContextManager[object]:
            self._integrity_conn = conn  # for `stop_integrity_watch`
            return nullcontext() if ticket is None else self.quiet_work.reading(conn, ticket)

        verdict: list[str] | Exception
        try:
            verdict = file_problems(path, reading=reading)
        except Exception as exc:  # noqa: BLE001 - no verdict: tried again later, never a traceback
            verdict = exc
        finally:
            self._integrity_conn = None
        ended = partial(self._integrity_ended, verdict, ticket)
        try:
            loop.call_soon_threadsafe(self.call_next, ended)
        except RuntimeError:  # the app's loop has closed: it quit meanwhile
            return

    def _integrity_ended(self, verdict: list[str] | Exception, ticket: int | None) -> None:
        """On the app's thread: say what the check found, and when to check again (not for
        one started by hand with the watch off: the benchmark's)."""
        if not self.is_running:
            return
        watching = self.integrity_delay is not None
        if isinstance(verdict, Exception):
            if ticket is not None and ticket != self.quiet_work.ticket():
                self.integrity_put_off += 1  # a scan came: again when the booth is quiet
                if watching:
                    self._integrity_after(INTEGRITY_QUIET)
                return
            self.log.error(f"database check could not run: {verdict!r}")
            if watching:
                self._integrity_after(INTEGRITY_RETRY)
            return
        self.integrity_found = verdict
        if not verdict:
            if watching:
                self._integrity_after(INTEGRITY_AGAIN)
            return
        self.log.error(f"database check found damage: {verdict!r}")
        self.database_damaged("; ".join(verdict))  # known damaged: nothing more to find

    def database_damaged(self, why: str) -> None:
        """The file is damaged: the lasting warning on every screen (once; a screen opened
        later adds it as it mounts, `KioskScreen.on_mount`)."""
        if self.damage is not None:
            return
        self.damage = why
        for screen in self.shown_screens():
            screen.show_damage()
