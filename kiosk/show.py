"""The show file a kiosk runs with, kept inside its database.

`kiosk init --show SHOW.toml` validates the file and stores its text in the database, so one
file carries the kiosk; every command reads it back with `show_config` (a `--config` file or
`KIOSK_CONFIG` overrides it for one run).
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk import keyfile, pins
from kiosk.config import ConfigError, ShowConfig, load_config, parse_config
from kiosk.keyfile import SECRET_NAME
from kiosk.meta import MADE_META_KEY, SECRET_META_KEY, get_meta, set_meta

if TYPE_CHECKING:
    import sqlite3

    import sqlite_utils


def store_show(
    db: sqlite_utils.Database, path: str | os.PathLike[str], *, now: datetime | None = None
) -> ShowConfig:
    """Validate a show TOML file and keep its text in the database — without its keys: a
    `manager_pin` is kept hashed and an `[invitations] secret` in the key file beside the
    database (`move_keys_out`)."""
    config = load_config(path)
    set_meta(db, "show_toml", Path(path).read_text(encoding="utf-8"))
    set_meta(db, "show_id", config.show_id)
    set_meta(db, "kiosk_id", config.kiosk_id)
    move_keys_out(db, now=now)
    return config


# A kiosk id as `kiosk init --kiosk-id` takes it: short, one word, safe in a file name and
# on a terminal (other kiosks' ids arrive in events and are shown escaped all the same).
_KIOSK_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_HEAD = re.compile(r"^\s*\[([^\]]+)\]\s*(?:#.*)?$", re.M)


def set_toml_key(text: str, section: str, key: str, value: str) -> str:
    """TOML text with `key = value` (value already TOML) in `[section]`: replaced where it
    is, else added first in the section, else in a new section at the end."""
    heads = list(_HEAD.finditer(text))
    for i, head in enumerate(heads):
        if head.group(1).strip() != section:
            continue
        end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
        body = text[head.end() : end]
        line = re.compile(rf"^(\s*{re.escape(key)}\s*=).*$", re.M)
        if line.search(body):
            body = line.sub(lambda m: f"{m.group(1)} {value}", body, count=1)
        else:
            body = f"\n{key} = {value}" + body
        return text[: head.end()] + body + text[end:]
    return text.rstrip("\n") + f"\n\n[{section}]\n{key} = {value}\n"


def check_kiosk_id(kiosk_id: str) -> None:
    """Refuse a kiosk id that is not one short word (before anything is written)."""
    if not _KIOSK_ID.fullmatch(kiosk_id):
        raise ConfigError(
            f"a kiosk id is 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or"
            f" digit (e.g. kiosk-2, hall9-east), not {kiosk_id!r}"
        )


def rename_kiosk(db: sqlite_utils.Database, kiosk_id: str) -> ShowConfig:
    """Give this laptop another kiosk id (`kiosk init --kiosk-id`): in the stored show file,
    which every command reads it from. Events already written keep the id they were written
    under (the log is append-only); the new ones carry this one."""
    check_kiosk_id(kiosk_id)
    text = get_meta(db, "show_toml")
    if not text:
        raise ConfigError(
            "this database has no show file yet: give it one with --show SHOW.toml (or --demo)"
            " together with --kiosk-id"
        )
    text = set_toml_key(text, "kiosk", "id", json.dumps(kiosk_id))
    config = parse_config(tomllib.loads(text))
    set_meta(db, "show_toml", text)
    set_meta(db, "kiosk_id", config.kiosk_id)
    return config


# Lines of a show file that hold a key, by section (the value on one line, as TOML writes it).
_KEY_LINES = {"kiosk": "manager_pin", "invitations": "secret"}
_SECTION = re.compile(r"^\s*\[([^\]]+)\]\s*(?:#.*)?$")
DEMO_SHOW = Path(__file__).resolve().parent.parent / "data" / "demo" / "show.toml"
DEMO_META_KEY = "demo"  # "1" in a database made by `kiosk init --demo`


def is_demo(db: sqlite3.Connection | sqlite_utils.Database) -> bool:
    """A database made by `kiosk init --demo`: the only one allowed the published keys."""
    return get_meta(db, DEMO_META_KEY) == "1"


def demo_secret() -> str:
    """The demo's invitation key: published in the repository, so fit for the demo only."""
    return load_config(DEMO_SHOW).secret


