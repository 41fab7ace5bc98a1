"""Region groups that territory rules can name instead of listing countries one by one.

A routing rule such as ``region = "LATAM"`` must mean the same set of countries on every kiosk
and in every report, so the groups are fixed data here rather than something each show config
redefines. Members are ISO 3166-1 alpha-2 codes, plus ``XK`` (Kosovo), the user-assigned code
that CRMs and banks use because ISO has not assigned one.

Where a region has no official definition the choice is written next to it, because a sales
manager reading a routing decision has to be able to predict it. The building blocks follow the
UN M49 geoscheme unless a treaty organisation (EU, EEA, ASEAN, GCC, CIS, SAARC) defines the set.
"""

from __future__ import annotations

import functools
import re

from kiosk.text import fold


def _codes(text: str) -> frozenset[str]:
    return frozenset(text.split())


# --- Treaty organisations -------------------------------------------------------------------

# The 27 member states, plus the parts of them that ISO lists under a code of their own but that
# are EU territory all the same: Åland (Finland) and the French outermost regions (French Guiana,
# Guadeloupe, Martinique, Réunion, Mayotte, Saint-Martin). A visitor from Réunion is an EU
# customer, so an "EU" rule should catch them.
EU_MEMBER_STATES = _codes(
    "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK"
)
_EU_TERRITORIES = _codes("AX GF GP MQ RE YT MF")
EU = EU_MEMBER_STATES | _EU_TERRITORIES

# European Economic Area: the EU plus the three EFTA states that joined it (not Switzerland).
EEA = EU | _codes("IS LI NO")

# Gulf Cooperation Council.
GCC = _codes("AE BH KW OM QA SA")

# ASEAN: the ten long-standing members plus Timor-Leste, admitted as the 11th member in
# October 2025. With it, ASEAN covers every sovereign state of Southeast Asia.
ASEAN = _codes("BN ID KH LA MM MY PH SG TH TL VN")

# Commonwealth of Independent States: the nine states that ratified the charter and Turkmenistan
# (an associate member since 2005). Georgia left in 2009 and Ukraine stopped taking part in 2018;
# Moldova has been withdrawing from CIS agreements since 2023 but is still listed here.
CIS = _codes("AM AZ BY KG KZ MD RU TJ UZ TM")

# South Asia as SAARC defines it (UN M49 would add Iran, which sits in MIDDLE_EAST here).
SOUTH_ASIA = _codes("AF BD BT IN LK MV NP PK")

# The USMCA (formerly NAFTA) trade area.
USMCA = _codes("US CA MX")

# --- Geography (UN M49 sub-regions) ---------------------------------------------------------

_M49_NORTHERN_AFRICA = _codes("DZ EG EH LY MA SD TN")
_M49_SUB_SAHARAN_AFRICA = _codes(
    # Eastern Africa
    "BI DJ ER ET IO KE KM MG MU MW MZ RE RW SC SO SS TF TZ UG YT ZM ZW "
    # Middle Africa
    "AO CD CF CG CM GA GQ ST TD "
    # Southern Africa
    "BW LS NA SZ ZA "
    # Western Africa
    "BF BJ CI CV GH GM GN GW LR ML MR NE NG SH SL SN TG"
)
AFRICA = _M49_NORTHERN_AFRICA | _M49_SUB_SAHARAN_AFRICA

# UN M49 Europe, plus Cyprus (an EU member that M49 files under Western Asia) and Kosovo.
# Turkey and the South Caucasus are not included: they sit in MIDDLE_EAST and CIS.
EUROPE = _codes(
    # Eastern Europe
    "BG BY CZ HU MD PL RO RU SK UA "
    # Northern Europe
    "AX DK EE FI FO GB GG IE IM IS JE LT LV NO SE SJ "
    # Southern Europe
    "AD AL BA ES GI GR HR IT ME MK MT PT RS SI SM VA "
    # Western Europe
    "AT BE CH DE FR LI LU MC NL "
    # Not in M49 Europe, but European for any sales team
    "CY XK"
)

# The usual modern definition: Western Asia's Arab states, Israel, Palestine, Iran and Turkey,
# plus Egypt. Cyprus is left to EUROPE/EU and the Caucasus to CIS.
MIDDLE_EAST = GCC | _codes("EG IL IQ IR JO LB PS SY TR YE")

# Middle East plus UN M49 Northern Africa (Maghreb, Libya, Sudan, Western Sahara).
MENA = MIDDLE_EAST | _M49_NORTHERN_AFRICA

EAST_ASIA = _codes("CN HK JP KP KR MN MO TW")
GREATER_CHINA = _codes("CN HK MO TW")
CENTRAL_ASIA = _codes("KG KZ TJ TM UZ")

# UN M49 Oceania: Australia and New Zealand with their external territories, Melanesia,
# Micronesia and Polynesia.
OCEANIA = _codes(
    "AU CC CX HM NF NZ FJ NC PG SB VU FM GU KI MH MP NR PW UM AS CK NU PF PN TK TO TV WF WS"
)

