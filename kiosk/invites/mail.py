"""An invitation as an email: editable templates, localized dates, and a MIME message.

Dates are written for the customer's locale by babel (CLDR): the language of the invitation,
in the variant of the customer's country (`date_locale`).

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

import functools
import html
import io
import itertools
import os
import re
import string
import unicodedata
from dataclasses import dataclass
from datetime import date
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from importlib import resources
from pathlib import Path
from typing import cast

import phonenumbers
from babel import Locale, UnknownLocaleError
from babel.dates import format_date, match_skeleton, parse_pattern

from kiosk.config import ShowConfig
from kiosk.errors import KioskError
from kiosk.invites.invitations import INVITATION_LANGUAGES, Issued
from kiosk.invites.qr import qr_png

LANGUAGES = INVITATION_LANGUAGES
QR_FILENAME = "invitation-qr.png"

_NO_DATES = {
    "en": "dates to be announced",
    "zh": "日期待定",
    "es": "fechas por confirmar",
    "ja": "日程未定",
    "ko": "일정 미정",
    "de": "Termin folgt",
    "fr": "dates à confirmer",
    "pt": "datas a confirmar",
}
_BOOTH = {
    "en": "Booth {}",
    "zh": "展位 {}",
    "es": "Stand {}",
    "ja": "ブース {}",
    "ko": "부스 {}",
    "de": "Stand {}",
    "fr": "Stand {}",
    "pt": "Estande {}",
}
_JOIN = {"zh": "，", "ja": "、"}  # others: ", "
_TBA = {
    "en": "to be announced",
    "zh": "待定",
    "es": "por confirmar",
    "ja": "未定",
    "ko": "미정",
    "de": "wird noch bekannt gegeben",
    "fr": "à confirmer",
    "pt": "a confirmar",
}
# The locale a language's dates are written in when the customer's country has no variant
# of it: English as written internationally ('24–27 November 2026', not the US order).
_DEFAULT_LOCALES = {"en": "en_001"}


class InvitationError(KioskError, ValueError):
    """An invitation cannot be written; the message says what to fix."""


def _base(locale: str) -> str:
    """'pt_BR' → 'pt'; an unknown language → 'en' (for the phrase tables above)."""
    lang = locale.replace("-", "_").split("_", 1)[0].lower()
    return lang if lang in _BOOTH else "en"


@functools.lru_cache(maxsize=256)
def date_locale(lang: str, language: str | None = None, country: str | None = None) -> str:
    """The CLDR locale to write dates in for a customer written to in `lang`: the region
    their CRM language names ('pt-PT', 'en_US'), else their country's variant of `lang`
    ('de' + AT → 'de_AT', 'en' + US → 'en_US', 'zh' + TW → 'zh_Hant_TW'), else `lang`'s
    default. Always a locale of `lang` itself, never another language's."""
    candidates = []
    if language:
        candidates.append(language.strip().replace("-", "_"))
    if country:
        candidates.append(f"{lang}_{country.strip().upper()}")
    for candidate in candidates:
        try:
            found = Locale.parse(candidate)
        except (ValueError, TypeError, UnknownLocaleError):
            continue
        if found.language == lang and found.territory:
            return str(found)
    return _DEFAULT_LOCALES.get(lang, lang)


def _long_months(pattern: str, long_date: str) -> str:
    """Spell months out ('Nov' → 'November') where the locale's long date does ('d MMMM y'),
    but not where its long date writes the month as a number ('y年M月d日')."""
    if "MMMM" not in long_date and "LLLL" not in long_date:
        return pattern
    return re.sub(r"(?<![ML])([ML])\1\1(?![ML])", r"\1\1\1\1", pattern)


def format_dates(start: date | None, end: date | None, locale: str) -> str:
    """The show's dates as people write them in `locale` (a language, 'de', or a CLDR locale,
    'pt_BR'), months spelt out, the shortest range that is unambiguous, by CLDR (babel):

    en: '24–27 November 2026'; en_US: 'November 24 – 27, 2026'; de: '24.–27. November 2026';
    fr: '24–27 novembre 2026'; ja: '2026年11月24日～27日'; ko: '2026년 11월 24일~27일'.
    """
    if start is None:
        start, end = end, None
    if start is None:
        return _NO_DATES[_base(locale)]
    loc = Locale.parse(_DEFAULT_LOCALES.get(locale, locale))
    long_date = loc.date_formats["long"].pattern
    if end is None or end <= start:
        return format_date(start, "long", locale=loc)
    formats = loc.interval_formats
    skeleton = match_skeleton("yMMMMd", formats)
    greatest = "y" if start.year != end.year else "M" if start.month != end.month else "d"
    parts = formats[skeleton].get(greatest) if skeleton else None
    if not parts:  # no range pattern: the locale's fallback, '{0} – {1}'
        return str(formats[None]).format(
            format_date(start, "long", locale=loc), format_date(end, "long", locale=loc)
        )
    return "".join(
        parse_pattern(_long_months(pattern, long_date)).apply(day, loc)
        for pattern, day in zip(parts, (start, end), strict=True)
    )


def booth_label(booth: str, lang: str) -> str:
    """'Booth A20' / '展位 A20' / 'Stand A20' / 'ブース A20' …"""
    return _BOOTH[_base(lang)].format(" ".join(booth.split()))


