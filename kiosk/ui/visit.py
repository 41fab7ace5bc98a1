"""What a visitor card shows, as one frozen record built from a scan, a search or a new lead.

UI-free (no Textual), so the card's content — who the visitor is, whom to call, why, and
whether they were checked in — is decided and tested apart from how it is drawn.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from kiosk.models import Contact, Decision, Salesperson

# Card colours follow these statuses (see kiosk.tcss).
STATUSES = ("known", "new", "decision", "choose", "unreadable", "refused")


@dataclass(frozen=True)
class Candidate:
    """One of several contacts a scan or search could mean."""

    contact: Contact
    how: str
    score: float
    owner: Salesperson | None


@dataclass(frozen=True)
class Visit:
    """A visitor as the card shows them.

    `contact` is the CRM contact when known, else the unknown visitor read from the badge
    (`id` None). `decision` is whom to call and why (None while choosing among
    `candidates`). `checkin_id` is set once the visit is recorded; `repeat` says the same
    person was already checked in a few minutes ago (a second scan records nothing new).
    """

    contact: Contact
    decision: Decision | None
    owner: Salesperson | None = None
    badge: Any = None  # kiosk.badges.Badge, when the visit started with a scan
    payload: str = ""
    how: str = ""
    checkin_id: str | None = None
    checked_in_at: datetime | None = None
    repeat: bool = False
    received_by: str | None = None
    candidates: tuple[Candidate, ...] = ()
    invited_by: str | None = None
    refused: str | None = None  # why an invitation was refused (forged, other show, …)
    lead_id: str | None = None

    @property
    def status(self) -> str:
        if self.refused:
            return "refused"
        if self.candidates and self.decision is None:
            return "choose"
        if self.decision is None or (not self.contact.known and not _readable(self)):
            return "unreadable"
        if "needs-decision" in self.decision.flags:
            return "decision"
        # A lead filed a moment ago is a contact now, but for the booth still a new visitor.
        return "known" if self.contact.known and self.lead_id is None else "new"

    def with_checkin(self, checkin_id: str, at: datetime, decision: Decision) -> Visit:
        return replace(self, checkin_id=checkin_id, checked_in_at=at, decision=decision)


def _readable(v: Visit) -> bool:
    c = v.contact
    return bool(c.name.strip() or c.email or c.company.strip() or c.badge_id or c.phone)


def visible(raw: str) -> str:
    """Scanner text with control characters made visible (␀, ␛, …); newlines and tabs kept.

    An unreadable badge is shown as it was read, so reception can see what went wrong — but
    an escape sequence must never reach the terminal as one.
    """
    out = []
    for ch in raw:
        code = ord(ch)
        if ch in "\n\t":
            out.append(ch)
        elif code < 0x20:
            out.append(chr(0x2400 + code))
        elif code == 0x7F:
            out.append("␡")
        else:
            out.append(ch)
    return "".join(out)


def visitor_from_badge(badge: Any, country: str | None = None) -> Contact:
    """An unknown visitor as the routing engine and the lead form see them."""
    if badge is None:
        return Contact(id=None, name="", country=country)
    return Contact(
        id=None,
        name=badge.name or "",
        company=badge.company or "",
        email=badge.email or "",
        phone=badge.phone or "",
        country=country or badge.country,
        city=getattr(badge, "city", "") or "",
        title=badge.title or "",
        badge_id=badge.badge_id,
    )
