"""The quick reading of plain badge ids and e-mail addresses agrees with the full reader.

`kiosk.badges._quick` answers the two commonest scans without trying every format (the full
reader costs more than the database lookup after it). It must never read a payload
differently: for every input it takes, the full reader (`_read` + `_finish`, what
`parse_badge` did before) gives an equal `Badge`; inputs it leaves alone go the full way.
"""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from kiosk import badges
from kiosk.badge_formats.noise import clean_payload
from kiosk.badges import Badge, parse_badge
from kiosk.config import DEFAULT_BADGE_FIELDS


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


@settings(max_examples=3000, deadline=None)
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
    for other in ("Ana Ruiz", "ID:123", "mailto:a@b.es", "www.acme1.com", "+49 30 1234567",
                  "B0001\n", " B0001", "abc", "KV1.a.b"):  # fmt: skip
        assert badges._quick(other) is None, other


@settings(max_examples=1500, deadline=None)
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
