"""The core must not import Textual or Rich: the CLI, the sync script and the hub worker use it
without a UI. Every module is found by walking the package (`pkgutil.walk_packages`), so a new
module is checked the day it is added, not when someone remembers to list it."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import kiosk

FRONT_ENDS = ("kiosk.ui", "kiosk.cli")


def core_modules() -> list[str]:
    every = [m.name for m in pkgutil.walk_packages(kiosk.__path__, prefix="kiosk.")]
    return sorted(m for m in every if not m.startswith(FRONT_ENDS) and m != "kiosk.__main__")


def loaded_after_importing(modules: list[str], prefixes: tuple[str, ...]) -> list[str]:
    """Which modules starting with `prefixes` a fresh interpreter holds after importing `modules`."""
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        f"print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in {prefixes!r})))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return [m for m in out.stdout.strip().split(",") if m]


def test_the_walk_finds_the_whole_core():
    found = core_modules()
    assert {"kiosk.db", "kiosk.events.appliers", "kiosk.sync.merge", "kiosk.hub.worker"} <= set(
        found
    )
    assert len(found) > 80


def test_the_core_imports_neither_textual_nor_rich():
    assert loaded_after_importing(core_modules(), ("textual", "rich")) == []


def test_the_cli_starts_without_textual():
    """`kiosk lookup …` must not pay for the TUI; the bare `kiosk` imports it when it starts it."""
    assert loaded_after_importing(["kiosk.cli"], ("textual",)) == []
