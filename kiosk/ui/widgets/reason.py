"""Why an item is in the manager's queue, and why a decision was refused, in the UI language.

The core keeps an item's reason as an English sentence (the record: the log, the CLI, the
CRM export) and, beside it, the facts it was raised on (`Item.facts`: ids, counts, times).
A Spanish or Chinese manager read the English sentence, with kiosk times in UTC; these
functions word the same facts in the UI language, with salespeople's names and times in
the show's zone. An item whose facts say too little (raised before they were kept, or a
kind this does not know) keeps its English record rather than a guess.

Names, notes and statements are data: callers show the result as `Text`, never as markup.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING, Any

from kiosk.models import Salesperson
from kiosk.store import parse_ts
from kiosk.ui.explain import name_of
from kiosk.ui.i18n import Translator
from kiosk.ui.widgets.evidence import short_day

if TYPE_CHECKING:  # kiosk.disputes loads with the workbench, after the first frame
    from kiosk.disputes import Item


class _Words:
    """One translator, the people and the show's zone: the pieces every line is made of."""

    def __init__(
        self, t: Translator, people: Mapping[str, Salesperson], zone: tzinfo, today: date
    ) -> None:
        self.t, self.people, self.zone, self.today = t, people, zone, today

    def name(self, sp_id: Any) -> str:
        return name_of(self.people, str(sp_id)) if sp_id else self.t("card.nobody")

    def when(self, value: Any) -> str:
        """'today 11:00' / '24 Nov 11:00' in the show's zone ('?' for no time)."""
        dt = value if isinstance(value, datetime) else parse_ts(str(value or ""))
        if dt is None:
            return "?"
        local = dt.astimezone(self.zone)
        clock = local.strftime("%H:%M")
        if local.date() == self.today:
            return self.t("evidence.today_at", time=clock)
        return self.t(
            "evidence.day_at", day=short_day(local.date(), self.t, year_of=self.today), time=clock
        )

    def day(self, value: Any) -> str:
        """'24 Nov 2025' (the year when not this one's) in the show's zone."""
        dt = parse_ts(str(value or ""))
        if dt is None:
            return "?"
        return short_day(dt.astimezone(self.zone).date(), self.t, year_of=self.today)

    def holding(self, owner: Any, assistant: Any, split: Any) -> str:
        """'Luis Gómez owns, Marta Díaz assists at 30%'."""
        text = self.t("arr.owns", owner=self.name(owner))
        if assistant:
            share = f"{round(float(split or 0) * 100)}%"
            text += self.t("arr.assists", who=self.name(assistant), split=share)
        return text


def _dispute(i: Item, w: _Words, f: Mapping[str, Any]) -> str | None:
    if f.get("same_as_id") and f.get("same_as_owner") == i.proposed_id:
        # filed as a different person from a customer with the same name and company
        name = f.get("same_as_name") or "?"
        if f.get("same_as_company"):
            name += f" ({f['same_as_company']})"
        return w.t("reason.namesake", who=w.name(i.proposed_id), owner=w.name(i.current_id),
                   name=name)  # fmt: skip
    if not f.get("claim_ts"):
        return None
    return w.t("reason.dispute", who=w.name(i.proposed_id), owner=w.name(i.current_id),
               kiosk=f.get("claim_kiosk") or "?", when=w.when(f["claim_ts"]))  # fmt: skip


def _assistant(i: Item, w: _Words, f: Mapping[str, Any]) -> str | None:
    split = f"{round((i.split or 0) * 100)}%"
    return w.t("reason.assistant", who=w.name(i.proposed_id), owner=w.name(i.current_id),
               name=i.contact_name, split=split)  # fmt: skip


def _preference(i: Item, w: _Words, f: Mapping[str, Any]) -> str | None:
    return w.t("reason.preference", who=w.name(i.proposed_id), name=i.contact_name)


