"""A lead whose name is on file at the same company (a business card with a new e-mail):
Ctrl+S asks "Already on file", as for a known e-mail, instead of filing the customer again
for a second salesperson with no word to the manager."""

from __future__ import annotations

import pytest

from kiosk.ui.i18n import Translator
from kiosk.ui.screens.known_contact import KnownContactModal
from kiosk.ui.screens.lead_form import LeadFormScreen
from tests.ui.helpers import SIZE, press_for, settle


async def fill(pilot) -> LeadFormScreen:
    form = await press_for(pilot, "f3", LeadFormScreen)
    form.query_one("#f-name").value = "Jose Martinez"
    form.query_one("#f-company").value = "Luces Ibericas"
    form.query_one("#f-email").value = "jm@new.example"
    form.query_one("#f-country").set_country("BR")  # LATAM: Luis or Marta, not Ana
    await settle(pilot, 0.5)
    return form


def leads(db) -> list[tuple]:
    return db.execute(
        "SELECT c.crm_id, c.source, l.owner_id FROM leads l JOIN contacts c ON c.id = l.contact_id"
    ).fetchall()


@pytest.mark.parametrize("lang", ["en", "es", "zh"])
async def test_the_same_person_goes_to_the_known_customer_and_its_owner(make_app, booth_db, lang):
    app = make_app(role="staff", user_id="ben", lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        await fill(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, KnownContactModal)
        detail = str(app.screen.query_one("#confirm-detail").render())
        names = "José Martínez (Luces Ibéricas S.L.) → Ana Ruiz"
        assert detail == Translator(lang)("lead.known_detail_name", names=names)
        await pilot.press("a")
        await settle(pilot)
    assert leads(booth_db) == [("C2", "crm", "ana")]
    assert booth_db.execute("SELECT count(*) FROM proposals").fetchone()[0] == 0


async def test_a_different_person_is_filed_and_the_manager_gets_a_dispute(make_app, booth_db):
    app = make_app(role="staff", user_id="ben")
    async with app.run_test(size=SIZE) as pilot:
        await fill(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, KnownContactModal)
        await pilot.press("n")
        await settle(pilot)
        assert not isinstance(app.screen, (KnownContactModal, LeadFormScreen))
    [(crm_id, source, owner)] = leads(booth_db)
    assert (crm_id, source) == (None, "booth") and owner in ("luis", "marta")
    items = booth_db.execute("SELECT kind, current_id, proposed_id, status FROM proposals")
    assert items.fetchall() == [("dispute", owner, "ana", "open")]
