"""A header that repeats a column (`email,email`) no longer drops the second one unseen.

It was listed as "ignored columns: email" and its values were lost. Now the first column
is read, the second where the first is blank, and the report says which column is read
and on which lines the two held different values (the first is imported). An e-mail or
phone column's copies are all kept: the first the contact's, the others finding it too.
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
        "the header has 'email' twice (columns 3 and 5): all are read (column 3's is the"
        " contact's, the others find the customer too)",
        "8 row(s) have several e-mail addresses in one cell (lines 4, 5, 6, 7, 8 and 3 more):"
        " the first is the contact's e-mail, the others find the contact too",
    ]
    emails = dict(db.execute("SELECT crm_id, email FROM contacts WHERE crm_id LIKE 'E-%'"))
    assert (emails["E-1"], emails["E-2"], emails["E-3"]) == (
        "a@x.example", "b@x.example", "c@x.example",
    )  # fmt: skip
    # the second column's address finds the customer too (it was a walk-in: found by QA)
    from kiosk.lookup import lookup

    found = lookup(db, "c2@x.example")
    assert [m.contact.crm_id for m in found.matches] == ["E-3"]


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
