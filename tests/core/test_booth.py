"""Booth actions end to end on a real SQLite file: decisions, events, proposals, disputes."""

from __future__ import annotations

import json
import shutil
from datetime import timedelta

import pytest

from kiosk import booth, events
from kiosk.booth import BoothError, LeadInput
from kiosk.db import open_db
from tests.factory import CONFIG, NOW


def cid(db, crm_id: str) -> str:
    return db.execute("SELECT id FROM contacts WHERE crm_id = ?", [crm_id]).fetchone()[0]


def owner_of(db, contact_id: str) -> str:
    return db.execute("SELECT owner_id FROM contacts WHERE id = ?", [contact_id]).fetchone()[0]


def proposals(db, **where) -> list[dict]:
    sql = "SELECT * FROM proposals"
    if where:
        sql += " WHERE " + " AND ".join(f"{k} = ?" for k in where)
    return [dict(r) for r in db.query(sql, list(where.values()))]


def test_known_customer_alone_is_checked_in_to_the_owner(db):
    done = booth.check_in(db, CONFIG, cid(db, "C1"), now=NOW)
    assert done.decision.salesperson_id == "kenji"
    row = dict(next(db.query("SELECT * FROM checkins")))
    assert row["owner_id"] == "kenji"
    assert row["rule"] == done.decision.rule
    assert row["status"] == "waiting"
    assert proposals(db) == []


def test_brought_by_another_keeps_owner_and_proposes_capped_split(db):
    done = booth.check_in(db, CONFIG, cid(db, "C2"), brought_by="luis", now=NOW)
    assert done.decision.salesperson_id == "ana"
    [p] = proposals(db)
    assert p["kind"] == "assistant" and p["proposed_id"] == "luis" and p["current_id"] == "ana"
    assert 0 < p["split"] <= 0.5
    assert owner_of(db, cid(db, "C2")) == "ana"
    # the same visitor brought again does not pile up duplicate proposals
    booth.check_in(db, CONFIG, cid(db, "C2"), brought_by="luis", now=NOW + timedelta(hours=1))
    assert len(proposals(db)) == 1


def test_preference_is_recorded_and_manager_decides(db):
    c2 = cid(db, "C2")
    booth.set_preference(db, CONFIG, c2, "marta", now=NOW)
    assert (
        db.execute("SELECT preferred_id FROM contacts WHERE id = ?", [c2]).fetchone()[0] == "marta"
    )
    [p] = proposals(db, kind="preference")
    assert owner_of(db, c2) == "ana"  # unchanged until the manager decides
    booth.decide_proposal(db, CONFIG, p["id"], approve=True, actor="wei", now=NOW)
    assert owner_of(db, c2) == "marta"
    assert proposals(db, id=p["id"])[0]["status"] == "approved"
    with pytest.raises(BoothError, match="already approved"):
        booth.decide_proposal(db, CONFIG, p["id"], approve=False, actor="wei", now=NOW)


def test_rejected_proposal_changes_nothing(db):
    c2 = cid(db, "C2")
    booth.check_in(db, CONFIG, c2, brought_by="luis", now=NOW)
    [p] = proposals(db)
    booth.decide_proposal(
        db, CONFIG, p["id"], approve=False, actor="wei", note="Ana did the work", now=NOW
    )
    row = db.execute("SELECT assistant_id, split FROM contacts WHERE id = ?", [c2]).fetchone()
    assert row == (None, None)
    assert proposals(db)[0]["decision_note"] == "Ana did the work"


def test_new_lead_is_routed_by_territory_and_creates_contact_lead_and_checkin(db):
    res = booth.add_lead(
        db,
        CONFIG,
        LeadInput(
            name="Sakura Ito",
            company="Ito Denki",
            email="sakura@ito.example",
            country="JP",
            rating="hot",
            products=("LED panels",),
            notes="call after show",
            consent=True,
        ),
        now=NOW,
    )
    assert res.decision.salesperson_id == "kenji"
    contact = dict(next(db.query("SELECT * FROM contacts WHERE id = ?", [res.contact_id])))
    assert contact["source"] == "booth" and contact["owner_id"] == "kenji"
    assert contact["notes"] == "call after show"
    lead = dict(next(db.query("SELECT * FROM leads")))
    assert (
        lead["rating"] == "hot"
        and lead["owner_id"] == "kenji"
        and lead["rule"] == res.decision.rule
    )
    assert (
        db.execute(
            "SELECT count(*) FROM checkins WHERE contact_id = ?", [res.contact_id]
        ).fetchone()[0]
        == 1
    )


