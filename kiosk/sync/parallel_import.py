"""The second core for a big first import: the back half of the file, read in a child process.

A million-row CRM file costs tens of µs of Python per row (reading, converting, preparing
the row: ~39 µs before `kiosk.sync.new_rows`, ~25 after); one core makes that half a minute
before SQLite writes anything. For a big UTF-8 file going
into an empty contacts table, `start` hands the back half of the file (from a line break
chosen outside quotes) to a child process, which reads, converts and prepares those rows
exactly as `import_contacts` would and writes them to a scratch SQLite file, while this
process imports the front half as usual. `copy_in` then copies the child's rows in with
`INSERT … SELECT`, in file order, one short transaction per slice, as the child commits
them (the scratch file is in WAL mode: the parent reads while the child writes).

The child cannot see the front half, so it only takes rows that are certainly new
contacts (a CRM id, and no key seen before in its half); the rest are kept as their cells
and go through the ordinary path afterwards, as are its rows whose CRM id, contact id or
e-mail turns out to be in the front half. The split point is checked: if a record of the
front half runs past it (a quoted line break where the split guessed none), the front
half simply goes on reading and the child's work is dropped. Any failure in the child
does the same, keeping the rows already copied (`ChildFailed`): the import never
depends on it.
"""

from __future__ import annotations

import csv
import gc
import json
import os
import pickle
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.bulk import Slices, nap
from kiosk.contact_rows import (
    COLUMNS,
    CRM_COPIES,
    ContactRowError,
    absent_value,
    contact_values,
    picker,
    sql_literal,
    varying_columns,
)
from kiosk.db import last_rowid
from kiosk.sync.badge_lines import BadgeLines
from kiosk.sync.contact_fields import Converter
from kiosk.sync.footer import footer_block, starts_footer
from kiosk.sync.formats import Binding
from kiosk.sync.keys import Seen, record_keys
from kiosk.sync.new_rows import NewRows
from kiosk.sync.rowhash import hasher
from kiosk.sync.rows import People, Progress, RowError, extractor
from kiosk.sync.runaway import suspect

_POLL = 0.02  # seconds between looks for rows the child has committed
PARALLEL_BYTES = 8 << 20  # from about 50,000 rows, a child pays for its ~0.3 s start-up
# Of the file's bytes the child reads (the back part). More than half: the parent also
# writes every row it prepares, and copies the child's rows (`copy_in`) as they come.
# Measured at a million rows (2026-12-04): the parent's front half ~25 µs a row, the
# child's ~21, copying ~6.6 µs a row; 0.62 had both done at about the same time. The
# child binding fewer columns (2026-12-05), the parent still copied for ~0.9 s after the
# child had ended; at 0.645 it has caught up by then. Three alternating pairs: lookups
# ready 14.57 → 14.14 s, the search index 21.1 → 21.9 s (its build starts when the child
# ends, on the rows copied by then, and has the rest as a second stage; ready is what the
# booth waits for).
_SHARE = 0.645
_COLS = ", ".join(COLUMNS)
# The badges of the child's rows copied in one slice (lines `?1` < line <= `?2`), read
# through the scratch file's index on the line (`_child`), in file order.
SLICE_BADGES = (
    "INSERT OR REPLACE INTO main.contact_badges(badge_id, contact_id)"
    " SELECT badge_id, contact_id FROM half.badges"
    " WHERE line > ? AND line <= ?"
    " AND line NOT IN (SELECT line FROM temp.half_taken) ORDER BY line, rowid"
)


@dataclass
class Half:
    """The child's half of a file: where it starts, and its result when joined."""

    path: Path  # the CSV
    begin: int  # byte offset of the child's first line
    first_line: int  # its physical line number
    scratch: Path
    size: int = 0  # the file's, for the progress bar
    process: Any = None
    result: dict[str, Any] = field(default_factory=dict)
    tmpdir: Any = None
    error: str = ""  # the child's last words, when it failed
    reader: sqlite3.Connection | None = None  # for `progress_of`
    copied: int = 0  # bytes of the back half whose rows `copy_in` has copied
    dropped: bool = False

    @property
    def stderr(self) -> Path:
        """Where the child's last words go (`start`) and are read (`join`)."""
        return self.scratch.parent / "stderr.txt"


