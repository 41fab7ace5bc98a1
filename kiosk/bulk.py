"""SQLite settings and tricks for loading many rows, and the short slices a long import
writes in so that the booth never waits on it (`Slices`).

`deferred_indexes` and `bulk_settings` are for loads nobody waits on: `insert_contacts`
(demo data, benchmarks, a hub baseline), inside `kiosk.db.bulk_contacts`, which handles
the FTS triggers. Each measured on a million contacts: see docstrings. `sole_journal` is for
one big write into a file no other connection has open (a merge into the office database).

Slices: SQLite lets one connection write at a time. A CRM import that wrote a million contacts in
one transaction held that lock for a minute, and the reception kiosk's check-ins gave up
after their 5 s busy timeout ("database is locked"). An import now writes in slices: each
slice is its own short transaction (`write`), sized so that it holds the lock for about
`HOLD` seconds (`rows`, adapted to what the last slices took).

Booth writes go first: a writer that finds the lock taken does not queue, it tries again
(every 2 ms: `kiosk.db.begin_immediate`; SQLite's own busy handler naps up to 100 ms, longer
than the gap below), and an importer that took the lock back the moment it let it go could
keep it from ever getting in. So booth writers say that they wait (`kiosk.db.writer_turn`: a shared flock on
`<database>-writers`, held by `kiosk.db.transaction` from BEGIN to COMMIT), and before each
slice the importer waits until none does (`YIELD` at most). A booth write waits for the
slice under way at most, plus its own next poll. For writers that do not say so, slices
are at least `GAP` apart. Between slices the importer reads and converts the next rows.

Each slice commits with `synchronous=FULL`, like every booth write, so it flushes its own
pages inside its own slice. (With `NORMAL` the import's slices were left unflushed and
the next booth commit's flush wrote them out, holding the lock meanwhile: the booth paid
for the import's writes.)
"""

from __future__ import annotations

import gc
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from typing import TYPE_CHECKING

from kiosk.db import turn_file, writers_waiting

if TYPE_CHECKING:
    import sqlite_utils

HOLD = 0.04  # seconds a slice aims to hold the write lock
GAP = 0.005  # seconds at least between two slices, for writers that do not say they wait
# Seconds at most a slice waits for writers that say they wait: enough for those that
# came during the last slice (they poll within ~20 ms); with kiosks writing all the time
# the import still moves on (0.5 s let four busy kiosks stall a 300,000-row import).
YIELD = 0.06
# Rows a slice takes at least / at most; within them, as many as take about HOLD. At most
# 10,000: the child's half of a million-row import (`kiosk.sync.parallel_import.copy_in`,
# ~3.5 µs a row) filled 5,000-row slices in ~25 ms, so that cap, not HOLD, set their
# number, and each paid its COMMIT and GAP again (115 slices 4.1 s, 71 slices 3.7 s).
MIN_ROWS, MAX_ROWS = 100, 10_000


def nap(seconds: float) -> bool:
    """Sleep; False where the clock cannot sleep (libfaketime's shifted clock makes
    `time.sleep` fail with EINVAL): pacing is a courtesy, never a reason to fail."""
    try:
        time.sleep(seconds)
    except OSError:
        return False
    return True


