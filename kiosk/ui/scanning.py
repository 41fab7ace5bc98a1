"""The scan path off the UI thread: a scan is looked up on its own thread, the newest wins.

A lookup that matches nothing can take a while at a million contacts (the typo fallback);
run on the UI thread it froze the screen — keys did not echo and a queue of visitors
watched a still picture. Here each scan is:

- capped at `MAX_SCAN_BYTES` (8 KB of UTF-8): a longer burst is no badge (a stuck key, a
  pasted file) and is refused with a message before any lookup;
- looked up on one scan thread (`kiosk-scan`) with its own database connection
  (`BoothServices.db` is per thread), in the order scanned, so every visitor is recorded
  once, in order, while the UI thread keeps drawing and taking keys;
- shown only if it is still the newest scan when its lookup ends: a slow lookup overtaken
  by a later scan is recorded but not shown over the later visitor's card;
- drawn before its commit: the lookup runs outside any transaction, the check-in's
  COMMIT is held (`kiosk.db.held_commit`) while the card is handed to the UI thread, and
  the commit (an fsync with `synchronous=FULL`) runs on the scan thread while the frame
  is composed; the card is timed once both are done. A commit that fails redraws the card
  as not checked in and keeps the scan for a retry, as a failed lookup does — never lost,
  recorded once. In memory (one connection for both threads) the commit comes first.
  (The write lock is held from the check-in's write to its COMMIT only: an earlier try
  held it over the whole lookup, and a no-match lookup kept every other writer waiting);
- kept when the database fails (read-only, locked, damaged) and tried again every few
  seconds until it works, with one clear line on screen meanwhile — never lost;
- shown even while its check-in cannot be written: a scan whose card has not come
  `LOCK_PATIENCE` after it started (the write waits for a lock another program holds, for
  up to the 5 s busy timeout), or whose write failed before its card was drawn (a
  read-only file, a full disk), is looked up again on a thread of its own without writing
  (`_preview`): reception sees whom to call at once, the card marked "not recorded yet"
  (`Visit.pending`) until the retry records it. Before, the screen stayed blank for the
  5 s wait and after it, while reads worked all along;
- started at its Enter when the burst detector cannot tell yet whether more lines follow
  (a plain badge id or e-mail: `kiosk.scanner.Early`): the lookup and the check-in run at
  once with the commit held, the card is drawn, and the detector's verdict a settle time
  later commits it (the scan was the whole badge) or rolls it back (more lines came: the
  longer scan is looked up as usual). So the visitor's card does not wait for
  the settle, and nothing is recorded for a scan that turned out to be the first line of
  another. A verdict that does not come within `EARLY_WAIT` (a UI thread blocked on the
  database this transaction holds) rolls it back too, and the scan is then looked up as
  usual: never lost, never recorded twice;
- committed without a checkpoint: SQLite folds the write-ahead log into the database file
  after every ~1,000 pages a connection commits, and the commit that crosses that line
  waits for it (tens of milliseconds, seconds after a big import). The scan thread's
  connection never does it, nor does the UI thread's; a checkpoint thread of its own does,
  once the booth has been quiet for `CHECKPOINT_IDLE` seconds (or the log has grown past
  `CHECKPOINT_FORCE` bytes however busy the booth is), so no visitor waits for one;
- merged into the search index without waiting for a merge: a walk-in's row is a tiny
  segment of the index, and no booth write merges segments (`kiosk.db.serving_merges`);
  the checkpoint thread merges them a short step at a time (`kiosk.db.tidy_fts`) when
  the booth is quiet, before it checkpoints;
- never kept waiting by that quiet-time work: a scan that comes while the checkpoint
  thread merges stops the merge step within a few milliseconds (rolled back, done again
  when next quiet: `QuietWork`), so its write does not queue behind a step that holds the
  write lock for tens of milliseconds at a million contacts.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from textual import work

from kiosk.db import tidy_fts, transaction
from kiosk.ui.db_errors import damage_seen, describe, is_db_error
from kiosk.ui.gc_pacing import FullCollections
from kiosk.ui.keys import ScanInput
from kiosk.ui.messages import BoothChanged
from kiosk.ui.screens.base import KioskBase
from kiosk.ui.session import SessionActions
from kiosk.ui.timers import call_after
from kiosk.visits import Visit, visible

MAX_SCAN_BYTES = 8 * 1024
RETRY_SECONDS = (2.0, 5.0, 10.0, 30.0)  # waits between tries of a scan the database refused
# Seconds a scan's card may take before it is drawn from a lookup that writes nothing
# (`_preview`): a scan's lookup and write take 10–50 ms at a million contacts.
LOCK_PATIENCE = 0.3
CHECKPOINT_EVERY = 2.0  # seconds between looks at the write-ahead log
CHECKPOINT_IDLE = 1.0  # seconds without a scan before the log is checkpointed
CHECKPOINT_FORCE = 64 << 20  # bytes of log checkpointed even while scans keep coming
EARLY_WAIT = 1.0  # seconds past the scanner's gap a scan started early waits for its verdict
PROGRESS_OPS = 100  # SQLite instructions between two looks at whether a scan came (`QuietWork`)


@dataclass
class _Scan:
    payload: str
    actor: str
    seq: int
    ended: float | None
    tries: int = 0
    at: datetime | None = None  # when it was read: a retried scan is recorded as of then
    previewed: bool = False  # its card was looked up without writing (`_preview`)
    card_up: bool = False  # the card of its recorded (or being recorded) check-in was drawn


class _Held:
    """A scan looked up with its commit held, and the verdict on it: 'open' until the UI keeps
    or drops it, or the scan thread stops waiting ('expired'). Decided once, under a lock, so
    a verdict that comes as the wait ends is either obeyed or answered by a scan looked up
    anew. A scan started at its Enter waits for the burst detector's verdict; a whole scan
    comes kept (`whole`): its card is drawn while its commit runs."""

    def __init__(self, scan: _Scan, wait: float) -> None:
        self.scan = scan
        self.wait_for = wait
        self.state = "open"
        self.drawn = False  # the frame after its card has been composed
        self.committed = False
        self.shown: Visit | None = None  # the card drawn before the commit
        self._lock = threading.Lock()
        self._decided = threading.Event()

    @classmethod
    def whole(cls, scan: _Scan) -> _Held:
        """A scan known to be complete: kept from the start, nothing to wait for."""
        held = cls(scan, 0.0)
        held.decide(True)
        return held

    def decide(self, keep: bool) -> bool:
        """The UI's verdict; False when it came too late (the scan thread rolled back)."""
        with self._lock:
            if self.state != "open":
                return False
            self.state = "keep" if keep else "drop"
        self._decided.set()
        return True

    def failed(self) -> bool:
        """The lookup failed (rolled back): True when the UI had kept it already (then it is
        this scan's to retry); else the UI looks the final scan up anew when it settles."""
        with self._lock:
            if self.state == "open":
                self.state = "expired"
            return self.state == "keep"

    def wait(self) -> bool:
        """On the scan thread: whether to commit."""
        self._decided.wait(self.wait_for)
        with self._lock:
            if self.state == "open":
                self.state = "expired"
            return self.state == "keep"


