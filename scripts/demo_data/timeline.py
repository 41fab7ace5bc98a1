"""CRM timestamps: office hours on working days, stamped with the writer's UTC offset.

Offsets are computed from fixed rules (China has no daylight saving; the EU switches on the
last Sundays of March and October; Mexico dropped daylight saving in October 2022) rather
than from the system's time-zone database, so the files do not depend on its version.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from random import Random

from .show import HISTORY_END, HISTORY_START


def _last_sunday(year: int, month: int) -> date:
    day = date(year, month + 1, 1) - timedelta(days=1)
    return day - timedelta(days=(day.weekday() + 1) % 7)


def _first_sunday(year: int, month: int) -> date:
    day = date(year, month, 1)
    return day + timedelta(days=(6 - day.weekday()) % 7)


def utc_offset(tz: str, local: datetime) -> str:
    """'+08:00' for 'cn'; '+01:00'/'+02:00' for 'eu'; '-06:00'/'-05:00' for 'mx'."""
    d = local.date()
    if tz == "eu":
        summer = _last_sunday(d.year, 3) <= d < _last_sunday(d.year, 10)
        return "+02:00" if summer else "+01:00"
    if tz == "mx":
        summer = d < date(2022, 10, 30) and _first_sunday(d.year, 4) <= d < _last_sunday(d.year, 10)
        return "-05:00" if summer else "-06:00"
    return "+08:00"


def stamp(local: datetime | None, tz: str) -> str:
    """ISO 8601 with offset, seconds always zero: '2024-03-02T09:15:00+08:00'; '' for None."""
    if local is None:
        return ""
    return local.replace(second=0, microsecond=0).isoformat() + utc_offset(tz, local)


def office_time(rng: Random, day: date) -> datetime:
    """A moment of office hours on `day`, moved off the weekend to the nearest weekday."""
    if day.weekday() == 5:
        day -= timedelta(days=1)
    elif day.weekday() == 6:
        day += timedelta(days=1)
    minutes = rng.randrange(8 * 60 + 30, 18 * 60 + 30)
    return datetime(day.year, day.month, day.day, minutes // 60, minutes % 60)


def between(rng: Random, start: datetime, end: datetime) -> datetime:
    """An office-hours moment between two moments (clamped to the CRM's history)."""
    start = max(start, HISTORY_START)
    end = min(end, HISTORY_END)
    if end <= start:
        return start
    days = (end.date() - start.date()).days
    for _ in range(5):
        moment = office_time(rng, start.date() + timedelta(days=rng.randint(0, days)))
        if start <= moment <= end:
            return moment
    return start


# Filing year weights: the CRM grew as the export team did.
_YEAR_WEIGHTS = {2019: 7, 2020: 6, 2021: 10, 2022: 12, 2023: 14, 2024: 16, 2025: 18, 2026: 17}


def filing_time(
    rng: Random, latest: datetime = HISTORY_END, earliest: datetime = HISTORY_START
) -> datetime:
    """When a contact was filed: weighted towards recent years, within [earliest, latest]."""
    years = [y for y in _YEAR_WEIGHTS if earliest.year <= y <= latest.year]
    year = rng.choices(years, weights=[_YEAR_WEIGHTS[y] for y in years])[0]
    start = max(earliest, datetime(year, 1, 1))
    end = min(latest, datetime(year, 12, 31, 23, 59))
    return between(rng, start, end)
