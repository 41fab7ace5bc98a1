"""Drawing a person's name in a culture, written the way that culture writes it."""

from __future__ import annotations

import unicodedata
from random import Random

from .culture import Culture, Name, Person, ascii_fold, load_cultures

# The name lists are data, in names_*.toml beside this module; this module holds how a name
# is drawn from them and written.
CULTURES: dict[str, Culture] = {
    c.key: c
    for filename in ("names_europe.toml", "names_asia.toml", "names_other.toml")
    for c in load_cultures(filename)
}


def make_person(
    culture_key: str, rng: Random, *, latin_only: bool = False, double_surname: float = 0.8
) -> Person:
    """One person of `culture_key`.

    `latin_only` forces a Latin-script name (a Japanese buyer living in Düsseldorf);
    `double_surname` is how often a Spanish-speaking name carries both surnames (most in
    Spain and Mexico, fewer in Argentina).
    """
    c = CULTURES[culture_key]
    female = rng.random() < 0.38
    given = rng.choice(c.female if female else c.male)
    family = rng.choice(c.family)
    if female and c.female_family is not None:
        family = c.female_family(family)
    native = c.native_share > rng.random() and not latin_only
    english = ""
    if c.english_share and rng.random() < c.english_share:
        english = rng.choice(c.english_female if female else c.english_male)
    style = _STYLES[c.style]
    name, given_latin, family_latin = style(c, rng, given, family, native, english, double_surname)
    script_native = not is_latin(name)
    return Person(
        name=name,
        given=given_latin,
        family=family_latin,
        female=female,
        native=script_native,
        culture=c.key,
        language=c.language,
        umlauts=c.umlauts,
    )


def is_latin(text: str) -> bool:
    """Whether every letter of `text` is a Latin letter (accents allowed)."""
    return all(
        ch.isascii() or not ch.isalpha() or unicodedata.name(ch, "").startswith("LATIN")
        for ch in text
    )


Parts = tuple[str, str, str]


def _western(c: Culture, rng: Random, g: Name, f: Name, native: bool, en: str, _: float) -> Parts:
    if native:
        return f"{g[0]} {f[0]}", g[1], f[1]
    return f"{g[1]} {f[1]}", g[1], f[1]


def _hungarian(c: Culture, rng: Random, g: Name, f: Name, native: bool, en: str, _: float) -> Parts:
    return f"{f[0]} {g[0]}", g[1], f[1]


def _spanish(c: Culture, rng: Random, g: Name, f: Name, native: bool, en: str, dbl: float) -> Parts:
    if rng.random() < dbl:
        second = rng.choice(c.family)
        if second != f:
            return f"{g[0]} {f[0]} {second[0]}", g[1], f[1]
    return f"{g[0]} {f[0]}", g[1], f[1]


def _portuguese(
    c: Culture, rng: Random, g: Name, f: Name, native: bool, en: str, _: float
) -> Parts:
    if rng.random() < 0.55:
        first = rng.choice(c.family)
        if first != f:
            join = " da " if f[0] in c.particle_families and rng.random() < 0.4 else " "
            return f"{g[0]} {first[0]}{join}{f[0]}", g[1], f[1]
    return f"{g[0]} {f[0]}", g[1], f[1]


def _east(c: Culture, rng: Random, g: Name, f: Name, native: bool, en: str, _: float) -> Parts:
    """王伟 / 김민준 in the local script; 'Wang Wei', 'Minjun Kim' or 'Jack Wang' in Latin."""
    given_latin = en or g[1]
    if native:
        return f"{f[0]}{g[0]}", given_latin, f[1]
    if en:
        return f"{en} {f[1]}", en, f[1]
    if c.language == "zh":
        return f"{f[1]} {g[1]}", g[1], f[1]
    return f"{g[1]} {f[1]}", g[1], f[1]


def _east_latin(
    c: Culture, rng: Random, g: Name, f: Name, native: bool, en: str, _: float
) -> Parts:
    """Singapore/Malaysia: 'Tan Wei Ming', or 'Jason Tan Wei Ming' with an English name."""
    if en:
        full = rng.random() < 0.5
        return (f"{en} {f[1]} {g[1]}" if full else f"{en} {f[1]}"), en, f[1]
    return f"{f[1]} {g[1]}", g[1], f[1]


def _japanese(c: Culture, rng: Random, g: Name, f: Name, native: bool, en: str, _: float) -> Parts:
    if native:
        return f"{f[0]} {g[0]}", g[1], f[1]
    return f"{g[1]} {f[1]}", g[1], f[1]


def _vietnamese(
    c: Culture, rng: Random, g: Name, f: Name, native: bool, en: str, _: float
) -> Parts:
    female = g in c.female
    middle = rng.choice(c.middle_female if female else c.middle_male)
    name = f"{f[0]} {middle} {g[0]}"
    if rng.random() < 0.25:  # typed on a keyboard without Vietnamese input
        name = ascii_fold(name)
    return name, g[1], f[1]


def _indonesian(
    c: Culture, rng: Random, g: Name, f: Name, native: bool, en: str, _: float
) -> Parts:
    if rng.random() < 0.3:  # many Indonesians have a single name
        return g[0], g[1], ""
    return f"{g[0]} {f[0]}", g[1], f[1]


def _malay(c: Culture, rng: Random, g: Name, f: Name, native: bool, en: str, _: float) -> Parts:
    """'Ahmad Faiz bin Ismail': the second part is the father's name, not a surname."""
    link = "binti" if g in c.female else "bin"
    return f"{g[0]} {link} {f[0]}", g[1].split()[-1], f[1]


_STYLES = {
    "western": _western,
    "hungarian": _hungarian,
    "spanish": _spanish,
    "portuguese": _portuguese,
    "east": _east,
    "east_latin": _east_latin,
    "japanese": _japanese,
    "vietnamese": _vietnamese,
    "indonesian": _indonesian,
    "malay": _malay,
}


def local_title(person: Person, rng: Random) -> str:
    """A job title in the person's own language, or '' when the culture has none listed."""
    c = CULTURES[person.culture]
    if not c.titles:
        return ""
    male, female = rng.choice(c.titles)
    return female if person.female else male
