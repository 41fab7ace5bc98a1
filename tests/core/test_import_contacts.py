"""The contacts upsert: matching, partial updates, rejects, dry runs, booth state kept."""

from __future__ import annotations

import csv
import shutil
from datetime import timedelta
from pathlib import Path

import pytest

from kiosk import booth, fulltext
from kiosk.booth import LeadInput
from kiosk.db import open_db
from kiosk.sync import import_contacts
from kiosk.sync.imports import import_csv
from kiosk.sync.new_rows import NewRows
from tests.factory import CONFIG, NOW, SALESPEOPLE

DATA = Path(__file__).resolve().parent.parent / "data" / "crm"
HEADER = (
    "crm_id,name,company,title,email,phone,country,city,language,grade,owner,assistant,split,"
    "filed_at,first_contact_by,first_contact_at,last_contact_at,last_deal_at,preferred,"
    "badge_ids,notes,consent"
)


@pytest.fixture
def crm(tmp_path: Path) -> Path:
    out = tmp_path / "crm"
    shutil.copytree(DATA, out)
    return out


def write(path: Path, *lines: str) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def contact(db, cid: str) -> dict:
    return dict(next(db.query("SELECT * FROM contacts WHERE id = ?", [cid])))


def test_generic_file_inserts_updates_and_resolves_people_and_countries(db, crm):
    report = import_csv(db, "contacts", crm / "generic_bom.csv")
    # C1-C3 are already in the factory database; C10 and the id-less row are new
    assert (report.inserted, report.updated, report.unchanged, report.rejected) == (2, 3, 0, 0)
    c3 = contact(db, "C3")
    assert (c3["owner_id"], c3["assistant_id"], c3["split"], c3["country"]) == (
        "ben",
        "ana",
        0.3,
        "CN",
    )
    assert c3["first_contact_by"] == "ana" and c3["notes"] == '大客户，"年底"有招标'
    assert (c3["crm_owner_id"], c3["crm_assistant_id"], c3["crm_split"]) == ("ben", "ana", 0.3)
    c2 = contact(db, "C2")
    assert (c2["owner_id"], c2["country"], c2["consent"]) == ("ana", "ES", 0)  # owner by email
    c10 = contact(db, "C10")
    assert (c10["preferred_id"], c10["phone_e164"], c10["filed_at"], c10["consent"]) == (
        "luis", "+33142685300", "2025-06-15", 1,
    )  # fmt: skip
    assert contact(db, "C1")["notes"] == "Prefers morning calls;\ndiscount 5% agreed"
    [emil] = db.query("SELECT id, crm_id, source FROM contacts WHERE email = 'emil@svetlo.example'")
    assert emil["id"].startswith("E-") and emil["crm_id"] is None and emil["source"] == "crm"
    badges = db.execute("SELECT badge_id FROM contact_badges WHERE contact_id = 'C1'").fetchall()
    assert badges == [("B-100",)]
    # the search index follows
    assert len(fulltext.indexed(db.conn, "lumiere")) == 1


def test_reimporting_the_same_file_changes_nothing(db, crm):
    import_csv(db, "contacts", crm / "generic_bom.csv")
    changes = db.conn.total_changes
    again = import_csv(db, "contacts", crm / "generic_bom.csv")
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 5)
    assert db.conn.total_changes == changes


def test_a_contact_without_crm_id_adopts_the_id_when_it_arrives(db, tmp_path):
    first = write(tmp_path / "a.csv", "name,email,owner", "Ida Berg,IDA@berg.example,ana")
    import_csv(db, "contacts", first)
    [row] = db.query("SELECT id, crm_id FROM contacts WHERE email_norm = 'ida@berg.example'")
    second = write(tmp_path / "b.csv", "crm_id,name,email", "K-77,Ida Berg,ida@berg.example")
    report = import_csv(db, "contacts", second)
    assert (report.inserted, report.updated) == (0, 1)
    assert contact(db, row["id"])["crm_id"] == "K-77"
    # and a later row without the id finds it by email
    third = write(tmp_path / "c.csv", "name,email,city", "Ida Berg,ida@berg.example,Bergen")
    assert import_csv(db, "contacts", third).updated == 1
    assert contact(db, row["id"])["city"] == "Bergen"
    assert db.execute(
        "SELECT count(*) FROM contacts WHERE email_norm = 'ida@berg.example'"
    ).fetchone() == (1,)


