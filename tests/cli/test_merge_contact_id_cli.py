"""`kiosk merge`: an event from another kiosk may not choose its contact's id (issue 12 §4).

A lead's contact gets the id `L-<the lead's uuid>` (a walk-in's `W-<uuid>`); the booth never
writes `contact.id` into a lead (`kiosk.booth.file_lead`), but the applier used it when
present, and the validator let any text through. A forged lead with `contact.id` "C9"
merged fine and took that id: a later CRM import of contact C9 then rejected the CRM's row
("contact id 'C9' is already used by another contact"). Such a lead is now set aside with
the reason, like any other bad event, and the rest of the file merges.
"""

from __future__ import annotations

import json
from pathlib import Path

from kiosk.db import open_db
from tests.cli.common import run
from tests.cli.test_merge_log_wins_cli import at, forged
from tests.factory import write_csv

SQUATTER = "00000000-0000-4000-8000-000000000009"  # kiosk-x's lead taking the CRM id C9
OWN_ID = "00000000-0000-4000-8000-00000000000a"  # a lead naming its own id L-<uuid>: fine
WALKIN = "00000000-0000-4000-8000-00000000000e"  # a walk-in naming C9: the id is not read
NINA = {"name": "Nina Noor", "email": "nina@noor.example", "country": "DE"}
LEAD = {"owner_id": "ana", "rule": "", "reason": "", "rating": "warm"}


def test_a_merged_lead_cannot_take_a_crm_contact_id(dbpath: Path, monkeypatch):
    monkeypatch.setenv("KIOSK_NOW", "2026-11-24T18:00:00+00:00")
    source = forged(dbpath, "kiosk-x.db", [
        (SQUATTER, at("10:05"), "lead.created", {"contact": {**NINA, "id": "C9"}, **LEAD}),
        (OWN_ID, at("10:06"), "lead.created", {
            "contact": {"name": "Olga Own", "email": "olga@own.example", "id": f"L-{OWN_ID}"},
            **LEAD}),
        (WALKIN, at("10:07"), "walkin.arrived", {
            "contact": {"name": "Walt Kin", "email": "walt@kin.example", "id": "C9"},
            "owner_id": "ana", "rule": "", "reason": ""}),
    ])  # fmt: skip

    merged = run("merge", source, "--json", db=dbpath)

    assert merged.exit_code == 0, merged.output
    summary = json.loads(merged.output)
    assert summary["new_events"] == 2
    [aside] = summary["quarantined"]
    assert (aside["kiosk"], aside["uuid"]) == ("kiosk-x", SQUATTER)
    assert "C9" in aside["reason"] and f"L-{SQUATTER}" in aside["reason"]

    crm = write_csv(dbpath.with_name("crm.csv"), ["crm_id", "name", "email", "country", "owner"],
                    [["C9", "Carl Nine", "carl@nine.example", "DE", "ben"]])  # fmt: skip
    imported = run("import", "contacts", crm, db=dbpath)

    assert imported.exit_code == 0, imported.output
    db = open_db(dbpath, create=False)
    try:
        # was: the CRM's row rejected ("contact id 'C9' is already used"), C9 being Nina
        assert db.execute("SELECT name, source FROM contacts WHERE id = 'C9'").fetchall() == [
            ("Carl Nine", "crm")
        ]
        ids = dict(db.execute("SELECT email, id FROM contacts WHERE source = 'booth'").fetchall())
        assert ids == {"olga@own.example": f"L-{OWN_ID}", "walt@kin.example": f"W-{WALKIN}"}
        assert db.execute("SELECT uuid, kiosk_id FROM quarantine").fetchall() == [
            (SQUATTER, "kiosk-x")
        ]
        assert db.execute("SELECT count(*) FROM contact_aliases WHERE alias = 'C9'").fetchone() == (
            0,
        )
    finally:
        db.conn.close()
