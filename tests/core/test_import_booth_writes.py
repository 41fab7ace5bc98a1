"""Issue 12 §5: a big contacts import never blocks the booth.

The import writes in short committed slices; between two of them the write lock is free.
A booth connection with no busy timeout at all (it fails at once on a held lock) checks a
visitor in and records a lead at points where the import is between slices — while rows
load and while the new search index is built — and every one of those writes must go
through. Before slices, the import held one transaction from its first row to its last,
and the first such write failed with "database is locked". No timing is asserted: the
write points are the import's own progress callbacks.
"""

from __future__ import annotations

import csv
import sqlite3
from contextlib import contextmanager
from pathlib import Path

import pytest

from kiosk import booth, bulk, phones, search_index
from kiosk.booth import LeadInput
from kiosk.db import open_db
from kiosk.events.appliers import RESETS
from kiosk.lookup import lookup, search
from kiosk.sync import import_contacts as import_module
from kiosk.sync.imports import import_csv
from tests.factory import CONFIG, NOW

ROWS = 6000


def _crm(path: Path) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["crm_id", "name", "company", "email", "phone", "country", "badge_ids"])
        for i in range(ROWS):
            w.writerow([f"IMP-{i}", f"Imported Person{i:05d}", "Slice GmbH",
                        f"i{i}@slice.example", f"+4930{5550000 + i}", "DE", f"SL{i}"])  # fmt: skip
    return path


@pytest.fixture
def booth_db(db_path: Path):
    """The reception kiosk's own connection to the same file, failing at once when locked."""
    other = open_db(db_path, create=False)
    other.execute("PRAGMA busy_timeout = 0")
    yield other
    other.conn.close()


def test_booth_writes_go_through_while_a_big_import_runs(db, booth_db, tmp_path, monkeypatch):
    monkeypatch.setattr(bulk, "MAX_ROWS", 250)  # many slices for a file of a few thousand rows
    monkeypatch.setattr(bulk, "GAP", 0.0)
    monkeypatch.setattr(import_module, "BULK_ROWS", 1000)  # a "big" file: index built after
    monkeypatch.setattr(search_index, "CHUNK", 1000)
    known = [r[0] for r in booth_db.execute("SELECT id FROM contacts ORDER BY id LIMIT 5")]
    written: list[str] = []
    locked: list[str] = []

    def booth_writes(done: int, total: int) -> None:
        n = len(written) + len(locked)
        try:
            e1 = booth.check_in(booth_db, CONFIG, known[n % len(known)], now=NOW).event
            lead = LeadInput(name=f"Aisle Visitor{n}", company="Walkup Ltd",
                             email=f"aisle{n}@walkup.example", country="DE", rating="warm")  # fmt: skip
            e2 = booth.add_lead(booth_db, CONFIG, lead, now=NOW).event
        except sqlite3.OperationalError as exc:
            locked.append(str(exc))
            return
        written.extend([e1.uuid, e2.uuid])

    report = import_csv(
        db, "contacts", _crm(tmp_path / "crm.csv"), progress=booth_writes,
        index_progress=booth_writes,
    )  # fmt: skip

    assert locked == []
    assert len(written) >= 2 * 8  # rows loading (every 2,000 rows) and index chunks
    assert report.inserted == ROWS and report.rejected == 0
    assert report.replayed is not None  # the booth's events replayed on the new rows
    stored = {r[0] for r in db.execute("SELECT uuid FROM events")}
    assert set(written) <= stored
    # every booth lead is a contact, found by search in the index the import swapped in
    assert search_index.state(db) is None
    assert {m.contact.name for m in search(db, "aisle visitor", limit=100)} >= {
        "Aisle Visitor0",
        f"Aisle Visitor{len(written) - 2}",  # the last (each call numbers by events written)
    }
    assert lookup(db, "SL5999").matches[0].contact.id == "IMP-5999"
    assert [m.contact.id for m in search(db, "imported person05999")] == ["IMP-5999"]
    db.execute("INSERT INTO contacts_fts(contacts_fts) VALUES('integrity-check')")


