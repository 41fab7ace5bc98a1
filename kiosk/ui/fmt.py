"""Small text helpers shared by the boards (no Textual)."""

from __future__ import annotations

from datetime import date

from rich.cells import cell_len

from kiosk.clock import whole_minutes
from kiosk.ui.i18n import Translator


def clip(text: str, width: int) -> str:
    """`text` cut to `width` terminal cells with an ellipsis, so one long name cannot widen a
    table. Cells, not characters: '渡辺 健二' is 9 cells wide, and CJK names must fit too."""
    if cell_len(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = cell_len(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def minutes(seconds: float, t: Translator) -> str:
    """A wait in the UI language: '7m' / '1h05', '7分钟' / '1小时05分', '7 min' / '1 h 05'."""
    m = whole_minutes(seconds)
    if m >= 60:
        return t("time.hours", h=m // 60, m=m % 60)
    return t("time.minutes", m=m)


def duration(seconds: float, t: Translator) -> str:
    """A setting's length in the UI language, to the second below a minute ('15s' / '15 s' /
    '15秒'), else as `minutes`: an idle lock of 15 s must not be told as '1 min'."""
    if seconds < 60:
        return t("time.seconds", s=max(1, round(seconds)))
    return minutes(seconds, t)


def show_dates_warning(
    state: tuple[str, date] | None, t: Translator, name: str, today: date | None = None
) -> str:
    """`BoothServices.show_dates()` told as a warning line ('' while the show is on). With
    `today` (the kiosk's date) it says first what the laptop's clock says: a clock years
    behind reads "starts on 2026-11-24" otherwise, which blames the show file instead."""
    if state is None:
        return ""
    when, day = state
    said = t("show.over" if when == "over" else "show.ahead", name=name, date=day.isoformat())
    clock = t("show.clock", today=today.isoformat()) + " " if today is not None else ""
    return "⚠ " + clock + said


def total_text(total: int, lower_bound: bool) -> str:
    """A match count as a list says it: '1,296', or '200+' when counting stopped there."""
    return f"{total:,}" + ("+" if lower_bound else "")
