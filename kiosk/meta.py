"""The `meta` table: the few named values a kiosk keeps in its database (the schema version,
the show file, notes about its keys).

Below `kiosk.db` on purpose: the schema's migrations (`kiosk.db`) call the show file's and
the invitation key's code (`kiosk.show`, `kiosk.tokens`), which read and write these values;
with them here, none of those modules needs `kiosk.db` back (no import cycle).
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: `kiosk --help` needs no sqlite-utils
    import sqlite_utils


# The invitation key's notes (the key itself is in the key file, `kiosk.keyfile.SECRET_NAME`):
SECRET_META_KEY = "invite_secret"  # where older kiosks kept it (moved out by migration m009)
MADE_META_KEY = "invite_secret.made"  # a key was made for this database: never make another


def connection_of(db: sqlite3.Connection | sqlite_utils.Database) -> sqlite3.Connection:
    """The bare connection under `db`: the kiosk starts on one (`kiosk.db.connect`) and wraps
    it in sqlite-utils' `Database` only after its first frame, so either may come here."""
    return db if isinstance(db, sqlite3.Connection) else db.conn


def get_meta(
    db: sqlite3.Connection | sqlite_utils.Database, key: str, default: str | None = None
) -> str | None:
    row = db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return row[0] if row else default


def set_meta(db: sqlite3.Connection | sqlite_utils.Database, key: str, value: str) -> None:
    db.execute(
        "INSERT INTO meta(key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [key, value],
    )
