"""Merging is idempotent, order-independent and commutative with new events (hypothesis).

Random booth days at several kiosks — check-ins, new visitors (often the same people at
two kiosks, so rule 6 disputes arise), away marks, preferences and manager decisions, at
random interleaved times — are merged in different orders and groupings. The booth tables
must always come out identical: they are a function of the union of the logs.
"""

from __future__ import annotations

import random
import shutil
import uuid
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk import booth, events
from kiosk.booth import BoothError, LeadInput
from kiosk.db import open_db
from kiosk.events import log as event_log
from kiosk.sync.merge import merge_databases
from tests.factory import CONFIG, NOW, build_db

TABLES = ("contacts", "contact_badges", "contact_aliases", "checkins", "leads", "proposals",
          "salespeople")  # fmt: skip
VISITORS = [
    LeadInput(name="Carla Souza", company="Luz Brasil", email="carla@luzbr.example", country="BR"),
    LeadInput(name="Omar Haddad", company="Gulf Light", country="AE", badge_id="BADGE-7"),
    LeadInput(name="Lena Vogel", company="Vogel Licht", email="lena@vogel.example", country="DE"),
    LeadInput(name="Omar Haddad", company="Gulf Light", email="omar@gulf.example", country="AE"),
]
PEOPLE = ["ana", "ben", "kenji", "luis", "marta"]

action = st.one_of(
    st.tuples(
        st.just("checkin"), st.sampled_from(["C1", "C2", "C3"]), st.sampled_from([None, *PEOPLE])
    ),
    st.tuples(st.just("lead"), st.integers(0, len(VISITORS) - 1), st.sampled_from([None, *PEOPLE])),
    st.tuples(st.just("away"), st.sampled_from(PEOPLE), st.booleans()),
    st.tuples(st.just("prefer"), st.sampled_from(["C1", "C2", "C3"]), st.sampled_from(PEOPLE)),
    st.tuples(st.just("decide"), st.booleans(), st.none()),
)
day = st.lists(st.tuples(st.integers(0, 40), action), min_size=1, max_size=5)


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("merge") / "template.db"
    build_db(path).conn.close()
    return path


def snapshot(path: Path) -> dict[str, list[tuple]]:
    db = open_db(path, create=False)
    try:
        return {t: sorted(db.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in TABLES}
    finally:
        db.conn.close()


def play(path: Path, kiosk_id: str, actions, rnd: random.Random) -> None:
    """One kiosk's day, with reproducible uuids.

    The uuid stream is seeded from hypothesis' random *and* the kiosk id: hypothesis
    shrinks its random towards zeros, and two kiosks must never mint the same uuid (real
    uuid4s do not collide), but the order of uuids — the replay tie-break — stays random.
    """
    db = open_db(path)
    cfg = replace(CONFIG, kiosk_id=kiosk_id)
    rng = random.Random(f"{kiosk_id}:{rnd.getrandbits(32)}")
    real_uuid4 = event_log.uuidlib.uuid4
    event_log.uuidlib.uuid4 = lambda: uuid.UUID(int=rng.getrandbits(128), version=4)
    try:
        for minute, (kind, a, b) in actions:
            when = NOW + timedelta(minutes=minute)
            try:
                if kind == "checkin":
                    booth.check_in(db, cfg, a, brought_by=b, now=when)
                elif kind == "lead":
                    booth.add_lead(db, cfg, replace(VISITORS[a], brought_by=b), now=when)
                elif kind == "away":
                    booth.set_away(db, cfg, a, b, now=NOW)
                elif kind == "prefer":
                    booth.set_preference(db, cfg, a, b, now=NOW)
                else:
                    row = db.execute(
                        "SELECT id FROM proposals WHERE status = 'open' ORDER BY id"
                    ).fetchone()
                    if row:
                        booth.decide_proposal(db, cfg, row[0], approve=a, actor="wei", now=NOW)
            except BoothError:
                pass
    finally:
        event_log.uuidlib.uuid4 = real_uuid4
        db.conn.close()


def copy(template: Path, folder: Path, name: str) -> Path:
    path = folder / f"{name}.db"
    shutil.copy(template, path)
    return path


def play_kiosks(template, tmp_path_factory, days, rnd) -> tuple[Path, list[Path]]:
    """A run's folder and one kiosk database per day of actions, each played on a copy."""
    folder = tmp_path_factory.mktemp("run")
    kiosks = []
    for i, actions in enumerate(days):
        path = copy(template, folder, f"kiosk-{i}")
        play(path, f"kiosk-{i}", actions, rnd)
        kiosks.append(path)
    return folder, kiosks


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(days=st.lists(day, min_size=2, max_size=3), rnd=st.randoms(use_true_random=False))
def test_merge_is_idempotent_and_order_independent(template, tmp_path_factory, days, rnd):
    folder, kiosks = play_kiosks(template, tmp_path_factory, days, rnd)

    one_by_one = copy(template, folder, "office-1")
    for k in kiosks:
        merge_databases(one_by_one, [k], backup=False, now=NOW + timedelta(days=1))
    all_reversed = copy(template, folder, "office-2")
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
       contact=st.sampled_from(["C1", "C2", "C3"]))  # fmt: skip
def test_merge_commutes_with_a_new_event(template, tmp_path_factory, days, rnd, contact):
    """Recording an office event before or after the merge gives the same tables."""
    folder, kiosks = play_kiosks(template, tmp_path_factory, days, rnd)
    # the office's own check-in, stamped after everything the kiosks did
    late = events.new_event(
        "checkin",
        {"contact_id": contact, "owner_id": "ben", "rule": "test", "reason": "office"},
        kiosk_id="office",
        ts=NOW + timedelta(hours=2),
    )
    before = copy(template, folder, "before")
    db = open_db(before)
    events.record(db, late)
    db.conn.close()
    merge_databases(before, kiosks, backup=False, now=NOW + timedelta(days=1))

    after = copy(template, folder, "after")
    merge_databases(after, kiosks, backup=False, now=NOW + timedelta(days=1))
    db = open_db(after)
    events.record(db, late)
    db.conn.close()
    assert snapshot(before) == snapshot(after)
