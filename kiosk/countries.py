"""Country resolution: turn whatever a badge, CSV or person typed into an ISO alpha-2 code.

Routing by territory needs a country code, but visitors' countries arrive as 'USA', 'Deutschland',
'中国', 'Frnace' or 'Booth 12'. The rules here are built around one asymmetry: a wrong country
silently sends a visitor to the wrong salesperson, while None only makes the kiosk ask. So:

* exact matches (case, accents and punctuation ignored) over ISO names in a dozen languages,
  ISO codes and curated aliases come first;
* short input (under five characters) must match exactly: 'Irn' or 'test' never guess;
* longer input may be off by a typo or two, but only when one country is clearly closest;
* names shared by several countries ('Korea', 'Congo') resolve to None, and
  `suggest_countries` offers the candidates instead.

The alias index is built once, lazily, because resolution runs on every scan.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections import defaultdict
from dataclasses import dataclass

import pycountry
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from kiosk.country_aliases import ABBREVIATIONS, ALIASES, AMBIGUOUS, EXTRA_ALIASES, EXTRA_CODES
from kiosk.country_names import (
    DISPLAY_OVERRIDES,
    EXTRA_NAMES,
    LANGUAGES,
    catalog,
    country_codes,
    country_name,
    country_names,
    flag,
    ui_language,
)
from kiosk.text import fold

__all__ = [
    "LANGUAGES",
    "CountrySuggestion",
    "country_codes",
    "country_name",
    "country_names",
    "flag",
    "resolve_country",
    "suggest_countries",
]

_WORD = re.compile(r"[^\W_]+")
_EXPAND = {"st": "saint", "ste": "sainte"}
_PARENS = re.compile(r"\s*[(（][^)）]*[)）]")
_CODE = re.compile(r"[A-Za-z]{2,5}")
_DOTTED = re.compile(r"(?:[A-Za-z]\.\s?){1,4}[A-Za-z]\.?")
_SEGMENTS = re.compile(r"\s*[,;/|]\s*")
# Han, kana and Hangul (including the jamo that folding decomposes syllables into): names in
# these scripts are picked from an input method, so they are matched exactly, never fuzzily.
_CJK = re.compile(
    r"[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]"
)
_SUFFIX_STOPWORDS = frozenset(
    "of the and de del da do dos das des du la le les y e et und von di della dei".split()
)
_MAX_INPUT = 200
_MIN_FUZZY = 5
_MAX_FUZZY = 60


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
    # How autocomplete may find it: 0 exact only (machine-made inversions that read badly),
    # 1 by its start, 2 also by a later word ('zealand' → New Zealand).
    prefix: int = 2


@dataclass(frozen=True)
class _Index:
    exact: dict[str, str | None]  # folded key -> alpha2, or None when the key is ambiguous
    by_key: dict[str, tuple[_Alias, ...]]
    codes: dict[str, str]  # upper-case ISO codes and abbreviations -> alpha2
    abbreviations: dict[str, str]
    prefix_keys: list[str]  # sorted; parallel to prefix_refs
    prefix_refs: list[tuple[_Alias, bool]]  # (alias, matched at a later word)
    fuzzy: dict[str, tuple[list[str], list[str | None]]]  # first char -> (keys, alpha2 or None)
    fuzzy_all: list[str]


def _words(text: str) -> list[str]:
    """Folded words with 'St.' spelled out and a leading 'the' dropped: 'The St. Kitts' → …"""
    words = [_EXPAND.get(w, w) for w in _WORD.findall(fold(text).replace("&", " and "))]
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return words


def _key(text: str) -> str:
    """The comparison key: 'Côte d'Ivoire', 'cote divoire' and 'COTE-D-IVOIRE' share one."""
    return "".join(_words(text))


def _derived(name: str) -> list[tuple[str, int]]:
    """Forms of an ISO list name that people actually write, with their `prefix` level.

    'Korea, Republic of' → 'Republic of Korea' and 'Korea'; 'Saint Martin (French part)' →
    'Saint Martin'. The bare head ('Korea') is how shared names become ambiguous on their own.
    Inversions are matched exactly but not offered while typing: some read badly
    ('de EEUU. Islas Vírgenes').
    """
    forms = []
    bare = _PARENS.sub("", name).strip()
    if bare and bare != name:
        forms.append((bare, 1))
    for comma in (",", "،"):
        if comma in bare:
            head, tail = (part.strip() for part in bare.split(comma, 1))
            joiner = "" if tail.endswith(("'", "’")) else " "
            forms += [(head, 1), (f"{tail}{joiner}{head}", 0)]
    return [(text, level) for text, level in forms if text]


