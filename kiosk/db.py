"""The kiosk's SQLite file: connection settings, schema and migrations.

One file per kiosk. WAL lets the TUI read while a sync writes; `synchronous=FULL` means a
check-in that was acknowledged survives a power cut; `busy_timeout` turns a briefly locked
database into a short wait instead of an error on the reception screen.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk import pins, words
from kiosk.errors import KioskError
from kiosk.keyfile import create_private
from kiosk.meta import connection_of as connection_of
from kiosk.meta import get_meta as get_meta  # kept here for callers: the database's own API
from kiosk.meta import set_meta as set_meta
from kiosk.show import is_demo, move_keys_out
from kiosk.text import simplified

if TYPE_CHECKING:  # annotations only: the kiosk's start-up (`connect`) needs no sqlite-utils
    import sqlite_utils
    from sqlite_utils.migrations import Migrations

APP_ID = "booth-kiosk"
BUSY_TIMEOUT_MS = 5000

Migration = Callable[["sqlite_utils.Database"], None]
# The schema's migrations in the order they apply, registered with sqlite-utils' machinery
# only when one may be pending (`migration_set`): a current database is known by one read
# of its schema version (`connect`), and the kiosk starts without loading sqlite-utils.
MIGRATIONS: list[Migration] = []


def _migration(fn: Migration) -> Migration:
    MIGRATIONS.append(fn)
    return fn


class DatabaseError(KioskError, RuntimeError):
    """The database cannot be used; the message is meant for a person."""


@_migration
def m001_initial(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);

        CREATE TABLE salespeople (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            email TEXT NOT NULL DEFAULT '',
            phone TEXT NOT NULL DEFAULT '',
            role TEXT NOT NULL DEFAULT 'sales' CHECK (role IN ('sales','manager','reception')),
            languages TEXT NOT NULL DEFAULT '',   -- comma-separated ISO 639-1 codes
            title TEXT NOT NULL DEFAULT '',
            away INTEGER NOT NULL DEFAULT 0,
            crm_away INTEGER NOT NULL DEFAULT 0   -- as imported; booth events change `away`
        );
        CREATE UNIQUE INDEX salespeople_email ON salespeople(email) WHERE email <> '';

        CREATE TABLE territories (
            id INTEGER PRIMARY KEY,
            position INTEGER NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('domain','company','country','region','default')),
            value TEXT NOT NULL DEFAULT '',
            salespeople TEXT NOT NULL,            -- comma-separated salesperson ids
            note TEXT NOT NULL DEFAULT ''
        );

        CREATE TABLE contacts (
            id TEXT PRIMARY KEY,
            crm_id TEXT UNIQUE,
            name TEXT NOT NULL,
            company TEXT NOT NULL DEFAULT '',
            title TEXT NOT NULL DEFAULT '',
            email TEXT NOT NULL DEFAULT '',
            email_norm TEXT NOT NULL DEFAULT '',
            phone TEXT NOT NULL DEFAULT '',
            phone_e164 TEXT NOT NULL DEFAULT '',
            country TEXT,                          -- ISO 3166 alpha-2
            city TEXT NOT NULL DEFAULT '',
            language TEXT,
            grade TEXT NOT NULL DEFAULT '',
            owner_id TEXT REFERENCES salespeople(id),
            assistant_id TEXT REFERENCES salespeople(id),
            split REAL,
            preferred_id TEXT REFERENCES salespeople(id),
            -- what the CRM said, so that replaying booth events can start from it again
            crm_owner_id TEXT,
            crm_assistant_id TEXT,
            crm_split REAL,
            crm_preferred_id TEXT,
            filed_at TEXT,
            first_contact_by TEXT,                 -- salesperson who first contacted them
            first_contact_at TEXT,
            last_contact_at TEXT,
            last_deal_at TEXT,
            notes TEXT NOT NULL DEFAULT '',
            consent INTEGER NOT NULL DEFAULT 0,
            source TEXT NOT NULL DEFAULT 'crm' CHECK (source IN ('crm','booth')),
            search TEXT NOT NULL DEFAULT ''        -- folded name/company/email/city for FTS
        );
        CREATE INDEX contacts_email ON contacts(email_norm) WHERE email_norm <> '';
        CREATE INDEX contacts_phone ON contacts(phone_e164) WHERE phone_e164 <> '';
        CREATE INDEX contacts_country ON contacts(country);
        CREATE INDEX contacts_owner ON contacts(owner_id);

        CREATE TABLE contact_badges (
            badge_id TEXT PRIMARY KEY,
            contact_id TEXT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE
        );
        CREATE INDEX contact_badges_contact ON contact_badges(contact_id);

        -- A new visitor filed at two kiosks gets two ids; after a merge the later one points
        -- here at the contact that won, so events that name it still find the visitor.
        CREATE TABLE contact_aliases (
            alias TEXT PRIMARY KEY,
            contact_id TEXT NOT NULL
        );

        CREATE VIRTUAL TABLE contacts_fts USING fts5(
            search, content='contacts', content_rowid='rowid', tokenize='trigram'
        );

        CREATE TABLE events (
            uuid TEXT PRIMARY KEY,
            kiosk_id TEXT NOT NULL,
            ts TEXT NOT NULL,                      -- original time, ISO 8601 with zone
            ts_utc TEXT NOT NULL,                  -- the same instant in UTC: the replay order
            recorded_at TEXT NOT NULL,             -- when this database stored it
            actor TEXT NOT NULL DEFAULT '',
            kind TEXT NOT NULL,
            payload TEXT NOT NULL                  -- JSON
        );
        CREATE INDEX events_order ON events(ts_utc, uuid);
        CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
            BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
        CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
            BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;

        CREATE TABLE checkins (
            id TEXT PRIMARY KEY,                   -- the event uuid
            contact_id TEXT NOT NULL REFERENCES contacts(id),
            at TEXT NOT NULL,
            kiosk_id TEXT NOT NULL,
            owner_id TEXT,                         -- who the kiosk called
            rule TEXT NOT NULL DEFAULT '',
            reason TEXT NOT NULL DEFAULT '',
            invited_by TEXT,
            brought_by TEXT,
            status TEXT NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting','received')),
            received_by TEXT,
            received_at TEXT
        );
        CREATE INDEX checkins_at ON checkins(at);
        CREATE INDEX checkins_contact ON checkins(contact_id);

        CREATE TABLE leads (
            id TEXT PRIMARY KEY,                   -- the event uuid
            contact_id TEXT NOT NULL REFERENCES contacts(id),
            at TEXT NOT NULL,
            kiosk_id TEXT NOT NULL,
            rating TEXT NOT NULL DEFAULT 'warm' CHECK (rating IN ('cold','warm','hot')),
            products TEXT NOT NULL DEFAULT '[]',   -- JSON list
            notes TEXT NOT NULL DEFAULT '',
            consent INTEGER NOT NULL DEFAULT 0,
            brought_by TEXT,
            owner_id TEXT,
            rule TEXT NOT NULL DEFAULT '',
            reason TEXT NOT NULL DEFAULT '',
            territory_rule_id INTEGER
        );
        CREATE INDEX leads_contact ON leads(contact_id);
        CREATE INDEX leads_owner ON leads(owner_id);

        CREATE TABLE proposals (
            id TEXT PRIMARY KEY,                   -- the event uuid that raised it
            kind TEXT NOT NULL CHECK (kind IN ('assistant','reassign','preference','dispute')),
            contact_id TEXT REFERENCES contacts(id),
            lead_id TEXT,
            current_id TEXT,
            proposed_id TEXT,
            split REAL,
            reason TEXT NOT NULL DEFAULT '',
            evidence TEXT NOT NULL DEFAULT '{}',   -- JSON
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','approved','rejected')),
            created_at TEXT NOT NULL,
            decided_at TEXT,
            decided_by TEXT,
            decision_note TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX proposals_status ON proposals(status);
        """
    )
    _create_fts_triggers(db)


