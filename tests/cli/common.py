"""What the CLI tests share: one show file and a CliRunner call."""

from __future__ import annotations

from click.testing import CliRunner

from kiosk.cli import main

SHOW = """
[show]
id = "test-show"
name = "Test Expo 2026"
start = 2026-11-24
end = 2026-11-27
booth = "5.1 A20"
venue = "Messe Frankfurt"
products = ["LED panels", "Track lights", "Drivers"]
[kiosk]
id = "kiosk-a"
manager_pin = "1234"
[invitations]
secret = "test-secret"
"""


def run(*args, db=None):
    """`kiosk [--db DB] ARGS…` in-process; exceptions propagate so a traceback fails the test."""
    argv = (["--db", str(db)] if db else []) + [str(a) for a in args]
    return CliRunner().invoke(main, argv, catch_exceptions=False)
