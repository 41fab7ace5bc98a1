"""Checking an event from another kiosk before it may enter this log.

A merge copies other kiosks' stored rows (`kiosk.events.merge_rows`). Those files travel on
USB sticks and laptops: a row may be damaged or forged — bad JSON, a kind this kiosk does
not know, a payload of the wrong shape, a time that is not a time, text carrying terminal
controls. Each row is checked on its own here; one that fails is set aside with the reason
(the merge keeps it in the `quarantine` table and names it in its report) and the others
merge. An event that passes these checks but still cannot be applied (it names a contact
this database does not have) is set aside the same way by `merge_rows`.

Checks are per column and then per kind (`_SCHEMAS`): required keys, the type of every
known key (unknown keys are allowed: a newer kiosk may add some), and the values the
tables constrain (ratings, proposal kinds, shares); a lead may not choose its contact's
id (`check_contact_id`). Strings in the payload are made inert with
`kiosk.safety.clean_text`; the row keeps its stored payload text unless cleaning changed
something (then it is encoded again).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from kiosk.events.appliers import APPLIERS
from kiosk.events.log import Event, StoredRow, event_from_row
from kiosk.models import RATINGS
from kiosk.safety import BIDI_CONTROLS, clean_value

MAX_ID = 200  # characters in a uuid, kiosk id or actor
MAX_TS = 64
MAX_PAYLOAD = 1 << 20  # a raw scan is at most 8 KB; a megabyte of JSON is not an event
PROPOSAL_KINDS = ("assistant", "reassign", "preference", "dispute")
# Payload keys whose text may hold line breaks and tabs (a visitor's notes, a raw scan).
MULTILINE_KEYS = ("notes", "raw", "note", "text")
OUTCOMES = ("kept", "given", "shared", "customer", "deferred")
# Payload text that may hold a control character or a bidi override, raw or as a JSON escape
# (\u001b, \u009b, \u202e …, or \r \b \f): only such payloads are decoded and cleaned again.
_SUSPECT = re.compile(
    r"\\u00[01][0-9a-fA-F]|\\u007[fF]|\\u00[89][0-9a-fA-F]|\\u20(?:2[a-eA-E]|6[6-9])"
    r"|\\[rbf]|[\x00-\x08\x0b-\x1f\x7f-\x9f" + BIDI_CONTROLS + "]"
)


class BadEvent(ValueError):
    """This row cannot enter the log; the message says why, for the merge report."""


# What two copies of one event are compared on (indexes in `COLUMNS` order, and their
# names in a reason): what the event says, not when each database stored it
# (`kiosk.events.copies`).
COMPARED = ((1, "kiosk id"), (2, "time"), (5, "actor"), (6, "kind"), (7, "payload"))


@dataclass(frozen=True)
class Rejected:
    """A row set aside by a merge: as it was stored in its source, and why. `copy`: a
    copy of an event taken already that differs from it (`kiosk.events.copies`)."""

    row: tuple[Any, ...]
    reason: str
    copy: bool = False

    def _col(self, i: int) -> Any:
        return self.row[i] if len(self.row) > i else None

    @property
    def uuid(self) -> str:
        return shown(self._col(0))

    @property
    def kiosk_id(self) -> str:
        return shown(self._col(1))

    @property
    def kind(self) -> str:
        return shown(self._col(6))

    @property
    def key(self) -> str:
        """The uuid, or for a row without a usable one a hash of the whole row. A differing
        copy's is its uuid and a digest of what it says: each differing version is kept
        once beside the event set aside for what it is (the uuid alone), and merging the
        same file again finds it kept already."""
        uuid = self._col(0)
        if isinstance(uuid, str) and 0 < len(uuid) <= MAX_ID and uuid.isprintable():
            if not self.copy:
                return uuid
            said = repr(tuple(self._col(i) for i, _ in COMPARED)).encode("utf-8", "replace")
            return f"{uuid} copy {hashlib.sha1(said).hexdigest()[:16]}"
        return "sha1:" + hashlib.sha1(repr(self.row).encode("utf-8", "replace")).hexdigest()


def shown(value: Any) -> str:
    """A column as one safe line of text for a report (control characters escaped)."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else repr(value)
    text = text if text.isprintable() else repr(text)[1:-1]
    return text[:MAX_ID]


# ---------------------------------------------------------------- the stored columns


