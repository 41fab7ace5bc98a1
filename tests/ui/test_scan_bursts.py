"""Bursts at scanner speed that are not one badge (found by the exploratory pass):

- two badges scanned back to back arrive as one burst: each is recorded and its card shown
  in turn (the last one stays), where the whole was one unreadable scan and both were lost;
- a badge scanned while a PIN prompt is open is a scan (recorded, its card drawn under the
  dialog, a notice), never a wrong PIN; digits typed fast into the PIN are still the PIN;
- a word an input method commits at once (Chinese: four characters in one burst) is typed
  into the focused text field, where it was taken for a scan and lost.

Keys are posted at a scanner's speed as the other scanner tests do (`tests.ui.keys`)."""

from __future__ import annotations

from textual.widgets import Input, TextArea

from kiosk.ui.screens.lead_form import LeadFormScreen
from kiosk.ui.screens.pin import PinModal
from kiosk.ui.screens.scan import ScanScreen
from kiosk.ui.screens.search import SearchScreen
from tests.ui.helpers import SIZE, press_for, rows, settle, toasts, until
from tests.ui.keys import post_keys, scan


def checked_in(db) -> list[str]:
    sql = "SELECT c.name FROM checkins k JOIN contacts c ON c.id = k.contact_id ORDER BY k.at"
    return [name for (name,) in rows(db, sql)]


def cards_shown(app) -> list[str]:
    """Record the name on every card the reception screen draws, in order."""
    shown: list[str] = []
    screen = app.scan_screen()
    draw = screen.show_visit

    def show_visit(visit, *args, **kwargs):
        shown.append(visit.contact.name)
        return draw(visit, *args, **kwargs)

    screen.show_visit = show_visit
    return shown


def pin_events(db) -> list[tuple[str]]:
    return rows(db, "SELECT kind FROM events WHERE kind LIKE 'pin.%'")


async def test_two_badges_scanned_back_to_back_are_two_visitors(make_app, booth_db):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        shown = cards_shown(app)
        scan(app, "B-100\nB-200")  # one burst, no gap between the two scans
        await settle(pilot, 0.2)
        await until(pilot, lambda: len(checked_in(booth_db)) == 2)
        assert checked_in(booth_db) == ["Yuki Tanaka", "José Martínez"]
        # each in turn (the first line's card may also have come at its Enter, withdrawn)
        assert [n for i, n in enumerate(shown) if shown[i - 1 : i] != [n]] == [
            "Yuki Tanaka",
            "José Martínez",
        ]
        assert app.screen.visit.contact.name == "José Martínez"  # the last one stays
        assert "Unreadable" not in toasts(app)


async def test_a_multi_line_badge_is_still_one_scan(make_app, booth_db):
    """Its first line is a badge id, but its name line names nobody alone: one visitor."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        scan(app, "B-100\nYuki Tanaka\nyuki@tanaka.example")
        await settle(pilot, 0.2)
        await until(pilot, lambda: checked_in(booth_db) != [])
        assert checked_in(booth_db) == ["Yuki Tanaka"]
        assert app.scan_input.scans == 1


async def test_a_badge_scanned_at_the_manager_pin_is_a_scan_not_a_wrong_pin(make_app, booth_db):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        modal = await press_for(pilot, "f5", PinModal)
        scan(app, "B-100")
        await settle(pilot, 0.2)
        await until(pilot, lambda: checked_in(booth_db) == ["Yuki Tanaka"])
        assert pin_events(booth_db) == []  # no PIN was tried
        assert app.screen is modal and modal.query_one("#pin", Input).value == ""
        assert "Wrong PIN" not in modal.query_one("#pin-msg").render().plain
        assert app.scan_screen().visit.contact.name == "Yuki Tanaka"  # drawn under the dialog
        await until(pilot, lambda: "Scanned Yuki Tanaka" in toasts(app))


async def test_a_badge_scanned_at_a_salespersons_pin_waits_under_it(make_app, booth_db):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f9")
        await settle(pilot)
        await pilot.press("a", "enter")  # Ana Ruiz: her PIN prompt
        await settle(pilot)
        assert isinstance(app.screen, PinModal)
        scan(app, "B-200")
        await settle(pilot, 0.2)
        await until(pilot, lambda: checked_in(booth_db) == ["José Martínez"])
        assert isinstance(app.screen, PinModal) and pin_events(booth_db) == []
        post_keys(app, "4826\n", interval=0.004)  # her PIN, typed as fast as a scanner
        await settle(pilot, 0.2)
        await until(pilot, lambda: app.role == "staff")
        assert isinstance(app.screen, ScanScreen)
        assert app.screen.visit.contact.name == "José Martínez"  # the card it waited under


async def test_a_word_from_an_input_method_is_typed_into_the_lead_form(make_app):
    app = make_app(role="staff", user_id="ana")
    async with app.run_test(size=SIZE) as pilot:
        form = await press_for(pilot, "f3", LeadFormScreen)
        post_keys(app, "欧阳明华", interval=0.001)  # committed at once, no Enter
        await settle(pilot, 0.2)
        assert form.query_one("#f-name", Input).value == "欧阳明华"
        assert "no name, email or company" not in toasts(app)
        form.query_one("#f-consent").value = True
        await settle(pilot)
        notes = form.query_one("#f-notes", TextArea)
        notes.focus()
        await settle(pilot)
        post_keys(app, "需要报价单和样品", interval=0.001)
        await settle(pilot, 0.2)
        assert notes.text == "需要报价单和样品"
        assert app.screen is form and app.scan_input.scans == 0


async def test_an_input_method_word_is_a_search_and_a_badge_still_a_scan(make_app, booth_db):
    app = make_app(role="staff", user_id="ana")
    async with app.run_test(size=SIZE) as pilot:
        search = await press_for(pilot, "f2", SearchScreen)
        post_keys(app, "欧阳明华", interval=0.001)
        await settle(pilot, 0.2)
        assert app.screen is search
        assert search.query_one(Input).value == "欧阳明华"
        assert "Unreadable" not in toasts(app) and app.scan_input.scans == 0
        scan(app, "B-300")  # a badge is still a scan here
        await settle(pilot, 0.2)
        await until(pilot, lambda: checked_in(booth_db) == ["王小明"])
        assert isinstance(app.screen, ScanScreen)
