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
  refused when others may read it) or in the environment, `KIOSK_<NAME>` — the same file
  and names as `kiosk.keyfile` of issue 12.

A channel has a *label* that is safe to show and store (the outbox keeps it, never the URL):
the plain URL itself, `key:NAME`, or `profile:ID#N`.
"""

from __future__ import annotations

import json
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from kiosk.config import ShowConfig, channel_problem
from kiosk.errors import KioskError

KEYS_SUFFIX = ".keys"


class ChannelError(KioskError, ValueError):
    """A channel cannot be used as written; the message says which and why."""


@dataclass(frozen=True)
class Channel:
    label: str  # safe to show and store
    url: str  # may hold a secret: only ever handed to apprise


def plain_url_problem(url: str) -> str | None:
    """Why `url` may not be written in a show file, or None when it may."""
    return channel_problem(url)


def key_file(db_path: str | os.PathLike[str]) -> Path:
    p = Path(db_path)
    return p.with_name(p.name + KEYS_SUFFIX)


def env_name(name: str) -> str:
    return "KIOSK_" + re.sub(r"[^A-Za-z0-9]+", "_", name).strip("_").upper()


def read_keys(db_path: str | os.PathLike[str] | None) -> dict[str, str]:
    """The key file's names and values ({} when there is none)."""
    if db_path is None:
        return {}
    path = key_file(db_path)
    try:
        st = path.stat()
    except FileNotFoundError:
        return {}
    if os.name == "posix" and st.st_mode & 0o077:
        raise ChannelError(
            f"{path} may be read by other users (mode {stat.S_IMODE(st.st_mode):o});"
            f" make it private with: chmod 600 {path}"
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ChannelError(f"cannot read the key file {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise ChannelError(f"the key file {path} is damaged (expected names and text values)")
    return {str(k): str(v) for k, v in data.items()}


def write_key(db_path: str | os.PathLike[str], name: str, value: str) -> Path:
    """Store `name` in the key file, created 0600 and replaced atomically."""
    path = key_file(db_path)
    data = read_keys(db_path)
    data[name] = value
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=2, sort_keys=True)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    return path


def _secret(name: str, keys: dict[str, str], env: dict[str, str]) -> str | None:
    return env.get(env_name(name)) or keys.get(name)


def channels_for(
    person: str,
    config: ShowConfig,
    db_path: str | os.PathLike[str] | None,
    env: dict[str, str] | None = None,
) -> list[Channel]:
    """Every channel of one salesperson: the show file's, then their profile's."""
    environ = dict(os.environ) if env is None else env
    keys = read_keys(db_path)
    found: list[Channel] = []
    for who, entries in config.notify_channels:
        if who != person:
            continue
        for entry in entries:
            if entry.startswith("key:"):
                url = _secret(entry[4:], keys, environ)
                if url:
                    found.append(Channel(entry, url))
            elif plain_url_problem(entry) is None:
                found.append(Channel(entry, entry))
    profile = _secret(f"notify.{person}", keys, environ) or ""
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
