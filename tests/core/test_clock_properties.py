"""A kiosk stamps its events from its own log (issue 10), so an event it records may sort
before events merged from other kiosks. Recording it must still give the tables that
replaying the whole log in order gives — whether it is recorded before or after the merge."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kiosk import events
from kiosk.db import open_db
from kiosk.sync.merge import merge_databases
from tests.booth_days import CONTACT_IDS, copy, day, play_kiosks, snapshot
from tests.examples import examples
from tests.factory import NOW

MERGED_AT = NOW + timedelta(days=1)


@pytest.mark.slow
@settings(
    max_examples=examples(15),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(days=st.lists(day, min_size=2, max_size=2), rnd=st.randoms(use_true_random=False),
       contact=st.sampled_from(CONTACT_IDS), minute=st.integers(-5, 45),
       kind=st.sampled_from(["checkin", "salesperson.away"]))  # fmt: skip
# kiosk-0 marks Luis back at 10:00; the office had marked him away at 09:55, recorded later
@example(days=[[(0, ("away", "luis", False))], [(10, ("checkin", "C2", None))]],
         rnd=random.Random(0), contact="C1", minute=-5, kind="salesperson.away")  # fmt: skip
def test_an_event_sorting_among_merged_ones_is_applied_in_its_place(
    template_db, tmp_path_factory, days, rnd, contact, minute, kind
):
    folder, kiosks = play_kiosks(template_db, tmp_path_factory, days, rnd)
    # the office's own event, at a time among the kiosks' events (they run NOW … NOW+40 min)
    payload = (
        {"contact_id": contact, "owner_id": "ben", "rule": "test", "reason": "office"}
        if kind == "checkin"
        else {"salesperson_id": "luis", "away": True}
    )
    own = events.new_event(kind, payload, kiosk_id="office", ts=NOW + timedelta(minutes=minute))

    before = copy(template_db, folder, "before")
    db = open_db(before)
    events.record(db, own)
    db.conn.close()
    merge_databases(before, kiosks, now=MERGED_AT, backup=False)

    after = copy(template_db, folder, "after")
    merge_databases(after, kiosks, now=MERGED_AT, backup=False)
    db = open_db(after)
    events.record(db, own, now=MERGED_AT)
    db.conn.close()
    expected = snapshot(before)
    assert snapshot(after) == expected

    db = open_db(after)
    events.rebuild(db)
    db.conn.close()
    assert snapshot(after) == expected
