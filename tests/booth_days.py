"""Random booth days for the property tests that merge or sync several kiosks.

A day is a list of (minute, action) steps: check-ins, new visitors (often the same people
at two kiosks, so rule 6 disputes arise), away marks, preferences and manager decisions
(approvals, the workbench's settlements, and undoing them).
`play_step` does one step on a kiosk database; `play_kiosks` plays whole days, one kiosk
file each, with reproducible uuids. The merge properties (`tests/core/test_merge_properties.py`,
`test_clock_properties.py`) and the hub's convergence property (`tests/hub/`) share them, so
all of them exercise the same booth.
"""

from __future__ import annotations

import random
import shutil
import uuid
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import strategies as st

from kiosk import booth, disputes
from kiosk.booth import BoothError, LeadInput
from kiosk.config import ShowConfig
from kiosk.db import open_db
from kiosk.disputes import DisputeError
from kiosk.events import log as event_log
from tests.factory import CONFIG, NOW

TABLES = ("contacts", "contact_badges", "contact_aliases", "checkins", "leads", "proposals",
          "salespeople", "arrangements", "undone_decisions")  # fmt: skip
VISITORS = [
    LeadInput(name="Carla Souza", company="Luz Brasil", email="carla@luzbr.example", country="BR"),
    LeadInput(name="Omar Haddad", company="Gulf Light", country="AE", badge_id="BADGE-7"),
    LeadInput(name="Lena Vogel", company="Vogel Licht", email="lena@vogel.example", country="DE"),
    LeadInput(name="Omar Haddad", company="Gulf Light", email="omar@gulf.example", country="AE"),
]
PEOPLE = ["ana", "ben", "kenji", "luis", "marta"]
# The test company's contacts (tests/factory.py), whose ids are their CRM ids.
CONTACT_IDS = ["C1", "C2", "C3"]

action = st.one_of(
    st.tuples(st.just("checkin"), st.sampled_from(CONTACT_IDS), st.sampled_from([None, *PEOPLE])),
    st.tuples(st.just("lead"), st.integers(0, len(VISITORS) - 1), st.sampled_from([None, *PEOPLE])),
    st.tuples(st.just("away"), st.sampled_from(PEOPLE), st.booleans()),
    st.tuples(st.just("prefer"), st.sampled_from(CONTACT_IDS), st.sampled_from(PEOPLE)),
    st.tuples(st.just("decide"), st.booleans(), st.none()),
    # at the workbench: settle the first open item, or undo the latest settlement
    st.tuples(st.just("settle"), st.booleans(), st.none()),
    st.tuples(st.just("undo"), st.none(), st.none()),
)
day = st.lists(st.tuples(st.integers(0, 40), action), min_size=1, max_size=5)


def play_step(db, cfg: ShowConfig, step, *, skew: int = 0) -> None:
    """One step of a day at NOW + its minute (+ the kiosk's clock `skew` in minutes); a step
    the booth refuses (a decision with nothing open, a person already away …) is a no-op."""
    minute, (kind, a, b) = step
    when = NOW + timedelta(minutes=minute + skew)
    try:
        if kind == "checkin":
            booth.check_in(db, cfg, a, brought_by=b, now=when)
        elif kind == "lead":
            booth.add_lead(db, cfg, replace(VISITORS[a], brought_by=b), now=when)
        elif kind == "away":
            booth.set_away(db, cfg, a, b, now=when)
        elif kind == "prefer":
            booth.set_preference(db, cfg, a, b, now=when)
        elif kind == "undo":
            row = db.execute(
                "SELECT proposal_id FROM arrangements WHERE outcome <> 'deferred'"
                " ORDER BY julianday(decided_at) DESC, decided_at DESC, id DESC"
            ).fetchone()
            if row:
                disputes.undo(db, cfg, row[0], actor="wei", now=when)
        else:
            row = db.execute(
                "SELECT id FROM proposals WHERE status = 'open' ORDER BY id"
            ).fetchone()
            if row and kind == "settle":
                disputes.decide(db, cfg, row[0], approve=a, actor="wei", now=when)
            elif row:
                booth.decide_proposal(db, cfg, row[0], approve=a, actor="wei", now=when)
    except (BoothError, DisputeError):
        pass


def play(path: Path, kiosk_id: str, actions, rnd: random.Random) -> None:
    """One kiosk's day, with reproducible uuids.

    The uuid stream is seeded from hypothesis' random *and* the kiosk id: hypothesis
    shrinks its random towards zeros, and two kiosks must never mint the same uuid (real
    uuid4s do not collide), but the order of uuids — the replay tie-break — stays random.
    """
    db = open_db(path)
    cfg = replace(CONFIG, kiosk_id=kiosk_id)
    rng = random.Random(f"{kiosk_id}:{rnd.getrandbits(32)}")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            event_log.uuidlib, "uuid4", lambda: uuid.UUID(int=rng.getrandbits(128), version=4)
        )
        try:
            for step in actions:
                play_step(db, cfg, step)
        finally:
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


def snapshot(path: Path) -> dict[str, list[tuple]]:
    """Every row of the tables the kiosks must agree on, in an order that does not depend on
    the order the events were applied in."""
    db = open_db(path, create=False)
    try:
        return {t: sorted(db.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in TABLES}
    finally:
        db.conn.close()
