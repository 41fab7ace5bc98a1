"""Read whatever a badge scanner typed into one `Badge` record, without ever raising.

Supported payloads, tried in this order (`Badge.kind` in brackets, `Badge.payload_format` when
it names the family more exactly):

- our signed invitation token ``KV1.<payload>.<sig>`` or its short URL ``https://host/i/KV1...``
  [invitation] — recognised only; `kiosk.tokens` verifies the signature;
- vCard 2.1 / 3.0 / 4.0 (folding, CRLF or LF, QUOTED-PRINTABLE with soft breaks, CHARSET=,
  ENCODING=b/BASE64, grouped ``item1.EMAIL`` lines, ``VALUE=uri`` values, N when FN is
  missing — `Badge.display_name` then keeps its prefix and suffix — ADR country) [vcard];
- ``MECARD:N:Doe,John;TEL:...;EMAIL:...;UID:...;;`` [mecard], ``BIZCARD:N:John;X:Doe;...;;``
  [bizcard] and the KDDI/AU address book ``MEMORY:…\r\nNAME1:…\r\nTEL1:…`` [mecard, kddi-au];
- e-mail QR codes: ``MATMSG:TO:…;;``, ``mailto:``, ``smtp:`` [email]; ``tel:`` [tel];
  ``sms:``/``smsto:``/``mms:``/``mmsto:`` [sms]; ``geo:lat,lon`` [geo, no person: unreadable];
  bookmarks ``MEBKM:…;URL:…;;`` and ``URLTO:title:url`` [url, mebkm/urlto];
- a JSON object with the usual attendee keys (id/badgeId, name/firstName+lastName, ...) [json];
- a URL — ``http(s)://``, ``www.``, or a bare host with a port or path (``expo.example:443/x``)
  — whose ``?id=``/``attendee=``/``badge=``/``regid=``/``uid=``... or last path segment is the
  registration id [url]. A link with a space inside or a user name before its host
  (``http://bank.example@evil.example``) is not used as a link [text, with a warning];
- a bare or labelled registration id: ``123456789``, ``REG-00012345``, ``ID:ABC123`` [registration];
- one line of fields split by ``^``, ``|``, tab or ``;`` [delimited]: in the show's field order
  when every typed field fits it, else read by content (`Badge.inferred`, `Badge.layout`; see
  `kiosk.badge_formats.layout`, and `propose_layout` to learn a show's layout from its scans);
- a bare e-mail address [email];
- anything else [text], with any e-mail, URL or international phone in it picked out;
- nothing at all once scanner noise is gone [empty].

A scan longer than `MAX_SCAN_BYTES` (8 KB: 8192 bytes of UTF-8, counted on the raw input) is
refused unread: kind [empty], `payload_format` 'too_long' and the warning "scan too long (N KB);
the limit is 8 KB", so the kiosk treats it as unreadable. One exception: a vCard's inline
pictures, sounds and keys (PHOTO, LOGO, SOUND, KEY — base64 the kiosk never reads, and which make
a phone's exported card 20-50 KB) are dropped before the size is counted. Any input up to the
limit is answered in well under 2 ms at the 99th percentile (``scripts/bench_badges.py``).

Before that, scanner noise is removed: AIM symbology ids (``]Q1``), ECI escapes (``\\000026``),
BOM, control characters, trailing Enter/Tab, and UTF-8 read as Latin-1. An e-mail typed through
the wrong keyboard layout (``john"example.com``) is repaired. Every repair or guess adds a line to
`Badge.warnings`, so the screen can say what was assumed; `Badge.raw` is always the exact input.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from kiosk.badge_formats.delimited import (
    FIELD_NAMES,
    delimiter_of,
    parse_delimited,
    split_values,
)
from kiosk.badge_formats.draft import (
    SWAP_WARNING,
    Draft,
    looks_like_email,
    looks_like_swapped_email,
    one_line,
    repair_email,
)
from kiosk.badge_formats.geo import (
    country_from_phone,
    country_of,
    digits_facts,
    phone_facts,
    resolve_country_text,
)
from kiosk.badge_formats.ids import (
    invitation_token,
    is_url,
    parse_invitation,
    parse_registration,
)
from kiosk.badge_formats.jsonfmt import looks_like_json, parse_json
from kiosk.badge_formats.layout import LayoutProposal, propose_fields
from kiosk.badge_formats.mecard import (
    is_bizcard,
    is_kddi,
    is_mecard,
    parse_bizcard,
    parse_kddi,
    parse_mecard,
)
from kiosk.badge_formats.noise import clean_payload
from kiosk.badge_formats.text import NOT_RECOGNISED, parse_text
from kiosk.badge_formats.uris import SPACE_WARNING, is_bare_host, read_prefixed, url_draft
from kiosk.badge_formats.vcard import parse_vcard
from kiosk.config import DEFAULT_BADGE_FIELDS
from kiosk.models import assemble
from kiosk.safety import clean_text

__all__ = [
    "BADGE_FIELD_NAMES",
    "KINDS",
    "MAX_SCAN_BYTES",
    "Badge",
    "LayoutProposal",
    "parse_badge",
    "propose_layout",
]

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
    "email",
    "tel",
    "sms",
    "geo",
    "text",
    "empty",
)
MAX_SCAN_BYTES = 8192  # 8 KB of UTF-8; a longer scan is refused unread
_VCARD_RE = re.compile(r"^[ \t]*BEGIN:VCARD", re.I | re.M)
_URL_START_RE = re.compile(r"^(?:https?://|www\.)", re.I)
# A vCard property holding binary data, with its folded continuation lines.
_BLOB_RE = re.compile(
    r"^[ \t]*(?:[\w-]+\.)?(?:PHOTO|LOGO|SOUND|KEY)[;:][^\r\n]*(?:\r*\n[ \t][^\r\n]*)*\r*\n?",
    re.I | re.M,
)
_BLOB_SCAN_LIMIT = 1 << 20  # a larger paste is refused without looking for a vCard in it
_VCARD_LOOKAHEAD = 1024  # a card with a picture starts with BEGIN:VCARD (after scanner noise)
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
# The two shapes most scans at a booth take, read without the full reader (which tries every
# format in turn and tidies eleven fields: more than the database lookup that follows costs).
# Only ASCII with nothing another reader, a noise step or a repair could act on: no blank,
# no ':' '=' '#' '/' '^' '|' ';' '"' '\\' or ']', and neither 'www.', 'http' nor 'KV1.' first.
_QUICK_ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_QUICK_EMAIL_RE = re.compile(
    r"[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
)
_QUICK_NOT = ("www.", "http", "kv1.")
# '+49 1577 7472896', '+8613800138000': digits in groups of single spaces after '+' (what the
# plain-text reader's first phone candidate would be, whole, and `_tidy` leaves as it is).
_QUICK_PHONE_RE = re.compile(r"\+\d+(?: \d+)*")
_QUICK_PHONE_LEN = (6, 27)  # the plain-text reader's candidates are 6 to 27 characters long
_E164 = re.compile(r"\+[1-9]\d{6,14}")  # E.164 as `kiosk.phones.international_digits` reads it


@dataclass(frozen=True)
class Badge:
    """One scanned badge or card. Empty strings mean "not on the badge".

    `country` is ISO 3166 alpha-2 (from the badge's country/address, else from the phone's
    calling code); `token` is set for our own invitations and still needs verifying;
    `warnings` lists every repair or guess, for the screen and the event log.

    `display_name` is the name as the card shows it (a vCard without FN: 'Dr. Jan Kowalski
    PhD', where `name` is 'Jan Kowalski'); `payload_format` the exact family ('kddi-au',
    'mebkm', 'matmsg', 'too_long', …; else the kind). For a delimited badge, `layout` is the
    field of each column as read (names from `BADGE_FIELD_NAMES`, 'ignore' for the others) and
    `inferred` says the columns were read by content because the show's layout did not fit.
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
    display_name: str = ""
    payload_format: str = ""
    layout: tuple[str, ...] = ()
    inferred: bool = False
    # The scan in E.164 when it is an international number alone and the reader has read
    # it so: `phone` when the number is valid; a number no region calls valid is kept as
    # text (no `phone`), but lookup still asks the phone index for it, as it asks for any
    # number-like text. Lookup uses it instead of parsing the number again. Not part of
    # what the badge says (equal badges may differ in it), '' when not read.
    e164: str = field(default="", compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self.payload_format:  # a Badge built elsewhere names only its kind
            object.__setattr__(self, "payload_format", self.kind)


def parse_badge(payload: str, *, field_order: Sequence[str] | None = None) -> Badge:
    """Parse one scan. `field_order` is the show's delimited layout, names from
    `BADGE_FIELD_NAMES`; it defaults to `kiosk.config.DEFAULT_BADGE_FIELDS`."""
    raw = _as_text(payload)
    try:
        if (quick := _quick(raw)) is not None:  # no layout needed: one token, no delimiter
            return quick
        if field_order is None:
            field_order = DEFAULT_BADGE_FIELDS
        elif isinstance(field_order, str):  # 'badge_id,name,...' from a hand-written config
            field_order = field_order.split(",")
        return _parse(raw, tuple(str(name) for name in field_order))
    except Exception as exc:  # noqa: BLE001 - the scan path must never show a traceback
        return Badge(
            kind="text", raw=raw, warnings=(f"could not read this badge ({type(exc).__name__})",)
        )


def propose_layout(scans: Iterable[str | Badge]) -> LayoutProposal | None:
    """Learn a show's delimited layout from its first scans, for the manager to confirm.

    `scans` are payloads or parsed `Badge`s; only those read as delimited layouts count
    (labelled 'ID:1;NAME:Ana' ones say what they are; cards and URLs have no columns). The
    proposal's `fields` can be saved as the show's `[badges] fields`; see `LayoutProposal`
    for `confidence` (offer it from about 0.75: three scans that all agree, or nine of ten).
    None when no scan is a delimited layout.
    """
    rows = []
    for scan in scans:
        badge = parse_badge(scan) if isinstance(scan, str) else scan
        if badge.payload_format == "delimited" and (split := split_values(badge.raw)):
            rows.append(split)
    return propose_fields(rows)


def _as_text(payload: object) -> str:
    """The payload as text: callers should pass str, but a stray bytes or None must not crash."""
    if isinstance(payload, str):
        return payload
    if isinstance(payload, bytes | bytearray):
        return bytes(payload).decode("utf-8", errors="replace")
    return "" if payload is None else str(payload)


def scan_size(raw: str) -> int:
    """The payload's size in bytes of UTF-8 (lone surrogates count as their escaped byte)."""
    if len(raw) * 4 <= MAX_SCAN_BYTES or len(raw) > MAX_SCAN_BYTES * 64:
        return len(raw)  # surely within the limit, or surely far over it: no need to encode
    return len(raw.encode("utf-8", "surrogatepass"))


def _too_long(payload: str, raw: str) -> Badge | None:
    if scan_size(payload) <= MAX_SCAN_BYTES:
        return None
    size = scan_size(raw)
    kb = size / 1024
    shown = f"{kb:.1f}" if kb < 100 else f"{kb:.0f}"
    if len(raw) > MAX_SCAN_BYTES * 64:  # counted in characters: at least this many bytes
        shown = f"over {shown}"
    return Badge(
        kind="empty",
        raw=raw,
        payload_format="too_long",
        warnings=(f"scan too long ({shown} KB); the limit is {MAX_SCAN_BYTES // 1024} KB",),
    )


def _without_blobs(raw: str) -> str:
    """A long vCard without its inline pictures, sounds and keys (the kiosk reads none)."""
    if len(raw) > _BLOB_SCAN_LIMIT or not _VCARD_RE.search(raw[:_VCARD_LOOKAHEAD]):
        return raw
    return _BLOB_RE.sub("", raw)


def _quick(raw: str) -> Badge | None:
    """A plain registration id ('B00012345') or e-mail address ('ana@acme.es') read directly,
    as the full reader would read it (`tests/core/test_badges_quick.py` checks that they
    agree); None for anything else."""
    if len(raw) > 254 or raw[:4].lower() in _QUICK_NOT:
        return None
    if raw[:1] == "+":
        return _quick_phone(raw)
    if "@" in raw:
        if _QUICK_EMAIL_RE.fullmatch(raw):
            return _quick_badge({"kind": "email", "email": raw, "raw": raw})
        return None
    if _QUICK_ID_RE.fullmatch(raw) and (raw.isdigit() or (len(raw) >= 3 and _has_digit(raw))):
        return _quick_badge({"kind": "registration", "badge_id": raw, "raw": raw})
    return None


def _quick_phone(raw: str) -> Badge | None:
    """A valid international number alone, as the plain-text reader reads it: the phone,
    and the country its calling code says (the full reader tried a dozen formats first,
    half of reading a phone badge, profiled at a million contacts); None otherwise."""
    low, high = _QUICK_PHONE_LEN
    if not low <= len(raw) <= high or not _QUICK_PHONE_RE.fullmatch(raw):
        return None
    # Read once from the digits: valid or not, whose, and the number in E.164 as
    # `normalize_phone` reads it (the lookup after this read needs no second reading).
    digits = "+" + raw[1:].replace(" ", "")  # `international_digits`, for this shape
    facts = digits_facts(digits) if _E164.fullmatch(digits) else None
    e164 = digits if facts is not None else ""
    if facts is None:
        facts = phone_facts(raw)  # a number a parse could read otherwise: the parse decides
    if facts is None or not facts[0]:
        # Not a valid number. Whole, it is the plain-text reader's only phone candidate, and
        # no other reader takes digits with blanks between them: the full reader keeps it as
        # text with nothing read (an eighth of the numbers at a million contacts, and twice
        # the time of a valid one by the full reader). Without a blank it could be an id.
        return _unread_number(raw, e164) if facts is not None and " " in raw else None
    code = country_of(facts)
    warnings = (f"country {code} inferred from the phone number's calling code",) if code else ()
    values: dict[str, object] = {
        "kind": "text",
        "phone": raw,
        "country": code,
        "raw": raw,
        "warnings": warnings,
        "payload_format": "text",
    }
    if e164:
        values["e164"] = e164
    return assemble(Badge, values)


def _quick_badge(values: dict[str, object]) -> Badge:
    """A Badge without its dataclass `__init__` (`kiosk.models.assemble`: 3 µs of the 12 a
    quick read took), `payload_format` set to the kind as `__post_init__` would set it."""
    values.setdefault("payload_format", values["kind"])
    return assemble(Badge, values)


def _unread_number(raw: str, e164: str = "") -> Badge:
    """What the full reader makes of text it cannot read: the text, kept, and a warning.
    `e164`: the number the text is, as lookup will ask the phone index for it."""
    return _quick_badge({"kind": "text", "raw": raw, "warnings": (NOT_RECOGNISED,), "e164": e164})


def _has_digit(text: str) -> bool:
    return _DIGIT.search(text) is not None


_DIGIT = re.compile(r"\d")


def _parse(raw: str, field_order: tuple[str, ...]) -> Badge:
    payload = raw
    if scan_size(raw) > MAX_SCAN_BYTES:
        payload = _without_blobs(raw)
        if (refused := _too_long(payload, raw)) is not None:
            return refused
    text, noise_warnings = clean_payload(payload)
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
    if is_kddi(text):
        return parse_kddi(text)
    if (draft := read_prefixed(text)) is not None:
        return draft
    if looks_like_json(text) and (draft := parse_json(text)) is not None:
        return draft
    if is_url(text):
        return url_draft(text, payload_format="url")
    if _URL_START_RE.match(text) and "\n" not in text:  # a link with a space inside
        draft = parse_text(text)
        draft.url = ""
        draft.warnings.append(SPACE_WARNING)
        return draft
    if (draft := parse_registration(text)) is not None:
        return draft
    if is_bare_host(text):
        return url_draft(text, payload_format="url")
    if (delimiter := delimiter_of(text)) is not None:
        return parse_delimited(text, delimiter, field_order)
    if looks_like_email(text) or looks_like_swapped_email(text):
        return Draft(kind="email", email=text, payload_format="email")
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
        display_name=_tidy(draft.display_name) or _tidy(draft.name),
        payload_format=draft.payload_format or draft.kind,
        layout=draft.layout,
        inferred=draft.inferred,
    )


def _tidy(text: str) -> str:
    """One line, no lone surrogates (from text read with errors='surrogateescape') and no
    control character or bidi override — the scanner's noise is stripped before the format
    is read, but a format's own escapes (JSON's \\u001b, a vCard's QUOTED-PRINTABLE =1B)
    decode into new ones — so every field can be stored and shown as it is."""
    if _SURROGATE_RE.search(text):
        try:
            text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        except UnicodeEncodeError:
            text = _SURROGATE_RE.sub("\ufffd", text)
    # cleaned, then trimmed: a control removed after the trim left an edge space
    return one_line(clean_text(text))


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
