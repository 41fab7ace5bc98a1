"""A name typed fast at reception (it arrives as a scan) checks in only its whole name.

The exploratory pass typed `li na` + Enter on the reception screen of the demo: the card
said KNOWN CUSTOMER ✓ Checked in … Ali Nasr … PLEASE CALL MA JUN, and it was recorded.
A loose match is now the candidate list (one line, "is this the visitor?"), nothing is
recorded until a person picks it, and the pick checks them in as a picked candidate does.
"""

from __future__ import annotations

import pytest
from textual.widgets import OptionList

from kiosk.contact_rows import insert_contacts
from kiosk.ui.screens.scan import ScanScreen
from tests.ui.helpers import SIZE, rows, settle
from tests.ui.keys import scan


@pytest.fixture
def booth_db(db):
    insert_contacts(db, [
        dict(crm_id="N1", name="Ali Nasr", company="Al Najma Trading Co.", country="SA",
             email="a.nasr@najma.example", owner_id="ben"),
        dict(crm_id="N2", name="Marta García Ruiz", company="Luminotecnia Sur S.A.C.",
             country="PE", owner_id="luis"),
    ])  # fmt: skip
    return db


async def test_a_loose_name_shows_the_candidate_and_a_pick_checks_them_in(make_app, booth_db):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        scan(app, "li na")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ScanScreen) and screen.visit.status == "choose"
        assert [c.contact.name for c in screen.visit.candidates] == ["Ali Nasr"]
        assert not screen.query_one("#card").display and screen.query_one("#choose").display
        title = str(screen.query_one("#choose-title").render())
        assert "is this the visitor?" in title
        assert rows(booth_db, "SELECT count(*) FROM checkins") == [(0,)]
        assert screen.query_one("#candidates", OptionList).highlighted == 0
        await pilot.press("enter")  # reception confirms: this is Ali Nasr
        await settle(pilot)
        assert screen.visit.contact.name == "Ali Nasr" and screen.visit.status == "known"
        assert screen.query_one("#card").display
        assert rows(booth_db, "SELECT owner_id FROM checkins") == [("ben",)]


async def test_a_typo_of_a_name_is_a_candidate_too(make_app, booth_db):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        scan(app, "maria garcia")
        await settle(pilot)
        visit = app.scan_screen().visit
        assert visit.status == "choose" and not visit.recorded
        assert [c.contact.name for c in visit.candidates] == ["Marta García Ruiz"]
        assert rows(booth_db, "SELECT count(*) FROM checkins") == [(0,)]


async def test_a_whole_name_checks_in_at_once(make_app, booth_db):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        scan(app, "marta garcia ruiz")
        await settle(pilot)
        visit = app.scan_screen().visit
        assert visit.status == "known" and visit.recorded
        assert rows(booth_db, "SELECT owner_id FROM checkins") == [("luis",)]