def _is_split_safe(path: Path, info: Any) -> bool:
    enc = (info.encoding or "").lower().replace("_", "-")
    return (
        enc in ("utf-8", "utf-8-sig", "ascii")
        and not info.mixed
        and info.size >= PARALLEL_BYTES
        and (os.cpu_count() or 1) >= 2
    )


def _split_point(path: Path, size: int) -> tuple[int, int] | None:
    """(byte offset, physical line number) of a line start near the middle that is
    outside quotes, counting quote characters from the top (an even count: outside)."""
    target = int(size * (1 - _SHARE))
    with open(path, "rb") as fh:
        head = fh.read(target)
        if b"\r" in head[:65536].replace(b"\r\n", b""):
            return None  # old Mac line ends: lines are not split at b'\n'
        quotes = head.count(b'"')
        lines = head.count(b"\n")
        pos = target
        while True:
            chunk = fh.read(1 << 16)
            if not chunk:
                return None
            start = 0
            while (nl := chunk.find(b"\n", start)) >= 0:
                quotes += chunk.count(b'"', start, nl)
                lines += 1
                if quotes % 2 == 0 and nl + 1 < len(chunk):
                    return pos + nl + 1, lines + 1
                start = nl + 1
            quotes += chunk.count(b'"', start)
            pos += len(chunk)