def test_indexes_a_stopped_first_load_dropped_are_built_again(db, tmp_path):
    """A load into an empty table builds its random-key indexes after the rows; if the
    importing process dies first, the next import builds them before anything else."""
    names = import_module.RANDOM_KEY_INDEXES

    def indexes() -> set[str]:
        return {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}

    assert set(names) <= indexes()
    with db.conn:
        db.conn.execute("BEGIN IMMEDIATE")
        bulk.defer_indexes(db, names)  # what the killed import had done in its first slice
    assert not set(names) & indexes()
    assert lookup(db, "ana@lumen.example").kind != "error"  # lookups still work, by scanning
    report = import_csv(db, "contacts", _crm(tmp_path / "crm.csv"))
    assert report.inserted == ROWS and set(names) <= indexes()
    assert db.execute("SELECT 1 FROM meta WHERE key = ?", [bulk.DEFERRED]).fetchone() is None
    plan = db.execute(
        "EXPLAIN QUERY PLAN SELECT id FROM contacts WHERE email_norm = 'i5@slice.example'"
        " AND email_norm <> ''"
    ).fetchall()
    assert "contacts_email" in str(plan)


@pytest.mark.slow
def test_a_dry_run_never_holds_the_booth_lock_and_leaves_nothing(db, db_path, booth_db, tmp_path):
    """A dry run is one transaction, rolled back: on the live file it held the write lock
    from its first row to its last. It works on a private copy instead, which it removes."""
    known = booth_db.execute("SELECT id FROM contacts ORDER BY id LIMIT 1").fetchone()[0]
    before = db.execute("SELECT count(*) FROM contacts").fetchone()[0]
    written: list[str] = []
    locked: list[str] = []

    def booth_writes(done: int, total: int) -> None:
        try:
            written.append(booth.check_in(booth_db, CONFIG, known, now=NOW).event.uuid)
        except sqlite3.OperationalError as exc:
            locked.append(str(exc))

    dry = import_csv(db, "contacts", _crm(tmp_path / "crm.csv"), dry_run=True,
                     progress=booth_writes)  # fmt: skip

    assert locked == [] and len(written) >= 2  # before: "database is locked" at once
    assert dry.dry_run and dry.inserted == ROWS and dry.rejected == 0
    assert db.execute("SELECT count(*) FROM contacts").fetchone()[0] == before
    assert lookup(db, "SL5").kind == "none"
    stored = {r[0] for r in db.execute("SELECT uuid FROM events")}
    assert set(written) <= stored  # the booth's check-ins are in the real file
    assert sorted(p.name for p in db_path.parent.iterdir() if "dry-run" in p.name) == []
    real = import_csv(db, "contacts", tmp_path / "crm.csv")
    assert (real.inserted, real.updated, real.rejected) == (dry.inserted, dry.updated, dry.rejected)


def test_a_dry_run_says_when_the_disk_cannot_hold_its_copy(db, db_path, tmp_path, monkeypatch):
    from kiosk.sync import SyncError, scratch

    class Full:
        f_bavail, f_frsize = 10, 4096

    monkeypatch.setattr(scratch.os, "statvfs", lambda path: Full())
    with pytest.raises(SyncError, match=r"dry run works on a copy .* MB free"):
        import_csv(db, "contacts", _crm(tmp_path / "crm.csv"), dry_run=True)
    assert not [p for p in db_path.parent.iterdir() if "dry-run" in p.name]


def test_a_load_into_a_populated_table_keeps_every_index(db, tmp_path, monkeypatch):
    """Into a table that has contacts (a show database), a big load builds no index after
    its rows: at a million rows each build held the write lock for seconds, and the booth
    waited. Every index is there between any two of the import's slices."""
    monkeypatch.setattr(bulk, "MAX_ROWS", 250)
    monkeypatch.setattr(import_module, "BULK_ROWS", 1000)
    assert db.execute("SELECT count(*) FROM contacts").fetchone()[0] > 0
    names = {"contacts_email", "contacts_phone", "contacts_name_prefix", "contacts_booth_rows",
             "contacts_booth_decided"}  # fmt: skip
    missing: list[set[str]] = []

    def between_slices(done: int, total: int) -> None:
        have = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        missing.append(names - have)

    report = import_csv(db, "contacts", _crm(tmp_path / "crm.csv"), progress=between_slices)
    assert report.inserted == ROWS
    assert len(missing) >= 3 and not any(missing)
    assert search_index.state(db) is None  # the big load still built its search index anew


