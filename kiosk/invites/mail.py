"""An invitation as an email: editable templates, localized dates, and a MIME message.

The message is what mail programs expect of a designed email with an embedded picture:

    multipart/alternative
    ├── text/plain                       (the whole invitation, for plain-text readers)
    └── multipart/related
        ├── text/html                    (<img src="cid:…">)
        └── image/png                    (the QR code, inline, with that Content-ID)

Names go into headers through `email.headerregistry.Address`, which encodes Chinese or
accented names as RFC 2047 words, and the `.eml` is written with CRLF line ends and an
``X-Unsent: 1`` header, so Outlook opens it as a draft ready to send.
"""

from __future__ import annotations

import html
import io
import os
import re
import string
from dataclasses import dataclass
from datetime import date
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from importlib import resources
from pathlib import Path
from typing import cast

from kiosk.config import ShowConfig
from kiosk.errors import KioskError
from kiosk.invites.invitations import Issued
from kiosk.invites.qr import qr_png

LANGUAGES = ("en", "zh", "es")
QR_FILENAME = "invitation-qr.png"

_MONTHS = {
    "en": "January February March April May June July August September October November December",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
}
_NO_DATES = {"en": "dates to be announced", "zh": "日期待定", "es": "fechas por confirmar"}
_BOOTH = {"en": "Booth {}", "zh": "展位 {}", "es": "Stand {}"}
_JOIN = {"en": ", ", "zh": "，", "es": ", "}
_TBA = {"en": "to be announced", "zh": "待定", "es": "por confirmar"}


class InvitationError(KioskError, ValueError):
    """An invitation cannot be written; the message says what to fix."""


def _month(d: date, lang: str) -> str:
    return _MONTHS[lang].split()[d.month - 1]


def format_dates(start: date | None, end: date | None, lang: str) -> str:
    """The show's dates as a person writes them in `lang`, shortest form that is unambiguous.

    en: '24–27 November 2026'; zh: '2026年11月24日至27日'; es: 'del 24 al 27 de noviembre de 2026'.
    """
    if start is None:
        start, end = end, None
    if start is None:
        return _NO_DATES[lang]
    if end is None or end <= start:
        return {
            "en": f"{start.day} {_month(start, 'en')} {start.year}",
            "zh": f"{start.year}年{start.month}月{start.day}日",
            "es": f"{start.day} de {_month(start, 'es')} de {start.year}",
        }[lang]
    same_year, same_month = (
        start.year == end.year,
        (start.year, start.month) == (end.year, end.month),
    )
    if lang == "zh":
        tail = f"{end.day}日" if same_month else f"{end.month}月{end.day}日"
        tail = tail if same_year else f"{end.year}年{end.month}月{end.day}日"
        return f"{start.year}年{start.month}月{start.day}日至{tail}"
    if lang == "es":
        m1, m2 = _month(start, "es"), _month(end, "es")
        if same_month:
            return f"del {start.day} al {end.day} de {m2} de {end.year}"
        if same_year:
            return f"del {start.day} de {m1} al {end.day} de {m2} de {end.year}"
        return f"del {start.day} de {m1} de {start.year} al {end.day} de {m2} de {end.year}"
    m1, m2 = _month(start, "en"), _month(end, "en")
    if same_month:
        return f"{start.day}–{end.day} {m2} {end.year}"
    if same_year:
        return f"{start.day} {m1} – {end.day} {m2} {end.year}"
    return f"{start.day} {m1} {start.year} – {end.day} {m2} {end.year}"


def booth_label(booth: str, lang: str) -> str:
    """'Booth A20' / '展位 A20' / 'Stand A20'."""
    return _BOOTH.get(lang, _BOOTH["en"]).format(" ".join(booth.split()))


def where(config: ShowConfig, lang: str) -> str:
    """Booth and venue in one phrase ('Booth A20, Messe Frankfurt')."""
    parts = []
    if config.booth.strip():
        parts.append(booth_label(config.booth, lang))
    if config.venue.strip():
        parts.append(config.venue.strip())
    return _JOIN[lang].join(parts) or _TBA[lang]


def _one_line(value: str | None) -> str:
    """CRM text on one line: a newline in a name must not break a header or a template line."""
    return " ".join((value or "").split())


def pretty_phone(phone: str) -> str:
    """'+8613800000003' → '+86 138 0000 0003': grouped as the number's own country writes it."""
    import phonenumbers  # start-up cost: 27 ms measured (-X importtime), paid only when mailing

    text = _one_line(phone)
    try:
        number = phonenumbers.parse(text, None)
    except phonenumbers.NumberParseException:
        return text
    if not phonenumbers.is_possible_number(number):
        return text
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def template_fields(config: ShowConfig, issued: Issued) -> dict[str, str]:
    """Every value a template may use, as plain (unescaped) text."""
    sp, contact, lang = issued.salesperson, issued.contact, issued.language
    return {
        "contact_name": _one_line(contact.name),
        "contact_company": _one_line(contact.company),
        "show_name": _one_line(config.name),
        "show_dates": format_dates(config.start, config.end, lang),
        "booth": _one_line(config.booth),
        "venue": _one_line(config.venue),
        "where": where(config, lang),
        "salesperson_name": _one_line(sp.name),
        "salesperson_title": _one_line(sp.title),
        "salesperson_phone": pretty_phone(sp.phone),
        "salesperson_email": _one_line(sp.email),
        "token": issued.token,
        "url": issued.url,
    }


