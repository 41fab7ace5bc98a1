"""The decision on a visitor card, told in the UI language: rule, evidence, flags, proposals.

The routing engine writes its one-line reason in English for the event log and the CLI;
the card instead rebuilds the explanation from the rule name and the evidence, so a
Chinese- or Spanish-speaking receptionist reads it in their language with the same facts
("filed by Ana Ruiz on 2024-03-02; last deal 2026-09-10"). Pure functions, no Textual.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from kiosk.countries import country_name
from kiosk.models import Contact, Decision, Salesperson, TerritoryMatch
from kiosk.store import parse_ts
from kiosk.ui.i18n import Translator

# Flag → CSS class of its chip: warnings are amber, problems red, good news green.
FLAG_CLASS = {
    "invited": "good",
    "key-account": "good",
    "new-visitor": "info",
    "lapsed": "warn",
    "owner-away": "warn",
    "brought-by": "info",
    "preference": "warn",
    "ownership-conflict": "warn",
    "dispute": "bad",
    "unrouted": "bad",
    "owner-missing": "warn",
    "no-owner": "warn",
}
FLAG_ORDER = tuple(FLAG_CLASS)
# Not shown on the reception screen, which faces the aisle (`chips`).
PRIVATE_FLAGS = frozenset({"lapsed"})


@dataclass(frozen=True)
class Chip:
    flag: str
    text: str
    css: str


def day(value: datetime | str | None) -> str:
    """YYYY-MM-DD in the timestamp's own zone — the format in all three languages."""
    dt = parse_ts(value) if isinstance(value, str) else value
    return dt.strftime("%Y-%m-%d") if dt is not None else ""


def name_of(people: Mapping[str, Salesperson], sp_id: str | None) -> str:
    if not sp_id:
        return ""
    sp = people.get(sp_id)
    return sp.name if sp is not None else sp_id


def languages(sp: Salesperson, t: Translator) -> str:
    """'Spanish, English' in the UI language (unknown codes shown as they are)."""
    return t("card.lang_sep").join(
        t.maybe(f"language.{code}", code.upper()) for code in sp.languages
    )


def rule_title(rule: str, t: Translator) -> str:
    return t.maybe(f"rule.{rule}", rule)


def _people(ids: tuple[str, ...], people: Mapping[str, Salesperson], t: Translator) -> str:
    names = [name_of(people, p) for p in ids if p]
    return t("card.lang_sep").join(names) or t("card.nobody")


def territory_line(m: TerritoryMatch, people: Mapping[str, Salesperson], t: Translator) -> str:
    """'Territory #14: Brazil is in region LATAM → Sofía Ramírez, Mateo' in the UI language."""
    who = _people(m.people, people, t)
    where = _country(m.country, t.lang) if m.country else ""
    if m.kind == "country" and where:
        return t("why.rule_country", id=m.rule_id, country=where, who=who)
    if m.kind == "region" and where:
        return t("why.rule_region", id=m.rule_id, country=where, group=m.group or "", who=who)
    if m.kind == "domain":
        return t("why.rule_domain", id=m.rule_id, domain=m.domain or m.value, who=who)
    if m.kind == "company":
        return t("why.rule_company", id=m.rule_id, company=m.value, who=who)
    return t("why.rule_default", id=m.rule_id, who=who)


def rotation_line(m: TerritoryMatch, people: Mapping[str, Salesperson], t: Translator) -> str:
    """'Rotation: fewest leads so far goes next — Sofía 0, Mateo 1' in the UI language."""
    if m.rotation == "first":
        return t("why.rotation_first")
    counts = [f"{name_of(people, sp_id)} {n}" for sp_id, n in m.tally]
    return t("why.rotation_tally", tally=t("card.lang_sep").join(counts))


def _country(code: str, lang: str) -> str:
    try:
        return country_name(code, lang) or code
    except (LookupError, ValueError):
        return code


