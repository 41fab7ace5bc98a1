"""A private, throw-away copy of the kiosk database, for a dry run.

A dry run executes the very same import code as a real one and rolls it back, so its counts
are exact. Run on the live file, that one transaction held SQLite's write lock from the
first row to the last — at a million rows over a minute in which no check-in or lead could
be written. On a copy nobody else opens, the transaction blocks no one; making the copy is
an online backup, a reader that never makes a booth writer wait.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import sqlite_utils

from kiosk.db import open_db
from kiosk.keyfile import database_file
from kiosk.sync import SyncError

HEADROOM = 1.1  # the copy grows a little while the dry run writes into it


@contextmanager
def private_copy(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """Yield a copy of `db` beside it (mode 0600: it holds the customers too), removed
    afterwards whatever happens. An in-memory database is yielded as it is: nobody else
    can be waiting for its lock."""
    source = database_file(db)
    if source is None:
        yield db
        return
    _check_room(db, source)
    fd, name = tempfile.mkstemp(prefix=f".{source.name}.dry-run-", dir=source.parent)
    os.close(fd)  # mkstemp makes it 0600
    copy = Path(name)
    try:
        out = sqlite3.connect(name)
        try:
            db.conn.backup(out)
        except sqlite3.OperationalError as exc:  # the disk filled up under the copy
            raise SyncError(
                f"cannot make the dry run's scratch copy in {source.parent}: {exc}"
            ) from exc
        finally:
            out.close()
        scratch = open_db(copy, create=False)
        try:
            yield scratch
        finally:
            scratch.conn.close()
    finally:
        for leftover in (copy, Path(f"{name}-wal"), Path(f"{name}-shm")):
            with suppress(FileNotFoundError):
                leftover.unlink()


def _check_room(db: sqlite_utils.Database, source: Path) -> None:
    pages, size = (
        db.conn.execute(f"PRAGMA {p}").fetchone()[0] for p in ("page_count", "page_size")
    )
    need = int(pages * size * HEADROOM)
    disk = os.statvfs(source.parent)
    free = disk.f_bavail * disk.f_frsize
    if free < need:
        raise SyncError(
            f"a dry run works on a copy of the database and needs {need / 1e6:,.0f} MB free in"
            f" {source.parent} ({free / 1e6:,.0f} MB free): free some space, or import without"
            " --dry-run"
        )
