"""What every `kiosk` sub-command shares: the database and show it runs on (`KioskContext`,
passed with `pass_ctx`), and the one place errors a person can fix become one line on
stderr and exit status 2 (`user_errors`, `fail`).

Apart from `kiosk.cli` itself so that the sub-command modules (`*_cmds`) can use it while
`kiosk.cli` imports them to list their commands: no import cycle.
"""

from __future__ import annotations

import functools
import select
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from kiosk.clock import clock_from_env, day_outside_show, local_day, show_zone
from kiosk.config import ShowConfig
from kiosk.errors import KioskError

if TYPE_CHECKING:  # imported when first used: `kiosk --help` stays fast
    import sqlite_utils

    from kiosk.visits import VisitService

F = TypeVar("F", bound=Callable[..., Any])


class KioskContext:
    """What every sub-command needs: where the database is, opened on first use."""

    def __init__(self, db_path: Path, config_path: Path | None) -> None:
        self.db_path = db_path
        self.config_path = config_path
        self.command: str | None = None  # the sub-command running (None: the TUI)
        self._conn: sqlite3.Connection | None = None
        self._db: sqlite_utils.Database | None = None
        self._visits: VisitService | None = None
        # The one clock of every command (KIOSK_NOW freezes it; see kiosk.clock).
        self.clock = clock_from_env()

    def now(self):  # noqa: ANN201 - datetime; imported lazily for a fast --help
        return self.clock()

    def visits(self) -> VisitService:
        """The visit service every booth command goes through (one answer everywhere)."""
        if self._visits is None:
            # measured start-up cost: kiosk.visits (~415 ms), first needed here
            from kiosk.visits import VisitService

            self._visits = VisitService(self.db(), self.config(), clock=self.clock)
        return self._visits

    def connection(self) -> sqlite3.Connection:
        """The kiosk database as a bare connection (`kiosk.db.connect`), opened on first use:
        what the booth screen starts on, without sqlite-utils. Only `kiosk init` creates a
        database (through `kiosk.setup`), so a mistyped `--db` is an error here, not a new
        empty kiosk. A database with no salespeople is refused too, except by the commands
        that load or inspect one (`WITHOUT_SALESPEOPLE`)."""
        # measured start-up cost: kiosk.db (~44 ms), first needed here
        from kiosk.db import connect, require_salespeople

        if self._conn is None:
            conn = connect(self.db_path, create=False)
            try:
                if self.command not in WITHOUT_SALESPEOPLE:
                    require_salespeople(conn, self.db_path)
            except BaseException:
                conn.close()
                raise
            self._conn = conn
        return self._conn

    def db(self, *, create: bool = False) -> sqlite_utils.Database:
        """`connection()` as sqlite-utils' `Database` (what the commands' core calls take).
        `create` is ignored (see `connection`)."""
        # measured start-up cost: kiosk.db (~44 ms), first needed here
        from kiosk.db import database

        if self._db is None:
            self._db = database(self.connection())
        return self._db

    def config(self) -> ShowConfig:
        # measured start-up cost: kiosk.show (~129 ms), first needed here
        from kiosk.show import show_config

        return show_config(self.connection(), self.config_path)

    def warn_if_clock_outside_show(self) -> None:
        """One line on stderr when this computer's date is outside the show's days, before a
        command records a booth fact (a scan, a lead) with that time: the time decides who
        filed a visitor first (rule 6), and a laptop whose clock lost its battery says 2001.
        A warning, not a refusal: cards entered after the show are real leads."""
        config = self.config()
        zone = show_zone(config.timezone)
        now = self.now()
        state = day_outside_show(now, config.start, config.end, zone)
        if state is None:
            return
        today = local_day(now, zone).isoformat()
        span = f"{config.start or '?'} to {config.end or '?'}"
        if state[0] == "ahead":
            why = (
                f"before {config.name or 'the show'} ({span}): if the show is on today, set"
                " the clock right first; the time recorded with a visitor decides who filed"
                " them first"
            )
        else:
            why = (
                f"after {config.name or 'the show'} ended ({span}): check the clock, or load"
                " this year's show file (kiosk init --show FILE)"
            )
        click.echo(f"Warning: this computer's clock says {today}, {why}.", err=True)


# Commands that work on a database with no salespeople yet: loading them, and looking.
WITHOUT_SALESPEOPLE = frozenset({"init", "import", "stats", "export", "report"})


def fail(message: str) -> None:
    """Print a one-line error and exit 2 (control characters from data shown escaped)."""
    # measured start-up cost: kiosk.safety (~13 ms), first needed here
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
        except BrokenPipeError as exc:
            if output_gone():
                # `kiosk … | head`: the reader has all it wanted. click's own handler (in
                # `main`) ends the command quietly, exit 1, as it does for errors outside
                # this wrapper; saying "Error: Broken pipe" would only be noise on stderr.
                raise
            fail(f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": "))
        except OSError as exc:
            fail(f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": "))

    return wrapper  # type: ignore[return-value]


def output_gone() -> bool:
    """Whether standard output leads to a pipe or socket nobody reads any more.

    A broken pipe from elsewhere (a channel's socket) is an error worth a line; this tells
    them apart: the kernel reports POLLERR on the write end of a pipe without a reader."""
    stream = sys.__stdout__
    if stream is None:
        return False
    try:
        poller = select.poll()
        poller.register(stream.fileno(), 0)  # POLLERR and POLLHUP are always reported
        return any(ev & (select.POLLERR | select.POLLHUP) for _, ev in poller.poll(0))
    except (OSError, ValueError):
        return False


pass_ctx = click.make_pass_decorator(KioskContext)
