"""SQLite settings and tricks for loading many rows at once, undone afterwards.

Used by `kiosk.contact_rows.insert_contacts` (inside `kiosk.db.bulk_contacts`, which
handles the FTS triggers). Each measured on a million contacts: see docstrings.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import sqlite_utils


@contextmanager
def deferred_indexes(
    db: sqlite_utils.Database, tables: Iterable[str], keep: frozenset[str] = frozenset()
) -> Iterator[None]:
    """Drop the tables' non-unique indexes; recreate them when the block ends.

    Building an index once from a full table is a sort; keeping it up to date through a
    million inserts in random key order is a million B-tree searches, about five times
    slower. Unique indexes stay, so conflicts are still caught row by row. The index
    definitions are read from the database, so indexes added by later migrations are
    handled too. Recreated even on error, in case the caller keeps the transaction.
    Indexes named in `keep` stay (the caller reads through them while loading).
    """
    found = []
    for table in tables:
        for _seq, name, unique, origin, _partial in db.execute(f'PRAGMA index_list("{table}")'):
            if not unique and origin == "c" and name not in keep:
                sql = db.execute(
                    "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", [name]
                ).fetchone()[0]
                found.append((name, sql))
    for name, _sql in found:
        db.execute(f'DROP INDEX "{name}"')
    try:
        yield
    finally:
        for _name, sql in found:
            db.execute(sql)


@contextmanager
def bulk_settings(db: sqlite_utils.Database) -> Iterator[None]:
    """A 64 MB page cache and a 64 MB FTS buffer while bulk-loading, restored after.

    With the default 2 MB cache, pages of the indexes written in random key order are
    spilled to the WAL and read back again and again. With FTS5's default 1 MB term
    buffer, a rebuild of a million rows flushes and merges hundreds of small segments;
    64 MB cuts the rebuild from ~19 s to ~11 s. Together they keep RSS near 200 MB.
    """
    old_cache = db.execute("PRAGMA cache_size").fetchone()[0]
    row = db.execute("SELECT v FROM contacts_fts_config WHERE k = 'hashsize'").fetchone()
    old_hash = int(row[0]) if row else 1024 * 1024
    db.execute("PRAGMA cache_size = -65536")
    db.execute("INSERT INTO contacts_fts(contacts_fts, rank) VALUES ('hashsize', ?)", [64 << 20])
    try:
        yield
    finally:
        db.execute(
            "INSERT INTO contacts_fts(contacts_fts, rank) VALUES ('hashsize', ?)", [old_hash]
        )
        db.execute(f"PRAGMA cache_size = {int(old_cache)}")
