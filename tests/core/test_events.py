"""The event log: append-only, applied in the same transaction, replayable exactly."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

import pytest

from kiosk import booth, events
from kiosk.booth import LeadInput
from tests.factory import CONFIG, NOW

BOOTH_TABLES = ("contacts", "contact_badges", "checkins", "leads", "proposals", "salespeople")


def snapshot(db) -> dict[str, list[tuple]]:
    out = {}
    for table in BOOTH_TABLES:
        cols = [c.name for c in db[table].columns if c.name != "rowid"]
        rows = db.execute(f"SELECT {', '.join(cols)} FROM {table}").fetchall()
        out[table] = sorted(rows, key=repr)
    return out


def contact_id(db, crm_id: str) -> str:
    return db.execute("SELECT id FROM contacts WHERE crm_id = ?", [crm_id]).fetchone()[0]


def busy_day(db) -> None:
    """A morning at the booth touching every event kind."""
    t = NOW
    booth.check_in(db, CONFIG, contact_id(db, "C1"), now=t)
    booth.check_in(
        db, CONFIG, contact_id(db, "C2"), brought_by="luis", now=t + timedelta(minutes=1)
    )
    lead = booth.add_lead(
        db,
        CONFIG,
        LeadInput(
            name="Carla Souza",
            company="Luz Brasil Ltda.",
            email="carla@luzbr.example",
            country="BR",
            rating="hot",
            products=("LED panels",),
            notes="wants 2k units",
            consent=True,
        ),
        now=t + timedelta(minutes=2),
    )
    booth.set_away(db, CONFIG, "kenji", True, now=t + timedelta(minutes=3))
    booth.set_preference(db, CONFIG, contact_id(db, "C2"), "marta", now=t + timedelta(minutes=4))
    first_checkin = db.execute("SELECT id FROM checkins ORDER BY at LIMIT 1").fetchone()[0]
    booth.mark_received(db, CONFIG, first_checkin, by="kenji", now=t + timedelta(minutes=5))
    open_ids = [
        r[0] for r in db.execute("SELECT id FROM proposals WHERE status='open' ORDER BY id")
    ]
    assert open_ids
    booth.decide_proposal(
        db, CONFIG, open_ids[0], approve=True, actor="wei", now=t + timedelta(minutes=6)
    )
    assert lead.contact_id


def test_every_change_is_an_event_applied_in_the_same_transaction(db):
    busy_day(db)
    kinds = [r[0] for r in db.execute("SELECT kind FROM events ORDER BY ts_utc, uuid")]
    assert set(kinds) >= {
        "checkin",
        "lead.created",
        "salesperson.away",
        "contact.preference",
        "checkin.received",
        "proposal.decided",
    }
    # every materialized booth row points back at an event
    for table in ("checkins", "leads"):
        orphans = db.execute(
            f"SELECT count(*) FROM {table} WHERE id NOT IN (SELECT uuid FROM events)"
        ).fetchone()[0]
        assert orphans == 0


def test_rebuild_reproduces_the_tables_exactly(db):
    busy_day(db)
    before = snapshot(db)
    replayed = events.rebuild(db)
    assert replayed == db.execute("SELECT count(*) FROM events").fetchone()[0]
    assert snapshot(db) == before


def test_rebuild_after_tables_are_damaged_repairs_them(db):
    busy_day(db)
    before = snapshot(db)
    db.execute("DELETE FROM checkins")
    db.execute("UPDATE contacts SET owner_id = 'ben'")
    events.rebuild(db)
    assert snapshot(db) == before


def test_events_are_append_only(db):
    busy_day(db)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("DELETE FROM events")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("UPDATE events SET kind = 'x'")


def test_failed_apply_leaves_no_event_behind(db):
    bad = events.new_event("checkin", {"contact_id": "no-such-contact"}, kiosk_id="k", ts=NOW)
    with pytest.raises(sqlite3.IntegrityError):
        events.record(db, bad)
    assert db.execute("SELECT count(*) FROM events").fetchone()[0] == 0


def test_recording_the_same_event_twice_applies_it_once(db):
    e = events.new_event("checkin", {"contact_id": contact_id(db, "C1")}, kiosk_id="k", ts=NOW)
    events.record(db, e)
    events.record(db, e)
    assert db.execute("SELECT count(*) FROM checkins").fetchone()[0] == 1


def test_event_keeps_original_zone_and_orders_by_utc(db):
    from datetime import datetime, timezone

    cid = contact_id(db, "C1")
    shanghai = timezone(timedelta(hours=8))
    early = events.new_event(
        "checkin",
        {"contact_id": cid},
        kiosk_id="k",
        ts=datetime(2026, 11, 24, 17, 0, tzinfo=shanghai),
    )  # 09:00 UTC
    late = events.new_event(
        "checkin",
        {"contact_id": cid},
        kiosk_id="k",
        ts=datetime(2026, 11, 24, 9, 30, tzinfo=NOW.tzinfo),
    )
    events.record(db, late, early)
    stored = [r[0] for r in db.execute("SELECT ts FROM events ORDER BY ts_utc")]
    assert stored[0].endswith("+08:00")
    assert [e.uuid for e in events.iter_events(db)] == [early.uuid, late.uuid]


# ------------------------------------------------------------------ clocks (issue 10)

YEAR = timedelta(days=365)


def away_event(kiosk_id: str, who: str, away: bool, ts) -> events.Event:
    payload = {"salesperson_id": who, "away": away}
    return events.new_event("salesperson.away", payload, kiosk_id=kiosk_id, ts=ts)


def test_new_event_needs_its_time():
    with pytest.raises(TypeError):
        events.new_event("checkin", {"contact_id": "x"}, kiosk_id="k")  # type: ignore[call-arg]


def test_next_ts_is_now_when_this_kiosk_has_nothing_later(db):
    assert events.next_ts(db, "kiosk-a", NOW) == NOW
    events.record(db, away_event("kiosk-a", "ben", True, NOW - timedelta(minutes=1)))
    assert events.next_ts(db, "kiosk-a", NOW) == NOW


def test_next_ts_never_goes_back_on_this_kiosks_own_log(db):
    events.record(db, away_event("kiosk-a", "ben", True, NOW))
    # the laptop clock stepped back five minutes: one microsecond past its own last event
    assert events.next_ts(db, "kiosk-a", NOW - timedelta(minutes=5)) == NOW + timedelta(
        microseconds=1
    )


def test_next_ts_ignores_events_merged_from_a_kiosk_whose_clock_ran_ahead(db):
    events.record(db, away_event("kiosk-a", "ben", True, NOW - timedelta(hours=1)))
    ahead = away_event("kiosk-b", "kenji", True, NOW + YEAR)
    assert events.merge_events(db, [ahead]) == (1, 0)
    assert events.next_ts(db, "kiosk-a", NOW) == NOW  # not a year ahead
    assert events.next_ts(db, "kiosk-b", NOW) == NOW + YEAR + timedelta(microseconds=1)


def test_a_check_in_after_merging_a_log_a_year_ahead_is_stamped_now(db):
    """Kiosk A checks a visitor in, merges kiosk B whose clock was a year ahead, and checks
    the next visitor in: that check-in is today's, not next year's."""
    booth.check_in(db, CONFIG, contact_id(db, "C1"), now=NOW)
    events.merge_events(db, [away_event("kiosk-b", "ben", True, NOW + YEAR)])
    later = NOW + timedelta(minutes=30)
    second = booth.check_in(db, CONFIG, contact_id(db, "C2"), now=later)
    assert datetime.fromisoformat(second.event.ts) == later
    [at] = db.execute("SELECT at FROM checkins WHERE id = ?", [second.event.uuid]).fetchone()
    assert at.startswith("2026-11-24")
    assert db.execute("SELECT count(*) FROM events").fetchone() == (3,)  # nothing dropped


def test_recording_an_event_that_sorts_before_merged_ones_keeps_replay_order(db):
    """B (clock a year ahead) set Ben away; A sets him back today. In replay order A's event
    comes first, so Ben is away: recording must give what rebuilding gives."""
    events.merge_events(db, [away_event("kiosk-b", "ben", True, NOW + YEAR)])
    events.record(db, away_event("kiosk-a", "ben", False, events.next_ts(db, "kiosk-a", NOW)))
    recorded = snapshot(db)
    assert db.execute("SELECT away FROM salespeople WHERE id = 'ben'").fetchone() == (1,)
    events.rebuild(db)
    assert snapshot(db) == recorded


def test_recorded_at_is_the_callers_now_or_the_events_own_time(db):
    own = away_event("kiosk-a", "ben", True, NOW)
    events.record(db, own, now=NOW + timedelta(seconds=3))
    other = away_event("kiosk-b", "ben", False, NOW + timedelta(minutes=1))
    events.merge_events(db, [other])
    stored = dict(db.execute("SELECT uuid, recorded_at FROM events").fetchall())
    assert stored[own.uuid] == "2026-11-24T10:00:03+00:00"
    assert stored[other.uuid] == other.ts_utc


def test_the_event_log_reads_no_clock():
    import inspect

    source = inspect.getsource(events)
    assert "now_utc" not in source and "datetime.now" not in source


def test_events_within_the_skew_move_this_kiosks_clock_forward(db):
    """B's clock is two minutes fast, inside the allowed skew: what A records after the merge
    sorts after what it has seen, so nothing needs replaying and the answer finds its cause."""
    cid = contact_id(db, "C1")
    theirs = events.new_event(
        "checkin", {"contact_id": cid}, kiosk_id="kiosk-b", ts=NOW + timedelta(minutes=2)
    )
    events.merge_events(db, [theirs])
    when = events.next_ts(db, "kiosk-a", NOW)
    assert when == NOW + timedelta(minutes=2, microseconds=1)


def test_an_answer_to_another_kiosks_event_is_stamped_after_it(db):
    """B's clock is two hours fast, beyond the skew: it does not move A's clock — except for
    an event that answers one of B's, which must replay after its cause: `after` puts it one
    microsecond past the check-in it closes."""
    cid = contact_id(db, "C1")
    theirs = events.new_event(
        "checkin", {"contact_id": cid}, kiosk_id="kiosk-b", ts=NOW + timedelta(hours=2)
    )
    events.merge_events(db, [theirs])

    def receive(**kw) -> events.Event:
        when = events.next_ts(db, "kiosk-a", NOW, **kw)
        payload = {"checkin_id": theirs.uuid, "by": "kenji"}
        return events.new_event("checkin.received", payload, kiosk_id="kiosk-a", ts=when)

    lost = receive()
    assert lost.ts_utc < theirs.ts_utc  # what happens without `after`: replayed first …
    answer = receive(after=[theirs.uuid, "no-such-event"])
    assert datetime.fromisoformat(answer.ts) == NOW + timedelta(hours=2, microseconds=1)
    events.record(db, answer)
    assert db.execute("SELECT status FROM checkins").fetchone() == ("received",)
    events.rebuild(db)
    assert db.execute("SELECT status FROM checkins").fetchone() == ("received",)
    events.record(db, lost)  # … where it finds no check-in yet: no effect, and no error
    assert db.execute("SELECT received_by FROM checkins").fetchone() == ("kenji",)
    # the answer is this kiosk's own event: its later events follow it
    assert events.next_ts(db, "kiosk-a", NOW) == NOW + timedelta(hours=2, microseconds=2)


def test_every_event_kind_has_exactly_one_applier():
    from typing import get_args

    from kiosk.events.appliers import APPLIERS
    from kiosk.events.log import EventKind

    assert set(APPLIERS) == set(get_args(EventKind))
