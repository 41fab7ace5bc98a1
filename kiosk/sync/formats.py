"""Which CSV columns feed which kiosk field: one mapping per CRM, plus `--mapping` TOML.

The built-in formats use the column labels of each CRM's standard contact export:
a Salesforce contacts report ("Contact ID", "Account Name", "Mailing Country", "Contact
Owner" …), a HubSpot contacts export ("Record ID", "Company Name", "Country/Region",
"Contact owner" …) and an Odoo contacts export, either with labels ("Related Company",
"Salesperson") or import-compatible technical names ("parent_id", "user_id"). Headers
match ignoring case and spacing. Salespeople and territories have no standard CRM
export, so every format reads them with the kiosk's own (generic) columns.

A mapping TOML handles any other export::

    base = "generic"            # optional: start from a built-in format
    date_order = "DMY"          # how to read 03/02/2024 (DMY or MDY)
    [columns]
    crm_id = "Kundennummer"
    name = { name = ["Vorname", "Nachname"] }   # given + family name
    phone = ["Telefon", "Mobil"]                # the first that is not blank
    company = { join = ["Firma", "Firma 2"] }   # joined with a space
    consent = { not = "Werbesperre" }           # yes/no, inverted
"""

from __future__ import annotations

import os
import tomllib
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from kiosk.sync import CsvFileError, MappingError
from kiosk.sync.values import DATE_ORDERS

KINDS = ("contacts", "salespeople", "territories")
FIELDS: dict[str, tuple[str, ...]] = {
    "contacts": (
        "crm_id", "name", "company", "title", "email", "phone", "country", "city", "language",
        "grade", "owner", "assistant", "split", "filed_at", "first_contact_by",
        "first_contact_at", "last_contact_at", "last_deal_at", "preferred", "badge_ids",
        "notes", "consent",
    ),
    "salespeople": ("id", "name", "email", "phone", "role", "languages", "title", "away"),
    "territories": ("position", "kind", "value", "salespeople", "note"),
}  # fmt: skip
# Each inner tuple is "any of these fields"; every group must be present in the header.
REQUIRED: dict[str, tuple[tuple[str, ...], ...]] = {
    "contacts": (("name",), ("crm_id", "email")),
    "salespeople": (("id",), ("name",)),
    "territories": (("kind",), ("salespeople",)),
}
HOWS = ("first", "join", "name", "not")


@dataclass(frozen=True)
class Source:
    """Where one field comes from: columns, and how to combine them.

    first: the first non-blank column; join: all non-blank ones, space-separated;
    name: given + family name (family first without a space when both are CJK);
    not: a yes/no column, inverted (Salesforce's "Email Opt Out" → consent).
    """

    columns: tuple[str, ...]
    how: str = "first"


def _s(*columns: str, how: str = "first") -> Source:
    return Source(tuple(columns), how)


@dataclass(frozen=True)
class Format:
    name: str
    label: str
    contacts: Mapping[str, Source]
    salespeople: Mapping[str, Source] = field(default_factory=dict)
    territories: Mapping[str, Source] = field(default_factory=dict)
    date_order: str = "DMY"

    def mapping(self, kind: str) -> Mapping[str, Source]:
        own: Mapping[str, Source] = getattr(self, kind)
        fallback: Mapping[str, Source] = getattr(GENERIC, kind)
        return own or fallback


def _identity(kind: str) -> dict[str, Source]:
    return {f: _s(f) for f in FIELDS[kind]}


GENERIC = Format(
    "generic",
    "the kiosk's own columns (see docs/sync.md)",
    contacts=_identity("contacts"),
    salespeople=_identity("salespeople"),
    territories=_identity("territories"),
)

SALESFORCE = Format(
    "salesforce",
    "Salesforce contacts report export",
    contacts={
        "crm_id": _s("Contact ID", "Id", "Contact: Contact ID"),
        "name": _s("First Name", "Last Name", how="name"),
        "company": _s("Account Name", "Account: Account Name", "Company"),
        "title": _s("Title"),
        "email": _s("Email"),
        "phone": _s("Phone", "Mobile", "Mobile Phone", "Business Phone"),
        "country": _s("Mailing Country", "Country", "Mailing Country Code", "Other Country"),
        "city": _s("Mailing City", "City", "Other City"),
        "language": _s("Language", "Languages"),
        "owner": _s("Contact Owner", "Contact Owner Email", "Owner Email", "Owner"),
        "filed_at": _s("Created Date", "Create Date"),
        "last_contact_at": _s("Last Activity", "Last Activity Date"),
        "notes": _s("Description", "Contact Description"),
        "consent": _s("Email Opt Out", how="not"),
    },
    date_order="MDY",
)

