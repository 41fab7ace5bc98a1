"""The show's badge layout, learnt from its first scans and confirmed by the manager.

Registration vendors print `ID^First^Last^Company^…` in their own order. The parser reads a
badge by content when the configured `[badges] fields` do not fit it (`Badge.inferred`); here
the recent scans the kiosk recorded are read together (`kiosk.badges.propose_layout`), and
when they agree on another layout than the one in force, it is offered to the manager
(`kiosk badges layout`, the manager view). Confirming it is a `badges.layout` event, so it
merges and syncs, and from then on it is the show's layout (`kiosk.show.show_config`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiosk.config import ShowConfig
from kiosk.show import learned_layout

if TYPE_CHECKING:  # the badge parsers load with the first offer (`layout_offer`)
    import sqlite_utils

    from kiosk.badges import LayoutProposal

# How many recent scans are read, and how sure the proposal must be before it is offered.
RECENT_SCANS = 60
OFFER_FROM = 0.75


@dataclass(frozen=True)
class LayoutOffer:
    """A layout the recent scans agree on that differs from the one in force."""

    proposal: LayoutProposal
    current: tuple[str, ...]
    learned: bool  # the layout in force was itself confirmed at the booth


def recent_scans(db: sqlite_utils.Database, limit: int = RECENT_SCANS) -> list[str]:
    """The raw text of the latest scans the kiosk recorded (check-ins and walk-ins)."""
    rows = db.execute(
        "SELECT json_extract(payload, '$.raw') FROM events"
        " WHERE kind IN ('checkin', 'walkin.arrived')"
        " AND coalesce(json_extract(payload, '$.raw'), '') <> ''"
        " ORDER BY ts_utc DESC LIMIT ?",
        [limit],
    ).fetchall()
    return [str(r[0]) for r in rows]


def _in_force(proposal: LayoutProposal, current: tuple[str, ...]) -> bool:
    """Whether the proposal says what the current layout already says (trailing unused
    columns of the current layout do not count)."""
    return tuple(current[: len(proposal.fields)]) == tuple(proposal.fields)


def layout_offer(db: sqlite_utils.Database, config: ShowConfig) -> LayoutOffer | None:
    """The layout to offer the manager, or None (too few scans, unsure, or already in force)."""
    # measured start-up cost: kiosk.badges (~21 ms), first needed here
    from kiosk.badges import propose_layout

    proposal = propose_layout(recent_scans(db))
    if proposal is None or proposal.confidence < OFFER_FROM:
        return None
    current = tuple(config.badge_fields)
    if _in_force(proposal, current):
        return None
    return LayoutOffer(proposal, current, learned=learned_layout(db) is not None)


def offer_dict(offer: LayoutOffer | None, config: ShowConfig) -> dict[str, object]:
    """The layout in force and the offer, as `kiosk badges layout --json` prints them."""
    out: dict[str, object] = {"fields": list(config.badge_fields), "offer": None}
    if offer is not None:
        p = offer.proposal
        out["offer"] = {
            "fields": list(p.fields),
            "confidence": round(p.confidence, 3),
            "scans": p.scans,
            "agreeing": p.agreeing,
            "delimiter": p.delimiter,
        }
    return out
