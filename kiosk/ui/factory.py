"""The one place a kiosk app is put together, for the CLI, the tests, snapshots and the bench.

Every way of starting the app wires the same collaborators the same way. `kiosk` reaches
it through `kiosk.cli.tui`, which the CLI imports only to start the TUI: `kiosk --help`
never pays for Textual.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.clock import clock_from_env
from kiosk.config import ShowConfig
from kiosk.ui.app import KioskApp
from kiosk.ui.services import BoothServices

if TYPE_CHECKING:
    import sqlite_utils


def build_services(
    db: sqlite3.Connection | sqlite_utils.Database,
    config: ShowConfig,
    *,
    now: Callable[[], datetime] | None = None,
    db_path: str | Path | None = None,
) -> BoothServices:
    """The screens' services; `now` is the clock (default: `kiosk.clock.clock_from_env`)."""
    return BoothServices(db, config, clock=now or clock_from_env(), db_path=db_path)


def build_app(
    db: sqlite3.Connection | sqlite_utils.Database,
    config: ShowConfig,
    *,
    lang: str | None = None,
    now: Callable[[], datetime] | None = None,
    db_path: str | Path | None = None,
    **options: Any,
) -> KioskApp:
    """A ready-to-run app. `options` go to `KioskApp` (role, user_id, theme, card_timeout, …)."""
    services = build_services(db, config, now=now, db_path=db_path)
    return KioskApp(services, lang=lang, **options)
