"""A big first import read by two processes lands exactly what one process would.

The back half of the file goes to a child process (`kiosk.sync.parallel_import`); rows
it cannot be sure are new (repeated CRM ids or e-mails, across the halves or within one,
rows without a CRM id) go through the ordinary path. The database, the counts and the
rejects must not depend on which process read a row, nor on a split that lands inside a
quoted field.
"""

from __future__ import annotations

import csv
import random
import sqlite3
from pathlib import Path
from types import SimpleNamespace

import pytest

from kiosk import bulk
from kiosk.contact_rows import COLUMNS
from kiosk.db import open_db
from kiosk.sync import import_contacts as import_module
from kiosk.sync import imports, parallel_import
from kiosk.sync.imports import import_csv
from tests.factory import SALESPEOPLE, write_csv

HEADER = ["crm_id", "name", "company", "email", "phone", "country", "owner", "notes",
          "badge_ids"]  # fmt: skip


def _rows(n: int, seed: int = 5) -> list[list[str]]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        crm = f"C{i}"
        email = f"p{i}@firm{i % 7}.example"
        notes = ""
        badges = f"B{i}" if i % 3 == 0 else ""
        r = rng.random()
        if r < 0.05:  # the same CRM id again, later in the file (maybe the other half)
            crm = f"C{rng.randrange(max(i, 1))}"
        elif r < 0.08:  # no CRM id: matched by e-mail, maybe one already used
            crm, email = "", f"p{rng.randrange(n)}@firm{rng.randrange(7)}.example"
        elif r < 0.10:  # an id, and the e-mail of an earlier row without one
            email = f"p{rng.randrange(n)}@firm{rng.randrange(7)}.example"
        elif r < 0.12:
            notes = 'Line one\n"quoted" line two'
        elif r < 0.14:  # a badge id another contact has too (the later row keeps it)
            badges = f"B{rng.randrange(n) // 3 * 3}"
        elif r < 0.16:  # bad rows: rejected with their line
            crm, email = "", "not-an-address"
        owner = rng.choice(["ana", "ben", "Kenji Sato", "nobody-known", ""])
        out.append([crm, f"Name {i} Müller", f"Firm {i % 13}", email, f"+4930{1000000 + i}",
                    rng.choice(["DE", "Japan", "中国", "Atlantis", ""]), owner, notes, badges])  # fmt: skip
    return out


def _write(path: Path, rows: list[list[str]]) -> Path:
    return write_csv(path, HEADER, rows)


def _import(tmp_path: Path, name: str, src: Path) -> tuple[list, list, dict, list]:
    db = open_db(tmp_path / f"{name}.db")
    db.conn.executemany(
        "INSERT INTO salespeople(id, name, email) VALUES (?, ?, ?)",
        [(s[0], s[1], s[2]) for s in SALESPEOPLE],
    )
    report = import_csv(db, "contacts", src)
    contacts = db.execute("SELECT * FROM contacts ORDER BY id").fetchall()
    badges = db.execute("SELECT * FROM contact_badges ORDER BY badge_id").fetchall()
    rejects = sorted(report.sample_rejects)
    db.execute("INSERT INTO contacts_fts(contacts_fts) VALUES('integrity-check')")
    db.conn.close()
    return contacts, badges, report.details() | {"seconds": 0, "ready_s": 0, "index_s": 0,
                                                  "file": "", "rejects_path": ""}, rejects  # fmt: skip


@pytest.fixture(params=["notes", "plain"])
def crm(tmp_path, request) -> Path:
    """The file with a notes column (some records span lines), or without one: then most
    records are plain and a first import builds their rows on its fast path
    (`kiosk.sync.new_rows`), in both processes."""
    if request.param == "notes":
        return _write(tmp_path / "crm.csv", _rows(900))
    notes = HEADER.index("notes")
    rows = [r[:notes] + r[notes + 1 :] for r in _rows(900)]
    return write_csv(tmp_path / "crm.csv", [h for h in HEADER if h != "notes"], rows)


