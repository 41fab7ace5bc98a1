"""The rotation tally kept by triggers equals the count over every lead and check-in.

Round-robin territory rules pick the salesperson with the fewest visitors from that rule
so far (`store.rotation_counts`). The tally used to be a GROUP BY over all leads and
check-ins on every check-in; it is now kept by the appliers that write a territory rule and emptied by a
replay's resets (`kiosk.db.m015_rotation_tally`).
Random sequences of walk-ins, leads on the same visitors, known check-ins, away marks,
merges between two kiosks and rebuilds must leave it equal to that GROUP BY on every
kiosk after every step — which is what makes every routing answer the same as before.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk import booth, events
from kiosk.booth import BoothError, LeadInput
from kiosk.db import open_db
from kiosk.models import Contact
from kiosk.store import rotation_counts
from kiosk.sync.merge import merge_databases
from tests.examples import examples
from tests.factory import CONFIG, NOW, before_migration

# What rotation_counts returned before the tally, word for word: the reference.
FULL_COUNT = (
    "SELECT territory_rule_id, owner_id, count(DISTINCT contact_id) FROM ("
    " SELECT territory_rule_id, owner_id, contact_id FROM leads"
    " WHERE territory_rule_id IS NOT NULL AND owner_id IS NOT NULL"
    " UNION ALL SELECT territory_rule_id, owner_id, contact_id FROM checkins"
    " WHERE territory_rule_id IS NOT NULL AND owner_id IS NOT NULL"
    ") GROUP BY territory_rule_id, owner_id"
)

# Unknown visitors: three from the LATAM region (round-robin between luis and marta), one
# each for a country rule and the default rule. A lead on the same e-mail is the walk-in's
# contact, so the same visitor is named by a check-in and a lead (counted once).
WALKERS = [
    ("Carla Souza", "Luz Brasil", "carla@luzbr.example", "BR"),
    ("Diego Ruiz", "Ruiz Iluminación", "diego@ruiz.example", "MX"),
    ("Sofía Pérez", "Luminar SA", "sofia@luminar.example", "AR"),
    ("Aiko Mori", "Mori Denki", "aiko@mori.example", "JP"),
    ("Lena Vogel", "Vogel Licht", "lena@vogel.example", "DE"),
]
PEOPLE = ["ana", "ben", "kenji", "luis", "marta"]

step = st.one_of(
    st.tuples(st.just("walkin"), st.integers(0, len(WALKERS) - 1), st.integers(0, 1)),
    st.tuples(st.just("lead"), st.integers(0, len(WALKERS) - 1), st.integers(0, 1)),
    st.tuples(st.just("checkin"), st.sampled_from(["C1", "C2", "C3"]), st.integers(0, 1)),
    st.tuples(st.just("away"), st.sampled_from(PEOPLE), st.integers(0, 1)),
    st.tuples(st.just("merge"), st.none(), st.integers(0, 1)),
    st.tuples(st.just("rebuild"), st.none(), st.integers(0, 1)),
)


def full_count(db) -> dict[tuple[int, str], int]:
    return {(r[0], r[1]): r[2] for r in db.execute(FULL_COUNT).fetchall()}


def assert_tally_true(path: Path) -> None:
    db = open_db(path, create=False)
    try:
        assert rotation_counts(db) == full_count(db)
        assert not db.execute("SELECT 1 FROM rotation_visitors WHERE rows <= 0").fetchall()
    finally:
        db.conn.close()


def play(path: Path, other: Path, kiosk_id: str, kind: str, arg, minute: int) -> None:
    if kind == "merge":
        merge_databases(path, [other], backup=False, now=NOW + timedelta(days=1))
        return
    db = open_db(path, create=False)
    cfg = replace(CONFIG, kiosk_id=kiosk_id)
    when = NOW + timedelta(minutes=minute)
    try:
        if kind == "walkin":
            name, company, email, country = WALKERS[arg]
            visitor = Contact(id=None, name=name, company=company, email=email, country=country)
            booth.walk_in(db, cfg, visitor, now=when)
        elif kind == "lead":
            name, company, email, country = WALKERS[arg]
            lead = LeadInput(name=name, company=company, email=email, country=country)
            booth.add_lead(db, cfg, lead, now=when)
        elif kind == "checkin":
            booth.check_in(db, cfg, arg, now=when)
        elif kind == "away":
            booth.set_away(db, cfg, arg, minute % 2 == 0, now=when)
        else:
            events.rebuild(db)
    except BoothError:
        pass  # a step the booth refuses (a walk-in already known, away twice) changes nothing
    finally:
        db.conn.close()


@pytest.mark.slow
@settings(
    max_examples=examples(25),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(steps=st.lists(step, min_size=1, max_size=14))
def test_tally_equals_the_full_count_after_every_step(template_db, tmp_path_factory, steps):
    folder = tmp_path_factory.mktemp("tally")
    kiosks = [folder / "a.db", folder / "b.db"]
    for path in kiosks:
        shutil.copyfile(template_db, path)
    for minute, (kind, arg, which) in enumerate(steps):
        play(kiosks[which], kiosks[1 - which], f"kiosk-{which}", kind, arg, minute)
        assert_tally_true(kiosks[which])


def test_round_robin_moves_on_with_each_walk_in(db):
    """Three LATAM walk-ins (rule #5) alternate between luis and marta, as the full count made them."""
    owners = []
    for i, (name, company, email, country) in enumerate(WALKERS[:3]):
        visitor = Contact(id=None, name=name, company=company, email=email, country=country)
        owners.append(booth.walk_in(db, CONFIG, visitor, now=NOW + timedelta(minutes=i)))
    assert [w.decision.salesperson_id for w in owners] == ["luis", "marta", "luis"]
    assert rotation_counts(db) == full_count(db) == {(5, "luis"): 2, (5, "marta"): 1}


def test_migration_counts_the_rows_already_there(db_path):
    """A database from before the tally gets it filled from its leads and check-ins."""
    db = open_db(db_path, create=False)
    for i, (name, company, email, country) in enumerate(WALKERS):
        visitor = Contact(id=None, name=name, company=company, email=email, country=country)
        booth.walk_in(db, CONFIG, visitor, now=NOW + timedelta(minutes=i))
    booth.add_lead(
        db, CONFIG, LeadInput(name="Ana Lima", country="BR"), now=NOW + timedelta(hours=1)
    )
    expected = full_count(db)
    # back to the schema before m014: no tables, the migration not applied
    db.execute("DROP TABLE rotation_visitors")
    db.execute("DROP TABLE rotation_tally")
    before_migration(db, "m015_rotation_tally")
    db.conn.commit()
    db.conn.close()
    db = open_db(db_path, create=False)
    assert len(expected) >= 3 and rotation_counts(db) == expected
