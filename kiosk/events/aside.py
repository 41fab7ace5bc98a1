"""The log replayed aside, and the booth tables brought to its result by a diff in slices.

After a CRM import the booth state is the log replayed on top of the new CRM data. Done in
the database (`kiosk.events.rebuild`: reset, then every event) that is one transaction
holding the write lock as long as the whole log takes to apply: 0.19–0.41 s for the ~2,500
events of the torture's million-row import, seconds for a show day's tens of thousands,
while every kiosk's check-in waits (issue 12 §5).

`replay_aside` replays the log in a private in-memory database instead (`_Replica`),
without any lock on the booth's file, and then writes only what differs, in the short
committed slices of `kiosk.bulk.Slices`: usually nothing or a few rows.

The replica holds what the appliers can read: the schema, the small tables (salespeople,
territories, meta), the log, and of the CRM contacts only those an event can reach — by
id, e-mail or badge id, which come from the events' payloads (every string in them is a
key) — with their badges. Booth contacts are the replay's own. Every other lookup an
applier makes goes through what the replay itself wrote. While it replays, the booth's
file is detached from the replica, so a table it lacks fails the replay (and the database
is rebuilt the old way) rather than being read from the file.

The diff is read in one read transaction together with the log's newest rowid; each slice
first checks, inside its write lock, that the log has not grown since. Booth tables change
only through events (appended to the log), so an unchanged log means the diff still
holds. A grown log (a kiosk checked someone in meanwhile) means another pass: the new
events are applied to the replica too (or, when one sorts before the replica's last, the
replica is replayed again) and the diff read again — what earlier slices wrote is then
part of what it is compared with. A pass never holds the lock longer than a slice.

Where the result cannot be written as such a diff, `events.rebuild` does it as before (one
transaction): an in-memory database, an applier that fails, a booth contact the replay
makes before one it keeps (their order decides which of two same-named visitors a later
lead finds), or a log that grows during every one of `PASSES` passes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import sqlite_utils

from kiosk import bulk, events
from kiosk.db import BOOTH_DECIDED, last_rowid, transaction
from kiosk.events.log import COLUMNS, event_from_row
from kiosk.text import normalize_email

PASSES = 12  # passes at most before the log's growth makes it a rebuild in one transaction

# The tables the replay writes, diffed as (table, key columns, columns compared or None for
# all, filter with {s} for the side's schema or None), children before parents.
_CHILDREN: tuple[tuple[str, tuple[str, ...], tuple[str, ...] | None, str | None], ...] = (
    ("proposals", ("id",), None, None),
    ("leads", ("id",), None, None),
    ("checkins", ("id",), None, None),
    ("contact_aliases", ("alias",), None, None),
    ("invitations", ("id",), None, None),
    ("dispute_notes", ("id",), None, None),
    ("arrangements", ("id",), None, None),
    ("undone_decisions", ("id",), None, None),
    # rotation_tally follows rotation_visitors through the database's own triggers
    ("rotation_visitors", ("territory_rule_id", "owner_id", "contact_id"), None, None),
    ("contact_badges", ("badge_id",), None,
     "{a}.contact_id IN (SELECT id FROM {s}.contacts WHERE source = 'booth')"),
)  # fmt: skip
_PARENTS: tuple[tuple[str, tuple[str, ...], tuple[str, ...] | None, str | None], ...] = (
    ("salespeople", ("id",), ("id", "away"), None),
    ("meta", ("key",), None, "{a}.key = 'badges.learned_fields'"),
    ("contacts", ("id",), None, "{a}.source = 'booth'"),
)
_DECIDED = ("owner_id", "assistant_id", "split", "preferred_id")
# copied whole into the replica; the booth tables start empty (the replay's reset empties
# them anyway); contacts and their badges in part; the rest (outbox, PINs, quarantine …)
# no applier reads
_WHOLE = ("salespeople", "territories", "meta")


@dataclass
class AsideReport:
    """What `replay_aside` did: events replayed, passes, the rows and slices it wrote, and
    why it fell back to a rebuild in one transaction (None: it did not)."""

    replayed: int = 0
    passes: int = 0
    rows: int = 0
    slices: int = 0
    longest: float = 0.0
    fallback: str | None = None
    diffs: list[int] = field(default_factory=list)  # rows of each pass's diff


class _Fallback(Exception):
    """The result cannot be written as a diff: rebuild in one transaction."""


class _Moved(Exception):
    """The log grew since the diff was read."""


class _Stale(Exception):
    """What the replica copied of the CRM data (contacts, badges, salespeople …) changed."""


Op = tuple[str, list[tuple[Any, ...]]]


def replay_aside(
    db: sqlite_utils.Database,
    *,
    slices: bulk.Slices | None = None,
    passes: int = PASSES,
    between: Callable[[str], None] | None = None,
) -> AsideReport:
    """Bring the booth tables to the log's replay on the current CRM data (what
    `events.rebuild` makes) without holding the write lock longer than a slice; see the
    module doc. Call it outside a transaction. `between(step)` is called at each step
    ('replayed', 'diffed', 'slice'), for tests that write meanwhile."""
    report = AsideReport()
    conn = db.conn
    path = _main_file(conn)
    if conn.in_transaction or not path:
        return _rebuild(db, report, "in a transaction" if path else "an in-memory database")
    own = slices is None
    # the first slice at the fewest rows: a booth contact's row costs its search index's
    # triggers too (~0.5 ms at a million contacts), a thousand of them half a second
    slices = slices or bulk.Slices(conn, rows=bulk.MIN_ROWS)
    replica = _Replica(path)
    try:
        while report.passes < passes:
            report.passes += 1
            try:
                report.replayed = replica.bring_up_to_date()
                if between:
                    between("replayed")
                top, ops = replica.diff()
                report.diffs.append(sum(len(rows) for _sql, rows in ops))
                if between:
                    between("diffed")
                _write(conn, ops, top, slices, report, between)
            except _Moved:
                continue
            except _Stale:  # the CRM data changed under the replica: a new one
                replica.close()
                replica = _Replica(path)
                continue
            return report
        raise _Fallback(f"the log grew during each of {passes} passes")
    except _Fallback as why:
        return _rebuild(db, report, str(why))
    except sqlite3.Error as exc:  # an applier that fails, a table the replica lacks
        return _rebuild(db, report, f"{type(exc).__name__}: {exc}")
    finally:
        replica.close()
        report.slices, report.longest = slices.count, slices.longest
        if own:
            slices.close()


def _rebuild(db: sqlite_utils.Database, report: AsideReport, why: str) -> AsideReport:
    report.fallback = why
    report.replayed = events.rebuild(db)
    return report


def _main_file(conn: sqlite3.Connection) -> str:
    for _seq, name, file in conn.execute("PRAGMA database_list"):
        if name == "main":
            return str(file or "")
    return ""


def _top(conn: sqlite3.Connection, schema: str = "main") -> int:
    return last_rowid(conn, f"{schema}.events")


def _write(
    conn: sqlite3.Connection,
    ops: list[Op],
    top: int,
    slices: bulk.Slices,
    report: AsideReport,
    between: Callable[[str], None] | None,
) -> None:
    """Write `ops` in order, in slices of `slices.rows` rows; each slice first checks that
    the log's newest rowid is still `top` (else `_Moved`)."""
    queue = [(sql, rows) for sql, rows in ops if rows]
    while queue:
        budget = max(1, slices.rows)
        chunk: list[Op] = []
        taken = 0
        while queue and taken < budget:
            sql, rows = queue[0]
            part = rows[: budget - taken]
            chunk.append((sql, part))
            taken += len(part)
            if len(part) == len(rows):
                queue.pop(0)
            else:
                queue[0] = (sql, rows[len(part) :])
        with slices.write(taken):
            if _top(conn) != top:
                raise _Moved
            for sql, rows in chunk:
                conn.executemany(sql, rows)
        report.rows += taken
        if between:
            between("slice")


