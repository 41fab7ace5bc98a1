"""Badge ids that one CRM file gives to two different contacts.

`contact_badges` maps each badge id to one contact, so when two records of a file name
the same badge for different contacts, the record written last wins — by row order, which
nobody chose. Nothing is lost (both contacts are imported; the badge stays with one), but
the import's report says so, with the file's line numbers of both records, so that the
CRM can be corrected.

Which records gave which badge is kept in a temp table for the import (written beside the
main database, without its write lock; ~330,000 rows for a million-contact file, a few
MB on disk rather than in the importer's memory), and compared once at the end.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import NamedTuple

SHOWN = 10  # conflicts listed one by one in the report; the rest are counted

_TABLE = "temp.import_badge_lines"


class Conflict(NamedTuple):
    """A badge id on `records` records of one file, of different contacts."""

    badge: str
    records: int
    first: int  # the line of the first record naming it
    last: int  # … and of the last
    holder: str | None  # the contact it belongs to after the import


class BadgeLines:
    """The (badge id, line, contact id) of every record an import writes badges from."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        conn.execute(f"DROP TABLE IF EXISTS {_TABLE}")
        conn.execute(f"CREATE TABLE {_TABLE} (badge_id TEXT, line INTEGER, contact_id TEXT)")

    def add(self, rows: Iterable[tuple[str, int, str]]) -> None:
        """Note (badge id, line, contact id) triples."""
        self.conn.executemany(f"INSERT INTO {_TABLE} VALUES (?, ?, ?)", rows)

    def add_sql(self, select: str, args: Iterable[object] = ()) -> None:
        """Note the triples a SELECT gives (badge id, line, contact id), e.g. from a
        child process's scratch file."""
        self.conn.execute(f"INSERT INTO {_TABLE} {select}", list(args))

    def conflicts(self) -> list[Conflict]:
        """Each badge that records of different contacts gave, in order of its first line
        (then of the badge id).

        Only a badge on two records or more can be one: those are found first, from the
        badge ids alone, and only their records are grouped by contact. Nearly every badge
        is on one record: grouping all ~330,000 triples of a million-row file by badge, with
        a distinct count of contacts in each, took 1.1-1.4 s of CPU (a loaded machine,
        2026-12-04); 0.6-0.8 s this way.
        """
        rows = self.conn.execute(
            f"SELECT badge_id, count(*), min(line), max(line) FROM {_TABLE}"
            f" WHERE badge_id IN (SELECT badge_id FROM {_TABLE} GROUP BY badge_id"
            "   HAVING count(*) > 1)"
            " GROUP BY badge_id HAVING count(DISTINCT contact_id) > 1 ORDER BY 3, 1"
        ).fetchall()
        out = []
        for badge, records, first, last in rows:
            holder = self.conn.execute(
                "SELECT contact_id FROM contact_badges WHERE badge_id = ?", [badge]
            ).fetchone()
            out.append(Conflict(badge, int(records), int(first), int(last), holder and holder[0]))
        return out

    def close(self) -> None:
        self.conn.execute(f"DROP TABLE IF EXISTS {_TABLE}")


def warnings(conflicts: list[Conflict], file: str) -> list[str]:
    """The report's lines for `BadgeLines.conflicts`: one per badge, SHOWN at most."""
    out = [
        f"badge id {c.badge!r} is on {c.records} records of {file} for different contacts"
        f" (lines {c.first} and {c.last}); it now belongs to contact {c.holder or 'none'}"
        if c.records == 2 else
        f"badge id {c.badge!r} is on {c.records} records of {file} for different contacts"
        f" (first on line {c.first}, last on line {c.last}); it now belongs to contact"
        f" {c.holder or 'none'}"
        for c in conflicts[:SHOWN]
    ]  # fmt: skip
    if len(conflicts) > SHOWN:
        out.append(
            f"… and {len(conflicts) - SHOWN} more badge id(s) on records of different contacts"
        )
    return out
