"""The `kiosk` CLI on a real database: exit codes, exact messages, JSON shape."""

from __future__ import annotations

import json
import re
import sqlite3

import click
import pytest

from kiosk.cli import main
from tests.cli.common import run


def test_every_command_has_help():
    def walk(cmd: click.Command, path: list[str]):
        yield path, cmd
        if isinstance(cmd, click.Group):
            for name, sub in cmd.commands.items():
                yield from walk(sub, [*path, name])

    for path, cmd in walk(main, []):
        assert (cmd.help or "").strip(), f"kiosk {' '.join(path)} has no help text"
        result = run(*path, "--help")
        assert result.exit_code == 0, path


def test_lookup_json_names_owner_rule_and_evidence(dbpath):
    result = run("lookup", "yuki@tanaka.example", "--json", db=dbpath)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["kind"] == "email"
    [m] = data["matches"]
    assert m["contact"]["name"] == "Yuki Tanaka"
    assert "notes" not in m["contact"]
    assert m["owner"]["id"] == "kenji" and m["owner"]["phone"]
    assert m["rule"] and m["reason"]
    assert any("2024-03-02" in v for v in m["evidence"].values())
    assert isinstance(m["flags"], list) and isinstance(m["proposals"], list)


def test_lookup_country_in_chinese_gives_the_territory_route(dbpath):
    data = json.loads(run("lookup", "日本", "--json", db=dbpath).output)
    assert data["kind"] == "country" and data["country"] == "JP"
    assert data["route"]["owner"]["id"] == "kenji"
    assert data["route"]["rule"]


