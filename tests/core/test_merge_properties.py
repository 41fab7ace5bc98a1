"""Merging is idempotent, order-independent and commutative with new events (hypothesis).

Random booth days at several kiosks — check-ins, new visitors (often the same people at
two kiosks, so rule 6 disputes arise), away marks, preferences and manager decisions, at
random interleaved times — are merged in different orders and groupings. The booth tables
must always come out identical: they are a function of the union of the logs.
"""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk import events
from kiosk.db import open_db
from kiosk.sync.merge import merge_databases
from tests.booth_days import CONTACT_IDS, copy, day, play_kiosks, snapshot
from tests.factory import NOW


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(days=st.lists(day, min_size=2, max_size=3), rnd=st.randoms(use_true_random=False))
def test_merge_is_idempotent_and_order_independent(template_db, tmp_path_factory, days, rnd):
    folder, kiosks = play_kiosks(template_db, tmp_path_factory, days, rnd)

    one_by_one = copy(template_db, folder, "office-1")
    for k in kiosks:
        merge_databases(one_by_one, [k], backup=False, now=NOW + timedelta(days=1))
    all_reversed = copy(template_db, folder, "office-2")
    merge_databases(all_reversed, list(reversed(kiosks)), backup=False, now=NOW + timedelta(days=1))
    expected = snapshot(one_by_one)
    assert snapshot(all_reversed) == expected

    # into a kiosk that already has its own events, in another order
    merge_databases(kiosks[-1], kiosks[:-1][::-1], backup=False, now=NOW + timedelta(days=1))
    assert snapshot(kiosks[-1]) == expected

    # merging again (the same files, or an office into an office) changes nothing
    merge_databases(one_by_one, kiosks, backup=False, now=NOW + timedelta(days=1))
    merge_databases(one_by_one, [all_reversed], backup=False, now=NOW + timedelta(days=1))
    assert snapshot(one_by_one) == expected

    # and a rebuild from the log alone gives the same tables
    db = open_db(one_by_one)
    events.rebuild(db)
    db.conn.close()
    assert snapshot(one_by_one) == expected


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(days=st.lists(day, min_size=2, max_size=2), rnd=st.randoms(use_true_random=False),
       contact=st.sampled_from(CONTACT_IDS))  # fmt: skip
def test_merge_commutes_with_a_new_event(template_db, tmp_path_factory, days, rnd, contact):
    """Recording an office event before or after the merge gives the same tables."""
    folder, kiosks = play_kiosks(template_db, tmp_path_factory, days, rnd)
    # the office's own check-in, stamped after everything the kiosks did
    late = events.new_event(
        "checkin",
        {"contact_id": contact, "owner_id": "ben", "rule": "test", "reason": "office"},
        kiosk_id="office",
        ts=NOW + timedelta(hours=2),
    )
    before = copy(template_db, folder, "before")
    db = open_db(before)
    events.record(db, late)
    db.conn.close()
    merge_databases(before, kiosks, backup=False, now=NOW + timedelta(days=1))

    after = copy(template_db, folder, "after")
    merge_databases(after, kiosks, backup=False, now=NOW + timedelta(days=1))
    db = open_db(after)
    events.record(db, late)
    db.conn.close()
    assert snapshot(before) == snapshot(after)
