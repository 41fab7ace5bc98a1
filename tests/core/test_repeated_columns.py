"""A header that repeats a column (`email,email`) no longer drops the second one unseen.

It was listed as "ignored columns: email" and its values were lost. Now the first column
is read, the second where the first is blank, and the report says which column is read
and on which lines the two held different values (the first is imported).
"""

from __future__ import annotations

from kiosk.sync.formats import GENERIC, bind
from kiosk.sync.imports import import_csv
from kiosk.sync.rows import lines_text


def test_the_first_column_is_read_the_second_where_it_is_blank(db, tmp_path):
    src = tmp_path / "dup.csv"
    rows = ["crm_id,name,email,country,email", "E-1,A,a@x.example,FR,a@x.example",
            "E-2,B,,FR,b@x.example", "E-3,C,c@x.example,FR,c2@x.example"]  # fmt: skip
    rows += [f"E-{i},N,n{i}@x.example,FR,other{i}@x.example" for i in range(4, 11)]
    src.write_text("\n".join(rows) + "\n", encoding="utf-8")
    report = import_csv(db, "contacts", src)
    assert report.ignored_columns == ()
    assert report.warnings == [
        "the header has 'email' twice (columns 3 and 5): column 3 is read, the other only"
        " where it is blank",
        "dup.csv: the columns 'email' hold different values on 8 row(s) (lines 4, 5, 6, 7, 8"
        " and 3 more): column 3's was imported",
    ]
    emails = dict(db.execute("SELECT crm_id, email FROM contacts WHERE crm_id LIKE 'E-%'"))
    assert (emails["E-1"], emails["E-2"], emails["E-3"]) == (
        "a@x.example", "b@x.example", "c@x.example",
    )  # fmt: skip


def test_a_repeated_column_no_field_reads_stays_ignored():
    binding = bind(GENERIC, "contacts", ["crm_id", "name", "Memo", "memo"])
    assert binding.repeated == () and binding.unused == ("Memo", "memo")
    binding = bind(GENERIC, "contacts", ["crm_id", "Name", "name", "NAME"])
    assert binding.repeated == (("Name", (1, 2, 3)),)
    assert binding.repeated_warnings() == [
        "the header has 'Name' 3 times (columns 2, 3 and 4): column 2 is read, the others"
        " only where it is blank"
    ]


def test_lines_text():
    assert lines_text([7]) == "line 7"
    assert lines_text([7, 9]) == "lines 7 and 9"
    assert lines_text(list(range(1, 9))) == "lines 1, 2, 3, 4, 5 and 3 more"
