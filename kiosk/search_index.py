"""Building the full-text index beside the one that serves, then swapping it in.

A big CRM import writes its rows in short committed slices: from the last one on, badge
ids, e-mails, phones and routing work. The trigram index over a million contacts takes
several seconds more to build, so it is built after the rows land, in short committed
chunks (`kiosk.bulk.Slices`: the booth writes between them), into `contacts_fts_next`,
while `contacts_fts` — empty on a first import, the previous one during a show — keeps
answering searches (`kiosk.fulltext` checks every hit against the row's current text, so
an old index never shows a wrong contact; it may miss new ones). When the new index has
every row, one short transaction swaps it in.

From `start` until the build's first chunk, no trigger indexes anything (the rows load
without full-text work: every row is still ahead of the build). While it builds,
`meta['search_index.built']` is the largest rowid indexed, and the database's triggers
keep `contacts_fts_next` in step for those rows only: a booth write between two chunks (a
walk-in, a lead that renames a contact) is indexed either by its trigger or by a later
chunk, never twice and never missed. `state` tells a search how far
the build has got, so a screen can say "the search index is being built (40 %)". A build
interrupted (the importing process killed) is resumed by the next `finish`.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils

from kiosk.bulk import Slices
from kiosk.db import FTS_OPTIONS, create_fts_triggers, drop_fts_triggers

NEXT = "contacts_fts_next"
BUILT = "search_index.built"  # meta key: the largest rowid in NEXT, while it is built
CHUNK: int | None = None  # rows per committed chunk; None: as many as take ~`bulk.HOLD`
_MAX_CHUNK = 50_000  # rows per committed chunk at most (fewer when they take long)
_HASHSIZE = 64 << 20  # FTS5's pending-terms buffer while building (default 1 MB)
_BUILT_SQL = f"(SELECT CAST(value AS INTEGER) FROM meta WHERE key = '{BUILT}')"

# While NEXT is built, the triggers keep NEXT (not the old index) in step, for the rows
# already copied into it. The old index is frozen: it is dropped at the swap.
_BUILDING_TRIGGERS = {
    "contacts_fts_ai": f"AFTER INSERT ON contacts WHEN new.rowid <= {_BUILT_SQL} BEGIN "
    f"INSERT INTO {NEXT}(rowid, search) VALUES (new.rowid, new.search); END",
    "contacts_fts_ad": f"AFTER DELETE ON contacts WHEN old.rowid <= {_BUILT_SQL} BEGIN "
    f"INSERT INTO {NEXT}({NEXT}, rowid, search) VALUES('delete', old.rowid, old.search); END",
    "contacts_fts_au": f"AFTER UPDATE OF search ON contacts WHEN old.rowid <= {_BUILT_SQL} BEGIN "
    f"INSERT INTO {NEXT}({NEXT}, rowid, search) VALUES('delete', old.rowid, old.search); "
    f"INSERT INTO {NEXT}(rowid, search) VALUES (new.rowid, new.search); END",
}

Progress = Callable[[int, int], None]


def state(db: sqlite_utils.Database) -> float | None:
    """None when the index is complete; else the share of contacts indexed so far (0–1)."""
    row = db.execute("SELECT value FROM meta WHERE key = ?", [BUILT]).fetchone()
    if row is None:
        return None
    top = db.execute("SELECT max(rowid) FROM contacts").fetchone()[0] or 0
    return min(1.0, int(row[0]) / top) if top else 0.0


def start(db: sqlite_utils.Database) -> None:
    """Begin a new index beside the serving one; call inside the writer's transaction.

    From here until `finish` swaps it in, row writes do not touch the serving index,
    and until `finish` begins they touch no index at all (so a bulk load pays nothing per
    row for it: a trigger that only tests its WHEN clause was measured to double the cost
    of an insert into the indexed contacts table). Starting again discards a half-built one.
    """
    drop_fts_triggers(db)
    db.execute(f"DROP TABLE IF EXISTS {NEXT}")
    db.execute(f"CREATE VIRTUAL TABLE {NEXT} USING fts5({FTS_OPTIONS})")
    db.execute(f"INSERT INTO {NEXT}({NEXT}, rank) VALUES ('hashsize', ?)", [_HASHSIZE])
    db.execute(
        "INSERT INTO meta(key, value) VALUES (?, '0')"
        " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [BUILT],
    )


def pending(db: sqlite_utils.Database) -> bool:
    """Whether a started index is waiting to be finished."""
    return db.execute("SELECT 1 FROM meta WHERE key = ?", [BUILT]).fetchone() is not None


def finish(
    db: sqlite_utils.Database, progress: Progress | None = None, chunk: int | None = None
) -> int:
    """Index the remaining rows chunk by chunk, each chunk committed, then swap the new
    index in; returns how many rows were indexed. A no-op when nothing was started.

    Must be called outside a transaction: each chunk is its own (`Slices`: `chunk` rows,
    or as many as take about `kiosk.bulk.HOLD`), so booth writes (and readers, always) go
    on between them.
    """
    conn = db.conn
    if conn.in_transaction:
        raise RuntimeError("search_index.finish needs to run outside a transaction")
    indexed = 0
    first = True
    chunk = chunk or CHUNK
    slices = Slices(conn, max_rows=_MAX_CHUNK)
    try:
        while True:
            step = chunk or slices.rows
            with slices.write(step):
                row = conn.execute("SELECT value FROM meta WHERE key = ?", [BUILT]).fetchone()
                if row is None:  # finished by someone else meanwhile
                    return indexed
                if first:  # (again) after an interruption: the triggers that keep NEXT in step
                    drop_fts_triggers(db)
                    for name, body in _BUILDING_TRIGGERS.items():
                        db.execute(f"CREATE TRIGGER {name} {body}")
                    first = False
                done = int(row[0])
                top = conn.execute("SELECT coalesce(max(rowid), 0) FROM contacts").fetchone()[0]
                last = min(top, done + step)
                cur = conn.execute(
                    f"INSERT INTO {NEXT}(rowid, search) SELECT rowid, search FROM contacts"
                    " WHERE rowid > ? AND rowid <= ?",
                    [done, last],
                )
                indexed += max(cur.rowcount, 0)
                if last >= top:
                    _swap(db)
                else:
                    conn.execute("UPDATE meta SET value = ? WHERE key = ?", [str(last), BUILT])
            if progress is not None:
                progress(last, top)
            if last >= top:
                return indexed
    finally:
        slices.close()


def _swap(db: sqlite_utils.Database) -> None:
    """The new index replaces the old one (inside the caller's transaction)."""
    drop_fts_triggers(db)
    db.execute(f"INSERT INTO {NEXT}({NEXT}, rank) VALUES ('hashsize', ?)", [1 << 20])
    db.execute("DROP TABLE IF EXISTS temp.contacts_fts_vocab")
    db.execute("DROP TABLE contacts_fts")
    db.execute(f"ALTER TABLE {NEXT} RENAME TO contacts_fts")
    db.execute("DELETE FROM meta WHERE key = ?", [BUILT])
    create_fts_triggers(db)