@_migration
def m002_invitations(db: sqlite_utils.Database) -> None:
    # One row per invitation generated (`invitation.sent` events). No foreign key to
    # contacts: booth contacts are deleted and re-created when the log is replayed.
    db.executescript(
        """
        CREATE TABLE invitations (
            id TEXT PRIMARY KEY,                   -- the event uuid
            contact_id TEXT NOT NULL,
            salesperson_id TEXT NOT NULL,
            issued_at TEXT NOT NULL,               -- ISO 8601 UTC, the token's issued-at
            token TEXT NOT NULL,
            language TEXT NOT NULL DEFAULT '',
            email TEXT NOT NULL DEFAULT '',        -- the address it was made out to
            kiosk_id TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX invitations_contact ON invitations(contact_id, issued_at);
        CREATE INDEX invitations_salesperson ON invitations(salesperson_id);
        """
    )


@_migration
def m003_replay_indexes(db: sqlite_utils.Database) -> None:
    # Booth visitors who left no email are matched to a later lead by name and company
    # (appliers._existing_visitor). Without an index that lookup scanned every contact:
    # ~0.3 s per new lead at a million CRM contacts, and minutes when a merge replays
    # thousands of leads. Keyed by `search`, which starts with the folded name.
    db.execute(
        "CREATE INDEX contacts_booth_visitor ON contacts(search)"
        " WHERE source = 'booth' AND email_norm = ''"
    )
    # Each new proposal checks for an open duplicate on the same contact; by status alone
    # that read every open proposal, quadratic in the disputes of a big merge.
    db.execute("CREATE INDEX proposals_contact ON proposals(contact_id, status)")


@_migration
def m004_name_prefix_index(db: sqlite_utils.Database) -> None:
    # lookup/fulltext: names starting with what staff type, in order, at any length. The
    # trigram index cannot match one or two characters ('王', 'li'); `search` starts with
    # the folded name, and 16 characters are enough to narrow a million rows to a page.
    db.execute("CREATE INDEX contacts_name_prefix ON contacts(substr(search, 1, 16))")


@_migration
def m005_walkins_and_manager_items(db: sqlite_utils.Database) -> None:
    # A walk-in arrival (an unknown visitor scanned at reception) is routed by territory:
    # its check-in keeps the territory rule so that rotation moves on (store.rotation_counts).
    db.execute("ALTER TABLE checkins ADD COLUMN territory_rule_id INTEGER")
    # One manager item per (contact, kind, proposed person), whichever kiosk raised it first,
    # so the same proposal raised on two offline kiosks is one item after a merge.
    db.execute("ALTER TABLE proposals ADD COLUMN item_key TEXT NOT NULL DEFAULT ''")
    db.execute(
        "UPDATE proposals SET item_key = coalesce(contact_id, '') || '|' || kind || '|'"
        " || coalesce(proposed_id, '')"
    )
    db.execute("CREATE INDEX proposals_item_key ON proposals(item_key, status)")
    # next_ts reads this kiosk's own last stamp, never the latest merged event.
    db.execute("CREATE INDEX events_kiosk_order ON events(kiosk_id, ts_utc)")


def fts_triggers(
    fts: str = "contacts_fts", vocabulary: str = words.WORDS, when: str = ""
) -> dict[str, str]:
    """Triggers (name → body) that keep the index `fts` and the typo vocabulary
    `vocabulary` (`kiosk.words`) in step with `contacts.search`: for the rows whose rowid
    meets `when` (an SQL condition on `{row}`), or all."""

    def only(row: str) -> str:
        return f" WHEN {when.format(row=row)}" if when else ""

    delete = (
        f"INSERT INTO {fts}({fts}, rowid, search) VALUES('delete', old.rowid, old.search); "
        + words.remove_sql(vocabulary, "old.search")
    )
    insert = f"INSERT INTO {fts}(rowid, search) VALUES (new.rowid, new.search); " + words.add_sql(
        vocabulary, "new.search"
    )
    return {
        "contacts_fts_ai": f"AFTER INSERT ON contacts{only('new.rowid')} BEGIN {insert} END",
        "contacts_fts_ad": f"AFTER DELETE ON contacts{only('old.rowid')} BEGIN {delete} END",
        "contacts_fts_au": f"AFTER UPDATE OF search ON contacts{only('old.rowid')}"
        f" BEGIN {delete} {insert} END",
    }


_FTS_TRIGGERS = fts_triggers()


def create_fts_triggers(db: sqlite_utils.Database) -> None:
    """The triggers that keep `contacts_fts` and `contact_words` in step with `contacts.search`."""
    db.execute(words.SCHEMA.format(table=words.WORDS))  # (from m014; earlier migrations call this)
    for name, body in _FTS_TRIGGERS.items():
        db.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")


def drop_fts_triggers(db: sqlite_utils.Database) -> None:
    for name in _FTS_TRIGGERS:
        db.execute(f"DROP TRIGGER IF EXISTS {name}")


_create_fts_triggers = create_fts_triggers


