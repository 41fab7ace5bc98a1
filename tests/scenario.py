"""The dispute of issue 17 as a fixture: A filed the customer a year ago and only sent a
catalogue; B has talked with them for months and invited them; the customer walks in.

In the test company: Luis (A) filed Pedro Alves of Brasil Luz a year before the show, his
only contact then; Marta (B) invited Pedro to this show, and Pedro came on her invitation,
brought to the booth by her. The engine raises two items for the manager: Luis's lapse
(reassignment to Marta, his colleague on the LATAM rule) and Marta as assistant.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from kiosk import booth
from kiosk import events as ev
from kiosk.contact_rows import insert_contacts
from kiosk.db import open_db
from tests.factory import CONFIG, NOW

A, B = "luis", "marta"
FILED = NOW - timedelta(days=365)


def add_scenario(db) -> dict[str, str]:
    """Add the customer, Marta's invitation and the walk-in; the manager's items by kind."""
    insert_contacts(db, [dict(
        crm_id="C-SCEN", name="Pedro Alves", company="Brasil Luz Ltda.",
        email="pedro@brasilluz.example", phone="+5511987654321", country="BR",
        owner_id=A, filed_at=FILED.isoformat(), last_contact_at=FILED.isoformat(),
        badge_ids="B-SCEN",
    )])  # fmt: skip
    contact_id = db.execute("SELECT id FROM contacts WHERE crm_id = 'C-SCEN'").fetchone()[0]
    invited = ev.new_event(
        "invitation.sent",
        {"contact_id": contact_id, "salesperson_id": B,
         "issued_at": (NOW - timedelta(days=30)).isoformat(), "token": "t", "language": "pt"},
        kiosk_id=CONFIG.kiosk_id, actor=B, ts=NOW - timedelta(days=30),
    )  # fmt: skip
    ev.record(db, invited)
    booth.check_in(db, CONFIG, contact_id, now=NOW, brought_by=B, invited=B)
    items = {
        kind: pid
        for pid, kind in db.execute(
            "SELECT id, kind FROM proposals WHERE contact_id = ? AND status = 'open'", [contact_id]
        )
    }
    return {"contact_id": contact_id, **items}


def two_kiosks_claim(db, other: Path) -> str:
    """Rule 6 as a merge leaves it: kiosk B (a copy of this database at `other`, where Luis
    is away) files Carla Souza for Marta at 09:55; this kiosk (A) files her for Luis at
    10:00; B's log is merged here. Marta's earlier claim stands and Luis's is the dispute,
    whose id this returns."""
    db.execute("PRAGMA wal_checkpoint(FULL)")
    shutil.copyfile(db.execute("PRAGMA database_list").fetchone()[2], other)
    carla = booth.LeadInput(
        name="Carla Souza", company="Luz Brasil Ltda.", email="carla@luzbr.example", country="BR"
    )
    kiosk_b, b_config = open_db(other, create=False), replace(CONFIG, kiosk_id="kiosk-b")
    booth.set_away(kiosk_b, b_config, A, True, now=NOW - timedelta(minutes=6))
    booth.add_lead(kiosk_b, b_config, carla, now=NOW - timedelta(minutes=5))
    booth.add_lead(db, CONFIG, carla, now=NOW)
    ev.merge_events(db, list(ev.iter_events(kiosk_b)))
    kiosk_b.conn.close()
    [(dispute,)] = db.execute("SELECT id FROM proposals WHERE kind = 'dispute'").fetchall()
    return str(dispute)


def holding(db, contact_id):
    """(owner, assistant, split, preferred) of a contact: what a decision or an undo leaves."""
    return tuple(
        db.execute(
            "SELECT owner_id, assistant_id, split, preferred_id FROM contacts WHERE id = ?",
            [contact_id],
        ).fetchone()
    )
