"""The manager confirms a decision: what it will do, in words, and the note kept with it.

One dialog for every outcome. A deferral also asks the day the item comes back (a date, or
`+7` for a week from today); a customer's choice asks whom they chose first
(`kiosk.ui.screens.pick.PickModal`). A decision the core refuses as it stands (`error`: a
0% split is no share) says why at once and records nothing; Esc goes back to change it.
Returns `{"note": …, "until": date | None}`, or None when cancelled.
"""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Button, Input, Static

from kiosk.routing.arrangement import parse_until
from kiosk.ui.screens.base import CANCEL, KioskModal, dialog_title, yes_no_buttons
from kiosk.ui.widgets.tr import Tr


class DecisionModal(KioskModal):
    """The note is typed, and a fast typist is not a scanner: keys here are never a scan."""

    CAPTURES_SCANS = False
    BINDINGS = [CANCEL]

    def __init__(
        self, question: str, detail: str, *, today: date, ask_until: bool = False, error: str = ""
    ) -> None:
        super().__init__()
        self.question, self.detail = question, detail
        self.today = today
        self.ask_until = ask_until
        self.error = error

    def compose(self) -> ComposeResult:
        t = self.kiosk.t
        with Vertical(id="decision-box", classes="dialog"):
            yield dialog_title(self.question)
            # refused as it stands: what it would record is not said, only why not
            detail = Static(Text(self.detail), id="decision-detail")
            detail.display = not self.error
            yield detail
            if self.ask_until:
                yield Tr("workbench.until_label")
                yield Input(value="+7", id="decision-until")
            yield Tr("workbench.note_label")
            yield Input(placeholder=t("workbench.note_placeholder"), id="decision-note")
            error = Static(Text(self.error), id="decision-error", classes="dialog-hint error")
            error.display = bool(self.error)
            yield error
            yield yes_no_buttons(t("workbench.confirm"), t("dialog.no"))

    def on_mount(self) -> None:
        super().on_mount()
        # "Record the decision" beside "a 0% split is no share" read as two answers
        self.query_one("#yes", Button).disabled = bool(self.error)
        self.query_one("#decision-until" if self.ask_until else "#decision-note", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#yes")
    def confirm(self) -> None:
        if self.error:  # refused as it stands: nothing is recorded
            self._say(self.error)
            return
        until = None
        if self.ask_until:
            until = parse_until(self.query_one("#decision-until", Input).value, self.today)
            if until is None or until <= self.today:  # said here, the note kept
                key = "workbench.bad_until" if until is None else "workbench.past_until"
                self._say(self.kiosk.t(key, today=self.today.isoformat()))
                return
        self.dismiss({"note": self.query_one("#decision-note", Input).value, "until": until})

    def _say(self, error: str) -> None:
        box = self.query_one("#decision-error", Static)
        box.update(Text(error))
        box.display = True
