"""Cells that hold more than one address or number, as CRM exports and people write them.

A CRM field meant for one e-mail often holds two (`a1@x.example; b1@x.example`), or the
address with its owner's name (`Anna Berg <anna@x.example>`, Outlook's form); a phone
field two numbers (`+49 171 1111111 / +49 89 222`). Read as one address or number they
were no address and no number at all: the customer, scanned or checked in by either,
became a walk-in routed to whoever covers the country.

`addresses` and `numbers` read such a cell: the first is the contact's e-mail or phone,
and the others are kept as further keys that find the contact too (`contact_keys`,
asked by `kiosk.lookup` when the contacts' own columns know nobody by a key). They are
only asked about a cell that is not one address or number already, so a CRM export's
ordinary row costs nothing more.
"""

from __future__ import annotations

import re

from kiosk.phones import normalize_phone
from kiosk.text import normalize_email

_ANGLE = re.compile(r"<([^<>]*)>")
_WORDS = re.compile(r"[\s;,|/]+")
# what separates two numbers in one cell: '/', ';', ',', '|', ' or ', ' oder ', ' o '
_NUMBERS = re.compile(r"\s*[;,|/]\s*|\s+(?:or|oder|ou|o|y|et|und|and)\s+", re.I)
SEPARATED = re.compile(r"[;,|/]|\s(?:or|oder|ou|o|y|et|und|and)\s", re.I)


def addresses(text: str) -> list[tuple[str, str]]:
    """(the address as written, normalised) of each e-mail address in a cell, in order,
    each once: 'Anna <a@x.example>' → [('a@x.example', 'a@x.example')];
    'a1@x.example; b1@x.example' → both. [] when the cell holds none."""
    out: dict[str, str] = {}
    for word in _WORDS.split(_ANGLE.sub(r" \1 ", text)):  # (a name's words are no address)
        word = word.strip().strip("\"'()[]")
        norm = normalize_email(word)
        if norm and norm not in out:
            out[norm] = word
    return [(written, norm) for norm, written in out.items()]


def numbers(text: str, country: str | None) -> list[tuple[str, str]]:
    """(the number as written, E.164) of each phone number in a cell that holds several
    ('+49 171 1111111 / +49 89 222'), in order; [] unless every part is a number and
    there are two or more (a lone '030/1234567' is one number, read by the caller)."""
    parts = [p.strip() for p in _NUMBERS.split(text) if p.strip()]
    if len(parts) < 2:
        return []
    out = [(p, normalize_phone(p, country)) for p in parts]
    if not all(e164 for _, e164 in out):
        return []
    return list({e164: (p, e164) for p, e164 in reversed(out)}.values())[::-1]
