"""`kiosk hub status`: what the hub holds for this kiosk's show, and each kiosk's cursor."""

from __future__ import annotations

from datetime import datetime

import psycopg
import sqlite_utils

from kiosk.db import get_meta
from kiosk.hub.connection import connect, public_url, unreachable
from kiosk.hub.schema import check_schema
from kiosk.hub.sync import (
    CURSOR,
    HubClock,
    clock_warning,
    hub_offset,
    pending_count,
    show_of,
)


def hub_status(
    url: str, db: sqlite_utils.Database, *, now: datetime, hub_clock: HubClock | None = None
) -> list[str]:
    """Lines for a person: the show's events on the hub, each kiosk's cursor, this one's,
    and, with a `hub_clock`, a warning when this kiosk's clock (`now`) is off the hub's."""
    show = show_of(db)
    conn = connect(url)
    try:
        check_schema(conn, url)
        offset = hub_offset(conn, now, hub_clock)
        (events, head) = conn.execute(
            "SELECT count(*), coalesce(max(seq), 0) FROM hub_events WHERE show_id = %s", [show]
        ).fetchone() or (0, 0)
        published = conn.execute(
            "SELECT published_by, published_at, baseline_rows FROM hub_shows WHERE show_id = %s",
            [show],
        ).fetchone()
        cursors = conn.execute(
            "SELECT kiosk_id, seq, synced_at FROM hub_cursors WHERE show_id = %s ORDER BY kiosk_id",
            [show],
        ).fetchall()
    except psycopg.OperationalError as exc:
        raise unreachable(url, exc) from None
    finally:
        conn.close()
    lines = [f"Hub {public_url(url)}, show {show!r}: {events} events (last seq {head})."]
    if published:
        by, at, rows = published
        lines.append(f"Baseline: {rows} rows, published by {by} at {at:%Y-%m-%d %H:%M:%S %Z}.")
    else:
        lines.append("Baseline: not published (run 'kiosk hub publish').")
    for kiosk, seq, at in cursors:
        behind = head - seq
        lines.append(f"  {kiosk}: pulled up to {seq} ({behind} behind), last sync {at:%H:%M:%S}")
    mine = int(get_meta(db, CURSOR) or 0)
    lines.append(f"This kiosk: pulled up to {mine}, {pending_count(db)} events to push.")
    if warning := clock_warning(offset):
        lines.append(warning)
    return lines
