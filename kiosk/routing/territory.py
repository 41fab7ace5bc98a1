"""Rule 5: routing a visitor nobody owns by the company's territory rules.

Rules are tried in tiers — key accounts (email domain or company), then country, then region
group, then default — and by `position` within a tier, so that a sloppy CSV that lists the
default rule first cannot swallow every visitor. The first rule that matches *and* has
someone present wins; a rule whose people are all away is skipped, and the evidence says so.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from functools import lru_cache, partial

from kiosk.countries import regions
from kiosk.models import (
    Contact,
    Decision,
    Flag,
    RotationMode,
    RuleName,
    Salesperson,
    TerritoryMatch,
    TerritoryRule,
)
from kiosk.routing.rules import iso, name_of
from kiosk.text import email_domain, fold

InRegion = Callable[[str, str], bool]

KIND_RULE: dict[str, RuleName] = {
    "domain": "key-account-domain",
    "company": "key-account-company",
    "country": "territory-country",
    "region": "territory-region",
    "default": "default-owner",
}
_TIER = {"domain": 0, "company": 0, "country": 1, "region": 2, "default": 3}
KEY_ACCOUNT_KINDS = frozenset({"domain", "company"})

# Legal forms, as folded tokens once dots are removed ("S.A." → "sa", "Co., Ltd." → "co ltd").
_LATIN_FORMS = (
    "co corp corporation company inc incorporated ltd ltda limited llc llp lp plc pvt private "
    "gmbh ag kg ohg ug ev se sa sas sarl srl spa sl slu bv nv oy oyj ab as asa aps pty pte "
    "kk sdn bhd tbk jsc ooo 株 有"
).split()
_MULTI_FORMS = (
    ("sa", "de", "cv"),
    ("s", "de", "rl"),
    ("kabushiki", "kaisha"),
    ("s", "a"),
    ("s", "l"),
    ("s", "r", "l"),
    ("s", "p", "a"),
    ("b", "v"),
    ("n", "v"),
)
_CJK_FORMS = (
    "股份有限公司",
    "有限责任公司",
    "有限責任公司",
    "有限公司",
    "株式会社",
    "有限会社",
    "合同会社",
)
_SUFFIXES = sorted([(f,) for f in (*_LATIN_FORMS, *_CJK_FORMS)] + list(_MULTI_FORMS), key=len)[::-1]
_PREFIXES = [("pt",), ("株",), ("有",)] + [(f,) for f in _CJK_FORMS]
_NON_WORD = re.compile(r"[\W_]+")
_LIST_SEP = re.compile(r"[\s,;|/]+")
_GROUP_SEP = re.compile(r"[,;|/]+")


@lru_cache(maxsize=8192)
def company_key(name: str | None) -> str:
    """A company name reduced for comparison: folded, punctuation-free, legal form stripped.

    'Toyota Motor Co., Ltd.', 'TOYOTA MOTOR CO LTD' and 'トヨタ自動車株式会社' vs 'トヨタ自動車'
    compare equal, because CRM exports and badges spell legal forms every which way.
    Remembered: every check-in compares the visitor's company with each key-account
    rule's names, the same few strings all day (~0.1 ms a call, a tenth of a check-in).
    """
    text = fold(name).replace(".", "").replace("'", "").replace("\u2019", "")
    tokens = _NON_WORD.sub(" ", text).split()
    changed = True
    while changed and tokens:
        changed = False
        for form in _CJK_FORMS:  # glued to a word: 华为技术有限公司, 株式会社デンソー
            if tokens[-1].endswith(form) and len(tokens[-1]) > len(form):
                tokens[-1] = tokens[-1][: -len(form)]
                changed = True
            if tokens[0].startswith(form) and len(tokens[0]) > len(form):
                tokens[0] = tokens[0][len(form) :]
                changed = True
        for seq in _SUFFIXES:
            if len(tokens) > len(seq) and tuple(tokens[-len(seq) :]) == seq:
                del tokens[-len(seq) :]
                changed = True
                break
        for seq in _PREFIXES:
            if len(tokens) > len(seq) and tuple(tokens[: len(seq)]) == seq:
                del tokens[: len(seq)]
                changed = True
                break
    return " ".join(tokens)


def _domains(value: str) -> list[str]:
    out = []
    for part in _LIST_SEP.split(value.casefold()):
        d = part.rpartition("@")[2].removeprefix("*.").strip(".")
        if d:
            out.append(d)
    return out


def _kind(rule: TerritoryRule) -> str:
    return (rule.kind or "").strip().lower()


def describe_rule(rule: TerritoryRule) -> str:
    """The rule row as evidence: '#4 (position 2) country JP KR → ken, mia'."""
    value = f" {rule.value.strip()}" if rule.value and rule.value.strip() else ""
    people = ", ".join(rule.salespeople) or "nobody"
    return f"#{rule.id} (position {rule.position}) {_kind(rule)}{value} → {people}"


def ordered_rules(rules: Sequence[TerritoryRule]) -> list[TerritoryRule]:
    """Rules in routing order (tier, position, id); rows of an unknown kind are ignored."""
    known = [r for r in rules if _kind(r) in _TIER]
    return sorted(known, key=lambda r: (_TIER[_kind(r)], r.position, r.id))


class _Regions:
    """Resolves the region check only when a region rule is actually tried."""

    def __init__(self, in_region: InRegion | None) -> None:
        self._fn = in_region

    def __call__(self, alpha2: str, value: str) -> bool:
        if self._fn is None:
            self._fn = default_in_region()
        try:
            return bool(self._fn(alpha2, value))
        except (LookupError, ValueError, TypeError):
            return False


def default_in_region() -> InRegion:
    """`kiosk.countries.regions.in_group`, with the rule's spelling of the group normalised first."""

    def check(alpha2: str, value: str) -> bool:
        group = regions.normalize_group(value)
        return bool(group) and regions.in_group(alpha2, group)

    return check


