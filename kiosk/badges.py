"""Read whatever a badge scanner typed into one `Badge` record, without ever raising.

Supported payloads, tried in this order (`Badge.kind` in brackets):

- our signed invitation token ``KV1.<payload>.<sig>`` or its short URL ``https://host/i/KV1...``
  [invitation] — recognised only; `kiosk.tokens` verifies the signature;
- vCard 2.1 / 3.0 / 4.0 (folding, CRLF or LF, QUOTED-PRINTABLE with soft breaks, CHARSET=,
  ENCODING=b/BASE64, grouped ``item1.EMAIL`` lines, N when FN is missing, ADR country) [vcard];
- ``MECARD:N:Doe,John;TEL:...;EMAIL:...;;`` [mecard] and ``BIZCARD:N:John;X:Doe;...;;`` [bizcard];
- a JSON object with the usual attendee keys (id/badgeId, name/firstName+lastName, ...) [json];
- a URL whose ``?id=``/``badge=``/``reg=``... or last path segment is the registration id [url];
- a bare or labelled registration id: ``123456789``, ``REG-00012345``, ``ID:ABC123`` [registration];
- one line of fields split by ``^``, ``|``, tab or ``;`` in the show's field order [delimited];
- anything else [text], with any e-mail, URL or international phone in it picked out;
- nothing at all once scanner noise is gone [empty].

Before that, scanner noise is removed: AIM symbology ids (``]Q1``), ECI escapes (``\\000026``),
BOM, control characters, trailing Enter/Tab, and UTF-8 read as Latin-1. An e-mail typed through
the wrong keyboard layout (``john"example.com``) is repaired. Every repair or guess adds a line to
`Badge.warnings`, so the screen can say what was assumed; `Badge.raw` is always the exact input.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from kiosk.badge_formats.delimited import FIELD_NAMES, delimiter_of, parse_delimited
from kiosk.badge_formats.draft import (
    SWAP_WARNING,
    Draft,
    looks_like_email,
    one_line,
    repair_email,
)
from kiosk.badge_formats.geo import country_from_phone, resolve_country_text
from kiosk.badge_formats.ids import (
    invitation_token,
    is_url,
    parse_invitation,
    parse_registration,
    parse_url,
)
from kiosk.badge_formats.jsonfmt import looks_like_json, parse_json
from kiosk.badge_formats.mecard import is_bizcard, is_mecard, parse_bizcard, parse_mecard
from kiosk.badge_formats.noise import clean_payload
from kiosk.badge_formats.text import parse_text
from kiosk.badge_formats.vcard import parse_vcard
from kiosk.config import DEFAULT_BADGE_FIELDS

__all__ = ["BADGE_FIELD_NAMES", "KINDS", "Badge", "parse_badge"]

BADGE_FIELD_NAMES = FIELD_NAMES  # what a show's `[badges] fields` may list
KINDS = (
    "invitation",
    "vcard",
    "mecard",
    "bizcard",
    "json",
    "url",
    "registration",
    "delimited",
    "text",
    "empty",
)
_VCARD_RE = re.compile(r"^[ \t]*BEGIN:VCARD", re.I | re.M)
_SURROGATE_RE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class Badge:
    """One scanned badge or card. Empty strings mean "not on the badge".

    `country` is ISO 3166 alpha-2 (from the badge's country/address, else from the phone's
    calling code); `token` is set for our own invitations and still needs verifying;
    `warnings` lists every repair or guess, for the screen and the event log.
    """

    kind: str
    badge_id: str | None = None
    name: str = ""
    email: str = ""
    phone: str = ""
    company: str = ""
    title: str = ""
    url: str = ""
    country: str | None = None
    raw: str = ""
    warnings: tuple[str, ...] = ()
    city: str = ""
    token: str | None = None


def parse_badge(payload: str, *, field_order: Sequence[str] | None = None) -> Badge:
    """Parse one scan. `field_order` is the show's delimited layout, names from
    `BADGE_FIELD_NAMES`; it defaults to `kiosk.config.DEFAULT_BADGE_FIELDS`."""
    raw = _as_text(payload)
    try:
        if field_order is None:
            field_order = DEFAULT_BADGE_FIELDS
        elif isinstance(field_order, str):  # 'badge_id,name,...' from a hand-written config
            field_order = field_order.split(",")
        return _parse(raw, tuple(str(name) for name in field_order))
    except Exception as exc:  # noqa: BLE001 - the scan path must never show a traceback
        return Badge(
            kind="text", raw=raw, warnings=(f"could not read this badge ({type(exc).__name__})",)
        )


def _as_text(payload: object) -> str:
    """The payload as text: callers should pass str, but a stray bytes or None must not crash."""
    if isinstance(payload, str):
        return payload
    if isinstance(payload, bytes | bytearray):
        return bytes(payload).decode("utf-8", errors="replace")
    return "" if payload is None else str(payload)


def _parse(raw: str, field_order: tuple[str, ...]) -> Badge:
    text, noise_warnings = clean_payload(raw)
    if not text:
        return Badge(kind="empty", raw=raw, warnings=(*noise_warnings, "empty scan"))
    draft = _read(text, field_order)
    draft.warnings[:0] = noise_warnings
    return _finish(draft, raw)


def _read(text: str, field_order: tuple[str, ...]) -> Draft:
    """Pick the reader: the most self-identifying formats first, free text last."""
    if (draft := parse_invitation(text)) is not None:
        return draft
    if (start := _VCARD_RE.search(text)) is not None:
        return parse_vcard(text[start.start() :])
    if is_mecard(text):
        return parse_mecard(text)
    if is_bizcard(text):
        return parse_bizcard(text)
    if looks_like_json(text) and (draft := parse_json(text)) is not None:
        return draft
    if is_url(text):
        return parse_url(text)
    if (draft := parse_registration(text)) is not None:
        return draft
    if (delimiter := delimiter_of(text)) is not None:
        return parse_delimited(text, delimiter, field_order)
    return parse_text(text)


def _finish(draft: Draft, raw: str) -> Badge:
    """Shared last steps: tidy fields, repair the e-mail, resolve the country, find a token."""
    warnings = draft.warnings
    email, swapped = repair_email(_tidy(draft.email))
    if swapped:
        warnings.append(SWAP_WARNING)
    if email and not looks_like_email(email):
        warnings.append(f"e-mail {email!r} does not look like an address")
    phone = _tidy(draft.phone)
    url = _tidy(draft.url)
    token = draft.token or (invitation_token(url) if url else None)
    country = _country(draft, phone, warnings)
    badge_id = _tidy(draft.badge_id or "") or None
    return Badge(
        kind=draft.kind,
        badge_id=badge_id,
        name=_tidy(draft.name),
        email=email,
        phone=phone,
        company=_tidy(draft.company),
        title=_tidy(draft.title),
        url=url,
        country=country,
        raw=raw,
        warnings=tuple(dict.fromkeys(warnings)),
        city=_tidy(draft.city),
        token=token,
    )


def _tidy(text: str) -> str:
    """One line, and no lone surrogates (from text read with errors='surrogateescape'), so
    every field can be stored and shown as it is."""
    if _SURROGATE_RE.search(text):
        try:
            text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        except UnicodeEncodeError:
            text = _SURROGATE_RE.sub("\ufffd", text)
    return one_line(text)


def _country(draft: Draft, phone: str, warnings: list[str]) -> str | None:
    text = _tidy(draft.country_text)
    if text:
        code = resolve_country_text(text)
        if code is None:
            warnings.append(f"unknown country {text!r}")
        return code
    for hint in draft.country_hints:
        code = resolve_country_text(hint)
        if code is not None:
            return code
    code = country_from_phone(phone) if phone else None
    if code is not None:
        warnings.append(f"country {code} inferred from the phone number's calling code")
    return code