def _id(value: Any, what: str, *, empty: bool = False) -> str:
    if value is None and empty:
        return ""
    if not isinstance(value, str):
        raise BadEvent(f"{what} is not text ({type(value).__name__})")
    if not value and not empty:
        raise BadEvent(f"{what} is empty")
    if len(value) > MAX_ID or not value.isprintable():
        raise BadEvent(f"{what} is not an id (too long, or control characters)")
    return value


def utc_of(ts: Any, stored: Any = None) -> str:
    """The replay key of an event time, or BadEvent: ISO 8601 text, with a zone (naive
    times are UTC, as `Event.ts_utc` reads them), that converts to UTC. A `stored` key is
    kept when it is that same instant in the canonical form (cheaper than writing it)."""
    if not isinstance(ts, str) or not ts or len(ts) > MAX_TS:
        raise BadEvent(f"time {shown(ts)!r} is not an ISO 8601 time")
    try:
        when = datetime.fromisoformat(ts)
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        if (
            isinstance(stored, str)
            and len(stored) == 32
            and stored.endswith("+00:00")
            and datetime.fromisoformat(stored) == when
        ):
            return stored
        return when.astimezone(UTC).isoformat(timespec="microseconds")
    except (ValueError, OverflowError):
        raise BadEvent(f"time {shown(ts)!r} is not an ISO 8601 time") from None


def check_columns(row: Sequence[Any]) -> StoredRow:
    """The row's columns checked, with the replay key computed from its own time (a stored
    `ts_utc` that disagrees with `ts` is not trusted). The payload is not decoded here."""
    if len(row) != 8:
        raise BadEvent(f"a row of {len(row)} columns, not 8")
    uuid, kiosk_id, ts, stored_utc, recorded_at, actor, kind, payload = row
    # the usual row passes in one expression; `_id` names what is wrong with another
    if not (type(uuid) is str and 0 < len(uuid) <= MAX_ID and uuid.isprintable()):
        uuid = _id(uuid, "uuid")
    if not (type(kiosk_id) is str and 0 < len(kiosk_id) <= MAX_ID and kiosk_id.isprintable()):
        kiosk_id = _id(kiosk_id, "kiosk id")
    ts_utc = utc_of(ts, stored_utc)
    if actor != "":
        actor = _id(actor, "actor", empty=True)
    if kind not in APPLIERS or type(kind) is not str:
        raise BadEvent(f"unknown kind {shown(kind)!r} (from a newer kiosk?)")
    if type(payload) is not str and isinstance(payload, bytes):
        try:
            payload = payload.decode("utf-8")
        except UnicodeDecodeError:
            raise BadEvent("payload is not UTF-8 text") from None
    if not isinstance(payload, str):
        raise BadEvent(f"payload is not JSON text ({type(payload).__name__})")
    if len(payload) > MAX_PAYLOAD:
        raise BadEvent(f"payload of {len(payload):,} characters is too large")
    recorded = recorded_at if isinstance(recorded_at, str) else ""
    return (uuid, kiosk_id, ts, ts_utc, recorded, actor, kind, payload)


# ---------------------------------------------------------------- the payload

Check = Callable[[Any, str], None]


def _type_error(where: str, value: Any, expected: str) -> BadEvent:
    return BadEvent(f"{where} must be {expected}, not {type(value).__name__}")


def _text(value: Any, where: str) -> None:
    if not isinstance(value, str):
        raise _type_error(where, value, "text")


def _text_or_none(value: Any, where: str) -> None:
    if value is not None and not isinstance(value, str):
        raise _type_error(where, value, "text or null")


def _key(value: Any, where: str) -> None:
    if not isinstance(value, str) or not value:
        raise BadEvent(f"{where} must be a non-empty id")


def _flag(value: Any, where: str) -> None:
    if value is not None and not isinstance(value, bool | int):
        raise _type_error(where, value, "true or false")


def _int_or_none(value: Any, where: str) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        raise _type_error(where, value, "a whole number or null")
    if isinstance(value, int) and not -(2**63) <= value < 2**63:
        raise BadEvent(f"{where} is out of range")


def _number_or_none(value: Any, where: str) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
        raise _type_error(where, value, "a number or null")


def _share(value: Any, where: str) -> None:
    _number_or_none(value, where)
    if value is not None and not 0 <= value <= 1:
        raise BadEvent(f"{where} must be between 0 and 1")


