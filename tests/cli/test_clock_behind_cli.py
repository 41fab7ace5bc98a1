"""A kiosk whose clock is behind: its scans and leads look earlier than everyone's and win
rule 6 ("the earliest claim stands"). `kiosk merge` merges them (nothing is dropped) but
flags booth facts stamped before the show's set-up, names the kiosk and its worst offset in
the text and `--json`, and the manager's evidence (`kiosk proposals`, `dispute show`) says
that a claim's time comes from a kiosk whose clock looked wrong."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk import booth
from kiosk.booth import LeadInput
from kiosk.clock import SETUP_DAYS, before_show, booth_opens, show_zone
from kiosk.db import open_db
from tests.cli.common import run
from tests.factory import CONFIG, NOW

NOW_TEXT = "2026-11-24T10:30:00+00:00"  # the merge: half an hour after NOW
SLOW = datetime(2001, 1, 1, 10, 0, tzinfo=UTC)  # a laptop whose clock lost its battery
VISITOR = LeadInput(name="Clock Victim", email="cv@c.example", country="BR", rating="hot")


def _kiosk(src: Path, name: str, kiosk_id: str) -> Path:
    path = src.with_name(name)
    db = open_db(src)
    db.execute("VACUUM INTO ?", [str(path)])
    db.conn.close()
    return path


def _lead(path: Path, kiosk_id: str, *, now: datetime, away: str = "") -> None:
    db = open_db(path)
    config = replace(CONFIG, kiosk_id=kiosk_id)
    if away:
        booth.set_away(db, config, away, True, now=now - timedelta(hours=1))
    booth.add_lead(db, config, VISITOR, now=now)
    db.conn.close()


def _two_claims(dbpath: Path, slow: datetime) -> Path:
    """kiosk-a files the visitor (LATAM: luis) at NOW; kiosk-b, where luis is away, files
    them for marta with its clock at `slow`."""
    b = _kiosk(dbpath, "kiosk-b.db", "kiosk-b")
    _lead(dbpath, "kiosk-a", now=NOW)
    _lead(b, "kiosk-b", now=slow, away="luis")
    return b


def test_merge_flags_scans_and_leads_stamped_before_the_show(dbpath, monkeypatch):
    monkeypatch.setenv("KIOSK_NOW", NOW_TEXT)
    b = _two_claims(dbpath, SLOW)
    result = run("merge", b, db=dbpath)
    assert result.exit_code == 0, result.output
    [line] = [x for x in result.output.splitlines() if x.startswith("Clock behind")]
    # the lead and its check-in; set-up opens 2026-11-21 00:00 UTC (the test show is UTC)
    assert line.startswith(
        "Clock behind: 2 new scans or leads from kiosk-b stamped as early as"
        " 2001-01-01 10:00 UTC, 9454 d 14 h before the show's set-up; merged, nothing dropped"
    )
    assert "Check kiosk-b's clock" in line
    db = open_db(dbpath)  # merged all the same: both leads are there, the slow one first
    assert db.execute("SELECT count(*) FROM leads").fetchone() == (2,)


def test_merge_json_names_the_kiosk_and_its_worst_offset(dbpath, monkeypatch):
    monkeypatch.setenv("KIOSK_NOW", NOW_TEXT)
    b = _two_claims(dbpath, SLOW)
    summary = json.loads(run("merge", b, "--json", db=dbpath).output)
    assert summary["booth_opens"] == "2026-11-21T00:00:00+00:00"
    [past] = summary["past_events"]
    assert past["kiosk"] == "kiosk-b" and past["events"] == 2
    assert past["earliest_ts_utc"] == "2001-01-01T10:00:00.000000+00:00"
    opens = datetime(2026, 11, 21, tzinfo=UTC)
    assert past["worst_before_show_seconds"] == int((opens - SLOW).total_seconds())
    assert past["files"] == [str(b)]
    assert summary["future_events"] == []


def test_a_set_up_day_scan_and_an_honest_merge_are_not_flagged(dbpath, monkeypatch):
    monkeypatch.setenv("KIOSK_NOW", NOW_TEXT)
    b = _two_claims(dbpath, NOW - timedelta(days=SETUP_DAYS))  # a try-out on set-up day
    summary = json.loads(run("merge", b, "--json", db=dbpath).output)
    assert summary["past_events"] == []
    assert "Clock behind" not in run("merge", b, db=dbpath).output


def test_the_managers_evidence_says_the_claims_time_is_from_a_wrong_clock(dbpath, monkeypatch):
    monkeypatch.setenv("KIOSK_NOW", NOW_TEXT)
    b = _two_claims(dbpath, SLOW)
    run("merge", b, db=dbpath)
    out = run("proposals", db=dbpath).output
    assert "first filed at kiosk-b on 2001-01-01 10:00 UTC" in out  # rule 6 as it stands
    assert (
        "⚠ Times from a kiosk whose clock looked wrong: kiosk-b stamped it 2001-01-01 10:00"
        " UTC, 9,454 days before the show. Check that kiosk's clock" in out
    )
    [item] = json.loads(run("proposals", "--json", db=dbpath).output)
    [doubt] = item["clock_doubts"]
    assert doubt["kiosk"] == "kiosk-b" and doubt["at"].startswith("2001-01-01T10:00:00")
    shown = run("dispute", "show", item["id"], db=dbpath).output
    assert "kiosk-b stamped it 2001-01-01 10:00 UTC" in shown


def test_honest_claims_raise_no_doubt(dbpath, monkeypatch):
    monkeypatch.setenv("KIOSK_NOW", NOW_TEXT)
    b = _two_claims(dbpath, NOW + timedelta(minutes=5))
    run("merge", b, db=dbpath)
    [item] = json.loads(run("proposals", "--json", db=dbpath).output)
    assert item["clock_doubts"] == []
    assert "clock looked wrong" not in run("proposals", db=dbpath).output


@settings(max_examples=200, deadline=None)
@given(
    start=st.dates(min_value=datetime(2000, 1, 1).date(), max_value=datetime(2090, 1, 1).date()),
    seconds=st.integers(-40 * 86400, 40 * 86400),
    zone=st.sampled_from(["UTC", "Europe/Berlin", "Asia/Shanghai", "America/Bogota"]),
)
def test_before_show_is_exactly_a_stamp_before_the_set_up_midnight(start, seconds, zone):
    tz = show_zone(zone)
    opens = booth_opens(start, tz)
    assert opens is not None
    assert opens.astimezone(tz).date() == start - timedelta(days=SETUP_DAYS)
    assert (opens.astimezone(tz).hour, opens.astimezone(tz).minute) == (0, 0)
    when = opens.astimezone(UTC) + timedelta(seconds=seconds)
    gap = before_show(when.astimezone(tz), opens)
    assert (gap is not None) == (seconds < 0)
    if gap is not None:
        assert gap == timedelta(seconds=-seconds)
    assert before_show(when, None) is None


def test_booth_commands_warn_when_this_computers_date_is_outside_the_show(dbpath, monkeypatch):
    monkeypatch.setenv("KIOSK_NOW", "2001-01-01T10:00:00+00:00")
    result = run("lead", "add", "--name", "Clock Victim", "--email", "cv@c.example",
                 "--country", "BR", db=dbpath)  # fmt: skip
    assert result.exit_code == 0
    assert result.stderr == (
        "Warning: this computer's clock says 2001-01-01, before Test Expo 2026 (2026-11-24 to"
        " 2026-11-27): if the show is on today, set the clock right first; the time recorded"
        " with a visitor decides who filed them first.\n"
    )
    assert result.stdout.startswith("Lead saved")  # a warning, not a refusal
    monkeypatch.setenv("KIOSK_NOW", "2027-11-30T10:00:00+00:00")  # last year's show file
    result = run("checkin", "yuki@tanaka.example", db=dbpath)
    assert result.exit_code == 0 and result.stdout.startswith("Checked in")
    assert result.stderr.startswith(
        "Warning: this computer's clock says 2027-11-30, after Test Expo 2026 ended"
    )
    assert "kiosk init --show FILE" in result.stderr
    monkeypatch.setenv("KIOSK_NOW", NOW_TEXT)  # the show's first day: nothing to say
    result = run("checkin", "yuki@tanaka.example", db=dbpath)
    assert result.exit_code == 0 and result.stderr == ""
