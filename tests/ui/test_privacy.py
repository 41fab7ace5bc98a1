"""Private notes stay private (issue 12 §2): a PIN per person, back-off, idle lock, quitting."""

from __future__ import annotations

from textual.geometry import Region

from kiosk.ui.screens.notes import NotesModal
from kiosk.ui.screens.pin import PinModal
from kiosk.ui.screens.scan import ScanScreen
from tests.ui.helpers import SIZE, rows, settle, toasts
from tests.ui.keys import scan


async def type_pin(pilot, pin: str) -> None:
    for key in pin:
        await pilot.press(key)
    await pilot.press("enter")
    await settle(pilot, 0.05)


async def pick(pilot, letter: str) -> None:
    await pilot.press("f9")
    await settle(pilot, 0.05)
    await pilot.press(letter)  # type-to-find in the login list
    await pilot.press("enter")
    await settle(pilot, 0.05)


async def test_a_salesperson_logs_in_with_their_own_pin_before_notes_open(make_app):
    """The hole: F9, pick any salesperson (no PIN), F7 read a customer's notes."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pick(pilot, "a")  # Ana Ruiz
        assert isinstance(app.screen, PinModal) and app.role == "reception"
        assert app.screen.query_one("#pin-title").render().plain == "PIN for Ana Ruiz"
        await type_pin(pilot, "1234")  # the manager's PIN is not hers
        assert app.role == "reception" and isinstance(app.screen, PinModal)
        assert "Wrong PIN" in app.screen.query_one("#pin-msg").render().plain
        await type_pin(pilot, "4826")
        assert app.role == "staff" and app.user.id == "ana"
        scan(app, "B-100")
        await settle(pilot)
        await pilot.press("f7")
        await settle(pilot)
        assert isinstance(app.screen, NotesModal)


async def test_nobody_logs_in_without_a_pin_and_the_screen_says_who_sets_one(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pick(pilot, "k")  # Kenji Sato: no PIN set
        await type_pin(pilot, "0000")
        assert app.role == "reception"
        message = app.screen.query_one("#pin-msg").render().plain
        assert "Kenji Sato has no PIN yet" in message and "kiosk pin set kenji" in message


async def wrong_manager_pins(pilot, times: int, now: list[float], *, apart: float = 0.0) -> None:
    """Open the manager prompt (F5) and type a wrong PIN `times` times, `apart` seconds apart
    on the app's hand-moved clock."""
    await pilot.press("f5")
    await settle(pilot, 0.05)
    for _ in range(times):
        now[0] += apart
        await type_pin(pilot, "9999")


async def test_wrong_manager_pins_back_off_lock_out_and_are_recorded(make_app, booth_db):
    now = [100.0]  # the app's monotonic clock, moved by hand: no race with a loaded machine
    app = make_app(clock=lambda: now[0])
    async with app.run_test(size=SIZE) as pilot:
        await wrong_manager_pins(pilot, 3, now)
        assert "Wait 1 s" in app.screen.query_one("#pin-msg").render().plain
        await type_pin(pilot, "1234")  # the right PIN, during the wait: not even checked,
        message = app.screen.query_one("#pin-msg").render().plain  # and not called wrong
        assert (
            message == "Not checked: wait 1 s, then type the PIN again." and app.role == "reception"
        )
        failed = rows(booth_db, "SELECT kind, actor, payload FROM events WHERE kind = 'pin.failed'")
        assert len(failed) == 3 and '"subject": "*any-manager"' in failed[-1][2]
        assert '"wait_seconds": 1.0' in failed[-1][2] and failed[0][1] == "reception"
        now[0] += 1.0
        await type_pin(pilot, "1234")
        assert app.role == "manager"


async def test_a_lockout_shows_the_whole_unlock_command_on_screen(make_app):
    """The way out is the last words of the message: they must not be cut off the dialog."""
    now = [100.0]
    app = make_app(clock=lambda: now[0])
    async with app.run_test(size=SIZE) as pilot:
        await wrong_manager_pins(pilot, 10, now, apart=120.0)  # past every wait: each is checked
        label = app.screen.query_one("#pin-msg")
        assert "locked for 15 min" in label.render().plain
        box = app.screen.query_one("#pin-box").content_region
        assert label.region.right <= box.right and label.region.bottom <= box.bottom  # not clipped
        width, height = label.size
        drawn = " ".join(strip.text for strip in label.render_lines(Region(0, 0, width, height)))
        assert "kiosk pin unlock wei" in " ".join(drawn.split())


async def test_quitting_from_reception_needs_the_manager_pin(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+q")
        await settle(pilot, 0.05)
        assert isinstance(app.screen, PinModal) and app.return_code is None
        assert app.screen.query_one("#pin-title").render().plain == "Manager PIN to quit"
        await type_pin(pilot, "4826")  # a salesperson's PIN does not quit
        assert app.return_code is None
        await pilot.press("escape")
        await settle(pilot, 0.05)
        assert isinstance(app.screen, ScanScreen) and app.return_code is None
        await pilot.press("ctrl+q")
        await settle(pilot, 0.05)
        await type_pin(pilot, "1234")
        assert app.return_code == 0


async def test_the_manager_quits_without_another_pin(make_app):
    app = make_app(role="manager", user_id="wei")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+q")
        await settle(pilot, 0.05)
        assert app.return_code == 0


async def test_a_logged_in_person_is_locked_out_when_idle_and_keys_keep_them_in(make_app):
    now = [100.0]  # the app's monotonic clock, moved by hand: no race with a loaded machine
    app = make_app(role="staff", user_id="ana", idle_lock=30, clock=lambda: now[0])
    async with app.run_test(size=SIZE) as pilot:
        now[0] = 125.0
        await pilot.press("down")  # someone working: the idle time starts again
        now[0] = 150.0
        app.lock_when_idle()
        assert app.role == "staff"
        now[0] = 155.5
        for _ in range(100):  # the app's own timer looks every second (longer when loaded)
            if app.role == "reception":
                break
            await pilot.pause(0.1)
        assert app.role == "reception" and app.user is None
        assert isinstance(app.screen, ScanScreen)
        assert "Locked after 30s without a key" in toasts(app)  # not "1 min"


def test_the_idle_lock_is_the_shows_setting():
    import pytest

    from kiosk.config import ConfigError, parse_config

    assert parse_config({}).idle_lock_seconds == 120
    assert parse_config({"kiosk": {"idle_lock_seconds": 300}}).idle_lock_seconds == 300
    with pytest.raises(ConfigError, match="idle_lock_seconds"):
        parse_config({"kiosk": {"idle_lock_seconds": 0}})
