"""The rows of a first import, built straight from a record's cells when the record is plain.

A million-row CRM export goes into an empty contacts table through three general steps
per record: `extractor` (cells → a dict of the file's fields), `Converter` (→ the
stored values, another dict) and `contact_rows.contact_values` (→ the 30 columns, from
which the importer picks the 16 it binds). Measured on 100,000 rows of the benchmark's
file: 2.9 + 5.5 + 16 µs (and 2.6 µs to pick the columns) of a record's ~39 µs of Python.
Nearly every record of such a file is plain: printable text, a CRM id, a name, a valid
e-mail or none, a known country and owner, an ISO date. `NewRows` builds the bound
values of such a record in one pass, with the conversions that repeat across a file
(countries, salespeople, dates, companies' and cities' folding) looked up in caches
filled by the very converter the general path uses; any other record — and any file
whose columns it does not cover — returns None and takes the general path, which also
gives the reasons a record is rejected. tests/core/test_new_rows.py checks with
hypothesis that both paths give the same values.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import itemgetter
from typing import Any

from kiosk.contact_rows import contact_search_text, stored_country
from kiosk.phones import kept_as_is, normalize_phone
from kiosk.safety import unguard_cell
from kiosk.sync.cell_lists import SEPARATED
from kiosk.sync.contact_fields import Converter
from kiosk.sync.formats import Binding
from kiosk.sync.rows import RowError
from kiosk.text import normalize_email

_TEXT = ("company", "title", "city", "grade")  # stored as the cell has them, trimmed
_PEOPLE = {"owner": "owner_id", "assistant": "assistant_id", "preferred": "preferred_id"}
_DATES = ("filed_at", "first_contact_at", "last_contact_at", "last_deal_at")
_FIELDS = frozenset(("crm_id", "name", "email", "phone", "country", "badge_ids", *_TEXT,
                     *_PEOPLE, *_DATES))  # fmt: skip
_BAD = object()  # a cached conversion that raised: the record takes the general path

Built = tuple[tuple[Any, ...], str, tuple[str, ...]]


class NewRows:
    """cells → (the values of `columns`, the normalised e-mail, the badge ids) of a new
    contact from a plain record, or None (the general path decides). `columns` are the
    `contact_rows.COLUMNS` a bulk writer binds (`varying_columns` of the file's fields).
    """

    def __init__(self, binding: Binding, convert: Converter, columns: tuple[str, ...]) -> None:
        self.width = binding.width
        at = {key: idx[0] for key, (_how, idx) in binding.fields.items()}
        # each field's cell, or -1: the blank added after the cells (`__call__`)
        self.crm, self.name, self.email, self.phone, self.country, self.badges = (
            at.get(key, -1) for key in ("crm_id", "name", "email", "phone", "country", "badge_ids")
        )
        self.text = [(key, at.get(key, -1)) for key in _TEXT]
        self.get = itemgetter(*columns) if len(columns) > 1 else (lambda row: (row[columns[0]],))
        steps = {key: fn for key, fn, _dest in convert.plan}
        # One cache per converted field: a file has a few dozen countries, a few dozen
        # salespeople and a few thousand dates, each converted once by the converter's
        # own step (a value it refuses is cached as _BAD).
        self.cached: dict[str, tuple[Callable[[str], Any], dict[str, Any]]] = {
            key: (steps[key], {}) for key in (*_PEOPLE, *_DATES) if key in at
        }
        self.converted = [(key, at[key], _PEOPLE.get(key, key)) for key in self.cached]
        self.absent = [dest for key, dest in _PEOPLE.items() if key not in at]
        self.country_step = steps.get("country")
        self.countries: dict[str, Any] = {}
        self.badges_step = steps.get("badge_ids")
        self.usable = (
            all(how == "first" and len(idx) == 1 for how, idx in binding.fields.values())
            and set(binding.fields) <= _FIELDS
            and "crm_id" in at
            and "name" in at
            and set(columns) <= _COLUMNS
        )

    def __bool__(self) -> bool:
        """Whether this file's columns are ones the fast path covers."""
        return self.usable

    def _convert(self, key: str, text: str) -> Any:
        step, cache = self.cached[key]
        hit = cache.get(text)
        if hit is None:
            try:
                value = step(text) or ""
            except RowError:
                value = _BAD
            # a value the general path would clean (never, with sane salespeople ids)
            hit = cache[text] = value if value is _BAD or value.isprintable() else _BAD
        return hit

    def _country(self, text: str) -> Any:
        hit = self.countries.get(text)
        if hit is None:
            assert self.country_step is not None
            try:
                code = self.country_step(text)
            except RowError:
                code = None
            hit = _BAD if code is None else stored_country(code)
            self.countries[text] = hit
        return hit

    def __call__(self, cells: list[str]) -> Built | None:
        if len(cells) != self.width:
            return None
        joined = "".join(cells)
        if not joined.isprintable() or "\ufffd" in joined:
            return None  # controls, line breaks, NULs, undecodable bytes: the general path
        if "'" in joined:  # perhaps a cell guarded against formulas: as `extractor` reads it
            v = [unguard_cell(c).strip() for c in cells]
        else:
            v = list(map(str.strip, cells))
        v.append("")  # an absent field's cell (index -1)
        crm = v[self.crm]
        name = " ".join(v[self.name].split())
        if not crm or not name:
            return None
        email = v[self.email]
        email_norm = normalize_email(email) if email else ""
        if email and not email_norm:
            return None  # counted as a bad address by the general path
        country: Any = None
        if text := v[self.country]:
            country = self.countries.get(text)
            if country is None:
                country = self._country(text)
            if country is _BAD:
                return None
        row: dict[str, Any] = {"id": crm, "crm_id": crm, "source": "crm", "name": name,
                               "email": email, "email_norm": email_norm, "country": country}  # fmt: skip
        for key, i in self.text:
            row[key] = v[i]
        for key, i, dest in self.converted:
            if text := v[i]:
                value = self.cached[key][1].get(text)
                if value is None:
                    value = self._convert(key, text)
                if value is _BAD:
                    return None
                row[dest] = row["crm_" + dest] = value or None
            else:
                row[dest] = row["crm_" + dest] = None
        for dest in self.absent:
            row[dest] = row["crm_" + dest] = None
        phone = row["phone"] = v[self.phone]
        if phone:
            e164 = row["phone_e164"] = (
                phone if kept_as_is(phone) else normalize_phone(phone, country)
            )
            if not e164 and SEPARATED.search(phone):
                return None  # two numbers in one cell, perhaps (`kiosk.sync.cell_lists`)
        else:
            row["phone_e164"] = ""
        row["search"] = contact_search_text(name, row["company"], email, row["city"])
        badges: tuple[str, ...] = ()
        if text := v[self.badges]:
            if ";" in text:
                assert self.badges_step is not None
                badges = self.badges_step(text)
            else:
                badges = (text,)
        return self.get(row), email_norm, badges


# The columns a record of `_FIELDS` can set (`contact_rows.varying_columns` of them).
_COLUMNS = frozenset(("id", "crm_id", "source", "name", "email", "email_norm", "phone",
                      "phone_e164", "country", "search", *_TEXT, *_PEOPLE.values(),
                      *(f"crm_{d}" for d in _PEOPLE.values()), *_DATES))  # fmt: skip
