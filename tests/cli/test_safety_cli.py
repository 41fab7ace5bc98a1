"""Issue 12 §3–4 from the command line: text from outside is inert, bad databases are one
line and exit 2 in every command (the bare `kiosk` too), and only `kiosk init` creates one."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from kiosk.db import open_db
from tests.cli.common import run

EVIL = "Evil\x1b]0;pwned\x07 Name\u202egnp.exe\x9b2J"
CONTROLS = ("\x1b", "\x07", "\u202e", "\x9b")


def clean(output: str) -> bool:
    return not any(c in output for c in CONTROLS)


@pytest.fixture
def no_tui(monkeypatch):
    """The bare `kiosk` must refuse before the TUI starts; if it ever starts, fail."""

    def started(*_a, **_k):
        raise AssertionError("the TUI started")

    monkeypatch.setattr("textual.app.App.run", started)


def dirty(dbpath: Path) -> None:
    """Old data written before text was cleaned at every entry (or by another program)."""
    conn = sqlite3.connect(dbpath)
    conn.execute("UPDATE contacts SET name = ?, company = ? WHERE crm_id = 'C1'", [EVIL, EVIL])
    conn.execute("UPDATE salespeople SET name = ? WHERE id = 'kenji'", [EVIL])
    conn.commit()
    conn.close()


def test_lookup_checkin_proposals_and_report_never_print_an_escape_from_data(dbpath):
    dirty(dbpath)
    for args in (
        ("lookup", "B-100"),
        ("lookup", "Japan"),
        ("lookup", "B-100", "--json"),
        ("checkin", "B-100"),
        ("proposals",),
        ("proposals", "--json"),
        ("report",),
        ("report", "--format", "markdown"),
        ("report", "--format", "json"),
        ("stats",),
    ):
        result = run(*args, db=dbpath)
        assert result.exit_code == 0, (args, result.output)
        assert clean(result.output), (args, result.output)
    # the escaped text is still there to read, and JSON still means the same string
    data = json.loads(run("lookup", "B-100", "--json", db=dbpath).output)
    assert data["matches"][0]["contact"]["name"] == EVIL


def test_a_proposal_reason_from_another_kiosk_is_escaped(dbpath):
    db = open_db(dbpath, create=False)
    db.execute(
        "INSERT INTO proposals(id, kind, contact_id, reason, status, created_at, item_key)"
        " VALUES ('p1', 'dispute', 'C1', ?, 'open', '2026-11-24T10:00:00+00:00', 'k')",
        [EVIL],
    )
    db.conn.close()
    result = run("proposals", db=dbpath)
    assert result.exit_code == 0 and clean(result.output) and "\\u001b]0;pwned" in result.output


def test_lead_add_stores_no_control_characters(dbpath):
    result = run(
        "lead", "add", "--name", EVIL, "--company", "Acme\x1b[31m", "--email", "e@vil.example",
        "--notes", "call back\nMonday\x1b]52;c;aGk=\x07", "--consent", "--json", db=dbpath,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    contact_id = json.loads(result.output)["contact_id"]
    db = open_db(dbpath, create=False)
    name, company, notes = db.execute(
        "SELECT name, company, notes FROM contacts WHERE id = ?", [contact_id]
    ).fetchone()
    assert (name, company, notes) == ("Evil]0;pwned Namegnp.exe2J", "Acme[31m",
                                      "call back\nMonday]52;c;aGk=")  # fmt: skip
    [payload] = db.execute("SELECT payload FROM events WHERE kind = 'lead.created'").fetchone()
    assert not any(c in json.loads(payload)["contact"]["name"] for c in CONTROLS)


def test_a_scanned_walk_in_badge_stores_no_control_characters(dbpath):
    badge = "BEGIN:VCARD\nFN:Mallory\u202eexe.txt\x1b[2J\nORG:Acme\nEMAIL:m@acme.example\nEND:VCARD"
    result = run("checkin", badge, "--json", db=dbpath)
    assert result.exit_code == 0, result.output
    db = open_db(dbpath, create=False)
    [name] = db.execute("SELECT name FROM contacts WHERE source = 'booth'").fetchone()
    assert name == "Malloryexe.txt[2J"
    [payload] = db.execute("SELECT payload FROM events WHERE kind = 'walkin.arrived'").fetchone()
    assert not any(c in payload for c in ("\u202e", "\\u202e", "\\u001b"))


def test_an_error_message_quoting_data_is_escaped(dbpath):
    result = run("checkin", "B-100", "--by", "nobody\x1b]0;x\x07", db=dbpath)
    assert result.exit_code == 2 and clean(result.output)
    assert "unknown salesperson: nobody\\u001b]0;x\\u0007" in result.output
    assert len(result.output.strip().splitlines()) == 1


# ---------------------------------------------------------------- databases


@pytest.mark.parametrize("args", [(), ("stats",), ("lookup", "Japan"), ("merge", "x.db")])
def test_a_missing_database_is_never_created(tmp_path, no_tui, args):
    target = tmp_path / "missing" / "dir" / "x.db"
    result = run(*args, db=target)
    assert result.exit_code == 2
    assert "database not found" in result.output and "kiosk init" in result.output
    assert not target.parent.exists()


@pytest.mark.parametrize("args", [(), ("stats",), ("lookup", "Japan")])
def test_an_empty_file_is_not_a_kiosk_yet(tmp_path, no_tui, args):
    target = tmp_path / "empty.db"
    target.touch()
    result = run(*args, db=target)
    assert result.exit_code == 2 and "was never initialised" in result.output
    assert target.stat().st_size == 0  # not silently turned into an empty kiosk


@pytest.mark.parametrize("args", [(), ("lookup", "Japan"), ("checkin", "B-1"), ("merge", "x.db")])
def test_a_kiosk_without_salespeople_says_what_loads_them(tmp_path, no_tui, args):
    target = tmp_path / "fresh.db"
    assert run("init", db=target).exit_code == 0
    result = run(*args, db=target)
    assert result.exit_code == 2
    assert "has no salespeople yet" in result.output and "kiosk import salespeople" in result.output
    assert run("stats", db=target).exit_code == 0  # looking is fine


@pytest.mark.parametrize("args", [(), ("stats",), ("lookup", "Japan"), ("report",)])
def test_a_text_file_as_database_is_one_line(tmp_path, no_tui, args):
    target = tmp_path / "notes.db"
    target.write_text("hello, this is not a database\n" * 200, encoding="utf-8")
    result = run(*args, db=target)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_a_bad_show_file_is_one_line_for_the_bare_kiosk(dbpath, tmp_path, no_tui):
    bad = tmp_path / "bad.toml"
    bad.write_text("[show\nid =", encoding="utf-8")
    result = run("--config", bad, db=dbpath)
    assert result.exit_code == 2 and "not valid TOML" in result.output
    assert len(result.output.strip().splitlines()) == 1


def damage(path: Path, table: str) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    [root] = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", [table]).fetchone()
    [size] = conn.execute("PRAGMA page_size").fetchone()
    conn.close()
    with open(path, "r+b") as fh:
        fh.seek((root - 1) * size)
        fh.write(b"\xde\xad\xbe\xef" * (size // 4))


@pytest.mark.parametrize(
    ("args", "table"),
    [
        (("lookup", "Yuki"), "contacts"),
        (("checkin", "B-100"), "contacts"),
        (("report",), "salespeople"),
        (("rebuild",), "contacts"),
        (("stats",), "contacts"),
        (("export", "leads", "-o", "leads.csv"), "events"),
    ],
)
def test_a_damaged_page_is_one_line_and_exit_2(dbpath, args, table):
    damage(dbpath, table)
    result = run(*args, db=dbpath)
    assert result.exit_code == 2, result.output
    assert "damaged" in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def kiosk_b(dbpath: Path) -> Path:
    other = dbpath.with_name("kiosk-b.db")
    shutil.copy(dbpath, other)
    assert run("checkin", "B-200", db=other).exit_code == 0
    return other


def kiosk_b_with_bad_event(dbpath: Path, uuid: str, ts: str, kind: str) -> Path:
    """Kiosk B's file holding one event a real kiosk would never write (an empty payload, the
    given time and kind), as a damaged or hostile source would."""
    other = kiosk_b(dbpath)
    conn = sqlite3.connect(other)
    conn.execute(
        "INSERT INTO events(uuid, kiosk_id, ts, ts_utc, recorded_at, actor, kind, payload)"
        " VALUES (?, 'kiosk-b', ?, '', '', '', ?, '{}')",
        [uuid, ts, kind],
    )
    conn.commit()
    conn.close()
    return other


def test_merge_of_a_damaged_source_is_one_line_and_writes_nothing(dbpath):
    other = kiosk_b(dbpath)
    damage(other, "events")
    result = run("merge", other, db=dbpath)
    assert result.exit_code == 2 and "is damaged" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not list(dbpath.parent.glob("*.bak-*"))


def test_merge_sets_bad_events_aside_and_lists_them(dbpath):
    other = kiosk_b_with_bad_event(dbpath, "bad-1", "garbage", "checkin")
    result = run("merge", other, "--json", db=dbpath)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["new_events"] == 1
    [aside] = data["quarantined"]
    assert (aside["kiosk"], aside["uuid"]) == ("kiosk-b", "bad-1")
    assert "'garbage' is not an ISO 8601 time" in aside["reason"]


def test_merge_names_the_events_it_set_aside(dbpath):
    other = kiosk_b_with_bad_event(dbpath, "bad-2", "2026-11-24T10:00:00+00:00", "teleport")
    result = run("merge", other, db=dbpath)
    assert result.exit_code == 0, result.output
    assert "Set aside 1 event that cannot be merged" in result.output
    assert "kiosk kiosk-b, event bad-2 (teleport): unknown kind 'teleport'" in result.output
