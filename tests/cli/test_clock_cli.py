"""The front-ends' clock in the sync commands (issue 10): `kiosk merge` flags kiosks whose
clock ran ahead (`--max-skew`), names its backup, and `scripts/sync.py` runs, at KIOSK_NOW."""

from __future__ import annotations

import importlib.util
import json
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from kiosk import booth
from kiosk.db import open_db
from tests.cli.common import run
from tests.factory import CONFIG, NOW

ROOT = Path(__file__).resolve().parent.parent.parent
YEAR = timedelta(days=365)
NOW_TEXT = "2026-11-24T10:30:00+00:00"  # the merge: half an hour after NOW


@pytest.fixture(autouse=True)
def _frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIOSK_NOW", NOW_TEXT)


def kiosk_b(src: Path, *, ahead: timedelta) -> Path:
    """A copy of `src` as kiosk B, which checked Yuki in with its clock `ahead`."""
    path = src.with_name("kiosk-b.db")
    db = open_db(src)
    db.execute("VACUUM INTO ?", [str(path)])
    db.conn.close()
    db = open_db(path)
    [cid] = db.execute("SELECT id FROM contacts WHERE crm_id = 'C1'").fetchone()
    booth.check_in(db, replace(CONFIG, kiosk_id="kiosk-b"), cid, now=NOW + ahead)
    db.conn.close()
    return path


def test_merge_flags_a_kiosk_whose_clock_ran_ahead_and_merges_it(dbpath):
    b = kiosk_b(dbpath, ahead=YEAR)
    result = run("merge", b, db=dbpath)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "kiosk-b.db (kiosk-b): 1 events, 1 new"
    assert lines[1] == f"Backed up kiosk.db to {dbpath}.bak-20261124-103000"
    assert lines[2] == "Merged 1 new events (0 already known)."
    assert lines[3].startswith("Clock skew: 1 new event from kiosk-b stamped up to 364 d 23 h")
    assert "(limit 10 min)" in lines[3] and "nothing dropped" in lines[3]
    assert lines[4] == "Waiting for the manager: 1 item (1 new from this merge)"
    db = open_db(dbpath)
    assert db.execute("SELECT count(*) FROM checkins").fetchone() == (1,)


def test_merge_max_skew_sets_the_limit_and_json_reports_it(dbpath):
    b = kiosk_b(dbpath, ahead=timedelta(minutes=45))  # 15 minutes ahead of the merge
    result = run("merge", b, "--max-skew", "20", "--json", db=dbpath)
    summary = json.loads(result.output)
    assert (summary["max_clock_skew_seconds"], summary["future_events"]) == (1200, [])
    assert summary["now"] == NOW_TEXT
    b.unlink()
    b = kiosk_b(dbpath, ahead=timedelta(minutes=45))
    result = run("merge", b, "--max-skew", "5", "--json", db=dbpath)
    [flagged] = json.loads(result.output)["future_events"]
    assert (flagged["kiosk"], flagged["events"], flagged["worst_ahead_seconds"]) == (
        "kiosk-b", 1, 15 * 60,
    )  # fmt: skip
    assert flagged["files"] == [str(b)]


def test_merge_refuses_a_negative_skew(dbpath):
    result = run("merge", dbpath, "--max-skew", "-1", db=dbpath)
    assert result.exit_code == 2 and "max-skew" in result.output


def test_sync_script_names_the_run_after_the_clock_and_reports_the_skew(dbpath, tmp_path, capsys):
    kiosks = tmp_path / "usb"
    kiosks.mkdir()
    kiosk_b(dbpath, ahead=YEAR).rename(kiosks / "kiosk-b.db")
    out = tmp_path / "out"
    spec = importlib.util.spec_from_file_location("sync_script", ROOT / "scripts" / "sync.py")
    sync = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(sync)
    argv = ["--kiosks", str(kiosks), "--out", str(out), "--db", str(dbpath), "--max-skew", "60"]
    assert sync.main(argv) == 0
    text = capsys.readouterr().out
    assert "Clock skew: 1 new event from kiosk-b" in text and "(limit 1 h)" in text
    assert [p.name for p in out.iterdir() if p.is_dir()] == ["20261124-103000"]
    assert list(tmp_path.glob("kiosk.db.bak-20261124-103000"))
