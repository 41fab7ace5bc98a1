"""What the UI tests share: the terminal size, waiting for the app, opening a screen, reading
rows and toasts."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from textual.message import Message

from kiosk.ui.messages import ScanReceived
from kiosk.ui.screens.search import SearchScreen
from tests.ui.keys import type_slowly

SIZE = (160, 48)
S = TypeVar("S")


def scans_received() -> tuple[list[str], Callable[[Message], None]]:
    """A `message_hook` for `run_test` that keeps each `ScanReceived`'s payload, and its list."""
    seen: list[str] = []

    def hook(message: Message) -> None:
        if isinstance(message, ScanReceived):
            seen.append(message.payload)

    return seen, hook


def rows(db, sql, params=()):
    return [tuple(r) for r in db.execute(sql, list(params)).fetchall()]


def toasts(app) -> str:
    """Every notification the app showed, one a line: all of them since the app started when
    it came from `make_app` (which keeps a log), else those still on screen."""
    log = getattr(app, "toast_log", None)
    if log is not None:
        return "\n".join(log)
    return "\n".join(str(n.message) for n in app._notifications)


async def settle(pilot, seconds: float = 0.05) -> None:
    """Let timers, workers (a scan's lookup runs on its own thread) and the next frame run.

    A typed letter is held by the scanner's burst detector until its gap timer says no
    scanner key follows (`kiosk.ui.keys`); on a loaded machine that timer fires late, so
    this waits until no key is held rather than for a fixed time (UI tests failed at load
    20–30 when a pressed key had not reached its screen yet)."""
    await pilot.pause()  # the keys posted so far are handled
    await pilot.pause(seconds)
    await until(pilot, lambda: not pilot.app.scan_input.detector.pending)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def until(pilot, test: Callable[[], object], seconds: float = 30.0) -> None:
    """Let the app run until `test()` holds, failing after `seconds`: another thread's work
    or a timer needs real time, more of it on a loaded machine (no latency is asserted)."""
    for _ in range(int(seconds / 0.02)):
        if test():
            return
        await pilot.pause(0.02)
    assert test()


def cid(db, crm_id: str) -> str:
    return db.execute("SELECT id FROM contacts WHERE crm_id = ?", [crm_id]).fetchone()[0]


async def press_for(pilot, key: str, screen_type: type[S]) -> S:
    """Press `key`, let the app settle, and return the screen it opened, failing with what
    opened instead when it is not a `screen_type`."""
    await pilot.press(key)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, screen_type), (
        f"{key} opened {type(screen).__name__}, not {screen_type.__name__}"
    )
    return screen


async def search_for(pilot, text: str) -> SearchScreen:
    """Open search (F2), type `text` at a brisk hand's pace and wait for its results."""
    screen = await press_for(pilot, "f2", SearchScreen)
    type_slowly(pilot.app, text, interval=0.06)
    await settle(pilot, 0.5)
    return screen
