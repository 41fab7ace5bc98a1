"""Identifier payloads: our invitation tokens, registration ids, and URLs that carry an id.

Invitation tokens are only recognised here (their signature is checked in `kiosk.tokens`).
Registration ids arrive bare ('123456789', 'REG-00012345') or behind a label ('ID:ABC123',
'BADGE:...'); the label is dropped, a hyphenated prefix that is part of the id is kept.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, unquote, urlsplit

from kiosk.badge_formats.draft import KEY_ALIASES, Draft, join_name, norm_key, one_line

_B64 = r"[A-Za-z0-9_-]+={0,2}"
TOKEN_RE = re.compile(rf"KV1\.{_B64}\.{_B64}")
_TOKEN_URL_RE = re.compile(
    rf"^(?:https?://)?[^\s/?#]+(?:/[^\s?#]*)?/i/({TOKEN_RE.pattern})/?(?:[?#]\S*)?$", re.I
)
_ID_CHARS = r"[A-Za-z0-9][A-Za-z0-9._/#-]*"
_PLAIN_ID_RE = re.compile(rf"^#?({_ID_CHARS})$")
_LABELS = (
    r"badge[ _-]?(?:id|no|number)?|reg(?:istration)?[ _-]?(?:id|no|number)?|attendee[ _-]?(?:id)?"
    r"|ticket[ _-]?(?:id|no)?|barcode|id|uid|code"
)
_LABELLED_ID_RE = re.compile(rf"^(?:{_LABELS})\s*[:=#]\s*({_ID_CHARS})$", re.I)
_LABEL_PREFIX_RE = re.compile(rf"^(?:{_LABELS})\s*[:=#]\s*", re.I)
_URL_RE = re.compile(r"^(?:https?://|www\.)\S+$", re.I)
_LABELLED_FIELD_RE = re.compile(r"^\s*([A-Za-z][A-Za-z _.-]{0,30}?)\s*[:=]\s*(.*?)\s*$")
_KNOWN_KEYS = frozenset(alias for aliases in KEY_ALIASES.values() for alias in aliases)
# Query keys that name the person in registration links ('?attendee=EXPO2026-000481'); unlike
# the KEY_ALIASES they may also hold a name elsewhere, so their value must look like an id.
_URL_ID_KEYS = (
    "attendee",
    "visitor",
    "visitorid",
    "participant",
    "participantid",
    "delegate",
    "delegateid",
    "guest",
    "guestid",
    "member",
    "memberid",
    "regcode",
    "registrationcode",
    "ticketcode",
    "ticketno",
    "qr",
    "qrcode",
)


def invitation_token(text: str) -> str | None:
    """The 'KV1.<payload>.<sig>' token of a bare token or a short URL '.../i/KV1...'."""
    if TOKEN_RE.fullmatch(text):
        return text
    m = _TOKEN_URL_RE.match(text)
    return m.group(1) if m else None


def parse_invitation(text: str) -> Draft | None:
    token = invitation_token(text)
    if token is not None:
        return Draft(kind="invitation", token=token, url=text if token != text else "")
    if text[:4].upper() == "KV1." and not any(ch.isspace() for ch in text):
        draft = Draft(kind="invitation")
        draft.warnings.append("looks like an invitation code but is damaged or incomplete")
        return draft
    return None


def strip_id_label(value: str) -> str:
    """'ID:ABC123' → 'ABC123'; 'REG-00012345' stays as it is (the prefix is part of the id)."""
    value = value.strip()
    m = _LABEL_PREFIX_RE.match(value)
    if m and value[m.end() :].strip():
        return value[m.end() :].strip()
    return value


def parse_registration(text: str) -> Draft | None:
    """A bare or labelled registration id: one token with at least one digit."""
    m = _LABELLED_ID_RE.match(text)
    if m:
        return Draft(kind="registration", badge_id=m.group(1))
    m = _PLAIN_ID_RE.match(text) if len(text) <= 65 else None
    if m and len(m.group(1)) <= 64 and any(ch.isdigit() for ch in m.group(1)):
        if len(m.group(1)) >= 3 or m.group(1).isdigit():
            return Draft(kind="registration", badge_id=m.group(1))
    return None


def is_url(text: str) -> bool:
    return bool(_URL_RE.match(text))


def parse_url(text: str) -> Draft:
    """Registration id from a known query key (?id=, badge=, reg=, ...), else the last path
    segment if it looks like an id; other known keys (name=, email=, ...) fill the rest."""
    draft = Draft(kind="url", url=text)
    try:
        parts = urlsplit(text if "://" in text else "https://" + text)
        query = parse_qsl("&".join(parts.query.split("&", 64)[:64]), keep_blank_values=False)
    except ValueError:
        draft.warnings.append("malformed URL")
        return draft
    by_key: dict[str, str] = {}
    for key, value in query:
        by_key.setdefault(norm_key(key), value.strip())
    fill_from_keys(draft, by_key)
    if draft.badge_id is None:
        for key in _URL_ID_KEYS:
            value = by_key.get(key, "")
            if value and parse_registration(value) is not None:
                draft.badge_id = strip_id_label(value).lstrip("#")
                break
    if draft.badge_id is None:
        last = unquote(parts.path.rstrip("/").rsplit("/", 1)[-1])
        if parse_registration(last) is not None and "." not in last.lstrip("#")[-5:]:
            draft.badge_id = strip_id_label(last).lstrip("#")
    if draft.badge_id is None:
        draft.warnings.append("the URL carries no registration id")
    return draft


def fill_from_keys(draft: Draft, by_key: dict[str, str]) -> None:
    """Fill a draft from normalised keys ('badgeid', 'firstname', ...) of a URL query or JSON.

    The first alias present wins (so 'badgeId' beats a generic 'id'); a full name beats
    first + last, which are joined in the order their script expects.
    """
    found: dict[str, str] = {}
    for field, aliases in KEY_ALIASES.items():
        value = next((by_key[a] for a in aliases if by_key.get(a)), "")
        if value:
            found[field] = value
    take_fields(draft, found)


def take_fields(draft: Draft, found: dict[str, str]) -> None:
    """Copy what a reader found, by field name, onto the draft.

    One place for every reader that ends with named fields (URL queries, JSON, labelled
    and delimited badges), so that they agree on the details: the id loses its 'ID:' label,
    a full name beats first + last (joined in the order their script expects), and a URL the
    reader took from the payload itself is kept.
    """
    draft.badge_id = strip_id_label(found.get("badge_id", "")) or None
    draft.name = one_line(found.get("name", "")) or join_name(
        given=found.get("first_name", ""), family=found.get("last_name", "")
    )
    draft.email = found.get("email", "")
    draft.phone = found.get("phone", "")
    draft.company = found.get("company", "")
    draft.title = found.get("title", "")
    draft.city = found.get("city", "")
    draft.country_text = found.get("country", "")
    draft.url = draft.url or found.get("url", "")


def labelled_fields(parts: list[str]) -> dict[str, str] | None:
    """{'name': 'Ana', ...} when the parts are mostly 'Label: value' with labels we know
    ('NAME:Ana', 'Company: Acme', 'E-mail=ana@x.es'); None when they are positional."""
    found: dict[str, str] = {}
    filled = [p for p in parts if p.strip()]
    for part in filled:
        m = _LABELLED_FIELD_RE.match(part)
        key = norm_key(m.group(1)) if m else ""
        if key in _KNOWN_KEYS and m is not None:
            found.setdefault(key, m.group(2))
    if len(found) >= 2 and len(found) * 2 >= len(filled):
        return found
    return None