def compact_fts(conn: sqlite3.Connection, table: str = "contacts_fts") -> None:
    """Merge an FTS5 index built in bulk into one segment ('optimize').

    A bulk build leaves a few big segments at FTS5's lowest level; the booth's single-row
    inserts then add tiny segments beside them, and about the 14th makes FTS5 merge the
    whole level, big segments too: measured 2.7 s for one walk-in at a million contacts,
    a scan with no card. Merged into one segment (at the top level), the index is left
    alone while the tiny segments merge among themselves: the slowest of 300 inserts after
    it was 45 ms. Costs about 1.6 s of CPU at a million contacts; a no-op on one segment.
    """
    conn.execute(f"INSERT INTO {table}({table.rpartition('.')[2]}) VALUES ('optimize')")


# How FTS5 merges the serving index's segments (`serving_merges`, `tidy_fts`).
FTS_AUTOMERGE = 0  # no merging work inside the booth's own writes
FTS_CRISISMERGE = 64  # segments on one level before a write must merge them (FTS5: 16)
FTS_TIDY_PAGES = 128  # pages one idle-time merge step writes at most (a few ms)


def serving_merges(conn: sqlite3.Connection, table: str = "contacts_fts") -> None:
    """Settle how the index that serves the booth merges: never inside a booth write.

    Each walk-in's row is a tiny new segment. With FTS5's defaults a write also does a
    share of merging (`automerge`) and, once 16 segments sit on one level, merges that
    level at once (`crisismerge`); the tiny segments' merges land on the level of the
    one big segment a bulk build leaves, so a few hundred walk-ins after an import one
    walk-in's insert merged the whole index: measured 5.3 s at a million contacts
    (after 399 walk-ins; steps of ~50 ms before it, load ~10). Here a write never
    merges until 64 segments pile up on a level (tiny ones: a few ms), and the
    booth's quiet moments merge in short steps (`tidy_fts`). Kept in the index's own
    `_config`, so every connection and process obeys it."""
    name = table.rpartition(".")[2]
    sql = f"INSERT INTO {table}({name}, rank) VALUES (?, ?)"
    conn.execute(sql, ["automerge", FTS_AUTOMERGE])
    conn.execute(sql, ["crisismerge", FTS_CRISISMERGE])


def tidy_fts(
    conn: sqlite3.Connection, pages: int = FTS_TIDY_PAGES, table: str = "contacts_fts"
) -> bool:
    """One step of merging the index's segments, writing at most `pages` pages (FTS5's
    'merge' command: only levels with several segments), for when the booth is quiet.
    True when it did some work (FTS5 says so by changing at least two rows)."""
    name = table.rpartition(".")[2]
    before = conn.total_changes
    conn.execute(f"INSERT INTO {table}({name}, rank) VALUES ('merge', ?)", [int(pages)])
    return conn.total_changes - before >= 2


def fts_segments(conn: sqlite3.Connection, table: str = "contacts_fts") -> int:
    """How many segments an FTS5 index has (each has rows in its `_idx` shadow table)."""
    return int(conn.execute(f"SELECT count(DISTINCT segid) FROM {table}_idx").fetchone()[0])


@contextmanager
def bulk_contacts(db: sqlite_utils.Database) -> Iterator[None]:
    """Load many contacts fast: drop the per-row FTS triggers, rebuild the index once after.

    Used by CRM imports of up to a million rows, where per-row index maintenance would
    cost several times the insert itself. The caller owns the transaction.
    """
    drop_fts_triggers(db)
    # A new index being built beside this one (`kiosk.search_index`) would miss these
    # rows' changes: it is dropped, as the index rebuilt here has every row.
    db.execute("DROP TABLE IF EXISTS contacts_fts_next")
    db.execute("DELETE FROM meta WHERE key = 'search_index.built'")
    try:
        yield
    finally:
        # 'delete-all' + one INSERT … SELECT: what 'rebuild' does, for the contentless
        # index too (m011), which has no content table to rebuild from.
        db.execute("INSERT INTO contacts_fts(contacts_fts) VALUES('delete-all')")
        db.execute("INSERT INTO contacts_fts(rowid, search) SELECT rowid, search FROM contacts")
        compact_fts(db.conn)
        words.rebuild(db.conn)
        _create_fts_triggers(db)


def _configure(conn: sqlite3.Connection) -> None:
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")


def known_migrations() -> list[str]:
    return [fn.__name__ for fn in MIGRATIONS]


@cache
def migration_set() -> Migrations:
    """The schema's migrations as sqlite-utils' `Migrations` (what applies them and records
    them in `_sqlite_migrations`), made the first time a database may need one."""
    # measured start-up cost: sqlite_utils (~56 ms), first needed here
    from sqlite_utils.migrations import Migrations

    migrations = Migrations("kiosk")
    for fn in MIGRATIONS:
        migrations()(fn)
    return migrations


def database(conn: sqlite3.Connection) -> sqlite_utils.Database:
    """sqlite-utils' `Database` over a connection `connect` opened (or any other)."""
    # measured start-up cost: sqlite_utils (~56 ms), first needed here
    import sqlite_utils

    # No sqlite-utils plugins on the kiosk's connection: only its own SQL runs there, and
    # finding plugins reads every installed package's metadata (~15 ms of each start-up).
    return sqlite_utils.Database(conn, execute_plugins=False)


def check_compatible(db: sqlite_utils.Database, path: str | os.PathLike[str] = "") -> None:
    """Refuse a file that is not a kiosk database, or was written by a newer kiosk."""
    tables = set(db.table_names())
    if not tables:
        return
    if "_sqlite_migrations" not in tables or "events" not in tables:
        raise DatabaseError(f"{path or 'database'} is not a kiosk database")
    applied = {m.name for m in migration_set().applied(db)}
    unknown = applied - set(known_migrations())
    if unknown:
        raise DatabaseError(
            f"{path or 'database'} was written by a newer kiosk (schema {', '.join(sorted(unknown))});"
            " update this kiosk before opening it"
        )


def schema_version(conn: sqlite3.Connection) -> str | None:
    """The schema version a kiosk wrote in the file (`SCHEMA_VERSION` when it migrated it);
    None for a file with no `meta` table (an empty file, or not a kiosk's)."""
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except sqlite3.OperationalError:
        return None
    return str(row[0]) if row else None


