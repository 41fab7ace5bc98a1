"""A kiosk learns its clock is wrong from the hub's (real PostgreSQL): each round compares
this kiosk's `now` with the hub's time, and `kiosk sync`, `kiosk sync --every` and `kiosk hub
status` warn when they differ by more than two minutes. The hub's time is a parameter: here
PostgreSQL reads back a fixed time, so the tests never depend on the wall clock."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import psycopg
import pytest

from kiosk import clock
from kiosk.db import open_db
from kiosk.hub import sync
from kiosk.hub.sync import clock_news, clock_warning, sync_once
from tests.cli.common import run
from tests.factory import NOW
from tests.hub.conftest import kiosk_file

pytestmark = pytest.mark.pg


def hub_at(when: datetime):
    """A hub clock that asks PostgreSQL for `when` (a real query, a known answer)."""

    def read(conn: psycopg.Connection[Any]) -> datetime:
        row = conn.execute("SELECT %s::timestamptz", [when]).fetchone()
        conn.commit()
        assert row is not None
        return row[0]

    return read


def test_a_round_measures_this_kiosks_clock_against_the_hubs(hub_url, template_db, tmp_path):
    db = open_db(kiosk_file(template_db, tmp_path, "kiosk-a"), create=False)
    slow = sync_once(db, hub_url, kiosk_id="kiosk-a", now=NOW - timedelta(hours=3),
                     hub_clock=hub_at(NOW))  # fmt: skip
    assert slow.clock_offset == timedelta(hours=3)
    assert slow.clock_warning() == (
        "Warning: this kiosk's clock is 3 h behind the hub's. Set it right: its scans and"
        " leads look earlier than the other kiosks' and win 'earliest claim' disputes."
    )
    fast = sync_once(db, hub_url, kiosk_id="kiosk-a", now=NOW + timedelta(days=400),
                     hub_clock=hub_at(NOW))  # fmt: skip
    assert fast.clock_warning().startswith("Warning: this kiosk's clock is 400 d ahead of")
    near = sync_once(db, hub_url, kiosk_id="kiosk-a", now=NOW - timedelta(seconds=100),
                     hub_clock=hub_at(NOW))  # fmt: skip
    assert near.clock_offset == timedelta(seconds=100) and near.clock_warning() == ""
    unmeasured = sync_once(db, hub_url, kiosk_id="kiosk-a", now=NOW)  # no hub clock given
    assert unmeasured.clock_offset is None and unmeasured.clock_warning() == ""
    db.conn.close()


@pytest.fixture
def slow_laptop(monkeypatch: pytest.MonkeyPatch) -> None:
    """This computer's clock (no KIOSK_NOW) 3 h behind a hub that says NOW."""
    monkeypatch.delenv("KIOSK_NOW")
    monkeypatch.setattr(clock, "system_clock", lambda: NOW - timedelta(hours=3))
    monkeypatch.setattr(sync, "server_clock", hub_at(NOW))


def test_kiosk_sync_and_hub_status_warn_on_a_slow_clock(
    hub_url, template_db, tmp_path, slow_laptop
):
    a = kiosk_file(template_db, tmp_path, "kiosk-a")
    result = run("sync", "--hub", hub_url, db=a)
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith("pushed 0, pulled 0 (0 new).\n")  # the round ran
    assert result.stderr == (
        "Warning: this kiosk's clock is 3 h behind the hub's. Set it right: its scans and"
        " leads look earlier than the other kiosks' and win 'earliest claim' disputes.\n"
    )
    status = run("hub", "status", "--hub", hub_url, db=a)
    assert status.exit_code == 0, status.output
    assert status.stdout.splitlines()[-1].startswith("Warning: this kiosk's clock is 3 h behind")


def test_a_rehearsal_at_kiosk_now_is_not_compared_with_the_hubs_clock(
    hub_url, template_db, tmp_path, monkeypatch
):
    """KIOSK_NOW sets the time on purpose: the hub's real clock would always contradict it."""
    monkeypatch.setattr(sync, "server_clock", hub_at(NOW + timedelta(days=30)))
    a = kiosk_file(template_db, tmp_path, "kiosk-a")
    result = run("sync", "--hub", hub_url, db=a)
    assert result.exit_code == 0 and result.stderr == ""
    assert "clock" not in run("hub", "status", "--hub", hub_url, db=a).output


def test_a_loop_of_rounds_says_the_clock_warning_when_it_changes_not_every_round():
    """`kiosk sync --every 2s`: the offset moves a little every round."""
    lines, state = [], ""
    for minutes in (0, 0.5, 180, 180.02, 181, -30, -30.1, 1, 0.5):
        state, line = clock_news(state, timedelta(minutes=minutes))
        lines.append(line)
    assert [line for line in lines if line] == [
        clock_warning(timedelta(minutes=180)),
        clock_warning(timedelta(minutes=-30)),
        "This kiosk's clock agrees with the hub's again.",
    ]
    assert lines[2].startswith("Warning: this kiosk's clock is 3 h behind the hub's.")
    assert lines[5].startswith("Warning: this kiosk's clock is 30 min ahead of the hub's.")
    assert clock_news("", None) == ("", "")  # not measured (KIOSK_NOW): nothing to say
