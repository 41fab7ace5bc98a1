"""Salespeople and territory imports: small files, validated row by row.

Salespeople are upserted by id and never deleted (contacts, leads and past decisions
refer to them); people missing from the file are reported. `away` is written to both
`away` and `crm_away`, and the replay that follows re-applies the booth's own away/back
events on top.

Territories replace the whole rule set, because routing reads the rules as one ordered
list and a half-updated list routes wrongly. A rule that is still in the file with the
same kind and value keeps its id, so the fair-rotation counts kept per rule (in `leads`)
carry on; new rules get ids never used before. Country values are stored as alpha-2 codes
and region values as canonical group names, so a typo is a rejected row here rather than
a rule that silently never matches at the booth.
"""

from __future__ import annotations

import re
from typing import Any

import sqlite_utils

from kiosk.countries.regions import normalize_group
from kiosk.countries.resolve import resolve_country
from kiosk.models import ROLES, TERRITORY_KINDS
from kiosk.sync import SyncError
from kiosk.sync.crm_repeats import Repeat
from kiosk.sync.crm_repeats import warnings as repeat_warnings
from kiosk.sync.csvread import CsvFile
from kiosk.sync.formats import Binding, Format
from kiosk.sync.rows import (
    ImportReport,
    People,
    Progress,
    Rejects,
    RowError,
    checked_rows,
    extractor,
    inert,
)
from kiosk.sync.values import parse_flag, split_list
from kiosk.text import normalize_email

_SP_COLUMNS = ("name", "email", "phone", "role", "languages", "title", "away")
_LANG = re.compile(r"[a-z]{2,3}")
_DOMAIN = re.compile(r"[a-z0-9-]+(\.[a-z0-9-]+)+")


def _salesperson(raw: dict[str, str], old: dict[str, Any] | None) -> dict[str, Any]:
    sid = raw.get("id", "").strip()
    if not sid:
        raise RowError("no id")
    if "," in sid:
        raise RowError(f"id {sid!r} must not contain a comma (territories list ids with commas)")
    row: dict[str, Any] = dict(old) if old else {
        "name": "", "email": "", "phone": "", "role": "sales", "languages": "", "title": "", "away": 0,
    }  # fmt: skip
    row["id"] = sid
    for key, value in raw.items():
        if key == "name":
            row["name"] = " ".join(value.split())
        elif key == "email":
            if value and not normalize_email(value):
                raise RowError(f"not a valid email address: {value!r}")
            row["email"] = value.strip()
        elif key == "role":
            role = value.strip().casefold() or "sales"
            if role not in ROLES:
                raise RowError(f"role must be one of {', '.join(ROLES)}, not {value!r}")
            row["role"] = role
        elif key == "languages":
            codes = [c.lower() for c in split_list(value, ",;/ ")]
            bad = [c for c in codes if not _LANG.fullmatch(c)]
            if bad:
                raise RowError(f"languages: not ISO 639-1 codes: {', '.join(bad)}")
            row["languages"] = ",".join(codes)
        elif key == "away":
            try:
                row["away"] = 1 if parse_flag(value) else 0
            except ValueError as exc:
                raise RowError(f"away: {exc}") from None
        elif key in ("phone", "title"):
            row[key] = value
    if not row["name"]:
        raise RowError("no name")
    return row


