"""A one-screen summary of a kiosk database, for `kiosk stats` and the demo launcher."""

from __future__ import annotations

from typing import Any

import sqlite_utils

from kiosk.config import ShowConfig
from kiosk.reports.dashboard import open_items
from kiosk.store import WAITING

# Two figures that both answer "how many checked in", and differ: visitors are people (one
# scanned twice, or at two kiosks, is one), check-ins are the scans recorded (repeats
# included). Every front-end says which one it shows, in these words (the TUI's catalogs
# say the same in each language).
VISITORS_LABEL = "Visitors checked in"
CHECKINS_LABEL = "Check-ins (scans, repeats included)"


def checkin_totals(db: sqlite_utils.Database) -> dict[str, int]:
    """{'visitors': people checked in, 'checkins': scans recorded} over the whole show."""
    visitors, checkins = db.execute(
        "SELECT count(DISTINCT contact_id), count(*) FROM checkins"
    ).fetchone()
    return {"visitors": int(visitors), "checkins": int(checkins)}


def checkins_line(totals: dict[str, int]) -> str:
    """'Visitors checked in: 14 · Check-ins (scans, repeats included): 16'."""
    return f"{VISITORS_LABEL}: {totals['visitors']} · {CHECKINS_LABEL}: {totals['checkins']}"


def db_stats(db: sqlite_utils.Database, config: ShowConfig) -> dict[str, Any]:
    def count(sql: str) -> int:
        return int(db.execute(sql).fetchone()[0])

    return {
        "show": config.name,
        "show_id": config.show_id,
        "kiosk_id": config.kiosk_id,
        "database": db.conn.execute("PRAGMA database_list").fetchone()[2],
        "salespeople": count("SELECT count(*) FROM salespeople WHERE role = 'sales'"),
        "staff": count("SELECT count(*) FROM salespeople"),
        "territory_rules": count("SELECT count(*) FROM territories"),
        "contacts": count("SELECT count(*) FROM contacts WHERE source = 'crm'"),
        "countries": count(
            "SELECT count(DISTINCT country) FROM contacts WHERE country IS NOT NULL"
        ),
        "booth_contacts": count("SELECT count(*) FROM contacts WHERE source = 'booth'"),
        **checkin_totals(db),
        "waiting": count(f"SELECT count(*) FROM checkins k WHERE {WAITING}"),
        # visitors, not forms: one filed at two kiosks is one (as the manager's figures)
        "leads": count("SELECT count(DISTINCT contact_id) FROM leads"),
        "open_proposals": open_items(db),
        "events": count("SELECT count(*) FROM events"),
    }
