"""The notification thread keeps up with a backlog: a pass that took up as many items as
it may is followed by the next at once, not after the loop's wait (`every`)."""

from __future__ import annotations

import threading
import tomllib

from kiosk.config import parse_config
from kiosk.db import open_db
from kiosk.hub.notifying import NotifyLoop
from kiosk.notify.outbox import PASS_LIMIT
from tests.factory import NOW, SHOW

HOOK = "json://127.0.0.1:9/kenji"  # never reached: the sender below accepts everything
CONFIG = parse_config(tomllib.loads(SHOW + f'\n[notify]\nchannels = {{ kenji = ["{HOOK}"] }}\n'))


def test_a_backlog_longer_than_a_pass_is_sent_without_waiting_for_the_next_look(db_path):
    db = open_db(db_path, create=False)
    n = 2 * PASS_LIMIT + 20
    db.conn.executemany(
        "INSERT INTO outbox(id, event_uuid, kind, recipient, channel, title, body, visitor,"
        " at_utc, created_at) VALUES (?, ?, 'checkin', 'kenji', ?, ?, 'b', NULL, ?, ?)",
        [(f"e{i}|kenji|{HOOK}", f"e{i}", HOOK, f"visitor {i}", NOW.isoformat(),
          NOW.isoformat()) for i in range(n)],
    )  # fmt: skip
    db.conn.commit()
    sent: list[str] = []
    all_sent = threading.Event()

    def send(url, title, body):
        sent.append(title)
        if len(sent) == n:
            all_sent.set()
        return None

    loop = NotifyLoop(
        lambda: open_db(db_path, create=False), None, config=CONFIG, db_path=db_path,
        clock=lambda: NOW, every=3600.0, send=send,
    )  # fmt: skip
    stop = threading.Event()
    thread = threading.Thread(target=loop.run, args=(stop,), daemon=True)
    thread.start()
    try:
        # one look of the loop would take an hour: every item goes out in back-to-back passes
        assert all_sent.wait(120), f"{len(sent)} of {n} sent"
    finally:
        stop.set()
        thread.join(30)
    assert sorted(sent) == sorted(f"visitor {i}" for i in range(n))
    states = db.execute("SELECT state, count(*) FROM outbox GROUP BY state").fetchall()
    assert [tuple(s) for s in states] == [("sent", n)]
