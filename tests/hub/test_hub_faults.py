"""The hub stopped mid-push and mid-pull, and a kiosk offline for an hour: nothing lost,
nothing doubled. The server is really stopped (`pg_ctl stop -m immediate`, a crash) at
each point a round can be cut, then started again."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import timedelta

import pytest

from kiosk import booth
from kiosk.db import get_meta, open_db, set_meta
from kiosk.hub.connection import HubUnreachable, connect
from kiosk.hub.sync import CURSOR, PUSHED, pending_count, sync_once, sync_round
from kiosk.hub.worker import SyncWorker
from kiosk.sync.merge import merge_databases
from tests.factory import CONFIG, NOW
from tests.hub.conftest import kiosk_file, snapshot

pytestmark = pytest.mark.pg


def record(path, kiosk_id, n, *, start=0, step=timedelta(seconds=30)):
    """`n` check-ins at kiosk `kiosk_id`, cycling through the three CRM visitors."""
    db = open_db(path, create=False)
    cfg = replace(CONFIG, kiosk_id=kiosk_id)
    ids = [r[0] for r in db.execute("SELECT id FROM contacts ORDER BY crm_id")]
    try:
        for i in range(n):
            booth.check_in(db, cfg, ids[i % len(ids)], now=NOW + step * (start + i))
    finally:
        db.conn.close()


def hub_events(url):
    with connect(url) as conn:
        return conn.execute("SELECT count(*), count(DISTINCT uuid) FROM hub_events").fetchone()


def stopping_at(pg, point, nth):
    """A checkpoint that crashes the server the `nth` time the round reaches `point`."""
    seen = {"n": 0}

    def checkpoint(where):
        if where == point:
            seen["n"] += 1
            if seen["n"] == nth:
                pg.stop("immediate")

    return checkpoint


@pytest.mark.parametrize("point", ["push:sent", "push:committed"])
def test_hub_lost_mid_push_loses_and_doubles_nothing(pg, hub_url, template_db, tmp_path, point):
    a = kiosk_file(template_db, tmp_path, "kiosk-a")
    record(a, "kiosk-a", 25)
    db = open_db(a, create=False)
    conn = connect(hub_url)
    with pytest.raises(HubUnreachable):
        sync_round(db, conn, hub_url, kiosk_id="kiosk-a", now=NOW, push_page=10,
                   checkpoint=stopping_at(pg, point, 2))  # fmt: skip
    conn.close()
    pg.start()
    # page 1 is on the hub; page 2 too if the crash came after its commit
    assert hub_events(hub_url) == ((20, 20) if point == "push:committed" else (10, 10))
    # the mark moved past each page the hub committed, and only those
    assert pending_count(db) == (15 if point == "push:sent" else 5)
    report = sync_once(db, hub_url, kiosk_id="kiosk-a", now=NOW)
    assert hub_events(hub_url) == (25, 25)
    assert report.pending == 0 and report.applied == 0
    # a kiosk that crashed after the hub's commit, before writing its mark (and so before
    # pulling its own events back), pushes them again: the hub keeps one of each
    set_meta(db, PUSHED, "0")
    db.execute("DELETE FROM hub_seen")
    assert sync_once(db, hub_url, kiosk_id="kiosk-a", now=NOW).pushed == 25
    assert hub_events(hub_url) == (25, 25)
    db.conn.close()


@pytest.mark.parametrize("point", ["pull:fetched", "pull:applied"])
def test_hub_lost_mid_pull_resumes_where_it_stopped(pg, hub_url, template_db, tmp_path, point):
    a = kiosk_file(template_db, tmp_path, "kiosk-a")
    b = kiosk_file(template_db, tmp_path, "kiosk-b")
    record(a, "kiosk-a", 25)
    record(b, "kiosk-b", 3, start=100)
    db_a = open_db(a, create=False)
    sync_once(db_a, hub_url, kiosk_id="kiosk-a", now=NOW)
    db_b = open_db(b, create=False)
    conn = connect(hub_url)
    with pytest.raises(HubUnreachable):
        sync_round(db_b, conn, hub_url, kiosk_id="kiosk-b", now=NOW, pull_page=10,
                   checkpoint=stopping_at(pg, point, 2))  # fmt: skip
    conn.close()
    pg.start()
    # B pushed its 3, then applied the two pages it had read (a page fetched before the
    # crash is applied whole), and the cursor says so: the third read found no server
    assert db_b.execute("SELECT count(*) FROM checkins").fetchone()[0] == 3 + 20
    assert int(get_meta(db_b, CURSOR) or 0) == 20
    sync_once(db_b, hub_url, kiosk_id="kiosk-b", now=NOW)
    sync_once(db_a, hub_url, kiosk_id="kiosk-a", now=NOW)
    db_a.conn.close()
    db_b.conn.close()
    assert hub_events(hub_url) == (28, 28)
    assert snapshot(a) == snapshot(b)
    assert len(snapshot(a)["checkins"]) == 28


def test_a_kiosk_offline_for_an_hour_catches_up(pg, hub_url, template_db, tmp_path):
    a = kiosk_file(template_db, tmp_path, "kiosk-a")
    b = kiosk_file(template_db, tmp_path, "kiosk-b")
    for path, kiosk in ((a, "kiosk-a"), (b, "kiosk-b")):
        db = open_db(path, create=False)
        sync_once(db, hub_url, kiosk_id=kiosk, now=NOW)
        db.conn.close()
    # an hour: A keeps scanning and syncing; B is cut off and keeps scanning too
    for minute in range(0, 60, 5):
        record(a, "kiosk-a", 5, start=minute * 2, step=timedelta(seconds=30))
        record(b, "kiosk-b", 2, start=minute * 2, step=timedelta(seconds=29))
        db = open_db(a, create=False)
        sync_once(db, hub_url, kiosk_id="kiosk-a", now=NOW + timedelta(minutes=minute))
        db.conn.close()
        db = open_db(b, create=False)
        with pytest.raises(HubUnreachable):
            sync_once(db, "postgresql://postgres@127.0.0.1:1/unplugged", kiosk_id="kiosk-b",
                      now=NOW + timedelta(minutes=minute))  # fmt: skip
        assert pending_count(db) == 2 * (minute // 5 + 1)
        db.conn.close()
    merged = kiosk_file(template_db, tmp_path, "office")
    merge_databases(merged, [a, b], now=NOW + timedelta(hours=2), backup=False)
    for path, kiosk in ((b, "kiosk-b"), (a, "kiosk-a")):
        db = open_db(path, create=False)
        sync_once(db, hub_url, kiosk_id=kiosk, now=NOW + timedelta(hours=1))
        assert pending_count(db) == 0
        db.conn.close()
    assert hub_events(hub_url) == (84, 84)
    assert snapshot(a) == snapshot(b) == snapshot(merged)


def test_the_worker_goes_offline_and_back_and_pushes_what_waited(
    pg, hub_url, template_db, tmp_path
):
    """The background worker: a scan here is pushed and another kiosk's arrives, it says
    offline while the hub is down (the kiosk keeps recording), then catches up."""
    a = kiosk_file(template_db, tmp_path, "kiosk-a")
    b = kiosk_file(template_db, tmp_path, "kiosk-b")
    statuses = []
    changed = threading.Condition()

    def seen(status):
        with changed:
            statuses.append(status)
            changed.notify_all()

    worker = SyncWorker(lambda: open_db(b, create=False), hub_url, kiosk_id="kiosk-b",
                        clock=lambda: NOW, every=0.2, on_status=seen)  # fmt: skip
    stop = threading.Event()
    thread = threading.Thread(target=worker.run, args=(stop,))
    thread.start()

    def wait_for(test):
        with changed:
            assert changed.wait_for(lambda: statuses and test(statuses[-1]), timeout=30)

    def count(path):
        db = open_db(path, create=False)
        try:
            return db.execute("SELECT count(*) FROM checkins").fetchone()[0]
        finally:
            db.conn.close()

    try:
        wait_for(lambda s: s.online)
        record(a, "kiosk-a", 2)
        db = open_db(a, create=False)
        sync_once(db, hub_url, kiosk_id="kiosk-a", now=NOW)  # NOTIFY wakes B's worker
        db.conn.close()
        wait_for(lambda s: s.online and s.cursor >= 2)
        assert count(b) == 2

        pg.stop("immediate")
        record(b, "kiosk-b", 3, start=10)
        wait_for(lambda s: not s.online and s.pending == 3)
        assert "cannot reach the hub" in statuses[-1].error
        pg.start()
        wait_for(lambda s: s.online and s.pending == 0)
    finally:
        stop.set()
        thread.join(timeout=30)
    assert not thread.is_alive()
    db = open_db(a, create=False)
    sync_once(db, hub_url, kiosk_id="kiosk-a", now=NOW)
    db.conn.close()
    assert count(a) == count(b) == 5


def test_a_kiosk_gone_inside_its_push_does_not_hold_the_other_kiosks_for_hours(
    pg, hub_url, template_db, tmp_path, monkeypatch
):
    """Found by closing a laptop's lid during a round: its push transaction held the show's
    push lock, and every other kiosk's push waited behind it until the server noticed the
    dead peer (two hours with the default keepalive); their headers said "hub not
    answering" all along. The hub now ends a session left idle inside its transaction
    (here after 1 s; 60 s in use), the others' pushes go on, and the sleeper's page is
    rolled back and pushed again on its next round: nothing lost, nothing doubled."""
    import os

    from kiosk.hub import connection

    monkeypatch.setattr(connection, "IDLE_IN_TRANSACTION_MS", 1000, raising=False)
    with connect(hub_url) as conn:  # what every kiosk connection asks of the server
        settings = conn.execute(
            "SELECT current_setting('idle_in_transaction_session_timeout'),"
            " current_setting('tcp_keepalives_idle')"
        ).fetchone()
    assert settings == ("1s", "30")
    if "faketime" in os.environ.get("LD_PRELOAD", ""):
        # The year-ahead run (scripts/test) preloads libfaketime into the server too, and
        # PostgreSQL's own timeouts then never fire: the settings above are what it checks.
        return
    a = kiosk_file(template_db, tmp_path, "kiosk-a")
    b = kiosk_file(template_db, tmp_path, "kiosk-b")
    record(a, "kiosk-a", 3)
    record(b, "kiosk-b", 4, start=10)
    asleep, wake = threading.Event(), threading.Event()

    def lid_closed(where):
        if where == "push:sent":  # inside the transaction, holding the push lock
            asleep.set()
            wake.wait(30)

    outcome: dict[str, object] = {}

    def kiosk_a():
        db = open_db(a, create=False)
        try:
            conn = connect(hub_url)
            outcome["a"] = sync_round(db, conn, hub_url, kiosk_id="kiosk-a", now=NOW,
                                      checkpoint=lid_closed)  # fmt: skip
        except Exception as exc:  # noqa: BLE001 - what the sleeper's round ends with
            outcome["a"] = exc
        finally:
            db.conn.close()

    def kiosk_b():
        db = open_db(b, create=False)
        try:
            outcome["b"] = sync_once(db, hub_url, kiosk_id="kiosk-b", now=NOW)
        finally:
            db.conn.close()

    sleeper = threading.Thread(target=kiosk_a)
    sleeper.start()
    assert asleep.wait(30)
    other = threading.Thread(target=kiosk_b)
    other.start()
    other.join(30)  # before: waited until the sleeper's session ended (hours)
    alive = other.is_alive()
    wake.set()
    sleeper.join(30)
    other.join(30)
    assert not alive, "kiosk-b's push waited behind the sleeping kiosk's lock"
    assert outcome["b"].pushed == 4
    assert isinstance(outcome["a"], HubUnreachable)  # its session was ended: rolled back
    assert hub_events(hub_url) == (4, 4)
    db = open_db(a, create=False)
    assert pending_count(db) == 3
    assert sync_once(db, hub_url, kiosk_id="kiosk-a", now=NOW).pushed == 3
    db.conn.close()
    assert hub_events(hub_url) == (7, 7)
