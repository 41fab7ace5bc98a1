"""Synthetic CRM contacts for the benchmarks: `generate(n)` streams n of them.

Multi-script and deterministic: accented Latin (Spanish, German, French, Portuguese,
Turkish, Polish), Chinese, Japanese and Korean names written family name first with no
space, Arabic and Cyrillic; companies in their own script or in Latin letters; e-mail
addresses spelling the name in Latin letters; E.164 phones (every tenth one formatted);
badge ids on a third of the contacts; owners among twelve salespeople.
"""

from __future__ import annotations

import random
import sys
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kiosk.text import fold  # noqa: E402


@dataclass(frozen=True)
class Pool:
    """One script/culture's names, countries and company-name parts (synthetic.toml)."""

    weight: int  # percent of the contacts
    family_first: bool
    sep: str  # between family and given name when family_first ('' for CJK)
    given: list[tuple[str, str]]  # (native, Latin)
    family: list[tuple[str, str]]
    countries: list[tuple[str, list[str]]]  # (code, cities)
    country_weights: list[int]
    brand: list[tuple[str, str]]
    trade: list[tuple[str, str]]
    legal: list[tuple[str, str]]


@dataclass(frozen=True)
class MobilePlan:
    calling_code: str
    leads: list[str]  # leading digits, one drawn per number
    length: int  # national number's length


def _pair(text: str) -> tuple[str, str]:
    """'王:wang' → ('王', 'wang'); 'Industrias' → ('Industrias', 'Industrias')."""
    native, colon, latin = text.partition(":")
    return (native, latin) if colon else (text, text)


def _pool(entry: dict[str, Any]) -> Pool:
    def pairs(key: str) -> list[tuple[str, str]]:
        return [_pair(item) for item in entry[key]]

    countries = [(c["code"], c["cities"]) for c in entry["countries"]]
    weights = [c["weight"] for c in entry["countries"]]
    return Pool(entry["weight"], entry["family_first"], entry["sep"], pairs("given"),
                pairs("family"), countries, weights, pairs("brand"), pairs("trade"),
                pairs("legal"))  # fmt: skip


# The pools are data, in synthetic.toml beside this script (found from here, not the cwd).
with (Path(__file__).resolve().parent / "synthetic.toml").open("rb") as _fh:
    _DATA = tomllib.load(_fh)
GROUPS: dict[str, Pool] = {key: _pool(entry) for key, entry in _DATA["groups"].items()}
PHONES: dict[str, MobilePlan] = {
    country: MobilePlan(p["code"], p["leads"], p["length"])
    for country, p in _DATA["phones"].items()
}
TITLES: list[str] = _DATA["titles"]
SALESPEOPLE = [f"s{i:02d}" for i in range(1, 13)]


def _slug(text: str) -> str:
    return "".join(ch for ch in fold(text) if ch.isascii() and ch.isalnum())[:14] or "co"


def _companies(rng: random.Random, n: int) -> list[list[tuple[str, str]]]:
    """Each pool's firms as (name, domain), about 25 contacts a firm, built once up front."""
    out: list[list[tuple[str, str]]] = []
    used: set[str] = set()
    for g in GROUPS.values():
        companies = []
        for i in range(max(50, n * g.weight // 100 // 25)):
            (bn, bl), (tn, tl), (ln, ll) = (rng.choice(x) for x in (g.brand, g.trade, g.legal))
            if bn != bl and rng.random() < 0.6:  # the company's name in its own script
                gap = "" if g.family_first else " "  # CJK company names run together
                name = f"{bn}{gap}{tn}{gap}{ln}"
            else:
                name = f"{bl} {tl} {ll}"
            domain = f"{_slug(bl)}{_slug(tl)}"
            domain = f"{domain}{i}" if domain in used else domain
            used.add(domain)
            companies.append((name, f"{domain}.{rng.choice(['com', 'net', 'co', 'biz'])}"))
        out.append(companies)
    return out


def _phone(rng: random.Random, country: str, formatted: bool) -> str:
    plan = PHONES[country]
    lead = rng.choice(plan.leads)
    rest = plan.length - len(lead)
    number = lead + str(rng.randrange(10 ** (rest - 1), 10**rest))
    if formatted:
        return f"+{plan.calling_code} {number[:3]} {number[3:6]} {number[6:]}"
    return f"+{plan.calling_code}{number}"


def generate(n: int, seed: int = 7, samples: int = 400) -> tuple[Iterator[dict], list[dict]]:
    """(a stream of n contact dicts, a list that fills with ~`samples` of them as they pass).

    Companies are built once up front and the group and owner of each row drawn per
    batch of 5 000 with `Random.choices`, so generating a million rows takes seconds
    (reported apart from the import). Deterministic for a seed.
    """
    rng = random.Random(seed)
    pools = list(GROUPS.values())
    weights = [p.weight for p in pools]
    firms = _companies(rng, n)
    keep: list[dict] = []
    every = max(1, n // samples)
    dates = [f"20{y:02d}-{m:02d}-{d:02d}T09:00:00+00:00" for y in range(15, 25)
             for m in range(1, 13) for d in (1, 9, 17, 25)]  # fmt: skip

    def rows() -> Iterator[dict]:
        i = 0
        while i < n:
            size = min(5000, n - i)
            picks = rng.choices(range(len(pools)), weights, k=size)
            owners = rng.choices(SALESPEOPLE + [None], k=size)
            for gi, owner in zip(picks, owners, strict=True):
                g = pools[gi]
                (gn, gl), (fn, fl) = rng.choice(g.given), rng.choice(g.family)
                name = f"{fn}{g.sep}{gn}" if g.family_first else f"{gn} {fn}"
                country, cities = rng.choices(g.countries, g.country_weights)[0]
                company, domain = rng.choice(firms[gi])
                row = {
                    "id": f"C{i:07d}",
                    "crm_id": f"CRM-{i}",
                    "name": name,
                    "company": company,
                    "title": rng.choice(TITLES),
                    "email": f"{gl}.{fl}{i}@{domain}".replace(" ", ""),
                    "phone": _phone(rng, country, formatted=i % 10 == 0),
                    "country": country,
                    "city": rng.choice(cities),
                    "owner_id": owner,
                    "filed_at": rng.choice(dates),
                    "badge_ids": f"B{i:08d}" if i % 3 == 0 else "",
                }
                if i % every == 0:
                    keep.append(row)
                i += 1
                yield row

    return rows(), keep
