"""Records built without their dataclass `__init__` (`kiosk.models.assemble`) are the same
records: equal, with the same hash and exactly the same fields, as the ones `__init__` makes.

The exact lookups build Contacts and Badges this way because a frozen dataclass's `__init__`
was a tenth of a lookup; a field added to either class must not be silently left unset."""

from __future__ import annotations

from dataclasses import FrozenInstanceError, fields
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk import badges
from kiosk.badges import Badge
from kiosk.models import Contact, assemble
from kiosk.store import CONTACT_COLUMNS, contact_from_values, iso

text = st.one_of(st.none(), st.text(max_size=8))
stamps = st.one_of(
    st.none(),
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2040, 1, 1),
                 timezones=st.just(UTC)).map(iso),
)  # fmt: skip
COLUMNS = [c.strip() for c in CONTACT_COLUMNS.split(",")]
STAMPED = {"filed_at", "first_contact_at", "last_contact_at", "last_deal_at"}


@st.composite
def contact_rows(draw: st.DrawFn) -> tuple[object, ...]:
    values: list[object] = []
    for name in COLUMNS:
        if name in STAMPED:
            values.append(draw(stamps))
        elif name == "split":
            values.append(draw(st.one_of(st.none(), st.floats(0, 1))))
        elif name == "consent":
            values.append(draw(st.sampled_from([0, 1, None])))
        elif name in ("id", "name"):
            values.append(draw(st.text(min_size=1, max_size=8)))
        else:
            values.append(draw(text))
    return tuple(values)


def by_init(values: tuple[object, ...], badge_id: str | None) -> Contact:
    """What contact_from_values made before it skipped `__init__`."""
    row = dict(zip(COLUMNS, values, strict=True))
    for name in ("company", "title", "email", "phone", "city", "grade"):
        row[name] = row[name] or ""
    for name in STAMPED:
        value = row[name]
        row[name] = datetime.fromisoformat(value) if isinstance(value, str) else None
    row["consent"] = bool(row["consent"])
    return Contact(**row, badge_id=badge_id)  # type: ignore[arg-type]


@given(contact_rows(), st.one_of(st.none(), st.text(max_size=6)))
def test_a_contact_read_from_a_row_is_the_one_init_builds(
    values: tuple[object, ...], badge_id: str | None
) -> None:
    fast, slow = contact_from_values(values, badge_id=badge_id), by_init(values, badge_id)
    assert fast == slow
    assert hash(fast) == hash(slow)
    assert vars(fast) == vars(slow)
    assert set(vars(fast)) == {f.name for f in fields(Contact)}


def test_fields_left_out_take_their_defaults() -> None:
    made = assemble(Badge, {"kind": "email", "email": "a@b.co", "raw": "a@b.co",
                            "payload_format": "email"})  # fmt: skip
    assert made == Badge(kind="email", email="a@b.co", raw="a@b.co")
    assert vars(made) == vars(Badge(kind="email", email="a@b.co", raw="a@b.co"))


def test_quick_badges_are_the_badges_init_builds() -> None:
    for raw in ("B00012345", "ana@acme.es", "+49 30 1234567", "+86 158 250 55848", "+1 234 5"):
        quick = badges._quick(raw)
        assert quick is not None, raw
        slow = Badge(**{f.name: getattr(quick, f.name) for f in fields(Badge)})
        assert quick == slow and vars(quick) == vars(slow), raw


def test_a_quick_badge_is_frozen_like_any_other() -> None:
    quick = badges._quick("B00012345")
    assert quick is not None
    with pytest.raises(FrozenInstanceError):
        quick.kind = "x"  # type: ignore[misc]
