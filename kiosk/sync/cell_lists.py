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

A cell may also hold something beside its addresses or numbers that is neither
(`ann@acme.example, not-an-email`; `+49 171 1111111 / call me`): what is readable is
kept, and `unread_addresses` and `number_parts` give the rest, which the import names in
its warnings instead of dropping it unseen. A name is not such a part: the words before
an address in angle brackets (`Berg, Anna <anna@x.example>`), a quoted name and a
bracketed comment belong to the address.
"""

from __future__ import annotations

import re
from collections.abc import Callable

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


# What an e-mail cell is made of, for `unread_addresses`: a bracketed comment (skipped:
# an address's), an address in angle brackets (group 1), a separator between items
# (group 2: ';' or '|'; group 3: a comma, which a name may hold too: 'Berg, Anna
# <a@x.example>'), a quoted name (group 4), a word (group 5: '/' between two addresses
# separates them, as between words; 'n/a' is one word). Whitespace, stray quotes or
# brackets match nothing.
_PARTS = re.compile(r'\([^()]*\)|<([^<>]*)>|([;|])|(,)|("[^"]*")|([^\s;,|<>"()]+)')


def _is_address(word: str) -> bool:
    return bool(normalize_email(word.strip("\"'()[]")))  # (stripped as `addresses` strips it)


def _named(words: list[str]) -> bool:
    """Whether words can be a name: one of them has a letter ('???' is no name)."""
    return any(ch.isalpha() for word in words for ch in word)


def unread_addresses(text: str) -> list[str]:
    """The parts of an e-mail cell that are no address and no address's name, in order:
    'ann@acme.example, not-an-email' → ['not-an-email']; 'a@x.example; ???' → ['???'];
    'Berg, Anna <anna@x.example>' → []. Words between separators form one part
    ('a@x.example; call me' → ['call me']). The name of an address in angle brackets is
    the words before it since the last comma, if one has a letter, and one such word
    before that comma ('Berg, Anna'; not after a quoted name): a part before a comma
    that is one word with a letter, then a name and its address ('tbd, Anna
    <a@x.example>'), is read as that name's.
    Only asked about a cell that holds an address besides something else
    (`contact_fields.Converter`): never for a plain one."""
    out: list[str] = []
    pending: list[list[str]] = [[]]  # words since the last address or ';', by comma

    def unread() -> None:
        out.extend(" ".join(words) for words in pending if words)
        pending[:] = [[]]

    def word_(word: str) -> None:
        if _is_address(word):
            unread()
        elif word:
            pending[-1].append(word)

    for m in _PARTS.finditer(text):
        angle, hard, comma, quoted, word = m.groups()
        if quoted is not None:  # a name, if an address in angle brackets follows
            if addresses(quoted):  # '"a@x.example"'
                unread()
            else:
                pending[-1].append(quoted)
        elif word is not None:
            pieces = word.split("/")
            if not word.strip("/"):  # ' / ' between items
                unread()
            elif len(pieces) > 1 and any(map(_is_address, pieces)):
                for k, piece in enumerate(pieces):  # 'a@x.example/b@x.example', 'a@x.example/?'
                    if k:
                        pending.append([])
                    word_(piece)
            else:
                word_(word)
        elif angle is not None:
            if not addresses(angle):
                pending[-1].append(m.group(0))
                continue
            groups = [g for g in pending if g]
            if groups and _named(groups[-1]):  # its name
                name = groups.pop()
                if name[0][0] != '"' and groups and len(groups[-1]) == 1 and _named(groups[-1]):
                    groups.pop()  # 'Berg, Anna'
            out.extend(" ".join(words) for words in groups)
            pending[:] = [[]]
        elif comma is not None:
            pending.append([])
        elif hard is not None:
            unread()
    unread()
    return out


def number_parts(text: str, country: str | None) -> tuple[list[tuple[str, str]], list[str]]:
    """A phone cell read as several parts ('+49 171 1111111 / +49 89 222', '/', ';', ',',
    '|', ' or ' …): (the number as written, E.164) of each part that is a number, each
    number once, in order; and the parts that are none ('+49 171 1111111 / call me' →
    ['call me'])."""
    found: dict[str, str] = {}
    unread: list[str] = []
    for part in _NUMBERS.split(text):
        if part := part.strip():
            if e164 := normalize_phone(part, country):
                found.setdefault(e164, part)
            else:
                unread.append(part)
    return [(part, e164) for e164, part in found.items()], unread


CELLS = {"email": "e-mail cell", "phone": "phone cell"}
_NOT = {"email": "an e-mail address", "phone": "a phone number"}
_NOTS = {"email": "e-mail addresses", "phone": "phone numbers"}


def unread_text(key: str, parts: list[str], show: Callable[[str], str] = repr) -> str:
    """ "'x' is not an e-mail address", "'x' and '??' are not phone numbers": the parts of
    an e-mail or phone cell (`key`) that are neither, each shown by `show` (`repr`: with
    control characters escaped)."""
    if len(parts) == 1:
        return f"{show(parts[0])} is not {_NOT[key]}"
    return f"{and_list([show(p) for p in parts])} are not {_NOTS[key]}"


def and_list(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" and {items[-1]}"


def numbers(text: str, country: str | None) -> list[tuple[str, str]]:
    """(the number as written, E.164) of each phone number in a cell that holds several
    ('+49 171 1111111 / +49 89 222'), in order; [] unless every part is a number and
    there are two or more (a lone '030/1234567' is one number, read by the caller)."""
    found, unread = number_parts(text, country)
    return [] if unread or sum(1 for p in _NUMBERS.split(text) if p.strip()) < 2 else found
