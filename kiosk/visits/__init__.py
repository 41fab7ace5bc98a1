"""The visit service: what a scan or a typed query means, whom to call, and what to record.

One answer everywhere. The TUI, every CLI command (`lookup`, `checkin`, `lead add`) and the
sync all call `VisitService`, so a badge means the same contact, the same owner and the
same rule wherever it is read. It takes the database, the show config and a clock (see
`kiosk.clock`); it never reads the wall clock and imports no UI.

A `Visit` is the frozen answer the card shows: the candidates, the chosen contact, the
decision (owner, rule, reason, evidence, flags, proposals) and what was recorded.

How a scan is settled (`VisitService.resolve`):

- a refused invitation (forged, another show, not on file) → status 'refused', nothing
  recorded;
- a match that identifies the visitor (`LookupResult.identified`: an invitation, a badge
  id, an e-mail, a phone, a structured badge's name with its company, or a typed whole
  name that is one contact's) → that contact; with `record`, a check-in (none when the
  same person was checked in within `REPEAT_WINDOW`);
- any other match, even a single one ('li na' finding Ali Nasr, a typo guess, a name
  inside an e-mail) → the candidates, for a person to choose; nothing recorded. The
  person's pick is what checks them in (`open_contact`);
- a country → who a new visitor from there would be routed to; nothing recorded;
- an unknown visitor whose badge identifies them (a badge id, an e-mail, a phone, or a
  structured card with a name) → routed by territory; with `record`, a walk-in arrival
  (`booth.walk_in`): on the arrivals board, counted for that salesperson, rotation moves on;
- anything else → the routing preview (free text) or 'unreadable'.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal

from kiosk import booth, store
from kiosk.clock import Clock
from kiosk.config import ShowConfig
from kiosk.db import database
from kiosk.keyfile import KeyFileError
from kiosk.lookup import LookupResult, by_badge_id, by_email, by_phone, lookup, show_region
from kiosk.models import Contact, Decision, Salesperson
from kiosk.tokens import PREFIX, TokenCheck, show_secret
from kiosk.visits.id_shape import IdShapes, bare_code, show_id_shapes
from kiosk.visits.model import (
    STATUSES,
    Candidate,
    Visit,
    badge_fields,
    identifies,
    unreadable,
    visible,
    visitor_from_badge,
)
from kiosk.visits.namesakes import namesakes as find_namesakes

if TYPE_CHECKING:
    import sqlite_utils

__all__ = [
    "OnDuplicate",
    "DuplicateLead",
    "REPEAT_WINDOW",
    "STATUSES",
    "STRONG",
    "Candidate",
    "Visit",
    "VisitService",
    "badge_fields",
    "identifies",
    "unreadable",
    "visible",
    "visitor_from_badge",
]

# A second scan of the same person within this window shows their card without a new check-in.
REPEAT_WINDOW = timedelta(minutes=10)
# Lookups whose first match is sure enough to open without asking a person to choose.
STRONG = ("invitation", "badge", "email", "phone")


# What filing a lead does when its e-mail, phone or badge id is already on file: ask (raise
# DuplicateLead), file it on that contact, or file a different person who shares it.
OnDuplicate = Literal["ask", "attach", "new"]


class DuplicateLead(booth.BoothError):
    """The lead's e-mail, phone or badge id is already on file, or its name at its company
    (`known`; `by_name` holds the ids matched by name and company only): the person filing
    it says whether it is that contact or a different person (`VisitService.file_lead`)."""

    def __init__(
        self, known: list[Contact], people: dict[str, Salesperson], by_name: frozenset[str] = frozenset()
    ) -> None:  # fmt: skip
        self.known = known
        self.by_name = by_name

        def listed(contacts: list[Contact]) -> str:
            return "; ".join(
                c.name + (f" ({c.company})" if c.company else "") + f" [{c.id}]"
                + (f", owner {owner.name}" if (owner := people.get(c.owner_id or "")) else "")
                for c in contacts
            )  # fmt: skip

        said = []
        if same := [c for c in known if c.id not in by_name]:
            said.append(f"already on file: {listed(same)}")
        if named := [c for c in known if c.id in by_name]:
            said.append(f"already on file with the same name and company: {listed(named)}")
        super().__init__("; ".join(said))


# The time a scan being resolved on this thread was read (`VisitService.scanned_at`).
_scan_time = threading.local()


class VisitService:
    """The booth's one answer to "who is this, whom do we call, what do we record".

    Bound to one kiosk database, its show config and a clock. Every front-end builds one
    (the TUI through `kiosk.ui.services.BoothServices`, which adds screen conveniences).
    """

    db: sqlite_utils.Database
    # `id_shapes`, read once (class defaults: a subclass may bind its database its own way)
    _id_shapes: IdShapes | None = None
    _id_shapes_read = False

    def __init__(
        self, db: sqlite_utils.Database | sqlite3.Connection, config: ShowConfig, *, clock: Clock
    ) -> None:
        self._use(db)
        self.config = config
        self._clock = clock
        self._people: dict[str, Salesperson] | None = None
        self._secret: str | None = None

    def _use(self, db: sqlite_utils.Database | sqlite3.Connection) -> None:
        """Bind the database: a bare connection (`kiosk.db.connect`'s) is wrapped in
        sqlite-utils' `Database`, what the booth's writers take."""
        self.db = database(db) if isinstance(db, sqlite3.Connection) else db
        self._id_shapes_read = False  # another database: its own shapes

    # ------------------------------------------------------------------ basics
    def now(self) -> datetime:
        at: datetime | None = getattr(_scan_time, "at", None)
        return at if at is not None else self._clock()

    @contextmanager
    def scanned_at(self, at: datetime | None) -> Iterator[None]:
        """Decide and record a scan, on this thread, as of `at` — when it was read. A scan
        the database refused (a lock, a full disk) is tried again seconds later, and was
        stamped then: 73 s late after a 45 s lock, on the card, the board and the waits."""
        before = getattr(_scan_time, "at", None)
        _scan_time.at = at
        try:
            yield
        finally:
            _scan_time.at = before

    @property
    def people(self) -> dict[str, Salesperson]:
        if self._people is None:
            self._people = store.load_salespeople(self.db)
        return self._people

    def refresh_people(self) -> None:
        self._people = None

    def person(self, sp_id: str | None) -> Salesperson | None:
        return self.people.get(sp_id) if sp_id else None

    def secret(self) -> str:
        if self._secret is None:
            self._secret = show_secret(self.db, self.config)
        return self._secret

    def find(self, db: sqlite_utils.Database, query: str, limit: int) -> LookupResult:
        """The lookup every path shares: this show's invitation key and badge layout."""
        # The key is read only for what may carry an invitation: a kiosk whose key file
        # is missing still finds everyone else (and says why it cannot check invitations).
        missing: KeyFileError | None = None
        try:
            secret = self.secret() if PREFIX in query else ""
        except KeyFileError as exc:  # a laptop joined through the hub, its key not copied
            secret, missing = "", exc
        result = lookup(
            db, query, secret=secret, show_id=self.config.show_id, limit=limit,
            field_order=self.config.badge_fields,
            default_region=show_region(self.config.timezone, self.config.venue),
        )  # fmt: skip
        badge = result.badge
        if missing is not None and badge is not None and badge.kind == "invitation":
            # not "forged", and not a database to wait for: what to copy, said on the card
            reason = f"this kiosk cannot check invitations yet: {missing}"
            check = TokenCheck(ok=False, error=reason)
            result = replace(result, invitation=check, message=f"Invitation not checked: {reason}")
        return result

    def id_shapes(self) -> IdShapes | None:
        """The shapes of the show's badge ids on file (`kiosk.visits.id_shape`), read once."""
        if not self._id_shapes_read:
            self._id_shapes, self._id_shapes_read = show_id_shapes(self.db), True
        return self._id_shapes

    def route(
        self, visitor: Contact, *, brought_by: str | None = None, invited: str | None = None
    ) -> Decision:
        return booth.decide_for(
            self.db, self.config, visitor, brought_by=brought_by, invited=invited,
            now=self.now(), salespeople=self.people,
        )  # fmt: skip

    # ------------------------------------------------------------------ a scan or a query
    def resolve(
        self,
        payload: str,
        *,
        actor: str = "",
        record: bool | None = None,
        brought_by: str | None = None,
        limit: int = 8,
    ) -> Visit:
        """A scanned payload or a typed query → the visit (recorded when `record`).

        `record` defaults to the show's `checkin_on_scan`; `kiosk lookup` passes False (it
        only previews), `kiosk checkin` True. See the module docstring for the cases.
        """
        do_record = self.config.checkin_on_scan if record is None else record
        result = self.find(self.db, payload, limit)
        badge = result.badge
        inv = result.invitation

        def visit(
            contact: Contact,
            decision: Decision | None,
            owner: Salesperson | None = None,
            **more: Any,
        ) -> Visit:
            return Visit(contact, decision, owner, badge=badge, payload=payload, found=result,
                         **more)  # fmt: skip

        if inv is not None and not inv.ok:
            return visit(visitor_from_badge(badge), None, refused=inv.error or "?")
        invited = inv.salesperson_id if inv is not None and inv.ok else None
        matches = list(result.matches)
        if result.kind == "invitation" and not matches:  # genuine, but for someone not on file
            return visit(visitor_from_badge(badge), None, refused=result.message or "?")
        if matches and result.kind != "country" and (result.kind in STRONG or result.identified):
            m = matches[0]
            return self.open_contact(
                m.contact, actor=actor, check_in=do_record, invited=invited, how=m.how,
                brought_by=brought_by, badge=badge, payload=payload, found=result,
            )  # fmt: skip
        if matches and result.kind != "country":  # candidates, even one: a person confirms
            cands = tuple(
                Candidate(m.contact, m.how, float(m.score), self.person(m.contact.owner_id))
                for m in matches
            )
            return visit(visitor_from_badge(badge), None, candidates=cands)
        if result.kind == "country":
            visitor = Contact(id=None, name="", country=result.country)
            decision = self.route(visitor)
            return visit(visitor, decision, self.person(decision.salesperson_id),
                         country=result.country)  # fmt: skip
        if unreadable(badge):
            return visit(Contact(id=None, name=""), None)
        if (code := bare_code(badge)) is not None and result.kind != "country":
            known = self.id_shapes()
            if known is not None and not known.fits(code):
                return visit(Contact(id=None, name=""), None, unlike=known.example)
        visitor = visitor_from_badge(badge, result.country)
        if do_record and identifies(badge):
            done = booth.walk_in(
                self.db, self.config, visitor, now=self.now(), raw=payload,
                badge=badge_fields(badge), actor=actor,
            )  # fmt: skip
            contact = store.get_contact(self.db, done.contact_id) or visitor
            return visit(
                contact, done.decision, self.person(done.decision.salesperson_id),
                how="walk-in", checkin_id=done.event.uuid,
                checked_in_at=store.parse_ts(done.event.ts), walkin=True, recorded=True,
            )  # fmt: skip
        decision = self.route(visitor)
        return visit(visitor, decision, self.person(decision.salesperson_id))

    def open_contact(
        self,
        contact: Contact | str,
        *,
        actor: str = "",
        check_in: bool = False,
        invited: str | None = None,
        how: str = "",
        badge: Any = None,
        payload: str = "",
        brought_by: str | None = None,
        found: LookupResult | None = None,
    ) -> Visit:
        """A known contact's card; with `check_in`, record the visit (once per REPEAT_WINDOW)."""
        if isinstance(contact, str):
            got = store.get_contact(self.db, contact)
            if got is None:
                raise booth.BoothError(f"no contact with id {contact}")
            contact = got
        assert contact.id is not None
        recent = self._recent_checkin(contact.id)
        if check_in and recent is None:
            done = booth.check_in(
                self.db, self.config, contact.id, actor=actor, invited=invited,
                brought_by=brought_by, now=self.now(), raw=payload,
            )  # fmt: skip
            return Visit(
                done.contact, done.decision, self.person(done.decision.salesperson_id),
                badge=badge, payload=payload, how=how, checkin_id=done.event.uuid,
                checked_in_at=store.parse_ts(done.event.ts), invited_by=invited, found=found,
                recorded=True,
            )  # fmt: skip
        received_by = recent[2] if recent is not None else None
        if check_in and recent is not None and brought_by:
            brought_first = recent[3]
            if brought_first and brought_first != brought_by:
                # another salesperson brought them with this check-in: theirs is the claim
                # (two assistants were proposed for one visitor)
                brought_by = None
            elif received_by is None:
                # Reception scanned them first and the salesperson came for them a few
                # minutes later: that salesperson receives them, as F6 on the card does
                # (rule 2's assistant proposal included). Before, the claim was printed
                # as proposed and recorded nowhere.
                self.mark_received(recent[0], by=brought_by, actor=actor)
                received_by = brought_by
            elif received_by != brought_by:
                brought_by = None  # someone else already met them: nothing to claim now
        decision = self.route(contact, invited=invited, brought_by=brought_by)
        visit = Visit(
            contact, decision, self.person(decision.salesperson_id), badge=badge, payload=payload,
            how=how, invited_by=invited, found=found,
        )  # fmt: skip
        if recent is not None:
            visit = replace(
                visit, checkin_id=recent[0], checked_in_at=store.parse_ts(recent[1]),
                repeat=check_in, received_by=received_by, brought_by=recent[3],
            )  # fmt: skip
        return visit

    def _recent_checkin(self, contact_id: str) -> tuple[str, str, str | None, str | None] | None:
        since = store.iso(self.now() - REPEAT_WINDOW)
        row = self.db.execute(
            "SELECT id, at, received_by, brought_by FROM checkins WHERE contact_id = ?"
            " AND julianday(at) >= julianday(?) ORDER BY julianday(at) DESC LIMIT 1",
            [contact_id, since],
        ).fetchone()
        return (row[0], row[1], row[2], row[3]) if row else None

    def check_in(self, visit: Visit, *, actor: str = "", brought_by: str | None = None) -> Visit:
        """Record a visit shown without a check-in (search, or checkin_on_scan off)."""
        assert visit.contact.id is not None
        done = booth.check_in(
            self.db, self.config, visit.contact.id, actor=actor, brought_by=brought_by,
            invited=visit.invited_by, now=self.now(),
        )  # fmt: skip
        return replace(
            visit, decision=done.decision, owner=self.person(done.decision.salesperson_id),
            checkin_id=done.event.uuid, checked_in_at=store.parse_ts(done.event.ts), repeat=False,
            recorded=True,
        )  # fmt: skip

    def mark_received(self, checkin_id: str, *, by: str, actor: str = "") -> list[dict[str, Any]]:
        """Record who received a check-in; returns the proposals this sent to the manager
        (an assistant/split one when `by` is neither the owner nor the person called)."""
        event = booth.mark_received(
            self.db, self.config, checkin_id, by=by, actor=actor, now=self.now()
        )
        return list(event.payload.get("proposals") or [])

    def receive(
        self, visit: Visit, *, by: str, actor: str = ""
    ) -> tuple[Visit, list[dict[str, Any]]]:
        """`by` meets the visitor: (the visit as the card should now show it, the proposals
        that went to the manager). Someone other than the one called is recorded as bringing
        them (rule 2: the owner stays, an assistant/split proposal goes to the manager)."""
        called = visit.decision.salesperson_id if visit.decision else None
        if visit.checkin_id is None and visit.contact.known:
            visit = self.check_in(visit, actor=actor, brought_by=by if by != called else None)
        if visit.checkin_id is None:
            raise booth.BoothError("this visitor is not checked in yet")
        proposals = self.mark_received(visit.checkin_id, by=by, actor=actor)
        if proposals and visit.decision is not None and "brought-by" not in visit.decision.flags:
            # the card now tells rule 2: who brought them, and the proposal the manager got
            decision = self.route(visit.contact, brought_by=by, invited=visit.invited_by)
            visit = replace(visit, decision=decision, owner=self.person(decision.salesperson_id))
        return replace(visit, received_by=by), proposals

    # ------------------------------------------------------------------ leads
    def known_duplicates(self, lead: booth.LeadInput) -> list[Contact]:
        """Contacts that share this lead's e-mail, phone or badge id, then those with its name
        at its company (`namesakes`): the same person, most likely. `kiosk lead add` refuses
        them unless told `--attach` or `--new`."""
        found = self._same_keys(lead)
        for c in self.namesakes(lead):
            found.setdefault(c.id or "", c)
        return list(found.values())

    def namesakes(self, lead: booth.LeadInput) -> list[Contact]:
        """Contacts with this lead's name at its company (`kiosk.visits.namesakes`)."""
        return find_namesakes(self.db, lead.name, lead.company)

    def _walk_in_namesakes(self, lead: booth.LeadInput) -> list[Contact]:
        """A walk-in being completed into a lead (`lead.contact_id`, a booth contact) is its
        own contact: its arrival is on the board and nothing can move it onto another. But
        reception scanned a bare badge id, and the card typed in now may be a customer's
        who has another owner: those namesakes, for the manager (`file_lead`)."""
        target = store.get_contact(self.db, lead.contact_id or "")
        if target is None or target.source != "booth":
            return []
        return [c for c in self.namesakes(lead) if c.id != target.id]

    def _same_keys(self, lead: booth.LeadInput) -> dict[str, Contact]:
        """Contacts that share this lead's e-mail, phone or badge id, by id."""
        found: dict[str, Contact] = {}
        if lead.badge_id and (c := by_badge_id(self.db, lead.badge_id)) is not None:
            found[c.id or ""] = c
        if lead.email:
            for c in by_email(self.db, lead.email, 3):
                found.setdefault(c.id or "", c)
        if lead.phone:
            for c in by_phone(self.db, lead.phone, lead.country, 3):
                found.setdefault(c.id or "", c)
        return found

    def file_lead(
        self, lead: booth.LeadInput, *, actor: str = "", duplicate: OnDuplicate = "ask"
    ) -> Visit:
        """File a lead as every front-end does: one whose e-mail, phone or badge id is
        already on file, or whose name is at its company (`known_duplicates`), raises
        DuplicateLead unless the person filing it said `attach` (a lead on that contact: its
        owner stands, no second contact) or `new` (a different person). Filed as a new
        contact, such a lead was routed as a stranger (the default owner) and then merged
        onto the known contact by its e-mail, raising a dispute with that contact's owner: a
        wrong call and a false dispute; by name, it made a second contact for a second
        owner with no word to anyone. A walk-in being completed (`lead.contact_id`) is its
        own contact.

        `new` despite a namesake with another owner files the visitor and gives the manager
        a dispute per such owner (`routing.namesake_disputes`): staff may know a namesake
        when they see one, but one customer with two owners is what the kiosk exists to
        prevent, and only the manager can tell a slip from a namesake afterwards."""
        booth.validate_lead(lead, self.config)  # what is wrong with it first, then who it is
        if lead.contact_id and duplicate == "ask":
            return self.add_lead(lead, actor=actor, namesakes=self._walk_in_namesakes(lead))
        same = {} if lead.contact_id else self._same_keys(lead)
        named = [] if lead.contact_id else [c for c in self.namesakes(lead) if c.id not in same]
        known = [*same.values(), *named]
        if duplicate == "attach":
            if not known:
                raise booth.BoothError(
                    "no contact on file has this e-mail, phone or badge id, or this name at"
                    " this company"
                )
            if len(known) > 1:
                raise booth.BoothError(
                    "the details match several contacts; say which one is this visitor"
                )
            lead = replace(lead, contact_id=known[0].id)
        elif duplicate == "new":
            lead = replace(lead, distinct=True)
            return self.add_lead(lead, actor=actor, namesakes=named)
        elif known:
            raise DuplicateLead(known, self.people, frozenset(c.id or "" for c in named))
        return self.add_lead(lead, actor=actor)

    def add_lead(
        self, lead: booth.LeadInput, *, actor: str = "", namesakes: Sequence[Contact] = ()
    ) -> Visit:
        """File a lead (and check the visitor in); the card of the new visitor.

        A walk-in completed into a lead (`lead.contact_id`) keeps the arrival it already has
        when it is recent: no second check-in, no second contact.
        """
        recent = self._recent_checkin(lead.contact_id) if lead.contact_id else None
        done = booth.add_lead(
            self.db, self.config, lead, actor=actor, now=self.now(), check_in_too=recent is None,
            namesakes=namesakes,
        )  # fmt: skip
        contact = store.get_contact(self.db, done.contact_id)
        assert contact is not None
        row = self.db.execute(
            "SELECT id, at FROM checkins WHERE contact_id = ? ORDER BY julianday(at) DESC LIMIT 1",
            [done.contact_id],
        ).fetchone()
        return Visit(
            contact, done.decision, self.person(done.decision.salesperson_id), how="lead",
            checkin_id=row[0] if row else None, checked_in_at=store.parse_ts(row[1]) if row else None,
            lead_id=done.event.uuid, recorded=True,
        )  # fmt: skip
