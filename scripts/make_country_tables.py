#!/usr/bin/env python3
"""Write the country tables in kiosk/countries/data/ from CLDR (through babel) and pycountry.

    .venv/bin/python scripts/make_country_tables.py            # (re)write the tables
    .venv/bin/python scripts/make_country_tables.py --check    # exit 1 if they are out of date
    .venv/bin/python scripts/make_country_tables.py --report   # also list the shared names

The tables are generated, never edited by hand: to change what a name resolves to, change the
curated data (kiosk/countries/aliases.py, kiosk/countries/names.py) or the key functions in
kiosk/countries/resolve.py, and run this script. Sources, from most to least trusted:

0. English: pycountry's ISO 3166-1 names and official long names, CLDR's English territory
   names, ISO 3166-3 former names whose successor is one country, and the curated aliases;
1. CLDR names in every language that is official in some country (so each country's names for
   itself: Eesti, Lietuva, Ísland, Shqipëria, Монголия), and pycountry's translations in the
   kiosk's display languages;
2. CLDR names in every other language babel carries.

A name two countries share at the most trusted level it appears at is ambiguous (resolves to
None); a less trusted level never overrides a more trusted one ('Malawi' is Malawi, whatever one
minority language calls Latvia). Subdivisions (pycountry's ISO 3166-2 names in all its catalogs,
plus curated English names) and regions (CLDR's region names, ISO 3166-3 states that split) are
recorded so that they resolve to None and are never mistaken for a typo of a country.

Files (UTF-8, tab-separated, sorted; '#' lines are a header):
  names.tsv    value → keys that name a country, read on the first `resolve_country` call
  places.tsv   value → keys of subdivisions, read for a text in parts or a suggestion
  fuzzy.tsv    value → keys typo matching compares with, read on the first typo
  suggest.tsv  names for autocomplete, read on the first `suggest_countries` call
  display.tsv  display names in the kiosk's languages (differences from English only)
"""

from __future__ import annotations

import argparse
import gettext
import itertools
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import babel  # noqa: E402
import pycountry  # noqa: E402
from babel import Locale  # noqa: E402
from babel.core import get_global  # noqa: E402
from babel.localedata import locale_identifiers  # noqa: E402

from kiosk.countries import aliases as curated  # noqa: E402
from kiosk.countries.names import DATA_DIR, DISPLAY_OVERRIDES, EXTRA_NAMES, LANGUAGES  # noqa: E402
from kiosk.countries.resolve import (  # noqa: E402
    _GOVERNMENT,
    _typo_like,
    bag_key,
    core_tokens,
    name_key,
    name_tokens,
)
from kiosk.text import fold  # noqa: E402

ENGLISH, OFFICIAL, OTHER = 0, 2, 4  # trust levels; +1 for a form derived from a name
SUBSET = 0.5  # a bag that leaves out some of a name's government words ('Korea, Dem. Rep.')

# Babel locales for the kiosk's display languages (pycountry catalog names).
CLDR_LOCALE = {"zh_CN": "zh", "zh_TW": "zh_Hant", "zh_HK": "zh_Hant_HK", "pt": "pt_PT"}
# Languages whose names typo matching compares with, besides English (Latin script only).
FUZZY_LANGUAGES = frozenset("es de fr pt it nl".split())
# The display languages and other major trade languages written in Latin script.
MAJOR_LANGUAGES = frozenset(lang.split("_")[0] for lang in LANGUAGES) | frozenset(
    "nl pl tr sv da nb fi cs hu ro id ms vi".split()
)
# Subdivision codes that double as postal abbreviations ('Austin, TX', 'Sydney NSW').
POSTAL_CODES = ("US", "CA", "AU")
# CLDR territories that are parts of a country rather than countries or regions.
CLDR_PARTS = {"AC": "SH", "TA": "SH", "CP": "FR", "DG": "IO", "EA": "ES", "IC": "ES", "CQ": "GG"}
CLDR_SKIP = {"XA", "XB", "ZZ"}  # pseudo-locales and 'Unknown Region'


