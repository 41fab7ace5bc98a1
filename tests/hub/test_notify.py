"""Owners hear about their visitors: exactly one delivery per arrival, across three kiosks
and a hub, through faults, re-syncs and merges (a local HTTP receiver counts them)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from webhook_sink import WebhookSink  # scripts/, on sys.path through tests/hub/conftest

from kiosk import booth
from kiosk.db import get_meta, open_db, set_meta
from kiosk.hub.connection import connect
from kiosk.hub.notifying import notification_pass
from kiosk.hub.sync import sync_once
from kiosk.keyfile import put as write_key
from kiosk.notify import items
from kiosk.notify.kinds import REPEAT_WINDOW
from kiosk.show import show_config
from kiosk.sync.merge import merge_databases
from kiosk.visits import REPEAT_WINDOW as VISIT_WINDOW
from tests.cli.common import run
from tests.factory import NOW
from tests.hub.conftest import kiosk_file

pytestmark = pytest.mark.pg


@pytest.fixture
def receiver():
    r = WebhookSink()
    yield r
    r.close()


def with_channels(path, kiosk_id, channels):
    db = open_db(path, create=False)
    text = get_meta(db, "show_toml") + f"\n[notify]\nchannels = {channels}\n"
    set_meta(db, "show_toml", text)
    db.conn.close()


def checkin(path, kiosk_id, crm_id, minutes=0.0):
    db = open_db(path, create=False)
    try:
        cfg = show_config(db)
        cid = db.execute("SELECT id FROM contacts WHERE crm_id = ?", [crm_id]).fetchone()[0]
        return booth.check_in(db, cfg, cid, now=NOW + timedelta(minutes=minutes)).event.uuid
    finally:
        db.conn.close()


def notify(path, url, minutes=0.0):
    db = open_db(path, create=False)
    conn = None
    try:
        from kiosk.hub.connection import HubUnreachable

        try:
            conn = connect(url)
        except HubUnreachable:
            conn = None
        return notification_pass(
            db, conn, NOW + timedelta(minutes=minutes), config=show_config(db), db_path=path,
            url=url,
        )  # fmt: skip
    finally:
        if conn is not None:
            conn.close()
        db.conn.close()


def sync(path, kiosk_id, url, minutes=0.0):
    db = open_db(path, create=False)
    try:
        sync_once(db, url, kiosk_id=kiosk_id, now=NOW + timedelta(minutes=minutes))
    finally:
        db.conn.close()


def states(path):
    db = open_db(path, create=False)
    try:
        return sorted((i.recipient, i.state) for i in items(db))
    finally:
        db.conn.close()


def test_the_notify_window_is_the_visit_services_repeat_window():
    assert REPEAT_WINDOW == VISIT_WINDOW


def test_one_delivery_per_arrival_across_three_kiosks_and_a_hub(
    pg, hub_url, template_db, tmp_path, receiver
):
    hook = f"json://127.0.0.1:{receiver.port}/"
    kiosks = {}
    for kiosk in ("kiosk-a", "kiosk-b", "kiosk-c"):
        path = kiosk_file(template_db, tmp_path, kiosk)
        with_channels(path, kiosk, f'{{ kenji = ["{hook}"], ana = ["key:ana_hook"] }}')
        write_key(path, "ana_hook", hook + "ana")  # the secret one: in the 0600 key file
        kiosks[kiosk] = path
    a, b, c = kiosks.values()
    for kiosk, path in kiosks.items():
        sync(path, kiosk, hub_url)

    # Yuki Tanaka (Kenji's customer) is scanned at A and, a minute later, at B before the
    # two have synced; José Martínez (Ana's) at C.
    checkin(a, "kiosk-a", "C1")
    checkin(b, "kiosk-b", "C1", minutes=1)
    checkin(c, "kiosk-c", "C2", minutes=2)

    # The hub is down while A and C try: their items wait, nothing is sent.
    pg.stop("immediate")
    assert notify(a, hub_url).waiting_for_hub == 1
    assert notify(c, hub_url).waiting_for_hub == 1
    assert receiver.got == []
    pg.start()
    # B claims first, then A (the same visitor within the window: a duplicate), then C.
    assert notify(b, hub_url, minutes=3).sent == 1
    assert notify(a, hub_url, minutes=3).duplicate == 1
    assert notify(c, hub_url, minutes=3).sent == 1
    assert states(a) == [("kenji", "duplicate")]
    assert states(b) == [("kenji", "sent")]

    # Syncs, re-syncs, a merge of files and more passes on every kiosk send nothing again.
    for _ in range(2):
        for kiosk, path in kiosks.items():
            sync(path, kiosk, hub_url, minutes=4)
            notify(path, hub_url, minutes=10)
    merge_databases(a, [b, c], now=NOW + timedelta(minutes=5), backup=False)
    for path in kiosks.values():
        notify(path, hub_url, minutes=20)
    assert receiver.titles("/") == ["Yuki Tanaka of Tanaka Shoji is at reception"]
    assert receiver.titles("/ana") == [
        "José Martínez de Luces Ibéricas S.L. está en recepción"
    ]  # es
    assert len(receiver.got) == 2

    # The same visitor again after the repeat window is a new arrival: one more.
    checkin(c, "kiosk-c", "C1", minutes=30)
    notify(c, hub_url, minutes=30)
    assert receiver.titles("/").count("Yuki Tanaka of Tanaka Shoji is at reception") == 2


def test_away_pauses_and_an_unreachable_channel_retries_with_back_off(
    hub_url, template_db, tmp_path, receiver
):
    a = kiosk_file(template_db, tmp_path, "kiosk-a")
    dead = "json://127.0.0.1:9/"  # the discard port: nothing listens
    with_channels(
        a, "kiosk-a", f'{{ kenji = ["{dead}"], ana = ["json://127.0.0.1:{receiver.port}/"] }}'
    )
    db = open_db(a, create=False)
    booth.set_away(db, show_config(db), "ana", True, now=NOW)
    db.conn.close()
    checkin(a, "kiosk-a", "C1")  # Kenji's
    checkin(a, "kiosk-a", "C2")  # Ana's, while she is away
    report = notify(a, hub_url)
    assert report.retrying == 1 and report.sent == 0
    assert states(a) == [("ana", "paused"), ("kenji", "pending")]
    db = open_db(a, create=False)
    (attempts, why, next_at) = db.execute(
        "SELECT attempts, last_error, next_at FROM outbox WHERE recipient = 'kenji'"
    ).fetchone()
    db.conn.close()
    assert attempts == 1 and "Connection" in why
    assert next_at == (NOW + timedelta(seconds=5)).isoformat(timespec="seconds")
    assert notify(a, hub_url, minutes=0.05).retrying == 0  # not due yet: not tried
    assert receiver.got == []

    result = run("notify", "outbox", db=a)
    assert result.exit_code == 0, result.output
    assert "paused" in result.output and "away" in result.output
    assert "pending" in result.output


def test_only_the_recording_kiosk_notifies(hub_url, template_db, tmp_path, receiver):
    hook = f"json://127.0.0.1:{receiver.port}/"
    a = kiosk_file(template_db, tmp_path, "kiosk-a")
    b = kiosk_file(template_db, tmp_path, "kiosk-b")
    for path in (a, b):
        with_channels(path, "", f'{{ kenji = ["{hook}"] }}')
    checkin(a, "kiosk-a", "C1")
    sync(a, "kiosk-a", hub_url)
    sync(b, "kiosk-b", hub_url)
    assert notify(b, hub_url).sent == 0
    assert states(b) == []
    assert notify(a, hub_url).sent == 1
    assert len(receiver.got) == 1


def test_a_show_file_may_not_hold_a_token_bearing_channel():
    import tomllib

    from kiosk.config import ConfigError, parse_config

    with pytest.raises(ConfigError, match="carries a token"):
        parse_config(tomllib.loads('[notify]\nchannels = { ana = ["slack://T1/B2/C3"] }\n'))
    ok = parse_config(tomllib.loads('[notify]\nchannels = { ana = ["key:ana_slack"] }\n'))
    assert ok.notify_channels == (("ana", ("key:ana_slack",)),)


def test_a_profile_channel_is_kept_in_the_private_key_file(template_db, tmp_path, receiver):
    """`kiosk notify add` reads the URL from standard input and keeps it in the 0600 key
    file, never in the database; `kiosk notify test` sends through it at once."""
    import os
    import stat

    from click.testing import CliRunner

    from kiosk.cli import main
    from kiosk.keyfile import key_file

    a = kiosk_file(template_db, tmp_path, "kiosk-a")
    hook = f"json://127.0.0.1:{receiver.port}/kenji?token=s3cret"
    result = CliRunner().invoke(main, ["--db", str(a), "notify", "add", "kenji"], input=hook)
    assert result.exit_code == 0, result.output
    assert "Kenji Sato: 1 channel(s) added" in result.output
    assert stat.S_IMODE(os.stat(key_file(a)).st_mode) == 0o600
    assert b"s3cret" not in a.read_bytes()
    result = run("notify", "test", "kenji", db=a)
    assert result.exit_code == 0, result.output
    assert "profile:kenji#1: sent" in result.output
    assert [r.path for r in receiver.got] == ["/kenji"]  # apprise reads token= as its own


def walk_in(path, minutes, **who):
    from kiosk.models import Contact

    db = open_db(path, create=False)
    try:
        visitor = Contact(id=None, name="Aiko Mori", company="Mori Denki", country="JP", **who)
        return booth.walk_in(db, show_config(db), visitor, now=NOW + timedelta(minutes=minutes))
    finally:
        db.conn.close()


@pytest.mark.parametrize(
    "who",
    [{"email": "aiko@mori.example"}, {"badge_id": "EXPO-4471"}, {}],
    ids=["e-mail", "badge", "name-and-company"],
)
def test_a_walk_in_met_at_two_kiosks_before_they_sync_is_one_notification(
    hub_url, template_db, tmp_path, receiver, who
):
    """Each kiosk makes the unknown visitor a booth contact of its own (`W-<uuid>`): the
    claims name the visitor as the kiosks will once synced (e-mail, badge, name)."""
    hook = f"json://127.0.0.1:{receiver.port}/"
    kiosks = {}
    for kiosk in ("kiosk-a", "kiosk-b", "kiosk-c"):
        path = kiosk_file(template_db, tmp_path, kiosk)
        with_channels(path, kiosk, f'{{ kenji = ["{hook}"] }}')
        kiosks[kiosk] = path
    a, b, c = kiosks.values()
    first, second = walk_in(a, 0, **who), walk_in(b, 1, **who)
    assert first.contact_id != second.contact_id  # two ids for one person, until they sync
    assert first.decision.salesperson_id == "kenji"
    assert notify(a, hub_url, minutes=2).sent == 1
    assert notify(b, hub_url, minutes=2).duplicate == 1
    assert states(b) == [("kenji", "duplicate")]
    for _ in range(2):
        for kiosk, path in kiosks.items():
            sync(path, kiosk, hub_url, minutes=3)
            notify(path, hub_url, minutes=4)
    assert receiver.titles("/") == ["Aiko Mori of Mori Denki is at reception"]
    # once synced, the three kiosks agree she is one visitor
    ids = set()
    for path in kiosks.values():
        db = open_db(path, create=False)
        ids |= {r[0] for r in db.execute("SELECT DISTINCT contact_id FROM checkins")}
        db.conn.close()
    assert len(ids) == 1
