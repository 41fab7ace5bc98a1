"""The quick reading of plain badge ids, e-mail addresses and international phone numbers
agrees with the full reader.

`kiosk.badges._quick` answers the two commonest scans without trying every format (the full
reader costs more than the database lookup after it). It must never read a payload
differently: for every input it takes, the full reader (`_read` + `_finish`, what
`parse_badge` did before) gives an equal `Badge`; inputs it leaves alone go the full way.
"""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kiosk import badges
from kiosk.badge_formats.noise import clean_payload
from kiosk.badges import Badge, parse_badge
from kiosk.config import DEFAULT_BADGE_FIELDS
from kiosk.phones import normalize_phone
from tests.examples import examples


def full_reading(raw: str) -> Badge:
    """The full reader alone, skipping the quick path."""
    text, warnings = clean_payload(raw)
    if not text:
        return Badge(kind="empty", raw=raw, warnings=(*warnings, "empty scan"))
    draft = badges._read(text, tuple(DEFAULT_BADGE_FIELDS))
    draft.warnings[:0] = warnings
    return badges._finish(draft, raw)


# Letters that are structure in some format, mixed with what ids and addresses are made of.
ALPHABET = 'aAbBkKvVwWhHtTpPxX0123456789.-_@%+:=#/^|;"\\] \t\n'
PIECES = ["www.", "http", "KV1.", "kv1.", "ID", "REG-", "@", ".com", ".de", "mailto:", "00", "+"]


@st.composite
def payloads(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.one_of(st.text(ALPHABET, max_size=12), st.sampled_from(PIECES)),
                          max_size=6))  # fmt: skip
    return "".join(parts)


@pytest.mark.slow
@settings(max_examples=examples(1200), deadline=None)
@given(payloads())
@example("B00012345")
@example("123")
@example("12")
@example("ab1")
@example("ana.ruiz@acme.es")
@example("ANA.RUIZ@ACME.ES")
@example("www.acme2.com")
@example("http1")
@example("KV1.abc.def")
@example("kv1.x@acme.com")
@example("www.x@acme.com")
@example("ID#123")
@example("id=12@x.com")
@example("a^b@x.com")
@example("expo2026.example")
@example("x" * 64 + "1")
def test_quick_reading_agrees_with_the_full_reader(raw: str) -> None:
    quick = badges._quick(raw)
    if quick is not None:
        assert quick == full_reading(raw)
    assert parse_badge(raw) == full_reading(raw)


def test_quick_reading_takes_the_common_shapes() -> None:
    assert badges._quick("B00012345") == Badge(kind="registration", badge_id="B00012345",
                                                raw="B00012345")  # fmt: skip
    assert badges._quick("Ana.Ruiz@acme.es") == Badge(kind="email", email="Ana.Ruiz@acme.es",
                                                       raw="Ana.Ruiz@acme.es")  # fmt: skip
    for other in ("Ana Ruiz", "ID:123", "mailto:a@b.es", "www.acme1.com", "+49 30/1234567",
                  "+49  30 1234567", "+49 30 1234567 ", "+999 123456", "B0001\n", " B0001",
                  "abc", "KV1.a.b"):  # fmt: skip
        assert badges._quick(other) is None, other


def test_a_valid_international_number_alone_is_read_quickly_with_its_country() -> None:
    assert badges._quick("+49 1577 7472896") == Badge(
        kind="text", phone="+49 1577 7472896", country="DE", raw="+49 1577 7472896",
        warnings=("country DE inferred from the phone number's calling code",),
    )  # fmt: skip
    for number in ("+8613800138000", "+1 415 555 0132", "+44 20 7946 0000", "+48553862099"):
        quick = badges._quick(number)
        assert quick is not None and quick.phone == number and quick.country, number
        assert quick == full_reading(number)


def test_an_invalid_international_number_with_blanks_is_kept_as_text_quickly() -> None:
    """No region has '+1 433…': the full reader keeps it as text with nothing read, and so
    does the quick path; without a blank it could be an id, and goes the full way."""
    for number in ("+1 433 229 4744", "+49 1 2", "+86 1 2345"):
        quick = badges._quick(number)
        assert quick is not None and quick.phone == "" and quick.country is None, number
        assert quick == full_reading(number)
    assert badges._quick("+14332294744") is None


NUMBERS = ["+8613800138000", "+86 138 0013 8000", "+1 204 555 0100", "+7 912 345 67 89",
           "+44 7911 123456", "+800 1234 5678"]  # fmt: skip


@pytest.mark.slow
@settings(max_examples=examples(800), deadline=None)
@given(
    st.one_of(
        st.from_regex(r"\A\+[0-9]{5,15}\Z"),
        st.from_regex(r"\A\+[0-9]{1,3}( [0-9]{1,5}){1,5}\Z"),
        st.from_regex(r"\A\+[0-9][0-9 ().\-/]{3,28}\Z"),
        st.sampled_from(NUMBERS),
    )
)
def test_phone_shapes_read_alike(raw: str) -> None:
    quick = badges._quick(raw)
    if quick is not None:
        assert quick == full_reading(raw)
        # the E.164 it passes on to lookup is the one `normalize_phone` would read
        assert quick.e164 in ("", normalize_phone(raw))
    assert parse_badge(raw) == full_reading(raw)


def test_a_quick_number_carries_its_e164() -> None:
    for raw, e164 in (("+49 1577 7472896", "+4915777472896"), ("+8613800138000", "+8613800138000"),
                      ("+1 415 555 0132", "+14155550132")):  # fmt: skip
        quick = badges._quick(raw)
        assert quick is not None and quick.e164 == e164 == normalize_phone(raw), raw
    assert badges._quick("B00012345").e164 == ""  # type: ignore[union-attr]


@pytest.mark.slow
@settings(max_examples=examples(800), deadline=None)
@given(
    st.one_of(
        st.from_regex(r"\A[A-Za-z0-9][A-Za-z0-9._-]{0,70}\Z"),
        st.from_regex(
            r"\A[A-Za-z0-9._%+-]{1,70}@[A-Za-z0-9-]{1,9}(\.[A-Za-z0-9-]{1,5}){0,3}\.[A-Za-z]{1,4}\Z"
        ),
    )
)
def test_id_and_address_shapes_read_alike(raw: str) -> None:
    quick = badges._quick(raw)
    if quick is not None:
        assert quick == full_reading(raw)
