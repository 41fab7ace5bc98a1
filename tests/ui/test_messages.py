"""Screens tell the app what happened; the app acts and redraws the screen that asked.

The flows here are the ones other tests leave out: a candidate picked from a scan's list
(`CandidatePicked`), and a card opened from search, checked in with F10 and received with
F6 on its own screen (`CheckInPressed`, `ReceivePressed`): the app must redraw that card,
not reception's.
"""

from __future__ import annotations

from textual.widgets import OptionList, Static

from kiosk.ui.messages import BoothChanged
from kiosk.ui.screens.card import CardScreen
from kiosk.ui.screens.manager import ManagerScreen
from kiosk.ui.screens.receiver import ReceiverModal
from kiosk.ui.screens.scan import ScanScreen
from tests.ui.helpers import SIZE, rows, search_for, settle, toasts
from tests.ui.keys import scan


async def test_a_candidate_picked_from_a_scan_opens_their_card(make_app, booth_db):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        scan(app, "example")  # every contact's e-mail domain: a list to choose from
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ScanScreen) and screen.visit.status == "choose"
        names = [c.contact.name for c in screen.visit.candidates]
        screen.query_one("#candidates").highlighted = names.index("José Martínez")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen and screen.visit.contact.name == "José Martínez"
        assert screen.query_one("#card").display
        assert rows(booth_db, "SELECT owner_id FROM checkins") == [("ana",)]  # checkin_on_scan


async def test_a_pick_from_a_list_a_scan_replaced_is_dropped(make_app, booth_db):
    """Enter on the candidate list, and a scan replaces the list before the pick is handled
    (keys a loaded machine replays as typing do this too): the pick names nobody now. It
    stopped the app at a million contacts (an index past the next visit's candidates); and
    a pick from an old list must never open someone from the new one."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        scan(app, "example")  # a list to choose from
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ScanScreen) and screen.visit.status == "choose"
        box = screen.query_one("#candidates", OptionList)
        last = box.option_count - 1
        stale = OptionList.OptionSelected(box, box.get_option_at_index(last), last)
        scan(app, "Qzxv Wplk")  # nobody: no list any more
        await settle(pilot)
        box.post_message(stale)
        await settle(pilot)
        assert app.is_running and screen.visit.status == "unreadable"
        scan(app, "example")  # the same people, a new list
        await settle(pilot)
        assert screen.visit.status == "choose"
        box.post_message(stale)
        await settle(pilot)
        assert app.is_running and screen.visit.status == "choose"  # nobody opened
        assert rows(booth_db, "SELECT count(*) FROM checkins") == [(0,)]


async def test_f10_and_f6_on_a_card_from_search_redraw_that_card(make_app, booth_db):
    app = make_app(role="staff", user_id="ana")
    async with app.run_test(size=SIZE) as pilot:
        await search_for(pilot, "Tanaka")
        await pilot.press("enter")  # the first result, opened without checking in
        await settle(pilot)
        card = app.screen
        assert isinstance(card, CardScreen) and card.visit.contact.name == "Yuki Tanaka"
        assert card.visit.checkin_id is None
        assert rows(booth_db, "SELECT count(*) FROM checkins") == [(0,)]

        await pilot.press("f10")
        await settle(pilot)
        assert app.screen is card and card.visit.checkin_id is not None
        assert rows(booth_db, "SELECT owner_id, status FROM checkins") == [("kenji", "waiting")]
        assert "Yuki Tanaka" in toasts(app)
        assert app.scan_screen().visit is None  # reception's screen was not touched

        await pilot.press("f6")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, ReceiverModal) and modal.default == "ana"  # who is logged in
        modal.query_one("#receivers").highlighted = modal.ids.index("kenji")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is card and card.visit.received_by == "kenji"
        assert rows(booth_db, "SELECT status, received_by FROM checkins") == [("received", "kenji")]


async def test_a_change_is_told_only_to_screens_already_composed(make_app):
    """A screen just pushed is on the stack before its widgets exist: a booth change, a
    language or a session change at that moment must not reach it (CI under load: the
    manager screen's reload found no '#mgr-summary'); it reads the state when it mounts."""
    app = make_app(role="manager", user_id="wei")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(ManagerScreen())
        assert not app.screen.is_mounted  # on the stack, not composed yet
        app.on_booth_changed(BoothChanged())
        app.set_language("es")
        app.set_session("manager", app.user)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ManagerScreen) and screen.is_mounted
        summary = str(screen.query_one("#mgr-summary", Static).render())
        assert summary.startswith("Día ")  # composed after the change, in its language


async def test_a_change_handled_while_the_app_exits_reaches_no_screen(make_app):
    """A booth change queued as the app quits is handled after the shutdown has begun to
    remove screens' widgets: the manager screen's reload then found no '#mgr-summary' and
    the app ended with a traceback (a UI test's gate run, load 6)."""
    app = make_app(role="manager", user_id="wei")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(ManagerScreen())
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ManagerScreen) and screen in app.shown_screens()
        app.exit()
        await screen.query_one("#mgr-summary").remove()  # as the shutdown removes widgets
        app.on_booth_changed(BoothChanged())  # must not raise NoMatches
        assert app.shown_screens() == []


async def test_a_list_shorter_than_the_matches_says_how_many_match(make_app, booth_db):
    """Before, reception saw eight names and no hint that more matched (`kiosk lookup` said
    "showing 10 of 12" for the same text)."""
    from kiosk.contact_rows import insert_contacts
    from tests.factory import BOLT_WORKERS

    insert_contacts(booth_db, [dict(w) for w in BOLT_WORKERS[:12]])
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        scan(app, "Bolt GmbH")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ScanScreen) and screen.visit.status == "choose"
        shown = len(screen.visit.candidates)
        assert shown < 12
        title = str(screen.query_one("#choose-title", Static).render())
        assert f"{shown} of 12 contacts that match" in title and "F2" in title
        scan(app, "example")  # a list that holds every match: the plain title again
        await settle(pilot)
        title = str(screen.query_one("#choose-title", Static).render())
        assert title.startswith("Several contacts match")