def _rating(value: Any, where: str) -> None:
    if value not in RATINGS:
        raise BadEvent(f"{where} must be one of {', '.join(RATINGS)}")


def _text_list(value: Any, where: str) -> None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise BadEvent(f"{where} must be a list of texts")


def _object(value: Any, where: str) -> None:
    if not isinstance(value, dict):
        raise _type_error(where, value, "an object")


# Checks that any text passes, and those that null passes: such values skip the call (a
# merge checks a hundred thousand payloads, most of them all text and nulls).
_ANY_TEXT = frozenset({_text, _text_or_none})
_NULL_OK = frozenset({_text_or_none, _flag, _int_or_none, _number_or_none, _share})


class _Shape:
    """The keys an object must have, and what each known key must hold (others may come)."""

    def __init__(self, checks: dict[str, Check], required: tuple[str, ...] = ()) -> None:
        self.checks = checks
        self.required = required
        self.texts = frozenset(k for k, c in checks.items() if c in _ANY_TEXT)
        self.nulls = frozenset(k for k, c in checks.items() if c in _NULL_OK)

    def check(self, obj: Any, where: str) -> None:
        if not isinstance(obj, dict):
            raise _type_error(where or "payload", obj, "an object")
        missing = [k for k in self.required if k not in obj]
        if missing:
            raise BadEvent(f"{where or 'payload'} lacks {', '.join(missing)}")
        texts, nulls, checks = self.texts, self.nulls, self.checks
        for key, value in obj.items():
            if value is None:
                if key in nulls:
                    continue
            elif type(value) is str and key in texts:
                continue
            check = checks.get(key)
            if check is not None:
                check(value, f"{where}.{key}" if where else key)


_CONTACT = _Shape(
    dict.fromkeys(
        ("id", "name", "company", "title", "email", "phone", "country", "city", "language",
         "badge_id"),
        _text_or_none,
    )
)  # fmt: skip
_PROPOSAL = _Shape(
    {
        "kind": lambda v, where: _one_of(v, where, PROPOSAL_KINDS),
        "current_id": _text_or_none,
        "proposed_id": _text_or_none,
        "split": _share,
        "reason": _text,
        "evidence": _object,
    },
    required=("kind",),
)


def _half(value: Any, where: str) -> None:
    """A decided split: a share, never above 50/50 (the cap no kiosk may exceed)."""
    _share(value, where)
    if value is not None and value > 0.5:
        raise BadEvent(f"{where} must be at most 0.5")


def _day(value: Any, where: str) -> None:
    if value is None:
        return
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise BadEvent(f"{where} must be a date like 2026-12-02")


