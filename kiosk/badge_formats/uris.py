"""The small QR families a phone's scanner app knows, besides contact cards.

- e-mail: 'MATMSG:TO:a@b.example;SUB:…;BODY:…;;' (DoCoMo), 'mailto:a@b.example?subject=…'
  (also 'mailto:?to=…' and a comma list: the first address counts), 'smtp:a@b.example:subj:body',
  and a bare address [kind 'email'];
- phone: 'tel:+1-212-555-0147' [tel], 'sms:', 'mms:' ('sms:+1555;via=…?body=…', the first of a
  comma list), 'smsto:' and 'mmsto:' ('smsto:+1555:message') [sms];
- a map location 'geo:lat,lon[,alt][?q=…]' [geo] — no person, so the kiosk treats it as
  unreadable;
- bookmarks 'MEBKM:TITLE:…;URL:…;;' and 'URLTO:title:url' [url], read as the URL they carry;
- a bare host name with a port or a path ('expo.example:443/checkin/…') [url].

URLs are refused (read as text, with a warning) in the cases a QR scanner refuses to call a
link: a space inside it, and a user name before the host ('http://bank.example@evil.example'
goes to evil.example), which is how phishing links pass themselves off as someone else's.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, unquote

from kiosk.badge_formats.draft import Draft, looks_like_email, looks_like_swapped_email
from kiosk.badge_formats.ids import parse_url
from kiosk.badge_formats.mecard import fields
from kiosk.badge_formats.vcard_lines import unescape

_SCHEME_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]{1,15}):")
# A host name of up to seven labels with a letter TLD, then a port, a path or a query.
_BARE_HOST_RE = re.compile(
    r"^(?:[A-Za-z0-9-]{1,63}\.){1,6}[A-Za-z]{2,24}(?::\d{1,5})?(?:[/?]\S*|(?<=\d))$"
)
_GEO_RE = re.compile(
    r"^geo:(-?\d{1,3}(?:\.\d+)?),(-?\d{1,3}(?:\.\d+)?)(?:,(-?\d+(?:\.\d+)?))?(?:[?;]\S.*)?$",
    re.I | re.S,
)
_SPACE_RE = re.compile(r"\s")
_MAX_ADDRESSES = 16  # of a comma list; the first address is the one that counts
_PHONE_CHARS_RE = re.compile(r"^\+?[\d\s().\-/*#pPwW]{3,40}$")
SPACE_WARNING = "looks like a link but has a space inside it; not used as a link"
SPOOF_WARNING = (
    "looks like a link but names a user before its host ({host!r} is not the site it "
    "seems to be); not used as a link"
)


def read_prefixed(text: str) -> Draft | None:
    """The reading of a payload that starts with one of this module's prefixes, else None."""
    m = _SCHEME_RE.match(text)
    if m is None:
        return None
    scheme = m.group(1).upper()
    body = text[m.end() :]
    one_line = "\n" not in text
    if scheme == "MATMSG":
        return _matmsg(body)
    if scheme == "MEBKM":
        return _bookmark(body)
    if not one_line:
        return None
    if scheme in ("MAILTO", "SMTP"):
        return _mailto(body) if scheme == "MAILTO" else _smtp(body)
    if scheme == "TEL":
        return _tel(body, text)
    if scheme in ("SMS", "MMS", "SMSTO", "MMSTO"):
        return _sms(scheme, body, text)
    if scheme == "GEO":
        return _geo(text)
    if scheme == "URLTO":
        title, _, url = body.partition(":")
        return url_draft(url.strip(), payload_format="urlto")
    if scheme in ("URL", "URI") and body.strip():
        return url_draft(body.strip(), payload_format="url")
    return None


def is_bare_host(text: str) -> bool:
    """'expo.example:443/x', 'reg.example.com/scan?id=5': a host with a port, path or query.

    A bare 'acme.com' is not taken as a link: typed into the search box it is a company."""
    return len(text) <= 2048 and bool(_BARE_HOST_RE.match(text))


