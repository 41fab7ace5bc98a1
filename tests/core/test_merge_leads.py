"""Leads decided in memory and written together (`kiosk.events.leads.LeadRun`) give the
database that applying each lead on its own (`appliers._lead`) gives — every table, row for
row, rowids included — in a merge applied in order, a rebuild from the log, and a merge
that replays the log (hypothesis).

The events are drawn to meet every question the run answers from memory: the same visitor
by e-mail (in two spellings), by badge, by name and company only (and a second visitor of
the same folded name in another city), a CRM contact's e-mail, a lead filed on a contact
the kiosk had, `distinct` leads, explicit contact ids (set aside by the validator: a lead
may not choose its contact's id), claims at the same instant (which came first is SQLite's
to say), owners nobody knows, territory rules, proposals in the payload, check-ins naming a
lead's contact before and after the lead, "received" marks, walk-ins, and manager decisions
and settlements in between.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta
from typing import Any
from unittest.mock import patch

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kiosk import events
from kiosk.db import open_db
from kiosk.events import leads, validate
from tests.booth_days import PEOPLE, copy
from tests.examples import examples
from tests.factory import NOW

VISITORS: list[dict[str, Any]] = [
    {"name": "Carla Souza", "company": "Luz Brasil", "email": "carla@luzbr.example"},
    {"name": "Carla Souza", "company": "Luz Brasil", "email": "CARLA@LuzBr.example "},
    {"name": "Omar Haddad", "company": "Gulf Light", "badge_id": "BADGE-7"},
    {"name": "Omar Haddad", "company": "Gulf Light"},
    {"name": "omar haddad", "company": "GULF LIGHT", "city": "Dubai"},
    {"name": "Omar Haddad", "company": "Gulf Light", "badge_id": " BADGE-7 "},
    {"name": "Yuki Tanaka", "company": "", "email": "yuki@tanaka.example"},  # CRM contact C1
    {"name": "Nia Berg", "company": "", "id": "X-1"},  # a chosen id: set aside
    {"name": "Nia Berg", "company": "", "id": "C2"},  # a CRM contact's id: set aside
    {"name": "", "company": "Blank Co", "badge_id": "BADGE-9"},
]
OWNERS = [None, *PEOPLE[:3]]
KIOSKS = ["kiosk-a", "kiosk-b", "kiosk-c"]


def _rarely(common: list[Any], rare: Any) -> st.SearchStrategy[Any]:
    """One of `common`, or once in 40 draws `rare`: a value that makes a table refuse the
    event (the merge then applies every event one by one, which is not this test's subject)."""
    return st.integers(0, 39).map(lambda n: rare if n == 0 else common[n % len(common)])


lead = st.fixed_dictionaries({
    "visitor": _rarely([v for v in range(len(VISITORS)) if v != 8], 8),
    "owner": _rarely(OWNERS, "nobody"),  # no salesperson has that id
    "distinct": st.booleans() | st.none(),
    "attach": st.sampled_from([*[None] * 9, "C1", "earlier", "X-1"]),
    "rule": st.sampled_from([None, None, 1, 2]),
    "proposal": st.sampled_from([None, None, "reassign", "assistant"]),
    "consent": st.booleans(),
    "rating": st.sampled_from(["cold", "warm", "hot"]),
})  # fmt: skip
EVENTS: dict[str, st.SearchStrategy[Any]] = {
    "lead": st.tuples(st.just("lead"), lead),
    # a lead's contact filed before the check-in ("lead"), or any lead's ("any lead": one
    # filed after it is no contact yet, and refused)
    "checkin": st.tuples(st.just("checkin"), _rarely(["C1", "C2", "lead", "lead"], "any lead"),
                         st.integers(0, 30)),
    "mark": st.tuples(st.just("mark"), st.integers(0, 30)),
    "walkin": st.tuples(st.just("walkin"), st.sampled_from([0, 2, 3, 4, 6, 9]),
                        st.sampled_from(OWNERS)),
    "decide": st.tuples(st.just("decide"), st.integers(0, 30), st.booleans()),
    "settle": st.tuples(st.just("settle"), st.integers(0, 30), st.integers(0, 1),
                        st.sampled_from(["kept", "given", "deferred"]), st.sampled_from(OWNERS)),
}  # fmt: skip
step = st.tuples(
    st.integers(0, 6),  # minute: few, so claims meet at the same instant
    st.sampled_from(KIOSKS),
    # half of the events leads
    st.sampled_from(
        ["lead"] * 5 + ["checkin", "checkin", "mark", "walkin", "decide", "settle"]
    ).flatmap(EVENTS.__getitem__),
)
log = st.lists(step, min_size=3, max_size=40)


def _rows(steps: list[Any], order: list[int]) -> list[tuple[Any, ...]]:
    """Stored event rows for the steps; `order` draws the uuids' first digits, so the
    replay's tie-break between events of one instant is drawn too."""
    uuids = [f"{order[i % len(order)]:08x}-0000-4000-8000-{i:012d}" for i in range(len(steps))]
    lead_uuids = [uuids[i] for i, s in enumerate(steps) if s[2][0] == "lead"]
    leads_at = [  # each lead's uuid and replay key
        (u, ((NOW + timedelta(minutes=s[0])).isoformat(timespec="microseconds"), u))
        for u, s in zip(uuids, steps, strict=True)
        if s[2][0] == "lead"
    ]
    checkins = [uuids[i] for i, s in enumerate(steps) if s[2][0] in ("checkin", "walkin")]
    rows = []
    for i, (minute, kiosk, (kind, *args)) in enumerate(steps):
        ts = (NOW + timedelta(minutes=minute)).isoformat(timespec="microseconds")
        payload: dict[str, Any]
        if kind == "lead":
            (a,) = args
            earlier = [u for u in lead_uuids if u < uuids[i]]
            attach = a["attach"]
            if attach == "earlier":
                attach = f"L-{earlier[-1]}" if earlier else None
            payload = {
                "contact": VISITORS[a["visitor"]], "owner_id": a["owner"],
                "rule": "territory-country", "reason": "test", "territory_rule_id": a["rule"],
                "rating": a["rating"], "products": ["LED panels"], "notes": "met at the stand",
                "consent": a["consent"], "brought_by": None,
                "proposals": [{"kind": a["proposal"], "current_id": a["owner"],
                               "proposed_id": "kenji", "reason": "x"}] if a["proposal"] else [],
            }  # fmt: skip
            if a["distinct"] is not None:
                payload["distinct"] = a["distinct"]
            if attach:
                payload["contact_id"] = attach
            kind = "lead.created"
        elif kind == "checkin":
            who, n = args
            before = [u for u, at in leads_at if at < (ts, uuids[i])]
            named = before if who == "lead" else [u for u, _ in leads_at]
            if who in ("lead", "any lead"):
                who = f"L-{named[n % len(named)]}" if named else "C3"
            payload = {"contact_id": who, "owner_id": "ana", "rule": "existing-owner",
                       "reason": "", "invited_by": None, "brought_by": None, "proposals": []}  # fmt: skip
        elif kind == "mark":
            (n,) = args
            target = checkins[n % len(checkins)] if checkins else uuids[0]
            payload = {"by": "ben", "checkin_id": target}
            kind = "checkin.received"
        elif kind == "walkin":
            v, owner = args
            payload = {"contact": VISITORS[v], "owner_id": owner, "rule": "territory-country",
                       "reason": "walk-in", "territory_rule_id": 1}  # fmt: skip
            kind = "walkin.arrived"
        elif kind == "decide":
            n, approve = args
            target = lead_uuids[n % len(lead_uuids)] if lead_uuids else uuids[0]
            payload = {"proposal_id": f"{target}:0", "approve": approve}
            kind = "proposal.decided"
        else:  # the manager settles a lead's item at the workbench
            n, item, outcome, owner = args
            target = lead_uuids[n % len(lead_uuids)] if lead_uuids else uuids[0]
            payload = {"proposal_id": f"{target}:{item}", "outcome": outcome, "owner_id": owner,
                       "defer_until": "2026-12-24" if outcome == "deferred" else None}  # fmt: skip
            kind = "dispute.decided"
        rows.append((uuids[i], kiosk, ts, "", ts, "", kind,
                     json.dumps(payload, ensure_ascii=False, sort_keys=True)))  # fmt: skip
    return rows


def _dump(db: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Every table with its rowids, where it has them (the search index by its own tables)."""
    out = {}
    names = [r[0] for r in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        " AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name"
    )]  # fmt: skip
    for name in names:
        try:
            out[name] = db.execute(f"SELECT rowid, * FROM {name} ORDER BY rowid").fetchall()
        except sqlite3.OperationalError:  # WITHOUT ROWID
            out[name] = sorted(db.execute(f"SELECT * FROM {name}").fetchall(), key=repr)
    return out


def _merge(db: Any, rows: list[tuple[Any, ...]]) -> tuple[Any, ...]:
    rejected: list[events.Rejected] = []
    counts = events.merge_rows(db, rows, now=NOW + timedelta(days=1), rejected=rejected)
    return counts, [(r.row[0], r.reason) for r in rejected], _dump(db)


def _outcomes(template: Any, folder: Any, name: str, rows: list[tuple[Any, ...]]) -> list[Any]:
    """The rows merged at once (applied in order), that database rebuilt from its log, and
    the rows merged in two goes, the later minutes first (the second merge replays the log)."""
    cut = (NOW + timedelta(minutes=3)).isoformat(timespec="microseconds")
    db = open_db(copy(template, folder, f"{name}-once"), create=False)
    two = open_db(copy(template, folder, f"{name}-twice"), create=False)
    try:
        once = _merge(db, rows)
        events.rebuild(db)
        later = _merge(two, [r for r in rows if r[2] >= cut])
        rest = _merge(two, rows)  # a new event that leaves one of the log's unfit is set aside
        return [once, (None, None, _dump(db)), later, rest]
    finally:
        db.conn.close()
        two.conn.close()


def _lead(visitor: int, owner: str | None, **more: Any) -> tuple[str, dict[str, Any]]:
    fields = {"visitor": visitor, "owner": owner, "distinct": None, "attach": None,
              "rule": None, "proposal": None, "consent": False, "rating": "warm"}  # fmt: skip
    return ("lead", {**fields, **more})


@pytest.mark.slow
@settings(
    max_examples=examples(100),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(steps=log, order=st.lists(st.integers(0, 2**32 - 1), min_size=1, max_size=30))
# Each example below is a case the run must hand to SQLite or remember; it fails when the
# run gets that one case wrong (each checked by breaking it in kiosk/events/leads.py).
# Two leads at the earliest instant, then a third claim: which came first (both orders).
@example(steps=[(0, "kiosk-b", _lead(0, "ana")), (0, "kiosk-a", _lead(0, "ana")),
                (1, "kiosk-c", _lead(1, "ben"))], order=[1, 2, 3])  # fmt: skip
@example(steps=[(0, "kiosk-b", _lead(0, "ana")), (0, "kiosk-a", _lead(0, "ana")),
                (1, "kiosk-c", _lead(1, "ben"))], order=[2, 1, 3])  # fmt: skip
# A `distinct` lead with a CRM contact's e-mail: the next one finds the CRM contact.
@example(steps=[(0, "kiosk-a", _lead(6, "ana", distinct=True)), (1, "kiosk-b", _lead(6, "ben"))],
         order=[1, 2])  # fmt: skip
# A walk-in's badge filed again by a `distinct` lead (ignored): the badge names the walk-in.
@example(steps=[(0, "kiosk-a", ("walkin", 2, "ana")), (1, "kiosk-a", _lead(2, "ana", distinct=True)),
                (2, "kiosk-b", _lead(5, "ben"))], order=[1, 2, 3])  # fmt: skip
# A walk-in taken over by a lead, then claimed by another person: a dispute with the new owner.
@example(steps=[(0, "kiosk-a", ("walkin", 0, "ana")), (1, "kiosk-a", _lead(0, "ben")),
                (2, "kiosk-b", _lead(1, "ana"))], order=[1, 2, 3])  # fmt: skip
# Two claims on a CRM contact (owner kenji): the second's dispute names the first lead.
@example(steps=[(0, "kiosk-a", _lead(6, "ana")), (1, "kiosk-b", _lead(6, "ben"))], order=[1, 2])
# An item raised, the run forgets (a walk-in), the same item again: it is in the database.
@example(steps=[(0, "kiosk-a", _lead(0, "ana")), (1, "kiosk-b", _lead(1, "ben")),
                (2, "kiosk-a", ("walkin", 9, None)), (3, "kiosk-c", _lead(0, "ben"))],
         order=[1, 2, 3, 4])  # fmt: skip
# A dispute settled for kenji: the later claim by ana and a proposal for kenji are covered.
@example(steps=[(0, "kiosk-a", _lead(0, "ana")), (1, "kiosk-b", _lead(1, "kenji")),
                (2, "kiosk-a", ("settle", 1, 0, "given", "kenji")),
                (3, "kiosk-c", _lead(0, "ana", proposal="reassign"))],
         order=[1, 2, 3, 4])  # fmt: skip
# A check-in naming a lead's contact before the lead creates it: refused, as one by one.
@example(steps=[(0, "kiosk-a", ("checkin", "any lead", 0)), (1, "kiosk-a", _lead(3, "ana")),
                (2, "kiosk-b", ("checkin", "lead", 0))], order=[1])  # fmt: skip
def test_leads_decided_in_memory_give_the_tables_of_applying_them_one_by_one(
    template_db, tmp_path_factory, steps, order
):
    rows = _rows(steps, order)
    folder = tmp_path_factory.mktemp("leads")
    run = _outcomes(template_db, folder, "run", rows)
    with patch.object(leads.LeadRun, "add", lambda self, event: False):
        one_by_one = _outcomes(template_db, folder, "one-by-one", rows)
    for what, got, expected in zip(
        ("merged", "rebuilt", "merged later minutes first", "merged the rest"),
        run, one_by_one, strict=True,
    ):  # fmt: skip
        assert got[:2] == expected[:2], what
        for table, want in expected[2].items():
            assert got[2][table] == want, (what, table)


@settings(
    max_examples=examples(30),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(steps=log, order=st.lists(st.integers(0, 2**32 - 1), min_size=1, max_size=30))
# A lead whose contact chose its id, another lead for the same visitor, a check-in.
@example(steps=[(0, "kiosk-a", _lead(7, "ana")), (1, "kiosk-b", _lead(7, "ben")),
                (2, "kiosk-c", _lead(0, "ana")), (3, "kiosk-a", ("checkin", "lead", 0))],
         order=[1, 2, 3, 4])  # fmt: skip
def test_an_old_log_whose_leads_chose_their_contact_ids_rebuilds_as_one_by_one(
    template_db, tmp_path_factory, steps, order
):
    """Merges before 8ba8ab0 stored leads whose contact chose its own id; the validator now
    sets new ones aside, so only the rebuild of such an old log takes a chosen id through
    the run's in-memory path. It must still give what applying each lead on its own gives."""
    rows = _rows(steps, order)
    folder = tmp_path_factory.mktemp("old-log")

    def rebuilt(name: str) -> dict[str, list[tuple[Any, ...]]]:
        db = open_db(copy(template_db, folder, name), create=False)
        try:
            with patch.object(validate, "check_contact_id", lambda *args: None):  # as before
                events.merge_rows(db, rows, now=NOW + timedelta(days=1), rejected=[])
            events.rebuild(db)
            return _dump(db)
        finally:
            db.conn.close()

    run = rebuilt("run")
    with patch.object(leads.LeadRun, "add", lambda self, event: False):
        one_by_one = rebuilt("one-by-one")
    for table, want in one_by_one.items():
        assert run[table] == want, table
