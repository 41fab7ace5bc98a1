"""The search index is built after a big import's rows land, and swapped in when complete.

Meanwhile exact lookups work, search says the index is still being built (with how far it
got), the old index keeps serving, and booth writes between the build's chunks are
indexed exactly once.
"""

from __future__ import annotations

import csv
import threading
from contextlib import contextmanager

import pytest

from kiosk import bulk, fulltext, search_index, words
from kiosk.contact_rows import insert_contacts
from kiosk.db import (
    FTS_AUTOMERGE,
    FTS_CRISISMERGE,
    bulk_contacts,
    compact_fts,
    create_fts_triggers,
    drop_fts_triggers,
    fts_segments,
    open_db,
    tidy_fts,
    transaction,
)
from kiosk.lookup import lookup, search
from kiosk.sync import import_contacts as import_module
from kiosk.sync.imports import import_csv
from tests.factory import SALESPEOPLE, before_migration


def _people(db) -> None:
    db.conn.executemany(
        "INSERT INTO salespeople(id, name, email) VALUES (?, ?, ?)",
        [(s[0], s[1], s[2]) for s in SALESPEOPLE],
    )


def _contacts(n: int, word: str, start: int = 0) -> list[dict]:
    return [
        dict(id=f"c{i}", name=f"{word} Person{i:04d}", company="Acme GmbH",
             email=f"p{i}@acme.example", country="DE", badge_ids=f"B{i}")
        for i in range(start, start + n)
    ]  # fmt: skip


@pytest.fixture
def db(tmp_path):
    database = open_db(tmp_path / "k.db")
    _people(database)
    insert_contacts(database, _contacts(300, "Oldname"))
    yield database
    database.conn.close()


def _vocabulary(db) -> dict[str, int]:
    """The typo vocabulary as it is (`kiosk.words`)."""
    return dict(db.execute(f"SELECT word, rows FROM {words.WORDS}").fetchall())


def _recount(db) -> dict[str, int]:
    """The typo vocabulary counted afresh from the rows as they are now."""
    return dict(words.count(t for (t,) in db.execute("SELECT search FROM contacts")))


def _integrity(db) -> None:
    db.execute("INSERT INTO contacts_fts(contacts_fts) VALUES('integrity-check')")


def test_old_index_serves_until_the_new_one_is_swapped_in(db):
    with db.conn:  # the import's transaction: rows change, the index is started anew
        db.conn.execute("BEGIN IMMEDIATE")
        search_index.start(db)
        db.conn.execute(
            "UPDATE contacts SET name = 'Newname X', search = 'newname x' WHERE id = 'c5'"
        )
    assert search_index.state(db) == 0.0
    # the old index still finds the other 299 old names, never the renamed row's old text
    hits = {m.contact.id for m in search(db, "oldname", limit=400)}
    assert len(hits) == 299 and "c5" not in hits
    result = lookup(db, "Oldname Person0007")
    assert [m.contact.id for m in result.matches] == ["c7"]
    assert "still being built (0%)" in result.message and result.index_building == 0.0
    assert lookup(db, "B9").kind == "badge"  # exact lookups do not wait for the index

    seen: list[tuple[int, int]] = []
    search_index.finish(db, lambda done, total: seen.append((done, total)), chunk=100)
    assert seen == [(100, 300), (200, 300), (300, 300)]
    assert search_index.state(db) is None and not search_index.pending(db)
    assert [m.contact.id for m in search(db, "newname")] == ["c5"]
    assert "still being built" not in lookup(db, "Oldname Person0007").message
    _integrity(db)


