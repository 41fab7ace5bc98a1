"""Walk-in badges: a printed card for a visitor who arrived without a show badge.

A badge for a **known contact** (a CRM customer, or a lead filed at the booth) carries a
signed token for that contact, so a scan at any kiosk finds them at once. The token credits
nobody as inviter unless asked (`credit`): a badge printed at the booth is not an
invitation, and counting it as one would inflate the manager's "invited customers who
came" figure; the routing engine still calls the contact's owner when it is scanned.

A badge for a **new visitor** (name typed in, not yet filed) carries a vCard with their
details and a fresh registration id (``X-BADGE-ID: W-…``). Scanning it fills the lead form;
once the lead is filed with that badge id, later scans find the same person.

Badges are 4 × 3 inches at 300 dpi (1200 × 900 pixels), the common size of badge holders
and label-printer cards. Drawing never raises for any name: text that does not fit shrinks,
then wraps, then is cut with an ellipsis.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from datetime import datetime

import sqlite_utils
from PIL import Image, ImageDraw, ImageFont

from kiosk.config import ShowConfig
from kiosk.countries import country_name
from kiosk.errors import KioskError
from kiosk.invites.fonts import BadgeFont, find_badge_font, font_warnings
from kiosk.invites.mail import booth_label, format_dates
from kiosk.invites.qr import QUIET_ZONE, qr_matrix, split_name, vcard_escape
from kiosk.models import Contact
from kiosk.store import get_contact
from kiosk.text import fold, normalize_email
from kiosk.tokens import make_token, show_secret

# A font at one size, as Pillow loads it (a TrueType/OpenType face, or its bitmap default).
Face = ImageFont.FreeTypeFont | ImageFont.ImageFont

DPI = 300
SIZE = (4 * DPI, 3 * DPI)
_MARGIN = 60
_HEADER = 170
_QR_BOX = 440
_INK, _PAPER, _BAND, _MUTED = (0, 0, 0), (255, 255, 255), (31, 58, 95), (90, 98, 112)


class BadgeError(KioskError, ValueError):
    """A badge cannot be made (no such contact, or several); the message says what to type."""


@dataclass(frozen=True)
class WalkinBadge:
    """What goes on one badge. `qr_data` is a token (known contact) or a vCard (new visitor)."""

    name: str
    company: str
    country: str  # alpha-2, or '' when unknown
    qr_data: str
    footer: str = ""
    contact_id: str | None = None
    registration_id: str | None = None
    warnings: tuple[str, ...] = field(default_factory=tuple)


def badge_for_contact(
    db: sqlite_utils.Database,
    config: ShowConfig,
    contact: Contact,
    *,
    now: datetime,
    credit: str | None = None,
) -> WalkinBadge:
    """A badge whose QR is a signed token for a known contact (crediting `credit`, if given)."""
    assert contact.id is not None
    token = make_token(
        secret=show_secret(db, config),
        show_id=config.show_id,
        contact_id=contact.id,
        salesperson_id=credit or "",
        issued_at=now,
    )
    return WalkinBadge(
        name=contact.name,
        company=contact.company,
        country=contact.country or "",
        qr_data=token,
        footer=contact.id,
        contact_id=contact.id,
    )


def find_contact(db: sqlite_utils.Database, query: str) -> Contact:
    """One contact by id, CRM id, badge id, email, or (part of) name or company.

    Raises BadgeError listing up to five candidates when a name matches several people, so
    that a badge is never printed for the wrong visitor.
    """
    q = " ".join((query or "").split())
    contact = get_contact(db, q) if q else None
    if contact:
        return contact
    email = normalize_email(q)
    for where_sql, param in (
        ("crm_id = ?", q),
        ("id = (SELECT contact_id FROM contact_badges WHERE badge_id = ?)", q),
        ("email_norm = ? ORDER BY source = 'booth'", email),
        # a further address of a CRM contact (a cell that held two, `contact_keys`)
        ("id IN (SELECT contact_id FROM contact_keys WHERE key = ?)", email),
    ):
        row = db.execute(f"SELECT id FROM contacts WHERE {where_sql} LIMIT 1", [param]).fetchone()
        if param and row:
            return get_contact(db, row[0])  # type: ignore[return-value]
    needle = fold(q)
    if not needle:
        raise BadgeError("give a contact id, badge id, email or name")
    rows = db.execute(
        "SELECT id, name, company FROM contacts WHERE instr(search, ?) > 0 ORDER BY name, id LIMIT 20",
        [needle],
    ).fetchall()
    exact = [r for r in rows if fold(r[1]) == needle]
    if len(exact) == 1 or len(rows) == 1:
        return get_contact(db, (exact or rows)[0][0])  # type: ignore[return-value]
    if not rows:
        raise BadgeError(
            f"no contact matches {query!r}; for a new visitor use --name (and --company, --country)"
        )
    names = "; ".join(f"{r[0]} {r[1]} ({r[2]})" for r in rows[:5])
    raise BadgeError(f"{query!r} matches several contacts: {names}; give an id or email")


def new_registration_id() -> str:
    """A registration id for a visitor not yet filed: 'W-' and 8 unambiguous characters."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "W-" + "".join(secrets.choice(alphabet) for _ in range(8))


