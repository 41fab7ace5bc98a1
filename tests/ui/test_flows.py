"""Whole booth flows found by using the kiosk in a terminal: receiving by someone else, the
arrivals board, the manager's invitation figures and decisions, the lead form's shortcuts,
a short terminal, and changes made by another kiosk.

Assertions are on database rows, the screen's state and what the person is told.
"""

from __future__ import annotations

from kiosk import booth
from kiosk.db import open_db
from kiosk.ui.screens.arrivals import ArrivalsScreen
from kiosk.ui.screens.confirm import ConfirmModal
from kiosk.ui.screens.lead_form import LeadFormScreen
from kiosk.ui.screens.manager import ManagerScreen
from kiosk.ui.screens.receiver import ReceiverModal
from kiosk.ui.screens.scan import ScanScreen
from kiosk.ui.widgets.card_text import CardText
from tests.factory import CONFIG, NOW
from tests.ui.helpers import SIZE, cid, press_for, rows, search_for, settle, toasts
from tests.ui.keys import scan


async def pick(pilot, modal: ReceiverModal, sp_id: str) -> None:
    modal.query_one("#receivers").highlighted = modal.ids.index(sp_id)
    await pilot.press("enter")
    await settle(pilot)


async def test_reception_picks_who_received_and_hears_a_proposal_went_to_the_manager(
    make_app, booth_db
):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        scan(app, "B-200")  # José Martínez, Ana's customer
        await settle(pilot)
        modal = await press_for(pilot, "f6", ReceiverModal)
        assert modal.ids[0] == "ana"  # the person called comes first and is the default
        assert modal.query_one("#receivers").highlighted == 0
        await pick(pilot, modal, "luis")
        assert rows(booth_db, "SELECT status, received_by, owner_id FROM checkins") == [
            ("received", "luis", "ana")
        ]
        assert rows(booth_db, "SELECT kind, current_id, proposed_id, split FROM proposals") == [
            ("assistant", "ana", "luis", 0.3)
        ]
        assert "Sent to the manager: Luis Gómez as assistant of Ana Ruiz (30% split)" in toasts(app)
        screen = app.screen
        assert isinstance(screen, ScanScreen) and screen.visit.received_by == "luis"
        band = screen.query_one("#band").render().plain
        assert "Received by Luis Gómez" in band
        assert "F6" not in screen.query_one(CardText).plain("hint")  # nothing left to receive


async def test_the_receiver_dialog_says_what_picking_someone_else_will_do(make_app):
    app = make_app(lang="es")
    async with app.run_test(size=SIZE) as pilot:
        scan(app, "B-200")
        await settle(pilot)
        await pilot.press("f6")
        await settle(pilot)
        modal = app.screen
        note = modal.query_one("#receiver-note")
        assert "gerente no tiene nada" in note.render().plain  # Ana, the owner: nothing to decide
        modal.query_one("#receivers").highlighted = modal.ids.index("marta")
        await settle(pilot)
        assert "Ana Ruiz sigue siendo el titular" in note.render().plain
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ScanScreen) and app.screen.visit.received_by is None


async def test_arrivals_mark_received_by_the_owner_sends_no_proposal_and_keeps_the_cursor(
    make_app, booth_db
):
    from kiosk import booth

    for crm, minutes in (("C3", 10), ("C2", 20), ("C1", 30)):  # newest first: C1, C2, C3
        booth.check_in(booth_db, CONFIG, cid(booth_db, crm), now=NOW.replace(minute=minutes))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        board = await press_for(pilot, "f4", ArrivalsScreen)
        table = board.query_one("#arrivals-table")
        assert [c.label.plain for c in table.columns.values()][:4] == [
            "Time", "Visitor", "Called", "Status",
        ]  # fmt: skip
        await pilot.press("down")  # the second newest: José, called Ana
        await settle(pilot)
        assert table.cursor_row == 1
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, ReceiverModal)
        await pilot.press("enter")  # the one called
        await settle(pilot)
        assert rows(booth_db, "SELECT received_by FROM checkins WHERE status = 'received'") == [
            ("ana",)
        ]
        assert rows(booth_db, "SELECT count(*) FROM proposals WHERE kind = 'assistant'") == [(0,)]
        assert "José Martínez received by Ana Ruiz" in toasts(app)
        assert table.cursor_row == 1  # the reload kept the row
        assert "received" in str(table.get_row_at(1)[3]).lower()


