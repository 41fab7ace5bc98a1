"""The show configuration: one TOML file per show, parsed into a typed, frozen record.

Unknown keys are rejected with the key's name, because a misspelt `lapse_day = 30` that is
silently ignored would route visitors wrongly for a whole show.

Settings of the booth screen, in `[kiosk]`:

- `card_seconds` (default 30): how long a visitor's card stays on the reception screen
  before it clears itself back to "ready to scan". The screen faces the aisle, so a card
  should not linger for passers-by to read (a new scan replaces it, Esc clears it at once).
  A whole number of seconds from 5 to 600.
- `idle_lock_seconds` (default 120): a salesperson or the manager left logged in is logged
  out — back to reception — after this long without a key pressed, so the next passer-by
  cannot open private notes. A whole number of seconds from 15 to 3600.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from platformdirs import user_data_dir

from kiosk.errors import KioskError

LANGUAGES = ("en", "zh", "es")
CARD_SECONDS = (5, 600)  # the range `[kiosk] card_seconds` may take
IDLE_LOCK_SECONDS = (15, 3600)  # the range `[kiosk] idle_lock_seconds` may take
DEFAULT_BADGE_FIELDS = ("badge_id", "name", "company", "email", "country", "title", "phone")
# Every name a show's `[badges] fields` may list (the badge parser reads columns by them).
BADGE_FIELD_NAMES = (
    "badge_id", "name", "first_name", "last_name", "company", "email", "country", "title",
    "phone", "city", "ignore",
)  # fmt: skip


class ConfigError(KioskError, ValueError):
    """The show file cannot be used; the message says which key and why."""


@dataclass(frozen=True)
class ShowConfig:
    # [show]
    show_id: str = "show"
    name: str = "Trade show"
    start: date | None = None
    end: date | None = None
    booth: str = ""
    venue: str = ""
    exhibitor: str = ""  # the company at the booth: the ORG of the salespeople's vCard QRs
    timezone: str = "UTC"
    products: tuple[str, ...] = ()
    # [kiosk]
    kiosk_id: str = "kiosk-1"
    language: str = "en"
    checkin_on_scan: bool = True
    scan_gap_ms: int = 50
    manager_pin: str = ""  # older show files only: `kiosk init` keeps it hashed, never as text
    theme: str = "dark"  # "dark" or "light"
    card_seconds: int = 30  # a visitor's card clears itself after this long
    idle_lock_seconds: int = 120  # back to reception after this long without a key
    # [ownership]
    lapse_days: int = 90
    max_split: float = 0.5
    suggested_split: float = 0.3
    precedence: str = "filed"  # "filed" or "first_contact"
    rotation: str = "round-robin"  # "round-robin" or "first"
    # [badges]
    badge_fields: tuple[str, ...] = DEFAULT_BADGE_FIELDS
    # [invitations]
    secret: str = ""
    short_url: str = ""
    # [hub]: the PostgreSQL hub kiosks sync through (never with a password; `kiosk.hub`)
    hub_url: str = ""
    # [notify]: channels per salesperson id, as (id, (channel, …)) pairs (`kiosk.notify`)
    notify_channels: tuple[tuple[str, tuple[str, ...]], ...] = ()
    path: Path | None = field(default=None, compare=False)


_SECTIONS: dict[str, dict[str, str]] = {
    "show": {
        "id": "show_id",
        "name": "name",
        "start": "start",
        "end": "end",
        "booth": "booth",
        "venue": "venue",
        "exhibitor": "exhibitor",
        "timezone": "timezone",
        "products": "products",
    },
    "kiosk": {
        "id": "kiosk_id",
        "language": "language",
        "checkin_on_scan": "checkin_on_scan",
        "scan_gap_ms": "scan_gap_ms",
        "manager_pin": "manager_pin",
        "theme": "theme",
        "card_seconds": "card_seconds",
        "idle_lock_seconds": "idle_lock_seconds",
    },
    "ownership": {
        "lapse_days": "lapse_days",
        "max_split": "max_split",
        "suggested_split": "suggested_split",
        "precedence": "precedence",
        "rotation": "rotation",
    },
    "badges": {"fields": "badge_fields"},
    "invitations": {"secret": "secret", "short_url": "short_url"},
    "hub": {"url": "hub_url"},
    "notify": {"channels": "notify_channels"},
}


def parse_config(data: dict[str, Any], path: Path | None = None) -> ShowConfig:
    """Turn parsed TOML into a ShowConfig, rejecting unknown sections and keys."""
    where = f"{path}: " if path else ""
    values: dict[str, Any] = {}
    for section, body in data.items():
        if section not in _SECTIONS:
            raise ConfigError(f"{where}unknown section [{section}]")
        if not isinstance(body, dict):
            raise ConfigError(f"{where}[{section}] must be a table")
        for key, value in body.items():
            attr = _SECTIONS[section].get(key)
            if attr is None:
                known = ", ".join(sorted(_SECTIONS[section]))
                raise ConfigError(f"{where}unknown key '{key}' in [{section}] (known: {known})")
            values[attr] = value
    for name in ("products", "badge_fields"):
        if name in values:
            values[name] = tuple(str(v) for v in values[name])
    for name in ("start", "end"):
        if name in values and not isinstance(values[name], date):
            try:
                values[name] = date.fromisoformat(str(values[name]))
            except ValueError as exc:
                raise ConfigError(f"{where}[show] {name} must be a date like 2026-11-24") from exc
    if "notify_channels" in values:
        values["notify_channels"] = _channels(values["notify_channels"], where)
    if "hub_url" in values:
        values["hub_url"] = _hub_url(values["hub_url"], where)
    config = ShowConfig(**values, path=path)
    _validate(config, where)
    return config


def _validate(c: ShowConfig, where: str) -> None:
    if c.language not in LANGUAGES:
        raise ConfigError(f"{where}[kiosk] language must be one of {', '.join(LANGUAGES)}")
    if c.theme not in ("dark", "light"):
        raise ConfigError(f"{where}[kiosk] theme must be 'dark' or 'light'")
    if c.precedence not in ("filed", "first_contact"):
        raise ConfigError(f"{where}[ownership] precedence must be 'filed' or 'first_contact'")
    if c.rotation not in ("round-robin", "first"):
        raise ConfigError(f"{where}[ownership] rotation must be 'round-robin' or 'first'")
    if not 0 <= c.max_split <= 0.5:
        raise ConfigError(f"{where}[ownership] max_split must be between 0 and 0.5")
    if not 0 <= c.suggested_split <= c.max_split:
        raise ConfigError(f"{where}[ownership] suggested_split must be between 0 and max_split")
    unknown = [f for f in c.badge_fields if f not in BADGE_FIELD_NAMES]
    if unknown:
        raise ConfigError(
            f"{where}[badges] fields: unknown field(s) {', '.join(unknown)}"
            f" (known: {', '.join(BADGE_FIELD_NAMES)})"
        )
    _check_seconds(c.card_seconds, "card_seconds", CARD_SECONDS, where)
    _check_seconds(c.idle_lock_seconds, "idle_lock_seconds", IDLE_LOCK_SECONDS, where)
    if not isinstance(c.exhibitor, str):
        raise ConfigError(f"{where}[show] exhibitor must be text (the company at the booth)")
    if c.lapse_days < 1:
        raise ConfigError(f"{where}[ownership] lapse_days must be at least 1")


def _check_seconds(value: object, name: str, bounds: tuple[int, int], where: str) -> None:
    """A `[kiosk]` time in whole seconds within `bounds` (TOML's `true` is no number here)."""
    low, high = bounds
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ConfigError(
            f"{where}[kiosk] {name} must be a whole number of seconds from {low} to {high}"
        )


def _channels(value: Any, where: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """`[notify] channels = { ana = ["json://…", "secret:ana-slack"] }` as sorted pairs.

    Which channel URLs may stand in the show file is `kiosk.notify.channels`' call; here
    only the shape is checked."""
    if not isinstance(value, dict):
        raise ConfigError(f"{where}[notify] channels must be a table: salesperson id = [URL, …]")
    pairs = []
    for person, urls in value.items():
        if isinstance(urls, str):
            urls = [urls]
        if not isinstance(urls, list) or not all(isinstance(u, str) and u for u in urls):
            raise ConfigError(f"{where}[notify] channels.{person} must be a list of channel URLs")
        for url in urls:
            if not url.startswith("key:") and (problem := channel_problem(url)):
                raise ConfigError(f"{where}[notify] channels.{person}: {problem}")
        pairs.append((str(person), tuple(urls)))
    return tuple(sorted(pairs))


# Channel URLs a show file may hold: webhooks and ntfy topics carry no token in themselves.
PLAIN_CHANNEL_SCHEMES = ("json", "jsons", "xml", "xmls", "form", "forms", "ntfy", "ntfys")
_SECRET_PARAMS = ("token", "key", "apikey", "api_key", "password", "pass", "secret", "auth")


def channel_problem(url: str) -> str | None:
    """Why an apprise URL may not be written in a show file (it carries a secret), or None.

    Show files are mailed around and committed: a Slack, Teams or Telegram URL *is* its
    token. Those belong in the key file beside the database (`kiosk notify add`) or the
    environment, named here as `key:NAME` (`kiosk.notify.channels`)."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in PLAIN_CHANNEL_SCHEMES:
        return (
            f"a {parts.scheme or '?'}:// channel carries a token: keep it in the key file"
            " ('kiosk notify add') or the environment and write key:NAME here"
        )
    if parts.password or any(k.lower() in _SECRET_PARAMS for k in parse_qs(parts.query)):
        return "this URL holds a password or token: keep it in the key file and write key:NAME"
    return None


def _hub_url(value: Any, where: str) -> str:
    """The hub's address as the show file may hold it: a PostgreSQL URL without a password
    (credentials come from ~/.pgpass or the environment, as libpq reads them)."""
    if not isinstance(value, str):
        raise ConfigError(f"{where}[hub] url must be a string like postgresql://host/db")
    text = value.strip()
    if not text:
        return ""
    parts = urlsplit(text)
    if parts.scheme not in ("postgresql", "postgres"):
        raise ConfigError(f"{where}[hub] url must start with postgresql:// (got {parts.scheme!r})")
    if parts.password or "password=" in parts.query.lower():
        raise ConfigError(
            f"{where}[hub] url must not hold a password: put it in ~/.pgpass (or PGPASSWORD),"
            " where libpq finds it"
        )
    return text


def load_config(path: str | os.PathLike[str] | None) -> ShowConfig:
    """Read a show TOML file; `None` gives the built-in defaults."""
    if path is None:
        return ShowConfig()
    p = Path(path)
    try:
        with p.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError as exc:
        raise ConfigError(f"show file not found: {p}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{p}: not valid TOML: {exc}") from exc
    return parse_config(data, p)


def config_fields() -> list[str]:
    return [f.name for f in fields(ShowConfig)]


def default_db_path() -> Path:
    """Where the kiosk database lives unless `--db` or `KIOSK_DB` says otherwise."""
    env = os.environ.get("KIOSK_DB")
    if env:
        return Path(env)
    return Path(user_data_dir("booth-kiosk", appauthor=False)) / "kiosk.db"
