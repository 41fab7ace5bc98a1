"""The app-level key interceptor that lets the scanner work on every screen.

`KioskApp.on_event` hands every key the terminal sends to `ScanInput.feed` before any
widget sees it. The pure `kiosk.scanner.BurstDetector` judges each key by its timestamp
(the time the driver read it, `event.time`, so a busy UI cannot make slow typing look
fast); this class acts on the verdicts:

- a person's keys are delivered to the focused widget exactly as Textual would have (a
  few tens of milliseconds late at most), in order, none lost;
- a scanner's keys are swallowed and become one `ScanReceived` message — so a scan never
  types into a focused field, and a form can fill itself from the badge instead;
- but a burst that is keys for the focused field (`burst_is_typing`: a word an input
  method commits at once into a text field, which reads as no badge; digits that fit a PIN
  field) is delivered to it as typed;
- a burst that may already be a whole badge at its Enter (`kiosk.scanner.Early`) is handed
  to the app at once (`begin_early_scan`); the `Scan` that ends the burst settles it here,
  at once (`settle_early_scan`: its check-in waits for that verdict to commit; posted as a
  `ScanReceived` first, the verdict waited its turn in the app's queue behind the frame
  being composed), and a character after that Enter (`kiosk.scanner.Withdraw`) drops it.
  Every scan becomes a `ScanReceived` (one settled here says so: `settled`).

A one-shot timer (`kiosk.ui.timers.call_after`: Textual's own can be lost on a loaded
machine) calls `expire` when a held burst's deadline passes (no key after it). It
is armed once per burst, not once per key: each key only moves the deadline later, so a
timer that fires early finds the deadline not reached and is armed again for the rest —
a scanner's hundreds of keys cost hundreds of timers less. Only a deadline that comes
sooner (the short settle after Enter) re-arms it at once.
Tests feed key events with chosen timestamps through this same path.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual import events
from textual._time import get_time

from kiosk.scanner import BurstDetector, Early, Replay, Scan, Timing, Withdraw
from kiosk.ui.messages import ScanReceived
from kiosk.ui.timers import Later, call_after

Deliver = Callable[[events.Key], Awaitable[None]]


class ScanInput:
    """Sits between the terminal and the widgets; see the module docstring."""

    def __init__(
        self, app, deliver: Deliver, timing: Timing, clock: Callable[[], float] = get_time
    ):
        self.app = app
        self.deliver = deliver
        self.detector: BurstDetector[events.Key] = BurstDetector(timing)
        self.clock = clock
        self._timer: Later | None = None
        self._due = 0.0  # when the armed timer fires
        self.scans = 0

    async def feed(self, event: events.Key, *, capture: bool = True) -> None:
        """One key from the terminal. With `capture` off (a dialog's words: a dispute's case,
        a decision's note) keys go straight through."""
        if not capture:
            await self._act(self.detector.flush())
            await self.deliver(event)
            return
        await self._act(self.detector.feed(event, event.key, event.character, event.time))
        self._schedule()

    async def expire(self) -> None:
        """The gap timer fired: close the burst once the keys already queued are fed."""
        self._timer = None
        # The timer runs beside the app's message queue. When the app falls behind (a card
        # being drawn on a loaded machine), the scanner's next keys are already waiting in
        # that queue, stamped within the gap; closing the burst now split one badge into a
        # scan and typed keys (found at load 20: 'ng.liu2350@…' typed, '….co END:VCARD'
        # shown as an unreadable card). Queued behind them, the close sees them first.
        self.app.call_later(self._expire_now)

    async def _expire_now(self) -> None:
        await self._act(self.detector.expire(self.clock()))
        self._schedule()

    async def flush(self) -> None:
        await self._act(self.detector.flush())

    def _schedule(self) -> None:
        deadline = self.detector.deadline()
        now = self.clock()
        due = None if deadline is None else max(deadline, now + 0.001)  # never a zero delay
        if self._timer is not None:
            if due is not None and self._due <= due:
                return  # fires in time; `expire` arms it again if the deadline moved on
            self._timer.stop()
            self._timer = None
        if due is not None:
            self._due = due
            self._timer = call_after(self.app, due - now, self.expire, name="scan-gap")

    async def _act(self, outputs: list) -> None:
        for out in outputs:
            if isinstance(out, Replay):
                for key in out.items:
                    await self.deliver(key)
            elif isinstance(out, Early):  # may be the whole badge: the app starts on it
                self.app.begin_early_scan(out.payload, ended=out.ended)
            elif isinstance(out, Withdraw):  # more came: not the whole badge, drop it now
                self.app.drop_early_scan()
            elif isinstance(out, Scan):
                if self.app.burst_is_typing(out.payload):  # an input method's word, a PIN
                    self.app.drop_early_scan()
                    for key in out.items:
                        await self.deliver(key)
                    continue
                self.scans += 1
                # started at its Enter and kept: its commit starts now
                settled = self.app.settle_early_scan(out.payload)
                self.app.post_message(
                    ScanReceived(out.payload, started=out.started, ended=out.ended,
                                 terminator=out.terminator, settled=settled)
                )  # fmt: skip