def test_the_replays_resets_read_only_the_rows_they_change(db):
    """The replay after an import starts by deleting the booth's own contacts and putting
    back the CRM's owners; at a million contacts a scan of the table for each held the
    booth's write lock for about two seconds. Each reads a partial index of the few rows
    it changes."""
    plans = {
        sql.split()[0]: str(db.execute("EXPLAIN QUERY PLAN " + sql).fetchall())
        for sql in RESETS
        if " contacts " in sql
    }
    assert "USING INDEX contacts_booth_rows" in plans["DELETE"]
    assert "USING INDEX contacts_booth_decided" in plans["UPDATE"]


def test_indexes_are_sorted_with_the_default_cache_and_the_load_keeps_its_own(db):
    """Deferred indexes are built with SQLite's default page cache (a load's 64 MB one made
    each sort slower); the connection's own setting is back afterwards, even with `only`."""
    names = ("contacts_email", "contacts_phone", "contacts_name_prefix")
    with db.conn:
        db.conn.execute("BEGIN IMMEDIATE")
        bulk.defer_indexes(db, names)
    db.execute("PRAGMA cache_size = -65536")
    seen: list[int] = []
    db.conn.set_trace_callback(
        lambda sql: (
            sql.startswith("CREATE INDEX")
            and seen.append(db.conn.execute("PRAGMA cache_size").fetchone()[0])
        )
    )
    try:
        assert bulk.restore_indexes(db, only={"contacts_email"}) == 1
        assert bulk.indexes_deferred(db)
        assert bulk.restore_indexes(db) == 2
    finally:
        db.conn.set_trace_callback(None)
    assert seen == [bulk.SORT_CACHE] * 3
    assert db.execute("PRAGMA cache_size").fetchone()[0] == -65536
    assert not bulk.indexes_deferred(db)


def test_no_slice_of_an_import_loads_the_phone_metadata(db, tmp_path, monkeypatch):
    """The first phone number a process reads loads phonenumbers and 215 regions' metadata
    (0.1–0.3 s). A contacts import prepared its first rows inside its first slice, so that
    slice held the write lock that long (issue 12 §5 at a million rows: the booth's writes
    at the start of an import waited 0.4–0.7 s). It is loaded before the first slice."""
    monkeypatch.setattr(phones, "_CODES", {})  # as in a process that has read no number
    loaded_before: list[bool] = []

    class Watched(bulk.Slices):
        @contextmanager
        def write(self, rows: int = 0):
            loaded_before.append(bool(phones._CODES))
            with super().write(rows):
                yield

    monkeypatch.setattr(import_module, "Slices", Watched)
    report = import_csv(db, "contacts", _crm(tmp_path / "crm.csv"))
    assert report.inserted == ROWS
    assert loaded_before and all(loaded_before)


def test_slices_of_another_kind_of_row_start_at_their_own_pace_and_keep_the_slices(db):
    """`Slices.own_pace`: rows differ in cost by orders of magnitude (a vocabulary word, a
    4 KB index page). Sized at the pace cheap rows had grown to, the first slice of dear
    ones held the write lock far past `HOLD` (issue 12 §5: 32,000 index pages, 0.25 s at a
    million contacts). Inside, the slices start at `first` rows and follow what those rows
    take; afterwards the earlier pace is back; the gap and the totals carry over. The
    clock is a fake one that moves by what each slice's rows cost."""
    now = [100.0]
    slices = bulk.Slices(db.conn, clock=lambda: now[0], max_rows=50_000)
    holds: list[float] = []

    def write(rows: int, cost: float) -> None:
        with slices.write(rows):
            now[0] += rows * cost  # what the slice holds the lock for
        holds.append(rows * cost)

    try:
        for _ in range(12):  # cheap rows: 1 µs each, the pace grows to HOLD's worth
            write(slices.rows, 1e-6)
        cheap = slices.rows
        assert cheap >= 32_000
        with slices.own_pace(100):
            assert slices.rows == 100
            for _ in range(8):  # dear rows: 100 µs each
                write(slices.rows, 1e-4)
            assert abs(slices.rows - bulk.HOLD / 1e-4) <= 1  # HOLD's worth of them
        assert slices.rows == cheap  # the cheap rows' pace again
        assert slices.count == 20 and slices.longest == pytest.approx(max(holds))
        assert max(holds[12:]) <= bulk.HOLD * 1.01  # no slice of dear rows held more
        # a short last slice says the rows it wrote, and the pace does not grow from it
        with slices.own_pace(100):
            write(10, 1e-6)
            assert slices.rows == 100
    finally:
        slices.close()


