"""Imports never garble a name (issue 12 §5): mixed encodings, NUL bytes, the CSV writer.

A file mixing UTF-8, Latin-1 and GB18030 lines was read whole as Windows-1252 ('JosÃ©');
a NUL byte past the first MiB was stored inside a name. Now the lines that do not fit the
chosen encoding are rejected with their numbers, and a NUL rejects its row.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kiosk.safety import clean_text, csv_dict_writer, csv_writer, safe_cell, unguard_cell
from kiosk.sync.csvread import CsvFile
from kiosk.sync.imports import import_csv
from tests.examples import examples

HEADER = "crm_id,name,email\n"


def write(path: Path, lines: list[tuple[str, str]]) -> Path:
    path.write_bytes(b"".join(text.encode(enc) for text, enc in lines))
    return path


def names(db) -> dict[str, str]:
    return dict(db.execute("SELECT crm_id, name FROM contacts WHERE crm_id LIKE 'M%'"))


def rejects(path: Path) -> list[dict[str, str]]:
    with open(path.with_name(path.stem + ".rejects.csv"), encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def test_a_mostly_utf8_file_rejects_its_latin1_and_gb18030_lines_by_number(db, tmp_path):
    lines = [(HEADER, "utf-8")]
    lines += [(f"MU{i},José Müller {i},u{i}@x.example\n", "utf-8") for i in range(5)]
    lines += [(f"ML{i},François Lefèvre {i},l{i}@x.example\n", "cp1252") for i in range(2)]
    lines += [(f"MG{i},王小明{i},g{i}@x.example\n", "gb18030") for i in range(2)]
    path = write(tmp_path / "mixed.csv", lines)
    report = import_csv(db, "contacts", path)
    assert report.encoding == "utf-8"
    assert names(db) == {f"MU{i}": f"José Müller {i}" for i in range(5)}  # none garbled
    assert [line for line, _ in report.sample_rejects] == [7, 8, 9, 10]
    assert all("not valid UTF-8" in reason for _, reason in report.sample_rejects)
    assert any("mixes encodings" in w for w in report.warnings)  # never silently
    # the rejects file shows each line readably, decoded in its own encoding
    assert [r["name"] for r in rejects(path)] == [
        "François Lefèvre 0", "François Lefèvre 1", "王小明0", "王小明1",
    ]  # fmt: skip


def test_a_mostly_latin1_file_rejects_its_utf8_and_chinese_lines(db, tmp_path):
    lines = [(HEADER, "utf-8")]
    lines += [(f"ML{i},Zoë Ångström Nuñez {i},l{i}@x.example\n", "cp1252") for i in range(6)]
    lines += [("MU1,José Müller,u@x.example\n", "utf-8")]
    lines += [("MG1,王小明,明亮照明有限公司\n", "gb18030")]
    path = write(tmp_path / "latin.csv", lines)
    report = import_csv(db, "contacts", path)
    assert report.encoding == "cp1252"
    assert names(db) == {f"ML{i}": f"Zoë Ångström Nuñez {i}" for i in range(6)}
    assert "JosÃ© MÃ¼ller" not in names(db).values()
    assert report.sample_rejects == [
        (8, "is UTF-8 text in a Windows-1252 file (the file mixes encodings; save it as"
            " 'CSV UTF-8' and import it again)"),
        (9, "reads as Chinese (GB18030) in a Windows-1252 file (the file mixes encodings;"
            " save it as 'CSV UTF-8' and import it again)"),
    ]  # fmt: skip
    assert [r["name"] for r in rejects(path)] == ["José Müller", "王小明"]


def test_a_mostly_gb18030_file_rejects_latin1_lines(db, tmp_path):
    lines = [(HEADER, "utf-8")]
    lines += [(f"MG{i},王小明{i},g{i}@x.example\n", "gb18030") for i in range(5)]
    lines += [("ML1,Müller Wolf,l@x.example\n", "cp1252")]
    path = write(tmp_path / "gb.csv", lines)
    report = import_csv(db, "contacts", path)
    assert report.encoding == "gb18030"
    assert names(db) == {f"MG{i}": f"王小明{i}" for i in range(5)}
    assert [line for line, _ in report.sample_rejects] == [7]


def test_a_nul_byte_past_the_first_mib_rejects_its_row(db, tmp_path):
    filler = "".join(
        f"MF{i},Filler Person {i:06d} with a long name,f{i}@x.example\n" for i in range(20_000)
    )
    assert len(filler) > 1 << 20
    path = tmp_path / "nul.csv"
    path.write_bytes((HEADER + filler).encode() + b"MN1,Ann\x00a Berg,n@x.example\n")
    report = import_csv(db, "contacts", path)
    assert report.rejected == 1 and report.sample_rejects[0][0] == 20_002
    assert "NUL" in report.sample_rejects[0][1]
    assert db.execute("SELECT count(*) FROM contacts WHERE instr(name, char(0))").fetchone() == (0,)
    assert db.execute("SELECT 1 FROM contacts WHERE crm_id = 'MN1'").fetchone() is None


def test_one_nul_byte_near_the_top_rejects_its_row_not_the_file(db, tmp_path):
    path = tmp_path / "nul-top.csv"
    path.write_bytes(
        (HEADER + "MA1,Ana Ruiz,a@x.example\n").encode() + b"MN1,Bad\x00Name,n@x.example\n"
    )
    report = import_csv(db, "contacts", path)
    assert (report.inserted, report.rejected) == (1, 1)
    assert report.sample_rejects[0][0] == 3


def test_a_utf8_file_with_a_bom_and_a_latin1_line(db, tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(
        b"\xef\xbb\xbf" + (HEADER + "MU1,José,u@x.example\n").encode()
        + "ML1,José,l@x.example\n".encode("cp1252")
    )  # fmt: skip
    report = import_csv(db, "contacts", path)
    assert report.encoding == "utf-8-sig"
    assert names(db) == {"MU1": "José"} and [n for n, _ in report.sample_rejects] == [3]


def test_record_spanning_lines_is_rejected_when_any_of_its_lines_is_bad(tmp_path):
    path = tmp_path / "notes.csv"
    path.write_bytes(
        'id,notes\n1,"first\nsecond José"\n2,Zoë\n'.encode()
        + '3,"ok\nthen Müller"\n'.encode("cp1252")
    )
    with CsvFile(path) as f:
        got = [(line, cells, f.problem(line)) for line, cells in f.rows()]
    assert [(line, problem is None) for line, _, problem in got] == [
        (2, True), (4, True), (5, False),
    ]  # fmt: skip
    assert got[2][2].startswith("line 6: has bytes that are not valid UTF-8")


# Names written in one encoding per line, as two exports pasted together would be.
LATIN = st.text(alphabet="abcdefghijklmnopqrstuvwxyzÀÉÍÑÖÜßàáçèéêíñóöúüÅåØø ", min_size=1,
                max_size=12)  # fmt: skip
CHINESE = st.text(alphabet="王李张刘陈杨黄赵吴周明亮照有限公司小红华国", min_size=2, max_size=6)
NAMES = st.one_of(LATIN, CHINESE, st.text(alphabet="abcdefghij ", min_size=1, max_size=8))


def _encodings(name: str) -> list[str]:
    out = ["utf-8"]
    for enc in ("cp1252", "gb18030"):
        try:
            name.encode(enc)
        except UnicodeEncodeError:
            continue
        out.append(enc)
    return out


@st.composite
def mixed_files(draw) -> list[tuple[str, str]]:
    rows = draw(st.lists(NAMES, min_size=1, max_size=12))
    names = [" ".join(n.split()) or "x" for n in rows]
    return [(n, draw(st.sampled_from(_encodings(n)))) for n in names]


def _read(tmp_path: Path, rows: list[tuple[str, str]]) -> tuple[CsvFile, list[tuple]]:
    path = tmp_path / "prop.csv"
    path.write_bytes(
        b"id,name\n" + b"".join(f"{i},{n}\n".encode(enc) for i, (n, enc) in enumerate(rows))
    )
    with CsvFile(path) as f:
        kept = [(int(cells[0]), cells[1]) for line, cells in f.rows() if f.problem(line) is None]
        return f, kept


SETTINGS = settings(
    max_examples=examples(80),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@SETTINGS
@given(mixed_files())
def test_property_mostly_utf8_keeps_every_utf8_name_exactly_and_says_it_is_mixed(tmp_path, rows):
    non_ascii = [enc for name, enc in rows if not name.isascii()]
    utf8 = non_ascii.count("utf-8")
    if utf8 * 2 <= len(non_ascii):
        rows = [(n, "utf-8") for n, _ in rows]  # make it so
        non_ascii = ["utf-8"] * len(non_ascii)
    f, kept = _read(tmp_path, rows)
    assert f.info.encoding == "utf-8"
    for i, name in kept:
        assert name == rows[i][0]
    expected = {i for i, (n, enc) in enumerate(rows) if enc == "utf-8" or n.isascii()}
    assert {i for i, _ in kept} == expected
    assert f.info.mixed == (len(set(non_ascii)) > 1)


def _utf8_bytes(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@SETTINGS
@given(mixed_files())
# GB18030's 司 is CB BE, which is also UTF-8 for U+02FE: such a line is UTF-8 by its bytes,
# and no reader can tell it from a file that meant "˾˾" (found by this property).
@example(rows=[("À", "utf-8"), ("司司", "gb18030")])
def test_property_no_file_is_decoded_in_two_encodings_silently(tmp_path, rows):
    f, kept = _read(tmp_path, rows)
    for _, name in kept:
        assert "\ufffd" not in name and "\x00" not in name
    utf8 = any(enc == "utf-8" and not n.isascii() for n, enc in rows)
    # A legacy line counts only when its bytes are not UTF-8 as well.
    legacy = any(enc != "utf-8" and not _utf8_bytes(n.encode(enc)) for n, enc in rows)
    if utf8 and legacy:  # two encodings on non-ASCII lines: said, and lines rejected
        assert f.info.mixed or f.foreign_lines
        assert len(kept) < len(rows)


# ---------------------------------------------------------------- the one CSV writer


def test_formula_cells_are_neutralised_and_phone_numbers_are_not():
    assert safe_cell('=HYPERLINK("http://x","y")') == '\'=HYPERLINK("http://x","y")'
    for text in ("+SUM(A1)", "-2+3*cmd|' /C calc'!A0", "@SUM(1)", "\t=1", "\r=1", "  =1+1"):
        assert safe_cell(text).startswith("'"), text
    for text in ("+86 138 0000 0001", "-5", "(030) 123-45", "Ana", "", "a=b", "+4915112345678"):
        assert safe_cell(text) == text
    # a second sign is arithmetic: a spreadsheet opened '+1-800-555-0199' as -1553
    for text in ("+1-800-555-0199", "-20+5", " -3+3", "+49-171-1111111"):
        assert safe_cell(text) == "'" + text, text
    assert safe_cell("Bad\x1b]0;pwn\x07 name\u202e") == "Bad]0;pwn name"
    assert safe_cell(None) == "" and safe_cell(True) == "yes" and safe_cell(0.5) == "0.5"


@given(st.text())
@example('\u202e=HYPERLINK("http://x","y")')
@example("\x00=1+1")
@example("\x1b@SUM(1)")
def test_no_written_cell_starts_a_formula(text):
    """Whatever a badge, a CSV or a merge brings: a cell is guarded, a number, or starts
    (after blanks) with no formula character. A bidi mark or a control character before
    '=' was removed after the check, leaving a live formula."""
    cell = safe_cell(text)
    if cell.startswith("'"):
        return
    body = cell.lstrip()
    assert body[:1] not in ("=", "@"), repr(text)
    if body[:1] in ("+", "-"):
        assert set(body) <= set("0123456789 +-().\u00a0"), repr(text)  # a phone, a number
        assert "+" not in body[1:] and "-" not in body[1:], repr(text)  # nothing to compute


@given(st.text())
@example("-Minus Co")
@example("  =1+1")
@example("\t=1")
@example("\r")
@example("\x0b=1")
def test_an_import_reads_a_guarded_cell_as_it_was(text):
    """What the writer guards, `unguard_cell` (every import's cell reader) gives back; an
    apostrophe the writer did not add, before anything but a formula's first character,
    is text ("'Salt' Ltd")."""
    if text.startswith("'"):  # written as it is: read as it is, unless a formula follows
        assert unguard_cell(text) in (text, text[1:])
    else:
        assert unguard_cell(safe_cell(text)) == clean_text(text, multiline=True)
    for kept in ("'Salt' Ltd", "O'Brien", "'", "' Ana", "'5"):
        assert unguard_cell(kept) == kept


def test_the_writers_write_every_cell_through_safe_cell():
    buf = io.StringIO()
    csv_writer(buf).writerow(["=1+1", "ok", "line one\nline two"])
    w = csv_dict_writer(buf, ["a", "b"])
    w.writeheader()
    w.writerow({"a": "@cmd", "b": "+1 555"})
    assert list(csv.reader(io.StringIO(buf.getvalue()))) == [
        ["'=1+1", "ok", "line one\nline two"], ["a", "b"], ["'@cmd", "+1 555"],
    ]  # fmt: skip


def test_the_rejects_file_neutralises_formulas_it_copies(db, tmp_path):
    path = tmp_path / "evil.csv"
    path.write_text(
        HEADER + 'MX1,"=HYPERLINK(""http://evil.example"",""click"")",a@x.example,extra\n'
        "MX2,Ana,b@x.example\n",
        encoding="utf-8",
    )
    report = import_csv(db, "contacts", path)
    assert report.rejected == 1
    [row] = rejects(path)
    assert row["name"].startswith("'=HYPERLINK(")
