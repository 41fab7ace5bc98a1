"""Turning contact fields into `contacts` rows, and writing many of them fast.

Every writer of contacts (the CRM importer, booth leads, the benchmark) goes through
`prepare_contact`, so the derived columns that lookup depends on — `email_norm`,
`phone_e164` and the folded `search` text — are computed one way only. `insert_contacts`
is the bulk path: it streams rows in batches inside one transaction and lets
`kiosk.db.bulk_contacts` rebuild the full-text index once, which is what makes a
million-row CRM import take seconds rather than minutes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from contextlib import ExitStack
from datetime import datetime
from functools import lru_cache
from itertools import islice
from operator import itemgetter
from typing import Any, Literal

import sqlite_utils

from kiosk.bulk import bulk_settings, deferred_indexes
from kiosk.countries import country_codes
from kiosk.countries.resolve import resolve_country
from kiosk.db import bulk_contacts, last_rowid, transaction
from kiosk.errors import KioskError
from kiosk.phones import normalize_phone
from kiosk.safety import clean_text
from kiosk.store import iso
from kiosk.text import fold, fold_words, normalize_email

# Column order of the tuples `insert_contacts` writes; `prepare_contact` returns these keys.
COLUMNS: tuple[str, ...] = (
    "id", "crm_id", "name", "company", "title", "email", "email_norm", "phone", "phone_e164",
    "country", "city", "language", "grade", "owner_id", "assistant_id", "split", "preferred_id",
    "crm_owner_id", "crm_assistant_id", "crm_split", "crm_preferred_id", "filed_at",
    "first_contact_by", "first_contact_at", "last_contact_at", "last_deal_at", "notes",
    "consent", "source", "search",
)  # fmt: skip
# Columns with a foreign key to salespeople, as positions in the row tuple.
_PEOPLE = tuple((k, COLUMNS.index(k)) for k in ("owner_id", "assistant_id", "preferred_id"))
_TRUE = frozenset({"1", "true", "yes", "y", "on", "x"})
_SURROGATE = re.compile("[\ud800-\udfff]")

OnConflict = Literal["abort", "ignore", "update"]


class ContactRowError(KioskError, ValueError):
    """A field cannot be stored; the message names the field and the bad value."""


# ---------------------------------------------------------------- one row


@lru_cache(maxsize=4096)
def stored_country(value: str) -> str | None:
    """Alpha-2 as given, else whatever `kiosk.countries` makes of a name ('Deutschland')."""
    code = value.strip()
    if not code:
        return None
    if len(code) == 2 and code.isascii() and code.upper() in country_codes():
        return code.upper()
    try:
        return resolve_country(code)
    except Exception:  # a bad country cell is no reason to stop an import
        return None


def _text(value: Any) -> str:
    if value is None:
        return ""
    text = value.strip() if isinstance(value, str) else str(value).strip()
    if not text.isprintable():  # rare: one C-level scan decides
        text = _inert(text, multiline=False)
    return text


def _note(value: Any) -> str:
    """A multi-line field (notes): line breaks and tabs are kept, other controls removed."""
    if value is None:
        return ""
    text = value.strip() if isinstance(value, str) else str(value).strip()
    if not text.isprintable():
        text = _inert(text, multiline=True)
    return text


def _inert(text: str, *, multiline: bool) -> str:
    """Lone surrogates (from leniently decoded bytes) become U+FFFD, which an importer
    rejects as an encoding error; control characters and bidi overrides are removed."""
    if not text.isascii() and _SURROGATE.search(text):
        text = _SURROGATE.sub("\ufffd", text)
    return clean_text(text, multiline=multiline).strip()


def _optional(value: Any) -> str | None:
    text = _text(value)
    return text or None


def _time(value: Any) -> str | None:
    if isinstance(value, datetime):
        return iso(value)
    return _optional(value)


def _split(value: Any) -> float | None:
    """0.3, '0.3' and '30%' all mean a 30 % share; blank means none."""
    if value is None or value == "":
        return None
    try:
        if isinstance(value, str) and value.strip().endswith("%"):
            share = float(value.strip()[:-1]) / 100
        else:
            share = float(value)
    except (TypeError, ValueError):
        raise ContactRowError(f"split: not a number: {value!r}") from None
    if not 0 <= share <= 1:
        raise ContactRowError(f"split: must be between 0 and 1: {value!r}")
    return share


def _consent(value: Any) -> int:
    if isinstance(value, str):
        return 1 if value.strip().casefold() in _TRUE else 0
    return 1 if value else 0


def badge_list(value: Any) -> list[str]:
    """Badge ids from a list or a ';'-separated cell, trimmed, blanks and repeats dropped."""
    if not value:
        return []
    items = value.split(";") if isinstance(value, str) else value
    out: dict[str, None] = {}
    for item in items:
        text = _text(item)
        if text:
            out[text] = None
    return list(out)


# Companies and cities repeat across a CRM (dozens of contacts each): fold each once.
fold_repeated = lru_cache(maxsize=1 << 16)(fold)


def contact_search_text(name: str, company: str, email: str, city: str) -> str:
    """What the FTS index holds: equal to `kiosk.text.search_text(name, company, email, city)`.

    The whole address is included: staff search by a domain ('acme.com') or a mailbox
    they remember, and its local part often spells a Chinese name in Latin letters.
    Computed per field like `search_text`, with companies and cities folded through a cache: a million-row import spends a third of its Python time here.
    """
    parts = (
        fold_ascii(name) if name.isascii() else fold_words(name),
        fold_repeated(company),
        fold_ascii(email) if email.isascii() else fold(email),
        fold_repeated(city),
    )
    return " ".join(filter(None, parts))


_TEXT_KEYS = ("name", "company", "title", "email", "phone", "city", "grade")
_OPTIONAL_KEYS = (
    "id", "crm_id", "language", "owner_id", "assistant_id", "preferred_id", "crm_owner_id",
    "crm_assistant_id", "crm_preferred_id", "first_contact_by", "source",
)  # fmt: skip
_TIME_KEYS = ("filed_at", "first_contact_at", "last_contact_at", "last_deal_at")
# How each accepted input field is cleaned; anything else in a row is ignored.
_CLEAN: dict[str, Any] = (
    dict.fromkeys(_TEXT_KEYS, _text)
    | {"notes": _note}
    | dict.fromkeys(_OPTIONAL_KEYS, _optional)
    | dict.fromkeys(_TIME_KEYS, _time)
    | {"split": _split, "crm_split": _split, "consent": _consent}
)
_DEFAULTS: dict[str, Any] = (
    dict.fromkeys(COLUMNS) | dict.fromkeys((*_TEXT_KEYS, "notes"), "") | {"consent": 0}
)
_ROW = itemgetter(*COLUMNS)


# What the CRM said, kept beside what the booth decides (`crm_owner_id` …): a row whose
# fields have no CRM value of its own holds a copy of the value itself.
CRM_COPIES: dict[str, str] = {
    f"crm_{base}": base for base in ("owner_id", "assistant_id", "split", "preferred_id")
}


def _values(fields: Mapping[str, Any]) -> tuple[tuple[Any, ...], list[str]]:
    """The row tuple in `COLUMNS` order, and the contact's badge ids.

    Runs once per imported row, so it touches only the fields a row has and builds the
    tuple with one C-level itemgetter: about twice as fast as cleaning every column.
    """
    row = _DEFAULTS.copy()
    clean = _CLEAN.get
    for key, value in fields.items():
        fn = clean(key)
        if fn is not None and value is not None:
            row[key] = fn(value)
    for column, base in CRM_COPIES.items():
        if column not in fields:
            row[column] = row[base]
    row["id"] = row["id"] or row["crm_id"]
    if not row["id"]:
        raise ContactRowError("a contact needs an id or a crm_id")
    source = row["source"] = row["source"] or "crm"
    if source not in ("crm", "booth"):
        raise ContactRowError(f"source: must be 'crm' or 'booth', not {source!r}")
    raw_country = fields.get("country")
    country = row["country"] = stored_country(str(raw_country)) if raw_country else None
    email = row["email"]
    row["email_norm"] = normalize_email(email)
    row["phone_e164"] = normalize_phone(row["phone"], country)
    row["search"] = contact_search_text(row["name"], row["company"], email, row["city"])
    badges = badge_list(fields.get("badge_ids"))
    one = _text(fields.get("badge_id"))
    if one and one not in badges:
        badges.append(one)
    return _ROW(row), badges


# ---------------------------------------------------------------- the common row, fast

# Fields whose cleaning is a strip (text) or a strip and blank → None (optional, and a
# time given as text), when no value holds a character `_inert` would remove.
_FAST_TEXT = frozenset((*_TEXT_KEYS, "notes"))
_FAST_OPTIONAL = frozenset((*_OPTIONAL_KEYS, *_TIME_KEYS))
_FAST_KEYS = _FAST_TEXT | _FAST_OPTIONAL | {"country", "consent", "badge_ids"}


def fold_ascii(text: str) -> str:
    """`fold` of a text already known to be ASCII: lower-case, one space between words."""
    return " ".join(text.lower().split())


def _fast_values(
    fields: Mapping[str, Any], email_norm: str | None = None
) -> tuple[tuple[Any, ...], list[str]] | None:
    """`_values` of the common row in one pass, or None when the row is not one.

    A CRM import's row is text that is already trimmed and printable; for it, every
    field's cleaning is a strip, and the derived columns are computed without the
    general path's per-field calls (`_text` ×12), its second `normalize_email` (the
    importer passes the one it made: `email_norm`, which must be `normalize_email` of
    `fields['email']`) and `fold`'s Unicode work for ASCII text. Anything else (a
    control character, a number, a split, an unknown key, a bad source) returns None and
    takes the general path, which also raises its errors. tests/core/test_contact_rows.py
    checks with hypothesis that both give the same result.
    """
    if not _FAST_KEYS.issuperset(fields):
        return None
    texts = [v for v in fields.values() if v.__class__ is str]
    badges_in = fields.get("badge_ids")
    if badges_in:
        if isinstance(badges_in, str):
            texts.append(badges_in)
        elif isinstance(badges_in, list | tuple) and all(b.__class__ is str for b in badges_in):
            texts.extend(badges_in)
        else:
            return None
    if not "".join(texts).isprintable():
        return None
    row = _DEFAULTS.copy()
    for key, value in fields.items():
        if value is None:
            continue
        if value.__class__ is str:
            value = value.strip()
            if key in _FAST_TEXT:
                row[key] = value
            elif key in _FAST_OPTIONAL:
                row[key] = value or None
        elif key in _FAST_TEXT or key in _FAST_OPTIONAL:
            return None  # a number or a datetime: the general path converts it
    consent = fields.get("consent")
    if consent is not None:
        row["consent"] = _consent(consent)
    for base in ("owner_id", "assistant_id", "preferred_id"):
        if "crm_" + base not in fields:
            row["crm_" + base] = row[base]
    cid = row["id"] = row["id"] or row["crm_id"]
    if not cid:
        return None
    source = row["source"] = row["source"] or "crm"
    if source != "crm" and source != "booth":
        return None
    raw_country = fields.get("country")
    country = row["country"] = stored_country(str(raw_country)) if raw_country else None
    email = row["email"]
    if email_norm is None or email is not fields.get("email"):
        email_norm = normalize_email(email)
    row["email_norm"] = email_norm
    row["phone_e164"] = normalize_phone(row["phone"], country) if row["phone"] else ""
    row["search"] = contact_search_text(row["name"], row["company"], email, row["city"])
    return _ROW(row), badge_list(badges_in) if badges_in else []


def contact_values(
    fields: Mapping[str, Any], email_norm: str | None = None
) -> tuple[tuple[Any, ...], list[str]]:
    """`prepare_contact` as the row tuple in `COLUMNS` order, and the badge ids: for bulk
    writers, which would only take the dict apart again. `email_norm`, when given, is
    `normalize_email(fields['email'])`, already computed by the caller."""
    return _fast_values(fields, email_norm) or _values(fields)


# ---------------------------------------------------------------- the columns a file can set

# The input fields each column's value is made from, where not from its own field alone.
_SOURCES: dict[str, tuple[str, ...]] = {
    "id": ("id", "crm_id"),
    "email_norm": ("email",),
    "phone_e164": ("phone", "country"),
    "search": ("name", "company", "email", "city"),
    **{column: (column, base) for column, base in CRM_COPIES.items()},
}
# What a column holds in a row with none of its fields (`_values`' defaults).
_ABSENT: dict[str, Any] = _DEFAULTS | {
    "source": "crm",
    "email_norm": "",
    "phone_e164": "",
    "search": "",
}


def varying_columns(fields: Iterable[str]) -> tuple[str, ...]:
    """The `COLUMNS` (in that order) whose value can differ between rows that have these
    input fields, and no others; every other column of such a row is `absent_value`.

    A bulk writer binds only these: a CRM export sets about half of the 30 columns, and
    binding a parameter costs ~0.35 µs in `executemany` (16 instead of 31 a row saves
    ~5 µs of a million-row import's ~40 µs of Python a row).
    """
    present = set(fields)
    return tuple(c for c in COLUMNS if not present.isdisjoint(_SOURCES.get(c, (c,))))


def absent_value(column: str) -> Any:
    """What `contact_values` puts in `column` when no field it is made from is present."""
    return _ABSENT[column]


def picker(columns: tuple[str, ...]) -> Callable[[tuple[Any, ...]], tuple[Any, ...]]:
    """A function from a row tuple in `COLUMNS` order to the values of `columns`."""
    get = itemgetter(*(COLUMNS.index(c) for c in columns))
    if len(columns) == 1:
        return lambda values: (get(values),)
    return get


def insert_values(columns: tuple[str, ...]) -> str:
    """The VALUES list of an INSERT of every `COLUMNS` column (in that order) that binds
    `columns` and writes the others' `absent_value` as literals."""
    return ", ".join("?" if c in columns else sql_literal(_ABSENT[c]) for c in COLUMNS)


def sql_literal(value: Any) -> str:
    """`absent_value`s as SQL: NULL, a number, or a quoted string (they hold no quote)."""
    if value is None:
        return "NULL"
    if isinstance(value, int | float):
        return repr(value)
    if "'" in value:  # never: the absent values are '' and 'crm'
        raise ValueError(f"not a plain SQL literal: {value!r}")
    return f"'{value}'"


def prepare_contact(fields: Mapping[str, Any]) -> dict[str, Any]:
    """A complete `contacts` row from whatever fields a source has, plus `badge_ids`.

    Fills the derived columns (`email_norm`, `phone_e164`, `search`), the CRM baseline
    (`crm_owner_id` … copied from `owner_id` … unless given), trims text, turns blanks
    into NULL where the column is nullable, and reads `country` as alpha-2 or a name.
    `id` defaults to `crm_id`. The result also carries `badge_ids` (a list, from
    `badge_ids` as a list or ';'-separated text, and/or a single `badge_id`); pop it
    before inserting the dict. Raises ContactRowError for a value that cannot be stored.
    """
    values, badges = _fast_values(fields) or _values(fields)
    out = dict(zip(COLUMNS, values, strict=True))
    out["badge_ids"] = badges
    return out


# ---------------------------------------------------------------- many rows


def _insert_sql(on_conflict: OnConflict) -> str:
    cols = ", ".join(COLUMNS)
    marks = ", ".join("?" * len(COLUMNS))
    if on_conflict == "ignore":
        return f"INSERT OR IGNORE INTO contacts ({cols}) VALUES ({marks})"
    sql = f"INSERT INTO contacts ({cols}) VALUES ({marks})"
    if on_conflict == "update":
        sets = ", ".join(f"{c} = excluded.{c}" for c in COLUMNS if c != "id")
        # no longer what the last CRM import wrote: its next import compares it field by field
        sql += f" ON CONFLICT(id) DO UPDATE SET {sets}, crm_row = NULL"
    return sql


def _check_people(values: tuple[Any, ...], people: frozenset[str], line: int) -> None:
    """Name an unknown salesperson before SQLite's foreign-key error hides which row it was."""
    for key, pos in _PEOPLE:
        v = values[pos]
        if v is not None and v not in people:
            raise ContactRowError(f"row {line}: {key} {v!r} is not a known salesperson")


class _Writer:
    """Cleans and writes batches of rows, counting them for error messages."""

    def __init__(self, db: sqlite_utils.Database, badges: bool, on_conflict: OnConflict) -> None:
        self.conn = db.conn
        self.sql = _insert_sql(on_conflict)
        self.badges = badges
        self.people = frozenset(r[0] for r in db.execute("SELECT id FROM salespeople"))
        self.count = 0

    def write(self, chunk: list[Mapping[str, Any]]) -> None:
        tuples: list[tuple[Any, ...]] = []
        badge_rows: list[tuple[str, str]] = []
        for fields in chunk:
            self.count += 1
            try:
                values, ids = _fast_values(fields) or _values(fields)
            except ContactRowError as exc:
                raise ContactRowError(f"row {self.count}: {exc}") from None
            _check_people(values, self.people, self.count)
            tuples.append(values)
            if self.badges:
                badge_rows.extend((b, values[0]) for b in ids)
        self.conn.executemany(self.sql, tuples)
        if badge_rows:
            self.conn.executemany(
                "INSERT OR REPLACE INTO contact_badges (badge_id, contact_id) VALUES (?, ?)",
                badge_rows,
            )


# Below this many rows, per-row index maintenance (the FTS triggers) is cheaper than
# rebuilding the full-text index and the secondary indexes over the whole table.
BULK_MIN_ROWS = 50_000


def insert_contacts(
    db: sqlite_utils.Database,
    rows: Iterable[Mapping[str, Any]],
    *,
    batch: int = 5000,
    badges: bool = True,
    on_conflict: OnConflict = "abort",
    bulk: bool | None = None,
) -> int:
    """Write contacts (and their `contact_badges`) in one transaction; returns how many.

    Rows are streamed `batch` at a time, so a million-row import never holds more than
    one batch in memory. `on_conflict` decides what an existing `id` does: "abort" (an
    IntegrityError, nothing written), "ignore" (keep the old row) or "update" (overwrite
    every column, keeping the rowid). Badge ids map to the last contact that names them.
    A bad row raises ContactRowError naming its 1-based position, and nothing is written.

    Bulk mode drops the FTS triggers and the secondary indexes, and rebuilds both once at
    the end — minutes faster for a big load, but a fixed cost of about 15 s per million
    contacts in the table, however few rows arrive. `bulk=True` uses it from the first
    row, `False` never. The default switches to it mid-stream, once more rows have arrived
    than `BULK_MIN_ROWS` or a quarter of the table, whichever is larger: small imports
    into a big table stay cheap, a first import of a whole CRM stays fast.
    """
    existing = last_rowid(db, "contacts")
    switch_at = 0 if bulk else None if bulk is False else max(BULK_MIN_ROWS, existing // 4)
    it = iter(rows)
    with transaction(db), ExitStack() as stack:
        writer = _Writer(db, badges, on_conflict)
        while chunk := list(islice(it, batch)):
            if switch_at is not None and writer.count >= switch_at:
                stack.enter_context(bulk_settings(db))
                stack.enter_context(bulk_contacts(db))
                stack.enter_context(deferred_indexes(db, ("contacts", "contact_badges")))
                switch_at = None
            writer.write(chunk)
        return writer.count