def connect(
    path: str | os.PathLike[str], *, create: bool = True, migrate: bool = True
) -> sqlite3.Connection:
    """Open (and by default create and migrate) a kiosk database: a bare sqlite3 connection.

    What the kiosk's start-up opens its database with. A database whose schema version is
    this kiosk's (`SCHEMA_VERSION`) is current: one read tells, and sqlite-utils is not
    loaded. Any other is checked and migrated through sqlite-utils' machinery (then marked
    current). Raises DatabaseError with a one-line message for a missing file (when
    `create` is false), a foreign file, a newer schema, or a file SQLite cannot read.
    `":memory:"` is SQLite's in-memory database, as with `sqlite3.connect`.
    """
    p = Path(path)
    if str(path) == ":memory:":
        pass  # SQLite's own in-memory database (tests, experiments): never a file of that name
    elif not create and not p.exists():
        raise DatabaseError(f"database not found: {p} ({_init_hint(p)})")
    elif create:
        p.parent.mkdir(parents=True, exist_ok=True)
        create_private(p)  # customer data: readable by the kiosk's user only
    try:
        conn = sqlite3.connect(str(p), isolation_level=None, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if schema_version(conn) == str(SCHEMA_VERSION):
            _configure(conn)
        else:
            _check_and_migrate(conn, p, create=create, migrate=migrate)
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"cannot open {p}: {exc}") from exc
    return conn


def _check_and_migrate(conn: sqlite3.Connection, p: Path, *, create: bool, migrate: bool) -> None:
    """`connect`'s way for a database that is not current: new, older, newer or foreign."""
    db = database(conn)
    if not create and not db.table_names():
        # an empty file (or one SQLite made for a mistyped --db) is not a kiosk yet:
        # only `kiosk init` makes one, with its show
        conn.close()
        raise DatabaseError(f"{p} was never initialised as a kiosk database ({_init_hint(p)})")
    _configure(conn)
    check_compatible(db, p)
    if migrate:
        migrations = migration_set()
        if migrations.pending(db):
            migrations.apply(db)
        set_meta(db, "schema_version", str(SCHEMA_VERSION))


def open_db(
    path: str | os.PathLike[str], *, create: bool = True, migrate: bool = True
) -> sqlite_utils.Database:
    """`connect`, as sqlite-utils' `Database` (what the CLI and the core's writers take)."""
    return database(connect(path, create=create, migrate=migrate))


def problems(conn: sqlite3.Connection, *, full: bool = False, limit: int = 10) -> list[str]:
    """What SQLite's own check finds wrong with the database file ([] when it is sound).

    A damaged page shows only when something reads it: a check-in or a lead is written
    into a file whose other pages are malformed without a word, and the data there is lost
    at the next restore. `quick_check` reads every page (seconds at a million contacts),
    so it is run on demand (`kiosk check`), not on every start; `full` adds the indexes'
    agreement with their tables (`integrity_check`, slower)."""
    pragma = "integrity_check" if full else "quick_check"
    try:
        rows = conn.execute(f"PRAGMA {pragma}({int(limit)})").fetchall()
    except sqlite3.DatabaseError as exc:  # so damaged the check itself cannot run
        return [str(exc)]
    found = [line for (text,) in rows for line in str(text).splitlines() if line.strip()]
    return [] if found == ["ok"] else found


def copy_database(
    conn: sqlite3.Connection,
    dest: str | os.PathLike[str],
    *,
    source: Path | None = None,
    force: bool = False,
) -> Path:
    """A consistent copy of the open database at `dest`, private (0600), for a USB stick or
    a second laptop.

    A plain file copy of a kiosk's database can lack its latest scans: they sit in the
    `-wal` file until a checkpoint folds them in (a copy 0.3 s after a scan lacked it, and
    one right after the booth screen quit did too). SQLite's online backup reads the
    database as a connection sees it, whatever else writes meanwhile. The copy is written
    beside `dest` and renamed over it, so an interrupted copy leaves the old one whole; a
    `-wal` or `-shm` file left there by an earlier copy is removed first, or SQLite would
    replay it into the new one."""
    out = Path(dest)
    if not out.parent.is_dir():
        raise DatabaseError(f"{out.parent} is not a folder (is the USB stick mounted?)")
    if source is not None and out.exists() and os.path.samefile(out, source):
        raise DatabaseError(f"{out} is this kiosk's own database: copy it somewhere else")
    if out.exists() and not force and (why := _not_ours(conn, out)):
        raise DatabaseError(f"{out} {why}: not replaced. Give the copy another name, or use"
                            " --force to replace it")  # fmt: skip
    part = out.with_name(out.name + ".part")
    part.unlink(missing_ok=True)
    create_private(part)
    target = sqlite3.connect(str(part))
    try:
        conn.backup(target)
    except BaseException as exc:
        target.close()
        for left in (part, Path(f"{part}-journal")):  # a full stick left both behind
            left.unlink(missing_ok=True)
        if isinstance(exc, sqlite3.OperationalError) and "full" in str(exc):
            raise DatabaseError(
                f"no room for the copy in {out.parent} ({exc}); nothing was replaced"
            ) from None
        raise
    target.close()
    for leftover in (f"{out}-wal", f"{out}-shm"):
        Path(leftover).unlink(missing_ok=True)
    os.replace(part, out)
    return out


