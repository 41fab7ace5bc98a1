"""Where a salesperson's notifications go: apprise URLs, and where the secret ones live.

A channel is one apprise URL (`mailto://…`, `slack://…`, `msteams://…`, `tgram://…`,
`dingtalk://…`, `wecombot://…`, `ntfy://…`, `json://host:port/path` …). Most carry a token,
and a token is a secret: it must not sit in the kiosk database (which travels: merges,
backups, the sync laptop) nor in the show file (mailed around, committed). So:

- the **show file** may name channels per salesperson, `[notify] channels = { ana =
  ["json://10.0.0.5:8080/booth", "key:ana_slack"] }`, but a URL written there must carry no
  secret: only the schemes in `kiosk.config.PLAIN_CHANNEL_SCHEMES`, without a password or token parameter.
  `key:NAME` points at a secret kept elsewhere;
- the **salesperson's profile** is the key file entry `notify.<id>` (one URL a line), which
  `kiosk notify add ID` writes from standard input;
- secrets live in the **key file** beside the database, `<database>.keys` (JSON, mode 0600,
  refused when others may read it) or in the environment, `KIOSK_<NAME>`: `kiosk.keyfile`,
  the same store as the invitation key.

A channel has a *label* that is safe to show and store (the outbox keeps it, never the URL):
the plain URL itself, `key:NAME`, or `profile:ID#N`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from kiosk import keyfile
from kiosk.config import ShowConfig, channel_problem
from kiosk.errors import KioskError


class ChannelError(KioskError, ValueError):
    """A channel cannot be used as written; the message says which and why."""


@dataclass(frozen=True)
class Channel:
    label: str  # safe to show and store
    url: str  # may hold a secret: only ever handed to apprise


def plain_url_problem(url: str) -> str | None:
    """Why `url` may not be written in a show file, or None when it may."""
    return channel_problem(url)


def read_key(db_path: str | os.PathLike[str] | None, name: str, env: dict[str, str]) -> str:
    """A secret: `KIOSK_<NAME>` in the environment, else the key file's (`kiosk.keyfile`)."""
    try:
        return keyfile.get(db_path, name, env=env) or ""
    except keyfile.KeyFileError as exc:
        raise ChannelError(str(exc)) from None


def add_to_profile(db_path: str | os.PathLike[str], person: str, urls: list[str]) -> Path:
    """Append channel URLs to a salesperson's profile in the key file (0600)."""
    name = f"notify.{person}"
    old = [u for u in (keyfile.get(db_path, name, env={}) or "").splitlines() if u.strip()]
    return keyfile.put(db_path, name, "\n".join(dict.fromkeys([*old, *urls])))


def channels_for(
    person: str,
    config: ShowConfig,
    db_path: str | os.PathLike[str] | None,
    env: dict[str, str] | None = None,
) -> list[Channel]:
    """Every channel of one salesperson: the show file's, then their profile's."""
    environ = dict(os.environ) if env is None else env
    found: list[Channel] = []
    for who, entries in config.notify_channels:
        if who != person:
            continue
        for entry in entries:
            if entry.startswith("key:"):
                url = read_key(db_path, entry[4:], environ)
                if url:
                    found.append(Channel(entry, url))
            elif plain_url_problem(entry) is None:
                found.append(Channel(entry, entry))
    profile = read_key(db_path, f"notify.{person}", environ)
    for n, url in enumerate(u.strip() for u in profile.splitlines()):
        if url:
            found.append(Channel(f"profile:{person}#{n + 1}", url))
    return found


def resolve(
    label: str,
    person: str,
    config: ShowConfig,
    db_path: str | os.PathLike[str] | None,
    env: dict[str, str] | None = None,
) -> Channel | None:
    """The channel an outbox item names, as it is configured now (None: gone since)."""
    for channel in channels_for(person, config, db_path, env):
        if channel.label == label:
            return channel
    return None
