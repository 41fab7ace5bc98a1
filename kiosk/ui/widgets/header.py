"""The top bar: the show, this kiosk, the hub's status (when there is a hub), who is logged
in (role) and the UI language.

No clock on purpose: the reception screen must look the same in a snapshot taken any day,
and the terminal's own clock is on every laptop anyway.

On a narrow terminal the screen's title, the role and the language keep their room; the
booth and kiosk names go first (only the kiosk id stays while it fits), then the show's
and the user's names are shortened — never the title (80 columns used to leave `kiosk-1C`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from kiosk.ui.context import kiosk_app
from kiosk.ui.fmt import clip
from kiosk.ui.i18n import LANG_NAMES
from kiosk.ui.widgets.plain import plain_boxes

if TYPE_CHECKING:
    from textual.timer import Timer

    from kiosk.hub.worker import HubStatus

TITLE_ROOM = 4  # columns around the title, so it never touches its neighbours


class KioskHeader(Horizontal):
    """Re-read from the app by `refresh_header()` (the app calls it on role/language changes)."""

    _title = ""
    _ticking: Timer | None = None  # re-renders the hub status each second, once there is one

    def compose(self) -> ComposeResult:
        yield from plain_boxes(
            "hdr-show", "hdr-place", "hdr-title", "hdr-hub", "hdr-who", "hdr-lang"
        )

    def on_mount(self) -> None:
        self.refresh_header()
        status = kiosk_app(self).hub_status
        if status is None:  # no hub, or its first round has not ended yet
            self.query_one("#hdr-hub", Static).display = False
        else:  # a screen opened later shows what the other screens show, not nothing
            self.refresh_hub(status)

    def _tick_hub(self) -> None:
        status = kiosk_app(self).hub_status
        if status is not None:
            self.refresh_hub(status)

    def refresh_hub(self, status: HubStatus | None) -> None:
        """Online or offline, the lag and what waits to be pushed; hidden with no hub."""
        # The header is on the first frame; a status comes only once the hub has started.
        # measured start-up cost: kiosk.ui.hub_link (~167 ms), first needed here
        from kiosk.ui.hub_link import clock_text, stalled, status_text

        app = kiosk_app(self)
        box = self.query_one("#hdr-hub", Static)
        now = app.services.now()
        text = status_text(status, now, app.t)
        box.update(Text(text))
        box.display = bool(text)
        box.set_class(
            status is not None
            and (not status.online or stalled(status, now) or bool(clock_text(status, app.t))),
            "-offline",
        )
        if status is not None and self._ticking is None:
            # the lag counts up between rounds (it stood still while a round hung); a kiosk
            # with no hub never gets a status, and no timer waking it every second
            self._ticking = self.set_interval(1.0, self._tick_hub, name="hub-lag")

    def on_resize(self, event: events.Resize) -> None:
        self.refresh_header(self._title)

    def refresh_header(self, title: str = "") -> None:
        self._title = title
        app = kiosk_app(self)
        config = app.services.config
        width = self.size.width or self.screen.size.width or 200
        role = f" {app.t(f'role.{app.role}')} "
        user = app.user.name if app.user is not None else ""
        lang = f" {LANG_NAMES[app.lang]} "
        fixed = cell_len(role) + cell_len(lang) + 1 + cell_len(title) + TITLE_ROOM
        room = width - fixed  # for the show, the place and the user's name
        show_name = config.name
        place_full = " · ".join(x for x in (config.booth, config.kiosk_id) if x)
        user_w = cell_len(user) + 2 if user else 0
        show_w = 3 + cell_len(show_name)
        place = place_full
        if show_w + user_w + 2 + cell_len(place) > room:
            place = config.kiosk_id
        if show_w + user_w + 2 + cell_len(place) > room:
            place = ""
        if show_w + user_w > room and user:
            user = clip(user, max(8, room - show_w - 2))
            user_w = cell_len(user) + 2
        if show_w + user_w > room:
            show_name = clip(show_name, max(6, room - user_w - 3))
        show = Text(" ◆ ", style="bold")
        show.append(show_name, style="bold")
        self.query_one("#hdr-show", Static).update(show)
        place_box = self.query_one("#hdr-place", Static)
        place_box.update(Text(place))
        place_box.display = bool(place)
        self.query_one("#hdr-title", Static).update(Text(title or "", style="bold"))
        who = Text(role, style="bold")
        if user:
            who.append(f" {user} ")
        who_w = self.query_one("#hdr-who", Static)
        who_w.update(who)
        for r in ("reception", "staff", "manager"):
            who_w.set_class(app.role == r, f"-{r}")
        self.query_one("#hdr-lang", Static).update(Text(lang))
