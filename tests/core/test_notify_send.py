"""Sending a pass's notifications side by side, each with its own reason when it fails.

No PostgreSQL here: the channels are real apprise URLs to loopback webhooks (one that
accepts, one that answers 503, a port where nothing listens) or senders that answer as told.
"""

from __future__ import annotations

import http.server
import threading

import pytest

from kiosk.notify.send import apprise_send, send_all


@pytest.fixture
def overloaded():
    """A JSON webhook that answers every POST with 503."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(503)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"json://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_sends_of_one_pass_overlap():
    """Two sends that each wait for the other finish only when they run side by side: one
    after another, the first would wait for ever (here: until the barrier's timeout)."""
    barrier = threading.Barrier(2, timeout=60)

    def send(url, title, body):
        barrier.wait()
        return None if url.endswith("ok") else f"refused by {url}"

    answers = send_all(send, [("json://a/ok", "t", "b"), ("json://b/no", "t", "b")])
    assert answers == [None, "refused by json://b/no"]


def test_answers_keep_the_order_of_the_items():
    def send(url, title, body):
        return None if int(title) % 3 else title

    titles = [str(n) for n in range(20)]
    assert send_all(send, [("u", t, "b") for t in titles], workers=4) == [
        None if n % 3 else str(n) for n in range(20)
    ]


def test_each_send_reports_its_own_channels_reason(overloaded):
    """apprise logs every send's warnings to one logger: sent side by side, each item still
    gets the reason of its own channel, not its neighbour's."""
    dead = "json://127.0.0.1:9/"  # the discard port: nothing listens
    messages = [(dead, "t", "b"), (overloaded, "t", "b")] * 3 + [("nope://x", "t", "b")]
    answers = send_all(apprise_send, messages, workers=4)
    for (url, _, _), why in zip(messages, answers, strict=True):
        assert why is not None
        if url == dead:
            assert "Connection error" in why, why
        elif url == overloaded:
            assert "503" in why, why
        else:
            assert why.startswith("apprise cannot read this channel URL"), why
