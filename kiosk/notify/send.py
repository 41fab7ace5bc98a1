"""Sending notifications through apprise, and saying why one failed.

apprise turns one URL per channel (e-mail, Slack, Teams, Telegram, DingTalk, WeCom, ntfy,
JSON webhooks …) into a delivery; the kiosk writes no client of its own. `apprise_send`
returns None when the channel accepted the message, else a one-line reason for the outbox.

`send_all` sends a pass's items side by side (`SENDERS` threads): a send is mostly a wait
on the network, and one after another a busy booth's pass took the sum of those waits —
a slow or unreachable channel held every other salesperson's notice behind it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextvars import ContextVar

import apprise

Sender = Callable[[str, str, str], "str | None"]
SENDERS = 4  # sends of one pass at a time

# The warnings apprise logs while one send runs, for that send alone. Sends run in
# parallel and apprise logs to one logger, so `apprise.LogCapture` (a handler on that
# logger for the duration of a `with`) would hand each send the others' warnings too.
_warnings: ContextVar[list[str] | None] = ContextVar("kiosk_apprise_warnings", default=None)


class _PerSend(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        lines = _warnings.get()
        if lines is not None:
            lines.append(record.getMessage())


_HANDLER = _PerSend(logging.WARNING)
# Each send runs in the calling thread: `send_all` is the parallelism. By default apprise
# hands every notify to a worker thread of its own and waits for it — one more thread to
# be scheduled per send, which on a loaded machine was most of a send's time.
_ASSET = apprise.AppriseAsset(async_mode=False)


def _listen() -> None:
    logger = apprise.logger  # the logger every apprise module writes to
    if _HANDLER not in logger.handlers:
        logger.addHandler(_HANDLER)
    if logger.getEffectiveLevel() > logging.WARNING:
        logger.setLevel(logging.WARNING)


def apprise_send(url: str, title: str, body: str) -> str | None:
    """Deliver `title`/`body` to one apprise URL; None on success, else why not."""
    _listen()
    lines: list[str] = []
    token = _warnings.set(lines)
    try:
        sink = apprise.Apprise(asset=_ASSET)
        if not sink.add(url):
            return "apprise cannot read this channel URL (check the scheme and its parts)"
        ok = sink.notify(title=title, body=body)
    finally:
        _warnings.reset(token)
    if ok:
        return None
    text = [line.strip() for line in lines if line.strip()]
    return (text[-1] if text else "the channel refused the notification")[:300]


def send_all(
    send: Sender, messages: Sequence[tuple[str, str, str]], *, workers: int = SENDERS
) -> list[str | None]:
    """Each (url, title, body) sent with `send`, up to `workers` at a time; the answers in
    the same order (None: accepted)."""
    if len(messages) <= 1 or workers <= 1:
        return [send(*m) for m in messages]
    with ThreadPoolExecutor(max_workers=min(workers, len(messages))) as pool:
        return list(pool.map(lambda m: send(*m), messages))
