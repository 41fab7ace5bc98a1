"""MECARD (NTT DoCoMo, the common business-card QR) and BIZCARD → Draft.

Both are 'PREFIX:KEY:value;KEY:value;;' with '\\;', '\\:', '\\,' and '\\\\' escapes. MECARD's
N is 'family,given'; its ADR is, by the DoCoMo spec, seven comma-separated parts ending in the
country, though generators often write a free-text address instead, so the last part is only
tried as a country hint there. BIZCARD splits the name into N (first) and X (last).
"""

from __future__ import annotations

from kiosk.badge_formats.draft import Draft, join_name, one_line
from kiosk.badge_formats.vcard_lines import split_unescaped, unescape


def is_mecard(text: str) -> bool:
    return text[:7].upper() == "MECARD:"


def is_bizcard(text: str) -> bool:
    return text[:8].upper() == "BIZCARD:"


def fields(body: str) -> dict[str, list[str]]:
    """'N:Doe,John;TEL:1;TEL:2;;' → {'N': ['Doe,John'], 'TEL': ['1', '2']} (still escaped)."""
    out: dict[str, list[str]] = {}
    for item in split_unescaped(body, ";"):
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
        parts = [one_line(unescape(p)) for p in split_unescaped(raw, ",")]
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
        parts = [one_line(unescape(p)) for p in split_unescaped(raw, ",")]
        if len(parts) == 7:
            draft.city, draft.country_text = parts[3], parts[6]
        elif len(parts) > 1:
            draft.country_hints.append(parts[-1])
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
    address = [one_line(unescape(p)) for p in split_unescaped(found.get("A", [""])[0], ",")]
    if len(address) > 1:
        draft.country_hints.append(address[-1])
    if not draft.name:
        if draft.company:
            draft.name = draft.company
            draft.warnings.append("no name on the card; showing its company")
        else:
            draft.warnings.append("no name on the card")
    return draft
