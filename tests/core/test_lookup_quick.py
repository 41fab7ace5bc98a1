"""A scan that is only an address or only an international number is answered by
`kiosk.lookup._asked_first` without the general reading of plain text (`_plain`); both
ways must give the same answer — kind, matches, badge, message, totals — for any such scan,
found or not, and a scan nobody has is asked of its index once, not twice."""

from __future__ import annotations

from unittest import mock

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kiosk import lookup as lookup_module
from kiosk.contact_rows import insert_contacts
from kiosk.db import open_db
from kiosk.lookup import lookup
from tests.examples import examples

CONTACTS = [
    dict(id="wang", name="王小明", email="xiaoming.wang@bright.example", phone="+86 138 0013 8000",
         country="CN", badge_ids="B-100"),
    dict(id="kim", name="김민준", email="minjun.kim@hanbit.example", phone="+82 10 1234 5678",
         country="KR"),
    dict(id="john", name="John Smith", email="john@acme.example", phone="+1 202 555 0123",
         country="US"),
    # two contacts share an address and a number: several matches, CRM rows first
    dict(id="ana", name="Ana Ruiz", email="info@shared.example", phone="+34 612 345 678",
         country="ES"),
    dict(id="luis", name="Luis Ruiz", email="INFO@shared.example", phone="+34612345678",
         country="ES"),
    # ids shaped like an address or a number, which no contact has as such
    dict(id="odd1", name="Odd Id", badge_ids="desk@expo.example"),
    dict(id="odd2", name="Odd Number", badge_ids="+4915777472896"),
    # a number a validity check calls invalid is still a number on file
    dict(id="bad", name="Bad Number", phone="+1 446 017 2906", country="US"),
]  # fmt: skip
BOOTH = dict(id="booth1", name="Ana R.", email="info@shared.example", source="booth")


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    database = open_db(tmp_path_factory.mktemp("lookup_quick") / "kiosk.db")
    insert_contacts(database, [dict(c) for c in [*CONTACTS, BOOTH]])
    return database


def general(db, raw: str, region: str | None):
    """The answer without `_asked_first`: every scan read by `_plain`, as before it."""
    with mock.patch.object(lookup_module, "_asked_first", lambda *args: (None, "")):
        return lookup(db, raw, default_region=region)


ADDRESSES = [c["email"] for c in CONTACTS if c.get("email")] + ["desk@expo.example"]
NUMBERS = ["+8613800138000", "+821012345678", "+12025550123", "+34612345678", "+4915777472896",
           "+14460172906"]  # fmt: skip


def spaced(draw: st.DrawFn, digits: str) -> str:
    """'+8613800138000' with single blanks between some of its digits."""
    out = [digits[:2]]
    for ch in digits[2:]:
        out.append((" " if draw(st.booleans()) else "") + ch)
    return "".join(out)


@st.composite
def scans(draw: st.DrawFn) -> str:
    shape = draw(st.sampled_from(["address", "new address", "number", "new number"]))
    if shape == "address":
        address = draw(st.sampled_from(ADDRESSES))
        return draw(st.sampled_from([address, address.upper(), address.title()]))
    if shape == "new address":
        local = draw(st.from_regex(r"[A-Za-z0-9._%+-]{1,12}", fullmatch=True))
        host = draw(st.from_regex(r"[A-Za-z0-9-]{1,10}\.[A-Za-z]{2,4}", fullmatch=True))
        return f"{local}@{host}"
    if shape == "number":
        return spaced(draw, draw(st.sampled_from(NUMBERS)))
    code = draw(st.sampled_from(["1", "7", "34", "44", "49", "54", "82", "86", "971", "800"]))
    national = draw(st.text("0123456789", min_size=4, max_size=12))
    return spaced(draw, "+" + code + national)


@settings(max_examples=examples(400), deadline=None)
@given(scans(), st.sampled_from([None, "DE", "CN", "US"]))
@example("JOHN@ACME.EXAMPLE", None)
@example("info@shared.example", None)
@example("desk@expo.example", None)  # no contact has the address: the id does
@example("+86 138 0013 8000", "CN")
@example("+34 612 345 678", None)
@example("+4915777472896", None)  # no contact has the number: the id does
@example("+1 446 017 2906", "US")  # invalid: the general path reads it
@example("+44 20 7946 0000", "GB")  # nobody's
def test_a_quick_answer_is_the_general_answer(db, raw: str, region: str | None) -> None:
    assert lookup(db, raw, default_region=region) == general(db, raw, region)


@pytest.mark.parametrize(
    ("raw", "kind", "who"),
    [("JOHN@ACME.EXAMPLE", "email", ["john"]), ("info@shared.example", "email", ["ana", "luis", "booth1"]),
     ("+86 138 0013 8000", "phone", ["wang"]), ("+34612345678", "phone", ["ana", "luis"]),
     ("desk@expo.example", "badge", ["odd1"]), ("+4915777472896", "badge", ["odd2"]),
     ("nobody@nowhere.example", "none", []), ("+44 20 7946 0000", "none", [])],
)  # fmt: skip
def test_the_quick_shapes_answer_as_they_did(db, raw: str, kind: str, who: list[str]) -> None:
    result = lookup(db, raw)
    assert (result.kind, [m.contact.id for m in result.matches]) == (kind, who)


def test_a_scan_nobody_has_is_asked_of_its_index_once(db) -> None:
    """An unknown address is asked of the e-mail index once (then of the badge ids), an
    unknown number of the phone index once: `_plain` does not ask again what was asked."""
    asked: list[str] = []
    db.conn.set_trace_callback(asked.append)
    try:
        assert lookup(db, "nobody@nowhere.example").kind == "none"
        assert lookup(db, "+44 20 7946 0000").kind == "none"
        assert lookup(db, "+1 446 017 2907").kind == "none"  # invalid: read as text
    finally:
        db.conn.set_trace_callback(None)
    assert sum("WHERE email_norm = " in sql for sql in asked) == 1, asked
    assert sum("WHERE phone_e164 = " in sql for sql in asked) == 2, asked


def test_an_invalid_number_alone_is_asked_first_too(db) -> None:
    """A number no region calls valid is kept as text by the badge reader, but the quick
    read still hands lookup its E.164: the phone index is asked without `_plain`."""
    with mock.patch.object(lookup_module, "_plain", side_effect=AssertionError("_plain")):
        result = lookup(db, "+1 446 017 2906")
    assert (result.kind, [m.contact.id for m in result.matches]) == ("phone", ["bad"])
    assert result.badge is not None and result.badge.phone == ""
