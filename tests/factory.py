"""A small, fully known company for tests: five salespeople, ordered territory rules, and
contacts chosen to exercise every ownership rule. Built into a real SQLite file."""

from __future__ import annotations

import csv
import tomllib
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from kiosk.config import parse_config
from kiosk.contact_rows import insert_contacts
from kiosk.db import known_migrations, open_db, set_meta
from kiosk.pins import set_pin

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
# The one show definition of the tests: the TOML a CLI test stores in its database, and
# parsed, the config every other test passes.
SHOW = """
[show]
id = "test-show"
name = "Test Expo 2026"
start = 2026-11-24
end = 2026-11-27
booth = "5.1 A20"
venue = "Messe Frankfurt"
products = ["LED panels", "Track lights", "Drivers"]
[kiosk]
id = "kiosk-a"
[invitations]
secret = "test-secret"
"""
CONFIG = parse_config(tomllib.loads(SHOW))

SALESPEOPLE = [
    # id, name, email, phone, role, languages
    ("ana", "Ana Ruiz", "ana@lumen.example", "+8613800000001", "sales", "es,en"),
    ("ben", "Ben Carter", "ben@lumen.example", "+8613800000002", "sales", "en"),
    ("kenji", "Kenji Sato", "kenji@lumen.example", "+8613800000003", "sales", "ja,en"),
    ("luis", "Luis Gómez", "luis@lumen.example", "+8613800000004", "sales", "es,pt"),
    ("marta", "Marta Díaz", "marta@lumen.example", "+8613800000005", "sales", "es,en"),
    ("wei", "Zhang Wei", "wei@lumen.example", "+8613800000006", "manager", "zh,en"),
    ("rita", "Rita Lopes", "rita@lumen.example", "+8613800000007", "reception", "en"),
]

# Booth-screen PINs (`kiosk.pins`, stored hashed): the manager's is the weak 1234 a test
# kiosk may keep (the CLI refuses it outside the demo), the others are ordinary.
PINS = {"wei": "1234", "ana": "4826", "ben": "5937"}

TERRITORIES = [
    # position, kind, value, salespeople
    (10, "domain", "bigbuyer.example", "ben"),
    (20, "company", "Mega Retail GmbH", "ana"),
    (30, "country", "JP", "kenji"),
    (40, "country", "ES PT", "ana"),
    (50, "region", "LATAM", "luis,marta"),
    (60, "default", "", "ben"),
]

CONTACTS = [
    dict(
        crm_id="C1",
        name="Yuki Tanaka",
        company="Tanaka Shoji",
        email="yuki@tanaka.example",
        phone="+81312345678",
        country="JP",
        owner_id="kenji",
        filed_at="2024-03-02T09:00:00+09:00",
        last_deal_at="2026-09-10T12:00:00+09:00",
        badge_ids="B-100",
        notes="Prefers morning calls; discount 5% agreed",
    ),
    dict(
        crm_id="C2",
        name="José Martínez",
        company="Luces Ibéricas S.L.",
        email="jose@luces.example",
        phone="+34911234567",
        country="ES",
        owner_id="ana",
        filed_at="2023-01-10T10:00:00+01:00",
        last_contact_at="2026-10-01T10:00:00+02:00",
        badge_ids="B-200",
    ),
    dict(
        crm_id="C3",
        name="王小明",
        company="明亮照明有限公司",
        email="wang@mingliang.example",
        phone="+8613912345678",
        country="CN",
        owner_id="ben",
        filed_at="2022-06-01T10:00:00+08:00",
        first_contact_by="ana",
        first_contact_at="2022-05-01T10:00:00+08:00",
        last_deal_at="2026-10-01T10:00:00+08:00",
        badge_ids="B-300",
    ),
]


# Eighty people at one company whose name holds a common word ("GmbH"): enough rows that a
# search must page and count beyond its first screen.
BOLT_WORKERS = [
    dict(id=f"bulk{i}", name=f"Worker {i:02d}", company="Bolt GmbH", country="DE")
    for i in range(80)
]


def build_db(path: Path) -> sqlite_utils.Database:
    db = open_db(path)
    set_meta(db, "show_id", CONFIG.show_id)  # a kiosk of this show: merges check it
    for sp in SALESPEOPLE:
        db.execute(
            "INSERT INTO salespeople(id, name, email, phone, role, languages) VALUES (?,?,?,?,?,?)",
            list(sp),
        )
    for pos, kind, value, people in TERRITORIES:
        db.execute(
            "INSERT INTO territories(position, kind, value, salespeople) VALUES (?,?,?,?)",
            [pos, kind, value, people],
        )
    insert_contacts(db, [dict(c) for c in CONTACTS])
    for person, pin in PINS.items():
        set_pin(db, person, pin, now=NOW, allow_weak=True)
    return db


def write_csv(path, header: list[str], rows: list[list[str]]):
    """A UTF-8 CSV export with `header` and `rows`, as a CRM writes it; returns `path`."""
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def before_migration(db: sqlite_utils.Database, migration: str) -> None:
    """Make `db` what a kiosk from before `migration` left: the migration not in its record,
    and the schema version that kiosk wrote (`kiosk.db.connect` reads that first, and
    checks and migrates only a database that is not at its own)."""
    db.execute("DELETE FROM _sqlite_migrations WHERE name = ?", [migration])
    set_meta(db, "schema_version", str(known_migrations().index(migration)))