def matched(
    rule: TerritoryRule, visitor: Contact, regions: Callable[[str, str], bool]
) -> TerritoryMatch | None:
    """How `visitor` matches `rule`, as typed evidence, or None when it does not."""
    kind = _kind(rule)
    value = rule.value or ""
    country = (visitor.country or "").strip().upper()
    found = partial(
        TerritoryMatch, rule.id, rule.position, kind, value.strip(),
        tuple(dict.fromkeys(rule.salespeople)), country=country or None,
    )  # fmt: skip
    if kind == "domain":
        domain = email_domain(visitor.email)
        for d in _domains(value) if domain else ():
            if domain == d or domain.endswith("." + d):
                return found(domain=domain)
    elif kind == "company":
        mine = company_key(visitor.company)
        for name in _GROUP_SEP.split(value) if mine else ():
            if company_key(name) == mine:
                return found(company=visitor.company)
    elif kind == "country":
        if country and country in _LIST_SEP.split(value.upper()):
            return found()
    elif kind == "region":
        for group in _GROUP_SEP.split(value) if country else ():
            if group.strip() and regions(country, group.strip()):
                return found(group=group.strip())
    elif kind == "default":
        return found()
    return None


def phrase(m: TerritoryMatch) -> str:
    """The match as one English phrase, for the reason line and the event log."""
    if m.kind == "domain":
        return f"email domain {m.domain} is {m.value}"
    if m.kind == "company":
        return f"company '{m.company}' is '{m.value}'"
    if m.kind == "country":
        return f"country {m.country}"
    if m.kind == "region":
        return f"country {m.country} is in {m.group}"
    return "default rule"


def match(rule: TerritoryRule, visitor: Contact, regions: Callable[[str, str], bool]) -> str | None:
    """What about `visitor` matched `rule` (a short evidence phrase), or None."""
    m = matched(rule, visitor, regions)
    return phrase(m) if m is not None else None


def key_account_rule(visitor: Contact, rules: Sequence[TerritoryRule]) -> TerritoryMatch | None:
    """The first key-account rule that matches, used to flag known customers too."""
    for rule in ordered_rules(rules):
        if _kind(rule) in KEY_ACCOUNT_KINDS:
            found = matched(rule, visitor, lambda a, g: False)
            if found is not None:
                return found
    return None


