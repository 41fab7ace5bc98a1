"""`kiosk import|merge|export|report` and scripts/sync.py, end to end on real files."""

from __future__ import annotations

import csv
import importlib.util
import shutil
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from kiosk import booth
from kiosk import events as ev
from kiosk.booth import LeadInput
from kiosk.db import open_db
from tests.cli.common import run
from tests.factory import CONFIG, NOW

DATA = Path(__file__).resolve().parent.parent / "data" / "crm"
ROOT = Path(__file__).resolve().parent.parent.parent
CARLA = LeadInput(
    name="Carla Souza", company="Luz Brasil", email="carla@luzbr.example", country="BR"
)


@pytest.fixture
def crm(tmp_path: Path) -> Path:
    out = tmp_path / "crm"
    shutil.copytree(DATA, out)
    return out


def kiosk_copy(
    src: Path, name: str, kiosk_id: str, lead: LeadInput, when, away: str | None = None
) -> Path:
    path = src.with_name(name)
    db = open_db(src)
    db.execute("VACUUM INTO ?", [str(path)])
    db.conn.close()
    db = open_db(path)
    cfg = replace(CONFIG, kiosk_id=kiosk_id)
    if away:
        booth.set_away(db, cfg, away, True, now=when - timedelta(minutes=1))
    booth.add_lead(db, cfg, lead, now=when)
    db.conn.close()
    return path


def test_import_prints_the_summary_and_writes_rejects(dbpath, crm):
    result = run("import", "contacts", crm / "broken_rows.csv", db=dbpath)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert (
        lines[0]
        == "Imported contacts from broken_rows.csv (generic, UTF-8, delimiter ','): 10 rows"
    )
    assert lines[1] == (
        f"  inserted 2, updated 0, unchanged 0, rejected 8 → {crm / 'broken_rows.rejects.csv'}"
    )
    assert "  line 6: unknown country 'Atlantis'" in lines
    assert (crm / "broken_rows.rejects.csv").exists()


def test_import_names_a_cell_part_it_could_not_read_and_every_reason_of_a_row(dbpath, tmp_path):
    """A cell with an address and a part that is none keeps the address and says so, with
    the file, the line and the part; a rejected row gives all its reasons, on the terminal
    and in the rejects file (it used to give the first, and drop the part unseen)."""
    path = tmp_path / "crm.csv"
    path.write_text(
        "crm_id,name,email,phone,country,owner\n"
        'A-1,Ann,"ann@acme.example, not-an-email",,DE,ana\n'
        "A-2,Bob,bob@,+49 30 1234567 / call me,Atlantis,ana\n"
        "A-3,Cid,cid@acme.example; \x1b[2J\u202eevil,,DE,ana\n",
        encoding="utf-8",
    )
    result = run("import", "contacts", path, db=dbpath)
    assert result.exit_code == 0, result.output
    reason = ("e-mail 'bob@' is not a valid address; phone cell: 'call me' is not a phone"
              " number; unknown country 'Atlantis'")  # fmt: skip
    assert result.output.splitlines()[1:] == [
        f"  inserted 2, updated 0, unchanged 0, rejected 1 → {tmp_path / 'crm.rejects.csv'}",
        f"  line 3: {reason}",
        "  warning: crm.csv line 2: e-mail cell: kept ann@acme.example; 'not-an-email' is not"
        " an e-mail address",
        "  warning: crm.csv line 4: e-mail cell: kept cid@acme.example; '\\x1b[2J\\u202eevil'"
        " is not an e-mail address",
    ]
    with open(tmp_path / "crm.rejects.csv", encoding="utf-8-sig", newline="") as fh:
        assert [r[-2:] for r in csv.reader(fh)] == [["line", "reason"], ["3", reason]]


