"""The manager's outbox (from the manager view, `n`): every notification and where it stands.

The kiosk tells owners of their visitors through channels (`kiosk.notify`); when a
salesperson says "I was never told", the manager looks here: each item with its state —
pending (with the tries so far and when the next one is due), sent, failed and why,
paused (away), duplicate (which kiosk notified instead), no channel — newest first, and
the count per state above. The notification thread writes through its own connection, so
the screen reloads when the app sees another connection commit (`booth_changed`).

The same rows as `kiosk notify outbox`. Titles carry visitors' names, which were made
inert when recorded; they are drawn as plain text, never as markup.
"""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from kiosk.notify.outbox import STATES, OutboxItem
from kiosk.ui.fmt import clip
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.widgets.footer import KioskFooter
from kiosk.ui.widgets.header import KioskHeader
from kiosk.ui.widgets.tables import current_key, restore_cursor, set_columns, show_row
from kiosk.ui.widgets.tr import Tr

STATE_STYLE = {
    "pending": "bold #d97706",
    "sent": "bold #16a34a",
    "failed": "bold #dc2626",
    "paused": "italic",
    "no_channel": "dim",
    "duplicate": "dim",
}
COLUMNS = ("when", "state", "to", "channel", "about", "tries", "why")


class OutboxScreen(KioskScreen):
    TITLE_KEY = "title.outbox"
    NARROW_HIDDEN = ("search", "new_lead", "arrivals")
    BINDINGS = [Binding("escape", "back", "key.back", id="back")]

    def __init__(self) -> None:
        super().__init__()
        self.items: list[OutboxItem] = []

    def compose(self) -> ComposeResult:
        yield KioskHeader()
        yield Static(id="ob-summary", markup=False)
        yield Tr("outbox.list", classes="side-title", id="ob-title")
        yield DataTable(id="ob-items", cursor_type="row", zebra_stripes=True)
        yield Static(id="ob-detail", markup=False)
        yield KioskFooter()

    def on_mount(self) -> None:
        super().on_mount()
        self.relabel()
        self.query_one("#ob-items", DataTable).focus()

    def booth_changed(self) -> None:
        self.reload()

    def relabel(self) -> None:
        t = self.kiosk.t
        set_columns(self.query_one("#ob-items", DataTable), COLUMNS, lambda k: t(f"outbox.col_{k}"))
        self.reload()

    def reload(self) -> None:
        app, t = self.kiosk, self.kiosk.t
        self.items, per_state = app.services.outbox()
        summary = Text(t("outbox.summary"), style="bold")
        for state in STATES:
            n = per_state.get(state, 0)
            summary.append("   ")
            summary.append(f"{n} ", style=STATE_STYLE[state] if n else "dim")
            summary.append(t(f"outbox.state_{state}"), style="" if n else "dim")
        self.query_one("#ob-summary", Static).update(summary)
        table = self.query_one("#ob-items", DataTable)
        keep = current_key(table)
        table.clear()
        for item in self.items:
            person = app.services.person(item.recipient)
            table.add_row(
                Text(self._when(item.sent_at or item.created_at)),
                Text(t(f"outbox.state_{item.state}"), style=STATE_STYLE.get(item.state, "")),
                Text(clip(person.name if person else item.recipient, 18), style="bold"),
                Text(clip(item.channel, 14)),
                Text(clip(item.title, 44)),
                Text(str(item.attempts), justify="right", style="" if item.attempts else "dim"),
                Text(clip(self._why(item), 36), style="dim"),
                key=item.id,
            )
        restore_cursor(table, keep)
        self.query_one("#ob-title", Tr).relabel("outbox.list", n=len(self.items))
        self._show_detail(table.cursor_row if self.items else None)

    def _when(self, iso: str | None) -> str:
        """The item's time in the show's zone, HH:MM:SS (items are today's, mostly)."""
        if not iso:
            return ""
        try:
            at = datetime.fromisoformat(iso)
        except ValueError:
            return iso[:19]
        return at.astimezone(self.kiosk.services.zone).strftime("%m-%d %H:%M:%S")

    def _why(self, item: OutboxItem) -> str:
        """Why it stands where it stands; for a pending item, also when it is tried next."""
        why = item.why or ""
        if item.state == "pending" and item.next_at:
            due = self.kiosk.t("outbox.next_try", at=self._when(item.next_at))
            return f"{due} — {why}" if why else due
        return why

    @on(DataTable.RowHighlighted, "#ob-items")
    def item_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail(event.cursor_row)

    def _show_detail(self, row: int | None) -> None:
        detail = self.query_one("#ob-detail", Static)
        show_row(detail, self.items, row, self.kiosk.t("outbox.empty"), self._full)

    def _full(self, item: OutboxItem) -> Text:
        text = Text(item.title, style="bold")
        text.append(f"\n{item.recipient} · {item.channel} · ")
        text.append(
            self.kiosk.t(f"outbox.state_{item.state}"), style=STATE_STYLE.get(item.state, "")
        )
        if why := self._why(item):
            text.append("\n" + why)
        return text

    def action_back(self) -> None:
        self.kiosk.pop_screen()