def _country_aliases() -> list[_Alias]:
    aliases: list[_Alias] = []
    for country in pycountry.countries:
        code = country.alpha_2
        for field in ("name", "official_name", "common_name"):
            english = getattr(country, field, None)
            if not english:
                continue
            for lang in LANGUAGES:
                text = catalog(lang).gettext(english)
                if lang != "en" and text == english:
                    continue  # untranslated: the English entry already covers it
                rank = 0 if lang == "en" else 1
                level = 1 if field == "official_name" else 2
                aliases.append(_Alias(text, code, lang, rank, level))
                aliases += [_Alias(form, code, lang, 2, lv) for form, lv in _derived(text)]
        aliases += [_Alias(text, code, "*", 0) for text in ALIASES.get(code, ())]
    for code, names in EXTRA_NAMES.items():
        aliases += [_Alias(text, code, lang, 0) for lang, text in names.items()]
        aliases += [_Alias(text, code, "*", 0) for text in EXTRA_ALIASES.get(code, ())]
    # A name the kiosk displays must resolve back to its country.
    aliases += [_Alias(text, code, lang, 1) for (code, lang), text in DISPLAY_OVERRIDES.items()]
    for text, codes in AMBIGUOUS.items():
        aliases += [_Alias(text, code, "*", 0) for code in codes]
    return aliases


@functools.cache
def _index() -> _Index:
    by_key: dict[str, list[_Alias]] = defaultdict(list)
    for alias in _country_aliases():
        key = _key(alias.text)
        if key and alias not in by_key[key]:
            by_key[key].append(alias)

    ambiguous = {_key(text) for text in AMBIGUOUS}
    exact: dict[str, str | None] = {}
    for key, aliases in by_key.items():
        best = min(a.rank for a in aliases)
        winners = {a.alpha2 for a in aliases if a.rank == best}
        exact[key] = winners.pop() if len(winners) == 1 and key not in ambiguous else None

    codes = {c.alpha_2: c.alpha_2 for c in pycountry.countries}
    codes |= {c.alpha_3: c.alpha_2 for c in pycountry.countries}
    codes |= {code: code for code in EXTRA_CODES} | {a3: a2 for a2, a3 in EXTRA_CODES.items()}
    codes |= ABBREVIATIONS

    refs: list[tuple[str, _Alias, bool]] = []
    for key, aliases in by_key.items():
        for alias in aliases:
            if alias.prefix:
                refs.append((key, alias, False))
            if alias.prefix == 2:
                words = _words(alias.text)
                refs += [
                    ("".join(words[i:]), alias, True)
                    for i in range(1, len(words))
                    if words[i] not in _SUFFIX_STOPWORDS
                ]
    refs.sort(key=lambda ref: ref[0])

    buckets: dict[str, tuple[list[str], list[str | None]]] = {}
    for key, code in exact.items():
        # Typos of four-letter names are rare; matching them turns 'Lagos' into Laos.
        if len(key) >= _MIN_FUZZY and not _CJK.search(key):
            keys, targets = buckets.setdefault(key[0], ([], []))
            keys.append(key)
            targets.append(code)

    return _Index(
        exact=exact,
        by_key={key: tuple(aliases) for key, aliases in by_key.items()},
        codes=codes,
        abbreviations=ABBREVIATIONS,
        prefix_keys=[ref[0] for ref in refs],
        prefix_refs=[(ref[1], ref[2]) for ref in refs],
        fuzzy=buckets,
        fuzzy_all=[key for keys, _ in buckets.values() for key in keys],
    )


def _code_hit(raw: str, idx: _Index) -> str | None:
    """A country for input that is, as a whole, an ISO code or abbreviation ('de', 'U.A.E.').

    Only whole, letters-only input counts, so 'N/A' is not Namibia and 'Hall 3' is not HALL.
    """
    if _CODE.fullmatch(raw):
        return idx.codes.get(raw.upper())
    if _DOTTED.fullmatch(raw):
        return idx.abbreviations.get(re.sub(r"[.\s]", "", raw).upper())
    return None