def test_columns_missing_from_the_file_keep_their_values_blank_cells_clear(db, tmp_path):
    path = write(tmp_path / "slim.csv", "crm_id,name,phone", "C1,Yuki Tanaka,")
    report = import_csv(db, "contacts", path)
    assert report.updated == 1
    c1 = contact(db, "C1")
    assert c1["phone"] == "" and c1["phone_e164"] == ""  # present but blank: cleared
    assert c1["owner_id"] == "kenji" and c1["email"] == "yuki@tanaka.example"  # absent: kept
    assert db.execute("SELECT badge_id FROM contact_badges WHERE contact_id = 'C1'").fetchall() == [
        ("B-100",)
    ]


def test_badges_follow_the_crm(db, tmp_path):
    path = write(tmp_path / "b.csv", "crm_id,name,badge_ids", "C1,Yuki Tanaka,B-101; B-102")
    assert import_csv(db, "contacts", path).updated == 1
    rows = db.execute(
        "SELECT badge_id FROM contact_badges WHERE contact_id = 'C1' ORDER BY 1"
    ).fetchall()
    assert rows == [("B-101",), ("B-102",)]


def test_a_badge_on_records_of_two_contacts_is_reported_with_both_lines(db, tmp_path):
    path = write(
        tmp_path / "dup.csv",
        "crm_id,name,badge_ids",
        "X1,Yuki Tanaka,Q-7; Q-8",
        "X2,Ana Lima,Q-9",
        "X3,Ben Okafor,Q-7",  # line 4: Q-7 again, another contact
        "X2,Ana Lima,Q-9",  # the same contact again: not a conflict
        "X4,Li Wei,Q-8; Q-7",  # line 6: Q-7 a third time, Q-8 a second
    )
    report = import_csv(db, "contacts", path)
    assert report.inserted == 4 and report.rejected == 0  # nothing lost
    badge_warnings = [w for w in report.warnings if w.startswith("badge id")]
    assert badge_warnings == [
        "badge id 'Q-7' is on 3 records of dup.csv for different contacts"
        " (first on line 2, last on line 6); it now belongs to contact X4",
        "badge id 'Q-8' is on 2 records of dup.csv for different contacts"
        " (lines 2 and 6); it now belongs to contact X4",
    ]
    owners = dict(
        db.execute(
            "SELECT badge_id, contact_id FROM contact_badges WHERE badge_id LIKE 'Q-%'"
        ).fetchall()
    )
    assert owners == {"Q-7": "X4", "Q-8": "X4", "Q-9": "X2"}  # by row order, as before
    # nothing left behind in the connection for the next import
    again = import_csv(db, "contacts", write(tmp_path / "ok.csv", "crm_id,name,badge_ids",
                                             "X5,Kenji Sato,Q-10"))  # fmt: skip
    assert not [w for w in again.warnings if w.startswith("badge id")]


@pytest.mark.parametrize("dry_run", [False, True])
def test_shared_badges_are_found_once_the_rows_are_in_and_reported_in_place(
    db, tmp_path, monkeypatch, dry_run
):
    """Finding the badge ids two contacts share is for the report only, so a real import
    does it after its rows are committed (lookups wait for nothing of it), and a dry run
    before rolling back; the warning keeps its place, before the e-mail warning."""
    from kiosk.sync.badge_lines import BadgeLines
    from kiosk.sync.rows import ImportReport

    calls = []
    real_conflicts, real_after = BadgeLines.conflicts, ImportReport.after_ready

    def conflicts(self):
        calls.append(("conflicts", self.conn.in_transaction))
        return real_conflicts(self)

    def after_ready(self):
        calls.append(("after ready", self.ready_s > 0))
        real_after(self)

    monkeypatch.setattr(BadgeLines, "conflicts", conflicts)
    monkeypatch.setattr(ImportReport, "after_ready", after_ready)
    path = write(tmp_path / "dup.csv", "crm_id,name,email,badge_ids",
                 "X1,Yuki Tanaka,yuki@,Q-7", "X2,Ana Lima,,Q-7")  # fmt: skip
    report = import_csv(db, "contacts", path, dry_run=dry_run)
    # ready (committed) first, unless it is a dry run: then inside its transaction
    assert calls == [("after ready", not dry_run), ("conflicts", dry_run)]
    assert [w.split(" ")[:2] for w in report.warnings] == [["badge", "id"], ["1", "row(s)"]]
    assert (report.ready_s > 0) is not dry_run


