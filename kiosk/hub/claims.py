"""Notification claims on the hub: one notification per visitor, recipient and repeat window.

Two kiosks that scan the same visitor within the repeat window each record a check-in (each
was offline from the other, or both scanned in the same second). Before sending, a kiosk
claims (visitor, recipient) on the hub: under an advisory lock on that pair, a claim by
another event within the window means the other kiosk notifies and this item is a
duplicate; otherwise the claim is written and this kiosk sends. A claim this event already
holds (a retry after a crash) is granted again.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import psycopg

from kiosk.hub.connection import public_url
from kiosk.notify.kinds import REPEAT_WINDOW
from kiosk.notify.outbox import ClaimAnswer, Claimer, ClaimRequest


def _shift(at_utc: str, sign: int) -> str:
    at = datetime.fromisoformat(at_utc)
    return (at + sign * REPEAT_WINDOW).isoformat(timespec="microseconds")


def claim(conn: psycopg.Connection[Any], request: ClaimRequest) -> ClaimAnswer:
    r = request
    with conn.transaction():
        conn.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))",
            [f"kiosk-claim:{r.show_id}|{r.visitor}|{r.recipient}"],
        )
        held = conn.execute(
            "SELECT kiosk_id, arrival_utc, event_uuid FROM hub_claims WHERE show_id = %s"
            " AND contact_id = %s AND recipient = %s AND arrival_utc BETWEEN %s AND %s"
            " ORDER BY event_uuid = %s DESC, arrival_utc LIMIT 1",
            [r.show_id, r.visitor, r.recipient, _shift(r.at_utc, -1), _shift(r.at_utc, 1),
             r.event_uuid],
        ).fetchone()  # fmt: skip
        if held is not None:
            if held[2] == r.event_uuid:
                return ("ok", "")
            return ("duplicate", f"already notified by {held[0]} (arrival at {held[1][11:19]} UTC)")
        conn.execute(
            "INSERT INTO hub_claims(show_id, event_uuid, recipient, contact_id, arrival_utc,"
            " kiosk_id) VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
            [r.show_id, r.event_uuid, r.recipient, r.visitor, r.at_utc, r.kiosk_id],
        )
    return ("ok", "")


def claimer(conn: psycopg.Connection[Any] | None, url: str) -> Claimer:
    """A claimer on an open hub connection; "unreachable" when there is none or it drops."""

    def ask(request: ClaimRequest) -> ClaimAnswer:
        if conn is None or conn.closed:
            return ("unreachable", f"no connection to {public_url(url)}")
        try:
            return claim(conn, request)
        except psycopg.Error as exc:
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            return ("unreachable", first)

    return ask
