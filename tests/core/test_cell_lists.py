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
from kiosk.sync import import_contacts as import_module
from kiosk.sync.cell_lists import addresses, number_parts, numbers, unread_addresses
from kiosk.sync.contact_fields import Converter
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


def test_a_cell_part_that_is_no_address_or_number_is_named_and_the_rest_kept(
    db, tmp_path, monkeypatch
):
    """'ann@x, not-an-email' kept the address and dropped the rest unseen; a phone cell with
    a number and a part that is none kept neither as a number. Now what is readable is kept
    and the warning names the line and the part — on a re-import of the same file too,
    which reads such a record's cells again but does not convert it."""
    src = _write(
        tmp_path / "crm.csv",
        'P-1,Ann,"ann@x.example, not-an-email",,DE,ana',
        "P-2,Bob,bob@x.example; b2@x.example; ???,+49 171 1111111 / call me,DE,ana",
        "P-3,Cid,Berg, Cid <cid@x.example>,,DE,ana".replace("Berg, Cid", '"Berg, Cid"'),
    )
    first = import_csv(db, "contacts", src)
    assert (first.inserted, first.rejected) == (3, 0)
    parts = [
        "crm.csv line 2: e-mail cell: kept ann@x.example; 'not-an-email' is not an e-mail address",
        "crm.csv line 3: e-mail cell: kept bob@x.example and b2@x.example; '???' is not an"
        " e-mail address",
        "crm.csv line 3: phone cell: kept +49 171 1111111; 'call me' is not a phone number",
    ]
    assert first.warnings[:3] == parts and len(first.warnings) == 4  # (and: two addresses)
    rows = db.execute("SELECT id, email, phone, phone_e164 FROM contacts WHERE id LIKE 'P-%'")
    assert sorted(rows) == [("P-1", "ann@x.example", "", ""),
                            ("P-2", "bob@x.example", "+49 171 1111111", "+491711111111"),
                            ("P-3", "cid@x.example", "", "")]  # fmt: skip
    assert _found(db, "b2@x.example") == ["P-2"] and _found(db, "+491711111111") == ["P-2"]
    calls = []

    class Counting(Converter):
        def __call__(self, raw):
            calls.append(raw)
            return super().__call__(raw)

    monkeypatch.setattr(import_module, "Converter", Counting)
    again = import_csv(db, "contacts", src)
    assert (again.unchanged, calls) == (3, [])
    assert again.warnings == first.warnings


def test_cells_with_unread_parts_beyond_ten_are_counted_with_their_lines(db, tmp_path):
    rows = [f"Q-{i},N,q{i}@x.example / ?,,DE,ana" for i in range(1, 14)]
    report = import_csv(db, "contacts", _write(tmp_path / "many.csv", *rows))
    assert report.warnings[0] == (
        "many.csv line 2: e-mail cell: kept q1@x.example; '?' is not an e-mail address"
    )
    assert report.warnings[10:] == [
        "… and 3 more e-mail or phone cell(s) of many.csv with a part that is not an address"
        " or number (lines 12, 13 and 14)"
    ]


_JUNK = st.sampled_from(["not-an-email", "???", "n/a", "bob@", "@x.example", "call me",
                         "tbd", "x@y"])  # fmt: skip
_ITEM = st.one_of(
    st.tuples(st.just("address"), _LOCAL, st.sampled_from(["", "Anna", '"Berg, Anna"',
                                                           "Berg, Anna", "Dr. A. Berg"])),
    st.tuples(st.just("junk"), _JUNK, st.just("")),
)  # fmt: skip


@given(st.lists(_ITEM, min_size=1, max_size=5), st.sampled_from(["; ", ", ", " | "]))
def test_unread_addresses_gives_the_parts_that_are_no_address_nor_a_name(items, sep):
    """Addresses, with or without a name in front (in angle brackets then), and parts
    that are neither, in any order: the addresses are read, the other parts given back
    as written, a name never. (One case reads two ways: 'tbd, Anna <a@x.example>' may be
    'Anna tbd', as 'Berg, Anna' is: a one-word part with a letter before a comma and an
    unquoted name is read as the name's.)"""
    cells, want, mails = [], [], []
    for at, (kind, text, name) in enumerate(items):
        if kind == "address":
            mail = f"{text}@x.example"
            mails.append(mail.casefold())
            cells.append(f"{name} <{mail}>" if name else mail)
            continue
        cells.append(text)
        after = items[at + 1] if at + 1 < len(items) else ("", "", "")
        if not (sep == ", " and after[2][:1].isalpha() and "," not in after[2] and " " not in text
                and any(ch.isalpha() for ch in text)):  # fmt: skip
            want.append(text)
    cell = sep.join(cells)
    assert unread_addresses(cell) == want
    assert [norm for _, norm in addresses(cell)] == list(dict.fromkeys(mails))


@given(st.text(alphabet="ab@x.e <>,;|/\"()[]'?-", max_size=40))
def test_no_part_given_back_holds_an_address_the_cell_is_read_for(cell):
    """Whatever the cell, a part `unread_addresses` names as no address holds none that
    `addresses` reads (the import keeps those): a warning never names a kept address."""
    assert not any(addresses(part) for part in unread_addresses(cell))


@given(st.lists(st.one_of(st.integers(1000000, 9999999).map(lambda n: f"+49 171 {n}"),
                          st.sampled_from(["call me", "mobile", "ext", "?"])),
                min_size=1, max_size=4), st.sampled_from([" / ", "; ", " or ", ", "]))  # fmt: skip
def test_number_parts_reads_each_number_and_gives_back_the_rest(parts, sep):
    found, unread = number_parts(sep.join(parts), "DE")
    numbers_in = [p for p in parts if p.startswith("+")]
    assert [written for written, _ in found] == list(dict.fromkeys(numbers_in))
    assert [e164 for _, e164 in found] == [n.replace(" ", "") for n in dict.fromkeys(numbers_in)]
    assert unread == [p for p in parts if not p.startswith("+")]
