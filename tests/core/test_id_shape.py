"""A bare code that does not look like this show's badge ids is refused, not made into a
nameless walk-in (a misread fragment, a product barcode, a phone number typed into the
scan field paged a salesperson for nobody)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kiosk.contact_rows import insert_contacts
from kiosk.visits import VisitService
from kiosk.visits.id_shape import SAMPLE_MIN, learn, shape
from tests.factory import CONFIG, NOW


def test_shapes():
    assert shape("GLE26-0821236") == "AAA99-9999999"
    assert shape("09071526406") == "99999999999"


@given(st.lists(st.from_regex(r"EXPO-[0-9]{6}", fullmatch=True), min_size=SAMPLE_MIN))
def test_regular_ids_are_learnt_and_fit(ids):
    known = learn(ids)
    assert known is not None and known.fits("EXPO-123456") and known.example in ids
    assert not known.fits("EXPO") and not known.fits("4006381333931")


def test_few_or_mixed_ids_teach_nothing():
    assert learn([f"EXPO-{i:06d}" for i in range(SAMPLE_MIN - 1)]) is None
    mixed = [f"EXPO-{i:06d}" if i % 3 else f"{i:08d}" for i in range(300)]
    assert learn(mixed) is not None  # two shapes, each common: both kept
    noisy = [f"{'X' * (i % 30)}-{i}" for i in range(300)]
    assert learn(noisy) is None


def booth_rows(db, table):
    return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_a_code_of_another_shape_is_refused_and_records_nothing(db):
    insert_contacts(db, [
        dict(crm_id=f"X{i}", name=f"Visitor {i}", country="DE", badge_ids=f"EXPO-{i:06d}")
        for i in range(SAMPLE_MIN)
    ])  # fmt: skip
    visits = VisitService(db, CONFIG, clock=lambda: NOW)
    before = booth_rows(db, "checkins")
    for junk in ("EXPO-12", "4006381333931", "09071526406"):
        visit = visits.resolve(junk, record=True)
        assert visit.status == "unreadable" and visit.walkin is False
        assert (visit.unlike or "").startswith("EXPO-")
    assert booth_rows(db, "checkins") == before
    walk_in = visits.resolve("EXPO-999999", record=True)  # this show's, not on file
    assert walk_in.walkin and booth_rows(db, "checkins") == before + 1
    known = visits.resolve("EXPO-000007", record=True)
    assert known.contact.name == "Visitor 7"


def test_the_cli_says_what_the_show_badges_look_like(dbpath):
    from kiosk.db import open_db
    from tests.cli.common import run

    db = open_db(dbpath, create=False)
    insert_contacts(db, [
        dict(crm_id=f"X{i}", name=f"Visitor {i}", country="DE", badge_ids=f"EXPO-{i:06d}")
        for i in range(SAMPLE_MIN)
    ])  # fmt: skip
    db.conn.close()
    result = run("checkin", "4006381333931", db=dbpath)
    assert result.exit_code == 2
    assert "does not look like this show's badges (they read like EXPO-0000" in result.output