def _upsert_crm(path: Path, rows: int) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["crm_id", "name", "company", "email", "country"])
        for i in range(rows):
            w.writerow([f"UP-{i}", f"Upsert Person{i:04d}", "Match GmbH", f"u{i}@match.example",
                        "DE"])  # fmt: skip
    return path


class _InSlice(bulk.Slices):
    """Slices that say whether one of them is being written now."""

    inside = False

    @contextmanager
    def write(self, rows: int = 0):
        with super().write(rows):
            _InSlice.inside = True
            try:
                yield
            finally:
                _InSlice.inside = False


def test_an_upsert_prepares_its_rows_before_the_slice_that_writes_them(db, tmp_path, monkeypatch):
    """Issue 12 §5 at a million rows (traced, 16:45): every booth write that waited more
    than 200 ms waited for a slice of the upsert into a populated table, and matching and
    preparing the rows in Python was most of each slice. They are done before it now; the
    slice only writes (after making the batch's reads again, when another connection
    committed meanwhile)."""
    inside: list[bool] = []
    real = import_module.prepare_contact

    def prepare(fields):
        inside.append(_InSlice.inside)
        return real(fields)

    monkeypatch.setattr(import_module, "Slices", _InSlice)
    monkeypatch.setattr(import_module, "prepare_contact", prepare)
    monkeypatch.setattr(bulk, "MAX_ROWS", 100)
    report = import_csv(db, "contacts", _upsert_crm(tmp_path / "crm.csv", 500))
    assert report.inserted == 500
    assert len(inside) == 500 and not any(inside)


def test_a_batch_whose_contacts_changed_before_its_slice_is_matched_again_inside(
    db, db_path, tmp_path, monkeypatch
):
    """The batch's reads are made again inside its slice when another connection has
    committed since: a contact the booth wrote meanwhile with a CRM id of the batch is
    updated, not inserted twice; a commit that changed nothing the batch read leaves the
    batch as it was prepared."""
    other = open_db(db_path, create=False)
    wrote: list[int] = []

    class Meanwhile(bulk.Slices):
        def _let_writers_in(self) -> None:  # between a batch's matching and its slice
            n = len(wrote)
            wrote.append(n)
            if n == 2:  # a contact of the batch: its CRM id taken meanwhile
                other.execute(
                    "INSERT INTO contacts(id, crm_id, name, source, search) VALUES"
                    " ('UP-250', 'UP-250', 'Came Meanwhile', 'crm', 'came meanwhile')"
                )
            elif n == 3:  # nothing the batch reads
                other.execute("UPDATE meta SET value = value WHERE key = 'show_id'")
            super()._let_writers_in()

    monkeypatch.setattr(import_module, "Slices", Meanwhile)
    monkeypatch.setattr(bulk, "MAX_ROWS", 100)
    monkeypatch.setattr(bulk, "MIN_ROWS", 100)
    report = import_csv(db, "contacts", _upsert_crm(tmp_path / "crm.csv", 500))
    other.conn.close()
    assert (report.inserted, report.updated, report.rejected) == (499, 1, 0)
    assert db.execute("SELECT name FROM contacts WHERE crm_id = 'UP-250'").fetchall() == [
        ("Upsert Person0250",)
    ]
    assert db.execute("SELECT count(*) FROM contacts WHERE crm_id LIKE 'UP-%'").fetchone() == (500,)
