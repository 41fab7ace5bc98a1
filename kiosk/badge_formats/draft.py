"""The mutable record a format reader fills in, and the small text helpers they share.

Readers work on a `Draft` rather than on the frozen `Badge` so that each can fill fields in
whatever order its format presents them, and so that the finishing steps (country resolution,
e-mail repair, warnings) live in one place instead of in every reader.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

EMAIL_RE = re.compile(r"^[^\s@\"<>(),;:]+@[^\s@\"<>(),;:]+\.[^\s@\"<>(),;:.]{2,}$")
# What an address looks like when a US-layout scanner types into a UK-layout host (or the
# reverse): Shift+2 and Shift+' trade places, so '@' arrives as '"'.
SWAPPED_EMAIL_RE = re.compile(r"^[^\s@\"<>(),;:]+\"[^\s@\"<>(),;:]+\.[^\s@\"<>(),;:.]{2,}$")
SWAP_WARNING = "e-mail had '\"' where '@' belongs (scanner keyboard layout); fixed"

# Scripts whose personal names are written family-name first with no space (王小明, 김민수).
_FAMILY_FIRST_SCRIPTS = ("CJK", "HIRAGANA", "KATAKANA", "HANGUL")


@dataclass
class Draft:
    """What one reader recognised, before the finisher turns it into a `Badge`.

    `country_text` is a country field the payload declared (a warning if it cannot be
    resolved); `country_hints` are guesses such as an address's last line, tried silently.
    `payload_format` names the exact family when `kind` is broader ('kddi-au' is read as a
    contact card of kind 'mecard', 'mebkm' as a 'url'); `layout` and `inferred` describe how a
    delimited badge's columns were read; `display_name` is the name as the card formats it.
    """

    kind: str
    badge_id: str | None = None
    name: str = ""
    email: str = ""
    phone: str = ""
    company: str = ""
    title: str = ""
    url: str = ""
    country_text: str = ""
    country_hints: list[str] = field(default_factory=list)
    city: str = ""
    token: str | None = None
    warnings: list[str] = field(default_factory=list)
    display_name: str = ""
    payload_format: str = ""
    layout: tuple[str, ...] = ()
    inferred: bool = False


def looks_like_email(text: str) -> bool:
    """True for a plausible address (one '@', a dotted domain); never for a swapped one."""
    return bool(EMAIL_RE.match(strip_mailto(text)))


def looks_like_swapped_email(text: str) -> bool:
    """True for 'john"example.com': an address whose '@' the keyboard layout turned into '"'."""
    return bool(SWAPPED_EMAIL_RE.match(strip_mailto(text)))


def strip_mailto(text: str) -> str:
    t = text.strip().strip("<>").strip()
    return t[7:].strip() if t[:7].lower() == "mailto:" else t


def repair_email(text: str) -> tuple[str, bool]:
    """Trim an address and undo the '@'/'"' layout swap; returns (address, was_swapped)."""
    t = strip_mailto(text)
    if looks_like_swapped_email(t):
        return t.replace('"', "@"), True
    return t, False


def one_line(text: str) -> str:
    """Collapse all whitespace (including line breaks inside a field) to single spaces."""
    return " ".join(text.split())


def is_family_first(text: str) -> bool:
    """True when the text is written in a script that puts the family name first (judged on
    its first 256 characters: a name is never longer)."""
    letters = [ch for ch in text[:256] if ch.isalpha()]
    if not letters:
        return False
    return all(unicodedata.name(ch, "").startswith(_FAMILY_FIRST_SCRIPTS) for ch in letters)


def join_name(given: str, family: str, middle: str = "") -> str:
    """'John' + 'Doe' → 'John Doe'; '小明' + '王' → '王小明' (family first, no space)."""
    given, family, middle = one_line(given), one_line(family), one_line(middle)
    if family and (given or middle) and is_family_first(family + given + middle):
        return family + given + middle
    return " ".join(p for p in (given, middle, family) if p)


def norm_key(key: str) -> str:
    """'Badge_ID', 'badge-id' and 'badgeId' all become 'badgeid' for key lookups."""
    return "".join(ch for ch in key.casefold() if ch.isalnum())


# Field names used by JSON objects and URL query strings, after `norm_key`.
KEY_ALIASES: dict[str, tuple[str, ...]] = {
    "badge_id": (
        "badgeid",
        "badge",
        "badgeno",
        "badgenumber",
        "regno",
        "registrationnumber",
        "registrationid",
        "registration",
        "regid",
        "reg",
        "attendeeid",
        "ticketid",
        "ticket",
        "barcode",
        "id",
        "uid",
        "code",
    ),
    "name": ("name", "fullname", "displayname", "attendeename", "contactname"),
    "first_name": ("firstname", "givenname", "first", "fname", "forename"),
    "last_name": ("lastname", "familyname", "surname", "last", "lname"),
    "email": ("email", "emailaddress", "mail", "email1", "emails"),
    "company": ("company", "organization", "organisation", "org", "companyname", "employer"),
    "country": ("country", "countrycode", "countryname", "nation"),
    "phone": ("phone", "phonenumber", "mobile", "mobilephone", "tel", "telephone", "cell"),
    "title": ("title", "jobtitle", "position", "designation", "role"),
    "city": ("city", "town", "locality"),
    "url": ("url", "website", "web", "homepage"),
}