async def test_the_arrivals_via_column_tells_walk_ins_new_visitors_and_customers_apart(
    make_app, booth_db
):
    """A scanned walk-in had an empty Via; a team reading the board could not tell it from
    a customer and did not know a lead was still to be filed."""
    from kiosk.models import Contact

    aiko = Contact(id=None, name="Aiko Mori", company="Mori Denki", country="JP")
    booth.walk_in(booth_db, CONFIG, aiko, now=NOW.replace(minute=10))
    lead = booth.LeadInput(name="Olga Petrova", company="Svet LLC", email="olga@svet.example")
    booth.add_lead(booth_db, CONFIG, lead, now=NOW.replace(minute=20))
    booth.check_in(booth_db, CONFIG, cid(booth_db, "C1"), now=NOW.replace(minute=30))
    booth.check_in(booth_db, CONFIG, cid(booth_db, "C2"), now=NOW.replace(minute=40))
    known = booth.LeadInput(name="José Martínez", contact_id=cid(booth_db, "C2"), rating="hot")
    booth.add_lead(booth_db, CONFIG, known, now=NOW.replace(minute=41))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        board = await press_for(pilot, "f4", ArrivalsScreen)
        table = board.query_one("#arrivals-table")
        labels = [c.label.plain for c in table.columns.values()]
        at = labels.index("Via")
        via = {str(table.get_row_at(i)[1]): str(table.get_row_at(i)[at]) for i in range(4)}
        assert via == {
            "Aiko Mori": "Walk-in, no lead yet",
            "Olga Petrova": "New visitor",
            "Yuki Tanaka": "",
            "José Martínez": "Lead filed",  # a CRM customer: not a "new visitor"
        }


async def test_the_manager_sees_invitations_sent_and_turned_into_visits(make_app, booth_db):
    from kiosk.invites.invitations import issue, record_sent

    services_app = make_app(role="manager", user_id="wei")
    people = services_app.services.people
    contacts = [services_app.services.open_contact(cid(booth_db, c)).contact for c in ("C1", "C3")]
    record_sent(booth_db, CONFIG, issue(booth_db, CONFIG, people["kenji"], contacts, now=NOW))
    visit = services_app.services.resolve_scan(
        issue(booth_db, CONFIG, people["kenji"], contacts[:1], now=NOW)[0].token
    )
    assert visit.invited_by == "kenji"
    async with services_app.run_test(size=SIZE) as pilot:
        await pilot.press("f5")
        await settle(pilot)
        screen = services_app.screen
        assert isinstance(screen, ManagerScreen)
        table = screen.query_one("#mgr-people")
        labels = [c.label.plain for c in table.columns.values()]
        assert labels[1:3] == ["Invites\nsent", "Invites\n→ visits"]
        row = [str(cell) for cell in table.get_row("kenji")]
        assert row[1] == "2" and row[2] == "1 (50%)"
        assert [str(c) for c in table.get_row("ana")][1:3] == ["0", "0"]


async def test_deciding_a_proposal_says_what_approve_and_reject_will_do(make_app, booth_db):
    from kiosk import booth

    booth.check_in(booth_db, CONFIG, cid(booth_db, "C2"), brought_by="luis", now=NOW)
    app = make_app(role="manager", user_id="wei")
    async with app.run_test(size=SIZE) as pilot:
        await press_for(pilot, "f5", ManagerScreen)
        modal = await press_for(pilot, "x", ConfirmModal)
        assert modal.detail.startswith("Reject: no assistant and no split are recorded")
        await pilot.press("escape")
        await settle(pilot)
        modal = await press_for(pilot, "a", ConfirmModal)
        assert modal.detail.startswith(
            "Approve: Luis Gómez is recorded as assistant of Ana Ruiz with 30% of the commission."
        )


async def test_a_short_terminal_keeps_the_flags_and_the_keys_on_the_card(make_app, booth_db):
    booth_db.execute(
        "UPDATE contacts SET last_contact_at = '2025-01-01T00:00:00+00:00' WHERE crm_id = 'C2'"
    )
    app = make_app(role="staff", user_id="ana")  # (reception is not shown the lapse)
    async with app.run_test(size=(100, 30)) as pilot:
        scan(app, "B-200")  # lapsed owner: a chip and a proposal line
        await settle(pilot)
        card = app.screen.query_one("#card")
        assert card.has_class("-short") and card.has_class("-narrow")
        bottom = app.screen.query_one("#card-main").region.bottom
        text = app.screen.query_one(CardText)
        for part in ("chips", "hint"):
            first, count = text.rows_of(part) or (0, 0)
            assert count and text.region.y + first + count <= bottom, part
        name = text.block("visitor-name")
        assert name is not None and name.big is False  # only the call is big


async def test_search_keeps_how_it_read_the_query_across_a_language_switch(make_app):
    app = make_app(role="staff", user_id="ana")
    async with app.run_test(size=SIZE) as pilot:
        screen = await search_for(pilot, "Japan")
        status = screen.query_one("#search-status")
        assert status.render().plain == "1 found (country)"
        await pilot.press("f8")
        await settle(pilot)
        assert status.render().plain == "找到 1 条（国家）"


async def test_ctrl_o_opens_the_existing_contact_instead_of_a_duplicate(make_app, booth_db):
    app = make_app(role="staff", user_id="ana")
    async with app.run_test(size=SIZE) as pilot:
        form = await press_for(pilot, "f3", LeadFormScreen)
        assert not form.check_action("open_existing", ())
        form.query_one("#f-email").value = "jose@luces.example"
        form._find_duplicates()  # what the debounce timer calls; the search runs in a worker
        await app.workers.wait_for_complete()
        await settle(pilot, 0.05)
        assert [c.contact.name for c in form.duplicates] == ["José Martínez"]
        assert form.check_action("open_existing", ())
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, ScanScreen)
        assert app.screen.visit.contact.name == "José Martínez"
        assert rows(booth_db, "SELECT count(*) FROM leads") == [(0,)]


