"""The `kiosk` command: a thin click wrapper over the core.

Every sub-command takes `--db` (default: the per-user data directory, or `KIOSK_DB`).
Errors a person can fix — a missing or locked database, an unknown salesperson, a bad
email — print one line to stderr and exit with status 2; they never show a traceback.
With no sub-command, `kiosk` starts the booth TUI.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from kiosk.config import ShowConfig, default_db_path
from kiosk.errors import KioskError

if TYPE_CHECKING:  # imported when first used: `kiosk --help` stays fast
    import sqlite_utils

    from kiosk.visits import VisitService

F = TypeVar("F", bound=Callable[..., Any])


class KioskContext:
    """What every sub-command needs: where the database is, opened on first use."""

    def __init__(self, db_path: Path, config_path: Path | None) -> None:
        from kiosk.clock import clock_from_env

        self.db_path = db_path
        self.config_path = config_path
        self._db: sqlite_utils.Database | None = None
        self._visits: VisitService | None = None
        # The one clock of every command (KIOSK_NOW freezes it; see kiosk.clock).
        self.clock = clock_from_env()

    def now(self):  # noqa: ANN201 - datetime; imported lazily for a fast --help
        return self.clock()

    def visits(self) -> VisitService:
        """The visit service every booth command goes through (one answer everywhere)."""
        if self._visits is None:
            from kiosk.visits import VisitService

            self._visits = VisitService(self.db(), self.config(), clock=self.clock)
        return self._visits

    def db(self, *, create: bool = False) -> sqlite_utils.Database:
        from kiosk.db import open_db

        if self._db is None:
            self._db = open_db(self.db_path, create=create)
        return self._db

    def config(self) -> ShowConfig:
        from kiosk.show import show_config

        return show_config(self.db(), self.config_path)


def fail(message: str) -> None:
    """Print a one-line error and exit 2."""
    click.echo(f"Error: {message}", err=True)
    raise SystemExit(2)


def user_errors(fn: F) -> F:
    """Turn the core's expected errors into one line on stderr and exit status 2."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except KioskError as exc:
            fail(str(exc))
        except sqlite3.OperationalError as exc:
            text = str(exc)
            if "locked" in text or "busy" in text:
                fail("the database is locked by another program; try again in a moment")
            if "disk" in text or "full" in text:
                fail(f"cannot write the database: {text} (is the disk full?)")
            fail(f"database error: {text}")
        except OSError as exc:
            fail(f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": "))

    return wrapper  # type: ignore[return-value]


pass_ctx = click.make_pass_decorator(KioskContext)


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="KIOSK_DB",
    default=None,
    help="Kiosk database file (default: the user data directory; env KIOSK_DB).",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="KIOSK_CONFIG",
    default=None,
    help="Show TOML overriding the one stored in the database (env KIOSK_CONFIG).",
)
@click.option("--lang", type=click.Choice(["en", "zh", "es"]), default=None, help="UI language.")
@click.version_option(package_name="kiosk")
@click.pass_context
def main(
    ctx: click.Context, db_path: Path | None, config_path: Path | None, lang: str | None
) -> None:
    """Booth check-in kiosk: scan a badge, see who should receive the visitor and why."""
    try:
        ctx.obj = KioskContext(db_path or default_db_path(), config_path)
    except KioskError as exc:
        fail(str(exc))
    if ctx.invoked_subcommand is None:
        # Imported here: Textual loads only when the TUI starts (`kiosk --help` stays fast).
        from kiosk.cli.tui import run_tui

        user_errors(run_tui)(ctx.obj, lang)


def _register() -> None:
    # Sub-command modules attach themselves to `main` on import.
    from kiosk.cli import badge_cmds, booth_cmds, invite_cmds, sync_cmds  # noqa: F401


_register()
