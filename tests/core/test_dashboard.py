"""The manager's figures and the arrivals board, from a known day of booth events."""

from __future__ import annotations

from datetime import UTC, date, timedelta

from kiosk import booth, disputes
from kiosk import events as ev
from kiosk.booth import LeadInput
from kiosk.clock import show_zone
from kiosk.reports import dashboard
from tests.factory import CONFIG, NOW


def cid(db, crm_id: str) -> str:
    return db.execute("SELECT id FROM contacts WHERE crm_id = ?", [crm_id]).fetchone()[0]


def receive(db, checkin_id: str, by: str, at) -> None:
    event = ev.new_event(
        "checkin.received", {"checkin_id": checkin_id, "by": by}, kiosk_id="kiosk-a", ts=at
    )
    ev.record(db, event)


def busy_day(db):
    """Yesterday one visit; today Yuki (invited by Kenji, received after 4 min), two leads, José.

    Events are recorded in time order, as at a real booth (the log keeps time monotonic).
    """
    booth.check_in(db, CONFIG, cid(db, "C2"), now=NOW - timedelta(days=1))
    yuki = booth.check_in(db, CONFIG, cid(db, "C1"), invited="kenji", now=NOW)
    receive(db, yuki.event.uuid, "kenji", NOW + timedelta(minutes=4))
    hana = LeadInput(name="Hana Mori", country="JP", rating="hot")
    booth.add_lead(db, CONFIG, hana, now=NOW + timedelta(minutes=10))
    kai = LeadInput(name="Kai Abe", country="JP", rating="cold")
    booth.add_lead(db, CONFIG, kai, now=NOW + timedelta(hours=1))
    booth.check_in(db, CONFIG, cid(db, "C2"), brought_by="luis", now=NOW + timedelta(hours=2))
    return yuki


def test_arrivals_are_todays_checkins_newest_first(db):
    busy_day(db)
    rows = dashboard.arrivals(db, now=NOW + timedelta(hours=3))
    assert [r.name for r in rows] == ["José Martínez", "Kai Abe", "Hana Mori", "Yuki Tanaka"]
    by_name = {r.name: r for r in rows}
    assert by_name["Yuki Tanaka"].status == "received"
    assert by_name["Yuki Tanaka"].received_by == "kenji"
    assert by_name["Yuki Tanaka"].waited(NOW) == timedelta(minutes=4)
    assert (
        by_name["José Martínez"].status == "waiting"
        and by_name["José Martínez"].brought_by == "luis"
    )
    assert by_name["Hana Mori"].is_lead and not by_name["Yuki Tanaka"].is_lead


def test_a_visitor_scanned_twice_waits_once(db):
    """Scanned at two kiosks before they synced (here: again after the repeat window), a
    visitor was two rows on the arrivals board, both waiting, and counted twice."""
    from kiosk.reports.stats import db_stats
    from kiosk.ui.services import BoothServices

    booth.check_in(db, CONFIG, cid(db, "C2"), now=NOW)
    again = booth.check_in(db, CONFIG, cid(db, "C2"), now=NOW + timedelta(minutes=20))
    rows = dashboard.arrivals(db, now=NOW + timedelta(hours=1))
    assert [(r.name, r.checkin_id, r.status) for r in rows] == [
        ("José Martínez", again.event.uuid, "waiting")
    ]
    board = dashboard.dashboard(db, now=NOW + timedelta(hours=1))
    assert board.waiting == 1 and {p.salesperson_id: p.waiting for p in board.people}["ana"] == 1
    assert db_stats(db, CONFIG)["waiting"] == 1
    services = BoothServices(db, CONFIG, clock=lambda: NOW + timedelta(hours=1))
    assert services.today_counts() == (1, 1)
    receive(db, again.event.uuid, "ana", NOW + timedelta(minutes=25))  # met once: nobody waits
    assert dashboard.dashboard(db, now=NOW + timedelta(hours=1)).waiting == 0
    assert services.today_counts() == (1, 0)


def test_yesterday_is_its_own_day(db):
    busy_day(db)
    rows = dashboard.arrivals(db, now=NOW, day=(NOW - timedelta(days=1)).date())
    assert [r.name for r in rows] == ["José Martínez"]


