"""`kiosk merge`: the log's own events win over an arriving event that makes one impossible
(issue 12 §4, "bad events never crash a merge").

A merge whose new events sort before the log's last replays the log with them in place.
An arriving event may then turn one of the log's own events into one this database
refuses: a lead naming an owner who is no salesperson here raises a dispute proposing
them, and an approval already in the log (merged earlier, before the lead that raised
its item) writes that owner, which the foreign key refuses. The merge used to stop there
("database error: FOREIGN KEY constraint failed", exit 2, nothing merged). The log's
events were accepted earlier (and may be in the CRM already), so they stand: the arriving
event is set aside, named in the report with its kiosk, id and the logged event it
conflicts with, and the rest of the merge lands.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from kiosk import events
from kiosk.db import open_db
from tests.cli.common import run

LEAD_B = "00000000-0000-4000-8000-00000000000b"  # kiosk-x's lead on Carla (owner: nobody)
DECISION = "00000000-0000-4000-8000-00000000000d"  # an approval of its dispute, B:0
CHECKIN = "00000000-0000-4000-8000-00000000000c"  # an ordinary check-in of customer C2
CARLA = {"name": "Carla Souza", "company": "Luz Brasil", "email": "carla@luzbr.example",
         "country": "BR"}  # fmt: skip


def forged(template: Path, name: str, rows: list[tuple[str, str, str, dict]]) -> Path:
    """A kiosk file of this show (a copy of the office before the booth opened) whose log
    holds `rows` (uuid, time, kind, payload) of kiosk-x, as a forged or buggy kiosk wrote
    them."""
    path = template.with_name(name)
    shutil.copy(template, path)
    conn = sqlite3.connect(path)
    conn.executemany(
        f"INSERT INTO events({events.COLUMNS}) VALUES (?, 'kiosk-x', ?, ?, ?, '', ?, ?)",
        [(u, ts, ts, ts, kind, json.dumps(p)) for u, ts, kind, p in rows],
    )
    conn.commit()
    conn.close()
    return path


def at(hh_mm: str) -> str:
    return f"2026-11-24T{hh_mm}:00.000000+00:00"


@pytest.fixture
def office(dbpath: Path, monkeypatch) -> tuple[Path, Path, str]:
    """The office files Carla at 10:00 (`kiosk lead add`), then merges a file holding an
    approval of item B:0 at 10:30 (nothing to decide yet: a no-op in place). Returns the
    office, a clean copy from before the booth opened, and Carla's owner."""
    clean = dbpath.with_name("clean.db")
    shutil.copy(dbpath, clean)
    monkeypatch.setenv("KIOSK_NOW", "2026-11-24T10:00:00+00:00")
    added = run("lead", "add", "--name", CARLA["name"], "--company", CARLA["company"],
                "--email", CARLA["email"], "--country", "BR", "--json", db=dbpath)  # fmt: skip
    assert added.exit_code == 0, added.output
    monkeypatch.setenv("KIOSK_NOW", "2026-11-24T18:00:00+00:00")
    decision = forged(clean, "kiosk-x-1.db", [
        (DECISION, at("10:30"), "proposal.decided", {"proposal_id": f"{LEAD_B}:0", "approve": True}),
    ])  # fmt: skip
    merged = run("merge", decision, db=dbpath)
    assert merged.exit_code == 0 and "Merged 1 new events" in merged.output, merged.output
    db = open_db(dbpath, create=False)
    [(owner,)] = db.execute("SELECT owner_id FROM contacts WHERE email = ?", [CARLA["email"]])
    db.conn.close()
    assert owner in ("luis", "marta")  # the LATAM round-robin
    return dbpath, clean, owner


def test_an_arriving_event_that_makes_a_logged_one_impossible_is_set_aside(office):
    target, clean, owner = office
    # kiosk-x's lead at 10:05 (before the log's last event: the log is replayed) names an
    # owner this database does not have; its dispute B:0 is what the logged approval
    # approves. The check-in at 10:10 is ordinary and must land.
    source = forged(clean, "kiosk-x-2.db", [
        (LEAD_B, at("10:05"), "lead.created",
         {"contact": CARLA, "owner_id": "nobody", "rule": "", "reason": "", "rating": "warm"}),
        (CHECKIN, at("10:10"), "checkin",
         {"contact_id": "C2", "owner_id": "ana", "rule": "existing-owner", "reason": ""}),
    ])  # fmt: skip

    result = run("merge", source, db=target)

    assert result.exit_code == 0, result.output  # was 2: "database error: FOREIGN KEY …"
    lines = result.output.splitlines()
    assert "Merged 1 new events (0 already known)." in lines
    assert lines[lines.index("Merged 1 new events (0 already known).") + 1].startswith(
        "Set aside 1 event"
    )
    [aside] = [line for line in lines if LEAD_B in line]
    assert "kiosk kiosk-x" in aside and "(lead.created)" in aside
    assert f"proposal.decided event {DECISION}" in aside  # the logged event it conflicts with
    db = open_db(target, create=False)
    try:
        # the log's own events stand: Carla keeps her owner, the approval stays in the log
        assert db.execute(
            "SELECT owner_id FROM contacts WHERE email = ?", [CARLA["email"]]
        ).fetchall() == [(owner,)]
        logged = {u for (u,) in db.execute("SELECT uuid FROM events")}
        assert DECISION in logged and CHECKIN in logged and LEAD_B not in logged
        assert db.execute("SELECT count(*) FROM checkins WHERE id = ?", [CHECKIN]).fetchone() == (
            1,
        )
        assert db.execute("SELECT count(*) FROM proposals").fetchone() == (0,)
        [(uuid, kiosk, reason)] = db.execute("SELECT uuid, kiosk_id, reason FROM quarantine")
        assert (uuid, kiosk) == (LEAD_B, "kiosk-x") and DECISION in reason
        before = db.execute("SELECT * FROM contacts WHERE source = 'booth'").fetchall()
    finally:
        db.conn.close()
    # the log replays as it stands, and merging the file again sets the lead aside again
    assert run("rebuild", db=target).exit_code == 0
    again = run("merge", source, "--json", db=target)
    assert again.exit_code == 0, again.output
    summary = json.loads(again.output)
    assert summary["new_events"] == 0
    assert [(q["kiosk"], q["uuid"]) for q in summary["quarantined"]] == [("kiosk-x", LEAD_B)]
    db = open_db(target, create=False)
    try:
        assert db.execute("SELECT * FROM contacts WHERE source = 'booth'").fetchall() == before
        assert db.execute("SELECT count(*) FROM quarantine").fetchone() == (1,)
    finally:
        db.conn.close()
