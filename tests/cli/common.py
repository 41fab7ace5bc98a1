"""What the CLI tests share: one show file and a CliRunner call."""

from __future__ import annotations

from click.testing import CliRunner

from kiosk.cli import main
from tests.factory import SHOW

__all__ = ["SHOW", "run"]


def run(*args, db=None):
    """`kiosk [--db DB] ARGS…` in-process; exceptions propagate so a traceback fails the test."""
    argv = (["--db", str(db)] if db else []) + [str(a) for a in args]
    return CliRunner().invoke(main, argv, catch_exceptions=False)
