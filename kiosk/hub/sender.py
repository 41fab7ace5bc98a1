"""The notification pass in a process of its own, beside the booth screen.

Why a process and not a thread: the booth screen's process also records scans and applies
every other kiosk's pulled events, both busy in Python. A notification thread there waited
for the interpreter lock after each of its many short SQLite statements and hub round trips
(each one gives the lock up and must win it back from a busy thread): at ten kiosks on one
hub, arrival → notification delivered p95 was 4.6 s, of which every stage — raising the
item, picking it up, claiming it — was such waits (`scripts/bench_hub.py`). A process has
its own interpreter lock, and the system schedules a process that slept at once when woken.

`SenderProcess` starts `python -m kiosk.hub.sender` with a pipe on its standard input:
each byte written is a `wake()` (a scan was recorded here); the pipe's end — `stop()`, or
the booth screen gone for any reason, a crash included — ends it. The child runs
`kiosk.hub.notifying.NotifyLoop` unchanged (the same outbox, claims and "sent" marks, so
exactly once holds as it did), with its own SQLite and hub connections. It reads the hub's
URL from `KIOSK_HUB` in its environment, never its command line (`ps` shows that to
everyone), and its clock from `KIOSK_NOW` as every front-end does. Anything it prints (a
traceback, say) goes to `<database>-notify.log`, not onto the booth screen.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from kiosk.clock import clock_from_env
from kiosk.db import open_db
from kiosk.hub.connection import ENV_VAR as HUB_ENV
from kiosk.hub.notifying import NotifyLoop
from kiosk.notify.outbox import Delivery
from kiosk.notify.send import Sender, apprise_send
from kiosk.show import show_config

PROGRAM: tuple[str, ...] = (sys.executable, "-m", "kiosk.hub.sender")
STOP_WAIT = 10.0  # seconds `stop()` waits, at most, for the child to finish its pass


def log_path(db_path: str | os.PathLike[str]) -> Path:
    """Where the child's own words go: `<database>-notify.log`."""
    return Path(f"{os.fspath(db_path)}-notify.log")


class SenderProcess:
    """`start()`, `wake()` after each local event, `stop()` at the end.

    A child that died (a crash, a kill) is started again at the next `wake()`: items it
    left pending are still in the outbox, and one it sent without recording is the one
    documented "at least once" case (`kiosk.notify.outbox`)."""

    def __init__(
        self,
        db_path: str | os.PathLike[str],
        url: str | None,
        *,
        env: Mapping[str, str] | None = None,
        program: Sequence[str] = PROGRAM,
    ) -> None:
        self.db_path = Path(db_path)
        self.url = url
        self.env = dict(os.environ if env is None else env)
        self.program = tuple(program)
        self._proc: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()  # wake() comes from the scan thread and the app's
        self.started = 0  # how many children were started (a restart adds one)

    def start(self) -> None:
        with self._lock:
            self._start()

    def _start(self) -> None:
        env = dict(self.env)
        env.pop(HUB_ENV, None)
        if self.url is not None:
            env[HUB_ENV] = self.url
        # what the child says goes to a file beside the database, never onto the booth
        # screen's terminal (a traceback there would tear the screen)
        with open(log_path(self.db_path), "ab") as log:
            self._proc = subprocess.Popen(
                [*self.program, str(self.db_path)],
                stdin=subprocess.PIPE,
                stdout=log,
                stderr=log,
                env=env,
                close_fds=True,
            )
        assert self._proc.stdin is not None
        os.set_blocking(self._proc.stdin.fileno(), False)
        self.started += 1

    def wake(self) -> None:
        """Run a pass now. Never blocks: a full pipe already holds wake-ups enough."""
        with self._lock:
            proc = self._proc
            if proc is None:
                return
            if proc.poll() is not None:  # it died: the outbox waits in the file, start again
                self._start()
                proc = self._proc
            assert proc is not None and proc.stdin is not None
            try:
                os.write(proc.stdin.fileno(), b"w")
            except (BlockingIOError, BrokenPipeError):
                pass  # full: woken anyway; broken: it is ending, the next wake restarts it

    def stop(self, timeout: float = STOP_WAIT) -> int | None:
        """End the child: it finishes the pass in progress, then exits. Its exit status, or
        None if it is still finishing after `timeout` seconds — it is never killed: a send
        cut short after the channel took it would be sent again by the next kiosk start."""
        with self._lock:
            proc, self._proc = self._proc, None
        if proc is None:
            return None
        assert proc.stdin is not None
        try:
            proc.stdin.close()
        except BrokenPipeError:
            pass  # it had already gone
        try:
            return proc.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    @property
    def pid(self) -> int | None:
        return None if self._proc is None else self._proc.pid

    @property
    def alive(self) -> bool:
        return self._proc is not None and self._proc.poll() is None


def serve(
    db_path: str | os.PathLike[str],
    url: str | None,
    *,
    wakes: int,
    send: Sender = apprise_send,
    on_pass: Callable[[Delivery], None] | None = None,
    every: float = 1.0,
) -> None:
    """Run the notification loop until the file descriptor `wakes` ends; each byte read
    from it wakes the loop. The loop runs in a thread so this one can wait on the pipe."""
    db = open_db(db_path, create=False)
    try:
        config = show_config(db)
    finally:
        db.conn.close()
    loop = NotifyLoop(
        lambda: open_db(db_path, create=False), url, config=config, db_path=db_path,
        clock=clock_from_env(), every=every, send=send, on_pass=on_pass,
    )  # fmt: skip
    stop = threading.Event()
    thread = threading.Thread(target=loop.run, args=(stop,), name="notify", daemon=True)
    thread.start()
    try:
        while os.read(wakes, 4096):
            loop.wake()
    finally:
        stop.set()
        thread.join(STOP_WAIT)


def main(argv: Sequence[str] | None = None, *, send: Sender = apprise_send) -> int:
    ap = argparse.ArgumentParser(prog="kiosk.hub.sender", description=__doc__.split("\n\n")[0])
    ap.add_argument("db", help="the kiosk's SQLite file")
    args = ap.parse_args(argv)
    serve(args.db, os.environ.get(HUB_ENV) or None, wakes=sys.stdin.fileno(), send=send)
    return 0


if __name__ == "__main__":
    sys.exit(main())