def test_import_warns_of_a_crm_id_repeated_in_the_file(dbpath, tmp_path):
    """Like a badge id on two contacts: one warning per CRM id, ten at most, then a count."""
    path = tmp_path / "crm.csv"
    rows = [f"R{i},Person {i},Firm {i}" for i in range(12)]
    rows += ["R0,Person 0,Renamed Firm", *(f"R{i},Person {i},Other {i}" for i in range(1, 12))]
    path.write_text("crm_id,name,company\n" + "\n".join(rows) + "\n", encoding="utf-8")
    result = run("import", "contacts", path, db=dbpath)
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if line.startswith("  warning: ")]
    first = "  warning: crm.csv line 14 repeats CRM id 'R0' of line 2; line 14 is kept"
    assert warnings[0] == first
    assert len(warnings) == 11
    assert warnings[-1] == "  warning: … and 2 more CRM id(s) on several records of crm.csv"
    result = run("import", "contacts", path, "--json", db=dbpath)
    assert "repeats CRM id 'R0' of line 2; line 14 is kept" in result.output


def test_a_bulk_import_says_when_lookups_worked_and_when_search_did(dbpath, tmp_path, monkeypatch):
    from kiosk.sync import import_contacts

    monkeypatch.setattr(import_contacts, "BULK_ROWS", 100)  # a "big" file: index after
    path = tmp_path / "big.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["crm_id", "name", "company", "country"])
        w.writerows([f"B{i}", f"Bulk Person {i}", "Bulk Lighting GmbH", "DE"] for i in range(900))
    result = run("import", "contacts", path, db=dbpath)
    assert result.exit_code == 0, result.output
    last = result.output.splitlines()[-1]
    assert last.startswith("  lookups and routing ready after ") and last.endswith(" s later")
    again = run("import", "contacts", path, db=dbpath)  # nothing changed, nothing rebuilt
    assert "ready after" not in again.output


def test_import_formats_and_dry_run(dbpath, crm):
    result = run("import", "contacts", crm / "salesforce_report.csv", "--format", "salesforce",
                 "--dry-run", db=dbpath)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Dry run (nothing written): would import contacts")
    assert "inserted 2" in result.output and "ignored columns: Salutation" in result.output
    db = open_db(dbpath)
    assert db.execute("SELECT count(*) FROM contacts").fetchone() == (3,)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "workbook.xlsx.csv",
            "Error: workbook.xlsx.csv is not a CSV file: it looks like an Excel workbook",
        ),
        (
            "garbage.csv",
            "Error: garbage.csv: none of the needed columns for a generic contacts import",
        ),
        ("missing.csv", "Error: file not found:"),
    ],
)
def test_a_file_that_is_not_a_csv_exits_2_with_one_line(dbpath, crm, name, message):
    result = run("import", "contacts", crm / name, db=dbpath)
    assert result.exit_code == 2
    assert result.output.startswith(message) and result.output.count("\n") == 1
    db = open_db(dbpath)
    assert db.execute("SELECT count(*) FROM contacts").fetchone() == (3,)


def test_import_json_and_salespeople_and_territories(dbpath, crm):
    result = run("import", "salespeople", crm / "salespeople.csv", "--json", db=dbpath)
    assert result.exit_code == 0
    assert '"inserted": 1' in result.output and '"rejected": 2' in result.output
    result = run("import", "territories", crm / "territories.csv", db=dbpath)
    assert result.exit_code == 0 and ", removed 1, rejected 4" in result.output


