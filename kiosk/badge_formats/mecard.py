"""MECARD (NTT DoCoMo, the common business-card QR), BIZCARD and the KDDI/AU address book.

MECARD and BIZCARD are 'PREFIX:KEY:value;KEY:value;;' with '\\;', '\\:', '\\,' and '\\\\'
escapes. MECARD's N is 'family,given' (or one written name); UID is the registration id; its
ADR is, by the DoCoMo spec, seven comma-separated parts ending in the country, though
generators often write a free-text address instead, so the last part is only tried as a
country hint there. BIZCARD splits the name into N (first) and X (last).

The KDDI/AU address book is one 'KEY:value' per line: 'MEMORY:' (a note, and the marker of the
format), 'NAME1:' (the name), 'NAME2:' (its reading), 'TEL1:'…'TEL3:', 'MAIL1:'…'MAIL3:',
'ADD:'. It is read as a contact card of kind 'mecard' (payload_format 'kddi-au'), so the kiosk
treats it like the other card QR codes.
"""

from __future__ import annotations

import re

from kiosk.badge_formats.draft import Draft, join_name, one_line
from kiosk.badge_formats.vcard_lines import split_unescaped, unescape

_MAX_ITEMS = 256  # a real card has a few dozen fields; the rest of a padded one is ignored
_MAX_PARTS = 16  # of a comma list (a name, an address); the rest stays in the last part
_KDDI_RE = re.compile(r"^[ \t]*MEMORY:", re.M | re.I)
_KDDI_KEY_RE = re.compile(r"^(NAME[12]|TEL[1-3]|MAIL[1-3]|ADD|MEMORY)$")


def is_mecard(text: str) -> bool:
    return text[:7].upper() == "MECARD:"


def is_bizcard(text: str) -> bool:
    return text[:8].upper() == "BIZCARD:"


def fields(body: str) -> dict[str, list[str]]:
    """'N:Doe,John;TEL:1;TEL:2;;' → {'N': ['Doe,John'], 'TEL': ['1', '2']} (still escaped)."""
    out: dict[str, list[str]] = {}
    items = [item for item in split_unescaped(body, ";", maxsplit=4 * _MAX_ITEMS) if item]
    for item in items[:_MAX_ITEMS]:
        key, colon, value = item.partition(":")
        key = key.strip().upper()
        if colon and key:
            out.setdefault(key, []).append(value.strip())
    return out


def _first(found: dict[str, list[str]], *keys: str) -> str:
    for key in keys:
        for value in found.get(key, []):
            text = one_line(unescape(value))
            if text:
                return text
    return ""


def parse_mecard(text: str) -> Draft:
    found = fields(text[7:])
    draft = Draft(kind="mecard")
    for raw in found.get("N", []):
        parts = [one_line(unescape(p)) for p in split_unescaped(raw, ",", maxsplit=_MAX_PARTS)]
        if len(parts) >= 2:
            draft.name = join_name(given=" ".join(parts[1:]), family=parts[0])
        else:
            draft.name = parts[0]
        if draft.name:
            break
    draft.email = _first(found, "EMAIL")
    draft.phone = _first(found, "TEL", "TEL-AV")
    draft.company = _first(found, "ORG")
    draft.title = _first(found, "TITLE")
    draft.url = _first(found, "URL")
    draft.badge_id = _first(found, "UID") or None
    for raw in found.get("ADR", []):
        parts = [one_line(unescape(p)) for p in split_unescaped(raw, ",", maxsplit=_MAX_PARTS)]
        if len(parts) == 7:
            draft.city, draft.country_text = parts[3], parts[6]
        elif len(parts) > 1:
            draft.country_hints.append(parts[-1])
        elif "," in parts[0]:
            # A free-text address whose commas the generator escaped ('Madrid\\, Spain', as
            # the spec asks of a comma inside a part): its last piece is the country hint.
            draft.country_hints.append(parts[0].rsplit(",", 1)[1].strip())
        if draft.city or draft.country_text or draft.country_hints:
            break
    if not draft.name:
        for key, label in (("NICKNAME", "nickname"), ("SOUND", "name reading"), ("ORG", "company")):
            value = _first(found, key)
            if value:
                draft.name = value
                draft.warnings.append(f"no name on the card; showing its {label}")
                break
        else:
            draft.warnings.append("no name on the card")
    return draft


def parse_bizcard(text: str) -> Draft:
    found = fields(text[8:])
    draft = Draft(kind="bizcard")
    draft.name = join_name(given=_first(found, "N"), family=_first(found, "X"))
    draft.title = _first(found, "T")
    draft.company = _first(found, "C")
    draft.phone = _first(found, "B", "M")
    draft.email = _first(found, "E")
    address = [
        one_line(unescape(p))
        for p in split_unescaped(found.get("A", [""])[0], ",", maxsplit=_MAX_PARTS)
    ]
    if len(address) > 1:
        draft.country_hints.append(address[-1])
    if not draft.name:
        if draft.company:
            draft.name = draft.company
            draft.warnings.append("no name on the card; showing its company")
        else:
            draft.warnings.append("no name on the card")
    return draft


def is_kddi(text: str) -> bool:
    """A 'MEMORY:' line, which the KDDI/AU format always has (empty or not)."""
    return bool(_KDDI_RE.search(text))


def parse_kddi(text: str) -> Draft:
    found: dict[str, str] = {}
    for line in text.split("\n")[:_MAX_ITEMS]:
        key, colon, value = line.partition(":")
        key = key.strip().upper()
        if colon and _KDDI_KEY_RE.match(key) and key not in found:
            found[key] = one_line(value)
    draft = Draft(kind="mecard", payload_format="kddi-au")
    draft.name = found.get("NAME1", "")
    draft.phone = next((found[k] for k in ("TEL1", "TEL2", "TEL3") if found.get(k)), "")
    draft.email = next((found[k] for k in ("MAIL1", "MAIL2", "MAIL3") if found.get(k)), "")
    address = [p.strip() for p in found.get("ADD", "").split(",")]
    if len(address) > 1 and address[-1]:
        draft.country_hints.append(address[-1])
    if not draft.name:
        if found.get("NAME2"):
            draft.name = found["NAME2"]
            draft.warnings.append("no name on the card; showing its name reading")
        else:
            draft.warnings.append("no name on the card")
    return draft