HUBSPOT = Format(
    "hubspot",
    "HubSpot contacts export",
    contacts={
        "crm_id": _s("Record ID", "Contact ID", "Record ID - Contact"),
        "name": _s("First Name", "Last Name", how="name"),
        "company": _s("Company Name", "Associated Company", "Company"),
        "title": _s("Job Title"),
        "email": _s("Email", "Email Address"),
        "phone": _s("Phone Number", "Mobile Phone Number"),
        "country": _s("Country/Region", "Country"),
        "city": _s("City"),
        "language": _s("Preferred language"),
        "owner": _s("Contact owner", "HubSpot Owner", "Contact owner email"),
        "filed_at": _s("Create Date", "Became a Lead Date"),
        "first_contact_at": _s("First Contact Date", "First Engagement Date"),
        "last_contact_at": _s("Last Contacted", "Last Activity Date"),
        "last_deal_at": _s("Recent Deal Close Date"),
        "grade": _s("Lead Status"),
        "notes": _s("Notes", "Message"),
    },
    date_order="MDY",
)

ODOO = Format(
    "odoo",
    "Odoo contacts export (labels or import-compatible names)",
    contacts={
        "crm_id": _s("ID", "External ID", "id", "Reference", "ref"),
        "name": _s("Name", "Display Name", "name", "complete_name"),
        "company": _s("Related Company", "Company Name", "parent_id", "company_name"),
        "title": _s("Job Position", "function"),
        "email": _s("Email", "email"),
        "phone": _s("Phone", "phone", "Mobile", "mobile"),
        "country": _s("Country", "country_id", "Country Code", "country_code"),
        "city": _s("City", "city"),
        "language": _s("Language", "lang"),
        "owner": _s("Salesperson", "user_id"),
        "filed_at": _s("Created on", "create_date"),
        "notes": _s("Notes", "comment"),
    },
)

FORMATS: dict[str, Format] = {f.name: f for f in (GENERIC, SALESFORCE, HUBSPOT, ODOO)}


def get_format(name: str) -> Format:
    try:
        return FORMATS[name]
    except KeyError:
        raise MappingError(f"unknown format {name!r} (known: {', '.join(FORMATS)})") from None


