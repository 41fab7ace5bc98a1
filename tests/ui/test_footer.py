"""The footer keeps its key widgets from card to card and lets go of the ones it replaced
(`kiosk.ui.widgets.footer`).

Textual's footer rebuilds its keys whenever they change and kept every replaced key alive
(tied to its `compact` setting): thousands of dead widgets after a day of scans, and full
garbage collections of up to a second on the UI thread at a million contacts. Counted here
as objects, never timed.
"""

from __future__ import annotations

import gc
import weakref

from textual.widgets._footer import FooterKey

from kiosk.ui.screens.scan import ScanScreen
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


def keys_by_action(screen) -> dict[str, FooterKey]:
    return {key.action: key for key in screen.query_one(KioskFooter).query(FooterKey)}


async def test_cards_dim_keys_in_place_and_never_rebuild_the_footer(make_app):
    """Reception's keys stay put from visitor to visitor: F6 dims on a card with nobody to
    receive (it used to vanish, and the footer rebuilt every key widget for it)."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        scan(app, "B-200")  # José Martínez, Ana's customer: F6 receives him
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ScanScreen)
        keys = keys_by_action(screen)
        assert {"clear", "receive", "check_in"} <= set(keys)
        assert not keys["receive"].has_class("-disabled")
        widgets = [weakref.ref(key) for key in keys.values()]
        for payload, receive in (
            ("Qzxv Wplk", False),  # nobody: nothing to receive
            ("MECARD:N:Visitor,New;EMAIL:new@visitor.example;;", True),  # a walk-in
            ("Qzxv Wplk", False),
        ):
            scan(app, payload)
            await settle(pilot)
            now = keys_by_action(screen)
            assert [weakref.ref(key) for key in now.values()] == widgets  # the very same widgets
            assert now["receive"].has_class("-disabled") is not receive
            assert now["receive"]._disabled is not receive  # a click on it only rings
        await pilot.press("escape")
        await settle(pilot)
        assert screen.visit is None
        now = keys_by_action(screen)
        assert [weakref.ref(key) for key in now.values()] == widgets  # idle: the same keys, dim
        assert all(now[a].has_class("-disabled") for a in ("clear", "receive", "check_in"))


async def test_a_dimmed_key_does_nothing(make_app, booth_db):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        scan(app, "Qzxv Wplk")
        await settle(pilot)
        for key in ("f6", "f10"):
            await pilot.press(key)
            await settle(pilot)
        assert isinstance(app.screen, ScanScreen)  # no receiver dialog
        assert booth_db.execute("SELECT count(*) FROM checkins").fetchone()[0] == 0
