"""Region groups: the sets routing rules name, their spellings, and membership look-ups."""

from __future__ import annotations

import pycountry
import pytest

from kiosk.countries.regions import (
    GROUP_ALIASES,
    REGION_GROUPS,
    group_members,
    groups_of,
    in_group,
    normalize_group,
)

VALID_CODES = {c.alpha_2 for c in pycountry.countries} | {"XK"}

EU_27 = set(
    "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK".split()
)


def test_every_member_is_a_real_code() -> None:
    for group, members in REGION_GROUPS.items():
        assert members, group
        assert members <= VALID_CODES, (group, sorted(members - VALID_CODES))


def test_group_names_are_canonical_keys() -> None:
    for group in REGION_GROUPS:
        assert group == group.upper()
        assert normalize_group(group) == group


def test_eu_has_the_27_member_states_and_their_eu_territories() -> None:
    eu = REGION_GROUPS["EU"]
    assert len(EU_27) == 27
    assert EU_27 <= eu
    # Réunion, Guadeloupe etc. are EU territory with their own ISO codes.
    assert eu - EU_27 == {"AX", "GF", "GP", "MQ", "RE", "YT", "MF"}
    for outsider in ("GB", "CH", "NO", "IS", "LI", "TR", "UA", "RS", "XK"):
        assert outsider not in eu


def test_eea_is_eu_plus_iceland_liechtenstein_norway() -> None:
    assert REGION_GROUPS["EEA"] == REGION_GROUPS["EU"] | {"IS", "LI", "NO"}
    assert "CH" not in REGION_GROUPS["EEA"]


@pytest.mark.parametrize(
    ("group", "members"),
    [
        ("DACH", {"DE", "AT", "CH", "LI"}),
        ("BENELUX", {"BE", "NL", "LU"}),
        ("GCC", {"AE", "BH", "KW", "OM", "QA", "SA"}),
        ("GREATER_CHINA", {"CN", "HK", "MO", "TW"}),
        ("NORTH_AMERICA", {"US", "CA"}),
        ("USMCA", {"US", "CA", "MX"}),
        ("SCANDINAVIA", {"DK", "NO", "SE"}),
        ("ASEAN", {"BN", "ID", "KH", "LA", "MM", "MY", "PH", "SG", "TH", "VN", "TL"}),
        ("SOUTH_ASIA", {"AF", "BD", "BT", "IN", "LK", "MV", "NP", "PK"}),
        ("EAST_ASIA", {"CN", "HK", "MO", "TW", "JP", "KR", "KP", "MN"}),
        ("CENTRAL_ASIA", {"KZ", "KG", "TJ", "TM", "UZ"}),
    ],
)
def test_small_groups_exactly(group: str, members: set[str]) -> None:
    assert REGION_GROUPS[group] == members


def test_nordics_are_the_five_states_and_their_territories() -> None:
    assert REGION_GROUPS["NORDICS"] == {"DK", "FI", "IS", "NO", "SE", "FO", "GL", "AX"}


def test_iberia() -> None:
    assert {"ES", "PT"} <= REGION_GROUPS["IBERIA"] <= {"ES", "PT", "AD", "GI"}


def test_europe_is_the_whole_continent() -> None:
    europe = REGION_GROUPS["EUROPE"]
    assert EU_27 <= europe
    for code in ("GB", "CH", "NO", "IS", "UA", "RS", "BA", "ME", "MK", "AL", "XK", "MD", "BY"):
        assert code in europe
    for code in ("TR", "GE", "AM", "AZ", "KZ", "US", "MA"):
        assert code not in europe


def test_latam() -> None:
    latam = REGION_GROUPS["LATAM"]
    for code in ("MX", "GT", "CR", "PA", "BR", "AR", "CL", "CO", "PE", "VE", "CU", "DO", "PR"):
        assert code in latam
    for code in ("US", "CA", "ES", "PT", "JM", "TT", "BS"):
        assert code not in latam
    assert REGION_GROUPS["CENTRAL_AMERICA"] | REGION_GROUPS["SOUTH_AMERICA"] <= latam


def test_middle_east_and_mena() -> None:
    me = REGION_GROUPS["MIDDLE_EAST"]
    assert REGION_GROUPS["GCC"] <= me
    assert {"IL", "JO", "LB", "IQ", "IR", "SY", "YE", "PS", "TR", "EG"} <= me
    assert not me & {"CY", "MA", "GE", "PK"}
    mena = REGION_GROUPS["MENA"]
    assert me <= mena
    assert {"MA", "DZ", "TN", "LY", "SD"} <= mena
    assert not mena & {"NG", "ZA", "KE"}


