"""The core must not import Textual: the CLI, sync script and tests use it without a UI."""

from __future__ import annotations

import subprocess
import sys

CORE = [
    "kiosk.db",
    "kiosk.events",
    "kiosk.events.appliers",
    "kiosk.booth",
    "kiosk.store",
    "kiosk.routing",
    "kiosk.config",
    "kiosk.badges",
    "kiosk.countries",
    "kiosk.lookup",
    "kiosk.setup",
    "kiosk.visits.shape",
    "kiosk.cli",
]


def test_core_does_not_import_textual():
    code = (
        "import importlib, sys\n"
        f"for m in {CORE!r}: importlib.import_module(m)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
