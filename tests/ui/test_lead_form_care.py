"""The lead form never loses what a person typed (issue 15): Esc asks first, a draft per
author survives the lock and a closed app, a scan fills only the empty fields, the products
list takes the first Space, and reception typing a name on the scan screen is told how to
search.

Assertions are on what the person sees (the form, the toasts) and on the database.
"""

from __future__ import annotations

import pytest
from textual.widgets import OptionList

from kiosk.ui.screens.confirm import ConfirmModal
from kiosk.ui.screens.lead_form import LeadFormScreen
from kiosk.ui.screens.scan import ScanScreen
from kiosk.ui.services import DRAFT_KEY
from tests.ui.helpers import SIZE, press_for, settle, toasts, until
from tests.ui.keys import scan, type_slowly

VCARD = (
    "BEGIN:VCARD\nVERSION:3.0\nFN:Pepe Martínez\nORG:Luces Pepe S.L.\n"
    "EMAIL:pepe@luces.example\nTEL:+34 600 111 222\nADR:;;;;;;Spain\nEND:VCARD"
)


def draft_of(db, author: str):
    row = db.execute("SELECT value FROM meta WHERE key = ?", [DRAFT_KEY + author]).fetchone()
    return row[0] if row else None


def value(form, name: str) -> str:
    return form.query_one(f"#f-{name}").value


async def open_form(pilot) -> LeadFormScreen:
    return await press_for(pilot, "f3", LeadFormScreen)


@pytest.mark.slow
async def test_esc_on_a_filled_form_asks_before_throwing_the_lead_away(make_app, booth_db):
    app = make_app(role="staff", user_id="ana")
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot)
        await pilot.press("escape")  # nothing typed: closes at once
        await settle(pilot)
        assert isinstance(app.screen, ScanScreen)

        form = await open_form(pilot)
        type_slowly(app, "Hana Mori")
        await settle(pilot, 2.0)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        assert "Hana Mori" in str(app.screen.detail)
        await pilot.press("n")  # no: back to the form, nothing lost
        await settle(pilot)
        assert app.screen is form and value(form, "name") == "Hana Mori"
        assert draft_of(booth_db, "ana") is not None

        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("y")  # yes: discarded, and so is the draft
        await settle(pilot)
        assert isinstance(app.screen, ScanScreen)
        assert draft_of(booth_db, "ana") is None
        assert booth_db.execute("SELECT count(*) FROM leads").fetchone()[0] == 0


async def test_a_draft_survives_the_lock_and_only_its_author_sees_it(make_app, booth_db):
    app = make_app(role="staff", user_id="ana")
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot)
        form.query_one("#f-name").value = "Hana Mori"
        form.query_one("#f-email").value = "hana@mori.example"
        form.query_one("#f-country").set_country("JP")
        form.query_one("#rating-hot").value = True
        await pilot.press("f12")  # the lock, at once (no time for the typing pause)
        await settle(pilot)
        assert isinstance(app.screen, ScanScreen) and app.role == "reception"
        assert "Hana Mori" in draft_of(booth_db, "ana")

        app.set_session("staff", app.services.person("luis"))  # someone else logs in
        form = await open_form(pilot)
        assert value(form, "name") == "" and value(form, "email") == ""
        await pilot.press("escape")
        await settle(pilot)

        app.set_session("staff", app.services.person("ana"))  # the author again
        form = await open_form(pilot)
        assert value(form, "name") == "Hana Mori"
        assert value(form, "email") == "hana@mori.example"
        assert form.query_one("#f-country").alpha2 == "JP"
        assert form.query_one("#rating-hot").value is True
        assert "Your unsaved lead is back: Hana Mori" in toasts(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        [lead] = booth_db.execute("SELECT rating FROM leads").fetchall()
        assert lead[0] == "hot"
        assert draft_of(booth_db, "ana") is None  # filed: the draft is gone


async def test_a_draft_survives_closing_the_app(make_app, booth_db, tmp_path):
    app = make_app(role="staff", user_id="ana")
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot)
        form.query_one("#f-name").value = "Olga Petrova"
        form.query_one("#f-company").value = "Svet LLC"
        await pilot.press("ctrl+q")
        await until(pilot, lambda: draft_of(booth_db, "ana") is not None or not app.is_running)
    assert "Olga Petrova" in draft_of(booth_db, "ana")

    again = make_app(role="staff", user_id="ana")
    async with again.run_test(size=SIZE) as pilot:
        form = await open_form(pilot)
        assert (value(form, "name"), value(form, "company")) == ("Olga Petrova", "Svet LLC")


async def test_a_walk_in_form_asks_about_an_older_draft(make_app, booth_db):
    app = make_app(role="staff", user_id="ana")
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot)
        form.query_one("#f-name").value = "Olga Petrova"
        await pilot.press("escape")  # asks; the lock comes instead
        await settle(pilot)
        await pilot.press("f12")
        await settle(pilot)
        app.set_session("staff", app.services.person("ana"))
        scan(app, VCARD)  # a new visitor's card, then F3 on it
        await settle(pilot, 0.3)
        await press_for(pilot, "f3", ConfirmModal)
        assert "Olga Petrova" in app.screen.question
        await pilot.press("y")  # continue the older lead
        await settle(pilot)
        form = app.screen
        assert isinstance(form, LeadFormScreen) and value(form, "name") == "Olga Petrova"


