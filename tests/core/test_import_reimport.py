"""Re-imports skip the records a contact was written from (`kiosk.sync.rowhash`).

A known record is counted unchanged without being converted; anything that makes the
skip unsafe — another record of the same contact that changed earlier in the file, other
salespeople, a contact rewritten by something else — sends records down the full path,
which compares field by field.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.contact_rows import insert_contacts
from kiosk.sync import import_contacts as import_module
from kiosk.sync.contact_fields import Converter
from kiosk.sync.imports import import_csv
from tests.factory import write_csv

HEADER = ["crm_id", "name", "company", "email", "country", "owner"]


def _write(path: Path, rows: list[list[str]]) -> Path:
    return write_csv(path, HEADER, rows)


def _rows(n: int) -> list[list[str]]:
    return [[f"R{i}", f"Rehash Person{i}", "Hash AG", f"r{i}@hash.example", "DE", "ana"]
            for i in range(n)]  # fmt: skip


@pytest.fixture
def converted(monkeypatch) -> list[int]:
    """How many records the full path converted, per import (appended by each)."""
    calls = [0]

    class Counting(Converter):
        def __call__(self, raw):
            calls[0] += 1
            return super().__call__(raw)

    monkeypatch.setattr(import_module, "Converter", Counting)
    return calls


def _name(db, crm_id: str) -> str:
    return db.execute("SELECT name FROM contacts WHERE crm_id = ?", [crm_id]).fetchone()[0]


def test_an_unchanged_file_is_not_converted_again(db, tmp_path, converted):
    src = _write(tmp_path / "crm.csv", _rows(300))
    first = import_csv(db, "contacts", src)
    assert first.inserted == 300 and converted[0] == 300
    converted[0] = 0
    changes = db.conn.total_changes
    again = import_csv(db, "contacts", src)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 300)
    assert converted[0] == 0 and db.conn.total_changes == changes
    rows = _rows(300)
    rows[7][1] = "Rehash Renamed"
    third = import_csv(db, "contacts", _write(tmp_path / "crm2.csv", rows))
    assert (third.updated, third.unchanged) == (1, 299) and converted[0] == 1
    assert _name(db, "R7") == "Rehash Renamed"


def test_a_known_record_after_a_changed_record_of_the_same_contact_still_wins(db, tmp_path):
    rows = [["D1", "First Take", "Dup", "d1@dup.example", "DE", "ana"],
            ["D1", "Second Take", "Dup", "d1@dup.example", "DE", "ana"]]  # fmt: skip
    import_csv(db, "contacts", _write(tmp_path / "a.csv", rows))
    assert _name(db, "D1") == "Second Take"  # the later record wins; its hash is kept
    rows[0][1] = "Changed Take"  # the earlier record changes, the later one is known
    report = import_csv(db, "contacts", _write(tmp_path / "b.csv", rows))
    assert _name(db, "D1") == "Second Take" and report.unchanged + report.updated == 2


def test_other_salespeople_or_a_rewritten_contact_are_compared_field_by_field(
    db, tmp_path, converted
):
    src = _write(tmp_path / "crm.csv", _rows(50))
    import_csv(db, "contacts", src)
    db.execute("INSERT INTO salespeople(id, name, email) VALUES ('zed', 'Zed New', 'z@x.example')")
    converted[0] = 0
    again = import_csv(db, "contacts", src)  # owner names might resolve otherwise now
    assert again.unchanged == 50 and converted[0] == 50
    converted[0] = 0
    assert import_csv(db, "contacts", src).unchanged == 50 and converted[0] == 0  # relearnt
    cid = db.execute("SELECT id FROM contacts WHERE crm_id = 'R3'").fetchone()[0]
    insert_contacts(db, [dict(id=cid, crm_id="R3", name="Overwritten", company="Other",
                              email="r3@hash.example", country="DE")], on_conflict="update")  # fmt: skip
    report = import_csv(db, "contacts", src)
    assert (report.updated, report.unchanged) == (1, 49) and converted[0] == 1
    assert _name(db, "R3") == "Rehash Person3"


def test_a_skipped_record_with_a_bad_email_still_counts_in_the_warning(db, tmp_path, converted):
    rows = _rows(20)
    rows[4][3] = "not-an-address"
    src = _write(tmp_path / "crm.csv", rows)
    first = import_csv(db, "contacts", src)
    converted[0] = 0
    again = import_csv(db, "contacts", src)
    assert converted[0] == 0 and again.unchanged == 20
    assert again.warnings == first.warnings and "1 row(s)" in again.warnings[0]