def _exact(raw: str, idx: _Index) -> tuple[bool, str | None]:
    """(found, alpha2): found with None means a known name shared by several countries."""
    code = _code_hit(raw, idx)
    if code:
        return True, code
    key = _key(raw)
    return (True, idx.exact[key]) if key in idx.exact else (False, None)


def _max_edits(length: int) -> int:
    return 1 if length <= 10 else 2 if length <= 14 else 3


def _fuzzy(key: str, idx: _Index) -> str | None:
    """The one country within a typo or two of `key`, or None if none or several are that close.

    One edit is allowed up to 10 characters, two up to 14, then three. The first letter must
    match (typos there are rare, and it rules out most junk), and the runner-up country must be
    strictly further away. Up to 7 characters the edit may not be a substitution: a swapped,
    missing or doubled letter is a typo ('Itlay', 'Germny'), while a changed letter mostly makes
    another word ('child' is not 'Chile', 'Vienna' is not 'Vietnã').
    """
    if not (_MIN_FUZZY <= len(key) <= _MAX_FUZZY) or _CJK.search(key):
        return None
    if any(ch.isdigit() for ch in key) or key[0] not in idx.fuzzy:
        return None
    keys, targets = idx.fuzzy[key[0]]
    limit = _max_edits(len(key))
    hits = process.extract(key, keys, scorer=OSA.distance, score_cutoff=limit, limit=None)
    best: dict[str | None, int] = {}
    for choice, distance, position in hits:
        substitution = len(choice) == len(key) and sorted(choice) != sorted(key)
        if len(key) <= 7 and substitution:
            continue
        target = targets[position]
        best[target] = min(distance, best.get(target, distance))
    if not best:
        return None
    ranked = sorted(best.values())
    if len(ranked) > 1 and ranked[1] <= ranked[0]:
        return None
    return min(best, key=lambda t: best[t])  # None when the closest name is itself ambiguous


def resolve_country(text: str) -> str | None:
    """The alpha-2 code a piece of text names, or None when unknown, junk or ambiguous.

    Tries, in order: the whole text exactly; its parts ('Shanghai, China', 'Germany (DE)',
    'China / 中国') exactly, if they agree on one country; then a typo-tolerant match.
    """
    if not isinstance(text, str):
        return None
    raw = text.strip()
    if not raw or len(raw) > _MAX_INPUT:
        return None
    idx = _index()
    found, code = _exact(raw, idx)
    if found:
        return code

    parts = {_PARENS.sub("", raw).strip(), *_SEGMENTS.split(raw)} - {raw, ""}
    hits = {code for found, code in (_exact(part, idx) for part in parts) if found}
    if hits:
        return hits.pop() if len(hits) == 1 else None  # parts disagree, or one is ambiguous
    return _fuzzy(_key(raw), idx)


def _prefix_scores(key: str, idx: _Index) -> list[tuple[int, _Alias]]:
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

    Exact matches score 100 (an ambiguous name lists every country it may mean), then names that
    start with the input ('ja' → Japan, '西' → 西班牙), then typo-tolerant matches.
    """
    if not isinstance(text, str) or limit <= 0:
        return []
    raw = text.strip()[:_MAX_INPUT]
    key = _key(raw)
    if not key:
        return []
    idx = _index()
    ui = ui_language(lang)
    scored: list[tuple[int, _Alias]] = []
    code = _code_hit(raw, idx)
    if code:
        scored.append((100, _Alias(raw, code, "*", 0)))
    scored += [(100, alias) for alias in idx.by_key.get(key, ())]
    scored += _prefix_scores(key, idx)
    if len(key) >= 4 and not _CJK.search(key):
        for choice, ratio, _ in process.extract(
            key, idx.fuzzy_all, scorer=fuzz.ratio, score_cutoff=70, limit=limit * 3
        ):
            scored += [(round(ratio * 0.75), alias) for alias in idx.by_key[choice]]

    best: dict[str, tuple[int, int, _Alias]] = {}
    for score, alias in scored:
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