def test_two_processes_land_what_one_does(tmp_path, crm, monkeypatch):
    monkeypatch.setattr(parallel_import, "PARALLEL_BYTES", 10**12)
    alone = _import(tmp_path, "alone", crm)
    monkeypatch.setattr(parallel_import, "PARALLEL_BYTES", 0)
    started = []
    real_start = parallel_import.start
    monkeypatch.setattr(parallel_import, "start",
                        lambda *a: started.append(real_start(*a)) or started[-1])  # fmt: skip
    joined = []
    real_join = parallel_import.join
    monkeypatch.setattr(
        parallel_import, "join", lambda h: joined.append(real_join(h)) or joined[-1]
    )
    copied = []
    real_copy = parallel_import.copy_in
    monkeypatch.setattr(parallel_import, "copy_in",
                        lambda *a: copied.append(real_copy(*a)) or copied[-1])  # fmt: skip
    split = _import(tmp_path, "split", crm)
    assert started and started[0] is not None and started[0].first_line > 300
    assert joined == [True], started[0].error
    assert copied[0]["inserted"] > 200 and copied[0]["later"]  # both paths were taken
    assert split[2] == alone[2]  # rows, inserted, updated, unchanged, rejected, warnings
    assert split[0] == alone[0] and split[1] == alone[1] and split[3] == alone[3]
    assert alone[2]["rejected"] > 0 and alone[2]["updated"] > 0
    # badges given to two contacts are reported, whichever process read the records
    assert any(w.startswith("badge id 'B") for w in alone[2]["warnings"])


def test_a_split_inside_a_quoted_field_falls_back_to_one_process(tmp_path, monkeypatch):
    rows = _rows(400, seed=9)
    rows[200][7] = "first line\nsecond line\nthird line"  # lines 202–204 of the file
    src = _write(tmp_path / "crm.csv", rows)
    monkeypatch.setattr(parallel_import, "PARALLEL_BYTES", 10**12)
    alone = _import(tmp_path, "alone", src)
    monkeypatch.setattr(parallel_import, "PARALLEL_BYTES", 0)
    text = src.read_bytes()
    inside = text.index(b"second line")  # where a wrong guess would put the split
    line = text.count(b"\n", 0, inside) + 1
    monkeypatch.setattr(parallel_import, "_split_point", lambda path, size: (inside, line))
    assert _import(tmp_path, "split", src) == alone


def test_the_split_point_is_a_line_start_outside_quotes(tmp_path):
    rows = _rows(300, seed=2)
    for r in rows[140:160]:
        r[7] = 'a\nb\n"c"'
    src = _write(tmp_path / "crm.csv", rows)
    begin, line = parallel_import._split_point(src, src.stat().st_size)
    text = src.read_bytes()
    assert text[begin - 1 : begin] == b"\n" and text[:begin].count(b'"') % 2 == 0
    assert text.count(b"\n", 0, begin) + 1 == line
    assert next(csv.reader([text[begin:].decode().split("\r\n")[0]]))[0].startswith("C")


def test_a_first_import_stores_the_rows_the_ordinary_path_stores(tmp_path, crm, monkeypatch):
    """Into an empty table, new contacts are written by a fast path (and the child's rows
    copied in); into a table that has contacts, by the ordinary one: the same records
    make the same rows, column for column."""
    monkeypatch.setattr(parallel_import, "PARALLEL_BYTES", 0)
    first = _import(tmp_path, "first", crm)
    db = open_db(tmp_path / "populated.db")
    db.conn.executemany(
        "INSERT INTO salespeople(id, name, email) VALUES (?, ?, ?)",
        [(s[0], s[1], s[2]) for s in SALESPEOPLE],
    )
    db.execute("INSERT INTO contacts(id, crm_id, name) VALUES ('Z1', 'Z1', 'Someone Else')")
    import_csv(db, "contacts", crm)
    ordinary = db.execute("SELECT * FROM contacts WHERE id <> 'Z1' ORDER BY id").fetchall()
    db.conn.close()
    assert len(first[0]) > 500 and first[0] == ordinary


