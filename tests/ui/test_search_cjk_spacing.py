"""The search screen finds a Chinese name typed with a space its record does not have."""

from __future__ import annotations

from kiosk.ui.screens.search import SearchScreen
from tests.ui.helpers import SIZE, press_for, until


async def test_a_cjk_name_spaced_otherwise_is_found(make_app):
    """'王 小明' was "Nothing found" beside the contact 王小明 (the exploratory pass)."""
    app = make_app(role="staff", user_id="ana")
    async with app.run_test(size=SIZE) as pilot:
        screen = await press_for(pilot, "f2", SearchScreen)
        screen.query_one("#query").value = "王 小明"  # as an input method commits it
        await until(pilot, lambda: screen.results)
        assert [c.contact.name for c in screen.results] == ["王小明"]
        status = screen.query_one("#search-status").render().plain
        assert "Nothing found" not in status
