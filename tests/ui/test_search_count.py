"""Search says "showing N of M" when the list shows only the first of many matches."""

from __future__ import annotations

from textual.coordinate import Coordinate
from textual.widgets import DataTable

from kiosk.ui.screens.search import SearchScreen
from tests.ui.helpers import SIZE, press_for


def test_the_services_count_every_match(make_app):
    services = make_app().services
    kind, cands, total, more = services.search_counted("example", limit=2)
    assert len(cands) == 2 and total is not None and total > 2 and not more


async def test_the_search_screen_says_showing_n_of_m(make_app):
    app = make_app(role="staff", user_id="ana")
    async with app.run_test(size=SIZE) as pilot:
        screen = await press_for(pilot, "f2", SearchScreen)
        kind, cands, total, more = app.services.search_counted("example", limit=2)
        screen._fill("example", kind, cands, total, more)
        await pilot.pause()
        status = screen.query_one("#search-status").render().plain
        assert status.startswith(f"showing 2 of {total}")
        screen._fill("example", kind, cands, 200, True)
        await pilot.pause()
        assert "of 200+" in screen.query_one("#search-status").render().plain


async def test_the_match_column_says_where_a_text_hit_was_found(make_app):
    """Every text hit was called 'name', also 'Shoji' found in a company's name."""
    app = make_app(role="staff", user_id="ana")
    async with app.run_test(size=SIZE) as pilot:
        screen = await press_for(pilot, "f2", SearchScreen)
        table = screen.query_one("#results", DataTable)
        for query, where in (
            ("Yuki", "name"),
            ("Shoji", "company"),
            ("Yuki Shoji", "name and company"),
            ("luces.example", "e-mail or city"),
            ("Yukki", "similar name"),
            ("Luces Iberikas", "similar company"),  # was "similar name" beside José Martínez
        ):
            kind, cands, total, more = app.services.search_counted(query, limit=5)
            screen._fill(query, kind, cands, total, more)
            await pilot.pause()
            assert str(table.get_cell_at(Coordinate(0, 4))) == where, query
