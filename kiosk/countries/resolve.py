"""Country resolution: turn whatever a badge, CSV or person typed into an ISO alpha-2 code.

Routing by territory needs a country code, but visitors' countries arrive as 'USA', 'Eesti',
'中国', 'Korea, Rep.', 'Hong Kong S.A.R.', 'Frnace', 'Bavaria' or 'Booth 12'. The rules here are
built around one asymmetry: a wrong country silently sends a visitor to the wrong salesperson,
while None only makes the kiosk ask. So:

* names come from CLDR (every language babel carries, and each country's names for itself), the
  ISO names and official long names pycountry carries, and a short curated list of what neither
  has ('Holland', 'Ceylon'); `scripts/make_country_tables.py` writes them into
  `kiosk/countries/data/`, which is read lazily on first use;
* the comparison key ignores case, accents, punctuation, word order ('Yemen, Rep.' is 'Republic
  of Yemen'), the abbreviations CRMs use ('Rep.', 'Dem.', 'Is.', 'Isds', 'St.', 'Fed.', '&') and
  'Republic of …' / 'Kingdom of …' wrappers;
* names shared by several countries ('Korea', 'Congo'), subdivisions ('Texas', 'Bavaria') and
  regions ('EMEA', 'Latin America') resolve to None; `suggest_countries` offers candidates;
* a text in parts ('Atlanta, GA', 'Hong Kong, China', 'Bavaria, Germany') resolves only when the
  parts agree on one country that at least one part names as a country: 'Georgia' alone is the
  country, 'Georgia, USA' is the United States;
* a typo is forgiven only in Latin script, from five letters on, and only when one country is
  clearly closest (not a subdivision, a region or another country).
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
import sys
import unicodedata
from collections import ChainMap
from collections.abc import Mapping
from dataclasses import dataclass

from kiosk.countries.aliases import DEPENDENCIES
from kiosk.countries.names import (
    DATA_DIR,
    country_codes,
    country_name,
    ui_language,
)
from kiosk.countries.regions import GROUP_ALIASES, REGION_GROUPS

# The package (`kiosk.countries`) re-exports these with the display names of `names`.
__all__ = ["CountrySuggestion", "resolve_country", "suggest_countries"]

_MAX_INPUT = 200
_MIN_FUZZY = 5
_MAX_FUZZY = 60

# --------------------------------------------------------------------------- comparison keys
# Shared with scripts/make_country_tables.py: the tables hold keys made by these functions, so a
# change here needs the tables regenerated (tests/core/test_country_tables.py checks).

# Accents of Latin, Greek and Cyrillic letters and Arabic/Hebrew vowel signs are optional when
# people type; the marks of Indic and Southeast Asian scripts are vowels, so they are kept.
_OPTIONAL_MARKS = (
    (0x0300, 0x0370), (0x0483, 0x048A), (0x0591, 0x05C8), (0x0610, 0x061B), (0x064B, 0x0660),
    (0x0670, 0x0671), (0x06D6, 0x06EE), (0x1AB0, 0x1B00), (0x1DC0, 0x1E00), (0x20D0, 0x2100),
    (0xFE20, 0xFE30),
)  # fmt: skip
_DROP_MARKS = dict.fromkeys(
    itertools.chain.from_iterable(itertools.starmap(range, _OPTIONAL_MARKS))
)
# Letters without a decomposition that people type as plain Latin letters.
_LETTERS = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "ŀ": "l", "ŧ": "t", "æ": "ae", "œ": "oe",
     "ð": "d", "þ": "th"}
)  # fmt: skip
_APOSTROPHES = re.compile("['’‘ʼʻ`´ʹ]")
# 'U.S.A.', 'S.A.R.', 'P.R. China', 'u. s.': single letters with dots become one word.
_DOTTED_RUN = re.compile(r"(?<![a-z0-9])[a-z](?:\.\s?[a-z])+\.?(?![a-z0-9])")
_ASCII_SPLIT = re.compile(r"[^a-z0-9]+")
_SAR = re.compile(r"special\s+administrative\s+region")

# Abbreviations and spellings that mean the same word, mapped onto one form.
_CANON = {
    "saint": "st", "sainte": "ste", "republic": "rep", "repub": "rep", "democratic": "dem",
    "federal": "fed", "federated": "fed", "federation": "fed", "people": "peoples",
    "island": "is", "islands": "is", "isl": "is", "isls": "is", "isld": "is", "islds": "is",
    "isds": "is", "sts": "states", "n": "north", "s": "south", "br": "british", "gt": "great",
}  # fmt: skip
# Words dropped: 'Republic of the Congo' is 'Congo Republic'. Articles go anywhere ('The
# Gambia'); the rest only after the first word, where they are glue, not 'Dél' (south) in
# 'Dél-Szudán' or 'De' in the Welsh 'De Swdan'.
_ARTICLES = frozenset("the la le les".split())
_STOPWORDS = frozenset(
    "of and und et y e i de del della dei di da do dos das du des der die van von".split()
)
# Forms of government: 'Kingdom of Spain' names Spain; 'Korea, Dem. Rep.' names North Korea.
_GOVERNMENT = frozenset(
    "rep kingdom state fed federative dem peoples islamic arab socialist commonwealth "
    "principality grand duchy sultanate emirate hashemite independent plurinational bolivarian "
    "oriental eastern cooperative co operative union confederation sar republique republica "
    "republik repubblica reino royaume koninkrijk konigreich koenigreich regno bundesrepublik "
    "estado etat staat rzeczpospolita republika республика rb fyr pdr".split()
)
# Government words a state or province also uses: 'State of Georgia' is not the country.
_SUBDIVISION_WORDS = frozenset("state commonwealth estado etat staat".split())
# Long generic words whose typos are corrected before matching: 'Czech Repulic'.
_GENERIC = {"republic": "rep", "democratic": "dem", "federation": "fed", "islands": "is",
            "kingdom": "kingdom", "united": "united"}  # fmt: skip
_VOWELS = frozenset("aeiouy")


def fold_name(text: str) -> str:
    """Lower case without optional accents or width differences: 'ÉIRE' → 'eire', 'Ｊａｐａｎ' → …"""
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKD", text).translate(_DROP_MARKS)
    return unicodedata.normalize("NFKC", text).casefold().translate(_LETTERS)


def name_tokens(text: str) -> list[str]:
    """The words of a name as compared: folded, abbreviations spelled one way, stopwords gone."""
    folded = _APOSTROPHES.sub("", fold_name(text))
    if "." in folded:
        folded = _DOTTED_RUN.sub(lambda m: re.sub(r"[.\s]", "", m.group()), folded)
    if "administrative" in folded:
        folded = _SAR.sub(" sar ", folded)
    if folded.isascii():
        words = _ASCII_SPLIT.split(folded)
    else:  # keep letters, digits and marks; everything else separates words
        words = "".join(
            ch if ch.isalnum() or unicodedata.category(ch)[0] == "M" else " " for ch in folded
        ).split()
    tokens = [word for word in words if word and word not in _ARTICLES]
    if len(tokens) > 1:  # 'Cayman Is.' is 'Cayman Islands', but 'Island' alone is Iceland
        tokens = [_CANON.get(token, token) for token in tokens]
    return tokens[:1] + [token for token in tokens[1:] if token not in _STOPWORDS]


def name_key(tokens: list[str]) -> str:
    """'Côte d'Ivoire', 'COTE-D-IVOIRE' and 'cote divoire' all give 'cotedivoire'."""
    return "".join(tokens)


