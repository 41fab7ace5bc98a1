"""The manager's people table keeps the brief's key figures at every size.

The brief (docs: DESIGN.md, "Who uses it"): the manager sees each salesperson's day, invited
customers who arrived, own customers checked in, new leads by rating. At 80×24 the table
showed only leads, waiting, received and the median wait; at 100×30 it hid the walk-ins and
"Invited came". Now short headers (in each language) and dropping the whole-show invitation
columns first keep them, with no sideways scrolling.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from textual.widgets import DataTable

from kiosk import booth
from kiosk.ui.i18n import LANGS
from tests.factory import CONFIG, NOW
from tests.scenario import A, add_scenario
from tests.ui.helpers import settle

KEY_FIGURES = ("person", "invited", "own", "walkins", "leads", "waiting", "median")


def a_day(db) -> None:
    """Issue 17's scenario: Marta's invited customer came, Luis (his owner) received him
    after 150 s, and the longest name of the company is clipped like any other."""
    add_scenario(db)
    [(checkin,)] = db.execute("SELECT id FROM checkins").fetchall()
    booth.mark_received(db, CONFIG, checkin, by=A, now=NOW + timedelta(seconds=150))
    db.execute(
        "UPDATE salespeople SET name = 'Maximiliane Alexandra von Hohenzollern' WHERE id = 'ana'"
    )
    db.conn.commit()


async def people_table(make_app, booth_db, lang: str, size: tuple[int, int]):
    a_day(booth_db)
    app = make_app(lang=lang, role="manager", user_id="wei")
    async with app.run_test(size=size) as pilot:
        await pilot.press("f5")
        await settle(pilot, 0.2)
        table = app.screen.query_one("#mgr-people", DataTable)
        keys = [str(k.value) for k in table.columns]
        labels = [str(c.label) for c in table.columns.values()]
        cells = {
            str(row.value): [str(table.get_cell(row, col)) for col in table.columns]
            for row in table.rows
        }
        fits = table.virtual_size.width <= table.scrollable_content_region.width
        return keys, labels, cells, fits, (table.virtual_size.width, table.size.width)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_the_key_figures_fit_without_sideways_scrolling(make_app, booth_db, lang, size):
    keys, labels, cells, fits, widths = await people_table(make_app, booth_db, lang, size)
    for key in KEY_FIGURES:
        assert key in keys, (key, keys, size)
    assert fits, (widths, labels)
    assert all(label.strip() for label in labels)
    marta = dict(zip(keys, cells["marta"], strict=True))
    luis = dict(zip(keys, cells["luis"], strict=True))
    assert (marta["invited"], luis["own"]) == ("1", "1")
    assert luis["median"] in ("2m", "2 min", "2分钟")  # as `kiosk report` says it: 2 (min)
    if size == (100, 30):
        assert "visits" in keys and "received" in keys


async def test_the_wide_view_keeps_every_column_and_the_long_headers(make_app, booth_db):
    keys, labels, _, fits, _ = await people_table(make_app, booth_db, "en", (160, 40))
    assert keys == ["person", "sent", "visits", "invited", "own", "walkins", "leads",
                    "waiting", "received", "median"]  # fmt: skip
    assert "Own\ncustomers" in labels and "Leads\nhot/warm/cold" in labels and fits
