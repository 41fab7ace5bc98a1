"""The notification pass the sync worker runs after each round (`kiosk.notify` + claims).

Raise outbox items for this kiosk's new events, then send the due ones — with the hub's
leave when there is a hub (`kiosk.hub.claims`: one per visitor and repeat window across
kiosks), on this kiosk's own word when there is none (a booth with no network: it still
dedups what its own tables know and sends when a channel answers).
"""

from __future__ import annotations

import os
from datetime import datetime
from typing import Any

import psycopg
import sqlite_utils

from kiosk.config import ShowConfig
from kiosk.hub.claims import claimer
from kiosk.notify.outbox import Delivery, deliver, enqueue
from kiosk.notify.send import Sender, apprise_send


def notification_pass(
    db: sqlite_utils.Database,
    conn: psycopg.Connection[Any] | None,
    now: datetime,
    *,
    config: ShowConfig,
    db_path: str | os.PathLike[str] | None,
    url: str | None,
    send: Sender = apprise_send,
) -> Delivery:
    enqueue(db, config, now=now, db_path=db_path)
    claim = claimer(conn, url) if url else None
    return deliver(db, config, now=now, db_path=db_path, claim=claim, send=send)
