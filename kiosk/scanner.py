"""Telling a barcode scanner from a person at the keyboard, by the timing of the keys.

A USB scanner is a keyboard that types very fast: a burst of keys a few milliseconds apart,
usually ending with Enter (some send Tab, some nothing). A person types ~5–15 keys a
second. The kiosk listens on every screen, so every key passes through `BurstDetector`
first; it answers with what to do:

- `Replay(items)` — a person typed these: deliver them to the focused widget, in order.
- `Scan(payload, …)` — a scanner typed these: swallow them and look the payload up.

The first keys of a burst cannot be judged until the next ones arrive, so the detector holds
them back for at most `gap` seconds and then either replays them (a person; typing feels
~50 ms slower, which nobody notices) or keeps them as the start of a scan. Nothing is ever
dropped: every key fed comes back out, in order, in exactly one Replay or Scan.

One key is swallowed rather than given back: a scanner's own Enter or Tab that arrives
after its scan was closed by the gap, stamped within that gap of the scan's last key. A busy
app (a frame of 100 ms on a loaded machine) can close the burst before the driver has queued
its terminator; delivered, that Enter would pick whatever list has focus (a wrong visitor
checked in, seen once at load 3). A person's Enter comes later than a scanner's next key.

Multi-line payloads (a vCard sends Enter between lines) stay one scan: after Enter the
detector waits a short "settle" time for the next line before finishing — or, when the
payload is recognisably complete (``END:VCARD``, a closed JSON object, a ``MECARD…;;``, or
a line that is exactly one of our invitation tokens or its short URL), finishes at once, so
the card appears within a frame of the last key.

Why only those: a plain badge id or an e-mail address alone is most often the whole badge,
but is also the first line of plain-text badges ('B-100\nJosé Martínez\njose@…',
'ana@…\nAna Ruiz\nLumen Ltd'), and a badge cut there records the wrong visitor and then
a second, nameless scan. An invitation token is a QR the kiosk itself printed: one line,
never followed by more.

A payload that cannot tell whether it is complete (a plain badge id, an e-mail address:
most single-line badges) is also offered at its Enter as `Early(payload)`: the UI may start
on it at once, speculatively. The `Scan` that ends the burst settles it: the same payload
confirms the early one (it was the whole badge), anything else — more lines came, or the
keys turned out to be a person's — withdraws it. A character after the separator already
says that the offer was not the whole badge: `Withdraw()` comes with it, at once, so the UI
neither draws that line's card nor keeps its check-in waiting for the burst's end. Every
`Early` is followed by a `Withdraw`, a `Scan` or a `Replay` (or a newer `Early` of the same
burst), so the UI never keeps one open.

Pure Python with an injected clock (every call takes the time as an argument): no Textual,
no asyncio, so it is tested on synthetic timestamps.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")

ENTER_KEYS = frozenset({"enter", "ctrl+m", "ctrl+j"})
TAB_KEYS = frozenset({"tab", "ctrl+i"})


@dataclass(frozen=True)
class Timing:
    """How fast is a scanner. `gap` is the silence (seconds) that ends a burst.

    A burst counts as a scan once it has `min_keys` keys whose mean spacing is at most
    `mean_ratio × gap` — four keys within ~90 ms is beyond even a very fast typist, while
    scanners type 1–20 ms apart. For a slow (e.g. Bluetooth) scanner, raise `gap`.
    """

    gap: float = 0.050
    min_keys: int = 4
    mean_ratio: float = 0.6
    settle_min: float = 0.010
    settle_factor: float = 3.0

    @classmethod
    def from_gap_ms(cls, gap_ms: int | float) -> Timing:
        gap = max(float(gap_ms), 5.0) / 1000.0
        return cls(gap=gap, settle_min=0.2 * gap)


@dataclass(frozen=True)
class Replay(Generic[T]):
    """Keys a person typed: deliver them as usual, in this order."""

    items: tuple[T, ...]


@dataclass(frozen=True)
class Scan(Generic[T]):
    """One complete scan. `ended` is the time of its last key (for latency measurement)."""

    payload: str
    items: tuple[T, ...]
    started: float
    ended: float
    terminator: str  # 'enter', 'tab', 'gap' or 'interrupted'


@dataclass(frozen=True)
class Early:
    """A burst that may be complete at its Enter: look it up now, keep it only if the `Scan`
    that ends the burst has this same payload (see the module docstring)."""

    payload: str
    started: float
    ended: float


@dataclass(frozen=True)
class Withdraw:
    """The last `Early` was not the whole badge: more characters came after its separator
    (the burst goes on; its `Scan`, or a newer `Early`, follows)."""


Output = Replay[T] | Scan[T] | Early | Withdraw


def key_kind(key: str, char: str | None) -> str:
    """'enter', 'tab', 'char' (a printable character) or 'other' (arrows, F-keys, ctrl+…)."""
    if key in ENTER_KEYS:
        return "enter"
    if key in TAB_KEYS:
        return "tab"
    if char is not None and len(char) == 1 and char.isprintable():
        return "char"
    return "other"


def looks_complete(payload: str) -> bool | None:
    """True: the payload is a whole badge; False: more lines must follow; None: cannot tell."""
    text = payload.strip()
    if text[:4] == "KV1." or "/i/KV1." in text[:300]:  # our invitation QR: one line, whole
        # measured start-up cost: kiosk.badge_formats, kiosk.badges (~21 ms), first
        # needed here (after the first frame, which it was in; the warm-up thread loads it)
        from kiosk.badge_formats.ids import invitation_token

        return invitation_token(text) is not None or None
    head = text[:11].upper()
    if head.startswith("BEGIN:VCARD"):
        return "END:VCARD" in text.upper()
    if head.startswith("MECARD:"):
        return text.endswith(";;") or None
    if text.startswith("{"):
        try:
            json.loads(text)
        except ValueError:
            return None
        return True
    return None


@dataclass
class _Burst(Generic[T]):
    items: list[T] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    times: list[float] = field(default_factory=list)
    scanning: bool = False
    after_separator: str = ""  # 'enter'/'tab' when the last key was a line separator
    offered: bool = False  # an `Early` of it is open (offered at the last separator)

    @property
    def last(self) -> float:
        return self.times[-1]

    def add(self, item: T, text: str, t: float) -> None:
        self.items.append(item)
        self.text.append(text)
        self.times.append(max(t, self.times[-1]) if self.times else t)

    def mean_interval(self) -> float:
        if len(self.times) < 2:
            return float("inf")
        return (self.times[-1] - self.times[0]) / (len(self.times) - 1)

    def max_interval(self) -> float:
        return max((b - a for a, b in zip(self.times, self.times[1:], strict=False)), default=0.0)

    def payload(self) -> str:
        return "".join(self.text).rstrip("\r\n\t")


def _held_key(b: _Burst[T]) -> bool:
    """One character over and over is a key held down (auto-repeat), not a badge."""
    return len(set(b.text)) == 1


class BurstDetector(Generic[T]):
    """Classifies keys into human typing and scanner bursts; see the module docstring.

    Call `feed` for every key (with its timestamp), and `expire(now)` once `deadline()` has
    passed (the UI runs a timer for it). `items` are opaque: the UI passes its key events
    and gets the very same objects back.
    """

    def __init__(self, timing: Timing | None = None) -> None:
        self.timing = timing or Timing()
        self._burst: _Burst[T] | None = None
        # A scan closed by the gap: until when its own terminator may still come (swallowed)
        self._terminator_until: float | None = None

    @property
    def pending(self) -> bool:
        """Keys are held back (a possible or running scan)."""
        return self._burst is not None

    @property
    def scanning(self) -> bool:
        return self._burst is not None and self._burst.scanning

    def deadline(self) -> float | None:
        """When `expire` must be called if no further key arrives; None when idle."""
        b = self._burst
        if b is None:
            return None
        if b.scanning and b.after_separator and looks_complete(b.payload()) is not False:
            return b.last + self._settle(b)
        return b.last + self.timing.gap

    def _settle(self, b: _Burst[T]) -> float:
        t = self.timing
        return min(t.gap, max(t.settle_min, t.settle_factor * b.max_interval()))

    def _qualifies(self, b: _Burst[T]) -> bool:
        t = self.timing
        return len(b.items) >= t.min_keys and b.mean_interval() <= t.mean_ratio * t.gap

    def feed(self, item: T, key: str, char: str | None, t: float) -> list[Output[T]]:
        """One key at time `t` (seconds). Returns what to do now, in order."""
        out: list[Output[T]] = []
        b = self._burst
        if b is not None and t - b.last > self._wait(b):
            out.extend(self._finish(b))  # its timer did not fire in time: close it first
            b = None
        kind = key_kind(key, char)
        late_until, self._terminator_until = self._terminator_until, None
        if b is None:
            if kind in ("enter", "tab") and late_until is not None and t <= late_until:
                return out  # the terminator of the scan the gap closed (module docstring)
            if kind == "char":
                self._burst = b = _Burst()
                b.add(item, char or "", t)
            else:
                out.append(Replay((item,)))
            return out
        if kind == "other":
            out.extend(self._finish(b, interrupted=True))
            out.append(Replay((item,)))
            return out
        if kind == "char":
            b.add(item, char or "", t)
            b.after_separator = ""
            if b.offered:  # the line offered at the separator was not the whole badge
                b.offered = False
                out.append(Withdraw())
            if not b.scanning and self._qualifies(b):
                b.scanning = True
            return out
        # Enter or Tab inside a burst: a line separator or the terminator.
        b.add(item, "\n" if kind == "enter" else "\t", t)
        if not b.scanning:
            if not self._qualifies(b):
                self._burst = None
                out.append(Replay(tuple(b.items)))
                return out
            b.scanning = True
        b.after_separator = kind
        complete = looks_complete(b.payload())
        if complete is True:
            out.extend(self._finish(b))
        elif complete is None and not _held_key(b):
            b.offered = True
            out.append(Early(b.payload(), b.times[0], b.last))
        return out

    def _wait(self, b: _Burst[T]) -> float:
        deadline = self.deadline()
        return (deadline - b.last) if deadline is not None else self.timing.gap

    def expire(self, now: float) -> list[Output[T]]:
        """Close the held burst if its deadline has passed; otherwise do nothing."""
        b = self._burst
        deadline = self.deadline()
        if b is None or deadline is None or now < deadline:
            return []
        return self._finish(b)

    def flush(self) -> list[Output[T]]:
        """Close whatever is held now (e.g. the app is leaving)."""
        return self._finish(self._burst) if self._burst is not None else []

    def _finish(self, b: _Burst[T], interrupted: bool = False) -> list[Output[T]]:
        self._burst = None
        if not b.scanning and self._qualifies(b):
            b.scanning = True  # a scanner that sends no terminator
        if not b.scanning or _held_key(b):
            return [Replay(tuple(b.items))]
        if interrupted:
            terminator = "interrupted"
        else:
            terminator = b.after_separator or "gap"
        if terminator == "gap":
            self._terminator_until = b.last + self.timing.gap
        return [Scan(b.payload(), tuple(b.items), b.times[0], b.last, terminator)]
