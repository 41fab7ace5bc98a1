"""`import_csv`: pull a CRM export (contacts, salespeople or territories) into the kiosk.

A contacts import writes in short committed slices (`kiosk.bulk.Slices`), so check-ins
and leads at the booth go on while a million rows load; salespeople and territories are
small files, imported in one transaction. Rows that cannot be used go to
`FILE.rejects.csv` with their line number and reason while the good rows land; a file
that cannot be read at all raises `CsvFileError` before anything is written. A contacts
import that fails part-way (a record the CSV reader cannot parse, a full disk) keeps the
slices it wrote: running the same import again completes it, as re-imports only write
what changed. `dry_run` runs the very same code in one transaction and rolls it back, so
its counts are exactly what a real import would do; it runs on a private copy of the
database (`kiosk.sync.scratch`), so that transaction never holds the booth's write lock.

Booth state survives re-imports because the importer only writes what the CRM says (the
plain columns and the `crm_*` baseline) and then, when the log has events, replays it
with `kiosk.events.rebuild`: check-ins, leads and the manager's decisions are re-applied
on top of the fresh CRM data.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager, nullcontext
from pathlib import Path

import sqlite_utils

from kiosk import bulk, events, search_index
from kiosk.db import last_rowid
from kiosk.events import aside
from kiosk.sync import SyncError, parallel_import, scratch
from kiosk.sync.csvread import CsvFile, describe_encoding
from kiosk.sync.formats import KINDS, Binding, Format, bind, get_format, load_mapping
from kiosk.sync.import_contacts import import_contacts
from kiosk.sync.import_people import import_salespeople, import_territories
from kiosk.sync.rows import (
    SAMPLE_REJECTS,
    ImportReport,
    People,
    Progress,
    Rejects,
    RowError,
    extractor,
    rejects_path_for,
)

__all__ = [
    "SAMPLE_REJECTS",
    "ImportReport",
    "People",
    "Progress",
    "Rejects",
    "RowError",
    "extractor",
    "import_csv",
    "rejects_path_for",
]

IMPORT_BUSY_TIMEOUT_MS = 120_000

Importer = Callable[
    [sqlite_utils.Database, CsvFile, Binding, Format, ImportReport, Rejects, Progress | None],
    bool,
]


def _importers() -> dict[str, Importer]:
    return {
        "contacts": import_contacts,
        "salespeople": import_salespeople,
        "territories": import_territories,
    }


def import_csv(
    db: sqlite_utils.Database,
    kind: str,
    path: str | os.PathLike[str],
    *,
    fmt: str = "generic",
    mapping: str | os.PathLike[str] | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    index_progress: Progress | None = None,
) -> ImportReport:
    """Import one CSV of `kind` (contacts, salespeople or territories); see the module doc.

    Territories replace the whole rule set (rules missing from the file are removed).
    `progress(bytes_read, file_size)` is called every few thousand rows. A big contacts
    import commits its rows first (from then on badge ids, e-mails, phones and routing
    work: `report.ready_s`), then builds the search index in committed chunks while the
    old one keeps serving, and swaps it in (`kiosk.search_index`; `report.index_s`,
    `index_progress(rows_indexed, rows)`, first (0, rows) when the build begins).
    Raises SyncError (CsvFileError, MappingError) with a one-line message; a file that
    cannot be opened or bound leaves the database untouched.
    """
    if kind not in KINDS:
        raise SyncError(f"unknown import kind {kind!r} (known: {', '.join(KINDS)})")
    started = time.perf_counter()
    spec = load_mapping(mapping, kind, fmt) if mapping else get_format(fmt)
    src_path = Path(path)
    if db.conn.in_transaction:
        raise SyncError("import_csv needs its own transaction; call it outside one")
    # a dry run works on a private copy, dropped afterwards: the booth writes meanwhile
    target = scratch.private_copy(db) if dry_run else nullcontext(db)
    with CsvFile(src_path) as src, target as db:
        conn = db.conn
        binding = bind(spec, kind, src.info.header, src_path.name)
        report = ImportReport(kind, src_path, spec.name, dry_run=dry_run)
        report.encoding, report.delimiter = src.info.encoding, src.info.delimiter
        report.ignored_columns = binding.unused
        rejects = Rejects(src_path, src.info.header, report, src.info.delimiter)
        # Contacts are written in short committed slices, so the booth keeps writing
        # meanwhile; the small people and territory files, and any dry run, in one
        # transaction.
        sliced = kind == "contacts" and not dry_run
        with ExitStack() as stack:
            if sliced:
                stack.enter_context(_patient(conn))
                bulk.restore_indexes(db)  # an earlier import stopped mid-load
            else:
                conn.execute("BEGIN IMMEDIATE")
            try:
                changed = _importers()[kind](db, src, binding, spec, report, rejects, progress)
                # first: the one mistake that used to hide a whole file's tail
                report.warnings[:0] = [r.warning(src_path.name) for r in src.runaways]
                if src.info.mixed or src.foreign_lines:  # never silently
                    report.warnings.append(
                        f"the file mixes encodings: read as {describe_encoding(src.info.encoding)};"
                        f" {src.foreign_lines} line(s) in another encoding rejected with their"
                        " line numbers (save the file as 'CSV UTF-8' to keep them)"
                    )
                if changed and not dry_run:
                    _replay(db, report)
            except BaseException as exc:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                search_index.release(db)  # a background build never waits for nothing
                parallel_import.detach(conn)
                rejects.discard()
                if sliced and isinstance(exc, Exception):
                    _settle(db, report)
                raise
            if dry_run:
                report.after_ready()  # before the rollback, which drops its temp tables
                conn.execute("ROLLBACK")
                rejects.commit()
            else:
                if conn.in_transaction:
                    conn.execute("COMMIT")
                parallel_import.detach(conn)
                report.ready_s = time.perf_counter() - started
                report.after_ready()
                rejects.commit()
                t = time.perf_counter()
                # what only searches and mail merges read (name prefixes, countries,
                # owners), deferred by a first load: built while the search index builds
                # in the background, and counted in its time
                built = bulk.restore_indexes(db)
                if search_index.pending(db):  # also resumes a build an earlier run left
                    if index_progress is not None:  # (0, rows): the build has begun
                        index_progress(0, _rows(conn))
                    search_index.finish(db, index_progress)
                    built += 1
                report.index_s = time.perf_counter() - t if built else 0.0
                # Fold the log the import wrote back into the database now, not at some later
                # moment on the reception screen. PASSIVE: it never makes a writer wait.
                conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
    report.seconds = time.perf_counter() - started
    return report


def _rows(conn: sqlite3.Connection) -> int:
    """The contacts' last rowid: the rows a search index build covers."""
    return last_rowid(conn, "contacts")