async def test_a_lead_filed_by_the_person_receiving_is_received_not_waiting(make_app, booth_db):
    app = make_app(role="staff", user_id="ana")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        form = app.screen
        form.query_one("#f-name").value = "Hana Mori"
        form.query_one("#f-country").set_country("JP")  # Kenji's territory
        form.query_one("#f-receiving").value = True
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert rows(booth_db, "SELECT owner_id, status, received_by, brought_by FROM checkins") == [
            ("kenji", "received", "ana", "ana")
        ]
        assert rows(booth_db, "SELECT kind, proposed_id FROM proposals") == [("assistant", "ana")]
        visit = app.screen.visit
        assert visit.status == "decision" and visit.received_by == "ana"


async def test_a_change_from_another_kiosk_reloads_the_open_board(make_app, booth_db, tmp_path):
    from kiosk import booth

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await settle(pilot)
        board = app.screen
        assert board.rows == []
        app.watch_database()  # nothing changed: no reload
        elsewhere = open_db(tmp_path / "kiosk.db")  # another process: the CLI, a merge
        booth.check_in(elsewhere, CONFIG, cid(elsewhere, "C1"), now=NOW)
        app.watch_database()
        await settle(pilot)
        assert [a.name for a in board.rows] == ["Yuki Tanaka"]


async def test_a_narrow_footer_keeps_lock_and_f8_switches_a_dialog(make_app):
    from textual.widgets._footer import FooterKey

    app = make_app(role="manager", user_id="wei")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f5")
        await settle(pilot)
        shown = {b.binding.id for b in app.screen.active_bindings.values()}
        assert {"back", "toggle_span", "lock", "user"} <= shown
        assert not {"manager", "search", "new_lead"} & shown  # still bound, not in the footer
        [lock] = [k for k in app.screen.query(FooterKey) if k.action == "lock"]
        assert lock.region.right <= 100
        await pilot.press("f9")
        await settle(pilot)
        await pilot.press("f8")  # a modal hides the app's keys: the dialog has its own F8
        await settle(pilot)
        assert app.lang == "zh"
        assert app.screen.query_one(".dialog-title").render().plain == "谁在使用本终端？"
        await pilot.press("m")  # type-to-find: the first name starting with M
        await settle(pilot, 0.08)
        assert app.screen.query_one("#people").highlighted_option.id == "marta"


async def test_the_manager_picks_an_owner_for_a_lapsed_customer_nobody_else_covers(
    make_app, booth_db
):
    from kiosk.ui.screens.assign import AssignModal

    booth_db.execute(
        "UPDATE contacts SET last_contact_at = '2025-01-01T00:00:00+00:00' WHERE crm_id = 'C2'"
    )
    booth.check_in(booth_db, CONFIG, cid(booth_db, "C2"), now=NOW)  # Ana lapsed, ES is hers only
    assert rows(booth_db, "SELECT proposed_id FROM proposals") == [(None,)]
    app = make_app(role="manager", user_id="wei")
    async with app.run_test(size=SIZE) as pilot:
        await press_for(pilot, "f5", ManagerScreen)
        modal = await press_for(pilot, "a", AssignModal)
        assert "ana" not in [o.id for o in modal.query_one("#assignees").options]
        await pilot.press("m")  # type-to-find: Marta
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        assert "Marta Díaz" in app.screen.detail
        await pilot.press("enter")
        await settle(pilot)
    assert rows(booth_db, "SELECT owner_id FROM contacts WHERE crm_id = 'C2'") == [("marta",)]
    assert rows(booth_db, "SELECT status FROM proposals") == [("approved",)]


async def test_the_manager_uses_the_badge_layout_the_scans_suggest(make_app, booth_db):
    from kiosk.show import show_config
    from kiosk.visits import VisitService
    from tests.cli.test_badge_learning import SCANS

    visits = VisitService(booth_db, CONFIG, clock=lambda: NOW)
    for payload in SCANS:
        visits.resolve(payload)
    app = make_app(role="manager", user_id="wei")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5")
        await settle(pilot)
        line = app.screen.query_one("#mgr-layout")
        assert line.display and "name ^ company ^ badge_id ^ email" in line.render().plain
        await pilot.press("l")
        await settle(pilot)
        assert not app.screen.query_one("#mgr-layout").display
        assert app.services.config.badge_fields[:4] == ("name", "company", "badge_id", "email")
    assert show_config(booth_db).badge_fields[:4] == ("name", "company", "badge_id", "email")
    assert rows(booth_db, "SELECT actor FROM events WHERE kind = 'badges.layout'") == [("wei",)]
