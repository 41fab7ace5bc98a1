"""A merge reads a payload undecoded only when Python's own check would pass it unchanged.

`kiosk.events.validate.plain_values` lets a merge apply plain check-ins and "received" marks
without decoding their payloads. Whatever a payload holds — forged types, a key twice,
escapes, control and bidi characters, numbers JSON and SQLite read differently, broken
JSON — a payload it reads must be one `check_stored` passes as it is, and the values it hands
over must be the ones the applier would read from the decoded event. The rows the booth
itself writes must be read (else the fast path would be dead code).
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import event as note_case
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk import booth, events
from kiosk.events.validate import BadEvent, check_columns, check_stored, plain_values
from tests.examples import examples
from tests.factory import CONFIG, NOW

KEYS = ["contact_id", "owner_id", "rule", "reason", "invited_by", "brought_by",
        "territory_rule_id", "proposals", "raw", "checkin_id", "by", "note", "contact"]  # fmt: skip
# Text that is plain, or carries what the checks care about: controls, bidi overrides,
# line separators, quotes, backslashes, brackets, a key's own name, CJK, astral planes.
CHARS = st.sampled_from(
    ["a", "Z", "7", " ", "\u2192", "\u738b", "\U0001f600", "\t", "\n", "\r", "\x00", "\x1b",
     "\x7f", "\x85", "\x9b", "\u202e", "\u2066", "\u2028", "\u00a0", '"', "\\", "[", "{", ":",
     '"rule"', "contact_id"]
)  # fmt: skip
text = st.lists(CHARS, max_size=6).map("".join)
scalar = st.one_of(
    st.none(), st.booleans(), text, st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
)  # fmt: skip
value = st.recursive(
    scalar,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(text, inner, max_size=3)),
    max_leaves=6,
)
likely = st.one_of(
    st.tuples(st.sampled_from(KEYS), value),
    st.tuples(st.sampled_from(["contact_id", "checkin_id"]), st.sampled_from(["C1", "", "x"])),
    st.tuples(st.just("proposals"), st.sampled_from([[], None, [{"kind": "dispute"}], {}])),
)


# The keys the booth writes for each kind, with values of its own kind: most drawn
# payloads start from these, so that many are plain and the checks are exercised.
BASE = {
    "checkin": [("brought_by", None), ("contact_id", "C1"), ("invited_by", None),
                ("owner_id", "ben"), ("proposals", []), ("reason", "r"), ("rule", "x")],
    "checkin.received": [("by", "ana"), ("checkin_id", "x"), ("proposals", [])],
    "lead.created": [("contact", {"name": "A"})],
}  # fmt: skip


@st.composite
def payload_text(draw, kind: str) -> str:
    """A payload as another kiosk's file may hold it: encoded by Python in either style,
    written by hand (a key twice, odd spacing, numbers as written), or damaged."""
    pairs = (BASE[kind] if draw(st.booleans()) else []) + draw(st.lists(likely, max_size=4))
    if draw(st.booleans()):
        pairs = sorted(pairs, key=lambda kv: kv[0])
    style = draw(st.sampled_from(["python", "ascii", "by-hand", "damaged"]))
    if style in ("python", "ascii"):
        return json.dumps(dict(pairs), ensure_ascii=style == "ascii", sort_keys=draw(st.booleans()))
    space = draw(st.sampled_from(["", " ", "\n", "\r\n", "\t"]))
    number = draw(st.sampled_from(["01", "1.", "1e999", "NaN", "1E+2", "-0", "7"]))
    parts = [f"{json.dumps(k)}{space}:{space}{json.dumps(v, ensure_ascii=False)}" for k, v in pairs]
    if draw(st.booleans()):
        parts.append(f'"territory_rule_id":{number}')
    body = "{" + ("," + space).join(parts) + "}"
    if style == "damaged":
        cut = draw(st.integers(0, len(body)))
        body = body[:cut] + draw(st.sampled_from(["", ",", "}", "\x00", "]"])) + body[cut:]
    return body


def row_of(kind: str, payload: str, n: int) -> tuple[Any, ...]:
    ts = (NOW + timedelta(seconds=n)).isoformat(timespec="microseconds")
    return check_columns((f"uuid-{n}", "kiosk-x", ts, "", "", "", kind, payload))


def applier_reads(kind: str, payload: dict[str, Any]) -> tuple[Any, ...]:
    """What the applier of `kind` reads from a decoded plain event (`appliers`)."""
    if kind == "checkin":
        return (payload["contact_id"], payload.get("owner_id"), payload.get("rule", ""),
                payload.get("reason", ""), payload.get("invited_by"), payload.get("brought_by"))  # fmt: skip
    return (payload["checkin_id"], payload.get("by"))


@pytest.mark.slow
@settings(max_examples=examples(800), deadline=None)
@given(st.data())
def test_a_payload_read_undecoded_is_one_python_passes_unchanged(data):
    kind = data.draw(st.sampled_from(list(BASE)))
    payload = data.draw(payload_text(kind))
    row = row_of(kind, payload, 0)
    values = plain_values(kind, row[7])
    note_case("read undecoded" if values is not None else "left to check_stored")
    if values is None:
        return
    assert kind in ("checkin", "checkin.received")
    try:
        checked, event = check_stored(row)
    except BadEvent as exc:  # pragma: no cover - the failure this test exists for
        raise AssertionError(f"read undecoded: {payload!r}; Python: {exc}") from None
    assert checked == row  # nothing to clean: stored as it came
    assert not event.payload.get("proposals")
    assert values == applier_reads(kind, event.payload), payload


@given(st.sampled_from(["checkin", "checkin.received"]), st.dictionaries(
    st.sampled_from(["contact_id", "checkin_id", "owner_id", "by", "rule", "reason", "raw",
                     "brought_by", "territory_rule_id"]),
    st.one_of(st.none(), text, st.integers(-(2**64), 2**64)), min_size=1))  # fmt: skip
def test_python_encoded_payloads_are_read_alike(kind, fields):
    """Payloads encoded as the booth encodes them, with any text: read undecoded or not,
    never read differently."""
    payload = {**dict(BASE[kind]), **fields}
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True)
    values = plain_values(kind, text)
    if values is not None:
        checked, event = check_stored(row_of(kind, text, 0))
        assert checked[7] == text and values == applier_reads(kind, event.payload)


def test_the_booths_own_check_ins_and_marks_are_read_undecoded(db):
    """Check-ins and marks as this kiosk records them (a CJK raw scan included) are read."""
    first = booth.check_in(db, CONFIG, "C1", now=NOW, raw="B-100 王小明")
    booth.check_in(db, CONFIG, "C2", now=NOW + timedelta(minutes=1))
    booth.mark_received(db, CONFIG, first.event.uuid, by="kenji", now=NOW + timedelta(minutes=2))
    rows = [
        check_columns(r)
        for r in db.execute(f"SELECT {events.COLUMNS} FROM events ORDER BY ts_utc").fetchall()
    ]
    assert [r[6] for r in rows] == ["checkin", "checkin", "checkin.received"]
    assert any(not r[7].isascii() for r in rows)  # the raw scan
    for row in rows:
        assert plain_values(row[6], row[7]) == applier_reads(row[6], check_stored(row)[1].payload)


def test_what_is_read_undecoded_and_what_is_not():
    ok = '{"by": "ana", "checkin_id": "x"}'
    assert plain_values("checkin.received", ok) == ("x", "ana")
    for text in (
        '{"by": "ana", "checkin_id": ""}',  # an empty id: Python's check names it
        '{"by": "a\\u006ea", "checkin_id": "x"}',  # an escape
        '{"by": "a\u202ena", "checkin_id": "x"}',  # a bidi override: cleaned
        '{"by": "ana", "checkin_id": "x", "checkin_id": "y"}',  # a key twice
        '{"by":"ana","checkin_id":"x"}',  # another spacing
        '{"by": "ana", "checkin_id": "x", "proposals": [{"kind": "assistant"}]}',
        '{"by": "ana", "checkin_id": "x", "proposals": null}',
    ):
        assert plain_values("checkin.received", text) is None, text
    assert plain_values("lead.created", ok) is None
