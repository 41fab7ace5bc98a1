"""On-screen notices: the visitors waiting for the salesperson logged in on this kiosk.

A notice is a check-in still waiting whose owner or approved assistant is the person
logged in, from any kiosk (the hub brings the others' within seconds, a merge later on a
booth with no network). It needs no outbox: it is the arrivals board seen by one person.
Marking it received records the usual `checkin.received` event (`kiosk.booth`).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from kiosk.store import WAITING


@dataclass(frozen=True)
class ScreenNotice:
    checkin_id: str
    name: str
    company: str
    at: str
    kiosk_id: str

    @property
    def text(self) -> str:
        who = f"{self.name} of {self.company}" if self.company else self.name
        return f"{who} is at reception"


def waiting_for(
    db: sqlite_utils.Database, person: str, *, since: str, other_than: str = "", limit: int = 5
) -> list[ScreenNotice]:
    """Waiting visitors of `person` checked in at or after `since` (ISO text), newest first.

    `other_than` leaves out one kiosk's own check-ins: on the kiosk that scanned the visitor
    their card is already on the screen."""
    rows = db.execute(
        "SELECT k.id, c.name, c.company, k.at, k.kiosk_id FROM checkins k"
        " JOIN contacts c ON c.id = k.contact_id"
        f" WHERE {WAITING} AND (k.owner_id = ? OR c.assistant_id = ?) AND k.at >= ?"
        " AND k.kiosk_id <> ? ORDER BY k.at DESC LIMIT ?",
        [person, person, since, other_than, limit],
    ).fetchall()
    return [ScreenNotice(*row) for row in rows]
