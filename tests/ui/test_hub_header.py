"""The header's hub status on a screen opened between two sync rounds: shown at once.

The worker reports after each round (every 2 s at a quiet booth, 10 s while the hub is
away); a screen opened in between used to show no hub status until the next report."""

from __future__ import annotations

from datetime import timedelta

from kiosk.hub.worker import HubStatus
from kiosk.ui.screens.arrivals import ArrivalsScreen
from tests.factory import NOW
from tests.ui.helpers import SIZE, press_for, until


def hub_text(screen) -> str:
    box = screen.query_one("#hdr-hub")
    return str(box.render()) if box.display else ""


async def test_a_screen_opened_after_a_round_shows_the_hub_at_once(make_app):
    app = make_app()  # no hub link: nothing reports again while the test looks
    async with app.run_test(size=SIZE) as pilot:
        assert hub_text(app.screen) == ""  # no hub known yet: nothing shown
        app.hub_status_changed(HubStatus(online=True, pending=3, last_ok=NOW))
        await pilot.pause()
        assert hub_text(app.screen) == "● hub 0.0 s · 3 ↑"
        board = await press_for(pilot, "f4", ArrivalsScreen)
        assert hub_text(board) == "● hub 0.0 s · 3 ↑"


async def test_an_offline_hub_is_shown_on_a_new_screen_as_offline(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.hub_status_changed(
            HubStatus(online=False, pending=2, last_ok=NOW - timedelta(seconds=8), error="x")
        )
        board = await press_for(pilot, "f4", ArrivalsScreen)
        assert hub_text(board) == "○ offline 8.0 s · 2 ↑"
        assert board.query_one("#hdr-hub").has_class("-offline")


async def test_the_lag_counts_up_between_rounds_and_a_hung_round_shows(make_app):
    """Found with a hub paused (SIGSTOP): its connection hung and the header said
    "● hub 0.0 s · 0 ↑" for minutes while scans waited. The lag now counts up between
    reports, and a round that has not come back for 15 s reads "not answering"."""
    clock = {"now": NOW}
    app = make_app(now=lambda: clock["now"])
    async with app.run_test(size=SIZE) as pilot:
        app.hub_status_changed(HubStatus(online=True, pending=0, last_ok=NOW))
        await pilot.pause()
        assert hub_text(app.screen) == "● hub 0.0 s · 0 ↑"
        clock["now"] = NOW + timedelta(seconds=40)  # no report since: the round hangs
        header = app.screen.query_one("#hdr-hub")
        await until(pilot, lambda: hub_text(app.screen) == "◌ hub not answering 40.0 s · 0 ↑")
        assert header.has_class("-offline")


async def test_a_kiosk_clock_off_the_hubs_is_a_warning_in_the_header(make_app):
    """The hub is the one outside clock a kiosk meets: a round that found this kiosk's clock
    3 h behind it (it would win every "earliest claim" dispute) says so in the header."""
    from kiosk.hub.sync import RoundReport

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        slow = RoundReport(clock_offset=timedelta(hours=3, minutes=5))
        app.hub_status_changed(HubStatus(online=True, last_ok=NOW, last_round=slow))
        await pilot.pause()
        assert hub_text(app.screen) == "● hub 0.0 s · 0 ↑  ⚠ clock 3 h behind the hub"
        assert app.screen.query_one("#hdr-hub").has_class("-offline")  # the warning colour
        fast = RoundReport(clock_offset=-timedelta(minutes=7))
        app.hub_status_changed(HubStatus(online=True, last_ok=NOW, last_round=fast))
        await pilot.pause()
        assert hub_text(app.screen) == "● hub 0.0 s · 0 ↑  ⚠ clock 7 min ahead of the hub"
        near = RoundReport(clock_offset=timedelta(seconds=90))  # within two minutes: fine
        app.hub_status_changed(HubStatus(online=True, last_ok=NOW, last_round=near))
        await pilot.pause()
        assert hub_text(app.screen) == "● hub 0.0 s · 0 ↑"
        assert not app.screen.query_one("#hdr-hub").has_class("-offline")


async def test_a_laptop_refused_for_its_kiosk_id_says_why_once(make_app):
    """The hub refuses a second laptop calling itself kiosk-a: not a plain "offline" (a
    retry cannot fix it) but what to do, in the header and once as a notice."""
    from tests.ui.helpers import toasts

    said = "two laptops both call themselves kiosk-a: … 'kiosk init --kiosk-id NEW-ID' …"
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(2):  # the worker reports it again after every try
            app.hub_status_changed(HubStatus(online=False, pending=4, error=said, duplicate=True))
            await pilot.pause()
        assert hub_text(app.screen) == (
            "⚠ hub: another laptop has this kiosk id (kiosk init --kiosk-id) · 4 ↑"
        )
        assert app.screen.query_one("#hdr-hub").has_class("-offline")
        assert toasts(app).count(said) == 1