@dataclass
class Slot:
    """Everything one key may mean."""

    countries: dict[float, set[str]] = field(default_factory=lambda: defaultdict(set))
    sovereigns: set[str] = field(default_factory=set)
    region: bool = False
    forced: set[str] | None = None  # curated: a name several countries share

    def value(self) -> str | None:
        countries: set[str] = set()
        if self.forced is not None:
            countries = set(self.forced)
        elif self.countries:
            level = min(self.countries)
            countries = set(self.countries[level])
            if level >= OTHER and (self.sovereigns or self.region):
                countries = set()  # a minority language's name does not beat a subdivision
        sovereigns = self.sovereigns - countries
        sovereigns -= {curated.DEPENDENCIES.get(code) for code in countries}
        if not countries and not sovereigns and not self.region:
            return None
        text = " ".join(sorted(countries))
        if sovereigns or (self.region and not countries):
            text += "~" + " ".join(sorted(sovereigns))
        return text


class Table:
    def __init__(self) -> None:
        self.slots: dict[str, Slot] = defaultdict(Slot)

    def country(self, key: str | None, code: str, level: float) -> None:
        if key:
            self.slots[key].countries[level].add(code)

    def subdivision(self, key: str | None, sovereign: str) -> None:
        if key:
            self.slots[key].sovereigns.add(sovereign)

    def region(self, key: str | None) -> None:
        if key:
            self.slots[key].region = True

    def force(self, key: str, codes: Iterable[str]) -> None:
        slot = self.slots[key]
        slot.forced = (slot.forced or set()) | set(codes)

    def values(self) -> dict[str, str]:
        out = {}
        for key, slot in self.slots.items():
            value = slot.value()
            if value is not None:
                out[key] = value
        return dict(sorted(out.items()))


# --------------------------------------------------------------------------- name sources


@dataclass(frozen=True)
class Name:
    text: str
    code: str  # alpha-2, or the sovereign for a subdivision
    level: float
    lang: str
    kind: str = "country"  # country | subdivision | minor subdivision | region


def derived(text: str, english: bool = False) -> list[str]:
    """Forms of a list name that people write: 'Korea, Republic of' → 'Korea' and 'Republic of
    Korea'; 'Congo - Kinshasa' → 'Congo'; 'Myanmar (Burma)' → 'Myanmar', and in English (where
    the asides are reviewed) 'Burma': elsewhere an aside is often the sovereign state."""
    forms: list[str] = []
    bare = text
    if "(" in text and text.endswith(")"):
        bare, _, inner = text[:-1].partition("(")
        bare = bare.strip()
        inner = inner.strip()
        forms.append(bare)
        if english and core_tokens(name_tokens(inner)) and len(inner) >= 4:
            forms.append(inner)
    for comma in (",", "،", "，"):
        if comma in bare:
            head, tail = (part.strip() for part in bare.split(comma, 1))
            joiner = "" if tail.endswith(("'", "’")) else " "
            forms += [head, f"{tail}{joiner}{head}"]
    for dash in (" - ", " – "):
        if dash in bare:
            forms.append(bare.split(dash, 1)[0].strip())
    if english:  # 'Trinidad and Tobago' → 'Trinidad', not 'Turks' of 'Turks and Caicos'
        for joiner in (" and ", " & "):
            head = bare.split(joiner, 1)[0]
            if joiner in bare and len(name_key(name_tokens(head))) >= 6:
                forms.append(head.strip())
    return [form for form in forms if form and form != text]


def official_languages() -> set[str]:
    """Languages official (de jure or de facto) in at least one territory, per CLDR."""
    langs = set()
    for by_lang in get_global("territory_languages").values():
        for lang, info in by_lang.items():
            if info.get("official_status") in ("official", "de_facto_official"):
                langs.add(lang.split("_")[0])
    return langs


def official_languages_by_territory() -> dict[str, set[str]]:
    """Alpha-2 → the languages official there (de jure, de facto or regionally), per CLDR."""
    out: dict[str, set[str]] = defaultdict(set)
    for code, by_lang in get_global("territory_languages").items():
        for lang, info in by_lang.items():
            if info.get("official_status"):
                out[code].add(lang.split("_")[0])
    return out


def pycountry_catalog(domain: str, lang: str) -> gettext.NullTranslations:
    if lang == "en" and domain == "iso3166-1":
        return gettext.NullTranslations()
    try:
        return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[lang])
    except OSError:
        return gettext.NullTranslations()


