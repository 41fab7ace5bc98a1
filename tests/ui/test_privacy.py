"""Private notes stay private (issue 12 §2): a PIN per person, back-off, idle lock, quitting."""

from __future__ import annotations

import pytest
from textual.geometry import Region

import kiosk.db
from kiosk.ui.screens.notes import NotesModal
from kiosk.ui.screens.pin import PinModal
from kiosk.ui.screens.scan import ScanScreen
from tests.ui.helpers import SIZE, rows, settle, toasts, until
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
    from kiosk.config import ConfigError, parse_config

    assert parse_config({}).idle_lock_seconds == 120
    assert parse_config({"kiosk": {"idle_lock_seconds": 300}}).idle_lock_seconds == 300
    with pytest.raises(ConfigError, match="idle_lock_seconds"):
        parse_config({"kiosk": {"idle_lock_seconds": 0}})


@pytest.fixture
def holder(db_path):
    """Another program on the kiosk's file (a merge, an import), able to hold its write lock."""
    other = kiosk.db.connect(db_path)
    yield other
    if other.in_transaction:
        other.execute("ROLLBACK")
    other.close()


def pin_message(app) -> str:
    return app.screen.query_one("#pin-msg").render().plain


def count_checks(app) -> list[str]:
    """A list that gets one entry each time a PIN's check ends, whatever its end."""
    checks: list[str] = []
    check = app.services.try_pin

    def counted(*args, **kwargs):
        try:
            return check(*args, **kwargs)
        finally:
            checks.append("done")

    app.services.try_pin = counted
    return checks


async def enter_pin(pilot, pin: str) -> None:
    """Type a PIN and press Enter, without waiting for its check (`settle` waits for every
    worker, the PIN's too)."""
    for key in pin:
        await pilot.press(key)
    await pilot.press("enter")
    await pilot.pause()


async def test_a_pin_typed_while_another_program_writes_never_freezes_the_screen(
    make_app, booth_db, holder, monkeypatch
):
    """Found quitting during a merge: the PIN's write waited the 5 s busy timeout on the UI
    thread — keys did not echo, the screen stood still — then said only that the database
    could not be used. Now the dialog says at once that the database is busy, keys work
    while the write waits, and the PIN goes through the moment the lock is free: a wrong
    one counted as ever, the right one opening the manager view."""
    monkeypatch.setattr(kiosk.db, "BUSY_TIMEOUT_MS", 60_000)  # the PIN thread's: waits here
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5")
        await settle(pilot)
        holder.execute("BEGIN IMMEDIATE")
        await enter_pin(pilot, "9999")
        await until(pilot, lambda: "another program is writing" in pin_message(app))
        assert "checked as soon as it is free" in pin_message(app)
        assert app.screen.query_one("#pin").disabled  # no second PIN meanwhile
        await pilot.press("f8")  # a key, handled while the write still waits
        await until(pilot, lambda: "另一个程序正在写入" in pin_message(app))
        assert rows(booth_db, "SELECT * FROM pin_attempts") == []
        holder.execute("ROLLBACK")  # the other program is done: the wrong PIN counts
        await until(pilot, lambda: "密码错误" in pin_message(app))
        assert rows(booth_db, "SELECT subject, failures FROM pin_attempts") == [("*any-manager", 1)]
        assert len(rows(booth_db, "SELECT * FROM events WHERE kind = 'pin.failed'")) == 1
        await until(pilot, lambda: app.screen.query_one("#pin").has_focus)  # (a refresh later)

        holder.execute("BEGIN IMMEDIATE")
        await enter_pin(pilot, "1234")
        await until(pilot, lambda: "另一个程序正在写入" in pin_message(app))
        assert app.role == "reception" and isinstance(app.screen, PinModal)
        holder.execute("ROLLBACK")
        await until(pilot, lambda: app.role == "manager")
        assert rows(booth_db, "SELECT * FROM pin_attempts") == []


async def test_a_pin_the_database_stays_locked_for_is_neither_counted_nor_told(
    make_app, booth_db, holder, monkeypatch
):
    """The write gave up: the dialog says the database is busy and to type the PIN again,
    and stays open. Nothing is counted, and a right PIN reads exactly as a wrong one —
    or holding the lock would be a way to try PINs past the back-off."""
    # the PIN thread's connection gives up soon (yet outwaits the quiet-time index merges)
    monkeypatch.setattr(kiosk.db, "BUSY_TIMEOUT_MS", 300)
    now = [100.0]
    app = make_app(clock=lambda: now[0])
    checks = count_checks(app)

    async def checked(pilot, pin: str) -> str:
        """Type `pin`, wait for its verdict on screen, and return it."""
        before = len(checks)
        await enter_pin(pilot, pin)
        field = app.screen.query_one("#pin")
        await until(pilot, lambda: len(checks) > before and not field.disabled)
        return pin_message(app)

    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5")
        await settle(pilot)
        modal = app.screen
        holder.execute("BEGIN IMMEDIATE")
        said = [await checked(pilot, "9999"), await checked(pilot, "1234")]
        assert said[0] == said[1]
        assert "not checked and not counted" in said[0] and "type it again" in said[0]
        assert app.screen is modal and app.role == "reception"
        # focus comes back a refresh after the field is enabled again (slower under load)
        await until(pilot, lambda: modal.query_one("#pin").has_focus)
        assert modal.query_one("#pin").value == ""
        assert rows(booth_db, "SELECT * FROM pin_attempts") == []
        assert rows(booth_db, "SELECT * FROM events WHERE kind = 'pin.failed'") == []
        holder.execute("ROLLBACK")
        for _ in range(3):  # the back-off as ever: the tries under the lock did not count
            said.append(await checked(pilot, "9999"))
        assert "Wait 1 s" in said[-1]
        now[0] += 1.0
        await enter_pin(pilot, "1234")
        await until(pilot, lambda: app.role == "manager")


async def test_a_pin_checked_under_a_screen_opened_meanwhile_closes_only_the_dialog(
    make_app, holder, monkeypatch
):
    """The check takes a while under another program's lock, and Ctrl+P opens the command
    palette over the dialog meanwhile. Textual's `dismiss` closes whatever is on top: the
    right PIN closed the palette and left the dialog. Now the dialog closes once it is on
    top again."""
    from textual.command import CommandPalette

    from kiosk.ui.screens.manager import ManagerScreen

    monkeypatch.setattr(kiosk.db, "BUSY_TIMEOUT_MS", 60_000)  # the PIN thread's: waits here
    app = make_app()
    checks = count_checks(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5")
        await settle(pilot)
        holder.execute("BEGIN IMMEDIATE")
        await enter_pin(pilot, "1234")
        await until(pilot, lambda: "another program is writing" in pin_message(app))
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette))
        holder.execute("ROLLBACK")
        await until(pilot, lambda: checks)
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette) and app.role == "reception"
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ManagerScreen))
        assert app.role == "manager"
