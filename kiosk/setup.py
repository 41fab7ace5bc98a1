"""Creating a kiosk database and finding its show configuration.

The show TOML is copied into the database at `kiosk init`, so a kiosk file carries its own
configuration: copying one file to another laptop (or to the sync machine) is enough.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import sqlite_utils

from kiosk.config import ConfigError, ShowConfig, load_config, parse_config
from kiosk.db import get_meta, open_db, set_meta

DEMO_DIR = Path(__file__).resolve().parent.parent / "data" / "demo"


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


def init_db(
    path: str | os.PathLike[str],
    *,
    config_path: str | os.PathLike[str] | None = None,
    demo: bool = False,
) -> tuple[sqlite_utils.Database, dict[str, object]]:
    """Create or migrate a kiosk database; with `demo`, load the demo company (idempotent).

    Returns the database and a summary of what was loaded.
    """
    db = open_db(path)
    summary: dict[str, object] = {}
    if demo:
        from kiosk.sync.imports import import_csv

        config_path = config_path or DEMO_DIR / "show.toml"
        store_show(db, config_path)
        for kind in ("salespeople", "territories", "contacts"):
            report = import_csv(db, kind, DEMO_DIR / f"{kind}.csv", fmt="generic")
            summary[kind] = report.summary()
    elif config_path:
        store_show(db, config_path)
    return db, summary
