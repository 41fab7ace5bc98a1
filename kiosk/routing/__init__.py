"""The ownership engine: who should receive this visitor, which rule said so, and the evidence.

Pure functions over `kiosk.models` records — no I/O, no clock (the caller passes `now`), no
database — so the kiosk, the CLI, the sync script and the tests all get the same answer.
The engine only *proposes* changes of ownership; the manager decides (`decide_proposal`).

Public API (names are stable):

- ``RULES`` — rule name → one-line description. Every Decision's ``rule`` is a key of it.
- ``decide(visitor, *, salespeople, rules, config, now, brought_by=None, preferred_id=None,
  invited_by=None, rotation_counts=None, open_dispute=False, in_region=None, settled=None,
  filed_by=None, invited_visit_at=None) -> Decision`` — rules 1–5 for one visitor at the
  booth; ``settled`` (a ``Settled``) is the manager's decision in force for them, which no
  conflict, lapse or proposal reopens; ``filed_by`` is who filed a visitor the booth filed
  (the one who brought their first lead), which the evidence names when it is not the
  owner; ``invited_visit_at`` is the latest visit an invitation of the owner brought, which
  rule 3 counts as the owner's contact.
- ``route_unknown(visitor, *, salespeople, rules, now, rotation_counts=None, in_region=None,
  rotation='round-robin', exclude=()) -> Decision`` — rule 5 alone (territory routing).
- ``Claim``, ``earliest_claim(claims) -> (winner, losers)``, ``resolve_claims(claims, *,
  salespeople=None) -> Decision`` — rule 6, the same new visitor filed at two kiosks.
- ``visitor_key(contact) -> str | None`` — the identity that groups those claims.
- ``namesake_disputes(decision, namesakes, *, salespeople=None) -> Decision`` — rule 6 at
  one kiosk: a new visitor filed as a different person from a customer with the same name
  and company; each other owner's dispute goes to the manager.
- ``decide_proposal(contact, proposal, approve, *, assign_to=None) -> Contact`` — the
  manager's decision applied to a contact.
- ``company_key(name) -> str`` — company name folded with its legal form stripped.

How ``decide`` reads:

- A known customer (``id`` set) whose ``owner_id`` is a current salesperson follows rules 1–4.
  The owner is called — or, when ``first_contact_by`` names someone else, whoever
  ``config.precedence`` picks ('filed' → the CRM owner, 'first_contact' → the first contact),
  with a 'reassign' proposal if that is not the CRM owner. Lapse, brought-by and preference
  add flags and proposals but never change who is called. ``rule`` names the most
  consequential rule that applied: owner-precedence > lapsed-owner > brought-by >
  customer-preference > existing-owner; ``flags`` carry the rest.
- Anyone else — a new visitor, or a customer with no owner or an owner who is no longer a
  salesperson — is routed by territory (rule 5), and ``rule`` is the territory rule's name.
  For a customer this also proposes making the routed person the owner. Rules 2 and 4 still
  add their proposals.
- Territory rules are tried in tiers — key accounts (domain, company), country, region,
  default — by ``position`` within a tier; the first match with someone present wins. A
  known customer matching a key-account rule is only flagged 'key-account'.
- If nothing matches, or everyone on the matching rules is away, the rule is 'unrouted' and
  ``salesperson_id`` is None (calling an absent default owner would leave the visitor
  standing); the evidence lists who was away, and a bringer is proposed as owner.
- An owner marked away is still called (ownership does not move for a lunch break); the
  flag 'owner-away' and the evidence name a backup: the assistant, else the bringer.
- ``Proposal.current_id`` is always the owner now: the person who would be replaced, or
  assisted (for a dispute, the winning claim's salesperson).
- A lapsed owner's replacement is rule 5's pick, or a colleague on the same territory rule
  when that pick is the owner; never a broader rule's catch-all (then the manager decides).
- Flags: known, new-visitor, no-owner, owner-missing, ownership-conflict, lapsed,
  brought-by, preference, key-account, invited, dispute, owner-away, unrouted and
  needs-decision (the manager has something to decide: a proposal, a lapse, a dispute or
  an unrouted visitor).
- Region rules call ``in_region(alpha2, rule_value)``; by default that is
  ``kiosk.countries.regions.in_group`` after ``kiosk.countries.regions.normalize_group``, imported only when a
  region rule is first tried. ``rotation_counts[(rule_id, salesperson_id)]`` is how many
  visitors that rule already sent to that person.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from functools import partial

from kiosk.config import ShowConfig
from kiosk.models import Contact, Decision, Proposal, Salesperson, TerritoryRule
from kiosk.routing.arrangement import Settled
from kiosk.routing.claims import (
    Claim,
    earliest_claim,
    namesake_disputes,
    resolve_claims,
    visitor_key,
)
from kiosk.routing.owner import (
    brought_by_rule,
    by_territory,
    lapse,
    owner_away,
    owner_stands,
    preference,
)
from kiosk.routing.rules import RULES, aware, cap_split
from kiosk.routing.territory import (
    InRegion,
    company_key,
    describe_match,
    key_account_rule,
    route_unknown,
)

__all__ = [
    "RULES",
    "Claim",
    "Settled",
    "InRegion",
    "company_key",
    "decide",
    "decide_proposal",
    "earliest_claim",
    "namesake_disputes",
    "resolve_claims",
    "route_unknown",
    "visitor_key",
]


def decide(
    visitor: Contact,
    *,
    salespeople: Mapping[str, Salesperson],
    rules: Sequence[TerritoryRule],
    config: ShowConfig,
    now: datetime,
    brought_by: str | None = None,
    preferred_id: str | None = None,
    invited_by: str | None = None,
    rotation_counts: Mapping[tuple[int, str], int] | None = None,
    open_dispute: bool = False,
    in_region: InRegion | None = None,
    settled: Settled | None = None,
    filed_by: str | None = None,
    invited_visit_at: datetime | None = None,
) -> Decision:
    """Who should receive `visitor` now, by rules 1–5 (see the module docstring); `settled`
    is the manager's decision in force for them, if any (`arrangement.Settled`), `filed_by`
    who filed them when the booth did (else the owner, or the CRM's), and
    `invited_visit_at` when an invitation of the owner last brought them (`owner.lapse`)."""
    now = aware(now)
    route = partial(
        route_unknown,
        salespeople=salespeople,
        rules=rules,
        now=now,
        rotation_counts=rotation_counts,
        in_region=in_region,
        rotation=config.rotation,
    )
    owned = visitor.known and visitor.owner_id is not None and visitor.owner_id in salespeople
    if owned:
        draft = owner_stands(visitor, salespeople, config, now, settled, filed_by)
        lapse(draft, visitor, config, now, route, settled, invited_visit_at)
        ka = key_account_rule(visitor, rules)
        if ka is not None:
            draft.flags.add("key-account")
            draft.evidence["key_account_rule"] = describe_match(ka)
            draft.key_account = ka
    else:
        draft = by_territory(visitor, salespeople, route(visitor))
    brought_by_rule(draft, visitor, brought_by, config)
    preference(draft, visitor, preferred_id or visitor.preferred_id)
    owner_away(draft, visitor, brought_by)
    if invited_by:
        draft.flags.add("invited")
        draft.evidence["invited_by"] = invited_by
        if invited_by != draft.salesperson_id:
            draft.clauses.append(f"invited by {draft.name(invited_by)}")
    if open_dispute:
        draft.flags.add("dispute")
        draft.clauses.append("an ownership dispute awaits the manager")
    if settled is not None and owned:  # the manager settled these people: not asked again
        draft.proposals = [p for p in draft.proposals if p.proposed_id not in settled.concerned]
    return draft.finish(headline=owned)


def decide_proposal(
    contact: Contact, proposal: Proposal, approve: bool, *, assign_to: str | None = None
) -> Contact:
    """The contact after the manager's decision: unchanged when rejected.

    Approving 'reassign' or 'dispute' makes the proposed person the owner; 'preference' also
    records them as preferred; 'assistant' sets assistant and split (capped at 0.5). A new
    owner who was the assistant stops being one. `assign_to` lets the manager approve with a
    different person than proposed. Raises ValueError for an unknown kind or nobody to assign.
    """
    if proposal.kind not in ("reassign", "dispute", "preference", "assistant"):
        raise ValueError(f"unknown proposal kind: {proposal.kind!r}")
    if not approve:
        return contact
    target = assign_to or proposal.proposed_id
    if not target:
        raise ValueError(f"approving a {proposal.kind} proposal needs a salesperson")
    if proposal.kind == "assistant":
        if target == contact.owner_id:
            return contact
        return replace(contact, assistant_id=target, split=cap_split(proposal.split))
    updated = replace(contact, owner_id=target)
    if proposal.kind == "preference":
        updated = replace(updated, preferred_id=target)
    if updated.assistant_id == target:
        updated = replace(updated, assistant_id=None, split=None)
    return updated
