"""A quote that is never closed no longer hides the rest of the file (`kiosk.sync.runaway`).

The reader used to take every line after a stray `"` as the text of one cell: one record
of 1,501 lines, rejected as "has 3 fields", 1,500 customers missing, and a 77,000-character
cell in the rejects file. Now the line with the quote is rejected alone (its cells as a
person reads them), the lines after it are read again as rows, and the report says which
lines the quote ran over.
"""

from __future__ import annotations

import csv
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.sync.csvread import CsvFile
from kiosk.sync.imports import import_csv

HEADER = "crm_id,name,company,email,country,owner"


def _file(path: Path, broken: int, company: str = '"Smith Lighting', n: int = 2000) -> Path:
    """The tester's file: n customers, row `broken` with a stray quote in its company."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(HEADER + "\n")
        for i in range(1, n + 1):
            co = company if i == broken else f"Co {i}"
            fh.write(f"Q-{i},Person {i},{co},q{i}@q.example,FR,ana\n")
    return path


def test_an_unclosed_quote_rejects_its_line_and_the_rest_is_imported(db, tmp_path):
    src = _file(tmp_path / "quote2.csv", 500)
    report = import_csv(db, "contacts", src)
    assert (report.rows, report.inserted, report.rejected) == (2000, 1999, 1)
    assert report.sample_rejects == [(501, (
        "an unclosed quote at line 501 runs to line 2001 (the end of the file): 1,501 lines"
        " read as one row; the other 1,500 were read again as rows"
        ' (remove the stray " or close it)'
    ))]  # fmt: skip
    assert report.warnings[0] == (
        "quote2.csv line 501 opens a quote that is never closed: it ran to the end of the"
        " file (1,501 lines read as one row); line 501 is rejected and lines 502–2001 were"
        " read again as rows"
    )
    assert db.execute("SELECT count(*) FROM contacts WHERE crm_id LIKE 'Q-%'").fetchone()[0] == 1999
    assert (
        db.execute("SELECT company FROM contacts WHERE crm_id = 'Q-2000'").fetchone()[0]
        == "Co 2000"
    )
    with open(tmp_path / "quote2.rejects.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    # the line as a person reads it: six cells, the stray quote kept, nothing swallowed
    assert rows[1][:7] == ["Q-500", "Person 500", '"Smith Lighting', "q500@q.example", "FR",
                           "ana", "501"]  # fmt: skip
    assert len(rows) == 2


def test_a_quote_closed_by_a_later_stray_one_rereads_the_lines_between(db, tmp_path):
    src = tmp_path / "closed.csv"
    lines = [HEADER] + [f"Q-{i},Person {i},Co {i},q{i}@q.example,FR,ana" for i in range(1, 41)]
    lines[10] = 'Q-10,Person 10,"Smith Lighting,q10@q.example,FR,ana'
    lines[30] = 'Q-30,Person 30,Acme,q30@q.example,FR,"ana'  # closes it: 21 lines as one
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_csv(db, "contacts", src)
    assert report.sample_rejects[0][0] == 11
    assert "runs to line 31: 21 lines read as one row" in report.sample_rejects[0][1]
    # line 31 opens a quote of its own (to the end): rejected too, the rest imported
    assert [line for line, _ in report.sample_rejects] == [11, 31]
    assert report.inserted == 38


def test_a_stray_quote_in_the_last_column_is_found_with_the_right_field_count(db, tmp_path):
    src = _file(tmp_path / "last.csv", 7, n=20)
    text = src.read_text(encoding="utf-8").replace(
        "\nQ-7,Person 7,Co 7,q7@q.example,FR,ana\n", '\nQ-7,Person 7,Co 7,q7@q.example,FR,"ana\n'
    )
    src.write_text(text, encoding="utf-8")
    report = import_csv(db, "contacts", src)
    assert (report.rows, report.inserted, report.rejected) == (20, 19, 1)
    assert report.sample_rejects[0][0] == 8


def test_notes_over_several_lines_in_the_last_record_are_not_a_runaway(db, tmp_path):
    src = tmp_path / "notes.csv"
    src.write_text('crm_id,name,notes\nN-1,Ann,plain\nN-2,Bob,"two\nlines\n"\n', encoding="utf-8")
    report = import_csv(db, "contacts", src)
    assert (report.inserted, report.rejected, report.warnings) == (2, 0, [])
    assert (
        db.execute("SELECT notes FROM contacts WHERE crm_id = 'N-2'").fetchone()[0] == "two\nlines"
    )


_CELL = st.text(alphabet="abcXYZ 0189.@-", max_size=6)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(st.lists(_CELL, min_size=4, max_size=4), min_size=2, max_size=12),
    notes=st.sets(st.integers(0, 11)),
    where=st.tuples(st.integers(0, 10), st.integers(0, 3)),
)
def test_every_other_record_survives_a_stray_quote(tmp_path, rows, notes, where):
    """Whatever the rows, a stray quote at the start of one cell (not in the last row)
    costs that row alone: every other record comes through with its cells and its line,
    records with quoted line breaks before it included. (One after it could close the
    stray quote with the right field count: that is not told from a note over several
    lines, see `kiosk.sync.runaway`.)"""
    bad, col = where[0] % (len(rows) - 1), where[1]
    text, expected, line = ["a,b,c,d"], [], 2
    for i, cells in enumerate(rows):
        cells = list(cells)
        if i in notes and i < bad:
            cells[3] = f"{cells[3]}\nmore"
            shown = ",".join(cells[:3]) + f',"{cells[3]}"'
        else:
            shown = ",".join(cells)
        if i == bad:
            shown = ",".join(cells[:col] + ['"' + cells[col]] + cells[col + 1 :])
        elif "".join(cells).strip():
            expected.append((line, cells))
        text.append(shown)
        line += shown.count("\n") + 1
    path = tmp_path / "p.csv"
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    with CsvFile(path) as src:
        got = [(n, c, src.problem(n)) for n, c in src.rows()]
    bad_line = 2 + sum(t.count("\n") + 1 for t in text[1 : bad + 1])
    kept = [(n, c) for n, c, problem in got if n != bad_line]
    assert kept == expected
    assert all(problem is None for n, _, problem in got if n != bad_line)
