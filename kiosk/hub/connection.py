"""Where the hub is and how to reach it: the URL's sources, its credentials, one connection.

The hub's URL comes from `--hub`, else `KIOSK_HUB`, else `[hub] url` in the show file
(`resolve_url`). Credentials are libpq's business: a password in the URL given on the
command line or in `KIOSK_HUB` is used for that run only, and `~/.pgpass`, `PGPASSFILE`,
`PGPASSWORD`, `PGSSLMODE` … are read by libpq itself, so TLS options pass through untouched.
Nothing here writes a URL anywhere with its password: `public_url` is the form that may be
shown, logged or stored (`kiosk join` keeps it in the show file).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import conninfo

from kiosk.config import ShowConfig
from kiosk.errors import KioskError

ENV_VAR = "KIOSK_HUB"
# libpq waits this long for a server that does not answer before giving up (seconds), and
# tcp_user_timeout drops a connection whose packets go unacknowledged (a hall's Wi-Fi gone):
# a sync round fails in seconds instead of hanging, and the kiosk shows "offline".
CONNECT_TIMEOUT = 3
TCP_USER_TIMEOUT_MS = 8000


class HubError(KioskError, RuntimeError):
    """The hub cannot be used as asked; the message says why."""


class HubUnreachable(HubError):
    """The hub did not answer (down, unplugged, refused): try again later, lose nothing."""


def resolve_url(
    flag: str | None, config: ShowConfig | None, env: Mapping[str, str] | None = None
) -> str:
    """The hub's URL: `--hub`, else `KIOSK_HUB`, else the show file's `[hub] url`."""
    environ = os.environ if env is None else env
    for value in (flag, environ.get(ENV_VAR), config.hub_url if config else None):
        if value and value.strip():
            return value.strip()
    raise HubError(
        "no hub given: pass --hub postgresql://HOST/DB, set KIOSK_HUB, or put [hub] url in the"
        " show file"
    )


def public_url(url: str) -> str:
    """The URL without its password (and without a password= parameter): safe to show."""
    parts = urlsplit(url)
    if parts.scheme in ("postgresql", "postgres"):
        netloc = parts.netloc
        if parts.password is not None:
            user, _, host = netloc.rpartition("@")
            netloc = f"{user.split(':', 1)[0]}@{host}"
        query = "&".join(
            q for q in parts.query.split("&") if q and not q.lower().startswith("password=")
        )
        return urlunsplit((parts.scheme, netloc, parts.path, query, ""))
    try:  # a key=value connection string
        info = conninfo.conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "(unreadable hub address)"
    info.pop("password", None)
    return conninfo.make_conninfo(**{k: str(v) for k, v in info.items() if v is not None})


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
