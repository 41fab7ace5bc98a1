from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.show import store_show
from tests.cli.common import SHOW
from tests.factory import build_db


@pytest.fixture
def dbpath(tmp_path: Path) -> Path:
    """The test company in a real kiosk database, with the shared show file stored in it."""
    show = tmp_path / "show.toml"
    show.write_text(SHOW, encoding="utf-8")
    path = tmp_path / "kiosk.db"
    db = build_db(path)
    store_show(db, show)
    db.conn.close()
    return path
