"""Hostile and damaged events for the merge's property tests.

`a_row` and `bad_rows` (rows a damaged or forged file holds: blobs, junk, unknown kinds,
bad times) are what `tests/core/test_merge_validation.py` checks the validator with.
`hostile_steps` are well-formed events that do not fit the booth they reach — a lead
naming an owner who is no salesperson, a decision on an item raised by another event, a
check-in of a contact nobody filed — which pass the validator and may then fail, or make
another event fail, only in some order; and leads choosing their contact's id (a CRM id,
taken or not yet, another lead's), which the validator refuses. `hostile_rows` turns them
into stored rows naming the uuids of a real booth day (`tests/booth_days.py`). Used by
`tests/core/test_merge_hostile.py`.
"""

from __future__ import annotations

import json
import uuid as uuidlib
from datetime import timedelta
from typing import NamedTuple

from hypothesis import strategies as st

from kiosk import events
from kiosk.booth import LeadInput
from kiosk.events.validate import BadEvent, check_row
from tests.booth_days import CONTACT_IDS, PEOPLE, VISITORS
from tests.factory import NOW


def a_row(**over) -> tuple:
    """A well-formed check-in row of kiosk-x for the CRM customer C2, then `over` applied."""
    cols = {
        "uuid": str(uuidlib.uuid4()),
        "kiosk_id": "kiosk-x",
        "ts": "2026-11-24T11:00:00.000000+00:00",
        "ts_utc": "2026-11-24T11:00:00.000000+00:00",
        "recorded_at": "2026-11-24T11:00:00.000000+00:00",
        "actor": "",
        "kind": "checkin",
        "payload": json.dumps({"contact_id": "C2", "owner_id": "ana", "rule": "x", "reason": ""}),
    }
    cols.update(over)
    return tuple(cols.values())


JUNK = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


@st.composite
def bad_rows(draw) -> tuple:
    """A check-in row broken in one way (or a few)."""
    # NOT NULL columns hold no NULL, and a number in a TEXT column is stored as text: a
    # damaged or forged file holds blobs, empty text, control characters and junk instead.
    row = list(a_row(uuid=f"bad-{draw(st.uuids())}"))
    how = draw(
        st.sets(st.sampled_from(["uuid", "kiosk", "ts", "kind", "json", "shape"]), min_size=1)
    )
    if "uuid" in how:
        row[0] = draw(st.one_of(st.none(), st.just(""), st.binary(min_size=1, max_size=4),
                                st.text(alphabet="\x00\x1b\u202e", min_size=1)))  # fmt: skip
    if "kiosk" in how:
        row[1] = draw(st.one_of(st.just(""), st.binary(min_size=1, max_size=4),
                                st.text(alphabet="k\x07\x9b", min_size=1).filter(_unprintable)))  # fmt: skip
    if "ts" in how:
        row[2] = draw(st.one_of(st.binary(max_size=4), st.sampled_from(
            ["garbage", "2026-02-30T10:00:00", "", "0001-01-01T00:00:00+14:00", "24/11/2026"])))  # fmt: skip
        row[3] = draw(st.sampled_from(["", "x", "2026-11-24T11:00:00.000000+00:00"]))
    if "kind" in how:
        row[6] = draw(st.one_of(st.binary(max_size=4), st.text(max_size=12)).filter(
            lambda k: k not in events.APPLIERS))  # fmt: skip
    if "json" in how:
        row[7] = draw(st.text(max_size=20).filter(_not_json))
    if "shape" in how:
        row[7] = json.dumps(draw(JUNK.filter(lambda v: not _good_checkin(v))))
    return tuple(row)


def uuid_or_self(row: tuple) -> object:
    """Rows unique by uuid (the source's primary key); NULLs never collide."""
    return row if row[0] is None else row[0]


def _unprintable(text: str) -> bool:
    return not text.isprintable()


def _not_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return True
    return False


def _good_checkin(value) -> bool:
    try:
        check_row(a_row(payload=json.dumps(value)))
    except BadEvent:
        return False
    return True


# ---------------------------------------------------------------- well-formed, but hostile

STRANGER = "nobody"  # no salesperson of the test company
FREE_CRM_ID = "C9"  # a CRM id of the form the test company's contacts have, not yet used
SOMEONE = st.sampled_from([None, *PEOPLE, STRANGER])
# an event of the run, by index (`hostile_rows` resolves it): often one of the first hostile
# ones, so a decision meets the dispute of a hostile lead
REF = st.one_of(st.integers(0, 2), st.integers(0, 999))

hostile_step = st.one_of(
    # a new visitor (one of the booth days', so rule 6 meets them) owned by anyone; choosing
    # its contact's id (`contact.id`, which no kiosk writes): a CRM contact's, a CRM id no
    # contact has yet (`FREE_CRM_ID`: a later CRM import would find it taken), some event's
    # lead's; or naming its own `L-<uuid>` (what it gets anyway: allowed), or no id
    st.tuples(st.just("lead"), st.integers(0, len(VISITORS) - 1),
              st.sampled_from([STRANGER, *PEOPLE, None]),
              st.sampled_from([None, "crm", "free", "ref", "own"]), REF),
    # a manager's decision on the item some event raised (its first proposal)
    st.tuples(st.just("decide"), REF, st.booleans(), SOMEONE, st.none()),
    st.tuples(st.just("settle"), REF, st.sampled_from(["given", "kept", "shared", "deferred"]),
              SOMEONE, SOMEONE),
    # a check-in of a CRM contact, of nobody, or of some event's lead's visitor, proposing
    # a reassignment to anyone
    st.tuples(st.just("checkin"), st.sampled_from([*CONTACT_IDS, "NOBODY", "ref"]), REF, SOMEONE,
              st.none()),
    st.tuples(st.just("prefer"), st.sampled_from([*CONTACT_IDS, "ref"]), REF,
              st.sampled_from([*PEOPLE, STRANGER]), st.none()),
    st.tuples(st.just("received"), REF, SOMEONE, st.none(), st.none()),
    st.tuples(st.just("away"), st.sampled_from([*PEOPLE, STRANGER]), st.booleans(), st.none(),
              st.none()),
    st.tuples(st.just("malformed"), bad_rows(), st.none(), st.none(), st.none()),
    # a conflict across merges: a visitor filed (by a salesperson), a stranger's later claim
    # on them (merged late: `Hostile.late`), and a decision after both giving them the
    # stranger's item — merged before the claim, it finds nothing to decide
    st.tuples(st.just("pair"), st.integers(0, len(VISITORS) - 1), st.integers(1, 10),
              st.sampled_from(["decide", "settle"]), st.sampled_from(PEOPLE)),
)  # fmt: skip
# (minute of the booth day, step): the days' own events are at minutes 0–40
hostile_day = st.lists(st.tuples(st.integers(-5, 45), hostile_step), min_size=1, max_size=6)


