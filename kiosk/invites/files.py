"""`kiosk invite` as a library call: one salesperson's invitations written to a folder.

The folder gets one ready-to-send `.eml` per customer, each QR code as a PNG under `qr/`,
and `mail-merge.csv` for people who send from Outlook or Gmail mail merge. The CSV is
UTF-8 with a byte-order mark, because Excel reads a BOM-less CSV in the local code page
and turns Chinese names into mojibake.

Files are written first and the `invitation.sent` events recorded after, in one
transaction, so the log never claims an invitation whose file failed to be written.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from pathlib import Path

import sqlite_utils

from kiosk.config import ShowConfig
from kiosk.invites.invitations import (
    FilterTerm,
    Issued,
    customers_of,
    issue,
    parse_filter,
    record_sent,
)
from kiosk.invites.mail import (
    InvitationError,
    address,
    build_message,
    qr_bytes,
    qr_data,
    render,
)
from kiosk.models import Contact, Salesperson
from kiosk.safety import csv_dict_writer
from kiosk.text import normalize_email

CSV_NAME = "mail-merge.csv"
CSV_COLUMNS = ("address", "name", "subject", "body_text", "qr_file", "token", "url")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class Written:
    issued: Issued
    eml: Path
    qr: Path


@dataclass(frozen=True)
class InviteReport:
    salesperson: Salesperson
    out_dir: Path
    csv_path: Path
    written: tuple[Written, ...] = ()
    skipped: tuple[tuple[Contact, str], ...] = ()  # (contact, why)
    filter_terms: tuple[FilterTerm, ...] = field(default_factory=tuple)

    @property
    def by_language(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for w in self.written:
            out[w.issued.language] = out.get(w.issued.language, 0) + 1
        return dict(sorted(out.items()))


def _file_stem(contact_id: str, used: set[str]) -> str:
    """A file name from a contact id that is safe on every OS and unique in the folder."""
    stem = _UNSAFE.sub("_", contact_id).strip("._")[:80] or "contact"
    candidate, n = stem, 1
    while candidate.lower() in used:
        n += 1
        candidate = f"{stem}-{n}"
    used.add(candidate.lower())
    return candidate


def _skip_reason(contact: Contact) -> str | None:
    if not contact.email.strip():
        return "no email address"
    if not normalize_email(contact.email):
        return f"not a valid email address: {contact.email.strip()}"
    return None


def write_invitations(
    db: sqlite_utils.Database,
    config: ShowConfig,
    salesperson: Salesperson,
    out_dir: str | os.PathLike[str],
    *,
    query: str | None = None,
    template_dir: str | os.PathLike[str] | None = None,
    now: datetime,
    actor: str = "",
    progress: Callable[[int, int], None] | None = None,
) -> InviteReport:
    """Write invitations for the salesperson's customers (optionally filtered) into `out_dir`.

    Customers without a usable email address are skipped and listed in the report.
    Raises InvitationError when the salesperson has no email (there would be no sender) or
    a template is broken.
    """
    if not normalize_email(salesperson.email):
        raise InvitationError(
            f"{salesperson.name} has no valid email address to send invitations from"
        )
    address(salesperson.name, salesperson.email)  # refuse an unusable sender before any work
    out = Path(out_dir)
    (out / "qr").mkdir(parents=True, exist_ok=True)
    customers = customers_of(db, salesperson.id, query)
    skipped: list[tuple[Contact, str]] = []
    sendable = []
    for contact in customers:
        reason = _skip_reason(contact)
        if reason:
            skipped.append((contact, reason))
        else:
            sendable.append(contact)
    written: list[Written] = []
    rows: list[dict[str, str]] = []
    used: set[str] = set()
    for n, issued in enumerate(issue(db, config, salesperson, sendable, now=now), 1):
        rendered = render(config, issued, template_dir=template_dir)
        qr = qr_bytes(qr_data(issued, config))
        try:
            message = build_message(issued, rendered, qr).as_bytes(policy=policy.SMTP)
        except InvitationError as exc:
            skipped.append((issued.contact, str(exc)))
            continue
        stem = _file_stem(issued.contact.id or "", used)
        eml, png = out / f"{stem}.eml", out / "qr" / f"{stem}.png"
        eml.write_bytes(message)
        png.write_bytes(qr)
        written.append(Written(issued, eml, png))
        rows.append(
            {
                "address": issued.contact.email.strip(),
                "name": " ".join(issued.contact.name.split()),
                "subject": rendered.subject,
                "body_text": rendered.text,
                "qr_file": f"qr/{png.name}",
                "token": issued.token,
                "url": issued.url,
            }
        )
        if progress:
            progress(n, len(sendable))
    csv_path = out / CSV_NAME
    with csv_path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv_dict_writer(fh, CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    record_sent(db, config, [w.issued for w in written], actor=actor)
    return InviteReport(
        salesperson=salesperson,
        out_dir=out,
        csv_path=csv_path,
        written=tuple(written),
        skipped=tuple(skipped),
        filter_terms=tuple(parse_filter(query)),
    )
