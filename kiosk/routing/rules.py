"""The routing engine's vocabulary: rule names, flags, and how times, people and splits read.

The bottom of the `kiosk.routing` package: the owner, territory and claim steps and the
engine (`kiosk.routing.decide`) all speak it, and it imports none of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from kiosk.models import RuleName, Salesperson

#: The commission split a proposal may suggest, whatever a config or a proposal says.
SPLIT_CEILING = 0.5

RULES: dict[RuleName, str] = {
    "existing-owner": "A known customer is received by the CRM owner.",
    "owner-precedence": "CRM owner and first contact differ; the configured precedence decides.",
    "lapsed-owner": "No deal or contact for longer than lapse_days; reassignment is proposed.",
    "brought-by": "Another salesperson brought the customer; the owner stays, assistant proposed.",
    "customer-preference": "The customer asked for someone else; the manager decides.",
    "key-account-domain": "New visitor matched a key-account rule by email domain.",
    "key-account-company": "New visitor matched a key-account rule by company name.",
    "territory-country": "New visitor routed by the territory rule for their country.",
    "territory-region": "New visitor routed by the territory rule for their region group.",
    "default-owner": "New visitor matched no specific territory; the default rule applies.",
    "unrouted": "Nobody available matches this visitor; reception must find someone.",
    "earliest-claim": "Two kiosks filed the same visitor; the earliest original timestamp wins.",
    "walk-in": "A walk-in seen again: reception's routing stands until a lead claims them.",
}


def aware(dt: datetime) -> datetime:
    """Naive datetimes are taken as UTC, so that comparisons never raise."""
    return dt if dt.tzinfo is not None else dt.replace(tzinfo=UTC)


def iso(dt: datetime) -> str:
    """The evidence format: ISO 8601 with zone, to the second."""
    return aware(dt).isoformat(timespec="seconds")


def day(dt: datetime) -> str:
    """The reason format: YYYY-MM-DD in the timestamp's own zone."""
    return aware(dt).strftime("%Y-%m-%d")


def name_of(salespeople: Mapping[str, Salesperson], sp_id: str | None) -> str:
    """A person's display name, falling back to the raw id so an unknown id is still visible."""
    if sp_id is None:
        return "nobody"
    sp = salespeople.get(sp_id)
    return (sp.name or sp_id) if sp is not None else sp_id


def cap_split(value: float | None, max_split: float = SPLIT_CEILING) -> float | None:
    """Clamp a suggested split into [0, min(max_split, 0.5)]; NaN becomes 0."""
    if value is None:
        return None
    ceiling = min(max_split, SPLIT_CEILING) if max_split >= 0 else 0.0
    if not value >= 0:  # also catches NaN
        return 0.0
    return min(float(value), ceiling)


def percent(split: float) -> str:
    return f"{round(split * 100)}%"
