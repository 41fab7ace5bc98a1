"""A single-line badge is looked up at its Enter, before the burst detector knows it is
complete (`kiosk.scanner.Early`): its card is drawn while the check-in waits, uncommitted,
for the detector's verdict. More lines withdraw it; nothing is lost or recorded twice."""

from __future__ import annotations

import threading

from kiosk.scanner import Timing
from kiosk.ui.app import KioskApp
from kiosk.ui.messages import ScanReceived
from kiosk.ui.services import BoothServices
from tests.factory import CONFIG, NOW
from tests.ui.helpers import SIZE, rows, settle, toasts, until
from tests.ui.keys import scan


class SpyServices(BoothServices):
    """The real services, noting every payload the scan thread looks up."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.looked_up: list[str] = []

    def resolve_scan(self, payload, **kwargs):
        self.looked_up.append(payload)
        return super().resolve_scan(payload, **kwargs)


class HeldServices(SpyServices):
    """Holds the scan thread's lookup of `held` until `release` is set."""

    def __init__(self, *args, held: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.held = held
        self.started = threading.Event()
        self.release = threading.Event()
        self.resolved: list[str] = []

    def resolve_scan(self, payload, **kwargs):
        if payload == self.held:
            self.started.set()
            self.release.wait(10)
        visit = super().resolve_scan(payload, **kwargs)
        self.resolved.append(payload)
        return visit


def app_with(db, **options) -> KioskApp:
    services = SpyServices(db, CONFIG, clock=lambda: NOW)
    assert services.db_path is not None  # a file: the scan thread has its own connection
    return KioskApp(services, card_timeout=None, warm_up=False, **options)


def checkins(db) -> list[str]:
    sql = "SELECT c.name FROM checkins k JOIN contacts c ON c.id = k.contact_id ORDER BY c.name"
    return [name for (name,) in rows(db, sql)]


async def test_the_card_is_up_before_the_burst_ends_and_the_check_in_lands_after(booth_db):
    # A settle of 3 s: whatever the machine's load, the card comes within it.
    app = app_with(booth_db, scan_timing=Timing(gap=3.0, settle_min=3.0))
    async with app.run_test(size=SIZE) as pilot:
        scan(app, "B-100")
        await until(pilot, lambda: app.screen.visit is not None)
        assert app.scan_input.detector.pending  # the burst is still open …
        assert app.screen.visit.contact.name == "Yuki Tanaka"  # … and its card is up
        assert app.screen.visit.checkin_id is not None
        assert checkins(booth_db) == []  # the check-in waits, uncommitted, for the verdict
        assert app.scan_latencies == []  # a card is timed once its check-in is written too
        await settle(pilot)
        assert checkins(booth_db) == ["Yuki Tanaka"]
        assert app.services.looked_up == ["B-100"]  # looked up once, at the Enter
        assert len(app.scan_latencies) == 1
        events = rows(booth_db, "SELECT kind FROM events")
        assert events == [("checkin",)]


async def test_more_lines_after_the_enter_withdraw_the_early_lookup(booth_db):
    """A text badge whose first line is another visitor's badge id: that id is looked up
    at its Enter and rolled back when the next lines come; the whole badge is the scan."""
    app = app_with(booth_db)
    async with app.run_test(size=SIZE) as pilot:
        scan(app, "B-100\nJosé Martínez\njose@luces.example")
        await settle(pilot)
        await until(pilot, lambda: not app.scans_in_flight)
        assert app.services.looked_up[0] == "B-100"  # started early …
        assert app.screen.visit.contact.name == "José Martínez"
        assert checkins(booth_db) == ["José Martínez"], toasts(app)  # … and withdrawn
        assert rows(booth_db, "SELECT count(*) FROM events") == [(1,)]
        assert app.services.looked_up[-1] == "B-100\nJosé Martínez\njose@luces.example"


async def test_a_character_after_the_enter_drops_the_early_lookup_before_its_card(booth_db):
    """The first line's lookup is still running when the next character comes: that says the
    line was not the whole badge, so its card is never drawn (it flashed a wrong visitor, and
    drawing it held up the rest of the badge's keys: 1M no-match bench) and its check-in is
    rolled back then, not when the burst ends."""
    services = HeldServices(booth_db, CONFIG, clock=lambda: NOW, held="B-100")
    app = KioskApp(services, card_timeout=None, warm_up=False,
                   scan_timing=Timing(gap=3.0, settle_min=3.0))  # fmt: skip
    async with app.run_test(size=SIZE) as pilot:
        shown: list[str] = []
        show_visit = app.show_visit

        def spy(visit, **kwargs):
            shown.append(visit.payload)
            show_visit(visit, **kwargs)

        app.show_visit = spy  # type: ignore[method-assign]
        scan(app, "B-100\nJ", enter=False)  # the first line, its Enter, the next letter
        await until(pilot, services.started.is_set)
        await pilot.pause()  # the letter is handled while the lookup runs
        services.release.set()
        await until(pilot, lambda: services.resolved == ["B-100"])
        await pilot.pause()
        await pilot.pause()  # its card would be drawn by now
        assert shown == []
        scan(app, "osé Martínez\njose@luces.example")
        await settle(pilot)
        await until(pilot, lambda: not app.scans_in_flight)
        assert shown == ["B-100\nJosé Martínez\njose@luces.example"]
        assert app.screen.visit.contact.name == "José Martínez"
        assert checkins(booth_db) == ["José Martínez"]
        assert rows(booth_db, "SELECT count(*) FROM events") == [(1,)]


async def test_a_verdict_that_comes_too_late_rolls_back_and_the_scan_is_looked_up_anew(
    booth_db, monkeypatch
):
    """The scan thread waits a while for the verdict (a UI thread blocked on the database
    it holds cannot give one); then it rolls back, and the scan is done as usual."""
    app = app_with(booth_db, scan_timing=Timing(gap=3.0, settle_min=3.0))
    monkeypatch.setattr(app, "early_wait", lambda: 0.05)  # gives up long before the verdict
    async with app.run_test(size=SIZE) as pilot:
        scan(app, "B-100")
        await settle(pilot)
        await until(pilot, lambda: not app.scans_in_flight)
        assert app.services.looked_up == ["B-100", "B-100"]  # early, then anew
        assert app.screen.visit.contact.name == "Yuki Tanaka"
        assert checkins(booth_db) == ["Yuki Tanaka"]
        assert rows(booth_db, "SELECT count(*) FROM events") == [(1,)]


async def test_two_badges_in_a_row_are_each_recorded_once_and_the_second_card_wins(booth_db):
    app = app_with(booth_db)
    async with app.run_test(size=SIZE) as pilot:
        scan(app, "B-100")
        await settle(pilot)
        scan(app, "jose@luces.example")
        await settle(pilot)
        await until(pilot, lambda: not app.scans_in_flight)
        assert app.screen.visit.contact.name == "José Martínez"
        assert checkins(booth_db) == ["José Martínez", "Yuki Tanaka"]
        assert len(app.scan_latencies) == 2


async def test_the_burst_end_keeps_an_early_scan_at_once_not_after_a_trip_through_the_queue(
    booth_db,
):
    """Its check-in commits on the verdict: given where the burst ends, not by a
    `ScanReceived` waiting its turn in the app's queue (behind the frame being composed)."""
    app = app_with(booth_db, scan_timing=Timing(gap=3.0, settle_min=3.0))
    async with app.run_test(size=SIZE) as pilot:
        scan(app, "B-100")
        await until(pilot, lambda: app.screen.visit is not None)
        early = app._early
        assert early is not None and early.state == "open"
        posted: list[object] = []
        post = app.post_message

        def spy(message) -> bool:
            posted.append(message)
            return post(message)

        app.post_message = spy  # type: ignore[method-assign]
        await app.scan_input.flush()  # the burst ends (as its settle timer would end it)
        assert early.state == "keep"  # decided there and then
        assert [m.settled for m in posted if isinstance(m, ScanReceived)] == [True]
        app.post_message = post  # type: ignore[method-assign]
        await settle(pilot)
        await until(pilot, lambda: not app.scans_in_flight)
        assert checkins(booth_db) == ["Yuki Tanaka"]
        assert len(app.scan_latencies) == 1