# Asia-Pacific as export sales teams use it: East, Southeast and South Asia plus Oceania.
APAC = EAST_ASIA | ASEAN | SOUTH_ASIA | OCEANIA

# UN M49 Central America (which includes Mexico) and South America.
CENTRAL_AMERICA = _codes("BZ CR GT HN MX NI PA SV")
SOUTH_AMERICA = _codes("AR BO BR BV CL CO EC FK GF GS GY PE PY SR UY VE")

# Mexico, Central and South America, and the Spanish-speaking Caribbean (Cuba, the Dominican
# Republic, Puerto Rico). English-, French- and Dutch-speaking Caribbean islands are not included.
LATAM = CENTRAL_AMERICA | SOUTH_AMERICA | _codes("CU DO PR")

# UN M49 Caribbean: every island state and territory, whatever its language.
CARIBBEAN = _codes(
    "AG AI AW BB BL BQ BS CU CW DM DO GD GP HT JM KN KY LC MF MQ MS PR SX TC TT VC VG VI"
)

# "North America" as sales teams use it: the US and Canada. Mexico is in USMCA and LATAM.
NORTH_AMERICA = _codes("US CA")

# Europe, Middle East and Africa; the South Caucasus comes along with Europe, as it usually does.
EMEA = EUROPE | MIDDLE_EAST | AFRICA | _codes("AM AZ GE")

DACH = _codes("DE AT CH LI")
BENELUX = _codes("BE NL LU")
# The Iberian peninsula: Spain, Portugal, Andorra and Gibraltar.
IBERIA = _codes("ES PT AD GI")
# The five Nordic states and their autonomous territories (Faroe Islands, Greenland, Åland).
NORDICS = _codes("DK FI IS NO SE FO GL AX")
# Strictly the three kingdoms; "Nordics" is the wider group people often mean.
SCANDINAVIA = _codes("DK NO SE")

REGION_GROUPS: dict[str, frozenset[str]] = {
    "EU": EU,
    "EEA": EEA,
    "DACH": DACH,
    "IBERIA": IBERIA,
    "BENELUX": BENELUX,
    "NORDICS": NORDICS,
    "SCANDINAVIA": SCANDINAVIA,
    "EUROPE": EUROPE,
    "EMEA": EMEA,
    "NORTH_AMERICA": NORTH_AMERICA,
    "USMCA": USMCA,
    "CENTRAL_AMERICA": CENTRAL_AMERICA,
    "SOUTH_AMERICA": SOUTH_AMERICA,
    "LATAM": LATAM,
    "CARIBBEAN": CARIBBEAN,
    "ASEAN": ASEAN,
    "MIDDLE_EAST": MIDDLE_EAST,
    "GCC": GCC,
    "MENA": MENA,
    "AFRICA": AFRICA,
    "APAC": APAC,
    "OCEANIA": OCEANIA,
    "CIS": CIS,
    "CENTRAL_ASIA": CENTRAL_ASIA,
    "SOUTH_ASIA": SOUTH_ASIA,
    "EAST_ASIA": EAST_ASIA,
    "GREATER_CHINA": GREATER_CHINA,
}

