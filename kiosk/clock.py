"""The one clock of the product.

The core never reads the wall clock: every function that needs the time takes `now` (a
datetime) or a `Clock` (a function returning one) from its caller. Only the front-ends —
the CLI, the TUI and the sync script — pick a clock, through `clock_from_env`, so a test,
a rehearsal of last year's show or a kiosk whose laptop clock is wrong can all say what
time it is in one place.

`KIOSK_NOW` (an ISO 8601 time, e.g. ``2026-11-24T10:00:00+01:00``) freezes the clock of
every command started with it: the demo can be rehearsed on the show's own day, and the
test suite passes whatever the date.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from kiosk.errors import KioskError

Clock = Callable[[], datetime]

ENV_VAR = "KIOSK_NOW"


class ClockError(KioskError, ValueError):
    """`KIOSK_NOW` is not a time the kiosk can read."""


def system_clock() -> datetime:
    """The computer's time, in UTC (the only place the product reads the wall clock)."""
    return datetime.now(UTC)  # clock: the one real source of time


def fixed_clock(when: datetime) -> Clock:
    """A clock that always says `when` (naive times are taken as UTC)."""
    moment = aware(when)
    return lambda: moment


def aware(when: datetime) -> datetime:
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def parse_now(text: str) -> datetime:
    """`KIOSK_NOW`'s text as an aware datetime; a date alone means its 10:00 UTC."""
    value = text.strip()
    try:
        if len(value) == 10:
            return datetime.fromisoformat(value + "T10:00:00+00:00")
        return aware(datetime.fromisoformat(value.replace("Z", "+00:00")))
    except ValueError as exc:
        raise ClockError(
            f"{ENV_VAR}={text!r} is not a time; use ISO 8601, e.g. 2026-11-24T10:00:00+01:00"
        ) from exc


def is_frozen(env: Mapping[str, str] | None = None) -> bool:
    """Whether `KIOSK_NOW` sets the front-ends' clock: a rehearsal or a test says what time
    it is on purpose, so comparing it with an outside clock (the hub's) means nothing."""
    return bool((os.environ if env is None else env).get(ENV_VAR, "").strip())


def clock_from_env(env: Mapping[str, str] | None = None) -> Clock:
    """The front-ends' clock: frozen at `KIOSK_NOW` when it is set, else the system clock."""
    value = (os.environ if env is None else env).get(ENV_VAR, "").strip()
    if not value:
        return system_clock
    return fixed_clock(parse_now(value))


# ---------------------------------------------------------------- the show's calendar day
# Here, not in kiosk.reports.dashboard (which reads the day's figures with them), because the
# reception screen counts today's visits from its first frame: the manager's reports load
# when the manager's screens open (issue 16).


def show_zone(name: str | None) -> tzinfo:
    """The show's zone; UTC when the name is empty or unknown (a typo must not stop the kiosk)."""
    if not name or name.upper() == "UTC":
        return UTC
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError, OSError):
        return UTC


def whole_minutes(seconds: float) -> int:
    """A wait in whole minutes, the one rule of every front-end (the manager screen's "2m",
    `kiosk report`'s 2, the arrivals board): floored, as a clock reads it (2 min 59 s is
    2 minutes), never negative. The report and the screen once disagreed (2.5 against 2m)."""
    return max(0, int(seconds // 60))


def day_bounds(day: date, zone: tzinfo) -> tuple[str, str]:
    """[start, end) of a local calendar day as UTC ISO strings, for julianday() comparisons."""
    start = datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)
    end = start + timedelta(days=1)
    return start.isoformat(timespec="seconds"), end.isoformat(timespec="seconds")


def local_day(now: datetime, zone: tzinfo) -> date:
    """The calendar day `now` falls on in `zone` (a naive `now` is UTC)."""
    return aware(now).astimezone(zone).date()


# ---------------------------------------------------------------- a clock that looks wrong
# A kiosk cannot see its own clock is wrong; what it can see is a time that no booth could
# have: a scan or a lead stamped days before the show was even set up. Rule 6 ("the earliest
# claim stands") rewards exactly such a stamp, so merges flag them, the manager's evidence
# says so, and the front-ends warn when the kiosk's own date is outside the show.

# Days before the show's first day when the booth is built and its kiosks tried out: a test
# scan then is honest. Anything earlier comes from a clock that is behind.
SETUP_DAYS = 3
# The event kinds that are booth facts (a scan, a walk-in, a lead, a visitor received):
# only the booth makes them, so only during the show. Invitations are sent weeks before it
# and decisions taken after it: their stamps say nothing about a clock.
BOOTH_KINDS = ("checkin", "checkin.received", "walkin.arrived", "lead.created")


def booth_opens(start: date | None, zone: tzinfo) -> datetime | None:
    """The earliest honest time of a booth fact: midnight (in the show's zone) at the start
    of the set-up, `SETUP_DAYS` before the show's first day. None for a show without dates."""
    if start is None:
        return None
    return datetime.combine(start - timedelta(days=SETUP_DAYS), time(0), tzinfo=zone)


def utc_key(when: datetime) -> str:
    """A time as the event log's replay key (`events.ts_utc`): UTC ISO text of one width,
    so text order is time order and an SQL range compares it directly."""
    return aware(when).astimezone(UTC).isoformat(timespec="microseconds")


def before_show(when: datetime, opens: datetime | None) -> timedelta | None:
    """How far `when` lies before the booth opened (`booth_opens`), or None when it does not
    (or the show has no dates)."""
    if opens is None:
        return None
    gap = opens.astimezone(UTC) - aware(when).astimezone(UTC)  # real time, not wall time
    return gap if gap > timedelta(0) else None


def day_outside_show(
    now: datetime, start: date | None, end: date | None, zone: tzinfo
) -> tuple[str, date] | None:
    """('over', end) when the show's last day has passed, ('ahead', start) before its first
    day, else None — by the kiosk's clock (`now`) in the show's zone."""
    today = local_day(now, zone)
    if end is not None and today > end:
        return "over", end
    if start is not None and today < start:
        return "ahead", start
    return None


# How far a kiosk's clock may differ from the hub's before the kiosk says so. Laptops synced
# by NTP agree within a second; a couple of minutes is a clock set by hand, or a wrong zone.
HUB_CLOCK_TOLERANCE = timedelta(minutes=2)


def clock_off(offset: timedelta | None, tolerance: timedelta = HUB_CLOCK_TOLERANCE) -> bool:
    """Whether an outside clock's offset (outside − this kiosk) says this kiosk's is wrong."""
    return offset is not None and abs(offset) > tolerance


def offset_size(offset: timedelta) -> str:
    """How big an offset is, either way, as a person reads it: '3 h 2 min', '400 d', '40 s'."""
    seconds = int(abs(offset).total_seconds())
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        size = f"{days:,} d {hours} h" if hours else f"{days:,} d"
    elif hours:
        size = f"{hours} h {minutes} min" if minutes else f"{hours} h"
    elif minutes:
        size = f"{minutes} min"
    else:
        size = f"{secs} s"
    return size