class Slices:
    """The write transactions of one import; `single` when the caller already holds one
    transaction for the whole import (a dry run, rolled back at the end), where a slice is
    only a marker.

    `count`, `longest` and `held` say how many slices were written, the longest lock hold
    and the total (seconds), for the report and the benchmark. `clock` (`time.monotonic`)
    is for tests.
    """

    def __init__(
        self,
        conn: sqlite3.Connection,
        *,
        single: bool = False,
        max_rows: int | None = None,
        rows: int = 1000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.conn = conn
        self.clock = clock
        self.single = single
        self.max_rows = max_rows or MAX_ROWS
        self.rows = min(rows, self.max_rows)  # rows per slice (at first `rows`), adapted by `write`
        self.count = 0
        self.longest = 0.0
        self.held = 0.0
        self._released = 0.0
        self._turn = -1  # the turn file (`kiosk.db.writer_turn`), opened at the first slice
        self.yielded = 0.0  # seconds spent letting booth writes go first

    def _let_writers_in(self) -> None:
        """Wait while booth writers say they wait (`kiosk.db.writer_turn`), YIELD at most."""
        if self._turn < 0:
            path = turn_file(self.conn)
            if not path:
                return
            try:
                self._turn = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            except OSError:
                return
        clock = self.clock
        began = clock()
        while writers_waiting(self._turn) and clock() - began < YIELD:
            if not nap(0.002):
                break
        self.yielded += clock() - began

    def close(self) -> None:
        """Close the turn file (the slices may still be used: it opens again)."""
        if self._turn >= 0:
            os.close(self._turn)
            self._turn = -1

    @contextmanager
    def own_pace(self, first: int = MIN_ROWS) -> Iterator[None]:
        """Slices of another kind of row inside: `rows` starts at `first` and follows what
        these rows take, and the pace from before is back afterwards. What the slices
        share goes on: the gap since the last one, the turn file, the totals.

        Rows differ in cost by orders of magnitude (a vocabulary word, a 4 KB page of the
        search index, a contact indexed by FTS5): at a million contacts the first slice of
        index pages, sized at the words' pace, was 32,000 pages and held the lock 0.25 s."""
        kept = self.rows
        self.rows = max(1, min(first, self.max_rows))
        try:
            yield
        finally:
            self.rows = kept

    @contextmanager
    def write(self, rows: int = 0) -> Iterator[None]:
        """One short transaction (BEGIN IMMEDIATE … COMMIT) writing `rows` rows (the rows it
        does write: a short last slice says so, or its pace would grow); on error it is
        rolled back and the error raised."""
        if self.single:
            yield
            return
        clock = self.clock
        wait = GAP - (clock() - self._released)
        if wait > 0:
            nap(wait)
        self._let_writers_in()
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        began = clock()
        try:
            yield
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            self._released = clock()
            raise
        conn.execute("COMMIT")
        self._released = clock()
        took = self._released - began
        self.count += 1
        self.held += took
        self.longest = max(self.longest, took)
        if rows >= self.rows // 2:  # a full slice: aim the next one at HOLD
            per_row = took / max(rows, 1)
            target = int(HOLD / per_row) if per_row > 0 else MAX_ROWS
            self.rows = min(self.max_rows, max(MIN_ROWS, target), self.rows * 2)


@contextmanager
def fewer_collections(first: int = 50_000) -> Iterator[None]:
    """Python's cyclic garbage collector, rarely, while a load makes millions of
    short-lived rows: by default it runs every 700 new containers (each row's cells,
    fields and tuple are three) and now and then walks every object the process holds.
    Measured on 100,000 CRM rows, that was a third of the time of preparing a row
    (`contact_rows._values`: 22.8 µs with it, 12.7 µs without) and ~10 % of a whole
    import's CPU. A row makes no reference cycles, so collecting less often frees the
    same memory, later. Objects that exist before the load are frozen out of the walks
    (`gc.freeze`) until it ends — unless the process froze some already (the kiosk's TUI
    freezes what its first frame loaded: `kiosk.ui.gc_pacing`): unfreezing at the end
    would hand all of those back to the collector, so then the freezing is left to its
    owner."""
    old = gc.get_threshold()
    ours = gc.get_freeze_count() == 0
    if ours:
        gc.freeze()
    gc.set_threshold(first, old[1], old[2])
    try:
        yield
    finally:
        gc.set_threshold(*old)
        if ours:
            gc.unfreeze()


@contextmanager
def sole_journal(db: sqlite_utils.Database) -> Iterator[bool]:
    """A rollback journal instead of the write-ahead log for one big write, when no other
    connection has the file open; the WAL again after it. Yields whether it switched.

    In WAL mode every page a big transaction writes is written twice: into the log, each
    frame with its checksum, and again by the checkpoint into the file. A rollback journal
    copies only the pages the transaction changes (a page past the old end of the file is
    new, not changed) and writes the rest once. Measured on a fresh office database taking
    100,000 events (the merge benchmark's SQL alone, `scripts/bench.py`'s merge section):
    the commit 0.33–0.45 s in WAL mode, 0.12–0.15 s with the journal; the log's inserts
    and index builds a little cheaper too (the page cache spills into the file, not the
    log). With `synchronous=FULL` (`kiosk.db`) a journal is as crash-safe as the WAL: a
    transaction cut short leaves a hot journal that the next connection rolls back.

    SQLite leaves WAL mode only when no other connection has the file open (the TUI's, a
    scan thread's, even idle): then the attempt fails at once (a busy timeout of 0 for it)
    and the write runs in WAL mode as before, so a kiosk in use is never switched. A
    connection opening the file during the write waits for it like for any writer (its
    busy timeout), and finds WAL mode again afterwards: this connection switches back, and
    should that fail, `kiosk.db.open_db` sets WAL mode on every open. Not inside a
    transaction (SQLite refuses the switch there) and only from WAL mode.
    """
    conn = db.conn
    mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
    switched = False
    if mode == "wal" and not conn.in_transaction:
        (timeout,) = conn.execute("PRAGMA busy_timeout").fetchone()
        conn.execute("PRAGMA busy_timeout = 0")
        try:
            switched = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0] == "delete"
        except sqlite3.OperationalError:  # another connection has the file open
            switched = False
        finally:
            conn.execute(f"PRAGMA busy_timeout = {int(timeout)}")
    try:
        yield switched
    finally:
        if switched:
            # A reader that opened meanwhile may hold the lock a moment: the busy timeout
            # waits for it; failing that, the next open sets WAL mode (`kiosk.db._configure`).
            with suppress(sqlite3.OperationalError):
                conn.execute("PRAGMA journal_mode = WAL")


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