def test_dashboard_counts_per_salesperson(db):
    busy_day(db)
    d = dashboard.dashboard(db, now=NOW + timedelta(hours=3))
    assert d.day == date(2026, 11, 24)
    people = {p.salesperson_id: p for p in d.people}
    assert "rita" not in people  # reception staff are not on the sales board
    kenji = people["kenji"]
    assert kenji.invited_arrived == 1
    assert kenji.own_checked_in == 1
    assert kenji.leads == {"hot": 1, "warm": 0, "cold": 1} and kenji.lead_total == 2
    assert kenji.received == 1 and kenji.median_wait == timedelta(minutes=4)
    assert kenji.waiting == 2  # the two new leads were checked in and are waiting
    assert people["ana"].own_checked_in == 1 and people["ana"].waiting == 1
    assert people["ana"].median_wait is None
    assert d.checkins == 4 and d.leads == 2 and d.waiting == 3
    assert d.arrivals_per_hour[10] == 2 and d.arrivals_per_hour[11] == 1
    assert d.arrivals_per_hour[12] == 1 and sum(d.arrivals_per_hour) == 4
    assert d.open_proposals == 1  # Luis brought Ana's customer: assistant proposal


def test_new_leads_count_visitors_at_their_hottest_for_their_owner_now(db):
    """A visitor filed twice (two kiosks, hot and cold) counted as two leads, hot and cold;
    a customer the manager gave to another stayed the first salesperson's lead."""
    busy_day(db)
    hana = db.execute("SELECT contact_id FROM leads WHERE rating = 'hot'").fetchone()[0]
    again = LeadInput(name="Hana Mori", contact_id=hana, rating="cold")
    booth.add_lead(db, CONFIG, again, now=NOW + timedelta(hours=2, minutes=30))
    d = dashboard.dashboard(db, now=NOW + timedelta(hours=3))
    kenji = {p.salesperson_id: p for p in d.people}["kenji"]
    assert kenji.leads == {"hot": 1, "warm": 0, "cold": 1}  # Hana (hot), Kai (cold)
    assert d.leads == 2
    # as a decision giving Hana to Ben does (`events.disputes`): the contact's owner changes
    db.execute("UPDATE contacts SET owner_id = 'ben' WHERE id = ?", [hana])
    people = {
        p.salesperson_id: p for p in dashboard.dashboard(db, now=NOW + timedelta(hours=3)).people
    }
    assert people["kenji"].leads == {"hot": 0, "warm": 0, "cold": 1}
    assert people["ben"].leads == {"hot": 1, "warm": 0, "cold": 0}


def test_whole_show_includes_every_day(db):
    busy_day(db)
    d = dashboard.dashboard(db, now=NOW, whole_show=True)
    assert d.day is None and d.checkins == 5


def test_days_and_hours_follow_the_show_time_zone(db):
    booth.check_in(
        db, CONFIG, cid(db, "C1"), now=NOW.replace(hour=17)
    )  # 01:00 next day in Shanghai
    zone = show_zone("Asia/Shanghai")
    assert dashboard.arrivals(db, now=NOW.replace(hour=9), zone=zone) == []  # 17:00 Shanghai
    d = dashboard.dashboard(db, now=NOW.replace(hour=17), zone=zone)
    assert d.day == date(2026, 11, 25) and d.arrivals_per_hour[1] == 1


def test_unknown_zone_falls_back_to_utc():
    assert show_zone("Mars/Olympus") is UTC
    assert show_zone("") is UTC


def test_the_managers_queue_puts_disputes_first(db):
    busy_day(db)
    db.execute(
        "INSERT INTO proposals(id, kind, contact_id, current_id, proposed_id, reason, created_at)"
        " VALUES ('d1', 'dispute', ?, 'ana', 'ben', 'filed at two kiosks', ?)",
        [cid(db, "C3"), (NOW + timedelta(hours=5)).isoformat()],
    )
    today = NOW.date()
    queue = disputes.queue(db, today=today, evidence=False)
    assert [q.kind for q in queue] == ["dispute", "assistant"]
    assert queue[0].contact_name == "王小明"
    assert queue[1].proposed_id == "luis" and 0 < queue[1].split <= 0.5
    booth.decide_proposal(db, CONFIG, "d1", approve=False, actor="wei", now=NOW)
    assert [q.kind for q in disputes.queue(db, today=today)] == ["assistant"]
    assert len(disputes.queue(db, today=today, include_decided=True)) == 2
