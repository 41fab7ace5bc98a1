"""Items a CRM re-import makes moot (`kiosk.events.disputes.settled_by_crm`).

Issue 17's scenario: Luis owns Pedro, Marta brought him and claims him; the manager's queue
holds her claim and her assistant proposal. The next morning's CRM export already gives
Pedro to someone else. After the import those items no longer ask for a decision: they are
closed as settled by the CRM, the history says whom the CRM gives him to, a decision on them
is refused, and a rebuild or a merge gives the same tables as the live path.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import timedelta

import pytest

from kiosk import booth, disputes
from kiosk import events as ev
from kiosk.db import open_db
from kiosk.disputes import Choice, DisputeError
from kiosk.sync.imports import import_csv
from kiosk.sync.merge import merge_databases
from tests.factory import CONFIG, NOW, write_csv
from tests.scenario import A, B, add_scenario, holding

TODAY = NOW.date()
HEADER = ["crm_id", "name", "company", "email", "country", "owner"]


@pytest.fixture
def scen(db):
    return add_scenario(db)


def crm_gives(db, tmp_path, owner: str):
    """Import the next morning's CRM export, which gives Pedro to `owner`."""
    row = ["C-SCEN", "Pedro Alves", "Brasil Luz Ltda.", "pedro@brasilluz.example", "BR", owner]
    src = write_csv(tmp_path / f"crm-{owner}.csv", HEADER, [row])
    report = import_csv(db, "contacts", src)
    assert report.updated == 1


def items(db, contact_id):
    return {
        r[0]: tuple(r[1:])
        for r in db.execute(
            "SELECT kind, status, outcome, decided_by, decision_note FROM proposals"
            " WHERE contact_id = ? ORDER BY created_at, id",
            [contact_id],
        )
    }


def booth_tables(db):
    return [
        db.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall()
        for t in ("arrangements", "undone_decisions", "proposals", "dispute_notes", "contacts")
    ]


def test_items_the_crm_settled_close_themselves(db, scen, tmp_path):
    contact = scen["contact_id"]
    assert {i.proposal_id for i in disputes.queue(db, today=TODAY)} == {
        scen["reassign"],
        scen["assistant"],
    }
    crm_gives(db, tmp_path, B)
    assert holding(db, contact)[0] == B
    settled = "settled by the CRM import: the CRM gives Pedro Alves to Marta Díaz"
    assert items(db, contact) == {
        "reassign": ("rejected", "outdated", None, settled),
        "assistant": ("rejected", "outdated", None, settled),
    }
    assert disputes.queue(db, today=TODAY) == []
    item = disputes.item(db, scen["reassign"], today=TODAY)
    assert item is not None and item.crm_settled and item.owner_now == B
    # deciding it would write Luis back over what the CRM settled: refused, in one line
    with pytest.raises(DisputeError, match=f"is {settled}: nothing to decide") as refused:
        disputes.decide(db, CONFIG, scen["reassign"], Choice(owner_id=A), actor="wei", now=NOW)
    assert refused.value.code == "crm_settled" and refused.value.facts["owner"] == B
    with pytest.raises(DisputeError, match="nothing to decide"):
        disputes.add_case(db, CONFIG, scen["reassign"], by=A, text="mine", now=NOW)
    assert holding(db, contact)[0] == B
    before = booth_tables(db)
    ev.rebuild(db)
    assert booth_tables(db) == before


def test_an_owner_the_item_did_not_propose_is_named(db, scen, tmp_path):
    crm_gives(db, tmp_path, "ana")
    notes = {r[0] for r in db.execute("SELECT decision_note FROM proposals")}
    assert notes == {"settled by the CRM import: the CRM gives Pedro Alves to Ana Ruiz"}
    # a scan after the import asks about the owner now: Marta brought him again
    booth.check_in(db, CONFIG, scen["contact_id"], now=NOW + timedelta(hours=1), brought_by=B)
    fresh = {(i.kind, i.current_id, i.proposed_id) for i in disputes.queue(db, today=TODAY)}
    assert ("assistant", "ana", B) in fresh and all(current == "ana" for _, current, _ in fresh)


def test_a_rescan_before_the_import_is_one_settled_item(db, scen, tmp_path):
    """Scanned twice before the import (the second scan found the open item and raised
    nothing): replayed on the CRM's new data, the item is still one."""
    booth.check_in(db, CONFIG, scen["contact_id"], now=NOW + timedelta(minutes=5), brought_by=B)
    crm_gives(db, tmp_path, "ana")
    kinds = [r[0] for r in db.execute("SELECT kind FROM proposals ORDER BY kind")]
    assert kinds == ["assistant", "reassign"]


def test_a_decision_taken_before_the_import_still_counts(db, scen, tmp_path):
    """The manager shared Pedro before the CRM said otherwise: the decision stands over the
    CRM data, as every decision does, and stays in the history and the report."""
    contact = scen["contact_id"]
    disputes.decide(db, CONFIG, scen["reassign"], Choice(A, B, 0.3), actor="wei", now=NOW)
    crm_gives(db, tmp_path, "ana")
    assert holding(db, contact)[:3] == (A, B, 0.3)
    [a] = disputes.arrangements(db, proposal_id=scen["reassign"])
    assert (a.outcome, a.owner_id, a.assistant_id) == ("shared", A, B)
    assert items(db, contact)["reassign"][:3] == ("approved", "shared", "wei")
    before = booth_tables(db)
    ev.rebuild(db)
    assert booth_tables(db) == before