def visitor_vcard(
    *, name: str, company: str = "", country: str = "", email: str = "", phone: str = "",
    registration_id: str,
) -> str:  # fmt: skip
    """A vCard 3.0 of a new visitor, in the form `kiosk.badges` reads (ADR country, X-BADGE-ID)."""
    family, given = split_name(name)
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        f"N:{vcard_escape(family)};{vcard_escape(given)};;;",
        f"FN:{vcard_escape(' '.join(name.split()))}",
    ]
    if company.strip():
        lines.append(f"ORG:{vcard_escape(company.strip())}")
    if email.strip():
        lines.append(f"EMAIL;TYPE=INTERNET:{vcard_escape(email.strip())}")
    if phone.strip():
        lines.append(f"TEL;TYPE=WORK:{vcard_escape(phone.strip())}")
    if country.strip():
        lines.append(f"ADR;TYPE=WORK:;;;;;;{vcard_escape(country.strip())}")
    lines += [f"X-BADGE-ID:{registration_id}", "END:VCARD"]
    return "\r\n".join(lines) + "\r\n"


def badge_for_visitor(
    *, name: str, company: str = "", country: str = "", email: str = "", phone: str = "",
    registration_id: str | None = None,
) -> WalkinBadge:  # fmt: skip
    """A badge for someone not in the database: the QR is their vCard with a registration id."""
    reg = registration_id or new_registration_id()
    data = visitor_vcard(
        name=name, company=company, country=country, email=email, phone=phone, registration_id=reg
    )
    return WalkinBadge(
        name=name, company=company, country=country, qr_data=data, footer=reg, registration_id=reg
    )


def _fit(
    draw: ImageDraw.ImageDraw, text: str, font: BadgeFont, width: int, sizes: range, lines: int
) -> tuple[Face, list[str]]:
    """The largest size at which `text` fits `width` in at most `lines` lines, and those lines."""
    text = " ".join(text.split())
    for size in sizes:
        face = font.at(size)
        wrapped = _wrap(draw, text, face, width)
        if len(wrapped) <= lines and all(draw.textlength(w, font=face) <= width for w in wrapped):
            return face, wrapped
    face = font.at(sizes[-1])
    wrapped = _wrap(draw, text, face, width)[:lines]
    if wrapped:
        wrapped[-1] = _ellipsize(draw, wrapped[-1], face, width)
    return face, wrapped


def _wrap(draw: ImageDraw.ImageDraw, text: str, face: Face, width: int) -> list[str]:
    """Greedy wrapping at spaces, or anywhere in text without spaces (Chinese)."""
    units = text.split(" ") if " " in text else list(text)
    sep = " " if " " in text else ""
    lines: list[str] = []
    current = ""
    for unit in units:
        candidate = f"{current}{sep}{unit}" if current else unit
        if current and draw.textlength(candidate, font=face) > width:
            lines.append(current)
            current = unit
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


