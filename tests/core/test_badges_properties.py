"""Property tests: parse_badge never raises, keeps `raw`, and returns tidy fields.

Besides arbitrary text, payloads are built from the formats' own prefixes and punctuation so
that the readers' less travelled branches (unfinished vCards, odd escapes, half JSON) are
exercised, not just the plain-text fallback.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.badges import BADGE_FIELD_NAMES, KINDS, Badge, parse_badge

PREFIXES = [
    "",
    "]Q1",
    "\\000026",
    "\ufeff",
    "KV1.",
    "https://x.example/i/KV1.",
    "BEGIN:VCARD\n",
    "BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:",
    "BEGIN:VCARD\nFN;ENCODING=b:",
    "MECARD:N:",
    "BIZCARD:N:",
    "{",
    '{"name": ',
    "[",
    "http://",
    "www.",
    "ID:",
    "REG-",
    "1^",
    "a|b|",
    "x\ty\t",
]
# Characters that are structure in at least one format.
PUNCTUATION = list(";:,^|\t\n\r\\=\"'@{}[]/?&#.-_ ") + ["=C3", "=\n", "\r\n ", "\\;", "\\n"]
pieces = st.one_of(st.sampled_from(PUNCTUATION), st.text(max_size=6))
shaped = st.builds(
    lambda prefix, body: prefix + "".join(body),
    st.sampled_from(PREFIXES),
    st.lists(pieces, max_size=25),
)
orders = st.none() | st.lists(st.sampled_from([*BADGE_FIELD_NAMES, "bogus"]), max_size=8)


def check(payload: str, badge: Badge) -> None:
    assert isinstance(badge, Badge)
    assert badge.raw == payload
    assert badge.kind in KINDS
    assert not any(w.startswith("could not read this badge") for w in badge.warnings)
    for name in ("name", "email", "phone", "company", "title", "url", "city"):
        value = getattr(badge, name)
        assert isinstance(value, str)
        assert value == value.strip() and "\n" not in value
    assert badge.country is None or (len(badge.country) == 2 and badge.country.isupper())
    assert badge.badge_id is None or badge.badge_id.strip()
    assert badge.token is None or badge.token.startswith("KV1.")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200), orders)
def test_any_text_parses(payload: str, order: list[str] | None) -> None:
    check(payload, parse_badge(payload, field_order=order))


@settings(max_examples=300, deadline=None)
@given(shaped)
def test_format_shaped_text_parses(payload: str) -> None:
    check(payload, parse_badge(payload))
