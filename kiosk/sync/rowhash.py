"""Knowing a CRM row unchanged since the last import without converting it.

Re-importing the morning's CRM export, most rows are exactly the rows imported the day
before. Each contact keeps `crm_row`: a 64-bit hash of the record it was last imported
from (its cells, as read) and of everything else the conversion depends on — the format
and its column binding, the date order, the salespeople that owner names resolve to, and
`VERSION`. A record whose hash some contact holds is the record that contact was written
from, so the importer counts it unchanged and does nothing else for it: no conversion, no
query, no write (`Known`), about a tenth of the time of the full path.

A record whose conversion noted something for the report's warnings — an e-mail that is
not a valid address (kept as text, matched by its CRM id), several addresses or numbers
in a cell, a part of one that is neither (`kiosk.sync.cell_lists`) — is flagged in its
stored hash's lowest bit: skipped, its e-mail and phone cells are read again for those
notes alone (`Converter.note_cells`), so a re-import of the same file warns as the first.

One case needs care: a file that names one contact in two records. The contact holds the
hash of the record that came last; if an earlier record of the same contact changed, the
full path rewrites the contact from it, and the later record — known — must then not be
skipped. So a known record is skipped only when none of its keys (CRM id, e-mail) belongs
to a record that took the full path earlier in this import (`touched`, a Bloom filter:
"maybe" sends the record down the full path, which is always right, only slower).

Contacts written by anything but the importer (a hub baseline, the demo data) carry no
hash, or have it cleared, so their next import compares them field by field.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import sqlite_utils

from kiosk.sync.formats import Binding
from kiosk.sync.rows import extractor
from kiosk.text import normalize_email

# Raise when the conversion of a record changes (country tables, cleaning). 2: a cell's
# formula guard ("'-Minus Co", from a rejects file) is taken off. 3: an e-mail or phone
# cell with several addresses or numbers, or 'Name <addr>', is read as them
# (`kiosk.sync.cell_lists`): customers an earlier version kept with no address are read
# again on the next import, and found by their addresses. 4: a phone cell with a number
# and a part that is none keeps the number ('+49 171 1111111 / call me'), and a cell with
# a part that is no address or number is warned of, also when its record is skipped.
VERSION = 4
_SEP = "\x1f"


def context(db: sqlite_utils.Database, fmt_name: str, date_order: str, binding: Binding) -> bytes:
    """What a record's conversion depends on besides its cells, as hash key material."""
    people = db.execute("SELECT id, name, email FROM salespeople ORDER BY id").fetchall()
    text = repr((VERSION, fmt_name, date_order, sorted(binding.fields.items()), people))
    return hashlib.blake2b(text.encode("utf-8"), digest_size=32).digest()


def hasher(ctx: bytes) -> Callable[[list[str]], int]:
    """cells → the record's signed 64-bit hash (SQLite's INTEGER), its lowest bit clear:
    the stored hash sets it when the record's conversion noted something for the report
    (see the module doc), so a skipped record is still warned of."""
    blake = hashlib.blake2b
    from_bytes = int.from_bytes

    def digest(cells: list[str]) -> int:
        data = _SEP.join(cells).encode("utf-8", "surrogatepass")
        return from_bytes(blake(data, digest_size=8, key=ctx).digest(), "little", signed=True) & ~1

    return digest


class Known:
    """The hashes the contacts hold, as dicts: a re-import looks up every record's hash,
    and a set lookup was measured 4× cheaper than a binary search of a sorted array
    (0.5 against 2.3 µs: ~2 s of a million-row re-import), for ~70 MB more at a
    million contacts (the import's budget is 300 MB). A dict rather than a set holds
    the line each hash's record was first read on in this import (0: not yet), for the
    report's repeated CRM ids (`kiosk.sync.crm_repeats`): a record read as unchanged,
    then a changed one of the same contact, is a repeat. At a million unchanged records
    that is ~8 MB for the dict and ~28 MB for the lines; the lookups cost the same."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        stored = [
            r[0] for r in db.execute("SELECT crm_row FROM contacts WHERE crm_row IS NOT NULL")
        ]
        # the lowest bit is the noted-record flag: the rare flagged ones in a dict of their own
        self.plain = dict.fromkeys([h for h in stored if not h & 1], 0)
        self.flagged = dict.fromkeys([h & ~1 for h in stored if h & 1], 0)

    def __bool__(self) -> bool:
        return bool(self.plain or self.flagged)

    def find(self, h: int, line: int) -> int | None:
        """The stored hash of the record hashed `h` (its lowest bit a flag), or None; notes
        `line` as where it was read, unless it was read before."""
        seen = self.plain.get(h)
        if seen is not None:
            if not seen:
                self.plain[h] = line
            return h
        seen = self.flagged.get(h)
        if seen is None:
            return None
        if not seen:
            self.flagged[h] = line
        return h | 1

    def line_of(self, stored: int) -> int | None:
        """The line the record of a hash the contacts held was first read on in this
        import (0: not read yet), or None for a hash they did not hold (one the import
        wrote, say)."""
        if stored & 1:
            return self.flagged.get(stored & ~1)
        return self.plain.get(stored)


def key_reader(binding: Binding) -> Callable[[list[str]], tuple[str, str, str]]:
    """cells → (CRM id, e-mail as written, normalised e-mail), read exactly as the full
    path reads them (raises RowError for a record the full path would reject)."""
    keys = {k: v for k, v in binding.fields.items() if k in ("crm_id", "email")}
    extract = extractor(Binding(keys, (), binding.width))

    def read(cells: list[str]) -> tuple[str, str, str]:
        raw = extract(cells)
        email = raw.get("email", "")
        return raw.get("crm_id", ""), email, normalize_email(email)

    return read
