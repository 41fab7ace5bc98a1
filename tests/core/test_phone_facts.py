"""Reading a plain international number without phonenumbers' parse agrees with the parse.

`kiosk.badge_formats.geo.phone_facts` tells whether a badge's number is valid and whose it
is. For a number written in international form with only digits and ( ) . - / and spaces
('+86 158 250 55848') it builds phonenumbers' `PhoneNumber` from the calling code and the
digits instead of parsing the text (the parse was about half of reading a phone badge);
for every such text the answer must be the parse's: valid or not, region, calling code.
"""

from __future__ import annotations

import phonenumbers
from hypothesis import example, given
from hypothesis import strategies as st

from kiosk.badge_formats import geo
from kiosk.badges import parse_badge

CODES = sorted(str(code) for code in phonenumbers.COUNTRY_CODE_TO_REGION_CODE)


def parsed_facts(text: str) -> tuple[bool, str | None, int | None] | None:
    """The answer through phonenumbers' parse, as phone_facts gave it before."""
    try:
        number = phonenumbers.parse(text, None)
    except phonenumbers.NumberParseException:
        return None
    if phonenumbers.is_valid_number(number):
        return True, phonenumbers.region_code_for_number(number), number.country_code
    return False, None, number.country_code


def facts(text: str) -> tuple[bool, str | None, int | None] | None:
    return geo.phone_facts.__wrapped__(text)  # type: ignore[attr-defined]  # not the cache


@st.composite
def international(draw: st.DrawFn) -> str:
    """'+CC' and 2–13 digits (leading zeros and national prefixes included), cut by the
    separators badges use."""
    code = draw(st.sampled_from(CODES))
    national = draw(st.text("0123456789", min_size=2, max_size=13))
    text = "+" + code + national
    out, i = [], 0
    while i < len(text):
        step = draw(st.integers(1, 4))
        out.append(text[i : i + step])
        i += step
    seps = st.sampled_from([" ", "", "-", ".", "/", " (", ") ", "  "])
    return "".join(piece + draw(seps) for piece in out).strip()


@given(international())
@example("+86 158 250 55848")
@example("+39 06 6982 1234")  # Italy keeps the leading zero
@example("+39 00 0000")
@example("+44 (0) 20 7946 0958")  # a national prefix the parse strips: the parse reads it
@example("+1 212 555 0100")
@example("+7 495 123 4567")
@example("+800 1234 5678")
@example("+882 16 123 4567")
def test_a_plain_international_number_reads_as_the_parse_reads_it(text):
    assert facts(text) == parsed_facts(text)


def test_example_numbers_of_every_region_and_kind_read_as_the_parse_reads_them():
    kinds = (phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.MOBILE,
             phonenumbers.PhoneNumberType.TOLL_FREE)  # fmt: skip
    seen = 0
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for kind in kinds:
            number = phonenumbers.example_number_for_type(region, kind)
            if number is None:
                continue
            for form in (phonenumbers.PhoneNumberFormat.E164,
                         phonenumbers.PhoneNumberFormat.INTERNATIONAL):  # fmt: skip
                text = phonenumbers.format_number(number, form)
                assert facts(text) == parsed_facts(text), text
                seen += 1
    assert seen > 500


def test_a_phone_badge_reads_the_same_with_its_country():
    badge = parse_badge("+86 158 250 55848")
    assert (badge.phone, badge.country) == ("+86 158 250 55848", "CN")
    assert parse_badge("+1 212 555 0100").country == "US"
