"""Country of a badge: from its country/address text, else from its phone's calling code.

Text goes through `kiosk.countries.resolve.resolve_country` (the kiosk's one place for names,
translations and typos).
"""

from __future__ import annotations

import re
from functools import lru_cache

from kiosk.countries.resolve import resolve_country
from kiosk.phone_validity import facts_of, region_if_valid
from kiosk.phones import e164_parts, international_digits, keep_phone_patterns

_MAX_NAME = 100  # the longest official country name has 56 characters


def resolve_country_text(text: str) -> str | None:
    """ISO alpha-2 for a country name or code, or None when it is not recognisably one."""
    text = " ".join(text.split())
    if not text or len(text) > _MAX_NAME:
        return None
    try:
        code = resolve_country(text)
    except Exception:  # noqa: BLE001 - a resolver bug must not lose the whole badge
        code = None
    return code.upper() if isinstance(code, str) and re.fullmatch(r"[A-Za-z]{2}", code) else None


Facts = tuple[bool, str | None, int | None]  # (valid, region, calling code): `phone_facts`


def country_from_phone(phone: str) -> str | None:
    """Region of an international number: the number's own region when it is valid (this
    tells Canada from the US by area code), else the calling code's only region, else None
    (+1 and +44 are shared by several regions; +800 and +882 belong to none)."""
    text = phone.strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    if not text.startswith("+"):
        return None
    return country_of(phone_facts(text))


def country_of(facts: Facts | None) -> str | None:
    """`country_from_phone` of a number whose `phone_facts` these are."""
    if facts is None:
        return None
    valid, region, country_code = facts
    if valid and region and region.isalpha() and region != "ZZ":
        return region
    if country_code is None:
        return None
    regions = _regions_of(country_code)
    if len(regions) == 1 and regions[0].isalpha() and regions[0] != "ZZ":
        return regions[0]
    return None


def _regions_of(country_code: int) -> tuple[str, ...]:
    # measured start-up cost: phonenumbers (~13 ms), first needed here
    import phonenumbers

    return tuple(phonenumbers.region_codes_for_country_code(country_code))


@lru_cache(maxsize=256)
def phone_facts(text: str) -> Facts | None:
    """(valid, region, calling code) of an international number, or None when it cannot be
    read. Remembered: reading a badge asks twice about the same number (is it a phone at all,
    then whose country), and a full parse with validation costs ~40 µs."""
    digits = international_digits(text.strip())
    if digits is not None and (facts := digits_facts(digits)) is not None:
        return facts
    # measured start-up cost: phonenumbers (~13 ms), first needed here
    import phonenumbers

    keep_phone_patterns(phonenumbers)
    try:
        number = phonenumbers.parse(text, None)
    except Exception:  # noqa: BLE001 - NumberParseException and odd-input errors alike
        return None
    valid, region = region_if_valid(number)  # phonenumbers' answer, one expression a region
    return (True, region, number.country_code) if valid else (False, None, number.country_code)


def digits_facts(digits: str) -> Facts | None:
    """`phone_facts` of a number in E.164 form ('+8615825055848', as `international_digits`
    reads '+86 158 250 55848'), read from its calling code and digits as phonenumbers' parse
    would read them; None for a number a parse could read otherwise (a national prefix to
    strip, no such calling code), which only the parse answers. Neither the parse nor a
    PhoneNumber nor phonenumbers' own questions (`kiosk.phone_validity.facts_of`): they were
    most of reading a phone badge, profiled at a million contacts.
    `tests/core/test_phone_facts.py` checks that both agree."""
    parts = e164_parts(digits)
    if parts is None:
        return None
    code, national = parts
    # The national significant number phonenumbers keeps is these digits, leading zeros
    # included (its `italian_leading_zero` and `number_of_leading_zeros`).
    valid, region = facts_of(code, national)
    return (True, region, code) if valid else (False, None, code)
