"""The booth TUI driven like the booth drives it: scanner bursts, people typing, keys.

Assertions are on what matters — the database rows and events, the visit the card shows,
the widgets' text — not only on pixels (those are in test_snapshots.py).
"""

from __future__ import annotations

from kiosk.ui import keys
from kiosk.ui.screens.lead_form import LeadFormScreen
from kiosk.ui.screens.notes import NotesModal
from kiosk.ui.screens.scan import ScanScreen
from kiosk.ui.screens.search import SearchScreen
from kiosk.ui.widgets.big_name import BigName
from kiosk.ui.widgets.card_text import CardText
from tests.ui.helpers import SIZE, press_for, scans_received, settle, until
from tests.ui.keys import post_keys, scan, type_slowly

VCARD_JOSE = (
    "BEGIN:VCARD\nVERSION:3.0\nN:Martínez;José;;;\nFN:José Martínez\n"
    "ORG:Luces Ibéricas S.L.\nEMAIL:jose@luces.example\nEND:VCARD"
)


def rows(db, sql, params=()):
    return [dict(r) for r in db.query(sql, list(params))]


async def test_scan_shows_the_card_with_the_right_owner_and_checks_in(make_app, booth_db):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        scan(app, "B-100")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ScanScreen)
        visit = screen.visit
        assert visit is not None and visit.contact.name == "Yuki Tanaka"
        assert visit.decision.salesperson_id == "kenji"
        call = app.query_one(CardText).block("call")
        assert call is not None and call.text[1] == "Kenji Sato"  # type: ignore[index]
        [checkin] = rows(booth_db, "SELECT * FROM checkins")
        assert checkin["owner_id"] == "kenji" and checkin["contact_id"] == visit.contact.id
        # the latency is measured and kept for the benchmark (timings stay out of tests)
        assert len(app.scan_latencies) == 1 and app.scan_latencies[0] > 0


async def test_a_multiline_vcard_burst_arrives_as_one_scan(make_app, booth_db):
    app = make_app()
    seen, hook = scans_received()
    async with app.run_test(size=SIZE, message_hook=hook) as pilot:
        scan(app, VCARD_JOSE, interval=0.003)
        await settle(pilot)
        assert seen == [VCARD_JOSE]
        assert app.screen.visit.contact.name == "José Martínez"
        assert app.screen.visit.decision.salesperson_id == "ana"
        assert len(rows(booth_db, "SELECT * FROM checkins")) == 1


async def test_a_long_burst_arms_the_gap_timer_a_few_times_not_once_a_key(make_app, monkeypatch):
    """Each key of a scan only moves the burst's deadline later: the timer that ends the
    burst is armed again when it fires early, not stopped and made anew for every key."""
    app = make_app()
    armed: list[str] = []
    call_after = keys.call_after

    def counting(pump, delay, callback, *, name="later"):
        if name == "scan-gap":
            armed.append(name)
        return call_after(pump, delay, callback, name=name)

    monkeypatch.setattr(keys, "call_after", counting)
    payload = "NOTE " + "x" * 395  # 400 keys, 2 ms apart
    seen, hook = scans_received()
    async with app.run_test(size=SIZE, message_hook=hook) as pilot:
        scan(app, payload, interval=0.002)
        await settle(pilot)
    assert seen == [payload]
    assert 1 <= len(armed) < 20


async def test_a_slow_hand_typed_query_is_a_search_not_a_scan(make_app):
    app = make_app(role="staff", user_id="ana")
    async with app.run_test(size=SIZE) as pilot:
        await press_for(pilot, "f2", SearchScreen)
        type_slowly(app, "Tanaka")
        await settle(pilot, 0.4)
        assert app.scan_input.scans == 0
        assert app.screen.query_one("#query").value == "Tanaka"
        assert any(c.contact.name == "Yuki Tanaka" for c in app.screen.results)


async def test_a_lead_saved_from_the_form_is_routed_and_logged(make_app, booth_db):
    app = make_app(role="staff", user_id="ana")
    async with app.run_test(size=SIZE) as pilot:
        form = await press_for(pilot, "f3", LeadFormScreen)
        form.query_one("#f-name").value = "Hana Mori"
        form.query_one("#f-company").value = "Mori Denki"
        form.query_one("#f-email").value = "hana@mori.example"
        form.query_one("#f-country").set_country("JP")
        form.query_one("#rating-hot").value = True
        await settle(pilot)
        assert "Kenji Sato" in str(form.query_one("#route-owner").render())
        await pilot.press("ctrl+s")
        await settle(pilot)
        [lead] = rows(booth_db, "SELECT * FROM leads")
        assert lead["owner_id"] == "kenji" and lead["rating"] == "hot"
        assert lead["rule"] == "territory-country"
        [event] = rows(booth_db, "SELECT * FROM events WHERE kind = 'lead.created'")
        assert event["actor"] == "ana"
        assert isinstance(app.screen, ScanScreen)
        assert app.screen.visit.contact.name == "Hana Mori"


