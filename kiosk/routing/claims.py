"""Rule 6: the same new visitor filed at two kiosks.

Kiosks work offline, so two of them may file one visitor for two salespeople. When their
databases merge, the earliest *original* timestamp wins; every other claim is kept and, if it
names someone else, becomes a dispute for the manager. The order is total — (time, kiosk,
event uuid, salesperson) — so every kiosk that merges the same claims reaches the same answer
whatever order the events arrived in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from kiosk.models import Contact, Decision, Flag, Proposal, Salesperson
from kiosk.routing.rules import aware, iso, name_of
from kiosk.routing.territory import company_key
from kiosk.text import fold, normalize_email


@dataclass(frozen=True)
class Claim:
    """One kiosk's filing of a visitor: the event that filed it and whom it named.

    `ts` is stored in UTC (naive input is taken as UTC) so equal instants are equal claims.
    """

    event_uuid: str
    kiosk_id: str
    ts: datetime
    salesperson_id: str | None
    contact_key: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "ts", aware(self.ts).astimezone(UTC))


def visitor_key(contact: Contact) -> str | None:
    """The identity that tells two kiosks filed the same new visitor, or None if there is none.

    Email first (most specific), then the badge id, then folded name + company with the legal
    form stripped. Prefixed by kind so an email can never collide with a badge number.
    """
    email = normalize_email(contact.email)
    if email:
        return f"email:{email}"
    badge = (contact.badge_id or "").strip()
    if badge:
        return f"badge:{badge}"
    name = fold(contact.name)
    if name:
        return f"name:{name}|{company_key(contact.company)}"
    return None


def _order(claim: Claim) -> tuple[datetime, str, str, str]:
    return (claim.ts, claim.kiosk_id, claim.event_uuid, claim.salesperson_id or "")


def earliest_claim(claims: Sequence[Claim]) -> tuple[Claim, tuple[Claim, ...]]:
    """The winning claim and the others (losers, in order). Identical repeats count once.

    Raises ValueError for no claims or claims about different visitors: the caller groups
    claims by `contact_key` first, and mixing them would be a bug, not bad input.
    """
    unique = sorted(set(claims), key=_order)
    if not unique:
        raise ValueError("earliest_claim needs at least one claim")
    keys = {c.contact_key for c in unique}
    if len(keys) > 1:
        raise ValueError(f"claims concern different visitors: {sorted(keys)}")
    return unique[0], tuple(unique[1:])


def _when(claim: Claim) -> str:
    return claim.ts.strftime("%Y-%m-%d %H:%M:%S UTC")


def resolve_claims(
    claims: Sequence[Claim], *, salespeople: Mapping[str, Salesperson] | None = None
) -> Decision:
    """Rule 6 as a Decision: the earliest claim's salesperson, one dispute per other claimant.

    A later claim naming the same person (or nobody) is a duplicate, listed in the evidence
    but not disputed. Several later claims by one person give one dispute (their earliest).
    """
    people = salespeople or {}
    winner, losers = earliest_claim(claims)
    evidence = {
        "contact_key": winner.contact_key,
        "winner_at": iso(winner.ts),
        "winner_kiosk": winner.kiosk_id,
        "winner_event": winner.event_uuid,
        "winner_id": winner.salesperson_id or "",
    }
    proposals: list[Proposal] = []
    disputed: set[str] = set()
    for i, loser in enumerate(losers, start=1):
        evidence[f"claim_{i}_at"] = iso(loser.ts)
        evidence[f"claim_{i}_kiosk"] = loser.kiosk_id
        evidence[f"claim_{i}_event"] = loser.event_uuid
        evidence[f"claim_{i}_id"] = loser.salesperson_id or ""
        sp = loser.salesperson_id
        if sp is None or sp == winner.salesperson_id or sp in disputed:
            continue
        disputed.add(sp)
        reason = (
            f"Also filed for {name_of(people, sp)} at {loser.kiosk_id} on {_when(loser)}, "
            f"after {name_of(people, winner.salesperson_id)} at {winner.kiosk_id} "
            f"on {_when(winner)}; the earliest claim stands until the manager decides"
        )
        proposals.append(Proposal("dispute", sp, winner.salesperson_id, reason))
    reason = (
        f"Earliest claim: {name_of(people, winner.salesperson_id)} at {winner.kiosk_id} "
        f"on {_when(winner)}"
    )
    if proposals:
        reason += f"; {len(proposals)} later claim(s) by others disputed"
    flags: set[Flag] = {"dispute", "needs-decision"} if proposals else set()
    return Decision(
        salesperson_id=winner.salesperson_id,
        rule="earliest-claim",
        reason=reason,
        evidence=evidence,
        flags=frozenset(flags),
        proposals=tuple(proposals),
    )


def namesake_disputes(
    decision: Decision,
    namesakes: Sequence[Contact],
    *,
    salespeople: Mapping[str, Salesperson] | None = None,
) -> Decision:
    """Rule 6 at one kiosk: a visitor filed as another person than a customer on file with
    the same name and company (the person filing said so, or completed a walk-in with them).

    Most often it is the same customer with a new card, filed for a second salesperson: two
    owners for one customer, and the manager never told. The filing stands (staff may be
    right: a namesake), but each namesake's owner other than the one the new visitor was
    routed to gets a 'dispute' for the manager; approving it gives the new visitor to that
    owner. The evidence names the first such namesake (`same_as_*`).
    """
    people = salespeople or {}
    routed = decision.salesperson_id
    proposals: list[Proposal] = []
    evidence = dict(decision.evidence)
    for known in namesakes:
        owner = known.owner_id
        if not owner or owner == routed or any(p.proposed_id == owner for p in proposals):
            continue
        if not proposals:
            evidence |= {
                "same_as_id": known.id or "",
                "same_as_name": known.name,
                "same_as_company": known.company,
                "same_as_owner": owner,
            }
        company = f" ({known.company})" if known.company else ""
        reason = (
            f"Same name and company as {known.name}{company} [{known.id}], a customer of "
            f"{name_of(people, owner)}, but filed as another visitor for "
            f"{name_of(people, routed)}; if it is the same customer, approving gives this "
            f"visitor to {name_of(people, owner)}"
        )
        proposals.append(Proposal("dispute", owner, routed, reason))
    if not proposals:
        return decision
    return replace(
        decision,
        evidence=evidence,
        flags=decision.flags | {"dispute", "needs-decision"},
        proposals=decision.proposals + tuple(proposals),
    )
