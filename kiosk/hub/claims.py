"""Notification claims on the hub: one notification per visitor, recipient and repeat window.

Two kiosks that scan the same visitor within the repeat window each record a check-in (each
was offline from the other, or both scanned in the same second). Before sending, a kiosk
claims (visitor, recipient) on the hub: under an advisory lock on that pair, a claim by
another event within the window means the other kiosk notifies and this item is a
duplicate; otherwise the claim is written and this kiosk sends. A claim this event already
holds (a retry after a crash) is granted again.

A notification pass claims all its due items in one hub transaction (`claim_all`): one
commit instead of one per item, which at a busy booth's rate was most of the time between
an arrival and its notification. The advisory locks are taken in one sorted order, so two
kiosks claiming overlapping visitors wait for each other and never deadlock.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import psycopg

from kiosk.hub.connection import public_url
from kiosk.notify.kinds import REPEAT_WINDOW
from kiosk.notify.outbox import ClaimAnswer, Claimer, ClaimRequest


def _shift(at_utc: str, sign: int) -> str:
    at = datetime.fromisoformat(at_utc)
    return (at + sign * REPEAT_WINDOW).isoformat(timespec="microseconds")


def _lock_key(r: ClaimRequest) -> str:
    return f"kiosk-claim:{r.show_id}|{r.visitor}|{r.recipient}"


def claim_all(conn: psycopg.Connection[Any], requests: Sequence[ClaimRequest]) -> list[ClaimAnswer]:
    """Each request's answer, in order, from one hub transaction."""
    answers: dict[int, ClaimAnswer] = {}
    order = sorted(range(len(requests)), key=lambda i: (_lock_key(requests[i]), i))
    with conn.transaction():
        for i in order:
            answers[i] = _claim(conn, requests[i])
    return [answers[i] for i in range(len(requests))]


def _claim(conn: psycopg.Connection[Any], r: ClaimRequest) -> ClaimAnswer:
    """One claim inside the caller's transaction (the lock is held until it commits)."""
    conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [_lock_key(r)])
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

    def ask(requests: Sequence[ClaimRequest]) -> list[ClaimAnswer]:
        if not requests:
            return []
        if conn is None or conn.closed:
            return [("unreachable", f"no connection to {public_url(url)}")] * len(requests)
        try:
            return claim_all(conn, requests)
        except psycopg.Error as exc:
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            return [("unreachable", first)] * len(requests)

    return ask
