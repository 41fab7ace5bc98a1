"""`kiosk.db.held_commit`: a block whose write commits only when the block ends.

The TUI's scan thread draws a visitor's card while the check-in's COMMIT (an fsync with
`synchronous=FULL`) runs; the lookup before the write must not hold the write lock (a
no-match lookup at a million contacts kept every other writer waiting through it).
"""

from __future__ import annotations

import os

import pytest

from kiosk.db import held_commit, open_db, transaction, writers_waiting


@pytest.fixture
def other(db_path):
    """Another connection to the same file: what it sees is what is committed."""
    conn = open_db(db_path, create=False)
    yield conn
    conn.conn.close()


def _value(db, key: str):
    row = db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def _write(db, key: str) -> None:
    with transaction(db):
        db.execute("INSERT INTO meta(key, value) VALUES (?, 'written')", [key])


def test_the_write_commits_when_the_block_ends_not_when_its_transaction_does(db, other):
    with held_commit(db) as held:
        assert not db.conn.in_transaction  # the reads before the write: no lock held
        assert not held.wrote
        _write(db, "held")
        assert held.wrote and db.conn.in_transaction  # done, not committed
        assert _value(db, "held") == "written"  # this connection reads its own write
        assert _value(other, "held") is None  # nobody else sees it yet
    assert not db.conn.in_transaction
    assert _value(other, "held") == "written"


def test_an_error_in_the_block_rolls_the_write_back(db, other):
    with pytest.raises(LookupError), held_commit(db):
        _write(db, "dropped")
        raise LookupError("not the whole badge")
    assert not db.conn.in_transaction
    assert _value(other, "dropped") is None
    assert _value(db, "dropped") is None


def test_a_block_that_writes_nothing_holds_no_lock(db, other):
    with held_commit(db) as held:
        db.execute("SELECT count(*) FROM contacts").fetchone()
        _write(other, "meanwhile")  # another writer is not kept waiting
    assert not held.wrote
    assert _value(db, "meanwhile") == "written"


def test_without_it_a_transaction_commits_at_its_end(db, other):
    _write(db, "plain")
    assert _value(other, "plain") == "written"


def test_it_refuses_a_connection_already_in_a_transaction(db):
    db.execute("BEGIN")
    with pytest.raises(RuntimeError), held_commit(db):
        pass
    db.execute("ROLLBACK")


def test_a_held_write_keeps_the_writers_turn_until_it_commits(db, db_path):
    """An import (`kiosk.bulk.Slices`) starts its next slice only when no booth writer
    holds the turn file: a write waiting for its COMMIT still does."""
    fd = os.open(f"{db_path}-writers", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        with held_commit(db):
            assert not writers_waiting(fd)  # the lookup: nobody waits to write
            _write(db, "turn")
            assert writers_waiting(fd)  # the write, until its COMMIT
        assert not writers_waiting(fd)
    finally:
        os.close(fd)