def _one_of(value: Any, where: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise BadEvent(f"{where} must be one of {', '.join(allowed)}")


def _contact(value: Any, where: str) -> None:
    _CONTACT.check(value, where)


def _proposals(value: Any, where: str) -> None:
    if not isinstance(value, list):
        raise _type_error(where, value, "a list")
    for i, p in enumerate(value):
        _PROPOSAL.check(p, f"{where}[{i}]")


_DECISION: dict[str, Check] = {
    "owner_id": _text_or_none,
    "rule": _text,
    "reason": _text,
    "territory_rule_id": _int_or_none,
    "proposals": _proposals,
}
# Per kind, what its applier reads (`kiosk.events.appliers`).
_SCHEMAS: dict[str, _Shape] = {
    "checkin": _Shape({
        "contact_id": _key, **_DECISION, "invited_by": _text_or_none,
        "brought_by": _text_or_none, "raw": _text,
    }, required=("contact_id",)),
    "checkin.received": _Shape({
        "checkin_id": _key, "by": _text_or_none, "proposals": _proposals,
    }, required=("checkin_id",)),
    "walkin.arrived": _Shape({
        "contact": _contact, **_DECISION, "raw": _text, "badge": _object,
    }),
    "lead.created": _Shape({
        "contact": _contact, **_DECISION, "rating": _rating, "products": _text_list,
        "notes": _text_or_none, "consent": _flag, "brought_by": _text_or_none,
        "contact_id": _text_or_none, "distinct": _flag,
    }, required=("contact",)),
    "proposal.decided": _Shape({
        "proposal_id": _key, "key": _text_or_none, "approve": _flag, "note": _text_or_none,
        "assign_to": _text_or_none,
    }, required=("proposal_id",)),
    "contact.preference": _Shape({
        "contact_id": _key, "preferred_id": _key, "reason": _text_or_none,
    }, required=("contact_id", "preferred_id")),
    "salesperson.away": _Shape(
        {"salesperson_id": _key, "away": _flag}, required=("salesperson_id",)
    ),
    "invitation.sent": _Shape({
        "contact_id": _key, "salesperson_id": _key, "issued_at": _text_or_none,
        "token": _text_or_none, "language": _text_or_none, "email": _text_or_none,
    }, required=("contact_id", "salesperson_id")),
    "badges.layout": _Shape({
        "fields": _text_list, "confidence": _number_or_none, "scans": _int_or_none,
    }),
    "dispute.note": _Shape({
        "proposal_id": _key, "key": _text_or_none, "by": _key, "text": _text,
    }, required=("proposal_id", "by", "text")),
    "dispute.decided": _Shape({
        "proposal_id": _key, "key": _text_or_none, "contact_id": _text_or_none,
        "outcome": lambda v, where: _one_of(v, where, OUTCOMES), "owner_id": _text_or_none,
        "assistant_id": _text_or_none, "split": _half, "customer_chose": _text_or_none,
        "defer_until": _day, "review_at": _day, "note": _text_or_none, "sides": _text_list,
        "notify": _text_list,
    }, required=("proposal_id", "outcome")),
    "dispute.review": _Shape({
        "arrangement_id": _key, "contact_id": _text_or_none, "current_id": _text_or_none,
        "proposed_id": _text_or_none, "reason": _text_or_none, "evidence": _object,
        "notify": _text_list,
    }, required=("arrangement_id",)),
    "dispute.undone": _Shape({
        "proposal_id": _key, "key": _text_or_none, "decision_id": _key,
        "contact_id": _text_or_none, "outcome": lambda v, where: _one_of(v, where, OUTCOMES),
        "owner_id": _text_or_none, "assistant_id": _text_or_none, "split": _half,
        "preferred_id": _text_or_none, "reason": _text_or_none, "sides": _text_list,
        "notify": _text_list,
    }, required=("proposal_id", "decision_id")),
    "pin.failed": _Shape({
        "subject": _key, "failures": _int_or_none, "wait_seconds": _number_or_none,
        "locked": _flag, "purpose": _text_or_none,
    }, required=("subject",)),
}  # fmt: skip


def check_payload(kind: str, payload: Any) -> None:
    """Raise BadEvent when `payload` is not what the applier of `kind` reads."""
    _SCHEMAS[kind].check(payload, "")


def check_contact_id(uuid: str, kind: str, payload: Any) -> None:
    """A lead may not choose its contact's id (issue 12 §4): the contact it creates is
    `L-<its uuid>` (`appliers._lead`), and a `contact.id` other than that one would take an
    id the CRM or another event owns — a CRM import of that contact is then refused ("is
    already used by another contact"), or a later lead's contact cannot be created. No
    kiosk ever wrote one (`kiosk.booth.add_lead` leaves it out, in every version), so
    absent, null, empty or the lead's own id pass. A walk-in's applier never reads it (its
    contact is always `W-<uuid>`). Call after `check_payload` (the contact is an object)."""
    if kind != "lead.created":
        return
    chosen = payload["contact"].get("id")
    if chosen and chosen != f"L-{uuid}":
        raise BadEvent(
            f"contact.id {shown(chosen)!r} is not this lead's own (L-{uuid}):"
            " a lead may not choose its contact's id"
        )


def check_row(row: Sequence[Any]) -> tuple[StoredRow, Event]:
    """A row from another kiosk checked and made inert: the row to store (its `ts_utc` the
    one its time gives) and the event to apply. Raises BadEvent with the reason."""
    return check_stored(check_columns(row))


def check_stored(stored: StoredRow) -> tuple[StoredRow, Event]:
    """`check_row` for a row whose columns `check_columns` passed: the payload's turn."""
    text = stored[7]
    try:
        payload = json.loads(text)
    except (ValueError, RecursionError):
        raise BadEvent("payload is not valid JSON") from None
    check_payload(stored[6], payload)
    check_contact_id(stored[0], stored[6], payload)
    # Only text that may hold a control character (raw, or as a JSON escape) is cleaned.
    if ("\\" in text or not text.isprintable()) and _SUSPECT.search(text):
        try:
            cleaned = clean_value(payload, multiline_keys=MULTILINE_KEYS)
        except RecursionError:
            raise BadEvent("payload is nested too deeply") from None
        if cleaned != payload:
            payload = cleaned
            text = json.dumps(payload, ensure_ascii=False, sort_keys=True)
            stored = (*stored[:7], text)
    return stored, event_from_row((*stored[:7], payload))


def quarantine_row(rejected: Rejected, source: str, at: str) -> tuple[Any, ...]:
    """The `quarantine` table's row for a rejected event (see `kiosk.db`)."""
    col = rejected._col
    return (
        rejected.key, *(_kept(col(i)) for i in (0, 1, 2, 5, 6, 7)), rejected.reason, source,
        at,
    )  # fmt: skip


QUARANTINE_KEEP = 64 * 1024  # characters of one column the quarantine table keeps


def _kept(value: Any) -> Any:
    """A column as the quarantine keeps it: a text or blob longer than `QUARANTINE_KEEP` is
    cut, saying so. An event refused as too large (20 MB of payload) grew the database by
    its size on every merge that set it aside; the full row is still in its source file,
    which a merge reads again."""
    if isinstance(value, str) and len(value) > QUARANTINE_KEEP:
        return f"{value[:QUARANTINE_KEEP]}… [{len(value):,} characters; cut]"
    if isinstance(value, bytes) and len(value) > QUARANTINE_KEEP:
        return value[:QUARANTINE_KEEP]
    return value


# ---------------------------------------------------------------- plain rows, undecoded

# A merge of a hundred thousand events is mostly plain check-ins and "received" marks, and
# decoding each payload to check its shape cost more than applying it. The booth writes
# them in one form (`json.dumps(..., ensure_ascii=False, sort_keys=True)`), so a payload
# that is exactly that form, with no manager items and no text `check_stored` would clean,
# can be read by one regular expression: `plain_values` gives the values the applier would
# read, and `check_stored` would pass such a row unchanged. Every other row — an escape
# (the form of any text cleaning may change), a control or bidi character, another key
# order or spacing, an extra key, a key twice, proposals — goes through `check_stored` as
# before. Tried first: SQLite's JSON functions over a temporary table, one statement for
# all rows — 1.9 s for 100,000 rows against `check_stored`'s 1.4 s (each `json_type` or
# `json_extract` call parses the payload again).
# A JSON string taken verbatim: no quote, no backslash (so no escape), no character the
# cleaning would touch. `_ID` is one that must not be empty.
_CHARS = '[^"\\\\\x00-\x1f\x7f-\x9f' + BIDI_CONTROLS + "]"
_S, _ID = f'"({_CHARS}*)"', f'"({_CHARS}+)"'
_S_OR_NULL = f"(?:null|{_S})"
_INT_OR_NULL = "(?:null|-?(?:0|[1-9][0-9]{0,17}))"
_PLAIN_FORMS = {
    "checkin": re.compile(
        f'\\{{"brought_by": {_S_OR_NULL}, "contact_id": {_ID}, "invited_by": {_S_OR_NULL},'
        f' "owner_id": {_S_OR_NULL}, "proposals": \\[\\], (?:"raw": {_S}, )?"reason": {_S},'
        f' "rule": {_S}(?:, "territory_rule_id": {_INT_OR_NULL})?\\}}'
    ),
    "checkin.received": re.compile(
        f'\\{{"by": {_S_OR_NULL}, "checkin_id": {_ID}(?:, "proposals": \\[\\])?\\}}'
    ),
}


def plain_values(kind: str, text: str) -> tuple[Any, ...] | None:
    """For a payload in the booth's own form with nothing to check further: what the
    applier reads — a check-in's (contact_id, owner_id, rule, reason, invited_by,
    brought_by), a mark's (checkin_id, by); None for anything else."""
    form = _PLAIN_FORMS.get(kind)
    found = form.fullmatch(text) if form is not None else None
    if found is None:
        return None
    if kind == "checkin":
        brought, contact, invited, owner, _raw, reason, rule = found.groups()
        return (contact, owner, rule, reason, invited, brought)
    by, checkin_id = found.groups()
    return (checkin_id, by)
