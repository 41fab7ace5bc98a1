"""Phone numbers in E.164 that are valid for the country they belong to.

Numbers are built from hand-written national plans (mobile prefixes and landline area codes
with the subscriber length) rather than by retrying random digits against phonenumbers'
metadata: that keeps the output the same when a phonenumbers update changes which ranges
it thinks are assigned. phonenumbers only checks the result, and a failure is a bug in the
table (phones.toml beside this module), reported loudly.
"""

from __future__ import annotations

from dataclasses import dataclass
from random import Random

import phonenumbers

from .tables import load_toml

Plan = tuple[str, int]  # (prefix, how many digits follow it)


@dataclass(frozen=True)
class NumberingPlan:
    """How one country's numbers look: phones.toml beside this module holds the table."""

    calling_code: str
    mobile: tuple[Plan, ...]
    landline: tuple[Plan, ...]


def _plans(text: str) -> tuple[Plan, ...]:
    """'151:8 30:7' → (('151', 8), ('30', 7))."""
    return tuple((prefix, int(n)) for prefix, _, n in (p.partition(":") for p in text.split()))


def _load(filename: str) -> dict[str, NumberingPlan]:
    return {
        country: NumberingPlan(entry["code"], _plans(entry["mobile"]), _plans(entry["landline"]))
        for country, entry in load_toml(filename).items()
    }


_PLANS: dict[str, NumberingPlan] = _load("phones.toml")


class PhonePlanError(RuntimeError):
    """The plan table produced a number phonenumbers cannot accept: fix the table."""


def calling_code(country: str) -> str:
    return _PLANS[country].calling_code


def make_phone(country: str, rng: Random, *, mobile: bool = True) -> str:
    """A number like '+4915123456789': a real national plan with invented subscriber digits."""
    plan = _PLANS[country]
    prefix, n = rng.choice(plan.mobile if mobile else plan.landline)
    digits = str(rng.randint(2, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(n - 1))
    number = f"+{plan.calling_code}{prefix}{digits}"
    parsed = phonenumbers.parse(number, None)
    if not phonenumbers.is_possible_number(parsed):
        raise PhonePlanError(f"{country} plan {prefix}:{n} gives an impossible number {number}")
    return number


def countries_with_plans() -> frozenset[str]:
    return frozenset(_PLANS)
