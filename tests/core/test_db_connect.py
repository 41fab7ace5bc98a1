"""`kiosk.db.connect`: the kiosk's start-up opens its database without sqlite-utils.

Importing sqlite-utils costs ~56 ms of a cold start (issue 16); the start-up path opens a
bare sqlite3 connection, and a database already at this kiosk's schema version is known by
one read of that version — sqlite-utils' migration machinery is loaded only for a database
that may need a migration (new, older, newer or foreign), which is then marked current.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.db import (
    SCHEMA_VERSION,
    DatabaseError,
    connect,
    known_migrations,
    open_db,
    schema_version,
    set_meta,
)

ROOT = Path(__file__).resolve().parents[2]


def modules_after_connect(path: Path) -> list[str]:
    """The sqlite-utils modules a fresh interpreter has after `connect(path)`."""
    code = (
        "import sys; from kiosk.db import connect; "
        f"connect({str(path)!r}, create=False); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'sqlite_utils'))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return eval(out.stdout)  # noqa: S307 - our own subprocess's printed list


def test_the_schema_version_counts_the_migrations():
    """A new migration moves the version, so a database without it is never taken for
    current (`connect` reads only the version)."""
    names = known_migrations()
    assert SCHEMA_VERSION == len(names) == len(set(names))


def test_a_current_database_opens_without_sqlite_utils(db_path):
    assert modules_after_connect(db_path) == []
    conn = connect(db_path, create=False)
    assert schema_version(conn) == str(SCHEMA_VERSION)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("SELECT count(*) FROM contacts").fetchone()[0] > 0


def test_an_older_kiosks_database_is_checked_migrated_and_marked_current(db_path):
    """Kiosks before this one wrote schema version 12 whatever their migrations; such a
    database, and one really missing a migration, goes through the machinery once."""
    db = open_db(db_path, create=False)
    set_meta(db, "schema_version", "12")
    db.execute("DROP TABLE rotation_visitors")
    db.execute("DROP TABLE rotation_tally")
    db.execute("DELETE FROM _sqlite_migrations WHERE name = 'm015_rotation_tally'")
    db.conn.close()
    conn = connect(db_path, create=False)
    assert conn.execute("SELECT count(*) FROM rotation_tally").fetchone()[0] >= 0
    assert schema_version(conn) == str(SCHEMA_VERSION)
    conn.close()
    assert modules_after_connect(db_path) == []  # current from now on


def test_a_newer_kiosks_database_is_refused(db_path):
    db = open_db(db_path, create=False)
    set_meta(db, "schema_version", str(SCHEMA_VERSION + 1))
    db.execute(
        "INSERT INTO _sqlite_migrations(migration_set, name, applied_at)"
        " VALUES ('kiosk', 'm999_from_the_future', '2030-01-01')"
    )
    db.conn.close()
    with pytest.raises(DatabaseError, match="written by a newer kiosk"):
        connect(db_path, create=False)
    with sqlite3.connect(db_path) as raw:  # and left as the newer kiosk wrote it
        assert schema_version(raw) == str(SCHEMA_VERSION + 1)


def test_files_that_are_not_kiosk_databases_are_refused_as_before(tmp_path):
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    with pytest.raises(DatabaseError, match="never initialised"):
        connect(empty, create=False)
    with pytest.raises(DatabaseError, match="database not found"):
        connect(tmp_path / "missing.db", create=False)
    text = tmp_path / "notes.db"
    text.write_text("name,email\n" * 200, encoding="utf-8")
    with pytest.raises(DatabaseError, match="cannot open"):
        connect(text, create=False)
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE notes(x)")
    conn.commit()
    conn.close()
    with pytest.raises(DatabaseError, match="not a kiosk database"):
        connect(other, create=False)


def test_a_new_database_is_created_migrated_and_current(tmp_path):
    conn = connect(tmp_path / "new.db")
    assert schema_version(conn) == str(SCHEMA_VERSION)
    assert conn.execute("SELECT count(*) FROM events").fetchone()[0] == 0


def test_memory_is_sqlites_in_memory_database_not_a_file(tmp_path, monkeypatch):
    """`open_db(":memory:")` made an empty file named ':memory:' in the working directory
    (twice committed by accident): it is SQLite's in-memory database, as for sqlite3."""
    monkeypatch.chdir(tmp_path)
    db = open_db(":memory:")
    assert "contacts" in db.table_names()
    assert list(tmp_path.iterdir()) == []
    db.conn.close()