def import_salespeople(
    db: sqlite_utils.Database,
    src: CsvFile,
    binding: Binding,
    fmt: Format,
    report: ImportReport,
    rejects: Rejects,
    progress: Progress | None,
) -> bool:
    """Upsert salespeople by id; True when anything changed."""
    cols = ", ".join(_SP_COLUMNS)
    stored = {
        r[0]: dict(zip((*_SP_COLUMNS, "crm_away"), r[1:], strict=True))
        for r in db.execute(f"SELECT id, {cols}, crm_away FROM salespeople")
    }
    crm_away = {sid: row.pop("crm_away", None) for sid, row in stored.items()}
    emails = {r["email"].casefold(): sid for sid, r in stored.items() if r["email"]}
    extract = extractor(binding, src.info.encoding)
    seen: set[str] = set()
    # each id's records in this file: (line, row) — a later one overwrites an earlier one
    # (row order, as for a contact's CRM id), which the report says (`_repeats`)
    records: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for line, cells in checked_rows(src, report, rejects, progress, binding):
        try:
            raw = inert(extract(cells))
            old = stored.get(raw.get("id", "").strip())
            row = _salesperson(raw, old)
            owner = emails.get(row["email"].casefold()) if row["email"] else None
            if owner is not None and owner != row["id"]:
                raise RowError(f"email {row['email']} already belongs to salesperson {owner!r}")
        except RowError as exc:
            rejects.add(line, cells, str(exc))
            continue
        sid = row["id"]
        records.setdefault(sid, []).append((line, {k: row[k] for k in _SP_COLUMNS}))
        if (
            old is not None
            and old.get("email")
            and old["email"].casefold() != row["email"].casefold()
        ):
            emails.pop(old["email"].casefold(), None)
        if row["email"]:
            emails[row["email"].casefold()] = sid
        seen.add(sid)
        current = {k: row[k] for k in _SP_COLUMNS}
        if old is None:
            report.inserted += 1
        elif current == {k: old[k] for k in _SP_COLUMNS} and crm_away.get(sid) == row["away"]:
            report.unchanged += 1
            continue
        else:
            report.updated += 1
        stored[sid], crm_away[sid] = current, row["away"]
        db.execute(
            f"INSERT INTO salespeople(id, {cols}, crm_away) VALUES (?,?,?,?,?,?,?,?,?)"
            " ON CONFLICT(id) DO UPDATE SET "
            + ", ".join(f"{c} = excluded.{c}" for c in (*_SP_COLUMNS, "crm_away")),
            [sid, *(current[c] for c in _SP_COLUMNS), row["away"]],
        )
    report.warnings.extend(_repeats(records, src.path.name))
    missing = sorted(set(stored) - seen)
    if missing and seen:
        shown = ", ".join(missing[:10]) + (" …" if len(missing) > 10 else "")
        report.warnings.append(
            f"{len(missing)} salespeople are not in the file and were kept: {shown}"
        )
    return bool(report.inserted or report.updated)


def _repeats(records: dict[str, list[tuple[int, dict[str, Any]]]], file: str) -> list[str]:
    """The report's lines for ids on several records of the file that are not all alike:
    the last one is kept, and the earlier ones' name and e-mail are gone (contacts that
    name the salesperson by them no longer find anyone), so the lines and what is lost
    are named, as the contacts import names a repeated CRM id (`kiosk.sync.crm_repeats`)."""
    found: list[Repeat] = []
    lost: dict[str, str] = {}
    for sid, recs in records.items():
        if len(recs) < 2 or all(row == recs[-1][1] for _, row in recs):
            continue
        found.append(Repeat(sid, len(recs), recs[0][0], recs[-1][0]))
        kept = recs[-1][1]
        gone = [
            f"{key} {row[key]!r}"
            for key in ("name", "email")
            for _, row in recs[:-1]
            if row[key] and row[key] != kept[key]
        ]
        lost[sid] = "dropped: " + ", ".join(dict.fromkeys(gone)) if gone else ""
    found.sort(key=lambda r: r.first)
    return repeat_warnings(found, file, "salesperson id", lost)


# ---------------------------------------------------------------- territories


def _countries(value: str) -> str:

    codes: list[str] = []
    for part in (p.strip() for p in re.split(r"[,;|/]", value)):
        if not part:
            continue
        hit = resolve_country(part)
        if hit is None and " " in part:  # "ES PT": codes separated by spaces
            words = part.split()
            hits = [resolve_country(w) for w in words]
            if all(hits):
                codes.extend(h for h in hits if h)
                continue
            raise RowError(
                f"unknown country {next(w for w, h in zip(words, hits, strict=True) if not h)!r}"
            )
        if hit is None:
            raise RowError(f"unknown country {part!r}")
        codes.append(hit)
    if not codes:
        raise RowError("a country rule needs at least one country")
    return " ".join(dict.fromkeys(codes))


