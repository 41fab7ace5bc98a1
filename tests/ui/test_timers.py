"""The booth's one-shot timers fire even when Textual would lose them (kiosk.ui.timers).

Textual 8.2.8's `set_timer` drops a one-shot timer whose task is preempted between its two
clock reads for longer than the delay (its `skip` logic treats the only tick as overdue). That
is a matter of luck on a loaded machine, so these tests make it certain: every one-shot
Textual timer is lost, as it would be for an unlucky one. The scanner's gap timer, the search
box's debounce and the card's time-out must not depend on them."""

from __future__ import annotations

import pytest
from textual.timer import Timer

from kiosk.ui.messages import BoothChanged
from kiosk.ui.screens.manager import ManagerScreen
from kiosk.ui.screens.scan import ScanScreen
from kiosk.ui.screens.search import SearchScreen
from kiosk.ui.timers import call_after
from tests.ui.helpers import SIZE, press_for, until
from tests.ui.keys import scan, type_slowly


@pytest.fixture
def textual_loses_one_shot_timers(monkeypatch):
    run = Timer._run

    async def lossy(self: Timer) -> None:
        if self._repeat == 0:
            return  # what Textual does with a one-shot timer whose task ran late
        await run(self)

    monkeypatch.setattr(Timer, "_run", lossy)


async def test_a_scan_ends_its_burst_without_textual_timers(
    make_app, textual_loses_one_shot_timers
):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        scan(app, "B-100")
        await until(pilot, lambda: getattr(app.screen, "visit", None) is not None, seconds=5)
        assert isinstance(app.screen, ScanScreen)
        assert app.screen.visit.contact.name == "Yuki Tanaka"
        assert not app.scan_input.detector.pending


async def test_typed_search_runs_without_textual_timers(make_app, textual_loses_one_shot_timers):
    app = make_app(role="staff", user_id="ana")
    async with app.run_test(size=SIZE) as pilot:
        screen = await press_for(pilot, "f2", SearchScreen)
        type_slowly(app, "Tanaka", interval=0.06)
        await until(pilot, lambda: screen.results, seconds=5)
        assert any(c.contact.name == "Yuki Tanaka" for c in screen.results)


async def test_the_card_times_out_without_textual_timers(make_app, textual_loses_one_shot_timers):
    app = make_app()
    app.card_timeout = 0.3
    async with app.run_test(size=SIZE) as pilot:
        scan(app, "B-100")
        # the card was drawn (it may already have timed out on a loaded machine), then left
        await until(pilot, lambda: app.scan_latencies and app.screen.visit is None, seconds=5)


async def test_a_change_handled_during_shutdown_touches_no_screen(make_app):
    """A change queued just before the app exits is handled while Textual's shutdown removes
    the screens' widgets (it clears `_running` first): no screen is told of it, so none looks
    for a widget that is gone (seen as `NoMatches: '#mgr-summary'` at the end of a UI test)."""
    app = make_app(role="manager", user_id="wei")
    async with app.run_test(size=SIZE) as pilot:
        screen = await press_for(pilot, "f5", ManagerScreen)
        await screen.query_one("#mgr-summary").remove()
        app._running = False  # the first thing App._shutdown does
        try:
            app.on_booth_changed(BoothChanged())
        finally:
            app._running = True


async def test_a_closing_screen_runs_no_callback(make_app):
    """Textual stops a closing screen's timers; `call_after` must not run on one either (a
    lead form's duplicate check once looked for fields already removed)."""
    app = make_app(role="staff", user_id="ana")
    ran: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        screen = await press_for(pilot, "f2", SearchScreen)
        call_after(screen, 0.05, lambda: ran.append(screen.query_one("#query").value))
        screen._closing = True  # what Textual sets first when it closes a pump
        try:
            await pilot.pause(0.2)
        finally:
            screen._closing = False
    assert ran == []
