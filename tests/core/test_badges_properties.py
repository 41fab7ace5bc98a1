"""Property tests: parse_badge never raises, keeps `raw`, and returns tidy fields.

Besides arbitrary text, payloads are built from the formats' own prefixes and punctuation so
that the readers' less travelled branches (unfinished vCards, odd escapes, half JSON) are
exercised, not just the plain-text fallback. Long payloads (thousands of delimiters, deep
folding, huge QUOTED-PRINTABLE) check the 8 KB bound: over it a scan is refused, up to it it
is read. Timings are not asserted here; scripts/bench_badges.py measures them.
"""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from kiosk.badges import BADGE_FIELD_NAMES, KINDS, MAX_SCAN_BYTES, Badge, parse_badge
from tests.examples import examples

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
    for name in ("name", "email", "phone", "company", "title", "url", "city", "display_name"):
        value = getattr(badge, name)
        assert isinstance(value, str)
        assert value == value.strip() and "\n" not in value
    assert badge.country is None or (len(badge.country) == 2 and badge.country.isupper())
    assert badge.badge_id is None or badge.badge_id.strip()
    assert badge.token is None or badge.token.startswith("KV1.")
    assert set(badge.layout) <= set(BADGE_FIELD_NAMES)
    assert badge.inferred is False or badge.kind == "delimited"
    assert badge.payload_format


def size(payload: str) -> int:
    return len(payload.encode("utf-8", "surrogatepass"))


def check_bound(payload: str, badge: Badge) -> None:
    """Over the limit: refused, unread, saying so. Up to it: read like any other scan."""
    too_long = any(w.startswith("scan too long") for w in badge.warnings)
    if size(payload) > MAX_SCAN_BYTES:
        assert (badge.kind, badge.payload_format, too_long) == ("empty", "too_long", True)
        assert badge.raw == payload
    else:
        assert not too_long
        check(payload, badge)


@settings(max_examples=examples(300), deadline=None)
@given(st.text(max_size=200), orders)
def test_any_text_parses(payload: str, order: list[str] | None) -> None:
    check(payload, parse_badge(payload, field_order=order))


@settings(max_examples=examples(300), deadline=None)
@given(shaped)
# base64 that decodes to a name ending in "\r\x00": the control removed after the trim left a space
@example("BEGIN:VCARD\nFN;ENCODING=b:00000A0A")
def test_format_shaped_text_parses(payload: str) -> None:
    check(payload, parse_badge(payload))


# Units that are structure somewhere, repeated until the payload nears or passes 8 KB.
UNITS = ["^", "|", "\t", ";", "a;", "\\;", "=C3=A9", "=\r\n", "\r\n b", "N:a;", "a,", "@",
         "a@", "+1 ", "{\"a\":", "[", "中", "é", "x", " ", "/seg", "a=1&", ".a"]  # fmt: skip
LONG_PREFIXES = ["", "BEGIN:VCARD\r\nVERSION:2.1\r\nN;ENCODING=QUOTED-PRINTABLE:", "MECARD:",
                 "MATMSG:", "https://x.example/?", "mailto:", "sms:", "ID:", "1^"]  # fmt: skip
long_payloads = st.builds(
    lambda prefix, unit, n, tail: prefix + unit * n + tail,
    st.sampled_from(LONG_PREFIXES),
    st.sampled_from(UNITS),
    st.integers(min_value=1, max_value=9000),
    st.text(max_size=20),
)


@settings(max_examples=examples(150), deadline=None)
@given(long_payloads)
def test_long_payloads_are_read_or_refused(payload: str) -> None:
    check_bound(payload, parse_badge(payload))


@settings(max_examples=examples(60), deadline=None)
@given(st.text(min_size=1500, max_size=3500))
def test_the_limit_counts_bytes_of_utf8(payload: str) -> None:
    # 1500-3500 characters are 1.5-14 KB of UTF-8 depending on the script.
    check_bound(payload, parse_badge(payload))