class _Replica:
    """The private in-memory database the log is replayed in (see the module doc)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.conn = sqlite3.connect(
            "file::memory:", uri=True, isolation_level=None, check_same_thread=False
        )
        self.conn.execute("PRAGMA foreign_keys = ON")
        self.db = sqlite_utils.Database(self.conn, execute_plugins=False)
        self.loaded = False
        self.upto = 0  # the log's rowids up to this are in the replica and applied
        self.last: tuple[str, str] | None = None  # the order key of the last event applied
        self.count = 0
        self.columns: dict[str, list[str]] = {}

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def _source(self) -> Iterator[None]:
        """The booth's file attached as `src`, read-only, in one read transaction."""
        self.conn.execute("ATTACH DATABASE ? AS src", [_uri(self.path)])
        try:
            self.conn.execute("BEGIN")
            try:
                yield
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")
        finally:
            self.conn.execute("DETACH DATABASE src")

    def bring_up_to_date(self) -> int:
        """Load the replica (the first time) or add the events logged since, and apply
        them: the replica is then the log's replay up to `upto`, the file's newest event
        when it was read. Returns how many events the replay holds. The file is detached
        while events are applied."""
        with self._source():
            if not self.loaded:
                self._create()
            top = _top(self.conn, "src")
            fresh = top > self.upto
            if fresh or not self.loaded:
                self._copy_contacts(self._copy_events(top))
        if not self.loaded:
            self.count = events.rebuild(self.db)
            self.loaded = True
        elif fresh:
            rows = self.conn.execute(
                f"SELECT {COLUMNS} FROM main.events WHERE rowid > ? ORDER BY ts_utc, uuid",
                [self.upto],
            ).fetchall()
            if self.last is not None and (rows[0][3], rows[0][0]) < self.last:
                self.count = events.rebuild(self.db)  # one sorts earlier: replay them all
            else:  # all after the replay's last: applied on top, as `events.record` does
                with transaction(self.db):
                    self.count += events.apply_many(self.db, map(event_from_row, rows))
        self.upto = top
        row = self.conn.execute(
            "SELECT ts_utc, uuid FROM main.events ORDER BY ts_utc DESC, uuid DESC LIMIT 1"
        ).fetchone()
        self.last = (row[0], row[1]) if row else None
        return self.count

    def _create(self) -> None:
        """The file's schema (tables, indexes, triggers) but not its search index: no
        virtual tables, their shadow tables or the triggers that feed them."""
        left_out = {
            name
            for _schema, name, kind, *_ in self.conn.execute("PRAGMA src.table_list")
            if kind in ("virtual", "shadow")
        }
        rows = self.conn.execute(
            "SELECT type, name, tbl_name, sql FROM src.sqlite_master"
            " WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY rowid"
        ).fetchall()
        for kind, name, table, sql in rows:
            if name in left_out or table in left_out:
                continue
            if kind == "trigger" and any(v in sql for v in left_out):
                continue
            self.conn.execute(sql)
        self.conn.execute("CREATE TEMP TABLE aside_keys (k TEXT PRIMARY KEY) WITHOUT ROWID")
        self.conn.execute("CREATE TEMP TABLE aside_new (id TEXT PRIMARY KEY) WITHOUT ROWID")

    def _columns(self, table: str) -> list[str]:
        if table not in self.columns:
            self.columns[table] = [
                r[1] for r in self.conn.execute(f"PRAGMA main.table_info({table})")
            ]
        return self.columns[table]

    def _copy_events(self, top: int) -> list[str]:
        """The log's rows up to `top` the replica lacks (and, the first time, the small
        tables); returns the strings in their payloads."""
        if not self.loaded:
            for table in _WHOLE:
                cols = ", ".join(self._columns(table))
                self.conn.execute(
                    f"INSERT INTO main.{table}({cols}) SELECT {cols} FROM src.{table}"
                )
        self.conn.execute(
            f"INSERT INTO main.events(rowid, {COLUMNS}) SELECT rowid, {COLUMNS} FROM src.events"
            " WHERE rowid > ? AND rowid <= ?",
            [self.upto, top],
        )
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT DISTINCT j.atom FROM main.events AS e, json_tree(e.payload) AS j"
                " WHERE e.rowid > ? AND j.type = 'text'",
                [self.upto],
            )
        ]

    def _copy_contacts(self, strings: list[str]) -> None:
        """The CRM contacts these strings reach (as an id, an e-mail or a badge id) and all
        their badges; a contact added after the replay began is as the reset leaves it
        (no earlier event reached it)."""
        c = self.conn
        keys = set(strings)
        keys.update(s.strip() for s in strings)
        keys.update(normalize_email(s) for s in strings)
        keys.discard("")
        c.executemany("INSERT OR IGNORE INTO temp.aside_keys(k) VALUES (?)", [(k,) for k in keys])
        c.execute("DELETE FROM temp.aside_new")
        c.execute(
            "INSERT INTO temp.aside_new(id) SELECT id FROM src.contacts"
            f" WHERE rowid IN ({_REACHED}) AND id NOT IN (SELECT id FROM main.contacts)"
        )
        listed = ", ".join(self._columns("contacts"))
        c.execute(
            f"INSERT INTO main.contacts(rowid, {listed}) SELECT rowid, {listed} FROM src.contacts"
            " WHERE id IN (SELECT id FROM temp.aside_new) ORDER BY rowid"
        )
        if self.loaded:
            c.execute(
                f"UPDATE main.contacts SET {_RESET_DECIDED}"
                " WHERE id IN (SELECT id FROM temp.aside_new)"
            )
        c.execute(
            "INSERT INTO main.contact_badges(badge_id, contact_id)"
            " SELECT badge_id, contact_id FROM src.contact_badges"
            " WHERE contact_id IN (SELECT id FROM temp.aside_new)"
        )

    def diff(self) -> tuple[int, list[Op]]:
        """The writes that make the file's booth tables the replica's, read in one read
        transaction with the log's newest rowid then: deletes of children, parents
        written, children written, parents deleted (foreign keys hold after each)."""
        with self._source():
            top = _top(self.conn, "src")
            if top != self.upto:
                raise _Moved
            self._check_stale()
            self._check_order()
            children = [self._table(*spec) for spec in _CHILDREN]
            parents = [self._table(*spec) for spec in _PARENTS]
            ops = [op for dels, _ups in children for op in dels]
            ops += [op for _dels, ups in parents for op in ups]
            ops += self._decided()
            ops += [op for _dels, ups in children for op in ups]
            ops += [op for dels, _ups in parents for op in dels]
        return top, ops

    def _check_stale(self) -> None:
        """`_Stale` when what the replica copied from the file changed since: its CRM
        contacts (but the owners the replay decides) and their badges, a CRM contact the
        log's strings reach that it lacks, salespeople (but `away`), territories."""
        c = self.conn
        crm = [col for col in self._columns("contacts") if col not in _DECIDED]
        same = " AND ".join(f"m.{col} IS r.{col}" for col in crm)
        checks = (
            "SELECT 1 FROM main.contacts AS r WHERE r.source = 'crm' AND NOT EXISTS"
            f" (SELECT 1 FROM src.contacts AS m WHERE m.id = r.id AND {same})",
            f"SELECT 1 FROM src.contacts WHERE rowid IN ({_REACHED})"
            " AND id NOT IN (SELECT id FROM main.contacts)",
            "SELECT 1 FROM main.contacts AS r JOIN src.contact_badges AS m ON m.contact_id = r.id"
            " WHERE r.source = 'crm' AND NOT EXISTS (SELECT 1 FROM main.contact_badges AS b"
            " WHERE b.badge_id = m.badge_id AND b.contact_id = m.contact_id)",
            "SELECT 1 FROM main.contacts AS r JOIN main.contact_badges AS b ON b.contact_id = r.id"
            " WHERE r.source = 'crm' AND NOT EXISTS (SELECT 1 FROM src.contact_badges AS m"
            " WHERE m.badge_id = b.badge_id AND m.contact_id = b.contact_id)",
            _differ("salespeople", [x for x in self._columns("salespeople") if x != "away"]),
            _differ("territories", self._columns("territories")),
        )
        for sql in checks:
            if c.execute(sql).fetchone():
                raise _Stale

    def _check_order(self) -> None:
        """The booth contacts the file keeps must come first in the replica, in the file's
        order: rowid order decides which of two same-named visitors a lead finds."""
        kept = [
            r[0]
            for r in self.conn.execute(
                "SELECT id FROM src.contacts WHERE source = 'booth'"
                " AND id IN (SELECT id FROM main.contacts WHERE source = 'booth') ORDER BY rowid"
            )
        ]
        mine = [
            r[0]
            for r in self.conn.execute(
                "SELECT id FROM main.contacts WHERE source = 'booth' ORDER BY rowid LIMIT ?",
                [len(kept)],
            )
        ]
        if mine != kept:
            raise _Fallback("the replay makes a booth contact before one the database keeps")

    def _table(
        self, table: str, key: tuple[str, ...], cols: tuple[str, ...] | None, where: str | None
    ) -> tuple[list[Op], list[Op]]:
        """One table's (deletes, inserts and updates), its rows filtered by `where`."""
        columns = list(cols or self._columns(table))
        rest = [col for col in columns if col not in key]
        on = " AND ".join(f"m.{k} = r.{k}" for k in key)
        same = " AND ".join(f"m.{col} IS r.{col}" for col in rest) or "1"
        mine = where.format(a="r", s="main") if where else "1"
        theirs = where.format(a="m", s="src") if where else "1"
        order = ", ".join(f"r.{k}" for k in key) if table in _WITHOUT_ROWID else "r.rowid"
        listed = ", ".join(f"r.{col}" for col in columns)
        changed = self.conn.execute(
            f"SELECT EXISTS (SELECT 1 FROM src.{table} AS m WHERE {on}), {listed}"
            f" FROM main.{table} AS r WHERE {mine}"
            f" AND NOT EXISTS (SELECT 1 FROM src.{table} AS m WHERE {on} AND {same} AND {theirs})"
            f" ORDER BY {order}"
        ).fetchall()
        gone = self.conn.execute(
            f"SELECT {', '.join(f'm.{k}' for k in key)} FROM src.{table} AS m WHERE {theirs}"
            f" AND NOT EXISTS (SELECT 1 FROM main.{table} AS r WHERE {on} AND {mine})"
        ).fetchall()
        match = " AND ".join(f"{k} = ?" for k in key)
        dels: list[Op] = [(f"DELETE FROM main.{table} WHERE {match}", gone)] if gone else []
        inserts = [tuple(r[1:]) for r in changed if not r[0]]
        updates = [
            tuple(r[1 + columns.index(col)] for col in (*rest, *key)) for r in changed if r[0]
        ]
        ups: list[Op] = []
        if inserts:
            marks = ", ".join("?" * len(columns))
            ups.append(
                (f"INSERT INTO main.{table}({', '.join(columns)}) VALUES ({marks})", inserts)
            )
        if updates:
            set_ = ", ".join(f"{col} = ?" for col in rest)
            ups.append((f"UPDATE main.{table} SET {set_} WHERE {match}", updates))
        return dels, ups

    def _decided(self) -> list[Op]:
        """CRM contacts whose owners differ: to the replica's, or for a contact it lacks (no
        event reaches it) to the CRM's."""
        listed = ", ".join(f"r.{col}" for col in _DECIDED)
        differ = " OR ".join(f"m.{col} IS NOT r.{col}" for col in _DECIDED)
        mine = self.conn.execute(
            f"SELECT {listed}, r.id FROM main.contacts AS r JOIN src.contacts AS m ON m.id = r.id"
            f" WHERE r.source = 'crm' AND ({differ})"
        ).fetchall()
        reset = self.conn.execute(
            f"SELECT {', '.join(f'crm_{col}' for col in _DECIDED)}, id FROM src.contacts"
            f" WHERE ({BOOTH_DECIDED}) AND source = 'crm'"
            " AND id NOT IN (SELECT id FROM main.contacts)"
        ).fetchall()
        rows = [tuple(r) for r in mine] + [tuple(r) for r in reset]
        set_ = ", ".join(f"{col} = ?" for col in _DECIDED)
        return [(f"UPDATE main.contacts SET {set_} WHERE id = ?", rows)] if rows else []