def why_lines(
    decision: Decision,
    contact: Contact,
    people: Mapping[str, Salesperson],
    t: Translator,
    *,
    public: bool = False,
) -> list[str]:
    """The evidence behind the decision, one fact per line, most important first.

    `public`: for the reception screen, which faces the aisle: whom to call and why, without
    the house's commercial matters — the assistant's commission split, how long the owner
    went without a deal or contact, and what is proposed to the manager (a visitor read
    "No deal or contact for 343 days" and "35% of the commission" about themselves)."""
    ev = decision.evidence
    name = lambda sp_id: name_of(people, sp_id)  # noqa: E731
    lines: list[str] = []
    if contact.known and contact.owner_id:
        owner = name(contact.owner_id)
        if contact.filed_at:  # by the owner, unless the manager gave them to another since
            filer = name(ev["filed_by"]) if ev.get("filed_by") else owner
            lines.append(t("why.filed", who=filer, date=day(contact.filed_at)))
        if contact.first_contact_at:
            first = name(contact.first_contact_by) or owner
            lines.append(t("why.first_contact", who=first, date=day(contact.first_contact_at)))
        dates = []
        if contact.last_deal_at:
            dates.append(t("why.last_deal", date=day(contact.last_deal_at)))
        if contact.last_contact_at:
            dates.append(t("why.last_contact", date=day(contact.last_contact_at)))
        if dates:
            lines.append(t("why.sep").join(dates))
        if contact.assistant_id:
            split = f"{round(contact.split * 100)}%" if contact.split and not public else ""
            key = "why.assistant_split" if split else "why.assistant"
            lines.append(t(key, who=name(contact.assistant_id), split=split))
        if "precedence" in ev:
            lines.append(
                t(
                    "why.precedence",
                    rule=t.maybe(f"precedence.{ev['precedence']}", ev["precedence"]),
                )
            )
    if "days_since_activity" in ev and not public:
        lines.append(
            t("why.lapsed", days=ev["days_since_activity"], limit=ev.get("lapse_days", ""))
        )
    if decision.territory is not None:
        lines.append(territory_line(decision.territory, people, t))
        if decision.territory.rotation:
            lines.append(rotation_line(decision.territory, people, t))
    if ev.get("away"):
        lines.append(t("why.away", who=ev["away"]))
    if decision.key_account is not None:
        lines.append(territory_line(decision.key_account, people, t))
    if "unrouted" in decision.flags:
        lines.append(t("why.unrouted"))
    if "owner-away" in decision.flags:
        backup = name(ev.get("backup_id"))
        lines.append(
            t("why.owner_away_backup", who=name(decision.salesperson_id), backup=backup)
            if backup
            else t("why.owner_away", who=name(decision.salesperson_id))
        )
    if "dispute" in decision.flags:
        lines.append(t("why.dispute"))
    for p in () if public else decision.proposals:
        split = f"{round((p.split or 0) * 100)}%"
        # a lapse with nobody else on the territory names no one: the manager chooses
        key = "proposal.reassign_open" if p.kind == "reassign" and not p.proposed_id else ""
        lines.append(
            t(
                key or f"proposal.{p.kind}",
                who=name(p.proposed_id),
                current=name(p.current_id),
                split=split,
            )
        )
    return lines


def chips(
    decision: Decision,
    people: Mapping[str, Salesperson],
    t: Translator,
    invited_by: str | None = None,
    *,
    public: bool = False,
) -> list[Chip]:
    """The flags worth a glance, as short labelled chips in a fixed order (`public`: not the
    owner's lapse, which is the house's matter, on the screen that faces the aisle)."""
    ev = decision.evidence
    out = []
    for flag in FLAG_ORDER:
        if flag not in decision.flags or (public and flag in PRIVATE_FLAGS):
            continue
        who = ""
        if flag == "invited":
            who = name_of(people, invited_by or ev.get("invited_by"))
        elif flag == "brought-by":
            who = name_of(people, ev.get("brought_by"))
        elif flag == "preference":
            who = name_of(people, ev.get("preferred_id"))
        key = f"flag.{flag.replace('-', '_')}"
        out.append(Chip(flag, t(key, who=who), FLAG_CLASS[flag]))
    return out
