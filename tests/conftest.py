from __future__ import annotations

from pathlib import Path

import pytest

from tests.factory import build_db


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Keep every test away from the real user's kiosk database and show file."""
    monkeypatch.setenv("KIOSK_DB", str(tmp_path / "default-kiosk.db"))
    monkeypatch.delenv("KIOSK_CONFIG", raising=False)


@pytest.fixture
def db(tmp_path: Path):
    return build_db(tmp_path / "kiosk.db")
