"""A big merge into a file nobody else has open writes with a rollback journal
(`kiosk.bulk.sole_journal`): the same database as in WAL mode, WAL mode again after it,
never switched under another connection, and as crash-safe."""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from unittest.mock import patch

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

from kiosk import bulk
from kiosk.db import BUSY_TIMEOUT_MS, open_db
from kiosk.sync import merge
from kiosk.sync.merge import merge_databases
from tests.booth_days import CONTACT_IDS, copy, day, play_kiosks, snapshot
from tests.examples import examples
from tests.factory import NOW

LATER = NOW + timedelta(days=1)


def _file_mode(path: Path) -> str:
    """The journal mode the file itself records (a new connection reads it from the header)."""
    conn = sqlite3.connect(path)
    try:
        return str(conn.execute("PRAGMA journal_mode").fetchone()[0])
    finally:
        conn.close()


def _logged(path: Path) -> int:
    conn = sqlite3.connect(path)  # closed at once: an open one would keep the file in WAL mode
    try:
        return int(conn.execute("SELECT count(*) FROM events").fetchone()[0])
    finally:
        conn.close()


@contextmanager
def _watched() -> Iterator[list[tuple[bool, str]]]:
    """`sole_journal` as the merge uses it, noting whether it switched and the mode inside."""
    seen: list[tuple[bool, str]] = []
    real = bulk.sole_journal

    @contextmanager
    def spy(db):  # type: ignore[no-untyped-def]
        with real(db) as switched:
            seen.append((switched, db.execute("PRAGMA journal_mode").fetchone()[0]))
            yield switched

    with patch.object(merge, "sole_journal", spy):
        yield seen


@settings(
    max_examples=examples(10),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(days=st.lists(day, min_size=2, max_size=3), rnd=st.randoms(use_true_random=False))
def test_a_merge_with_the_journal_gives_the_database_of_one_in_wal_mode(
    template_db, tmp_path_factory, days, rnd
):
    """Every merge here is "big" (threshold 1): the tables, a merge again and a rebuild
    come out as with the WAL, and the file is in WAL mode afterwards."""
    folder, kiosks = play_kiosks(template_db, tmp_path_factory, days, rnd)
    in_wal = copy(template_db, folder, "office-wal")
    with patch.object(merge, "SOLE_JOURNAL_AT", 10**9):
        merge_databases(in_wal, kiosks, backup=False, now=LATER)
    journal = copy(template_db, folder, "office-journal")
    with patch.object(merge, "SOLE_JOURNAL_AT", 1), _watched() as seen:
        first = merge_databases(journal, kiosks[:1], backup=False, now=LATER)
        assert _file_mode(journal) == "wal"  # before anything opens it (`open_db` sets it)
        rest = merge_databases(journal, kiosks, backup=False, now=LATER)
        assert _file_mode(journal) == "wal"
        again = merge_databases(journal, kiosks, backup=False, now=LATER)
    assert again.new == 0
    assert len(seen) == (first.new > 0) + (rest.new > 0)  # only a merge with something new
    assert all(s == (True, "delete") for s in seen)
    assert snapshot(journal) == snapshot(in_wal)
    db = open_db(journal, create=False)
    try:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        db.conn.close()


def test_a_file_another_connection_has_open_is_merged_in_wal_mode(template_db, tmp_path_factory):
    """A kiosk using the target (an idle connection is enough) keeps it in WAL mode: the
    switch is refused at once, the merge runs as before, and that connection sees it."""
    rnd = random.Random(7)
    folder, kiosks = play_kiosks(template_db, tmp_path_factory, [_busy_day(), _busy_day()], rnd)
    target = copy(template_db, folder, "office")
    user = open_db(target, create=False)  # the kiosk's TUI, between two scans
    try:
        before = user.execute("SELECT count(*) FROM events").fetchone()[0]
        with patch.object(merge, "SOLE_JOURNAL_AT", 1), _watched() as seen:
            report = merge_databases(target, kiosks, backup=False, now=LATER)
        assert report.new > 0
        assert seen == [(False, "wal")]
        assert user.execute("SELECT count(*) FROM events").fetchone()[0] == before + report.new
        assert user.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        user.conn.close()
    assert _file_mode(target) == "wal"


def _busy_day() -> list:
    """Check-ins and a new visitor (the same one at every kiosk: a dispute)."""
    steps = [(i * 7, ("checkin", CONTACT_IDS[i % 3], None)) for i in range(6)]
    return [*steps, (3, ("lead", 0, None))]


def test_sole_journal_leaves_other_modes_and_transactions_alone(tmp_path: Path):
    """Only a WAL file outside a transaction is switched; the busy timeout is restored."""
    rollback = sqlite3.connect(tmp_path / "plain.db", isolation_level=None)
    rollback.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db = Database(rollback)
    with bulk.sole_journal(db) as switched:
        assert not switched
    assert rollback.execute("PRAGMA journal_mode").fetchone()[0] == "delete"

    wal = open_db(tmp_path / "wal.db")
    wal.conn.execute("BEGIN IMMEDIATE")
    with bulk.sole_journal(wal) as switched:
        assert not switched
        assert wal.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    wal.conn.execute("COMMIT")
    with bulk.sole_journal(wal) as switched:
        assert switched
        assert wal.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert wal.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert wal.execute("PRAGMA busy_timeout").fetchone()[0] == BUSY_TIMEOUT_MS
    wal.conn.close()


CRASH = r"""
import os, sys
from datetime import timedelta
from pathlib import Path
from kiosk import events
from kiosk.sync import merge
from tests.factory import NOW

merge.SOLE_JOURNAL_AT = 1
real = events._merge_appending

def crash(db, *args, **kwargs):
    real(db, *args, **kwargs)  # every new event written, nothing committed yet
    print(db.execute("PRAGMA journal_mode").fetchone()[0], flush=True)
    os._exit(9)

events._merge_appending = crash
merge.merge_databases(sys.argv[1], sys.argv[2:], backup=False, now=NOW + timedelta(days=1))
"""


def test_a_merge_killed_before_its_commit_leaves_the_target_as_it_was(
    template_db, tmp_path_factory
):
    """The process dies with every new row written and the journal hot: the next open
    rolls it back — the target as before the merge, intact, in WAL mode."""
    rnd = random.Random(11)
    folder, kiosks = play_kiosks(template_db, tmp_path_factory, [_busy_day(), _busy_day()], rnd)
    target = copy(template_db, folder, "office")
    before = snapshot(target)
    logged = _logged(target)
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", CRASH, str(target), *map(str, kiosks)],
        capture_output=True, text=True, cwd=root, env={**os.environ, "PYTHONPATH": str(root)},
    )  # fmt: skip
    assert done.returncode == 9, done.stderr
    assert done.stdout.split() == ["delete"]  # it died inside the journal's transaction
    assert Path(f"{target}-journal").exists()  # hot: the pages it had changed
    db = open_db(target, create=False)
    try:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        db.conn.close()
    assert snapshot(target) == before
    assert _logged(target) == logged
    # and the merge, run again, lands whole
    assert merge_databases(target, kiosks, backup=False, now=LATER).new > 0


