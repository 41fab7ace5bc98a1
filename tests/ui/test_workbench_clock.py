"""The workbench tells the manager when a claim's time comes from a kiosk whose clock looked
wrong: a lead stamped years before the show wins "earliest claim" all the same."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from textual.widgets import Static

from kiosk import booth, installs
from kiosk.booth import LeadInput
from tests.factory import CONFIG, NOW
from tests.ui.helpers import SIZE, rows, settle
from tests.ui.test_workbench import open_workbench

SLOW = datetime(2001, 1, 1, 10, 0, tzinfo=UTC)
VISITOR = LeadInput(name="Clock Victim", email="cv@c.example", country="BR", rating="hot")


def _slow_claim_and_an_honest_one(db) -> str:
    """kiosk-b (clock in 2001, luis away) files the visitor for marta; kiosk-a, at NOW, for
    luis: rule 6 gives marta the visitor and luis a dispute."""
    slow, honest = replace(CONFIG, kiosk_id="kiosk-b"), replace(CONFIG, kiosk_id="kiosk-a")
    booth.set_away(db, slow, "luis", True, now=SLOW - timedelta(hours=1))
    booth.add_lead(db, slow, VISITOR, now=SLOW)
    booth.set_away(db, honest, "luis", False, now=NOW - timedelta(hours=1))
    booth.add_lead(db, honest, VISITOR, now=NOW)
    [(pid,)] = rows(db, "SELECT id FROM proposals WHERE kind = 'dispute' AND status = 'open'")
    return pid


async def test_the_workbench_marks_a_claim_stamped_by_a_wrong_clock(make_app, booth_db):
    pid = _slow_claim_and_an_honest_one(booth_db)
    app = make_app(role="manager", user_id="wei")
    async with app.run_test(size=SIZE) as pilot:
        wb = await open_workbench(pilot, pid)
        await settle(pilot)
        said = wb.query_one("#wb-reason", Static).render().plain.replace("\n", " ")
        assert "filed at kiosk-a, today 10:00, came after Marta Díaz's" in said  # (worded)
        assert "⚠ kiosk-b's clock looked wrong: it stamped this customer 2001-01-01 10:00" in said
        assert "9454 days before the show" in said
        assert "kiosk-a's clock" not in said


async def test_the_workbench_marks_a_kiosk_id_two_laptops_use(make_app, booth_db):
    pid = _slow_claim_and_an_honest_one(booth_db)
    installs.learn(booth_db, [("kiosk-a", "1" * 32), ("kiosk-a", "2" * 32)])
    app = make_app(role="manager", user_id="wei")
    async with app.run_test(size=SIZE) as pilot:
        wb = await open_workbench(pilot, pid)
        await settle(pilot)
        said = wb.query_one("#wb-reason", Static).render().plain.replace("\n", " ")
        assert (
            "⚠ kiosk-a is the kiosk id of two laptops: 'filed at kiosk-a' could be either." in said
        )
        assert "kiosk-b is the kiosk id" not in said
