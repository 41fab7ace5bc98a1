"""The show file a kiosk runs with, kept inside its database.

`kiosk init --show SHOW.toml` validates the file and stores its text in the database, so one
file carries the kiosk; every command reads it back with `show_config` (a `--config` file or
`KIOSK_CONFIG` overrides it for one run).
"""

from __future__ import annotations

import os
import tomllib
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


def show_config(
    db: sqlite_utils.Database, override: str | os.PathLike[str] | None = None
) -> ShowConfig:
    """The configuration in force: `--config`/`KIOSK_CONFIG` if given, else the stored show."""
    override = override or os.environ.get("KIOSK_CONFIG")
    if override:
        return load_config(override)
    text = get_meta(db, "show_toml")
    if not text:
        return ShowConfig()
    try:
        return parse_config(tomllib.loads(text))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f"the show configuration stored in the database is damaged: {exc}"
        ) from exc
