"""Sending one notification through apprise, and saying why it failed.

apprise turns one URL per channel (e-mail, Slack, Teams, Telegram, DingTalk, WeCom, ntfy,
JSON webhooks …) into a delivery; the kiosk writes no client of its own. `apprise_send`
returns None when the channel accepted the message, else a one-line reason for the outbox.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import apprise

Sender = Callable[[str, str, str], "str | None"]


def apprise_send(url: str, title: str, body: str) -> str | None:
    """Deliver `title`/`body` to one apprise URL; None on success, else why not."""
    sink = apprise.Apprise()
    with apprise.LogCapture(level=logging.WARNING) as log:  # type: ignore[no-untyped-call]
        if not sink.add(url):
            return "apprise cannot read this channel URL (check the scheme and its parts)"
        ok = sink.notify(title=title, body=body)
        text = log.getvalue()
    if ok:
        return None
    # "2026-12-02 08:48:46,038 - WARNING - A Connection error occurred …" → the message
    lines = [line.split(" - ", 2)[-1].strip() for line in str(text).splitlines() if line.strip()]
    return (lines[-1] if lines else "the channel refused the notification")[:300]
