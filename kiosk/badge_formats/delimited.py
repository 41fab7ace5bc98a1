"""Vendor badge layouts: one line of fields joined by '^', '|', a tab or ';'.

Registration vendors print the same few fields in a show-specific order, so the order comes
from the show config (`field_order`). Orders are often wrong by a column or two in practice, so
an unmistakable e-mail address is taken as the e-mail wherever it sits, with a warning naming
the column, and the value it displaced moves to the column the address was expected in.
"""

from __future__ import annotations

from collections.abc import Sequence

from kiosk.badge_formats.draft import (
    Draft,
    join_name,
    looks_like_email,
    looks_like_swapped_email,
    one_line,
)
from kiosk.badge_formats.ids import fill_from_keys, labelled_fields, strip_id_label

DELIMITERS = ("^", "|", "\t", ";")
FIELD_NAMES = (
    "badge_id",
    "name",
    "first_name",
    "last_name",
    "company",
    "email",
    "country",
    "title",
    "phone",
    "city",
    "ignore",
)


def delimiter_of(text: str) -> str | None:
    """The separator of a one-line layout: the most frequent of `DELIMITERS`, ties in order."""
    if "\n" in text:
        return None
    counts = [(text.count(d), -i, d) for i, d in enumerate(DELIMITERS)]
    count, _, best = max(counts)
    return best if count else None


def parse_delimited(text: str, delimiter: str, field_order: Sequence[str]) -> Draft:
    draft = Draft(kind="delimited")
    values = [v.strip() for v in text.split(delimiter)]
    if (labelled := labelled_fields(values)) is not None:
        fill_from_keys(draft, labelled)  # 'ID:1;NAME:Ana;...': the labels say what is what
        return draft
    order = [_field_name(name, draft) for name in field_order]
    if len(values) > len(order) and any(values[len(order) :]):
        draft.warnings.append(
            f"{len(values)} fields on the badge but the show layout names {len(order)}; "
            "extra fields ignored"
        )
    assigned = dict(enumerate(order[: len(values)]))
    _move_email(values, order, assigned, draft)
    found: dict[str, str] = {}
    for index, name in assigned.items():
        if name != "ignore" and values[index] and name not in found:
            found[name] = values[index]

    draft.badge_id = strip_id_label(found.get("badge_id", "")) or None
    if draft.badge_id and not any(ch.isdigit() for ch in draft.badge_id):
        draft.warnings.append(
            f"badge id {draft.badge_id!r} has no digits; is the show's field order right?"
        )
    draft.name = one_line(found.get("name", "")) or join_name(
        given=found.get("first_name", ""), family=found.get("last_name", "")
    )
    draft.email = found.get("email", "")
    draft.company = found.get("company", "")
    draft.title = found.get("title", "")
    draft.phone = found.get("phone", "")
    draft.city = found.get("city", "")
    draft.country_text = found.get("country", "")
    return draft


def _field_name(name: str, draft: Draft) -> str:
    key = str(name).strip().casefold().replace("-", "_").replace(" ", "_")
    if key in FIELD_NAMES:
        return key
    draft.warnings.append(f"unknown badge field name {name!r} in the show layout; ignored")
    return "ignore"


def _move_email(
    values: list[str], order: list[str], assigned: dict[int, str], draft: Draft
) -> None:
    """If the e-mail column holds no address but another column clearly does, swap them."""

    def email_like(v: str) -> bool:
        return looks_like_email(v) or looks_like_swapped_email(v)

    expected = next((i for i, name in assigned.items() if name == "email"), None)
    if expected is not None and email_like(values[expected]):
        return
    candidates = [i for i, v in enumerate(values) if email_like(v)]
    if len(candidates) != 1:
        return
    actual = candidates[0]
    displaced = assigned.get(actual, "ignore")
    if expected is not None:
        assigned[expected] = displaced
        where = f"expected in field {expected + 1}"
    elif "email" in order:
        where = f"the layout puts it in field {order.index('email') + 1}, past the end"
    else:
        where = "the show layout has no e-mail field"
    assigned[actual] = "email"
    draft.warnings.append(f"e-mail address found in field {actual + 1} ({where}); used it")
