"""A hub pull meets an event this kiosk has with other content (real PostgreSQL): the
kiosk's copy stands, the hub's is set aside in the quarantine and counted in the round's
line, as `kiosk merge` does with a differing copy (`kiosk.events.copies`)."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace

import pytest

from kiosk import booth, events
from kiosk.db import open_db
from kiosk.hub.sync import sync_once
from tests.factory import CONFIG, NOW
from tests.hub.conftest import kiosk_file

pytestmark = pytest.mark.pg


def test_a_pulled_copy_that_differs_from_this_kiosks_is_set_aside(hub_url, template_db, tmp_path):
    a = kiosk_file(template_db, tmp_path, "kiosk-a")
    b = kiosk_file(template_db, tmp_path, "kiosk-b")
    db = open_db(a, create=False)
    cid = db.execute("SELECT id FROM contacts WHERE crm_id = 'C1'").fetchone()[0]
    row = booth.check_in(db, replace(CONFIG, kiosk_id="kiosk-a"), cid, now=NOW).event
    stored = db.execute(
        f"SELECT {events.COLUMNS} FROM events WHERE uuid = ?", [row.uuid]
    ).fetchone()
    assert sync_once(db, hub_url, kiosk_id="kiosk-a", now=NOW).pushed == 1
    db.conn.close()
    # kiosk B has the same event with another owner (edited on a stick it was merged from)
    payload = json.loads(stored[7]) | {"owner_id": "luis"}
    conn = sqlite3.connect(b)
    conn.execute(f"INSERT INTO events({events.COLUMNS}) VALUES (?,?,?,?,?,?,?,?)",
                 (*stored[:7], json.dumps(payload)))  # fmt: skip
    conn.commit()
    conn.close()

    db = open_db(b, create=False)
    report = sync_once(db, hub_url, kiosk_id="kiosk-b", now=NOW)

    assert (report.pulled, report.applied, report.set_aside) == (1, 0, 1)
    assert "set aside 1" in report.line()
    [(uuid, reason, source, kept)] = db.execute(
        "SELECT uuid, reason, source, payload FROM quarantine"
    ).fetchall()
    assert uuid == row.uuid and source.startswith("hub ")
    assert reason == "differs from the event with this id already in the log (payload)"
    assert kept == stored[7]  # the hub's copy kept aside; kiosk B's own stands
    [(mine,)] = db.execute("SELECT payload FROM events WHERE uuid = ?", [row.uuid]).fetchall()
    assert json.loads(mine)["owner_id"] == "luis"
    db.conn.close()
