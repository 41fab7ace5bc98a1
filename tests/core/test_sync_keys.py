"""The keys a contacts import knows records by, and the filter of keys written so far."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kiosk.sync.keys import Seen, email_id, record_keys

_KEYS = st.text(st.sampled_from("abcCRM-@.1"), min_size=1, max_size=6)


def test_record_keys_are_distinct_and_name_the_contact_id():
    assert record_keys("C1", "a@x.example") == ("C1", "a@x.example")
    assert record_keys("C1", "") == ("C1",)
    assert record_keys("a@x.example", "a@x.example") == ("a@x.example",)
    assert record_keys(None, "a@x.example") == ("a@x.example", email_id("a@x.example"))


@given(st.lists(st.tuples(st.one_of(st.none(), _KEYS), _KEYS | st.just("")), max_size=60))
def test_first_says_new_exactly_when_no_key_was_seen_before(records):
    """`first` answers like membership tests and adds against an exact set (a Bloom
    filter may only err towards "seen", and not at all for a few dozen keys)."""
    seen, exact = Seen(), set()
    for crm, email in records:
        if not crm and not email:
            continue
        keys = record_keys(crm, email)
        assert len(set(keys)) == len(keys)
        assert seen.first(keys) == exact.isdisjoint(keys)
        exact.update(keys)
        assert all(k in seen for k in keys)
