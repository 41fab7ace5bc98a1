"""`kiosk checkin` and `kiosk lookup` with a typed name: a loose match is a candidate.

On the demo, `kiosk checkin "li na"` printed "Checked in Ali Nasr … Call: Ma Jun" and
recorded it, and `kiosk lookup "li na" --json` said status "known". Now a name checks in
only the one contact whose whole name it is; anything looser lists the candidates, records
nothing and exits 2 with how to check in surely. Also `lookup`'s two header lines, which
said "10 matches" above "showing 10 of 12".
"""

from __future__ import annotations

import json

import pytest

from kiosk.contact_rows import insert_contacts
from kiosk.db import open_db
from tests.cli.common import run


@pytest.fixture
def kiosk_db(dbpath):
    db = open_db(dbpath, create=False)
    insert_contacts(db, [
        dict(crm_id="N1", name="Ali Nasr", company="Al Najma Trading Co.", country="SA",
             email="a.nasr@najma.example", owner_id="ben", badge_ids="B-N1"),
        dict(crm_id="N5", name="王伟", company="上海明辉照明有限公司", country="CN",
             email="wangwei@minghui-lighting.example", owner_id="kenji"),
        *[dict(crm_id=f"M{i}", name=f"Sabine Müller {i:02d}", company="Licht AG", country="DE")
          for i in range(12)],
    ])  # fmt: skip
    db.conn.close()
    return dbpath


def checkins(path) -> int:
    return int(open_db(path, create=False).execute("SELECT count(*) FROM checkins").fetchone()[0])


@pytest.mark.parametrize(("query", "meant"), [("li na", "Ali Nasr"), ("wang wei", "王伟")])
def test_checkin_of_a_loose_name_names_the_candidate_and_records_nothing(kiosk_db, query, meant):
    result = run("checkin", query, db=kiosk_db)
    assert result.exit_code == 2, result.output
    assert f"did you mean {meant}" in result.output and "Nothing recorded" in result.output
    assert "badge id, e-mail or phone" in result.output  # how to check them in surely
    assert "Checked in" not in result.output and "Call:" not in result.output
    assert checkins(kiosk_db) == 0


def test_lookup_json_of_a_loose_name_is_a_choice_not_a_known_visitor(kiosk_db):
    result = run("lookup", "li na", "--json", db=kiosk_db)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["identified"] is False
    assert data["visit"]["status"] == "choose" and data["visit"]["owner"] is None
    assert [c["contact"]["name"] for c in data["visit"]["candidates"]] == ["Ali Nasr"]
    text = run("lookup", "li na", db=kiosk_db).output
    assert "No sure match" in text and "Ali Nasr" in text


def test_checkin_of_a_whole_name_checks_them_in(kiosk_db):
    data = json.loads(run("lookup", "Ali Nasr", "--json", db=kiosk_db).output)
    assert data["identified"] is True and data["visit"]["status"] == "known"
    result = run("checkin", "nasr ali", db=kiosk_db)
    assert result.exit_code == 0, result.output
    assert "Checked in Ali Nasr" in result.output and "Call: Ben Carter" in result.output
    assert checkins(kiosk_db) == 1


def test_checkin_of_a_name_several_share_lists_them_and_records_nothing(kiosk_db):
    result = run("checkin", "Müller", db=kiosk_db)
    assert result.exit_code == 2 and "matches several visitors" in result.output
    assert "Nothing recorded" in result.output and checkins(kiosk_db) == 0
    # not "type the full name as on file": it may be what was typed (two share it)
    assert result.output.rstrip().endswith(
        "Nothing recorded: check in by badge id, e-mail or phone"
    )


def test_lookup_says_one_count_for_all_the_matches(kiosk_db):
    lines = run("lookup", "Müller", db=kiosk_db).output.splitlines()
    assert lines[:2] == ["12 matches for 'Müller'", "showing 10 of 12"]
