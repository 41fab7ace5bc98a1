"""The core visit service: what a scan means, whom to call, and what it records.

Real SQLite files from `tests.factory`; the clock is a dict the test moves by hand.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from kiosk import booth, events
from kiosk.booth import LeadInput
from kiosk.reports.dashboard import arrivals, dashboard
from kiosk.visits import REPEAT_WINDOW, VisitService
from tests.factory import CONFIG, NOW

LATAM_1 = "W-1|Rafael Mendes|Casa da Luz Ltda.|rafael@casadaluz.example|BR|Buyer|+5551932986315"
LATAM_2 = "W-2^Daniela Ortiz^Iluminación Norte^dortiz@norte.example^México^Jefa^+526645054424"


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self):
        return self.now


def service(db, config=CONFIG) -> tuple[VisitService, Clock]:
    clock = Clock()
    return VisitService(db, config, clock=clock), clock


def rows(db, sql, params=()):
    return db.execute(sql, list(params)).fetchall()


def test_the_scan_path_reads_the_shows_badge_layout(db):
    config = replace(CONFIG, badge_fields=("name", "company", "badge_id"))
    visits, _ = service(db, config)
    visit = visits.resolve("Yuki Tanaka^Tanaka Shoji^B-100")
    assert visit.contact.crm_id == "C1" and visit.decision.salesperson_id == "kenji"
    assert visit.recorded and visit.status == "known"


def test_two_latam_walk_ins_go_to_the_two_reps_in_turn_and_are_counted(db):
    visits, clock = service(db)
    first = visits.resolve(LATAM_1)
    clock.now += timedelta(minutes=1)
    second = visits.resolve(LATAM_2)
    assert first.walkin and second.walkin and first.recorded and second.recorded
    assert {first.decision.salesperson_id, second.decision.salesperson_id} == {"luis", "marta"}
    assert first.status == second.status == "new"
    # recorded with the raw badge and the parsed fields
    [(payload,)] = rows(db, "SELECT payload FROM events WHERE uuid = ?", [first.checkin_id])
    assert "rafael@casadaluz.example" in payload and "Casa da Luz" in payload
    [ev] = [e for e in events.iter_events(db) if e.uuid == first.checkin_id]
    assert ev.payload["raw"] == LATAM_1 and ev.payload["badge"]["country"] == "BR"
    # on the arrivals board and counted for each salesperson
    board = {a.name: a.owner_id for a in arrivals(db, now=clock.now)}
    assert board == {"Rafael Mendes": first.decision.salesperson_id,
                     "Daniela Ortiz": second.decision.salesperson_id}  # fmt: skip
    day = {p.salesperson_id: p.walk_ins for p in dashboard(db, now=clock.now).people}
    assert day["luis"] == day["marta"] == 1


def test_a_rescan_inside_the_window_changes_nothing_and_after_it_checks_in_again(db):
    visits, clock = service(db)
    first = visits.resolve(LATAM_1)
    count = rows(db, "SELECT count(*) FROM events")[0][0]
    clock.now += timedelta(minutes=3)
    again = visits.resolve(LATAM_1)
    assert again.repeat and not again.recorded and again.checkin_id == first.checkin_id
    assert again.decision.salesperson_id == first.decision.salesperson_id
    assert rows(db, "SELECT count(*) FROM events")[0][0] == count
    clock.now += REPEAT_WINDOW
    later = visits.resolve(LATAM_1)
    assert later.recorded and later.contact.id == first.contact.id  # the same visitor
    assert later.decision.salesperson_id == first.decision.salesperson_id  # rotation kept


def test_free_text_is_not_a_walk_in(db):
    visits, _ = service(db)
    visit = visits.resolve("Lighting Electronics")
    assert not visit.recorded and rows(db, "SELECT count(*) FROM events")[0][0] == 0


def test_a_walk_in_completed_into_a_lead_is_one_contact_and_one_claim(db):
    visits, clock = service(db)
    walk = visits.resolve(LATAM_1)
    clock.now += timedelta(minutes=2)
    lead = visits.add_lead(
        LeadInput(name="Rafael Mendes", email="rafael@casadaluz.example", rating="hot",
                  contact_id=walk.contact.id)
    )  # fmt: skip
    assert lead.contact.id == walk.contact.id
    assert rows(db, "SELECT count(*) FROM contacts WHERE source = 'booth'")[0][0] == 1
    assert rows(db, "SELECT count(*) FROM checkins")[0][0] == 1  # the arrival it already had
    assert lead.decision.salesperson_id == walk.decision.salesperson_id
    assert rows(db, "SELECT count(*) FROM proposals")[0][0] == 0


def test_the_same_walk_in_at_two_entrances_is_one_visitor_not_a_dispute(company_db):
    a, b = company_db("a"), company_db("b")
    VisitService(a, CONFIG, clock=lambda: NOW).resolve(LATAM_1)
    cfg_b = replace(CONFIG, kiosk_id="kiosk-b")
    VisitService(b, cfg_b, clock=lambda: NOW + timedelta(minutes=1)).resolve(LATAM_1)
    for target, other in ((a, b), (b, a)):
        events.merge_events(target, list(events.iter_events(other)))
    for k in (a, b):
        assert rows(k, "SELECT count(*) FROM contacts WHERE source = 'booth'") == [(1,)]
        assert rows(k, "SELECT count(DISTINCT contact_id), count(*) FROM checkins") == [(1, 2)]
        assert rows(k, "SELECT count(*) FROM proposals") == [(0,)]


def test_a_lead_filed_elsewhere_claims_a_walk_in_without_a_dispute(company_db):
    a, b = company_db("a"), company_db("b")
    VisitService(a, CONFIG, clock=lambda: NOW).resolve(LATAM_1)
    cfg_b = replace(CONFIG, kiosk_id="kiosk-b")
    booth.add_lead(b, cfg_b, LeadInput(name="Rafael Mendes", email="rafael@casadaluz.example",
                                       brought_by=None), now=NOW + timedelta(minutes=5))  # fmt: skip
    events.merge_events(a, list(events.iter_events(b)))
    [(owner,)] = rows(a, "SELECT owner_id FROM contacts WHERE source = 'booth'")
    [(lead_owner,)] = rows(a, "SELECT owner_id FROM leads")
    assert owner == lead_owner
    assert rows(a, "SELECT count(*) FROM proposals WHERE kind = 'dispute'") == [(0,)]


# ---------------------------------------------------------------- every amber card reaches the manager


def test_an_ownership_conflict_is_amber_and_one_item_across_rescans(db):
    visits, clock = service(db)
    visit = visits.resolve("B-300")  # owner Ben, first contacted by Ana
    assert visit.status == "decision"
    clock.now += REPEAT_WINDOW * 3
    visits.resolve("B-300")
    open_items = rows(db, "SELECT kind, current_id, proposed_id FROM proposals WHERE status='open'")
    assert open_items == [("reassign", "ben", "ana")]


def test_a_lapsed_owner_with_no_colleague_still_reaches_the_manager(db):
    config = replace(CONFIG, lapse_days=30)
    visits, _ = service(db, config)
    visit = visits.resolve("B-200")  # José, Ana's, last contact 54 days ago; ES has only Ana
    assert visit.status == "decision" and "lapsed" in visit.decision.flags
    [item] = rows(db, "SELECT id, proposed_id FROM proposals WHERE status = 'open'")
    assert item[1] is None
    with pytest.raises(booth.BoothError, match="--to"):
        booth.decide_proposal(db, config, item[0], approve=True, actor="wei", now=NOW)
    booth.decide_proposal(db, config, item[0], approve=True, actor="wei", now=NOW,
                          assign_to="marta")  # fmt: skip
    assert rows(db, "SELECT owner_id FROM contacts WHERE crm_id = 'C2'") == [("marta",)]


def test_the_same_item_from_two_kiosks_is_one_and_a_decision_on_either_applies(company_db):
    a, b = company_db("a"), company_db("b")
    cfg_b = replace(CONFIG, kiosk_id="kiosk-b")
    VisitService(a, CONFIG, clock=lambda: NOW + timedelta(minutes=5)).resolve("B-300")
    VisitService(b, cfg_b, clock=lambda: NOW).resolve("B-300")  # b raised it first
    [(a_item,)] = rows(a, "SELECT id FROM proposals")
    booth.decide_proposal(a, CONFIG, a_item, approve=True, actor="wei",
                          now=NOW + timedelta(minutes=6))  # fmt: skip
    for target, other in ((a, b), (b, a)):
        events.merge_events(target, list(events.iter_events(other)))
    for k in (a, b):
        assert rows(k, "SELECT status FROM proposals") == [("approved",)]
        assert rows(k, "SELECT owner_id FROM contacts WHERE crm_id = 'C3'") == [("ana",)]


def test_a_phone_written_nationally_is_found_with_the_shows_country(db):
    visits, _ = service(db, replace(CONFIG, timezone="Asia/Tokyo"))
    visit = visits.resolve("03 1234 5678", record=False)
    assert visit.contact.crm_id == "C1" and visit.how == "phone"
    elsewhere, _ = service(db, replace(CONFIG, timezone="Europe/Madrid"))
    assert elsewhere.resolve("03 1234 5678", record=False).contact.crm_id != "C1"