class QuietWork:
    """What the checkpoint thread does while the booth is quiet, stopped when a scan comes.

    The UI thread counts the scans that come (`scan_came`). A quiet job takes the count
    when it is decided (`ticket`) and runs each statement (`statement`) with a progress
    handler that stops it — SQLite rolls the merge step back — as soon as the count has
    moved: within `PROGRESS_OPS` instructions and the UI thread letting go of the GIL, a
    few milliseconds, where a merge step at a million contacts held the write lock for
    tens. A job whose ticket is stale does not start its next statement. (`sqlite3_interrupt`
    would not do: FTS5's merge runs on through it, and one that lands between two
    statements fails the next, the COMMIT included — tried, SQLite 3.40.)"""

    def __init__(self) -> None:
        self.scans = 0
        self.cut = 0  # statements a scan stopped (the tests read it)
        self._reading: set[sqlite3.Connection] = set()  # long reads a scan interrupts

    def scan_came(self) -> None:
        self.scans += 1
        for conn in list(self._reading):
            conn.interrupt()  # safe from any thread (sqlite3_interrupt)

    def ticket(self) -> int:
        return self.scans

    @contextmanager
    def statement(self, conn: sqlite3.Connection, ticket: int) -> Iterator[None]:
        """Run one statement of the job holding `ticket`; sqlite3.OperationalError when a
        scan came before it started or while it ran."""
        if self.scans != ticket:
            raise sqlite3.OperationalError("a scan came: quiet-time work left for later")
        conn.set_progress_handler(lambda: self.scans != ticket, PROGRESS_OPS)
        try:
            yield
        except sqlite3.OperationalError:
            self.cut += self.scans != ticket
            raise
        finally:
            conn.set_progress_handler(None, 0)

    @contextmanager
    def reading(self, conn: sqlite3.Connection, ticket: int) -> Iterator[None]:
        """Run one long read of the job holding `ticket` (the damage check,
        `kiosk.ui.integrity`), interrupted (`sqlite3_interrupt`) as soon as a scan comes;
        sqlite3.OperationalError when a scan came before it started or while it ran. A read
        has nothing to roll back, and SQLite's check stops at once (measured, 3.40), where a
        progress handler is never called inside the check's one long instruction. (A scan
        coming in the instant between the ticket's test and the read's first step is not
        seen: that check runs on beside that scan, as any would without this.)"""
        self._reading.add(conn)
        try:
            if self.scans != ticket:
                raise sqlite3.OperationalError("a scan came: quiet-time work left for later")
            yield
        finally:
            self._reading.discard(conn)