def test_booth_writes_between_chunks_are_indexed_once(db):
    db.conn.execute("BEGIN IMMEDIATE")
    search_index.start(db)
    db.conn.execute("COMMIT")

    def interrupted(done: int, total: int) -> None:
        raise KeyboardInterrupt  # the importing process stopped after its first chunk

    with pytest.raises(KeyboardInterrupt):
        search_index.finish(db, interrupted, chunk=120)
    assert search_index.pending(db)  # the next finish resumes from row 120
    assert 0.39 < search_index.state(db) < 0.41
    db.execute("UPDATE contacts SET name = 'Renamed', search = 'renamed zed' WHERE id = 'c3'")
    db.execute("UPDATE contacts SET name = 'Later', search = 'later zed' WHERE id = 'c250'")
    db.execute("DELETE FROM contact_badges WHERE contact_id = 'c4'")
    db.execute("DELETE FROM contacts WHERE id = 'c4'")
    insert_contacts(db, [dict(id="w1", name="Walkin Zed", country="DE")])
    search_index.finish(db, chunk=100)
    _integrity(db)
    assert {m.contact.id for m in search(db, "zed")} == {"c3", "c250", "w1"}
    assert "c4" not in {m.contact.id for m in search(db, "oldname person0004")}
    assert len(fulltext.indexed(db.conn, "oldname", limit=1000)) == 297
    assert _vocabulary(db) == _recount(db) and _vocabulary(db)["renamed"] == 1


def test_a_big_csv_import_is_usable_before_its_index_is_built(tmp_path, monkeypatch):
    database = open_db(tmp_path / "k.db")
    _people(database)
    path = tmp_path / "crm.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["crm_id", "name", "company", "email", "country", "badge_ids"])
        for i in range(400):
            w.writerow(
                [f"C{i}", f"Lumière {i}", "Éclat SARL", f"l{i}@eclat.example", "FR", f"X{i}"]
            )
    monkeypatch.setattr(import_module, "BULK_ROWS", 10)  # a "big" file, for the test
    states: list[float | None] = []
    calls: list[tuple[int, int]] = []

    def during(done: int, total: int) -> None:
        calls.append((done, total))
        states.append(search_index.state(database))

    monkeypatch.setattr(search_index, "CHUNK", 150)
    report = import_csv(database, "contacts", path, index_progress=during)
    assert report.inserted == 400 and report.index_s > 0 and 0 < report.ready_s <= report.seconds
    # first "it has begun" (a progress bar says so), then chunk by chunk
    assert calls[0] == (0, 400) and calls[-1] == (400, 400)
    assert states[:3] == [0.0, 150 / 400, 300 / 400] and states[-1] is None
    assert {m.contact.id for m in search(database, "lumiere", limit=500)} == {
        f"C{i}" for i in range(400)
    }
    _integrity(database)
    # the same file again: nothing changed, nothing rebuilt
    again = import_csv(database, "contacts", path)
    assert again.unchanged == 400 and again.index_s == 0


# ---------------------------------------------------------------- the scratch-file build


def _postings(db, table: str) -> list[tuple[str, int]]:
    """Every (trigram, rowid) an FTS5 table holds: two indexes with equal postings answer
    every query alike."""
    db.execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.v_{table} USING fts5vocab(main, '{table}', 'instance')"
    )
    return db.execute(f"SELECT term, doc FROM temp.v_{table} ORDER BY term, doc").fetchall()


def _reference(db) -> list[tuple[str, int]]:
    """The postings of an index built afresh over the rows as they are now."""
    from kiosk.db import FTS_OPTIONS

    db.execute("DROP TABLE IF EXISTS temp.v_ref_fts")
    db.execute("DROP TABLE IF EXISTS ref_fts")
    db.execute(f"CREATE VIRTUAL TABLE ref_fts USING fts5({FTS_OPTIONS})")
    db.execute("INSERT INTO ref_fts(rowid, search) SELECT rowid, search FROM contacts")
    out = _postings(db, "ref_fts")
    db.execute("DROP TABLE temp.v_ref_fts")
    db.execute("DROP TABLE ref_fts")
    return out


