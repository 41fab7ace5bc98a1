"""Full garbage collections between scans, never between a scan's last key and its card.

CPython collects the oldest generation when enough has survived the young ones — wherever
the program happens to be allocating. Everything the kiosk keeps for good is frozen after
the first frame (`gc.freeze`), but what a day of scans leaves behind (cards' render caches,
toasts, visits) still lands in that generation, and at a million contacts its collections
took 25–70 ms each (161 ms at most) on the UI thread, one every twenty scans or so,
inside whichever scan was running (measured, 2026-12-03). `FullCollections` takes the
oldest generation over from CPython — the young ones stay automatic and cheap — and
collects it as often as CPython would (`threshold2` young collections apart) but only at
moments nothing waits on: right after a scan's card is on screen, or when the booth is
quiet. Nothing accumulates for longer than CPython would let it, except between two such
moments.
"""

from __future__ import annotations

import gc

NEVER = 1 << 30  # a threshold no count reaches


class FullCollections:
    """Takes the oldest generation's collections over from CPython while the app runs."""

    def __init__(self) -> None:
        self._thresholds: tuple[int, int, int] | None = None  # CPython's, while taken over

    def take_over(self) -> None:
        if self._thresholds is None:
            self._thresholds = gc.get_threshold()
            young, middle, _oldest = self._thresholds
            gc.set_threshold(young, middle, NEVER)

    def give_back(self) -> None:
        if self._thresholds is not None:
            gc.set_threshold(*self._thresholds)
            self._thresholds = None

    def now_if_due(self) -> bool:
        """At a moment nothing waits on: collect everything if CPython would have by now
        (as many young collections since the last full one as its threshold says)."""
        if self._thresholds is None or gc.get_count()[2] < self._thresholds[2]:
            return False
        gc.collect()
        return True
