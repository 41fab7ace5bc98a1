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

import os
import sys
from pathlib import Path
from typing import Any

import click

from kiosk.cli import (
    badge_cmds,
    booth_cmds,
    dispute_cmds,
    hub_cmds,
    invite_cmds,
    notify_cmds,
    pin_cmds,
    sync_cmds,
)
from kiosk.cli.context import KioskContext, fail, user_errors
from kiosk.config import default_db_path
from kiosk.errors import KioskError
from kiosk.ui.gc_pacing import end_pause, pause_until_first_frame


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
        # No garbage collections while the TUI loads, until its first frame: all it loads
        # lives as long as the app (kiosk.ui.gc_pacing; ~10 % of the cold start's CPU time).
        pause_until_first_frame()
        try:
            # Imported here: Textual loads only when the TUI starts (`kiosk --help` stays fast).
            # measured start-up cost: kiosk.cli.tui (~439 ms), first needed here
            from kiosk.cli.tui import run_tui

            user_errors(run_tui)(ctx.obj, lang)
        finally:
            end_pause()  # refused before its first frame: not left paused


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
        # measured start-up cost: kiosk.safety (~13 ms), first needed here
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
    saved = sys.stdout, sys.stderr
    sys.stdout = _InertStream(sys.stdout)
    sys.stderr = _InertStream(sys.stderr)

    def restore() -> None:
        sys.stdout, sys.stderr = saved

    ctx.call_on_close(restore)


# Every sub-command, by the module that holds it: one literal table (nothing registers
# itself by being imported).
for _command in (
    badge_cmds.badges,
    booth_cmds.init,
    booth_cmds.lookup,
    booth_cmds.checkin,
    booth_cmds.lead,
    booth_cmds.away,
    booth_cmds.rebuild,
    booth_cmds.stats,
    booth_cmds.check,
    booth_cmds.backup,
    dispute_cmds.proposals,
    dispute_cmds.decide,
    dispute_cmds.dispute,
    hub_cmds.hub,
    hub_cmds.join,
    hub_cmds.sync,
    invite_cmds.invite,
    invite_cmds.badge,
    invite_cmds.contact_qr,
    notify_cmds.notify,
    pin_cmds.pin,
    pin_cmds.keys,
    sync_cmds.import_cmd,
    sync_cmds.merge,
    sync_cmds.export,
    sync_cmds.report,
):
    main.add_command(_command)
