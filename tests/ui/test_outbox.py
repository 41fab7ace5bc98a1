"""The manager's outbox (manager view, `n`): every notification with its state and why."""

from __future__ import annotations

import tomllib
from datetime import timedelta

from kiosk import booth
from kiosk.config import parse_config
from kiosk.db import open_db
from kiosk.notify.outbox import deliver, enqueue
from kiosk.ui.screens.manager import ManagerScreen
from kiosk.ui.screens.outbox import OutboxScreen
from tests.factory import NOW, SHOW
from tests.ui.helpers import SIZE, cid, press_for, settle

HOOK = "json://127.0.0.1:9/"  # never reached: the sender below answers for each channel
CONFIG = parse_config(
    tomllib.loads(
        SHOW + f'\n[notify]\nchannels = {{ kenji = ["{HOOK}kenji"], ana = ["{HOOK}ana"],'
        f' ben = ["{HOOK}ben"] }}\n'
    )
)


def sender(answers):
    """A channel per salesperson that answers as told (None: accepted)."""

    def send(url, title, body):
        return answers[url.rsplit("/", 1)[1]]

    return send


def one_pass(db, path, minutes, answers):
    now = NOW + timedelta(minutes=minutes)
    enqueue(db, CONFIG, now=now, db_path=path)
    return deliver(db, CONFIG, now=now, db_path=path, send=sender(answers))


def cells(table, key):
    return [str(c) for c in table.get_row(key)]


async def until(pilot, test, seconds: float = 20.0) -> None:
    """Let the app run until `test()` holds: another thread's work needs real time, more of
    it on a loaded machine (no latency is asserted)."""
    for _ in range(int(seconds / 0.1)):
        if test():
            return
        await pilot.pause(0.1)
    assert test()


async def test_the_manager_sees_each_notification_its_state_and_why(make_app, booth_db, db_path):
    answers = {
        "kenji": "A Connection error occurred sending to 127.0.0.1:9",
        "ana": None,
        "ben": "apprise cannot read this channel URL (check the scheme and its parts)",
    }
    for crm_id in ("C1", "C2", "C3"):
        booth.check_in(booth_db, CONFIG, cid(booth_db, crm_id), now=NOW)
    booth.check_in(booth_db, CONFIG, cid(booth_db, "C1"), now=NOW + timedelta(minutes=1))
    one_pass(booth_db, db_path, 1, answers)
    booth.set_away(booth_db, CONFIG, "ana", True, now=NOW)
    booth.check_in(booth_db, CONFIG, cid(booth_db, "C2"), now=NOW + timedelta(minutes=30))
    one_pass(booth_db, db_path, 30, answers)  # Kenji's second try, refused again

    app = make_app(role="manager", user_id="wei", config=CONFIG, watch_interval=0.1)
    async with app.run_test(size=SIZE) as pilot:
        await press_for(pilot, "f5", ManagerScreen)
        screen = await press_for(pilot, "n", OutboxScreen)
        summary = str(screen.query_one("#ob-summary").render())
        for figure in ("1 pending", "1 sent", "1 failed", "1 paused", "1 duplicate"):
            assert figure in summary, summary
        table = screen.query_one("#ob-items")
        by_state = {}
        for item in screen.items:
            by_state[item.state] = cells(table, item.id)
        assert set(by_state) == {"pending", "sent", "failed", "paused", "duplicate"}
        when, state, to, channel, about, tries, why = by_state["pending"]
        assert (state, to, tries) == ("pending", "Kenji Sato", "2")
        assert about == "Yuki Tanaka of Tanaka Shoji is at reception"
        assert why.startswith("next try 11-24 ")
        assert by_state["sent"][1:3] == ["sent", "Ana Ruiz"]
        assert by_state["failed"][2] == "Ben Carter"
        assert by_state["failed"][6].startswith("apprise cannot read")
        assert by_state["paused"][6] == "away: notifications paused"
        assert by_state["duplicate"][6].startswith("already notified")

        # Under the table, the highlighted item in full: the next try and the last refusal,
        # a failure's whole reason.
        states = [i.state for i in screen.items]
        table.move_cursor(row=states.index("pending"))
        await settle(pilot)
        assert "Connection error" in str(screen.query_one("#ob-detail").render())
        table.move_cursor(row=states.index("failed"))
        await settle(pilot)
        assert "check the scheme and its parts" in str(screen.query_one("#ob-detail").render())

        # The notification thread (another connection) sends Kenji's on its next try:
        # the screen follows without a key press.
        other = open_db(db_path, create=False)
        assert one_pass(other, db_path, 31, {**answers, "kenji": None}).sent == 1
        other.conn.close()
        await until(pilot, lambda: sorted(i.state for i in screen.items)[-2:] == ["sent", "sent"])
        states = sorted(i.state for i in screen.items)
        assert states == ["duplicate", "failed", "paused", "sent", "sent"]
        assert "2 sent" in str(screen.query_one("#ob-summary").render())
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ManagerScreen)


async def test_a_scan_wakes_the_notification_thread_at_once(make_app, booth_db, db_path):
    """The notification pass runs when a scan is recorded, not at its next look."""
    from kiosk.ui.hub_link import HubLink
    from tests.ui.keys import scan

    class Link(HubLink):
        woken = 0

        def start(self, app, on_status):  # no threads: only whether the app wakes them
            pass

        def wake(self):
            self.woken += 1

    link = Link(db_path, None, CONFIG, clock=lambda: NOW)
    app = make_app(hub=link, db_path=db_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert link.woken == 0
        scan(app, "B-100")  # Yuki Tanaka's badge
        await until(pilot, lambda: link.woken >= 1)
        assert booth_db.execute("SELECT count(*) FROM checkins").fetchone()[0] == 1