def test_notes_are_not_stored_without_consent(db):
    res = booth.add_lead(
        db,
        CONFIG,
        LeadInput(name="No Consent", country="ES", notes="secret", consent=False),
        now=NOW,
    )
    assert (
        db.execute("SELECT notes FROM contacts WHERE id = ?", [res.contact_id]).fetchone()[0] == ""
    )
    assert db.execute("SELECT notes FROM leads").fetchone()[0] == ""
    payload = db.execute("SELECT payload FROM events WHERE kind = 'lead.created'").fetchone()[0]
    assert "secret" not in payload


@pytest.mark.parametrize(
    ("lead", "message"),
    [
        (LeadInput(name="  "), "needs a name"),
        (LeadInput(name="A", email="not-an-email"), "valid email"),
        (LeadInput(name="A", rating="lukewarm"), "rating"),
        (LeadInput(name="A", products=("Jet engines",)), "unknown product"),
        (LeadInput(name="A", brought_by="nobody"), "unknown salesperson"),
    ],
)
def test_bad_lead_input_is_refused_and_nothing_is_written(db, lead, message):
    with pytest.raises(BoothError, match=message):
        booth.add_lead(db, CONFIG, lead, now=NOW)
    assert db.execute("SELECT count(*) FROM events").fetchone()[0] == 0


def test_a_product_in_another_case_is_the_shows_and_an_unknown_one_lists_them(db):
    first = CONFIG.products[0]
    booth.add_lead(db, CONFIG, LeadInput(name="A", products=(first.upper(),)), now=NOW)
    payload = db.execute("SELECT payload FROM events WHERE kind = 'lead.created'").fetchone()[0]
    assert json.loads(payload)["products"] == [first]
    with pytest.raises(BoothError) as refused:
        booth.add_lead(db, CONFIG, LeadInput(name="B", products=("Lasers",)), now=NOW)
    assert str(refused.value) == (
        f"unknown product(s): Lasers (this show's products: {', '.join(CONFIG.products)})"
    )


def _kiosk_copy(src, tmp_path, name):
    path = tmp_path / f"{name}.db"
    src.conn.execute("PRAGMA wal_checkpoint(FULL)")
    shutil.copy(src.conn.execute("PRAGMA database_list").fetchone()[2], path)
    return open_db(path)


def test_same_new_visitor_at_two_kiosks_earliest_wins_other_becomes_dispute(db, tmp_path):
    from dataclasses import replace

    a = _kiosk_copy(db, tmp_path, "a")
    b = _kiosk_copy(db, tmp_path, "b")
    visitor = LeadInput(
        name="Carla Souza", company="Luz Brasil", email="Carla@LuzBR.example", country="BR"
    )
    # kiosk B has Luis away, so its claim goes to Marta; kiosk A (earlier) routes to Luis
    booth.set_away(b, replace(CONFIG, kiosk_id="kiosk-b"), "luis", True, now=NOW)
    booth.add_lead(a, CONFIG, visitor, now=NOW)
    booth.add_lead(b, replace(CONFIG, kiosk_id="kiosk-b"), visitor, now=NOW + timedelta(minutes=5))

    for target, other in ((a, b), (b, a)):
        events.merge_events(target, list(events.iter_events(other)))
    for k in (a, b):
        contacts = list(k.query("SELECT id, owner_id FROM contacts WHERE source = 'booth'"))
        assert len(contacts) == 1 and contacts[0]["owner_id"] == "luis"
        assert k.execute("SELECT count(*) FROM leads").fetchone()[0] == 2  # nothing dropped
        [d] = proposals(k, kind="dispute")
        assert (d["current_id"], d["proposed_id"], d["status"]) == ("luis", "marta", "open")
        assert "kiosk-b" in d["reason"]

    # the manager resolves the dispute in favour of Marta: owner changes, history kept
    [d] = proposals(a, kind="dispute")
    booth.decide_proposal(
        a,
        CONFIG,
        d["id"],
        approve=True,
        actor="wei",
        note="Marta met her first",
        now=NOW + timedelta(minutes=10),
    )
    contact_id = a.execute("SELECT id FROM contacts WHERE source='booth'").fetchone()[0]
    assert owner_of(a, contact_id) == "marta"
    assert proposals(a, kind="dispute")[0]["status"] == "approved"
    assert a.execute("SELECT count(*) FROM leads").fetchone()[0] == 2
    kinds = [r[0] for r in a.execute("SELECT kind FROM events ORDER BY ts_utc")]
    assert kinds.count("lead.created") == 2 and "proposal.decided" in kinds
    # and the decision survives a rebuild
    events.rebuild(a)
    assert owner_of(a, contact_id) == "marta"


