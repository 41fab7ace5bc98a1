"""The booth screen's link to the hub: sync and notifications in a background thread.

`HubLink` runs `kiosk.hub.worker.SyncWorker` in a Textual thread worker with its own
SQLite connection, so a scan never waits for the network: the scan is recorded locally
and `wake()` asks the worker to push it at once. The worker hands the app its status
(online or not, lag, events waiting to be pushed) through `call_from_thread` — the
thread never touches a widget. The notification pass (the outbox; `kiosk.hub.notifying`)
runs in a second thread, so a slow channel never delays a sync.

Without a hub (no `--hub`, `KIOSK_HUB` or `[hub] url`) only the notification thread runs,
so a booth with no network still sends when a channel answers.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from kiosk.clock import Clock, clock_off
from kiosk.config import ShowConfig
from kiosk.db import open_db
from kiosk.hub.notifying import NotifyLoop
from kiosk.hub.sync import HubClock
from kiosk.hub.worker import HubStatus, SyncWorker


class HubLink:
    """Start with `start(app, on_status)`; stop with `stop()`; `wake()` after a local event."""

    def __init__(
        self,
        db_path: str | Path,
        url: str | None,
        config: ShowConfig,
        *,
        clock: Clock,
        every: float = 2.0,
        hub_clock: HubClock | None = None,
    ) -> None:
        self.db_path = Path(db_path)
        self.hub_clock = hub_clock  # the header warns when this kiosk's clock is off it
        self.url = url
        self.config = config
        self.clock = clock
        self.every = every
        self._stop = threading.Event()
        self.worker: SyncWorker | None = None
        self.notifier: NotifyLoop | None = None

    def start(self, app: Any, on_status: Callable[[HubStatus], None]) -> None:
        def status(s: HubStatus) -> None:
            if not self._stop.is_set():
                app.call_from_thread(on_status, s)

        def reader() -> Any:
            return open_db(self.db_path, create=False)

        self.notifier = NotifyLoop(
            reader, self.url, config=self.config, db_path=self.db_path, clock=self.clock
        )
        notifier = self.notifier
        app.run_worker(
            lambda: notifier.run(self._stop), thread=True, group="notify", exit_on_error=False
        )
        if self.url is None:
            return
        self.worker = SyncWorker(
            reader, self.url, kiosk_id=self.config.kiosk_id, clock=self.clock,
            every=self.every, on_status=status, hub_clock=self.hub_clock,
        )  # fmt: skip
        worker = self.worker
        app.run_worker(
            lambda: worker.run(self._stop), thread=True, group="hub", exit_on_error=False
        )

    def wake(self) -> None:
        if self.worker is not None:
            self.worker.wake()
        if self.notifier is not None:
            self.notifier.wake()

    def stop(self) -> None:
        self._stop.set()


def status_text(status: HubStatus | None, now: datetime, t: Callable[..., str]) -> str:
    """The header's few characters: '● hub 0.4 s · 0 ↑' (online, lag, waiting to push) or
    '○ offline 2 min · 3 ↑' (since when, waiting to push); `t` is the UI's translator."""
    if status is None:
        return ""
    lag = status.lag(now)
    if status.duplicate:  # offline until renamed: say why, not only "offline"
        return t("hub.duplicate", pending=status.pending)
    if stalled(status, now):
        text = t("hub.stalled", lag=_short(lag), pending=status.pending)
    elif status.online:
        text = t("hub.online", lag=_short(lag), pending=status.pending)
    else:
        text = t("hub.offline", lag=_short(lag), pending=status.pending)
    return text + clock_text(status, t)


def clock_text(status: HubStatus, t: Callable[..., str]) -> str:
    """'  ⚠ clock 3 h behind the hub' when the last round found this kiosk's
    clock off the hub's (`kiosk.clock.HUB_CLOCK_TOLERANCE`), else ''. The hub is the one
    outside clock a kiosk meets; a slow one wins every "earliest claim" dispute."""
    offset = status.last_round.clock_offset if status.last_round else None
    if offset is None or not clock_off(offset):
        return ""
    key = "hub.clock_slow" if offset > timedelta(0) else "hub.clock_fast"
    return "  " + t(key, offset=_short(abs(offset)))


# A round is every 2 s; one that has not come back for this long is waiting on a hub that
# accepted the connection and stopped answering (a hung server, a network that drops
# packets silently): the header said "● hub 0.0 s" for minutes while scans waited.
STALLED = timedelta(seconds=15)


def stalled(status: HubStatus, now: datetime) -> bool:
    """Online by the last round, but no round has ended for `STALLED`."""
    lag = status.lag(now)
    return status.online and lag is not None and lag > STALLED


def _short(delta: timedelta | None) -> str:
    if delta is None:
        return "–"
    seconds = delta.total_seconds()
    if seconds < 60:
        return f"{seconds:.1f} s"
    if seconds < 3600:
        return f"{int(seconds // 60)} min"
    return f"{int(seconds // 3600)} h"
