"""How to reach the hub: its credentials, one connection, the one-line error when it is away.

Where the hub is (`--hub`, `KIOSK_HUB`, `[hub] url`) is `kiosk.hub.url`, re-exported here.
Credentials are libpq's business: a password in the URL given on the
command line or in `KIOSK_HUB` is used for that run only, and `~/.pgpass`, `PGPASSFILE`,
`PGPASSWORD`, `PGSSLMODE` … are read by libpq itself, so TLS options pass through untouched.
Nothing here writes a URL anywhere with its password: `public_url` is the form that may be
shown, logged or stored (`kiosk join` keeps it in the show file).
"""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg import conninfo

from kiosk.hub.url import ENV_VAR, HubError, HubUnreachable, public_url, resolve_url

# libpq waits this long for a server that does not answer before giving up (seconds), and
# tcp_user_timeout drops a connection whose packets go unacknowledged (a hall's Wi-Fi gone):
# a sync round fails in seconds instead of hanging, and the kiosk shows "offline".
CONNECT_TIMEOUT = 3
TCP_USER_TIMEOUT_MS = 8000
# libpq's keepalives find a hub that vanished while this side only waits for an answer
# (no data unacknowledged, so `tcp_user_timeout` never fires): about 25 s.
CLIENT_KEEPALIVES = {"keepalives": 1, "keepalives_idle": 10, "keepalives_interval": 5,
                     "keepalives_count": 3}  # fmt: skip
# The hub's side of a kiosk that vanished mid-round — a laptop's lid closed inside a push:
# its transaction holds the show's push lock (`kiosk.hub.sync.push`), and every other
# kiosk's push waited behind it until the server noticed the dead peer, two hours with
# Linux's default keepalive. The server now ends such a session after this long idle in
# its transaction (a round's statements follow each other within milliseconds; a baseline
# publish encodes a page of rows between two), or once its keepalive probes (30 s idle, 3
# probes 10 s apart) go unanswered in the middle of a statement (a COPY waiting for rows).
IDLE_IN_TRANSACTION_MS = 60_000
SERVER_SETTINGS = (
    "-c tcp_keepalives_idle=30 -c tcp_keepalives_interval=10 -c tcp_keepalives_count=3"
)


def _options(url: str) -> dict[str, Any]:
    try:
        info = conninfo.conninfo_to_dict(url)
    except psycopg.ProgrammingError as exc:
        raise HubError(f"not a PostgreSQL address: {public_url(url)} ({exc})") from None
    extra: dict[str, Any] = {}
    if "connect_timeout" not in info:
        extra["connect_timeout"] = CONNECT_TIMEOUT
    if "tcp_user_timeout" not in info:
        extra["tcp_user_timeout"] = TCP_USER_TIMEOUT_MS
    extra.setdefault("application_name", "kiosk")
    for key, value in CLIENT_KEEPALIVES.items():
        if key not in info:
            extra[key] = value
    ours = f"-c idle_in_transaction_session_timeout={IDLE_IN_TRANSACTION_MS} {SERVER_SETTINGS}"
    # the URL's own `options` come after ours, so a site's setting wins
    extra["options"] = f"{ours} {info['options']}" if info.get("options") else ours
    return extra


def connect(url: str, *, autocommit: bool = True) -> psycopg.Connection[Any]:
    """A connection to the hub, or HubUnreachable in one line (never a traceback).

    In autocommit mode, so that a read holds nothing open and every `conn.transaction()`
    block is a real transaction that commits when the block ends."""
    try:
        return psycopg.connect(url, autocommit=autocommit, **_options(url))
    except psycopg.OperationalError as exc:
        raise unreachable(url, exc) from None


def unreachable(url: str, exc: BaseException) -> HubUnreachable:
    """The one-line error for a hub that stopped answering (connecting or mid-round)."""
    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return HubUnreachable(f"cannot reach the hub at {public_url(url)}: {first}")


__all__ = [
    "ENV_VAR",
    "HubError",
    "HubUnreachable",
    "connect",
    "public_url",
    "resolve_url",
    "unreachable",
]
