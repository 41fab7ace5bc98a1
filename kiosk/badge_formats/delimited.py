"""Vendor badge layouts: one line of fields joined by '^', '|', a tab or ';'.

Registration vendors print the same few fields in a show-specific order, so the order comes
from the show config (`field_order`, always set: the default layout when the show names
none). The configured layout is used when every typed field in it checks out — the e-mail
has an '@', the country resolves, the phone is a number, the badge id has a digit, and no
e-mail address sits in another field (see `layout.check_layout`). Otherwise the columns are
read by their content (`layout.infer_fields`) and the badge says so: `Draft.inferred`, the
layout it was read with in `Draft.layout`, and a warning naming what did not fit. The
configured layout is kept when reading by content confirms no more fields than it does (a
misspelt country in the right column is a misspelling, not another vendor's layout); then an
unmistakable e-mail address is still taken as the e-mail wherever it sits, with a warning
naming the column.

Values may be quoted ('"Ana";"Ruiz"', as spreadsheet exports write them); the quotes go.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from kiosk.badge_formats.draft import (
    Draft,
    looks_like_email,
    looks_like_swapped_email,
)
from kiosk.badge_formats.ids import fill_from_keys, labelled_fields, take_fields
from kiosk.badge_formats.layout import MAX_COLUMNS, check_layout, infer_fields
from kiosk.badge_formats.noise import clean_payload
from kiosk.config import BADGE_FIELD_NAMES

DELIMITERS = ("^", "|", "\t", ";")
FIELD_NAMES = BADGE_FIELD_NAMES  # defined with the show file's schema (kiosk.config)
_DIGIT_RE = re.compile(r"\d")
_LABELLED_LIMIT = 64  # 'KEY:value' layouts have a few fields; thousands are not labels


def delimiter_of(text: str) -> str | None:
    """The separator of a one-line layout: the most frequent of `DELIMITERS`, ties in order."""
    if "\n" in text:
        return None
    counts = [(text.count(d), -i, d) for i, d in enumerate(DELIMITERS)]
    count, _, best = max(counts)
    return best if count else None


def split_values(text: str) -> tuple[str, list[str]] | None:
    """(separator, values) of a one-line delimited payload, values trimmed and unquoted;
    None when `text` is not one (several lines, no separator, or labelled 'KEY:value' parts).
    Scanner noise is removed first, as `parse_badge` does."""
    cleaned, _ = clean_payload(text)
    delimiter = delimiter_of(cleaned)
    if delimiter is None:
        return None
    values = _values(cleaned, delimiter)
    if len(values) <= _LABELLED_LIMIT and labelled_fields(values) is not None:
        return None
    return delimiter, values


def _values(text: str, delimiter: str) -> list[str]:
    values = [v.strip() for v in text.split(delimiter)]
    return [_unquote(v) for v in values] if '"' in text else values


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1].replace('""', '"').strip()
    return value


def parse_delimited(text: str, delimiter: str, field_order: Sequence[str]) -> Draft:
    draft = Draft(kind="delimited")
    values = _values(text, delimiter)
    if len(values) <= _LABELLED_LIMIT and (labelled := labelled_fields(values)) is not None:
        fill_from_keys(draft, labelled)  # 'ID:1;NAME:Ana;...': the labels say what is what
        draft.payload_format = "labelled"
        return draft
    order = [_field_name(name, draft) for name in field_order]
    fit = check_layout(values, order)
    if not fit.fits and len(values) <= MAX_COLUMNS:
        inference = infer_fields(values)
        if inference is not None and (
            inference.typed > fit.ok or (inference.typed == fit.ok and fit.hard)
        ):
            reason = (fit.hard or fit.soft)[0]
            draft.warnings.append(
                f"badge layout read from its content: the show's layout does not fit ({reason})"
            )
            draft.inferred = True
            _fill(draft, values, list(inference.fields))
            return draft
    if len(values) > len(order) and any(values[len(order) :]):
        draft.warnings.append(
            f"{len(values)} fields on the badge but the show layout names {len(order)}; "
            "extra fields ignored"
        )
    assigned = dict(enumerate(order[: len(values)]))
    _move_email(values, order, assigned, draft)
    fields = [assigned.get(i, "ignore") for i in range(min(len(values), MAX_COLUMNS))]
    _fill(draft, values, fields)
    if draft.badge_id and not _DIGIT_RE.search(draft.badge_id):
        draft.warnings.append(
            f"badge id {draft.badge_id!r} has no digits; is the show's field order right?"
        )
    return draft


def _fill(draft: Draft, values: list[str], fields: list[str]) -> None:
    """Fill the draft from the values, column i holding field `fields[i]` (first one wins)."""
    found: dict[str, str] = {}
    for value, name in zip(values, fields, strict=False):
        if name != "ignore" and value and name not in found:
            found[name] = value
    draft.layout = tuple(fields)
    take_fields(draft, found)


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
    candidates = [i for i, v in enumerate(values[:MAX_COLUMNS]) if email_like(v)]
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
