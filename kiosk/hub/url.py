"""Where the hub is: the URL's sources and the form of it that may be shown.

The hub's URL comes from `--hub`, else `KIOSK_HUB`, else `[hub] url` in the show file
(`resolve_url`). `public_url` is the URL without its password: the form that may be shown,
logged or stored (`kiosk join` keeps it in the show file). The errors every hub command
may say are here too.

Kept apart from `kiosk.hub.connection` so that what only needs a URL — `kiosk --help`, the
CLI's hub commands before they connect, the booth screen before its first frame — does not
load the PostgreSQL driver (~126 ms, measured).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from urllib.parse import urlsplit, urlunsplit

from kiosk.config import ShowConfig
from kiosk.errors import KioskError

ENV_VAR = "KIOSK_HUB"


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
    # measured start-up cost: psycopg (~126 ms), first needed here (a key=value string is rare)
    import psycopg
    from psycopg import conninfo

    try:  # a key=value connection string
        info = conninfo.conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "(unreadable hub address)"
    info.pop("password", None)
    return conninfo.make_conninfo(**{k: str(v) for k, v in info.items() if v is not None})
