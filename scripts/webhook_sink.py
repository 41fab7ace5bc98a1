"""A JSON webhook on a loopback port that keeps every request it is sent.

Stands in for a salesperson's notification channel (apprise's `json://127.0.0.1:PORT/PATH`)
in the hub tests and in `scripts/bench_hub.py`: they count deliveries per arrival and, for the
benchmark, when each arrived. Each request is kept with its arrival time (the benchmark's own
wall clock), its path (one path per salesperson) and its JSON body.

Run on its own, it listens on a port you choose and prints one line per notification, for
trying the booth by hand (docs/hub.md, "Two kiosks in tmux"):

    python scripts/webhook_sink.py --port 8765      # then: json://127.0.0.1:8765/kenji
"""

from __future__ import annotations

import argparse
import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, NamedTuple


class Request(NamedTuple):
    at: float  # time.time() when it arrived
    path: str
    body: dict[str, Any]


class _Server(ThreadingHTTPServer):
    # socketserver's listen backlog is 5. Ten benchmark kiosks sending side by side in the
    # first minute's burst overflowed it (the kernel's ListenDrops counter rose): a dropped
    # connection is retried by TCP after 1 s, which showed as a 1 s apprise call at p95 and
    # as passes held up behind it — the receiver's limit, not the kiosks'.
    request_queue_size = 1024


class WebhookSink:
    """Listens on 127.0.0.1 (a free port, in `port`) until `close()`; `got` lists requests."""

    def __init__(self, port: int = 0, on_request: Callable[[Request], None] | None = None) -> None:
        got: list[Request] = []
        self.got = got

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                request = Request(time.time(), self.path, body)
                got.append(request)
                if on_request is not None:
                    on_request(request)
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass  # quiet: the tests and the benchmark print what they need

        self.server = _Server(("127.0.0.1", port), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def titles(self, path: str = "/") -> list[str]:
        """The titles of the notifications sent to `path`, sorted."""
        return sorted(r.body.get("title", "") for r in self.got if r.path == path)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def main() -> None:
    ap = argparse.ArgumentParser(description="A loopback JSON webhook that prints what it gets.")
    ap.add_argument("--port", type=int, default=8765)
    args = ap.parse_args()

    def show(r: Request) -> None:
        at = time.strftime("%H:%M:%S", time.localtime(r.at)) + f".{int(r.at * 1000) % 1000:03d}"
        print(f"{at}  {r.path}  {r.body.get('title', '')}", flush=True)

    sink = WebhookSink(args.port, on_request=show)
    print(f"listening on json://127.0.0.1:{sink.port}/  (Ctrl+C stops)", flush=True)
    try:
        sink.thread.join()
    except KeyboardInterrupt:
        sink.close()


if __name__ == "__main__":
    main()