def test_a_big_merge_backs_the_file_up_whole_as_it_was(template_db, tmp_path_factory):
    """In the rollback journal the file alone is the database: the backup is a byte copy
    made under the write lock (`merge._copy_whole`), private, intact, and the database as
    it was before the merge — the same tables as a backup made with SQLite's backup API."""
    rnd = random.Random(5)
    folder, kiosks = play_kiosks(template_db, tmp_path_factory, [_busy_day(), _busy_day()], rnd)
    target = copy(template_db, folder, "office")
    before, logged = snapshot(target), _logged(target)
    copied: list[bool] = []
    real = merge._copy_whole

    def spy(db, path, dest):  # type: ignore[no-untyped-def]
        copied.append(real(db, path, dest))
        return copied[-1]

    with patch.object(merge, "SOLE_JOURNAL_AT", 1), patch.object(merge, "_copy_whole", spy):
        report = merge_databases(target, kiosks, now=LATER)
    assert report.new > 0 and report.backup is not None
    assert copied == [True]
    assert report.backup.stat().st_mode & 0o777 == 0o600
    assert not Path(f"{report.backup}-journal").exists()
    assert snapshot(report.backup) == before and _logged(report.backup) == logged
    db = open_db(report.backup, create=False)
    try:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        db.conn.close()
    assert _logged(target) == logged + report.new  # and the merge landed after it


def test_a_file_another_connection_has_open_is_backed_up_with_the_backup_api(
    template_db, tmp_path_factory
):
    """In WAL mode (a kiosk has the file open) the file alone is not the database: the
    backup API copies it, as before."""
    rnd = random.Random(6)
    folder, kiosks = play_kiosks(template_db, tmp_path_factory, [_busy_day(), _busy_day()], rnd)
    target = copy(template_db, folder, "office")
    before = snapshot(target)
    user = open_db(target, create=False)
    try:
        user.execute("SELECT count(*) FROM events").fetchone()
        with (
            patch.object(merge, "SOLE_JOURNAL_AT", 1),
            patch.object(merge, "_copy_whole", side_effect=AssertionError("not in WAL mode")),
        ):
            report = merge_databases(target, kiosks, now=LATER)
    finally:
        user.conn.close()
    assert report.new > 0 and report.backup is not None
    assert snapshot(report.backup) == before


def test_copy_whole_refuses_a_file_in_wal_mode(tmp_path: Path):
    """Called on a file still in WAL mode, it copies nothing and says so."""
    db = open_db(tmp_path / "wal.db")
    try:
        db.execute("CREATE TABLE t(x)")
        dest = tmp_path / "copy.db"
        dest.touch()
        assert merge._copy_whole(db, tmp_path / "wal.db", dest) is False
        assert dest.stat().st_size == 0
        assert not db.conn.in_transaction
    finally:
        db.conn.close()
