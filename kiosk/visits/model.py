"""What a visitor card shows, as one frozen record: `Visit` (and the `Candidate`s to choose).

UI-free, so the card's content — who the visitor is, whom to call, why, and whether they
were checked in — is decided and tested apart from how it is drawn. Also the small
judgements about a scanned badge the service makes: readable, identifying a person.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from kiosk.lookup import LookupResult
from kiosk.models import Contact, Decision, Salesperson
from kiosk.text import normalize_email

# Badge kinds that carry a person's fields in known places (a walk-in can be recorded).
_STRUCTURED = ("vcard", "mecard", "bizcard", "json", "url", "registration", "delimited")

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
    brought_by: str | None = None  # of a repeat: who brought them with that check-in
    candidates: tuple[Candidate, ...] = ()
    invited_by: str | None = None
    refused: str | None = None  # why an invitation was refused (forged, other show, …)
    # a bare code unlike this show's badge ids: one of theirs, as an example (`id_shape`)
    unlike: str | None = None
    lead_id: str | None = None
    walkin: bool = False  # an unknown visitor recorded as an arrival by this scan
    found: LookupResult | None = None  # what the lookup saw (matches, kind, message)
    country: str | None = None  # the country a query named (routing preview)
    recorded: bool = False  # this call wrote a check-in (a repeat inside the window does not)
    # drawn before its check-in could be written (the database locked or refusing): the
    # kiosk keeps the scan and tries again (`kiosk.ui.scanning`)
    pending: bool = False

    @property
    def status(self) -> str:
        if self.refused:
            return "refused"
        if self.candidates and self.decision is None:
            return "choose"
        if self.unlike is not None:
            return "unreadable"
        if self.decision is None or (not self.contact.known and not _readable(self)):
            return "unreadable"
        if "needs-decision" in self.decision.flags:
            return "decision"
        # A lead filed a moment ago, or a walk-in, is a contact now, but for the booth still
        # a new visitor: only CRM customers are "known" (a lead filed on one is theirs).
        return "known" if self.contact.known and self.contact.source != "booth" else "new"

    def with_checkin(self, checkin_id: str, at: datetime, decision: Decision) -> Visit:
        return replace(self, checkin_id=checkin_id, checked_in_at=at, decision=decision)


def _readable(v: Visit) -> bool:
    c = v.contact
    return bool(c.name.strip() or c.email or c.company.strip() or c.badge_id or c.phone)


def visible(raw: str) -> str:
    """Scanner text with control characters made visible (␀, ␛, <U+202E> …); newlines and
    tabs kept.

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
        elif 0x80 <= code <= 0x9F or 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
            out.append(f"<U+{code:04X}>")  # a C1 control or a bidi override: named, inert
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


def unreadable(badge: Any) -> bool:
    """Nothing on this badge identifies a person: no letters in any name, no email, phone or id."""
    if badge is None or badge.kind == "empty":
        return True
    has_name = any(ch.isalpha() for ch in (badge.name or "") + (badge.company or ""))
    return not (has_name or badge.email or badge.phone or badge.badge_id)


def identifies(badge: Any) -> bool:
    """Whether a badge names a person well enough to record them as a walk-in arrival.

    A badge id, an e-mail or a phone does; so does a structured card with a name. Free
    text ('Lighting Electronics') does not: it is a search, not a visitor.
    """
    if badge is None or unreadable(badge):
        return False
    if badge.badge_id or normalize_email(badge.email or "") or badge.phone:
        return True
    return badge.kind in _STRUCTURED and bool((badge.name or "").strip())


def separate_scans(payload: str, parse: Callable[[str], Any]) -> list[str]:
    """The scans one burst holds: its lines, each a scan of its own, when the whole names
    nobody but every line identifies a person; else the burst alone.

    A scanner emptying its memory, or two badges scanned back to back, types them as one
    burst ('GLE26-0300115\\nGLE26-0577760'): read whole, that is an unreadable badge and
    both visitors were lost. A multi-line badge stays one scan: a vCard or a MECARD reads
    as one person, and a plain-text badge has lines that name nobody alone ('José
    Martínez', 'Lumen Ltd'). `parse` is the show's badge reader (`kiosk.badges.parse_badge`
    with its field order). The lines are read first, as each alone must identify someone,
    so a text badge is told apart at its first such line.
    """
    if "\n" not in payload:
        return [payload]
    lines = [line for line in (part.strip() for part in payload.split("\n")) if line]
    if len(lines) < 2 or not all(identifies(parse(line)) for line in lines):
        return [payload]
    return [payload] if not unreadable(parse(payload)) else lines


def badge_fields(badge: Any) -> dict[str, Any]:
    """The parsed fields of a badge, as an event keeps them."""
    if badge is None:
        return {}
    keys = ("kind", "badge_id", "name", "company", "title", "email", "phone", "country", "city",
            "payload_format", "inferred")  # fmt: skip
    out = {k: getattr(badge, k, None) for k in keys}
    out["layout"] = list(getattr(badge, "layout", None) or ())
    out["warnings"] = list(getattr(badge, "warnings", ()) or ())
    return out
