"""Reading the kiosk database into the core's records.

Every screen, command and rule reads people through these few functions, so the mapping
from columns to `models` lives in one place. Notes are read only by `contact_notes`, which
the UI calls solely for roles allowed to see them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from kiosk.models import Contact, Salesperson, TerritoryRule, assemble

# A check-in `k` that is still someone's to go and meet: waiting, and not followed within
# the same booth day (12 hours) by a later check-in of the same visitor. A visitor scanned
# at two kiosks before they synced (or again after the repeat window) has one check-in per
# scan; the arrivals board, the day's counts and the salespeople's figures count the
# person once, by their latest. Yesterday's board keeps yesterday's wait.
WAITING = (
    "k.status = 'waiting' AND NOT EXISTS (SELECT 1 FROM checkins later"
    " WHERE later.contact_id = k.contact_id AND julianday(later.at) > julianday(k.at)"
    " AND julianday(later.at) < julianday(k.at) + 0.5)"
)
# A check-in the arrivals board shows: received, or waiting as above.
SHOWN = f"(k.status = 'received' OR ({WAITING}))"
# The manager's decisions (`arrangements`), newest first: by the instant decided, whatever
# zone it was stamped in, then the later-stored of two stamped alike. The first of them that
# is not a deferral is the customer's standing arrangement, for the engine
# (`booth.settlement`) and for every screen that shows it (`disputes.standing`).
DECISIONS_NEWEST_FIRST = "ORDER BY julianday(decided_at) DESC, decided_at DESC, id DESC"

if TYPE_CHECKING:
    import sqlite_utils

CONTACT_COLUMNS = (
    "id, crm_id, name, company, title, email, phone, country, city, language, grade, owner_id, "
    "assistant_id, split, preferred_id, filed_at, first_contact_by, first_contact_at, "
    "last_contact_at, last_deal_at, consent, source"
)


def parse_ts(value: str | None) -> datetime | None:
    """ISO 8601 text from the database → aware datetime (naive values are taken as UTC)."""
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def iso(dt: datetime | None) -> str | None:
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.isoformat(timespec="seconds")


_CONTACT_NAMES = tuple(name.strip() for name in CONTACT_COLUMNS.split(","))


def contact_from_row(row: Mapping[str, Any], badge_id: str | None = None) -> Contact:
    """A Contact from a row keyed by column name (`CONTACT_COLUMNS` among its keys)."""
    return contact_from_values(tuple(row[name] for name in _CONTACT_NAMES), badge_id)


def contact_from_values(values: Sequence[Any], badge_id: str | None = None) -> Contact:
    """A Contact from the values of `CONTACT_COLUMNS`, in that order — a row as fetched,
    without naming its columns first: the exact lookups build one per scan, and a dict
    of the cursor's column names was a tenth of a badge lookup at a million contacts, and
    so was the dataclass's own `__init__` (see `kiosk.models.assemble`)."""
    (id_, crm_id, name, company, title, email, phone, country, city, language, grade,
     owner_id, assistant_id, split, preferred_id, filed_at, first_contact_by,
     first_contact_at, last_contact_at, last_deal_at, consent, source) = values  # fmt: skip
    return assemble(Contact, {
        "id": id_, "crm_id": crm_id, "name": name, "company": company or "",
        "title": title or "", "email": email or "", "phone": phone or "", "country": country,
        "city": city or "", "language": language, "grade": grade or "", "owner_id": owner_id,
        "assistant_id": assistant_id, "split": split, "preferred_id": preferred_id,
        # most stamps are empty: asked here, not in a call each
        "filed_at": parse_ts(filed_at) if filed_at else None,
        "first_contact_by": first_contact_by,
        "first_contact_at": parse_ts(first_contact_at) if first_contact_at else None,
        "last_contact_at": parse_ts(last_contact_at) if last_contact_at else None,
        "last_deal_at": parse_ts(last_deal_at) if last_deal_at else None,
        "consent": bool(consent), "source": source, "badge_id": badge_id,
    })  # fmt: skip