def bag_key(tokens: list[str]) -> str | None:
    """An order-free key ('+rep yemen') for names of two or more distinct words, else None."""
    words = sorted(set(tokens))
    return "+" + " ".join(words) if len(words) > 1 else None


def core_tokens(tokens: list[str]) -> list[str]:
    """The name without a leading form of government: 'Federal Republic of Germany' → ['germany'].

    Only a leading run goes: 'United Kingdom' and 'Dominican Republic' keep their words (the
    bag key covers 'Yemen, Rep.'). Empty when nothing but government words is left.
    """
    for i, token in enumerate(tokens):
        if token not in _GOVERNMENT:
            return tokens[i:]
    return []


# --------------------------------------------------------------------------- tables
# A value says what a key names: 'DE' (a country), 'CG CD' (a name they share), 'GE~US' (the
# country Georgia, and a subdivision of the US), '~US' (only a subdivision), '~' (a region or a
# former state that is no single country today). Keys are name keys, '+…' bag keys, '=…'
# upper-case codes and '.…' abbreviations that may also be written with dots ('U.A.E.').
# names.tsv holds the keys that name a country, places.tsv those of subdivisions (needed only
# for a text in parts and for suggestions), fuzzy.tsv the keys typo matching compares with.


@dataclass(frozen=True)
class _Reading:
    countries: tuple[str, ...]  # what the text names as a country
    sovereigns: tuple[str, ...]  # countries it is a subdivision of
    blocked: bool  # a subdivision, region or former state: never guess past it

    @property
    def country(self) -> str | None:
        return self.countries[0] if len(self.countries) == 1 else None


