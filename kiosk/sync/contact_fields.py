"""CRM contact cells → the values the contacts table stores.

Each converter reads one generic field's text the way `prepare_contact` will keep it
(trimmed text, None for blank optional fields, ISO dates, alpha-2 countries, salesperson
ids), so the importer can tell an unchanged row from a changed one by comparing values,
without preparing and writing rows that did not change. A value that cannot be stored
raises RowError with the reason written to the rejects file.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from kiosk.countries import country_codes
from kiosk.countries.resolve import resolve_country
from kiosk.phones import normalize_phone
from kiosk.sync.cell_lists import SEPARATED, addresses, numbers
from kiosk.sync.rows import People, RowError
from kiosk.sync.values import parse_date, parse_flag, split_list
from kiosk.text import normalize_email

_PEOPLE = {"owner": "owner_id", "assistant": "assistant_id", "preferred": "preferred_id",
           "first_contact_by": "first_contact_by"}  # fmt: skip
_DATES = ("filed_at", "first_contact_at", "last_contact_at", "last_deal_at")
_TEXT = ("company", "title", "phone", "city", "grade", "notes")


@lru_cache(maxsize=4096)
def _alpha2(text: str) -> str | None:
    """Alpha-2 for a code or a name in any language, or None (cached either way)."""

    code = text.strip()
    if len(code) == 2 and code.upper() in country_codes():
        return code.upper()
    return resolve_country(code)


def _country(text: str) -> str:
    hit = _alpha2(text)
    if hit is None:
        raise RowError(f"unknown country {text!r}")
    return hit


def _split(text: str) -> float | None:
    if not text:
        return None
    try:
        share = float(text[:-1]) / 100 if text.endswith("%") else float(text.replace(",", "."))
    except ValueError:
        raise RowError(f"split: not a number: {text!r}") from None
    if not 0 <= share <= 1:
        raise RowError(f"split: must be between 0 and 1 (or 0-100%): {text!r}")
    return share


_SKIP = object()


def _name(value: str) -> str:
    value = " ".join(value.split())
    if not value:
        raise RowError("no name")
    return value


def _badges(value: str) -> tuple[str, ...]:
    return tuple(sorted(split_list(value, ";")))


class Converter:
    """CSV text → the normal form the contacts table stores (what `prepare_contact` keeps).

    The per-field steps are chosen once from the file's columns, so a row costs one
    function call per present field and no key comparisons.
    """

    def __init__(self, people: People, order: str, keys: list[str]) -> None:
        self.people = people
        self.order = order
        self.line = 0  # the record being converted: its line, noted for the report
        # lines of records with: an e-mail that is no address, several addresses in the
        # e-mail cell, several numbers in the phone cell (`kiosk.sync.cell_lists`)
        self.noted: dict[str, list[int]] = {"bad_email": [], "emails": [], "phones": []}
        self.plan = [(key, *self._step(key)) for key in keys]

    @property
    def bad_emails(self) -> int:
        return len(self.noted["bad_email"])

    def keys(self) -> tuple[str, ...]:
        """Every key a converted row may have (besides '_email')."""
        return tuple(dest for _key, _fn, dest in self.plan)

    def _step(self, key: str) -> tuple[Any, str]:
        """(function of the cell text or None for 'as is', destination column)."""
        if key == "name":
            return _name, "name"
        if key == "crm_id":
            return (lambda v: v or _SKIP), "crm_id"
        if key in _TEXT or key == "email":
            return None, key
        if key == "country":
            return (lambda v: _country(v) if v else None), "country"
        if key in _PEOPLE:
            what = key.replace("_", " ")
            return (lambda v: self.people.resolve(v, what)), _PEOPLE[key]
        if key in _DATES:
            return (lambda v: self._date(key, v)), key
        if key == "split":
            return _split, "split"
        if key == "language":
            return (lambda v: v.lower() or None), "language"
        if key == "consent":
            return _flag, "consent"
        if key == "badge_ids":
            return _badges, "badge_ids"
        return (lambda v: _SKIP), key

    def _date(self, key: str, value: str) -> str | None:
        try:
            return parse_date(value, self.order)
        except ValueError:
            raise RowError(f"{key}: unreadable date {value!r}") from None

    def __call__(self, raw: dict[str, str]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, fn, dest in self.plan:
            if fn is None:
                out[dest] = raw[key]
            else:
                value = fn(raw[key])
                if value is not _SKIP:
                    out[dest] = value
        email = normalize_email(out.get("email"))
        more: list[str] = []
        if not email and out.get("email"):
            # 'Name <addr>', or several addresses: the first is the contact's e-mail, the
            # others find the contact too (`_keys`)
            found = addresses(out["email"])
            if found:
                out["email"], email = found[0]
                more = [norm for _, norm in found[1:]]
                if more:
                    self.noted["emails"].append(self.line)
            else:
                self.noted["bad_email"].append(self.line)
        phone = out.get("phone")
        if phone and SEPARATED.search(phone) and not normalize_phone(phone, out.get("country")):
            found = numbers(phone, out.get("country"))
            if found:
                out["phone"] = found[0][0]
                more += [e164 for _, e164 in found[1:]]
                self.noted["phones"].append(self.line)
        if more:
            out["_keys"] = more
        if not email:
            if not out.get("crm_id"):
                raise RowError(
                    "needs a CRM id or a valid email (to find the contact again next time)"
                )
        out["_email"] = email
        return out


def _flag(text: str) -> int:
    try:
        return 1 if parse_flag(text) else 0
    except ValueError as exc:
        raise RowError(f"consent: {exc}") from None