def test_an_item_merged_from_a_kiosk_with_older_crm_data(db, db_path, scen, tmp_path):
    """Kiosk B had not imported the new export when Ben brought Pedro in there: its item
    (Ben to assist Luis), merged here where the CRM gives Pedro to Ana, is settled by the
    CRM too, and the merge gives the same tables as a rebuild."""
    other = tmp_path / "b.db"
    db.execute("PRAGMA wal_checkpoint(FULL)")
    shutil.copyfile(db_path, other)
    kiosk_b = open_db(other, create=False)
    b_config = replace(CONFIG, kiosk_id="kiosk-b")
    booth.check_in(kiosk_b, b_config, scen["contact_id"], now=NOW + timedelta(hours=1),
                   brought_by="ben")  # fmt: skip
    [(ben,)] = kiosk_b.execute("SELECT id FROM proposals WHERE proposed_id = 'ben'").fetchall()
    kiosk_b.conn.close()
    crm_gives(db, tmp_path, "ana")
    merge_databases(db_path, [other], now=NOW + timedelta(hours=2), backup=False)
    assert items(db, scen["contact_id"])["assistant"] == (
        "rejected", "outdated", None,
        "settled by the CRM import: the CRM gives Pedro Alves to Ana Ruiz",
    )  # fmt: skip
    assert db.execute("SELECT outcome FROM proposals WHERE id = ?", [ben]).fetchone() == (
        "outdated",
    )
    assert disputes.queue(db, today=TODAY) == []
    before = booth_tables(db)
    ev.rebuild(db)
    assert booth_tables(db) == before


def test_an_undo_after_the_crm_changed_hands_says_who_owns_now(db, scen, tmp_path):
    """The manager gave Pedro to Marta; the next export gives him to Ana; the manager
    undoes the decision. The undo gives back what the CRM says now (Ana), not Luis, and
    says so; the items it reopens ask about Luis, so they are settled by the CRM."""
    contact = scen["contact_id"]
    disputes.decide(db, CONFIG, scen["reassign"], Choice(owner_id=B), actor="wei", now=NOW)
    crm_gives(db, tmp_path, "ana")
    assert holding(db, contact)[0] == B  # the decision stands over the CRM data
    event = disputes.undo(db, CONFIG, scen["reassign"], actor="wei", now=NOW + timedelta(hours=1))
    assert event.payload["owner_id"] == "ana"
    assert holding(db, contact) == ("ana", None, None, None)
    left = disputes.after_undo(db, event)
    assert left == disputes.AfterUndo("ana", None, None, crm_changed_from=A)
    settled = "settled by the CRM import: the CRM gives Pedro Alves to Ana Ruiz"
    assert items(db, contact) == {
        "reassign": ("rejected", "outdated", None, settled),
        "assistant": ("rejected", "outdated", None, settled),
    }
    assert disputes.queue(db, today=TODAY) == []
    before = booth_tables(db)
    ev.rebuild(db)
    assert booth_tables(db) == before


def test_an_undo_with_the_crm_unchanged_says_again(db, scen):
    disputes.decide(db, CONFIG, scen["reassign"], Choice(owner_id=B), actor="wei", now=NOW)
    event = disputes.undo(db, CONFIG, scen["reassign"], actor="wei", now=NOW + timedelta(hours=1))
    assert disputes.after_undo(db, event) == disputes.AfterUndo(A, None, None, None)


def test_an_item_merged_after_a_decision_it_did_not_see(db, db_path, scen, tmp_path):
    """Kiosk B's manager gives Pedro to Marta; a minute later kiosk A, which has not seen
    it, scans Pedro brought by Ben: "Ben to assist Luis". Merged, that item asks about an
    owner Pedro no longer has: it is closed as the decision would have closed it had it
    come first — the same on both kiosks whatever the merge order — and undoing the
    decision opens it again, with Luis owning Pedro again."""
    other = tmp_path / "b.db"
    db.execute("PRAGMA wal_checkpoint(FULL)")
    shutil.copyfile(db_path, other)
    kiosk_b = open_db(other, create=False)
    b_config = replace(CONFIG, kiosk_id="kiosk-b")
    disputes.decide(kiosk_b, b_config, scen["reassign"], Choice(owner_id=B), actor="wei",
                    now=NOW + timedelta(minutes=1))  # fmt: skip
    kiosk_b.conn.close()
    booth.check_in(db, CONFIG, scen["contact_id"], now=NOW + timedelta(minutes=2),
                   brought_by="ben")  # fmt: skip
    [(ben,)] = db.execute("SELECT id FROM proposals WHERE proposed_id = 'ben'").fetchall()
    at = NOW + timedelta(hours=1)
    merge_databases(db_path, [other], now=at, backup=False)
    merge_databases(other, [db_path], now=at, backup=False)
    row = db.execute(
        "SELECT status, outcome, decided_by, decision_note FROM proposals WHERE id = ?", [ben]
    ).fetchone()
    assert row == (
        "rejected", "outdated", "wei",
        "out of date: Marta Díaz owns the customer since 2026-11-24 10:01 UTC"
        f" (the decision on {scen['reassign']})",
    )  # fmt: skip
    assert disputes.queue(db, today=TODAY) == []
    kiosk_b = open_db(other, create=False)
    assert booth_tables(kiosk_b) == booth_tables(db)
    kiosk_b.conn.close()
    before = booth_tables(db)
    ev.rebuild(db)
    assert booth_tables(db) == before
    disputes.undo(db, CONFIG, scen["reassign"], actor="wei", now=at + timedelta(minutes=1))
    assert holding(db, scen["contact_id"])[0] == A
    assert {i.proposal_id for i in disputes.queue(db, today=TODAY)} == {
        scen["reassign"],
        scen["assistant"],
        ben,
    }
