"""A visitor card opened from search (staff): the same card as reception's, plus history
actions, without checking the visitor in until asked (F10; the keys are `VisitScreen`'s)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding

from kiosk.ui.screens.base import VisitScreen
from kiosk.ui.widgets.evidence import arrangement_of
from kiosk.ui.widgets.footer import KioskFooter
from kiosk.ui.widgets.header import KioskHeader
from kiosk.ui.widgets.visitor_card import VisitorCard, action_hint
from kiosk.visits import Visit


class CardScreen(VisitScreen):
    TITLE_KEY = "title.card"
    NARROW_HIDDEN = ("new_lead", "manager", "arrivals")
    BINDINGS = [
        Binding("escape", "back", "key.back", id="back"),
        Binding("f10", "check_in", "key.check_in", id="check_in"),
        Binding("f6", "receive", "key.receive", id="receive"),
        Binding("f7", "notes", "key.notes", id="notes"),
    ]

    visit: Visit  # always one: the card opened

    def __init__(self, visit: Visit) -> None:
        super().__init__()
        self.visit = visit

    def compose(self) -> ComposeResult:
        yield KioskHeader()
        yield VisitorCard(id="card")
        yield KioskFooter()

    def on_mount(self) -> None:
        self.show_visit(self.visit)

    def show_visit(self, visit: Visit) -> None:
        self.visit = visit
        app = self.kiosk
        self.query_one(VisitorCard).show(
            visit, t=app.t, people=app.services.people, zone=app.services.zone, role=app.role,
            hint=action_hint(visit, app.t, role=app.role, card_screen=True),
            arrangement=arrangement_of(app, visit), company=app.services.config.exhibitor,
        )  # fmt: skip
        self.refresh_bindings()

    def relabel(self) -> None:
        self.show_visit(self.visit)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        v = self.visit
        if action == "check_in":
            return v.contact.known and v.checkin_id is None
        if action == "receive":
            return v.contact.known and not v.received_by
        if action == "notes":
            return v.contact.known and self.kiosk.role != "reception"
        return True

    def action_back(self) -> None:
        self.kiosk.pop_screen()
