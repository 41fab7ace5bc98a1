"""The `kiosk` command: a thin click wrapper over the core.

Every sub-command takes `--db` (default: the per-user data directory, or `KIOSK_DB`).
Errors a person can fix — a missing, locked, damaged or never initialised database, an
unknown salesperson, a bad email — print one line to stderr and exit with status 2; they
never show a traceback. With no sub-command, `kiosk` starts the booth TUI.

Only `kiosk init` creates a database: every other command (the TUI too) refuses a file
that is missing or was never initialised, and one with no salespeople yet, naming the
command that fixes it. What a sub-command prints goes through `kiosk.safety.terminal_output`,
so a name holding an escape sequence cannot reach the terminal as one.
"""

from __future__ import annotations

import functools
import os
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
        self.command: str | None = None  # the sub-command running (None: the TUI)
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
        """The kiosk database, opened on first use. `create` is ignored: only `kiosk init`
        creates a database (through `kiosk.setup`), so a mistyped `--db` is an error here,
        not a new empty kiosk. A database with no salespeople is refused too, except by the
        commands that load or inspect one (`WITHOUT_SALESPEOPLE`)."""
        from kiosk.db import open_db, require_salespeople

        if self._db is None:
            db = open_db(self.db_path, create=False)
            try:
                if self.command not in WITHOUT_SALESPEOPLE:
                    require_salespeople(db, self.db_path)
            except BaseException:
                db.conn.close()
                raise
            self._db = db
        return self._db

    def config(self) -> ShowConfig:
        from kiosk.show import show_config

        return show_config(self.db(), self.config_path)


# Commands that work on a database with no salespeople yet: loading them, and looking.
WITHOUT_SALESPEOPLE = frozenset({"init", "import", "stats", "export", "report"})


def fail(message: str) -> None:
    """Print a one-line error and exit 2 (control characters from data shown escaped)."""
    from kiosk.safety import terminal_text

    click.echo(f"Error: {terminal_text(message, multiline=False)}", err=True)
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
        except sqlite3.DatabaseError as exc:  # a damaged file: malformed pages, not a database
            text = str(exc)
            if "malformed" in text or "not a database" in text or "corrupt" in text:
                fail(
                    f"the database is damaged ({text}); restore it from a backup"
                    " (kiosk merge leaves TARGET.bak-<time> files) or from another kiosk"
                )
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
    # Every file a command makes (the database, backups, exports, invitations, the key
    # file) holds customer data: readable by this user only, 0600 (directories 0700).
    saved_umask = os.umask(0o077)
    ctx.call_on_close(lambda: os.umask(saved_umask))
    try:
        ctx.obj = KioskContext(db_path or default_db_path(), config_path)
    except KioskError as exc:
        fail(str(exc))
    ctx.obj.command = ctx.invoked_subcommand
    if ctx.invoked_subcommand is not None:
        _inert_output(ctx)
    else:
        # Imported here: Textual loads only when the TUI starts (`kiosk --help` stays fast).
        from kiosk.cli.tui import run_tui

        user_errors(run_tui)(ctx.obj, lang)


class _InertStream:
    """stdout or stderr while a sub-command runs: text goes through `terminal_output`.

    Everything else is the stream's own — except `buffer`, so that nothing (click's echo
    of a misconfigured stream) writes around it.
    """

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        try:
            self._styles = bool(stream.isatty())
        except (AttributeError, ValueError, OSError):
            self._styles = False

    def write(self, text: str) -> int:
        from kiosk.safety import terminal_output

        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        self._stream.write(terminal_output(text, styles=self._styles))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        if name == "buffer":
            raise AttributeError(name)
        return getattr(self._stream, name)


def _inert_output(ctx: click.Context) -> None:
    """Route the command's output through `_InertStream` until the command ends."""
    import sys

    saved = sys.stdout, sys.stderr
    sys.stdout = _InertStream(sys.stdout)
    sys.stderr = _InertStream(sys.stderr)

    def restore() -> None:
        sys.stdout, sys.stderr = saved

    ctx.call_on_close(restore)


def _register() -> None:
    # Sub-command modules attach themselves to `main` on import.
    from kiosk.cli import (  # noqa: F401
        badge_cmds,
        booth_cmds,
        dispute_cmds,
        hub_cmds,
        invite_cmds,
        notify_cmds,
        pin_cmds,
        sync_cmds,
    )


_register()
