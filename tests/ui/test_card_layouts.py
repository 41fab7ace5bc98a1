"""How many layouts of the screen a visitor card costs.

A layout of the whole screen (and the render of everything it moved) was most of the frame
after a card, and the scan → card timing waits for every layout the card asks for. A card
that keeps the shape of the last one costs none, even with another salesperson's QR; one
whose parts changed height costs one — Textual's own way cost two (a resized widget's
`virtual_size` asked for another) and the QR's `Static.update` one more.
(That what is shown equals a full layout of every part is checked in
test_visitor_card_styles.py.)
"""

from __future__ import annotations

import pytest
from textual.screen import Screen
from textual.widget import Widget

from kiosk.contact_rows import insert_contacts
from kiosk.ui.widgets.card_text import CardText
from kiosk.ui.widgets.header import KioskHeader
from kiosk.ui.widgets.plain import KeepsDrawings
from kiosk.ui.widgets.visitor_card import qr_for, qr_in_room
from tests.ui.helpers import SIZE, settle, until
from tests.ui.keys import scan

# Two contacts whose cards have the same shape (a name of three big rows, no full line under
# it; the same rule and lines of evidence), owned by two salespeople whose QRs are as big
YUKI_TWIN = dict(crm_id="C8", name="Yumi Tanaka", company="Tanaka Shoji",
                 email="yumi@tanaka.example", country="JP", owner_id="kenji", badge_ids="B-801")  # fmt: skip
KEN_TWIN = dict(crm_id="C9", name="Yuka Tanaka", company="Tanaka Shoji",
                email="yuka@tanaka.example", country="JP", owner_id="ben", badge_ids="B-802")  # fmt: skip


@pytest.fixture
def layouts(monkeypatch) -> list[int]:
    """The number of layouts of any screen so far (one counter, mutable)."""
    count = [0]
    original = Screen._refresh_layout

    def counted(self, *args, **kwargs):
        count[0] += 1
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Screen, "_refresh_layout", counted)
    return count


async def _layouts_for(app, pilot, layouts, payload: str) -> int:
    before, cards = layouts[0], len(app.scan_latencies)
    scan(app, payload)
    await settle(pilot)
    assert len(app.scan_latencies) == cards + 1, payload  # its card was drawn
    return layouts[0] - before


async def test_a_card_of_the_same_shape_with_another_qr_is_only_repainted(make_app, booth_db,
                                                                          layouts):  # fmt: skip
    insert_contacts(booth_db, [YUKI_TWIN, KEN_TWIN])
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _layouts_for(app, pilot, layouts, "B-801")
        qr = app.screen.query_one("#qr").render()
        assert await _layouts_for(app, pilot, layouts, "B-802") == 0
        assert app.screen.query_one("#qr").render() != qr  # another salesperson's QR


NEW_VISITOR = "MECARD:N:Visitor,New;EMAIL:new.visitor@example.org;;"
UNREADABLE = "\x01\x02garbage\x03"
# A salesperson whose vCard needs a bigger QR than the others' (24 rows of 47 columns)
ZED = ["zed", "Zedekiah Montgomery-Fitzwilliam", "zedekiah.montgomery-fitzwilliam@lumen.example",
       "+8613800000099", "sales", "en,de,fr"]  # fmt: skip
ZED_CUSTOMER = dict(crm_id="C10", name="Otto Brandt", company="Brandt Licht", email="otto@brandt.example",
                    country="DE", owner_id="zed", badge_ids="B-901")  # fmt: skip


