"""A PIN: a salesperson's to log in, or the manager's for the manager view and quitting.

Typed by a person, so scans are not captured here (a fast typist on a number pad could
otherwise look like a scanner). The services check it with back-off and lockout
(`kiosk.pins`): a wrong PIN says how long to wait, a lockout who can lift it.
"""

from __future__ import annotations

import math

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input

from kiosk.pins import MANAGER
from kiosk.ui.db_errors import DB_ERRORS, describe
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

    @on(Input.Submitted, "#pin")
    def check(self, event: Input.Submitted) -> None:
        app = self.kiosk
        try:
            attempt = app.services.try_pin(
                self.subject, event.value, at=app.clock(), purpose=self.purpose, actor=app.actor
            )
        except DB_ERRORS as exc:  # a lock, a full disk: the PIN was dropped without a word
            event.input.value = ""
            busy = self.query_one("#pin-msg", Tr)
            busy.relabel("pin.busy", why=describe(exc))
            busy.add_class("error")
            return
        if attempt.ok:
            self.dismiss(attempt.person)
            return
        event.input.value = ""
        msg = self.query_one("#pin-msg", Tr)
        who = self.subject
        if who == MANAGER:  # unlocking a manager lifts the manager prompt's lockout too
            managers = app.services.managers()
            who = managers[0].id if managers else "PERSON"
        if attempt.no_pin:
            person = app.services.person(self.subject)
            msg.relabel("pin.no_pin", name=person.name if person else self.subject, who=who)
        elif attempt.locked:
            msg.relabel("pin.locked", minutes=math.ceil(attempt.wait / 60), who=who)
        elif attempt.refused_early:  # typed during the wait: saying "wrong" would be a lie
            msg.relabel("pin.too_soon", seconds=math.ceil(attempt.wait))
        elif attempt.wait:
            msg.relabel("pin.wait", seconds=math.ceil(attempt.wait))
        else:
            msg.relabel("pin.wrong")
        msg.add_class("error")