def _not_ours(conn: sqlite3.Connection, path: Path) -> str:
    """Why the file at `path` must not be replaced by a copy of this database ('' when it is
    an earlier copy of it: the same install). A second kiosk's copy on the same stick, with
    a lead only it had, was replaced without a word; so was a file that is no database."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        return f"cannot be read ({exc.strerror})"
    if head != b"SQLite format 3\x00":
        return "is not a database"
    mine = conn.execute("SELECT value FROM meta WHERE key = 'install_id'").fetchone()
    try:
        other = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            theirs = other.execute(
                "SELECT (SELECT value FROM meta WHERE key = 'install_id'),"
                " (SELECT value FROM meta WHERE key = 'kiosk_id')"
            ).fetchone()
        finally:
            other.close()
    except sqlite3.Error:
        return "is a database, but not a kiosk's"
    if mine is None or theirs[0] != mine[0]:
        return f"is another laptop's kiosk database ({theirs[1] or 'no kiosk id'})"
    return ""


def _init_hint(p: Path) -> str:
    return f"create it with 'kiosk init --show SHOW.toml' (or 'kiosk init --demo') and --db {p}"


def require_salespeople(
    db: sqlite3.Connection | sqlite_utils.Database, path: str | os.PathLike[str] = ""
) -> None:
    """Refuse a kiosk database with nobody to route visitors to (initialised, never loaded)."""
    if db.execute("SELECT 1 FROM salespeople LIMIT 1").fetchone() is None:
        raise DatabaseError(
            f"{path or 'the database'} has no salespeople yet: import them with"
            " 'kiosk import salespeople FILE' (or 'kiosk init --demo' for the demo company)"
        )


def last_rowid(db: sqlite3.Connection | sqlite_utils.Database, table: str) -> int:
    """The largest rowid in `table` (0 when it is empty): where a log scan, a sync or an
    index build resumes from. `table` is the code's own name (a schema prefix allowed),
    never input."""
    (top,) = connection_of(db).execute(f"SELECT coalesce(max(rowid), 0) FROM {table}").fetchone()
    return int(top)


@contextmanager
def transaction(
    db: sqlite3.Connection | sqlite_utils.Database, *, waiting: Callable[[], None] | None = None
) -> Iterator[None]:
    """BEGIN IMMEDIATE … COMMIT, so writers queue on the lock instead of failing mid-way;
    a long import running meanwhile lets this write go first (`writer_turn`). Inside
    `held_commit` the COMMIT (and the turn lock) wait for its end. `waiting()` is told once
    when another connection holds the write lock (see `begin_immediate`)."""
    conn = connection_of(db)
    if conn.in_transaction:
        yield
        return
    with ExitStack() as stack:
        stack.enter_context(writer_turn(conn))
        begin_immediate(conn, waiting=waiting)
        try:
            yield
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        hold = _HOLDS.get(id(conn))
        if hold is not None and hold.conn is conn:
            hold.pending = stack.pop_all()  # committed when `held_commit` ends
            return
        conn.execute("COMMIT")


class HeldCommit:
    """What `held_commit` yields: `pending` while a write waits for its COMMIT."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.pending: ExitStack | None = None  # the write's turn lock, released at its end

    @property
    def wrote(self) -> bool:
        """A write is done and waits for the end of the `held_commit` block to commit."""
        return self.pending is not None


_HOLDS: dict[int, HeldCommit] = {}  # id(connection) → its open `held_commit`


@contextmanager
def held_commit(db: sqlite3.Connection | sqlite_utils.Database) -> Iterator[HeldCommit]:
    """Run a block whose writes (`transaction`) commit only when it ends: its reads run
    outside any transaction, as they would without it, and what the block learnt can be
    shown before the COMMIT — an fsync with `synchronous=FULL`, a few milliseconds — has
    run. An exception out of the block rolls the write back, and so does
    `held_commit`'s caller stopping it; a COMMIT that fails raises from here.

    For the TUI's scan thread (`kiosk.ui.scanning`): the card is drawn while the check-in
    commits, and a scan started at its Enter is rolled back when it was not the whole
    badge. The write lock is held only from the write to the COMMIT, never over a lookup
    (a no-match lookup can take tens of milliseconds at a million contacts). The
    connection must be this thread's own: another thread's write on it would join the
    held transaction."""
    conn = connection_of(db)
    if id(conn) in _HOLDS or conn.in_transaction:
        raise RuntimeError("held_commit: the connection is in a transaction already")
    hold = _HOLDS[id(conn)] = HeldCommit(conn)
    try:
        yield hold
    except BaseException:
        del _HOLDS[id(conn)]
        if hold.pending is not None:
            with hold.pending:
                conn.execute("ROLLBACK")
        raise
    del _HOLDS[id(conn)]
    if hold.pending is not None:
        with hold.pending:
            try:
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:  # (SQLite may have rolled it back itself)
                    conn.execute("ROLLBACK")
                raise


# A booth write waiting for the write lock tries again every POLL seconds. SQLite's own busy
# handler sleeps ever longer between its tries (1, 2, 5, 10 … 25, 50, then 100 ms each),
# while a long import (`kiosk.bulk.Slices`) keeps the lock free for waiting writers 60 ms
# at most between two of its slices: a writer that had waited a third of a second slept
# through gap after gap. At a million rows, writes waited 0.4–1.4 s at the start of an
# import and in its middle, and under heavy load a few gave up after the 5 s busy timeout.
POLL = 0.002


def begin_immediate(
    conn: sqlite3.Connection,
    *,
    sleep: Callable[[float], None] | None = None,
    clock: Callable[[], float] | None = None,
    waiting: Callable[[], None] | None = None,
) -> None:
    """BEGIN IMMEDIATE; while another connection writes, try again every POLL seconds for
    as long as the connection's busy timeout, then raise SQLite's "database is locked".
    The busy timeout is left as it was. Where the clock cannot sleep (libfaketime's
    shifted clock fails `time.sleep`), SQLite's own busy handler does the waiting.
    `waiting()` is called once, at the first try that finds the lock held, so that a
    person waiting for this write can be told why it takes long (the booth screen's PIN
    dialog). `sleep` and `clock` (`time.sleep`, `time.monotonic`) are for tests."""
    sleep = sleep or time.sleep
    clock = clock or time.monotonic
    (timeout_ms,) = conn.execute("PRAGMA busy_timeout").fetchone()
    conn.execute("PRAGMA busy_timeout = 0")
    try:
        deadline = clock() + timeout_ms / 1000
        while True:
            try:
                conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                busy = exc.sqlite_errorcode & 0xFF == sqlite3.SQLITE_BUSY
                if not busy or clock() >= deadline:
                    raise
                if waiting is not None:
                    waiting()
                    waiting = None
            try:
                sleep(POLL)
            except OSError:
                conn.execute(f"PRAGMA busy_timeout = {int(timeout_ms)}")
                conn.execute("BEGIN IMMEDIATE")
                return
    finally:
        conn.execute(f"PRAGMA busy_timeout = {int(timeout_ms)}")


# A long import (`kiosk.bulk.Slices`) writes in short transactions and lets waiting booth
# writes go between two of them. SQLite's busy handler does not queue writers — a waiting
# one sleeps and polls, and can miss every gap — so a writer says that it waits: from
# before its BEGIN IMMEDIATE until after its COMMIT it holds a shared flock on the file
# `<database>-writers`, and the importer starts its next slice only once it could take
# that lock exclusively (`writers_waiting`).
def turn_file(conn: sqlite3.Connection) -> str | None:
    """The writers' turn file of this connection's database (None: in memory)."""
    for _seq, name, file in conn.execute("PRAGMA database_list"):
        if name == "main":
            return f"{file}-writers" if file else None
    return None


@contextmanager
def writer_turn(conn: sqlite3.Connection) -> Iterator[None]:
    """Hold the shared turn lock while this connection waits for and holds the write lock
    (nothing, where the file cannot be made: a read-only folder)."""
    path = turn_file(conn)
    fd = -1
    if path:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            fcntl.flock(fd, fcntl.LOCK_SH)
        except OSError:
            if fd >= 0:
                os.close(fd)
            fd = -1
    try:
        yield
    finally:
        if fd >= 0:
            os.close(fd)  # releases the lock


