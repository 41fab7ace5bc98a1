"""The booth events replayed aside after a CRM import and written as a diff in slices
(`kiosk.events.aside`, issue 12 §5): the result is the log's full replay, and the booth's
file is not locked while the log is replayed."""

from __future__ import annotations

import json
import random
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kiosk import booth, bulk, events
from kiosk.db import open_db
from kiosk.events import aside
from kiosk.sync.imports import import_csv
from tests.booth_days import PEOPLE, VISITORS, action, play_step
from tests.examples import examples
from tests.factory import CONFIG, NOW

HEADER = "crm_id,name,company,email,owner,assistant,preferred,badge_ids"
# every table a replay writes (rotation_tally through rotation_visitors' triggers)
TABLES = (
    "contacts", "contact_badges", "contact_aliases", "checkins", "leads", "proposals",
    "salespeople", "invitations", "dispute_notes", "arrangements", "undone_decisions",
    "rotation_tally", "rotation_visitors", "meta",
)  # fmt: skip
EMAILS = ["", "yuki@tanaka.example", "carla@luzbr.example", "lena@vogel.example",
          "omar@gulf.example", "jose@luces.example"]  # fmt: skip
BADGES = ["", "B-100", "BADGE-7", "B-300"]
NAMES = {"C1": "Yuki Tanaka", "C2": "José Martínez", "C3": "王小明", "C4": "Omar H", "C5": "Lena V"}

# A CRM row of the import: one of the test company's contacts (or a new one) with an
# e-mail and badge the booth's visitors may also have, and owners.
crm_row = st.tuples(
    st.sampled_from(sorted(NAMES)),
    st.sampled_from(EMAILS),
    st.sampled_from([None, *PEOPLE]),
    st.sampled_from([None, *PEOPLE]),
    st.sampled_from([None, *PEOPLE]),
    st.sampled_from(BADGES),
)
booth_day = st.lists(st.tuples(st.integers(0, 60), action), min_size=1, max_size=14)


def _snapshot(path: Path) -> dict[str, list[tuple]]:
    db = open_db(path, create=False)
    try:
        return {t: sorted(db.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in TABLES}
    finally:
        db.conn.close()


def _rebuilt(path: Path, tmp: Path) -> dict[str, list[tuple]]:
    """The tables a full replay of `path`'s log makes (on a copy)."""
    copy = tmp / f"rebuilt-{path.name}"
    shutil.copyfile(path, copy)
    db = open_db(copy, create=False)
    events.rebuild(db)
    db.conn.close()
    return _snapshot(copy)


def _crm_file(path: Path, rows: list[tuple]) -> Path:
    seen: set[str] = set()
    lines = [HEADER]
    for cid, email, owner, assistant, preferred, badge in rows:
        if cid in seen or (badge and any(f",{badge}" in line for line in lines[1:])):
            continue  # one row per contact, one contact per badge
        seen.add(cid)
        cells = [cid, NAMES[cid], "Import Co", email, owner, assistant, preferred, badge]
        lines.append(",".join(c or "" for c in cells))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _play(path: Path, steps, seed: int) -> None:
    db = open_db(path, create=False)
    rnd = random.Random(seed)
    try:
        for step in steps:
            play_step(db, CONFIG, step, skew=rnd.choice([0, 0, 1]))
    finally:
        db.conn.close()


@pytest.fixture
def replays(monkeypatch):
    """The `AsideReport` of every replay an import makes."""
    seen: list[aside.AsideReport] = []
    real = aside.replay_aside

    def spy(db, **kw):
        report = real(db, **kw)
        seen.append(report)
        return report

    monkeypatch.setattr(aside, "replay_aside", spy)
    return seen


imports = st.lists(crm_row, min_size=1, max_size=5)


@pytest.mark.slow
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=examples(60))
@given(day=booth_day, crm=imports, later=booth_day, crm2=imports, seed=st.integers(0, 2**16))
# Omar's lead finds C4 by the badge the first import gave it; the second takes the badge
# away, so his lead makes a booth contact again, with the badge
@example(
    day=[(0, ("checkin", "C1", None))], crm=[("C4", "", "ana", None, None, "BADGE-7")],
    later=[(0, ("lead", 1, None))], crm2=[("C4", "", "ana", None, None, "")], seed=0,
)  # fmt: skip
def test_a_replay_aside_gives_the_tables_of_a_full_replay(
    template_db, tmp_path_factory, day, crm, later, crm2, seed
):
    """Whatever the booth did and whatever the import changes (an e-mail or a badge that
    now names a CRM contact instead of a booth visitor or no longer does, new owners), the
    booth tables after the import are those a full replay of the log makes on the new CRM
    data; and so are they after a second import, when booth events were made in between."""
    tmp = tmp_path_factory.mktemp("aside")
    path = tmp / "kiosk.db"
    shutil.copyfile(template_db, path)
    _play(path, day, seed)
    reports: list[aside.AsideReport] = []
    real = aside.replay_aside
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            aside, "replay_aside", lambda db, **kw: reports.append(real(db, **kw)) or reports[-1]
        )
        db = open_db(path, create=False)
        import_csv(db, "contacts", _crm_file(tmp / "crm.csv", crm))
        db.conn.close()
        assert _snapshot(path) == _rebuilt(path, tmp)
        _play(path, [(m + 61, a) for m, a in later], seed + 1)
        db = open_db(path, create=False)
        import_csv(db, "contacts", _crm_file(tmp / "crm2.csv", crm2))
        db.conn.close()
        assert _snapshot(path) == _rebuilt(path, tmp)
    assert all(r.fallback is None or "before one the database keeps" in r.fallback for r in reports)