async def test_a_scan_into_the_lead_form_fills_it_instead_of_typing(make_app):
    app = make_app(role="staff", user_id="ana")
    async with app.run_test(size=SIZE) as pilot:
        form = await press_for(pilot, "f3", LeadFormScreen)
        assert form.query_one("#f-name").has_focus
        card = VCARD_JOSE.replace("jose@luces", "pepe@luces").replace("José", "Pepe")
        scan(app, card, interval=0.003)
        await settle(pilot)
        assert form.query_one("#f-name").value == "Pepe Martínez"
        assert form.query_one("#f-email").value == "pepe@luces.example"
        assert app.screen is form  # no card, no check-in: the scan belonged to the form


async def test_reception_cannot_open_notes_but_staff_can(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        scan(app, "B-100")
        await settle(pilot)
        await pilot.press("f7")
        await pilot.pause()
        assert not isinstance(app.screen, NotesModal)
        assert not any("morning calls" in str(w.render()) for w in app.screen.query("Static"))
        app.set_session("staff", app.services.person("kenji"))
        scan(app, "B-100")
        await settle(pilot)
        await press_for(pilot, "f7", NotesModal)
        assert "morning calls" in app.screen.notes


async def test_the_language_switch_changes_the_screen_text(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        title = app.screen.query_one("#idle-title", BigName)
        assert title.text == "READY TO SCAN"
        await pilot.press("f8")
        await pilot.pause()
        assert app.lang == "zh"
        assert title.text == "请扫描"
        assert str(app.screen.query_one("#idle-prompt").render()).startswith("请扫描胸卡")
        descriptions = {b.description for _, b, _, _ in app.screen.active_bindings.values()}
        assert "语言" in descriptions and "Language" not in descriptions
        await pilot.press("f8")
        await pilot.pause()
        assert app.lang == "es" and title.text == "LISTO PARA ESCANEAR"


async def test_markup_in_a_badge_is_shown_literally(make_app):
    app = make_app()
    evil = "BEGIN:VCARD\nFN:[bold red]Evil[/] Corp\nORG:[link=x]Acme[/link]\nEND:VCARD"
    async with app.run_test(size=SIZE) as pilot:
        scan(app, evil, interval=0.003)
        await settle(pilot)
        card = app.screen.query_one("#card")
        text = card.query_one(CardText)
        name = text.block("visitor-name")
        assert name is not None and name.text == "[bold red]Evil[/] Corp"
        assert "[link=x]Acme[/link]" in text.plain("visitor-org")


async def test_an_unreadable_badge_keeps_the_scan_screen_usable(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        scan(app, "[/]%%%###")
        await settle(pilot)
        assert app.screen.visit.status == "unreadable"
        assert "[/]%%%###" in app.screen.query_one(CardText).plain("raw")
        [toast] = list(app._notifications)
        assert "[/]%%%###" in toast.message and toast.markup is False
        scan(app, "B-100")
        await settle(pilot)
        assert app.screen.visit.contact.name == "Yuki Tanaka"


async def test_a_code_unlike_the_show_badges_is_no_walk_in(make_app, booth_db):
    """A product barcode scanned at reception: before, a nameless walk-in paged Ben."""
    from kiosk.contact_rows import insert_contacts

    insert_contacts(booth_db, [
        dict(crm_id=f"X{i}", name=f"Visitor {i}", country="DE", badge_ids=f"EXPO-{i:06d}")
        for i in range(60)
    ])  # fmt: skip
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        scan(app, "4006381333931")
        await until(pilot, lambda: getattr(app.screen, "visit", None) is not None)
        assert app.screen.visit.status == "unreadable"
        # the card's text is laid out after the visit is known: wait for it, not a pause
        # (query, not query_one: under load the card may not be mounted yet either)
        await until(
            pilot,
            lambda: any("4006381333931" in c.plain("raw") for c in app.screen.query(CardText)),
        )
        shown = app.screen.query_one(CardText).plain("raw")
        raw = " ".join(shown.replace("│", " ").split())  # the block's frame and wrapping out
        assert "This is not one of this show's badges (they read like EXPO-0000" in raw
        assert "4006381333931" in raw
    assert booth_db.execute("SELECT count(*) FROM checkins").fetchone()[0] == 0


async def test_a_burst_followed_by_typing_loses_no_key(make_app):
    app = make_app(role="staff", user_id="ana")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        scan(app, "B-300")
        await settle(pilot)
        assert isinstance(app.screen, ScanScreen)  # the scan wins: the card is shown
        assert app.screen.visit.contact.name == "王小明"
        await pilot.press("f2")
        await pilot.pause()
        post_keys(app, "luces", interval=0.09)
        await settle(pilot, 0.3)
        assert app.screen.query_one("#query").value == "luces"


async def test_manager_view_needs_the_pin_and_decisions_are_events(make_app, booth_db):
    from kiosk import booth
    from tests.factory import CONFIG, NOW

    contact = booth_db.execute("SELECT id FROM contacts WHERE crm_id = 'C2'").fetchone()[0]
    booth.check_in(booth_db, CONFIG, contact, brought_by="luis", now=NOW)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5")
        await pilot.pause()
        for key in "9999":
            await pilot.press(key)
        await pilot.press("enter")
        await pilot.pause()
        assert app.role == "reception"  # wrong PIN: still reception
        app.screen.query_one("#pin").value = ""
        for key in "1234":
            await pilot.press(key)
        await pilot.press("enter")
        await settle(pilot)
        assert app.role == "manager" and type(app.screen).__name__ == "ManagerScreen"
        assert len(app.screen.queue) == 1
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        # `a` is the workbench's --approve shorthand: one dispute.decided event, an arrangement
        [decided] = rows(booth_db, "SELECT * FROM events WHERE kind = 'dispute.decided'")
        assert decided["actor"] == "wei"
        assert rows(booth_db, "SELECT status, outcome FROM proposals") == [
            {"status": "approved", "outcome": "shared"}
        ]


async def test_the_command_palette_speaks_the_ui_language_and_acts(make_app, booth_db):
    from kiosk.ui.commands import KioskCommands

    app = make_app(lang="es", role="staff", user_id="ana")
    async with app.run_test(size=SIZE) as pilot:
        provider = KioskCommands(app.screen)
        hits = {h.text: h for h in [h async for h in provider.discover()]}
        assert "Marcar a Ana Ruiz como ausente" in hits
        assert "Marcar a Ben Carter como ausente" not in hits  # staff mark only themselves
        hits["Marcar a Ana Ruiz como ausente"].command()
        await pilot.pause()
        assert booth_db.execute("SELECT away FROM salespeople WHERE id = 'ana'").fetchone()[0] == 1
        found = [h async for h in provider.search("english")]
        assert found and found[0].text == "Idioma: English"
        found[0].command()
        await pilot.pause()
        assert app.lang == "en"
        app.action_toggle_theme()
        assert app.theme == "kiosk-light"


async def test_a_big_name_is_drawn_once_per_width_not_once_per_question():
    """Textual asks a widget its width, its height and its lines: a name in tall letters
    (a font rasterised for CJK) is drawn once for each width, and again when it changes."""
    from unittest import mock

    from textual.app import App

    from kiosk.ui import bigtext

    class One(App[None]):
        def compose(self):
            yield BigName("王小明", id="n")

    drawn: list[str] = []
    real = bigtext.render_fitting

    def counting(text, width, sizes):
        drawn.append(text)
        return real(text, width, sizes)

    with mock.patch.object(bigtext, "render_fitting", counting):
        app = One()
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            first = len(drawn)
            assert 1 <= first <= 2  # the container's width, and the content's if narrower
            name = app.query_one("#n", BigName)
            name.refresh(layout=True)
            await pilot.pause()
            assert len(drawn) == first  # asked again: nothing redrawn
            name.set_name("李娜")
            await pilot.pause()
            assert drawn[-1] == "李娜" and len(drawn) > first


async def test_locking_clears_the_salespersons_notices(make_app):
    """F12 left "… is at reception — F11" and the manager's decisions about the salesperson
    on the locked screen for up to 30 s, and F11 still armed for whoever came next."""
    from kiosk.notify.screen import ScreenNotice

    app = make_app(role="staff", user_id="ana")
    async with app.run_test(size=SIZE) as pilot:
        app._notice = ScreenNotice("c1", "Yuki Tanaka", "Tanaka Shoji", "", "kiosk-2")
        app.notify("Yuki Tanaka of Tanaka Shoji is at reception — F11: received", timeout=30)
        await settle(pilot)
        assert app.check_action("notice_received", ()) is True
        await pilot.press("f12")
        await settle(pilot)
        assert app.role == "reception"
        # Textual keeps the toasts it shows in App._notifications
        assert [n.message for n in app._notifications] == [app.t("notify.locked")]
        assert not app.check_action("notice_received", ())


async def test_a_salesperson_logging_in_over_the_manager_view_does_not_see_it(make_app):
    """F9 and a staff PIN over the manager view left every salesperson's figures and the
    disputes' evidence up, under "STAFF Liang Wei"."""
    from kiosk.ui.screens.manager import ManagerScreen

    app = make_app(role="manager", user_id="wei")
    async with app.run_test(size=SIZE) as pilot:
        await press_for(pilot, "f5", ManagerScreen)
        app._login(app.services.people["ana"], "staff")  # what F9 and Ana's PIN end in
        await settle(pilot)
        assert app.role == "staff" and isinstance(app.screen, ScanScreen)


async def test_a_pin_typed_while_the_database_is_locked_says_so(make_app):
    """F5 and the manager's PIN while another program held the database: the PIN was
    dropped without a word, the dots left in the field."""
    import sqlite3

    from kiosk.ui.screens.pin import PinModal

    app = make_app()

    def locked(*args, **kwargs):
        raise sqlite3.OperationalError("database is locked")

    async with app.run_test(size=SIZE) as pilot:
        modal = await press_for(pilot, "f5", PinModal)
        app.services.try_pin = locked
        for key in "1234":
            await pilot.press(key)
        await pilot.press("enter")
        await until(pilot, lambda: "database is busy" in str(modal.query_one("#pin-msg").render()))
        assert "another program is writing" in str(modal.query_one("#pin-msg").render())
        assert app.screen is modal and modal.query_one("#pin").value == ""