def test_a_first_load_is_ready_before_the_indexes_only_searches_read(tmp_path, crm, monkeypatch):
    """A big load into an empty table builds the e-mail and phone indexes before it reports
    ready (exact lookups read them, and so does the ordinary path for repeated keys); the
    name-prefix, country and owner indexes — searches and mail merges — after, beside the
    search index. By the end every index is there and nothing is left noted as deferred."""
    monkeypatch.setattr(parallel_import, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(import_module, "BULK_ROWS", 100)
    db = open_db(tmp_path / "first.db")
    db.conn.executemany(
        "INSERT INTO salespeople(id, name, email) VALUES (?, ?, ?)",
        [(s[0], s[1], s[2]) for s in SALESPEOPLE],
    )

    def indexes() -> set[str]:
        return {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}

    later = {"contacts_name_prefix", "contacts_country", "contacts_owner"}
    at_ready: list[set[str]] = []
    rows_in = imports.import_contacts

    def rows_then_look(*args, **kwargs):
        changed = rows_in(*args, **kwargs)
        at_ready.append(indexes())
        return changed

    monkeypatch.setattr(imports, "_importers", lambda: {"contacts": rows_then_look})
    report = import_csv(db, "contacts", crm)
    assert report.inserted > 500
    assert {"contacts_email", "contacts_phone"} <= at_ready[0]
    assert not later & at_ready[0]
    assert later | {"contacts_email", "contacts_phone"} <= indexes()
    assert not bulk.indexes_deferred(db)
    db.conn.close()


def test_each_slice_reads_only_its_own_badges_from_the_scratch_file(tmp_path, monkeypatch):
    """`copy_in` copies the child's badges slice by slice, by line: on a million-row file
    a full scan of the ~330,000 scratch badges per slice kept the parent busy
    while the other core sat idle. The child indexes them by line, so a slice's query
    searches its own lines, in file order, with no scan and no sort."""
    monkeypatch.setattr(parallel_import, "PARALLEL_BYTES", 0)
    plans = []
    real_copy = parallel_import.copy_in

    def copy_in(conn, half, *rest):
        probe = sqlite3.connect(":memory:")
        probe.execute("CREATE TABLE contact_badges (badge_id TEXT PRIMARY KEY, contact_id TEXT)")
        probe.execute("ATTACH DATABASE ? AS half", [str(half.scratch)])
        probe.execute("CREATE TEMP TABLE half_taken (line INTEGER)")
        plans.append([row[-1] for row in probe.execute(
            f"EXPLAIN QUERY PLAN {parallel_import.SLICE_BADGES}", [0, 10]
        )])  # fmt: skip
        probe.close()
        return real_copy(conn, half, *rest)

    monkeypatch.setattr(parallel_import, "copy_in", copy_in)
    _import(tmp_path, "split", _write(tmp_path / "crm.csv", _rows(900)))
    assert plans, "the file was not split"
    reads = [step for step in plans[0] if "badges" in step and "half_taken" not in step]
    assert reads and all(step.startswith("SEARCH") for step in reads), plans[0]
    assert not any("TEMP B-TREE" in step for step in plans[0]), plans[0]


def test_the_front_half_is_indexed_while_the_child_rows_are_copied_in(tmp_path, crm, monkeypatch):
    """A split first import starts the search index's scratch build on the front half's
    rows as soon as the child is done, and has it index the child's rows, once copied
    in, as a second stage (`search_index.begin(more=True)`, `extend`). The booth's writes
    meanwhile — to front rows, to copied rows, new walk-ins, a deleted row — end up
    indexed exactly once, as if one process had built the index afterwards."""
    from kiosk import search_index, words
    from kiosk.contact_rows import insert_contacts
    from tests.core.test_search_index import _postings, _reference

    monkeypatch.setattr(parallel_import, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(import_module, "BULK_ROWS", 100)
    monkeypatch.setattr(search_index, "SNAPSHOT_ROWS", 100)
    monkeypatch.setattr(search_index, "SCRATCH_CHUNK", 70)
    path = tmp_path / "k.db"
    db = open_db(path)
    db.conn.executemany(
        "INSERT INTO salespeople(id, name, email) VALUES (?, ?, ?)",
        [(s[0], s[1], s[2]) for s in SALESPEOPLE],
    )
    booth = open_db(path)  # another kiosk, writing while the import runs
    stages: list[tuple] = []
    real_build = search_index._build_scratch

    def build(conn, progress, note, hold=None, **kw):
        snap = real_build(conn, progress, note, hold, **kw)
        stages.append(snap.stages)
        return snap

    real_copy = parallel_import.copy_in

    def copy_in(conn, half, *args):
        half.process.wait()  # a child done before the copy: all its rows in the second stage
        booth.execute("UPDATE contacts SET search = 'front changed qqq' WHERE rowid = 5")
        insert_contacts(booth, [dict(id="w1", name="Walkin Zzz During", country="DE")])
        done = real_copy(conn, half, *args)
        booth.execute("UPDATE contacts SET search = 'copied changed qqq' WHERE rowid = "
                      "(SELECT max(rowid) - 3 FROM contacts WHERE id <> 'w1')")  # fmt: skip
        booth.execute("DELETE FROM contacts WHERE rowid = 7")
        insert_contacts(booth, [dict(id="w2", name="Walkin Zzz After", country="DE")])
        return done

    monkeypatch.setattr(search_index, "_build_scratch", build)
    monkeypatch.setattr(parallel_import, "copy_in", copy_in)
    report = import_csv(db, "contacts", crm)
    booth.conn.close()
    assert report.inserted > 500
    assert len(stages) == 1 and len(stages[0]) == 2, stages  # one build, in two stages
    front, back = stages[0]
    assert front.lo == 0 and back.lo == front.top and back.top > front.top + 200
    db.execute("INSERT INTO contacts_fts(contacts_fts) VALUES('integrity-check')")
    assert _postings(db, "contacts_fts") == _reference(db)
    vocabulary = dict(db.execute(f"SELECT word, rows FROM {words.WORDS}").fetchall())
    assert vocabulary == dict(words.count(t for (t,) in db.execute("SELECT search FROM contacts")))
    found = {r[0] for r in db.execute(
        "SELECT c.id FROM contacts_fts f JOIN contacts c ON c.rowid = f.rowid"
        " WHERE contacts_fts MATCH 'qqq'")}  # fmt: skip
    assert len(found) == 2
    assert not search_index.pending(db) and search_index.state(db) is None
    db.conn.close()


class _Reading:
    """The child as `copy_in` sees it while it still reads: a finished child's scratch
    file cut back to its first `keep` rows, the rest committed by the time `copy_in`
    looks again (or, with `fails`, never: the child died)."""

    def __init__(self, real, scratch: Path, keep: int, *, fails: bool = False) -> None:
        self.real, self.scratch, self.fails = real, scratch, fails
        self.looks = 0
        self.resumed = False
        with sqlite3.connect(scratch) as conn:
            conn.execute("CREATE TABLE held AS SELECT rowid AS r, * FROM new WHERE rowid > ?",
                         [keep])  # fmt: skip
            conn.execute("DELETE FROM new WHERE rowid > ?", [keep])

    def _resume(self) -> None:
        if not self.resumed:
            self.resumed = True
            if not self.fails:
                with sqlite3.connect(self.scratch) as conn:
                    cols = [r[1] for r in conn.execute("PRAGMA table_info(new)")]
                    conn.execute(f"INSERT INTO new (rowid, {', '.join(cols)}) SELECT * FROM held")

    def poll(self):
        self.looks += 1
        if self.looks == 1:
            return None  # still reading: only the first rows are committed
        self._resume()
        return self.real.poll()

    def wait(self, timeout=None):  # where `copy_in` cannot nap, it waits for the end
        self._resume()
        return self.real.wait(timeout)

    @property
    def returncode(self):
        return self.real.returncode

    def kill(self):
        self.real.kill()

    def communicate(self):
        return self.real.communicate()


def _firms(n: int) -> list[list[str]]:
    """`n` plain CRM records, one firm each, owned by Ana (`HEADER`'s columns)."""
    return [[f"C{i}", f"Name {i}", f"Firm {i}", f"p{i}@firm.example", f"+4930{1000000 + i}",
             "DE", "ana", "", ""] for i in range(n)]  # fmt: skip


def _split(tmp_path: Path, monkeypatch, src: Path, child: str) -> tuple[tuple, list, list]:
    """`src` imported in two processes, the child finishing or ("dies after 150 rows")
    dying once 150 of its rows are copied in: (what `_import` gives, the halves started,
    the `ChildFailed` the copy raised)."""
    monkeypatch.setattr(parallel_import, "PARALLEL_BYTES", 0)
    halves, failures = [], []
    real_start, real_copy = parallel_import.start, parallel_import.copy_in
    monkeypatch.setattr(parallel_import, "start",
                        lambda *a: halves.append(real_start(*a)) or halves[-1])  # fmt: skip
    if child != "finishes":  # its first 150 rows are copied, then it dies

        def copy_in(conn, half, *rest):
            half.process.wait()
            half.process = _Reading(half.process, half.scratch, keep=150, fails=True)
            try:
                return real_copy(conn, half, *rest)
            except parallel_import.ChildFailed as failed:
                failures.append(failed)
                raise

        monkeypatch.setattr(parallel_import, "copy_in", copy_in)
        monkeypatch.setattr(parallel_import, "join", lambda half: half.process.wait() and False)
    return _import(tmp_path, "split", src), halves, failures


def test_the_child_rows_are_copied_while_it_reads_on(tmp_path, crm, monkeypatch):
    """`copy_in` copies what the child has committed, waits, copies what it commits next,
    and calls `joined` (the search index's build starts) only when the child is done."""
    monkeypatch.setattr(parallel_import, "PARALLEL_BYTES", 10**12)
    alone = _import(tmp_path, "alone", crm)
    monkeypatch.setattr(parallel_import, "PARALLEL_BYTES", 0)
    seen = {}
    real_copy = parallel_import.copy_in

    def copy_in(conn, half, held, slices, badge_lines, joined, progress):
        half.process.wait()
        front = conn.execute("SELECT count(*) FROM contacts").fetchone()[0]
        half.process = _Reading(half.process, half.scratch, keep=150)

        def child_done():
            seen["at_join"] = conn.execute("SELECT count(*) FROM contacts").fetchone()[0]
            joined()

        seen["front"] = front
        done = real_copy(conn, half, held, slices, badge_lines, child_done, progress)
        seen["inserted"] = done["inserted"]
        return done

    monkeypatch.setattr(parallel_import, "copy_in", copy_in)
    assert _import(tmp_path, "split", crm) == alone
    assert seen["inserted"] > 300
    # the first 150 rows (less those the front half had) were in before the child was done
    assert 100 < seen["at_join"] - seen["front"] <= 150 < seen["inserted"]


def test_a_child_that_dies_midway_leaves_its_copied_rows_and_the_parent_reads_the_rest(
    tmp_path, crm, monkeypatch
):
    """The rows copied before the child failed stay; the parent reads the rest of the back
    half itself, knowing the copied rows' keys: the result is what one process lands."""
    monkeypatch.setattr(parallel_import, "PARALLEL_BYTES", 10**12)
    alone = _import(tmp_path, "alone", crm)
    monkeypatch.setattr(parallel_import, "PARALLEL_BYTES", 0)
    real_copy, real_failed = parallel_import.copy_in, parallel_import._failed
    failures = []

    def copy_in(conn, half, *rest):
        half.process.wait()
        half.process = _Reading(half.process, half.scratch, keep=150, fails=True)
        return real_copy(conn, half, *rest)

    monkeypatch.setattr(parallel_import, "copy_in", copy_in)

    def join(half):  # the child exited without finishing its half
        half.process.wait()
        return False

    monkeypatch.setattr(parallel_import, "join", join)
    monkeypatch.setattr(parallel_import, "_failed",
                        lambda *a: failures.append(real_failed(*a)) or failures[-1])  # fmt: skip
    assert _import(tmp_path, "split", crm) == alone
    assert len(failures) == 1 and 100 < failures[0].inserted <= 150
    assert len(failures[0].lines) == failures[0].inserted == len(failures[0].keys)


def test_the_progress_bar_counts_the_child_reading_and_the_copy(tmp_path, crm, monkeypatch):
    """The progress an import reports adds what the child has read (as of its last
    commit) to the parent's reading: a bar stuck where the front half ended looked like
    a hang. It never goes back, and ends at the whole file."""
    monkeypatch.setattr(parallel_import, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(bulk, "MAX_ROWS", 100)  # the child's rows copied in several slices
    halves = []
    real_copy = parallel_import.copy_in

    def copy_in(conn, half, *rest):
        done = real_copy(conn, half, *rest)
        halves.append((half, parallel_import.progress_of(half, half.begin)))
        return done

    monkeypatch.setattr(parallel_import, "copy_in", copy_in)
    db = open_db(tmp_path / "k.db")
    db.conn.executemany(
        "INSERT INTO salespeople(id, name, email) VALUES (?, ?, ?)",
        [(s[0], s[1], s[2]) for s in SALESPEOPLE],
    )
    size = crm.stat().st_size
    seen: list[tuple[int, int]] = []
    import_csv(db, "contacts", crm, progress=lambda done, total: seen.append((done, total)))
    db.conn.close()
    done = [d for d, _ in seen]
    assert done == sorted(done) and {t for _, t in seen} == {size}
    assert done[-1] == size and len(set(done)) > 1  # the copy still to come: short of it
    ((half, at_end),) = halves
    assert at_end == size and half.copied == size - half.begin  # read and copied: all of it
    assert parallel_import.progress_of(half, 7) == 7  # its work dropped: only the parent's


def test_the_child_stores_no_column_it_can_make_again():
    """A child's row is a CRM contact: its contact id is its CRM id, its source 'crm', and
    a CRM value with no field of its own is the value itself. Those are not bound (~0.35 µs
    a parameter: four of a CRM export's nineteen) but made again by the copy's SELECT;
    a file with a field of its own for one keeps it. (That the rows land the same is
    `test_two_processes_land_what_one_does`.)"""
    export = SimpleNamespace(keys=lambda: ("crm_id", "name", "email", "owner_id", "filed_at"))
    stored = parallel_import._varying(export)
    assert {"id", "source", "crm_owner_id"}.isdisjoint(stored)
    assert {"crm_id", "owner_id", "email_norm", "search"} <= set(stored)
    select = dict(zip(COLUMNS, parallel_import._select(set(stored)).split(", "), strict=True))
    assert (select["id"], select["source"], select["crm_owner_id"]) == (
        "crm_id",
        "'crm'",
        "owner_id",
    )
    assert select["crm_assistant_id"] == select["assistant_id"] == "NULL"
    own = SimpleNamespace(keys=lambda: ("crm_id", "name", "id", "source", "crm_owner_id"))
    assert {"id", "source", "crm_owner_id"} <= set(parallel_import._varying(own))


def test_both_halves_read_a_fixed_rejects_file_without_the_formula_guard(
    tmp_path, crm, monkeypatch
):
    """A rejects file, fixed and imported as it is, has cells guarded against formulas
    ("'-Minus Co"): whichever process reads a record, the apostrophe is not stored."""
    with open(crm, encoding="utf-8", newline="") as fh:
        header, *rows = list(csv.reader(fh))
    guarded = {12: "'-Minus Co", 13: "'=Equals AG", 850: "'@At Ltd", 851: "'+Plus SA"}
    for i, text in guarded.items():
        cells = {"crm_id": f"G{i}", "name": f"Guarded {i}", "company": text, "country": "DE",
                 "email": f"g{i}@guarded.example", "owner": "ana"}  # fmt: skip
        rows[i] = [cells.get(h, "") for h in header]
    src = write_csv(tmp_path / "fixed.rejects.csv", header, rows)
    monkeypatch.setattr(parallel_import, "PARALLEL_BYTES", 10**12)
    alone = _import(tmp_path, "alone", src)
    monkeypatch.setattr(parallel_import, "PARALLEL_BYTES", 0)
    halves = []
    real_start = parallel_import.start
    monkeypatch.setattr(parallel_import, "start",
                        lambda *a: halves.append(real_start(*a)) or halves[-1])  # fmt: skip
    split = _import(tmp_path, "split", src)
    assert halves[0] is not None and 15 < halves[0].first_line < 851  # one in each half
    assert split == alone
    db = open_db(tmp_path / "split.db")
    stored = dict(db.execute("SELECT crm_id, company FROM contacts WHERE crm_id LIKE 'G%'"))
    db.conn.close()
    assert stored == {f"G{i}": text[1:] for i, text in guarded.items()}


@pytest.mark.parametrize("child", ["finishes", "dies after 150 rows"])
@pytest.mark.parametrize("notes", [True, False], ids=["general path", "fast path"])
def test_a_crm_id_repeated_within_or_across_the_halves_is_reported(
    tmp_path, monkeypatch, child, notes
):
    """A CRM id a later record repeats is reported with both lines, whichever process read
    each record: the first in the front half and the repeat in the back one, both in one
    half, or the first copied in from a child that then died."""
    rows = _firms(900)
    rows[100] = ["C5", "Name 5", "Firm Five", *rows[100][3:]]  # lines 7 and 102: the front
    rows[700] = ["C10", "Name 10", "Firm Ten", *rows[700][3:]]  # lines 12 and 702: across
    rows[800] = ["C400", "Name 400", "Firm 400", *rows[800][3:]]  # 402 and 802: the back
    rows[850] = list(rows[20])  # the same record again (lines 22 and 852): nothing lost
    header = HEADER
    if not notes:  # every record plain: the fast path, in both processes
        header = [h for h in HEADER if h != "notes"]
        rows = [r[:7] + r[8:] for r in rows]
    src = write_csv(tmp_path / "crm.csv", header, rows)
    expected = [
        "crm.csv line 102 repeats CRM id 'C5' of line 7; line 102 is kept",
        "crm.csv line 702 repeats CRM id 'C10' of line 12; line 702 is kept",
        "crm.csv line 802 repeats CRM id 'C400' of line 402; line 802 is kept",
    ]
    monkeypatch.setattr(parallel_import, "PARALLEL_BYTES", 10**12)
    alone = _import(tmp_path, "alone", src)
    assert alone[2]["warnings"] == expected
    split, halves, failures = _split(tmp_path, monkeypatch, src, child)
    assert 102 < halves[0].first_line < 402
    assert split[2]["warnings"] == expected and split == alone
    if child != "finishes":  # line 402 was copied from the child before it died
        assert 402 in failures[0].lines and 802 not in failures[0].lines


@pytest.mark.parametrize("col", [2, 8])  # the company, or the last column
def test_an_unclosed_quote_in_the_back_half_is_read_as_one_process_reads_it(
    tmp_path, monkeypatch, col
):
    """The child hands a quote that is never closed (`kiosk.sync.runaway`) to the parent,
    which rejects its line and reads the lines after it again, as one process does."""
    notes = HEADER.index("notes")
    rows = [r[:notes] + [""] + r[notes + 1 :] for r in _rows(600, seed=3)]
    rows[450][col] = '"' + rows[450][col]
    src = tmp_path / "crm.csv"
    with open(src, "w", encoding="utf-8", newline="") as fh:  # the quote written as is
        fh.write(",".join(HEADER) + "\n")
        fh.writelines(",".join(r) + "\n" for r in rows)
    monkeypatch.setattr(parallel_import, "PARALLEL_BYTES", 10**12)
    alone = _import(tmp_path, "alone", src)
    monkeypatch.setattr(parallel_import, "PARALLEL_BYTES", 0)
    started = []
    real_start = parallel_import.start
    monkeypatch.setattr(parallel_import, "start",
                        lambda *a: started.append(real_start(*a)) or started[-1])  # fmt: skip
    assert _import(tmp_path, "split", src) == alone
    assert started[0] is not None and started[0].first_line < 452
    assert alone[2]["rows"] == 600
    assert "line 452 opens a quote that is never closed" in alone[2]["warnings"][0]


def test_a_report_footer_in_the_back_half_is_skipped_as_one_process_skips_it(tmp_path, monkeypatch):
    src = _write(tmp_path / "crm.csv", _rows(600, seed=4))
    with open(src, "a", encoding="utf-8", newline="") as fh:
        fh.write('\n"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."\n'
                 '"Confidential Information - Do Not Distribute"\n"Generated By: Ana"\n')  # fmt: skip
    monkeypatch.setattr(parallel_import, "PARALLEL_BYTES", 10**12)
    alone = _import(tmp_path, "alone", src)
    monkeypatch.setattr(parallel_import, "PARALLEL_BYTES", 0)
    copied = []
    real_copy = parallel_import.copy_in
    monkeypatch.setattr(parallel_import, "copy_in",
                        lambda *a: copied.append(real_copy(*a)) or copied[-1])  # fmt: skip
    assert _import(tmp_path, "split", src) == alone
    assert copied and copied[0]["footer"] == alone[2]["footer_lines"]
    last = src.read_text(encoding="utf-8").count("\n")
    assert alone[2]["footer_lines"] == [last - 2, last]


def test_cells_with_two_addresses_or_numbers_land_alike_in_either_process(tmp_path, monkeypatch):
    """Rows whose e-mail or phone cell holds two (`kiosk.sync.cell_lists`) go through the
    ordinary path from the child's half too: the same further keys, the same warnings."""
    rows = _rows(600, seed=6)
    for i in range(0, 600, 37):
        rows[i][3] = f"Name {i} <{rows[i][3]}>; second{i}@x.example"
    for i in range(5, 600, 41):
        rows[i][4] = f"+49 30 {1000000 + i} / +49 171 {2000000 + i}"
    src = _write(tmp_path / "crm.csv", rows)

    def keys(name: str) -> list:
        db = open_db(tmp_path / f"{name}.db")
        try:
            return db.execute("SELECT * FROM contact_keys ORDER BY key, contact_id").fetchall()
        finally:
            db.conn.close()

    monkeypatch.setattr(parallel_import, "PARALLEL_BYTES", 10**12)
    alone = _import(tmp_path, "alone", src)
    monkeypatch.setattr(parallel_import, "PARALLEL_BYTES", 0)
    assert _import(tmp_path, "split", src) == alone
    assert keys("split") == keys("alone") and len(keys("alone")) > 20
    assert any("several e-mail addresses in one cell" in w for w in alone[2]["warnings"])


@pytest.mark.parametrize("child", ["finishes", "dies after 150 rows"])
def test_cell_parts_and_every_problem_of_a_row_are_reported_alike_by_either_process(
    tmp_path, monkeypatch, child
):
    """A cell with a part that is no address or number is warned of with its line, and a
    rejected record gives every reason it has, whichever process read it: in the front
    half, in the child's (its rows copied in, or set aside for the ordinary path), or
    copied in from a child that then died (its flagged rows are noted again)."""
    rows = _firms(900)
    for i in (10, 340, 700):  # lines 12, 342, 702: one address and a part that is none
        rows[i][3] = f"p{i}@firm.example, not-an-email"
    rows[360][3] = "p360@firm.example; q360@firm.example; ???"  # line 362: two and one
    for i in (20, 350, 800):  # lines 22, 352, 802: a number and a part that is none
        rows[i][4] = f"+49 171 {2000000 + i} / call me"
    rows[355][3] = "no-address"  # line 357: kept as text (it has a CRM id)
    for i in (30, 370, 810):  # lines 32, 372, 812: three reasons to reject each
        rows[i][3:7] = ["bad@", "+49 30 1234567 / call me", "Atlantis", "nobody"]
    src = write_csv(tmp_path / "crm.csv", HEADER, rows)
    rejects = tmp_path / "crm.rejects.csv"
    monkeypatch.setattr(parallel_import, "PARALLEL_BYTES", 10**12)
    alone = _import(tmp_path, "alone", src)
    alone_rejects = rejects.read_text(encoding="utf-8-sig")
    assert alone[2]["warnings"] == [
        "crm.csv line 12: e-mail cell: kept p10@firm.example; 'not-an-email' is not an e-mail"
        " address",
        "crm.csv line 22: phone cell: kept +49 171 2000020; 'call me' is not a phone number",
        "crm.csv line 342: e-mail cell: kept p340@firm.example; 'not-an-email' is not an"
        " e-mail address",
        "crm.csv line 352: phone cell: kept +49 171 2000350; 'call me' is not a phone number",
        "crm.csv line 362: e-mail cell: kept p360@firm.example and q360@firm.example; '???'"
        " is not an e-mail address",
        "crm.csv line 702: e-mail cell: kept p700@firm.example; 'not-an-email' is not an"
        " e-mail address",
        "crm.csv line 802: phone cell: kept +49 171 2000800; 'call me' is not a phone number",
        "1 row(s) have an email that is not a valid address (line 357); kept as text,"
        " matched by CRM id",
        "1 row(s) have several e-mail addresses in one cell (line 362): the first is the"
        " contact's e-mail, the others find the contact too",
    ]
    reason = ("e-mail 'bad@' is not a valid address; phone cell: 'call me' is not a phone number;"
              " unknown country 'Atlantis'; unknown owner 'nobody' (not a salesperson id,"
              " email or name)")  # fmt: skip
    assert alone[3] == [(32, reason), (372, reason), (812, reason)]
    split, halves, failures = _split(tmp_path, monkeypatch, src, child)
    assert 32 < halves[0].first_line < 342
    assert split == alone
    assert rejects.read_text(encoding="utf-8-sig") == alone_rejects
    if child != "finishes":  # copied from the child before it died, flagged: noted again
        assert {342, 352, 357} <= failures[0].flagged and 702 not in failures[0].lines
