"""Late check-ins applied where they land (`kiosk.events.commute`), without replaying the log.

A busy booth with a hub pulls, on almost every round, check-ins another kiosk stamped a
moment before this kiosk's latest event, and most of them raise a manager item that is
already open (the engine proposes the same thing on every scan). Those must be applied in
place — a replay of tens of thousands of events every round held the kiosk's file for
seconds and refused scans — and still give exactly the tables of the log replayed in order.
"""

from __future__ import annotations

import random
import shutil
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk import booth, events
from kiosk.db import open_db
from tests.examples import examples
from tests.factory import CONFIG, NOW, build_db

TABLES = ("checkins", "proposals", "contacts")


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("late") / "template.db"
    build_db(path).conn.close()
    return path


@pytest.fixture
def replays(monkeypatch) -> list[int]:
    """Counts full replays of the log (a rebuild of the booth tables)."""
    calls: list[int] = []
    real = events._replay_all

    def counting(db):
        calls.append(1)
        return real(db)

    monkeypatch.setattr(events, "_replay_all", counting)
    return calls


def checkin_row(template: Path, folder: Path, contact: str, by: str | None, minute: float,
                kiosk: str = "kiosk-b") -> tuple[Any, ...]:  # fmt: skip
    """The stored row of one check-in made by the booth at NOW + minute (on a scratch copy,
    so nothing earlier moves its stamp)."""
    path = folder / f"scratch-{random.random()}.db"
    shutil.copy(template, path)
    db = open_db(path)
    try:
        booth.check_in(
            db, replace(CONFIG, kiosk_id=kiosk), contact, brought_by=by,
            now=NOW + timedelta(minutes=minute),
        )  # fmt: skip
        return db.execute(f"SELECT {events.COLUMNS} FROM events").fetchone()
    finally:
        db.conn.close()
        path.unlink()


def decision_row(path: Path, minute: float) -> tuple[Any, ...]:
    """The manager decides the open item on kiosk `path`; the decision's stored row."""
    db = open_db(path)
    try:
        (pid,) = db.execute("SELECT id FROM proposals WHERE status = 'open'").fetchone()
        booth.decide_proposal(db, CONFIG, pid, approve=False, actor="wei",
                              now=NOW + timedelta(minutes=minute))  # fmt: skip
        return db.execute(
            f"SELECT {events.COLUMNS} FROM events WHERE kind = 'proposal.decided'"
        ).fetchone()
    finally:
        db.conn.close()


def merged(template: Path, folder: Path, name: str, pages: list[list[tuple[Any, ...]]]) -> Path:
    """A fresh kiosk that received `pages` of rows one merge (one hub pull) at a time."""
    path = folder / f"{name}.db"
    shutil.copy(template, path)
    db = open_db(path)
    try:
        for page in pages:
            events.merge_rows(db, page, now=NOW + timedelta(hours=1))
    finally:
        db.conn.close()
    return path


