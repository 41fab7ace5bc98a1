"""Rules 1–4 for one visitor, as steps that each add to a Draft of the decision.

`routing.decide` runs them in order; they are split out only to keep modules small. Each
step adds its clause to the one-line reason, its evidence, its flags and its proposals, and
none changes who is called except the precedence step of rule 1.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial

from kiosk.config import ShowConfig
from kiosk.models import Contact, Decision, Flag, Proposal, RuleName, Salesperson, TerritoryMatch
from kiosk.routing.arrangement import Settled
from kiosk.routing.rules import aware, cap_split, day, iso, name_of, percent

# Which rule headlines a known customer's decision when several apply.
_HEADLINE: tuple[RuleName, ...] = (
    "owner-precedence",
    "lapsed-owner",
    "brought-by",
    "customer-preference",
)
_DATE_FIELDS = ("filed_at", "first_contact_at", "last_contact_at", "last_deal_at")


@dataclass(frozen=True)
class OtherPerson:
    """A salesperson a rule hears of besides the one called (`Draft.someone_else`): where
    their id goes in the evidence, the flag and the rule, and the clause for an unknown id."""

    evidence: str
    flag: Flag
    rule: RuleName
    unknown: str


BROUGHT_BY = OtherPerson("brought_by", "brought-by", "brought-by", "brought by unknown salesperson")
PREFERRED = OtherPerson(
    "preferred_id", "preference", "customer-preference", "customer asked for unknown salesperson"
)


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


@dataclass
class Draft:
    """A decision being assembled by the rules in turn; frozen into a Decision at the end."""

    salesperson_id: str | None
    rule: RuleName
    people: Mapping[str, Salesperson]
    clauses: list[str] = field(default_factory=list)
    evidence: dict[str, str] = field(default_factory=dict)
    flags: set[Flag] = field(default_factory=set)
    proposals: list[Proposal] = field(default_factory=list)
    fired: set[RuleName] = field(default_factory=set)
    territory_rule_id: int | None = None
    territory: TerritoryMatch | None = None
    key_account: TerritoryMatch | None = None

    def name(self, sp_id: str | None) -> str:
        return name_of(self.people, sp_id)

    def someone_else(self, person: str | None, role: OtherPerson) -> str | None:
        """The start of rules 2 and 4, which name a salesperson besides the one called.

        Records `person` as evidence. None when that changes nothing (nobody named, or the
        one called) or when nobody has that id (the flag is raised and a clause says so);
        else their name, with the flag raised and the rule fired.
        """
        if not person:
            return None
        self.evidence[role.evidence] = person
        if person == self.salesperson_id:
            return None
        self.flags.add(role.flag)
        if person not in self.people:
            self.clauses.append(f"{role.unknown} '{person}'")
            return None
        self.fired.add(role.rule)
        return self.name(person)

    def reassign(self, to: str | None, current: str | None, reason: str) -> None:
        """Propose to the manager that `to` (None: the manager picks) owns the customer."""
        self.proposals.append(Proposal("reassign", to, current, reason))

    def finish(self, headline: bool) -> Decision:
        rule = next((r for r in _HEADLINE if r in self.fired), self.rule) if headline else self.rule
        if self.proposals or self.flags & {"lapsed", "dispute", "unrouted"}:
            self.flags.add("needs-decision")
        reason = "; ".join(c for c in self.clauses if c)
        return Decision(
            salesperson_id=self.salesperson_id,
            rule=rule,
            reason=upper_first(reason),
            evidence=self.evidence,
            flags=frozenset(self.flags),
            proposals=tuple(self.proposals),
            territory_rule_id=self.territory_rule_id,
            territory=self.territory,
            key_account=self.key_account,
        )


def _dated(visitor: Contact) -> dict[str, str]:
    return {f: iso(getattr(visitor, f)) for f in _DATE_FIELDS if getattr(visitor, f) is not None}


def _on(dt: datetime | None) -> str:
    return f" on {day(dt)}" if dt is not None else " (date unknown)"


def owner_stands(
    visitor: Contact,
    salespeople: Mapping[str, Salesperson],
    config: ShowConfig,
    now: datetime,
    settled: Settled | None = None,
    filed_by: str | None = None,
) -> Draft:
    """Rule 1, with the filed-vs-first-contact conflict settled by the configured precedence,
    or by the manager (`settled`) when their decision concerned the first contact.
    `filed_by` (who brought a booth visitor's first lead) goes in the evidence as the filer
    when it is not the owner: the card's "Filed by" names them, not the routed owner."""
    owner = visitor.owner_id
    assert owner is not None
    draft = Draft(owner, "existing-owner", salespeople, flags={"known"})
    draft.evidence.update(decided_at=iso(now), owner_id=owner, **_dated(visitor))
    first_by = visitor.first_contact_by
    if visitor.source == "booth" and visitor.filed_at is None:
        # A walk-in seen again: no one has claimed them yet, reception called this person.
        draft.rule = "walk-in"
        draft.flags = {"new-visitor"}
        draft.clauses.append(f"Walk-in earlier at this show, routed to {draft.name(owner)}")
        return draft
    if filed_by and filed_by != owner:
        draft.evidence["filed_by"] = filed_by
    if settled is not None and (not first_by or first_by in settled.concerned):
        if settled.filed_by and not filed_by:  # the booth's record of the filer comes first
            draft.evidence["filed_by"] = settled.filed_by
        draft.clauses.append(f"Customer of {draft.name(owner)}, {settled.text}")
        return draft
    if not first_by or first_by == owner:
        dates = []
        if visitor.filed_at:
            dates.append(f"filed {day(visitor.filed_at)}")
        if visitor.first_contact_at:
            dates.append(f"first contact {day(visitor.first_contact_at)}")
        when = f" ({', '.join(dates)})" if dates else ""
        draft.clauses.append(f"Existing customer of {draft.name(owner)}{when}")
        return draft
    draft.flags.add("ownership-conflict")
    draft.fired.add("owner-precedence")
    draft.evidence.update(first_contact_by=first_by, precedence=config.precedence)
    wants_first = config.precedence == "first_contact"
    winner = first_by if wants_first and first_by in salespeople else owner
    clause = (
        f"Ownership conflict: filed by {draft.name(owner)}{_on(visitor.filed_at)}, first "
        f"contacted by {draft.name(first_by)}{_on(visitor.first_contact_at)}; precedence "
        f"'{config.precedence}' calls {draft.name(winner)}"
    )
    if wants_first and winner == owner:
        clause += f" ({first_by} is not a current salesperson)"
    draft.clauses.append(clause)
    if winner != owner:
        draft.salesperson_id = winner
        draft.reassign(
            winner,
            owner,
            f"{draft.name(winner)} first contacted {visitor.name}{_on(visitor.first_contact_at)}"
            f"; the CRM owner {draft.name(owner)} filed them{_on(visitor.filed_at)}; "
            f"precedence '{config.precedence}' favours {draft.name(winner)}",
        )
    elif first_by in salespeople:
        # The owner stands for today's call, but two people can claim this customer: the
        # conflict goes to the manager as an item to settle, never silently kept.
        draft.reassign(
            first_by,
            owner,
            f"{draft.name(first_by)} first contacted {visitor.name}"
            f"{_on(visitor.first_contact_at)}; the CRM owner {draft.name(owner)} filed them"
            f"{_on(visitor.filed_at)}; precedence '{config.precedence}' keeps "
            f"{draft.name(owner)} until the manager decides",
        )
    return draft


def lapse(
    draft: Draft,
    visitor: Contact,
    config: ShowConfig,
    now: datetime,
    route: partial[Decision],
    settled: Settled | None = None,
    invited_visit_at: datetime | None = None,
) -> None:
    """Rule 3: no deal and no contact for more than lapse_days → propose reassignment.
    Not while a decision of the manager stands (`settled`): its review looks again.

    `invited_visit_at` is the latest visit an invitation of the owner brought (this one, at
    a check-in on it). It counts as the owner's contact: the owner wrote to the customer and
    the customer answered by coming, which is what rule 3 asks of an owner who has not let
    the customer go. An invitation that brought nobody does not count: a one-way letter is
    no contact, and an owner could otherwise keep every dormant customer by inviting them all."""
    dates = [aware(d) for d in (getattr(visitor, f) for f in _DATE_FIELDS) if d is not None]
    if invited_visit_at is not None:
        dates.append(aware(invited_visit_at))
        draft.evidence["invited_visit_at"] = iso(invited_visit_at)
    if not dates:
        return  # no dates, no evidence of neglect: say nothing rather than guess
    last = max(dates)
    draft.evidence["last_activity_at"] = iso(last)
    if settled is not None:
        return
    idle = now - last
    if idle <= timedelta(days=config.lapse_days):
        return
    draft.flags.add("lapsed")
    draft.fired.add("lapsed-owner")
    draft.evidence.update(days_since_activity=str(idle.days), lapse_days=str(config.lapse_days))
    gap = f"no deal or contact for {idle.days} days (last {day(last)}, limit {config.lapse_days})"
    alt = _successor(visitor, {p for p in (draft.salesperson_id, visitor.owner_id) if p}, route)
    if alt is None:
        draft.clauses.append(f"{gap}, and no one else covers this territory (manager decides)")
        # Still an item for the manager, who picks the new owner (or keeps this one).
        draft.reassign(
            None,
            visitor.owner_id,
            f"{draft.name(visitor.owner_id)} has had {gap}; no one else covers this"
            " territory: the manager chooses",
        )
        return
    draft.evidence["reassign_rule"] = alt.evidence.get("territory_rule", "")
    draft.clauses.append(f"{gap}: reassignment to {draft.name(alt.salesperson_id)} proposed")
    draft.reassign(
        alt.salesperson_id,
        visitor.owner_id,
        f"{draft.name(visitor.owner_id)} has had {gap}; {lower_first(alt.reason)}",
    )


def _successor(visitor: Contact, current: set[str], route: partial[Decision]) -> Decision | None:
    """Whom rule 5 would give a lapsed customer to instead: the territory's pick, or when that
    is the current owner, a colleague on the *same* territory rule. Never a fall-through to a
    broader rule: a catch-all default owner is not a better owner, the manager decides then."""
    plain = route(visitor)
    if plain.salesperson_id is not None and plain.salesperson_id not in current:
        return plain
    if plain.territory_rule_id is None:
        return None
    other = route(visitor, exclude=current)
    same_rule = other.territory_rule_id == plain.territory_rule_id
    return other if same_rule and other.salesperson_id is not None else None


def by_territory(
    visitor: Contact, salespeople: Mapping[str, Salesperson], routed: Decision
) -> Draft:
    """Rule 5 for a new visitor, or for a customer whose owner is missing."""
    draft = Draft(routed.salesperson_id, routed.rule, salespeople)
    draft.evidence.update(routed.evidence)
    draft.flags.update(routed.flags)
    draft.territory_rule_id = routed.territory_rule_id
    draft.territory = routed.territory
    if not visitor.known:
        draft.flags.add("new-visitor")
        draft.clauses.append(f"New visitor — {lower_first(routed.reason)}")
        return draft
    draft.flags.add("known")
    draft.evidence.update(_dated(visitor))
    if visitor.owner_id:
        draft.flags.add("owner-missing")
        draft.evidence["owner_id"] = visitor.owner_id
        why = f"CRM owner '{visitor.owner_id}' is not a current salesperson"
    else:
        draft.flags.add("no-owner")
        why = "customer has no owner in the CRM"
    draft.clauses.append(f"{why} — {lower_first(routed.reason)}")
    if routed.salesperson_id is not None:
        draft.reassign(
            routed.salesperson_id,
            visitor.owner_id,
            f"{upper_first(why)} — {lower_first(routed.reason)}",
        )
    return draft


def brought_by_rule(
    draft: Draft, visitor: Contact, brought_by: str | None, config: ShowConfig
) -> None:
    """Rule 2: the owner stays primary; the bringer is proposed as assistant with a capped split."""
    primary = draft.salesperson_id
    bringer = draft.people.get(brought_by or "")
    if bringer is not None and bringer.role != "sales" and brought_by != primary:
        # the manager or reception met them: nothing to propose, since only a salesperson
        # can own or assist a customer (the manager's approval would be refused)
        draft.evidence[BROUGHT_BY.evidence] = bringer.id
        draft.clauses.append(f"brought by {bringer.name}")
        return
    who = draft.someone_else(brought_by, BROUGHT_BY)
    if who is None or brought_by is None:
        return
    if primary is None:
        draft.clauses.append(f"brought by {who}; giving them the visitor is proposed")
        draft.reassign(
            brought_by,
            visitor.owner_id,
            f"Nobody covers {visitor.name}; {who} brought them",
        )
        return
    if visitor.assistant_id == brought_by:
        draft.clauses.append(f"brought by {who}, already the assistant")
        return
    split = cap_split(config.suggested_split, config.max_split) or 0.0
    draft.evidence["suggested_split"] = f"{split:g}"
    draft.clauses.append(f"brought by {who}: assistant with a {percent(split)} split proposed")
    draft.proposals.append(
        Proposal(
            "assistant",
            brought_by,
            visitor.owner_id or primary,
            f"{who} brought {visitor.name}, whom {draft.name(primary)} owns: assistant, "
            f"{percent(split)} of the commission",
            split=split,
        )
    )


def preference(draft: Draft, visitor: Contact, preferred: str | None) -> None:
    """Rule 4: record who the customer asked for as a proposal; the call does not change."""
    who = draft.someone_else(preferred, PREFERRED)
    if who is None or preferred is None:
        return
    draft.clauses.append(f"customer asks for {who} (manager decides)")
    current = visitor.owner_id or draft.salesperson_id
    draft.proposals.append(
        Proposal("preference", preferred, current, f"{visitor.name} asked to deal with {who}")
    )


def owner_away(draft: Draft, visitor: Contact, brought_by: str | None) -> None:
    """An away owner is still called; name someone present as backup."""
    primary = draft.salesperson_id
    sp = draft.people.get(primary) if primary else None
    if sp is None or not sp.away:
        return
    draft.flags.add("owner-away")
    for candidate, role in ((visitor.assistant_id, "assistant"), (brought_by, "brought them")):
        backup = draft.people.get(candidate) if candidate else None
        if backup is not None and not backup.away and candidate != primary:
            draft.evidence["backup_id"] = backup.id
            draft.clauses.append(f"{draft.name(primary)} is away — backup {backup.name} ({role})")
            return
    draft.clauses.append(f"{draft.name(primary)} is away and has no backup present")
