"""How people are named in one culture, and how a name turns into an ASCII mailbox.

A name is kept as a pair (as written locally, in Latin letters) so that one draw gives both
what the CRM shows ('佐藤 健') and what the company's mail server uses ('ken.sato'). The name
lists are data (names_*.toml and the Chinese character tables beside this module); what is
logic stays here: the female forms of surnames and how the Chinese tables become names.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .tables import DataFileError, Table, build, expand, load_toml, names, pair, read_csv

Name = tuple[str, str]  # (native spelling, Latin spelling)
Names = tuple[Name, ...]


_SPECIAL = str.maketrans(
    {"ß": "ss", "æ": "ae", "Æ": "Ae", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d",
     "Đ": "D", "ı": "i", "œ": "oe", "Œ": "Oe", "þ": "th", "ð": "d", "ħ": "h"}
)  # fmt: skip
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})


def ascii_fold(text: str, umlauts: bool = False) -> str:
    """'Jürgen Weiß' → 'Jurgen Weiss' (or 'Juergen Weiss' the German way)."""
    if umlauts:
        text = text.translate(_UMLAUTS)
    text = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    return "".join(ch for ch in text if ch.isascii() and not unicodedata.combining(ch))


def slug(text: str, sep: str = "", umlauts: bool = False) -> str:
    """Lower-case ASCII letters and digits, words joined by `sep`: 'Müller & Söhne' → 'mullersohne'."""
    text = text.replace("'", "").replace("\u2019", "")
    words = re.findall(r"[a-z0-9]+", ascii_fold(text, umlauts).lower())
    return sep.join(words)


@dataclass(frozen=True)
class Culture:
    """Name lists and conventions of one naming culture.

    `style` says how the parts are put together ('western', 'spanish', 'east', ...);
    `native_share` is how often the CRM holds the name in the local script rather than in
    Latin letters (1.0 for Latin-script cultures, where both are the same). The values come
    from the names_*.toml files beside this module (see `load_cultures`).
    """

    key: str
    language: str
    male: tuple[Name, ...]
    female: tuple[Name, ...]
    family: tuple[Name, ...]
    style: str = "western"
    native_share: float = 1.0
    umlauts: bool = False
    female_family: Callable[[Name], Name] | None = None
    # Western given names people of the culture use at work ('Kelvin' for 陳志明), and how often
    english_male: tuple[str, ...] = ()
    english_female: tuple[str, ...] = ()
    english_share: float = 0.0
    titles: tuple[tuple[str, str], ...] = ()  # local job titles (male form, female form)
    middle_male: tuple[str, ...] = ()  # Vietnamese middle names ('Văn', 'Thị')
    middle_female: tuple[str, ...] = ()
    # surnames that may be joined with 'da' ('Ferreira da Silva'), in Portuguese
    particle_families: tuple[str, ...] = ()


@dataclass(frozen=True)
class Person:
    """One drawn name: what the CRM shows and what a mailbox is built from."""

    name: str
    given: str  # Latin letters, may carry accents
    family: str
    female: bool
    native: bool  # the name is written in a non-Latin script
    culture: str
    language: str
    umlauts: bool = False

    def mailbox_parts(self) -> tuple[str, str]:
        """(given, family) as lower-case ASCII without spaces, for the local part of an email."""
        return slug(self.given, umlauts=self.umlauts), slug(self.family, umlauts=self.umlauts)


# Female forms of gendered surnames ---------------------------------------------------------


def polish_female(name: Name) -> Name:
    """Kowalski → Kowalska; Nowak stays Nowak."""
    n, r = name
    for male, female in (("ski", "ska"), ("cki", "cka"), ("dzki", "dzka")):
        if n.endswith(male):
            return n[: -len(male)] + female, r[: -len(male)] + female
    return name


def czech_female(name: Name) -> Name:
    """Novák → Nováková, Černý → Černá, Procházka → Procházková."""
    n, _ = name
    if n.endswith("ý"):
        f = n[:-1] + "á"
    elif n.endswith("a"):
        f = n[:-1] + "ová"
    else:
        f = n + "ová"
    return f, f


def slavic_female(name: Name) -> Name:
    """Иванов → Иванова, Ivanov → Ivanova; Шевченко stays as it is."""
    n, r = name
    if n.endswith(("ов", "ев", "ин", "ёв")):
        return n + "а", r + "a"
    return name


FEMALE_FAMILY: dict[str, Callable[[Name], Name]] = {
    "polish": polish_female,
    "czech": czech_female,
    "slavic": slavic_female,
}  # the rules a culture's `female_family` may name


# Loading the naming cultures from their data files ------------------------------------------

_NAME_LISTS = ("male", "female", "family", "female_family_forms")
_CHINESE_SCRIPTS = ("simplified", "traditional")  # columns of the character tables
_CHINESE_ROMANISATIONS = ("pinyin", "cantonese", "taiwanese")
_STR_LISTS = ("english_male", "english_female", "middle_male", "middle_female",
              "particle_families")  # fmt: skip


def load_cultures(filename: str | Path) -> tuple[Culture, ...]:
    """The cultures of one names_*.toml file, in the file's order.

    Each [cultures.KEY] table holds the fields of `Culture` under the same names, as plain
    data: name lists as "native:Latin" strings, `titles` as "Title" or ["male", "female"],
    `female_family` as the name of a rule in FEMALE_FAMILY, or `female_family_forms` (the
    female surnames in the order of `family`, for languages without a rule, like Greek), and
    for the Chinese cultures `characters` = {script, surnames} instead of the three name
    lists (see `chinese_names`). An "@key" item stands for the array `key` of [lists].
    """
    data = load_toml(filename)
    lists: Table = data.get("lists", {})
    return tuple(
        _culture(key, entry, lists, f"{filename} [cultures.{key}]")
        for key, entry in data["cultures"].items()
    )


def _culture(key: str, entry: Table, lists: Table, where: str) -> Culture:
    raw: Table = {
        k: expand(v, lists, where) if isinstance(v, list) else v for k, v in entry.items()
    }
    fields: dict[str, Any] = {k: names(raw[k]) for k in _NAME_LISTS if k in raw}
    fields |= {k: tuple(raw[k]) for k in _STR_LISTS if k in raw}
    if "titles" in raw:
        fields["titles"] = tuple(pair(t, where) for t in raw["titles"])
    if "characters" in raw:
        chars: Table = raw.pop("characters")
        fields["male"], fields["female"], fields["family"] = chinese_names(
            chars.get("script", ""), chars.get("surnames", "")
        )
    if "female_family" in raw:
        if raw["female_family"] not in FEMALE_FAMILY:
            raise DataFileError(f"{where}: no female surname rule {raw['female_family']!r}")
        fields["female_family"] = FEMALE_FAMILY[raw["female_family"]]
    if "female_family_forms" in raw:
        female = dict(zip(fields["family"], fields.pop("female_family_forms"), strict=True))
        fields["female_family"] = female.__getitem__
        del raw["female_family_forms"]
    return build(Culture, raw, where, key=key, **fields)


def chinese_names(script: str, surnames: str) -> tuple[Names, Names, Names]:
    """(male, female, family) names of one Chinese-speaking place, from the character tables.

    One table serves the mainland, Taiwan and Hong Kong because a name is the same characters
    written in another `script` ('simplified' or 'traditional') and romanised another way:
    a Hong Kong buyer is 'Chan' ('cantonese'), a Beijing one 'Chen' ('pinyin'), a Taipei one
    'Chen' again ('taiwanese'). Given names are romanised in pinyin everywhere.
    """
    if script not in _CHINESE_SCRIPTS or surnames not in _CHINESE_ROMANISATIONS:
        raise DataFileError(f"no Chinese names in script {script!r} with {surnames!r} surnames")
    given = read_csv("chinese_given_names.csv")
    family = tuple((row[script], row[surnames]) for row in read_csv("chinese_surnames.csv"))

    def of(sex: str) -> Names:
        return tuple((row[script], row["pinyin"]) for row in given if row["sex"] == sex)

    return of("m"), of("f"), family
