"""A PIN: a salesperson's to log in, or the manager's for the manager view and quitting.

Typed by a person, so scans are not captured here (a fast typist on a number pad could
otherwise look like a scanner). The services check it with back-off and lockout
(`kiosk.pins`): a wrong PIN says how long to wait, a lockout who can lift it.

Checking a PIN writes (the count of wrong tries, or clearing it), and a write waits for
another program that holds the database's write lock (a long merge or import) for up to
the 5 s busy timeout. On the UI thread that froze the whole screen, keys and all, then
said only that the database could not be used. So the check runs on the app's PIN thread
(`KioskApp.pin_pool`, one check at a time): the dialog says at once that it is checking,
and that the database is busy the moment the write finds the lock held; Esc still
cancels. A write that gives up counts nothing and tells nothing — right and wrong PINs
alike, or holding the lock would be a way round the back-off — and the dialog stays
open for the PIN to be typed again.
"""

from __future__ import annotations

import asyncio
import math
from functools import partial

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input

from kiosk.pins import MANAGER, Attempt
from kiosk.ui.db_errors import DB_ERRORS, describe, is_locked
from kiosk.ui.screens.base import CANCEL, KioskModal
from kiosk.ui.widgets.tr import Tr


class PinModal(KioskModal):
    """Returns the id of the person the PIN opened (a manager, for the manager PIN), or None
    when cancelled. `subject` is a salesperson id, or `kiosk.pins.MANAGER`."""

    CAPTURES_SCANS = False
    BINDINGS = [CANCEL]

    def __init__(self, subject: str = MANAGER, *, purpose: str = "manager") -> None:
        super().__init__()
        self.subject = subject
        self.purpose = purpose  # manager | login | quit: what the PIN is for (logged)

    def compose(self) -> ComposeResult:
        with Vertical(id="pin-box", classes="dialog"):
            yield Tr("pin.title", classes="dialog-title", id="pin-title")
            yield Input(password=True, id="pin", max_length=12)
            yield Tr("pin.hint", id="pin-msg", classes="dialog-hint")

    def _title(self) -> tuple[str, dict[str, str]]:
        if self.subject != MANAGER:
            person = self.kiosk.services.person(self.subject)
            return "pin.title_person", {"name": person.name if person else self.subject}
        return ("pin.title_quit" if self.purpose == "quit" else "pin.title"), {}

    def on_mount(self) -> None:
        key, values = self._title()
        self.query_one("#pin-title", Tr).relabel(key, **values)
        self.query_one("#pin", Input).focus()

    _checking = False  # a PIN typed is being checked on the PIN thread

    @on(Input.Submitted, "#pin")
    def check(self, event: Input.Submitted) -> None:
        if self._checking:
            return  # one PIN at a time: the first one's verdict comes first
        self._checking = True
        event.input.disabled = True  # the dots stay while it is checked
        self._say("pin.checking", style="")
        self._check(event.value)

    @work(group="pin", exit_on_error=False)
    async def _check(self, pin: str) -> None:
        app = self.kiosk
        loop = asyncio.get_running_loop()

        def waiting() -> None:  # on the PIN thread: another program holds the write lock
            try:
                loop.call_soon_threadsafe(self._waiting)
            except RuntimeError:  # the app has ended meanwhile: nobody to tell
                pass

        job = partial(
            app.services.try_pin, self.subject, pin, at=app.clock(), purpose=self.purpose,
            actor=app.actor, clock=app.clock, waiting=waiting,
        )  # fmt: skip
        try:
            attempt = await loop.run_in_executor(app.pin_pool, job)
        except DB_ERRORS as exc:  # a lock that outlasted the busy timeout, a full disk
            self._ready()
            if is_locked(exc):
                self._say("pin.busy_locked")
            else:
                self._say("pin.busy", why=describe(exc))
            return
        except Exception as exc:  # noqa: BLE001 - the worker would swallow it: say so
            self.log.error(f"PIN check failed: {type(exc).__name__}")  # never the PIN
            self._ready()
            self._say("pin.busy", why=type(exc).__name__)
            return
        if attempt.ok:
            self._open(attempt.person)
            return
        self._ready()
        self._verdict(attempt)

    _opened: str | None = None  # whom a right PIN opened while a screen was over the dialog

    def _open(self, person: str | None) -> None:
        """Close with the person the PIN opened. Textual's `dismiss` pops whatever screen is
        on top: one opened over the dialog while the PIN was checked (the palette, Ctrl+P)
        would have been closed instead, so the dialog waits until it is on top again."""
        if self.is_active:
            self.dismiss(person)
        else:
            self._opened = person

    def on_screen_resume(self) -> None:
        person, self._opened = self._opened, None
        if person is not None:
            self.dismiss(person)

    def _waiting(self) -> None:
        if self._checking and self.is_attached:
            self._say("pin.waiting", style="warning")

    def _ready(self) -> None:
        """The check is over: the field is cleared and takes the next PIN."""
        self._checking = False
        field = self.query_one("#pin", Input)
        field.value = ""
        field.disabled = False
        field.focus()

    def _say(self, key: str, *, style: str = "error", **values: object) -> None:
        msg = self.query_one("#pin-msg", Tr)
        msg.relabel(key, **values)
        msg.set_class(style == "error", "error")
        msg.set_class(style == "warning", "warning")

    def _verdict(self, attempt: Attempt) -> None:
        app = self.kiosk
        who = self.subject
        if who == MANAGER:  # unlocking a manager lifts the manager prompt's lockout too
            managers = app.services.managers()
            who = managers[0].id if managers else "PERSON"
        if attempt.no_pin:
            person = app.services.person(self.subject)
            self._say("pin.no_pin", name=person.name if person else self.subject, who=who)
        elif attempt.locked:
            self._say("pin.locked", minutes=math.ceil(attempt.wait / 60), who=who)
        elif attempt.refused_early:  # typed during the wait: saying "wrong" would be a lie
            self._say("pin.too_soon", seconds=math.ceil(attempt.wait))
        elif attempt.wait:
            self._say("pin.wait", seconds=math.ceil(attempt.wait))
        else:
            self._say("pin.wrong")