@functools.cache
def _reading(value: str) -> _Reading:
    countries, tilde, sovereigns = value.partition("~")
    return _Reading(tuple(countries.split()), tuple(sovereigns.split()), bool(tilde))


def _read_table(name: str) -> dict[str, str]:
    """A table file: 'value<TAB>key<TAB>key…' lines after '#' header lines."""
    table: dict[str, str] = {}
    for line in (DATA_DIR / name).read_text(encoding="utf-8").split("\n"):
        if line and line[0] != "#":
            value, *keys = line.split("\t")
            table.update(dict.fromkeys(keys, sys.intern(value)))
    return table


@functools.cache
def _names() -> dict[str, str]:
    return _read_table("names.tsv")


@functools.cache
def _places() -> Mapping[str, str]:
    """names.tsv with the subdivisions added, and the region groups territory rules name."""
    places = _read_table("places.tsv")
    for group in (*REGION_GROUPS, *GROUP_ALIASES):
        tokens = name_tokens(group.replace("_", " "))
        for key in (name_key(tokens), "=" + group.upper()):
            places.setdefault(key, "~")
    return ChainMap(_names(), places)


@functools.cache
def _fuzzy_index() -> tuple[dict[str, list[str]], dict[str, list[_Reading]], frozenset[str]]:
    """Typo matching's keys and what each names, by first letter; and the names ('!') of small
    subdivisions, which only block an exact match."""
    keys: dict[str, list[str]] = {}
    readings: dict[str, list[_Reading]] = {}
    exact_only = []
    for key, value in _read_table("fuzzy.tsv").items():
        if value == "!":
            exact_only.append(key)
            continue
        keys.setdefault(key[0], []).append(key)
        readings.setdefault(key[0], []).append(_reading(value))
    return keys, readings, frozenset(exact_only)


# --------------------------------------------------------------------------- resolution
_CODE = re.compile(r"[A-Za-z]{2,5}")
_DOTTED = re.compile(r"(?:[A-Za-z]\.\s?){1,4}[A-Za-z]\.?")
_SPACED = re.compile(r"(?:[A-Za-z]\s){1,3}[A-Za-z]")
_BRACKETED = re.compile(r"[(\[（【]([^)\]）】]*)[)\]）】]")
_SEGMENTS = re.compile(r"\s*[,;/|\\，、；]\s*|\s+[-–—]+\s+")
_SAR_MARKS = ("特别行政区", "特別行政區", "特区", "特區")
_CHINA = frozenset({"china", "prc", "中国", "中國", "中华人民共和国", "中華人民共和國"})


