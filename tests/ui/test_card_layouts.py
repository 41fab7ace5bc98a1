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
from kiosk.ui.widgets.plain import KeepsDrawings
from tests.ui.helpers import SIZE, settle
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


async def test_a_card_whose_parts_change_height_is_laid_out_once(make_app, layouts):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _layouts_for(app, pilot, layouts, "B-100")
        # a Latin name to a CJK one (taller, and other lines of evidence), and back
        for payload in ("B-300", "B-100"):
            assert await _layouts_for(app, pilot, layouts, payload) == 1, payload


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
        assert "visitor-name" in drawn  # the card was drawn…
        again = {"qr", "qr-caption", "call-name", "call-details"} & set(drawn)
        assert not again  # …but not Ben's parts
        assert not {"qr", "qr-caption", "call-details"} & set(measured)  # nor measured
        shown = app.export_screenshot()
        for part in app.screen.query("*"):
            if isinstance(part, KeepsDrawings):
                part.forget_drawings()
                part.refresh()
        await settle(pilot)
        assert app.export_screenshot() == shown