# Other spellings people write in a territory sheet, in the kiosk's languages (English, Chinese,
# Spanish) and a few more. Compared after folding and dropping everything but letters/digits,
# so "Latin-America", "latin_america" and "LATIN AMERICA" are all the same key.
GROUP_ALIASES: dict[str, str] = {
    "European Union": "EU",
    "Unión Europea": "EU",
    "Union européenne": "EU",
    "Europäische Union": "EU",
    "欧盟": "EU",
    "歐盟": "EU",
    "European Economic Area": "EEA",
    "Espacio Económico Europeo": "EEA",
    "欧洲经济区": "EEA",
    "Iberian Peninsula": "IBERIA",
    "Península Ibérica": "IBERIA",
    "伊比利亚": "IBERIA",
    "Nordic": "NORDICS",
    "Nordic countries": "NORDICS",
    "Países nórdicos": "NORDICS",
    "北欧": "NORDICS",
    "北歐": "NORDICS",
    "Escandinavia": "SCANDINAVIA",
    "斯堪的纳维亚": "SCANDINAVIA",
    "Europa": "EUROPE",
    "欧洲": "EUROPE",
    "歐洲": "EUROPE",
    "North America": "NORTH_AMERICA",
    "Norteamérica": "NORTH_AMERICA",
    "América del Norte": "NORTH_AMERICA",
    "北美": "NORTH_AMERICA",
    "北美洲": "NORTH_AMERICA",
    "NAFTA": "USMCA",
    "CUSMA": "USMCA",
    "T-MEC": "USMCA",
    "Central America": "CENTRAL_AMERICA",
    "Centroamérica": "CENTRAL_AMERICA",
    "América Central": "CENTRAL_AMERICA",
    "中美洲": "CENTRAL_AMERICA",
    "South America": "SOUTH_AMERICA",
    "Sudamérica": "SOUTH_AMERICA",
    "Suramérica": "SOUTH_AMERICA",
    "América del Sur": "SOUTH_AMERICA",
    "南美": "SOUTH_AMERICA",
    "南美洲": "SOUTH_AMERICA",
    "Latin America": "LATAM",
    "Latinoamérica": "LATAM",
    "América Latina": "LATAM",
    "Hispanoamérica": "LATAM",
    "Lateinamerika": "LATAM",
    "Amérique latine": "LATAM",
    "拉美": "LATAM",
    "拉丁美洲": "LATAM",
    "Caribe": "CARIBBEAN",
    "Caraïbes": "CARIBBEAN",
    "Karibik": "CARIBBEAN",
    "加勒比": "CARIBBEAN",
    "加勒比海": "CARIBBEAN",
    "Southeast Asia": "ASEAN",
    "South East Asia": "ASEAN",
    "SEA": "ASEAN",
    "Sudeste Asiático": "ASEAN",
    "东南亚": "ASEAN",
    "東南亞": "ASEAN",
    "东盟": "ASEAN",
    "Middle East": "MIDDLE_EAST",
    "Mideast": "MIDDLE_EAST",
    "Oriente Medio": "MIDDLE_EAST",
    "Medio Oriente": "MIDDLE_EAST",
    "Oriente Próximo": "MIDDLE_EAST",
    "Naher Osten": "MIDDLE_EAST",
    "Moyen-Orient": "MIDDLE_EAST",
    "中东": "MIDDLE_EAST",
    "中東": "MIDDLE_EAST",
    "Gulf": "GCC",
    "Gulf States": "GCC",
    "Gulf Cooperation Council": "GCC",
    "海湾": "GCC",
    "海湾国家": "GCC",
    "Middle East and North Africa": "MENA",
    "中东北非": "MENA",
    "África": "AFRICA",
    "Afrika": "AFRICA",
    "Afrique": "AFRICA",
    "非洲": "AFRICA",
    "Asia Pacific": "APAC",
    "Asia-Pacífico": "APAC",
    "亚太": "APAC",
    "亞太": "APAC",
    "亚太地区": "APAC",
    "Oceanía": "OCEANIA",
    "Ozeanien": "OCEANIA",
    "大洋洲": "OCEANIA",
    "Commonwealth of Independent States": "CIS",
    "Comunidad de Estados Independientes": "CIS",
    "CEI": "CIS",
    "GUS": "CIS",
    "独联体": "CIS",
    "Central Asia": "CENTRAL_ASIA",
    "Asia Central": "CENTRAL_ASIA",
    "中亚": "CENTRAL_ASIA",
    "South Asia": "SOUTH_ASIA",
    "Asia del Sur": "SOUTH_ASIA",
    "SAARC": "SOUTH_ASIA",
    "Indian subcontinent": "SOUTH_ASIA",
    "南亚": "SOUTH_ASIA",
    "East Asia": "EAST_ASIA",
    "Asia Oriental": "EAST_ASIA",
    "Asia del Este": "EAST_ASIA",
    "东亚": "EAST_ASIA",
    "東亞": "EAST_ASIA",
    "Greater China": "GREATER_CHINA",
    "Gran China": "GREATER_CHINA",
    "大中华": "GREATER_CHINA",
    "大中华区": "GREATER_CHINA",
    "大中華區": "GREATER_CHINA",
}


def _group_key(name: str) -> str:
    """Fold case, accents and every separator away: 'Latin-America' → 'latinamerica'."""
    return re.sub(r"[\W_]+", "", fold(name))


@functools.cache
def _lookup() -> dict[str, str]:
    table = {_group_key(group): group for group in REGION_GROUPS}
    table.update((_group_key(alias), group) for alias, group in GROUP_ALIASES.items())
    return table


@functools.cache
def _membership() -> dict[str, frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for group, members in REGION_GROUPS.items():
        for code in members:
            groups.setdefault(code, set()).add(group)
    return {code: frozenset(names) for code, names in groups.items()}


def normalize_group(name: object) -> str | None:
    """The canonical group name ('LATAM') for any accepted spelling, or None if unknown.

    Config loaders call this to reject a misspelt region in a territory sheet up front,
    instead of letting the rule silently never match.
    """
    if not isinstance(name, str):
        return None
    key = _group_key(name)
    return _lookup().get(key) if key else None


def group_members(name: str) -> frozenset[str]:
    """The alpha-2 codes of a group given by any accepted spelling; empty if unknown."""
    group = normalize_group(name)
    return REGION_GROUPS[group] if group else frozenset()


def groups_of(alpha2: object) -> frozenset[str]:
    """Every group a country belongs to, e.g. 'DE' → {'EU', 'EEA', 'DACH', 'EUROPE', 'EMEA'}."""
    if not isinstance(alpha2, str):
        return frozenset()
    return _membership().get(alpha2.strip().upper(), frozenset())


def in_group(alpha2: object, group: object) -> bool:
    """Whether a country is in a group; an unknown code or group is simply not a member."""
    canonical = normalize_group(group)
    if canonical is None or not isinstance(alpha2, str):
        return False
    return alpha2.strip().upper() in REGION_GROUPS[canonical]
