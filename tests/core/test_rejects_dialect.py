"""The rejects file is written in the source's dialect, so the person's Excel opens it.

A German or French Excel saves and opens .csv files with semicolons: a comma-separated
rejects file showed every row in column A there, and "fix the rows in that file and
import it as it is" broke. Tabs ("Unicode text") come back as UTF-16, the one form Excel
splits at tabs whatever the computer's list separator.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from kiosk.sync.imports import import_csv

DATA = Path(__file__).resolve().parent.parent / "data" / "crm"


def _semicolons(tmp_path: Path) -> Path:
    src = tmp_path / "semi.csv"
    src.write_bytes(
        b"crm_id;name;company;email;country;owner\r\n"
        b"S-1;Fran\xe7ois;Lumi\xe8re;fr@x.example;Atlantis;ana\r\n"
        b"S-2;Ana;Sol;ana@x.example;ES;ana\r\n"
    )
    return src


def test_a_semicolon_file_gets_a_semicolon_rejects_file_that_imports_as_it_is(db, tmp_path):
    report = import_csv(db, "contacts", _semicolons(tmp_path))
    assert (report.inserted, report.rejected) == (1, 1)
    raw = (tmp_path / "semi.rejects.csv").read_bytes()
    assert raw.startswith(
        b"\xef\xbb\xbf" + b"crm_id;name;company;email;country;owner;line;reason\r\n"
    )
    assert "S-1;François;Lumière;fr@x.example;Atlantis;ana;2;".encode() in raw
    # the person fixes the country in Excel, saves, and imports the file as it is
    fixed = tmp_path / "semi.rejects.csv"
    fixed.write_bytes(raw.replace(b";Atlantis;", b";France;"))
    again = import_csv(db, "contacts", fixed)
    assert (again.delimiter, again.inserted, again.rejected) == (";", 1, 0)
    assert (
        db.execute("SELECT company FROM contacts WHERE crm_id = 'S-1'").fetchone()[0] == "Lumière"
    )


def test_a_tab_file_gets_a_unicode_text_rejects_file(db, tmp_path):
    src = tmp_path / "tabs.csv"
    src.write_text("crm_id\tname\tcountry\nT-1\t王伟\tAtlantis\n", encoding="utf-16")
    import_csv(db, "contacts", src)
    raw = (tmp_path / "tabs.rejects.csv").read_bytes()
    assert raw.startswith(b"\xff\xfe")
    with open(tmp_path / "tabs.rejects.csv", encoding="utf-16", newline="") as fh:
        assert list(csv.reader(fh, delimiter="\t"))[1][:4] == ["T-1", "王伟", "Atlantis", "2"]


@pytest.mark.parametrize("name", ["semicolon_cp1252.csv", "german_crm.csv"])
def test_rejects_keep_the_source_delimiter(db, tmp_path, name):
    src = tmp_path / name
    shutil.copy(DATA / name, src)
    text = src.read_bytes().replace(b"Deutschland", b"Atlantis", 1)
    src.write_bytes(text)
    mapping = DATA / "german_crm.toml" if name == "german_crm.csv" else None
    report = import_csv(db, "contacts", src, mapping=mapping)
    assert report.rejected >= 1 and report.rejects_path is not None
    head = report.rejects_path.read_text(encoding="utf-8-sig").splitlines()[0]
    assert report.delimiter == ";" and "," not in head
    assert head.split(";")[-2:] == ["line", "reason"]