def _ellipsize(draw: ImageDraw.ImageDraw, line: str, face: Face, width: int) -> str:
    while line and draw.textlength(line + "…", font=face) > width:
        line = line[:-1]
    return line + "…" if line else ""


def _draw_lines(
    draw: ImageDraw.ImageDraw, lines: list[str], face: Face, x: int, y: int,
    fill: str | tuple[int, ...], gap: float = 1.15,
) -> int:  # fmt: skip
    size = getattr(face, "size", 12)
    for line in lines:
        draw.text((x, y), line, font=face, fill=fill)
        y += int(size * gap)
    return y


def _qr_tile(data: str, box: int) -> Image.Image:
    matrix = qr_matrix(data)
    modules = len(matrix) + 2 * QUIET_ZONE
    scale = max(1, box // modules)
    tile = Image.new("RGB", (modules * scale, modules * scale), _PAPER)
    draw = ImageDraw.Draw(tile)
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                left, top = (x + QUIET_ZONE) * scale, (y + QUIET_ZONE) * scale
                draw.rectangle((left, top, left + scale - 1, top + scale - 1), fill=_INK)
    return tile


def _subtitle(config: ShowConfig, lang: str) -> str:
    """'Booth A20 · 24–27 November 2026', in the badge's language."""

    parts = []
    if config.booth.strip():
        parts.append(booth_label(config.booth, lang))
    if config.start or config.end:
        parts.append(format_dates(config.start, config.end, lang))
    return " · ".join(parts)


def render_badge(
    badge: WalkinBadge,
    config: ShowConfig,
    *,
    lang: str = "en",
    font: BadgeFont | None = None,
) -> tuple[Image.Image, list[str]]:
    """Draw the badge; returns the image and warnings (e.g. no CJK font on this machine)."""

    font = font or find_badge_font()
    country = country_name(badge.country, lang) if badge.country else ""
    header = _subtitle(config, lang)
    texts = [badge.name, badge.company, country, config.name, header]
    warnings = [*badge.warnings, *font_warnings(font, texts)]

    image = Image.new("RGB", SIZE, _PAPER)
    draw = ImageDraw.Draw(image)
    width = SIZE[0] - 2 * _MARGIN
    draw.rectangle((0, 0, SIZE[0], _HEADER), fill=_BAND)
    face, lines = _fit(draw, config.name, font, width, range(60, 27, -4), 1)
    _draw_lines(draw, lines, face, _MARGIN, 28, _PAPER)
    if header:
        face, lines = _fit(draw, header, font, width, range(36, 19, -4), 1)
        _draw_lines(draw, lines, face, _MARGIN, 104, _PAPER)

    face, lines = _fit(draw, badge.name or "—", font, width, range(110, 47, -6), 1)
    _draw_lines(draw, lines, face, _MARGIN, _HEADER + 40, _INK)

    tile = _qr_tile(badge.qr_data, _QR_BOX)
    qr_x, qr_y = SIZE[0] - _MARGIN - tile.width, SIZE[1] - _MARGIN - tile.height
    image.paste(tile, (qr_x, qr_y))

    column = qr_x - _MARGIN - 40
    y = _HEADER + 200
    if badge.company:
        face, lines = _fit(draw, badge.company, font, column, range(60, 31, -4), 2)
        y = _draw_lines(draw, lines, face, _MARGIN, y, _INK) + 20
    if country:
        face, lines = _fit(draw, country, font, column, range(52, 27, -4), 1)
        _draw_lines(draw, lines, face, _MARGIN, y, _MUTED)
    if badge.footer:
        face, lines = _fit(draw, badge.footer, font, column, range(30, 17, -2), 1)
        _draw_lines(draw, lines, face, _MARGIN, SIZE[1] - _MARGIN - 34, _MUTED)
    return image, warnings


def save_badge(image: Image.Image, path: str | os.PathLike[str]) -> None:
    """Write the badge PNG with its print resolution, so it prints at 4 × 3 inches."""
    image.save(path, format="PNG", dpi=(DPI, DPI), optimize=True)
