"""A phone number written nationally is found with the visitor's country or the show's."""

from __future__ import annotations

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.contact_rows import insert_contacts
from kiosk.db import open_db
from kiosk.lookup import by_phone, lookup, show_region
from kiosk.phones import timezone_region
from tests.examples import examples

CONTACTS = [
    dict(id="de-mobile", name="Jürgen Müller", phone="+49 1577 7472896", country="DE"),
    dict(id="de-berlin", name="Petra Schmidt", phone="+49 30 1234567", country="DE"),
    dict(id="tokyo", name="Yuki Tanaka", phone="+81 3 5555 1234", country="JP"),
    dict(id="melbourne", name="Liam Brown", phone="+61 3 5555 1234", country="AU"),
]
REGIONS = ["DE", "CN", "JP", "AU", "US", "GB", "FR", "ES", "MX", "BR", "IN", "KR", "IT", "TW"]
KINDS = [phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE]


def _examples() -> list[tuple[str, phonenumbers.PhoneNumber]]:
    out = []
    for region in REGIONS:
        for kind in KINDS:
            number = phonenumbers.example_number_for_type(region, kind)
            if number is not None:
                out.append((region, number))
    return out


EXAMPLES = _examples()


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    database = open_db(tmp_path_factory.mktemp("phones") / "kiosk.db")
    examples = [
        dict(id=f"ex{i}", name=f"Example {i}", country=region,
             phone=phonenumbers.format_number(n, phonenumbers.PhoneNumberFormat.E164))
        for i, (region, n) in enumerate(EXAMPLES)
    ]  # fmt: skip
    insert_contacts(database, [dict(c) for c in CONTACTS] + examples)
    return database


def ids(result) -> list[str]:
    return [m.contact.id for m in result.matches]


@pytest.mark.parametrize(
    ("query", "region", "expected"),
    [("01577 7472896", "DE", "de-mobile"), ("030 1234567", "DE", "de-berlin"),
     ("030/123 45 67", "DE", "de-berlin"), ("(03) 5555-1234", "JP", "tokyo"),
     ("(03) 5555-1234", "AU", "melbourne"), ("03 5555 1234", "AU", "melbourne")],
)  # fmt: skip
def test_a_national_number_is_read_with_the_shows_country(db, query, region, expected):
    assert lookup(db, query).kind == "none"  # no country: cannot be read
    r = lookup(db, query, default_region=region)
    assert r.kind == "phone" and ids(r) == [expected] and r.total == 1


def test_international_forms_need_no_country(db):
    for query in ("+49 1577 7472896", "0049 1577 7472896", "tel:+4915777472896"):
        assert ids(lookup(db, query, default_region="JP")) == ["de-mobile"]


def test_the_visitors_country_comes_before_the_shows(db):
    # A Japanese visitor's badge at a show in Australia: (03) is Tokyo, not Melbourne.
    for badge in ("X-1^Y. T.^^^JP^^(03) 5555-1234",
                  "MECARD:N:T,Y;TEL:(03) 5555-1234;ADR:Tokyo, Japan;;"):  # fmt: skip
        r = lookup(db, badge, default_region="AU")
        assert r.kind == "phone" and ids(r) == ["tokyo"]
    # A badge without a country: the show's is used.
    r = lookup(db, "MECARD:N:T,Y;TEL:(03) 5555-1234;;", default_region="AU")
    assert r.kind == "phone" and ids(r) == ["melbourne"]


def test_the_shows_country_is_tried_when_the_visitors_finds_nobody(db):
    # (03) 5555-1234 read as Australian is Liam, as Japanese Yuki, as German nobody.
    r = lookup(db, "X-2^Y. T.^^^AU^^(03) 5555-1234", default_region="JP")
    assert ids(r) == ["melbourne"]  # the visitor's own country wins when it finds someone
    r = lookup(db, "X-3^Y. T.^^^DE^^(03) 5555-1234", default_region="JP")
    assert ids(r) == ["tokyo"]  # read as German it is nobody's: the show's country is next


@settings(max_examples=examples(len(EXAMPLES)) * 2, deadline=None)
@given(example=st.sampled_from(list(enumerate(EXAMPLES))), international=st.booleans())
def test_every_regions_own_way_of_writing_finds_the_contact(db, example, international):
    i, (region, number) = example
    fmt = phonenumbers.PhoneNumberFormat
    written = phonenumbers.format_number(
        number, fmt.INTERNATIONAL if international else fmt.NATIONAL
    )
    r = lookup(db, written, default_region=region)
    assert f"ex{i}" in ids(r), (region, written, r.message)
    assert [c.id for c in by_phone(db, written, region)] == ids(r)


@pytest.mark.parametrize(
    ("zone", "code"),
    [("Europe/Berlin", "DE"), ("Asia/Shanghai", "CN"), ("Asia/Hong_Kong", "HK"),
     ("America/New_York", "US"), ("Australia/Sydney", "AU"), ("Asia/Tokyo", "JP"),
     ("Europe/Vaduz", "LI"), ("Asia/Calcutta", "IN"), ("US/Pacific", "US"), ("PRC", "CN"),
     ("UTC", None), ("Etc/GMT+2", None), ("Mars/Olympus", None), ("", None)],
)  # fmt: skip
def test_a_time_zone_names_its_country(zone, code):
    assert timezone_region(zone) == code


def test_show_region_from_the_time_zone_else_the_venue():
    assert show_region("Europe/Berlin", "Messe Frankfurt, Frankfurt am Main") == "DE"
    assert show_region("Asia/Shanghai", "") == "CN"
    assert show_region("UTC", "Canton Fair Complex, Guangzhou, China") == "CN"
    assert show_region("UTC", "Messe Frankfurt") is None  # a city is not a country
    assert show_region("UTC", "") is None
