"""Notification claims on the hub: one notification per visitor, recipient and repeat window.

Two kiosks that scan the same visitor within the repeat window each record a check-in (each
was offline from the other, or both scanned in the same second). Before sending, a kiosk
claims (visitor, recipient) on the hub: under an advisory lock on that pair, a claim by
another event within the window means the other kiosk notifies and this item is a
duplicate; otherwise the claim is written and this kiosk sends. A claim this event already
holds (a retry after a crash) is granted again.

A notification pass claims all its due items in one hub transaction of three statements
(`claim_all`): one commit instead of one per item, and no round trip per item, which at a
busy booth's rate were most of the time between an arrival and its notification. The
advisory locks are taken in one sorted order, so two kiosks claiming overlapping visitors
wait for each other and never deadlock.
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
    """Each request's answer, in order, from one hub transaction of three statements.

    The pass's advisory locks are taken in one statement, in sorted order; the claims they
    guard are read in one; the answers are decided here, request by request in lock order
    as one claim after another would (a request sees the claims granted before it in the
    pass); the new claims are written in one. A statement per request cost a round trip
    each, most of a busy pass's time on a loaded hub."""
    if not requests:
        return []
    order = sorted(range(len(requests)), key=lambda i: (_lock_key(requests[i]), i))
    keys = sorted({_lock_key(r) for r in requests})
    pairs = sorted({(r.show_id, r.visitor, r.recipient) for r in requests})
    low = min(_shift(r.at_utc, -1) for r in requests)
    high = max(_shift(r.at_utc, 1) for r in requests)
    answers: dict[int, ClaimAnswer] = {}
    granted: list[ClaimRequest] = []
    with conn.transaction():
        conn.execute(
            "SELECT count(pg_advisory_xact_lock(hashtextextended(k, 0)))"
            " FROM (SELECT k FROM unnest(%s::text[]) WITH ORDINALITY AS t(k, n) ORDER BY n) AS s",
            [keys],
        )
        held: dict[tuple[str, str, str], list[tuple[str, str, str]]] = {}
        for show, visitor, recipient, kiosk, at, event in conn.execute(
            "SELECT show_id, contact_id, recipient, kiosk_id, arrival_utc, event_uuid"
            " FROM hub_claims WHERE (show_id, contact_id, recipient) IN"
            " (SELECT * FROM unnest(%s::text[], %s::text[], %s::text[]))"
            " AND arrival_utc BETWEEN %s AND %s ORDER BY arrival_utc",
            [[p[0] for p in pairs], [p[1] for p in pairs], [p[2] for p in pairs], low, high],
        ):
            held.setdefault((show, visitor, recipient), []).append((at, event, kiosk))
        for i in order:
            r = requests[i]
            claims = held.setdefault((r.show_id, r.visitor, r.recipient), [])
            answers[i], new = _decide(r, claims)
            if new:
                claims.append((r.at_utc, r.event_uuid, r.kiosk_id))
                granted.append(r)
        if granted:
            conn.execute(
                "INSERT INTO hub_claims(show_id, event_uuid, recipient, contact_id, arrival_utc,"
                " kiosk_id) SELECT * FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[],"
                " %s::text[], %s::text[]) ON CONFLICT DO NOTHING",
                [[r.show_id for r in granted], [r.event_uuid for r in granted],
                 [r.recipient for r in granted], [r.visitor for r in granted],
                 [r.at_utc for r in granted], [r.kiosk_id for r in granted]],
            )  # fmt: skip
    return [answers[i] for i in range(len(requests))]


def _decide(r: ClaimRequest, held: list[tuple[str, str, str]]) -> tuple[ClaimAnswer, bool]:
    """What the claims on this visitor and recipient (arrival, event, kiosk) say to `r`,
    and whether `r` is a new claim to write. Its own claim (a retry after a crash) or none
    within the repeat window: "ok", notify; another event's claim within the window:
    "duplicate", naming the earliest. (Arrivals are UTC ISO text of one width, so text
    order is time order, as in the hub's own comparisons.)"""
    low, high = _shift(r.at_utc, -1), _shift(r.at_utc, 1)
    within = [h for h in held if low <= h[0] <= high]
    if any(h[1] == r.event_uuid for h in within):
        return ("ok", ""), False
    if not within:
        return ("ok", ""), True
    at, _event, kiosk = min(within)
    return ("duplicate", f"already notified by {kiosk} (arrival at {at[11:19]} UTC)"), False


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