def _again(i: Item, w: _Words, f: Mapping[str, Any]) -> str:
    """A decision taken twice, or on an item already out of date (two kiosks, merged)."""
    note = w.t("reason.note", note=f["note"]) if f.get("note") else ""
    theirs = w.holding(f.get("owner_id"), f.get("assistant_id"), f.get("split"))
    stands = w.holding(f.get("stands_owner"), f.get("stands_assistant"), f.get("stands_split"))
    said = dict(by=w.name(f.get("by")), kiosk=f.get("kiosk") or "?", at=w.when(f.get("at")),
                theirs=theirs, note=note, stands=stands)  # fmt: skip
    if f.get("closed"):
        return w.t("reason.again_outdated", **said)
    return w.t("reason.again", first_by=w.name(f.get("stands_by")),
               first_at=w.when(f.get("stands_at")), **said)  # fmt: skip


def _reassign(i: Item, w: _Words, f: Mapping[str, Any]) -> str | None:
    if "decided_again" in f and "by" in f:
        return _again(i, w, f)
    if "arrangement_id" in f and "review_at" in f:  # a decision's review came due
        key = "reason.review" if f.get("last_deal_at") else "reason.review_no_deal"
        return w.t(key, by=w.name(f.get("decided_by")), due=w.day(f["review_at"]),
                   deal=w.day(f.get("last_deal_at")))  # fmt: skip
    if f.get("precedence") and f.get("first_contact_by") == i.proposed_id:
        # rule 1: one filed the customer, another met them first; the show's precedence
        # calls one of them, and the manager settles it
        wins = f["precedence"] == "first_contact"
        key = "reason.first_contact_wins" if wins else "reason.first_contact"
        return w.t(key, first=w.name(i.proposed_id), owner=w.name(i.current_id),
                   name=i.contact_name, first_at=w.day(f.get("first_contact_at")),
                   filed_at=w.day(f.get("filed_at")))  # fmt: skip
    if "days_since_activity" in f:  # rule 3: a lapsed owner
        said = dict(owner=w.name(i.current_id), days=f["days_since_activity"],
                    last=w.day(f.get("last_activity_at")), limit=f.get("lapse_days", "?"))  # fmt: skip
        if i.proposed_id is None:
            return w.t("reason.lapsed_open", **said)
        return w.t("reason.lapsed", who=w.name(i.proposed_id), **said)
    if i.proposed_id is None:
        return None
    if f.get("brought_by") == i.proposed_id and not f.get("territory_rule"):
        return w.t("reason.brought_unrouted", who=w.name(i.proposed_id), name=i.contact_name)
    if i.current_id and i.current_id not in w.people:  # the CRM names someone not here
        return w.t("reason.owner_missing", id=i.current_id, who=w.name(i.proposed_id))
    if not i.current_id:
        return w.t("reason.no_owner", who=w.name(i.proposed_id))
    return None


_BY_KIND: dict[str, Callable[[Item, _Words, Mapping[str, Any]], str | None]] = {
    "dispute": _dispute,
    "assistant": _assistant,
    "preference": _preference,
    "reassign": _reassign,
}


def reason_line(
    item: Item, t: Translator, people: Mapping[str, Salesperson], zone: tzinfo, today: date
) -> str:
    """Why `item` waits for the manager, in the UI language (its English record when its
    facts say too little)."""
    words = _Words(t, people, zone, today)
    wording = _BY_KIND.get(item.kind)
    said = wording(item, words, item.facts) if wording is not None else None
    return said or item.reason


def refusal_line(
    error: Exception, t: Translator, people: Mapping[str, Salesperson], zone: tzinfo,
    today: date,
) -> str:  # fmt: skip
    """A decision the core refused (`disputes.DisputeError`), in the UI language; one it
    has no words for keeps the core's line."""
    code, facts = getattr(error, "code", ""), getattr(error, "facts", {})
    key = f"refusal.{code}"
    if not code or not t.has(key):
        return str(error)
    w = _Words(t, people, zone, today)
    return t(key, who=w.name(facts.get("who")), by=w.name(facts.get("by")),
             owner=w.name(facts.get("owner")), at=w.when(facts.get("at")),
             what=t.maybe(f"refusal.as_{facts.get('what')}", str(facts.get("what") or "")))  # fmt: skip
