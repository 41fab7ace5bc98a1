"""The booth TUI: a scan-first Textual app for reception, staff and the manager.

The app owns three things and delegates the rest: the key interceptor that turns scanner
bursts into `ScanReceived` on every screen (`kiosk.ui.keys`), the session (role, who is
logged in, language, theme), and the routing of visits to the screen that shows them.
Everything it knows about the booth comes from the injected `BoothServices`; it is built
by `kiosk.ui.factory.build_app`, the one factory used by the CLI, the tests, the snapshot
apps and the benchmark.

Screens tell the app what happened with the messages of `kiosk.ui.messages` (handled below
with `@on`); the app tells screens what changed by calling the methods every screen has
from `kiosk.ui.screens.base.KioskBase`. Textual's own screens (the command palette) are
not `KioskBase`: they neither use scans nor hear of changes.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from functools import partial
from pathlib import Path
from types import EllipsisType
from typing import TYPE_CHECKING, Any

from textual import events, on, work
from textual._time import get_time
from textual.binding import Binding
from textual.command import CommandPalette
from textual.notifications import SeverityLevel
from textual.reactive import Reactive
from textual.screen import Screen
from textual.theme import Theme

from kiosk import fulltext
from kiosk.db import open_db
from kiosk.models import Contact, Salesperson
from kiosk.phones import normalize_phone
from kiosk.scanner import Timing
from kiosk.ui import bigtext
from kiosk.ui.commands import KioskCommands
from kiosk.ui.db_errors import DatabaseGuard, is_db_error, report
from kiosk.ui.fmt import duration
from kiosk.ui.gc_pacing import resume_at_first_frame
from kiosk.ui.i18n import Translator, normalize_lang
from kiosk.ui.integrity import INTEGRITY_DELAY, IntegrityWatch
from kiosk.ui.keys import ScanInput
from kiosk.ui.messages import (
    BoothChanged,
    CandidatePicked,
    CaseStated,
    CheckInPressed,
    DatabaseDamaged,
    DecisionUndone,
    LeadSaved,
    NotesPressed,
    ProposalDecided,
    ReceivePressed,
    ScanReceived,
    VisitorReceived,
)
from kiosk.ui.screens.base import KioskBase, VisitScreen
from kiosk.ui.screens.card import CardScreen
from kiosk.ui.screens.notes import NotesModal
from kiosk.ui.screens.receiver import ReceiverModal
from kiosk.ui.screens.scan import ScanScreen
from kiosk.ui.services import BoothServices, NotAllowed
from kiosk.ui.themes import DEFAULT_THEME, THEMES
from kiosk.ui.widgets.tr import translate_bindings
from kiosk.ui.widgets.visitor_card import VisitorCard, country_label, qr_for
from kiosk.visits import Visit

if TYPE_CHECKING:  # the hub and the notifications load after the first frame (see on_mount)
    from kiosk.hub.worker import HubStatus
    from kiosk.notify.screen import ScreenNotice
    from kiosk.ui.hub_link import HubLink


# Every screen's rules but the scan screen's: parsed after the first frame (`_load_later_css`).
LATER_CSS = Path(__file__).resolve().parent / "later.tcss"


def _commands_provider():
    return KioskCommands


class KioskApp(DatabaseGuard, IntegrityWatch):
    CSS_PATH = "kiosk.tcss"
    TITLE = "Booth kiosk"
    COMMANDS = {_commands_provider}
    BINDINGS = [
        Binding("f2", "search", "key.search", id="search"),
        Binding("f3", "new_lead", "key.new_lead", id="new_lead"),
        Binding("f4", "arrivals", "key.arrivals", id="arrivals"),
        Binding("f5", "manager", "key.manager", id="manager"),
        Binding("f11", "my_disputes", "key.my_disputes", id="my_disputes", show=False),
        # log in and lock before the language: on a narrow footer the last key is cut first
        Binding("f9", "switch_user", "key.user", id="user"),
        Binding("f12", "lock", "key.lock", id="lock", priority=True),
        Binding("f8", "switch_language", "key.language", id="language"),
        Binding("ctrl+l", "lock", "key.lock", id="lock_alt", show=False, priority=True),
        Binding(
            "ctrl+p", "command_palette", "key.palette", id="palette", show=False, priority=True
        ),
        Binding("ctrl+q", "quit", "key.quit", id="quit", show=False, priority=True),
        # shown only while a notice for the logged-in salesperson is up (`check_action`)
        Binding("f11", "notice_received", "key.notice_received", id="notice_received"),
    ]
    # The kiosk's dark theme is the theme from the start rather than set after it: Textual
    # parses every stylesheet with the colours of the theme it starts with, and a theme set
    # afterwards parses them all once more (a whole `Stylesheet.reparse`, ~40 ms of the
    # cold start, measured; `get_theme` knows the kiosk's themes before `App.__init__` asks).
    theme: Reactive[str] = Reactive(DEFAULT_THEME)

    def get_theme(self, theme_name: str) -> Theme | None:
        """A theme by name: the kiosk's own too, before they are registered."""
        return THEMES.get(theme_name) or super().get_theme(theme_name)

    def __init__(
        self,
        services: BoothServices,
        *,
        lang: str | None = None,
        role: str = "reception",
        user_id: str | None = None,
        theme: str = DEFAULT_THEME,
        card_timeout: float | None | EllipsisType = ...,
        scan_timing: Timing | None = None,
        clock: Callable[[], float] = get_time,
        warm_up: bool = True,
        watch_interval: float | None = 5.0,
        idle_lock: float | None | EllipsisType = ...,
        hub: HubLink | None = None,
        connect_hub: Callable[[], HubLink] | None = None,
        integrity_delay: float | None = INTEGRITY_DELAY,
    ) -> None:
        super().__init__()
        self.title = services.config.name
        self.services = services
        self.lang = normalize_lang(lang or services.config.language)
        self.t = Translator(self.lang)
        self.role = role
        self.user: Salesperson | None = services.person(user_id)
        # seconds a card stays up: the show's `[kiosk] card_seconds` unless given (None: forever)
        self.card_timeout: float | None = (
            float(services.config.card_seconds) if card_timeout is ... else card_timeout
        )
        # seconds without a key before a logged-in person is locked out (the show's
        # `[kiosk] idle_lock_seconds` unless given; None: never, for tests of other things)
        self.idle_lock: float | None = (
            float(services.config.idle_lock_seconds) if idle_lock is ... else idle_lock
        )
        self.warm_up = warm_up
        self.watch_interval = watch_interval
        self.hub = hub
        self._connect_hub = connect_hub  # makes `hub` after the first frame (`kiosk` does)
        self.hub_status: HubStatus | None = None
        self._noticed: set[str] = set()  # check-ins already announced on this screen
        self._notice: ScreenNotice | None = None  # the one F10 marks received
        self._data_version: int | None = None
        timing = scan_timing or Timing.from_gap_ms(services.config.scan_gap_ms)
        self.scan_input = ScanInput(self, self._deliver_key, timing, clock)
        self.clock = clock
        self._last_key = clock()
        self.start_scanning()
        # PINs are checked here, one at a time, on a connection of their own: the check
        # writes (the count of wrong tries), and a write can wait seconds for another
        # program's lock — never on the UI thread (`kiosk.ui.screens.pin`)
        self.pin_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kiosk-pin")
        self.watch_integrity(integrity_delay)  # the file checked for damage in quiet time
        self.scan_latencies: list[float] = []
        self.first_frame_at: float | None = None  # time.monotonic() of the first frame
        for th in THEMES.values():
            self.register_theme(th)
        self.theme = theme if theme in self.available_themes else DEFAULT_THEME
        translate_bindings(self, self.t)

    # ------------------------------------------------------------------ start-up
    def get_default_screen(self) -> Screen[None]:
        return ScanScreen()

    def on_mount(self) -> None:
        self.call_after_refresh(self._first_frame)
        self.open_scan_connection()  # no checkpoints on commit; the scan thread's own at the frame
        if self.warm_up:
            self.call_after_refresh(self._warm)
        if self.watch_interval:
            self._data_version = self.services.data_version()
            self.set_interval(self.watch_interval, self.watch_database, name="watch-db")
        if self.idle_lock:
            self.set_interval(min(1.0, self.idle_lock / 4), self.lock_when_idle, name="idle-lock")
        if self.hub is not None or self._connect_hub is not None:
            self.call_after_refresh(self._start_hub)

    def _first_frame(self) -> None:
        """The scan screen's first frame is composed: the kiosk is ready to scan (the
        benchmark's cold start ends here; what loads after it waits for this)."""
        self.first_frame_at = time.monotonic()
        self.open_scan_thread_db()
        self._load_later_css()
        self.scan_screen().mount_hidden()  # the candidate list and the card, hidden until a scan
        resume_at_first_frame()  # the collector, paused by `kiosk` until now (gc_pacing)
        self.start_integrity_watch()  # its first look is due seconds later, when quiet

    def _load_later_css(self) -> None:
        """The other screens' and the dialogs' rules (later.tcss), now that the scan screen
        is drawn: kiosk.tcss holds only what the scan screen shows, so the first frame parses
        ~60 rules instead of ~150 (~25 ms of the cold start, measured). Only the new file is
        parsed (Textual keeps what it parsed per source), once, before any other screen can
        be opened; no rule in it matches the scan screen (tests/ui/test_startup.py), so
        nothing on it is restyled."""
        path = str(LATER_CSS)
        if self.stylesheet.has_source(path):
            return
        self.stylesheet.add_source(LATER_CSS.read_text(encoding="utf-8"), read_from=(path, ""))
        self.stylesheet.rules  # noqa: B018 - parse it now, not on the first scan's frame
        for screen in self.screen_stack[1:]:  # opened before the first frame (a test's)
            self.stylesheet.update(screen)

    def _start_hub(self) -> None:
        """The sync and notification threads, after the first frame: importing them (the
        PostgreSQL driver, apprise) costs ~0.3 s of a kiosk's start-up, measured."""
        if self.hub is None and self._connect_hub is not None:
            self.hub = self._connect_hub()
        if self.hub is not None and self.is_running:
            self.hub.start(self, self.hub_status_changed)

    def lock_when_idle(self) -> None:
        """Back to reception when nobody has pressed a key for `idle_lock` seconds: a
        salesperson who walks off with a visitor leaves no notes open to the aisle."""
        if self.role == "reception" or self.idle_lock is None:
            return
        idle = self.clock() - self._last_key
        if idle >= self.idle_lock:
            self.action_lock()
            self.notify(self.t("notify.idle_locked", after=duration(self.idle_lock, self.t)))

    def on_unmount(self) -> None:
        self.stop_integrity_watch()
        self.stop_scanning()
        self.pin_pool.shutdown(wait=False, cancel_futures=True)
        if self.hub is not None:
            self.hub.stop()

    def _handle_exception(self, error: Exception) -> None:
        """A database error in a timer, a worker or a callback: said on screen, the app
        carries on (see `kiosk.ui.db_errors`); anything else is a bug and ends the app."""
        if is_db_error(error):
            report(self, error)
            return
        super()._handle_exception(error)

    # ------------------------------------------------------------------ the hub, notices
    def hub_status_changed(self, status: HubStatus) -> None:
        """The background worker finished a round (on the app's thread)."""
        before = self.hub_status
        self.hub_status = status
        if status.duplicate and not (before is not None and before.duplicate):
            # once, with the hub's whole sentence: how to rename this laptop
            self.notify(status.error, severity="error", timeout=30, markup=False)
        for screen in self.shown_screens():
            screen.refresh_hub(status)
        if status.last_round is not None and status.last_round.applied:
            self.services.refresh_people()
            self.post_message(BoothChanged())

    def check_notices(self) -> None:
        """Announce visitors newly waiting for the logged-in salesperson, scanned at another
        kiosk (here their card is on the screen already)."""
        if self.user is None:
            return
        # measured start-up cost: kiosk.notify.screen (~238 ms), first needed here
        from kiosk.notify.screen import waiting_for

        since = (self.services.now() - timedelta(hours=2)).isoformat(timespec="seconds")
        try:
            waiting = waiting_for(
                self.services.db, self.user.id, since=since,
                other_than=self.services.config.kiosk_id,
            )  # fmt: skip
        except Exception:  # noqa: BLE001 - a locked database: next time
            return
        fresh = [n for n in waiting if n.checkin_id not in self._noticed]
        open_ids = {n.checkin_id for n in waiting}
        if self._notice is not None and self._notice.checkin_id not in open_ids:
            self._notice = None  # received elsewhere
        for notice in reversed(fresh):
            self._noticed.add(notice.checkin_id)
            self._notice = notice
            if notice.company:
                text = self.t("hub.at_reception", name=notice.name, company=notice.company)
            else:
                text = self.t("hub.at_reception_alone", name=notice.name)
            self.notify(self.t("hub.notice", text=text), markup=False, timeout=30)
        screen = self.screen
        if isinstance(screen, KioskBase):
            screen.refresh_keys()  # F11 shows only while a notice is up; the footer is costly
        else:
            self.refresh_bindings()

    def forget_notice(self) -> None:
        self._notice = None
        self.refresh_bindings()

    def action_notice_received(self) -> None:
        """F11: the salesperson has met the visitor of the last notice."""
        notice, self._notice = self._notice, None
        self.refresh_bindings()
        if notice is None or self.user is None:
            return
        try:
            proposals = self.services.mark_received(
                notice.checkin_id, by=self.user.id, actor=self.actor
            )
        except Exception as exc:  # noqa: BLE001 - received elsewhere meanwhile
            self.say_failed(exc, severity="warning")
            return
        self.announce_received(notice.name, self.user.id, proposals)
        if self.hub is not None:
            self.hub.wake()  # the other kiosks hear of it in this round

    def watch_database(self) -> None:
        """Another kiosk merged in, or the CLI decided or imported: reload the boards.

        SQLite's data_version changes only for commits made by *other* connections, so the
        kiosk's own writes (which already post BoothChanged) do not reload twice.
        """
        try:
            version = self.services.data_version()
        except Exception:  # noqa: BLE001 - a locked or vanished file: try again next time
            return
        if version != self._data_version:
            self._data_version = version
            self.services.refresh_people()
            self.post_message(BoothChanged())

    @work(thread=True, exclusive=True, group="warm", exit_on_error=False)
    def _warm(self) -> None:
        """After the first frame: load what the first scan needs, so it is as fast as the rest."""
        # measured start-up cost: kiosk.badges (~21 ms), kiosk.events (~12 ms),
        # kiosk.disputes (~6 ms more) and kiosk.countries.resolve (~6 ms), first needed
        # here: the badge parsers, the event log a check-in is written to, a known
        # customer's standing arrangement, and the resolver a badge or a query naming a
        # country asks (kiosk.lookup imports it there)
        import kiosk.badges  # noqa: F401
        import kiosk.disputes  # noqa: F401
        import kiosk.events  # noqa: F401
        from kiosk import text as folding
        from kiosk.countries import resolve

        resolve.prepare()  # its tables and typo index (~85 ms), else built at the first call
        folding.prepare()  # the tables for accents and Han (~0.15 s), else at the first such

        bigtext.prepare_cjk()  # the font search (~70 ms) and its sizes, before the first CJK name
        normalize_phone("+44 20 7946 0000")  # phonenumbers and its tables, before the first scan
        # A number alone is read from per-code tables built at the first number of each
        # calling code: those shared by several regions cost most (+1: ~70 ms, 25 regions).
        for number in ("+1 212 555 0100", "+44 7700 900123", "+7 916 123 4567"):
            kiosk.badges.parse_badge(number)

        country_label("JP", self.lang)
        company = self.services.config.exhibitor
        qrs = [qr_for(sp, company) for sp in list(self.services.people.values())]
        self.call_from_thread(self._reserve_qr_room, qrs)
        if self.services.db_path is not None:
            threading.Thread(target=_learn_search_counts, args=(self.services.db_path,),
                             name="kiosk-search-counts", daemon=True).start()  # fmt: skip
        # Everything loaded so far lives as long as the app: keep it out of the collector's
        # way, and collect what comes later only between scans (`kiosk.ui.gc_pacing`), so a
        # garbage collection never lands between a scan and its card.
        self.call_from_thread(self._freeze_memory)

    def _reserve_qr_room(self, qrs: list[str]) -> None:
        """The card's QR column as big as the biggest salesperson's QR, before any scan."""
        for card in self.scan_screen().query(VisitorCard):
            card.reserve_qr_room(qrs)

    def _freeze_memory(self) -> None:
        gc.freeze()
        self.full_collections.take_over()

    # ------------------------------------------------------------------ keys → scans
    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded and self._screen_ready():
            if not self.app_focus:
                self.app_focus = True  # what Textual does for a key; scans count too
            self._last_key = self.clock()
            screen = self.screen
            capture = screen.CAPTURES_SCANS if isinstance(screen, KioskBase) else True
            await self.scan_input.feed(event, capture=capture)
            return
        await super().on_event(event)

    def action_command_palette(self) -> None:
        """Ctrl+P: Textual's palette, with its prompt in the UI language."""
        # (what CommandPalette.is_open checks; its signature wants a plain App)
        if self.use_command_palette and not self.screen.has_class("--textual-command-palette"):
            self.push_screen(
                CommandPalette(placeholder=self.t("cmd.placeholder"), id="--command-palette")
            )

    def action_help_quit(self) -> None:
        """Ctrl+C no longer quits a Textual app; say how to, in the UI language."""
        self.notify(self.t("cmd.quit_how"), title=self.t("cmd.quit_title"))

    def _screen_ready(self) -> bool:
        return bool(self._screen_stacks.get(self._current_mode))

    async def _deliver_key(self, event: events.Key) -> None:
        """Give a person's key to Textual as if nothing had intercepted it."""
        await super().on_event(event)

    def on_scan_received(self, message: ScanReceived) -> None:
        if message.settled or self.settle_early_scan(message.payload):
            return  # started at its Enter: its card is up or coming, and it is kept
        screen = self.screen
        if isinstance(screen, KioskBase) and screen.accept_scan(message.payload):
            return
        self.handle_scan(message.payload, ended=message.ended)

    def _record_latency(self, ended: float) -> None:
        self.scan_latencies.append(self.clock() - ended)
        self.full_collections.now_if_due()  # the card is on screen: nothing waits now

    # ------------------------------------------------------------------ visits
    def show_visit(self, visit: Visit, *, ended: float | None = None, pop: bool = True) -> None:
        """Show a visit on the reception screen, closing whatever was on top of it — unless
        `pop` is False: a scan recorded on its retry seconds later updates the card
        underneath, and leaves the dialog, form or board someone has opened since alone (it
        closed the manager's PIN dialog for quitting, and would have closed a lead form)."""
        if pop:
            self.pop_to_scan()
        screen = self.scan_screen()
        screen.show_visit(visit)
        if ended is not None:
            self.frame_drawn_then(partial(self._record_latency, ended))

    def frame_drawn_then(self, callback: Callable[[], None]) -> None:
        """Call `callback` once the frame after the card shown now has been composed."""
        self.scan_screen().mark_frame()  # a repeat scan may change nothing
        self.call_after_refresh(callback)

    def update_visit(self, visit: Visit) -> None:
        """A visit changed (checked in, received): redraw it where it is shown."""
        screen = self.screen
        if isinstance(screen, VisitScreen) and screen.visit is not None:
            screen.show_visit(visit)
        else:
            self.scan_screen().show_visit(visit)

    def open_contact(
        self, contact: Contact | str, *, check_in: bool, on_card_screen: bool = False
    ) -> None:
        try:
            visit = self.services.open_contact(contact, actor=self.actor, check_in=check_in)
        except Exception as exc:  # noqa: BLE001
            self.say_failed(exc)
            return
        if on_card_screen:
            self.push_screen(CardScreen(visit))
        else:
            self.show_visit(visit)
        if visit.checkin_id and not visit.repeat:
            self.post_message(BoothChanged())

    def say_failed(self, exc: Exception, *, severity: SeverityLevel = "error") -> None:
        """A write someone asked for (F10, F6, a pick) failed: a database error in the
        database's few words — and a damaged file's lasting warning, as a scan's — where
        SQLite's own ("database disk image is malformed") used to be the whole toast."""
        if is_db_error(exc):
            report(self, exc)
        else:
            self.notify(str(exc), severity=severity, markup=False)

    def still_recording(self, visit: Visit) -> bool:
        """A card drawn while its scan's check-in waits for the database (`Visit.pending`):
        F10 or F6 would write from this thread, waiting out the same lock with the screen
        frozen; the scan's retry records it, then the keys work."""
        if visit.pending and visit.checkin_id is None:
            self.notify(self.t("notify.still_recording"), severity="warning", markup=False)
            return True
        return False

    def check_in_visit(self, visit: Visit | None) -> None:
        if visit is None or not visit.contact.known or self.still_recording(visit):
            return
        try:
            visit = self.services.check_in(visit, actor=self.actor)
        except Exception as exc:  # noqa: BLE001
            self.say_failed(exc)
            return
        self.update_visit(visit)
        self.notify(self.t("notify.checked_in", name=visit.contact.name), markup=False)
        self.post_message(BoothChanged())

    def receive_visit(self, visit: Visit | None) -> None:
        """F6: ask who is receiving the visitor (the person called, unless someone else is)."""
        if visit is None or visit.decision is None or not visit.contact.known:
            return
        if self.still_recording(visit):
            return
        called = visit.decision.salesperson_id

        def received(by: str) -> None:
            try:
                done, proposals = self.services.receive(visit, by=by, actor=self.actor)
            except Exception as exc:  # noqa: BLE001
                self.say_failed(exc)
                return
            self.update_visit(done)
            self.announce_received(done.contact.name, by, proposals)

        self.ask_receiver(visit.contact.name, called, received, visit.contact.assistant_id)

    def ask_receiver(
        self, name: str, called: str | None, then: Callable[[str], Any], assistant: str | None
    ) -> None:
        """Who is receiving `name`? The logged-in salesperson by default, else the one called."""
        default = self.user.id if self.user is not None else called

        def done(by: str | None) -> None:
            if by:
                then(by)

        self.push_screen(ReceiverModal(name, called, default, assistant=assistant), done)

    def announce_received(self, name: str, by: str, proposals: list[dict[str, Any]]) -> None:
        """'X received by Y', and — when rule 2 applied — what went to the manager."""
        who = self.services.person(by)
        message = self.t("notify.received", name=name, who=who.name if who else by)
        for p in proposals:
            owner = self.services.person(p.get("current_id"))
            split = f"{round((p.get('split') or 0) * 100)}%"
            message += "\n" + self.t(
                "notify.proposal_sent", who=who.name if who else by,
                owner=owner.name if owner else (p.get("current_id") or ""), split=split,
            )  # fmt: skip
        self.notify(message, markup=False, timeout=8 if proposals else 4)
        self.post_message(BoothChanged())

    def show_notes(self, visit: Visit) -> None:
        if visit.contact.id is None:
            return
        try:
            text = self.services.notes(visit.contact.id, self.role)
        except NotAllowed:
            self.notify(self.t("error.notes_forbidden"), severity="warning")
            return
        self.push_screen(NotesModal(visit.contact.name, text))

    # ------------------------------------------------------------------ messages from screens
    @on(CandidatePicked)
    def _candidate_picked(self, message: CandidatePicked) -> None:
        self.open_contact(
            message.contact, check_in=message.check_in, on_card_screen=message.on_card_screen
        )

    @on(CheckInPressed)
    def _check_in_pressed(self, message: CheckInPressed) -> None:
        self.check_in_visit(message.visit)

    @on(ReceivePressed)
    def _receive_pressed(self, message: ReceivePressed) -> None:
        self.receive_visit(message.visit)

    @on(NotesPressed)
    def _notes_pressed(self, message: NotesPressed) -> None:
        self.show_notes(message.visit)

    @on(VisitorReceived)
    def _visitor_received(self, message: VisitorReceived) -> None:
        self.announce_received(message.name, message.by, message.proposals)

    @on(LeadSaved)
    def _lead_saved(self, message: LeadSaved) -> None:
        visit = message.visit
        if message.proposals is not None and visit.received_by:
            self.announce_received(visit.contact.name, visit.received_by, message.proposals)
        self.post_message(BoothChanged())
        self.show_visit(visit)

    @on(ProposalDecided)
    def _proposal_decided(self, message: ProposalDecided) -> None:
        self.post_message(BoothChanged())

    @on(DecisionUndone)
    def _decision_undone(self, message: DecisionUndone) -> None:
        self.post_message(BoothChanged())

    @on(CaseStated)
    def _case_stated(self, message: CaseStated) -> None:
        self.post_message(BoothChanged())

    @on(DatabaseDamaged)
    def _database_damaged(self, message: DatabaseDamaged) -> None:
        self.database_damaged(message.why)

    def on_booth_changed(self, message: BoothChanged) -> None:
        for screen in self.shown_screens():
            screen.booth_changed()
        self.check_notices()
        if self.hub is not None:
            # A scan recorded here: its owner's notification goes out now, not at the
            # notification thread's next look (found in tmux: 2 s from scan to webhook).
            self.hub.wake()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "notice_received":
            return self._notice is not None and self.user is not None
        return super().check_action(action, parameters)


def _learn_search_counts(path: Any) -> None:
    """How many contacts hold each trigram, so searches ask the index for the rare ones
    (`kiosk.fulltext.load_frequencies`: seconds at a million contacts). On a daemon thread
    with its own connection: quitting never waits for it, and until it is done searches
    work as before, only slower."""
    try:
        db = open_db(path, create=False, migrate=False)
        try:
            fulltext.load_frequencies(db.conn)
        finally:
            db.conn.close()
    except Exception:  # noqa: BLE001 - only speed is lost; searches work without the counts
        return
