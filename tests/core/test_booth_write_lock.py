"""Issue 12 §5 at a million rows: a booth write waiting for the write lock tries again every
`kiosk.db.POLL` seconds, so it gets in between two of an import's slices.

SQLite's own busy handler slept ever longer between its tries (100 ms each after a third of
a second), while an import keeps the lock free for waiting writers 60 ms at most: at a
million rows a writer slept through gap after gap (0.4–1.4 s), and a few gave up after the
5 s busy timeout. No timing is asserted: the sleeps and the clock are the test's.
"""

from __future__ import annotations

import sqlite3

import pytest

from kiosk import db as kdb
from kiosk.db import BUSY_TIMEOUT_MS, POLL, begin_immediate, open_db


@pytest.fixture
def holder(db_path):
    """Another connection to the same file, holding the write lock."""
    other = open_db(db_path, create=False)
    other.execute("BEGIN IMMEDIATE")
    yield other
    if other.conn.in_transaction:
        other.execute("ROLLBACK")
    other.conn.close()


def _timeout(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA busy_timeout").fetchone()[0])


def test_a_waiting_write_takes_the_lock_at_its_next_try_after_it_is_freed(db, holder):
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        if len(sleeps) == 3:  # the other writer commits during the third pause
            holder.execute("COMMIT")

    told: list[int] = []
    begin_immediate(db.conn, sleep=sleep, clock=lambda: 0.0, waiting=lambda: told.append(1))

    assert db.conn.in_transaction
    assert told == [1]  # once, at the first try that found the lock held (the PIN dialog)
    assert sleeps == [POLL] * 3  # never SQLite's 25–100 ms naps
    assert POLL <= 0.005
    assert _timeout(db.conn) == BUSY_TIMEOUT_MS  # the connection's timeout, as it was
    db.execute("INSERT INTO meta(key, value) VALUES ('lock-test', 'written')")
    db.execute("COMMIT")
    assert holder.execute("SELECT value FROM meta WHERE key = 'lock-test'").fetchone() == (
        "written",
    )


def test_a_write_gives_up_after_its_busy_timeout_as_sqlite_would(db, holder):
    db.execute("PRAGMA busy_timeout = 40")
    now = [100.0]
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        now[0] += seconds

    with pytest.raises(sqlite3.OperationalError, match="database is locked"):
        begin_immediate(db.conn, sleep=sleep, clock=lambda: now[0])

    assert not db.conn.in_transaction
    assert len(sleeps) == pytest.approx(0.040 / POLL, abs=1)
    assert _timeout(db.conn) == 40


def test_no_busy_timeout_fails_at_once(db, holder):
    db.execute("PRAGMA busy_timeout = 0")
    with pytest.raises(sqlite3.OperationalError, match="database is locked"):
        begin_immediate(db.conn, sleep=pytest.fail, clock=lambda: 0.0)
    assert _timeout(db.conn) == 0


def test_an_error_that_is_not_a_held_lock_is_raised_without_waiting(db):
    db.execute("BEGIN")
    with pytest.raises(sqlite3.OperationalError, match="within a transaction"):
        begin_immediate(db.conn, sleep=pytest.fail, clock=lambda: 0.0)
    db.execute("ROLLBACK")
    assert _timeout(db.conn) == BUSY_TIMEOUT_MS


def test_where_the_clock_cannot_sleep_sqlites_own_handler_waits(db, holder):
    """libfaketime's shifted clock makes `time.sleep` fail (EINVAL)."""

    def sleep(seconds: float) -> None:
        holder.execute("COMMIT")  # freed meanwhile: SQLite's handler finds it so
        raise OSError(22, "Invalid argument")

    begin_immediate(db.conn, sleep=sleep, clock=lambda: 0.0)
    assert db.conn.in_transaction
    db.execute("ROLLBACK")
    assert _timeout(db.conn) == BUSY_TIMEOUT_MS


def test_booth_transactions_wait_this_way(db, holder, monkeypatch):
    """`kiosk.db.transaction` (every booth write) takes the lock through `begin_immediate`."""
    tries: list[float] = []

    def sleep(seconds: float) -> None:
        tries.append(seconds)
        holder.execute("COMMIT")

    monkeypatch.setattr(kdb.time, "sleep", sleep)
    with kdb.transaction(db):
        db.execute("INSERT INTO meta(key, value) VALUES ('lock-test', 'in turn')")
    assert tries == [POLL]
    assert db.execute("SELECT value FROM meta WHERE key = 'lock-test'").fetchone() == ("in turn",)