def describe_match(m: TerritoryMatch) -> str:
    """A match's rule row as the log's evidence: '#4 (position 2) country JP KR → ken, mia'."""
    value = f" {m.value}" if m.value else ""
    return (
        f"#{m.rule_id} (position {m.position}) {m.kind}{value} → {', '.join(m.people) or 'nobody'}"
    )


def _pick(
    rule: TerritoryRule,
    salespeople: Mapping[str, Salesperson],
    counts: Mapping[tuple[int, str], int],
    rotation: str,
    exclude: Collection[str],
) -> tuple[str | None, list[str], RotationMode, tuple[tuple[str, int], ...]]:
    """Choose one person on `rule`: (chosen, those away, the rotation used, its tally)."""
    people = [p for p in dict.fromkeys(rule.salespeople) if p in salespeople and p not in exclude]
    away = [p for p in people if salespeople[p].away]
    present = [p for p in people if not salespeople[p].away]
    if not present:
        return None, away, "", ()
    if rotation == "first" or len(present) == 1:
        return present[0], away, "first" if len(present) > 1 else "", ()
    chosen = min(present, key=lambda p: (counts.get((rule.id, p), 0), present.index(p)))
    return chosen, away, "round-robin", tuple((p, counts.get((rule.id, p), 0)) for p in present)


def rotation_text(mode: RotationMode, tally: Sequence[tuple[str, int]]) -> str:
    """The rotation as the log's evidence: 'round-robin (ana=0, ben=1)', 'first available'."""
    if mode == "first":
        return "first available"
    if mode == "round-robin":
        return "round-robin (" + ", ".join(f"{p}={n}" for p, n in tally) + ")"
    return ""


def route_unknown(
    visitor: Contact,
    *,
    salespeople: Mapping[str, Salesperson],
    rules: Sequence[TerritoryRule],
    now: datetime,
    rotation_counts: Mapping[tuple[int, str], int] | None = None,
    in_region: InRegion | None = None,
    rotation: str = "round-robin",
    exclude: Collection[str] = (),
) -> Decision:
    """Rule 5 on its own: who covers this visitor's territory, and why.

    `exclude` keeps people out of the choice (the lapsed owner, when rule 3 asks whom to
    propose instead). Returns rule 'unrouted' with salesperson_id None when nothing matches
    or every matching person is away; the evidence then names who was away.
    """
    counts = rotation_counts or {}
    regions = _Regions(in_region)
    evidence: dict[str, str] = {"decided_at": iso(now)}
    if visitor.country:
        evidence["country"] = visitor.country
    if email_domain(visitor.email):
        evidence["email_domain"] = email_domain(visitor.email)
    skipped: list[str] = []
    for rule in ordered_rules(rules):
        found = matched(rule, visitor, regions)
        if found is None:
            continue
        chosen, away, mode, tally = _pick(rule, salespeople, counts, rotation, exclude)
        skipped += [f"{name_of(salespeople, p)} (rule #{rule.id})" for p in away]
        if chosen is None:
            continue
        kind = _kind(rule)
        found = replace(found, rotation=mode, tally=tally)
        how = rotation_text(mode, tally)
        evidence.update(territory_rule=describe_rule(rule), matched=phrase(found))
        if how:
            evidence["rotation"] = how
        if skipped:
            evidence["away"] = "; ".join(skipped)
        flags: set[Flag] = {"key-account"} if kind in KEY_ACCOUNT_KINDS else set()
        label = "Key account" if kind in KEY_ACCOUNT_KINDS else "Territory"
        reason = f"{label} rule #{rule.id} ({phrase(found)}) → {name_of(salespeople, chosen)}"
        if how:
            reason += f", {how.split(' (')[0]}"
        return Decision(
            salesperson_id=chosen,
            rule=KIND_RULE[kind],
            reason=reason,
            evidence=evidence,
            flags=frozenset(flags),
            territory_rule_id=rule.id,
            territory=found,
        )
    if skipped:
        evidence["away"] = "; ".join(skipped)
        reason = "Everyone covering this visitor is away: " + "; ".join(skipped)
    else:
        where = visitor.country or "unknown country"
        reason = f"No territory rule matches this visitor ({where}); reception must find someone"
    return Decision(
        salesperson_id=None,
        rule="unrouted",
        reason=reason,
        evidence=evidence,
        flags=frozenset({"unrouted"}),
    )
