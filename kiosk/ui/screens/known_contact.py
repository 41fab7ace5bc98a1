"""The lead being saved is someone already on file: that contact, or another person?"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from kiosk.models import Contact, Salesperson
from kiosk.ui.screens.base import CANCEL, KioskModal, dialog_title


class KnownContactModal(KioskModal):
    """The question `kiosk lead add` asks with --attach / --new, for the lead form: returns
    "attach" (file the lead on the one contact listed), "new" (a different person who
    shares the e-mail, phone or badge id) or None (back to the form)."""

    BINDINGS = [
        CANCEL,
        Binding("a", "attach", "lead.known_attach", id="attach"),
        Binding("n", "new", "lead.known_new", id="new"),
    ]

    def __init__(self, known: list[Contact], people: dict[str, Salesperson]) -> None:
        super().__init__()
        self.known = known
        self.people = people

    def _names(self) -> str:
        t = self.kiosk.t
        parts = []
        for c in self.known:
            owner = self.people.get(c.owner_id or "")
            text = c.name + (f" ({c.company})" if c.company else "")
            parts.append(f"{text} → {owner.name if owner else t('card.nobody')}")
        return "; ".join(parts)

    def compose(self) -> ComposeResult:
        t = self.kiosk.t
        with Vertical(id="confirm-box", classes="dialog"):
            yield dialog_title(t("lead.known_title"))
            yield Static(Text(t("lead.known_detail", names=self._names())), id="confirm-detail")
            if len(self.known) > 1:
                yield Static(Text(t("lead.known_several")), id="known-several")
            with Horizontal(id="confirm-buttons"):
                if len(self.known) == 1:
                    yield Button(t("lead.known_attach"), id="attach", variant="primary")
                yield Button(t("lead.known_new"), id="new")
                yield Button(t("key.cancel"), id="no")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#attach" if len(self.known) == 1 else "#new", Button).focus()

    @on(Button.Pressed, "#attach")
    def action_attach(self) -> None:
        if len(self.known) == 1:
            self.dismiss("attach")

    @on(Button.Pressed, "#new")
    def action_new(self) -> None:
        self.dismiss("new")