def test_bad_rows_go_to_the_rejects_file_with_line_and_reason(db, crm):
    report = import_csv(db, "contacts", crm / "broken_rows.csv")
    assert (report.inserted, report.rejected) == (2, 8)
    assert report.rejects_path == crm / "broken_rows.rejects.csv"
    raw = report.rejects_path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    with open(report.rejects_path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == [*HEADER.split(","), "line", "reason"]
    got = {int(r[-2]): r[-1] for r in rows[1:]}
    assert got == {
        5: "unknown owner 'casper' (not a salesperson id, email or name)",
        6: "unknown country 'Atlantis'",
        7: "filed_at: unreadable date '31/31/2024'",
        8: "no name",
        9: "needs a CRM id or a valid email (to find the contact again next time)",
        10: "has 24 fields, the header has 22 (a line break or a delimiter outside quotes?)",
        11: "split: must be between 0 and 1 (or 0-100%): '150%'",
        14: "has 3 fields, the header has 22 (a line break or a delimiter outside quotes?)",
    }
    ghost = next(r for r in rows if r[0] == "B2")
    assert ghost[:3] == ["B2", "Ghost Owner", "Acme"]  # the original cells, untouched
    assert contact(db, "B1")["notes"] == "line one\nline two\nline three"
    # the rejects file imports as is once fixed; unfixed, the same rows fail again, except
    # the short row, whose missing cells the rejects file filled in as blanks
    again = import_csv(db, "contacts", report.rejects_path)
    assert (again.inserted, again.rejected) == (1, 7)
    assert contact(db, "B10")["name"] == "Short Row"


@pytest.mark.parametrize("into", ["a table with contacts", "an empty table"])
def test_a_fixed_rejects_file_imports_without_the_formula_guard(db, tmp_path, into, monkeypatch):
    """The rejects file guards a cell like '-Minus Co' against running as a formula in
    Excel ("'-Minus Co"); fixed and imported as it is, the apostrophe is not kept. Both
    ways a record is read: the ordinary path, and a first import's fast path for plain
    records (`kiosk.sync.new_rows`)."""
    src = write(tmp_path / "crm.csv", "crm_id,name,company,title,owner",
                "R1,Mina Park,-Minus Co,=Head of IT,casper",  # unknown owner: rejected
                "R2,Ole Berg,@At Ltd,+Buyer,nobody",
                "R3,Pat O'Brien,'Salt' Ltd,Owner,ana")  # fmt: skip
    report = import_csv(db, "contacts", src)
    assert (report.inserted, report.rejected) == (1, 2)
    with open(report.rejects_path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[1][:4] == ["R1", "Mina Park", "'-Minus Co", "'=Head of IT"]
    assert rows[2][:4] == ["R2", "Ole Berg", "'@At Ltd", "'+Buyer"]
    for row in rows[1:]:
        row[4] = "ana"  # the fix: a salesperson the kiosk knows
    rows.append(["R3", "Pat O'Brien", "'Salt' Ltd", "'", "ana", "", ""])  # apostrophes as text
    with open(report.rejects_path, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(rows)
    if into == "an empty table":
        db = open_db(tmp_path / "first.db")
        db.conn.executemany("INSERT INTO salespeople(id, name, email) VALUES (?, ?, ?)",
                            [(s[0], s[1], s[2]) for s in SALESPEOPLE])  # fmt: skip
    built = []

    class Spy(NewRows):
        def __call__(self, cells):
            row = super().__call__(cells)
            built.append(row is not None)
            return row

    monkeypatch.setattr(import_contacts, "NewRows", Spy)
    again = import_csv(db, "contacts", report.rejects_path)
    assert (again.inserted, again.rejected) == (3 if into == "an empty table" else 2, 0)
    r1, r2, r3 = (contact(db, cid) for cid in ("R1", "R2", "R3"))
    assert (r1["company"], r1["title"]) == ("-Minus Co", "=Head of IT")
    assert (r2["company"], r2["title"]) == ("@At Ltd", "+Buyer")
    assert (r3["name"], r3["company"], r3["title"]) == ("Pat O'Brien", "'Salt' Ltd", "'")
    assert built == ([True, True, True] if into == "an empty table" else [])


def test_a_clean_import_removes_a_stale_rejects_file(db, crm):
    stale = crm / "generic_bom.rejects.csv"
    stale.write_text("old", encoding="utf-8")
    report = import_csv(db, "contacts", crm / "generic_bom.csv")
    assert report.rejects_path is None and not stale.exists()


def test_dry_run_counts_exactly_and_writes_nothing(db, crm):
    before = {
        t: db.execute(f"SELECT * FROM {t}").fetchall() for t in ("contacts", "contact_badges")
    }
    dry = import_csv(db, "contacts", crm / "broken_rows.csv", dry_run=True)
    assert dry.dry_run and dry.inserted == 2
    assert {t: db.execute(f"SELECT * FROM {t}").fetchall() for t in before} == before
    assert not (crm / "broken_rows.rejects.csv").exists()
    real = import_csv(db, "contacts", crm / "broken_rows.csv")
    assert dry.summary() | {"rejects_path": None} == real.summary() | {"rejects_path": None}
    assert dry.sample_rejects == real.sample_rejects


def test_salesforce_report_export(db, crm):
    report = import_csv(db, "contacts", crm / "salesforce_report.csv", fmt="salesforce")
    assert (report.inserted, report.rejected) == (2, 0)
    assert set(report.ignored_columns) == {"Salutation"}
    carlos = contact(db, "0035g00000AbCdE")
    assert (carlos["name"], carlos["company"], carlos["owner_id"], carlos["country"]) == (
        "Carlos Vega", "Iluminación Vega S.A.", "ana", "ES",
    )  # fmt: skip
    assert carlos["phone_e164"] == "+34600123456"  # Mobile, since Phone is blank
    assert (carlos["filed_at"], carlos["last_contact_at"], carlos["consent"]) == (
        "2024-03-02T09:15:00", "2026-10-28", 1,
    )  # fmt: skip
    hanako = contact(db, "0035g00000FgHiJ")
    assert (hanako["name"], hanako["owner_id"], hanako["consent"]) == ("山田花子", "kenji", 0)
    assert hanako["filed_at"] == "2023-12-25T16:05:00"


def test_hubspot_contacts_export(db, crm):
    report = import_csv(db, "contacts", crm / "hubspot_export.csv", fmt="hubspot")
    assert (report.inserted, report.rejected) == (2, 0)
    laura = contact(db, "51")
    assert (laura["name"], laura["owner_id"], laura["country"], laura["grade"]) == (
        "Laura Bianchi", "marta", "IT", "Open",
    )  # fmt: skip
    assert (laura["filed_at"], laura["last_contact_at"]) == (
        "2024-03-02T09:15:00",
        "2026-10-01T11:00:00",
    )
    tom = contact(db, "52")
    assert (tom["country"], tom["owner_id"], tom["filed_at"]) == (
        "GB",
        "ben",
        "2025-03-15T10:00:00",
    )


def test_odoo_contacts_export(db, crm):
    report = import_csv(db, "contacts", crm / "odoo_contacts.csv", fmt="odoo")
    assert (report.inserted, report.rejected) == (2, 0)
    pedro = contact(db, "OD-7")
    assert (pedro["company"], pedro["owner_id"], pedro["country"], pedro["phone_e164"]) == (
        "Luz Porto Lda", "ana", "PT", "+351912345678",
    )  # fmt: skip
    aiko = contact(db, "OD-8")
    assert (aiko["company"], aiko["owner_id"], aiko["filed_at"]) == (
        "",
        "kenji",
        "2025-01-20T08:00:00",
    )


def test_mapping_toml_reads_any_other_export(db, crm):
    report = import_csv(db, "contacts", crm / "german_crm.csv", mapping=crm / "german_crm.toml")
    assert (report.inserted, report.rejected, report.ignored_columns) == (2, 0, ())
    k1 = contact(db, "K-1")
    assert (k1["name"], k1["owner_id"], k1["country"], k1["filed_at"], k1["consent"]) == (
        "Jürgen Weiß", "ana", "DE", "2024-02-03", 1,
    )  # fmt: skip
    assert k1["phone_e164"] == "+491711234567"
    k2 = contact(db, "K-2")
    assert (k2["country"], k2["consent"], k2["filed_at"]) == ("CH", 0, "2023-12-11")


def test_a_crm_row_with_a_booth_visitors_email_becomes_that_visitor(db, tmp_path):
    """Booth contacts are never changed by an import, but the replay after it links them.

    The lead applier prefers a CRM contact with the visitor's email, so the booth's lead
    and check-in attach to the new CRM contact; no duplicate visitor is left behind.
    """
    lead = booth.add_lead(
        db,
        CONFIG,
        LeadInput(name="Carla Souza", email="carla@luzbr.example", country="BR"),
        now=NOW,
    )
    assert contact(db, lead.contact_id)["source"] == "booth"
    path = write(
        tmp_path / "crm.csv", "crm_id,name,email,owner", "K-9,Carla Souza,carla@luzbr.example,luis"
    )
    report = import_csv(db, "contacts", path)
    assert report.inserted == 1 and report.replayed == 2
    rows = db.execute(
        "SELECT id, source FROM contacts WHERE email_norm = 'carla@luzbr.example'"
    ).fetchall()
    assert rows == [("K-9", "crm")]
    assert db.execute("SELECT contact_id FROM leads").fetchall() == [("K-9",)]
    assert db.execute("SELECT contact_id FROM checkins").fetchall() == [("K-9",)]


def test_reimport_keeps_check_ins_leads_and_decisions(db, tmp_path):
    t = NOW
    booth.check_in(db, CONFIG, "C1", now=t)
    booth.check_in(db, CONFIG, "C2", brought_by="luis", now=t + timedelta(minutes=1))
    booth.add_lead(
        db, CONFIG,
        LeadInput(name="Carla Souza", email="carla@luzbr.example", country="BR", rating="hot"),
        now=t + timedelta(minutes=2),
    )  # fmt: skip
    [assistant] = db.execute("SELECT id FROM proposals WHERE kind = 'assistant'").fetchall()
    booth.decide_proposal(db, CONFIG, assistant[0], approve=True, actor="wei", now=NOW)
    booth.set_away(db, CONFIG, "kenji", True, now=NOW)

    def booth_state():
        return {
            t: sorted(db.execute(f"SELECT * FROM {t}").fetchall(), key=repr)
            for t in ("checkins", "leads", "proposals")
        } | {
            "owners": db.execute(
                "SELECT id, owner_id, assistant_id, split FROM contacts ORDER BY id"
            ).fetchall(),
            "away": db.execute("SELECT id, away FROM salespeople ORDER BY id").fetchall(),
        }

    before = booth_state()
    assert ("C2", "ana", "luis", 0.3) in before["owners"]
    path = write(
        tmp_path / "crm.csv", "crm_id,name,title,phone,assistant",
        "C1,Yuki Tanaka,Managing Director,+81 3 9999 0000,",
        "C2,José Martínez,Gerente,+34911234567,",
    )  # fmt: skip
    report = import_csv(db, "contacts", path)
    assert (
        report.updated == 2
        and report.replayed == db.execute("SELECT count(*) FROM events").fetchone()[0]
    )
    assert booth_state() == before
    assert contact(db, "C1")["title"] == "Managing Director"
    assert contact(db, "C1")["phone_e164"] == "+81399990000"


# A CRM id on two records of one file: the later record updates the contact the earlier
# one wrote, and its values were lost without a word. The report says so (the import
# still keeps the later record), the way it does for a badge id on two contacts.

REPEATED = ("crm_id,name,company,owner", "R-100,Mina Park,Old Name Ltd,ana",
            "R-200,Ole Berg,Berg AS,ben", "R-300,Ida Holm,Holm AB,ana",
            "R-100,Mina Park,New Name Ltd,ben")  # fmt: skip


def first_import_db(tmp_path: Path, name: str = "first.db"):
    """A kiosk database with the salespeople and no contacts: a first import's fast path."""
    db = open_db(tmp_path / name)
    db.conn.executemany("INSERT INTO salespeople(id, name, email) VALUES (?, ?, ?)",
                        [(s[0], s[1], s[2]) for s in SALESPEOPLE])  # fmt: skip
    return db


@pytest.mark.parametrize("into", ["a table with contacts", "an empty table", "a dry run"])
def test_a_crm_id_repeated_in_one_file_is_reported_with_the_line_kept(db, tmp_path, into):
    if into == "an empty table":
        db = first_import_db(tmp_path)
    path = write(tmp_path / "crm.csv", *REPEATED)
    report = import_csv(db, "contacts", path, dry_run=into == "a dry run")
    assert report.warnings == ["crm.csv line 5 repeats CRM id 'R-100' of line 2; line 5 is kept"]
    if into != "a dry run":
        r100 = contact(db, "R-100")
        assert (r100["company"], r100["owner_id"]) == ("New Name Ltd", "ben")  # as it says


def test_a_crm_id_on_three_records_and_a_record_exactly_repeated(db, tmp_path):
    path = write(tmp_path / "crm.csv", *REPEATED, "R-200,Ole Berg,Berg AS,ben",  # the same
                 "R-100,Mina Park,Newest Name Ltd,ana", "R-100,Mina Park,Newest Name Ltd,ana")  # fmt: skip
    for target in (db, first_import_db(tmp_path)):
        report = import_csv(target, "contacts", path)
        assert report.warnings == [
            "CRM id 'R-100' is on 4 records of crm.csv (first on line 2, last on line 8);"
            " line 8 is kept"
        ]  # R-200's two records are alike: nothing was lost
        assert contact(target, "R-100")["company"] == "Newest Name Ltd"


def test_a_re_import_reports_a_record_it_skips_as_unchanged_and_a_later_one(db, tmp_path):
    """A re-import skips a record the contact was written from last time without reading
    it (`rowhash`); when a later record of the file changes that contact, it is reported
    all the same."""
    yesterday = write(tmp_path / "crm.csv", *REPEATED[:4])
    assert import_csv(db, "contacts", yesterday).warnings == []
    today = write(tmp_path / "crm.csv", *REPEATED)  # R-100 again, at the end
    report = import_csv(db, "contacts", today)
    assert (report.unchanged, report.updated) == (3, 1)  # line 2 was skipped, unread
    assert report.warnings == ["crm.csv line 5 repeats CRM id 'R-100' of line 2; line 5 is kept"]
    again = import_csv(db, "contacts", today)  # both records read: line 2 changes it back
    assert again.warnings == report.warnings
    assert contact(db, "R-100")["company"] == "New Name Ltd"


def test_repeated_crm_ids_are_listed_ten_at_most(db, tmp_path):
    rows = [f"R-{i},Person {i},Firm {i},ana" for i in range(12)]
    rows += [f"R-{i},Person {i},Other Firm {i},ana" for i in range(12)]
    report = import_csv(db, "contacts", write(tmp_path / "crm.csv", "crm_id,name,company,owner",
                                              *rows))  # fmt: skip
    assert report.warnings[:2] == [
        "crm.csv line 14 repeats CRM id 'R-0' of line 2; line 14 is kept",
        "crm.csv line 15 repeats CRM id 'R-1' of line 3; line 15 is kept",
    ]
    assert report.warnings[10:] == ["… and 2 more CRM id(s) on several records of crm.csv"]
