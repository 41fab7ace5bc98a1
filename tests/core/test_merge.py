"""Merging kiosk databases: rule 6 disputes, refusals, backups, idempotence."""

from __future__ import annotations

import re
import shutil
import sqlite3
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from kiosk import booth, events
from kiosk.booth import LeadInput
from kiosk.db import DatabaseError, open_db, set_meta
from kiosk.sync.merge import merge_databases
from tests.factory import CONFIG, NOW

LATER = NOW + timedelta(hours=8)  # the merge, in the evening
CARLA = LeadInput(
    name="Carla Souza", company="Luz Brasil Ltda.", email="carla@luzbr.example", country="BR"
)


@pytest.fixture
def base(template_db: Path, tmp_path: Path) -> Path:
    """The test company (a copy of the session's template: ~0.2 s less than building it)."""
    path = tmp_path / "base.db"
    shutil.copyfile(template_db, path)
    return path


def kiosk(base: Path, name: str) -> tuple[Path, object]:
    path = base.with_name(f"{name}.db")
    shutil.copy(base, path)
    return path, open_db(path)


def two_kiosks_file_the_same_visitor(base: Path) -> tuple[Path, Path]:
    """Kiosk A files Carla at 10:00 (routed to Luis); kiosk B at 09:55, Luis away → Marta."""
    a_path, a = kiosk(base, "kiosk-a")
    booth.add_lead(a, replace(CONFIG, kiosk_id="kiosk-a"), CARLA, now=NOW)
    b_path, b = kiosk(base, "kiosk-b")
    b_cfg = replace(CONFIG, kiosk_id="kiosk-b")
    booth.set_away(b, b_cfg, "luis", True, now=NOW - timedelta(minutes=6))
    booth.add_lead(b, b_cfg, CARLA, now=NOW - timedelta(minutes=5))
    a.conn.close()
    b.conn.close()
    return a_path, b_path


def test_the_earliest_claim_wins_and_the_other_becomes_a_dispute(base):
    a, b = two_kiosks_file_the_same_visitor(base)
    office = base.with_name("office.db")
    shutil.copy(base, office)
    report = merge_databases(office, [a, b], now=LATER)
    assert report.new == 5 and report.open_disputes == 1
    db = open_db(office)
    [(contact_id, owner)] = db.execute(
        "SELECT id, owner_id FROM contacts WHERE email_norm = 'carla@luzbr.example'"
    ).fetchall()
    assert owner == "marta"  # kiosk B filed her five minutes earlier
    [dispute] = db.query("SELECT * FROM proposals WHERE kind = 'dispute'")
    assert (dispute["current_id"], dispute["proposed_id"], dispute["contact_id"]) == (
        "marta", "luis", contact_id,
    )  # fmt: skip
    assert "kiosk-a" in dispute["reason"] and "first filed at kiosk-b" in dispute["reason"]
    # times as a person reads them, with their zone (was '2026-11-24T10:05')
    assert re.search(r"first filed at kiosk-b on \d{4}-\d\d-\d\d \d\d:\d\d UTC", dispute["reason"])
    assert "T" not in dispute["reason"].split(" on ", 1)[1][:16]
    # nothing is dropped: both leads and both check-ins are there, on the one visitor
    assert db.execute("SELECT count(*), count(DISTINCT contact_id) FROM leads").fetchone() == (2, 1)
    assert db.execute("SELECT count(*), count(DISTINCT contact_id) FROM checkins").fetchone() == (
        2,
        1,
    )


