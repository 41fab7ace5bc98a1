"""A visit as JSON: the stable `--json` shape of contacts, decisions and visits.

It lives with the visit service because it is part of the one answer: `kiosk lookup`,
`kiosk checkin` and the TUI's parity test all read a visit through `visit_dict`. The JSON
shape is documented in the README (CLI reference); scripts depend on it, so add keys
freely but never rename or remove one.
"""

from __future__ import annotations

from typing import Any

from kiosk.models import PERSON_FIELDS, Contact, Decision, Salesperson
from kiosk.store import iso

CONTACT_KEYS = (
    "id",
    "crm_id",
    *PERSON_FIELDS,
    "grade",
    "owner_id",
    "assistant_id",
    "split",
    "preferred_id",
    "source",
    "badge_id",
)
TIME_KEYS = ("filed_at", "first_contact_at", "last_contact_at", "last_deal_at")


def contact_dict(c: Contact) -> dict[str, Any]:
    """A contact without notes (notes are never part of lookup output)."""
    out: dict[str, Any] = {k: getattr(c, k) for k in CONTACT_KEYS}
    out["first_contact_by"] = c.first_contact_by
    for k in TIME_KEYS:
        out[k] = iso(getattr(c, k))
    return out


def person_dict(sp: Salesperson | None) -> dict[str, Any] | None:
    if sp is None:
        return None
    return {
        "id": sp.id,
        "name": sp.name,
        "email": sp.email,
        "phone": sp.phone,
        "languages": list(sp.languages),
        "away": sp.away,
    }


def decision_dict(d: Decision, salespeople: dict[str, Salesperson]) -> dict[str, Any]:
    return {
        "owner": person_dict(salespeople.get(d.salesperson_id or "")),
        "rule": d.rule,
        "reason": d.reason,
        "evidence": dict(d.evidence),
        "flags": sorted(d.flags),
        "proposals": [
            {
                "kind": p.kind,
                "proposed": person_dict(salespeople.get(p.proposed_id or "")),
                "current": person_dict(salespeople.get(p.current_id or "")),
                "split": p.split,
                "reason": p.reason,
            }
            for p in d.proposals
        ],
        "territory_rule_id": d.territory_rule_id,
    }


def visit_dict(visit: Any, salespeople: dict[str, Salesperson]) -> dict[str, Any]:
    """A `kiosk.visits.Visit` as JSON: what the card shows and what was recorded.

    The same object for `kiosk lookup --json` (key `visit`), `kiosk checkin --json` and the
    TUI's card, so a script can check that every path gives one answer.
    """
    out: dict[str, Any] = {
        "status": visit.status,
        "contact": contact_dict(visit.contact),
        "how": visit.how,
        "checkin_id": visit.checkin_id,
        "checked_in_at": iso(visit.checked_in_at),
        "recorded": visit.recorded,
        "repeat": visit.repeat,
        "walkin": visit.walkin,
        "invited_by": visit.invited_by,
        "refused": visit.refused,
        "candidates": [
            {
                "contact": contact_dict(c.contact),
                "how": c.how,
                "score": c.score,
                "owner": person_dict(c.owner),
            }
            for c in visit.candidates
        ],  # fmt: skip
    }
    if visit.decision is not None:
        out.update(decision_dict(visit.decision, salespeople))
    else:
        out.update(owner=None, rule=None, reason=None, evidence={}, flags=[], proposals=[],
                   territory_rule_id=None)  # fmt: skip
    return out
