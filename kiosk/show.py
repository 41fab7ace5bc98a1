"""The show file a kiosk runs with, kept inside its database.

`kiosk init --show SHOW.toml` validates the file and stores its text in the database, so one
file carries the kiosk; every command reads it back with `show_config` (a `--config` file or
`KIOSK_CONFIG` overrides it for one run).
"""

from __future__ import annotations

import json
import os
import tomllib
from dataclasses import replace
from pathlib import Path

import sqlite_utils

from kiosk.config import ConfigError, ShowConfig, load_config, parse_config
from kiosk.db import get_meta, set_meta


def store_show(db: sqlite_utils.Database, path: str | os.PathLike[str]) -> ShowConfig:
    """Validate a show TOML file and keep its text in the database."""
    config = load_config(path)
    set_meta(db, "show_toml", Path(path).read_text(encoding="utf-8"))
    set_meta(db, "show_id", config.show_id)
    set_meta(db, "kiosk_id", config.kiosk_id)
    return config


# Where the badge layout the manager confirmed (a `badges.layout` event) is kept.
LEARNED_LAYOUT_KEY = "badges.learned_fields"


def show_config(
    db: sqlite_utils.Database, override: str | os.PathLike[str] | None = None
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


def learned_layout(db: sqlite_utils.Database) -> tuple[str, ...] | None:
    """The badge layout confirmed at the booth, if any (see `kiosk.visits.layout`)."""
    text = get_meta(db, LEARNED_LAYOUT_KEY)
    if not text:
        return None
    try:
        fields = json.loads(text)
    except ValueError:
        return None
    return tuple(str(f) for f in fields) if isinstance(fields, list) and fields else None
