"""A pass's notification claims, answered in three statements, say what one claim after
another says (the way the hub answered them before: a statement per request).

The reference below is that one-at-a-time claim, kept here as the specification: under an
advisory lock on (visitor, recipient), the earliest claim of another event within the repeat
window makes a duplicate; the event's own claim is granted again; otherwise the claim is
written. Random passes of requests (the same visitors, recipients and events again, arrivals
minutes apart around the window) go through both, each on its own show, and must get the
same answers and leave the same claims.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.hub.claims import _lock_key, _shift, claim_all
from kiosk.hub.connection import connect
from kiosk.notify.outbox import ClaimAnswer, ClaimRequest
from tests.examples import examples
from tests.factory import NOW

pytestmark = pytest.mark.pg


def one_at_a_time(conn: psycopg.Connection[Any], requests: list[ClaimRequest]) -> list[ClaimAnswer]:
    answers: dict[int, ClaimAnswer] = {}
    order = sorted(range(len(requests)), key=lambda i: (_lock_key(requests[i]), i))
    with conn.transaction():
        for i in order:
            r = requests[i]
            conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [_lock_key(r)])
            held = conn.execute(
                "SELECT kiosk_id, arrival_utc, event_uuid FROM hub_claims WHERE show_id = %s"
                " AND contact_id = %s AND recipient = %s AND arrival_utc BETWEEN %s AND %s"
                " ORDER BY event_uuid = %s DESC, arrival_utc LIMIT 1",
                [r.show_id, r.visitor, r.recipient, _shift(r.at_utc, -1), _shift(r.at_utc, 1),
                 r.event_uuid],
            ).fetchone()  # fmt: skip
            if held is not None and held[2] == r.event_uuid:
                answers[i] = ("ok", "")
            elif held is not None:
                answers[i] = ("duplicate", f"already notified by {held[0]} (arrival at"
                                           f" {held[1][11:19]} UTC)")  # fmt: skip
            else:
                conn.execute(
                    "INSERT INTO hub_claims(show_id, event_uuid, recipient, contact_id,"
                    " arrival_utc, kiosk_id) VALUES (%s, %s, %s, %s, %s, %s)"
                    " ON CONFLICT DO NOTHING",
                    [r.show_id, r.event_uuid, r.recipient, r.visitor, r.at_utc, r.kiosk_id],
                )
                answers[i] = ("ok", "")
    return [answers[i] for i in range(len(requests))]


# (event number, visitor, recipient, minutes after NOW, kiosk): an event is one arrival, so
# the same number always carries the same visitor, time and kiosk (first one drawn wins).
request = st.tuples(
    st.integers(0, 12), st.sampled_from("vw"), st.sampled_from("ab"),
    st.integers(0, 40), st.sampled_from(["k1", "k2"]),
)  # fmt: skip


def as_requests(show: str, drawn: list[tuple[int, str, str, int, str]], events: dict) -> list:
    out = []
    for n, visitor, recipient, minutes, kiosk in drawn:
        visitor, minutes, kiosk = events.setdefault(n, (visitor, minutes, kiosk))
        at = (NOW + timedelta(minutes=minutes)).isoformat(timespec="microseconds")
        out.append(ClaimRequest(show, f"{show}-e{n}", recipient, visitor, at, kiosk))
    return list(dict.fromkeys(out))  # a pass asks once per (event, recipient)


def claims_of(conn: psycopg.Connection[Any], show: str) -> list[tuple]:
    rows = conn.execute(
        "SELECT replace(event_uuid, show_id, ''), recipient, contact_id, arrival_utc, kiosk_id"
        " FROM hub_claims WHERE show_id = %s ORDER BY 1, 2",
        [show],
    ).fetchall()
    return [tuple(r) for r in rows]


@settings(
    max_examples=examples(40),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(passes=st.lists(st.lists(request, max_size=8), min_size=1, max_size=4))
def test_a_pass_of_claims_answers_as_one_claim_after_another(hub_url, passes):
    conn = connect(hub_url)
    try:
        tag = uuid.uuid4().hex[:8]
        reference, batched = f"ref-{tag}", f"new-{tag}"
        events: dict = {}
        for drawn in passes:
            want = one_at_a_time(conn, as_requests(reference, drawn, events))
            got = claim_all(conn, as_requests(batched, drawn, events))
            assert got == want
            assert claims_of(conn, batched) == claims_of(conn, reference)
    finally:
        conn.close()


def test_an_empty_pass_asks_nothing(hub_url):
    conn = connect(hub_url)
    try:
        assert claim_all(conn, []) == []
    finally:
        conn.close()
