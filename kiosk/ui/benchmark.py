"""Measuring "last scanner key → visitor card on screen" through the real app.

Used by `scripts/bench.py` (section `scan_to_card`) and by the UI tests' key helpers.
Scanner bursts are posted as `events.Key` messages into the app's queue — the path the
terminal driver uses. The benchmark types them at a fast scanner's pace (`type_keys`, 1 ms a
key: each key posted from a thread of its own when its time comes, stamped with that time, as
a driver's input thread that keeps up does), so the measured time from the last key covers everything a real scan goes through after it: the burst detector and its settle
wait, the lookup, the check-in (an fsync'd write), and the card's layout and render. (The
tests' `post_keys` queues a whole burst at once with stamps in the past: quick, and the
same keys to the detector; timed that way, the app's handling of every earlier key would be
counted as if the scanner had typed them all in the same instant.) The app records each
latency itself once the frame after the card has been composed (`KioskApp.scan_latencies`);
the app runs headless, so the terminal's own drawing is the only part not counted.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence
from typing import Any

from textual import events

from kiosk.ui.factory import build_app

NAMED = {"\n": ("enter", "\r"), "\t": ("tab", "\t"), " ": ("space", " ")}
# The typing thread waits on an event nobody sets rather than in `time.sleep`: under
# libfaketime (the suite's year-ahead run) Python's sleep fails with EINVAL, and this wait
# is as exact (1.09 vs 1.08 ms for 1 ms, median of 200 here).
_NEVER = threading.Event()


def key_pairs(text: str) -> list[tuple[str, str]]:
    """Text as Textual names its keys ('\\n' → enter, ' ' → space)."""
    return [NAMED.get(ch, (ch, ch)) for ch in text]


def post_keys(app: Any, text: str, *, interval: float) -> None:
    """Queue `text` as key events `interval` seconds apart, the last one stamped now."""
    pairs = key_pairs(text)
    now = app.clock()
    for i, (key, char) in enumerate(pairs):
        event = events.Key(key, char)
        event.time = now - (len(pairs) - 1 - i) * interval
        event.set_sender(app)
        app.post_message(event)


async def type_keys(app: Any, text: str, *, interval: float) -> None:
    """Type `text` from another thread, a key every `interval` seconds, each key stamped with
    the time it was due — as the terminal driver's input thread reads a scanner's keys. Typed
    from the app's own loop, a busy loop delayed the keys themselves (a scanner never
    pauses); stamped when posted, a thread the loaded machine did not run for 50 ms made
    gaps the scanner never left, and the burst detector rightly split the scan there."""
    await asyncio.to_thread(_type, app, key_pairs(text), interval)


def _type(app: Any, pairs: list[tuple[str, str]], interval: float) -> None:
    start = app.clock()
    for i, (key, char) in enumerate(pairs):
        due = start + i * interval
        if (wait := due - app.clock()) > 0:
            _NEVER.wait(wait)
        event = events.Key(key, char)
        event.time = due
        event.set_sender(app)
        app.post_message(event)


async def _run(
    app: Any,
    payloads: Sequence[str],
    interval: float,
    timeout: float,
    gap: float,
    missing: list[str] | None,
    notes: list[str] | None,
    integrity_check: str | None = None,
) -> list[float]:
    said: list[str] = []  # what the app told the screen (its notify lines), in order
    notify = app.notify

    def told(message: str, *args: Any, **kwargs: Any) -> None:
        said.append(f"{kwargs.get('severity', 'information')}: {message}")
        notify(message, *args, **kwargs)

    app.notify = told
    latencies: list[float] = []
    why: list[str] = []  # for each scan with no card in time, what may explain it
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()  # the warm-up the real app does after its first frame
        checks: list[float] = []  # seconds each damage check took (`--integrity`)
        checking = None
        if integrity_check:
            stoppable = integrity_check == "stopped"
            checking = asyncio.create_task(_keep_checking(app, checks, stoppable))
        for payload in payloads:
            await pilot.pause(gap)  # visitors are seconds apart: start each scan from an idle app
            before, read, told_before = len(app.scan_latencies), app.scan_input.scans, len(said)
            await type_keys(app, payload + "\n", interval=interval)
            if await _card(app, before, timeout):
                latencies.append(app.scan_latencies[-1])
                continue
            if missing is None:
                raise TimeoutError(f"no card for scan {payload!r}")
            missing.append(payload)  # counted as the whole timeout, and go on
            latencies.append(timeout)
            # Wait for it (up to 10 s more) so that a late card is not taken for the next scan's.
            came = "no card in 12 s"
            if await _card(app, before, 10.0):
                came = f"its card came {app.scan_latencies[-1] * 1000:,.0f} ms after its last key"
            why.append(f"{payload[:40]!r}: read as {app.scan_input.scans - read} scan(s); {came}"
                       + "; the app said: " + (" | ".join(said[told_before:]) or "nothing"))  # fmt: skip
        if checking is not None:
            checking.cancel()
            if notes is not None:
                whole = [t for t in checks if t >= 0]
                notes.append(f"the damage check ran beside the scans ({integrity_check}):"
                             f" {len(checks)} started, {app.integrity_put_off} stopped by a"
                             f" scan, {len(whole)} ended ({', '.join(f'{t:.2f}' for t in whole[:6])}"
                             f" s); found: {app.integrity_found!r}")  # fmt: skip
    if notes is not None:  # what tells why a scan showed no card
        notes.append(f"the app read {app.scan_input.scans:,} scans for {len(payloads):,}"
                     f" payloads (more: bursts split); the database refused"
                     f" {app.scans_kept} (kept, tried again after 2 s)")  # fmt: skip
        notes.extend(f"no card in {timeout:g} s: {w}" for w in why[:10])
        errors = [line for line in said if line.startswith("error")]
        if errors:
            notes.append(f"{len(errors)} error lines on screen, e.g. {errors[0][:200]!r}")
    return [x * 1000 for x in latencies]


async def _keep_checking(app: Any, took: list[float], stoppable: bool) -> None:
    """The app's damage check (`kiosk.ui.integrity`) started at the first scan and anew as
    each ends, so that every scan comes while a check runs (the app starts one only after
    seconds without a scan): one stopped by a scan is started again once that scan is
    done, one not `stoppable` at once. `took`: seconds of each that ran to its end, -1 for
    one a scan stopped."""
    while True:
        while stoppable and app.scans_in_flight:  # as the app: never started during a scan
            await asyncio.sleep(0.001)
        started, put_off = app.clock(), app.integrity_put_off
        thread = app.check_integrity_now(stoppable=stoppable)
        await asyncio.to_thread(thread.join)
        await asyncio.sleep(0)  # its verdict is handed to the app's loop
        took.append(-1.0 if app.integrity_put_off != put_off else app.clock() - started)


async def _card(app: Any, before: int, timeout: float) -> bool:
    """Wait until the app records the latency of a card shown after `before` ones. An app
    that has stopped (an error ends a Textual app) ends the benchmark with that error: it
    used to wait out every remaining scan's timeout, twelve seconds each, as if stalled."""
    deadline = app.clock() + timeout
    while len(app.scan_latencies) == before:
        if not app.is_running:
            error = getattr(app, "_exception", None)  # Textual keeps what stopped it here
            raise RuntimeError(f"the app stopped (exit code {app.return_code}): {error!r}")
        if app.clock() > deadline:
            return False
        await asyncio.sleep(0.0005)
    return True


def scan_to_card(
    db: Any,
    config: Any,
    payloads: Sequence[str],
    *,
    interval: float = 0.001,
    timeout: float = 5.0,
    gap: float = 0.1,
    missing: list[str] | None = None,
    notes: list[str] | None = None,
    integrity_check: str | None = None,
) -> list[float]:
    """Milliseconds from each payload's last key to its card, in order (first one is cold).

    A scan with no card within `timeout` raises TimeoutError, or, given a `missing` list,
    is added to it and counted as taking the whole timeout (the benchmark goes on). `notes`
    gets one line on what may explain one: scans the app read, scans the database refused.
    `integrity_check`: the app's damage check runs beside the scans, 'stopped' by each as
    the app does or running on 'through' them (else none runs: the app starts one only
    after seconds without a scan, which these never leave)."""
    app = build_app(db, config, card_timeout=None, integrity_delay=None)
    return asyncio.run(_run(app, payloads, interval, timeout, gap, missing, notes, integrity_check))