async def test_a_scan_never_overwrites_typed_fields_and_says_what_it_filled(make_app):
    app = make_app(role="staff", user_id="ana")
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot)
        type_slowly(app, "(x;y)")  # what a person typed into Name
        await settle(pilot, 1.2)
        assert value(form, "name") == "(x;y)"
        scan(app, VCARD, interval=0.003)
        await settle(pilot, 0.3)
        assert app.screen is form
        assert value(form, "name") == "(x;y)"  # kept
        assert value(form, "email") == "pepe@luces.example"  # the empty ones filled
        assert value(form, "company") == "Luces Pepe S.L."
        assert form.query_one("#f-country").alpha2 == "ES"
        said = toasts(app)
        assert "From the badge: Company, Email, Phone, Country filled" in said
        assert "What you typed is kept: Name" in said


async def test_a_scan_into_an_empty_form_still_fills_everything(make_app):
    app = make_app(role="staff", user_id="ana", lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot)
        scan(app, VCARD, interval=0.003)
        await settle(pilot, 0.3)
        assert value(form, "name") == "Pepe Martínez"
        assert "已按胸卡填写：Pepe Martínez" in toasts(app)


async def test_the_first_space_in_products_selects_the_first_product(make_app, booth_db):
    app = make_app(role="staff", user_id="ana")
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot)
        form.query_one("#f-name").value = "Hana Mori"
        form.query_one("#f-products").focus()
        await settle(pilot)
        await pilot.press("space")
        await settle(pilot)
        assert form.query_one("#f-products").selected == ["LED panels"]
        await pilot.press("ctrl+s")
        await settle(pilot)
        products = booth_db.execute("SELECT products FROM leads").fetchone()[0]
        assert "LED panels" in products


async def test_reception_typing_a_name_is_told_how_to_search(make_app):
    app = make_app(lang="es")
    async with app.run_test(size=SIZE) as pilot:
        type_slowly(app, "tanaka")
        await settle(pilot, 1.2)
        said = toasts(app)
        assert "entre con F9 y pulse F2" in said
        assert said.count("Escribir aquí") == 1  # once for the word, not once a letter
        assert app.scan_input.scans == 0

    staff = make_app(role="staff", user_id="ana")
    async with staff.run_test(size=SIZE) as pilot:
        type_slowly(staff, "tanaka")
        await settle(pilot, 1.2)
        assert "press F2 to search" in toasts(staff)


def test_drafts_are_kept_per_author_in_the_kiosk_database(booth_db):
    from kiosk.ui.factory import build_services
    from tests.factory import CONFIG, NOW

    services = build_services(booth_db, CONFIG, now=lambda: NOW)
    events = booth_db.execute("SELECT count(*) FROM events").fetchone()[0]
    services.save_lead_draft("ana", {"fields": {"name": "Hana"}})
    assert services.lead_draft("ana") == {"fields": {"name": "Hana"}}
    assert services.lead_draft("luis") is None
    booth_db.execute("UPDATE meta SET value = 'not json' WHERE key = ?", [DRAFT_KEY + "ana"])
    assert services.lead_draft("ana") is None  # a damaged draft is no draft, not a crash
    services.drop_lead_draft("ana")
    assert draft_of(booth_db, "ana") is None
    # a draft is not a booth fact: no event, so a merge never carries it to another kiosk
    assert booth_db.execute("SELECT count(*) FROM events").fetchone()[0] == events


async def test_a_click_on_a_country_list_typing_replaced_is_dropped(make_app):
    """A click on the country list handled after a key changed that list (the key came
    first in the queue): by its index it picked whatever the new list held there — another
    country, or past its end, an IndexError that stopped the app. It names nothing now."""
    app = make_app(role="staff", user_id="ana")
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot)
        field = form.query_one("#f-country")
        field.input.value = "ja"
        await settle(pilot)
        box = field.query_one("#country-options", OptionList)
        assert box.option_count >= 2
        first = OptionList.OptionSelected(box, box.get_option_at_index(0), 0)
        last = box.option_count - 1
        past = OptionList.OptionSelected(box, box.get_option_at_index(last), last)

        field.input.value = "ge"  # another list, as long or longer: index 0 is not Japan
        await settle(pilot)
        assert box.option_count >= 1
        before = field.alpha2  # what "ge" resolves to by itself
        box.post_message(first)
        await settle(pilot)
        assert app.is_running  # nothing picked from the old list: the typed text stays
        assert (field.input.value, field.alpha2) == ("ge", before)

        field.input.value = "Japan"  # one country: the old list's last index is past it
        await settle(pilot)
        picked = field.alpha2
        box.post_message(past)
        await settle(pilot)
        assert app.is_running and field.alpha2 == picked

        field.input.value = "ge"  # a click on the list on screen still picks
        await settle(pilot)
        shown = box.get_option_at_index(0)
        box.post_message(OptionList.OptionSelected(box, shown, 0))
        await settle(pilot)
        assert field.alpha2 == field._choices[shown.id] and field.input.value != "ge"