def load_template(name: str, template_dir: str | os.PathLike[str] | None = None) -> string.Template:
    """A template file from `template_dir` if it has one, else the built-in one."""
    if template_dir is not None:
        own = Path(template_dir) / name
        if own.is_file():
            return string.Template(own.read_text(encoding="utf-8-sig"))
    builtin = resources.files("kiosk.invites").joinpath("templates", name)
    if not builtin.is_file():
        raise InvitationError(f"no template named {name}")
    return string.Template(builtin.read_text(encoding="utf-8"))


def _fill(name: str, template: string.Template, fields: dict[str, str]) -> str:
    try:
        return template.substitute(fields)
    except KeyError as exc:
        known = ", ".join(sorted(fields))
        raise InvitationError(
            f"template {name} uses unknown field ${exc.args[0]} (known: {known})"
        ) from None
    except ValueError as exc:
        raise InvitationError(f"template {name}: {exc} (write $$ for a dollar sign)") from None


def _drop_empty_lines(name: str, template: string.Template, fields: dict[str, str]) -> str:
    """Fill a plain-text template line by line, leaving out a line that only held empty
    fields (a salesperson without a title must not leave a hole in the signature)."""
    out = []
    for line in template.template.split("\n"):
        filled = _fill(name, string.Template(line), fields)
        if filled.strip() or not line.strip():
            out.append(filled)
    return "\n".join(out)


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str
    qr_cid: str  # without angle brackets, as the HTML's cid: URL uses it


def render(
    config: ShowConfig, issued: Issued, *, template_dir: str | os.PathLike[str] | None = None
) -> Rendered:
    """Fill the customer's-language templates; the text file's `Subject:` line is the subject."""
    lang = issued.language if issued.language in LANGUAGES else "en"
    fields = template_fields(config, issued)
    text_name, html_name = f"invitation.{lang}.txt", f"invitation.{lang}.html"
    text = _drop_empty_lines(text_name, load_template(text_name, template_dir), fields)
    first, _, body = text.partition("\n")
    if not first.lower().startswith("subject:"):
        raise InvitationError(f"template {text_name} must start with a 'Subject: …' line")
    subject = _one_line(first.split(":", 1)[1])
    domain = issued.salesperson.email.rpartition("@")[2] or "kiosk.invalid"
    qr_cid = make_msgid(idstring="qr", domain=domain)[1:-1]
    escaped = {k: html.escape(v, quote=True) for k, v in fields.items()}
    html_body = _fill(
        html_name, load_template(html_name, template_dir), escaped | {"qr_cid": qr_cid}
    )
    # An empty field between two <br> (a salesperson without a title) must not leave a gap.
    html_body = re.sub(r"(?:<br>\s*){2,}", "<br>", html_body)
    return Rendered(subject=subject, text=body.lstrip("\n"), html=html_body, qr_cid=qr_cid)


def qr_data(issued: Issued, config: ShowConfig) -> str:
    """What the invitation's QR carries: the short URL when the show has one (a phone that
    scans it opens the company's page), else the bare token (smaller, and nothing to open)."""
    return issued.url if config.short_url else issued.token


def qr_bytes(data: str) -> bytes:
    buf = io.BytesIO()
    qr_png(data, buf, scale=8)
    return buf.getvalue()


def address(name: str, email: str) -> Address:
    """A header address; raises InvitationError for one that cannot be sent as is."""
    try:
        return Address(display_name=_one_line(name), addr_spec=email.strip())
    except Exception as exc:  # the email package raises several defect and parse error types
        raise InvitationError(f"cannot use {email!r} as an email address ({exc})") from None


def build_message(issued: Issued, rendered: Rendered, qr: bytes) -> EmailMessage:
    """The invitation as a MIME message, From the salesperson, To the customer."""
    sp, contact = issued.salesperson, issued.contact
    msg = EmailMessage()
    msg["From"] = address(sp.name, sp.email)
    msg["To"] = address(contact.name, contact.email)
    msg["Subject"] = rendered.subject
    msg["Date"] = format_datetime(issued.issued_at)
    msg["Message-ID"] = make_msgid(domain=sp.email.rpartition("@")[2] or "kiosk.invalid")
    msg["X-Unsent"] = "1"
    msg.set_content(rendered.text)
    msg.add_alternative(rendered.html, subtype="html")
    # After set_content, which clears every Content-* header.
    msg["Content-Language"] = {"zh": "zh-CN"}.get(issued.language, issued.language)
    html_part = cast(EmailMessage, list(msg.iter_parts())[1])
    html_part.add_related(
        qr, "image", "png", cid=f"<{rendered.qr_cid}>", disposition="inline", filename=QR_FILENAME
    )
    return msg
