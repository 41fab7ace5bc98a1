"""Starting the booth TUI from `kiosk` with no sub-command.

Textual is imported only with this module, which `kiosk` imports when it starts the app,
so every other `kiosk` command (and `kiosk --help`) starts without paying for the UI.
"""

from __future__ import annotations

import os
from functools import partial
from typing import TYPE_CHECKING, Any

from kiosk.clock import is_frozen
from kiosk.config import ShowConfig
from kiosk.hub.url import HubError, resolve_url
from kiosk.setup import check_ready
from kiosk.ui.factory import build_app

if TYPE_CHECKING:
    from kiosk.ui.hub_link import HubLink


def run_tui(obj: Any, lang: str | None) -> None:
    """Run the app on the configured database; `lang` (--lang) beats the show's language."""
    db = obj.connection()  # bare: sqlite-utils loads after the first frame (kiosk.db.connect)
    config = obj.config()
    check_ready(db, config)  # outside the demo: no default PIN, no published key
    theme = os.environ.get("KIOSK_THEME") or f"kiosk-{config.theme}"
    hub = partial(hub_link, obj.db_path, config, clock=obj.clock)
    app = build_app(db, config, lang=lang, db_path=obj.db_path, theme=theme, connect_hub=hub)
    app.run()


def hub_link(db_path: Any, config: ShowConfig, *, clock: Any) -> HubLink:
    """The booth screen's background worker: sync with the hub named by KIOSK_HUB or the
    show file's [hub] url (none: notifications only). Made after the first frame."""
    # measured start-up cost: kiosk.hub.sync (~358 ms), kiosk.ui.hub_link (~571 ms), first
    # needed here
    from kiosk.hub.sync import server_clock
    from kiosk.ui.hub_link import HubLink

    try:
        url: str | None = resolve_url(None, config)
    except HubError:
        url = None
    # KIOSK_NOW sets the time on purpose (a rehearsal): the hub's real clock would contradict it
    hub_clock = None if is_frozen() else server_clock
    return HubLink(db_path, url, config, clock=clock, hub_clock=hub_clock)
