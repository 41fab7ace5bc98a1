"""The exporter's booth team and its territory sheet.

Ten desks cover the markets (LATAM is shared by two people, to show rotation), the export
director is the default owner, the general manager decides disputes, and a hostess hired
in Frankfurt runs reception. `territory_owners` applies the sheet the way the kiosk does,
so that the CRM's owners agree with it (apart from the deliberate historical exceptions).
"""

from __future__ import annotations

from dataclasses import dataclass
from random import Random

from .phones import make_phone
from .show import COMPANY_DOMAIN


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


STAFF: tuple[Staff, ...] = (
    Staff("helen", "Zhou Hui (Helen)", "helen.zhou", "CN", "manager", "zh,en",
          "General Manager", "cn"),
    Staff("greta", "Greta Hoffmann", "expo", "DE", "reception", "de,en",
          "Booth reception (Frankfurt hostess agency)", "eu"),
    Staff("david", "Liang Wei (David)", "david.liang", "CN", "sales", "zh,en",
          "Export Director", "cn", (("zh", 5), ("en", 5))),
    Staff("kevin", "Huang Kai (Kevin)", "kevin.huang", "CN", "sales", "zh,en",
          "Sales Manager, North America & Oceania", "cn", (("en", 7), ("zh", 3))),
    Staff("kenji", "Kenji Watanabe (渡辺 健二)", "kenji.watanabe", "CN", "sales", "ja,zh,en",
          "Sales Manager, Japan", "cn", (("ja", 5), ("en", 5))),
    Staff("minji", "Jin Minzhi (Minji)", "minji.jin", "CN", "sales", "ko,zh,en",
          "Sales Manager, Korea", "cn", (("ko", 4), ("zh", 3), ("en", 3))),
    Staff("lukas", "Lukas Brenner", "lukas.brenner", "DE", "sales", "de,en",
          "Area Sales Manager, DACH (Munich office)", "eu", (("de", 7), ("en", 3))),
    Staff("ana", "Chen Jing (Ana)", "ana.chen", "CN", "sales", "zh,es,pt,en",
          "Sales Manager, Spain & Portugal", "cn", (("es", 6), ("zh", 3), ("en", 1))),
    Staff("claire", "Li Na (Claire)", "claire.li", "CN", "sales", "zh,fr,en",
          "Sales Manager, France, Benelux & Maghreb", "cn", (("fr", 5), ("en", 3), ("zh", 2))),
    Staff("sofia", "Sofía Ramírez", "sofia.ramirez", "MX", "sales", "es,en",
          "Sales Representative, Latin America (Guadalajara)", "mx", (("es", 1),)),
    Staff("mateo", "Zhang Wei (Mateo)", "mateo.zhang", "CN", "sales", "zh,es,pt,en",
          "Sales Manager, Latin America", "cn", (("es", 6), ("zh", 4))),
    Staff("omar", "Ma Jun (Omar)", "omar.ma", "CN", "sales", "zh,ar,en",
          "Sales Manager, Middle East", "cn", (("en", 6), ("zh", 4))),
    Staff("tina", "Lin Yuting (Tina)", "tina.lin", "CN", "sales", "zh,en,ms",
          "Sales Manager, ASEAN & South Asia", "cn", (("en", 6), ("zh", 4))),
)  # fmt: skip

BY_ID: dict[str, Staff] = {s.id: s for s in STAFF}
SALES: tuple[str, ...] = tuple(s.id for s in STAFF if s.role == "sales")
DEFAULT_OWNER = "david"


@dataclass(frozen=True)
class Rule:
    position: int
    kind: str
    value: str
    salespeople: tuple[str, ...]
    note: str = ""


TERRITORIES: tuple[Rule, ...] = (
    Rule(10, "domain", "nordlicht-bau.de", ("david",),
         "Key account: Nordlicht Bau framework contract 2025-2027, managed by the export director"),
    Rule(20, "domain", "kv-retail.eu", ("lukas",),
         "Key account: KV Retail Group buys centrally for its DIY stores in five countries"),
    Rule(30, "domain", "luminar.com.mx", ("sofia",),
         "Key account: Grupo Luminar stays with Sofía (no LATAM rotation)"),
    Rule(40, "domain", "brightway-supply.com", ("kevin",),
         "Key account: Brightway Supply, US distributor with offices in Canada and Mexico"),
    Rule(50, "company", "Costa Azul Hoteles", ("ana",),
         "Key account: hotel group in Spain, Mexico and the Caribbean; staff often use personal mail"),
    Rule(60, "company", "Larsen & Dahl Byggvarer AS", ("david",),
         "Key account: Norwegian builders' merchant"),
    Rule(70, "country", "JP", ("kenji",), "Japan"),
    Rule(80, "country", "KR", ("minji",), "South Korea"),
    Rule(90, "country", "US CA", ("kevin",), "USA and Canada"),
    Rule(100, "country", "DE AT CH LI", ("lukas",), "DACH"),
    Rule(110, "country", "FR BE NL LU MC MA DZ TN", ("claire",),
         "France, Benelux and the French-speaking Maghreb"),
    Rule(120, "country", "ES PT AD", ("ana",), "Spain, Portugal and Andorra"),
    Rule(130, "country", "RU BY KZ UZ", ("david",), "CIS markets are handled by the export director"),
    Rule(140, "region", "LATAM", ("sofia", "mateo"), "Shared by Sofía and Mateo, round-robin"),
    Rule(150, "region", "MIDDLE_EAST", ("omar",), "Gulf, Levant, Egypt and Turkey"),
    Rule(160, "region", "ASEAN", ("tina",), "Southeast Asia"),
    Rule(170, "region", "SOUTH_ASIA", ("tina",), "South Asia is handled by the ASEAN desk"),
    Rule(180, "region", "OCEANIA", ("kevin",), "Australia and New Zealand: the North America desk"),
    Rule(190, "region", "GREATER_CHINA", ("david",), "Traders in mainland China, Hong Kong, Taiwan"),
    Rule(200, "region", "EUROPE", ("lukas", "claire"),
         "Rest of Europe, shared by the DACH and France desks, round-robin"),
    Rule(210, "default", "", (DEFAULT_OWNER,),
         "Everyone else (Africa, unknown country) goes to the export director"),
)  # fmt: skip

# The members of the region groups the sheet names, for the countries the demo uses. They
# must agree with kiosk.countries.regions (a test checks it); only the demo's countries are listed.
REGIONS: dict[str, frozenset[str]] = {
    "LATAM": frozenset("MX BR AR CL CO PE EC DO CR GT".split()),
    "MIDDLE_EAST": frozenset("AE SA QA KW OM JO EG TR".split()),
    "ASEAN": frozenset("SG MY TH VN ID PH".split()),
    "SOUTH_ASIA": frozenset("IN PK BD".split()),
    "OCEANIA": frozenset("AU NZ".split()),
    "GREATER_CHINA": frozenset("CN HK TW".split()),
    "EUROPE": frozenset(
        "DE AT CH FR BE NL LU ES PT IT GB IE PL CZ SE NO DK FI GR RO HU RU UA".split()
    ),
}


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
