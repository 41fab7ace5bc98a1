"""Phone numbers in E.164, the one form the kiosk compares them in.

A badge says '+86 138-0013-8000', the CRM '0086 13800138000', a salesperson types
'138 0013 8000' for a contact in China: all are '+8613800138000'. `normalize_phone` is
used by every writer (`kiosk.contact_rows`) and by lookup, so both sides agree.
"""

from __future__ import annotations

import re
import zoneinfo
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

_E164 = re.compile(r"\+[1-9]\d{6,14}")
_PHONE_JUNK = re.compile(r"[\s().\-/]")


_CODES: dict[str, re.Pattern[str] | None] = {}


def _calling_codes() -> dict[str, re.Pattern[str] | None]:
    """Calling code → the national prefix phonenumbers strips after it ('0' in '+44 0 20…')."""
    if not _CODES:
        # measured start-up cost: phonenumbers (~13 ms), first needed here
        import phonenumbers

        keep_phone_patterns(phonenumbers)
        for code in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
            region = phonenumbers.region_code_for_country_code(code)
            meta = phonenumbers.PhoneMetadata.metadata_for_region_or_calling_code(code, region)
            pattern = meta.national_prefix_for_parsing if meta else None
            _CODES[str(code)] = re.compile(pattern) if pattern else None
    return _CODES


def warm() -> None:
    """Load phonenumbers and every calling code's prefix now, not at the first number read.
    That first read costs 0.1–0.3 s (the module, 215 regions' metadata, their patterns):
    a contacts import calls this before its first slice, which had paid it while holding
    the write lock (the booth's writes waited; issue 12 §5 at a million rows)."""
    _calling_codes()


def keep_phone_patterns(phonenumbers: Any) -> None:
    """Keep every regular expression phonenumbers compiles from its metadata (~1,200 at
    most, under 1 MB). Otherwise it relies on the re module's cache of 512, which numbers
    from a few dozen countries overflow: checking a badge's number recompiled patterns,
    ~70 → ~35 µs a phone badge read (400 numbers of many countries). Idempotent."""
    phonenumbers.enable_pattern_cache()


def _fast_e164(digits: str) -> str | None:
    """'+8613800138000' → itself, without a full parse, when a parse could not change it.

    A full phonenumbers parse costs ~20 µs, a third of the per-row budget of a
    million-row import; CRM exports mostly hold E.164 already. The shortcut applies only
    when the calling code exists and the national part does not start with a national
    prefix that the parser would strip, so it agrees with the slow path.
    """
    return digits if e164_parts(digits) is not None else None


def kept_as_is(text: str) -> bool:
    """Whether `normalize_phone(text, country)` is `text` itself, whatever the country: a
    trimmed number in E.164 that a parse would not read otherwise (`e164_parts`). Most
    numbers of a CRM export; a first import asks this before the general call."""
    return _E164.fullmatch(text) is not None and e164_parts(text) is not None


def e164_parts(digits: str) -> tuple[int, str] | None:
    """'+8613800138000' → (86, '13800138000'): the calling code and the national number as
    phonenumbers' parse reads them, or None when a parse could read it otherwise (no such
    calling code, or a national prefix it would strip). `digits` is E.164 ('+' and digits)."""
    codes = _CODES or _calling_codes()
    for n in (2, 3, 4):
        cc = digits[1:n]
        if cc in codes:
            prefix = codes[cc]
            if prefix is not None and (m := prefix.match(digits, n)) is not None:
                # A prefix that matches nothing strips nothing: parse keeps the number as
                # it is unless the pattern's last group took part (then a transform rule
                # rewrites it). Argentina's pattern is all optional, so every +54 number
                # matched it, and took two full parses a lookup (the slowest 5 %).
                groups = m.groups()
                if m.end() > n or (groups and groups[-1] is not None):
                    return None
            return int(cc), digits[n:]
    return None


_INTERNATIONAL = re.compile(r"\+[\d ().\-/]+")
_NOT_DIGIT = re.compile(r"\D")


