"""Items a CRM re-import answers though their owner stays (`events.disputes.crm_answers`).

Found by the exploratory pass after namesake disputes came in: a namesake dispute ("kenji →
lukas": Lukas's customer of the same name) stayed open after the CRM gave that customer to
Kenji too, and approving it gave the visitor to Lukas; a lapse item stayed open after the
CRM recorded a recent contact, its card showing that contact above "no deal or contact for
1352 days". Both close as settled by the CRM import, live, after a rebuild and after a
merge alike.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date, timedelta

import pytest

from kiosk import booth, disputes
from kiosk import events as ev
from kiosk.booth import LeadInput
from kiosk.db import open_db
from kiosk.disputes import Choice, DisputeError
from kiosk.sync.imports import import_csv
from kiosk.sync.merge import merge_databases
from kiosk.visits import VisitService
from tests.core.test_events import snapshot
from tests.factory import CONFIG, NOW, write_csv

TODAY = date(2026, 11, 24)
OLD = "2025-01-10T10:00:00+00:00"  # far beyond the 90 lapse days
HEADER = ["crm_id", "name", "company", "email", "country", "owner", "last_contact_at"]
JOSE = ["C2", "José Martínez", "Luces Ibéricas S.L.", "jose@luces.example", "ES"]
YUKI = ["C1", "Yuki Tanaka", "Tanaka Shoji", "yuki@tanaka.example", "JP", "kenji"]


def crm(db, crm_id: str) -> str:
    return str(db.execute("SELECT id FROM contacts WHERE crm_id = ?", [crm_id]).fetchone()[0])


def file_namesake(db, config=CONFIG, when=NOW) -> tuple[str, str]:
    """A Brazilian José Martínez of Luces Ibéricas filed as another person than Ana's
    customer: routed in LATAM, a dispute 'routed → ana'. (contact id, routed owner)"""
    lead = LeadInput(name="Jose Martinez", company="Luces Ibericas", email="jm@new.example",
                     country="BR", rating="hot")  # fmt: skip
    visit = VisitService(db, config, clock=lambda: when).file_lead(lead, duplicate="new")
    assert visit.decision.salesperson_id is not None
    return visit.contact.id, visit.decision.salesperson_id


def lapse_yuki(db) -> str:
    """Kenji's customer Yuki Tanaka, with no deal or contact since OLD in the CRM."""
    db.execute("UPDATE contacts SET last_deal_at = ?, last_contact_at = ? WHERE crm_id = 'C1'",
               [OLD, OLD])  # fmt: skip
    return crm(db, "C1")


def crm_export(db, tmp_path, rows: list[list[str]], name: str = "crm.csv") -> None:
    report = import_csv(db, "contacts", write_csv(tmp_path / name, HEADER, rows))
    assert report.updated == len(rows)


def items(db) -> list[tuple]:
    return db.execute(
        "SELECT kind, current_id, proposed_id, status, outcome, decided_by, decision_note"
        " FROM proposals ORDER BY kind"
    ).fetchall()


def test_a_namesake_the_crm_gives_to_the_visitors_owner_settles_the_dispute(db, tmp_path):
    visitor, routed = file_namesake(db)
    [item] = [i.proposal_id for i in disputes.queue(db, today=TODAY)]
    crm_export(db, tmp_path, [[*JOSE, routed, "2026-10-01T10:00:00+02:00"]])
    who = {"luis": "Luis Gómez", "marta": "Marta Díaz"}[routed]
    settled = (
        f"settled by the CRM import: the CRM gives José Martínez ({crm(db, 'C2')}) to {who},"
        " who has this visitor too"
    )
    assert items(db) == [("dispute", routed, "ana", "rejected", "outdated", None, settled)]
    assert disputes.queue(db, today=TODAY) == []
    shown = disputes.item(db, item, today=TODAY)
    assert shown is not None and shown.crm_settled
    # approving it would give the visitor to Ana, whom the CRM no longer gives her namesake
    with pytest.raises(DisputeError, match="nothing to decide") as refused:
        disputes.decide(db, CONFIG, item, Choice(owner_id="ana"), actor="wei", now=NOW)
    assert refused.value.code == "crm_settled"
    assert db.execute("SELECT owner_id FROM contacts WHERE id = ?", [visitor]).fetchone() == (
        routed,
    )
    before = snapshot(db)
    ev.rebuild(db)
    assert snapshot(db) == before


