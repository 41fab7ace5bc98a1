"""A notification pass writes to the kiosk's file once, or not at all when it has nothing
to write: each write waits its turn behind the scans and the sync, and at a busy booth
those waits were two fifths of a pass (profiled). No PostgreSQL: the claimer answers as
told, the sender accepts everything."""

from __future__ import annotations

import sqlite3
import tomllib

from kiosk import booth
from kiosk.config import parse_config
from kiosk.db import open_db
from kiosk.events import Event, merge_events, new_event
from kiosk.notify.outbox import ClaimRequest, deliver, enqueue, items
from tests.factory import NOW, SHOW

HOOK = "json://127.0.0.1:9/kenji"  # never reached: the senders below answer for it
CONFIG = parse_config(tomllib.loads(SHOW + f'\n[notify]\nchannels = {{ kenji = ["{HOOK}"] }}\n'))


def begins(db) -> list[str]:
    """Every BEGIN this connection runs from now on (the trace of its write transactions)."""
    seen: list[str] = []
    db.conn.set_trace_callback(lambda sql: seen.append(sql) if sql.startswith("BEGIN") else None)
    return seen


def locked_by_another(db_path):
    """A second connection that holds the file's write lock until closed."""
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    return other


def contact(db, crm_id: str) -> str:
    return db.execute("SELECT id FROM contacts WHERE crm_id = ?", [crm_id]).fetchone()[0]


def test_a_pass_with_nothing_to_do_does_not_wait_for_the_write_lock(db_path):
    db = open_db(db_path, create=False)
    # another kiosk's check-in arrived by a merge: that kiosk notifies, not this one
    theirs: Event = new_event(
        "checkin", {"contact_id": contact(db, "C1"), "owner_id": "kenji", "rule": "owner",
                    "reason": "owner"}, kiosk_id="kiosk-b", ts=NOW,
    )  # fmt: skip
    merge_events(db, [theirs])
    enqueue(db, CONFIG, now=NOW, db_path=db_path)
    other = locked_by_another(db_path)
    try:
        db.execute("PRAGMA busy_timeout = 0")  # a wait for the lock would fail at once
        trace = begins(db)
        assert enqueue(db, CONFIG, now=NOW, db_path=db_path) == 0
        done = deliver(db, CONFIG, now=NOW, db_path=db_path, send=lambda *_: None)
    finally:
        other.close()
    assert (done.due, done.sent, trace) == (0, 0, [])
    assert items(db) == []


def test_a_pass_records_every_outcome_in_one_write_after_its_sends(db_path):
    db = open_db(db_path, create=False)
    for crm_id, minutes in (("C1", 0), ("C2", 1), ("C3", 2)):
        booth.check_in(db, CONFIG, contact(db, crm_id), now=NOW.replace(minute=minutes))
    # three recipients' items: Kenji's sent, Ana's a duplicate, Ben's waiting for the hub
    config = parse_config(tomllib.loads(
        SHOW + f'\n[notify]\nchannels = {{ kenji = ["{HOOK}"], ana = ["{HOOK}a"],'
        f' ben = ["{HOOK}b"] }}\n'
    ))  # fmt: skip
    assert enqueue(db, config, now=NOW, db_path=db_path) == 3
    asked: list[ClaimRequest] = []

    def claim(requests):
        asked.extend(requests)
        said = {"kenji": ("ok", ""), "ana": ("duplicate", "already notified by kiosk-b"),
                "ben": ("unreachable", "no connection")}  # fmt: skip
        return [said[r.recipient] for r in requests]

    sent: list[str] = []
    trace = begins(db)
    done = deliver(
        db, config, now=NOW, db_path=db_path, claim=claim,
        send=lambda url, title, body: sent.append(url) or None,
    )  # fmt: skip
    assert (done.sent, done.duplicate, done.waiting_for_hub) == (1, 1, 1)
    assert sent == [HOOK]
    assert trace == ["BEGIN IMMEDIATE"]  # one write for the three outcomes
    by_recipient = {i.recipient: (i.state, i.why) for i in items(db)}
    assert by_recipient == {
        "kenji": ("sent", ""),
        "ana": ("duplicate", "already notified by kiosk-b"),
        "ben": ("pending", "waiting for the hub: no connection"),
    }
