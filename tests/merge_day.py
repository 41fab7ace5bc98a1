"""Kiosk B's day, for the merge tests that set another kiosk's file aside or compare it:
the test company's database, and a copy where kiosk B filed a lead and checked a CRM
customer in (tests/core/test_merge_validation.py, tests/core/test_merge_copies.py)."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from kiosk import booth
from kiosk.booth import LeadInput
from kiosk.db import open_db
from tests.factory import CONFIG, NOW, build_db

CARLA = LeadInput(
    name="Carla Souza", company="Luz Brasil Ltda.", email="carla@luzbr.example", country="BR"
)


def company(folder: Path) -> Path:
    """The test company's database, in `folder`."""
    path = folder / "base.db"
    build_db(path).conn.close()
    return path


def kiosk_b_day(base: Path) -> Path:
    """Kiosk B's day beside `base`: a lead (Carla) and a check-in of a CRM customer."""
    path = base.with_name("kiosk-b.db")
    shutil.copy(base, path)
    db = open_db(path)
    cfg = replace(CONFIG, kiosk_id="kiosk-b")
    booth.add_lead(db, cfg, CARLA, now=NOW)
    customer = db.execute("SELECT id FROM contacts WHERE crm_id = 'C1'").fetchone()[0]
    booth.check_in(db, cfg, customer, now=NOW + timedelta(minutes=5))
    db.conn.close()
    return path


def copy(path: Path, folder: Path, name: str) -> Path:
    out = folder / name
    shutil.copy(path, out)
    return out