def test_checkin_and_lead_add(dbpath):
    result = run("checkin", "B-100", db=dbpath)
    assert result.exit_code == 0, result.output
    assert "Checked in Yuki Tanaka" in result.output and "Kenji Sato" in result.output
    result = run(
        "lead",
        "add",
        "--name",
        "Sofía Pérez",
        "--company",
        "Luz Madrid",
        "--email",
        "sofia@luzmadrid.example",
        "--country",
        "España",
        "--rating",
        "hot",
        "--json",
        db=dbpath,
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["owner"]["id"] == "ana"
    db = sqlite3.connect(dbpath)
    assert db.execute("SELECT count(*) FROM leads").fetchone()[0] == 1
    assert db.execute("SELECT count(*) FROM checkins").fetchone()[0] == 2


def test_proposals_and_decide(dbpath):
    assert run("checkin", "B-200", "--by", "luis", db=dbpath).exit_code == 0
    data = json.loads(run("proposals", "--json", db=dbpath).output)
    [p] = data
    assert p["kind"] == "assistant"
    result = run("decide", p["id"], "--approve", "--by", "ana", db=dbpath)
    assert result.exit_code == 2 and "not a manager" in result.output
    result = run("decide", p["id"], "--approve", "--by", "wei", db=dbpath)
    assert result.exit_code == 0 and "approved" in result.output
    assert run("proposals", db=dbpath).output.strip() == "No proposals waiting."


def test_checkin_by_after_reception_scanned_records_the_claim(dbpath):
    """Reception scans first; the salesperson who brought the visitor comes a few minutes
    later. `checkin --by` printed the assistant proposal and recorded nothing."""
    assert run("checkin", "B-200", db=dbpath).exit_code == 0
    result = run("checkin", "B-200", "--by", "luis", db=dbpath)
    assert result.exit_code == 0, result.output
    assert "Received by Luis" in result.output and "Proposal for the manager" in result.output
    [p] = json.loads(run("proposals", "--json", db=dbpath).output)
    assert p["kind"] == "assistant" and p["proposed_id"] == "luis"
    db = sqlite3.connect(dbpath)
    assert db.execute("SELECT count(*), max(received_by) FROM checkins").fetchone() == (1, "luis")
    # someone else again: already met, nothing new, and no proposal claimed in their name
    result = run("checkin", "B-200", "--by", "marta", db=dbpath)
    assert result.exit_code == 0, result.output
    assert "already received by Luis" in result.output and "nothing new" in result.output
    assert "Proposal" not in result.output and "Marta" not in result.output
    assert len(json.loads(run("proposals", "--json", db=dbpath).output)) == 1


def test_checkin_by_after_another_brought_the_visitor_claims_nothing(dbpath):
    """Claire brought Felix (checkin --by claire); `--by lukas` then made Lukas receive him
    with a second assistant proposal for the same visitor."""
    assert run("checkin", "B-200", "--by", "luis", db=dbpath).exit_code == 0
    result = run("checkin", "B-200", "--by", "marta", db=dbpath)
    assert result.exit_code == 0, result.output
    assert "brought by Luis Gómez; nothing new recorded" in result.output
    assert "Proposal" not in result.output
    [p] = json.loads(run("proposals", "--json", db=dbpath).output)
    assert p["proposed_id"] == "luis"
    db = sqlite3.connect(dbpath)
    assert db.execute("SELECT count(*), max(received_by) FROM checkins").fetchone() == (1, None)


def test_check_finds_a_damaged_file_and_says_how_to_recover(dbpath, tmp_path):
    """A damaged page shows only when read: a check-in and a lead were written into such a
    file without a word (`stats` alone noticed). `kiosk check` reads every page."""
    result = run("check", db=dbpath)
    assert result.exit_code == 0 and "no damage found" in result.output
    bad = tmp_path / "damaged.db"
    src = sqlite3.connect(dbpath)
    src.execute("VACUUM INTO ?", [str(bad)])  # one file, no log beside it (pages renumbered)
    src.close()
    copy = sqlite3.connect(bad)
    [(root,)] = copy.execute(
        "SELECT rootpage FROM sqlite_master WHERE name = 'contacts_country'"
    ).fetchall()
    copy.close()
    with open(bad, "r+b") as fh:  # an index's page scribbled over: nothing reads it to open
        fh.seek((root - 1) * 4096 + 8)
        fh.write(b"\xde\xad\xbe\xef" * 200)
    result = run("check", db=bad)
    assert result.exit_code == 1, result.output
    assert "is damaged; SQLite found:" in result.output
    assert f"sqlite3 {bad} .recover | sqlite3 recovered.db" in " ".join(result.output.split())
    data = json.loads(run("check", "--json", db=bad).output)
    assert data["ok"] is False and data["problems"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["lead", "add", "--name", "X", "--email", "bad@"], "not a valid email address: bad@"),
        (["lead", "add", "--name", "X", "--email", "foo bar@x.de"], "not a valid email address"),
        (["lead", "add", "--name", "X", "--by", "ghost"], "unknown salesperson: ghost"),
        (["lead", "add", "--name", "X", "--country", "Booth 12"], "unknown or ambiguous country"),
        (["checkin", "nobody-at-all-xyz"], "no known visitor matches"),
        (["away", "ghost"], "unknown salesperson: ghost"),
        (["away", ""], "say which salesperson"),
        (["decide", "nope", "--approve", "--by", "wei"], "no proposal with id nope"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(dbpath, args, message):
    result = run(*args, db=dbpath)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_missing_database_is_a_clear_error(tmp_path):
    result = run("stats", db=tmp_path / "nope.db")
    assert result.exit_code == 2
    assert "database not found" in result.output and "kiosk init" in result.output


def test_locked_database_is_a_clear_error(dbpath, monkeypatch):
    monkeypatch.setattr("kiosk.db.BUSY_TIMEOUT_MS", 50)
    holder = sqlite3.connect(dbpath, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        result = run("checkin", "B-100", db=dbpath)
    finally:
        holder.execute("ROLLBACK")
    assert result.exit_code == 2
    assert "locked" in result.output


def test_foreign_file_is_refused(tmp_path):
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE x(y)")
    result = run("stats", db=other)
    assert result.exit_code == 2 and "not a kiosk database" in result.output


def test_rebuild_and_stats(dbpath):
    run("checkin", "B-100", db=dbpath)
    assert run("rebuild", db=dbpath).output.strip() == "Replayed 1 events."
    data = json.loads(run("stats", "--json", db=dbpath).output)
    assert data["contacts"] == 3 and data["checkins"] == 1 and data["events"] == 1


def test_lead_notes_without_consent_are_refused_not_dropped(dbpath):
    """`lead add --notes …` without --consent saved the lead and threw the notes away
    without a word (exit 0); the form says why it keeps no notes, the CLI said nothing."""
    result = run("lead", "add", "--name", "Noa Notes", "--email", "noa@n.example",
                 "--country", "DE", "--notes", "wants 5000 units", db=dbpath)  # fmt: skip
    assert result.exit_code == 2, result.output
    assert "--notes needs --consent" in result.output
    db = sqlite3.connect(dbpath)
    assert db.execute("SELECT count(*) FROM leads").fetchone() == (0,)  # nothing half-saved
    result = run("lead", "add", "--name", "Noa Notes", "--email", "noa@n.example",
                 "--country", "DE", "--notes", "wants 5000 units", "--consent", db=dbpath)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert db.execute("SELECT notes FROM leads").fetchone() == ("wants 5000 units",)


def test_stats_and_the_report_say_visitors_and_check_ins_apart(dbpath, monkeypatch):
    """`kiosk stats` said "Check-ins 3" where the booth screen said "2 checked in": both
    right (scans against people), neither said so."""
    for at, badge in (("2026-11-24T09:00:00+00:00", "B-100"), ("2026-11-24T10:00:00+00:00",
                      "B-100"), ("2026-11-24T10:00:00+00:00", "B-200")):  # fmt: skip
        monkeypatch.setenv("KIOSK_NOW", at)
        assert run("checkin", badge, db=dbpath).exit_code == 0
    stats = run("stats", db=dbpath).output
    assert re.search(r"Visitors checked in +│ +2 │", stats), stats
    assert re.search(r"Check-ins \(scans, repeats included\) +│ +3 │", stats), stats
    data = json.loads(run("stats", "--json", db=dbpath).output)
    assert (data["visitors"], data["checkins"]) == (2, 3)
    said = "Visitors checked in: 2 · Check-ins (scans, repeats included): 3"
    assert said in run("report", db=dbpath).output
    assert said in run("report", "--format", "markdown", db=dbpath).output
    report = json.loads(run("report", "--format", "json", db=dbpath).output)
    assert report["checked_in"] == {"visitors": 2, "checkins": 3}