def without_keys(text: str) -> str:
    """The show file's text with its `manager_pin` and `[invitations] secret` lines removed."""
    out, section = [], ""
    for line in text.splitlines(keepends=True):
        m = _SECTION.match(line)
        if m:
            section = m.group(1).strip()
        key = _KEY_LINES.get(section)
        if key and re.match(rf"^\s*{key}\s*=", line):
            continue
        out.append(line)
    return "".join(out)


def move_keys_out(db: sqlite_utils.Database, *, now: datetime | None = None) -> list[str]:
    """Take the keys out of the stored show file and the `meta` table (older kiosks kept
    them there): the manager PIN hashed (`kiosk.pins.MANAGER_DEFAULT`), the invitation key
    into the key file beside the database. Returns what moved, for the person to read."""
    moved: list[str] = []
    text = get_meta(db, "show_toml") or ""
    try:
        stored = parse_config(tomllib.loads(text)) if text else ShowConfig()
    except (tomllib.TOMLDecodeError, ConfigError):
        return moved
    secret = stored.secret or get_meta(db, SECRET_META_KEY) or ""
    if secret:
        path = keyfile.database_file(db)
        if path is None:
            return moved  # an in-memory database: nowhere else to keep it
        if secret == demo_secret():
            set_meta(db, DEMO_META_KEY, "1")
        if keyfile.get(path, SECRET_NAME, env={}) != secret:
            keyfile.put(path, SECRET_NAME, secret)
            moved.append(f"the invitation key to {keyfile.key_file(path)}")
        set_meta(db, MADE_META_KEY, keyfile.key_file(path).name)
        db.execute("DELETE FROM meta WHERE key = ?", [SECRET_META_KEY])
    if stored.manager_pin:
        pins.ensure_schema(db)
        try:
            pins.set_pin(db, pins.MANAGER_DEFAULT, stored.manager_pin, now=now, allow_weak=True)
            moved.append("the manager PIN (hashed)")
        except pins.PinError:
            moved.append("nothing of the manager PIN (not 4 to 12 digits: set one)")
    if stored.secret or stored.manager_pin:
        set_meta(db, "show_toml", without_keys(text))
    return moved


# Where the badge layout the manager confirmed (a `badges.layout` event) is kept.
LEARNED_LAYOUT_KEY = "badges.learned_fields"


def show_config(
    db: sqlite3.Connection | sqlite_utils.Database, override: str | os.PathLike[str] | None = None
) -> ShowConfig:
    """The configuration in force: `--config`/`KIOSK_CONFIG` if given, else the stored show,
    with the badge layout the manager confirmed at the booth (it is newer than any file)."""
    override = override or os.environ.get("KIOSK_CONFIG")
    if override:
        config = load_config(override)
    elif text := get_meta(db, "show_toml"):
        try:
            config = parse_config(tomllib.loads(text))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(
                f"the show configuration stored in the database is damaged: {exc}"
            ) from exc
    else:
        config = ShowConfig()
    learned = learned_layout(db)
    return replace(config, badge_fields=learned) if learned else config


def learned_layout(db: sqlite3.Connection | sqlite_utils.Database) -> tuple[str, ...] | None:
    """The badge layout confirmed at the booth, if any (see `kiosk.visits.layout`)."""
    text = get_meta(db, LEARNED_LAYOUT_KEY)
    if not text:
        return None
    try:
        fields = json.loads(text)
    except ValueError:
        return None
    return tuple(str(f) for f in fields) if isinstance(fields, list) and fields else None