def international_digits(text: str) -> str | None:
    """'+86 158 250 55848' → '+8615825055848': a number written in international form with
    only digits, spaces and ( ) . - / — nothing a parser reads differently (letters, 'ext',
    a second number) — else None."""
    if not _INTERNATIONAL.fullmatch(text):
        return None
    digits = "+" + _NOT_DIGIT.sub("", text)
    return digits if _E164.fullmatch(digits) else None


def normalize_phone(phone: str | None, country: str | None = None) -> str:
    """A phone number in E.164 ('+4930123456'), or '' when it cannot be read as one.

    `country` (alpha-2) is the region for numbers written nationally ('030 123456');
    without it only international forms ('+49 …', '0049 …') can be read. Extensions are
    dropped: two people at one switchboard are told apart by name, not by phone.
    """
    if not phone:
        return ""
    text = phone.strip() if isinstance(phone, str) else str(phone).strip()
    e164 = _E164.fullmatch(text) is not None
    if not e164:
        if text[:4].lower() == "tel:":
            text = text[4:].strip()
        compact = _PHONE_JUNK.sub("", text)
        if compact.startswith("00"):
            text = compact = "+" + compact[2:]
        if _E164.fullmatch(compact):
            text, e164 = compact, True
    if e164 and (fast := _fast_e164(text)) is not None:
        return fast
    region = country.upper() if country and len(country) == 2 else None
    if text[:1] != "+" and region is None:
        return ""
    # measured start-up cost: phonenumbers (~13 ms), first needed here
    import phonenumbers

    try:
        parsed = phonenumbers.parse(text, region)
    except Exception:  # NumberParseException, or anything odd in untrusted text
        return ""
    out = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    return out if 8 <= len(out) <= 16 else ""


# ---------------------------------------------------------------- the show's country


def _tz_files() -> tuple[str, str]:
    """(zone.tab, tzdata.zi) of the tz database Python's zoneinfo reads: the system's
    (`zoneinfo.TZPATH`), else the `tzdata` package's; ('', '') when neither has them."""
    for folder in zoneinfo.TZPATH:
        tab, zi = Path(folder, "zone.tab"), Path(folder, "tzdata.zi")
        if tab.is_file():
            return tab.read_text("utf-8"), zi.read_text("utf-8") if zi.is_file() else ""
    try:
        data = resources.files("tzdata").joinpath("zoneinfo")
        tab_text = data.joinpath("zone.tab").read_text("utf-8")
    except (ModuleNotFoundError, OSError):
        return "", ""
    try:
        zi_text = data.joinpath("tzdata.zi").read_text("utf-8")
    except OSError:
        zi_text = ""
    return tab_text, zi_text


@lru_cache(maxsize=1)
def _zone_countries() -> dict[str, str]:
    """IANA time zone → the alpha-2 code of the country whose time it is.

    From the tz database itself: zone.tab names each zone's country ('Europe/Berlin' DE,
    'Europe/Vaduz' LI), and the links in tzdata.zi add the other names of a zone
    ('Asia/Calcutta', 'US/Pacific', 'PRC'). Zones of no country ('UTC', 'Etc/GMT+2') are
    absent. Read once, on the first call (~2 ms).
    """
    tab, zi = _tz_files()
    out: dict[str, str] = {}
    for line in tab.splitlines():
        fields = line.split("\t")
        if len(fields) >= 3 and not line.startswith("#") and len(fields[0]) == 2:
            out.setdefault(fields[2], fields[0].upper())
    for line in zi.splitlines():
        fields = line.split()
        if len(fields) == 3 and fields[0] == "L" and fields[1] in out:
            out.setdefault(fields[2], out[fields[1]])
    return out


def timezone_region(zone: str | None) -> str | None:
    """The country (alpha-2) a time zone is the local time of: 'Europe/Berlin' → 'DE',
    'Asia/Shanghai' → 'CN', 'America/New_York' → 'US'; None for 'UTC', 'Etc/…' or an
    unknown name. A zone shared by several countries gives the one the tz database files
    it under ('Europe/Zurich' → 'CH', though Liechtenstein keeps the same time)."""
    return _zone_countries().get((zone or "").strip()) if zone else None
