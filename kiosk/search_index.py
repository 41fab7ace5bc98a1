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

**Many rows: built in a scratch file, then copied in.** Built chunk by committed chunk, a
million rows took ~13 s (11.5 s of CPU): every 40 ms chunk flushes its terms as a new
segment, and FTS5 merges those segments again and again as they pile up. The same rows
indexed in one go take ~6.5 s. So when `SNAPSHOT_ROWS` or more are to be indexed, `finish`
first indexes one read snapshot of the rows into an FTS5 table of the same options in a
scratch file beside the database (`_build_scratch`: no lock of the database is written,
so the booth writes meanwhile), copies that table's two shadow tables (`_data`: the
segments, `_idx`: where each segment's terms begin) into `contacts_fts_next`'s in short
slices, and then goes on chunk by chunk from the snapshot's last row. A contentless
FTS5 table is wholly those two tables and its `_config`, so the copy is the same index.
The booth's writes meanwhile are not lost: from just before the snapshot, triggers log
each change of a row's search text with the text it had (`search_index_log`); after the
copy they are replayed a few at a time, each slice short like the others (`_catch_up`: the
first change of a row after what NEXT holds says what NEXT holds for it), and the slice
that finds the rest of the log short replays it all and installs the building triggers.
Meanwhile `state` reads how far the scratch build got from `meta[SCRATCHED]`. The
scratch index is merged into one segment before it is copied (`kiosk.db.compact_fts`:
otherwise a walk-in's insert soon after the swap sets off a merge of the big segments).

**Started early, in the background** (`begin`). A first import into an empty table builds
its e-mail and phone indexes after its rows, and once it has reported ready its
name-prefix, country and owner ones (`kiosk.bulk.restore_indexes`: a few seconds of SQLite
sorting at a million rows, on one core while the other had nothing to do). The
scratch build reads only a snapshot of the rows, so `begin` starts it then, on a thread
with a connection of its own (SQLite builds both in C, without Python's lock: one per
core), and `finish` takes its result, copies it in and replays the changes logged since, as
above. Its word count (Python: a core of its own) waits until the caller says its own
work is done (`release`). It notes no progress while it runs beside a write that holds the lock (a note never
waits), and a background build that failed is simply done again by `finish`. A split first
import begins it on the front half's rows while the child's are being copied in
(`begin(more=True)`), then `extend` adds those as a second stage: at a million rows the
index was ready ~4 s sooner (the copy left one core idle).

**The typo vocabulary** (`kiosk.words`: each word of the rows' text, with how many rows
hold it) is built beside the index the same way, into `contact_words_next`: counted while
the scratch index is built (on a thread with a read snapshot of its own: FTS5 builds in C
without Python's lock, so the count takes the other core), copied in slices, corrected by
the replay from its own snapshot's place in the log, kept by the building triggers,
counted for the chunks, and swapped in with the index.
"""

from __future__ import annotations

import sqlite3
import tempfile
import threading
import uuid
from collections import Counter
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk import words
from kiosk.bulk import Slices
from kiosk.db import (
    FTS_OPTIONS,
    compact_fts,
    create_fts_triggers,
    drop_fts_triggers,
    fts_triggers,
    last_rowid,
    serving_merges,
)

if TYPE_CHECKING:
    import sqlite_utils

NEXT = "contacts_fts_next"
WORDS_NEXT = "contact_words_next"  # the typo vocabulary (`kiosk.words`) counted beside NEXT
BUILT = "search_index.built"  # meta key: the largest rowid in NEXT, while it is built
SCRATCHED = "search_index.scratched"  # meta key: rows the scratch build has indexed so far
LOG_TOKEN = "search_index.log"  # meta key: which change log this is (a background build's check)
CHUNK: int | None = None  # rows per committed chunk; None: as many as take ~`bulk.HOLD`
_MAX_CHUNK = 50_000  # rows per committed chunk at most (fewer when they take long)
_HASHSIZE = 64 << 20  # FTS5's pending-terms buffer while building (default 1 MB)
_BUILT_SQL = f"(SELECT CAST(value AS INTEGER) FROM meta WHERE key = '{BUILT}')"
SNAPSHOT_ROWS = 50_000  # from this many rows to index, built in a scratch file first
WORDS_FIRST = 1000  # vocabulary words the copy-in's first slice of them takes (then its own pace)
PAGES_FIRST = 100  # index pages (~4 KB each) the first slice of them takes (then their own pace)
MIN_REPLAY = 100  # log entries the first slice of the replay takes (then as many as fit `HOLD`)
SCRATCH_CHUNK = 100_000  # rows per statement of the scratch build (for the progress bar)
_SCRATCH = "search_scratch"  # the scratch file's schema name while attached
_LOG = "search_index_log"  # changes of rows' search text during a scratch build
# While the scratch build runs, every change of a row's search text is logged with the
# text it had (NULL: the row is new). A new row is logged only when its rowid is one the
# snapshots cover (`{top}`: the largest rowid when the log began or was extended): SQLite
# gives a deleted last row's rowid again; every other new row lies beyond the snapshots,
# and is indexed by a later stage or chunk. So a bulk copy after `begin` (the child's half
# of a first import) is not logged row by row.
_LOG_TRIGGERS = {
    "contacts_fts_log_ai": "AFTER INSERT ON contacts WHEN new.rowid <= {top} BEGIN "
    f"INSERT INTO {_LOG}(row, old) VALUES (new.rowid, NULL); END",
    "contacts_fts_log_ad": "AFTER DELETE ON contacts BEGIN "
    f"INSERT INTO {_LOG}(row, old) VALUES (old.rowid, old.search); END",
    "contacts_fts_log_au": "AFTER UPDATE OF search ON contacts BEGIN "
    f"INSERT INTO {_LOG}(row, old) VALUES (old.rowid, old.search); END",
}

# While NEXT is built, the triggers keep NEXT and its vocabulary (not the old ones) in step,
# for the rows already copied into it. The old index is frozen: it is dropped at the swap.
_BUILDING_TRIGGERS = fts_triggers(NEXT, WORDS_NEXT, f"{{row}} <= {_BUILT_SQL}")

Progress = Callable[[int, int], None]


def state(db: sqlite_utils.Database) -> float | None:
    """None when the index is complete; else the share of contacts indexed so far (0–1):
    into NEXT, or into the scratch file while that is built."""
    row = db.execute(
        "SELECT max(CAST(value AS INTEGER)) FROM meta WHERE key IN (?, ?)"
        " HAVING count(*) > 0 AND max(key = ?)",
        [BUILT, SCRATCHED, BUILT],
    ).fetchone()
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
    _drop_log(db)
    db.execute(f"DROP TABLE IF EXISTS {NEXT}")
    db.execute(f"DROP TABLE IF EXISTS {WORDS_NEXT}")
    db.execute(f"CREATE VIRTUAL TABLE {NEXT} USING fts5({FTS_OPTIONS})")
    db.execute(words.SCHEMA.format(table=WORDS_NEXT))
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
        if _snapshot_worthwhile(conn):
            indexed = _from_snapshot(db, slices, progress)
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
                top = last_rowid(conn, "contacts")
                last = min(top, done + step)
                cur = conn.execute(
                    f"INSERT INTO {NEXT}(rowid, search) SELECT rowid, search FROM contacts"
                    " WHERE rowid > ? AND rowid <= ?",
                    [done, last],
                )
                conn.execute(words.add_rows_sql(WORDS_NEXT, "c.rowid > ? AND c.rowid <= ?"),
                             [done, last])  # fmt: skip
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


def _snapshot_worthwhile(conn: sqlite3.Connection) -> bool:
    """Nothing indexed yet, and SNAPSHOT_ROWS or more rows to index."""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", [BUILT]).fetchone()
    if row is None or int(row[0]) != 0:
        return False
    return last_rowid(conn, "contacts") >= SNAPSHOT_ROWS


def _from_snapshot(db: sqlite_utils.Database, slices: Slices, progress: Progress | None) -> int:
    """Index a snapshot of the rows in a scratch file (or take the one `begin` started),
    copy it into NEXT, replay the changes since; returns how many rows the snapshot
    indexed. Afterwards NEXT holds every row up to `meta[BUILT]`, kept in step by the
    building triggers."""
    conn = db.conn
    background = _BACKGROUND.pop(_path(conn), None)
    if background is not None:
        try:
            snap = background.result(conn)
            if snap is not None:
                _attached_copy_in(db, slices, background.file, snap)
                return snap.indexed
        finally:
            background.cleanup()
    with slices.write():
        _, top = _start_log(db)
    with tempfile.TemporaryDirectory(prefix="kiosk-index-") as tmp:
        conn.execute("ATTACH DATABASE ? AS " + _SCRATCH, [str(Path(tmp) / "index.db")])
        try:
            with _Notes(conn) as note:
                snap = _build_scratch(conn, progress, note, top=top)
            _copy_in(db, slices, snap)
        finally:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            conn.execute(f"DETACH DATABASE {_SCRATCH}")
    return snap.indexed


def _start_log(db: sqlite_utils.Database) -> tuple[str, int]:
    """A fresh change log and its triggers (inside the caller's transaction); returns the
    log's token, which `meta[LOG_TOKEN]` holds while this log lives, and the largest rowid
    now: the rows the snapshot taken against this log indexes."""
    _drop_log(db)
    conn = db.conn
    conn.execute(f"CREATE TABLE {_LOG} (seq INTEGER PRIMARY KEY, row INTEGER NOT NULL, old)")
    conn.execute(f"CREATE INDEX {_LOG}_row ON {_LOG}(row, seq)")  # a row's next change
    top = last_rowid(conn, "contacts")
    _log_triggers(conn, top)
    token = uuid.uuid4().hex
    conn.execute("INSERT INTO meta(key, value) VALUES (?, ?)", [LOG_TOKEN, token])
    return token, top


def _log_triggers(conn: sqlite3.Connection, top: int) -> None:
    """The change log's triggers, new rows logged up to rowid `top` (inside a transaction)."""
    for name, body in _LOG_TRIGGERS.items():
        conn.execute(f"DROP TRIGGER IF EXISTS {name}")
        conn.execute(f"CREATE TRIGGER {name} {body.replace('{top}', str(int(top)))}")


def _attached_copy_in(
    db: sqlite_utils.Database, slices: Slices, file: Path, snap: _Snapshot
) -> None:
    conn = db.conn
    conn.execute("ATTACH DATABASE ? AS " + _SCRATCH, [str(file)])
    try:
        _copy_in(db, slices, snap)
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        conn.execute(f"DETACH DATABASE {_SCRATCH}")


# ---------------------------------------------------------------- started early, in the background

_BACKGROUND: dict[str, _Background] = {}  # by database file: the build `begin` started


def begin(db: sqlite_utils.Database, *, more: bool = False) -> bool:
    """Start the scratch build of a pending index now, on a thread of its own, when
    `finish` would make one (nothing indexed yet, `SNAPSHOT_ROWS` or more rows, a database
    file); True when started. Call outside a transaction, once the rows to index are
    committed: the caller goes on writing (its slices are logged and replayed as any
    booth write), and `finish` takes the result. Meant for work that keeps SQLite busy in
    C meanwhile, like building the deferred indexes of a first import.

    `more`: many more rows are about to be appended (the child's half of a first import,
    copied in): once they are committed, `extend` has the same build index them as a
    second stage, instead of `finish` indexing them chunk by chunk. The rows already there
    are indexed meanwhile, on the core the copy leaves idle."""
    conn = db.conn
    path = _path(conn)
    if not path or conn.in_transaction or path in _BACKGROUND or not _snapshot_worthwhile(conn):
        return False
    slices = Slices(conn)
    try:
        with slices.write():
            token, top = _start_log(db)
    finally:
        slices.close()
    background = _Background(path, token, top, more)
    _BACKGROUND[path] = background
    background.start()
    return True


def extend(db: sqlite_utils.Database) -> bool:
    """Have a build begun with `more` index the rows appended since as its second stage
    (call outside a transaction, once they are committed); False when there is no such
    build waiting (then call `begin`)."""
    conn = db.conn
    background = _BACKGROUND.get(_path(conn))
    if background is None or not background.more or background.extended is not None:
        return False
    if conn.in_transaction:
        return False
    slices = Slices(conn)
    try:
        with slices.write():
            token = conn.execute("SELECT value FROM meta WHERE key = ?", [LOG_TOKEN]).fetchone()
            if token is None or token[0] != background.token:
                return False  # its log is gone (the index started anew): `begin` again
            top = last_rowid(conn, "contacts")
            _log_triggers(conn, top)  # new rows the second stage covers are logged too
    finally:
        slices.close()
    background.extended = top
    background.wake.set()
    return True


def release(db: sqlite_utils.Database) -> None:
    """Let the background build (`begin`) count the typo vocabulary now: the caller is
    done with the work it began the build beside (otherwise `finish` lets it)."""
    background = _BACKGROUND.get(_path(db.conn))
    if background is not None:
        background.hold.set()
        background.wake.set()


class _Background(threading.Thread):
    """A scratch build (`_build_scratch`) on a connection of its own. Its progress notes
    never wait for the write lock (a note that cannot have it at once is skipped)."""

    def __init__(self, path: str, token: str, top: int, more: bool = False) -> None:
        super().__init__(name="kiosk-search-index", daemon=True)
        self.path, self.token, self.top, self.more = path, token, top, more
        self.tmp = tempfile.TemporaryDirectory(prefix="kiosk-index-")
        self.file = Path(self.tmp.name) / "index.db"
        self.snap: _Snapshot | None = None
        self.error: BaseException | None = None
        # The word count (Python: one core) waits for `release`: it would slow whatever
        # the importer's connection does meanwhile (SQLite sorting the deferred indexes).
        self.hold = threading.Event()
        self.extended: int | None = None  # the second stage's last rowid (`extend`)
        self.wake = threading.Event()  # set by `extend`, `release` and `result`

    def run(self) -> None:
        try:
            conn = sqlite3.connect(self.path, isolation_level=None)
            try:
                conn.execute("PRAGMA busy_timeout = 5000")
                conn.execute("ATTACH DATABASE ? AS " + _SCRATCH, [str(self.file)])
                stage = self._second_stage if self.more else None
                with _Notes(conn, wait=False) as note:
                    self.snap = _build_scratch(conn, None, note, self.hold, top=self.top,
                                               stage=stage)  # fmt: skip
            finally:
                conn.close()
        except BaseException as exc:  # noqa: BLE001 - `finish` builds it again itself
            self.error = exc

    def _second_stage(self) -> int | None:
        """Wait for `extend` (its last rowid) or for the caller to be done without one."""
        while self.extended is None and not self.hold.is_set():
            self.wake.wait(0.5)
        return self.extended

    def result(self, conn: sqlite3.Connection) -> _Snapshot | None:
        """The snapshot built, once the thread is done; None when it failed or no longer
        belongs to this build (its log was dropped or started again meanwhile, or rows
        were indexed into NEXT another way): then `finish` builds anew."""
        self.hold.set()
        self.wake.set()
        self.join()
        if self.error is not None or self.snap is None:
            return None
        token = conn.execute("SELECT value FROM meta WHERE key = ?", [LOG_TOKEN]).fetchone()
        built = conn.execute("SELECT value FROM meta WHERE key = ?", [BUILT]).fetchone()
        if token is None or token[0] != self.token or built is None or int(built[0]) != 0:
            return None
        return self.snap

    def cleanup(self) -> None:
        self.hold.set()
        self.wake.set()
        self.join()
        with suppress(OSError):
            self.tmp.cleanup()


@dataclass(frozen=True)
class _Stage:
    """Rows `lo` < rowid <= `top`, indexed as they were after log entry `logged`."""

    lo: int
    top: int
    logged: int


@dataclass(frozen=True)
class _Snapshot:
    """What a scratch build read: its stages (one, or two when `extend` added the rows
    appended after `begin`), `indexed` rows in all, and the vocabulary of every row up to
    the last stage's top as it was after log entry `counted` (a snapshot of its own)."""

    stages: tuple[_Stage, ...]
    indexed: int
    counted: int

    @property
    def top(self) -> int:
        return self.stages[-1].top


class _WordCount(threading.Thread):
    """The vocabulary of the rows up to `top`, counted on a connection and a read snapshot
    of its own while the index is built: FTS5 builds in C without holding Python's lock,
    so the count (~3 s of Python at a million contacts) runs on the other core."""

    def __init__(self, path: str, top: int, hold: threading.Event | None = None) -> None:
        super().__init__(name="kiosk-word-count", daemon=True)
        self.path, self.top = path, top
        self.hold = hold  # set when the count may begin (see `begin`)
        self.counts: Counter[str] = Counter()
        self.counted = 0  # the last log entry its snapshot includes
        self.error: BaseException | None = None
        self.stop = False

    def run(self) -> None:
        try:
            if self.hold is not None:
                self.hold.wait()
            if self.stop:
                return
            conn = sqlite3.connect(self.path, isolation_level=None)
            try:
                conn.execute("PRAGMA busy_timeout = 5000")
                conn.execute("BEGIN")  # its snapshot starts at the first read, the log's end
                (counted,) = conn.execute(f"SELECT coalesce(max(seq), 0) FROM {_LOG}").fetchone()
                cur = conn.execute("SELECT search FROM contacts WHERE rowid <= ?", [self.top])
                self.counts = words.count(t for (t,) in cur if not self.stop)
                self.counted = int(counted)
            finally:
                conn.close()
        except BaseException as exc:  # noqa: BLE001 - raised again by `result`
            self.error = exc

    def result(self) -> tuple[int, Counter[str]]:
        self.join()
        if self.error is not None:
            raise self.error
        return self.counted, self.counts


class _Notes:
    """How far the scratch build has got, in `meta[SCRATCHED]` for `state`, written through
    a connection of its own: the builder's holds its read snapshot of the rows throughout,
    and could not write without taking the write lock for the whole build. Each note is
    one short paced transaction (`Slices`, booth writes first). None for a database in
    memory (no other connection can see it anyway)."""

    def __init__(self, conn: sqlite3.Connection, *, wait: bool = True) -> None:
        path = _path(conn)
        self.conn = sqlite3.connect(path, isolation_level=None) if path else None
        self.slices = None
        self.wait = wait  # False: a note that cannot have the write lock at once is skipped
        if self.conn is not None:
            self.conn.execute(f"PRAGMA busy_timeout = {5000 if wait else 0}")
            self.slices = Slices(self.conn)

    def __enter__(self) -> Callable[[int], None]:
        return self.note

    def note(self, rows: int) -> None:
        if self.conn is None or self.slices is None:
            return
        try:
            with self.slices.write():
                self.conn.execute(
                    "INSERT INTO meta(key, value) VALUES (?, ?)"
                    " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    [SCRATCHED, str(rows)],
                )
        except sqlite3.OperationalError:  # busy: another write holds the lock
            if self.wait:
                raise

    def __exit__(self, *exc: object) -> None:
        if self.slices is not None:
            self.slices.close()
        if self.conn is not None:
            self.conn.close()


def _build_scratch(
    conn: sqlite3.Connection,
    progress: Progress | None,
    note: Callable[[int], None],
    hold: threading.Event | None = None,
    *,
    top: int | None = None,
    stage: Callable[[], int | None] | None = None,
) -> _Snapshot:
    """Index one read snapshot of the rows up to `top` (all of them when None) into the
    scratch file, and count their words beside it (`_WordCount`). Only the scratch file
    is written: the database's readers and writers go on. `note` is told the rows done
    after each SCRATCH_CHUNK.

    `stage` (a build begun with `more`): called once the first stage is indexed, it waits
    and returns the last rowid of a second stage — the rows appended since, indexed on a
    read snapshot of their own — or None. The vocabulary is counted once the stages are
    known, over all of their rows."""
    table = f"{_SCRATCH}.{NEXT}"
    conn.execute(f"PRAGMA {_SCRATCH}.journal_mode = OFF")
    conn.execute(f"PRAGMA {_SCRATCH}.synchronous = OFF")
    conn.execute(f"CREATE VIRTUAL TABLE {table} USING fts5({FTS_OPTIONS})")
    conn.execute(f"INSERT INTO {table}({NEXT}, rank) VALUES ('hashsize', ?)", [_HASHSIZE])
    conn.execute(words.SCHEMA.format(table=f"{_SCRATCH}.{WORDS_NEXT}"))
    path = _path(conn)
    stages: list[_Stage] = []
    counter: _WordCount | None = None
    counted, counts = 0, Counter[str]()
    indexed = 0
    try:
        lo, upto_top = 0, top
        while True:
            conn.execute("BEGIN")  # the snapshot starts at the first read, the log's end
            (logged,) = conn.execute(f"SELECT coalesce(max(seq), 0) FROM main.{_LOG}").fetchone()
            if upto_top is None:
                upto_top = last_rowid(conn, "main.contacts")
            hi = int(upto_top)
            if stage is None and counter is None and path:
                counter = _WordCount(path, hi, hold)  # beside the index, once released
                counter.start()
            done = lo
            while done < hi:
                upto = min(hi, done + SCRATCH_CHUNK)
                cur = conn.execute(
                    f"INSERT INTO {table}(rowid, search) SELECT rowid, search FROM main.contacts"
                    " WHERE rowid > ? AND rowid <= ?",
                    [done, upto],
                )
                indexed += max(cur.rowcount, 0)
                done = upto
                note(done)
                if progress is not None:
                    progress(done, hi)
            stages.append(_Stage(lo, hi, int(logged)))
            if not path:  # a database in memory: counted here, on the index's own snapshot
                counted = int(logged)
                texts = conn.execute("SELECT search FROM main.contacts WHERE rowid <= ?", [hi])
                counts = words.count(t for (t,) in texts)
            # No read snapshot is held while waiting for a second stage: the copy meanwhile
            # must not keep the log from being checkpointed.
            conn.execute("COMMIT")
            if stage is None:
                break
            more, stage = stage(), None
            if more is not None and more > hi:
                lo, upto_top = hi, more  # the second stage reads a snapshot of its own
                continue
            if path:  # no second stage: the count covers the first one's rows
                counter = _WordCount(path, hi, hold)
                counter.start()
            break
        conn.execute("BEGIN")
        compact_fts(conn, table)  # one segment: no booth insert pays for merging the big ones
        if counter is not None:
            counted, counts = counter.result()
    finally:
        if counter is not None:
            counter.stop = True
            if hold is not None:
                hold.set()
            counter.join()
    words.store(conn, f"{_SCRATCH}.{WORDS_NEXT}", counts)
    conn.execute("COMMIT")
    return _Snapshot(tuple(stages), indexed, int(counted))


def _path(conn: sqlite3.Connection) -> str:
    """The database file ('' in memory)."""
    row = conn.execute("PRAGMA main.database_list").fetchone()
    return str(row[2] or "") if row else ""


def _copy_in(db: sqlite_utils.Database, slices: Slices, snap: _Snapshot) -> None:
    """The scratch index's shadow tables and vocabulary into NEXT's, in slices; then the
    changes made since the snapshot (`_catch_up`), and the building triggers from row
    `snap.top` on. Words and pages each at their own pace (`Slices.own_pace`: a page
    costs what dozens of words do), on the same slices: the gap and the turn go on."""
    conn = db.conn
    with slices.write():
        conn.execute(f"DELETE FROM main.{NEXT}_data")
        conn.execute(f"DELETE FROM main.{NEXT}_idx")
        conn.execute(f"INSERT INTO main.{NEXT}_idx SELECT * FROM {_SCRATCH}.{NEXT}_idx")
    with slices.own_pace(WORDS_FIRST):
        _copy_words(conn, slices)
    with slices.own_pace(PAGES_FIRST):
        _copy_pages(conn, slices)
    _catch_up(db, snap)


def _copy_pages(conn: sqlite3.Connection, slices: Slices) -> None:
    """The scratch index's segment pages into NEXT's, in slices (in id order: 1 and 10 are
    the averages and the structure, then the pages), each sized by the pages it copies."""
    _copy_keyed(conn, slices, f"{NEXT}_data", "id", "block", -1)


def _copy_keyed(
    conn: sqlite3.Connection, slices: Slices, table: str, key: str, value: str, start: object
) -> None:
    """Copy `table` (`key`, `value`) from the scratch file into main's, in key order, a
    slice at a time, each slice the next `slices.rows` keys after `start` and sized by the
    rows it copies. The names are this module's own constants, never outside text."""
    done = start
    while True:
        upto, rows = conn.execute(
            f"SELECT max({key}), count(*) FROM (SELECT {key} FROM {_SCRATCH}.{table}"
            f" WHERE {key} > ? ORDER BY {key} LIMIT ?)",
            [done, slices.rows],
        ).fetchone()
        if not rows:
            return
        with slices.write(rows):
            conn.execute(
                f"INSERT INTO main.{table}({key}, {value}) SELECT {key}, {value}"
                f" FROM {_SCRATCH}.{table} WHERE {key} > ? AND {key} <= ?",
                [done, upto],
            )
        done = upto


def _catch_up(db: sqlite_utils.Database, snap: _Snapshot) -> None:
    """Replay the booth's changes logged after the snapshots, in short slices of their own
    (one transaction for them all would hold the booth's writes as long as the booth's
    traffic during the build made it). Each slice takes the next
    few log entries, up to entry `upto`, and brings NEXT and its vocabulary to every
    changed row's text as it was after `upto` (the first change after `upto` logged that
    text; no change since: the row's own). The slice that finds the rest of the log short
    replays it all, drops it and installs the building triggers: nothing is written
    meanwhile, so from then on the triggers keep NEXT in step."""
    conn = db.conn
    # replayed so far: into NEXT, for each stage's rows; into the vocabulary, for them all
    indexed = [stage.logged for stage in snap.stages]
    counted = snap.counted
    slices = Slices(conn, rows=MIN_REPLAY)
    try:
        while True:
            with slices.write(slices.rows):
                after = min(*indexed, counted)
                (upto, left) = conn.execute(
                    f"SELECT max(seq), count(*) FROM (SELECT seq FROM {_LOG} WHERE seq > ?"
                    " ORDER BY seq LIMIT ?)",
                    [after, slices.rows + 1],
                ).fetchone()
                final = left <= slices.rows
                if final:
                    (upto,) = conn.execute(f"SELECT coalesce(max(seq), 0) FROM {_LOG}").fetchone()
                else:
                    upto -= 1  # the first entry beyond this slice: left for the next
                for k, stage in enumerate(snap.stages):
                    for row, old, now in _changes(conn, indexed[k], upto, stage.top, stage.lo):
                        if old is not None:  # the text NEXT holds for this row
                            conn.execute(
                                f"INSERT INTO {NEXT}({NEXT}, rowid, search)"
                                " VALUES ('delete', ?, ?)",
                                [row, old],
                            )
                        if now is not None:
                            conn.execute(
                                f"INSERT INTO {NEXT}(rowid, search) VALUES (?, ?)", [row, now]
                            )
                    indexed[k] = max(indexed[k], upto)
                for _row, old, now in _changes(conn, counted, upto, snap.top):
                    words.change(conn, WORDS_NEXT, old, now)
                counted = max(counted, upto)
                if final:
                    _drop_log(db)
                    conn.execute("UPDATE meta SET value = ? WHERE key = ?", [str(snap.top), BUILT])
                    drop_fts_triggers(db)
                    for name, body in _BUILDING_TRIGGERS.items():
                        conn.execute(f"CREATE TRIGGER {name} {body}")
                    return
    finally:
        slices.close()


def _changes(
    conn: sqlite3.Connection, after: int, upto: int, top: int, lo: int = 0
) -> list[tuple[int, str | None, str | None]]:
    """The rows `lo` < row <= `top` changed by log entries after `after` up to `upto`: (row,
    its text after `after`, its text after `upto`; None: no such row then)."""
    if upto <= after:
        return []
    return conn.execute(
        "SELECT l.row, l.old, CASE WHEN n.seq IS NULL THEN c.search ELSE n.old END"
        f" FROM (SELECT row, old, min(seq) FROM {_LOG} WHERE seq > ? AND seq <= ?"
        "  AND row > ? AND row <= ? GROUP BY row) l"
        " LEFT JOIN contacts c ON c.rowid = l.row"
        f" LEFT JOIN {_LOG} n ON n.seq = (SELECT min(seq) FROM {_LOG} m"
        "  WHERE m.row = l.row AND m.seq > ?)",
        [after, upto, lo, top, upto],
    ).fetchall()


def _copy_words(conn: sqlite3.Connection, slices: Slices) -> None:
    """The scratch vocabulary into WORDS_NEXT, in slices (in word order), each sized by
    the words it copies."""
    with slices.write():
        conn.execute(f"DELETE FROM main.{WORDS_NEXT}")
    _copy_keyed(conn, slices, WORDS_NEXT, "word", "rows", "")


def _drop_log(db: sqlite_utils.Database) -> None:
    """No change log, its triggers, nor a scratch build's progress."""
    for name in _LOG_TRIGGERS:
        db.execute(f"DROP TRIGGER IF EXISTS {name}")
    db.execute(f"DROP TABLE IF EXISTS {_LOG}")
    db.execute("DELETE FROM meta WHERE key IN (?, ?)", [SCRATCHED, LOG_TOKEN])


def _swap(db: sqlite_utils.Database) -> None:
    """The new index replaces the old one (inside the caller's transaction)."""
    drop_fts_triggers(db)
    _drop_log(db)
    db.execute(f"INSERT INTO {NEXT}({NEXT}, rank) VALUES ('hashsize', ?)", [1 << 20])
    db.execute("DROP TABLE IF EXISTS temp.contacts_fts_vocab")
    db.execute("DROP TABLE contacts_fts")
    db.execute(f"ALTER TABLE {NEXT} RENAME TO contacts_fts")
    serving_merges(db.conn)  # built with FTS5's merging; serves without it in writes
    db.execute(f"DROP TABLE IF EXISTS {words.WORDS}")
    db.execute(f"ALTER TABLE {WORDS_NEXT} RENAME TO {words.WORDS}")
    db.execute("DELETE FROM meta WHERE key = ?", [BUILT])
    create_fts_triggers(db)
