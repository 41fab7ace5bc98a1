"""Keys the kiosk must read back, kept out of the database and the show file.

A PIN is only ever compared, so it is stored as a salted hash (`kiosk.pins`). A key that is
*used* — the invitation signing key, a notification URL carrying a token — must be read back
as it was, so hashing is no protection; what protects it is where it lives. Not in the
database: the database travels (merges, backups, copies to the sync laptop) and its rows are
read by every report. Not in the show file: show files are mailed around and committed.

It lives in a key file beside the database, `<database>.keys` (``kiosk.db`` →
``kiosk.db.keys``): JSON, one name → value, created with mode 0600 and refused when anyone
but its owner may read it (as ssh refuses a private key). An environment variable
`KIOSK_<NAME>` (``invite_secret`` → ``KIOSK_INVITE_SECRET``) overrides the file, for a
kiosk whose keys come from the machine's own secret store.

The API, for every module that needs a key (the invitation signer, the notification hub):

- `get(db_path, name)` — the value, or None;
- `put(db_path, name, value)` — store it (atomically, the file stays 0600);
- `remove(db_path, name)` — forget it;
- `names(db_path)` — what the file holds (never the values: for `kiosk keys`);
- `database_file(db)` — the file of an open database, to find its key file;
- `private(path)` / `create_private(path)` — the 0600 mode of every file the kiosk writes.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.errors import KioskError
from kiosk.meta import connection_of

if TYPE_CHECKING:  # annotations only: `kiosk --help` needs no sqlite-utils
    import sqlite_utils

SUFFIX = ".keys"
PRIVATE_MODE = 0o600
SECRET_NAME = "invite_secret"  # the invitation key's name in the key file (env KIOSK_INVITE_SECRET)


class KeyFileError(KioskError, RuntimeError):
    """The key file cannot be used (unreadable, damaged, or readable by others)."""


def key_file(db_path: str | os.PathLike[str]) -> Path:
    """Where the keys of the database at `db_path` live: the same name plus `.keys`."""
    p = Path(db_path)
    return p.with_name(p.name + SUFFIX)


def env_name(name: str) -> str:
    """The environment variable that overrides `name`: ``invite_secret`` → ``KIOSK_INVITE_SECRET``."""
    return "KIOSK_" + re.sub(r"[^A-Za-z0-9]+", "_", name).strip("_").upper()


def database_file(db: sqlite3.Connection | sqlite_utils.Database) -> Path | None:
    """The file of an open database (None for an in-memory one)."""
    row = connection_of(db).execute("PRAGMA database_list").fetchone()
    return Path(row[2]) if row and row[2] else None


def _read(path: Path) -> dict[str, str]:
    try:
        st = path.stat()
    except FileNotFoundError:
        return {}
    if os.name == "posix" and st.st_mode & 0o077:
        raise KeyFileError(
            f"{path} may be read by other users (mode {stat.S_IMODE(st.st_mode):o});"
            f" make it private with: chmod 600 {path}"
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise KeyFileError(f"cannot read the key file {path}: {exc}") from exc
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data.items()
    ):
        raise KeyFileError(f"the key file {path} is damaged (expected names and text values)")
    return data


def get(
    db_path: str | os.PathLike[str] | None,
    name: str,
    *,
    env: Mapping[str, str] | None = None,
) -> str | None:
    """The key `name`: its environment variable if set, else the key file's, else None."""
    value = (os.environ if env is None else env).get(env_name(name), "")
    if value:
        return value
    if db_path is None:
        return None
    return _read(key_file(db_path)).get(name) or None


def names(db_path: str | os.PathLike[str]) -> list[str]:
    """The names the key file holds (values are never listed)."""
    return sorted(_read(key_file(db_path)))


def put(db_path: str | os.PathLike[str], name: str, value: str) -> Path:
    """Store `value` as `name` in the database's key file (created 0600; atomic replace)."""
    path = key_file(db_path)
    data = _read(path)
    data[name] = value
    _write(path, data)
    return path


def remove(db_path: str | os.PathLike[str], name: str) -> bool:
    """Forget `name`; True when it was there."""
    path = key_file(db_path)
    data = _read(path)
    if name not in data:
        return False
    del data[name]
    _write(path, data)
    return True


def _write(path: Path, data: dict[str, str]) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_MODE)
    try:
        os.fchmod(fd, PRIVATE_MODE)  # an old temp file may have had another mode
        os.write(fd, (json.dumps(data, indent=1, sort_keys=True) + "\n").encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)


def create_private(path: str | os.PathLike[str]) -> None:
    """Make an empty file readable by its owner only, unless it exists (then: `private`).

    SQLite gives a new database's -wal and -shm files the mode of the database file, so a
    database created this way stays private with its journal.
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_MODE)
    except FileExistsError:
        return
    os.close(fd)


def private(path: str | os.PathLike[str]) -> None:
    """Mode 0600 on a file the kiosk wrote (a backup, an export): it holds customer data."""
    try:
        os.chmod(path, PRIVATE_MODE)
    except FileNotFoundError:
        pass
