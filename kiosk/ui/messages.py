"""App-wide messages, named for what happened (widget-local ones live in their widget).

Screens post these and the app handles them with `@on` in `kiosk.ui.app` ("messages up");
a screen never calls the app's own methods. Three kinds:

- a person's act the app carries out: `CandidatePicked`, `CheckInPressed`,
  `ReceivePressed`, `NotesPressed` (the app records it and shows the result);
- something a screen recorded itself, for the app to announce and spread:
  `VisitorReceived`, `LeadSaved`, `ProposalDecided`, `CaseStated` (each ends in
  `BoothChanged`);
- something a screen found out, for every screen to show: `DatabaseDamaged`.

Messages that carry something are dataclasses, as Textual's own are (`Input.Changed`):
`Message.__post_init__` sets up what `Message.__init__` would.
"""

from __future__ import annotations

from dataclasses import KW_ONLY, dataclass
from typing import Any

from textual.message import Message

from kiosk.models import Contact
from kiosk.visits import Visit


@dataclass
class ScanReceived(Message):
    """The scanner typed one complete payload (multi-line payloads arrive whole).

    `started`/`ended` are the monotonic times of its first and last key, so the card can
    measure "last key → card on screen". `settled`: the scan was started at its Enter and
    `ScanInput` has kept it already (its card is up or coming): nothing is left to do.
    """

    payload: str
    _: KW_ONLY
    started: float
    ended: float
    terminator: str
    settled: bool = False


class BoothChanged(Message):
    """Something was written (check-in, lead, decision, away): boards should reload."""

    ALLOW_SELECTOR_MATCH = set()

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, BoothChanged)


@dataclass
class DatabaseDamaged(Message):
    """SQLite refused a read or a write as malformed: the file is damaged (`why`: its
    words). The app shows the lasting warning on every screen (`kiosk.ui.integrity`)."""

    why: str


# ---------------------------------------------------------------------- a person's act
@dataclass
class CandidatePicked(Message):
    """A contact was picked from a list: a scan's candidates, search results, or a
    possible duplicate on the lead form. The app opens their card — on reception's screen,
    or on a card screen of its own (`on_card_screen`, from search) — checking them in if
    `check_in`."""

    contact: Contact
    _: KW_ONLY
    check_in: bool
    on_card_screen: bool = False


@dataclass
class VisitKeyPressed(Message):
    """A key was pressed on a visitor's card (the subclass says which)."""

    visit: Visit


class CheckInPressed(VisitKeyPressed):
    """F10 on a card: check the visitor in (the app redraws the card and tells the boards)."""


class ReceivePressed(VisitKeyPressed):
    """F6 on a card: the app asks who is receiving the visitor, then records it."""


class NotesPressed(VisitKeyPressed):
    """F7 on a card: the app shows the private notes, if the role may read them."""


# ---------------------------------------------------------------------- recorded by a screen
@dataclass
class VisitorReceived(Message):
    """A waiting visitor was marked received on the arrivals board. `proposals` are those
    this sent to the manager (someone other than the person called received them)."""

    name: str
    by: str
    proposals: list[dict[str, Any]]


@dataclass
class LeadSaved(Message):
    """The lead form filed a visitor. When the one filling it received them too,
    `visit.received_by` says who and `proposals` is what went to the manager (else None)."""

    visit: Visit
    proposals: list[dict[str, Any]] | None = None


@dataclass
class CaseStated(Message):
    """A salesperson recorded their case on a dispute (the statement is recorded)."""

    proposal_id: str


@dataclass
class DecisionUndone(Message):
    """The manager took back a decision on an item (the undo is recorded)."""

    proposal_id: str


@dataclass
class ProposalDecided(Message):
    """The manager approved or rejected a proposal (the decision is recorded)."""

    proposal_id: str
    _: KW_ONLY
    approve: bool
