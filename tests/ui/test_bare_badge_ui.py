"""A walk-in scanned from a bare badge id: the card and the arrivals board name them by
their badge id (the card said "(no name on the badge)" alone; the board's cell was blank)."""

from __future__ import annotations

import pytest

from kiosk.ui.i18n import Translator
from kiosk.ui.screens.arrivals import ArrivalsScreen
from kiosk.ui.widgets.card_text import CardText
from tests.ui.helpers import SIZE, press_for, settle, until
from tests.ui.keys import scan

CODE = "GLE26-0954321"


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_bare_badge_walk_in_is_named_by_its_badge_on_card_and_board(make_app, lang):
    t = Translator(lang)
    app = make_app(lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        scan(app, CODE)
        await until(pilot, lambda: app.screen.visit is not None)
        await settle(pilot)
        text = app.screen.query_one(CardText)
        assert CODE in text.plain("visitor-org")
        board = await press_for(pilot, "f4", ArrivalsScreen)
        table = board.query_one("#arrivals-table")
        column = list(table.columns).index("visitor")
        cells = [str(table.get_row_at(i)[column]).split("\n")[0] for i in range(table.row_count)]
        assert t("card.badge_only", badge=CODE) in cells
