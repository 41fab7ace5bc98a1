"""Reading real-world CSV files: encodings, delimiters, line numbers, and non-CSV input."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kiosk.sync import CsvFileError, MappingError
from kiosk.sync.csvread import CsvFile
from kiosk.sync.imports import import_csv
from kiosk.sync.values import parse_date, parse_flag, split_list

DATA = Path(__file__).resolve().parent.parent / "data" / "crm"


def table(db, sql: str) -> list[tuple]:
    return sorted(db.execute(sql).fetchall(), key=repr)


def snapshot(db) -> dict[str, list[tuple]]:
    return {
        t: table(db, f"SELECT * FROM {t}")
        for t in ("contacts", "contact_badges", "salespeople", "territories")
    }


@pytest.fixture
def crm(tmp_path: Path) -> Path:
    """A private copy of the fixtures, so rejects files land in tmp_path."""
    out = tmp_path / "crm"
    shutil.copytree(DATA, out)
    return out


@pytest.mark.parametrize(
    ("name", "encoding", "delimiter", "header_line"),
    [
        ("generic_bom.csv", "utf-8-sig", ",", 1),
        ("semicolon_cp1252.csv", "cp1252", ";", 1),
        ("gbk_excel.csv", "gb18030", ",", 1),
        ("excel_unicode.txt", "utf-16", "\t", 1),
        ("german_crm.csv", "utf-8", ";", 2),  # after Excel's "sep=;" line
    ],
)
def test_encoding_and_delimiter_are_sniffed(name, encoding, delimiter, header_line):
    with CsvFile(DATA / name) as f:
        assert (f.info.encoding, f.info.delimiter, f.info.header_line) == (
            encoding,
            delimiter,
            header_line,
        )


@pytest.mark.parametrize(
    ("name", "crm_id", "expected"),
    [
        (
            "semicolon_cp1252.csv",
            "D1",
            ("Hans Müller", "DE", "2024-03-02", "Preis in € verhandelt"),
        ),
        ("semicolon_cp1252.csv", "D2", ("Zoë Ångström", "SE", "2023-04-15", "")),
        (
            "semicolon_cp1252.csv",
            "D3",
            ("François Lefèvre", "FR", "2024-11-03T14:30:00", "“guillemets” – tiret"),
        ),
        ("gbk_excel.csv", "G1", ("李娜", "CN", "2024-03-02", "")),
        ("gbk_excel.csv", "G2", ("张伟", "JP", "2023-05-06", "")),
        ("gbk_excel.csv", "G3", ("陈静", "ES", "2024-03-02T09:15:00", "")),
        ("excel_unicode.txt", "U2", ("Пётр Иванов", "RU", None, "")),
    ],
)
def test_text_dates_and_countries_survive_each_encoding(db, crm, name, crm_id, expected):
    report = import_csv(db, "contacts", crm / name)
    assert report.rejected == 0, report.sample_rejects
    row = db.execute(
        "SELECT name, country, filed_at, notes FROM contacts WHERE crm_id = ?", [crm_id]
    ).fetchone()
    assert row == expected


def test_records_keep_their_physical_line_numbers():
    with CsvFile(DATA / "broken_rows.csv") as f:
        lines = [(line, cells[0]) for line, cells in f.rows()]
    # B1's notes span lines 2-4; line 12 is blank and skipped
    assert lines == [
        (2, "B1"), (5, "B2"), (6, "B3"), (7, "B4"), (8, "B5"), (9, ""), (10, "B7"),
        (11, "B8"), (13, "B9"), (14, "B10"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("workbook.xlsx.csv", "is not a CSV file: it looks like an Excel workbook (.xlsx)"),
        ("empty.csv", "empty.csv is empty"),
        ("report.html.csv", "is not a CSV file: it is HTML/XML"),
        ("garbage.csv", "garbage.csv: none of the needed columns for a generic contacts import"),
        ("hubspot_export.csv", "missing column(s) for a generic contacts import: need 'name'"),
        ("no-such-file.csv", "file not found"),
    ],
)
def test_a_file_that_is_not_a_usable_csv_is_one_line_and_writes_nothing(db, crm, name, message):
    before = snapshot(db)
    with pytest.raises(CsvFileError) as err:
        import_csv(db, "contacts", crm / name)
    assert message in str(err.value)
    assert "\n" not in str(err.value)
    assert snapshot(db) == before
    assert not list(crm.glob("*.rejects.csv"))


def test_binary_junk_in_a_csv_named_file_is_refused(db, tmp_path):
    path = tmp_path / "photo.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    with pytest.raises(CsvFileError, match="looks like a PNG image"):
        import_csv(db, "contacts", path)


def test_a_missing_key_column_is_named(db, tmp_path):
    path = tmp_path / "names-only.csv"
    path.write_text("name,company\nAna,Acme\n", encoding="utf-8")
    with pytest.raises(CsvFileError) as err:
        import_csv(db, "contacts", path)
    assert "missing column(s) for a generic contacts import: need 'crm_id' or 'email'" in str(
        err.value
    )


def test_a_folder_is_not_a_file(db, tmp_path):
    with pytest.raises(CsvFileError, match="is a folder"):
        import_csv(db, "contacts", tmp_path)


def test_latin1_text_is_not_mistaken_for_chinese(tmp_path):
    # accented Latin letters next to ASCII are valid GB18030 byte pairs: the heuristic
    # must still pick cp1252
    path = tmp_path / "latin.csv"
    path.write_bytes("crm_id,name\nX1,Müller Ölçer Ñandú çà été\n".encode("cp1252"))
    with CsvFile(path) as f:
        assert f.info.encoding == "cp1252"
        assert [c for _, c in f.rows()] == [["X1", "Müller Ölçer Ñandú çà été"]]


def test_unknown_format_and_bad_mapping_are_user_errors(db, crm, tmp_path):
    with pytest.raises(MappingError, match="unknown format 'zoho'"):
        import_csv(db, "contacts", crm / "generic_bom.csv", fmt="zoho")
    bad = tmp_path / "bad.toml"
    bad.write_text('[columns]\nnombre = "Name"\n', encoding="utf-8")
    with pytest.raises(MappingError, match="unknown field 'nombre' for contacts"):
        import_csv(db, "contacts", crm / "generic_bom.csv", mapping=bad)
    bad.write_text('[columns]\nname = { glue = ["A", "B"] }\n', encoding="utf-8")
    with pytest.raises(MappingError, match="unknown combination 'glue'"):
        import_csv(db, "contacts", crm / "generic_bom.csv", mapping=bad)
    bad.write_text('kind = "territories"\n', encoding="utf-8")
    with pytest.raises(MappingError, match="is a mapping for territories, not contacts"):
        import_csv(db, "contacts", crm / "generic_bom.csv", mapping=bad)


@pytest.mark.parametrize(
    ("text", "order", "iso"),
    [
        ("2024-03-02", "DMY", "2024-03-02"),
        ("2024-03-02T09:15:00+08:00", "DMY", "2024-03-02T09:15:00+08:00"),
        ("2024-03-02 09:15", "DMY", "2024-03-02T09:15:00"),
        ("2024-03-02T09:15:00Z", "DMY", "2024-03-02T09:15:00+00:00"),
        ("2024/3/2", "MDY", "2024-03-02"),
        ("03/02/2024", "MDY", "2024-03-02"),
        ("03/02/2024", "DMY", "2024-02-03"),
        ("25/12/2024", "MDY", "2024-12-25"),  # only one reading is possible
        ("12/25/2024", "DMY", "2024-12-25"),
        ("02.03.2024", "DMY", "2024-03-02"),
        ("3/2/2024 9:15 PM", "MDY", "2024-03-02T21:15:00"),
        ("12/1/24 12:05 am", "MDY", "2024-12-01T00:05:00"),
        ("2 Mar 2024", "MDY", "2024-03-02"),
        ("March 2, 2024", "DMY", "2024-03-02"),
        ("2024年3月2日", "DMY", "2024-03-02"),
        ("2024/3/2 下午 3:15", "DMY", "2024-03-02T15:15:00"),
        ("45353", "DMY", "2024-03-02"),  # an Excel serial day
        ("", "DMY", None),
    ],
)
def test_dates_in_common_export_formats(text, order, iso):
    assert parse_date(text, order) == iso


@pytest.mark.parametrize("text", ["31/31/2024", "tomorrow", "2024-13-01", "1/2/1750", "12345"])
def test_unreadable_dates_raise(text):
    with pytest.raises(ValueError):
        parse_date(text, "DMY")


def test_flags_and_lists():
    assert [parse_flag(x) for x in ("1", "TRUE", "yes", "x", "sí", "是", "", "0", "No")] == [
        True, True, True, True, True, True, False, False, False,
    ]  # fmt: skip
    with pytest.raises(ValueError):
        parse_flag("maybe")
    assert split_list(" ana; ben,ana ;;luis ") == ["ana", "ben", "luis"]


def test_a_few_broken_bytes_reject_their_rows_not_the_file(db, tmp_path):
    rows = "".join(f"G{i},李娜{i},l{i}@x.example\n" for i in range(300))
    path = tmp_path / "gbk.csv"
    path.write_bytes(("crm_id,name,email\n" + rows).encode("gbk") + b"G9,\xff\xfe,bad@x.example\n")
    report = import_csv(db, "contacts", path)
    assert (report.encoding, report.inserted, report.rejected) == ("gb18030", 300, 1)
    assert report.sample_rejects == [
        (302, "has bytes that are not valid GB18030 (was the file saved in two encodings?)")
    ]
    # the same in a UTF-8 file: still read as UTF-8, not as cp1252 mojibake
    path = tmp_path / "utf8.csv"
    path.write_bytes(("crm_id,name,email\n" + rows).encode("utf-8") + b"U9,Ren\xe9,u@x.example\n")
    report = import_csv(db, "contacts", path)
    assert (report.encoding, report.rejected) == ("utf-8", 1)
    assert db.execute("SELECT name FROM contacts WHERE crm_id = 'G7'").fetchone() == ("李娜7",)


def test_progress_is_reported_in_bytes(db, crm):
    seen: list[tuple[int, int]] = []
    import_csv(db, "contacts", crm / "generic_bom.csv", progress=lambda d, t: seen.append((d, t)))
    size = (crm / "generic_bom.csv").stat().st_size
    assert seen and seen[-1] == (size, size)
