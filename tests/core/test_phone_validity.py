"""`kiosk.phone_validity` gives phonenumbers' own answers: valid or not, and which region.

It joins a region's kinds of number into one expression per length instead of asking
phonenumbers' questions one by one; any difference would read a visitor's number as
invalid (no phone, no country) or give it the wrong country.
"""

from __future__ import annotations

import phonenumbers
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kiosk.phone_validity import facts_of, region_if_valid
from tests.examples import examples

CODES = sorted(phonenumbers.COUNTRY_CODE_TO_REGION_CODE)
KINDS = [t for t in vars(phonenumbers.PhoneNumberType).values() if isinstance(t, int)]


def library(number: phonenumbers.PhoneNumber) -> tuple[bool, str | None]:
    return phonenumbers.is_valid_number(number), phonenumbers.region_code_for_number(number)


def number(code: int, national: str) -> phonenumbers.PhoneNumber:
    """The PhoneNumber a parse of '+{code}{national}' makes when it strips nothing."""
    out = phonenumbers.PhoneNumber(country_code=code, national_number=int(national or "0"))
    zeros = len(national) - len(national.lstrip("0"))
    if zeros and len(national) > 1:
        out.italian_leading_zero = True
        out.number_of_leading_zeros = min(zeros, len(national) - 1)
    return out


def agrees(code: int, national: str) -> bool:
    """Both ways of asking give phonenumbers' answer: `region_if_valid` of the PhoneNumber,
    and `facts_of` of the calling code and the digits (the scan path's way)."""
    candidate = number(code, national)
    answer = library(candidate)
    return region_if_valid(candidate) == answer and facts_of(code, national) == answer


def test_every_example_number_of_every_region_and_kind_agrees() -> None:
    """phonenumbers' own example of each kind of number in each region, and the same
    number with its last digit changed, dropped or doubled (often invalid)."""
    seen = 0
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for kind in KINDS:
            example_number = phonenumbers.example_number_for_type(region, kind)
            if example_number is None:
                continue
            nsn = phonenumbers.national_significant_number(example_number)
            code = example_number.country_code
            for national in (nsn, nsn[:-1] + str((int(nsn[-1]) + 3) % 10), nsn[:-1], nsn + "7"):
                assert agrees(code, national), (region, kind, national)
                seen += 1
    assert seen > 3000


def test_numbers_of_codes_without_a_country_agree() -> None:
    for code in (800, 808, 870, 878, 881, 882, 883, 888, 979):
        for national in ("12345678", "1234567890", "5"):
            assert agrees(code, national), (code, national)


@settings(max_examples=examples(1500), deadline=None)
@given(st.sampled_from(CODES), st.text("0123456789", min_size=1, max_size=14))
@example(1, "4155550132")  # US
@example(1, "2045550100")  # CA by area code
@example(1, "4332294744")  # no NANP region claims it
@example(44, "7624123456")  # IM, sharing +44 with GB
@example(7, "7012345678")  # KZ, sharing +7 with RU
@example(54, "91141638828")  # AR mobile
def test_random_numbers_of_every_code_agree(code: int, national: str) -> None:
    assert agrees(code, national)
