"""Plain text, the last resort: keep it, and pick out what is unmistakable.

A business-card QR is sometimes just lines of text ('Ana Ruiz\\nAcme\\nana@acme.es'); an
e-mail address, a URL and an international phone number can be found in any of them. The first
line is taken as the name only when the text has several lines and some contact detail, so that
a stray scan of random text never shows up as a visitor's name. A link that hides its host
behind a user name ('http://bank.example@evil.example') is never picked out.
"""

from __future__ import annotations

import itertools
import re

from kiosk.badge_formats.draft import Draft, one_line
from kiosk.badge_formats.geo import phone_facts
from kiosk.badge_formats.ids import fill_from_keys, labelled_fields
from kiosk.badge_formats.uris import url_refusal

_NAME_ADDR_RE = re.compile(r'^\s*"?([^"<>@\n]{1,80}?)"?\s*<([^<>\s]+@[^<>\s]+)>\s*$')
_EMAIL_RE = re.compile(r"(?<![\w.%+-])[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?![\w-])")
_SWAPPED_RE = re.compile(r"(?<![\w.%+\"-])[\w.%+-]+\"[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?![\w\"-])")
_URL_RE = re.compile(r"(?i)\b(?:https?://|www\.)[^\s<>\"]+")
_SCAN_LIMIT = 2000  # characters searched for contact details; badges are far shorter
# '+CC' and a number written with spaces, dots, dashes, slashes or brackets, on one line.
_PHONE_CANDIDATE_RE = re.compile(r"(?<![\w+])\+\d[ \t\d().\-/]{4,24}\d")
_PHONE_TRIES = 5
NOT_RECOGNISED = "not a recognised badge format; kept as text"


def parse_text(text: str) -> Draft:
    draft = Draft(kind="text")
    m = _NAME_ADDR_RE.match(text)
    if m:
        draft.name, draft.email = one_line(m.group(1)), m.group(2)
        return draft
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    if (labelled := labelled_fields(lines[:50])) is not None:
        fill_from_keys(draft, labelled)  # 'Name: Ana\nCompany: Acme\n...'
        return draft
    head = text[:_SCAN_LIMIT]
    if found := _EMAIL_RE.search(head):
        draft.email = found.group(0)
    elif found := _SWAPPED_RE.search(head):
        draft.email = found.group(0)
    if found := _URL_RE.search(head):
        url = found.group(0).rstrip(".,;)")
        if (refusal := url_refusal(url)) is None:
            draft.url = url
        else:
            draft.warnings.append(refusal)
    draft.phone = _first_phone(head)
    if len(lines) > 1 and (draft.email or draft.phone):
        first = lines[0]
        letters = sum(ch.isalpha() for ch in first)
        if 0 < len(first) <= 60 and letters * 2 >= len(first) and "@" not in first:
            draft.name = one_line(first)
            draft.warnings.append("name taken from the first line of plain text")
    if not (draft.email or draft.phone or draft.url or draft.name):
        draft.warnings.append(NOT_RECOGNISED)
    return draft


def _first_phone(text: str) -> str:
    """The first valid number written in international form (+CC ...) anywhere in the text."""
    if "+" not in text:
        return ""
    for m in itertools.islice(_PHONE_CANDIDATE_RE.finditer(text), _PHONE_TRIES):
        facts = phone_facts(m.group(0))  # phonenumbers, imported late: only free text needs it
        if facts is not None and facts[0]:
            return m.group(0).strip()
    return ""
