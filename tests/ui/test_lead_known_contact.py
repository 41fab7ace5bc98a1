"""A lead whose e-mail is already on file: the form asks what `kiosk lead add` asks —
that contact (--attach) or a different person (--new) — instead of filing a stranger.

Before, Ctrl+S over the "ALREADY KNOWN?" panel filed a new contact routed to the default
owner (Ben), the applier then matched it to Yuki by e-mail and raised a dispute between
Kenji and Ben: reception called the wrong person and the manager got a false dispute.
"""

from __future__ import annotations

from kiosk.ui.screens.known_contact import KnownContactModal
from kiosk.ui.screens.lead_form import LeadFormScreen
from tests.ui.helpers import SIZE, press_for, settle, toasts


async def fill(pilot, name: str, email: str) -> LeadFormScreen:
    form = await press_for(pilot, "f3", LeadFormScreen)
    form.query_one("#f-name").value = name
    form.query_one("#f-email").value = email
    await settle(pilot, 0.5)
    return form


def open_disputes(db) -> int:
    return db.execute(
        "SELECT count(*) FROM proposals WHERE kind = 'dispute' AND status = 'open'"
    ).fetchone()[0]


async def test_the_known_contact_gets_the_lead_and_its_owner_is_called(make_app, booth_db):
    app = make_app(role="staff", user_id="ana")
    async with app.run_test(size=SIZE) as pilot:
        form = await fill(pilot, "Yuki Tanaka", "YUKI@tanaka.example")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, KnownContactModal)
        detail = str(app.screen.query_one("#confirm-detail").render())
        assert "Yuki Tanaka (Tanaka Shoji) → Kenji Sato" in detail
        await pilot.press("escape")  # back to the form: nothing filed, nothing lost
        await settle(pilot)
        assert app.screen is form and form.query_one("#f-name").value == "Yuki Tanaka"
        assert booth_db.execute("SELECT count(*) FROM leads").fetchone()[0] == 0

        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("a")  # file on this contact
        await settle(pilot)
        assert not isinstance(app.screen, (KnownContactModal, LeadFormScreen))
        # the card is Yuki's, a customer: not "NEW VISITOR", and no second lead offered
        visit = app.screen.visit
        assert visit.status == "known" and visit.lead_id is not None
        assert "F3" not in str(app.screen._hint(visit))
        form = await press_for(pilot, "f3", LeadFormScreen)
        assert form.query_one("#f-name").value == ""  # a form for the next visitor
    [(contact_id,)] = booth_db.execute("SELECT contact_id FROM leads").fetchall()
    crm = booth_db.execute("SELECT crm_id FROM contacts WHERE id = ?", [contact_id]).fetchone()
    assert crm[0] == "C1"
    booth_rows = booth_db.execute("SELECT count(*) FROM contacts WHERE source = 'booth'")
    assert booth_rows.fetchone()[0] == 0
    assert open_disputes(booth_db) == 0
    assert "Lead saved: Yuki Tanaka → Kenji Sato" in toasts(app)


async def test_a_different_person_who_shares_the_email_is_filed_as_new(make_app, booth_db):
    app = make_app(role="staff", user_id="ana")
    async with app.run_test(size=SIZE) as pilot:
        await fill(pilot, "Hiro Tanaka", "yuki@tanaka.example")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, KnownContactModal)
        await pilot.press("n")
        await settle(pilot)
    [(contact_id,)] = booth_db.execute("SELECT contact_id FROM leads").fetchall()
    row = booth_db.execute("SELECT name, source FROM contacts WHERE id = ?", [contact_id])
    assert row.fetchone() == ("Hiro Tanaka", "booth")
    assert open_disputes(booth_db) == 0


async def test_a_lead_just_filed_is_not_offered_for_filing_again(make_app, booth_db):
    """Before, the new visitor's card still said "F3 file this visitor as a new lead", and
    F3 then Ctrl+S filed the same person a second time."""
    app = make_app(role="staff", user_id="ana")
    async with app.run_test(size=SIZE) as pilot:
        await fill(pilot, "Hana Mori", "hana@mori.example")
        await pilot.press("ctrl+s")
        await settle(pilot)
        visit = app.screen.visit
        assert visit.status == "new" and visit.contact.name == "Hana Mori"
        assert "F3" not in str(app.screen._hint(visit))
        form = await press_for(pilot, "f3", LeadFormScreen)
        assert form.query_one("#f-name").value == ""
    assert booth_db.execute("SELECT count(*) FROM leads").fetchone()[0] == 1
