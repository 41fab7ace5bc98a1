"""CRM ids that several records of one import file carry.

A contact is found by its CRM id, so a later record with the same id updates the contact
an earlier record of the file wrote: the last one wins, by row order, which nobody chose,
and the earlier record's values are gone. The import still does that, and its report
says so, per CRM id, with the lines and which one is kept (`warnings`), so that the CRM
can be corrected — as it does for a badge id on two contacts (`badge_lines`).

Found without a second pass over the file, and without a per-record lookup the import
does not make anyway. Every record after the first of a CRM id that differs from it
reaches the ordinary path's matching (`import_contacts._Batch._match`): into an empty
table because its key was seen before (`keys.Seen`); otherwise every record does that a
re-import does not skip as unchanged, and it skips only the record the contact was
written from last time, before any record of the contact that changed. There the contact
the record updates says which record came before:

- a record earlier in the same batch: its line;
- else the contact as stored, by the hash of the record it was written from (`crm_row`,
  `rowhash`). A hash the contacts held before the import is a repeat only when its record
  was read earlier in this import (`rowhash.Known.find` notes the first line of each);
  any other was written by this import, from a record whose line is found at the end, for
  the repeats only, in `Repeats.wrote`'s log of (hash, line) of the rows written (a few
  bytes a row, no lookup) or in the second process's scratch file (`parallel_import`).

A record exactly like the one before it (the same cells) changes nothing and is not
reported; nor is a CRM id whose records are all alike.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from operator import itemgetter
from typing import NamedTuple

SHOWN = 10  # CRM ids listed one by one in the report; the rest are counted

# (CRM id, the earlier record's line — 0 until found —, its hash, the record's line, its hash)
Found = tuple[str, int, int, int, int]


class Repeat(NamedTuple):
    """A CRM id on `records` records of one file that are not all alike."""

    crm_id: str
    records: int
    first: int  # the line of the first record with it
    last: int  # … and of the last: the record the contact was written from


class Repeats:
    """The repeated CRM ids an import found, and what it needs to place them."""

    def __init__(self) -> None:
        # (hash, line) of the records contacts were written from, in the order written
        self.hashes = array("q")
        self.lines = array("i")  # line numbers: 4 bytes each
        self.found: list[Found] = []

    def wrote(self, hashes: Iterable[int], lines: Iterable[int]) -> None:
        """Note the records (their `crm_row` hashes and lines) rows were written from."""
        self.hashes.extend(hashes)
        self.lines.extend(lines)

    def wrote_pairs(self, written: list[tuple[int, int]]) -> None:
        """`wrote`, from (hash, line) pairs."""
        if written:
            self.hashes.extend(map(itemgetter(0), written))
            self.lines.extend(map(itemgetter(1), written))

    def add(self, found: Iterable[Found]) -> None:
        self.found.extend(found)

    def unplaced(self) -> set[int]:
        """The hashes of earlier records whose lines are still to be found."""
        return {h for _, at, h, _, _ in self.found if not at}

    def place(self, written: Iterable[tuple[int, int]]) -> None:
        """Give each earlier record still without a line the first line of a record with
        its hash before the repeat (`written`: (hash, line) pairs, e.g. from the second
        process's scratch file, besides those noted by `wrote`); drop those with none —
        not written by this import, so no repeat."""
        want = self.unplaced()
        if not want:
            return
        lines: dict[int, list[int]] = {}
        for h, line in zip(self.hashes, self.lines, strict=True):
            if h in want:
                lines.setdefault(h, []).append(line)
        for h, line in written:
            if h in want:
                lines.setdefault(h, []).append(line)
        placed = []
        for crm, at, h, line, lh in self.found:
            if not at:
                at = min((n for n in lines.get(h, ()) if n < line), default=0)
                if not at:
                    continue
            placed.append((crm, at, h, line, lh))
        self.found = placed

    def repeats(self) -> list[Repeat]:
        """Each CRM id on records not all alike, in the order of its first line."""
        lines: dict[str, set[int]] = {}
        hashes: dict[str, set[int]] = {}
        for crm, at, h, line, lh in self.found:
            if at:
                lines.setdefault(crm, set()).update((at, line))
                hashes.setdefault(crm, set()).update((h, lh))
        out = [
            Repeat(crm, len(on), min(on), max(on))
            for crm, on in lines.items()
            if len(hashes[crm]) > 1
        ]
        return sorted(out, key=lambda r: (r.first, r.crm_id))


def warnings(
    repeats: list[Repeat], file: str, what: str = "CRM id", lost: dict[str, str] | None = None
) -> list[str]:
    """The report's lines for `Repeats.repeats`: one per id, SHOWN at most. `what` names
    the id (the salespeople import says 'salesperson id'); `lost`, by id, what the earlier
    records said that the kept one does not (added after the line)."""
    out = [
        (f"{file} line {r.last} repeats {what} {r.crm_id!r} of line {r.first};"
         f" line {r.last} is kept"
         if r.records == 2 else
         f"{what[0].upper()}{what[1:]} {r.crm_id!r} is on {r.records} records of {file}"
         f" (first on line {r.first}, last on line {r.last}); line {r.last} is kept")
        + (f" ({lost[r.crm_id]})" if lost and lost.get(r.crm_id) else "")
        for r in repeats[:SHOWN]
    ]  # fmt: skip
    if len(repeats) > SHOWN:
        out.append(f"… and {len(repeats) - SHOWN} more {what}(s) on several records of {file}")
    return out