# The rowids of the file's CRM contacts the replica's keys (`temp.aside_keys`) reach, each
# way through its own index.
_REACHED = (
    "SELECT rowid FROM src.contacts WHERE id IN (SELECT k FROM temp.aside_keys)"
    " AND source = 'crm'"
    " UNION SELECT rowid FROM src.contacts WHERE email_norm IN (SELECT k FROM temp.aside_keys)"
    " AND email_norm <> '' AND source = 'crm'"
    " UNION SELECT c.rowid FROM src.contact_badges AS b JOIN src.contacts AS c"
    " ON c.id = b.contact_id WHERE b.badge_id IN (SELECT k FROM temp.aside_keys)"
    " AND c.source = 'crm'"
)
_RESET_DECIDED = (
    "owner_id = crm_owner_id, assistant_id = crm_assistant_id, split = crm_split,"
    " preferred_id = crm_preferred_id"
)
_WITHOUT_ROWID = frozenset({"rotation_visitors"})


def _differ(table: str, columns: list[str]) -> str:
    """SQL with a row when `table`'s `columns` differ between the replica and the file."""
    cols = ", ".join(columns)
    mine, theirs = f"SELECT {cols} FROM main.{table}", f"SELECT {cols} FROM src.{table}"
    return f"SELECT 1 WHERE EXISTS ({mine} EXCEPT {theirs}) OR EXISTS ({theirs} EXCEPT {mine})"


def _uri(path: str) -> str:
    """The file as a read-only SQLite URI."""
    return f"file:{quote(path)}?mode=ro"