def url_refusal(text: str) -> str | None:
    """Why `text` must not be used as a link (a warning), or None when it may."""
    if _SPACE_RE.search(text):
        return SPACE_WARNING
    rest = text.split("://", 1)[1] if "://" in text[:20] else text
    authority = re.split(r"[/?#\\]", rest, maxsplit=1)[0]
    if "@" in authority:
        host = authority.rsplit("@", 1)[1].split(":")[0]
        return SPOOF_WARNING.format(host=host)
    return None


def url_draft(url: str, *, payload_format: str) -> Draft:
    """A URL-kind draft for `url` (an id taken from it when it carries one), or a text draft
    with a warning when the URL must not be used."""
    refusal = url_refusal(url) if url else "an empty link"
    if refusal is not None:
        draft = Draft(kind="text", payload_format=payload_format)
        draft.warnings.append(refusal)
        return draft
    draft = parse_url(url)
    draft.payload_format = payload_format
    return draft


def _matmsg(body: str) -> Draft:
    found = fields(body)
    draft = Draft(kind="email", payload_format="matmsg")
    to = next((unescape(v).strip() for v in found.get("TO", []) if v.strip()), "")
    draft.email = _first_address(to)
    if not draft.email:
        draft.warnings.append("an e-mail QR code without an address")
    return draft


def _bookmark(body: str) -> Draft:
    found = fields(body)
    url = next((unescape(v).strip() for v in found.get("URL", []) if v.strip()), "")
    return url_draft(url, payload_format="mebkm")


def _mailto(body: str) -> Draft:
    draft = Draft(kind="email", payload_format="mailto")
    address, _, query = body.partition("?")
    draft.email = _first_address(unquote(address))
    if not draft.email and query:
        params = {k.casefold(): v for k, v in parse_qsl(query, keep_blank_values=False)}
        draft.email = _first_address(params.get("to", ""))
    if not draft.email:
        draft.warnings.append("an e-mail link without an address")
    return draft


def _smtp(body: str) -> Draft:
    draft = Draft(kind="email", payload_format="smtp")
    draft.email = _first_address(body.split(":", 1)[0])
    return draft


def _first_address(text: str) -> str:
    """The first address of a comma list; a lone non-address is kept (the finisher warns)."""
    items = [a.strip() for a in text.split(",", _MAX_ADDRESSES)[:_MAX_ADDRESSES] if a.strip()]
    for item in items:
        if looks_like_email(item) or looks_like_swapped_email(item):
            return item
    return items[0] if items else ""


def _tel(body: str, text: str) -> Draft | None:
    number, _, params = body.partition(";")
    number = unquote(number).strip()
    if not _is_number(number):
        return None
    ext = next((p[4:] for p in params.split(";") if p.lower().startswith("ext=")), "")
    draft = Draft(kind="tel", payload_format="tel")
    draft.phone = f"{number} ext. {ext}" if ext else number
    return draft


def _sms(scheme: str, body: str, text: str) -> Draft | None:
    if scheme.endswith("TO"):  # 'smsto:+1555:message'
        number = body.split(":", 1)[0]
    else:  # 'sms:+1555,+1666;via=…?body=…'
        number = body.split("?", 1)[0].split(";", 1)[0].split(",", 1)[0]
    number = unquote(number).strip()
    if not _is_number(number):
        return None
    draft = Draft(kind="sms", payload_format=scheme.lower())
    draft.phone = number
    return draft


def _is_number(text: str) -> bool:
    return bool(_PHONE_CHARS_RE.match(text)) and sum(ch.isdigit() for ch in text) >= 3


def _geo(text: str) -> Draft | None:
    m = _GEO_RE.match(text)
    if m is None:
        return None
    lat, lon = float(m.group(1)), float(m.group(2))
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    draft = Draft(kind="geo", payload_format="geo")
    draft.warnings.append(f"a map location ({lat:g}, {lon:g}), not a visitor's badge")
    return draft
