"""Two independently set-up laptops that both call themselves kiosk-a, on one hub (real
PostgreSQL): the first to sync keeps the id; the second is refused with one line saying
how to rename it, sends and takes nothing, loses nothing, and syncs everything once renamed
(`kiosk init --kiosk-id`). `kiosk hub status` then lists each laptop once."""

from __future__ import annotations

from dataclasses import replace

import psycopg
import pytest

from kiosk import booth, installs
from kiosk.db import open_db, set_meta
from kiosk.hub.sync import DuplicateKiosk, sync_once
from kiosk.hub.worker import SyncWorker
from tests.cli.common import run
from tests.factory import CONFIG, NOW
from tests.hub.conftest import kiosk_file

pytestmark = pytest.mark.pg


def second_laptop(template, folder, kiosk_id: str, install: str):
    path = kiosk_file(template, folder / "second", kiosk_id)
    db = open_db(path, create=False)
    set_meta(db, installs.INSTALL_KEY, install)  # set up on its own: its own install
    db.conn.close()
    return path


def check_in(path, kiosk_id: str, crm_id: str) -> str:
    db = open_db(path, create=False)
    try:
        cid = db.execute("SELECT id FROM contacts WHERE crm_id = ?", [crm_id]).fetchone()[0]
        return booth.check_in(db, replace(CONFIG, kiosk_id=kiosk_id), cid, now=NOW).event.uuid
    finally:
        db.conn.close()


def hub_events(url: str) -> list[tuple[str, str]]:
    with psycopg.connect(url) as conn:
        return conn.execute("SELECT uuid, kiosk_id FROM hub_events ORDER BY seq").fetchall()


def test_a_second_laptop_calling_itself_kiosk_a_is_refused_until_renamed(
    hub_url, template_db, tmp_path
):
    (tmp_path / "second").mkdir()
    first = kiosk_file(template_db, tmp_path, "kiosk-a")
    twin = second_laptop(template_db, tmp_path, "kiosk-a", "f" * 32)
    mine = check_in(first, "kiosk-a", "C1")
    theirs = check_in(twin, "kiosk-a", "C2")
    assert run("sync", "--hub", hub_url, db=first).exit_code == 0
    result = run("sync", "--hub", hub_url, db=twin)
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: two laptops both call themselves kiosk-a: another one already syncs as kiosk-a"
        " with show 'test-show' on this hub, so this one may not (its scans would be filed"
        " under the other's name). Give this laptop its own id with 'kiosk init --kiosk-id"
        " kiosk-1' (taken on this hub: kiosk-a), then sync again; until then nothing was sent"
        " or taken, and everything stays recorded here.\n"
    )
    assert hub_events(hub_url) == [(mine, "kiosk-a")]  # nothing of the twin's was sent
    db = open_db(twin, create=False)
    with pytest.raises(DuplicateKiosk):
        sync_once(db, hub_url, kiosk_id="kiosk-a", now=NOW)
    assert db.execute("SELECT count(*) FROM events").fetchone() == (1,)  # nor taken
    seen = []  # the booth's worker: offline, and why (the header says how to rename)
    worker = SyncWorker(lambda: db, hub_url, kiosk_id="kiosk-a", clock=lambda: NOW,
                        on_status=seen.append)  # fmt: skip
    assert worker._round(db) is False
    assert seen[-1].duplicate and seen[-1].error.startswith("two laptops both call")
    worker._close()
    db.conn.close()
    assert run("sync", "--hub", hub_url, db=first).exit_code == 0  # the first goes on

    assert run("init", "--kiosk-id", "kiosk-z", db=twin).exit_code == 0
    result = run("sync", "--hub", hub_url, db=twin)
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith("pushed 1, pulled 2 (1 new).\n")
    # its scan keeps the id it was made under: the log is append-only
    assert hub_events(hub_url) == [(mine, "kiosk-a"), (theirs, "kiosk-a")]
    status = run("hub", "status", "--hub", hub_url, db=first).stdout
    assert [line.split(":")[0].strip() for line in status.splitlines() if ": pulled up to" in
            line and line.startswith("  ")] == ["kiosk-a", "kiosk-z"]  # fmt: skip


def test_an_older_hub_without_the_table_syncs_as_before(hub_url, template_db, tmp_path):
    with psycopg.connect(hub_url) as conn:
        conn.execute("DROP TABLE hub_installs")
    (tmp_path / "second").mkdir()
    first = kiosk_file(template_db, tmp_path, "kiosk-a")
    twin = second_laptop(template_db, tmp_path, "kiosk-a", "f" * 32)
    assert run("sync", "--hub", hub_url, db=first).exit_code == 0
    assert run("sync", "--hub", hub_url, db=twin).exit_code == 0  # unchecked, as before
    assert run("hub", "init", hub_url).exit_code == 0  # init again adds the check
    assert run("sync", "--hub", hub_url, db=first).exit_code == 0  # the first to claim it
    assert run("sync", "--hub", hub_url, db=twin).exit_code == 2


def test_the_refusal_suggests_an_id_nobody_has():
    """It always said "e.g. kiosk-3", even to a laptop just refused as kiosk-3."""
    from kiosk.hub.sync import free_kiosk_id

    assert free_kiosk_id(["kiosk-1", "kiosk-3"]) == "kiosk-4"
    assert free_kiosk_id(["kiosk-a"]) == "kiosk-1"
    assert free_kiosk_id(["kiosk-1", "kiosk-2", "kiosk-02"]) == "kiosk-3"
