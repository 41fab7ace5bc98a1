"""Kiosks syncing through the hub converge to what one `kiosk merge` of their files gives.

Hypothesis plays N kiosks whose clocks are off by minutes, each with a booth day of
actions (check-ins, new visitors — often the same people at two kiosks, so disputes arise
—, away marks, preferences, manager decisions); between actions, kiosks sync in a random
order, and each kiosk is offline (its rounds fail) for a random stretch. At the end every
kiosk syncs until nothing moves: all must hold identical tables, equal to one `kiosk merge`
of all the files into a fresh copy of the CRM import.

Each example is a show of its own on one hub (the hub keeps shows apart), so examples
share the test's database without meeting.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.db import get_meta, open_db, set_meta
from kiosk.hub.connection import connect
from kiosk.hub.sync import sync_once, sync_round
from kiosk.sync.merge import merge_databases
from tests.booth_days import action, play_step
from tests.examples import examples
from tests.factory import CONFIG, NOW
from tests.hub.conftest import kiosk_file, snapshot

pytestmark = pytest.mark.pg


kiosk_day = st.tuples(
    st.integers(-5, 5),  # this kiosk's clock, minutes off
    st.lists(st.tuples(st.integers(0, 40), action), min_size=1, max_size=5),
    st.tuples(st.integers(0, 8), st.integers(0, 6)),  # offline from step, for so many steps
)


@pytest.mark.slow
@settings(
    max_examples=examples(8),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.large_base_example],
)
@given(days=st.lists(kiosk_day, min_size=2, max_size=3), order=st.randoms(use_true_random=False))
def test_kiosks_syncing_through_the_hub_converge_to_one_merge(
    hub_url, template_db, tmp_path_factory, days, order
):
    folder = tmp_path_factory.mktemp("hubrun")
    show = f"show-{uuid.uuid4().hex[:8]}"
    kiosks = []
    for i in range(len(days)):
        path = kiosk_file(template_db, folder, f"kiosk-{i}")
        db = open_db(path, create=False)
        set_meta(db, "show_id", show)
        kiosks.append((path, db, replace(CONFIG, kiosk_id=f"kiosk-{i}")))
    queues = [list(actions) for _, actions, _ in days]
    conn = connect(hub_url)  # one connection for the rounds: the test stays fast
    step = 0
    while any(queues):
        i = order.randrange(len(kiosks))
        path, db, cfg = kiosks[i]
        skew, _, (start, length) = days[i]
        if queues[i] and order.random() < 0.6:
            play_step(db, cfg, queues[i].pop(0), skew=skew)
        elif not start <= step < start + length:  # online: a round
            sync_round(db, conn, hub_url, kiosk_id=cfg.kiosk_id, now=NOW + timedelta(minutes=skew))
        step += 1
    conn.close()
    for _ in range(2):  # everyone back online: rounds until nothing moves
        for _, db, cfg in kiosks:
            sync_once(db, hub_url, kiosk_id=cfg.kiosk_id, now=NOW + timedelta(hours=1))
    for _, db, _ in kiosks:
        assert get_meta(db, "show_id") == show
        db.conn.close()

    office = kiosk_file(template_db, folder, "office")
    db = open_db(office, create=False)
    set_meta(db, "show_id", show)
    db.conn.close()
    merge_databases(office, [p for p, _, _ in kiosks], now=NOW + timedelta(hours=2), backup=False)
    expected = snapshot(office)
    for path, _, _ in kiosks:
        assert snapshot(path) == expected
