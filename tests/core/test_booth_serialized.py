"""A booth action is stamped, decided and recorded under one write lock (issue 12 §5).

Stamped outside it, another connection of the same kiosk could record an event between
the stamp and the record; the new event then sorted before it, and recording it replayed
the whole log inside the booth's transaction (up to a second at a million contacts, with
every other booth write waiting)."""

from __future__ import annotations

import sqlite3

import pytest

from kiosk import booth, events
from kiosk.booth import LeadInput
from kiosk.db import open_db
from tests.factory import CONFIG, NOW


def _lock_free(path) -> bool:
    """Could another connection begin a write right now?"""
    probe = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        probe.close()


ACTIONS = {
    "lead": lambda db: booth.add_lead(
        db, CONFIG, LeadInput(name="Ida Stamp", country="DE", consent=True), now=NOW
    ),
    "check-in": lambda db: booth.check_in(db, CONFIG, _first_contact(db), now=NOW),
    "preference": lambda db: booth.set_preference(db, CONFIG, _first_contact(db), "ana", now=NOW),
}


def _first_contact(db) -> str:
    return db.execute("SELECT id FROM contacts ORDER BY rowid LIMIT 1").fetchone()[0]


@pytest.mark.parametrize("action", ACTIONS)
def test_nothing_is_recorded_between_an_events_stamp_and_its_record(db_path, monkeypatch, action):
    kiosk, other = open_db(db_path, create=False), open_db(db_path, create=False)
    real_next_ts = events.next_ts
    seen: list[bool] = []
    replays: list[int] = []
    real_replay = events._replay_all

    def next_ts(db, *args, **kwargs):
        ts = real_next_ts(db, *args, **kwargs)
        if db is kiosk and not seen:
            seen.append(_lock_free(db_path))
            if seen[0]:  # the old way: the other connection's lead lands in between
                ACTIONS["lead"](other)
        return ts

    def replay_all(db):
        replays.append(1)
        return real_replay(db)

    monkeypatch.setattr(events, "next_ts", next_ts)
    monkeypatch.setattr(events, "_replay_all", replay_all)
    ACTIONS[action](kiosk)
    assert seen == [False]  # the kiosk held the write lock from its stamp on
    assert replays == []
    kiosk.conn.close()
    other.conn.close()
