"""JSON badge payloads: an object (or a list holding one) with attendee fields under any of
the usual key spellings ('badgeId', 'badge_id', 'registration_id', 'firstName', ...).

Vendors nest the person one level down ('attendee', 'contact', 'data') and the address another
('address': {'country': 'DE'}), so keys are collected breadth-first: a top-level key wins over
a nested one with the same meaning.
"""

from __future__ import annotations

import json
from typing import Any

from kiosk.badge_formats.draft import KEY_ALIASES, Draft, norm_key
from kiosk.badge_formats.ids import fill_from_keys, invitation_token

_MAX_DEPTH = 4
_LAYOUT_SWAP = str.maketrans({"@": '"', '"': "@"})
_COMPANY_KEYS = frozenset(KEY_ALIASES["company"])
_COUNTRY_KEYS = frozenset(KEY_ALIASES["country"])
_CITY_KEYS = frozenset(KEY_ALIASES["city"])
_NAME_KEYS = frozenset(KEY_ALIASES["name"])
_PERSON_NAME_PARTS = frozenset(KEY_ALIASES["first_name"] + KEY_ALIASES["last_name"])
_ADDRESS_KEYS = frozenset(("address", "addr", "adr", "location", "postaladdress", "mailingaddress"))


def looks_like_json(text: str) -> bool:
    return text[:1] in ("{", "[")


def parse_json(text: str) -> Draft | None:
    """The JSON reading of `text`, or None when it is not a JSON object we can use."""
    warnings: list[str] = []
    data = _load(text)
    if data is None and "@" in text:
        # Typed through the wrong keyboard layout, every '"' became '@' and every '@' a '"'.
        data = _load(text.translate(_LAYOUT_SWAP))
        if data is not None:
            warnings.append("JSON had '@' for every '\"' (scanner keyboard layout); fixed")
    if isinstance(data, list):
        data = next((item for item in data if isinstance(item, dict)), None)
    if not isinstance(data, dict):
        return None
    draft = Draft(kind="json", warnings=warnings)
    by_key = _collect(data)
    fill_from_keys(draft, by_key)
    if not any(name in by_key for aliases in KEY_ALIASES.values() for name in aliases):
        draft.warnings.append("JSON without any known badge field")
    for key in ("token", "invitation", "invite", "invitationtoken"):
        token = invitation_token(by_key.get(key, ""))
        if token:
            draft.token = token
            break
    return draft


def _load(text: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def _collect(data: dict[str, Any]) -> dict[str, str]:
    """Normalised key → text value, breadth-first through nested objects.

    A nested object is read in the light of the key that holds it: under 'company' its 'name'
    is the company, under 'address' only country and city count, under 'country' a 'code' or
    'name' is the country, under 'name' its parts are the person's. Any other object (an
    'attendee' or 'data' wrapper) is read like the top level.
    """
    out: dict[str, str] = {}
    level: list[tuple[str, dict[str, Any]]] = [("", data)]
    for _ in range(_MAX_DEPTH):
        nested: list[tuple[str, dict[str, Any]]] = []
        for parent, obj in level:
            for key, value in obj.items():
                name = _nested_key(parent, norm_key(str(key)))
                text = _as_text(value)
                if name and text and name not in out:
                    out[name] = text
                elif name and isinstance(value, dict):
                    nested.append((name, value))
                elif name and isinstance(value, list):
                    nested.extend((name, v) for v in value if isinstance(v, dict))
        level = nested
        if not level:
            break
    return out


def _nested_key(parent: str, key: str) -> str:
    """The key `key` means inside an object held under `parent` ('' when it means nothing)."""
    if parent in _COMPANY_KEYS:
        return "company" if key in ("name", "displayname", "value", "legalname") else ""
    if parent in _COUNTRY_KEYS:
        return "country" if key in ("code", "alpha2", "iso", "isocode", "name", "value") else ""
    if parent in _ADDRESS_KEYS:
        return key if key in _COUNTRY_KEYS or key in _CITY_KEYS else ""
    if parent in _NAME_KEYS:
        return {
            "full": "name",
            "formatted": "name",
            "given": "firstname",
            "family": "lastname",
        }.get(key, key if key in _PERSON_NAME_PARTS else "")
    return key


def _as_text(value: Any) -> str:
    """Strings and integers as text; the first text of a list (emails: ['a@x.org', ...])."""
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list):
        return next((t for t in (_as_text(v) for v in value if not isinstance(v, list)) if t), "")
    return ""
