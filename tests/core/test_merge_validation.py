"""Bad databases and bad events never crash a merge (issue 12 §4).

One malformed event in another kiosk's log (bad JSON, an unknown kind, a missing contact,
wrong types, a time that is `garbage`) used to abort the whole merge with a traceback. Now
each event is checked on its own: the good ones merge, the bad ones are set aside in the
`quarantine` table and named in the report with their kiosk and id. A source with no show
identity is refused, and so is a damaged file, with one line and the target untouched.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk import booth, events
from kiosk.db import DatabaseError, open_db
from kiosk.events.validate import shown
from kiosk.sync.merge import merge_databases
from tests.examples import examples
from tests.factory import CONFIG, NOW
from tests.hostile_events import a_row, bad_rows, uuid_or_self
from tests.merge_day import CARLA, company, copy, kiosk_b_day

LATER = NOW + timedelta(hours=8)
TABLES = ("contacts", "checkins", "leads", "proposals", "invitations", "contact_aliases")


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    return company(tmp_path_factory.mktemp("merge-validation"))


@pytest.fixture(scope="module")
def kiosk_b(base: Path) -> Path:
    return kiosk_b_day(base)


def add_rows(path: Path, rows: list[tuple]) -> None:
    """Write rows into a kiosk's log as a damaged or forged file would hold them."""
    conn = sqlite3.connect(path)
    conn.executemany(f"INSERT INTO events({events.COLUMNS}) VALUES (?,?,?,?,?,?,?,?)", rows)
    conn.commit()
    conn.close()