def header_key(text: str) -> str:
    """How headers are compared: NFKC, case and spacing ignored ('Contact  owner' = 'contact owner')."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


# ---------------------------------------------------------------- mapping TOML


def _source(key: str, value: object, where: str) -> Source:
    if isinstance(value, str):
        return Source((value,))
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return Source(tuple(value))
    if isinstance(value, dict) and len(value) == 1:
        [(how, cols)] = value.items()
        if how not in HOWS:
            raise MappingError(f"{where}: {key}: unknown combination {how!r} ({', '.join(HOWS)})")
        cols = [cols] if isinstance(cols, str) else cols
        if isinstance(cols, list) and cols and all(isinstance(c, str) for c in cols):
            return Source(tuple(cols), how)
    raise MappingError(
        f"{where}: {key} must be a column name, a list of names, or {{ first|join|name|not = [...] }}"
    )


def load_mapping(path: str | os.PathLike[str], kind: str, fmt: str = "generic") -> Format:
    """A Format from a mapping TOML, starting from `base` (default: `fmt`)."""
    p = Path(path)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise MappingError(f"mapping file not found: {p}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise MappingError(f"{p.name}: not valid TOML: {exc}") from None
    where = p.name
    unknown = set(data) - {"base", "kind", "date_order", "columns"}
    if unknown:
        raise MappingError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}"
                           " (known: base, kind, date_order, [columns])")  # fmt: skip
    if data.get("kind", kind) != kind:
        raise MappingError(f"{where} is a mapping for {data['kind']}, not {kind}")
    base = get_format(str(data.get("base", fmt)))
    order = str(data.get("date_order", base.date_order)).upper()
    if order not in DATE_ORDERS:
        raise MappingError(f"{where}: date_order must be one of {', '.join(DATE_ORDERS)}")
    columns = data.get("columns", {})
    if not isinstance(columns, dict):
        raise MappingError(f"{where}: [columns] must be a table")
    mapping = dict(base.mapping(kind))
    for key, value in columns.items():
        if key not in FIELDS[kind]:
            raise MappingError(
                f"{where}: unknown field {key!r} for {kind} (known: {', '.join(FIELDS[kind])})"
            )
        mapping[key] = _source(key, value, where)
    changes: dict[str, Any] = {kind: mapping}
    return replace(base, name=f"{base.name}+{p.stem}", date_order=order, **changes)


# ---------------------------------------------------------------- binding to a header


# Fields whose repeated columns are all kept: a contact may have several addresses and
# numbers (`kiosk.sync.cell_lists`), the first its own, the others finding it too.
LISTED = frozenset({"email", "phone"})


@dataclass(frozen=True)
class Binding:
    """A mapping resolved against one file's header: field → (how, column indexes)."""

    fields: dict[str, tuple[str, tuple[int, ...]]]
    unused: tuple[str, ...]  # header columns no field reads
    width: int = 0  # cells in the header; a row with fewer is broken
    # A column name the header has more than once, that a field reads: (the name, its
    # column indexes); the first is read, the others where it is blank (`bind`).
    repeated: tuple[tuple[str, tuple[int, ...]], ...] = ()

    def repeated_warnings(self) -> list[str]:
        """What the report says of each repeated column: which one is read."""
        listed = self.listed()
        return [
            f"the header has {name!r} {'twice' if len(idx) == 2 else f'{len(idx)} times'} (columns "
            + ", ".join(str(i + 1) for i in idx[:-1]) + f" and {idx[-1] + 1}): "
            + (f"all are read (column {idx[0] + 1}'s is the contact's, the others find the"
               " customer too)" if idx in listed else
               f"column {idx[0] + 1} is read, the other{'s' if len(idx) > 2 else ''} only where"
               " it is blank")
            for name, idx in self.repeated
        ]  # fmt: skip

    def listed(self) -> set[tuple[int, ...]]:
        """The repeated columns of a field whose copies are all kept (`LISTED`)."""
        return {idx for key, (_how, idx) in self.fields.items() if key in LISTED and len(idx) > 1}


def bind(fmt: Format, kind: str, header: Sequence[str], filename: str = "file") -> Binding:
    """Match the format's columns to the header; raise CsvFileError when required ones lack.

    A column name the header repeats (`email,email`: two exports pasted side by side, or a
    contact's and its account's field under one label) is read from its first column, and
    from the next where that one is blank — no value is dropped unseen — and the binding
    lists it (`repeated`): the import says which column it read, and on which rows the
    other held something else (`kiosk.sync.rows.checked_rows`)."""
    positions: dict[str, list[int]] = {}
    for i, name in enumerate(header):
        positions.setdefault(header_key(name), []).append(i)
    fields: dict[str, tuple[str, tuple[int, ...]]] = {}
    used: set[int] = set()
    repeated: dict[str, tuple[int, ...]] = {}
    for key, src in fmt.mapping(kind).items():
        keys = [k for k in (header_key(c) for c in src.columns) if k in positions]
        if src.how == "first":
            idx = tuple(i for k in keys for i in positions[k])
        else:
            idx = tuple(positions[k][0] for k in keys)
        if idx:
            fields[key] = (src.how, idx)
            used.update(idx)
            for k in keys if src.how == "first" else ():
                if len(positions[k]) > 1:
                    repeated[header[positions[k][0]]] = tuple(positions[k])
    missing = [group for group in REQUIRED[kind] if not any(f in fields for f in group)]
    if missing:
        want = "; ".join(" or ".join(_column_names(fmt, kind, f) for f in g) for g in missing)
        found = ", ".join(h for h in header if h)[:200] or "nothing"
        lead = "none of the needed columns" if not fields else "missing column(s)"
        raise CsvFileError(
            f"{filename}: {lead} for a {fmt.name} {kind} import: need {want}; found: {found}"
        )
    unused = tuple(h for i, h in enumerate(header) if i not in used and h)
    return Binding(fields, unused, len(header), tuple(repeated.items()))


def _column_names(fmt: Format, kind: str, key: str) -> str:
    src = fmt.mapping(kind).get(key)
    if src is None:
        return key
    cols = [f"'{c}'" for c in src.columns]
    return " + ".join(cols) if src.how in ("name", "join") else " or ".join(cols[:2])
