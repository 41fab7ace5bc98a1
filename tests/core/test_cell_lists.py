"""Known customers whose CRM cell holds two addresses or two numbers stay known.

`a1@x.example; b1@x.example`, `Name <angle@x.example>` and `+49 171 1111111 / +49 89 222`
were no address and no number: scanned or checked in by either, the customer became a
walk-in routed by territory. Now the first is the contact's e-mail or phone, the others
find the contact too (`contact_keys`), and the import's warnings give the lines.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kiosk.lookup import lookup
from kiosk.sync.cell_lists import addresses, numbers
from kiosk.sync.imports import import_csv

HEADER = "crm_id,name,email,phone,country,owner"


def _write(path, *rows: str):
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def _found(db, query: str) -> list[str]:
    return [m.contact.id for m in lookup(db, query).matches]


def test_every_address_and_number_of_a_cell_finds_the_customer(db, tmp_path):
    src = _write(
        tmp_path / "crm.csv",
        "M-1,Anna,a1@x.example; b1@x.example,,DE,ana",
        "M-2,Bert,Bert Berg <Angle@X.example>,,DE,ana",
        "M-3,Carl,,+49 171 1111111 / +49 89 222,DE,ana",
        'M-4,Dora,"d1@x.example, d2@x.example",,DE,ana',
    )
    report = import_csv(db, "contacts", src)
    assert (report.inserted, report.rejected) == (4, 0)
    rows = dict(
        db.execute("SELECT id, email || '|' || phone_e164 FROM contacts WHERE id LIKE 'M-%'")
    )
    assert rows == {"M-1": "a1@x.example|", "M-2": "Angle@X.example|", "M-3": "|+491711111111",
                    "M-4": "d1@x.example|"}  # fmt: skip
    for query, cid in [("a1@x.example", "M-1"), ("B1@x.example", "M-1"),
                       ("angle@x.example", "M-2"), ("+49 89 222", "M-3"),
                       ("+49 171 1111111", "M-3"), ("d2@x.example", "M-4")]:  # fmt: skip
        assert _found(db, query) == [cid], query
    assert report.warnings == [
        "2 row(s) have several e-mail addresses in one cell (lines 2 and 5): the first is the"
        " contact's e-mail, the others find the contact too",
        "1 row(s) have several phone numbers in one cell (line 4): the first is the"
        " contact's phone, the others find the contact too",
    ]
    # the CRM corrects a cell: the address it no longer has finds nobody
    _write(src, "M-1,Anna,a1@x.example,,DE,ana", "M-2,Bert,Bert Berg <Angle@X.example>,,DE,ana")
    again = import_csv(db, "contacts", src)
    assert (again.updated, again.unchanged) == (1, 1)  # M-1: its second address is gone
    assert _found(db, "b1@x.example") == []
    assert _found(db, "a1@x.example") == ["M-1"]


def test_a_bad_email_warning_gives_the_lines(db, tmp_path):
    rows = [f"B-{i},N,not-an-address-{i},,DE,ana" for i in range(1, 9)]
    report = import_csv(db, "contacts", _write(tmp_path / "bad.csv", *rows))
    assert report.warnings == [
        "8 row(s) have an email that is not a valid address (lines 2, 3, 4, 5, 6 and 3 more);"
        " kept as text, matched by CRM id"
    ]


def test_a_number_written_with_a_slash_is_one_number(db, tmp_path):
    import_csv(db, "contacts", _write(tmp_path / "de.csv", "S-1,Sepp,,089/2222333,DE,ana"))
    assert _found(db, "+49 89 2222333") == ["S-1"]
    assert numbers("089/2222333", "DE") == []


_LOCAL = st.text(alphabet="abcxyz019._-", min_size=1, max_size=8).filter(
    lambda s: not s.startswith(".")
)


@given(st.lists(st.tuples(_LOCAL, st.sampled_from(["x.example", "acme.cn"]), st.booleans()),
                min_size=1, max_size=4), st.sampled_from(["; ", ", ", " ", " / "]))  # fmt: skip
def test_addresses_reads_every_address_of_a_cell_in_order(parts, sep):
    """With or without a name in front ('"Berg, Anna" <a@x.example>'), each address once."""
    mails = [f"{local}@{domain}" for local, domain, _ in parts]
    cell = sep.join(
        f'"Berg, Anna" <{m}>' if named else m for m, (*_, named) in zip(mails, parts, strict=True)
    )
    want = list(dict.fromkeys(m.casefold() for m in mails))
    assert [norm for _, norm in addresses(cell)] == want


def test_a_record_an_earlier_version_kept_with_no_address_is_read_again(db, tmp_path, monkeypatch):
    """`rowhash.VERSION` moved: the same export imported again after the upgrade reads
    'Name <addr>' anew instead of skipping the record its contact was written from."""
    from kiosk.sync import rowhash
    from kiosk.sync.formats import GENERIC, bind

    src = _write(tmp_path / "crm.csv", "M-2,Bert,Bert Berg <angle@x.example>,,DE,ana")
    import_csv(db, "contacts", src)
    # as the earlier version left it: the cell as text, no address, its record's hash
    header = HEADER.split(",")
    monkeypatch.setattr(rowhash, "VERSION", 2)
    old = rowhash.hasher(rowhash.context(db, "generic", "DMY", bind(GENERIC, "contacts", header)))
    cells = ["M-2", "Bert", "Bert Berg <angle@x.example>", "", "DE", "ana"]
    db.execute(
        "UPDATE contacts SET email = ?, email_norm = '', crm_row = ? WHERE id = 'M-2'",
        [cells[2], old(cells) | 1],
    )
    monkeypatch.undo()
    assert _found(db, "angle@x.example") == []
    report = import_csv(db, "contacts", src)
    assert report.updated == 1
    assert _found(db, "angle@x.example") == ["M-2"]