def _code_value(raw: str, names: Mapping[str, str]) -> str | None:
    """The value for input that is, as a whole, a code or abbreviation ('de', 'U.A.E.', 'TX').

    Only whole, letters-only input counts, so 'N/A' is not Namibia and 'Hall 3' is not HALL.
    """
    if _CODE.fullmatch(raw):
        value = names.get("=" + raw.upper())
        if value and len(raw) <= 3 and not raw.isupper():
            # 'Nga' is Nigeria's alpha-3 code and Vietnamese for Russia: upper case decides.
            named = names.get(name_key(name_tokens(raw)))
            if named and _reading(named).countries != _reading(value).countries:
                return " ".join(sorted({*_reading(value).countries, *_reading(named).countries}))
        return value
    if _DOTTED.fullmatch(raw) or _SPACED.fullmatch(raw):
        # 'U.S.', 'U.A.E.', 'U S A': abbreviations only, so 'N.A.' is not Namibia
        return names.get("." + re.sub(r"[.\s]", "", raw).upper())
    return None


def _special_region(tokens: list[str], names: Mapping[str, str]) -> str | None:
    """'Hong Kong S.A.R.', 'China, Macao SAR', '中国香港特别行政区' → the region, never China."""
    key = name_key(tokens)
    marked = "sar" in tokens or any(mark in key for mark in _SAR_MARKS)
    if not marked:
        return None
    rest = [t for t in tokens if t != "sar" and t not in _CHINA]
    key = name_key(rest)
    for mark in (*_SAR_MARKS, "中华人民共和国", "中華人民共和國", "中国", "中國"):
        key = key.replace(mark, "")
    value = names.get(key) or (names.get("=" + key.upper()) if len(key) == 2 else None)
    return value if value and _reading(value).country else None


def _lookup(raw: str, names: Mapping[str, str]) -> str | None:
    """The table value for one piece of text, matched exactly (no typos), or None if unknown."""
    value = _code_value(raw, names)
    if value:
        return value
    tokens = name_tokens(raw)
    if not tokens:
        return None
    value = names.get(name_key(tokens)) or _special_region(tokens, names)
    if value:
        return value
    bag = bag_key(tokens)
    if bag and bag in names:
        return names[bag]
    core = core_tokens(tokens)
    if core and len(core) < len(tokens):  # 'Kingdom of Spain', 'Republic of the Sudan'
        value = names.get(name_key(core)) or names.get(bag_key(core) or "")
        if value is None:
            return None
        reading = _reading(value)
        if not reading.blocked:
            return value
        # 'Republic of Georgia' is the country; 'State of Georgia' is not.
        wrapper = set(tokens[: len(tokens) - len(core)])
        if reading.country and reading.sovereigns and not wrapper & _SUBDIVISION_WORDS:
            return reading.country
    return None


def _max_edits(length: int) -> int:
    return 1 if length <= 10 else 2 if length <= 14 else 3


def _typo_like(key: str, choice: str) -> bool:
    """Whether a short word's edit is a typo: a swapped, missing or doubled letter, or from six
    letters on one vowel written for another ('Jordon', 'Norwey'). A changed consonant mostly
    makes another word ('child' is not 'Chile', 'Vienna' is not 'Vietnã')."""
    if len(choice) != len(key) or sorted(choice) == sorted(key):
        return True
    changed = [(a, b) for a, b in zip(key, choice, strict=True) if a != b]
    return len(key) >= 6 and len(changed) == 1 and set(changed[0]) <= _VOWELS


def _generic_word(token: str, distance: object) -> str:
    """A typo of 'Republic', 'Islands' … spelled right ('repulic' → 'rep'), else the token."""
    if len(token) < 6 or token in _GENERIC:
        return token
    for word, canonical in _GENERIC.items():
        if distance(token, word, score_cutoff=1) <= 1:  # type: ignore[operator]
            return canonical
    return token