def _regions(value: str) -> str:

    groups: list[str] = []
    for part in (p.strip() for p in re.split(r"[,;|/]", value)):
        if part:
            group = normalize_group(part)
            if group is None:
                raise RowError(f"unknown region {part!r}")
            groups.append(group)
    if not groups:
        raise RowError("a region rule needs at least one region")
    return ", ".join(dict.fromkeys(groups))


def _domains(value: str) -> str:
    out = []
    for part in re.split(r"[\s,;|]+", value.casefold()):
        d = part.rpartition("@")[2].removeprefix("*.").strip(".")
        if not d:
            continue
        if not _DOMAIN.fullmatch(d):
            raise RowError(f"not an email domain: {part!r}")
        out.append(d)
    if not out:
        raise RowError("a domain rule needs at least one domain")
    return " ".join(dict.fromkeys(out))


def _rule(raw: dict[str, str], people: People, position: int) -> dict[str, Any]:
    kind = raw.get("kind", "").strip().casefold()
    if kind not in TERRITORY_KINDS:
        raise RowError(f"kind must be one of {', '.join(TERRITORY_KINDS)}, not {raw.get('kind')!r}")
    value = raw.get("value", "").strip()
    if kind == "country":
        value = _countries(value)
    elif kind == "region":
        value = _regions(value)
    elif kind == "domain":
        value = _domains(value)
    elif kind == "company":
        if not value:
            raise RowError("a company rule needs a company name")
    else:
        value = ""
    pos_text = raw.get("position", "").strip()
    try:
        pos = int(pos_text) if pos_text else position
    except ValueError:
        raise RowError(f"position must be a whole number, not {pos_text!r}") from None
    ids = [people.resolve(p, "salesperson") for p in split_list(raw.get("salespeople", ""), ";,")]
    if not ids:
        raise RowError("no salespeople for this rule")
    return {"position": pos, "kind": kind, "value": value,
            "salespeople": ",".join(dict.fromkeys(i for i in ids if i)),
            "note": raw.get("note", "").strip()}  # fmt: skip


def import_territories(
    db: sqlite_utils.Database,
    src: CsvFile,
    binding: Binding,
    fmt: Format,
    report: ImportReport,
    rejects: Rejects,
    progress: Progress | None,
) -> bool:
    """Replace the territory rules with the file's valid rows; True when anything changed."""
    people = People(db)
    extract = extractor(binding, src.info.encoding)
    rules: list[dict[str, Any]] = []
    for line, cells in checked_rows(src, report, rejects, progress, binding):
        try:
            rules.append(_rule(inert(extract(cells)), people, (len(rules) + 1) * 10))
        except RowError as exc:
            rejects.add(line, cells, str(exc))
    old_rows = list(db.query("SELECT * FROM territories ORDER BY id"))
    if not rules:
        raise SyncError(
            f"{src.path.name}: no usable territory rules (rejected {report.rejected});"
            f" the current {len(old_rows)} rules are kept"
        )
    free = {(r["kind"], r["value"]): r for r in old_rows}
    next_id = max([r["id"] for r in old_rows] + [_max_rule_ref(db)]) + 1
    keep: set[int] = set()
    db.execute("DELETE FROM territories")
    for rule in rules:
        old = free.pop((rule["kind"], rule["value"]), None)
        if old is None:
            rule_id, next_id = next_id, next_id + 1
            report.inserted += 1
        else:
            rule_id = old["id"]
            keep.add(rule_id)
            same = all(old[k] == rule[k] for k in ("position", "salespeople", "note"))
            report.unchanged += same
            report.updated += not same
        db.execute(
            "INSERT INTO territories(id, position, kind, value, salespeople, note)"
            " VALUES (?,?,?,?,?,?)",
            [
                rule_id,
                rule["position"],
                rule["kind"],
                rule["value"],
                rule["salespeople"],
                rule["note"],
            ],
        )
    report.removed = len(old_rows) - len(keep)
    return bool(report.inserted or report.updated or report.removed)


def _max_rule_ref(db: sqlite_utils.Database) -> int:
    """The highest rule id leads still remember, so a new rule never inherits its rotation."""
    row = db.execute("SELECT max(territory_rule_id) FROM leads").fetchone()
    return int(row[0] or 0)
