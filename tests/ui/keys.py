"""Feeding keys to the app the way the terminal driver does, with chosen timestamps.

Pilot's `press` is too slow and too irregular to look like a scanner, so bursts are posted
as `events.Key` messages straight into the app's queue — the same path the driver uses —
with `event.time` set to what a scanner (a few ms apart) or a person (~150 ms apart) would
produce (`kiosk.ui.benchmark.post_keys`, shared with the benchmark).
"""

from __future__ import annotations

from kiosk.ui.benchmark import post_keys

__all__ = ["post_keys", "scan", "type_slowly"]


def scan(app, payload: str, *, interval: float = 0.004, enter: bool = True) -> None:
    """A scanner typing `payload` (then Enter, unless `enter` is False)."""
    post_keys(app, payload + ("\n" if enter else ""), interval=interval)


def type_slowly(app, text: str, *, interval: float = 0.15) -> None:
    """A person typing at ~7 keys a second."""
    post_keys(app, text, interval=interval)
