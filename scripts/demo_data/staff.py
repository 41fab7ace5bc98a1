"""The exporter's booth team and its territory sheet.

Ten desks cover the markets (LATAM is shared by two people, to show rotation), the export
director is the default owner, the general manager decides disputes, and a hostess hired
in Frankfurt runs reception. `territory_owners` applies the sheet the way the kiosk does,
so that the CRM's owners agree with it (apart from the deliberate historical exceptions).
The team, the sheet and the region groups are data, in staff.toml beside this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from random import Random

from .phones import make_phone
from .show import COMPANY_DOMAIN
from .tables import load_toml, records


@dataclass(frozen=True)
class Staff:
    id: str
    name: str
    mailbox: str
    country: str  # where their phone is registered
    role: str
    languages: str
    title: str
    tz: str  # how their CRM entries are stamped: 'cn', 'eu' or 'mx'
    note_languages: tuple[tuple[str, int], ...] = (("en", 1),)

    @property
    def email(self) -> str:
        return f"{self.mailbox}@{COMPANY_DOMAIN}"


@dataclass(frozen=True)
class Rule:
    position: int
    kind: str
    value: str
    salespeople: tuple[str, ...]
    note: str = ""


def _load(filename: str) -> tuple[tuple[Staff, ...], tuple[Rule, ...], dict[str, frozenset[str]]]:
    """(team, territory sheet, region groups) from staff.toml beside this module."""
    data = load_toml(filename)
    staff = records(
        Staff,
        data["staff"],
        f"{filename} [[staff]]",
        "id",
        note_languages=lambda weights: tuple(weights.items()),
    )
    sheet = records(
        Rule, data["territories"], f"{filename} [[territories]]", "position", salespeople=tuple
    )
    regions = {group: frozenset(members) for group, members in data["regions"].items()}
    return staff, sheet, regions


STAFF, TERRITORIES, REGIONS = _load("staff.toml")
BY_ID: dict[str, Staff] = {s.id: s for s in STAFF}
SALES: tuple[str, ...] = tuple(s.id for s in STAFF if s.role == "sales")
DEFAULT_OWNER = next(r.salespeople[0] for r in TERRITORIES if r.kind == "default")


def territory_rule(country: str, email_domain: str = "", company: str = "") -> Rule:
    """The first rule of the sheet that matches, in the kiosk's order (key accounts first)."""
    for rule in TERRITORIES:
        if (
            rule.kind == "domain"
            and email_domain
            and (email_domain == rule.value or email_domain.endswith("." + rule.value))
        ):
            return rule
        if rule.kind == "company" and company and company == rule.value:
            return rule
        if rule.kind == "country" and country in rule.value.split():
            return rule
        if rule.kind == "region" and country in REGIONS[rule.value]:
            return rule
        if rule.kind == "default":
            return rule
    raise AssertionError("the territory sheet has no default rule")


def staff_phones(rng: Random) -> dict[str, str]:
    """Each team member's mobile, drawn once from a dedicated generator."""
    return {s.id: make_phone(s.country, rng) for s in STAFF}
