"""One-shot timers that always fire.

Textual's `set_timer` (8.2.8) runs each timer in its own task, which reads the clock twice
before it sleeps; with `skip` on (always, for `set_timer`), a task preempted between those two
reads for longer than the delay concludes that its only tick is overdue, skips it, and ends: the
callback never runs. On a loaded two-core laptop that is not rare for the scanner's 3 ms gap
timer, and a lost gap timer leaves a badge's burst open until the next key — the card never
comes (first seen as a UI test that timed out one run in a hundred, the timer's task finished
and its callback never called).

`call_after` schedules the callback on the event loop itself (`loop.call_later`), which does
not drop calls, and hands it to the widget's message pump with `call_next`, as Textual does, so
it runs between the widget's messages, never inside another handler. A pump that has begun to
close meanwhile (a screen dismissed) does not run it, as Textual stops a closing pump's timers.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from textual.message_pump import MessagePump


class Later:
    """A callback due after a delay; `stop()` cancels it (like Textual's `Timer.stop`)."""

    __slots__ = ("_handle", "name")

    def __init__(self, handle: asyncio.TimerHandle, name: str) -> None:
        self._handle = handle
        self.name = name

    def stop(self) -> None:
        self._handle.cancel()


def call_after(
    pump: MessagePump, delay: float, callback: Callable[[], Any], *, name: str = "later"
) -> Later:
    """Run `callback` on `pump` once, `delay` seconds from now. Call from the app's loop."""
    loop = asyncio.get_running_loop()

    def run() -> Any:
        # A pump that began to close would have stopped its Textual timers (its widgets may be
        # gone already: a lead form's duplicate check found no '#f-name' once it was closing).
        if pump._closing or pump._closed:
            return None
        return callback()

    return Later(loop.call_later(max(delay, 0.0), pump.call_next, run), name)
