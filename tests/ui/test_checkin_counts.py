"""Two figures answer "how many checked in", and they differ: visitors are people (one
scanned twice is one), check-ins are the scans recorded. The reception screen counted
people ("Today: 2 checked in") and the manager view scans ("3 check-ins"), and neither
said which; now both say what they count, in every language, as `kiosk stats` does."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kiosk import booth
from kiosk.ui.screens.manager import ManagerScreen
from tests.factory import CONFIG, NOW
from tests.ui.helpers import SIZE, cid, press_for, settle


def yuki_twice_and_jose(db) -> None:
    """Three check-ins today, of two visitors: Yuki came back after the repeat window."""
    booth.check_in(db, CONFIG, cid(db, "C1"), now=NOW - timedelta(hours=1))
    booth.check_in(db, CONFIG, cid(db, "C1"), now=NOW)
    booth.check_in(db, CONFIG, cid(db, "C2"), now=NOW)


@pytest.mark.parametrize(
    ("lang", "reception", "manager"),
    [
        ("en", "Visitors checked in today: 2",
         "Visitors checked in: 2 · check-ins (scans, repeats included): 3"),
        ("es", "Visitantes registrados hoy: 2",
         "Visitantes registrados: 2 · escaneos (repeticiones incluidas): 3"),
        ("zh", "今天已签到访客：2 位", "已签到访客 2 位 · 签到 3 次（按扫描计，含重复）"),
    ],
)  # fmt: skip
async def test_reception_and_the_manager_say_what_they_count(
    make_app, booth_db, lang, reception, manager
):
    yuki_twice_and_jose(booth_db)
    app = make_app(role="manager", user_id="wei", lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert reception in str(app.screen.query_one("#idle-today").render())
        screen = await press_for(pilot, "f5", ManagerScreen)
        assert manager in str(screen.query_one("#mgr-summary").render())
