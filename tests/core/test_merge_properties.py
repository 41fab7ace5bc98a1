"""Merging is idempotent, order-independent and commutative with new events (hypothesis).

Random booth days at several kiosks — check-ins, new visitors (often the same people at
two kiosks, so rule 6 disputes arise), away marks, preferences and manager decisions, at
random interleaved times — are merged in different orders and groupings. The booth tables
must always come out identical: they are a function of the union of the logs.
"""

from __future__ import annotations

import json
import random
from datetime import timedelta
from unittest.mock import patch

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kiosk import events
from kiosk.db import open_db
from kiosk.events import appliers
from kiosk.sync.merge import merge_databases
from tests.booth_days import CONTACT_IDS, PEOPLE, copy, day, play_kiosks, snapshot
from tests.examples import examples
from tests.factory import NOW


@pytest.mark.slow
@settings(
    max_examples=examples(20),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
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
    max_examples=examples(15),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
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


def _indexes(path) -> list[tuple]:
    db = open_db(path, create=False)
    try:
        return db.execute(
            "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name"
        ).fetchall()
    finally:
        db.conn.close()


@settings(
    max_examples=examples(15),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(days=st.lists(day, min_size=2, max_size=3), rnd=st.randoms(use_true_random=False))
@example(days=[[(0, ("decide", False, None))]] * 2, rnd=random.Random(0))  # no event at all
def test_a_merge_that_builds_the_indexes_afterwards_gives_the_same_database(
    template_db, tmp_path_factory, days, rnd
):
    """A big merge into a fresh office drops the log's and the check-ins' secondary
    indexes and builds them after its inserts (`events.DEFER_INDEXES_AT`); here every
    merge into smaller tables does. The tables, the indexes and a merge again come out as
    when the indexes are kept up to date row by row."""
    folder, kiosks = play_kiosks(template_db, tmp_path_factory, days, rnd)
    kept = copy(template_db, folder, "office-kept")
    merge_databases(kept, kiosks, backup=False, now=NOW + timedelta(days=1))
    rebuilt = copy(template_db, folder, "office-rebuilt")
    with patch.object(events, "DEFER_INDEXES_AT", 1):
        merge_databases(rebuilt, kiosks[:1], backup=False, now=NOW + timedelta(days=1))
        merge_databases(rebuilt, kiosks, backup=False, now=NOW + timedelta(days=1))
        again = merge_databases(rebuilt, kiosks, backup=False, now=NOW + timedelta(days=1))
    assert again.new == 0
    assert snapshot(rebuilt) == snapshot(kept)
    assert _indexes(rebuilt) == _indexes(kept)
    db = open_db(rebuilt, create=False)
    try:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        # the rebuilt indexes answer the log's own queries
        assert events.latest_order_key(db) == max(
            ((r[0], r[1]) for r in db.execute("SELECT ts_utc, uuid FROM events")), default=None
        )  # days of decisions alone record no event: an empty log has no latest key
    finally:
        db.conn.close()


def _checkin_row(
    uuid: str,
    minute: int,
    contact: str,
    invited: str | None = None,
    brought: str | None = None,
    plain: bool = True,
) -> tuple:
    ts = (NOW + timedelta(minutes=minute)).isoformat(timespec="microseconds")
    payload = {"brought_by": brought, "contact_id": contact, "invited_by": invited,
               "owner_id": "ana", "proposals": [], "reason": "", "rule": "existing-owner"}  # fmt: skip
    # the booth's own form is applied undecoded, in the check-ins' batch; another is decoded
    text = json.dumps(payload, sort_keys=True) if plain else json.dumps(payload, indent=1)
    return (uuid, "kiosk-x", ts, "", ts, "", "checkin", text)


def _mark_row(uuid: str, minute: int, checkin: str, by: str, plain: bool) -> tuple:
    ts = (NOW + timedelta(minutes=minute)).isoformat(timespec="microseconds")
    payload = {"by": by, "checkin_id": checkin}
    # the booth's own form is applied undecoded, in the check-ins' batch; another is decoded
    text = json.dumps(payload, sort_keys=True) if plain else json.dumps(payload, indent=1)
    return (uuid, "kiosk-x", ts, "", ts, "", "checkin.received", text)


def _one_by_one(batch: appliers.CheckinBatch, event: events.Event) -> bool:
    batch.flush()
    return False  # the caller applies it


def _merged_as_replayed(template_db, folder, rows, size: int, table: str) -> list:
    """Merge `rows` into a copy of the office database with check-in batches of `size`; the
    rows `table` reads after it, checked equal after a replay applying each event on its own
    (no batch) and after a replay with the batch (the events decoded)."""
    db = open_db(copy(template_db, folder, "office"))
    try:
        with patch.object(appliers.CheckinBatch.__init__, "__defaults__", (size,)):
            assert events.merge_rows(db, rows, now=NOW + timedelta(days=1)) == (len(rows), 0)
        merged = db.execute(table).fetchall()
        with patch.object(appliers.CheckinBatch, "add", _one_by_one):
            events.rebuild(db)
        assert db.execute(table).fetchall() == merged
        events.rebuild(db)
        assert db.execute(table).fetchall() == merged
        return merged
    finally:
        db.conn.close()


mark_days = st.lists(
    st.one_of(
        st.tuples(st.just("checkin"), st.integers(0, 30), st.sampled_from(CONTACT_IDS)),
        st.tuples(
            st.just("mark"), st.integers(0, 30), st.integers(0, 12), st.sampled_from(PEOPLE),
            st.booleans(),
        ),
    ),
    min_size=1,
    max_size=40,
)  # fmt: skip


@settings(
    max_examples=examples(60),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(steps=mark_days, size=st.sampled_from([1, 2, 3, 1000]))
def test_received_marks_in_a_batch_give_the_tables_of_applying_them_one_by_one(
    template_db, tmp_path_factory, steps, size
):
    """Plain "received" marks join the check-ins' batch and are written after its
    check-ins (`appliers.CheckinBatch`), in a merge and in a replay (decoded). Marks stamped
    before their check-in, twice on one check-in, on one that never came, in another JSON
    form, and batches of every size: the check-ins come out as a replay applying each
    event on its own (`events.rebuild` without the batch)."""
    rows, checkins = [], 0
    for i, step in enumerate(steps):
        uuid = f"00000000-0000-4000-8000-{i:012d}"
        if step[0] == "checkin":
            rows.append(_checkin_row(uuid, step[1], step[2]))
            checkins += 1
        else:
            _, minute, target, by, plain = step
            rows.append(
                _mark_row(uuid, minute, f"00000000-0000-4000-8000-{target:012d}", by, plain)
            )
    merged = _merged_as_replayed(template_db, tmp_path_factory.mktemp("marks"), rows, size,
                                 "SELECT * FROM checkins ORDER BY id")  # fmt: skip
    assert len(merged) == checkins


who_brought = st.one_of(st.none(), st.sampled_from(PEOPLE))


@settings(
    max_examples=examples(40),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    steps=st.lists(
        st.tuples(
            st.integers(0, 30), st.sampled_from(CONTACT_IDS), who_brought, who_brought,
            st.booleans(),
        ),
        min_size=1,
        max_size=30,
    ),
    size=st.sampled_from([1, 2, 3, 1000]),
)  # fmt: skip
def test_checkins_nobody_invited_and_those_someone_did_share_a_batch_in_their_order(
    template_db, tmp_path_factory, steps, size
):
    """A check-in nobody invited or brought is queued without those two parameters and
    written by a statement of its own (`appliers._CHECKIN_UNINVITED_SQL`), the others by
    `_CHECKIN_SQL`, each run in its place (`CheckinBatch.flush`). Mixed, in either JSON
    form, in batches of every size: the check-ins, with their rowids, come out as a replay
    applying each event on its own."""
    rows = [
        _checkin_row(f"00000000-0000-4000-8000-{i:012d}", minute, contact, invited, brought, plain)
        for i, (minute, contact, invited, brought, plain) in enumerate(steps)
    ]
    merged = _merged_as_replayed(template_db, tmp_path_factory.mktemp("invited"), rows, size,
                                 "SELECT rowid, * FROM checkins ORDER BY rowid")  # fmt: skip
    assert len(merged) == len(rows)
    assert {(r[8], r[9]) for r in merged} == {(s[2], s[3]) for s in steps}
