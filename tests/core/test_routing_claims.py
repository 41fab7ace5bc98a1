"""Rule 6 and the manager: the same visitor filed at two kiosks, and proposals decided."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.models import Contact, Proposal, Salesperson
from kiosk.routing import Claim, decide_proposal, earliest_claim, resolve_claims, visitor_key
from tests.examples import examples

PEOPLE = {"ana": Salesperson("ana", "Ana Ruiz"), "li": Salesperson("li", "Li Wei")}


def new_visitor(**kw) -> Contact:
    return Contact(**({"id": None, "name": "Jane Doe"} | kw))


def customer(**kw) -> Contact:
    return Contact(**({"id": "c1", "name": "Taro Yamada", "owner_id": "ana"} | kw))


# Rule 6 ------------------------------------------------------------------------------

T0 = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def claim(uuid: str, kiosk: str, minutes: int, sp: str | None, key="email:jane@x.com") -> Claim:
    return Claim(uuid, kiosk, T0 + timedelta(minutes=minutes), sp, key)


def test_same_visitor_at_two_kiosks_earliest_wins_other_is_dispute():
    a, b = claim("u2", "kiosk-2", 0, "li"), claim("u1", "kiosk-1", 3, "ana")
    for order in ([a, b], [b, a]):
        assert earliest_claim(order) == (a, (b,))
        d = resolve_claims(order, salespeople=PEOPLE)
        assert d.rule == "earliest-claim" and d.salesperson_id == "li"
        assert d.evidence["winner_at"] == T0.isoformat()
        assert d.evidence["claim_1_at"] == (T0 + timedelta(minutes=3)).isoformat()
        assert [(p.kind, p.proposed_id, p.current_id) for p in d.proposals] == [
            ("dispute", "ana", "li")
        ]
        assert {"dispute", "needs-decision"} <= d.flags and "kiosk-1" in d.proposals[0].reason


def test_claim_ties_break_by_kiosk_then_uuid_and_duplicates_are_not_disputes():
    naive = Claim("u9", "kiosk-2", T0.replace(tzinfo=None), "li", "k")
    tied = Claim("u1", "kiosk-1", T0, "li", "k")
    assert earliest_claim([naive, tied])[0] == tied
    d = resolve_claims([naive, tied, tied])
    assert d.proposals == () and "dispute" not in d.flags and d.evidence["claim_1_event"] == "u9"
    with pytest.raises(ValueError):
        earliest_claim([tied, claim("u3", "k", 1, "li", key="other")])
    with pytest.raises(ValueError):
        earliest_claim([])


claims_strategy = st.lists(
    st.builds(
        Claim,
        event_uuid=st.sampled_from(["u1", "u2", "u3", "u4"]),
        kiosk_id=st.sampled_from(["kiosk-1", "kiosk-2"]),
        ts=st.datetimes(
            min_value=datetime(2026, 1, 1), max_value=datetime(2026, 1, 2), timezones=st.just(UTC)
        ),
        salesperson_id=st.sampled_from(["ana", "li", None]),
        contact_key=st.just("email:jane@x.com"),
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=examples(60), derandomize=True, deadline=None)
@given(claims=claims_strategy, data=st.data())
def test_earliest_claim_is_independent_of_input_order(claims, data):
    shuffled = data.draw(st.permutations(claims))
    winner, losers = earliest_claim(claims)
    assert earliest_claim(shuffled) == (winner, losers)
    assert resolve_claims(shuffled) == resolve_claims(claims)
    assert all(winner.ts <= c.ts for c in claims)
    assert {winner, *losers} == set(claims)  # nothing dropped


def test_visitor_key_prefers_email_then_badge_then_name_and_company():
    assert visitor_key(new_visitor(email=" Jane@X.com ", badge_id="B1")) == "email:jane@x.com"
    assert visitor_key(new_visitor(email="junk", badge_id=" B1 ")) == "badge:B1"
    assert visitor_key(new_visitor(name="Jané  DOE", company="Acme Co., Ltd.")) == visitor_key(
        new_visitor(name="jane doe", company="ACME")
    )
    assert visitor_key(new_visitor(name=" ")) is None


# The manager decides ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("proposal", "approved"),
    [
        (Proposal("reassign", "ken", "ana", "lapsed"), {"owner_id": "ken"}),
        (Proposal("dispute", "ken", "ana", "later claim"), {"owner_id": "ken"}),
        (
            Proposal("assistant", "li", None, "brought", split=0.9),
            {"assistant_id": "li", "split": 0.5},
        ),
        (
            Proposal("preference", "li", "ana", "asked"),
            {"owner_id": "li", "preferred_id": "li", "assistant_id": None, "split": None},
        ),
    ],
)
def test_decide_proposal_applies_only_when_approved(proposal, approved):
    contact = (
        customer(assistant_id="li", split=0.2) if proposal.kind == "preference" else customer()
    )
    assert decide_proposal(contact, proposal, approve=False) == contact
    assert decide_proposal(contact, proposal, approve=True) == replace(contact, **approved)


def test_decide_proposal_refuses_nonsense():
    with pytest.raises(ValueError):
        decide_proposal(customer(), Proposal("reassign", None, "ana", "?"), approve=True)
    with pytest.raises(ValueError):
        decide_proposal(customer(), Proposal("merge", "li", "ana", "?"), approve=True)
    chosen = decide_proposal(
        customer(), Proposal("reassign", None, "ana", "?"), True, assign_to="mia"
    )
    assert chosen.owner_id == "mia"