async def test_a_card_of_another_shape_is_only_repainted(make_app, layouts):
    """The card's text column is one widget as tall as its room (`CardText`): a name of
    other rows (Latin, CJK, none), parts shown or not (a company, a call block, evidence,
    the raw payload) change its text, not its size; the QR's column keeps its room."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _layouts_for(app, pilot, layouts, "B-100")
        for payload in ("B-300", NEW_VISITOR, UNREADABLE, "nobody@nowhere.example", "B-200",
                        "B-100", UNREADABLE, "B-300"):  # fmt: skip
            assert await _layouts_for(app, pilot, layouts, payload) == 0, payload


async def test_the_qr_column_keeps_the_room_of_the_biggest_qr(make_app, booth_db, layouts):
    booth_db.execute(
        "INSERT INTO salespeople(id, name, email, phone, role, languages) VALUES (?,?,?,?,?,?)", ZED
    )
    insert_contacts(booth_db, [YUKI_TWIN, ZED_CUSTOMER])
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _layouts_for(app, pilot, layouts, "B-801")  # Kenji's QR: 24 rows
        small = app.screen.query_one("#qr").region
        assert await _layouts_for(app, pilot, layouts, "B-901") == 1  # a bigger QR: more room
        big = app.screen.query_one("#qr").region
        assert big.width > small.width and big.height > small.height
        for payload in ("B-801", UNREADABLE, "B-901", "B-801"):
            assert await _layouts_for(app, pilot, layouts, payload) == 0, payload
            assert app.screen.query_one("#qr").region == big, payload
        below = _kenjis_qr_centred(app, big)  # in the room, and whole
        assert not "".join(below).strip()  # blank under it


async def test_the_warm_up_takes_the_room_of_the_biggest_qr_before_any_scan(make_app, booth_db,
                                                                            layouts):  # fmt: skip
    """The warm-up draws every salesperson's QR and the card takes the biggest one's room
    then: the first customer of the salesperson with the biggest QR is a repaint, not a
    layout inside that scan (the slowest scans at a million contacts)."""
    booth_db.execute(
        "INSERT INTO salespeople(id, name, email, phone, role, languages) VALUES (?,?,?,?,?,?)", ZED
    )
    insert_contacts(booth_db, [YUKI_TWIN, ZED_CUSTOMER])
    app = make_app(warm_up=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _layouts_for(app, pilot, layouts, "B-801")  # the card's first showing: laid out
        room = app.screen.query_one("#qr").region
        zed = qr_for(app.services.people["zed"]).split("\n")
        assert (room.width, room.height) == (len(zed[0]), len(zed))  # Zed's room, Kenji's QR
        assert await _layouts_for(app, pilot, layouts, "B-901") == 0  # Zed's own QR
        assert app.screen.query_one("#qr").region == room


async def test_a_qr_shown_before_the_room_is_reserved_is_centred_in_it(make_app, booth_db):
    booth_db.execute(
        "INSERT INTO salespeople(id, name, email, phone, role, languages) VALUES (?,?,?,?,?,?)", ZED
    )
    insert_contacts(booth_db, [YUKI_TWIN])
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        scan(app, "B-801")
        await settle(pilot)
        app._reserve_qr_room([qr_for(app.services.people["zed"])])
        await settle(pilot)
        zed = qr_for(app.services.people["zed"]).split("\n")
        room = app.screen.query_one("#qr").region
        assert (room.width, room.height) == (len(zed[0]), len(zed))
        _kenjis_qr_centred(app, room)


def test_a_qr_is_centred_in_its_room():
    text = qr_in_room(["ab", "cd"], 6, 3)
    assert text.plain.split("\n") == ["  ab  ", "  cd  ", "      "]
    assert qr_in_room([], 4, 2).plain == "    \n    "  # no QR: the room, blank


async def test_a_salespersons_qr_shown_again_is_not_drawn_again(make_app, booth_db, monkeypatch):
    """The salesperson's parts keep each one's drawing (`KeepsDrawings`) and measures
    (`KeptPart`): Ben's QR after Kenji's is a copy of its earlier drawing, measured before,
    and looks as a drawing made anew."""
    insert_contacts(booth_db, [YUKI_TWIN, KEN_TWIN])
    drawn: list[str] = []
    original = Widget._render_content

    def counted(self):
        drawn.append(self.id or "")
        return original(self)

    monkeypatch.setattr(Widget, "_render_content", counted)
    measured: list[str] = []
    measure = Widget.get_content_height

    def measuring(self, *args, **kwargs):
        measured.append(self.id or "")
        return measure(self, *args, **kwargs)

    monkeypatch.setattr(Widget, "get_content_height", measuring)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for payload in ("B-801", "B-802", "B-801"):  # (the first card is measured by its layout)
            scan(app, payload)
            await settle(pilot)
        drawn.clear()
        measured.clear()
        scan(app, "B-802")
        await settle(pilot)
        name = app.screen.query_one(CardText).block("visitor-name")
        assert name is not None and name.text == "Yuka Tanaka"  # the card is Ben's customer's…
        assert not {"qr", "qr-caption"} & set(drawn)  # …but not Ben's QR
        assert not {"qr", "qr-caption"} & set(measured)  # nor measured
        shown = app.export_screenshot()
        for part in app.screen.query("*"):
            if isinstance(part, KeepsDrawings):
                part.forget_drawings()
                part.refresh()
        await settle(pilot)
        assert app.export_screenshot() == shown


async def test_a_card_reuses_the_strips_of_the_rows_it_shares_with_the_card_before(
    make_app, booth_db, monkeypatch
):
    """Two visitors of one salesperson share most rows (the call block, its padding and
    label, blank rows, the hint): each row's strip is made once, and the column's styles
    are asked for once, not again for every card (~1.5 ms of each card's frame)."""
    insert_contacts(booth_db, [YUKI_TWIN])
    asked: list[str] = []
    original = CardText.get_component_rich_style

    def counted(self, *names, **kwargs):
        asked.append(" ".join(names))
        return original(self, *names, **kwargs)

    monkeypatch.setattr(CardText, "get_component_rich_style", counted)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = app.query_one(CardText)
        strips = []
        for badge in ("B-100", "B-801"):  # Yuki and Yumi Tanaka, both Kenji's
            scan(app, badge)
            await settle(pilot)
            width = text.size.width
            strips.append({strip.text: strip for strip in text._strips(width)})
            asked_for_this_card, asked[:] = list(asked), []
            if badge == "B-801":
                assert asked_for_this_card == []  # the same status: the styles kept
        shared = [row for row in strips[1] if row in strips[0] and row.strip()]
        assert any("Kenji Sato" in row for row in shared)
        assert all(strips[1][row] is strips[0][row] for row in shared)


async def test_the_frame_after_a_card_is_marked_on_the_card_not_on_the_header(
    make_app, monkeypatch
):
    """The card is timed at the frame after it, which a repaint makes sure of (a repeat
    scan may change nothing): one cell of the card's band, what the visitor reads — the
    header repainted instead cost its widgets' lines in every card's frame."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        scan(app, "B-100")
        await settle(pilot)
        header = app.screen.query_one(KioskHeader)
        repaints: list[object] = []
        refresh = header.refresh

        def spy(*args, **kwargs):
            repaints.append(args)
            return refresh(*args, **kwargs)

        monkeypatch.setattr(header, "refresh", spy)
        scan(app, "B-100")  # the same visitor again: the same card
        await settle(pilot)
        assert len(app.scan_latencies) == 2  # a frame followed, and was timed
        assert repaints == []


def _kenjis_qr_centred(app, room) -> list[str]:
    """Assert that the QR column shows Kenji's QR whole, centred in `room` (a Region);
    returns the column's lines below it."""
    drawn = [
        "".join(s.text for s in app.screen.query_one("#qr").render_line(y))
        for y in range(room.height)
    ]
    kenji = qr_for(app.services.people["kenji"]).split("\n")
    left = (room.width - len(kenji[0])) // 2
    assert [line[left : left + len(kenji[0])] for line in drawn[: len(kenji)]] == kenji
    return drawn[len(kenji) :]


async def test_a_badge_with_a_huge_name_still_shows_whom_to_call(make_app):
    """A badge just under the 8 KB limit with a 5,000-character name filled the card with
    the name, and "PLEASE CALL …" fell below the screen. Each visitor field is cut to 80
    characters on the card, marked with an ellipsis."""

    huge = (
        "BEGIN:VCARD\nVERSION:3.0\nFN:" + "Z" * 5000 + "\nORG:" + "Co" * 1000
        + "\nEMAIL:zz@zz.example\nEND:VCARD"
    )  # fmt: skip
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        scan(app, huge)
        await until(pilot, lambda: app.screen.visit is not None)
        text = app.screen.query_one(CardText)
        await until(pilot, lambda: text.rows_of("call") is not None)
        first, count = text.rows_of("call")
        assert text.region.y + first + count <= text.parent.scrollable_content_region.bottom
        assert text.plain("visitor-org").replace("\n", "") == "Co" * 39 + "C…"
        assert len(app.screen.visit.contact.name) == 5000  # cut on the card only


async def test_the_cards_qr_names_the_exhibitor_as_the_salespersons_company(make_app):
    """The QR a visitor scans from the card saved the salesperson with no company."""
    from dataclasses import replace

    from kiosk.ui.widgets.visitor_card import VisitorCard
    from tests.factory import CONFIG

    app = make_app(config=replace(CONFIG, exhibitor="Lumen Lighting GmbH"))
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        scan(app, "B-100")
        await until(pilot, lambda: app.screen.visit is not None)
        card = app.screen.query_one(VisitorCard)
        owner = app.screen.visit.owner
        await until(pilot, lambda: card._qr_shown[0] != "")
        assert card._qr_shown[0] == qr_for(owner, "Lumen Lighting GmbH")
        assert card._qr_shown[0] != qr_for(owner)
