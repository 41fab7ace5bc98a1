"""The manager's settlement of a dispute, as pure rules: what a choice means and when to look again.

A dispute is settled the way a sales manager settles one, not by approving or rejecting a
proposal: keep the owner, give the customer to the other, share it (one owner, the other
assistant with a split no higher than the show's cap and never above 50/50), let the
customer choose, or defer until a date. `settle` turns the manager's `Choice` into one of
those outcomes and the holding (owner, assistant, split) that follows; anything impossible
raises `ChoiceError` with a line a person can act on. A decision is not forever: it is
reviewed `lapse_days` later (`review_date`), and when no deal came of it by then
(`review_due`) the kiosk raises a new lapse proposal instead of keeping or moving the
customer silently.

Pure (no database, no clock): the booth service checks who is a salesperson and records
the event; the front-ends show the result. The outcomes do not overlap, so a report can
count each decision once.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Literal

from kiosk.models import Salesperson
from kiosk.routing.rules import SPLIT_CEILING, aware, name_of

Outcome = Literal["kept", "given", "shared", "customer", "deferred"]
#: Every outcome, in the order reports list them.
OUTCOMES: tuple[Outcome, ...] = ("kept", "given", "shared", "customer", "deferred")
MAX_REVIEW_DAYS = 3650  # ten years: a longer "review" is a typo, not a plan


class ChoiceError(ValueError):
    """The manager's choice is impossible; the message says why (the booth raises it as a
    KioskError, so the CLI prints one line and the TUI shows it)."""


@dataclass(frozen=True)
class Holding:
    """Who holds a customer: the owner, and an assistant with a share of the commission."""

    owner_id: str | None
    assistant_id: str | None = None
    split: float | None = None


@dataclass(frozen=True)
class Choice:
    """What the manager chose. `owner_id` None with `defer_until` set defers the item;
    `customer_chose` says the owner is whom the customer asked for (and records it)."""

    owner_id: str | None = None
    assistant_id: str | None = None
    split: float | None = None  # a fraction, 0.3 for 30%
    customer_chose: bool = False
    defer_until: date | None = None


def split_cap(max_split: float) -> float:
    """The highest split a decision may give: the show's cap, never above 50/50."""
    if not max_split >= 0:  # negative or NaN
        return 0.0
    return min(float(max_split), SPLIT_CEILING)


def percent(split: float) -> str:
    return f"{round(split * 100)}%"


# Why a split is no split a decision may give (`split_problem`); the TUI words each in its
# language (`workbench.split_<problem>`), `check_split` in English for the CLI.
SplitProblem = Literal["number", "none", "all", "cap"]


def split_problem(split: float, cap: float) -> SplitProblem | None:
    """What is wrong with `split` (the assistant's share, 0.3 for 30%) as a shared decision
    under a show's `cap`, or None when it is a share. A share gives both sides something:
    an assistant at 0% (what shows as 0%) is no assistant, and the owner at 0% (100% to the
    assistant) is the customer given away — both are other decisions, so both are refused,
    as is anything above the cap (never above 50/50) and anything that is no number."""
    if isinstance(split, bool) or not math.isfinite(split) or not 0 <= split <= 1:
        return "number"
    if round(split * 100) < 1:
        return "none"
    if round(split * 100) >= 100:
        return "all"
    if split > split_cap(cap):
        return "cap"
    return None


def check_split(split: float, cap: float) -> None:
    """`split_problem` as a `ChoiceError` with a line a person can act on."""
    problem = split_problem(split, cap)
    top = percent(split_cap(cap))
    if problem == "number":
        raise ChoiceError(f"a split is a percentage from 1 to {top[:-1]}")
    if problem == "none":
        give = f"give the assistant 1% to {top}, or " if top != "0%" else ""
        raise ChoiceError(f"a split of 0% is no share: {give}keep one owner without an assistant")
    if problem == "all":
        raise ChoiceError(
            "a split of 100% leaves the owner nothing: give the customer to the other instead"
        )
    if problem == "cap":
        raise ChoiceError(f"a split of {percent(split)} is above this show's cap of {top}")