# ---------------------------------------------------------------- indexes built after a load

DEFERRED = "import.deferred_indexes"  # meta key: the SQL of indexes a load dropped
SORT_CACHE = -2000  # PRAGMA cache_size while building them (KiB: SQLite's default)


def defer_indexes(db: sqlite_utils.Database, names: Iterable[str]) -> None:
    """Drop these indexes for a sliced load (inside one of its slices), noting their SQL
    in `meta`, so that `restore_indexes` builds them again even after the loading process
    was killed (the next import does it first)."""
    row = db.execute("SELECT value FROM meta WHERE key = ?", [DEFERRED]).fetchone()
    kept: list[str] = json.loads(row[0]) if row else []
    for name in names:
        found = db.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", [name]
        ).fetchone()
        if found is not None and found[0]:
            kept.append(found[0])
            db.execute(f'DROP INDEX "{name}"')
    db.execute(
        "INSERT INTO meta(key, value) VALUES (?, ?)"
        " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [DEFERRED, json.dumps(kept)],
    )


def indexes_deferred(db: sqlite_utils.Database) -> bool:
    """Whether a load dropped indexes that `restore_indexes` has yet to build."""
    return db.execute("SELECT 1 FROM meta WHERE key = ?", [DEFERRED]).fetchone() is not None


def restore_indexes(
    db: sqlite_utils.Database,
    slices: Slices | None = None,
    only: Iterable[str] | None = None,
) -> int:
    """Build the indexes `defer_indexes` dropped, each in a transaction of its own (a
    booth writer waits for one build at most); returns how many were built. With `only`
    (index names), just those: the others stay noted for a later call."""
    if not indexes_deferred(db):
        return 0
    own = slices is None
    slices = slices or Slices(db.conn)
    # SQLite's default 2 MB page cache while sorting: a load's 64 MB one made each build
    # slower (measured on a million contacts: the e-mail index 0.85–1.1 s of CPU with
    # 2 MB, 1.5–1.7 s with 64 MB; the name-prefix and owner ones alike).
    cache = db.execute("PRAGMA cache_size").fetchone()[0]
    db.execute(f"PRAGMA cache_size = {SORT_CACHE}")
    try:
        return _restore(db, slices, None if only is None else frozenset(only))
    finally:
        db.execute(f"PRAGMA cache_size = {int(cache)}")
        if own:
            slices.close()


def _index_name(sql: str) -> str:
    """'CREATE INDEX contacts_email ON …' → 'contacts_email'."""
    return sql.split()[2].strip('"')


def _restore(db: sqlite_utils.Database, slices: Slices, only: frozenset[str] | None) -> int:
    built = 0
    while True:
        with slices.write():
            row = db.execute("SELECT value FROM meta WHERE key = ?", [DEFERRED]).fetchone()
            pending: list[str] = json.loads(row[0]) if row else []
            wanted = [sql for sql in pending if only is None or _index_name(sql) in only]
            if not wanted:
                if not pending:
                    db.execute("DELETE FROM meta WHERE key = ?", [DEFERRED])
                return built
            db.execute(wanted[0].replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS", 1))
            pending.remove(wanted[0])
            if pending:
                db.execute(
                    "UPDATE meta SET value = ? WHERE key = ?", [json.dumps(pending), DEFERRED]
                )
            else:
                db.execute("DELETE FROM meta WHERE key = ?", [DEFERRED])
                return built + 1
            built += 1