def tables(path: Path, *, rebuild: bool = False) -> dict[str, list[tuple[Any, ...]]]:
    db = open_db(path)
    try:
        if rebuild:
            events.rebuild(db)
        return {t: sorted(db.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in TABLES}
    finally:
        db.conn.close()


def test_a_late_checkin_takes_over_the_item_a_later_checkin_raised(template, tmp_path, replays):
    later = checkin_row(template, tmp_path, "C3", None, 10, "kiosk-a")
    late = checkin_row(template, tmp_path, "C3", None, 5, "kiosk-b")
    path = merged(template, tmp_path, "pulled", [[later], [late]])
    assert replays == []
    db = open_db(path)
    (raised_by,) = db.execute("SELECT id FROM proposals WHERE status = 'open'").fetchone()
    db.conn.close()
    assert raised_by.startswith(late[0])  # the first in replay order raised it
    assert tables(path) == tables(path, rebuild=True)


def test_a_late_checkin_meets_the_item_an_earlier_one_raised(template, tmp_path, replays):
    first = checkin_row(template, tmp_path, "C3", "kenji", 1, "kiosk-a")
    last = checkin_row(template, tmp_path, "C1", None, 10, "kiosk-a")
    late = checkin_row(template, tmp_path, "C3", "luis", 5, "kiosk-b")
    path = merged(template, tmp_path, "pulled", [[first, last], [late]])
    assert replays == []
    assert tables(path) == tables(path, rebuild=True)


def test_a_decision_after_a_late_checkin_still_replays(template, tmp_path, replays):
    first = checkin_row(template, tmp_path, "C3", None, 1, "kiosk-a")
    path = merged(template, tmp_path, "decided", [[first]])
    decided = decision_row(path, 10)  # rejected: the late scan must not raise it again
    late = checkin_row(template, tmp_path, "C3", None, 5, "kiosk-b")
    other = merged(template, tmp_path, "pulled", [[first, decided], [late]])
    assert replays == [1]
    assert tables(other) == tables(other, rebuild=True)


def test_a_late_checkin_raising_an_item_a_later_decision_closes_replays(
    template, tmp_path, replays
):
    """Kiosk A: the customer asks for Ana, the manager approves (Ana owns C3 now). Kiosk B
    scanned C3 a minute earlier, still Ben's: a conflict raised against Ben, which A's
    decision closes as out of date in the log's order. Applied in place, it stayed open
    (the hub property test found it): the decision names neither the scan nor its item."""
    path = tmp_path / "a.db"
    shutil.copy(template, path)
    db = open_db(path)
    try:
        booth.set_preference(db, CONFIG, "C3", "ana", now=NOW + timedelta(minutes=10))
        (pid,) = db.execute("SELECT id FROM proposals WHERE status = 'open'").fetchone()
        booth.decide_proposal(
            db, CONFIG, pid, approve=True, actor="wei", now=NOW + timedelta(minutes=11)
        )
        rows = db.execute(f"SELECT {events.COLUMNS} FROM events ORDER BY rowid").fetchall()
    finally:
        db.conn.close()
    late = checkin_row(template, tmp_path, "C3", None, 5, "kiosk-b")
    assert "reassign" in late[7]  # the scan raised an item against Ben
    pulled = merged(template, tmp_path, "pulled", [rows, [late]])
    assert replays == [1]
    assert tables(pulled) == tables(pulled, rebuild=True)


def test_a_local_scan_stamped_before_a_pull_is_recorded_in_place(template, tmp_path, replays):
    """The race of a kiosk with a hub: the scan was stamped, a pull landed a later event of
    another kiosk, then the scan was recorded."""
    pulled = checkin_row(template, tmp_path, "C3", None, 10, "kiosk-a")
    here = checkin_row(template, tmp_path, "C3", None, 5, "kiosk-b")
    path = merged(template, tmp_path, "kiosk-b", [[pulled]])
    db = open_db(path)
    events.record(db, events.event_from_row(here))
    db.conn.close()
    assert replays == []
    in_order = merged(template, tmp_path, "in-order", [[here, pulled]])
    assert tables(path) == tables(in_order)


scan = st.tuples(
    st.sampled_from(["C1", "C2", "C3"]),
    st.sampled_from([None, "ana", "ben", "kenji", "luis", "marta"]),
    st.integers(0, 30),
    st.sampled_from(["kiosk-a", "kiosk-b", "kiosk-c"]),
)


@settings(
    max_examples=examples(25),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(scans=st.lists(scan, min_size=2, max_size=8), rnd=st.randoms(use_true_random=False))
def test_pulls_in_any_order_give_the_replayed_tables(template, tmp_path_factory, scans, rnd):
    """Check-ins arriving a few at a time in any order (hub pulls) end as one replay."""
    folder = tmp_path_factory.mktemp("pulls")
    rows = [checkin_row(template, folder, c, b, m, k) for c, b, m, k in scans]
    rnd.shuffle(rows)
    pages, i = [], 0
    while i < len(rows):
        n = rnd.randint(1, 3)
        pages.append(rows[i : i + n])
        i += n
    pulled = merged(template, folder, "pulled", pages)
    assert tables(pulled) == tables(pulled, rebuild=True)


def test_two_late_checkins_raising_one_item_apply_in_place(template, tmp_path, replays):
    """A kiosk catching up pulls pages in which many late scans raise the same item."""
    last = checkin_row(template, tmp_path, "C1", None, 10, "kiosk-a")
    later = checkin_row(template, tmp_path, "C3", None, 8, "kiosk-a")
    first = checkin_row(template, tmp_path, "C3", "kenji", 3, "kiosk-b")
    second = checkin_row(template, tmp_path, "C3", "luis", 6, "kiosk-c")
    path = merged(template, tmp_path, "pulled", [[later, last], [second, first]])
    assert replays == []
    db = open_db(path)
    raised = {
        r[0].split(":")[0] for r in db.execute("SELECT id FROM proposals WHERE kind = 'reassign'")
    }
    db.conn.close()
    assert raised == {first[0]}
    assert tables(path) == tables(path, rebuild=True)