def writers_waiting(fd: int) -> bool:
    """Whether some connection holds the turn lock (waits to write, or writes) now; `fd`
    is the importer's own descriptor of the turn file."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    fcntl.flock(fd, fcntl.LOCK_UN)
    return False


# m006 rewrites rows in batches of this many. Updating one row's `search` through the FTS
# triggers cost ~0.5 ms at a million contacts, rebuilding the whole index ~22 µs per row
# in the table (22 s): the index is rebuilt once when more than a twentieth of the rows
# change (60,000 of the benchmark's million: 27 s rebuilt, 33 s row by row).
_REFOLD_BATCH = 5_000
_REFOLD_BULK_SHARE = 20


@_migration
def m006_search_folds_traditional_chinese(db: sqlite_utils.Database) -> None:
    # `kiosk.text.fold` now writes traditional Chinese in simplified form (東光 → 东光), at
    # index time and at query time, so that either form finds the other. Rows indexed
    # before hold the traditional forms in `search`, which no query can reach any more.
    # The new fold of a text is the old one with each Han character converted
    # (`simplified`), so the stored `search` is converted in place, with no need to
    # re-read name, company, e-mail and city. Two passes: find the rows that change (2 s
    # for a million, only their rowids kept), then rewrite them in batches, letting the
    # FTS triggers follow a few rows or rebuilding the index once for many.
    conn = db.conn
    rows = 0
    changed: list[int] = []
    for rowid, text in conn.execute("SELECT rowid, search FROM contacts"):
        rows += 1
        if not text.isascii() and simplified(text) != text:
            changed.append(rowid)
    if not changed:
        return

    def rewrite() -> None:
        for start in range(0, len(changed), _REFOLD_BATCH):
            batch = changed[start : start + _REFOLD_BATCH]
            marks = ",".join("?" * len(batch))
            found = conn.execute(
                f"SELECT rowid, search FROM contacts WHERE rowid IN ({marks})", batch
            ).fetchall()
            conn.executemany(
                "UPDATE contacts SET search = ? WHERE rowid = ?",
                [(simplified(text), rowid) for rowid, text in found],
            )

    if len(changed) * _REFOLD_BULK_SHARE <= rows:
        rewrite()
        return
    with bulk_contacts(db):
        rewrite()


@_migration
def m007_merge_quarantine(db: sqlite_utils.Database) -> None:
    # Events from other kiosks that cannot be merged (bad JSON, an unknown kind, wrong
    # types, a garbage time, a contact this database does not have) are kept here as they
    # were stored, with the file, kiosk and reason, instead of being lost or stopping the
    # merge (`kiosk.events.merge_rows`). Raw columns are untyped: a hostile source may
    # hold numbers or blobs where text belongs. Not part of the log: replays never see it.
    db.execute(
        """
        CREATE TABLE quarantine (
            key TEXT PRIMARY KEY,                  -- the uuid, or a hash of a row without one
            uuid, kiosk_id, ts, actor, kind, payload,
            reason TEXT NOT NULL,
            source TEXT NOT NULL DEFAULT '',       -- the file it came from
            quarantined_at TEXT NOT NULL           -- the merging kiosk's time
        )
        """
    )


@_migration
def m009_pins_and_keys_out(db: sqlite_utils.Database) -> None:
    # PINs per person, hashed (`kiosk.pins`), and the count of wrong PINs per person, so a
    # restart does not reset the back-off. The keys older kiosks kept in the database — the
    # show file's manager_pin and [invitations] secret inside the stored show text, the
    # generated invitation key in `meta` — move out: the PIN hashed, the key into the key
    # file beside the database (`kiosk.keyfile`).
    pins.ensure_schema(db)
    move_keys_out(db)
    if is_demo(db):  # an older demo database: its published staff PIN, as a new one has
        pins.set_demo_pins(db)


# The full-text index since m011: trigrams of `contacts.search`, contentless (the text is
# in `contacts` already), without positions (`detail=none`) or column sizes. A quarter of
# the size of the trigram index with positions and built ~4x faster (1M contacts: 73 MB,
# ~6 s instead of 336 MB, ~30 s in place); phrases are matched as "all their trigrams",
# then checked against `search` (`kiosk.fulltext`). Deleting a row needs the text it was
# indexed with, which the triggers pass (`old.search`).
# The contacts the booth made, and those whose owner, assistant, split or preferred
# salesperson the booth decided (not what the CRM said): partial indexes (m013) and the
# replay's resets (`kiosk.events.appliers.RESETS`) use these very expressions.
BOOTH_ROWS = "source = 'booth'"
BOOTH_DECIDED = (
    "owner_id IS NOT crm_owner_id OR assistant_id IS NOT crm_assistant_id"
    " OR split IS NOT crm_split OR preferred_id IS NOT crm_preferred_id"
)
FTS_OPTIONS = "search, content='', detail=none, columnsize=0, tokenize='trigram'"


@_migration
def m011_lean_search_index(db: sqlite_utils.Database) -> None:
    # The trigram index with positions over an external content table took ~30 s to
    # rebuild at a million contacts: the CRM import's floor. Replaced by the lean one.
    drop_fts_triggers(db)
    db.execute("DROP TABLE IF EXISTS contacts_fts")
    db.execute(f"CREATE VIRTUAL TABLE contacts_fts USING fts5({FTS_OPTIONS})")
    db.execute("INSERT INTO contacts_fts(rowid, search) SELECT rowid, search FROM contacts")
    _create_fts_triggers(db)


@_migration
def m008_disputes(db: sqlite_utils.Database) -> None:
    # The dispute workbench (kiosk.disputes). Each side's own statement ("my case"), one row
    # per `dispute.note` event; the manager's decisions as arrangements, one row per
    # `dispute.decided` event (a deferral too, so the history shows it), with the review
    # date and whether the review raised a new proposal. A proposal keeps its status
    # (approved: the holding changed; rejected: it did not) and gains the real outcome; a
    # deferred one stays open with the day it returns to the top of the queue.
    db.executescript(
        """
        CREATE TABLE dispute_notes (
            id TEXT PRIMARY KEY,                   -- the event uuid
            proposal_id TEXT NOT NULL,
            salesperson_id TEXT NOT NULL,
            text TEXT NOT NULL,
            at TEXT NOT NULL
        );
        CREATE INDEX dispute_notes_proposal ON dispute_notes(proposal_id, at);
        CREATE TABLE arrangements (
            id TEXT PRIMARY KEY,                   -- the `dispute.decided` event uuid
            proposal_id TEXT NOT NULL,
            kind TEXT NOT NULL DEFAULT '',         -- the proposal's kind
            contact_id TEXT,
            outcome TEXT NOT NULL
                CHECK (outcome IN ('kept','given','shared','customer','deferred')),
            side_a TEXT,                           -- the owner when it was decided
            side_b TEXT,                           -- the other side (the proposed person)
            owner_id TEXT,
            assistant_id TEXT,
            split REAL,
            customer_chose TEXT,
            defer_until TEXT,                      -- YYYY-MM-DD, show's calendar
            review_at TEXT,                        -- YYYY-MM-DD, show's calendar
            review_status TEXT NOT NULL DEFAULT 'none'
                CHECK (review_status IN ('none','pending','raised')),
            decided_at TEXT NOT NULL,
            decided_by TEXT NOT NULL DEFAULT '',
            note TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX arrangements_contact ON arrangements(contact_id, decided_at);
        ALTER TABLE proposals ADD COLUMN outcome TEXT;
        ALTER TABLE proposals ADD COLUMN deferred_until TEXT;
        """
    )


@_migration
def m010_hub(db: sqlite_utils.Database) -> None:
    # Live sync through a PostgreSQL hub (`kiosk.hub.sync`). Local events are pushed in
    # rowid order past the meta key `hub.pushed_rowid`; events pulled *from* the hub land
    # above that mark too, and are listed here so they are not pushed back (the hub would
    # ignore them, but the header's "waiting to push" count would be wrong). Rows at or
    # below the mark are pruned after each push.
    db.execute("CREATE TABLE hub_seen (uuid TEXT PRIMARY KEY)")


@_migration
def m010b_outbox(db: sqlite_utils.Database) -> None:
    # Notifications to owners (`kiosk.notify.outbox`): one row per (event, recipient,
    # channel), keyed by the event's uuid so that no sync or merge raises it twice. The
    # channel is its label (a secret-free URL, key:NAME, profile:ID#N), never a secret URL.
    # Arrivals recorded before this migration notify nobody: the mark starts at the log's end.
    db.executescript(
        """
        CREATE TABLE outbox (
            id TEXT PRIMARY KEY,                   -- event uuid | recipient | channel label
            event_uuid TEXT NOT NULL,
            kind TEXT NOT NULL,
            recipient TEXT NOT NULL,
            channel TEXT NOT NULL,
            title TEXT NOT NULL,
            body TEXT NOT NULL,
            visitor TEXT,                          -- contact id: one per visitor and window
            at_utc TEXT NOT NULL DEFAULT '',
            state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN
                ('pending','sent','failed','paused','no_channel','duplicate')),
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT NOT NULL DEFAULT '',   -- why it failed, waits or was not sent
            next_at TEXT,
            created_at TEXT NOT NULL,
            sent_at TEXT
        );
        CREATE INDEX outbox_due ON outbox(state, next_at);
        CREATE INDEX outbox_event ON outbox(event_uuid);
        """
    )
    db.execute(
        "INSERT INTO meta(key, value) SELECT 'notify.scanned_rowid', coalesce(max(rowid), 0)"
        " FROM events WHERE true ON CONFLICT(key) DO UPDATE SET value = excluded.value"
    )


@_migration
def m012_crm_row_hash(db: sqlite_utils.Database) -> None:
    # The hash of the CRM record each contact was last imported from: a re-import skips
    # the records it already holds (`kiosk.sync.rowhash`). No index: the importer reads
    # them all once, sorted.
    db.execute("ALTER TABLE contacts ADD COLUMN crm_row INTEGER")


@_migration
def m013_replay_reset_indexes(db: sqlite_utils.Database) -> None:
    # `events.rebuild` (after every CRM import that changed something) first returns the
    # booth tables to the CRM's say: it deletes the booth's own contacts and puts back the
    # CRM owner where the booth decided another. Both read every contact without these
    # (~2 s at a million, in the transaction the booth waits on); each index holds only
    # the few rows it names, and its WHERE is the statement's (`appliers.RESETS`), which
    # is what lets SQLite use it.
    db.execute(f"CREATE INDEX contacts_booth_rows ON contacts(id) WHERE {BOOTH_ROWS}")
    db.execute(f"CREATE INDEX contacts_booth_decided ON contacts(id) WHERE {BOOTH_DECIDED}")


@_migration
def m014_typo_vocabulary(db: sqlite_utils.Database) -> None:
    # The words of the contacts' search text, counted (`kiosk.words`): a typo search asks
    # for the words one slip away first. Kept by the full-text triggers, so they are
    # written anew. A search index half-built beside the serving one (`kiosk.search_index`)
    # counts no words: it is given up, and the serving index rebuilt whole.
    db.execute(words.SCHEMA.format(table=words.WORDS))
    drop_fts_triggers(db)
    if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'contacts_fts_next'").fetchone():
        for name in ("contacts_fts_log_ai", "contacts_fts_log_ad", "contacts_fts_log_au"):
            db.execute(f"DROP TRIGGER IF EXISTS {name}")
        db.execute("DROP TABLE IF EXISTS search_index_log")
        db.execute("DROP TABLE contacts_fts_next")
        db.execute("DELETE FROM meta WHERE key LIKE 'search_index.%'")
        db.execute("INSERT INTO contacts_fts(contacts_fts) VALUES('delete-all')")
        db.execute("INSERT INTO contacts_fts(rowid, search) SELECT rowid, search FROM contacts")
        compact_fts(db.conn)
    words.rebuild(db.conn)
    _create_fts_triggers(db)


# The routing engine's round-robin reads how many visitors each territory rule has sent to
# each salesperson (`store.rotation_counts`). Counted afresh, that was a GROUP BY over every
# lead and check-in on each check-in: ~13 ms at the end of a busy day, a fifth of the
# check-in. Two small tables keep the answer instead: `rotation_visitors` holds each (rule,
# person, visitor) with how many leads and walk-in check-ins name it (a visitor counts once,
# even when a walk-in later became a lead), and a trigger on it keeps `rotation_tally`, how
# many visitors each (rule, person) has. The two appliers that write a territory rule (a
# walk-in's check-in, a lead) add to it in the same transaction (`appliers.count_rotation`)
# and a replay's resets empty it (`appliers.RESETS`). Not triggers on `leads` and
# `checkins`: measured, a row trigger there cost ~0.75 s of CPU per merge of 100,000 events
# even when its WHEN was false for every row, and would end DELETE's quick truncation of
# the tables in a rebuild.


@_migration
def m015_rotation_tally(db: sqlite_utils.Database) -> None:
    # See the note above. Filled from the rows already there; from then on the appliers
    # keep both tables equal to the GROUP BY they replace (tests/core/test_rotation_tally.py).
    db.executescript(
        """
        CREATE TABLE rotation_visitors (
            territory_rule_id INTEGER NOT NULL,
            owner_id TEXT NOT NULL,
            contact_id TEXT NOT NULL,
            rows INTEGER NOT NULL,                 -- leads and check-ins naming this triple
            PRIMARY KEY (territory_rule_id, owner_id, contact_id)
        ) WITHOUT ROWID;
        CREATE TABLE rotation_tally (
            territory_rule_id INTEGER NOT NULL,
            owner_id TEXT NOT NULL,
            visitors INTEGER NOT NULL,
            PRIMARY KEY (territory_rule_id, owner_id)
        ) WITHOUT ROWID;
        CREATE TRIGGER rotation_visitors_ai AFTER INSERT ON rotation_visitors BEGIN
            INSERT INTO rotation_tally(territory_rule_id, owner_id, visitors)
            VALUES (new.territory_rule_id, new.owner_id, 1)
            ON CONFLICT DO UPDATE SET visitors = visitors + 1;
        END;
        CREATE TRIGGER rotation_visitors_ad AFTER DELETE ON rotation_visitors BEGIN
            UPDATE rotation_tally SET visitors = visitors - 1
            WHERE territory_rule_id = old.territory_rule_id AND owner_id = old.owner_id;
            DELETE FROM rotation_tally
            WHERE territory_rule_id = old.territory_rule_id AND owner_id = old.owner_id
            AND visitors = 0;
        END;
        INSERT INTO rotation_visitors(territory_rule_id, owner_id, contact_id, rows)
        SELECT territory_rule_id, owner_id, contact_id, count(*) FROM (
            SELECT territory_rule_id, owner_id, contact_id FROM leads
            WHERE territory_rule_id IS NOT NULL AND owner_id IS NOT NULL
            UNION ALL SELECT territory_rule_id, owner_id, contact_id FROM checkins
            WHERE territory_rule_id IS NOT NULL AND owner_id IS NOT NULL
        ) WHERE true GROUP BY territory_rule_id, owner_id, contact_id;
        """
    )


@_migration
def m016_search_index_merges_off_the_scan_path(db: sqlite_utils.Database) -> None:
    # A walk-in's insert must never merge the big segment of a bulk-built index
    # (`serving_merges`); the booth's quiet moments merge instead (`tidy_fts`).
    if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'contacts_fts'").fetchone():
        serving_merges(db.conn)


@_migration
def m017_undone_decisions(db: sqlite_utils.Database) -> None:
    # A manager's decision can be undone (`dispute.undone`, `kiosk.disputes.undo`). Each
    # decision keeps the holding it replaced (`held_before`: JSON [owner, assistant, split,
    # preferred], what the contact row said when it was applied; NULL for decisions applied
    # before this migration, until the next replay), so an undo restores exactly that. An
    # undone decision leaves `arrangements` (nothing reads it as standing any more) for
    # `undone_decisions`: its columns word for word, then who undid it, when and why — the
    # history's "decided … then undone by …".
    db.executescript(
        """
        ALTER TABLE arrangements ADD COLUMN held_before TEXT;
        CREATE TABLE undone_decisions (
            id TEXT PRIMARY KEY,                   -- the `dispute.decided` event uuid
            proposal_id TEXT NOT NULL,
            kind TEXT NOT NULL DEFAULT '',
            contact_id TEXT,
            outcome TEXT NOT NULL,
            side_a TEXT,
            side_b TEXT,
            owner_id TEXT,
            assistant_id TEXT,
            split REAL,
            customer_chose TEXT,
            defer_until TEXT,
            review_at TEXT,
            review_status TEXT NOT NULL DEFAULT 'none',
            decided_at TEXT NOT NULL,
            decided_by TEXT NOT NULL DEFAULT '',
            note TEXT NOT NULL DEFAULT '',
            held_before TEXT,
            undo_id TEXT NOT NULL,                 -- the `dispute.undone` event uuid
            undone_at TEXT NOT NULL,
            undone_by TEXT NOT NULL DEFAULT '',
            undo_reason TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX undone_decisions_proposal ON undone_decisions(proposal_id);
        """
    )


@_migration
def m018_install_identity(db: sqlite_utils.Database) -> None:
    # Two laptops may call themselves the same kiosk (a copied show file, a plain `kiosk
    # init`: both kiosk-1). Each database gets a random install id, and `kiosk_installs`
    # lists the installs known to write events under each kiosk id (`kiosk.installs`). A
    # database migrated here notes its own pair on its next write: which of the events it
    # holds are its own, and which it merged, its log cannot tell.
    db.executescript(
        """
        INSERT OR IGNORE INTO meta(key, value) VALUES ('install_id', lower(hex(randomblob(16))));
        CREATE TABLE kiosk_installs (
            kiosk_id TEXT NOT NULL,
            install_id TEXT NOT NULL,
            PRIMARY KEY (kiosk_id, install_id)
        ) WITHOUT ROWID;
        """
    )


@_migration
def m019_contact_keys(db: sqlite_utils.Database) -> None:
    # A CRM cell with two addresses or two numbers (`kiosk.sync.cell_lists`): the first is
    # the contact's e-mail or phone, the others find the contact too. Keyed by the
    # normalised address or the E.164 number (one table: an address has an '@', a number
    # starts with '+'); a key may belong to several contacts (a shared office line), so
    # both columns are the key. Asked only when the contacts' own indexes know nobody
    # (`kiosk.lookup._rows`): the ordinary scan costs nothing more.
    db.executescript(
        """
        CREATE TABLE IF NOT EXISTS contact_keys (
            key TEXT NOT NULL,
            contact_id TEXT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
            PRIMARY KEY (key, contact_id)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS contact_keys_contact ON contact_keys(contact_id);
        """
    )


# The schema's version: how many migrations it has had. `connect` takes a database that
# says it is at this version for current, without asking sqlite-utils which migrations
# it has had; one that says otherwise (older kiosks wrote 12 for any schema) is checked
# and migrated, then marked at this version.
SCHEMA_VERSION = len(MIGRATIONS)
