"""The workbench's words: both sides' evidence as one table, and an arrangement in a sentence.

Both built from the typed records of `kiosk.disputes` in the UI language (the core's English
lines are for the CLI and the log). Names and statements are data: they go in as `Text`,
never as markup.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING, Any

from rich.table import Table
from rich.text import Text

from kiosk.models import Salesperson
from kiosk.ui.explain import name_of
from kiosk.ui.i18n import Translator
from kiosk.visits import Visit

if TYPE_CHECKING:  # kiosk.disputes loads with the first card of a known customer
    from kiosk.disputes import Arrangement, Item, Side

ROWS = ("holds", "filed", "first", "invited", "booth", "contact", "deal", "asked", "case")
GOOD = "bold #16a34a"


def short_day(d: date, t: Translator, *, year_of: date | None = None) -> str:
    """'2 Dec' / '12月2日' / '2 dic', with the year when it is not `year_of`'s."""
    month = t("time.months").split()[d.month - 1]
    key = "time.day" if year_of is not None and d.year == year_of.year else "time.day_year"
    return t(key, d=d.day, m=d.month, mon=month, y=d.year)


def _when(
    dt: datetime | None, zone: tzinfo, t: Translator, today: date, *, clock: bool = False
) -> str:
    """In the show's zone: 'today 10:05', else the day ('24 Nov'), with the time too when
    `clock` (two kiosks' claims minutes apart)."""
    if dt is None:
        return "–"
    local = dt.astimezone(zone)
    if local.date() == today:
        return t("evidence.today_at", time=local.strftime("%H:%M"))
    day = short_day(local.date(), t, year_of=today)
    return t("evidence.day_at", day=day, time=local.strftime("%H:%M")) if clock else day


def _cells(s: Side, t: Translator, zone: tzinfo, today: date) -> dict[str, Text]:
    def when(dt: datetime | None) -> Text:
        return Text(_when(dt, zone, t, today), style="bold" if dt else "dim")

    filed = when(s.filed_at)
    if s.lead_at is not None and (s.filed_at is None or s.filed_at == s.lead_at):
        # filed at the booth: which kiosk; no filing but a lead of their own: a later
        # claim (the second of two kiosks' claims), when and where — it showed '–'
        key = "evidence.filed_at_kiosk" if s.filed_at is not None else "evidence.later_claim"
        filed = Text(t(key, when=_when(s.lead_at, zone, t, today, clock=True),
                       kiosk=s.lead_kiosk or "?"), style="bold")  # fmt: skip
    invited = when(s.invited_at)
    if s.invited_at is not None:
        came = t("evidence.came" if s.came_on_invitation else "evidence.not_came")
        invited.append("  " + came, style=GOOD if s.came_on_invitation else "dim")
    holds = Text(
        t(f"evidence.holds_{s.holds}") if s.holds else "–", style="bold" if s.holds else "dim"
    )
    asked = (
        Text("★ " + t("evidence.asked_yes"), style=GOOD) if s.preferred else Text("–", style="dim")
    )
    case = Text(s.case or t("evidence.no_case"), style="" if s.case else "dim italic")
    if s.case_at is not None:
        case.append("  (" + _when(s.case_at, zone, t, today) + ")", style="dim")
    return {
        "holds": holds, "filed": filed, "first": when(s.first_contact_at),
        "invited": invited, "booth": when(s.at_booth), "contact": when(s.last_contact_at),
        "deal": when(s.last_deal_at), "asked": asked, "case": case,
    }  # fmt: skip


def evidence_table(
    item: Item, t: Translator, people: Mapping[str, Salesperson], zone: tzinfo, today: date
) -> Table:
    """Both sides of `item` in two columns, a row per piece of evidence."""
    table = Table(expand=True, show_edge=False, pad_edge=False, box=None, padding=(0, 2, 0, 0))
    table.add_column("", style="dim", no_wrap=True, ratio=None)
    columns = []
    for s in item.sides:
        table.add_column(Text(name_of(people, s.salesperson_id), style="bold"), ratio=1)
        columns.append(_cells(s, t, zone, today))
    if len(item.sides) == 1:  # a lapse with nobody proposed: the manager picks the other side
        table.add_column(Text(t("evidence.nobody"), style="italic dim"), ratio=1)
    for row in ROWS:
        cells = [c[row] for c in columns] + ([Text("")] if len(item.sides) == 1 else [])
        table.add_row(Text(t(f"evidence.{row}")), *cells)
    return table


def arrangement_line(
    a: Arrangement, t: Translator, people: Mapping[str, Salesperson], zone: tzinfo
) -> str:
    """'Decided by Helen on 2 Dec: Kenji owns, Mateo assists at 30%; review 2 Mar'."""
    on = a.decided_at.astimezone(zone).date()
    by = name_of(people, a.decided_by)
    if a.outcome == "deferred":
        until = short_day(a.defer_until, t, year_of=on) if a.defer_until else "?"
        return t("arr.deferred", by=by, date=short_day(on, t, year_of=on), until=until)
    text = t("arr.decided", by=by, date=short_day(on, t, year_of=on))
    if a.customer_chose:
        text += t("arr.chose", who=name_of(people, a.customer_chose))
    text += t("arr.owns", owner=name_of(people, a.owner_id))
    if a.assistant_id:
        text += t("arr.assists", who=name_of(people, a.assistant_id),
                  split=f"{round((a.split or 0) * 100)}%")  # fmt: skip
    if a.review_at:
        text += t("arr.review", date=short_day(a.review_at, t, year_of=on))
    return text


def arrangement_of(app: Any, visit: Visit) -> str:
    """The manager's standing decision on the customer of a card, in words ('' when none)."""
    if not visit.contact.known or visit.contact.id is None:
        return ""
    services = app.services
    a = services.standing(visit.contact.id)
    return arrangement_line(a, app.t, services.people, services.zone) if a is not None else ""