def _rows(db: sqlite_utils.Database, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
    cur = db.execute(sql, list(params))
    cols = [c[0] for c in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def get_contact(db: sqlite_utils.Database, contact_id: str) -> Contact | None:
    """One contact by id. A contact with no name (a walk-in scanned from a bare badge id)
    carries its badge id: it is all that tells reception, the arrivals board and the
    salesperson called who this is, and the card showed "(no name on the badge)" alone."""
    rows = _rows(db, f"SELECT {CONTACT_COLUMNS} FROM contacts WHERE id = ?", [contact_id])
    if not rows:
        return None
    return contact_from_row(rows[0], None if rows[0]["name"] else first_badge(db, contact_id))


def first_badge(db: sqlite_utils.Database, contact_id: str) -> str | None:
    """The contact's first badge id (by text, so every kiosk picks the same one), if any."""
    row = db.execute(FIRST_BADGE_SQL, [contact_id]).fetchone()
    return str(row[0]) if row else None


# A contact's first badge id, by text: the same one on every kiosk, live or rebuilt.
FIRST_BADGE_SQL = (
    "SELECT badge_id FROM contact_badges WHERE contact_id = ? ORDER BY badge_id LIMIT 1"
)


def get_contacts(db: sqlite_utils.Database, ids: Iterable[str]) -> dict[str, Contact]:
    """Many contacts by id in one query, keyed by id."""
    ids = list(dict.fromkeys(ids))
    out: dict[str, Contact] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for row in _rows(
            db, f"SELECT {CONTACT_COLUMNS} FROM contacts WHERE id IN ({marks})", chunk
        ):
            out[row["id"]] = contact_from_row(row)
    return out


def contact_notes(db: sqlite_utils.Database, contact_id: str) -> str:
    """The private sales notes of one contact. Callers must check the viewer's role first."""
    row = db.execute("SELECT notes FROM contacts WHERE id = ?", [contact_id]).fetchone()
    return row[0] if row else ""


def salesperson_from_row(row: Mapping[str, Any]) -> Salesperson:
    langs = tuple(x.strip() for x in (row["languages"] or "").split(",") if x.strip())
    return Salesperson(
        id=row["id"],
        name=row["name"],
        email=row["email"] or "",
        phone=row["phone"] or "",
        role=row["role"],
        languages=langs,
        title=row["title"] or "",
        away=bool(row["away"]),
    )


def load_salespeople(db: sqlite_utils.Database) -> dict[str, Salesperson]:
    """Everyone at the booth, keyed by id, in a stable order (by name)."""
    rows = _rows(db, "SELECT * FROM salespeople ORDER BY name, id")
    return {r["id"]: salesperson_from_row(r) for r in rows}


def find_salesperson(db: sqlite_utils.Database, key: str) -> Salesperson | None:
    """A salesperson by id, email or (case-insensitive) name; None when unknown."""
    key = (key or "").strip()
    if not key:
        return None
    rows = _rows(
        db,
        "SELECT * FROM salespeople WHERE id = ? OR lower(email) = lower(?) OR lower(name) = lower(?)"
        " ORDER BY id = ? DESC LIMIT 1",
        [key, key, key, key],
    )
    return salesperson_from_row(rows[0]) if rows else None


def load_rules(db: sqlite_utils.Database) -> list[TerritoryRule]:
    """Territory rules in routing order."""
    rows = _rows(db, "SELECT * FROM territories ORDER BY position, id")
    return [
        TerritoryRule(
            id=r["id"],
            position=r["position"],
            kind=r["kind"],
            value=r["value"] or "",
            salespeople=tuple(s for s in (r["salespeople"] or "").split(",") if s),
            note=r["note"] or "",
        )
        for r in rows
    ]


def rotation_counts(db: sqlite_utils.Database) -> dict[tuple[int, str], int]:
    """How many visitors each territory rule has already sent to each salesperson.

    Derived from the leads and the walk-in arrivals rather than kept as a counter, so that
    merging kiosks (which replays both) gives every kiosk the same fair rotation. A visitor
    counts once per rule and person, even when a walk-in later became a lead. The tally is
    kept in two small tables by the appliers that write leads and walk-ins
    (`kiosk.db.m015_rotation_tally`): one small read per check-in instead of a count over
    the whole day.
    """
    cur = db.execute("SELECT territory_rule_id, owner_id, visitors FROM rotation_tally")
    return {(r[0], r[1]): r[2] for r in cur.fetchall()}