def snapshot(path: Path) -> dict[str, list]:
    db = open_db(path, create=False)
    try:
        return {t: sorted(db.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in TABLES}
    finally:
        db.conn.close()


BAD = {
    "bad JSON": a_row(payload="{not json"),
    "unknown kind": a_row(kind="teleport.started"),
    "missing contact": a_row(
        payload=json.dumps({"contact_id": "NOBODY", "rule": "", "reason": ""})
    ),
    "wrong types": a_row(payload=json.dumps({"contact_id": ["C2"], "owner_id": 7})),
    "garbage time": a_row(ts="garbage", ts_utc=""),
    "bad rating": a_row(
        kind="lead.created", payload=json.dumps({"contact": {"name": "X"}, "rating": "lukewarm"})
    ),
    "payload not an object": a_row(payload="[1, 2]"),
    "blob as uuid": a_row(uuid=b"\x00\x01"),
    "no uuid": a_row(uuid=None),
    "bad proposal kind": a_row(
        payload=json.dumps({"contact_id": "C2", "proposals": [{"kind": "coup"}]})
    ),
    "time out of range": a_row(ts="0001-01-01T00:00:00+14:00", ts_utc=""),
    "control characters in the kiosk id": a_row(kiosk_id="kiosk\x1b]0;x\x07"),
}


@pytest.mark.parametrize("what", list(BAD))
def test_one_malformed_event_is_set_aside_and_the_others_merge(base, kiosk_b, tmp_path, what):
    source = copy(kiosk_b, tmp_path, "kiosk-b.db")
    add_rows(source, [BAD[what]])
    good = copy(kiosk_b, tmp_path, "good-only.db")
    target, expected = copy(base, tmp_path, "office.db"), copy(base, tmp_path, "expected.db")
    merge_databases(expected, [good], now=LATER)

    report = merge_databases(target, [source], now=LATER)  # no exception

    assert report.new == 3  # kiosk B's lead, its check-in and the customer's check-in
    [aside] = report.quarantined
    assert (aside.path, aside.kiosk_id) == (source, shown(BAD[what][1]))
    assert aside.uuid == shown(BAD[what][0]) and aside.kiosk_id.isprintable()
    assert aside.reason and "\n" not in aside.reason
    assert snapshot(target) == snapshot(expected)  # exactly as if the bad one was not there
    db = open_db(target, create=False)
    [(kiosk_id, reason, src)] = db.execute("SELECT kiosk_id, reason, source FROM quarantine")
    assert (kiosk_id, src) == (BAD[what][1], str(source)) and reason == aside.reason
    assert events.rebuild(db) == 3  # the log holds no bad event: a replay does not meet it
    db.conn.close()
    # merging again changes nothing and keeps one copy of the bad event
    again = merge_databases(target, [source], now=LATER)
    assert again.new == 0
    db = open_db(target, create=False)
    assert db.execute("SELECT count(*) FROM quarantine").fetchone() == (1,)
    db.conn.close()


def test_the_json_report_lists_events_set_aside_with_kiosk_and_id(base, kiosk_b, tmp_path):
    source = copy(kiosk_b, tmp_path, "kiosk-b.db")
    rows = [BAD["bad JSON"], BAD["missing contact"]]
    add_rows(source, rows)
    report = merge_databases(copy(base, tmp_path, "office.db"), [source], now=LATER)
    listed = report.summary()["quarantined"]
    assert {(q["kiosk"], q["uuid"]) for q in listed} == {("kiosk-x", r[0]) for r in rows}
    assert report.summary()["sources"][0]["set_aside"] == 2
    lines = report.quarantine_lines()
    assert lines[0].startswith("Set aside 2 events") and len(lines) == 3
    assert any("payload is not valid JSON" in line for line in lines)
    assert any(
        "names a contact or salesperson this database does not have" in line for line in lines
    )


def test_a_bad_event_that_sorts_before_the_log_is_set_aside_in_a_replay(base, kiosk_b, tmp_path):
    """New events earlier than the target's last one replay the log; a bad one among them
    is still set aside, and the rest land in order."""
    target = copy(kiosk_b, tmp_path, "office.db")  # its log ends at NOW + 5 min
    other = copy(base, tmp_path, "kiosk-c.db")
    db = open_db(other)
    booth.add_lead(db, replace(CONFIG, kiosk_id="kiosk-c"), CARLA, now=NOW - timedelta(hours=1))
    db.conn.close()
    add_rows(other, [a_row(ts="2026-11-24T08:00:00+00:00", ts_utc="",
                           payload=json.dumps({"contact_id": "NOBODY"}))])  # fmt: skip
    report = merge_databases(target, [other], now=LATER)
    assert report.new == 2 and len(report.quarantined) == 1
    db = open_db(target, create=False)
    assert db.execute("SELECT count(*) FROM leads").fetchone() == (2,)
    before = {t: sorted(db.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in TABLES}
    events.rebuild(db)
    after = {t: sorted(db.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in TABLES}
    assert before == after
    db.conn.close()


def test_text_in_another_kiosks_events_is_made_inert(base, tmp_path):
    source = copy(base, tmp_path, "kiosk-x.db")
    payload = {
        "contact": {"name": "Evil\x1b]0;pwned\x07 Name\u202e", "company": "Acme\x9b31m"},
        "notes": "line one\nline two\x1b[2J", "consent": True, "owner_id": "luis", "rule": "",
        "reason": "", "rating": "warm",
    }  # fmt: skip
    add_rows(source, [a_row(kind="lead.created", payload=json.dumps(payload))])
    target = copy(base, tmp_path, "office.db")
    report = merge_databases(target, [source], now=LATER)
    assert report.new == 1 and not report.quarantined
    db = open_db(target, create=False)
    name, company, notes = db.execute(
        "SELECT name, company, notes FROM contacts WHERE source = 'booth'"
    ).fetchone()
    assert (name, company, notes) == ("Evil]0;pwned Name", "Acme31m", "line one\nline two[2J")
    [stored] = db.execute("SELECT payload FROM events").fetchone()
    assert "\\u001b" not in stored and "\u202e" not in stored
    db.conn.close()


def test_a_source_without_a_show_identity_is_refused(base, kiosk_b, tmp_path):
    source = copy(kiosk_b, tmp_path, "kiosk-b.db")
    conn = sqlite3.connect(source)
    conn.execute("DELETE FROM meta WHERE key = 'show_id'")
    conn.commit()
    conn.close()
    target = copy(base, tmp_path, "office.db")
    before = snapshot(target)
    with pytest.raises(DatabaseError, match="has no show identity"):
        merge_databases(target, [source], now=LATER)
    assert snapshot(target) == before
    assert not list(tmp_path.glob("office.db.bak-*"))


def test_a_source_with_a_damaged_page_is_refused_in_one_line(base, kiosk_b, tmp_path):
    source = copy(kiosk_b, tmp_path, "kiosk-b.db")
    conn = sqlite3.connect(source)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    [root] = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'events'").fetchone()
    [size] = conn.execute("PRAGMA page_size").fetchone()
    conn.close()
    with open(source, "r+b") as fh:
        fh.seek((root - 1) * size)
        fh.write(b"\xde\xad\xbe\xef" * (size // 4))
    target = copy(base, tmp_path, "office.db")
    before = snapshot(target)
    with pytest.raises(DatabaseError) as err:
        merge_databases(target, [source], now=LATER)
    assert "is damaged" in str(err.value) and "\n" not in str(err.value)
    assert snapshot(target) == before


# ---------------------------------------------------------------- the validator, by property

GOOD_PAYLOADS = st.fixed_dictionaries(
    {"contact_id": st.sampled_from(["C1", "C2", "C3"])},
    optional={
        "owner_id": st.sampled_from(["ana", "ben", None]),
        "rule": st.text(max_size=10),
        "reason": st.text(max_size=30),
        "raw": st.text(max_size=30),
    },
)


@settings(max_examples=examples(40), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])  # fmt: skip
@given(
    good=st.lists(GOOD_PAYLOADS, max_size=4),
    bad=st.lists(bad_rows(), min_size=1, max_size=4, unique_by=uuid_or_self),
    order=st.randoms(use_true_random=False),
)
def test_property_bad_rows_never_crash_a_merge_and_good_ones_merge(
    base, tmp_path, good, bad, order
):
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    good_rows = [
        a_row(ts=f"2026-11-24T1{i}:00:00+00:00", ts_utc="", payload=json.dumps(p))
        for i, p in enumerate(good)
    ]
    mixed = good_rows + bad
    order.shuffle(mixed)
    source, clean = copy(base, folder, "kiosk-x.db"), copy(base, folder, "clean.db")
    add_rows(source, mixed)
    add_rows(clean, good_rows)
    target, expected = copy(base, folder, "office.db"), copy(base, folder, "expected.db")
    merge_databases(expected, [clean], now=LATER, backup=False)

    report = merge_databases(target, [source], now=LATER, backup=False)

    assert report.new == len(good_rows)
    assert len(report.quarantined) == len(bad)
    assert snapshot(target) == snapshot(expected)
    for aside in report.quarantined:
        assert aside.reason and aside.reason.isprintable()
        assert aside.uuid.isprintable() and aside.kiosk_id.isprintable()


def test_merging_a_set_aside_event_again_makes_no_new_backup_nor_a_huge_quarantine(
    base, kiosk_b, tmp_path
):
    """Found with a scheduled sync: every merge of a stick holding one event set aside
    counted it as new and made a full backup of the office database (four 23 MB copies in
    four runs), and a 20 MB payload refused as too large was stored whole in the
    quarantine table each time it was set aside."""
    from kiosk.events.validate import MAX_PAYLOAD

    huge = a_row(payload='{"x": "' + "A" * (MAX_PAYLOAD + 10) + '"}')
    source = copy(kiosk_b, tmp_path, "kiosk-b.db")
    add_rows(source, [huge, BAD["missing contact"]])
    target = copy(base, tmp_path, "office.db")
    first = merge_databases(target, [source], now=LATER)
    assert first.new == 3 and len(first.quarantined) == 2 and first.backup is not None
    db = open_db(target, create=False)
    [(kept,)] = db.execute("SELECT payload FROM quarantine WHERE key = ?", [huge[0]])
    assert len(kept) < 70_000 and kept.endswith("characters; cut]")
    db.conn.close()
    for minutes in (5, 10):  # the sync runs again on the same stick
        again = merge_databases(target, [source], now=LATER + timedelta(minutes=minutes))
        assert again.new == 0 and again.backup is None
        assert len(again.quarantined) == 2  # still said: they are still set aside
    assert len(list(tmp_path.glob("office.db.bak-*"))) == 1
    # a new event on the stick is worth a backup again
    add_rows(source, [a_row()])
    later = merge_databases(target, [source], now=LATER + timedelta(minutes=15))
    assert later.new == 1 and later.backup is not None


def test_events_naming_a_salesperson_this_database_lacks_are_set_aside(base, tmp_path):
    """Found merging a kiosk that had a salesperson (zoe) the office database lacked: her
    lead, her check-in and her "received" merged, the manager's queue held "claire → zoe"
    that `decide --approve` refused ("unknown salesperson: zoe"), and the Salesforce export
    wrote 'zoe' where an e-mail belongs. As docs/sync.md says, they are set aside, and
    merge once she is imported."""
    source = copy(base, tmp_path, "kiosk-z.db")
    db = open_db(source)
    db.execute(
        "INSERT INTO salespeople(id, name, email, phone, role, languages) VALUES (?,?,?,?,?,?)",
        ["zoe", "Zoé Zed", "zoe@lumen.example", "", "sales", "fr"],
    )
    cfg = replace(CONFIG, kiosk_id="kiosk-z")
    booth.add_lead(db, cfg, replace(CARLA, brought_by="zoe"), now=NOW)
    customer = db.execute("SELECT id FROM contacts WHERE crm_id = 'C1'").fetchone()[0]
    walked = booth.check_in(db, cfg, customer, now=NOW + timedelta(minutes=1))
    booth.mark_received(db, cfg, walked.event.uuid, by="zoe", now=NOW + timedelta(minutes=2))
    other = db.execute("SELECT id FROM contacts WHERE crm_id = 'C2'").fetchone()[0]
    booth.check_in(db, cfg, other, brought_by="zoe", now=NOW + timedelta(minutes=3))
    booth.check_in(db, cfg, other, now=NOW + timedelta(minutes=30))  # names nobody
    db.conn.close()
    target = copy(base, tmp_path, "office.db")

    report = merge_databases(target, [source], now=LATER)

    reasons = sorted(q.reason for q in report.quarantined)
    kinds = sorted(q.kind for q in report.quarantined)
    # the lead (and the check-in filing it), the mark, the check-in she brought
    assert kinds == ["checkin", "checkin", "checkin.received", "lead.created"], kinds
    assert all(r == "names a salesperson this database does not have: zoe" for r in reasons)
    assert report.new == 2  # the plain check-ins merged
    db = open_db(target, create=False)
    assert db.execute("SELECT count(*) FROM leads").fetchone() == (0,)
    assert db.execute(
        "SELECT count(*) FROM proposals WHERE ? IN (current_id, proposed_id)", ["zoe"]
    ).fetchone() == (0,)
    db.execute(
        "INSERT INTO salespeople(id, name, email, phone, role, languages) VALUES (?,?,?,?,?,?)",
        ["zoe", "Zoé Zed", "zoe@lumen.example", "", "sales", "fr"],
    )
    db.conn.commit()
    db.conn.close()
    again = merge_databases(target, [source], now=LATER + timedelta(minutes=5))
    assert again.new == 4 and not again.quarantined  # imported since: they merge now
