"""The booth screen with a hub: the header says online (lag, waiting to push), another
kiosk's scan of the logged-in salesperson's customer arrives as a notice within a round,
and F11 marks the visitor received — on a real PostgreSQL hub, the worker in its thread."""

from __future__ import annotations

import asyncio

import pytest

from kiosk import booth
from kiosk.db import open_db
from kiosk.hub.sync import sync_once
from kiosk.show import show_config
from kiosk.ui.factory import build_app
from kiosk.ui.hub_link import HubLink
from tests.factory import NOW
from tests.hub.conftest import kiosk_file
from tests.ui.helpers import SIZE, toasts

pytestmark = pytest.mark.pg


async def until(pilot, test, seconds: float = 30.0, why=lambda: "") -> None:
    """Let the app run until `test()` holds (the worker's thread needs real time)."""
    for _ in range(int(seconds / 0.1)):
        if test():
            return
        await pilot.pause(0.1)
    assert test(), why()


def test_the_owner_sees_the_notice_and_marks_the_visitor_received(hub_url, template_db, tmp_path):
    a = kiosk_file(template_db, tmp_path, "kiosk-a")
    b = kiosk_file(template_db, tmp_path, "kiosk-b")

    async def body() -> None:
        db = open_db(a, create=False)
        config = show_config(db)
        link = HubLink(a, hub_url, config, clock=lambda: NOW, every=0.2)
        app = build_app(
            db, config, now=lambda: NOW, db_path=a, role="staff", user_id="kenji", hub=link,
            card_timeout=None, warm_up=False, watch_interval=None,
        )  # fmt: skip
        async with app.run_test(size=SIZE) as pilot:

            def header() -> str:
                return str(app.screen.query_one("#hdr-hub").render())

            await until(pilot, lambda: header() == "● hub 0.0 s · 0 ↑")

            # Kenji's customer Yuki Tanaka is scanned at the entrance (kiosk B)
            other = open_db(b, create=False)
            cid = other.execute("SELECT id FROM contacts WHERE crm_id = 'C1'").fetchone()[0]
            event = booth.check_in(other, show_config(other), cid, now=NOW).event
            sync_once(other, hub_url, kiosk_id="kiosk-b", now=NOW)
            other.conn.close()

            notice = "Yuki Tanaka of Tanaka Shoji is at reception — F11: received"
            await until(pilot, lambda: notice in toasts(app))
            # F11 is on the footer now; its action records the reception (the key itself is
            # Textual's binding machinery, exercised by every other pilot test)
            assert app.check_action("notice_received", ()) is True
            said: list[str] = []
            shown = app.notify
            app.notify = lambda message, **kw: (said.append(str(message)), shown(message, **kw))[1]
            app.action_notice_received()

            def received():
                return tuple(
                    db.execute(
                        "SELECT status, received_by FROM checkins WHERE id = ?", [event.uuid]
                    ).fetchone()
                )

            await until(pilot, lambda: received() == ("received", "kenji"), why=lambda: said)
            assert "Yuki Tanaka received by Kenji Sato" in said
            # the "received" is pushed within a round: the entrance kiosk's next sync has it
            other = open_db(b, create=False)

            def seen_at_b() -> str:
                sync_once(other, hub_url, kiosk_id="kiosk-b", now=NOW)
                row = other.execute(
                    "SELECT status FROM checkins WHERE id = ?", [event.uuid]
                ).fetchone()
                return str(row[0])

            await until(pilot, lambda: seen_at_b() == "received")
            other.conn.close()
        db.conn.close()

    asyncio.run(body())