def test_a_scratch_build_is_the_same_index_as_one_built_chunk_by_chunk(db, monkeypatch, tmp_path):
    insert_contacts(db, _contacts(500, "Bulk 王小明 Müller", start=300))
    monkeypatch.setattr(search_index, "SNAPSHOT_ROWS", 100)
    monkeypatch.setattr(search_index, "SCRATCH_CHUNK", 170)
    db.conn.execute("BEGIN IMMEDIATE")
    search_index.start(db)
    db.conn.execute("COMMIT")
    seen: list[tuple[int, int]] = []
    kiosk = open_db(tmp_path / "k.db")  # a search elsewhere says how far the build got

    def during(done: int, top: int) -> None:
        seen.append((done, top))
        shown.append(search_index.state(kiosk))

    shown: list[float | None] = []
    assert search_index.finish(db, during) == 800
    assert seen == [(170, 800), (340, 800), (510, 800), (680, 800), (800, 800), (800, 800)]
    assert shown == [170 / 800, 340 / 800, 510 / 800, 680 / 800, 1.0, None]
    assert search_index.state(db) is None and search_index.state(kiosk) is None
    kiosk.conn.close()
    _integrity(db)
    assert _postings(db, "contacts_fts") == _reference(db)
    assert _vocabulary(db) == _recount(db)
    assert len(fulltext.indexed(db.conn, "王小明 müller", limit=1000)) == 500
    assert [m.contact.id for m in search(db, "小明 müller person0342")] == ["c342"]
    # the log and its triggers are gone; the ordinary triggers keep the index in step
    assert not db.execute(
        "SELECT name FROM sqlite_master WHERE name LIKE '%log%' AND type IN ('table', 'trigger')"
    ).fetchall()
    db.execute("UPDATE contacts SET name = 'Zed', search = 'zed' WHERE id = 'c1'")
    assert [m.contact.id for m in search(db, "zed")] == ["c1"]
    assert _postings(db, "contacts_fts") == _reference(db)
    assert _vocabulary(db) == _recount(db)


def test_booth_writes_during_a_scratch_build_are_indexed_exactly(db, monkeypatch, tmp_path):
    """Writes just before the snapshot (logged, already in it), during the build (logged,
    replayed: the old text deleted from the copy, the new one indexed), during the copy of
    the shadow tables, and after it (the building triggers) all end up indexed once."""
    monkeypatch.setattr(search_index, "SNAPSHOT_ROWS", 100)
    monkeypatch.setattr(search_index, "SCRATCH_CHUNK", 100)
    db.conn.execute("BEGIN IMMEDIATE")
    search_index.start(db)
    db.conn.execute("COMMIT")
    booth = open_db(tmp_path / "k.db")  # another kiosk's connection, writing meanwhile

    def write(sql: str, *args: object) -> None:
        booth.execute(sql, list(args))

    real_build = search_index._build_scratch

    def build(conn, progress, note, **kw):
        # logged before the snapshot begins: in the snapshot, and not replayed
        write("UPDATE contacts SET search = 'before snapshot qqq' WHERE id = 'c10'")
        return real_build(conn, progress, note, **kw)

    def during(done: int, top: int) -> None:
        if done == 100:  # the snapshot is open: these are not in it
            write("UPDATE contacts SET search = 'during build zzz' WHERE id = 'c20'")
            write("UPDATE contacts SET search = 'twice zzz' WHERE id = 'c20'")
            write("DELETE FROM contact_badges WHERE contact_id = 'c30'")
            write("DELETE FROM contacts WHERE id = 'c30'")
            write("UPDATE contacts SET search = 'last row zzz' WHERE id = 'c299'")
            insert_contacts(booth, [dict(id="w1", name="Walkin Zzz", country="DE")])

    real_copy = search_index._copy_in

    def copy(db_, slices, snap):
        write("UPDATE contacts SET search = 'during copy zzz' WHERE id = 'c40'")
        real_copy(db_, slices, snap)
        write("UPDATE contacts SET search = 'after copy zzz' WHERE id = 'c50'")

    monkeypatch.setattr(search_index, "_build_scratch", build)
    monkeypatch.setattr(search_index, "_copy_in", copy)
    search_index.finish(db, during)
    booth.conn.close()
    _integrity(db)
    assert _postings(db, "contacts_fts") == _reference(db)
    assert _vocabulary(db) == _recount(db)
    assert {m.contact.id for m in search(db, "zzz")} == {"c20", "c40", "c50", "c299", "w1"}
    assert [m.contact.id for m in search(db, "qqq")] == ["c10"]