def settle(before: Holding, choice: Choice, *, cap: float, today: date) -> tuple[Outcome, Holding]:
    """The outcome of `choice` on a customer held as `before`, and who holds them after.

    An assistant is named with their split (the caller fills in the show's suggested
    split when the manager gave none), which `check_split` checks: a 0% or 100% split is
    refused, it is no share. A new owner who was the assistant stops assisting, and an
    existing third-party assistant stays unless the manager names another.
    """
    cap = split_cap(cap)
    if choice.defer_until is not None:
        if choice.owner_id or choice.assistant_id or choice.customer_chose:
            raise ChoiceError("a deferral decides nobody: give --defer-until alone")
        if choice.defer_until <= today:
            raise ChoiceError(f"defer until a later day than today ({today.isoformat()})")
        return "deferred", before
    if not choice.owner_id:
        raise ChoiceError("say who owns the customer (--owner SALESPERSON)")
    if choice.assistant_id is None and choice.split is not None:
        raise ChoiceError("a split needs an assistant (--assistant SALESPERSON)")
    if choice.assistant_id is not None and choice.assistant_id == choice.owner_id:
        raise ChoiceError("the assistant cannot be the owner")
    split = choice.split
    if choice.assistant_id is not None:
        check_split(split if split is not None else 0.0, cap)
        after = Holding(choice.owner_id, choice.assistant_id, split)
    else:
        after = replace(before, owner_id=choice.owner_id)
        if after.assistant_id in (None, choice.owner_id):
            after = Holding(choice.owner_id)
    if choice.customer_chose:
        outcome: Outcome = "customer"
    elif choice.assistant_id is not None:
        outcome = "shared"
    elif choice.owner_id == before.owner_id:
        outcome = "kept"
    else:
        outcome = "given"
    return outcome, after


def parse_until(text: str, today: date) -> date | None:
    """A deferral's day as a person types it: '2026-12-09', or '+7' (days from `today`);
    None when it is neither. The TUI's dialog and `kiosk decide --defer-until` read it so."""
    text = text.strip()
    try:
        if text.startswith("+") and text[1:].isdigit():
            return today + timedelta(days=int(text[1:]))
        return date.fromisoformat(text)
    except (ValueError, OverflowError):
        return None


def review_date(decided: date, lapse_days: int, review_after: int | None = None) -> date:
    """When a decision is looked at again: `review_after` days on, else the show's lapse."""
    days = lapse_days if review_after is None else review_after
    if isinstance(days, bool) or not 1 <= days <= MAX_REVIEW_DAYS:
        raise ChoiceError(f"review after 1 to {MAX_REVIEW_DAYS} days, not {days}")
    return decided + timedelta(days=days)


def review_due(
    review_at: date, today: date, decided_at: datetime, last_deal_at: datetime | None
) -> bool:
    """True once the review day has come and no deal was closed since the decision.

    The deal date comes from the CRM (re-imported after the show); a deal on or after the
    decision means the arrangement worked, and it stands.
    """
    if today < review_at:
        return False
    return last_deal_at is None or aware(last_deal_at) < aware(decided_at)


def short_date(d: date, *, year_of: date | None = None) -> str:
    """'2 Dec', with the year when it is not `year_of`'s ('2 Mar 2027')."""
    text = f"{d.day} {d:%b}"
    return text if year_of is not None and d.year == year_of.year else f"{text} {d.year}"


def holding_words(
    name: Callable[[str | None], str], owner_id: str | None, assistant_id: str | None,
    split: float | None,
) -> str:  # fmt: skip
    """Who holds a customer in words: 'Kenji owns, Mateo assists at 30%' (`name` gives a
    salesperson's name from their id: from the loaded people, or the event log's table)."""
    text = f"{name(owner_id)} owns"
    if assistant_id:
        text += f", {name(assistant_id)} assists at {percent(split or 0.0)}"
    return text


def decided_text(
    people: Mapping[str, Salesperson], *, by: str | None, decided_on: date, owner_id: str | None,
    assistant_id: str | None = None, split: float | None = None,
    customer_chose: str | None = None, review_at: date | None = None,
) -> str:  # fmt: skip
    """A settlement in one English line: "decided by Helen on 2 Dec: Kenji owns, Mateo
    assists at 30%; review 2 Mar" (`decided_on` is the decision's day in the show's zone)."""
    text = f"decided by {name_of(people, by)} on {short_date(decided_on, year_of=decided_on)}: "
    if customer_chose:
        text += f"the customer chose {name_of(people, customer_chose)}; "
    text += holding_words(lambda sp: name_of(people, sp), owner_id, assistant_id, split)
    if review_at:
        text += f"; review {short_date(review_at, year_of=decided_on)}"
    return text


@dataclass(frozen=True)
class Settled:
    """The manager's decision in force for a visitor, as the engine takes it
    (`kiosk.booth.settlement` reads it): everyone it settled (both sides, the owner, the
    assistant) and the line that says it. Until the decision's review the engine raises no
    ownership conflict, no lapse and no proposal naming one of them: the manager decided
    that, and a card asking again would undo the decision in the eyes of the booth."""

    concerned: frozenset[str]
    text: str
    # who owned the customer when the manager decided, if that was someone else than the
    # owner now: the CRM's filing date is theirs (the card says who filed)
    filed_by: str | None = None