def test_a_namesake_the_crm_gives_to_a_third_person_stays_open(db, tmp_path):
    """Who should have the visitor is still a question then (the item asks it of Ana, not
    of Ben): left to the manager, not closed on a guess."""
    _, routed = file_namesake(db)
    crm_export(db, tmp_path, [[*JOSE, "ben", "2026-10-01T10:00:00+02:00"]])
    assert [i[3:5] for i in items(db)] == [("open", None)]


def test_a_crm_contact_within_the_lapse_days_settles_the_lapse(db, tmp_path):
    yuki = lapse_yuki(db)
    done = booth.check_in(db, CONFIG, yuki, now=NOW)
    assert "lapsed" in done.decision.flags
    [item] = [i.proposal_id for i in disputes.queue(db, today=TODAY)]
    crm_export(db, tmp_path, [[*YUKI, "2026-11-20T09:00:00+09:00"]])
    settled = (
        "settled by the CRM import: the CRM records a contact on 2026-11-20,"
        " within the 90 lapse days"
    )
    assert items(db) == [("reassign", "kenji", None, "rejected", "outdated", None, settled)]
    assert disputes.queue(db, today=TODAY) == []
    shown = disputes.item(db, item, today=TODAY)
    assert shown is not None and shown.crm_settled and shown.decision_note == settled
    with pytest.raises(DisputeError, match="nothing to decide"):
        disputes.decide(db, CONFIG, item, Choice(owner_id="ana"), actor="wei", now=NOW)
    before = snapshot(db)
    ev.rebuild(db)
    assert snapshot(db) == before


def test_a_crm_contact_still_beyond_the_lapse_days_keeps_the_item(db, tmp_path):
    yuki = lapse_yuki(db)
    booth.check_in(db, CONFIG, yuki, now=NOW)
    crm_export(db, tmp_path, [[*YUKI, "2026-06-01T09:00:00+09:00"]])  # newer, still lapsed
    assert [i[3:5] for i in items(db)] == [("open", None)]


def test_items_merged_from_a_kiosk_with_the_older_crm_data(db, db_path, tmp_path):
    """Kiosk B filed the namesake and scanned Yuki before it had the new export: merged
    here, where the CRM answers both, the items are settled, as a rebuild settles them."""
    lapse_yuki(db)
    db.execute("PRAGMA wal_checkpoint(FULL)")
    other = tmp_path / "b.db"
    shutil.copyfile(db_path, other)
    kiosk_b = open_db(other, create=False)
    b_config = replace(CONFIG, kiosk_id="kiosk-b")
    _, routed = file_namesake(kiosk_b, b_config)
    booth.check_in(kiosk_b, b_config, crm(kiosk_b, "C1"), now=NOW + timedelta(minutes=5))
    assert len(items(kiosk_b)) == 2
    kiosk_b.conn.close()
    crm_export(db, tmp_path, [[*JOSE, routed, "2026-10-01T10:00:00+02:00"],
                              [*YUKI, "2026-11-20T09:00:00+09:00"]])  # fmt: skip
    merge_databases(db_path, [other], now=NOW + timedelta(hours=1), backup=False)
    assert [i[:5] for i in items(db)] == [
        ("dispute", routed, "ana", "rejected", "outdated"),
        ("reassign", "kenji", None, "rejected", "outdated"),
    ]
    assert disputes.queue(db, today=TODAY) == []
    before = snapshot(db)
    ev.rebuild(db)
    assert snapshot(db) == before


def test_a_rescan_before_the_import_is_one_settled_lapse(db, tmp_path):
    """Yuki scanned twice before the import (the second scan found the item open): replayed
    on the CRM's new data, the settled item is still one."""
    yuki = lapse_yuki(db)
    booth.check_in(db, CONFIG, yuki, now=NOW)
    booth.check_in(db, CONFIG, yuki, now=NOW + timedelta(hours=3))
    crm_export(db, tmp_path, [[*YUKI, "2026-11-20T09:00:00+09:00"]])
    assert [i[:5] for i in items(db)] == [("reassign", "kenji", None, "rejected", "outdated")]
