"""A JSON webhook on a loopback port that keeps every request it is sent.

Stands in for a salesperson's notification channel (apprise's `json://127.0.0.1:PORT/PATH`)
in the hub tests and in `scripts/bench_hub.py`: they count deliveries per arrival and, for the
benchmark, when each arrived. Each request is kept with its arrival time (the benchmark's own
wall clock), its path (one path per salesperson) and its JSON body.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, NamedTuple


class Request(NamedTuple):
    at: float  # time.time() when it arrived
    path: str
    body: dict[str, Any]


class WebhookSink:
    """Listens on 127.0.0.1 (a free port, in `port`) until `close()`; `got` lists requests."""

    def __init__(self) -> None:
        got: list[Request] = []
        self.got = got

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                got.append(Request(time.time(), self.path, body))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass  # quiet: the tests and the benchmark print what they need

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def titles(self, path: str = "/") -> list[str]:
        """The titles of the notifications sent to `path`, sorted."""
        return sorted(r.body.get("title", "") for r in self.got if r.path == path)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
