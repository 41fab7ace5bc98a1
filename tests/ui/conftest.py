from __future__ import annotations

import asyncio
import inspect
from pathlib import Path

import pytest

from tests.factory import CONFIG, NOW, build_db


@pytest.fixture
def booth_db(tmp_path: Path):
    return build_db(tmp_path / "kiosk.db")


@pytest.fixture
def make_app(booth_db):
    """Build the app exactly as the CLI does, with a fixed clock and no warm-up thread."""
    from kiosk.ui.factory import build_app

    def make(**options):
        options.setdefault("now", lambda: NOW)
        options.setdefault("card_timeout", None)
        options.setdefault("warm_up", False)
        return build_app(booth_db, options.pop("config", CONFIG), **options)

    return make


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    """Run `async def` tests with asyncio.run: Pilot needs nothing more than a loop."""
    if inspect.iscoroutinefunction(pyfuncitem.obj):
        names = pyfuncitem._fixtureinfo.argnames
        asyncio.run(pyfuncitem.obj(**{n: pyfuncitem.funcargs[n] for n in names}))
        return True
    return None