def _fuzzy(raw: str, names: Mapping[str, str]) -> str | None:
    """The one country within a typo or two of `raw`, or None if none or several are that close.

    Only Latin-script text of five letters or more is matched (typos of 'Lagos' or of Arabic
    names make other words), and only when the text is not itself a known name (a subdivision
    or region is not a typo of a country). One edit is allowed up to 10 characters, two up to
    14, then three. The first letter must match, and the runner-up (another country, a
    subdivision or a region) must be strictly further away. Up to 7 characters the edit may not
    be a substitution: a swapped, missing or doubled letter is a typo ('Itlay', 'Germny'), while
    a changed letter mostly makes another word ('child' is not 'Chile').
    """
    # measured start-up cost: rapidfuzz (~9 ms), rapidfuzz.distance (~8 ms), first needed here
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    tokens = name_tokens(raw)
    fixed = [_generic_word(token, OSA.distance) for token in tokens]
    if fixed != tokens:  # 'Czech Repulic': try the corrected words exactly first
        value = _lookup(" ".join(fixed), names)
        if value is not None:
            return _reading(value).country
        tokens = fixed
    core = core_tokens(tokens) or tokens
    key = name_key(core)
    if not (_MIN_FUZZY <= len(key) <= _MAX_FUZZY) or not key.isascii() or not key.isalpha():
        return None
    if key in names or name_key(tokens) in names:
        return None
    keys_by_letter, readings_by_letter, exact_only = _fuzzy_index()
    if key in exact_only or key[0] not in keys_by_letter:
        return None
    keys, readings = keys_by_letter[key[0]], readings_by_letter[key[0]]
    limit = _max_edits(len(key))
    best: dict[str | None, int] = {}  # a country, or None for a name several share
    subdivisions: list[tuple[int, tuple[str, ...]]] = []
    for choice, distance, position in process.extract(
        key, keys, scorer=OSA.distance, score_cutoff=limit, limit=None
    ):
        if len(key) <= 7 and not _typo_like(key, choice):
            continue
        reading = readings[position]
        if reading.sovereigns and not reading.countries:
            subdivisions.append((distance, reading.sovereigns))
            continue
        target = reading.country
        best[target] = min(distance, best.get(target, distance))
    countries = sorted((d, c) for c, d in best.items() if c is not None)
    if not countries:
        return None
    distance, winner = countries[0]
    if any(d <= distance and c != winner for c, d in best.items()):
        return None  # another country, a shared name or a region is as close
    if any(d <= distance and sovereigns != (winner,) for d, sovereigns in subdivisions):
        return None  # so is another country's subdivision ('Tunis' does not rival Tunisia)
    return winner


def _latin(word: str) -> bool:
    return all(ord(ch) < 0x250 or 0x1E00 <= ord(ch) <= 0x1EFF for ch in word)


def _parts(raw: str) -> list[str]:
    """'Atlanta, GA (USA)' → ['Atlanta', 'GA', 'USA']: segments, bracketed asides, and runs of
    words in different scripts ('China 中国' → ['China', '中国'])."""
    inner = _BRACKETED.findall(raw)
    outer = _BRACKETED.sub(" , ", raw)
    parts = []
    for part in (*_SEGMENTS.split(outer), *inner):
        words = part.split()
        scripts = [_latin(word) for word in words]
        if len(set(scripts)) > 1:
            runs = itertools.groupby(zip(words, scripts, strict=True), key=lambda ws: ws[1])
            parts += [" ".join(word for word, _ in run) for _, run in runs]
        elif part.strip():
            parts.append(part.strip())
    return parts


def _from_parts(parts: list[str], names: Mapping[str, str]) -> str | None:
    """The one country the parts agree on, named as a country by at least one of them.

    Each known part allows the countries it names and those it is a subdivision of: 'Georgia'
    allows GE and US, 'GA' allows Gabon and US, 'USA' only US. Unknown parts ('Atlanta') and
    regions allow anything. 'Hong Kong, China' and 'Puerto Rico, USA' name a territory with its
    sovereign state: the territory wins.
    """
    allowed: set[str] | None = None
    named: set[str] = set()
    for part in parts:
        value = _lookup(part, names)
        if value is None and (code := _near_exact(part, names) or _fuzzy(part, names)):
            value = code
        if value is None:
            continue
        reading = _reading(value)
        if not reading.countries and not reading.sovereigns:
            continue  # a region: 'Germany, Europe'
        options = {*reading.countries, *reading.sovereigns}
        named.update(reading.countries)
        allowed = options if allowed is None else allowed & options
    if allowed is None:
        return None
    if len(allowed) == 1 and allowed <= named:
        return allowed.pop()
    if not allowed and len(named) == 2:
        first, second = sorted(named)
        if DEPENDENCIES.get(first) == second:
            return first
        if DEPENDENCIES.get(second) == first:
            return second
    return None