def start(
    path: Path, info: Any, binding: Binding, people: People, date_order: str, ctx: bytes
) -> Half | None:
    """Start the child on the back half of the file, or None when this file is not one
    to split (small, not UTF-8, one core)."""
    if not _is_split_safe(path, info) or binding.repeated:
        # (a header that repeats a column: its differing values are noted row by row,
        # `kiosk.sync.rows.checked_rows`, in one process: such files are rare)
        return None
    split = _split_point(path, info.size)
    if split is None:
        return None
    tmpdir = tempfile.TemporaryDirectory(prefix="kiosk-import-")
    half = Half(path, split[0], split[1], Path(tmpdir.name) / "half.db", info.size,
                tmpdir=tmpdir)  # fmt: skip
    _create_scratch(half.scratch, _varying(Converter(people, date_order, list(binding.fields))))
    args = (str(path), half.begin, half.first_line, info.delimiter, binding, people,
            date_order, str(half.scratch), ctx)  # fmt: skip
    job = Path(tmpdir.name) / "job.pickle"
    job.write_bytes(pickle.dumps(args))
    # A fresh interpreter (not fork: this process holds SQLite handles; not
    # multiprocessing's spawn: it re-runs the caller's main module).
    # Its last words to a file, not a pipe: `copy_in` polls it while it runs, and a full
    # pipe nobody reads would stop it.
    with open(half.stderr, "wb") as err:
        half.process = subprocess.Popen(
            [sys.executable, "-m", "kiosk.sync.parallel_import", str(job)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
        )  # fmt: skip
    return half


def join(half: Half) -> bool:
    """Wait for the child; True when its scratch file is complete."""
    half.process.wait()
    err = half.stderr.read_bytes()[-4000:]
    half.error = err.decode("utf-8", "replace")[-2000:]
    ok = half.process.returncode == 0 and half.scratch.exists()
    if ok:
        with sqlite3.connect(half.scratch) as conn:
            row = conn.execute("SELECT value FROM info WHERE key = 'done'").fetchone()
            ok = row is not None
    return ok


def progress_of(half: Half, done: int) -> int:
    """How far a split import has come, in bytes of the file, for its progress bar: `done`
    (the bytes this process has read) plus the child's reading and the copy of its rows
    (`Half.copied`: bytes of the back half whose rows are in), the file's size when all
    is done. Reading the back half and copying its rows each count for half of it.
    Nothing of the child once its work is dropped."""
    if half.dropped:
        return done
    back = half.size - half.begin
    try:
        if half.reader is None:
            half.reader = sqlite3.connect(half.scratch, isolation_level=None)
        row = half.reader.execute("SELECT max(pos) FROM flushed").fetchone()
    except sqlite3.Error:  # a progress bar never stops an import
        return done
    read = max(int(row[0]) - half.begin, 0) if row and row[0] is not None else 0
    work = done + read + half.copied
    return work * half.size // (half.size + back) if back > 0 else done


def drop(half: Half) -> None:
    """Discard the child's work (it is stopped if still running)."""
    half.dropped = True
    if half.reader is not None:
        half.reader.close()
        half.reader = None
    if half.process is not None and half.process.poll() is None:
        half.process.kill()
        half.process.communicate()
    half.tmpdir.cleanup()


# ---------------------------------------------------------------- the child


def _varying(convert: Converter) -> tuple[str, ...]:
    """The columns this file's fields can set, the only ones the child stores (`copy_in`
    fills in the others) — less those a child's row holds as a copy of another or as a
    constant (`_COPIES`, the source), which `copy_in` makes again: binding a parameter costs ~0.35 µs,
    and these were four of a CRM export's nineteen."""
    fields = convert.keys()
    derived = {c for c in (*_COPIES, "source") if c not in fields}
    return tuple(
        c for c in varying_columns(("id", "crm_id", "source", *fields)) if c not in derived
    )


# column → the column a child's row holds the same value in, unless the file has a field of
# its own for it: the child keeps only rows with a CRM id, which is their contact id
# (`_child`), and a CRM value with no field of its own is the value itself. (Its source,
# 'crm', is the column's absent value.)
_COPIES: dict[str, str] = {"id": "crm_id", **CRM_COPIES}


def _select(have: set[str]) -> str:
    """The SELECT list of the child's columns `have` as a row of `COLUMNS`: a copy from the
    column it copies (when stored), any other from `absent_value`."""

    def column(c: str) -> str:
        if c in have:
            return c
        if _COPIES.get(c) in have:
            return _COPIES[c]
        return sql_literal(absent_value(c))

    return ", ".join(column(c) for c in COLUMNS)


def _create_scratch(scratch: Path, varying: tuple[str, ...]) -> None:
    """The scratch file, made by the parent before the child starts, so `copy_in` may
    attach it at any time (attaching a file not there yet would make an empty one).

    In WAL mode: the parent copies the rows the child has committed while it writes
    more. `copy_in` reads the badges slice by slice, by line: without the index on the
    line each slice scanned all of them (~330,000 at a million rows; `copy_in` took
    7.4-7.6 s of the parent's CPU, 4.7 s with it, a loaded machine, 2026-12-04)."""
    conn = sqlite3.connect(scratch, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.executescript(
            f"""
            BEGIN;
            CREATE TABLE info (key TEXT PRIMARY KEY, value);
            CREATE TABLE new (line INTEGER, key_email TEXT, {", ".join(varying)},
                              crm_row INTEGER);
            CREATE TABLE later (line INTEGER, cells TEXT);  -- for the ordinary path, as read
            CREATE TABLE rejects (line INTEGER, cells TEXT, reason TEXT);
            CREATE TABLE badges (line INTEGER, badge_id TEXT, contact_id TEXT);
            CREATE INDEX badges_line ON badges(line);
            -- at each commit: the last row of `new`, and the byte offset read up to
            CREATE TABLE flushed (top INTEGER PRIMARY KEY, pos INTEGER);
            COMMIT;
            """
        )
    finally:
        conn.close()


class _Lines:
    """The file's text from `begin`, line by line (split at b'\\n', as the reader does);
    `pos` is the byte offset read up to (the child notes it for the progress bar)."""

    def __init__(self, path: str, begin: int) -> None:
        self.path, self.pos = path, begin

    def __iter__(self) -> Iterator[str]:
        with open(self.path, "rb") as fh:
            fh.seek(self.pos)
            for raw in fh:
                self.pos += len(raw)
                yield raw.decode("utf-8", "replace")


def _child(
    path: str,
    begin: int,
    first_line: int,
    delimiter: str,
    binding: Binding,
    people: People,
    date_order: str,
    scratch: str,
    ctx: bytes,
) -> None:
    """Read, convert and prepare the back half; write it to the scratch database."""
    gc.set_threshold(50_000)  # rows make no cycles: see `kiosk.bulk.fewer_collections`
    conn = sqlite3.connect(scratch, isolation_level=None)
    conn.execute("PRAGMA synchronous = OFF")  # a scratch file: a crash loses nothing kept
    convert = Converter(people, date_order, list(binding.fields))
    varying = _varying(convert)
    pick = picker(varying)
    marks = ", ".join("?" * len(varying))
    extract = extractor(binding, "utf-8")
    digest = hasher(ctx)
    lines = _Lines(path, begin)
    reader = csv.reader(lines, delimiter=delimiter, quotechar='"', doublequote=True,
                        strict=False)  # fmt: skip
    seen = Seen()
    new: list[tuple[Any, ...]] = []
    later: list[tuple[int, str]] = []
    rejects: list[tuple[int, str, str]] = []
    badges: list[tuple[int, str, str]] = []
    rows = 0
    offset = first_line - 1
    start_line = offset + 1

    def flush() -> None:
        conn.execute("BEGIN")
        conn.executemany(f"INSERT INTO new VALUES (?, ?, {marks}, ?)", new)
        conn.executemany("INSERT INTO later VALUES (?, ?)", later)
        conn.executemany("INSERT INTO rejects VALUES (?, ?, ?)", rejects)
        conn.executemany("INSERT INTO badges VALUES (?, ?, ?)", badges)
        conn.execute(
            "INSERT OR REPLACE INTO flushed SELECT coalesce(max(rowid), 0), ? FROM new",
            [lines.pos],
        )
        conn.execute("COMMIT")
        for batch in (new, later, rejects, badges):
            batch.clear()

    plain = NewRows(binding, convert, varying)
    crm_at = varying.index("crm_id")
    width = binding.width
    held = 0  # a record over several lines that may be a runaway quote, if it is the last
    footer: list[int] | None = None  # the lines of a report's footer, skipped

    for cells in reader:
        line = start_line
        start_line = offset + reader.line_num + 1
        held = 0
        if start_line - line > 1 and suspect(cells, width):
            # Perhaps a quote that is never closed (`kiosk.sync.runaway`): the parent
            # reads on from here itself (`ChildFailed`), and deals with it as one
            # process does.
            if len(cells) != width:
                raise SystemExit(f"line {line}: a record over several lines; read by the parent")
            held = line
        if not cells or not "".join(cells).strip():
            continue
        if (len(cells) == 1 or not cells[-1]) and starts_footer(cells):
            # a report's footer ends the file (`kiosk.sync.footer`): noted for the parent
            records = ((offset + reader.line_num, c) for c in reader)
            block, _ = footer_block((line, cells), records)
            if not block:  # not a footer after all: the parent reads on from here
                raise SystemExit(f"line {line}: a record like a report's footer")
            footer = [line, offset + reader.line_num]
            break
        rows += 1
        built = plain(cells) if plain else None
        if built is not None:  # a plain record: its values straight from the cells
            values, email, ids = built
            crm = values[crm_at]
            if not seen.first(record_keys(crm, email)):
                later.append((line, json.dumps(cells)))
                continue
            new.append((line, email, *values, digest(cells)))
            if ids:
                badges.extend((line, b, crm) for b in ids)
            if len(new) >= 5000:
                flush()
            continue
        convert.line = line
        try:
            f = convert(extract(cells))
        except RowError as exc:
            rejects.append((line, json.dumps(cells), str(exc)))
            continue
        crm, email = f.get("crm_id"), f["_email"]
        keys = record_keys(crm, email)
        # (further addresses or numbers, `contact_keys`: the ordinary path writes them)
        if not seen.first(keys) or not crm or "_keys" in f:
            later.append((line, json.dumps(cells)))
            continue
        del f["_email"]
        ids = f.pop("badge_ids", None)
        fields = {"id": crm, "source": "crm"}
        fields.update(f)
        try:
            values, _ = contact_values(fields, email)
        except ContactRowError as exc:
            rejects.append((line, json.dumps(cells), str(exc)))
            continue
        h = digest(cells) | (convert.noted_line == line)  # (flagged: `kiosk.sync.rowhash`)
        new.append((line, email, *pick(values), h))
        if ids:
            badges.extend((line, b, str(crm)) for b in ids)
        if len(new) >= 5000:
            flush()
    if held:  # the last record spans lines with the right field count: its quotes?
        raise SystemExit(f"line {held}: the last record spans lines; read by the parent")
    flush()
    info = {"rows": rows, "noted": json.dumps(convert.noted), "done": 1,
            "footer": json.dumps(footer)}  # fmt: skip
    conn.executemany("INSERT INTO info VALUES (?, ?)", list(info.items()))
    conn.close()


# ---------------------------------------------------------------- back in the parent


class ChildFailed(Exception):
    """The child stopped without finishing, after `copy_in` had copied some of its rows.

    Those rows stay: each is a row of the file, checked as the ordinary path checks it.
    The parent reads the rest of the back half itself, leaving out `lines` (copied) and
    knowing their `keys` (`kiosk.sync.keys.record_keys`); `inserted` counts them for the
    report, `flagged` are the lines of those whose conversion noted something for it (an
    e-mail or phone cell: their stored hash is flagged, `kiosk.sync.rowhash`; the parent
    converts them again for the notes), and `written` — (hash, line) of each — places a
    CRM id a later record repeats (`kiosk.sync.crm_repeats`)."""

    def __init__(
        self, lines: set[int], keys: list[tuple[str, ...]], inserted: int,
        flagged: set[int], written: list[tuple[int, int]] | None = None,
    ) -> None:  # fmt: skip
        super().__init__(f"the second process stopped after {inserted} rows")
        self.lines, self.keys, self.inserted, self.flagged = lines, keys, inserted, flagged
        self.written = written or []


# Lines of the child's new rows (rowids `?1` < rowid <= `?2`) whose keys the front half
# wrote: the CRM id and contact id (unique), or the e-mail of a CRM contact without an id
# (which a row with an id adopts by its e-mail); or that share a key with a front row
# waiting for the ordinary path. The child's own rows never share a key (it keeps only
# the first row of each), so the rows copied before a slice do not change its answer.
_SLICE_TAKEN = (
    "INSERT INTO temp.half_taken SELECT line FROM half.new WHERE rowid > ? AND rowid <= ?"
    " AND (crm_id IN (SELECT crm_id FROM main.contacts) OR {id} IN (SELECT id FROM main.contacts)"
    " OR crm_id IN temp.half_held OR key_email IN temp.half_held"
    " OR (key_email <> '' AND key_email IN temp.half_emails))"
)


def copy_in(
    conn: sqlite3.Connection,
    half: Half,
    held: set[str],
    slices: Slices,
    badge_lines: BadgeLines | None = None,
    joined: Callable[[], None] | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Move the child's certainly-new rows into `contacts`, in file order, slice by slice
    (`slices`: short transactions, so the booth writes between them), after setting aside
    those whose keys the front half already wrote. `held` are the keys of the front half's
    rows that wait for the ordinary path: a row of the child that shares one waits too.
    The badges of the rows copied are noted in `badge_lines`.
    The scratch file stays attached until the import ends (`detach`).

    Called when the front half is in, with the child perhaps still reading: the rows it
    has committed are copied while it reads on (the parent, done with its own half, would
    otherwise wait idle and copy everything after), and `joined` is called once it has
    finished, before the last of its rows are copied. If it fails instead, `ChildFailed`
    says what was copied. `progress(bytes, file size)` is told after each slice
    (`progress_of`).

    Returns {'inserted', 'rows', 'noted' (`Converter.noted`), 'rejects': [(line, cells, reason)],
    'later': [(line, cells or None)]}, both in file order; `later` rows go through the
    ordinary path (None: cells to be read again, see `reread`).
    """
    if not any(row[1] == "half" for row in conn.execute("PRAGMA database_list")):
        conn.execute("ATTACH DATABASE ? AS half", [str(half.scratch)])
    try:
        # temp tables: written without the main database's write lock
        conn.execute("CREATE TEMP TABLE half_held (k TEXT PRIMARY KEY) WITHOUT ROWID")
        conn.executemany("INSERT OR IGNORE INTO temp.half_held VALUES (?)", [(k,) for k in held])
        conn.execute("CREATE TEMP TABLE half_emails (k TEXT PRIMARY KEY) WITHOUT ROWID")
        conn.execute(
            "INSERT OR IGNORE INTO temp.half_emails SELECT email_norm FROM main.contacts"
            " WHERE crm_id IS NULL AND source = 'crm' AND email_norm <> ''"
        )
        conn.execute("CREATE TEMP TABLE half_taken (line INTEGER PRIMARY KEY)")
        inserted = 0
        # the columns the child stored, and the value every row has in the others
        have = {row[1] for row in conn.execute("PRAGMA half.table_info(new)")}
        select = _select(have)
        taken = _SLICE_TAKEN.format(id="id" if "id" in have else "crm_id")
        done, last_line, finished = 0, 0, False
        while True:
            if not finished and half.process.poll() is not None:
                if not join(half):
                    raise _failed(conn, done, inserted, badge_lines)
                finished = True  # every row is committed: the rest is copied below
                if joined is not None:
                    joined()
            top = last_rowid(conn, "half.new")
            while done < top:
                upto = min(top, done + slices.rows)
                line = conn.execute(
                    "SELECT line FROM half.new WHERE rowid <= ? ORDER BY rowid DESC LIMIT 1",
                    [upto],
                ).fetchone()[0]
                with slices.write(upto - done):
                    conn.execute(taken, [done, upto])
                    cur = conn.execute(
                        f"INSERT INTO main.contacts ({_COLS}, crm_row)"
                        f" SELECT {select}, crm_row FROM half.new"
                        " WHERE rowid > ? AND rowid <= ?"
                        " AND line NOT IN (SELECT line FROM temp.half_taken) ORDER BY rowid",
                        [done, upto],
                    )
                    inserted += max(cur.rowcount, 0)
                    conn.execute(SLICE_BADGES, [last_line, line])
                done, last_line = upto, line
                if progress is not None:
                    pos = conn.execute(
                        "SELECT max(pos) FROM half.flushed WHERE top <= ?", [done]
                    ).fetchone()[0]
                    half.copied = max(int(pos or half.begin) - half.begin, 0)
                    progress(progress_of(half, half.begin), half.size)
            if finished:
                break
            # The child commits every few thousand rows. Where the clock cannot nap
            # (libfaketime's shifted clock, the suite's year-ahead run), wait for the child
            # to end instead: the same rows, copied after.
            if not nap(_POLL):
                half.process.wait()
        info = dict(conn.execute("SELECT key, value FROM half.info"))
        if badge_lines is not None:
            badge_lines.add_sql(
                "SELECT badge_id, line, contact_id FROM half.badges"
                " WHERE line NOT IN (SELECT line FROM temp.half_taken)"
            )
        later: list[tuple[int, list[str] | None]] = [
            (line, json.loads(cells))
            for line, cells in conn.execute("SELECT line, cells FROM half.later")
        ]
        later += [(line, None) for (line,) in conn.execute("SELECT line FROM temp.half_taken")]
        rejects = [
            (line, json.loads(cells), reason)
            for line, cells, reason in conn.execute(
                "SELECT line, cells, reason FROM half.rejects ORDER BY line"
            )
        ]
    finally:
        for table in ("half_taken", "half_held", "half_emails"):
            conn.execute(f"DROP TABLE IF EXISTS temp.{table}")
    later.sort(key=lambda item: item[0])
    return {
        "inserted": inserted,
        "rows": int(info.get("rows", 0)),
        "noted": json.loads(info.get("noted") or "{}"),
        "rejects": rejects,
        "later": later,
        "footer": json.loads(info.get("footer") or "null"),
    }


def _failed(
    conn: sqlite3.Connection, done: int, inserted: int, badge_lines: BadgeLines | None
) -> ChildFailed:
    """What `copy_in` had copied (the child's rows up to rowid `done`, less those set
    aside) when the child turned out to have failed; their badges noted in `badge_lines`."""
    copied = conn.execute(
        "SELECT line, crm_id, key_email, crm_row FROM half.new WHERE rowid <= ?"
        " AND line NOT IN (SELECT line FROM temp.half_taken)",
        [done],
    ).fetchall()
    if badge_lines is not None and copied:
        badge_lines.add_sql(
            "SELECT badge_id, line, contact_id FROM half.badges WHERE line <= ?"
            " AND line NOT IN (SELECT line FROM temp.half_taken)",
            [max(line for line, *_ in copied)],
        )
    return ChildFailed(
        {line for line, *_ in copied},
        [record_keys(crm, email) for _, crm, email, _ in copied],
        inserted,
        {line for line, *_, h in copied if h & 1},
        [(h, line) for line, _, _, h in copied],
    )


def written_from(half: Half, hashes: Collection[int]) -> list[tuple[int, int]]:
    """(hash, line) of the child's rows whose record hashes (`crm_row`) are among `hashes`:
    where a CRM id that a later record repeats was first (`kiosk.sync.crm_repeats`). Read
    once, at the end of an import that found such repeats, from the scratch file (a scan
    of the child's rows; its own connection: `copy_in`'s may be in a transaction)."""
    conn = sqlite3.connect(half.scratch)
    try:
        conn.execute("CREATE TEMP TABLE wanted (h INTEGER PRIMARY KEY)")
        conn.executemany("INSERT OR IGNORE INTO temp.wanted VALUES (?)", [(h,) for h in hashes])
        return conn.execute(
            "SELECT crm_row, line FROM new WHERE crm_row IN (SELECT h FROM temp.wanted)"
        ).fetchall()
    finally:
        conn.close()


def detach(conn: sqlite3.Connection) -> None:
    """Detach a scratch file `copy_in` attached (SQLite allows it only between
    transactions: the importer calls this after its COMMIT or ROLLBACK)."""
    if any(row[1] == "half" for row in conn.execute("PRAGMA database_list")):
        conn.execute("DETACH DATABASE half")


def reread(path: Path, half: Half, lines: list[int], delimiter: str) -> dict[int, list[str]]:
    """The cells of the given records of the child's half, read again (rows the child
    converted, then found to belong to contacts of the front half: rare)."""
    wanted = set(lines)
    out: dict[int, list[str]] = {}
    if not wanted:
        return out
    reader = csv.reader(_Lines(str(path), half.begin), delimiter=delimiter, quotechar='"',
                        doublequote=True, strict=False)  # fmt: skip
    offset = half.first_line - 1
    start_line = offset + 1
    for cells in reader:
        line = start_line
        start_line = offset + reader.line_num + 1
        if line in wanted:
            out[line] = cells
            if len(out) == len(wanted):
                break
    return out


if __name__ == "__main__":  # the child: python -m kiosk.sync.parallel_import JOB
    _child(*pickle.loads(Path(sys.argv[1]).read_bytes()))
