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
- kept when the database fails (read-only, locked, damaged) and tried again every few
  seconds until it works, with one clear line on screen meanwhile — never lost;
- committed without a checkpoint: SQLite folds the write-ahead log into the database file
  after every ~1,000 pages a connection commits, and the commit that crosses that line
  waits for it (tens of milliseconds, seconds after a big import). The scan thread's
  connection never does it; a checkpoint thread of its own does, once the booth has been
  quiet for `CHECKPOINT_IDLE` seconds (or the log has grown past `CHECKPOINT_FORCE` bytes
  however busy the booth is), so no visitor waits for one.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from textual import work

from kiosk.ui.db_errors import describe, is_db_error
from kiosk.ui.messages import BoothChanged
from kiosk.ui.session import SessionActions
from kiosk.visits import Visit, visible

MAX_SCAN_BYTES = 8 * 1024
RETRY_SECONDS = (2.0, 5.0, 10.0, 30.0)  # waits between tries of a scan the database refused
CHECKPOINT_EVERY = 2.0  # seconds between looks at the write-ahead log
CHECKPOINT_IDLE = 1.0  # seconds without a scan before the log is checkpointed
CHECKPOINT_FORCE = 64 << 20  # bytes of log checkpointed even while scans keep coming


@dataclass
class _Scan:
    payload: str
    actor: str
    seq: int
    ended: float | None
    tries: int = 0


class ScanActions(SessionActions):
    """The scan half of `KioskApp`: `handle_scan` and what follows it."""

    _scan_pool: ThreadPoolExecutor
    _checkpoint_pool: ThreadPoolExecutor
    _checkpointing: Future[Any] | None
    _scan_seq: int
    _kept_scans: list[_Scan]
    scans_kept: int
    _last_scan: float
    clock: Callable[[], float]  # KioskApp's

    def start_scanning(self) -> None:
        self._scan_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kiosk-scan")
        self._checkpoint_pool = ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="kiosk-checkpoint"
        )
        self._checkpointing = None
        self._scan_seq = 0
        self._kept_scans = []
        self._last_scan = 0.0
        self.scans_kept = 0  # scans the database refused at least once (the bench reports it)

    def stop_scanning(self) -> None:
        self._scan_pool.shutdown(wait=False, cancel_futures=False)
        self._checkpoint_pool.shutdown(wait=False, cancel_futures=True)

    def open_scan_connection(self) -> None:
        """Open the scan thread's database connection before the first scan needs it (one
        that leaves checkpoints to the checkpoint thread), and start watching the log."""
        self._scan_pool.submit(self._open_scan_db)
        if self.services.db_path is not None:
            self.set_interval(CHECKPOINT_EVERY, self.checkpoint_when_quiet, name="checkpoint")

    def _open_scan_db(self) -> None:
        self.services.db.execute("PRAGMA wal_autocheckpoint = 0")

    def checkpoint_when_quiet(self) -> None:
        """Fold the write-ahead log into the database file on the checkpoint thread, when no
        scan is running and none came for CHECKPOINT_IDLE seconds (or the log is huge)."""
        if self._checkpointing is not None and not self._checkpointing.done():
            return
        log = Path(f"{self.services.db_path}-wal")
        try:
            size = log.stat().st_size
        except OSError:  # no log (yet): nothing to fold in
            return
        quiet = not self.scans_in_flight and self.clock() - self._last_scan >= CHECKPOINT_IDLE
        if size and (quiet or size >= CHECKPOINT_FORCE):
            self._checkpointing = self._checkpoint_pool.submit(self._checkpoint)

    def _checkpoint(self) -> tuple[int, int, int]:
        """PASSIVE: copies what no reader still needs, never waits for or blocks anyone."""
        busy, frames, done = self.services.db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        return int(busy), int(frames), int(done)

    # ------------------------------------------------------------------ a scan arrives
    def handle_scan(self, payload: str, *, ended: float | None = None) -> None:
        size = len(payload.encode("utf-8", "surrogatepass"))
        if size > MAX_SCAN_BYTES:
            self.notify(
                self.t("error.scan_too_long", size=f"{size:,}"), severity="error", markup=False
            )
            return
        self._scan_seq += 1
        self._last_scan = self.clock()
        self._look_up(_Scan(payload, self.actor, self._scan_seq, ended))

    @property
    def scans_in_flight(self) -> bool:
        """A lookup running or queued, or a scan kept for a retry (tests and the bench wait)."""
        return any(w.group == "scan" and not w.is_finished for w in self.workers) or bool(
            self._kept_scans
        )

    @work(group="scan", exit_on_error=False)
    async def _look_up(self, scan: _Scan) -> None:
        loop = asyncio.get_running_loop()
        resolve = partial(self.services.resolve_scan, scan.payload, actor=scan.actor)
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
        try:
            self._show_scan(visit, scan.ended)
        except Exception as exc:  # noqa: BLE001 - recorded, but its card could not be drawn
            # The worker swallows what it raises (exit_on_error=False): without this the
            # last visitor's card stayed up and nobody was told.
            self.log.error(f"scan card failed: {exc!r}")
            message = self.t("error.scan_card_failed", error=str(exc))
            self.notify(message, severity="error", markup=False)

    def _show_scan(self, visit: Visit, ended: float | None) -> None:
        self.show_visit(visit, ended=ended)
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
        self._kept_scans.append(scan)
        self.scans_kept += scan.tries == 0
        wait = RETRY_SECONDS[min(scan.tries, len(RETRY_SECONDS) - 1)]
        scan.tries += 1
        self.set_timer(wait, partial(self._retry, scan), name="scan-retry")

    def _retry(self, scan: _Scan) -> None:
        if scan in self._kept_scans:
            self._kept_scans.remove(scan)
            self._look_up(scan)

    def show_visit(self, visit: Visit, *, ended: float | None = None) -> None:
        raise NotImplementedError  # KioskApp's