_AND = re.compile(r"\s+(?:and|&|und|et|y|e)\s+", re.IGNORECASE)


def _lists_countries(raw: str, names: Mapping[str, str]) -> bool:
    """'China and Hong Kong', 'Spain & Portugal': two countries, not one ('Trinidad and Tobago'
    names no country before its 'and'; 'Great Britain and Northern Ireland' names one twice)."""
    pieces = _AND.split(raw)
    if len(pieces) < 2:
        return False
    named = set()
    for piece in pieces:
        value = _lookup(piece, names)
        country = _reading(value).country if value else None
        if country is None:
            return False
        named.add(country)
    return len(named) > 1


def _near_exact(raw: str, names: Mapping[str, str]) -> str | None:
    """Forms one step from a name: 'Fiji Islands' (a trailing 'Islands' the name lacks) and
    'Cubaa', 'Irann' (a doubled letter, which typo matching does not try on short names)."""
    tokens = name_tokens(raw)
    candidates = []
    if len(tokens) > 1 and tokens[-1] == "is":
        candidates.append(name_key(tokens[:-1]))
    key = name_key(tokens)
    if len(key) >= 5 and key.isascii():
        candidates += [key[:i] + key[i + 1 :] for i in range(1, len(key)) if key[i] == key[i - 1]]
    for candidate in candidates:
        value = names.get(candidate)
        if value and not _reading(value).blocked and _reading(value).country:
            return _reading(value).country
    return None


def prepare() -> None:
    """Build now what `resolve_country` builds at its first call: the name tables (~40 ms)
    and, for text that names no country exactly, the typo index and rapidfuzz (~45 ms
    more). For the kiosk's warm-up thread: the first scan whose text reaches the resolver
    (a name and company, a query that matches no one) paid both on the scan path — the
    slowest of the 2,000 no-match scans at a million contacts, 107 ms of a 100 ms bound."""
    _names()
    _places()
    _fuzzy_index()
    # measured start-up cost: rapidfuzz (~9 ms), rapidfuzz.distance (~8 ms), first needed
    # here (by the warm-up thread; else by the first typo `_fuzzy` reads)
    from rapidfuzz import process  # noqa: F401
    from rapidfuzz.distance import OSA  # noqa: F401


def resolve_country(text: str) -> str | None:
    """The alpha-2 code a piece of text names, or None when unknown, junk or ambiguous.

    Tries, in order: the whole text exactly (codes, names, reordered and abbreviated forms);
    its parts ('Shanghai, China', 'Germany (DE)', 'China / 中国') if they agree on one country;
    then a typo-tolerant match.
    """
    if not isinstance(text, str):
        return None
    raw = text.strip()
    if not raw or len(raw) > _MAX_INPUT:
        return None
    names = _names()
    if _AND.search(raw) and _lists_countries(raw, names):
        return None
    value = _lookup(raw, names)
    if value is not None:
        return _reading(value).country
    parts = _parts(raw)
    if len(parts) > 1 or (parts and parts[0] != raw):
        return _from_parts(parts, _places())
    return _near_exact(raw, names) or _fuzzy(raw, names)


# --------------------------------------------------------------------------- suggestions


@dataclass(frozen=True)
class CountrySuggestion:
    """One autocomplete option: the country, its name in the UI language, and why it matched."""

    alpha2: str
    name: str
    matched_as: str
    score: int


@dataclass(frozen=True)
class _Alias:
    text: str  # as written; shown to the user as `matched_as`
    alpha2: str
    lang: str
    rank: int  # 0 curated/English, 1 translated, 2 derived from an inverted or bracketed name


@dataclass(frozen=True)
class _SuggestIndex:
    by_key: dict[str, tuple[_Alias, ...]]
    prefix_keys: list[str]  # sorted; parallel to prefix_refs
    prefix_refs: list[tuple[_Alias, bool]]  # (alias, matched at a later word)
    fuzzy_keys: list[str]


