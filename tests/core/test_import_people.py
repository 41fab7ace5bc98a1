"""Salespeople (upsert, away kept across re-imports) and territories (whole set replaced)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kiosk import booth
from kiosk.sync import SyncError
from kiosk.sync.imports import import_csv
from tests.factory import CONFIG, NOW

DATA = Path(__file__).resolve().parent.parent / "data" / "crm"


@pytest.fixture
def crm(tmp_path: Path) -> Path:
    out = tmp_path / "crm"
    shutil.copytree(DATA, out)
    return out


def person(db, sid: str) -> dict:
    return dict(next(db.query("SELECT * FROM salespeople WHERE id = ?", [sid])))


def test_salespeople_are_upserted_and_bad_rows_rejected(db, crm):
    report = import_csv(db, "salespeople", crm / "salespeople.csv")
    assert (report.inserted, report.updated, report.unchanged, report.rejected) == (1, 2, 0, 2)
    assert dict(report.sample_rejects) == {
        5: "role must be one of sales, manager, reception, not 'boss'",
        6: "email ana@lumen.example already belongs to salesperson 'ana'",
    }
    nina = person(db, "nina")
    assert (nina["languages"], nina["away"], nina["crm_away"], nina["role"]) == (
        "ko,en",
        0,
        0,
        "sales",
    )
    ben = person(db, "ben")
    assert (ben["away"], ben["crm_away"], ben["role"]) == (1, 1, "sales")
    assert person(db, "ana")["title"] == "Sales Manager Iberia"
    # people missing from the file are kept (contacts and leads refer to them) and named
    assert person(db, "kenji")["name"] == "Kenji Sato"
    assert any("kenji" in w and "kept" in w for w in report.warnings)


def test_reimport_keeps_away_marks_made_at_the_booth(db, tmp_path):
    booth.set_away(db, CONFIG, "kenji", True, now=NOW)
    path = tmp_path / "sp.csv"
    path.write_text("id,name,title,away\nkenji,Kenji Sato,Sales Japan,0\n", encoding="utf-8")
    report = import_csv(db, "salespeople", path)
    assert report.updated == 1 and report.replayed == 1
    kenji = person(db, "kenji")
    assert (kenji["title"], kenji["crm_away"], kenji["away"]) == ("Sales Japan", 0, 1)


def test_territories_replace_the_rule_set_and_keep_ids_of_unchanged_rules(db, crm):
    old = {(r["kind"], r["value"]): r["id"] for r in db.query("SELECT * FROM territories")}
    report = import_csv(db, "territories", crm / "territories.csv")
    assert report.rejected == 4
    assert sorted(reason for _, reason in report.sample_rejects) == [
        "kind must be one of domain, company, country, region, default, not 'planet'",
        "unknown country 'Narnia'",
        "unknown region 'Atlantis'",
        "unknown salesperson 'nobody' (not a salesperson id, email or name)",
    ]
    rules = {(r["kind"], r["value"]): r for r in db.query("SELECT * FROM territories")}
    assert set(rules) == {
        ("domain", "bigbuyer.example"), ("country", "JP"), ("country", "ES PT"),
        ("country", "BR AR"), ("region", "LATAM"), ("default", ""),
    }  # fmt: skip
    # same kind and value → same id, so rotation counts (kept per rule id) carry on
    for key in [("domain", "bigbuyer.example"), ("country", "JP"), ("region", "LATAM")]:
        assert rules[key]["id"] == old[key]
    assert rules[("country", "BR AR")]["id"] > max(old.values())
    assert rules[("region", "LATAM")]["salespeople"] == "luis,marta"  # 'Marta Díaz' by name
    assert (report.inserted, report.removed) == (1, 1)  # BR AR new; Mega Retail dropped


def test_territories_with_no_usable_rule_leave_the_rules_alone(db, tmp_path):
    before = db.execute("SELECT * FROM territories ORDER BY id").fetchall()
    path = tmp_path / "t.csv"
    path.write_text("position,kind,value,salespeople\n1,country,Narnia,ben\n", encoding="utf-8")
    with pytest.raises(SyncError, match="no usable territory rules"):
        import_csv(db, "territories", path)
    assert db.execute("SELECT * FROM territories ORDER BY id").fetchall() == before


def test_territory_dry_run_writes_nothing(db, crm):
    before = db.execute("SELECT * FROM territories ORDER BY id").fetchall()
    report = import_csv(db, "territories", crm / "territories.csv", dry_run=True)
    assert report.inserted == 1
    assert db.execute("SELECT * FROM territories ORDER BY id").fetchall() == before


def test_a_repeated_salesperson_id_is_warned_with_both_lines(db, tmp_path):
    """The later record still wins (row order, as for a contact's CRM id), but the report
    says so, with what the earlier one said that is now gone; alike records say nothing."""
    src = tmp_path / "team.csv"
    src.write_text(
        "id,name,email,role\n"
        "li,李雷,li@acme.cn,sales\n"
        "han,韩梅梅,han@acme.cn,sales\n"
        "li,Li Wei,liwei@acme.cn,sales\n"
        "han,韩梅梅,han@acme.cn,sales\n",
        encoding="utf-8",
    )
    report = import_csv(db, "salespeople", src)
    assert report.warnings[0] == (
        "team.csv line 4 repeats salesperson id 'li' of line 2; line 4 is kept"
        " (dropped: name '李雷', email 'li@acme.cn')"
    )
    assert not any("'han'" in w for w in report.warnings)
    assert person(db, "li")["email"] == "liwei@acme.cn"
    src.write_text(
        "id,name,email,role\n" + "".join(f"ana,Ana {i},,sales\n" for i in range(3)),
        encoding="utf-8",
    )
    assert import_csv(db, "salespeople", src).warnings[0] == (
        "Salesperson id 'ana' is on 3 records of team.csv (first on line 2, last on line 4);"
        " line 4 is kept (dropped: name 'Ana 0', name 'Ana 1')"
    )


def test_owners_are_found_by_the_name_outside_or_inside_the_brackets(db, tmp_path):
    """A real CRM says 'Zhang Wei', 'Mateo' or '渡辺 健二' where the kiosk's salesperson is
    'Zhao Lei (Mateo)' or 'Kenji Watanabe (渡辺 健二)'; two salespeople matching is an
    error naming both, and a whole name still wins over a bracketed part."""
    team = tmp_path / "team.csv"
    team.write_text(
        "id,name,email\n"
        "mateo,Zhao Lei (Mateo),mateo@lumen.example\n"
        "watanabe,Kenji Watanabe (渡辺 健二),kw@lumen.example\n"
        "yuki,Yamada Yuki（ゆき）,yuki@lumen.example\n"
        "wendy,Wang Wei (Mateo),wendy@lumen.example\n",
        encoding="utf-8",
    )
    import_csv(db, "salespeople", team)
    src = tmp_path / "crm.csv"
    src.write_text(
        "crm_id,name,email,owner\n"
        "O-1,A,a@o.example,zhao lei\n"
        "O-2,B,b@o.example,渡辺 健二\n"
        "O-3,C,c@o.example,Kenji Watanabe\n"
        "O-4,D,d@o.example,ゆき\n"
        "O-5,E,e@o.example,Mateo\n"
        "O-6,F,f@o.example,Wei\n"
        "O-7,G,g@o.example,Zhang Wei\n",  # wei's whole name (tests.factory), not wendy's
        encoding="utf-8",
    )
    report = import_csv(db, "contacts", src)
    owners = dict(db.execute("SELECT crm_id, owner_id FROM contacts WHERE crm_id LIKE 'O-%'"))
    assert owners == {"O-1": "mateo", "O-2": "watanabe", "O-3": "watanabe", "O-4": "yuki",
                      "O-7": "wei"}  # fmt: skip
    assert dict(report.sample_rejects) == {
        6: "owner 'Mateo' matches several salespeople: 'Zhao Lei (Mateo)' (id mateo),"
        " 'Wang Wei (Mateo)' (id wendy); use the id or email",
        7: "unknown owner 'Wei' (not a salesperson id, email or name)",
    }
