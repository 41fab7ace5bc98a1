"""Two copies of one event: the same uuid with different content.

A merge and a hub pull take events in by uuid: one whose uuid the log already has is
known and skipped. That is right for the usual second copy — the same event relayed by
another kiosk, a stick merged twice — but a row edited on one laptop with an SQLite tool,
a forged file or a damaged copy carries a uuid the log has with other content, and was
skipped just the same: whichever copy arrived first stood and nobody was told. Ownership
is settled from these events, so such a copy is now set aside in the `quarantine` table
and named in the report, and the copy already taken stands (`kiosk.events.merge_rows`,
`kiosk.sync.merge`).

What is compared is what the event says: its kiosk, time (`ts`, as written), actor, kind
and payload. Not `recorded_at` (when each database stored it: it differs between any two
copies) nor `ts_utc` (derived from `ts`, and computed again by every merge). A payload
whose text differs is compared decoded, after the cleaning a merge gives an arriving
payload (`kiosk.events.validate.check_stored`): a merged copy of an event whose text held
a control character is stored cleaned and encoded again, so its text legitimately differs
from the one in its kiosk's file.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from kiosk.events.validate import COMPARED, MULTILINE_KEYS, Rejected
from kiosk.safety import clean_value


def differences(first: Sequence[Any], other: Sequence[Any]) -> list[str]:
    """The names of what differs between two stored rows (`COLUMNS` order) of one uuid:
    empty when they are copies of the same event. `first` is the copy taken (the log's),
    `other` the arriving one."""
    if len(other) != 8:  # not a stored row at all (a forged stream): nothing is the same
        return [name for _, name in COMPARED]
    out = [name for i, name in COMPARED[:-1] if _differ(first[i], other[i])]
    if _differ(first[7], other[7]) and not _same_payload(first[7], other[7]):
        out.append("payload")
    return out


def _differ(a: Any, b: Any) -> bool:
    return type(a) is not type(b) or a != b


def _same_payload(first: Any, other: Any) -> bool:
    """Two payload texts that say the same once each is cleaned as a merge cleans an
    arriving one: other spacing, key order or escapes of the same values. Both: the copy
    taken may be a kiosk's own, uncleaned, and the arriving one the office's, cleaned.
    Compared encoded alike, so that `true` is not `1` as it is to Python."""
    try:
        if isinstance(other, bytes):
            other = other.decode("utf-8")
        if not isinstance(first, str) or not isinstance(other, str):
            return False
        return _canonical(first) == _canonical(other)
    except (ValueError, RecursionError):
        return False


def _canonical(text: str) -> str:
    payload = clean_value(json.loads(text), multiline_keys=MULTILINE_KEYS)
    return json.dumps(payload, ensure_ascii=False, sort_keys=True)


IN_THE_LOG = "the event with this id already in the log"


def differing_copy(row: Sequence[Any], what: Sequence[str], *, taken: str = IN_THE_LOG) -> Rejected:
    """The arriving `row` set aside as a copy that differs (in `what`) from the copy of its
    event that was `taken`: the log's, or one an earlier file of the same merge held."""
    return Rejected(tuple(row), f"differs from {taken} ({', '.join(what)})", copy=True)


def taken_from(file: str) -> str:
    """How a reason names the copy taken from an earlier file of the same merge."""
    return f"the copy of this event in {file}, which this merge took first"
