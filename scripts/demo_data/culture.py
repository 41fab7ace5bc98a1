"""How people are named in one culture, and how a name turns into an ASCII mailbox.

A name is kept as a pair (as written locally, in Latin letters) so that one draw gives both
what the CRM shows ('佐藤 健') and what the company's mail server uses ('ken.sato').
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

Name = tuple[str, str]  # (native spelling, Latin spelling)


def latin(text: str) -> tuple[Name, ...]:
    """'Jürgen, Anne-Marie' → (('Jürgen', 'Jürgen'), ...): Latin-script names are their own
    transliteration (accents are folded later, when a mailbox is built)."""
    return tuple((w.strip(), w.strip()) for w in text.split(",") if w.strip())


def pairs(text: str) -> tuple[Name, ...]:
    """'王:Wang, 李:Li' → (('王', 'Wang'), ('李', 'Li'))."""
    out = []
    for item in text.split(","):
        if item.strip():
            native, _, roman = item.strip().partition(":")
            out.append((native.strip(), roman.strip()))
    return tuple(out)


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
    Latin letters (1.0 for Latin-script cultures, where both are the same).
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