@functools.cache
def _suggest_index() -> _SuggestIndex:
    """suggest.tsv: key, code, language, rank, prefix level, text, later-word keys."""
    by_key: dict[str, list[_Alias]] = {}
    refs: list[tuple[str, _Alias, bool]] = []
    text = (DATA_DIR / "suggest.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        key, code, lang, rank, prefix, written, later = line.split("\t")
        alias = _Alias(written, code, lang, int(rank))
        by_key.setdefault(key, []).append(alias)
        if prefix != "0":
            refs.append((key, alias, False))
        refs += [(suffix, alias, True) for suffix in later.split()]
    refs.sort(key=lambda ref: ref[0])
    return _SuggestIndex(
        by_key={key: tuple(aliases) for key, aliases in by_key.items()},
        prefix_keys=[ref[0] for ref in refs],
        prefix_refs=[(ref[1], ref[2]) for ref in refs],
        fuzzy_keys=sorted(k for k in by_key if len(k) >= _MIN_FUZZY and k.isascii()),
    )


def _prefix_scores(key: str, idx: _SuggestIndex) -> list[tuple[int, _Alias]]:
    """Aliases that start with `key` (or have a later word that does), scored by coverage."""
    scored = []
    start = bisect.bisect_left(idx.prefix_keys, key)
    for pos in range(start, len(idx.prefix_keys)):
        candidate = idx.prefix_keys[pos]
        if not candidate.startswith(key):
            break
        alias, later_word = idx.prefix_refs[pos]
        if later_word and len(key) < 3:
            continue  # 'de' should not list every 'Demokratische …'
        coverage = len(key) / len(candidate)
        score = 50 + round(30 * coverage) if later_word else 60 + round(35 * coverage)
        scored.append((min(score, 99), alias))
    return scored


def suggest_countries(text: str, lang: str = "en", limit: int = 8) -> list[CountrySuggestion]:
    """Autocomplete options for what has been typed so far, best first, named in `lang`.

    Exact matches score 100 (an ambiguous name lists every country it may mean; a subdivision
    such as 'Texas' offers its country at 90), then names that start with the input ('ja' →
    Japan, '西' → 西班牙), then typo-tolerant matches.
    """
    if not isinstance(text, str) or limit <= 0:
        return []
    raw = text.strip()[:_MAX_INPUT]
    tokens = name_tokens(raw)
    key = name_key(tokens)
    if not key:
        return []
    idx = _suggest_index()
    names = _places()
    ui = ui_language(lang)
    scored: list[tuple[int, _Alias]] = []
    value = _lookup(raw, names)
    if value is not None:
        reading = _reading(value)
        scored += [(100, _Alias(raw, code, "*", 0)) for code in reading.countries]
        if len(raw) > 3:  # 'Texas' offers the US; 'SA' (South Australia's code) offers nothing
            scored += [(90, _Alias(raw, code, "*", 0)) for code in reading.sovereigns]
    scored += [(100, alias) for alias in idx.by_key.get(key, ())]
    scored += _prefix_scores(key, idx)
    if len(key) >= 4 and key.isascii():
        # measured start-up cost: rapidfuzz (~9 ms), first needed here
        from rapidfuzz import fuzz, process

        for choice, ratio, _ in process.extract(
            key, idx.fuzzy_keys, scorer=fuzz.ratio, score_cutoff=70, limit=limit * 3
        ):
            scored += [(round(ratio * 0.75), alias) for alias in idx.by_key[choice]]

    codes = country_codes()
    best: dict[str, tuple[int, int, _Alias]] = {}
    for score, alias in scored:
        if alias.alpha2 not in codes:
            continue
        # Between equally good matches, the UI language's name and then English/curated win.
        preference = 3 if alias.lang == ui else 2 if alias.lang in ("en", "*") else 0
        if score < 100:
            score = min(score + preference, 99)
        current = best.get(alias.alpha2)
        if current is None or (score, preference) > current[:2]:
            best[alias.alpha2] = (score, preference, alias)
    options = [
        CountrySuggestion(a.alpha2, country_name(a.alpha2, ui), a.text, score)
        for score, _preference, a in best.values()
    ]
    options.sort(key=lambda option: (-option.score, option.name))
    return options[:limit]