def catalog_languages(domain: str) -> list[str]:
    root = Path(pycountry.LOCALES_DIR)
    return sorted(p.parent.parent.name for p in root.glob(f"*/LC_MESSAGES/{domain}.mo"))


def hk_mo_short_forms(hk: str, mo: str) -> tuple[str, str] | None:
    """'Hong Kong SAR China' / 'Macao SAR China' → 'Hong Kong' / 'Macao': the prefix and suffix
    the two names share in one language are its 'SAR China' part. In scripts with spaces the
    shared part must be whole words, so 'Makao' is not cut short by a shared last letter."""
    spaced = " " in hk or " " in mo
    prefix = 0
    while prefix < min(len(hk), len(mo)) and hk[prefix] == mo[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(hk), len(mo)) - prefix and hk[-1 - suffix] == mo[-1 - suffix]:
        suffix += 1
    if spaced:
        head, tail = hk[:prefix], hk[len(hk) - suffix :]
        if not head.endswith(" "):
            prefix = head.rfind(" ") + 1
        if tail and not tail.startswith(" "):
            suffix = len(tail) - tail.find(" ") if " " in tail else 0
    strip = " -,()"
    short = (hk[prefix : len(hk) - suffix].strip(strip), mo[prefix : len(mo) - suffix].strip(strip))
    return short if all(short) and short != (hk, mo) else None


def pycountry_names() -> Iterator[tuple[str, str, str, str]]:
    """(text, alpha-2 code, language, attribute) for pycountry's ISO 3166-1 names — the name,
    the official long name and the common name — in English and translated into each of the
    kiosk's display languages; a 'translation' that is only the English again is left out, so
    that it does not count as that language's own name."""
    for lang in LANGUAGES:
        catalog = pycountry_catalog("iso3166-1", lang)
        for country in pycountry.countries:
            for attr in ("name", "official_name", "common_name"):
                english = getattr(country, attr, None)
                if not english:
                    continue
                text = catalog.gettext(english)
                if lang != "en" and text == english:
                    continue
                yield text, country.alpha_2, lang, attr


def collect(codes: set[str], curated_aliases: bool = True) -> list[Name]:
    names: list[Name] = []
    official = official_languages()

    # pycountry ISO 3166-1: English names and official long names; translations in the kiosk's
    # display languages.
    for text, code, lang, _attr in pycountry_names():
        names.append(Name(text, code, ENGLISH if lang == "en" else OFFICIAL, lang))
    for code, by_lang in EXTRA_NAMES.items():
        names += [
            Name(t, code, ENGLISH if lg == "en" else OFFICIAL, lg) for lg, t in by_lang.items()
        ]
    for (code, lang), text in DISPLAY_OVERRIDES.items():
        names.append(Name(text, code, ENGLISH if lang == "en" else OFFICIAL, lang))

    # CLDR territory names in every locale babel has.
    for locale_id in locale_identifiers():
        lang = locale_id.split("_")[0]
        level = ENGLISH if lang == "en" else OFFICIAL if lang in official else OTHER
        territories = Locale.parse(locale_id).territories
        for code, text in territories.items():
            if code in codes:
                names.append(Name(text, code, level, locale_id))
            elif code in CLDR_PARTS:
                names.append(Name(text, CLDR_PARTS[code], level, locale_id, "subdivision"))
            elif code not in CLDR_SKIP:
                names.append(Name(text, "", level, locale_id, "region"))
        if "HK" in territories and "MO" in territories:
            short = hk_mo_short_forms(territories["HK"], territories["MO"])
            if short:
                names += [Name(short[0], "HK", level + 1, locale_id),
                          Name(short[1], "MO", level + 1, locale_id)]  # fmt: skip

    # ISO 3166-3: a former code whose last two letters name today's one country (DYBJ: Dahomey,
    # now Benin); the others split (CSHH Czechoslovakia) and are regions here.
    for old in pycountry.historic_countries:
        successor = old.alpha_4[2:]
        kind = "country" if successor in codes else "region"
        names.append(Name(old.name, successor if kind == "country" else "", ENGLISH, "en", kind))

    # Curated: everyday names, former names, shared names, subdivisions, dissolved states.
    sources = (curated.ALIASES, curated.EXTRA_ALIASES, curated.HISTORIC)
    for source in sources if curated_aliases else sources[1:]:
        for code, texts in source.items():
            names += [Name(text, code, ENGLISH, "*") for text in texts]
    names += [Name(text, "", ENGLISH, "*", "region") for text in curated.DISSOLVED]
    for code, texts in curated.SUBDIVISIONS.items():
        names += [Name(text, code, ENGLISH, "*", "subdivision") for text in texts]

    # pycountry ISO 3166-2 subdivisions, as named in the catalogs of the kiosk's display
    # languages. Only states, provinces and the like are kept in names.tsv (for suggestions, and
    # so that 'Georgia, USA' is read right); the smaller ones only keep typos off them.
    languages = {lang.split("_")[0] for lang in LANGUAGES}
    catalogs = [
        pycountry_catalog("iso3166-2", lang)
        for lang in catalog_languages("iso3166-2")
        if lang.split("_")[0] in languages
    ]
    for sub in pycountry.subdivisions:
        texts = {sub.name, *(c.gettext(sub.name) for c in catalogs)}
        for text in list(texts):
            if "[" in text:  # 'Catalunya [Cataluña]'
                head, _, alt = text.partition("[")
                texts |= {head.strip(), alt.strip(" ]")}
        suffix = sub.code.partition("-")[2]
        if curated.DEPENDENCIES.get(suffix) == sub.country_code:  # CN-HK is Hong Kong
            names += [Name(t, suffix, OFFICIAL, "*") for t in texts if t]
            continue
        kind = "subdivision" if sub.parent_code is None else "minor subdivision"
        names += [Name(t, sub.country_code, OTHER, "*", kind) for t in texts if t]
    return names


