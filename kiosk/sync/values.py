"""Cell values as CRM exports and spreadsheets spell them: dates, yes/no flags, lists.

Dates are the hard part. '03/02/2024' is 2 March in a Salesforce or HubSpot export made
in the US and 3 February in most of the world, so the caller passes the format's
`order`; a value that can only be read one way ('25/12/2024') is read that way whatever
the order says. Everything comes back as ISO 8601 text, the form the database stores.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from functools import lru_cache

DATE_ORDERS = ("DMY", "MDY")
_EXCEL_EPOCH = datetime(1899, 12, 30)
_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
    )
}
_TIME = (
    r"(?:[ T]+(?P<ampm1>上午|下午)?\s*(?P<h>\d{1,2}):(?P<mi>\d{2})"
    r"(?::(?P<s>\d{2})(?:[.,](?P<frac>\d{1,6}))?)?\s*(?P<ampm>[AaPp]\.?[Mm]\.?)?)?"
    r"\s*(?P<tz>Z|UTC|GMT|[+-]\d{2}:?\d{2})?"
)
_NUMERIC = re.compile(r"(?P<a>\d{1,4})[/.\-](?P<b>\d{1,2})[/.\-](?P<c>\d{1,4})" + _TIME + r"$")
_CHINESE = re.compile(r"(?P<a>\d{4})年(?P<b>\d{1,2})月(?P<c>\d{1,2})日?" + _TIME + r"$")
_DAY_MONTH = re.compile(
    r"(?P<d>\d{1,2})[ \-]+(?P<m>[A-Za-z]{3,9})\.?[ \-,]+(?P<y>\d{4})" + _TIME + "$"
)
_MONTH_DAY = re.compile(r"(?P<m>[A-Za-z]{3,9})\.? +(?P<d>\d{1,2}),? +(?P<y>\d{4})" + _TIME + "$")
_SERIAL = re.compile(r"\d{5}(?:\.\d+)?$")
_TRUE = frozenset("1 true yes y x on si sí ja oui wahr 是 对 有".split())
_FALSE = frozenset("0 false no n off non nein 否 无".split())


def _year(text: str) -> int:
    y = int(text)
    if len(text) <= 2:
        y += 2000 if y < 70 else 1900
    return y


def _clock(m: re.Match[str]) -> tuple[int, int, int, int] | None:
    if m.group("h") is None:
        return None
    h, mi = int(m.group("h")), int(m.group("mi"))
    s = int(m.group("s") or 0)
    frac = int((m.group("frac") or "0").ljust(6, "0"))
    marker = (m.group("ampm") or m.group("ampm1") or "").lower().replace(".", "")
    if marker in ("pm", "下午") and h < 12:
        h += 12
    elif marker in ("am", "上午") and h == 12:
        h = 0
    return h, mi, s, frac


def _zone(text: str | None) -> timezone | None:
    if not text:
        return None
    if text in ("Z", "UTC", "GMT"):
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def _build(y: int, mo: int, d: int, m: re.Match[str]) -> str:
    if not 1900 <= y <= 2100:
        raise ValueError(f"implausible year {y}")
    clock = _clock(m)
    if clock is None:
        return date(y, mo, d).isoformat()
    dt = datetime(y, mo, d, *clock, tzinfo=_zone(m.group("tz")))
    return dt.isoformat(timespec="microseconds" if clock[3] else "seconds")


def _numeric(m: re.Match[str], order: str) -> str:
    a, b, c = m.group("a"), m.group("b"), m.group("c")
    if len(a) == 4:  # 2024/3/2, 2024.03.02
        return _build(int(a), int(b), int(c), m)
    if len(c) not in (2, 4):
        raise ValueError("no year")
    first, second = int(a), int(b)
    day_first = order == "DMY"
    if day_first and second > 12 >= first:
        day_first = False
    elif not day_first and first > 12 >= second:
        day_first = True
    day, month = (first, second) if day_first else (second, first)
    return _build(_year(c), month, day, m)


@lru_cache(maxsize=32768)
def parse_date(text: str, order: str = "DMY") -> str | None:
    """ISO 8601 text for a date or date-time cell; None for a blank one.

    Reads ISO forms, '2024-03-02 09:15', '2024/3/2', '02.03.2024', '03/02/2024' (by
    `order`, DMY or MDY), '2 Mar 2024', 'Mar 2, 2024', '2024年3月2日', 12-hour clocks
    ('9:15 PM', '下午 3:15') and Excel serial numbers (45353 → 2024-03-02). Times without
    a zone stay without one. Raises ValueError for anything else.
    """
    s = text.strip()
    if not s:
        return None
    try:
        if "-" in s[:5] and len(s) >= 10 and s[4] == "-":
            dt = datetime.fromisoformat(s.replace(" UTC", "+00:00"))
            if len(s) == 10:
                return dt.date().isoformat()
            return dt.isoformat(timespec="microseconds" if dt.microsecond else "seconds")
    except ValueError:
        pass
    m = _NUMERIC.match(s)
    if m:
        return _numeric(m, order)
    m = _CHINESE.match(s)
    if m:
        return _build(int(m.group("a")), int(m.group("b")), int(m.group("c")), m)
    m = _DAY_MONTH.match(s) or _MONTH_DAY.match(s)
    if m:
        month = _MONTHS.get(m.group("m")[:3].lower())
        if month is None:
            raise ValueError(f"unknown month {m.group('m')!r}")
        return _build(int(m.group("y")), month, int(m.group("d")), m)
    if _SERIAL.match(s):
        serial = float(s)
        if 20000 <= serial <= 80000:
            dt = _EXCEL_EPOCH + timedelta(days=serial)
            if serial.is_integer():
                return dt.date().isoformat()
            return dt.replace(microsecond=0).isoformat()
    raise ValueError("unreadable date")


def parse_flag(text: str) -> bool:
    """Yes/no as spreadsheets write it ('1', 'TRUE', 'yes', 'x', 'sí', '是'); blank is no."""
    s = text.strip().casefold()
    if not s or s in _FALSE:
        return False
    if s in _TRUE:
        return True
    raise ValueError(f"not yes/no: {text!r}")


def split_list(text: str, seps: str = ";,") -> list[str]:
    """'ana; ben,luis' → ['ana', 'ben', 'luis']: trimmed, blanks and repeats dropped."""
    parts = re.split("[" + re.escape(seps) + "]", text) if text else []
    return list(dict.fromkeys(p.strip() for p in parts if p.strip()))