@contextmanager
def _patient(conn: sqlite3.Connection) -> Iterator[None]:
    """A long busy timeout for the importer: it is the one that waits (for booth writes,
    which never wait long for it)."""
    busy = int(conn.execute("PRAGMA busy_timeout").fetchone()[0])
    conn.execute(f"PRAGMA busy_timeout = {IMPORT_BUSY_TIMEOUT_MS}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA busy_timeout = {busy}")


def _has_events(db: sqlite_utils.Database) -> bool:
    return db.execute("SELECT 1 FROM events LIMIT 1").fetchone() is not None


def _replay(db: sqlite_utils.Database, report: ImportReport) -> None:
    """Booth events back on top of the fresh CRM data, when there are any: inside the
    import's one transaction (a small file, a dry run) `events.rebuild`; after a sliced
    import, replayed aside and written as a diff in short slices (`kiosk.events.aside`),
    so the booth's writes never wait for the whole log to be applied."""
    if _has_events(db):
        t = time.perf_counter()
        if db.conn.in_transaction:
            report.replayed = events.rebuild(db)
        else:
            report.replayed = aside.replay_aside(db).replayed
        report.rebuild_s = time.perf_counter() - t


def _settle(db: sqlite_utils.Database, report: ImportReport) -> None:
    """After a sliced import failed part-way: the slices written so far stay (the same
    import run again completes it), so booth state is replayed onto them and their search
    index finished, as a whole import would have. The first error is the one raised."""
    try:
        bulk.restore_indexes(db)
        if report.inserted or report.updated:
            _replay(db, report)
        if search_index.pending(db):
            search_index.finish(db)
    except Exception:  # noqa: BLE001 - the import's own error is the one to report
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
