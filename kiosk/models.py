"""Plain, frozen records shared by the core, the CLI and the UI.

They carry no behaviour and no I/O: the database layer builds them from rows, the routing
engine reads them, and the UI shows them. Keeping them in one place means the ownership
engine can be tested without SQLite or Textual.
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields
from datetime import datetime
from typing import Any, Literal, TypeVar

Role = Literal["sales", "manager", "reception"]
TerritoryKind = Literal["domain", "company", "country", "region", "default"]
ProposalKind = Literal["assistant", "reassign", "preference", "dispute"]
Rating = Literal["cold", "warm", "hot"]
# The rule a decision names (`kiosk.routing.RULES` says what each means).
RuleName = Literal[
    "existing-owner", "owner-precedence", "lapsed-owner", "brought-by", "customer-preference",
    "key-account-domain", "key-account-company", "territory-country", "territory-region",
    "default-owner", "unrouted", "earliest-claim", "walk-in",
]  # fmt: skip
# What else a decision noticed (the card shows them as chips).
Flag = Literal[
    "known", "new-visitor", "no-owner", "owner-missing", "ownership-conflict", "lapsed",
    "brought-by", "preference", "key-account", "invited", "dispute", "owner-away", "unrouted",
    "needs-decision",
]  # fmt: skip
RotationMode = Literal["round-robin", "first", ""]

RATINGS: tuple[str, ...] = ("cold", "warm", "hot")
# Who a visitor is, as every file and JSON the kiosk writes lists it (in this order).
PERSON_FIELDS: tuple[str, ...] = (
    "name", "company", "title", "email", "phone", "country", "city", "language",
)  # fmt: skip
ROLES: tuple[str, ...] = ("sales", "manager", "reception")
_Record = TypeVar("_Record")
_DEFAULTS: dict[type, dict[str, Any]] = {}
TERRITORY_KINDS: tuple[str, ...] = ("domain", "company", "country", "region", "default")


@dataclass(frozen=True)
class Salesperson:
    """Someone at the booth: a salesperson, the manager or the receptionist."""

    id: str
    name: str
    email: str = ""
    phone: str = ""
    role: str = "sales"
    languages: tuple[str, ...] = ()
    title: str = ""
    away: bool = False


@dataclass(frozen=True)
class TerritoryRule:
    """One ordered routing rule for unknown visitors.

    `kind` says what `value` matches: an email domain, a company name, a country
    (alpha-2), a region group (e.g. ``EU``, ``LATAM``) or ``default`` (matches anyone).
    Several salespeople on one rule share it by rotation.
    """

    id: int
    position: int
    kind: str
    value: str
    salespeople: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True)
class Contact:
    """A visitor as the kiosk knows them.

    A known CRM customer has an `id` and usually an `owner_id`; an unknown visitor read
    from a badge has `id=None` and no owner. Customer notes are deliberately *not* part
    of this record: reception screens receive Contacts, and must never see notes.
    """

    id: str | None
    name: str
    company: str = ""
    email: str = ""
    phone: str = ""
    country: str | None = None
    city: str = ""
    title: str = ""
    language: str | None = None
    crm_id: str | None = None
    badge_id: str | None = None
    grade: str = ""
    owner_id: str | None = None
    assistant_id: str | None = None
    split: float | None = None
    filed_at: datetime | None = None
    first_contact_by: str | None = None
    first_contact_at: datetime | None = None
    last_contact_at: datetime | None = None
    last_deal_at: datetime | None = None
    preferred_id: str | None = None
    consent: bool = False
    source: str = "crm"

    @property
    def known(self) -> bool:
        return self.id is not None


@dataclass(frozen=True)
class Proposal:
    """A change the kiosk suggests to the manager; it never applies itself."""

    kind: ProposalKind
    proposed_id: str | None
    current_id: str | None
    reason: str
    split: float | None = None


@dataclass(frozen=True)
class TerritoryMatch:
    """Rule 5's evidence, typed: which territory rule routed the visitor and why it matched.

    `matched` says what about the visitor matched (`kind`'s field): their `country`, the
    region `group` that country is in, their e-mail `domain` or their `company`. `tally` is
    the rotation's count so far per salesperson on the rule, when several share it.
    """

    rule_id: int
    position: int
    kind: str
    value: str
    people: tuple[str, ...]
    country: str | None = None
    group: str | None = None
    domain: str | None = None
    company: str | None = None
    rotation: RotationMode = ""
    tally: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class Decision:
    """Who should receive the visitor, which rule said so, and the evidence it used.

    `rule` is a stable machine name (see `routing.RULES`); `reason` is one human line
    ("Existing customer of Ana Ruiz, filed 2024-03-02"); `evidence` maps labels to the
    values the rule read (timestamps as ISO strings, the territory rule row, …).
    """

    salesperson_id: str | None
    rule: RuleName
    reason: str
    evidence: dict[str, str] = field(default_factory=dict)
    flags: frozenset[Flag] = frozenset()
    proposals: tuple[Proposal, ...] = ()
    territory_rule_id: int | None = None
    # Typed evidence the UI tells in its language (the `evidence` strings are for the log).
    territory: TerritoryMatch | None = None  # the rule that routed the visitor (rule 5)
    key_account: TerritoryMatch | None = None  # a key-account rule a known customer matches


def assemble(cls: type[_Record], values: dict[str, Any]) -> _Record:
    """A frozen dataclass record from its field values, without running its `__init__`.

    A frozen dataclass's `__init__` sets each field through `object.__setattr__`: for the
    23 fields of a Contact that was 5 µs, a tenth of an exact lookup at a million contacts
    (every scan builds one, a search twenty). The record is the same — equal, same hash,
    same fields — provided `values` names every field that has no plain default and does
    what a `__post_init__` would (`tests/core/test_records.py` compares both ways of
    building a Contact and a Badge). Fields missing from `values` take their defaults;
    `values` names fields only, and when it names them all it becomes the record's state.
    """
    record = _NEW(cls)
    if len(values) == _FIELD_COUNTS.get(cls):
        # Every field given (a Contact from its row, a lookup's result): `values` is the
        # record's state as it is — the caller's fresh dict, not copied twice over.
        _SET(record, "__dict__", values)
        return record
    defaults = _DEFAULTS.get(cls)
    if defaults is None:
        defaults = _DEFAULTS[cls] = _plain_defaults(cls)
        _FIELD_COUNTS[cls] = _field_count(cls)
    # One merge of whole dicts, not the fields inserted one by one (nor a copy, then an
    # update: ~50 ns more of a ~0.6 µs Badge read by the quick readers)
    _SET(record, "__dict__", defaults | values)
    return record


_NEW = object.__new__
_SET = object.__setattr__
_FIELD_COUNTS: dict[type, int] = {}


def _field_count(cls: type) -> int:
    return len(fields(cls))


def _plain_defaults(cls: type) -> dict[str, Any]:
    """Each field's plain default (fields with none, or with a factory, are left out)."""
    out: dict[str, Any] = {}
    for f in fields(cls):
        if f.default is not MISSING:
            out[f.name] = f.default
    return out