def where(config: ShowConfig, lang: str) -> str:
    """Booth and venue in one phrase ('Booth A20, Messe Frankfurt')."""
    parts = []
    if config.booth.strip():
        parts.append(booth_label(config.booth, lang))
    if config.venue.strip():
        parts.append(config.venue.strip())
    base = _base(lang)
    return _JOIN.get(base, ", ").join(parts) or _TBA[base]


def _one_line(value: str | None) -> str:
    """CRM text on one line: a newline in a name must not break a header or a template line."""
    return " ".join((value or "").split())


def pretty_phone(phone: str) -> str:
    """'+8613800000003' → '+86 138 0000 0003': grouped as the number's own country writes it."""
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
    locale = date_locale(lang, contact.language, contact.country)
    return {
        "contact_name": _one_line(contact.name),
        "contact_company": _one_line(contact.company),
        "show_name": _one_line(config.name),
        "show_dates": format_dates(config.start, config.end, locale),
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


_P = '<p style="font-size:15px;line-height:1.5">{}</p>'
_MUTED = "color:#5b6472"
_WRAPPED = 60  # a text line this wide (in cells) was wrapped: the HTML lets it flow again


def _cells(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


def _joined(lines: list[str]) -> str:
    """A paragraph's lines, escaped: wrapped lines flow together (no space between CJK
    lines), short ones (an address block, a name under a company) keep their breaks."""
    out = html.escape(lines[0])
    for prev, line in itertools.pairwise(lines):
        if _cells(prev) >= _WRAPPED:
            wide = _cells(prev[-1:]) == 2 or _cells(line[:1]) == 2
            out += ("" if wide else " ") + html.escape(line)
        else:
            out += "<br>" + html.escape(line)
    return out


def _details(lines: list[str]) -> str:
    """'  When:  24–27 November 2026' lines as a two-column table."""
    rows = []
    for line in lines:
        found = re.match(r"([^:：]*)[:：]\s*(.*)", line.strip())
        label, value = (found[1], found[2]) if found else ("", line.strip())
        rows.append(
            f'<tr><td style="{_MUTED}">{html.escape(label.strip())}</td>'
            f"<td><strong>{html.escape(value)}</strong></td></tr>"
        )
    return (
        '<table role="presentation" cellpadding="4" cellspacing="0"'
        ' style="font-size:15px;margin:8px 0 16px">' + "".join(rows) + "</table>"
    )


def _signature(lines: list[str]) -> str:
    parts = [f"<strong>{html.escape(lines[0])}</strong>"]
    for line in lines[1:]:
        text = html.escape(line)
        for address_ in re.findall(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", line):
            safe = html.escape(address_)
            text = text.replace(safe, f'<a href="mailto:{safe}">{safe}</a>')
        parts.append(text)
    return _P.format("<br>".join(parts))


def _qr_image(qr_cid: str, alt: str) -> str:
    return (
        f'<p style="text-align:center;margin:24px 0"><img src="cid:{qr_cid}"'
        f' width="240" height="240" alt="{html.escape(alt, quote=True)}"'
        ' style="display:inline-block;width:240px;height:240px"></p>'
    )


def text_to_html(text: str, *, token: str, qr_cid: str) -> str:
    """The plain-text invitation as the HTML body: paragraphs, the indented 'label: value'
    block as a table, the QR image above the paragraph with the invitation code (or above the
    signature, when an edited text leaves the code out), and the last paragraph as the
    signature. Every text is escaped here."""
    paragraphs = [p.split("\n") for p in re.split(r"\n\s*\n", text) if p.strip()]
    out: list[str] = []
    has_qr = False
    for i, lines in enumerate(paragraphs):
        last = i == len(paragraphs) - 1 and len(paragraphs) > 1
        if all(line.startswith("  ") for line in lines):
            out.append(_details(lines))
        elif token and any(token in line for line in lines):
            label = lines[0].split(token, 1)[0].strip().rstrip(":：").strip()
            out.append(_qr_image(qr_cid, label or "QR"))
            has_qr = True
            out.append(
                f'<p style="font-size:12px;{_MUTED};text-align:center;word-break:break-all">'
                f"{_joined(lines)}</p>"
            )
        elif last:
            if not has_qr:
                out.append(_qr_image(qr_cid, "QR"))
                has_qr = True
            out.append(_signature(lines))
        else:
            out.append(_P.format(_joined(lines)))
    if not has_qr:
        out.append(_qr_image(qr_cid, "QR"))
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
    own_html = Path(template_dir) / html_name if template_dir is not None else None
    if own_html is not None and own_html.is_file():  # an HTML file of the show's own
        html_body = _fill(
            html_name, load_template(html_name, template_dir), escaped | {"qr_cid": qr_cid}
        )
    else:  # the text, laid out: one layout for every language, so they never drift apart
        page = text_to_html(body.strip("\n"), token=fields["token"], qr_cid=qr_cid)
        layout = {"html_lang": lang, "title": html.escape(subject), "body": page}
        html_body = _fill("invitation.html", load_template("invitation.html"), layout)
    # An empty field between two <br> (a salesperson without a title) must not leave a gap,
    # nor one at the start of a paragraph (a customer without a company above their name).
    html_body = re.sub(r"(?:<br>\s*){2,}", "<br>", html_body)
    html_body = re.sub(r"(<p(?:\s[^>]*)?>)\s*<br>", r"\1", html_body)
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
