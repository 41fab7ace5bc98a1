"""The CLI through the visit service: no duplicate leads, one check-in per window."""

from __future__ import annotations

import json
from pathlib import Path

from kiosk.db import open_db
from tests.cli.common import run


def rows(db, sql, params=()):
    return db.execute(sql, list(params)).fetchall()


# ---------------------------------------------------------------- lead add never files a duplicate


def test_lead_add_with_a_known_email_names_the_contact_and_refuses(tmp_path: Path, dbpath):
    result = run("lead", "add", "--name", "Somebody Else", "--email", "yuki@tanaka.example",
                 db=dbpath)  # fmt: skip
    assert result.exit_code == 2
    assert "Yuki Tanaka" in result.output and "--attach" in result.output
    assert "Kenji Sato" in result.output


def test_lead_add_attach_files_on_the_known_contact_without_a_dispute(dbpath):
    result = run("lead", "add", "--name", "Yuki Tanaka", "--badge", "B-100", "--attach",
                 "--rating", "hot", "--json", db=dbpath)  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["owner"]["id"] == "kenji"
    db = open_db(dbpath, create=False)
    [(contact,)] = rows(db, "SELECT contact_id FROM leads")
    assert rows(db, "SELECT crm_id FROM contacts WHERE id = ?", [contact]) == [("C1",)]
    assert rows(db, "SELECT count(*) FROM proposals") == [(0,)]
    assert rows(db, "SELECT count(*) FROM contacts WHERE source = 'booth'") == [(0,)]


def test_lead_add_new_makes_a_distinct_person(dbpath):
    result = run("lead", "add", "--name", "Hiro Tanaka", "--phone", "+81312345678", "--new",
                 db=dbpath)  # fmt: skip
    assert result.exit_code == 0, result.output
    db = open_db(dbpath, create=False)
    assert rows(db, "SELECT name FROM contacts WHERE source = 'booth'") == [("Hiro Tanaka",)]
    assert rows(db, "SELECT count(*) FROM proposals WHERE kind = 'dispute'") == [(0,)]


def test_checkin_twice_records_one_visit(dbpath):
    assert run("checkin", "B-100", db=dbpath).exit_code == 0
    second = run("checkin", "B-100", db=dbpath)
    assert second.exit_code == 0 and "Already checked in" in second.output
    db = open_db(dbpath, create=False)
    assert rows(db, "SELECT count(*) FROM checkins") == [(1,)]
