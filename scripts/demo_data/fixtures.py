"""Hand-written customers: the ones the demo script and badges.txt talk about.

Each showcase row sets up one situation the kiosk must explain (a customer of Kenji, a lapsed
owner, a colleague who met the customer first, …) or one piece of awkward data (two people
called Thomas Müller, a company name longer than a screen, no e-mail at all). Everything not
written here (phones) is filled in by the generator. The rows are data, in fixtures.toml
beside this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .tables import load_toml, records


@dataclass(frozen=True)
class Fixed:
    tag: str
    name: str
    company: str
    title: str
    email: str
    country: str
    city: str
    language: str
    grade: str
    owner: str
    filed: datetime | None
    last_contact: datetime | None = None
    last_deal: datetime | None = None
    first_contact_by: str = "owner"  # 'owner', '' or another salesperson id
    first_contact: datetime | None = None  # None: the filing moment
    assistant: str = ""
    split: str = ""
    preferred: str = ""
    badges: tuple[str, ...] = ()
    notes: str = ""
    consent: str = "1"
    phone: bool = True


@dataclass(frozen=True)
class KeyAccount:
    """A big customer with several buyers, all owned by the key-account rule's person."""

    company: str
    domain: str  # '' when its staff write from personal mail
    country: str
    cities: tuple[str, ...]
    owner: str
    count: int
    free_mail_share: float = 0.0


def _load(filename: str) -> tuple[tuple[Fixed, ...], tuple[KeyAccount, ...]]:
    """(showcase rows, key accounts) from fixtures.toml beside this module."""
    data = load_toml(filename)
    showcase = records(Fixed, data["showcase"], f"{filename} [[showcase]]", "tag", badges=tuple)
    accounts = records(
        KeyAccount, data["key_accounts"], f"{filename} [[key_accounts]]", "company", cities=tuple
    )
    return showcase, accounts


SHOWCASE, KEY_ACCOUNTS = _load("fixtures.toml")
BY_TAG: dict[str, Fixed] = {f.tag: f for f in SHOWCASE}