def test_merging_twice_changes_nothing_and_makes_no_second_backup(base):
    a, b = two_kiosks_file_the_same_visitor(base)
    first = merge_databases(a, [b], now=LATER)
    assert first.new == 3 and first.backup is not None
    db = open_db(a)
    tables = {t: sorted(db.execute(f"SELECT * FROM {t}").fetchall(), key=repr)
              for t in ("contacts", "checkins", "leads", "proposals")}  # fmt: skip
    db.conn.close()
    again = merge_databases(a, [b], now=LATER)
    assert (again.new, again.known, again.backup) == (0, 3, None)
    db = open_db(a)
    assert {
        t: sorted(db.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in tables
    } == tables


def test_the_target_is_backed_up_before_writing(base):
    a, b = two_kiosks_file_the_same_visitor(base)
    report = merge_databases(a, [b], now=LATER)
    assert report.backup is not None and report.backup.name.startswith("kiosk-a.db.bak-")
    backup = open_db(report.backup, create=False)
    assert backup.execute("SELECT count(*) FROM events").fetchone() == (2,)  # kiosk A's own


def test_the_target_itself_and_repeated_sources_are_skipped(base):
    a, b = two_kiosks_file_the_same_visitor(base)
    report = merge_databases(a, [a, b, b], now=LATER)
    assert report.new == 3 and len(report.sources) == 1 and len(report.skipped) == 2


@pytest.mark.parametrize("kind", ["text", "sqlite", "newer", "other-show", "missing", "empty"])
def test_foreign_newer_or_other_show_files_are_refused_before_any_write(base, kind):
    a, b = two_kiosks_file_the_same_visitor(base)
    bad = base.with_name("bad.db")
    expect = {
        "text": "is not a kiosk database",
        "sqlite": "is not a kiosk database",
        "newer": "was written by a newer kiosk",
        "other-show": "belongs to show 'other-show'",
        "missing": "no such database file",
        "empty": "is empty, not a kiosk database",
    }[kind]
    if kind == "text":
        bad.write_text("name,email\n", encoding="utf-8")
    elif kind == "sqlite":
        conn = sqlite3.connect(bad)
        conn.execute("CREATE TABLE notes(x)")
        conn.commit()
        conn.close()
    elif kind == "newer":
        shutil.copy(b, bad)
        conn = sqlite3.connect(bad)
        conn.execute(
            "INSERT INTO _sqlite_migrations(migration_set, name, applied_at)"
            " VALUES ('kiosk', 'm999_from_the_future', '2030-01-01')"
        )
        conn.commit()
        conn.close()
    elif kind == "other-show":
        shutil.copy(b, bad)
        other = open_db(bad)
        set_meta(other, "show_id", "other-show")
        other.conn.close()
        target = open_db(a)
        set_meta(target, "show_id", "test-show")
        target.conn.close()
    elif kind == "empty":
        bad.write_bytes(b"")
    with pytest.raises(DatabaseError, match=expect):
        merge_databases(a, [b, bad], now=LATER)
    db = open_db(a)
    assert db.execute("SELECT count(*) FROM events").fetchone() == (2,)  # b was not merged either
    assert not list(base.parent.glob("kiosk-a.db.bak-*"))


def test_sources_are_opened_read_only(base):
    a, b = two_kiosks_file_the_same_visitor(base)
    before = b.read_bytes()
    merge_databases(a, [b], now=LATER)
    assert b.read_bytes() == before


def test_a_closed_source_gets_no_files_beside_it(base):
    """A merge from a USB stick left kiosk-b.db-shm and kiosk-b.db-wal on it."""
    a, b = two_kiosks_file_the_same_visitor(base)
    assert not Path(f"{b}-wal").exists()  # closed cleanly, as `kiosk backup` leaves it
    before = sorted(p.name for p in b.parent.glob("kiosk-b.db*"))
    report = merge_databases(a, [b], now=LATER)
    assert report.new == 3
    assert sorted(p.name for p in b.parent.glob("kiosk-b.db*")) == before


def test_a_source_still_open_elsewhere_gives_the_scans_in_its_log(base):
    """Its -wal holds what is not folded into the file yet: read, not skipped."""
    a, b = two_kiosks_file_the_same_visitor(base)
    live = open_db(b)
    live.conn.execute("PRAGMA wal_autocheckpoint = 0")
    booth.check_in(live, replace(CONFIG, kiosk_id="kiosk-b"), contact(live, "C1"), now=NOW)
    assert Path(f"{b}-wal").stat().st_size > 0
    report = merge_databases(a, [b], now=LATER)
    assert report.new == 4  # the lead, its check-in and the away mark, and the live scan
    live.conn.close()


# ------------------------------------------------------------------ clock skew (issue 10)

YEAR = timedelta(days=365)


def kiosk_b_a_year_ahead(base: Path) -> tuple[Path, Path]:
    """Kiosk A checks Yuki in at 10:00. Kiosk B, whose laptop clock is a year ahead, checks
    José in and files Carla ("2027"), and checks Wang in with a clock only a minute fast."""
    a_path, a = kiosk(base, "kiosk-a")
    booth.check_in(a, replace(CONFIG, kiosk_id="kiosk-a"), contact(a, "C1"), now=NOW)
    b_path, b = kiosk(base, "kiosk-b")
    b_cfg = replace(CONFIG, kiosk_id="kiosk-b")
    booth.check_in(b, b_cfg, contact(b, "C3"), now=NOW + timedelta(minutes=1))
    booth.check_in(b, b_cfg, contact(b, "C2"), now=NOW + YEAR)
    booth.add_lead(b, b_cfg, CARLA, now=NOW + YEAR + timedelta(minutes=3))
    a.conn.close()
    b.conn.close()
    return a_path, b_path


def contact(db, crm_id: str) -> str:
    return db.execute("SELECT id FROM contacts WHERE crm_id = ?", [crm_id]).fetchone()[0]


def test_events_stamped_in_the_future_are_merged_and_reported(base):
    a, b = kiosk_b_a_year_ahead(base)
    merged_at = NOW + timedelta(minutes=30)
    report = merge_databases(a, [b], now=merged_at)
    assert report.new == 4  # nothing dropped: B's check-ins, its lead and the lead's check-in
    [flagged] = report.future
    assert (flagged.kiosk_id, flagged.events) == ("kiosk-b", 3)  # not the one a minute fast
    assert flagged.ahead == YEAR + timedelta(minutes=3, microseconds=1) - timedelta(minutes=30)
    assert flagged.files == [b]
    summary = report.summary()
    assert summary["max_clock_skew_seconds"] == 600
    [entry] = summary["future_events"]
    assert (entry["kiosk"], entry["events"], entry["worst_ahead"]) == ("kiosk-b", 3, "364 d 23 h")
    assert entry["latest_ts_utc"].startswith("2027-11-24T10:03:00.000001")
    [warning] = report.clock_warnings()
    assert "3 new events from kiosk-b" in warning and "364 d 23 h ahead" in warning
    assert "limit 10 min" in warning
    db = open_db(a)
    assert db.execute("SELECT count(*) FROM events").fetchone() == (5,)
    assert db.execute("SELECT count(*) FROM checkins").fetchone() == (4,)


def test_a_kiosk_whose_clock_ran_ahead_does_not_move_this_kiosks_clock(base):
    """After merging B's log from next year, A's next check-in is stamped A's now."""
    a, b = kiosk_b_a_year_ahead(base)
    merge_databases(a, [b], now=NOW + timedelta(minutes=30))
    db = open_db(a)
    later = NOW + timedelta(hours=2)
    checkin = booth.check_in(db, replace(CONFIG, kiosk_id="kiosk-a"), contact(db, "C2"), now=later)
    assert checkin.event.ts == later.isoformat(timespec="microseconds")
    today = db.execute("SELECT count(*) FROM checkins WHERE at LIKE '2026-11-24%'").fetchone()
    assert today == (3,)  # Yuki, Wang (B's, a minute fast) and the new one: still today's
    # the new check-in sorts before B's "2027" events: the tables are still the log's replay
    tables = ("contacts", "checkins", "leads", "proposals")
    before = {t: sorted(db.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in tables}
    events.rebuild(db)
    assert {t: sorted(db.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in tables} == (
        before
    )


def test_a_future_event_set_aside_is_reported_as_set_aside_not_as_ahead(base):
    """B's two "2027" check-ins (José's, Carla's) are damaged on their way (a payload that is
    not JSON): they are quarantined, and the clock warning counts only the future event that
    merged (Carla's lead)."""
    a, b = kiosk_b_a_year_ahead(base)
    db = sqlite3.connect(b)
    db.execute("DROP TRIGGER IF EXISTS events_append_only_update")
    db.execute("UPDATE events SET payload = '{not json' WHERE kind = 'checkin' AND ts LIKE '2027%'")
    db.commit()
    db.close()
    report = merge_databases(a, [b], now=NOW + timedelta(minutes=30))
    assert report.new == 2 and len(report.quarantined) == 2
    [flagged] = report.future
    assert (flagged.kiosk_id, flagged.events, flagged.files) == ("kiosk-b", 1, [b])
    # and a second source bringing an event the first already brought flags it once
    c = shutil.copy(b, base.with_name("kiosk-b-copy.db"))
    again = merge_databases(a, [c], now=NOW + timedelta(minutes=30))
    assert (again.new, again.future) == (0, [])


def test_the_allowed_clock_skew_is_a_parameter(base):
    a, b = kiosk_b_a_year_ahead(base)
    lenient = merge_databases(
        shutil.copy(a, base.with_name("lenient.db")), [b], now=NOW, max_clock_skew=2 * YEAR
    )
    assert lenient.future == [] and lenient.summary()["future_events"] == []
    strict = merge_databases(a, [b], now=NOW, max_clock_skew=timedelta(0))
    assert [(f.kiosk_id, f.events) for f in strict.future] == [("kiosk-b", 4)]


def test_merging_again_reports_no_future_events_and_changes_nothing(base):
    a, b = kiosk_b_a_year_ahead(base)
    merge_databases(a, [b], now=NOW)
    again = merge_databases(a, [b], now=NOW)
    assert (again.new, again.future, again.clock_warnings()) == (0, [], [])


def test_the_backup_is_named_after_the_callers_clock(base):
    a, b = two_kiosks_file_the_same_visitor(base)
    report = merge_databases(a, [b], now=LATER)
    assert report.backup is not None and report.backup.name == "kiosk-a.db.bak-20261124-180000"


def test_events_stored_after_the_known_uuids_were_read_are_not_applied_twice(base):
    """`kiosk merge` reads the log's uuids before its transaction (to count each file's
    new events); an event a hub pull or a second merge stores meanwhile is known all the
    same: `merge_rows` reads the rows added since."""
    a, b = two_kiosks_file_the_same_visitor(base)
    office = base.with_name("office.db")
    shutil.copy(base, office)
    db = open_db(office)
    known = events.known_uuids(db)
    assert known.uuids == set()
    merge_databases(office, [a], now=LATER)  # lands between the read and the merge
    rows = []
    for path in (a, b):
        src = open_db(path, create=False)
        rows += src.execute(f"SELECT {events.COLUMNS} FROM events").fetchall()
        src.conn.close()
    new, already = events.merge_rows(db, rows, now=LATER, known_ids=known)
    assert (new, already) == (3, 2)
    expected = base.with_name("expected.db")
    shutil.copy(base, expected)
    merge_databases(expected, [a, b], now=LATER)
    with open_db(expected, create=False) as want:
        for table in ("events", "leads", "contacts", "proposals", "checkins"):
            sql = f"SELECT count(*) FROM {table}"
            assert db.execute(sql).fetchone() == want.execute(sql).fetchone(), table
    db.conn.close()
