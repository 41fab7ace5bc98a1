"""App-wide messages, named for what happened (widget-local ones live in their widget)."""

from __future__ import annotations

from textual.message import Message

from kiosk.visits import Visit


class ScanReceived(Message):
    """The scanner typed one complete payload (multi-line payloads arrive whole).

    `started`/`ended` are the monotonic times of its first and last key, so the card can
    measure "last key → card on screen".
    """

    def __init__(self, payload: str, *, started: float, ended: float, terminator: str) -> None:
        super().__init__()
        self.payload = payload
        self.started = started
        self.ended = ended
        self.terminator = terminator


class VisitResolved(Message):
    """A visit is ready to show (from a search, the candidates list or a saved lead)."""

    def __init__(self, visit: Visit) -> None:
        super().__init__()
        self.visit = visit


class BoothChanged(Message):
    """Something was written (check-in, lead, decision, away): boards should reload."""

    ALLOW_SELECTOR_MATCH = set()

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, BoothChanged)
