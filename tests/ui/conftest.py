from __future__ import annotations

import asyncio
import inspect

import pytest

from tests.factory import CONFIG, NOW


@pytest.fixture
def booth_db(db):
    """The app's database: the shared `db` fixture (a copy of the session's template)."""
    return db


@pytest.fixture
def make_app(booth_db):
    """Build the app exactly as the CLI does, with a fixed clock and no warm-up thread."""
    from kiosk.ui.factory import build_app

    def make(**options):
        options.setdefault("now", lambda: NOW)
        options.setdefault("card_timeout", None)
        options.setdefault("warm_up", False)
        app = build_app(booth_db, options.pop("config", CONFIG), **options)
        keep_every_toast(app)
        return app

    return make


def keep_every_toast(app) -> None:
    """Record every notification the app raises, in `app.toast_log`.

    Textual drops a toast when its timeout passes; on a loaded machine a test can reach its
    assertion after that, and would fail for a message the person did see."""
    log: list[str] = []
    show = app.notify

    def notify(message, *args, **kwargs):
        log.append(str(message))
        return show(message, *args, **kwargs)

    app.notify = notify
    app.toast_log = log


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    """Run `async def` tests with asyncio.run: Pilot needs nothing more than a loop."""
    if inspect.iscoroutinefunction(pyfuncitem.obj):
        wanted = inspect.signature(pyfuncitem.obj).parameters
        asyncio.run(pyfuncitem.obj(**{n: pyfuncitem.funcargs[n] for n in wanted}))
        return True
    return None