def hostile_uuid(i: int, part: int = 0) -> str:
    return f"f{part}000000-0000-4000-8000-{i:012d}"


class Hostile(NamedTuple):
    row: tuple
    kind: str  # the step's
    late: bool = False  # to be merged after the others (a "pair"'s claim)


def hostile_rows(steps: list, good: list[str]) -> list[Hostile]:
    """Stored rows of kiosk-x for `steps`; an index names one of these rows' own uuids or
    of the `good` ones (so a decision may approve the dispute of a hostile lead)."""
    own = [hostile_uuid(i) for i in range(len(steps))]
    refs = own + good

    def ref(i: int) -> str:
        return refs[i % len(refs)]

    rows: list[Hostile] = []
    for i, (minute, (kind, a, b, c, d)) in enumerate(steps):
        if kind == "malformed":
            rows.append(Hostile(a, kind))
            continue
        ts = (NOW + timedelta(minutes=minute)).isoformat(timespec="microseconds")
        if kind == "pair":
            rows += _pair(i, minute, VISITORS[a], b, c, d)
            continue
        step = kind
        if kind == "lead":
            contact = {"name": VISITORS[a].name, "company": VISITORS[a].company,
                       "email": VISITORS[a].email or None, "country": VISITORS[a].country,
                       "badge_id": VISITORS[a].badge_id}  # fmt: skip
            if c == "crm":
                contact["id"] = "C1"
            elif c == "free":
                contact["id"] = FREE_CRM_ID
            elif c == "ref":
                contact["id"] = f"L-{ref(d)}"
            elif c == "own":
                contact["id"] = f"L-{own[i]}"
            payload = {"contact": contact, "owner_id": b, "rule": "", "reason": "",
                       "rating": "warm"}  # fmt: skip
            kind = "lead.created"
        elif kind == "decide":
            payload = {"proposal_id": f"{ref(a)}:0", "approve": b, "assign_to": c}
            kind = "proposal.decided"
        elif kind == "settle":
            payload = {"proposal_id": f"{ref(a)}:0", "outcome": b, "owner_id": c,
                       "assistant_id": d, "split": 0.3 if d else None}  # fmt: skip
            kind = "dispute.decided"
        elif kind == "checkin":
            proposals = [{"kind": "reassign", "proposed_id": c, "current_id": "ana",
                          "reason": "hostile"}] if c else []  # fmt: skip
            contact_id = f"L-{ref(b)}" if a == "ref" else a
            payload = {"contact_id": contact_id, "owner_id": "ana", "rule": "", "reason": "",
                       "proposals": proposals}  # fmt: skip
        elif kind == "prefer":
            payload = {"contact_id": f"L-{ref(b)}" if a == "ref" else a, "preferred_id": c}
            kind = "contact.preference"
        elif kind == "received":
            payload = {"checkin_id": ref(a), "by": b}
            kind = "checkin.received"
        else:
            payload = {"salesperson_id": a, "away": b}
            kind = "salesperson.away"
        rows.append(Hostile((own[i], "kiosk-x", ts, "", ts, "", kind, json.dumps(payload)), step))
    return rows


def _pair(i: int, minute: int, visitor: LeadInput, gap: int, via: str, first: str) -> list[Hostile]:
    def row(part: int, at: int, kind: str, payload: dict) -> tuple:
        ts = (NOW + timedelta(minutes=at)).isoformat(timespec="microseconds")
        return (hostile_uuid(i, part), "kiosk-x", ts, "", ts, "", kind, json.dumps(payload))

    contact = {"name": visitor.name, "company": visitor.company, "email": visitor.email or None,
               "country": visitor.country, "badge_id": visitor.badge_id}  # fmt: skip
    lead = {"contact": contact, "rule": "", "reason": "", "rating": "warm"}
    item = f"{hostile_uuid(i, 1)}:0"
    if via == "decide":
        decision = row(2, minute + gap, "proposal.decided", {"proposal_id": item, "approve": True})
    else:
        decision = row(2, minute + gap, "dispute.decided", {
            "proposal_id": item, "outcome": "given", "owner_id": STRANGER})  # fmt: skip
    return [
        Hostile(row(0, minute - 1, "lead.created", {**lead, "owner_id": first}), "pair"),
        Hostile(row(1, minute, "lead.created", {**lead, "owner_id": STRANGER}), "pair", late=True),
        Hostile(decision, "pair"),
    ]


def row_key(row: tuple) -> object:
    """Rows unique by uuid (a source's primary key); at most one without a usable uuid."""
    return row[0] if isinstance(row[0], str) else "(none)"
