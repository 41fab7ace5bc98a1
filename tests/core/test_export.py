"""Exports for each CRM (columns, BOM, consent, owners), the --new watermark, the report."""

from __future__ import annotations

import csv
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from kiosk import booth
from kiosk import events as ev
from kiosk.booth import LeadInput
from kiosk.clock import show_zone
from kiosk.db import open_db
from kiosk.sync import SyncError
from kiosk.sync.exports import export, split_name
from kiosk.sync.imports import import_csv
from kiosk.sync.merge import merge_databases
from kiosk.sync.report import render, show_report
from tests.factory import CONFIG, NOW

HOT = LeadInput(
    name="Carla Souza", company="Luz Brasil Ltda.", email="carla@luzbr.example", phone="+55 11 91234 5678",
    country="BR", rating="hot", products=("LED panels", "Drivers"), notes="Wants 2,000 panels by March",
    consent=True, brought_by="marta",
)  # fmt: skip
COLD = LeadInput(name="Piet Jansen", company="Licht BV", country="NL", rating="cold",
                 notes="private remark", consent=False)  # fmt: skip


def read(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def header(path: Path) -> list[str]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return next(csv.reader(fh))


@pytest.fixture
def show(db):
    """A morning: a known customer checked in, two new visitors filed."""
    booth.check_in(db, CONFIG, "C1", invited="ana", now=NOW)
    booth.add_lead(db, CONFIG, HOT, now=NOW + timedelta(minutes=5))
    booth.add_lead(db, CONFIG, COLD, now=NOW + timedelta(minutes=9))
    return db


def test_files_open_in_excel_bom_and_crlf(show, tmp_path):
    out = tmp_path / "leads.csv"
    result = export(show, "leads", out, fmt="salesforce", config=CONFIG)
    raw = out.read_bytes()
    assert result.rows == 2
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.count(b"\r\n") == 3  # header + two rows, each CRLF-terminated


@pytest.mark.parametrize(
    ("fmt", "must_have"),
    [
        (
            "generic",
            ["lead_id", "owner_email", "rating", "products", "notes", "source", "first_seen"],
        ),
        (
            "salesforce",
            ["First Name", "Last Name", "Company", "Lead Owner", "Rating", "Lead Source"],
        ),
        (
            "hubspot",
            ["Email", "Company Name", "Country/Region", "Contact owner", "Lifecycle Stage"],
        ),
        ("odoo", ["External ID", "Opportunity", "Contact Name", "Salesperson", "Priority"]),
    ],
)
def test_each_crm_gets_its_importers_column_names(show, tmp_path, fmt, must_have):
    out = tmp_path / f"{fmt}.csv"
    export(show, "leads", out, fmt=fmt, config=CONFIG)
    assert set(must_have) <= set(header(out))


def test_lead_rows_carry_owner_rating_products_split_and_consented_notes(show, tmp_path):
    out = tmp_path / "leads.csv"
    export(show, "leads", out, config=CONFIG)
    carla, piet = read(out)
    assert carla["name"] == "Carla Souza" and carla["owner_email"] == "luis@lumen.example"
    assert (carla["rating"], carla["products"], carla["notes"]) == (
        "hot", "LED panels;Drivers", "Wants 2,000 panels by March",
    )  # fmt: skip
    assert carla["source"] == "Test Expo 2026"
    # Marta brought her: the assistant/split proposal waits for the manager, so the CRM
    # hears who brought Carla, not an assistant nobody approved
    assert (carla["brought_by_email"], carla["assistant_email"]) == ("marta@lumen.example", "")
    assert (carla["suggested_split"], carla["split_status"]) == ("", "")
    assert carla["first_seen"] == "2026-11-24 10:05:00"  # UTC, as every file writes times
    assert piet["notes"] == "" and piet["consent"] == "no"  # no consent, no notes
    sf = tmp_path / "sf.csv"
    export(show, "leads", sf, fmt="salesforce", config=CONFIG)
    row = read(sf)[0]
    assert (row["First Name"], row["Last Name"], row["Rating"], row["Lead Owner"]) == (
        "Carla", "Souza", "Hot", "luis@lumen.example",
    )  # fmt: skip
    assert row["Country"] == "Brazil" and (row["Assistant"], row["Suggested Split"]) == ("", "")
    assert row["First Seen"] == "2026-11-24 10:05:00"
    assert "Interested in: LED panels, Drivers" in row["Description"]
    odoo = tmp_path / "odoo.csv"
    export(show, "leads", odoo, fmt="odoo", config=CONFIG)
    assert read(odoo)[0]["Salesperson"] == "Luis Gómez" and read(odoo)[0]["Priority"] == "High"


def test_new_exports_only_what_no_earlier_export_had(show, tmp_path):
    first = export(show, "leads", tmp_path / "1.csv", fmt="hubspot", new=True, config=CONFIG)
    again = export(show, "leads", tmp_path / "2.csv", fmt="hubspot", new=True, config=CONFIG)
    assert (first.rows, again.rows) == (2, 0)
    assert header(tmp_path / "2.csv")[0] == "Record ID"  # an empty export still has its header
    booth.add_lead(
        show, CONFIG, replace(COLD, name="Eva Kim", country="KR"), now=NOW + timedelta(hours=1)
    )
    third = export(show, "leads", tmp_path / "3.csv", fmt="hubspot", new=True, config=CONFIG)
    assert third.rows == 1 and read(tmp_path / "3.csv")[0]["Last Name"] == "Kim"
    # each format keeps its own watermark; a --since export leaves it alone
    assert export(show, "leads", tmp_path / "g.csv", new=True, config=CONFIG).rows == 3
    assert export(show, "leads", tmp_path / "s.csv", fmt="odoo", since="2026-11-24T10:06",
                  config=CONFIG).rows == 2  # fmt: skip
    assert export(show, "leads", tmp_path / "o.csv", fmt="odoo", new=True, config=CONFIG).rows == 3


def test_since_and_new_do_not_mix_and_bad_since_is_a_user_error(show, tmp_path):
    with pytest.raises(SyncError, match="either --since or --new"):
        export(show, "leads", tmp_path / "x.csv", since="2026-11-24", new=True)
    with pytest.raises(SyncError, match="--since: not a date or time"):
        export(show, "leads", tmp_path / "x.csv", since="last tuesday")
    assert not (tmp_path / "x.csv").exists()


def test_checkins_export_as_crm_activities(show, tmp_path):
    out = tmp_path / "checkins.csv"
    export(show, "checkins", out, fmt="salesforce", config=CONFIG)
    rows = read(out)
    assert len(rows) == 3
    yuki = next(r for r in rows if r["Contact ID"] == "C1")
    assert yuki["Subject"] == "Booth visit: Test Expo 2026" and yuki["Due Date"] == "2026-11-24"
    assert yuki["Assigned To"] == "kenji@lumen.example"
    assert "invited by Ana Ruiz" in yuki["Comments"]
    hub = tmp_path / "hub.csv"
    export(show, "checkins", hub, fmt="hubspot", config=CONFIG)
    assert {"Activity date", "Note body", "Activity assigned to"} <= set(header(hub))


def test_a_late_merge_that_turns_an_exported_lead_into_a_dispute_reaches_the_manager(db, tmp_path):
    """Watermarks follow storage order, not event time: morning events merged at noon count."""
    path = Path(db.conn.execute("PRAGMA database_list").fetchone()[2])
    other = tmp_path / "kiosk-b.db"
    db.execute("VACUUM INTO ?", [str(other)])  # a copy of this kiosk before the show
    booth.add_lead(db, CONFIG, HOT, now=NOW)
    # Marta brought Luis's new visitor: an assistant item, the only one for the manager yet
    assert export(db, "disputes", tmp_path / "d1.csv", new=True, config=CONFIG).rows == 1
    assert [r["kind"] for r in read(tmp_path / "d1.csv")] == ["assistant"]
    assert export(db, "leads", tmp_path / "l1.csv", new=True, config=CONFIG).rows == 1
    b = open_db(other)
    b_cfg = replace(CONFIG, kiosk_id="kiosk-b")
    booth.set_away(b, b_cfg, "luis", True, now=NOW - timedelta(minutes=31))
    booth.add_lead(b, b_cfg, replace(HOT, brought_by=None), now=NOW - timedelta(minutes=30))
    b.conn.close()
    db.conn.close()
    merge_databases(path, [other], now=NOW + timedelta(hours=1))
    db = open_db(path)
    export(db, "disputes", tmp_path / "d2.csv", new=True, config=CONFIG)
    [row] = [r for r in read(tmp_path / "d2.csv") if r["kind"] == "dispute"]
    assert (row["current_owner_email"], row["claimed_by_email"], row["status"]) == (
        "marta@lumen.example", "luis@lumen.example", "open",
    )  # fmt: skip
    assert row["first_claim"] == "kiosk-b at 2026-11-24 09:30:00"
    assert export(db, "leads", tmp_path / "l2.csv", new=True, config=CONFIG).rows == 1  # B's lead
    # the exported lead now shows the visitor's current owner (the earliest claim)
    assert read(tmp_path / "l2.csv")[0]["owner_email"] == "marta@lumen.example"
    assert read(tmp_path / "l2.csv")[0]["dispute"] == "open"
    # deciding the dispute makes it new again
    [pid] = db.execute("SELECT id FROM proposals WHERE kind = 'dispute'").fetchone()
    booth.decide_proposal(db, CONFIG, pid, approve=True, actor="wei", now=NOW)
    export(db, "disputes", tmp_path / "d3.csv", new=True, config=CONFIG)
    [row] = [r for r in read(tmp_path / "d3.csv") if r["kind"] == "dispute"]
    # approved, and how: Luis was given the customer (the owner column said Marta still)
    assert (row["status"], row["outcome"], row["owner_after_email"]) == (
        "approved", "given", "luis@lumen.example",
    )  # fmt: skip


@pytest.mark.parametrize("fmt", ["generic", "salesforce", "hubspot", "odoo"])
def test_the_disputes_file_writes_every_time_as_the_docs_say(db, tmp_path, fmt):
    """docs/sync.md: times in CRM files are UTC, `YYYY-MM-DD HH:MM:SS`. The claim columns
    read 'kiosk-a at 2026-11-24T10:00:00.123456+00:00' (every format), and the generic
    file's raised and decided times were raw ISO too. The first claim is the earliest in
    time: kiosk B stamps its lead at +08:00, which sorts after A's as text."""
    path = Path(db.conn.execute("PRAGMA database_list").fetchone()[2])
    other = tmp_path / "kiosk-b.db"
    db.execute("VACUUM INTO ?", [str(other)])
    booth.add_lead(db, CONFIG, HOT, now=NOW + timedelta(microseconds=123456))
    b = open_db(other)
    b_cfg = replace(CONFIG, kiosk_id="kiosk-b", timezone="Asia/Shanghai")
    booth.set_away(b, b_cfg, "luis", True, now=NOW - timedelta(minutes=31))
    later = (NOW - timedelta(minutes=30, microseconds=-7)).astimezone(show_zone(b_cfg.timezone))
    booth.add_lead(b, b_cfg, replace(HOT, brought_by=None), now=later)  # stamped at +08:00
    b.conn.close()
    db.conn.close()
    merge_databases(path, [other], now=NOW + timedelta(hours=1))
    db = open_db(path)
    [pid] = db.execute("SELECT id FROM proposals WHERE kind = 'dispute'").fetchone()
    booth.decide_proposal(db, CONFIG, pid, approve=True, actor="wei", now=NOW + timedelta(hours=2))
    out = tmp_path / f"disputes-{fmt}.csv"
    export(db, "disputes", out, fmt=fmt, config=CONFIG)
    label = (
        (lambda key: key) if fmt == "generic" else (lambda key: key.capitalize().replace("_", " "))
    )
    [row] = [r for r in read(out) if r[label("kind")] == "dispute"]
    assert row[label("first_claim")] == "kiosk-b at 2026-11-24 09:30:00"
    assert row[label("other_claim")] == "kiosk-a at 2026-11-24 10:00:00"
    assert row[label("raised_at")] == "2026-11-24 10:00:00"
    assert row[label("decided_at")] == "2026-11-24 12:00:00"


def test_text_that_would_run_as_a_spreadsheet_formula_is_defused(db, tmp_path):
    booth.add_lead(db, CONFIG, LeadInput(name="=HYPERLINK(\"http://x\")", company="@evil",
                                         phone="+86 138 0013 8000", country="CN"), now=NOW)  # fmt: skip
    out = tmp_path / "leads.csv"
    export(db, "leads", out, config=CONFIG)
    [row] = read(out)
    assert row["name"] == '\'=HYPERLINK("http://x")' and row["company"] == "'@evil"
    assert row["phone"] == "+86 138 0013 8000"


def test_split_name_for_crms_that_want_two_fields():
    assert split_name("Ana María Ruiz") == ("Ana María", "Ruiz")
    # the particles go with the family name ('Ludwig van der' / 'Berg' before)
    assert split_name("Ludwig van der Berg") == ("Ludwig", "van der Berg")
    assert split_name("Ana de la Cruz") == ("Ana", "de la Cruz")
    assert split_name("Van Morrison") == ("Van", "Morrison")
    assert split_name("王小明") == ("小明", "王")
    assert split_name("Madonna") == ("", "Madonna")


def test_report_has_the_manager_screens_figures_plus_disputes(show):
    booth.check_in(show, CONFIG, "C1", now=NOW + timedelta(hours=2))  # Yuki again: still one
    people = {p.id: p for p in show_report(show, now=NOW)}
    assert people["ana"].invited_came == 1
    # one person, waiting once by their latest check-in (it said 2: one per scan)
    assert people["kenji"].own_checked_in == 1 and people["kenji"].waiting == 1
    assert (people["luis"].leads_hot, people["ben"].leads_cold) == (1, 1)
    assert "rita" not in people  # reception
    assert people["ben"].invitations_sent == 0  # the invitations table exists, none sent
    # Marta brought Carla, whom the territory gave Luis: her assist waits in the queue for
    # both (it said 0: only two kiosks' claims counted)
    assert {p.id: p.disputes_open for p in people.values() if p.disputes_open} == {
        "luis": 1, "marta": 1,
    }  # fmt: skip


def test_report_renders_csv_markdown_and_json(show):
    people = show_report(show, now=NOW)
    text = render(people, "csv")
    assert text.startswith("id,name,invited_came,") and "\r\n" in text
    md = render(people, "markdown", "Test Expo 2026 — salespeople")
    assert md.startswith("## Test Expo 2026") and "| Salesperson |" in md
    assert '"totals"' in render(people, "json")


# Decisions flow back to the CRM. The state is built from events with explicit times, the
# way a kiosk's log holds it: a check-in or lead that raised a proposal, then the
# manager's decision.


def record(db, kind, payload, at, *, actor="", kiosk_id=CONFIG.kiosk_id):
    event = ev.new_event(kind, payload, kiosk_id=kiosk_id, actor=actor, ts=at)
    ev.record(db, event)
    return event


def raise_proposal(db, contact_id, owner, kind, proposed, at, split=None):
    """A check-in of a CRM customer that put a `kind` proposal in the manager's queue."""
    record(db, "checkin", {
        "contact_id": contact_id, "owner_id": owner, "rule": "existing-owner",
        "reason": "Existing customer", "proposals": [{
            "kind": kind, "current_id": owner, "proposed_id": proposed, "split": split,
            "reason": f"{proposed} for {contact_id}", "evidence": {},
        }],
    }, at)  # fmt: skip
    [pid] = db.execute(
        "SELECT id FROM proposals WHERE contact_id = ? AND kind = ? AND status = 'open'",
        [contact_id, kind],
    ).fetchone()
    return pid


def decide(db, pid, at, *, approve=True, note=""):
    record(db, "proposal.decided", {"proposal_id": pid, "approve": approve, "note": note}, at,
           actor="wei")  # fmt: skip


def file_lead(db, name, email, owner, at, *, kiosk_id=CONFIG.kiosk_id, brought_by=None,
              proposals=()):  # fmt: skip
    return record(db, "lead.created", {
        "contact": {"name": name, "company": "Luz Brasil Ltda.", "email": email, "country": "BR"},
        "rating": "hot", "products": [], "notes": "", "consent": False, "brought_by": brought_by,
        "owner_id": owner, "rule": "territory-region", "reason": "LATAM",
        "proposals": list(proposals),
    }, at, kiosk_id=kiosk_id)  # fmt: skip


def test_an_approved_owner_change_goes_back_to_each_crm_as_an_owner_update(db, tmp_path):
    pid = raise_proposal(db, "C3", "ben", "reassign", "ana", NOW)
    decide(db, pid, NOW + timedelta(hours=1), note="Ana met them first")
    hub = tmp_path / "owners-hubspot.csv"
    assert export(db, "owners", hub, fmt="hubspot", config=CONFIG).rows == 1
    [row] = read(hub)
    assert (row["Record ID"], row["Email"], row["Contact owner"], row["Previous owner"]) == (
        "C3", "wang@mingliang.example", "ana@lumen.example", "ben@lumen.example",
    )  # fmt: skip
    assert (row["Decision date"], row["Decided by"], row["Decision note"]) == (
        "2026-11-24 11:00:00", "Zhang Wei", "Ana met them first",
    )  # fmt: skip
    assert row["Change"] == "owner Ben Carter → Ana Ruiz" and row["Assistant"] == ""
    # keyed by the CRM's id: no names split again from the one string the kiosk keeps (an
    # update import would rename the contact); an empty cell leaves the CRM's own
    assert (row["First Name"], row["Last Name"]) == ("", "")
    sf = tmp_path / "owners-salesforce.csv"
    export(db, "owners", sf, fmt="salesforce", config=CONFIG)
    [row] = read(sf)
    assert (row["First Name"], row["Last Name"]) == ("", "")
    assert (row["Record Type"], row["Contact ID"], row["Contact Owner"], row["Lead Owner"]) == (
        "Contact", "C3", "ana@lumen.example", "",
    )  # fmt: skip
    odoo = tmp_path / "owners-odoo.csv"
    export(db, "owners", odoo, fmt="odoo", config=CONFIG)
    [row] = read(odoo)
    assert (row["External ID"], row["Salesperson"], row["Previous Salesperson"]) == (
        "C3", "Ana Ruiz", "Ben Carter",
    )  # fmt: skip
    generic = tmp_path / "owners.csv"
    export(db, "owners", generic, config=CONFIG)
    [row] = read(generic)
    assert (row["crm_id"], row["owner_email"], row["decisions"]) == (
        "C3", "ana@lumen.example", "reassign",
    )  # fmt: skip


def test_owner_updates_new_exports_each_decision_once_and_only_approvals(db, tmp_path):
    out = tmp_path / "owners.csv"
    reassign = raise_proposal(db, "C3", "ben", "reassign", "ana", NOW)
    assistant = raise_proposal(db, "C1", "kenji", "assistant", "ana", NOW + timedelta(minutes=1),
                               split=0.3)  # fmt: skip
    preference = raise_proposal(db, "C2", "ana", "preference", "luis", NOW + timedelta(minutes=2))
    # open proposals are questions for the manager, not updates for the CRM
    assert export(db, "owners", out, fmt="hubspot", new=True, config=CONFIG).rows == 0
    decide(db, reassign, NOW + timedelta(hours=1))
    decide(db, preference, NOW + timedelta(hours=1, minutes=1), approve=False)  # rejected
    assert export(db, "owners", out, fmt="hubspot", new=True, config=CONFIG).rows == 1
    assert [r["Record ID"] for r in read(out)] == ["C3"]
    assert export(db, "owners", out, fmt="hubspot", new=True, config=CONFIG).rows == 0
    decide(db, assistant, NOW + timedelta(hours=2), note="Ana closed the deal with Kenji")
    assert export(db, "owners", out, fmt="hubspot", new=True, config=CONFIG).rows == 1
    [row] = read(out)
    assert (row["Record ID"], row["Contact owner"], row["Assistant"], row["Split"]) == (
        "C1", "kenji@lumen.example", "ana@lumen.example", "30%",
    )  # fmt: skip
    assert row["Change"] == "assistant Ana Ruiz 30%"
    # each format keeps its own watermark: the first Salesforce export has both
    assert export(db, "owners", tmp_path / "sf.csv", fmt="salesforce", new=True,
                  config=CONFIG).rows == 2  # fmt: skip


def test_an_owner_change_the_crm_already_has_is_not_sent_again(db, tmp_path):
    pid = raise_proposal(db, "C3", "ben", "reassign", "ana", NOW)
    decide(db, pid, NOW + timedelta(hours=1))
    assert export(db, "owners", tmp_path / "1.csv", config=CONFIG).rows == 1
    crm = tmp_path / "crm.csv"  # the CRM's next export: the admin imported the update
    crm.write_text("crm_id,name,email,owner\nC3,王小明,wang@mingliang.example,ana\n",
                   encoding="utf-8")  # fmt: skip
    import_csv(db, "contacts", crm)
    assert db.execute("SELECT owner_id, crm_owner_id FROM contacts WHERE id = 'C3'").fetchone() == (
        "ana", "ana",
    )  # fmt: skip
    assert export(db, "owners", tmp_path / "2.csv", config=CONFIG).rows == 0


def test_a_decided_dispute_over_a_booth_visitor_updates_the_lead(db, tmp_path):
    first = file_lead(db, "Carla Souza", "carla@luzbr.example", "luis", NOW)
    file_lead(db, "Carla Souza", "Carla@LuzBR.example", "marta", NOW + timedelta(minutes=5),
              kiosk_id="kiosk-b")  # fmt: skip
    [pid] = db.execute("SELECT id FROM proposals WHERE kind = 'dispute'").fetchone()
    assert export(db, "owners", tmp_path / "o.csv", fmt="odoo", config=CONFIG).rows == 0
    decide(db, pid, NOW + timedelta(hours=1), note="Marta has the hotel chain")
    sf = tmp_path / "sf.csv"
    assert export(db, "owners", sf, fmt="salesforce", new=True, config=CONFIG).rows == 1
    [row] = read(sf)
    assert (row["Record Type"], row["Contact ID"], row["Email"]) == (
        "Lead", "", "carla@luzbr.example",
    )  # fmt: skip
    assert (row["Lead Owner"], row["Contact Owner"], row["Previous Owner"]) == (
        "marta@lumen.example", "", "luis@lumen.example",
    )  # fmt: skip
    odoo = tmp_path / "odoo.csv"
    export(db, "owners", odoo, fmt="odoo", new=True, config=CONFIG)
    # the External ID the leads file gave the lead, so Odoo updates it
    assert read(odoo)[0]["External ID"] == "kiosk_lead_" + first.uuid.replace("-", "")
    assert read(odoo)[0]["Salesperson"] == "Marta Díaz"


def test_the_leads_export_shows_an_assistant_only_once_the_manager_approved(db, tmp_path):
    file_lead(db, "Carla Souza", "carla@luzbr.example", "luis", NOW, brought_by="marta",
              proposals=[{"kind": "assistant", "current_id": "luis", "proposed_id": "marta",
                          "split": 0.3, "reason": "Marta brought Carla", "evidence": {}}])  # fmt: skip
    out = tmp_path / "leads.csv"
    export(db, "leads", out, fmt="hubspot", config=CONFIG)
    [row] = read(out)
    assert row["Brought By"] == "marta@lumen.example"
    assert row["Contact owner"] == "luis@lumen.example"
    assert (row["Assistant"], row["Suggested Split"]) == ("", "")  # still open
    [pid] = db.execute("SELECT id FROM proposals WHERE kind = 'assistant'").fetchone()
    decide(db, pid, NOW + timedelta(hours=1))
    export(db, "leads", out, fmt="hubspot", config=CONFIG)
    [row] = read(out)
    assert (row["Assistant"], row["Suggested Split"]) == ("marta@lumen.example", "30%")
    assert row["Contact owner"] == "luis@lumen.example"


# One visitor filed at three kiosks: three leads. HubSpot (and Salesforce, matching by
# e-mail) keeps one record per e-mail, so three rows overwrote each other on import and the
# last one filed — cold — replaced the hot lead. Their files have one row per visitor.


def visit(db, kiosk_id, at, rating, products, notes, *, consent=True, brought_by=None):
    """Carla filed at `kiosk_id`: a lead.created event as that kiosk's log holds it."""
    return record(db, "lead.created", {
        "contact": {"name": "Carla Souza", "company": "Luz Brasil Ltda.",
                    "email": "carla@luzbr.example", "country": "BR"},
        "rating": rating, "products": products, "notes": notes, "consent": consent,
        "brought_by": brought_by, "owner_id": "luis", "rule": "territory-region",
        "reason": "LATAM", "proposals": [],
    }, at, kiosk_id=kiosk_id)  # fmt: skip


@pytest.fixture
def three_kiosks(db):
    first = visit(db, "kiosk-a", NOW, "hot", ["LED panels", "Drivers"],
                  "Wants 2,000 panels by March", brought_by="marta")  # fmt: skip
    visit(db, "kiosk-b", NOW + timedelta(days=1), "warm", ["Drivers", "Sensors"],
          "Asked for the sensor price list")  # fmt: skip
    visit(db, "kiosk-c", NOW + timedelta(days=1, hours=2), "cold", ["Track lights"],
          "Only browsing today")  # fmt: skip
    return db, first


NOTES = ("2026-11-24: Wants 2,000 panels by March\n2026-11-25: Asked for the sensor price list\n"
         "2026-11-25: Only browsing today")  # fmt: skip


def test_hubspot_and_salesforce_get_one_row_per_visitor_with_their_leads_combined(
    three_kiosks, tmp_path
):
    db, first = three_kiosks
    hub = tmp_path / "hubspot.csv"
    result = export(db, "leads", hub, fmt="hubspot", config=CONFIG)
    assert (result.rows, result.leads) == (1, 3)
    [row] = read(hub)  # it was three rows with one e-mail: the cold one won the import
    assert (row["Email"], row["Lead Rating"], row["Contact owner"]) == (
        "carla@luzbr.example", "Hot", "luis@lumen.example",
    )  # fmt: skip
    assert row["Products of Interest"] == "LED panels;Drivers;Sensors;Track lights"
    assert row["Booth Notes"] == NOTES
    assert row["Brought By"] == "marta@lumen.example"  # the latest lead that names someone
    assert row["First Seen"] == "2026-11-24 10:00:00"
    assert row["Kiosk Lead ID"] == first.uuid  # the first lead's: the same in every export
    sf = tmp_path / "salesforce.csv"
    assert export(db, "leads", sf, fmt="salesforce", config=CONFIG).rows == 1
    [row] = read(sf)
    assert (row["Email"], row["Rating"], row["Lead Owner"]) == (
        "carla@luzbr.example", "Hot", "luis@lumen.example",
    )  # fmt: skip
    assert row["Description"] == (
        "Interested in: LED panels, Drivers, Sensors, Track lights\n" + NOTES
    )
    assert row["Products of Interest"] == "LED panels;Drivers;Sensors;Track lights"
    # the booth's own file is a log of leads, each with its kiosk, time and routing; and
    # Odoo's lead import makes one lead per row, keyed by its External ID
    generic = tmp_path / "generic.csv"
    assert export(db, "leads", generic, config=CONFIG).rows == 3
    assert [r["kiosk"] for r in read(generic)] == ["kiosk-a", "kiosk-b", "kiosk-c"]
    assert [r["rating"] for r in read(generic)] == ["hot", "warm", "cold"]
    assert export(db, "leads", tmp_path / "odoo.csv", fmt="odoo", config=CONFIG).rows == 3


def test_consent_is_as_the_latest_lead_states_it(three_kiosks, tmp_path):
    db, _ = three_kiosks
    visit(db, "kiosk-a", NOW + timedelta(days=2), "warm", [], "", consent=False)
    out = tmp_path / "hubspot.csv"
    export(db, "leads", out, fmt="hubspot", config=CONFIG)
    [row] = read(out)
    assert row["Booth Notes"] == "" and row["Lead Rating"] == "Hot"
    visit(db, "kiosk-b", NOW + timedelta(days=2, hours=1), "cold", [], "Call in January")
    export(db, "leads", out, fmt="hubspot", config=CONFIG)
    [row] = read(out)
    assert row["Booth Notes"] == NOTES + "\n2026-11-26: Call in January"


def test_a_new_export_of_a_visitor_carries_all_their_leads(db, tmp_path):
    """--new writes the visitors with a new lead, and each row still sums up all their
    leads: the import overwrites the contact, so a row of the new cold lead alone would
    undo the hot rating and the notes the last export gave the CRM."""
    visit(db, "kiosk-a", NOW, "hot", ["LED panels"], "Wants 2,000 panels by March")
    out = tmp_path / "1.csv"
    assert export(db, "leads", out, fmt="hubspot", new=True, config=CONFIG).rows == 1
    assert export(db, "leads", out, fmt="hubspot", new=True, config=CONFIG).rows == 0
    visit(db, "kiosk-c", NOW + timedelta(days=1), "cold", ["Track lights"], "Only browsing")
    result = export(db, "leads", out, fmt="hubspot", new=True, config=CONFIG)
    assert (result.rows, result.leads) == (1, 2)
    [row] = read(out)
    assert (row["Lead Rating"], row["Products of Interest"]) == ("Hot", "LED panels;Track lights")
    assert row["Booth Notes"] == (
        "2026-11-24: Wants 2,000 panels by March\n2026-11-25: Only browsing"
    )
    since = export(db, "leads", out, fmt="salesforce", since="2026-11-25", config=CONFIG)
    assert (since.rows, since.leads, read(out)[0]["Rating"]) == (1, 2, "Hot")


def test_combined_notes_stay_inert_in_a_spreadsheet(three_kiosks, tmp_path):
    """Each note is cleaned where it enters; an old database may hold one that was not:
    the combined cell still has no control character, and starts with a date, not '='."""
    db, _ = three_kiosks
    db.execute("UPDATE leads SET notes = ? WHERE rating = 'warm'",
               ['=HYPERLINK("http://x")\x1b]0;pwned\x07'])  # fmt: skip
    db.execute("UPDATE leads SET notes = ? WHERE rating = 'hot'", ["@SUM(A1)"])
    out = tmp_path / "hubspot.csv"
    export(db, "leads", out, fmt="hubspot", config=CONFIG)
    [row] = read(out)
    assert row["Booth Notes"] == (
        '2026-11-24: @SUM(A1)\n2026-11-25: =HYPERLINK("http://x")]0;pwned\n'
        "2026-11-25: Only browsing today"
    )
    db.execute("UPDATE leads SET notes = '' WHERE rating <> 'warm'")
    db.execute("UPDATE leads SET products = '[]'")
    export(db, "leads", out, fmt="salesforce", config=CONFIG)
    assert read(out)[0]["Description"].startswith("2026-11-25: =HYPERLINK")


def test_since_without_an_offset_is_the_shows_time_as_every_screen_shows_it(show, tmp_path):
    """The card said "Checked in at 09:44" (Berlin) and `export checkins --since
    2026-12-05T09:00` wrote nothing: the time was read as UTC."""
    berlin = replace(CONFIG, timezone="Europe/Berlin")
    # the leads were filed at 10:05 and 10:09 UTC: 11:05 and 11:09 in Berlin
    local = export(show, "leads", tmp_path / "l.csv", fmt="odoo", since="2026-11-24T11:06",
                   config=berlin)  # fmt: skip
    assert local.rows == 1
    utc = export(show, "leads", tmp_path / "u.csv", fmt="odoo", since="2026-11-24T10:06+00:00",
                 config=berlin)  # fmt: skip
    assert utc.rows == 1
    assert export(show, "leads", tmp_path / "d.csv", fmt="odoo", since="2026-11-24",
                  config=berlin).rows == 2  # fmt: skip


def test_an_undone_decision_that_was_exported_is_put_back_in_the_crm(db, tmp_path):
    """The owners export had sent "owner Ben → Ana" to the CRM; the manager undid the
    decision, and no later export said so: the kiosk gave the customer back to Ben, the
    CRM kept Ana (the row was left out as "what the CRM said before")."""
    from kiosk import disputes
    from kiosk.disputes import Choice

    out = tmp_path / "owners.csv"
    pid = raise_proposal(db, "C3", "ben", "reassign", "ana", NOW)
    disputes.decide(db, CONFIG, pid, Choice(owner_id="ana"), actor="wei",
                    now=NOW + timedelta(hours=1))  # fmt: skip
    assert export(db, "owners", out, fmt="hubspot", new=True, config=CONFIG).rows == 1
    assert read(out)[0]["Contact owner"] == "ana@lumen.example"
    disputes.undo(db, CONFIG, pid, actor="wei", now=NOW + timedelta(hours=2))
    assert export(db, "owners", out, fmt="hubspot", new=True, config=CONFIG).rows == 1
    [row] = read(out)
    assert (row["Record ID"], row["Contact owner"]) == ("C3", "ben@lumen.example")
    assert row["Change"] == "decision undone: owner Ben Carter, no assistant"
    assert row["Decided by"] == "Zhang Wei" and row["Decision date"] == "2026-11-24 12:00:00"
    assert export(db, "owners", out, fmt="hubspot", new=True, config=CONFIG).rows == 0
    # the same decision taken again is new for the CRM: the undo's row put Ben back
    disputes.decide(db, CONFIG, pid, Choice(owner_id="ana"), actor="wei",
                    now=NOW + timedelta(hours=2, minutes=30))  # fmt: skip
    assert export(db, "owners", out, fmt="hubspot", new=True, config=CONFIG).rows == 1
    [row] = read(out)
    assert (row["Record ID"], row["Contact owner"]) == ("C3", "ana@lumen.example")
    assert row["Change"] == "owner Ben Carter → Ana Ruiz"
    assert export(db, "owners", out, fmt="hubspot", new=True, config=CONFIG).rows == 0
    # a decision undone before any export reached the CRM has nothing to put back
    other = raise_proposal(db, "C1", "kenji", "reassign", "ana", NOW + timedelta(hours=3))
    disputes.decide(db, CONFIG, other, Choice(owner_id="ana"), actor="wei",
                    now=NOW + timedelta(hours=3))  # fmt: skip
    disputes.undo(db, CONFIG, other, actor="wei", now=NOW + timedelta(hours=4))
    assert export(db, "owners", out, fmt="hubspot", new=True, config=CONFIG).rows == 0
