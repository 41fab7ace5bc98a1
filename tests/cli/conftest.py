from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.db import open_db
from kiosk.show import store_show
from tests.factory import SHOW


@pytest.fixture
def dbpath(db_path: Path, tmp_path: Path) -> Path:
    """The test company's database file with the shared show file stored in it."""
    show = tmp_path / "show.toml"
    show.write_text(SHOW, encoding="utf-8")
    db = open_db(db_path, create=False)
    store_show(db, show)
    db.conn.close()
    return db_path