def test_an_interrupted_scratch_build_starts_again(db, monkeypatch):
    monkeypatch.setattr(search_index, "SNAPSHOT_ROWS", 100)
    monkeypatch.setattr(search_index, "SCRATCH_CHUNK", 100)
    db.conn.execute("BEGIN IMMEDIATE")
    search_index.start(db)
    db.conn.execute("COMMIT")

    def interrupted(done: int, total: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        search_index.finish(db, interrupted)
    assert search_index.state(db) == 100 / 300  # the scratch build's first chunk was noted
    assert not db.conn.in_transaction
    assert [r[1] for r in db.execute("PRAGMA database_list")] == ["main"]  # scratch detached
    db.execute("UPDATE contacts SET search = 'meanwhile yyy' WHERE id = 'c7'")
    search_index.finish(db)
    _integrity(db)
    assert _postings(db, "contacts_fts") == _reference(db)
    assert _vocabulary(db) == _recount(db)
    assert [m.contact.id for m in search(db, "yyy")] == ["c7"]


# ---------------------------------------------------------------- one segment after a bulk build


def _segments(db) -> set[int]:
    return {r[0] for r in db.execute("SELECT DISTINCT segid FROM contacts_fts_idx")}


def test_a_scratch_built_index_is_one_segment_that_booth_inserts_leave_alone(db, monkeypatch):
    """Built in several statements, the scratch index had several big segments at FTS5's
    lowest level, and about the 14th single-row insert after the swap merged them all
    (2.7 s for one walk-in at a million contacts). Compacted before the copy-in, it is one
    segment that the booth's inserts never rewrite."""
    insert_contacts(db, _contacts(900, "Bulk Müller", start=300))
    monkeypatch.setattr(search_index, "SNAPSHOT_ROWS", 100)
    monkeypatch.setattr(search_index, "SCRATCH_CHUNK", 100)
    db.conn.execute("BEGIN IMMEDIATE")
    search_index.start(db)
    db.conn.execute("COMMIT")
    search_index.finish(db)
    built = _segments(db)
    assert fts_segments(db.conn) == len(built) == 1
    for i in range(40):  # walk-ins, each its own transaction, as at the booth
        insert_contacts(db, [dict(id=f"w{i}", name=f"Walkin {i}", country="DE")])
    assert built <= _segments(db)  # the bulk-built segment was never merged away
    _integrity(db)
    assert _postings(db, "contacts_fts") == _reference(db)
    assert _vocabulary(db) == _recount(db)


def test_a_bulk_load_leaves_the_index_in_one_segment(db):
    """`bulk_contacts` (demo data, benchmarks, a hub baseline) rebuilds the index in one
    statement; with a term buffer smaller than the rows' terms it flushes several segments,
    which it then merges into one."""
    db.execute("INSERT INTO contacts_fts(contacts_fts, rank) VALUES ('hashsize', 4096)")
    with transaction(db), bulk_contacts(db):
        db.conn.executemany(
            "INSERT INTO contacts(id, name, search) VALUES (?, ?, ?)",
            [(f"b{i}", f"Bulk {i}", f"bulk {i} person{i * 7} acme") for i in range(2000)],
        )
    assert fts_segments(db.conn) == 1
    _integrity(db)
    assert _postings(db, "contacts_fts") == _reference(db)
    assert _vocabulary(db) == _recount(db)


def test_the_replay_of_booth_writes_runs_in_short_slices(db, monkeypatch, tmp_path):
    """The booth's changes logged during a scratch build are replayed a few at a time, each
    slice its own transaction, with booth writes between them — to the same rows too: each
    slice brings a row to its text as of the slice's last log entry, not as it is now."""
    monkeypatch.setattr(search_index, "SNAPSHOT_ROWS", 100)
    monkeypatch.setattr(search_index, "SCRATCH_CHUNK", 100)
    monkeypatch.setattr(search_index, "MIN_REPLAY", 3)
    db.conn.execute("BEGIN IMMEDIATE")
    search_index.start(db)
    db.conn.execute("COMMIT")
    booth = open_db(tmp_path / "k.db")

    def write(sql: str, *args: object) -> None:
        booth.execute(sql, list(args))

    def during(done: int, top: int) -> None:
        if done == 100:  # logged, after the snapshot: replayed
            for i in range(20):
                write("UPDATE contacts SET search = ? WHERE id = ?", f"first{i} qqq", f"c{i}")
            write("UPDATE contacts SET search = 'twice www' WHERE id = 'c0'")
            write("UPDATE contacts SET search = 'twice again www' WHERE id = 'c1'")
            insert_contacts(booth, [dict(id="w1", name="Walkin Www", country="DE")])
            write("DELETE FROM contacts WHERE id = 'w1'")

    between: list[int] = []

    class Paced(search_index.Slices):
        def _let_writers_in(self) -> None:  # no lock held: the booth writes here
            between.append(len(between))
            n = len(between)
            write("UPDATE contacts SET search = ? WHERE id = ?", f"between{n} www", "c0")
            write("UPDATE contacts SET search = ? WHERE id = ?", f"slice{n} qqq", f"c{n + 40}")
            super()._let_writers_in()

    replayed: list[int] = []  # each slice's last log entry
    real_changes = search_index._changes

    def changes(conn, after, upto, top, lo=0):
        replayed.append(upto)
        return real_changes(conn, after, upto, top, lo)

    monkeypatch.setattr(search_index, "Slices", Paced)
    monkeypatch.setattr(search_index, "_changes", changes)
    search_index.finish(db, during)
    booth.conn.close()
    assert len(set(replayed)) >= 3  # several slices, with booth writes between them
    _integrity(db)
    assert _postings(db, "contacts_fts") == _reference(db)
    assert _vocabulary(db) == _recount(db)
    assert [m.contact.id for m in search(db, f"between{len(between)} www")] == ["c0"]
    assert not search(db, "walkin www")


def test_the_copy_in_sizes_each_slice_by_the_time_its_own_rows_take(db, monkeypatch):
    """Issue 12 §5 at a million rows: the copy-in's vocabulary words are cheap and its
    index pages dear (~4 KB each). On one pace, the first slice of pages was as big as the
    words had grown theirs (32,000 pages: a 0.25 s hold of the write lock). Each kind now
    starts at its own first size and follows its own measured time, on the same slices (the
    gap and the turn go on: the fix that gave each its own `Slices` lost them and made the
    150,000-row torture row slower). The clock is a fake one, moved by each slice's rows."""
    insert_contacts(db, _contacts(1500, "Bulk 王小明 Müller", start=300))
    monkeypatch.setattr(search_index, "SNAPSHOT_ROWS", 100)
    monkeypatch.setattr(search_index, "PAGES_FIRST", 4)
    monkeypatch.setattr(bulk, "MIN_ROWS", 1)
    cost = {f"main.{search_index.WORDS_NEXT}(": 1e-6, f"main.{search_index.NEXT}_data(": 0.01}
    now = [0.0]
    held: list[tuple[str, int, float]] = []  # (table, rows the slice said, seconds it held)

    class Timed(search_index.Slices):
        def __init__(self, conn, **kwargs):
            super().__init__(conn, clock=lambda: now[0], **kwargs)

        @contextmanager
        def write(self, rows: int = 0):
            statements: list[str] = []
            with super().write(rows):
                before = self.conn.total_changes
                self.conn.set_trace_callback(statements.append)
                try:
                    yield
                finally:
                    self.conn.set_trace_callback(None)
                for table, each in cost.items():
                    if any(f"INSERT INTO {table}" in sql for sql in statements):
                        wrote = self.conn.total_changes - before
                        assert wrote == rows  # each slice says the rows it writes
                        now[0] += wrote * each
                        held.append((table, rows, wrote * each))

    monkeypatch.setattr(search_index, "Slices", Timed)
    _started(db)
    search_index.finish(db)

    words_held = [h for t, _, h in held if "words" in t]
    pages = [(n, h) for t, n, h in held if "_data" in t]
    assert len(words_held) >= 2 and len(pages) >= 3
    assert pages[0][0] == 4  # not the words' pace
    assert max(h for _, h in pages) <= bulk.HOLD * 1.01
    assert max(words_held) <= bulk.HOLD
    _integrity(db)
    assert _postings(db, "contacts_fts") == _reference(db)
    assert _vocabulary(db) == _recount(db)


# ---------------------------------------------------------------- started early, in the background


def _started(db) -> None:
    db.conn.execute("BEGIN IMMEDIATE")
    search_index.start(db)
    db.conn.execute("COMMIT")


def test_a_background_build_is_the_same_index_with_writes_before_during_and_after(
    db, monkeypatch, tmp_path
):
    """`begin` builds the scratch index on a thread while this connection goes on
    writing (as a first import builds its deferred indexes): writes before its snapshot,
    while it builds and after it are all indexed exactly once by `finish`."""
    insert_contacts(db, _contacts(300, "Bulk Müller", start=300))
    monkeypatch.setattr(search_index, "SNAPSHOT_ROWS", 100)
    monkeypatch.setattr(search_index, "SCRATCH_CHUNK", 100)
    _started(db)
    booth = open_db(tmp_path / "k.db")
    in_snapshot = threading.Event()
    written = threading.Event()
    threads: list[str] = []
    real_build = search_index._build_scratch

    def build(conn, progress, note, hold=None, **kw):
        threads.append(threading.current_thread().name)
        booth.execute("UPDATE contacts SET search = 'before snapshot qqq' WHERE id = 'c10'")

        def noted(rows: int) -> None:
            note(rows)
            if rows == 100:  # the snapshot is open: the writes from here on are not in it
                in_snapshot.set()
                assert written.wait(10)

        return real_build(conn, progress, noted, hold, **kw)

    monkeypatch.setattr(search_index, "_build_scratch", build)
    assert search_index.begin(db)
    assert not search_index.begin(db)  # one build at a time
    assert in_snapshot.wait(10)
    db.execute("UPDATE contacts SET search = 'during build zzz' WHERE id = 'c20'")
    db.execute("DELETE FROM contact_badges WHERE contact_id = 'c30'")
    db.execute("DELETE FROM contacts WHERE id = 'c30'")
    insert_contacts(db, [dict(id="w1", name="Walkin Zzz", country="DE")])
    written.set()
    db.execute("CREATE INDEX contacts_test_city ON contacts(city)")  # SQLite busy in C too
    search_index.finish(db)
    booth.conn.close()
    assert threads == ["kiosk-search-index"]  # built on the thread, not by `finish`
    _integrity(db)
    assert _postings(db, "contacts_fts") == _reference(db)
    assert _vocabulary(db) == _recount(db)
    assert {m.contact.id for m in search(db, "zzz")} == {"c20", "w1"}
    assert [m.contact.id for m in search(db, "qqq")] == ["c10"]
    assert not search_index.pending(db) and search_index.state(db) is None
    assert "search_scratch" not in [r[1] for r in db.execute("PRAGMA database_list")]


def test_a_failed_background_build_is_built_again_by_finish(db, monkeypatch):
    monkeypatch.setattr(search_index, "SNAPSHOT_ROWS", 100)
    _started(db)
    real_build = search_index._build_scratch
    calls: list[str] = []

    def build(conn, progress, note, hold=None, **kw):
        calls.append(threading.current_thread().name)
        if len(calls) == 1:
            raise OSError("disk full")
        return real_build(conn, progress, note, hold, **kw)

    monkeypatch.setattr(search_index, "_build_scratch", build)
    assert search_index.begin(db)
    db.execute("UPDATE contacts SET search = 'meanwhile yyy' WHERE id = 'c7'")
    search_index.finish(db)
    assert calls == ["kiosk-search-index", threading.current_thread().name]
    _integrity(db)
    assert _postings(db, "contacts_fts") == _reference(db)
    assert _vocabulary(db) == _recount(db)
    assert [m.contact.id for m in search(db, "yyy")] == ["c7"]


def test_a_background_build_for_an_index_started_again_is_not_used(db, monkeypatch):
    """A build begun, then the index started anew (another big import): the snapshot
    belongs to the old change log, so `finish` builds from the rows as they are now."""
    monkeypatch.setattr(search_index, "SNAPSHOT_ROWS", 100)
    _started(db)
    assert search_index.begin(db)
    search_index.release(db)  # its word count may run: the thread ends
    search_index._BACKGROUND[str(db.conn.execute("PRAGMA database_list").fetchone()[2])].join()
    db.conn.execute("BEGIN IMMEDIATE")
    search_index.start(db)  # drops the log the background build was taken against
    db.conn.execute("UPDATE contacts SET search = 'renamed www' WHERE id = 'c3'")
    db.conn.execute("COMMIT")
    search_index.finish(db)
    _integrity(db)
    assert _postings(db, "contacts_fts") == _reference(db)
    assert _vocabulary(db) == _recount(db)
    assert [m.contact.id for m in search(db, "www")] == ["c3"]


def test_a_first_import_builds_its_search_index_beside_its_deferred_indexes(tmp_path, monkeypatch):
    """Into an empty table, a big file's deferred indexes (e-mail, phone, name) are built
    while the search index's scratch build runs on the other thread; both end complete."""
    database = open_db(tmp_path / "k.db")
    _people(database)
    path = tmp_path / "crm.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["crm_id", "name", "company", "email", "phone", "country"])
        for i in range(400):
            w.writerow([f"C{i}", f"Lumière {i}", "Éclat SARL", f"l{i}@eclat.example",
                        f"+3361234{i:04d}", "FR"])  # fmt: skip
    monkeypatch.setattr(import_module, "BULK_ROWS", 10)
    monkeypatch.setattr(search_index, "SNAPSHOT_ROWS", 100)
    begun: list[bool] = []
    real_begin = search_index.begin

    def begin(db):
        # the rows are in, the deferred indexes not yet
        names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='index'")}
        assert "contacts_email" not in names
        begun.append(real_begin(db))
        return begun[-1]

    monkeypatch.setattr(search_index, "begin", begin)
    report = import_csv(database, "contacts", path)
    assert report.inserted == 400 and begun == [True]
    names = {r[0] for r in database.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert {"contacts_email", "contacts_phone", "contacts_name_prefix"} <= names
    _integrity(database)
    assert _postings(database, "contacts_fts") == _reference(database)
    assert _vocabulary(database) == _recount(database)
    assert lookup(database, "l7@eclat.example").matches[0].contact.id == "C7"
    assert lookup(database, "+33612340042").matches[0].contact.id == "C42"
    assert len(fulltext.indexed(database.conn, "lumiere", limit=1000)) == 400


def _pages(db, segid: int) -> list[tuple[int, bytes]]:
    """Every page of one segment as stored (FTS5 files a segment's pages under rowids whose
    bits above the 37th are its id)."""
    return db.execute(
        "SELECT id, block FROM contacts_fts_data WHERE id >> 37 = ? ORDER BY id", [segid]
    ).fetchall()


def _walk_ins(db, n: int, start: int = 0) -> None:
    """`n` new contacts, each in its own transaction, as the booth's walk-ins are."""
    for i in range(start, start + n):
        insert_contacts(db, [dict(id=f"w{i}", name=f"Walkin {i} Zyx", country="DE")])


def test_walk_ins_never_merge_the_bulk_built_segment(db):
    """With FTS5's defaults a write also merges, and the tiny segments of walk-ins were
    merged onto the level of the big one; a few hundred walk-ins after an import, one
    walk-in's insert merged the whole index (5.3 s at a million contacts, on the
    benchmark's index: two segments from the build, compacted into one). No booth write
    merges now: the bulk segment's pages are exactly as built after 700 walk-ins."""
    db.execute("PRAGMA synchronous = OFF")  # the same merges, without a disk flush each
    drop_fts_triggers(db)
    db.conn.executemany(
        "INSERT INTO contacts(id, name, search) VALUES (?, ?, ?)",
        [(f"b{i}", f"Bulk {i}", f"bulk {i} person{i * 7} acme") for i in range(3000)],
    )
    db.execute("INSERT INTO contacts_fts(contacts_fts) VALUES('delete-all')")
    for half in ("rowid % 2 = 0", "rowid % 2 = 1"):  # two big segments, as a build leaves
        with transaction(db):
            db.execute(
                f"INSERT INTO contacts_fts(rowid, search) SELECT rowid, search FROM contacts WHERE {half}"
            )
    with transaction(db):
        compact_fts(db.conn)
    create_fts_triggers(db)
    [bulk] = _segments(db)
    built = _pages(db, bulk)
    _walk_ins(db, 700)
    assert _pages(db, bulk) == built
    _integrity(db)
    assert _postings(db, "contacts_fts") == _reference(db)


def test_the_quiet_booth_merges_the_index_in_short_steps(db):
    """`tidy_fts` merges segments a bounded step at a time (FTS5's 'merge' command), until
    there is nothing left to merge; the index answers as one built afresh throughout."""
    db.execute("PRAGMA synchronous = OFF")
    _walk_ins(db, 200)
    before = fts_segments(db.conn)
    assert before > 16  # FTS5's own limit for one level, which would have merged them
    steps = 0
    while tidy_fts(db.conn, pages=8):
        steps += 1
        assert steps < 1000
        if steps % 5 == 0:
            _integrity(db)
    assert steps >= 1
    assert fts_segments(db.conn) < 4  # FTS5 merges a level once it holds four
    assert not tidy_fts(db.conn)  # nothing left to do: a no-op
    _integrity(db)
    assert _postings(db, "contacts_fts") == _reference(db)
    assert [m.contact.name for m in search(db, "walkin 199")] == ["Walkin 199 Zyx"]


def _merge_settings(db) -> dict[str, int]:
    return dict(db.execute("SELECT k, v FROM contacts_fts_config").fetchall())


def test_every_serving_index_leaves_merging_to_quiet_moments(db, monkeypatch, tmp_path):
    """Set by the migration on an index as it was, and again on an index swapped in."""
    wanted = {"automerge": FTS_AUTOMERGE, "crisismerge": FTS_CRISISMERGE}
    assert wanted.items() <= _merge_settings(db).items()
    insert_contacts(db, _contacts(200, "Bulk", start=300))
    monkeypatch.setattr(search_index, "SNAPSHOT_ROWS", 100)
    db.conn.execute("BEGIN IMMEDIATE")
    search_index.start(db)
    db.conn.execute("COMMIT")
    search_index.finish(db)
    assert wanted.items() <= _merge_settings(db).items()
    # an index from before the migration (FTS5's defaults) gets them when opened
    path = tmp_path / "old.db"
    old = open_db(path)
    old.execute("DELETE FROM contacts_fts_config WHERE k IN ('automerge', 'crisismerge')")
    before_migration(old, "m016_search_index_merges_off_the_scan_path")
    old.conn.close()
    again = open_db(path)
    assert wanted.items() <= _merge_settings(again).items()
    again.conn.close()


def test_a_background_build_counts_the_vocabulary_once_released(db, monkeypatch):
    """The word count (Python, one core) waits for `release` (the importer's SQLite work
    beside it is done); it then reads its own snapshot, so the writes made before it are
    counted once, by it or by the replay."""
    monkeypatch.setattr(search_index, "SNAPSHOT_ROWS", 100)
    _started(db)
    counted: list[str] = []
    real_count = words.count

    def count(texts):
        counted.append(threading.current_thread().name)
        return real_count(texts)

    monkeypatch.setattr(words, "count", count)
    assert search_index.begin(db)
    path = str(db.conn.execute("PRAGMA database_list").fetchone()[2])
    background = search_index._BACKGROUND[path]
    background.join(0.2)
    assert background.is_alive() and counted == []  # the index may be built; no count yet
    db.execute("UPDATE contacts SET search = 'before count vvv words' WHERE id = 'c8'")
    search_index.release(db)
    db.execute("UPDATE contacts SET search = 'after release vvv' WHERE id = 'c9'")
    search_index.finish(db)
    assert counted == ["kiosk-word-count"]
    _integrity(db)
    assert _postings(db, "contacts_fts") == _reference(db)
    assert _vocabulary(db) == _recount(db)
    assert {m.contact.id for m in search(db, "vvv")} == {"c8", "c9"}


def test_a_build_whose_log_was_started_anew_is_not_extended(db, monkeypatch):
    """`extend` on a build begun with `more` whose change log is gone (the index started
    anew meanwhile) says no, and leaves no trigger writing to a missing log: the rows go
    on being written and `finish` builds from them as they are."""
    monkeypatch.setattr(search_index, "SNAPSHOT_ROWS", 100)
    _started(db)
    assert search_index.begin(db, more=True)
    db.conn.execute("BEGIN IMMEDIATE")
    search_index.start(db)  # drops the log the background build was taken against
    db.conn.execute("COMMIT")
    insert_contacts(db, _contacts(50, "Later Qqq", start=300))
    assert not search_index.extend(db)
    insert_contacts(db, [dict(id="w1", name="Walkin Qqq", country="DE")])
    search_index.finish(db)
    _integrity(db)
    assert _postings(db, "contacts_fts") == _reference(db)
    assert _vocabulary(db) == _recount(db)
    assert len(search(db, "qqq", limit=100)) == 51
