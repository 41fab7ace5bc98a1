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
    shares the e-mail, phone or badge id, or the name at the company) or None (back to the
    form). `by_name` are the ids known by name and company only: said apart, since "the
    e-mail you typed belongs to" would be untrue of them."""

    BINDINGS = [
        CANCEL,
        Binding("a", "attach", "lead.known_attach", id="attach"),
        Binding("n", "new", "lead.known_new", id="new"),
    ]

    def __init__(
        self,
        known: list[Contact],
        people: dict[str, Salesperson],
        by_name: frozenset[str] = frozenset(),
    ) -> None:
        super().__init__()
        self.known = known
        self.people = people
        self.by_name = by_name

    def _detail(self) -> str:
        t = self.kiosk.t
        same = [c for c in self.known if c.id not in self.by_name]
        named = [c for c in self.known if c.id in self.by_name]
        lines = [t("lead.known_detail", names=self._names(same))] if same else []
        if named:
            lines.append(t("lead.known_detail_name", names=self._names(named)))
        return "\n".join(lines)

    def _names(self, contacts: list[Contact]) -> str:
        t = self.kiosk.t
        parts = []
        for c in contacts:
            owner = self.people.get(c.owner_id or "")
            text = c.name + (f" ({c.company})" if c.company else "")
            parts.append(f"{text} → {owner.name if owner else t('card.nobody')}")
        return "; ".join(parts)

    def compose(self) -> ComposeResult:
        t = self.kiosk.t
        with Vertical(id="confirm-box", classes="dialog"):
            yield dialog_title(t("lead.known_title"))
            yield Static(Text(self._detail()), id="confirm-detail")
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
