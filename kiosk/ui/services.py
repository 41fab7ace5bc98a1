"""The booth as the TUI uses it: one object over the database, the show config and a clock.

Screens call these methods and never SQL or the routing engine directly, so every screen
decides, checks in and files leads exactly like the CLI (they share `kiosk.booth`). No
Textual here: the services are built by `kiosk.ui.factory` for the app, the tests, the
snapshot apps and the benchmark. `now` is injected, so a snapshot shows a fixed day.

Role rules that protect data live here too (notes need staff or manager), so a screen
that forgets a check cannot leak them.
"""

from __future__ import annotations

import hmac
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import sqlite_utils

from kiosk import booth, store
from kiosk.config import ShowConfig
from kiosk.models import Contact, Decision, Salesperson
from kiosk.ui.visit import Candidate, Visit, visitor_from_badge

# A second scan of the same person within this window shows their card without a new check-in.
REPEAT_WINDOW = timedelta(minutes=10)
STRONG = ("invitation", "badge", "email", "phone")
ROLES = ("reception", "staff", "manager")


class NotAllowed(PermissionError):
    """The current role may not do this (e.g. reception reading notes)."""


class BoothServices:
    """Everything the screens need, bound to one kiosk database."""

    def __init__(
        self,
        db: sqlite_utils.Database,
        config: ShowConfig,
        *,
        now: Callable[[], datetime] | None = None,
        db_path: str | Path | None = None,
    ) -> None:
        self.db = db
        self.config = config
        self._now = now or store.now_utc
        self.db_path = Path(db_path) if db_path else _file_of(db)
        self._people: dict[str, Salesperson] | None = None
        self._local = threading.local()
        self._secret: str | None = None
        from kiosk.dashboard import show_zone

        self.zone = show_zone(config.timezone)

    # ------------------------------------------------------------------ basics
    def now(self) -> datetime:
        return self._now()

    @property
    def people(self) -> dict[str, Salesperson]:
        if self._people is None:
            self._people = store.load_salespeople(self.db)
        return self._people

    def refresh_people(self) -> None:
        self._people = None

    def person(self, sp_id: str | None) -> Salesperson | None:
        return self.people.get(sp_id) if sp_id else None

    def contact(self, contact_id: str) -> Contact | None:
        """A contact as reception may see it (no notes: those need `notes()` and a role)."""
        return store.get_contact(self.db, contact_id)

    def sales_staff(self) -> list[Salesperson]:
        """People who can log in as staff: salespeople and managers, by name."""
        return [p for p in self.people.values() if p.role in ("sales", "manager")]

    def managers(self) -> list[Salesperson]:
        return [p for p in self.people.values() if p.role == "manager"]

    def check_pin(self, pin: str) -> bool:
        return hmac.compare_digest(pin.strip().encode(), str(self.config.manager_pin).encode())

    def data_version(self) -> int:
        """Changes when another connection (a merge, the CLI) commits to the database."""
        return int(self.db.execute("PRAGMA data_version").fetchone()[0])

    def reader(self) -> sqlite_utils.Database:
        """A connection for this thread: search workers must not share the UI's connection."""
        if self.db_path is None or threading.current_thread() is threading.main_thread():
            return self.db
        db = getattr(self._local, "db", None)
        if db is None:
            from kiosk.db import open_db

            db = self._local.db = open_db(self.db_path, create=False, migrate=False)
        return db

    def secret(self) -> str:
        if self._secret is None:
            from kiosk.tokens import show_secret

            self._secret = show_secret(self.db, self.config)
        return self._secret

    # ------------------------------------------------------------------ deciding
    def route(
        self, visitor: Contact, *, brought_by: str | None = None, invited: str | None = None
    ) -> Decision:
        return booth.decide_for(
            self.db, self.config, visitor, brought_by=brought_by, invited=invited,
            now=self.now(), salespeople=self.people,
        )  # fmt: skip

    def _lookup(self, db: sqlite_utils.Database, query: str, limit: int) -> Any:
        from kiosk.lookup import lookup

        return lookup(db, query, secret=self.secret(), show_id=self.config.show_id, limit=limit)

    def resolve_scan(self, payload: str, *, actor: str = "", check_in: bool | None = None) -> Visit:
        """A scanned payload → the card to show (checked in, if the show says so)."""
        result = self._lookup(self.db, payload, limit=8)
        badge = getattr(result, "badge", None)
        inv = getattr(result, "invitation", None)
        if inv is not None and not inv.ok:
            contact = visitor_from_badge(badge)
            return Visit(contact, None, badge=badge, payload=payload, refused=inv.error or "?")
        invited = inv.salesperson_id if inv is not None and inv.ok else None
        matches = list(result.matches)
        if result.kind == "invitation" and not matches:  # genuine, but for someone not on file
            contact = visitor_from_badge(badge)
            return Visit(contact, None, badge=badge, payload=payload, refused=result.message or "?")
        do_check_in = self.config.checkin_on_scan if check_in is None else check_in
        if matches and (len(matches) == 1 or result.kind in STRONG):
            m = matches[0]
            return self.open_contact(
                m.contact, actor=actor, check_in=do_check_in, invited=invited, how=m.how,
                badge=badge, payload=payload,
            )  # fmt: skip
        if len(matches) > 1 and result.kind != "country":
            cands = tuple(
                Candidate(m.contact, m.how, float(m.score), self.person(m.contact.owner_id))
                for m in matches
            )
            return Visit(
                visitor_from_badge(badge), None, badge=badge, payload=payload, candidates=cands
            )
        visitor = visitor_from_badge(badge, getattr(result, "country", None))
        if unreadable(badge):
            return Visit(Contact(id=None, name=""), None, badge=badge, payload=payload)
        decision = self.route(visitor)
        return Visit(
            visitor, decision, self.person(decision.salesperson_id), badge=badge, payload=payload
        )

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
    ) -> Visit:
        """A known contact's card; with `check_in`, record the visit (once per REPEAT_WINDOW)."""
        if isinstance(contact, str):
            found = store.get_contact(self.db, contact)
            if found is None:
                raise booth.BoothError(f"no contact with id {contact}")
            contact = found
        assert contact.id is not None
        recent = self._recent_checkin(contact.id)
        if check_in and recent is None:
            done = booth.check_in(
                self.db, self.config, contact.id, actor=actor, invited=invited, now=self.now()
            )
            return Visit(
                done.contact, done.decision, self.person(done.decision.salesperson_id), badge=badge,
                payload=payload, how=how, checkin_id=done.event.uuid,
                checked_in_at=store.parse_ts(done.event.ts), invited_by=invited,
            )  # fmt: skip
        decision = self.route(contact, invited=invited)
        visit = Visit(
            contact, decision, self.person(decision.salesperson_id), badge=badge, payload=payload,
            how=how, invited_by=invited,
        )  # fmt: skip
        if recent is not None:
            from dataclasses import replace

            visit = replace(
                visit, checkin_id=recent[0], checked_in_at=store.parse_ts(recent[1]),
                repeat=check_in, received_by=recent[2],
            )  # fmt: skip
        return visit

    def _recent_checkin(self, contact_id: str) -> tuple[str, str, str | None] | None:
        since = store.iso(self.now() - REPEAT_WINDOW)
        row = self.db.execute(
            "SELECT id, at, received_by FROM checkins WHERE contact_id = ?"
            " AND julianday(at) >= julianday(?) ORDER BY julianday(at) DESC LIMIT 1",
            [contact_id, since],
        ).fetchone()
        return (row[0], row[1], row[2]) if row else None

    def check_in(self, visit: Visit, *, actor: str = "", brought_by: str | None = None) -> Visit:
        """Record a visit shown without a check-in (search, or checkin_on_scan off)."""
        assert visit.contact.id is not None
        done = booth.check_in(
            self.db, self.config, visit.contact.id, actor=actor, brought_by=brought_by,
            invited=visit.invited_by, now=self.now(),
        )  # fmt: skip
        from dataclasses import replace

        return replace(
            visit, decision=done.decision, owner=self.person(done.decision.salesperson_id),
            checkin_id=done.event.uuid, checked_in_at=store.parse_ts(done.event.ts), repeat=False,
        )  # fmt: skip

    def receive(self, visit: Visit, *, by: str, actor: str = "") -> tuple[Visit, list[dict]]:
        """`by` meets the visitor: (the visit as the card should now show it, the proposals
        that went to the manager). Someone other than the one called is recorded as bringing
        them (rule 2: the owner stays, an assistant/split proposal goes to the manager)."""
        from dataclasses import replace

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

    # ------------------------------------------------------------------ searching
    def search(self, text: str, *, limit: int = 40) -> tuple[str, list[Candidate]]:
        """Search as you type (staff): (how the query was read, candidates). Thread-safe."""
        text = text.strip()
        if not text:
            return "none", []
        result = self._lookup(self.reader(), text, limit)
        people = self.people
        cands = [
            Candidate(m.contact, m.how, float(m.score), people.get(m.contact.owner_id or ""))
            for m in result.matches
        ]
        return result.kind, cands

    def duplicates(self, *, name: str, email: str, company: str = "") -> list[Candidate]:
        """Existing contacts a new lead may duplicate: the same email, or the same full name
        (every word typed appears in theirs; at least two words, or a CJK name). Thread-safe."""
        from kiosk.text import normalize_email

        db = self.reader()
        people = self.people
        out: dict[str, Candidate] = {}
        norm = normalize_email(email)
        if norm:
            cols = [c.strip() for c in store.CONTACT_COLUMNS.split(",")]
            for row in db.execute(
                f"SELECT {store.CONTACT_COLUMNS} FROM contacts WHERE email_norm = ? LIMIT 3", [norm]
            ):
                c = store.contact_from_row(dict(zip(cols, row, strict=True)))
                out[c.id or ""] = Candidate(c, "email", 100.0, people.get(c.owner_id or ""))
        words = name_words(name)
        if len(words) >= 2 or (
            len(words) == 1 and _is_cjk(next(iter(words))) and len(name.strip()) >= 2
        ):
            from kiosk.lookup import search

            for m in search(db, name, limit=8):
                if m.contact.id not in out and words <= name_words(m.contact.name):
                    out[m.contact.id or ""] = Candidate(
                        m.contact, m.how, float(m.score), people.get(m.contact.owner_id or "")
                    )
        return list(out.values())[:3]

    def notes(self, contact_id: str, role: str) -> str:
        if role not in ("staff", "manager"):
            raise NotAllowed("notes are for booth staff and the manager")
        return store.contact_notes(self.db, contact_id)

    # ------------------------------------------------------------------ leads
    def add_lead(self, lead: booth.LeadInput, *, actor: str = "") -> Visit:
        done = booth.add_lead(self.db, self.config, lead, actor=actor, now=self.now())
        contact = store.get_contact(self.db, done.contact_id)
        assert contact is not None
        row = self.db.execute(
            "SELECT id, at FROM checkins WHERE contact_id = ? ORDER BY julianday(at) DESC LIMIT 1",
            [done.contact_id],
        ).fetchone()
        return Visit(
            contact, done.decision, self.person(done.decision.salesperson_id), how="lead",
            checkin_id=row[0] if row else None, checked_in_at=store.parse_ts(row[1]) if row else None,
            lead_id=done.event.uuid,
        )  # fmt: skip

    # ------------------------------------------------------------------ the day
    def today_counts(self) -> tuple[int, int]:
        """(visits checked in today, still waiting) for the idle reception screen."""
        from kiosk.dashboard import day_bounds, local_day

        start, end = day_bounds(local_day(self.now(), self.zone), self.zone)
        row = self.db.execute(
            "SELECT count(*), coalesce(sum(status = 'waiting'), 0) FROM checkins"
            " WHERE julianday(at) >= julianday(?) AND julianday(at) < julianday(?)",
            [start, end],
        ).fetchone()
        return int(row[0]), int(row[1])

    def arrivals(self) -> list[Any]:
        from kiosk.dashboard import arrivals

        return arrivals(self.db, now=self.now(), zone=self.zone)

    def dashboard(self, *, whole_show: bool = False) -> Any:
        from kiosk.dashboard import dashboard

        return dashboard(self.db, now=self.now(), zone=self.zone, whole_show=whole_show)

    def queue(self) -> list[Any]:
        from kiosk.dashboard import proposal_queue

        return proposal_queue(self.db)

    def decide(self, proposal_id: str, *, approve: bool, actor: str, note: str = "") -> None:
        booth.decide_proposal(
            self.db, self.config, proposal_id, approve=approve, actor=actor, note=note
        )

    def mark_received(self, checkin_id: str, *, by: str, actor: str = "") -> list[dict]:
        """Record who received a check-in; returns the proposals this sent to the manager
        (an assistant/split one when `by` is neither the owner nor the person called)."""
        event = booth.mark_received(self.db, self.config, checkin_id, by=by, actor=actor)
        return list(event.payload.get("proposals") or [])

    def set_away(self, sp_id: str, away: bool, *, actor: str = "") -> None:
        booth.set_away(self.db, self.config, sp_id, away, actor=actor)
        self.refresh_people()


def name_words(name: str) -> set[str]:
    """Folded words of a name ('José-María Ruiz' → {'jose', 'maria', 'ruiz'})."""
    import re

    from kiosk.text import fold

    return {w for w in re.split(r"[^\w]+", fold(name)) if w}


def _is_cjk(word: str) -> bool:
    return any("\u3040" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af" for ch in word)


def unreadable(badge: Any) -> bool:
    """Nothing on this badge identifies a person: no letters in any name, no email, phone or id."""
    if badge is None or badge.kind == "empty":
        return True
    has_name = any(ch.isalpha() for ch in (badge.name or "") + (badge.company or ""))
    return not (has_name or badge.email or badge.phone or badge.badge_id)


def _file_of(db: sqlite_utils.Database) -> Path | None:
    row = db.conn.execute("PRAGMA database_list").fetchone()
    return Path(row[2]) if row and row[2] else None