# --------------------------------------------------------------------------- tables


def _too_short(key: str, level: float, major: bool) -> bool:
    """Short Latin names are mostly words or given names to a CRM ('Cat' is Chad, 'Alan' Åland,
    'Gene' Guinea in some language): outside English a name needs five letters in a minority
    language, four in an official one, three in a major trade language or the country's own
    ('Çin', 'Irak', 'Viro'). Other scripts keep theirs ('タイ', '中国')."""
    if not key.isascii() or level < OFFICIAL:
        return False
    derived = level % 2 == 1  # a head cut from 'Man, Île de' is a word, not a name
    return len(key) < (5 if level >= OTHER or derived else 3 if major else 4)


def build(codes: set[str], curated_aliases: bool = True) -> tuple[Table, Table, set[str]]:
    names_table, fuzzy_table = Table(), Table()
    exact_only: set[str] = set()
    endonym_languages = official_languages_by_territory()
    for name in collect(codes, curated_aliases):
        english = name.level == ENGLISH
        forms = [(name.text, name.level)]
        forms += [(form, name.level + 1) for form in derived(name.text, english)]
        for text, level in forms:
            tokens = name_tokens(text)
            if not tokens:
                continue
            key, bag = name_key(tokens), bag_key(tokens)
            core = core_tokens(tokens) or tokens
            fuzzy_key = name_key(core)
            fuzzy_ok = fuzzy_key.isascii() and fuzzy_key.isalpha() and len(fuzzy_key) >= 5
            if name.kind == "minor subdivision":
                if key in names_table.slots:
                    names_table.subdivision(key, name.code)
                if fuzzy_ok:
                    exact_only.add(fuzzy_key)
                continue
            if name.kind == "subdivision":
                names_table.subdivision(key, name.code)
                if fuzzy_ok:
                    fuzzy_table.subdivision(fuzzy_key, name.code)
                continue
            if name.kind == "region":
                names_table.region(key)
                if fuzzy_ok:
                    fuzzy_table.region(fuzzy_key)
                continue
            lang = name.lang.split("_")[0]
            own = lang in endonym_languages.get(name.code, ())
            major = lang in MAJOR_LANGUAGES or own
            if not _too_short(key, level, major):
                names_table.country(key, name.code, level)
            if level < OTHER:
                names_table.country(bag, name.code, level)
            if level < ENGLISH + 2:  # 'Korea, Dem. Rep.' leaves out 'People's'
                government = sorted(set(tokens) & _GOVERNMENT)
                rest = sorted(set(tokens) - _GOVERNMENT)
                for size in range(len(government)):
                    for subset in itertools.combinations(government, size):
                        names_table.country(bag_key([*rest, *subset]), name.code, level + SUBSET)
            # Typo matching compares with English and the major languages' names, and each
            # country's names for itself ('Shqipëria' is one letter from CLDR's 'Shqipëri'); a
            # name's core ('Spain' of 'Kingdom of Spain') ranks below a name itself, so the core
            # 'China' of 'Republic of China' does not rival China.
            if level < ENGLISH + 2 or (level < OTHER and (lang in FUZZY_LANGUAGES or own)):
                full_key = name_key(tokens)
                if full_key.isascii() and full_key.isalpha() and len(full_key) >= 5:
                    fuzzy_table.country(full_key, name.code, level)
                if fuzzy_ok and fuzzy_key != full_key:
                    fuzzy_table.country(fuzzy_key, name.code, level + 1)

    for text, shared in curated.AMBIGUOUS.items():
        tokens = name_tokens(text)
        names_table.force(name_key(tokens), shared)
        if name_key(tokens).isascii() and len(name_key(tokens)) >= 5:
            fuzzy_table.force(name_key(tokens), shared)

    # Codes, upper case: ISO alpha-2 and alpha-3, curated abbreviations, former alpha-3 codes,
    # and the postal abbreviations of US, Canadian and Australian subdivisions.
    for country in pycountry.countries:
        names_table.country("=" + country.alpha_2, country.alpha_2, ENGLISH)
        names_table.country("=" + country.alpha_3, country.alpha_2, ENGLISH)
    for alpha2, alpha3 in curated.EXTRA_CODES.items():
        names_table.country("=" + alpha2, alpha2, ENGLISH)
        names_table.country("=" + alpha3, alpha2, ENGLISH)
    for abbreviation, code in curated.ABBREVIATIONS.items():
        names_table.country("=" + abbreviation, code, ENGLISH)
        names_table.country("." + abbreviation, code, ENGLISH)
    for old in pycountry.historic_countries:
        key = "=" + old.alpha_3
        if key not in names_table.slots:
            successor = old.alpha_4[2:]
            if successor in codes:
                names_table.country(key, successor, ENGLISH)
            else:
                names_table.region(key)
    for sub in pycountry.subdivisions:
        country, _, suffix = sub.code.partition("-")
        if country in POSTAL_CODES and suffix.isalpha():
            names_table.subdivision("=" + suffix, country)
    return names_table, fuzzy_table, exact_only - set(fuzzy_table.slots)


