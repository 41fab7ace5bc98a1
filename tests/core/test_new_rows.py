"""A first import's fast path for plain records gives exactly what the general path gives.

`kiosk.sync.new_rows.NewRows` builds a new contact's bound values straight from a
record's cells; the general path is `extractor` → `Converter` → `contact_values`. For
any cells, the fast path either declines (None) or agrees with the general path value
for value — and the general path then accepts the record. Records the general path
rejects are always declined.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.contact_rows import ContactRowError, contact_values, picker, varying_columns
from kiosk.db import open_db
from kiosk.sync.contact_fields import Converter
from kiosk.sync.formats import bind, get_format
from kiosk.sync.keys import email_id
from kiosk.sync.new_rows import NewRows
from kiosk.sync.rows import People, RowError, extractor
from tests.examples import examples
from tests.factory import SALESPEOPLE

HEADER = ("crm_id,name,company,title,email,phone,country,city,owner,filed_at,badge_ids"
          .split(","))  # fmt: skip
NARROW = [h for h in HEADER if h not in ("email", "phone")]
PLAIN = ["CRM-0", "赵敏", "Haitian Packaging Trading Co., Ltd.", "采购经理",
         "min.zhao0@haitianpackaging4107.net", "+86 158 250 55848", "CN", "上海", "ana",
         "2017-11-17", "B00000000"]  # fmt: skip

CELLS = st.one_of(
    st.sampled_from([
        "", " ", "CRM-1", " CRM-2 ", "Ana", "  Zoë   Bäcker ", "王小明", "東光 Trading",
        "a@b.example", " A.B@Firm.Example ", "<x@y.example>", "mailto:m@n.example",
        "not-an-address", "a@@b.example", "+86 158 250 55848", "+4930123456", "0049 30 123456",
        "030 123456", "+5491123456789", "tel:+4930999", "DE", "de", "Japan", "中国",
        "Atlantis", "ana", "Ben Carter", "kenji@lumen.example", "nobody", "2024-03-02",
        "2024-03-02 09:15", "02.03.2024", "2024/3/2", "45353", "someday", "B1", "B1;B2",
        " B2 ; B1 ;", ";", "x\x00y", "line\nbreak", "\ufffd", "\u00a0nbsp", "=cmd|' /C calc'!A0",
        "\u202eevil", "İstanbul", "ǅemal",
    ]),
    st.text(max_size=6),
)  # fmt: skip


@pytest.fixture(scope="module")
def paths(tmp_path_factory):
    """(fast path, general path) for the generic CRM header and the same without e-mail
    and phone, over a database with the factory's salespeople."""
    db = open_db(Path(tmp_path_factory.mktemp("new_rows")) / "rows.db")
    db.conn.executemany(
        "INSERT INTO salespeople(id, name, email) VALUES (?, ?, ?)",
        [(s[0], s[1], s[2]) for s in SALESPEOPLE],
    )
    people = People(db)
    spec = get_format("generic")
    out = {}
    for header in (HEADER, NARROW):
        binding = bind(spec, "contacts", header)
        fast_conv = Converter(people, spec.date_order, list(binding.fields))
        conv = Converter(people, spec.date_order, list(binding.fields))
        columns = varying_columns(("id", "source", *conv.keys()))
        extract, pick = extractor(binding, "utf-8"), picker(columns)

        def general(cells, extract=extract, conv=conv, pick=pick):
            f = conv(extract(cells))
            email, ids = f.pop("_email"), f.pop("badge_ids", ())
            fields = {"id": f.get("crm_id") or email_id(email), "source": "crm"} | f
            values, _ = contact_values(fields, email)
            return pick(values), email, tuple(ids)

        out[len(header)] = (NewRows(binding, fast_conv, columns), general)
    yield out
    db.conn.close()


def test_a_plain_record_takes_the_fast_path(paths):
    fast, general = paths[len(HEADER)]
    assert fast and fast(PLAIN) is not None
    assert fast(PLAIN) == general(PLAIN)


@pytest.mark.parametrize("cells", [
    [c.upper() if "@" in c else c for c in PLAIN],
    ["C1", "Ana  Ruiz", "", "", "", "", "Japan", "", "Ben Carter", "02.03.2024", "B2;B1"],
    ["C2", "Zoë Bäcker", "東光 Trading", "", " p@q.example", "030 123456", "de", "Köln", "",
     "2024/3/2", " B3 "],
])  # fmt: skip
def test_plain_records_take_the_fast_path(paths, cells):
    fast, general = paths[len(HEADER)]
    assert fast(cells) is not None and fast(cells) == general(cells)


def test_a_file_with_columns_it_does_not_cover_keeps_the_general_path(tmp_path):
    db = open_db(tmp_path / "rows.db")
    spec = get_format("generic")
    binding = bind(spec, "contacts", [*HEADER, "notes"])
    conv = Converter(People(db), spec.date_order, list(binding.fields))
    assert not NewRows(binding, conv, varying_columns(("id", "source", *conv.keys())))
    db.conn.close()


# Per column: a value a CRM export has there (often), or anything from CELLS.
PLAUSIBLE = {
    "crm_id": ["CRM-7", " A-1 ", "x"], "name": ["Ana Ruiz", "王 小明", " Zoë  Bäcker", "İLKER"],
    "company": ["Acme GmbH", "東光 Trading", "", "ÉCOLE  Co"], "title": ["Buyer", "采购经理", ""],
    "email": ["p@q.example", " P.Q@Firm.Example", "", "Ünal@firma.example", "<a@b.example>"],
    "phone": ["+4930123456", "030 123456", "", "+86 158 250 55848", "0049 30 1234567"],
    "country": ["DE", "cn", "Japan", "", "Deutschland"], "city": ["Köln", "上海", "", "  X  "],
    "owner": ["ana", "Kenji Sato", "", "ben@lumen.example"],
    "filed_at": ["2017-11-17", "2024/3/2", "", "2024-03-02 09:15"],
    "badge_ids": ["B1", "B2;B1", "", "B3; B3"],
}  # fmt: skip


@st.composite
def records(draw, header):
    cells = [
        draw(st.sampled_from(PLAUSIBLE[h]) if draw(st.integers(0, 19)) else CELLS) for h in header
    ]
    if draw(st.integers(0, 9)) == 0:  # now and then a record of the wrong width
        cells = cells[:-1] if draw(st.booleans()) else [*cells, draw(CELLS)]
    return cells


@settings(max_examples=examples(500), deadline=None)
@given(wide=st.booleans(), data=st.data())
def test_the_fast_path_gives_what_the_general_path_gives(paths, wide, data):
    fast, general = paths[len(HEADER) if wide else len(NARROW)]
    cells = data.draw(records(HEADER if wide else NARROW))
    built = fast(cells)
    if built is None:
        return
    try:
        expected = general(cells)
    except (RowError, ContactRowError) as exc:
        pytest.fail(f"the fast path took a record the general path rejects: {exc}")
    assert built == expected