def test_africa_has_every_african_state() -> None:
    africa = REGION_GROUPS["AFRICA"]
    assert len(africa) == 60  # 54 states, Western Sahara and five territories (UN M49)
    assert {"EG", "MA", "NG", "ZA", "KE", "ET", "SS", "CD", "CG", "GQ", "CV", "MU"} <= africa
    assert not africa & {"SA", "YE", "IL"}


def test_apac_and_oceania() -> None:
    apac = REGION_GROUPS["APAC"]
    oceania = REGION_GROUPS["OCEANIA"]
    assert {"AU", "NZ", "FJ", "PG", "WS", "TO"} <= oceania
    assert oceania | REGION_GROUPS["ASEAN"] | REGION_GROUPS["EAST_ASIA"] <= apac
    assert {"IN", "JP", "CN", "SG", "AU"} <= apac
    assert not apac & {"SA", "RU", "US"}


def test_cis() -> None:
    cis = REGION_GROUPS["CIS"]
    assert {"RU", "BY", "KZ", "AM", "AZ", "KG", "TJ", "UZ"} <= cis
    assert not cis & {"UA", "GE", "EE", "LV", "LT"}


def test_groups_of() -> None:
    assert groups_of("DE") == {"EU", "EEA", "DACH", "EUROPE", "EMEA"}
    assert groups_of("mx") == {"USMCA", "CENTRAL_AMERICA", "LATAM"}
    assert {"GREATER_CHINA", "EAST_ASIA", "APAC"} == groups_of(" cn ")
    assert "ASEAN" in groups_of("TL")
    assert groups_of("AQ") == frozenset()  # Antarctica is in no sales region


@pytest.mark.parametrize("junk", ["", "  ", "ZZ", "Germany", "12", None, 42])
def test_groups_of_junk_is_empty(junk: object) -> None:
    assert groups_of(junk) == frozenset()


@pytest.mark.parametrize(
    ("name", "group"),
    [
        ("EU", "EU"),
        ("eu", "EU"),
        ("European Union", "EU"),
        ("欧盟", "EU"),
        ("Latin America", "LATAM"),
        ("latin-america", "LATAM"),
        ("LatAm", "LATAM"),
        ("Latinoamérica", "LATAM"),
        ("America Latina", "LATAM"),
        ("拉美", "LATAM"),
        ("Middle East", "MIDDLE_EAST"),
        ("middle_east", "MIDDLE_EAST"),
        ("Oriente Medio", "MIDDLE_EAST"),
        ("中东", "MIDDLE_EAST"),
        ("North America", "NORTH_AMERICA"),
        ("NORTH_AMERICA", "NORTH_AMERICA"),
        ("北美", "NORTH_AMERICA"),
        ("Southeast Asia", "ASEAN"),
        ("South-East Asia", "ASEAN"),
        ("东南亚", "ASEAN"),
        ("Europe", "EUROPE"),
        ("europa", "EUROPE"),
        ("欧洲", "EUROPE"),
        ("NAFTA", "USMCA"),
        ("Asia-Pacific", "APAC"),
        ("亚太", "APAC"),
        ("Nordic countries", "NORDICS"),
        ("Gulf", "GCC"),
        ("Greater China", "GREATER_CHINA"),
        ("大中华区", "GREATER_CHINA"),
        ("  dach ", "DACH"),
    ],
)
def test_normalize_group_accepts_aliases(name: str, group: str) -> None:
    assert normalize_group(name) == group


@pytest.mark.parametrize("name", ["", "   ", "Atlantis", "Germany", "DE", "E U R", None, 3])
def test_normalize_group_rejects_unknown(name: object) -> None:
    assert normalize_group(name) is None


def test_every_alias_leads_to_its_own_group() -> None:
    # Two spellings folding to one key for different groups would make one of them lie.
    for alias, group in GROUP_ALIASES.items():
        assert group in REGION_GROUPS, alias
        assert normalize_group(alias) == group, alias


@pytest.mark.parametrize(
    ("code", "group", "expected"),
    [
        ("DE", "EU", True),
        ("de", "eu", True),
        ("CH", "EU", False),
        ("CH", "Europe", True),
        ("BR", "Latin America", True),
        ("US", "Latin America", False),
        ("AE", "Middle East", True),
        ("TH", "Southeast Asia", True),
        ("MX", "North America", False),
        ("MX", "USMCA", True),
        ("TW", "Greater China", True),
        ("DE", "Atlantis", False),
        ("ZZ", "EU", False),
        ("", "EU", False),
    ],
)
def test_in_group(code: str, group: str, expected: bool) -> None:
    assert in_group(code, group) is expected


def test_group_members() -> None:
    assert group_members("benelux") == {"BE", "NL", "LU"}
    assert group_members("nowhere") == frozenset()
