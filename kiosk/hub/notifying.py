"""The notification pass the sync worker runs after each round (`kiosk.notify` + claims).

Raise outbox items for this kiosk's new events, then send the due ones — with the hub's
leave when there is a hub (`kiosk.hub.claims`: one per visitor and repeat window across
kiosks), on this kiosk's own word when there is none (a booth with no network: it still
dedups what its own tables know and sends when a channel answers).
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any

import psycopg
import sqlite_utils

from kiosk.clock import Clock
from kiosk.config import ShowConfig
from kiosk.hub.claims import claimer
from kiosk.hub.connection import HubError, connect
from kiosk.notify.outbox import PASS_LIMIT, Delivery, deliver, enqueue
from kiosk.notify.send import Sender, apprise_send

POLL = 0.05  # seconds between looks at `stop` and `wake()` while waiting
MIN_GAP = 0.2  # the least time between two passes: arrivals at a busy booth share a pass


def notification_pass(
    db: sqlite_utils.Database,
    conn: psycopg.Connection[Any] | None,
    now: datetime,
    *,
    config: ShowConfig,
    db_path: str | os.PathLike[str] | None,
    url: str | None,
    send: Sender = apprise_send,
) -> Delivery:
    enqueue(db, config, now=now, db_path=db_path)
    claim = claimer(conn, url) if url else None
    return deliver(db, config, now=now, db_path=db_path, claim=claim, send=send)


class NotifyLoop:
    """The notification pass in a thread of its own, beside the sync worker.

    Sending goes over the network to each channel (and claims to the hub) and may take
    a while; kept out of the sync loop, a slow webhook never delays convergence. Its own
    SQLite connection, its own hub connection (reconnected when lost; without one, items
    wait for the hub). `wake()` after a local arrival runs a pass at once.
    """

    def __init__(
        self,
        open_db: Callable[[], sqlite_utils.Database],
        url: str | None,
        *,
        config: ShowConfig,
        db_path: str | os.PathLike[str] | None,
        clock: Clock,
        every: float = 1.0,
        send: Sender = apprise_send,
        on_pass: Callable[[Delivery], None] | None = None,
    ) -> None:
        self._open_db = open_db
        self.url = url
        self.config = config
        self.db_path = db_path
        self.clock = clock
        self.every = every
        self.send = send
        self.on_pass = on_pass
        self._woken = threading.Event()

    def wake(self) -> None:
        self._woken.set()

    def run(self, stop: threading.Event) -> None:
        db = self._open_db()
        # Items raised again from the log, a duplicate or a retry time lost: nothing here
        # needs a flush per commit but the "sent" mark, which `deliver` makes durable.
        db.execute("PRAGMA synchronous = NORMAL")
        conn: psycopg.Connection[Any] | None = None
        try:
            while not stop.is_set():
                self._woken.clear()
                if self.url and (conn is None or conn.closed):
                    try:
                        conn = connect(self.url)
                    except HubError:
                        conn = None
                try:
                    done = notification_pass(
                        db, conn, self.clock(), config=self.config, db_path=self.db_path,
                        url=self.url, send=self.send,
                    )  # fmt: skip
                except psycopg.Error:
                    done = None
                    if conn is not None:
                        conn.close()
                    conn = None
                except sqlite3.OperationalError:
                    done = None  # the kiosk's file was busy: the next pass goes on
                if done is not None and self.on_pass is not None:
                    self.on_pass(done)
                if done is not None and done.due >= PASS_LIMIT:
                    continue  # more items are due than one pass takes: the next one now
                if stop.wait(MIN_GAP):
                    break
                for _ in range(max(1, round((self.every - MIN_GAP) / POLL))):
                    if stop.is_set() or self._woken.is_set():
                        break
                    stop.wait(POLL)
        finally:
            if conn is not None:
                conn.close()
            db.conn.close()