def drop_lookalikes(names: Table, fuzzy: Table) -> list[str]:
    """Forget a name that is one typo from a more trusted name of another country: 'Nigēra'
    (Latvian for Niger) typed without its accent is far more often a typo of Nigeria."""
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    trusted: dict[str, list[tuple[str, float, set[str]]]] = defaultdict(list)
    for key, slot in fuzzy.slots.items():
        if slot.countries:
            level = min(slot.countries)
            trusted[key[0]].append((key, level, set(slot.countries[level])))
    dropped = []
    for key, slot in names.slots.items():
        if not slot.countries or slot.forced is not None or not key.isascii():
            continue
        level = min(slot.countries)
        if level < OFFICIAL or not key.isalpha() or len(key) < 5 or not trusted.get(key[0]):
            continue
        mine = set(slot.countries[level])
        rivals = [k for k, lv, c in trusted[key[0]] if lv < level and c - mine]
        for rival, distance, _ in process.extract(
            key, rivals, scorer=OSA.distance, score_cutoff=1, limit=None
        ):
            if distance == 1 and (len(key) > 7 or _typo_like(key, rival)):
                slot.countries.clear()
                dropped.append(f"{key} ({' '.join(sorted(mine))}) ~ {rival}")
                break
    return dropped


def suggest_rows(codes: set[str]) -> list[tuple[str, ...]]:
    """Names for autocomplete: ISO names in the display languages, CLDR's names in them, and
    the curated aliases; each with its language, rank (0 English or curated, 1 translated, 2
    derived) and prefix level (0 exact only, 1 by its start, 2 also by a later word)."""
    rows: set[tuple[str, str, str, int, int]] = set()

    def add(text: str, code: str, lang: str, rank: int, prefix: int) -> None:
        rows.add((text, code, lang, rank, prefix))
        for form in derived(text, lang == "en"):
            inverted = ", " not in text and form.count(" ") and form not in text
            rows.add((form, code, lang, 2, 0 if inverted else 1))

    for text, code, lang, attr in pycountry_names():
        add(text, code, lang, 0 if lang == "en" else 1, 1 if attr == "official_name" else 2)
    for lang in LANGUAGES:
        cldr = Locale.parse(CLDR_LOCALE.get(lang, lang)).territories
        for code in codes:
            if code in cldr:
                add(cldr[code], code, lang, 0 if lang == "en" else 1, 2)
    for source in (curated.ALIASES, curated.EXTRA_ALIASES):
        for code, texts in source.items():
            for text in texts:
                rows.add((text, code, "*", 0, 2))
    for code, by_lang in EXTRA_NAMES.items():
        rows.update((text, code, lang, 0, 2) for lang, text in by_lang.items())
    rows.update((text, code, lang, 1, 2) for (code, lang), text in DISPLAY_OVERRIDES.items())
    for text, shared in curated.AMBIGUOUS.items():
        rows.update((text, code, "*", 0, 2) for code in shared)

    out = []
    for text, code, lang, rank, prefix in rows:
        tokens = name_tokens(text)
        if not tokens or "\t" in text:
            continue
        later = [name_key(tokens[i:]) for i in range(1, len(tokens))] if prefix == 2 else []
        out.append((name_key(tokens), code, lang, str(rank), str(prefix), text, " ".join(later)))
    return sorted(out)