class ScanActions(SessionActions):
    """The scan half of `KioskApp`: `handle_scan` and what follows it."""

    _scan_pool: ThreadPoolExecutor
    _checkpoint_pool: ThreadPoolExecutor
    _checkpointing: Future[Any] | None
    _log_size_checkpointed: int
    _scan_seq: int
    _kept_scans: list[_Scan]
    scans_kept: int
    _last_scan: float
    clock: Callable[[], float]  # KioskApp's

    def start_scanning(self) -> None:
        self._scan_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kiosk-scan")
        # A card drawn without writing while the scan thread waits for the database: a
        # thread (and connection) of its own, so it never waits behind that scan.
        self._preview_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kiosk-preview")
        self._checkpoint_pool = ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="kiosk-checkpoint"
        )
        self._checkpointing = None
        self._log_size_checkpointed = 0  # the log file's size at the last checkpoint
        self.quiet_work = QuietWork()
        self.full_collections = FullCollections()  # taken over after the first frame
        self._index_untidy = True  # segments the search index may merge when quiet
        self._scan_seq = 0
        self._early: _Held | None = None  # started at its Enter, no verdict yet
        self._kept_scans = []
        self._last_scan = 0.0
        self.scans_kept = 0  # scans the database refused at least once (the bench reports it)

    def stop_scanning(self) -> None:
        self.full_collections.give_back()
        self._scan_pool.shutdown(wait=False, cancel_futures=False)
        self._preview_pool.shutdown(wait=False, cancel_futures=True)
        self._checkpoint_pool.shutdown(wait=False, cancel_futures=True)
        self._fold_log_in()

    def _fold_log_in(self) -> None:
        """On the way out, fold the write-ahead log into the database file (PASSIVE: never
        waits for anyone). The scan thread's connection is never closed, so SQLite's own
        checkpoint at the last close never ran: a copy of the file made right after
        quitting lacked the last scans (they stayed in the -wal file beside it)."""
        if self.services.db_path is None:
            return
        try:
            self.services.conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
        except sqlite3.Error as exc:  # a locked or vanished file: the next start folds it in
            self.log.error(f"checkpoint on exit failed: {exc!r}")

    def open_scan_connection(self) -> None:
        """Start watching for quiet; the scan thread's database connection is opened right
        after the first frame (`open_scan_thread_db`), before the first scan needs it. It and
        the UI thread's connection (a lead saved from the form, a visitor marked received)
        leave checkpoints to the checkpoint thread: during a CRM import the log holds the
        importer's pages, and a booth commit that crossed SQLite's line would copy them into
        the file inside its own commit (a booth write of 1,033 ms in the torture's 1M import
        row, against 166–177 ms without)."""
        self.services.conn.execute("PRAGMA wal_autocheckpoint = 0")
        self.set_interval(CHECKPOINT_EVERY, self.when_quiet, name="checkpoint")

    def open_scan_thread_db(self) -> None:
        """The scan thread's connection (sqlite-utils' `Database`: it loads sqlite-utils, on
        that thread), after the first frame so that the frame does not wait for it."""
        self._scan_pool.submit(self._open_scan_db)

    def _open_scan_db(self) -> None:
        self.services.db.execute("PRAGMA wal_autocheckpoint = 0")

    def when_quiet(self) -> None:
        """What waits for a quiet booth (no scan running, none for CHECKPOINT_IDLE seconds):
        a full garbage collection if one is due, and folding the write-ahead log into the
        database file on the checkpoint thread (that also when the log is huge)."""
        quiet = not self.scans_in_flight and self.clock() - self._last_scan >= CHECKPOINT_IDLE
        if quiet:
            self.full_collections.now_if_due()  # no card waits for it now
        if self.services.db_path is None:
            return  # in memory: no log
        if self._checkpointing is not None and not self._checkpointing.done():
            return
        log = Path(f"{self.services.db_path}-wal")
        try:
            size = log.stat().st_size
        except OSError:  # no log (yet): nothing to fold in
            size = 0
        tidy = quiet and self._index_untidy
        # SQLite writes a log it has folded in again from its start, never shrinking the
        # file: a file as big as at the last checkpoint says nothing of what it holds.
        # Only one grown past that is as long as its size (a forced checkpoint ran every
        # CHECKPOINT_EVERY seconds of scanning once the file had once reached the mark).
        huge = size >= CHECKPOINT_FORCE and size > self._log_size_checkpointed
        if tidy or (size and (quiet or huge)):
            self._log_size_checkpointed = size
            # a forced checkpoint (a huge log, scans coming) must not give way to them
            ticket = self.quiet_work.ticket() if quiet else None
            self._checkpointing = self._checkpoint_pool.submit(self._checkpoint, tidy, ticket)

    def _checkpoint(self, tidy: bool = False, ticket: int | None = None) -> tuple[int, int, int]:
        """One step of merging the search index when asked (the booth is quiet), then a
        PASSIVE checkpoint: copies what no reader still needs, never waits for or blocks
        anyone. With a `ticket` (a quiet job, `QuietWork`) a scan coming since stops the
        merge step and skips the checkpoint: (-1, -1, -1); without one (a forced checkpoint
        of a huge log) the checkpoint runs whatever comes."""
        if tidy:
            now = self.quiet_work.ticket() if ticket is None else ticket
            self._index_untidy = self._tidy_index(now)
        conn = self.services.db.conn
        if ticket is None:
            busy, frames, done = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            return int(busy), int(frames), int(done)
        try:
            with self.quiet_work.statement(conn, ticket):
                busy, frames, done = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        except sqlite3.OperationalError:  # a scan came: copied next time
            return -1, -1, -1
        return int(busy), int(frames), int(done)

    def _tidy_index(self, ticket: int) -> bool:
        """Merge a few of the search index's segments (a short write); True while there is
        more to merge, or the database said no or a scan stopped it (it is tried again when
        next quiet)."""
        db = self.services.db
        try:
            with transaction(db):
                with self.quiet_work.statement(db.conn, ticket):
                    return tidy_fts(db.conn)
        except sqlite3.Error:  # busy, read-only, a scan came: merged another time, nothing lost
            return True

    # ------------------------------------------------------------------ a scan arrives
    def handle_scan(self, payload: str, *, ended: float | None = None) -> None:
        size = len(payload.encode("utf-8", "surrogatepass"))
        if size > MAX_SCAN_BYTES:
            self.notify(
                self.t("error.scan_too_long", size=f"{size:,}"), severity="error", markup=False
            )
            return
        self.quiet_work.scan_came()  # its write must not queue behind quiet-time work
        self._scan_seq += 1
        self._last_scan = self.clock()
        self._index_untidy = True  # a walk-in adds a segment to the search index
        self._start(_Scan(payload, self.actor, self._scan_seq, ended, at=self.services.now()))

    def _start(self, scan: _Scan) -> None:
        """Look a whole scan up. Where the scan thread has a connection of its own, the card
        is drawn before the check-in's commit and the commit (an fsync) runs while the frame
        is composed: timed once both are done (`_held_latency`). In memory the scan thread
        shares the app's connection: it commits before the card is drawn."""
        if self.services.db_path is None:
            self._look_up(scan)
        else:
            self._look_up_held(_Held.whole(scan))

    # ------------------------------------------------------------------ started at Enter
    def begin_early_scan(self, payload: str, *, ended: float | None = None) -> None:
        """A burst that may be a whole badge (`kiosk.scanner.Early`): look it up and check it
        in now, committed only when `settle_early_scan` keeps it. Only where the scan would
        reach `handle_scan` (no screen that fills itself from a badge is on top) and the scan
        thread has a connection of its own (its transaction must hold nobody else's work)."""
        self.drop_early_scan()
        screen = self.screen
        takes_scans = isinstance(screen, KioskBase) and (
            type(screen).accept_scan is not KioskBase.accept_scan
        )
        size = len(payload.encode("utf-8", "surrogatepass"))
        if takes_scans or size > MAX_SCAN_BYTES or self.services.db_path is None:
            return
        self.quiet_work.scan_came()
        self._scan_seq += 1
        self._last_scan = self.clock()
        self._index_untidy = True
        scan = _Scan(payload, self.actor, self._scan_seq, ended, at=self.services.now())
        self._early = early = _Held(scan, self.early_wait())
        self._look_up_held(early)

    def early_wait(self) -> float:
        """Seconds a scan started early waits for its verdict: that comes at most a
        scanner's gap after the Enter (`Timing.gap`), later only on a blocked UI thread."""
        return self.scan_input.detector.timing.gap + EARLY_WAIT

    def settle_early_scan(self, payload: str) -> bool:
        """The burst ended as `payload`: True when that is the scan started early (kept: its
        card is up or coming); False otherwise (it is dropped, if any; look `payload` up)."""
        early, self._early = self._early, None
        if early is None:
            return False
        if early.scan.payload != payload:
            early.decide(False)
            return False
        return early.decide(True)  # False: it waited too long and rolled back

    def drop_early_scan(self) -> None:
        early, self._early = self._early, None
        if early is not None:
            early.decide(False)

    @work(group="scan", exit_on_error=False)
    async def _look_up_held(self, held: _Held) -> None:
        loop = asyncio.get_running_loop()
        scan = held.scan
        card: asyncio.Future[Visit] = loop.create_future()

        def drawn(visit: Visit) -> None:  # on the scan thread, the commit still held
            loop.call_soon_threadsafe(card.set_result, visit)

        hold = partial(self.services.resolve_scan_held, scan.payload, actor=scan.actor,
                       drawn=drawn, keep=held.wait, at=scan.at)  # fmt: skip
        job = loop.run_in_executor(self._scan_pool, hold)
        # The card is drawn here, in the app's context (Textual's timers need it), while
        # the scan thread waits for the verdict (a whole scan has it already) and commits
        # (an fsync: the frame is composed meanwhile), or rolls back; that ends `job`.
        done, _ = await asyncio.wait(
            (card, job), timeout=LOCK_PATIENCE, return_when=asyncio.FIRST_COMPLETED
        )
        if not done:
            if held.state == "keep":  # a scan known whole, waiting for the write lock
                self._preview(scan)
            await asyncio.wait((card, job), return_when=asyncio.FIRST_COMPLETED)
        if card.done():
            self._show_held(held, card.result())
        try:
            visit = await job
        except Exception as exc:  # noqa: BLE001 - a bad scan must never take the kiosk down
            if not held.failed():
                return  # not kept yet: the scan that settles it is looked up as usual
            self._unrecorded(held)
            if is_db_error(exc):
                self._keep(scan, exc)
                if held.shown is None:  # refused before its card: draw it from a read
                    self._preview(scan)
                return
            self.log.error(f"scan failed: {exc!r}")
            self.notify(self.t("error.scan_failed", error=str(exc)), severity="error", markup=False)
            return
        if visit is None:
            return  # withdrawn (rolled back): the longer scan, or this one anew, follows
        held.committed = True
        if visit.checkin_id and not visit.repeat:
            self.post_message(BoothChanged())
        self._held_latency(held)
        if scan.seq == self._scan_seq:
            self._notify_status(visit)

    def _show_held(self, held: _Held, visit: Visit) -> None:
        """The card of a held scan, drawn while its verdict is awaited or its commit runs."""
        if held.scan.seq != self._scan_seq or held.state not in ("open", "keep"):
            return  # a later scan is on its way, more lines came, or it was rolled back
        try:
            self.show_visit(visit, pop=held.scan.tries == 0)  # a retry's: underneath
        except Exception as exc:  # noqa: BLE001 - as `_look_up`: say so, never swallow it
            self.log.error(f"scan card failed: {exc!r}")
            message = self.t("error.scan_card_failed", error=str(exc))
            self.notify(message, severity="error", markup=False)
            return
        held.shown = visit
        held.scan.card_up = True
        self.frame_drawn_then(partial(self._held_drawn, held))

    def _unrecorded(self, held: _Held) -> None:
        """The check-in of a card already drawn did not commit: the card must not say
        "checked in" — drawn again without it, until the retry records it."""
        visit = held.shown
        if visit is None or held.scan.seq != self._scan_seq or not visit.recorded:
            return
        try:
            self.show_visit(
                replace(visit, checkin_id=None, checked_in_at=None, recorded=False, pending=True),
                pop=False,
            )
        except Exception as exc:  # noqa: BLE001 - as `_show_held`
            self.log.error(f"scan card failed: {exc!r}")

    def _held_drawn(self, held: _Held) -> None:
        held.drawn = True
        self._held_latency(held)

    def _held_latency(self, held: _Held) -> None:
        """Last key → card on screen *and* the check-in committed, whichever came later."""
        if held.drawn and held.committed and held.scan.ended is not None:
            self.scan_latencies.append(self.clock() - held.scan.ended)
            self.full_collections.now_if_due()  # the card is up and the scan recorded

    def unrecorded_scans(self) -> int:
        """Kept for a retry, or being looked up or retried right now (a retry is a running
        scan worker, not in the list: quitting then lost it without a word)."""
        running = sum(1 for w in self.workers if w.group == "scan" and not w.is_finished)
        return len(self._kept_scans) + running

    @property
    def scans_in_flight(self) -> bool:
        """A lookup running or queued, or a scan kept for a retry (tests and the bench wait)."""
        return self.unrecorded_scans() > 0

    @work(group="scan", exit_on_error=False)
    async def _look_up(self, scan: _Scan) -> None:
        loop = asyncio.get_running_loop()
        resolve = partial(self.services.resolve_scan, scan.payload, actor=scan.actor, at=scan.at)
        try:
            visit = await loop.run_in_executor(self._scan_pool, resolve)
        except Exception as exc:  # noqa: BLE001 - a bad scan must never take the kiosk down
            if is_db_error(exc):
                self._keep(scan, exc)
                return
            self.log.error(f"scan failed: {exc!r}")
            self.notify(self.t("error.scan_failed", error=str(exc)), severity="error", markup=False)
            return
        if visit.checkin_id and not visit.repeat:
            self.post_message(BoothChanged())
        if scan.seq != self._scan_seq:
            return  # a later scan is on its way: its card wins (this one is recorded)
        scan.card_up = True
        try:
            self._show_scan(visit, scan.ended, pop=scan.tries == 0)
        except Exception as exc:  # noqa: BLE001 - recorded, but its card could not be drawn
            # The worker swallows what it raises (exit_on_error=False): without this the
            # last visitor's card stayed up and nobody was told.
            self.log.error(f"scan card failed: {exc!r}")
            message = self.t("error.scan_card_failed", error=str(exc))
            self.notify(message, severity="error", markup=False)

    @work(group="preview", exit_on_error=False)
    async def _preview(self, scan: _Scan) -> None:
        """Draw a scan's card from a lookup that writes nothing, marked not recorded yet,
        while its check-in waits for the database or is kept for a retry (once per scan; a
        later scan's card, or this scan's recorded one, wins)."""
        if scan.previewed or scan.seq != self._scan_seq:
            return
        scan.previewed = True
        loop = asyncio.get_running_loop()
        look = partial(self.services.resolve_scan, scan.payload, actor=scan.actor,
                       check_in=False, at=scan.at)  # fmt: skip
        try:
            visit = await loop.run_in_executor(self._preview_pool, look)
        except Exception as exc:  # noqa: BLE001 - reads fail too: the database line says why
            self.log.error(f"scan preview failed: {exc!r}")
            return
        if scan.seq != self._scan_seq or scan.card_up:
            return
        try:
            self.show_visit(replace(visit, pending=True))
        except Exception as exc:  # noqa: BLE001 - as `_show_held`
            self.log.error(f"scan card failed: {exc!r}")

    def _show_scan(self, visit: Visit, ended: float | None, *, pop: bool = True) -> None:
        self.show_visit(visit, ended=ended, pop=pop)
        self._notify_status(visit)

    def _notify_status(self, visit: Visit) -> None:
        if visit.status == "unreadable":
            raw = visible(visit.payload[:200])
            self.notify(self.t("error.unreadable", raw=raw), severity="warning", markup=False)
        elif visit.status == "refused":
            self.notify(
                self.t("error.refused", why=visit.refused or ""), severity="error", markup=False
            )

    # ------------------------------------------------------------------ the database failed
    def _keep(self, scan: _Scan, exc: BaseException) -> None:
        """Keep a scan the database refused, say so, and try it again in a while."""
        self.log.error(f"scan kept for a retry: {exc!r}")
        if scan.tries == 0:
            self.notify(
                self.t("error.database", error=describe(exc)), severity="error", timeout=10,
                markup=False,
            )  # fmt: skip
        damage_seen(self, exc)  # a damaged file: the lasting warning too, not only the toast
        self._kept_scans.append(scan)
        self.scans_kept += scan.tries == 0
        wait = RETRY_SECONDS[min(scan.tries, len(RETRY_SECONDS) - 1)]
        scan.tries += 1
        call_after(self, wait, partial(self._retry, scan), name="scan-retry")

    def _retry(self, scan: _Scan) -> None:
        if scan in self._kept_scans:
            self._kept_scans.remove(scan)
            self._start(scan)

    def show_visit(self, visit: Visit, *, ended: float | None = None, pop: bool = True) -> None:
        raise NotImplementedError  # KioskApp's

    def frame_drawn_then(self, callback: Callable[[], None]) -> None:
        raise NotImplementedError  # KioskApp's

    scan_latencies: list[float]  # KioskApp's
    scan_input: ScanInput  # KioskApp's