def test_mark_received_and_away(db):
    done = booth.check_in(db, CONFIG, cid(db, "C1"), now=NOW)
    booth.mark_received(db, CONFIG, done.event.uuid, by="kenji", now=NOW)
    row = db.execute("SELECT status, received_by FROM checkins").fetchone()
    assert row == ("received", "kenji")
    booth.set_away(db, CONFIG, "Luis Gómez", True, now=NOW)
    assert db.execute("SELECT away FROM salespeople WHERE id='luis'").fetchone()[0] == 1


def test_received_by_someone_else_proposes_assistant_and_owner_stays(db):
    done = booth.check_in(db, CONFIG, cid(db, "C1"), now=NOW)
    booth.mark_received(db, CONFIG, done.event.uuid, by="ana", now=NOW + timedelta(minutes=3))
    [p] = proposals(db)
    assert (p["kind"], p["current_id"], p["proposed_id"]) == ("assistant", "kenji", "ana")
    assert 0 < p["split"] <= 0.5
    assert owner_of(db, cid(db, "C1")) == "kenji"
    with pytest.raises(BoothError, match="already received"):
        booth.mark_received(db, CONFIG, done.event.uuid, by="ana", now=NOW)
    before = [dict(r) for r in db.query("SELECT * FROM proposals")]
    events.rebuild(db)
    assert [dict(r) for r in db.query("SELECT * FROM proposals")] == before


def test_received_by_the_manager_proposes_nothing_the_manager_could_not_approve(db):
    """Before, the manager receiving a customer raised "Zhang Wei as assistant", which the
    approval then refused: only a salesperson can assist."""
    done = booth.check_in(db, CONFIG, cid(db, "C1"), now=NOW)
    booth.mark_received(db, CONFIG, done.event.uuid, by="wei", now=NOW + timedelta(minutes=3))
    assert proposals(db) == []
    row = db.execute("SELECT status, received_by FROM checkins").fetchone()
    assert row == ("received", "wei")
    contact = booth.get_contact(db, cid(db, "C1"))
    decision = booth.decide_for(db, CONFIG, contact, brought_by="wei", now=NOW)
    assert decision.salesperson_id == "kenji" and not decision.proposals
    assert "brought by Zhang Wei" in decision.reason and "brought-by" not in decision.flags


def test_merged_and_rebuilt_visitors_are_searchable(db, tmp_path):
    from kiosk.lookup import search

    b = _kiosk_copy(db, tmp_path, "b")
    booth.add_lead(
        b,
        CONFIG,
        LeadInput(name="Oluwaseun Adeyemi", company="Lagos Lumens", country="NG"),
        now=NOW,
    )
    events.merge_events(db, list(events.iter_events(b)))
    for step in ("merge", "rebuild"):
        assert (
            db.execute("INSERT INTO contacts_fts(contacts_fts) VALUES('integrity-check')")
            is not None
        )
        names = [m.contact.name for m in search(db, "Adeyemi")]
        assert names == ["Oluwaseun Adeyemi"], step
        events.rebuild(db)