# --------------------------------------------------------------------------- display names


def display_rows(codes: set[str]) -> list[tuple[str, str, str]]:
    """The name a visitor card shows, per display language: common name first, then the plain
    name, official form last; ISO list forms ('Bolivia, Plurinational State of') read badly."""
    shared = {fold(name) for name in curated.AMBIGUOUS}

    def display(country: object, lang: str) -> str:
        t = pycountry_catalog("iso3166-1", lang)
        common = getattr(country, "common_name", None)
        name: str = country.name  # type: ignore[attr-defined]
        if common and (t.gettext(common) != common or lang == "en"):
            return t.gettext(common)
        translated = t.gettext(name)
        inverted = "," in translated or "،" in translated
        if common and (translated == name or inverted):
            return common  # the same word in this language ('Bolivia', 'Taiwan', 'Laos')
        official = getattr(country, "official_name", None)
        has_official = bool(official) and (t.gettext(official) != official or lang == "en")
        if has_official and (inverted or fold(translated) in shared):
            return t.gettext(official)  # 'Republic of the Congo', not the shared 'Congo'
        return translated

    by_lang: dict[str, dict[str, str]] = {}
    for lang in LANGUAGES:
        names = {c.alpha_2: display(c, lang) for c in pycountry.countries}
        for code, texts in EXTRA_NAMES.items():
            names[code] = texts.get(lang, texts["en"])
        names.update({code: text for (code, lg), text in DISPLAY_OVERRIDES.items() if lg == lang})
        by_lang[lang] = names
    assert set(by_lang["en"]) == codes
    rows = [(code, "en", name) for code, name in by_lang["en"].items()]
    for lang in LANGUAGES[1:]:
        rows += [(c, lang, n) for c, n in by_lang[lang].items() if n != by_lang["en"][c]]
    return sorted(rows)


# --------------------------------------------------------------------------- output


def header(what: str) -> str:
    return (
        f"# {what}\n"
        "# Generated by scripts/make_country_tables.py: do not edit by hand.\n"
        f"# babel {babel.__version__} (CLDR {get_global('cldr').get('version', '?')}), "
        f"pycountry {_version('pycountry')}\n"
    )


def _version(package: str) -> str:
    from importlib.metadata import version

    return version(package)


