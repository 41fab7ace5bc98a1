"""The kiosk's connections run only the kiosk's own SQL: no sqlite-utils plugin is asked to
prepare them (a plugin installed beside the kiosk could register functions or change the
connection, and finding plugins reads every installed package's metadata at start-up)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlite_utils
from sqlite_utils.plugins import pm

from kiosk.db import open_db
from kiosk.sync.merge import open_readonly


class _Plugin:
    """A plugin as an installed package would add one: it registers a SQL function."""

    prepared: list[sqlite3.Connection] = []

    @sqlite_utils.hookimpl
    def prepare_connection(self, conn: sqlite3.Connection) -> None:
        self.prepared.append(conn)
        conn.create_function("from_a_plugin", 0, lambda: 1)


@pytest.fixture
def plugin():
    p = _Plugin()
    p.prepared = []
    pm.register(p, name="kiosk-test-plugin")
    yield p
    pm.unregister(name="kiosk-test-plugin")


def test_no_plugin_prepares_the_kiosks_connection(plugin, db_path: Path):
    # the plugin works where sqlite-utils runs plugins: the test itself is sound
    other = sqlite_utils.Database(sqlite3.connect(":memory:"))
    assert other.execute("SELECT from_a_plugin()").fetchone() == (1,)
    plugin.prepared.clear()
    db = open_db(db_path, create=False)
    with pytest.raises(sqlite3.OperationalError, match="no such function"):
        db.execute("SELECT from_a_plugin()")
    source = open_readonly(db_path)  # another kiosk's file, opened to merge it
    with pytest.raises(sqlite3.OperationalError, match="no such function"):
        source.execute("SELECT from_a_plugin()")
    assert plugin.prepared == []
    assert db.execute("SELECT count(*) FROM contacts").fetchone()[0] > 0