def test_merge_export_and_report_from_the_command_line(dbpath, tmp_path):
    a = kiosk_copy(dbpath, "kiosk-a.db", "kiosk-a", CARLA, NOW)
    b = kiosk_copy(dbpath, "kiosk-b.db", "kiosk-b", CARLA, NOW - timedelta(minutes=5), away="luis")
    result = run("merge", a, b, db=dbpath)
    assert result.exit_code == 0, result.output
    out = result.output.splitlines()
    assert out[0] == "kiosk-a.db (kiosk-a): 2 events, 2 new"
    assert out[1] == "kiosk-b.db (kiosk-b): 3 events, 3 new"
    assert out[2].startswith("Backed up kiosk.db to ")
    assert out[3:] == [
        "Merged 5 new events (0 already known).",
        "Waiting for the manager: 1 item (1 new from this merge; 1 of them two kiosks' claims)",
    ]
    assert run("merge", a, b, db=dbpath).output.splitlines()[-2:] == [
        "Nothing new to merge.",
        "Waiting for the manager: 1 item (1 of them two kiosks' claims)",
    ]

    leads = tmp_path / "leads.csv"
    # Carla, filed at both kiosks: one row for Salesforce (it keeps one lead per e-mail)
    result = run("export", "leads", "--format", "salesforce", "-o", leads, "--new", db=dbpath)
    assert result.output == (
        f"Wrote 1 visitor(s) (2 leads) to {leads} (salesforce) (new since the last export).\n"
    )
    result = run("export", "leads", "--format", "salesforce", "-o", leads, "--new", db=dbpath)
    assert result.output.startswith("Wrote 0 visitor(s) (0 leads)")
    result = run("export", "leads", "-o", tmp_path / "g.csv", db=dbpath)
    assert result.output == f"Wrote 2 leads to {tmp_path / 'g.csv'} (generic).\n"  # the log
    result = run("export", "disputes", "-o", tmp_path / "d.csv", db=dbpath)
    assert result.output.startswith("Wrote 1 disputes")
    assert run("export", "leads", "-o", leads, "--since", "soon", db=dbpath).exit_code == 2

    result = run("report", "--format", "markdown", db=dbpath)
    assert result.exit_code == 0 and "| Salesperson |" in result.output
    assert "Marta Díaz" in result.output
    report_csv = tmp_path / "report.csv"
    result = run("report", "--format", "csv", "-o", report_csv, db=dbpath)
    assert result.output == f"Report written to {report_csv}\n"
    assert report_csv.read_bytes().startswith(b"\xef\xbb\xbf")
    table = run("report", db=dbpath)
    assert table.exit_code == 0 and "Test Expo 2026" in table.output


def test_merge_into_another_database(dbpath, tmp_path):
    a = kiosk_copy(dbpath, "kiosk-a.db", "kiosk-a", CARLA, NOW)
    result = run("merge", dbpath, "--into", a, "--json")
    assert result.exit_code == 0, result.output
    assert '"new_events": 0' in result.output  # the office has nothing kiosk A lacks
    result = run("merge", a, "--into", dbpath, "--json")
    assert '"new_events": 2' in result.output and '"open_disputes": 0' in result.output


def test_merging_a_foreign_file_exits_2_and_writes_nothing(dbpath, tmp_path):
    bad = tmp_path / "notes.db"
    bad.write_text("hello", encoding="utf-8")
    result = run("merge", bad, db=dbpath)
    assert result.exit_code == 2 and "is not a kiosk database" in result.output
    assert not list(tmp_path.glob("kiosk.db.bak-*"))