def render(report: bool = False) -> dict[str, str]:
    codes = {c.alpha_2 for c in pycountry.countries} | set(EXTRA_NAMES)
    names_table, fuzzy_table, exact_only = build(codes)
    dropped = drop_lookalikes(names_table, fuzzy_table)
    names = names_table.values()
    fuzzy = dict(sorted({**fuzzy_table.values(), **dict.fromkeys(exact_only, "!")}.items()))
    if report:
        print_report(names_table, names)
        redundant = redundant_aliases(codes)
        print(f"{len(redundant)} curated aliases CLDR or pycountry already resolve:")
        print("\n".join(f"  {line}" for line in redundant))
        print(f"{len(dropped)} names dropped as one typo from a more trusted name:")
        print("\n".join(f"  {line}" for line in dropped))
    # Keys that name no country are not needed to resolve one: a subdivision ('Texas') only
    # helps to read a text in parts and to suggest its country, so it waits in places.tsv; a
    # region is unknown either way (typo matching keeps its own copy to stay clear of it).
    places = {k: v for k, v in names.items() if v.startswith("~") and v != "~"}
    names = {k: v for k, v in names.items() if not v.startswith("~")}
    files = {
        "names.tsv": header("value\tkeys: see kiosk/countries/resolve.py") + grouped(names),
        "places.tsv": header("value\tkeys: subdivisions (~ and their countries)") + grouped(places),
        "fuzzy.tsv": header("value\tkeys: typo matching's names; '!' blocks only") + grouped(fuzzy),
        "suggest.tsv": header("key\tcode\tlanguage\trank\tprefix level\tname\tlater-word keys")
        + "".join("\t".join(row) + "\n" for row in suggest_rows(codes)),
        "display.tsv": header("code\tlanguage\tname (other languages: where not as in English)")
        + "".join("\t".join(row) + "\n" for row in display_rows(codes)),
    }
    return files


def grouped(table: dict[str, str], per_line: int = 12) -> str:
    """'value<TAB>key<TAB>key…' lines: loading is one dict.fromkeys per line, and every key of
    a value shares one string."""
    by_value: dict[str, list[str]] = defaultdict(list)
    for key, value in table.items():
        by_value[value].append(key)
    lines = []
    for value in sorted(by_value):
        keys = sorted(by_value[value])
        for i in range(0, len(keys), per_line):
            lines.append("\t".join([value, *keys[i : i + per_line]]) + "\n")
    return "".join(lines)


def redundant_aliases(codes: set[str]) -> list[str]:
    """Curated aliases that CLDR or pycountry already give the same country, and only that one,
    in English or a major language (a name that only a minority language has is kept: the
    tables would hold it less firmly, and typo matching would not compare with it)."""
    given: dict[str, set[str]] = defaultdict(set)
    for name in collect(codes, curated_aliases=False):
        lang = name.lang.split("_")[0]
        if name.kind == "country" and name.level < OTHER and lang in MAJOR_LANGUAGES | {"*"}:
            given[name_key(name_tokens(name.text))].add(name.code)
    forced = {name_key(name_tokens(text)) for text in curated.AMBIGUOUS}
    return [
        f"{code}: {text}"
        for code, texts in curated.ALIASES.items()
        for text in texts
        if given.get(key := name_key(name_tokens(text))) == {code} and key not in forced
    ]


def print_report(table: Table, names: dict[str, str]) -> None:
    """Names several countries share, and trusted names a more trusted one overrides."""
    shared = {k: v for k, v in names.items() if " " in v.partition("~")[0]}
    print(f"{len(shared)} keys shared by several countries:")
    for key, value in shared.items():
        print(f"  {key}\t{value}")
    print("keys whose English or official-language readings disagree (the first level wins):")
    for key, slot in sorted(table.slots.items()):
        trusted = {lv: c for lv, c in slot.countries.items() if lv < OTHER}
        if len(set().union(*trusted.values())) > 1 and slot.forced is None:
            readings = "; ".join(
                f"{lv}: {' '.join(sorted(c))}" for lv, c in sorted(trusted.items())
            )
            print(f"  {key}\t{readings}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the tables are stale")
    parser.add_argument("--report", action="store_true", help="list names several countries share")
    args = parser.parse_args(argv)
    files = render(report=args.report)
    stale = [n for n, text in files.items() if _read(DATA_DIR / n) != text]
    if args.check:
        for name in stale:
            print(f"{DATA_DIR / name} is out of date: run scripts/make_country_tables.py")
        return 1 if stale else 0
    DATA_DIR.mkdir(exist_ok=True)
    for name, text in files.items():
        (DATA_DIR / name).write_text(text, encoding="utf-8")
        print(f"{DATA_DIR / name}: {text.count(chr(10)):,} lines, {len(text.encode()):,} bytes")
    return 0


def _read(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.exists() else None


if __name__ == "__main__":
    sys.exit(main())
