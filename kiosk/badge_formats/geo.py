"""Country of a badge: from its country/address text, else from its phone's calling code.

Text goes through `kiosk.countries.resolve_country` (the kiosk's one place for names,
translations and typos).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from kiosk.countries import resolve_country
from kiosk.phone_validity import region_if_valid
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


def country_from_phone(phone: str) -> str | None:
    """Region of an international number: the number's own region when it is valid (this
    tells Canada from the US by area code), else the calling code's only region, else None
    (+1 and +44 are shared by several regions; +800 and +882 belong to none)."""
    text = phone.strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    if not text.startswith("+"):
        return None
    facts = phone_facts(text)
    if facts is None:
        return None
    valid, region, country_code = facts
    if valid and region and region.isalpha() and region != "ZZ":
        return region
    if country_code is None:
        return None
    # measured start-up cost: phonenumbers (~13 ms), first needed here
    import phonenumbers

    regions = phonenumbers.region_codes_for_country_code(country_code)
    if len(regions) == 1 and regions[0].isalpha() and regions[0] != "ZZ":
        return regions[0]
    return None


@lru_cache(maxsize=256)
def phone_facts(text: str) -> tuple[bool, str | None, int | None] | None:
    """(valid, region, calling code) of an international number, or None when it cannot be
    read. Remembered: reading a badge asks twice about the same number (is it a phone at all,
    then whose country), and a full parse with validation costs ~40 µs."""
    # measured start-up cost: phonenumbers (~13 ms), first needed here
    import phonenumbers

    keep_phone_patterns(phonenumbers)
    number = _international(text)
    if number is None:
        try:
            number = phonenumbers.parse(text, None)
        except Exception:  # noqa: BLE001 - NumberParseException and odd-input errors alike
            return None
    valid, region = region_if_valid(number)  # phonenumbers' answer, one expression a region
    return (True, region, number.country_code) if valid else (False, None, number.country_code)


def _international(text: str) -> Any | None:
    """The PhoneNumber that phonenumbers' parse makes of a plain international number
    ('+86 158 250 55848'), built from its calling code and digits without the parse (about
    half of reading a phone badge, profiled at a million contacts); None for anything a
    parse could read differently. `tests/core/test_phone_facts.py` checks that both agree."""
    digits = international_digits(text.strip())
    parts = e164_parts(digits) if digits is not None else None
    if parts is None:
        return None
    # measured start-up cost: phonenumbers (~13 ms), first needed here
    import phonenumbers

    code, national = parts
    number = phonenumbers.PhoneNumber(country_code=code, national_number=int(national))
    if len(national) > 1 and national[0] == "0":  # as the parse keeps leading zeros
        number.italian_leading_zero = True
        zeros = len(national) - len(national.lstrip("0"))
        zeros = min(zeros, len(national) - 1)  # an all-zero number keeps its last zero
        if zeros != 1:
            number.number_of_leading_zeros = zeros
    return number
