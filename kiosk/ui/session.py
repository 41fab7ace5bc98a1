"""What people do with the keyboard besides scanning: log in, lock, switch language or
theme, open the other screens, mark someone away. The session half of `KioskApp`, kept
apart so the app module stays about keys, scans and visits.

Reception may not search or file leads (`check_action` hides those keys); the manager's
view asks for the PIN unless the manager is already logged in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from textual.app import App

from kiosk.models import Salesperson
from kiosk.pins import MANAGER
from kiosk.ui.i18n import LANG_NAMES, LANGS, Translator, next_lang, normalize_lang
from kiosk.ui.messages import BoothChanged
from kiosk.ui.screens.base import KioskBase
from kiosk.ui.screens.pin import PinModal
from kiosk.ui.screens.scan import ScanScreen
from kiosk.ui.screens.user_picker import UserPickerModal
from kiosk.ui.services import BoothServices
from kiosk.ui.widgets.evidence import arrangement_line
from kiosk.ui.widgets.tr import translate_bindings


class SessionActions(App[None]):
    """Role, user, language and navigation for `KioskApp` (whose `__init__` sets these)."""

    services: BoothServices
    role: str  # reception | staff | manager
    user: Salesperson | None
    lang: str
    t: Translator

    def forget_notice(self) -> None:
        """Drop the screen notice F11 would mark received (`KioskApp` keeps it)."""

    # ------------------------------------------------------------------ session
    @property
    def actor(self) -> str:
        return self.user.id if self.user is not None else self.role

    def kiosk_screens(self) -> list[KioskBase]:
        """The stack's kiosk screens, bottom first (Textual's own, e.g. the palette, left out)."""
        return [s for s in self.screen_stack if isinstance(s, KioskBase)]

    def shown_screens(self) -> list[KioskBase]:
        """The kiosk screens whose widgets exist, to be told of a change: a screen just
        pushed is on the stack before it is composed (a refresh then found none of its
        widgets — seen in CI under load), and reads the current state when it mounts. None
        once the app is exiting: the shutdown removes screens' widgets while changes queued
        before it are still handled (a reload then found none of them)."""
        if self._exit or not self.is_running:  # Textual's shutdown clears `_running` first
            return []
        return [s for s in self.kiosk_screens() if s.is_mounted and s.is_attached]

    def scan_screen(self) -> ScanScreen:
        return cast(ScanScreen, self.screen_stack[0])  # the default screen, never popped

    def pop_to_scan(self) -> None:
        for screen in self.kiosk_screens()[1:]:
            screen.before_close()
        while len(self.screen_stack) > 1:
            self.pop_screen()

    def exit(self, *args: Any, **kwargs: Any) -> None:
        """Quit (Ctrl+Q, the palette): every screen keeps what it must first."""
        for screen in self.kiosk_screens():
            screen.before_close()
        super().exit(*args, **kwargs)

    def set_session(self, role: str, user: Salesperson | None) -> None:
        before, was = self.user, self.role
        self.role, self.user = role, user
        if before is not None and (user is None or user.id != before.id):
            # Their toasts ("Pawel Nowak is at reception — F11", the manager's decisions
            # about them) stayed up to 30 s on a locked screen facing the aisle, and F11
            # would have marked the visitor received by whoever logged in next.
            self.clear_notifications()
            self.forget_notice()
        # a salesperson logging in over the manager view saw every figure and the disputes'
        # evidence: what only the manager may see closes with the manager's session
        if role == "reception" or (was == "manager" and role != "manager"):
            self.pop_to_scan()
        for screen in self.shown_screens():
            screen.refresh_session()
        self.scan_screen().relabel()
        self.refresh_bindings()

    def set_language(self, lang: str) -> None:
        self.lang = normalize_lang(lang)
        self.t = Translator(self.lang)
        translate_bindings(self, self.t)
        for screen in self.shown_screens():
            screen.apply_language()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("search", "new_lead"):
            return self.role != "reception"
        if action == "my_disputes":
            return self.user is not None and self.user.role == "sales"
        return True

    # ------------------------------------------------------------------ actions
    def action_lock(self) -> None:
        self.set_session("reception", None)
        self.scan_screen().show_idle()
        self.notify(self.t("notify.locked"))

    def action_switch_language(self, lang: str = "") -> None:
        self.set_language(lang if lang in LANGS else next_lang(self.lang))
        self.notify(self.t("notify.language", name=LANG_NAMES[self.lang]), markup=False)

    def action_toggle_theme(self) -> None:
        self.theme = "kiosk-light" if self.theme == "kiosk-dark" else "kiosk-dark"

    def action_switch_user(self) -> None:
        self.push_screen(UserPickerModal(), self._user_picked)

    def _user_picked(self, choice: str | None) -> None:
        if choice is None:
            return
        if choice == "reception":
            self.action_lock()
            return
        person = self.services.person(choice)
        if person is None:
            return
        role = "manager" if person.role == "manager" else "staff"
        # Everyone types their own PIN: private notes are one F7 away once logged in.
        self._ask_pin(person.id, "login", lambda _who: self._login(person, role))

    def _login(self, person: Salesperson, role: str) -> None:
        self.set_session(role, person)
        self.notify(
            self.t("notify.logged_in", name=person.name, role=self.t(f"role.{role}")), markup=False
        )
        self._tell_decisions(person)

    def _tell_decisions(self, person: Salesperson) -> None:
        """The manager's decisions about this salesperson since they last looked, on their
        screen as they log in (F11 shows them all)."""
        if person.role != "sales":
            return
        unseen = self.services.unseen_decisions(person.id)
        if not unseen:
            return

        what = arrangement_line(unseen[0], self.t, self.services.people, self.services.zone)
        self.notify(self.t("notify.decisions", n=len(unseen), what=what), markup=False, timeout=12)

    def _ask_pin(self, subject: str, purpose: str, then: Callable[[str], Any]) -> None:
        """Ask `subject`'s PIN (`kiosk.pins.MANAGER`: any manager's), then `then(person)`."""

        def done(person: str | None) -> None:
            if person:
                then(person)

        self.push_screen(PinModal(subject, purpose=purpose), done)

    def unrecorded_scans(self) -> int:
        """Scans the database refused, kept in memory for a retry (`ScanActions`)."""
        return 0

    def action_quit(self) -> None:  # type: ignore[override]
        """Ctrl+Q (and the palette's Quit): the manager may; anyone else types the manager's
        PIN first, so a passer-by cannot close the kiosk (or reach the terminal behind it)."""
        if self.role == "manager" or not self.services.has_manager_pin():
            self._leave()
            return
        self._ask_pin(MANAGER, "quit", lambda _who: self._leave())

    def _leave(self) -> None:
        """Quit, unless scans the database refused are still waiting: they live in memory
        until it takes them (a full disk, a lock), and quitting lost them without a word."""
        n = self.unrecorded_scans()
        if not n:
            self.exit()
            return
        # measured start-up cost: kiosk.ui.screens.confirm (~2 ms), first needed here
        from kiosk.ui.screens.confirm import ConfirmModal

        question = self.t("cmd.quit_kept", n=n)

        def answered(yes: bool | None) -> None:
            if yes:
                self.exit()

        detail = self.t("cmd.quit_kept_detail")
        self.push_screen(ConfirmModal(question, detail, default_no=True), answered)

    def action_search(self) -> None:
        # measured start-up cost: kiosk.ui.screens.search (~5 ms), first needed here
        from kiosk.ui.screens.search import SearchScreen

        if self.role == "reception":
            self.notify(self.t("error.staff_only"), severity="warning")
            return
        self.pop_to_scan()
        self.push_screen(SearchScreen())

    def action_new_lead(self) -> None:
        # measured start-up cost: kiosk.ui.screens.lead_form (~19 ms), first needed here
        from kiosk.ui.screens.lead_form import LeadFormScreen

        if self.role == "reception":
            self.notify(self.t("error.staff_only"), severity="warning")
            return
        screen = self.screen
        visit = screen.visit if isinstance(screen, KioskBase) else None
        # A new visitor, or a walk-in recorded at reception: the form completes them into a
        # lead (on the same contact). A CRM customer's card, or the card of a lead just
        # filed (whose form would file them twice), opens an empty form.
        booth_made = (
            visit is not None
            and visit.lead_id is None
            and (not visit.contact.known or visit.contact.source == "booth")
        )
        prefill = visit if booth_made else None
        self.pop_to_scan()
        self.push_screen(LeadFormScreen(prefill))

    def action_arrivals(self) -> None:
        # measured start-up cost: kiosk.ui.screens.arrivals (~8 ms), first needed here
        from kiosk.ui.screens.arrivals import ArrivalsScreen

        self.pop_to_scan()
        self.push_screen(ArrivalsScreen())

    def action_manager(self) -> None:
        # measured start-up cost: kiosk.ui.screens.manager (~9 ms), first needed here
        from kiosk.ui.screens.manager import ManagerScreen

        def open_view() -> None:
            self.pop_to_scan()
            self.push_screen(ManagerScreen())

        if self.role == "manager":
            open_view()
            return

        def as_manager(person: str) -> None:
            self.set_session("manager", self.services.person(person) or self.user)
            open_view()

        self._ask_pin(MANAGER, "manager", as_manager)

    def action_my_disputes(self) -> None:
        # measured start-up cost: kiosk.ui.screens.my_disputes (~6 ms), first needed here
        from kiosk.ui.screens.my_disputes import MyDisputesScreen

        if self.user is None or self.user.role != "sales":
            self.notify(self.t("error.staff_only"), severity="warning")
            return
        self.pop_to_scan()
        self.push_screen(MyDisputesScreen())

    def action_set_away(self, sp_id: str, away: bool) -> None:
        person = self.services.person(sp_id)
        if person is None:
            return
        try:
            self.services.set_away(sp_id, away, actor=self.actor)
        except Exception as exc:  # noqa: BLE001
            self.notify(str(exc), severity="error", markup=False)
            return
        key = "notify.away" if away else "notify.back"
        self.notify(self.t(key, name=person.name), markup=False)
        self.post_message(BoothChanged())
