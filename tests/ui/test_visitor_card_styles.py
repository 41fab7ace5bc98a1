"""The card's status colours after a restyle of only the parts they style.

`VisitorCard` restyles the card and `STATUS_STYLED` when its status classes change, not
its twenty parts (Textual's way, ~8 ms of every scan whose status changed). These tests
say that nothing on screen differs from a full restyle, scan after scan, and that the list
names every part kiosk.tcss styles by those classes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kiosk.ui.widgets import visitor_card
from kiosk.ui.widgets.card_text import CardText
from kiosk.ui.widgets.plain import KeepsDrawings
from kiosk.ui.widgets.visitor_card import STATUS_STYLED, VisitorCard
from kiosk.visits import STATUSES
from tests.ui.helpers import SIZE, settle
from tests.ui.keys import scan

TCSS = Path(visitor_card.__file__).resolve().parent.parent / "kiosk.tcss"
NEW_VISITOR = "MECARD:N:Visitor,New;EMAIL:new.visitor@example.org;;"


def test_the_list_names_every_part_the_status_classes_style():
    classes = {f"-{s}" for s in STATUSES} | {"-no-qr"}
    styled: set[str] = set()
    for selector in re.findall(r"VisitorCard\.(-[\w-]+)((?:\s+#[\w-]+)?)", TCSS.read_text()):
        cls, target = selector
        if cls in classes and target.strip():
            styled.add(target.strip())
    assert styled and styled <= set(STATUS_STYLED), styled - set(STATUS_STYLED)


async def test_scan_after_scan_the_card_looks_as_after_a_full_restyle(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()  # the card is mounted right after the first frame
        card = app.screen.query_one(VisitorCard)
        # known → new visitor → unreadable → known again: the border, the band, the call
        # block and the QR's column change with each
        for payload in ("B-100", NEW_VISITOR, "\x01\x02garbage\x03", "B-200"):
            scan(app, payload)
            await settle(pilot)
            shown = app.export_screenshot()
            app.stylesheet.update(card)  # Textual's own: the card and every part in it
            await settle(pilot)
            assert app.export_screenshot() == shown, payload


async def test_a_look_seen_before_is_put_back_as_a_full_restyle_would_draw_it(
    make_app, monkeypatch
):
    """A status seen before gets back the styles its first restyle resolved to (the card's
    border, the band, the call block's colour) and the column's drawings in them, with no
    matching of rules: the screen must be what Textual's restyle of every part shows. A
    restyle from outside (here the test's own) drops what was kept, so each round shows two
    statuses first, then the first again."""
    put_back = []
    real = visitor_card._put_back
    monkeypatch.setattr(
        visitor_card, "_put_back", lambda node, look: put_back.append(node.id) or real(node, look)
    )
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()  # the card is mounted right after the first frame
        card = app.screen.query_one(VisitorCard)
        rounds = [("B-100", NEW_VISITOR, "B-200"), (NEW_VISITOR, "B-300", NEW_VISITOR),
                  ("\x01\x02garbage\x03", "B-100", "\x01\x02more garbage\x03")]  # fmt: skip
        for first, other, again in rounds:
            for payload in (first, other):
                scan(app, payload)
                await settle(pilot)
            put_back.clear()
            scan(app, again)
            await settle(pilot)
            assert put_back == ["card", "band", "card-text"], again  # the look was kept
            shown, colours = app.export_screenshot(), _component_colours(card)
            app.stylesheet.update(card)  # Textual's own: the card and every part in it
            await settle(pilot)
            assert app.export_screenshot() == shown, again
            assert _component_colours(card) == colours, again  # what a later drawing reads
        # Another theme restyles everything: a look kept in the last one must not come back.
        app.theme = "kiosk-light" if app.theme == "kiosk-dark" else "kiosk-dark"
        await settle(pilot)
        for payload in (NEW_VISITOR, "B-100"):
            scan(app, payload)
            await settle(pilot)
            shown = app.export_screenshot()
            app.stylesheet.update(card)
            await settle(pilot)
            assert app.export_screenshot() == shown, payload


def _component_colours(card: VisitorCard) -> dict[str, tuple[object, object]]:
    text = card.query_one(CardText)
    return {
        name: (text.get_component_styles(name).background, text.get_component_styles(name).color)
        for name in sorted(CardText.COMPONENT_CLASSES)
    }


@pytest.mark.parametrize("size", [SIZE, (80, 24)])
async def test_card_after_card_looks_as_after_a_full_layout(make_app, size):
    """The card's parts are only repainted when their text keeps its height (and left
    alone when it is the same text), and laid out once when it does not (`OneLayout`):
    what that shows must be what a layout of every part shows — from a Latin name to
    another, to a CJK one, to a walk-in, an unreadable badge and back, where parts appear,
    disappear, grow and shrink; on a small terminal too, where the card scrolls."""
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()  # the card is mounted right after the first frame
        card = app.screen.query_one(VisitorCard)
        for payload in ("B-100", "B-200", "B-200", "B-300", NEW_VISITOR, "\x01\x02garbage\x03",
                        "B-100"):  # fmt: skip
            scan(app, payload)
            await settle(pilot)
            shown = app.export_screenshot()
            for part in (card, *card.query("*")):
                if isinstance(part, KeepsDrawings):
                    part.forget_drawings()
                part.refresh(layout=True)  # every part drawn and laid out anew
            await settle(pilot)
            assert app.export_screenshot() == shown, payload


async def test_the_call_block_is_one_colour_card_after_card(make_app):
    """Every cell of the call block — its label, the big name, the details, the padding —
    is on the block's background for this card's status (when the label, name and details
    were widgets that kept their drawings, a new visitor's blue block after a known
    customer's green one showed them on green)."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()  # the card is mounted right after the first frame
        text = app.screen.query_one(CardText)
        seen = {}
        for payload in ("B-100", "B-200", "B-300", NEW_VISITOR, "B-100", NEW_VISITOR):
            scan(app, payload)
            await settle(pilot)
            first, count = text.rows_of("call") or (0, 0)
            assert count, payload
            region = text.region
            strips = app.screen._compositor.render_strips()
            backgrounds = {
                segment.style.bgcolor
                for y in range(region.y + first, region.y + first + count)
                for segment in strips[y].crop(region.x, region.right)
                if segment.style is not None
            }
            assert len(backgrounds) == 1, (payload, backgrounds)
            seen[app.screen.visit.status] = backgrounds.pop()
        assert seen["known"] != seen["new"]
