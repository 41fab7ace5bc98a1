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

The young generations are paced the same way. With CPython's 700 allocations between two
young collections, a scan's frame met several, and every tenth was a collection of the
middle generation — in the profile of 200 scans at 20,000 contacts, 1.4 ms of collections
inside the median scan's key → card time, 10–11 ms at p95 and up to 26 ms (under load).
While taken over, the youngest generation is collected after `YOUNG` allocations instead,
which a scan's card seldom reaches, and at each of those moments (a card on screen, a
quiet booth) the young generations are collected anyway — the middle one as often as
CPython would (`threshold1` young collections apart), so the full collections keep their
pace too. Measured the same way: no collection inside the key → card time at p95.

Before all that, `kiosk` starting the booth screen pauses the collector until the first
frame (`pause_until_first_frame`, from `kiosk.cli.main`): what loads until then (Textual,
sqlite-utils, the kiosk's modules and screen) lives as long as the app, and the collections
that walked it again and again as it grew cost ~10 % of the cold start's CPU time (at a
million contacts, eight runs each, measured 2026-12-03: 549 → 489 ms best, 583 → 552 ms
median). The first frame freezes it all and turns the collector back on
(`resume_at_first_frame`).
"""

from __future__ import annotations

import gc

_paused = False  # by `pause_until_first_frame`, until `resume_at_first_frame`

NEVER = 1 << 30  # a threshold no count reaches
YOUNG = 10_000  # allocations between two young collections while taken over (CPython: 700)


class FullCollections:
    """Takes the oldest generation's collections over from CPython while the app runs."""

    def __init__(self) -> None:
        self._thresholds: tuple[int, int, int] | None = None  # CPython's, while taken over

    def take_over(self) -> None:
        if self._thresholds is None:
            self._thresholds = gc.get_threshold()
            young, middle, _oldest = self._thresholds
            gc.set_threshold(max(young, YOUNG), middle, NEVER)

    def give_back(self) -> None:
        if self._thresholds is not None:
            gc.set_threshold(*self._thresholds)
            self._thresholds = None

    def now_if_due(self) -> bool:
        """At a moment nothing waits on: collect everything if CPython would have by now
        (as many middle collections since the last full one as its threshold says); else
        the young generations — the middle one too when as many young collections have
        been made since its last as CPython's threshold says. True: a full collection."""
        if self._thresholds is None:
            return False
        _young, middle, oldest = self._thresholds
        _, young_collections, middle_collections = gc.get_count()
        if middle_collections >= oldest:
            gc.collect()
            return True
        gc.collect(1 if young_collections >= middle else 0)
        return False


def pause_until_first_frame() -> None:
    """No cyclic collections until the app's first frame (`kiosk` does this before it
    imports the TUI; a collector already off, e.g. by a test, is left to its owner)."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume_at_first_frame() -> None:
    """The first frame is drawn: freeze what loaded for it and collect again (only after
    `pause_until_first_frame`; an app started any other way changes nothing here)."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()  # empties the young generations too: no collection of it all at once
        gc.enable()


def end_pause() -> None:
    """The TUI is over, or never drew a frame (a refused database, an error): the collector
    back on if it is still paused (nothing frozen), e.g. for the caller of `kiosk.cli.main`."""
    global _paused
    if _paused:
        _paused = False
        gc.enable()