def _sync_script():
    spec = importlib.util.spec_from_file_location("sync_script", ROOT / "scripts" / "sync.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_sync_script_end_to_end_reports_the_dispute_and_is_safe_to_rerun(dbpath, tmp_path, capsys):
    kiosks = tmp_path / "usb"
    kiosks.mkdir()
    a = kiosk_copy(dbpath, "kiosk-a.db", "kiosk-a", CARLA, NOW)
    b = kiosk_copy(dbpath, "kiosk-b.db", "kiosk-b", CARLA, NOW - timedelta(minutes=5), away="luis")
    shutil.move(a, kiosks / a.name)
    shutil.move(b, kiosks / b.name)
    (kiosks / "stray.db").write_text("not a database", encoding="utf-8")
    out = tmp_path / "out"
    argv = ["--crm", str(DATA / "hubspot_export.csv"), "--format", "hubspot",
            "--kiosks", str(kiosks), "--out", str(out)]  # fmt: skip
    sync = _sync_script()

    assert sync.main(argv) == 2  # the stray file stops the merge; nothing half-done
    text = capsys.readouterr().out
    assert "stray.db is not a kiosk database" in text
    assert (
        "Stopped at step 'merge'. Completed and saved: database, salespeople, territories, crm."
        in text
    )

    (kiosks / "stray.db").unlink()
    assert sync.main(argv) == 0
    text = capsys.readouterr().out
    assert "using " in text  # the office database the first run created (from a kiosk file)
    assert "waiting for the manager: 1 item" in text
    [run_dir] = [p for p in out.iterdir() if p.is_dir()]
    disputes = list(csv.DictReader(open(run_dir / "disputes-hubspot.csv", encoding="utf-8-sig")))
    assert [(d["Contact owner"], d["Claimed by"]) for d in disputes] == [
        ("marta@lumen.example", "luis@lumen.example"),
    ]  # fmt: skip
    assert (run_dir / "leads-hubspot.csv").exists() and (run_dir / "report.md").exists()

    assert sync.main(argv) == 0  # a re-run merges nothing and exports nothing twice
    text = capsys.readouterr().out
    assert "no new leads; no new checkins; no new disputes" in text
    assert "unchanged 2" in text


def raise_proposal(path: Path, contact_id: str, kind: str, proposed: str, split=None) -> str:
    """A check-in at NOW that put a proposal for `contact_id` in the manager's queue."""
    db = open_db(path)
    [owner] = db.execute("SELECT owner_id FROM contacts WHERE id = ?", [contact_id]).fetchone()
    ev.record(db, ev.new_event("checkin", {
        "contact_id": contact_id, "owner_id": owner, "rule": "existing-owner", "reason": "",
        "proposals": [{"kind": kind, "current_id": owner, "proposed_id": proposed,
                       "split": split, "reason": "", "evidence": {}}],
    }, kiosk_id=CONFIG.kiosk_id, ts=NOW))  # fmt: skip
    [pid] = db.execute("SELECT id FROM proposals WHERE contact_id = ?", [contact_id]).fetchone()
    db.conn.close()
    return pid


def test_export_owners_carries_an_approved_owner_change_once(dbpath, tmp_path, monkeypatch):
    monkeypatch.setenv("KIOSK_NOW", "2026-11-24T11:00:00+00:00")
    pid = raise_proposal(dbpath, "C3", "reassign", "ana")
    out = tmp_path / "owners.csv"
    result = run("export", "owners", "--format", "hubspot", "-o", out, "--new", db=dbpath)
    assert result.output.startswith("Wrote 0 owner updates")  # open: nothing to tell the CRM
    result = run("decide", pid, "--approve", "--by", "wei", "--note", "Ana met them first",
                 db=dbpath)  # fmt: skip
    assert result.exit_code == 0, result.output
    result = run("export", "owners", "--format", "hubspot", "-o", out, "--new", db=dbpath)
    assert result.output == (
        f"Wrote 1 owner updates to {out} (hubspot) (new since the last export).\n"
    )
    [row] = csv.DictReader(open(out, encoding="utf-8-sig"))
    assert (row["Record ID"], row["Contact owner"], row["Previous owner"]) == (
        "C3", "ana@lumen.example", "ben@lumen.example",
    )  # fmt: skip
    assert (row["Decided by"], row["Decision note"]) == ("Zhang Wei", "Ana met them first")
    result = run("export", "owners", "--format", "hubspot", "-o", out, "--new", db=dbpath)
    assert result.output.startswith("Wrote 0 owner updates")
    assert list(csv.DictReader(open(out, encoding="utf-8-sig"))) == []


def test_sync_script_says_the_crm_imports_warnings(dbpath, tmp_path, capsys):
    """`kiosk import` warns of a CRM id on two records; the sync's crm step said nothing."""
    kiosks = tmp_path / "usb"
    kiosks.mkdir()
    a = kiosk_copy(dbpath, "kiosk-a.db", "kiosk-a", CARLA, NOW)
    shutil.move(a, kiosks / a.name)
    crm = tmp_path / "crm.csv"
    text = (DATA / "hubspot_export.csv").read_text(encoding="utf-8-sig")
    crm.write_text(text + "51,Laura,Bianchi-Rossi,laura@bianchi.example,,,,,Italy,"
                   "marta@lumen.example,,,Open\n", encoding="utf-8")  # fmt: skip
    argv = ["--crm", str(crm), "--format", "hubspot", "--kiosks", str(kiosks),
            "--out", str(tmp_path / "out")]  # fmt: skip
    assert _sync_script().main(argv) == 0
    out = capsys.readouterr().out
    assert "warning: crm.csv line " in out and "repeats CRM id '51' of line 2" in out


def test_sync_script_writes_the_approved_assistant_and_split_once(dbpath, tmp_path, capsys):
    kiosks = tmp_path / "usb"
    kiosks.mkdir()
    kiosk = kiosks / "kiosk-a.db"
    db = open_db(dbpath)
    db.execute("VACUUM INTO ?", [str(kiosk)])
    db.conn.close()
    pid = raise_proposal(kiosk, "C1", "assistant", "ana", split=0.3)
    db = open_db(kiosk)
    ev.record(db, ev.new_event("proposal.decided", {"proposal_id": pid, "approve": True},
                               kiosk_id=CONFIG.kiosk_id, actor="wei",
                               ts=NOW + timedelta(hours=1)))  # fmt: skip
    db.conn.close()
    out = tmp_path / "out"
    argv = ["--format", "hubspot", "--kiosks", str(kiosks), "--out", str(out)]
    sync = _sync_script()
    assert sync.main(argv) == 0
    assert "1 owner updates → " in capsys.readouterr().out
    [run_dir] = [p for p in out.iterdir() if p.is_dir()]
    [row] = csv.DictReader(open(run_dir / "owners-hubspot.csv", encoding="utf-8-sig"))
    assert (row["Record ID"], row["Contact owner"], row["Assistant"], row["Split"]) == (
        "C1", "kenji@lumen.example", "ana@lumen.example", "30%",
    )  # fmt: skip
    assert row["Decision date"] == "2026-11-24 11:00:00"
    assert sync.main(argv) == 0
    assert "no new owner updates" in capsys.readouterr().out


def test_sync_script_shows_a_hostile_file_name_instead_of_obeying_it(dbpath, tmp_path, capsys):
    """A kiosk file on a USB stick named '\\x1b]0;PWNED\\x07\\x1b[31mred.db' retitled and
    recoloured the terminal: the script printed file names as they were (`kiosk merge`
    escaped the same name)."""
    kiosks = tmp_path / "usb"
    kiosks.mkdir()
    a = kiosk_copy(dbpath, "kiosk-a.db", "kiosk-a", CARLA, NOW)
    shutil.move(a, kiosks / "\x1b]0;PWNED\x07\x1b[31mred.db")
    argv = ["--crm", str(DATA / "hubspot_export.csv"), "--format", "hubspot",
            "--kiosks", str(kiosks), "--out", str(tmp_path / "out")]  # fmt: skip
    assert _sync_script().main(argv) == 0
    text = capsys.readouterr().out
    assert "\x1b" not in text and "\x07" not in text
    assert "\\u001b]0;PWNED\\u0007\\u001b[31mred.db" in text


def test_an_unclosed_quote_is_the_first_warning_of_the_summary(dbpath, tmp_path):
    src = tmp_path / "quote2.csv"
    lines = ["crm_id,name,company,email,country,owner"]
    lines += [f"Q-{i},Person {i},Co {i},q{i}@q.example,FR,ana" for i in range(1, 2001)]
    lines[500] = 'Q-500,Person 500,"Smith Lighting,q500@q.example,FR,ana'
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("import", "contacts", src, db=dbpath)
    assert result.exit_code == 0, result.output
    out = result.output.splitlines()
    assert out[0].endswith(": 2000 rows")
    assert out[1].startswith("  inserted 1999, updated 0, unchanged 0, rejected 1 → ")
    assert out[2] == (
        "  line 501: an unclosed quote at line 501 runs to line 2001 (the end of the file):"
        " 1,501 lines read as one row; the other 1,500 were read again as rows (remove the"
        ' stray " or close it)'
    )
    assert out[3] == (
        "  warning: quote2.csv line 501 opens a quote that is never closed: it ran to the end"
        " of the file (1,501 lines read as one row); line 501 is rejected and lines 502–2001"
        " were read again as rows"
    )


def test_sync_script_writes_report_csv_in_the_crm_exports_delimiter(dbpath, tmp_path, capsys):
    """A European Excel's CRM export (semicolons): the report.csv beside it opens in the
    same Excel in columns, and so does the rejects file."""
    kiosks = tmp_path / "usb"
    kiosks.mkdir()
    a = kiosk_copy(dbpath, "kiosk-a.db", "kiosk-a", CARLA, NOW)
    shutil.move(a, kiosks / a.name)
    crm = tmp_path / "semicolon_cp1252.csv"
    shutil.copy(DATA / "semicolon_cp1252.csv", crm)
    crm.write_bytes(crm.read_bytes().replace(b"Sweden", b"Atlantis"))
    out = tmp_path / "out"
    argv = ["--crm", str(crm), "--kiosks", str(kiosks), "--out", str(out)]
    assert _sync_script().main(argv) == 0
    [run_dir] = [p for p in out.iterdir() if p.is_dir()]
    report = (run_dir / "report.csv").read_bytes()
    assert report.startswith(b"\xef\xbb\xbfid;name;invited_came;")
    rejects = (tmp_path / "semicolon_cp1252.rejects.csv").read_bytes()
    assert rejects.startswith(b"\xef\xbb\xbfcrm_id;name;company;")
    assert "rejected 1" in capsys.readouterr().out


def test_a_salesforce_footer_is_said_to_be_skipped(dbpath, crm):
    src = crm / "salesforce_report.csv"
    with open(src, "a", encoding="utf-8", newline="") as fh:
        fh.write('\r\n"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."\r\n'
                 '"Confidential Information - Do Not Distribute"\r\n'
                 '"Generated By:  Ana Ruiz  12/5/2026 8:14 AM"\r\n"Lumen Lighting"\r\n')  # fmt: skip
    result = run("import", "contacts", src, "--format", "salesforce", db=dbpath)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[1] == "  inserted 2, updated 0, unchanged 0, rejected 0"
    assert lines[2] == "  skipped the report's footer, lines 5–8"


def test_sync_script_says_an_unclosed_quote_under_the_crm_step(dbpath, tmp_path, capsys):
    kiosks = tmp_path / "usb"
    kiosks.mkdir()
    a = kiosk_copy(dbpath, "kiosk-a.db", "kiosk-a", CARLA, NOW)
    shutil.move(a, kiosks / a.name)
    crm = tmp_path / "crm.csv"
    lines = ["crm_id,name,company,email,country,owner"]
    lines += [f"Q-{i},Person {i},Co {i},q{i}@q.example,FR,ana" for i in range(1, 31)]
    lines[10] = 'Q-10,Person 10,"Smith Lighting,q10@q.example,FR,ana'
    crm.write_text("\n".join(lines) + "\n", encoding="utf-8")
    argv = ["--crm", str(crm), "--kiosks", str(kiosks), "--out", str(tmp_path / "out")]
    assert _sync_script().main(argv) == 0
    out = capsys.readouterr().out
    assert "crm.csv: inserted 29, updated 0, unchanged 0, rejected 1" in out
    assert (
        "      warning: crm.csv line 11 opens a quote that is never closed: it ran to the end"
        " of the file (21 lines read as one row); line 11 is rejected and lines 12–31 were"
        " read again as rows"
    ) in out


def test_an_import_that_rejects_every_row_exits_1(dbpath, tmp_path):
    """Found writing the setup guide: contacts imported before their owners were all
    rejected and the command exited 0, so a script's morning pull went on with no
    customers. A partial import still exits 0."""
    path = tmp_path / "crm.csv"
    path.write_text("crm_id,name,country,owner\nX1,Ana Uno,DE,nobody\nX2,Ben Dos,FR,nobody\n",
                    encoding="utf-8")  # fmt: skip
    result = run("import", "contacts", path, db=dbpath)
    assert result.exit_code == 1, result.output
    assert "Nothing imported: every row of crm.csv was rejected" in result.output
    assert run("import", "contacts", path, "--json", db=dbpath).exit_code == 1
    path.write_text("crm_id,name,country,owner\nX1,Ana Uno,DE,nobody\nX2,Ben Dos,FR,ana\n",
                    encoding="utf-8")  # fmt: skip
    result = run("import", "contacts", path, db=dbpath)
    assert result.exit_code == 0 and "rejected 1" in result.output
