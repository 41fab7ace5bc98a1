"""Someone on file with the same name at the same company: most likely the same customer.

A business card with a new e-mail is the common case at a booth: nothing the kiosk matches
exactly (e-mail, phone, badge id) finds the customer, and the lead was filed as a new
visitor, routed by territory to a second salesperson, with no word to the manager. The
visit service asks about these contacts as it asks about a shared e-mail
(`VisitService.known_duplicates`).

"Same" is as the booth already folds: the name by `kiosk.text.fold` (case, accents, width,
traditional/simplified Han, runs of spaces), the company by `kiosk.routing.company_key`
(that, plus punctuation and legal forms: 'Iluminaciones Martínez Núñez S.L.' is
'Iluminaciones Martinez Nunez'). Han, kana and hangul names are compared without spaces
('高橋直樹' is '高橋 直樹'). Other names are compared as their words in any order
('Herrmann Annika', as a German or Hungarian card puts the family name first, is 'Annika
Herrmann') and with German umlauts written out ('Mueller' is 'Müller', as on cards and
e-mail addresses without them). Both a name and a company are needed: a name alone is too
weak, and the question goes to a person, who says whether it is the same customer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.fulltext import PREFIX_WIDTH
from kiosk.models import Contact
from kiosk.routing import company_key
from kiosk.store import CONTACT_COLUMNS, contact_from_values
from kiosk.text import fold

if TYPE_CHECKING:
    import sqlite_utils

# Contacts read per spelling of the name, at most: people with one full name (the
# candidates, before the company is compared) are a handful even at a million contacts.
SCAN = 200
# `search` starts with the folded name (`contact_rows.contact_search_text`): the
# contacts_name_prefix index (its first PREFIX_WIDTH characters) finds every candidate.
_SHORT = (
    f"SELECT {CONTACT_COLUMNS} FROM contacts WHERE substr(search, 1, {PREFIX_WIDTH}) >= ?"
    f" AND substr(search, 1, {PREFIX_WIDTH}) < ? LIMIT {SCAN}"
)
_LONG = (
    f"SELECT {CONTACT_COLUMNS} FROM contacts WHERE substr(search, 1, {PREFIX_WIDTH}) = ?"
    f" AND substr(search, 1, ?) = ? LIMIT {SCAN}"
)


def _cjk(text: str) -> bool:
    return any(
        "\u2e80" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af" or "\uf900" <= ch <= "\ufaff"
        for ch in text
    )


# German umlauts written out, as `fold` leaves them ('mueller'; 'müller' folds to 'muller').
_WRITTEN_OUT = (("ae", "a"), ("oe", "o"), ("ue", "u"))


def _plain(word: str) -> str:
    for pair, letter in _WRITTEN_OUT:
        word = word.replace(pair, letter)
    return word


def name_key(name: str | None) -> str:
    """The name as namesakes compare it: folded; a CJK name without its spaces, any other
    as its words in order, umlauts written out read as folded ones."""
    folded = fold(name)
    if _cjk(folded):
        return folded.replace(" ", "")
    return " ".join(sorted(_plain(w) for w in folded.replace(",", " ").split()))


def _spellings(folded: str) -> list[str]:
    """How `search` may start for this name: as typed; for a CJK name of 2-6 characters
    also unspaced and split after its one- or two-character family name; for another of
    2-4 words also with the last word first or the first last, and umlauts written out
    read as folded ones (each word's `search` prefix is the folded name as stored)."""
    out = [folded]
    if _cjk(folded):
        bare = folded.replace(" ", "")
        out.append(bare)
        if 2 <= len(bare) <= 6:
            out += [bare[:k] + " " + bare[k:] for k in (1, 2) if k < len(bare)]
        return list(dict.fromkeys(out))
    words = folded.replace(",", " ").split()[:6]  # 'MARTÍNEZ, José': the family name first
    # each word as typed or with its umlauts folded ('Joel Mueller' is 'Joel Müller', not
    # 'Jol'): at most 2**3 forms
    forms: list[list[str]] = [[]]
    for i, word in enumerate(words):
        plain = _plain(word) if i < 3 else word
        forms = [f + [w] for f in forms for w in dict.fromkeys((word, plain))]
    for form in list(forms):
        if 2 <= len(form) <= 4:
            forms += [form[-1:] + form[:-1], form[1:] + form[:1]]
    out += [" ".join(form) for form in forms]
    return list(dict.fromkeys(out))


def namesakes(
    db: sqlite_utils.Database, name: str, company: str, *, limit: int = 3
) -> list[Contact]:
    """Contacts with this name at this company (see the module docstring), CRM ones
    first; [] without a name or a company."""
    key, firm = name_key(name), company_key(company)
    if not key or not firm:
        return []
    found: dict[str, tuple[bool, Contact]] = {}
    for spelling in _spellings(fold(name)):
        start = spelling + " "  # the name ends here; the company follows in `search`
        if len(start) > PREFIX_WIDTH:
            args: list[object] = [start[:PREFIX_WIDTH], len(start), start]
            rows = db.conn.execute(_LONG, args).fetchall()
        else:
            rows = db.conn.execute(_SHORT, [start, start + "\U0010ffff"]).fetchall()
        for row in rows:
            c = contact_from_values(row)
            if name_key(c.name) == key and company_key(c.company) == firm and c.id:
                found.setdefault(c.id, (c.source == "booth", c))
    ordered = sorted(found.values(), key=lambda pair: pair[0])
    return [c for _, c in ordered][:limit]