def _carla_is_now_a_crm_contact(tmp: Path) -> Path:
    """An import that gives C1 the e-mail of the booth's lead Carla (her lead now names
    C1) and C3 new owners."""
    return _crm_file(
        tmp / "crm.csv",
        [("C1", "carla@luzbr.example", "ben", None, None, "B-100"),
         ("C3", "wang@mingliang.example", "kenji", "ana", None, "B-300")],
    )  # fmt: skip


def _busy_day(path: Path, n: int = 40) -> None:
    db = open_db(path, create=False)
    try:
        for i in range(n):
            when = NOW + timedelta(minutes=i)
            if i % 5 == 0:
                booth.add_lead(db, CONFIG, VISITORS[i % len(VISITORS)], now=when)
            else:
                booth.check_in(db, CONFIG, ["C1", "C2", "C3"][i % 3], now=when)
    finally:
        db.conn.close()


def test_a_booth_write_goes_through_at_once_while_the_log_is_replayed(
    db_path, tmp_path, monkeypatch, replays
):
    """Issue 12 §5: the replay after an import held the write lock for the whole log (one
    transaction: 0.19–0.41 s at the torture's 2,500 events, seconds on a show day). A
    check-in made while the log's events are being applied, by a kiosk that waits 50 ms
    at most, goes through; the tables are then the full replay of the log with it."""
    _busy_day(db_path)
    kiosk = open_db(db_path, create=False)
    kiosk.execute("PRAGMA busy_timeout = 50")
    done: list[str] = []
    real = events.iter_events

    def replaying(db, **kw):
        for i, event in enumerate(real(db, **kw)):
            if i == 20 and not done:  # in the middle of the replay
                done.append(
                    booth.check_in(kiosk, CONFIG, "C2", now=NOW + timedelta(hours=2)).event.uuid
                )
            yield event

    monkeypatch.setattr(events, "iter_events", replaying)
    db = open_db(db_path, create=False)
    import_csv(db, "contacts", _carla_is_now_a_crm_contact(tmp_path))
    db.conn.close()
    kiosk.conn.close()
    assert done  # the check-in went through (on a rebuild in one transaction: locked)
    assert _snapshot(db_path) == _rebuilt(db_path, tmp_path)
    stored = open_db(db_path, create=False).execute("SELECT 1 FROM checkins WHERE id = ?", done)
    assert stored.fetchone()
    assert [r.fallback for r in replays] == [None]


def test_a_long_diff_is_written_in_short_slices_and_a_write_between_them_is_replayed(
    db_path, tmp_path
):
    """The diff goes in slices of the pace's rows, each its own transaction; a booth
    write between two slices grows the log, so the next slice writes nothing and another
    pass brings the replica and the diff up to date: the result is still the full replay.
    The write is a lead from another kiosk stamped before the whole day (a hub pull):
    it creates Carla's booth contact and the day's leads for her become later claims, so
    the replica must be replayed again, not the lead applied on top."""
    _busy_day(db_path, 60)
    csv = _carla_is_now_a_crm_contact(tmp_path)
    db = open_db(db_path, create=False)
    with pytest.MonkeyPatch.context() as patch:  # the import's rows, without a replay yet
        patch.setattr("kiosk.sync.imports._replay", lambda db, report: None)
        import_csv(db, "contacts", csv)
    kiosk = open_db(db_path, create=False)
    steps: list[str] = []

    def between(step: str) -> None:
        steps.append(step)
        if steps.count("slice") == 3 and step == "slice":
            (payload,) = kiosk.execute(
                "SELECT payload FROM events WHERE kind = 'lead.created' ORDER BY ts_utc LIMIT 1"
            ).fetchone()
            claim = json.loads(payload) | {"owner_id": "ben", "brought_by": "ben"}
            late = events.new_event("lead.created", claim, kiosk_id="kiosk-behind",
                                    ts=NOW - timedelta(minutes=1))  # fmt: skip
            assert events.merge_events(kiosk, [late]) == (1, 0)

    slices = bulk.Slices(db.conn, rows=2, max_rows=2)
    try:
        report = aside.replay_aside(db, slices=slices, between=between)
    finally:
        db.conn.close()
        kiosk.conn.close()
    assert report.fallback is None
    assert report.diffs[0] > 4  # a diff of several slices' rows
    # three slices of two rows each, then the log had grown: a second pass (where the
    # kiosk's own replay of its late lead had already made the tables the full replay)
    assert report.passes == 2 and report.slices == 3 and report.rows == 6
    assert _snapshot(db_path) == _rebuilt(db_path, tmp_path)
    assert steps[:5] == ["replayed", "diffed", "slice", "slice", "slice"]


def test_nothing_is_written_when_the_replay_changes_nothing(db_path, tmp_path):
    """An import of contacts no event reaches: the diff is empty and no slice is written."""
    _busy_day(db_path)
    db = open_db(db_path, create=False)
    path = tmp_path / "other.csv"
    path.write_text(HEADER + "\nC9,Nils Holm,Holm AB,nils@holm.example,ana,,,B-900\n", "utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("kiosk.sync.imports._replay", lambda db, report: None)
        import_csv(db, "contacts", path)
    report = aside.replay_aside(db)
    (logged,) = db.execute("SELECT count(*) FROM events").fetchone()
    db.conn.close()
    assert report.fallback is None and report.diffs == [0] and report.slices == 0
    assert report.replayed == logged
    assert _snapshot(db_path) == _rebuilt(db_path, tmp_path)
