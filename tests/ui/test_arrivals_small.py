"""The arrivals board on an 80×24 terminal, in every language: every column in view with no
sideways scroll (Via was off the right edge, "received by …" cut), how each visitor came
under their name, and the highlighted visit in full on the line under the table."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kiosk import booth
from kiosk.models import Contact
from kiosk.ui.i18n import Translator
from kiosk.ui.screens.arrivals import ArrivalsScreen
from tests.factory import CONFIG, NOW
from tests.scenario import add_scenario
from tests.ui.helpers import cid, press_for, settle, until


def a_morning(db) -> None:
    """Pedro, invited and brought by Marta; Yuki, received by Ben (not Kenji, who was
    called); Aiko, a walk-in; José, waiting for Ana; and ten walk-ins waiting for over an
    hour (the longest wait's words, and more rows than the screen: a scroll bar)."""
    for i in range(10):
        early = Contact(id=None, name=f"Early Bird {i}", company="Dawn Ltd", country="JP")
        booth.walk_in(db, CONFIG, early, now=NOW - timedelta(minutes=75, seconds=i))
    add_scenario(db)
    yuki = booth.check_in(db, CONFIG, cid(db, "C1"), now=NOW - timedelta(minutes=40))
    booth.mark_received(db, CONFIG, yuki.event.uuid, by="ben", now=NOW - timedelta(minutes=30))
    aiko = Contact(id=None, name="Aiko Mori", company="Mori Denki", country="JP")
    booth.walk_in(db, CONFIG, aiko, now=NOW - timedelta(minutes=20))
    booth.check_in(db, CONFIG, cid(db, "C2"), now=NOW - timedelta(minutes=10))


@pytest.mark.parametrize("lang", ["en", "es", "zh"])
async def test_the_arrivals_board_is_whole_at_80x24(make_app, booth_db, lang):
    a_morning(booth_db)
    t = Translator(lang)
    app = make_app(lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        board = await press_for(pilot, "f4", ArrivalsScreen)
        table = board.query_one("#arrivals-table")
        columns = list(table.columns.values())
        assert table.max_scroll_x == 0  # nothing off the right edge
        assert (
            sum(c.get_render_width(table) for c in columns) <= table.scrollable_content_region.width
        )
        assert table.max_scroll_y > 0  # the case where a scroll bar takes its columns
        assert [str(c.key.value) for c in columns] == ["visitor", "called", "status", "waited"]
        cells = {  # by contact
            _contact(booth_db, k.value): [str(c) for c in table.get_row(k)] for k in table.rows
        }
        # how each came, under their name (cut with an ellipsis when long, never hidden)
        marta = [t("flag.invited", who="Marta Díaz"), t("flag.brought_by", who="Marta Díaz")]
        for name, via in (("C-SCEN", ", ".join(marta)), (_aiko(booth_db), t("flag.walk_in"))):
            second = cells[name][0].split("\n")[1]
            assert via.startswith(second.removesuffix("…")) and len(second) > 8, second
        assert cells["C1"][2] == "✓ Ben Carter"  # received, by someone else
        # the line under the table: the highlighted visit in full
        detail = board.query_one("#arrivals-detail")
        table.move_cursor(row=table.get_row_index(_row(booth_db, "C1")))
        said = t("arrivals.received_by", who="Ben Carter")
        await until(pilot, lambda: said in str(detail.render()))
        assert "Tanaka Shoji" in str(detail.render())
        table.move_cursor(row=table.get_row_index(_row(booth_db, "C-SCEN")))
        await settle(pilot)
        await until(pilot, lambda: ", ".join(marta) in str(detail.render()))


def _contact(db, checkin_id: str) -> str:
    row = db.execute(
        "SELECT coalesce(c.crm_id, c.id) FROM checkins k JOIN contacts c ON c.id = k.contact_id"
        " WHERE k.id = ?",
        [checkin_id],
    ).fetchone()
    return str(row[0])


def _aiko(db) -> str:
    return str(db.execute("SELECT id FROM contacts WHERE name = 'Aiko Mori'").fetchone()[0])


def _row(db, contact_id: str) -> str:
    return db.execute(
        "SELECT id FROM checkins WHERE contact_id = (SELECT id FROM contacts WHERE crm_id = ?"
        " OR id = ?)",
        [contact_id, contact_id],
    ).fetchone()[0]


async def test_a_wide_board_keeps_every_column_and_no_line_under_it(make_app, booth_db):
    a_morning(booth_db)
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        board = await press_for(pilot, "f4", ArrivalsScreen)
        table = board.query_one("#arrivals-table")
        assert [str(c.key.value) for c in table.columns.values()] == [
            "time", "visitor", "called", "status", "waited", "via", "company", "country"]  # fmt: skip
        assert not board.query_one("#arrivals-detail").display
        yuki = [str(c) for c in table.get_row_at(table.get_row_index(_row(booth_db, "C1")))]
        assert yuki[3] == "✓ received by Ben Carter"
