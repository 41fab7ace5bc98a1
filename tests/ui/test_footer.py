"""The footer lets go of the key widgets it replaced (`kiosk.ui.widgets.footer`).

Textual's footer rebuilds its keys whenever they change and kept every replaced key alive
(tied to its `compact` setting): thousands of dead widgets after a day of scans, and full
garbage collections of up to a second on the UI thread at a million contacts. Counted here
as objects, never timed.
"""

from __future__ import annotations

import gc
import weakref

from textual.widgets._footer import FooterKey

from kiosk.ui.widgets.footer import KioskFooter
from tests.ui.helpers import SIZE, settle
from tests.ui.keys import scan


def live_keys() -> list[FooterKey]:
    gc.collect()
    return [o for o in gc.get_objects() if isinstance(o, FooterKey)]


async def test_unchanged_keys_are_not_rebuilt(make_app):
    """Textual asks the footer to rebuild on every focus change and binding refresh; with
    the same keys it keeps the widgets it has."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        scan(app, "B-100")  # the footer lists keys once the app has had a key
        await settle(pilot)
        footer = app.screen.query_one(KioskFooter)
        before = list(footer.query(FooterKey))
        assert before
        for _ in range(3):
            app.screen.refresh_bindings()  # what Textual does when keys may have changed
            await settle(pilot)
        assert list(footer.query(FooterKey)) == before  # the very same widgets


async def test_rebuilt_keys_leave_no_widget_behind(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        scan(app, "B-100")
        await settle(pilot)
        footer = app.screen.query_one(KioskFooter)
        before = list(footer.query(FooterKey))
        replaced = [weakref.ref(key) for key in before]
        labels = [str(key.description) for key in before]
        del before
        app.set_language("es")  # every key's description changes: the keys are rebuilt
        await settle(pilot)
        now = list(footer.query(FooterKey))
        assert len(now) == len(replaced)
        assert [str(key.description) for key in now] != labels
        gc.collect()
        assert [r() for r in replaced if r() is not None] == []


async def test_a_day_of_scans_keeps_only_the_keys_on_screen(make_app):
    """Cards with other keys (a known visitor, a walk-in, nobody) rebuild the footer."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        payloads = ["B-100", "MECARD:N:Visitor,New;EMAIL:new@visitor.example;;", "Qzxv Wplk"]
        for payload in payloads * 4:
            scan(app, payload)
            await settle(pilot)
        assert app.screen.visit is not None
        on_screen = [k for k in live_keys() if k.is_attached]
        assert len(live_keys()) == len(on_screen)
