"""Properties of the manager's settlements: the split cap and the review clock
(`kiosk.routing.arrangement`, pure)."""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.routing.arrangement import (
    Choice,
    ChoiceError,
    Holding,
    check_split,
    review_date,
    review_due,
    settle,
    split_cap,
    split_problem,
)

TODAY = date(2026, 11, 24)
people = st.sampled_from(["ana", "ben", "kenji", "luis"])
caps = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.floats(0, 1))
splits = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True), st.floats(0, 0.6))
holdings = st.builds(
    Holding, people, st.one_of(st.none(), people), st.one_of(st.none(), st.floats(0, 0.5))
)


@given(before=holdings, owner=people, assistant=st.one_of(st.none(), people), split=splits,
       cap=caps, chose=st.booleans())  # fmt: skip
def test_a_split_never_exceeds_the_cap_nor_half(before, owner, assistant, split, cap, chose):
    choice = Choice(owner, assistant, split, customer_chose=chose)
    ceiling = split_cap(cap)
    assert 0 <= ceiling <= 0.5
    impossible = (
        (assistant is None and split is not None)
        or (assistant is not None and assistant == owner)
        or (split is not None and (not math.isfinite(split) or split < 0 or split > ceiling))
        # a share gives both sides something: an assistant at (what shows as) 0% is none
        or (assistant is not None and (split is None or round(split * 100) < 1))
    )
    if impossible:
        with pytest.raises(ChoiceError):
            settle(before, choice, cap=cap, today=TODAY)
        return
    outcome, after = settle(before, choice, cap=cap, today=TODAY)
    assert after.owner_id == owner
    assert after.assistant_id != after.owner_id
    if assistant is not None:  # the manager set the split: within the cap
        assert after.assistant_id == assistant and outcome in ("shared", "customer")
        assert after.split is not None and 0.005 <= after.split <= min(ceiling, 0.5)
    else:  # an assistant already there stays as they were, unless they now own it
        kept = before.assistant_id not in (None, owner)
        assert (
            after == Holding(owner, before.assistant_id, before.split) if kept else Holding(owner)
        )
    # the outcomes do not overlap: exactly one, by a fixed precedence
    expected = (
        "customer" if chose else "shared" if assistant else
        "kept" if owner == before.owner_id else "given"
    )  # fmt: skip
    assert outcome == expected


@pytest.mark.parametrize(
    ("split", "cap", "problem", "message"),
    [
        (0.0, 0.5, "none", "a split of 0% is no share: give the assistant 1% to 50%, or keep"),
        (0.004, 0.5, "none", "a split of 0% is no share"),  # what shows as 0%
        (0.0, 0.0, "none", "a split of 0% is no share: keep one owner without an assistant"),
        (1.0, 0.5, "all", "a split of 100% leaves the owner nothing"),
        (0.6, 0.5, "cap", "a split of 60% is above this show's cap of 50%"),
        (0.3, 0.25, "cap", "a split of 30% is above this show's cap of 25%"),
        (math.nan, 0.5, "number", "a split is a percentage from 1 to 50"),
        (-0.1, 0.5, "number", "a split is a percentage from 1 to 50"),
        (0.01, 0.5, None, ""),
        (0.5, 0.5, None, ""),
    ],
)
def test_a_split_is_a_share_both_sides_get_something_of(split, cap, problem, message):
    """0% (or 100%) to the assistant is not a share: one of them gets nothing, which is
    keeping or giving the customer, not sharing it. Before, a 0% split was recorded."""
    assert split_problem(split, cap) == problem
    choice = Choice("ana", "ben", split)
    if problem is None:
        check_split(split, cap)
        assert settle(Holding("ana"), choice, cap=cap, today=TODAY)[0] == "shared"
        return
    with pytest.raises(ChoiceError, match=f"^{re.escape(message)}"):
        check_split(split, cap)
    with pytest.raises(ChoiceError, match=f"^{re.escape(message)}"):
        settle(Holding("ana"), choice, cap=cap, today=TODAY)


@given(before=holdings, days=st.integers(-400, 400), owner=st.one_of(st.none(), people))
def test_a_deferral_is_alone_and_later_than_today(before, days, owner):
    choice = Choice(owner_id=owner, defer_until=TODAY + timedelta(days=days))
    if owner is not None or days <= 0:
        with pytest.raises(ChoiceError):
            settle(before, choice, cap=0.5, today=TODAY)
        return
    assert settle(before, choice, cap=0.5, today=TODAY) == ("deferred", before)


@given(
    decided=st.dates(date(2000, 1, 1), date(2090, 1, 1)),
    lapse=st.integers(1, 3650),
    after=st.one_of(st.none(), st.integers(-5, 4000)),
)
def test_the_review_comes_lapse_days_or_review_after_days_later(decided, lapse, after):
    days = lapse if after is None else after
    if not 1 <= days <= 3650:
        with pytest.raises(ChoiceError):
            review_date(decided, lapse, after)
        return
    review = review_date(decided, lapse, after)
    assert review > decided
    assert (review - decided).days == days


moments = st.datetimes(datetime(2020, 1, 1), datetime(2030, 1, 1), timezones=st.just(UTC))


@given(
    decided_at=moments,
    days=st.integers(1, 400),
    deal=st.one_of(st.none(), moments),
    wait=st.integers(-400, 800),
    later=st.integers(0, 400),
)
def test_a_review_is_due_from_its_day_on_only_without_a_deal_since(
    decided_at, days, deal, wait, later
):
    review = review_date(decided_at.date(), days)
    today = review + timedelta(days=wait)
    due = review_due(review, today, decided_at, deal)
    assert due == (today >= review and (deal is None or deal < decided_at))
    if due:  # once due, it stays due while no deal comes
        assert review_due(review, today + timedelta(days=later), decided_at, deal)
