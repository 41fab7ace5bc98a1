"""A real PostgreSQL server for the hub's tests: one per test session (per xdist worker).

It is started from PostgreSQL's own binaries as the `postgres` system user (initdb refuses
root) in a temporary folder, on a free loopback port, with password authentication over
TCP; the password sits in that folder's 0600 pgpass file, which each test points libpq at
through PGPASSFILE — as a booth's laptops would. ./scripts/test installs the Debian package
`postgresql` when it is missing, so CI never skips these tests. Each test gets a database of
its own with the hub's tables.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.db import open_db, set_meta
from kiosk.hub.schema import init_hub
from tests.factory import SHOW

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
from pg_local import LocalPostgres  # noqa: E402


@pytest.fixture(scope="session")
def pg_server() -> Iterator[LocalPostgres]:
    folder = Path(tempfile.mkdtemp(prefix="kiosk-test-pg-"))
    server = LocalPostgres(folder)
    server.start()
    try:
        yield server
    finally:
        server.remove()


@pytest.fixture
def pg(pg_server: LocalPostgres, monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalPostgres]:
    """The session's server, with libpq pointed at its password file, running again at the
    end even if the test stopped it."""
    monkeypatch.setenv("PGPASSFILE", str(pg_server.pgpass))
    monkeypatch.delenv("KIOSK_HUB", raising=False)
    yield pg_server
    if not pg_server.running():
        pg_server.start()


@pytest.fixture
def hub_url(pg: LocalPostgres) -> str:
    """A fresh database with the hub's tables (`kiosk hub init`)."""
    url = pg.create_database(f"hub_{uuid.uuid4().hex[:12]}")
    init_hub(url)
    return url


def kiosk_file(template: Path, folder: Path, kiosk_id: str) -> Path:
    """A copy of the test company's database as kiosk `kiosk_id`, with the show file."""
    path = folder / f"{kiosk_id}.db"
    shutil.copyfile(template, path)
    db = open_db(path, create=False)
    set_meta(db, "show_toml", SHOW.replace('id = "kiosk-a"', f'id = "{kiosk_id}"'))
    set_meta(db, "kiosk_id", kiosk_id)
    db.conn.close()
    return path


# The tables two kiosks must agree on once they have synced (or merged) the same events.
CONVERGED_TABLES = ("contacts", "contact_badges", "contact_aliases", "checkins", "leads",
                    "proposals", "salespeople")  # fmt: skip


def snapshot(path: Path) -> dict[str, list]:
    """Every row of the converged tables in a kiosk file, in an order that does not depend on
    the order events were applied in: two snapshots are equal when the kiosks agree."""
    db = open_db(path, create=False)
    try:
        return {
            t: sorted(db.execute(f"SELECT * FROM {t}").fetchall(), key=repr)
            for t in CONVERGED_TABLES
        }
    finally:
        db.conn.close()
