"""The booth as the TUI uses it: the core visit service plus what screens need besides.

Screens call these methods and never SQL or the routing engine directly. Everything a scan
means (which contact, whom to call, what to record) is `kiosk.visits.VisitService`'s, which
the CLI calls too — one answer everywhere. What is added here is for screens only: search
as you type on worker threads, the duplicate warning of the lead form, notes behind a role,
the day's counts and the manager's queue. No Textual here.

Role rules that protect data live here too (notes need staff or manager), so a screen
that forgets a check cannot leak them.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk import booth, pins, store
from kiosk.clock import Clock, day_bounds, day_outside_show, local_day, show_zone
from kiosk.config import ShowConfig
from kiosk.db import database, get_meta, held_commit, open_db, set_meta, transaction
from kiosk.keyfile import database_file
from kiosk.lookup import search
from kiosk.models import Salesperson
from kiosk.pins import Attempt
from kiosk.text import fold, normalize_email
from kiosk.ui.dispute_services import DisputeServices
from kiosk.visits import REPEAT_WINDOW, STRONG, Candidate, VisitService, unreadable
from kiosk.visits.layout import LayoutOffer, layout_offer

if TYPE_CHECKING:
    import sqlite_utils

    from kiosk.notify.outbox import OutboxItem

__all__ = ["REPEAT_WINDOW", "STRONG", "BoothServices", "NotAllowed", "unreadable"]

ROLES = ("reception", "staff", "manager")
DRAFT_KEY = "draft.lead."  # + the author: a salesperson's id, else the role


class NotAllowed(PermissionError):
    """The current role may not do this (e.g. reception reading notes)."""


class _Withdrawn(Exception):
    """A scan started early turned out not to be the whole badge: roll it back."""


class BoothServices(VisitService, DisputeServices):
    """Everything the screens need, bound to one kiosk database."""

    def __init__(
        self,
        db: sqlite3.Connection | sqlite_utils.Database,
        config: ShowConfig,
        *,
        clock: Clock,
        db_path: str | Path | None = None,
    ) -> None:
        self._local = threading.local()
        self._pin_waits: dict[str, float] = {}  # subject → when its back-off ends (`kiosk.pins`)
        self.db_path = Path(db_path) if db_path else database_file(db)
        super().__init__(db, config, clock=clock)

        self.zone = show_zone(config.timezone)

    # ------------------------------------------------------------------ basics
    def contact(self, contact_id: str):  # noqa: ANN201 - a Contact or None
        """A contact as reception may see it (no notes: those need `notes()` and a role)."""
        return store.get_contact(self.db, contact_id)

    def sales_staff(self) -> list[Salesperson]:
        """People who can log in as staff: salespeople and managers, by name."""
        return [p for p in self.people.values() if p.role in ("sales", "manager")]

    def managers(self) -> list[Salesperson]:
        return [p for p in self.people.values() if p.role == "manager"]

    # ------------------------------------------------------------------ PINs
    def try_pin(
        self,
        subject: str,
        pin: str,
        *,
        at: float,
        purpose: str,
        actor: str = "",
        clock: Callable[[], float] | None = None,
        waiting: Callable[[], None] | None = None,
    ) -> Attempt:
        """Check a PIN typed at the booth (`subject`: a salesperson, or `pins.MANAGER` for
        any manager's) with back-off and lockout; every wrong one is a `pin.failed` event,
        written with its count in one transaction. `at` is the app's monotonic time (see
        `kiosk.pins`), `clock` reads it again once the attempt is written, so that a wait
        for the write lock does not eat into the back-off. While another program holds the
        lock, `waiting()` is told and the write waits for the busy timeout, then raises
        (nothing counted, nothing told): for the PIN dialog's thread, on this thread's
        connection."""
        guard = self.pin_guard
        checked = guard.check(subject, pin, at=at)
        if checked.attempt is not None:
            return checked.attempt
        with transaction(self.db, waiting=waiting):
            attempt = guard.settle(subject, checked)
            if not attempt.ok:
                booth.pin_failed(
                    self.db, self.config, subject, failures=attempt.failures,
                    wait_seconds=attempt.wait, locked=attempt.locked, purpose=purpose,
                    now=self.now(), actor=actor,
                )  # fmt: skip
        guard.remember(subject, attempt, at=clock() if clock else at)
        return attempt

    @property
    def pin_guard(self) -> pins.PinGuard:
        """The PIN guard on this thread's connection; the waits in force are the kiosk's."""
        return pins.PinGuard(self.db, waits=self._pin_waits)

    def has_manager_pin(self) -> bool:
        """Whether any manager could type a PIN (else quitting needs none: nobody could)."""
        return bool(pins.effective_pins(self.db, pins.MANAGER))

    def outbox(self, limit: int = 200) -> tuple[list[OutboxItem], dict[str, int]]:
        """The newest notifications and the count per state, for the manager's outbox."""
        # kiosk.notify loads apprise, which start-up leaves until after the first frame
        # (tests/ui/test_startup.py).
        # measured start-up cost: kiosk.notify.outbox (~94 ms), first needed here
        from kiosk.notify.outbox import counts, items

        return items(self.db, limit=limit), counts(self.db)

    def data_version(self) -> int:
        """Changes when another connection (a merge, the CLI) commits to the database."""
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    # `db` is per thread: the UI thread's connection, or one of the worker's own — the scan
    # thread (`kiosk.ui.scanning`) and the search workers never share the UI's, so a write
    # on one thread never joins another thread's transaction.
    @property
    def db(self) -> sqlite_utils.Database:
        path = self.__dict__.get("db_path")
        if path is None or threading.current_thread() is threading.main_thread():
            main: sqlite_utils.Database | None = self.__dict__["_main_db"]
            if main is None:  # given a bare connection: sqlite-utils loads with the first use
                main = self.__dict__["_main_db"] = database(self.__dict__["_main_conn"])
            return main
        db = getattr(self._local, "db", None)
        if db is None:
            db = self._local.db = open_db(path, create=False, migrate=False)
        return db

    @db.setter
    def db(self, value: sqlite_utils.Database) -> None:
        self._use(value)

    def _use(self, db: sqlite_utils.Database | sqlite3.Connection) -> None:
        """Keep the UI thread's connection as given: a bare one (`kiosk.db.connect`, what
        `kiosk` starts with) is wrapped in sqlite-utils' `Database` only when `db` is first
        asked for, after the first frame; what comes before reads through `conn`."""
        if isinstance(db, sqlite3.Connection):
            self.__dict__["_main_conn"], self.__dict__["_main_db"] = db, None
        else:
            self.__dict__["_main_conn"], self.__dict__["_main_db"] = db.conn, db

    @property
    def conn(self) -> sqlite3.Connection:
        """This thread's bare connection (the UI thread's as given): for the reads the first
        frame makes, which need no sqlite-utils."""
        path = self.__dict__.get("db_path")
        if path is None or threading.current_thread() is threading.main_thread():
            main: sqlite3.Connection = self.__dict__["_main_conn"]
            return main
        return self.db.conn

    def reader(self) -> sqlite_utils.Database:
        """A connection for this thread: search workers must not share the UI's connection."""
        return self.db

    def resolve_scan(  # noqa: ANN201
        self, payload: str, *, actor: str = "", check_in: bool | None = None,
        at: datetime | None = None,
    ):  # fmt: skip
        """A scanned payload → the card to show (see `VisitService.resolve`), as of `at`,
        when the scan was read (a retried scan keeps its time: `scanned_at`)."""
        with self.scanned_at(at):
            return self.resolve(payload, actor=actor, record=check_in)

    def resolve_scan_held(
        self,
        payload: str,
        *,
        actor: str = "",
        drawn: Callable[[Any], None],
        keep: Callable[[], bool],
        at: datetime | None = None,
    ):  # noqa: ANN201
        """`resolve_scan` with its check-in's commit held (`kiosk.db.held_commit`): the
        lookup runs outside the transaction, `drawn(visit)` is told the card while the
        check-in is still uncommitted, then `keep()` says whether to commit it (the visit)
        or roll it back (None: nothing of it was recorded). For the scan thread
        (`kiosk.ui.scanning`): the card is drawn while the commit's fsync runs, and a scan
        started before its burst is known to be complete is rolled back when it was not
        the whole badge. This thread's connection must be its own."""
        try:
            with held_commit(self.db):
                visit = self.resolve_scan(payload, actor=actor, at=at)
                drawn(visit)
                if not keep():
                    raise _Withdrawn
        except _Withdrawn:
            return None
        return visit

    # ------------------------------------------------------------------ searching
    def search(self, text: str, *, limit: int = 40) -> tuple[str, list[Candidate]]:
        """Search as you type (staff): (how the query was read, candidates). Thread-safe."""
        kind, cands, _total, _more = self.search_counted(text, limit=limit)
        return kind, cands

    def search_counted(
        self, text: str, *, limit: int = 40
    ) -> tuple[str, list[Candidate], int | None, bool]:
        """`search`, plus how many contacts match in all (and whether that is a lower bound:
        counting stops at `kiosk.fulltext.COUNT_CAP`), for "showing N of M". Thread-safe."""
        text = text.strip()
        if not text:
            return "none", [], 0, False
        result = self.find(self.reader(), text, limit)
        people = self.people
        cands = [
            Candidate(m.contact, m.how, float(m.score), people.get(m.contact.owner_id or ""))
            for m in result.matches
        ]
        return result.kind, cands, result.total, result.total_is_lower_bound

    def duplicates(self, *, name: str, email: str, company: str = "") -> list[Candidate]:
        """Existing contacts a new lead may duplicate: the same email, or the same full name
        (every word typed appears in theirs; at least two words, or a CJK name). Thread-safe."""
        db = self.reader()
        people = self.people
        out: dict[str, Candidate] = {}
        norm = normalize_email(email)
        if norm:
            cols = [c.strip() for c in store.CONTACT_COLUMNS.split(",")]
            rows = (
                db.execute(
                    f"SELECT {store.CONTACT_COLUMNS} FROM contacts WHERE email_norm = ? LIMIT 3",
                    [norm],
                ).fetchall()
                or db.execute(  # a further address of a CRM contact (`contact_keys`)
                    f"SELECT {store.CONTACT_COLUMNS} FROM contacts WHERE id IN"
                    " (SELECT contact_id FROM contact_keys WHERE key = ?) LIMIT 3",
                    [norm],
                ).fetchall()
            )
            for row in rows:
                c = store.contact_from_row(dict(zip(cols, row, strict=True)))
                out[c.id or ""] = Candidate(c, "email", 100.0, people.get(c.owner_id or ""))
        words = name_words(name)
        if len(words) >= 2 or (
            len(words) == 1 and _is_cjk(next(iter(words))) and len(name.strip()) >= 2
        ):
            for m in search(db, name, limit=8):
                if m.contact.id not in out and words <= name_words(m.contact.name):
                    out[m.contact.id or ""] = Candidate(
                        m.contact, m.how, float(m.score), people.get(m.contact.owner_id or "")
                    )
        return list(out.values())[:3]

    # ------------------------------------------------------------------ lead drafts
    # A lead being typed is kept in the kiosk's own `meta` table under its author (the
    # logged-in person), so closing the app or the lock loses nothing and nobody else sees
    # it. Not an event: a draft is no booth fact, and it never leaves this kiosk.
    def lead_draft(self, author: str) -> dict[str, Any] | None:
        text = get_meta(self.db, DRAFT_KEY + author)
        if not text:
            return None
        try:
            data = json.loads(text)
        except ValueError:
            return None
        return data if isinstance(data, dict) else None

    def save_lead_draft(self, author: str, data: dict[str, Any]) -> None:
        set_meta(self.db, DRAFT_KEY + author, json.dumps(data, ensure_ascii=False, sort_keys=True))

    def drop_lead_draft(self, author: str) -> None:
        self.db.execute("DELETE FROM meta WHERE key = ?", [DRAFT_KEY + author])

    # ------------------------------------------------------------------ the show's dates
    def show_dates(self) -> tuple[str, date] | None:
        """('over', end) when the show's last day has passed, ('ahead', start) before its
        first day, else None — by the kiosk's clock in the show's time zone. A kiosk left on
        last year's show file says so instead of quietly filing leads under it."""
        return day_outside_show(self.now(), self.config.start, self.config.end, self.zone)

    def today(self) -> date:
        """The kiosk's date in the show's zone (what its clock says): `DisputeServices.today`
        without loading kiosk.disputes, which the scan screen's first frame does not need."""
        return local_day(self.now(), self.zone)

    def notes(self, contact_id: str, role: str) -> str:
        if role not in ("staff", "manager"):
            raise NotAllowed("notes are for booth staff and the manager")
        return store.contact_notes(self.db, contact_id)

    # ------------------------------------------------------------------ the day
    def today_counts(self) -> tuple[int, int]:
        """(visitors checked in today, still waiting) for the idle reception screen: each
        person once, however many kiosks scanned them (`store.WAITING`)."""
        start, end = day_bounds(local_day(self.now(), self.zone), self.zone)
        row = self.conn.execute(
            f"SELECT count(DISTINCT k.contact_id), coalesce(sum({store.WAITING}), 0)"
            " FROM checkins k WHERE julianday(k.at) >= julianday(?)"
            " AND julianday(k.at) < julianday(?)",
            [start, end],
        ).fetchone()
        return int(row[0]), int(row[1])

    # The manager's figures load with the first screen that shows them (issue 16: the
    # reception screen's first frame needs only `today_counts`).
    def arrivals(self) -> list[Any]:
        # measured start-up cost: kiosk.reports.dashboard (~6 ms), first needed here
        from kiosk.reports.dashboard import arrivals

        return arrivals(self.db, now=self.now(), zone=self.zone)

    def dashboard(self, *, whole_show: bool = False) -> Any:
        # measured start-up cost: kiosk.reports.dashboard (~6 ms), first needed here
        from kiosk.reports.dashboard import dashboard

        return dashboard(self.db, now=self.now(), zone=self.zone, whole_show=whole_show)

    def queue(self, *, include_decided: bool = False) -> list[Any]:
        """The manager's queue: the dispute workbench's (`DisputeServices.workbench_queue`)."""
        return self.workbench_queue(include_decided=include_decided)

    def decide(
        self,
        proposal_id: str,
        *,
        approve: bool,
        actor: str,
        note: str = "",
        assign_to: str | None = None,
    ) -> None:
        """`a`/`x` in the manager's queue: the workbench's --approve/--reject shorthands."""
        self.decide_item(
            proposal_id, None, approve=approve, actor=actor, note=note, assign_to=assign_to
        )

    def layout_offer(self) -> LayoutOffer | None:
        """A badge layout the recent scans agree on, other than the one in force."""
        return layout_offer(self.db, self.config)

    def use_layout(self, fields: tuple[str, ...], *, actor: str) -> None:
        """The manager confirms a badge layout: recorded, and in force for the next scan."""
        booth.confirm_layout(self.db, self.config, fields, now=self.now(), actor=actor)
        self.config = replace(self.config, badge_fields=tuple(fields))

    def set_away(self, sp_id: str, away: bool, *, actor: str = "") -> None:
        booth.set_away(self.db, self.config, sp_id, away, actor=actor, now=self.now())
        self.refresh_people()


def name_words(name: str) -> set[str]:
    """Folded words of a name ('José-María Ruiz' → {'jose', 'maria', 'ruiz'})."""

    return {w for w in re.split(r"[^\w]+", fold(name)) if w}


def _is_cjk(word: str) -> bool:
    return any("\u3040" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af" for ch in word)
