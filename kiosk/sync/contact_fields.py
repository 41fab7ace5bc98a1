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
from kiosk.sync.cell_lists import (
    CELLS,
    SEPARATED,
    addresses,
    number_parts,
    unread_addresses,
    unread_text,
)
from kiosk.sync.rows import People, RowError
from kiosk.sync.values import parse_date, parse_flag, split_list
from kiosk.text import normalize_email

_PEOPLE = {"owner": "owner_id", "assistant": "assistant_id", "preferred": "preferred_id",
           "first_contact_by": "first_contact_by"}  # fmt: skip
_DATES = ("filed_at", "first_contact_at", "last_contact_at", "last_deal_at")
_TEXT = ("company", "title", "phone", "city", "grade", "notes")
NO_KEY = "needs a CRM id or a valid email (to find the contact again next time)"


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
        # e-mail cell, several numbers in the phone cell (`kiosk.sync.cell_lists`); and
        # (line, 'email' or 'phone', what was kept, the parts that are neither) of each
        # cell with parts beside its addresses or numbers
        self.noted: dict[str, list[Any]] = {"bad_email": [], "emails": [], "phones": [],
                                            "parts": []}  # fmt: skip
        self.noted_line = 0  # the last record noted (`_note`)
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
        try:
            for key, fn, dest in self.plan:
                if fn is None:
                    out[dest] = raw[key]
                else:
                    value = fn(raw[key])
                    if value is not _SKIP:
                        out[dest] = value
        except RowError as exc:  # (a `try` costs nothing until something raises)
            raise RowError("; ".join(self.problems(raw)) or str(exc)) from None
        cell = out.get("email")
        email = normalize_email(cell)
        more: list[str] = []
        if not email and cell:
            email, more = self._emails(out, cell)
        if not email and not out.get("crm_id"):
            raise RowError("; ".join(self.problems(raw)))
        phone = out.get("phone")
        if phone and SEPARATED.search(phone) and not normalize_phone(phone, out.get("country")):
            more += self._phones(out, phone, out.get("country"))
        if more:
            out["_keys"] = more
        out["_email"] = email
        return out

    def _emails(self, out: dict[str, Any], cell: str) -> tuple[str, list[str]]:
        """An e-mail cell that is not one address: 'Name <addr>', or several addresses.
        The first is the contact's e-mail (in `out`), the others find the contact too;
        anything else in the cell is noted for the report. (its address, the others)"""
        found = addresses(cell)
        if not found:
            if out.get("crm_id"):  # (else the record is rejected)
                self._note("bad_email")
            return "", []
        out["email"], email = found[0]
        more = [norm for _, norm in found[1:]]
        if more:
            self._note("emails")
        if unread := unread_addresses(cell):
            self._note("parts", ("email", [written for written, _ in found], unread))
        return email, more

    def _phones(self, out: dict[str, Any], phone: str, country: str | None) -> list[str]:
        """A phone cell that is not one number but has a separator: the first number is
        the contact's phone (in `out`), the others (returned, E.164) find the contact too;
        parts that are no number are noted for the report."""
        numbers, unread = number_parts(phone, country)
        if not numbers:
            return []
        out["phone"] = numbers[0][0]
        if len(numbers) > 1:
            self._note("phones")
        if unread:
            self._note("parts", ("phone", [written for written, _ in numbers], unread))
        return [e164 for _, e164 in numbers[1:]]

    def note_cells(self, raw: dict[str, str]) -> None:
        """Note what converting the record would note (`_note`: its e-mail and phone
        cells), without converting it: a record a re-import skips as unchanged, whose
        stored hash says its conversion noted something (`kiosk.sync.rowhash`)."""
        out = {"crm_id": raw.get("crm_id", "")}
        if (cell := raw.get("email")) and not normalize_email(cell):
            self._emails(out, cell)
        if (phone := raw.get("phone")) and SEPARATED.search(phone):
            country = _alpha2(raw["country"]) if raw.get("country") else None
            if not normalize_phone(phone, country):
                self._phones(out, phone, country)

    def _note(self, kind: str, part: tuple[str, list[str], list[str]] | None = None) -> None:
        """Note the record being converted for the report (`noted`), and that it was
        (`noted_line`: the importer flags its stored hash, `kiosk.sync.rowhash`)."""
        self.noted[kind].append(self.line if part is None else (self.line, *part))
        self.noted_line = self.line

    def problems(self, raw: dict[str, str]) -> list[str]:
        """Every reason to reject a record, in the order of its fields: each field's, and
        what is wrong with its e-mail and phone cells (`cell_problems`). Asked only of a
        record that is rejected; nothing is noted."""
        found: list[str] = []
        country = _alpha2(raw["country"]) if raw.get("country") else None
        for key, fn, _dest in self.plan:
            if key in ("email", "phone"):
                found += cell_problems(key, raw[key], country, bool(raw.get("crm_id")))
            elif fn is not None:
                try:
                    fn(raw[key])
                except RowError as exc:
                    found.append(str(exc))
        if not raw.get("crm_id") and not addresses(raw.get("email", "")):
            found.append(NO_KEY)
        return found


def cell_problems(key: str, text: str, country: str | None, crm: bool = True) -> list[str]:
    """What an e-mail or phone cell holds that is no address or number, as reasons of a
    rejected record: the parts beside its addresses or numbers (`kiosk.sync.cell_lists`),
    or, for an e-mail cell with no address at all, that — when the record has a CRM id
    (without one, `NO_KEY` says it)."""
    if not text:
        return []
    if key == "email":
        if normalize_email(text):
            return []
        if not addresses(text):
            return [f"e-mail {text!r} is not a valid address"] if crm else []
        unread = unread_addresses(text)
    else:
        if not SEPARATED.search(text) or normalize_phone(text, country):
            return []
        numbers, unread = number_parts(text, country)
        if not numbers:
            return []
    return [f"{CELLS[key]}: {unread_text(key, unread)}"] if unread else []


def _flag(text: str) -> int:
    try:
        return 1 if parse_flag(text) else 0
    except ValueError as exc:
        raise RowError(f"consent: {exc}") from None
