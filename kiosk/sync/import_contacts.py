"""The contacts upsert: match each CRM row to a contact, write only what changed.

Matching, per row: by CRM id; else by normalised email among CRM contacts (a contact that
was imported without an id adopts the id when it first arrives). A new contact's id is
its CRM id, or 'E-' + a hash of the email when the CRM gave none, so re-importing the
same file always lands on the same ids that booth events refer to. Contacts the booth
created (source 'booth') are never matched or changed: a CRM row with a booth visitor's
email becomes a CRM contact of its own, and on the replay that follows the booth's lead
attaches to it (lead appliers prefer CRM contacts; `contact_aliases` redirects the
visitor's check-ins), so the visitor ends up as one contact with the CRM's data.

A CRM id on several records of the file is one contact, written from the last of them;
the report says which (`kiosk.sync.crm_repeats`).

Columns absent from the file keep their stored values; a present but blank cell clears
the field (the CRM is the authority on CRM fields) except `crm_id`, which is never
cleared. Rows are handled in batches: one indexed query per batch finds the existing
contacts, unchanged rows cost no write at all.

Each batch is written in its own short transaction (`kiosk.bulk.Slices`), so the booth
keeps checking visitors in while a big file loads. A big file into an empty table builds
the random-key indexes after its rows (`RANDOM_KEY_INDEXES`); a big file stops the
full-text triggers and has `kiosk.search_index` build a new index after the rows land.
"""

from __future__ import annotations

import heapq
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from functools import partial
from itertools import chain, islice
from operator import itemgetter
from typing import Any

import sqlite_utils

from kiosk import phones, search_index
from kiosk.bulk import (
    Slices,
    defer_indexes,
    fewer_collections,
    indexes_deferred,
    restore_indexes,
)
from kiosk.contact_rows import (
    COLUMNS,
    ContactRowError,
    contact_values,
    insert_values,
    picker,
    prepare_contact,
    varying_columns,
)
from kiosk.events.validate import shown
from kiosk.sync import parallel_import, rowhash
from kiosk.sync.badge_lines import BadgeLines, warnings
from kiosk.sync.cell_lists import CELLS, and_list, unread_text
from kiosk.sync.contact_fields import Converter
from kiosk.sync.crm_repeats import Found, Repeats
from kiosk.sync.crm_repeats import warnings as crm_warnings
from kiosk.sync.csvread import CsvFile
from kiosk.sync.formats import Binding, Format
from kiosk.sync.keys import Seen, email_id, record_keys
from kiosk.sync.new_rows import NewRows
from kiosk.sync.rows import (
    ImportReport,
    People,
    Progress,
    Rejects,
    RowError,
    checked_rows,
    extractor,
    lines_text,
)

BULK_ROWS = 5000  # from about this many rows, one index rebuild beats per-row triggers
_BYTES_PER_ROW = 150  # a typical CRM export row, for guessing the row count from the size
_SELECT = ", ".join(COLUMNS)
_row_values = itemgetter(*COLUMNS)  # prepared dict → the row tuple, in COLUMNS order
# Every row written also records the hash of the CRM record it came from (`rowhash`).
_INSERT = f"INSERT INTO contacts ({_SELECT}, crm_row) VALUES ({', '.join('?' * len(COLUMNS))}, ?)"
# Booth decisions change these; what the CRM said is in the crm_* twin.
Item = tuple[int, list[str], dict[str, Any]]  # (line, cells, converted fields) of one record
Extract = Callable[[list[str]], dict[str, str]]  # a record's cells → its fields (`extractor`)
_BASELINE = {"owner_id": "crm_owner_id", "assistant_id": "crm_assistant_id",
             "split": "crm_split", "preferred_id": "crm_preferred_id"}  # fmt: skip
# An update keeps a value the booth decided (it differs from the CRM's old one) until the
# replay at the end of the import re-applies the decision: between the import's slices a
# scan still finds the manager's owner, not the CRM's.
_UPDATE = (
    "UPDATE contacts SET "
    + ", ".join(
        f"{c} = CASE WHEN {c} IS NOT {_BASELINE[c]} THEN {c} ELSE ? END" if c in _BASELINE
        else f"{c} = ?"
        for c in COLUMNS[1:]
    )
    + ", crm_row = ? WHERE id = ?"
)  # fmt: skip
_FETCHED = (*COLUMNS, "crm_row")
_INSERT_KEY = "INSERT OR IGNORE INTO contact_keys(key, contact_id) VALUES (?, ?)"
# Indexes whose keys arrive in random order. Kept up to date row by row, every slice
# rewrites about one page of each per row it adds (WAL writes, then checkpoints: at a
# million rows several times the cost of the insert; and each booth write between two
# slices empties the importer's page cache, so the pages are read again), built after the
# load they cost one sort each. A big load into an EMPTY table (the first CRM pull, before
# the booth has anyone to look up) defers them and builds them one per transaction before
# the import reports ready. A load into a table that has contacts keeps them: building one
# over a million rows holds the write lock for seconds (issue 12's torture run: a booth
# write waited 3 s), and a booth that is working looks visitors up by them.
RANDOM_KEY_INDEXES = ("contacts_email", "contacts_phone", "contacts_name_prefix")
# Of the indexes a load into an empty table defers, the ones exact lookups (e-mail,
# phone) and the ordinary path of the import itself read: built before the import reports
# ready. The others serve only searches (name prefixes, a country's contacts) and mail
# merges by owner, like the full-text index: `import_csv` builds them after ready, beside
# the search index's background build. The owner and country indexes are kept row by row
# otherwise (their keys arrive in no random order), but dropped they cost nothing during
# the load (~1.8 s of a million rows' inserts) and one sort each after it.
READY_INDEXES = ("contacts_email", "contacts_phone")
_FIRST_LOAD_INDEXES = (*RANDOM_KEY_INDEXES, "contacts_country", "contacts_owner")
_DERIVED = frozenset({"email_norm", "phone_e164", "search", "crm_row", *_BASELINE.values()})


class _Contact:
    """One contact touched by the current batch: what it was, and what it becomes."""

    __slots__ = ("id", "orig", "fields", "badges", "orig_badges", "dirty", "line", "cells", "hash",
                 "crm_line", "repeats", "keys", "orig_keys")  # fmt: skip

    def __init__(self, cid: str, orig: dict[str, Any] | None) -> None:
        self.id = cid
        self.orig = orig
        if orig is None:
            self.fields: dict[str, Any] = {"id": cid, "source": "crm"}
        else:
            self.fields = {k: v for k, v in orig.items() if k not in _DERIVED}
            for current, base in _BASELINE.items():
                self.fields[current] = orig[base]
        self.badges: tuple[str, ...] | None = None
        self.orig_badges: tuple[str, ...] = ()
        self.dirty = orig is None
        self.line = 0
        self.cells: list[str] = []
        self.hash: int | None = None  # of the record the contact is written from
        self.crm_line = 0  # the last record of the batch that named it by its CRM id
        self.repeats: list[Found] | None = None  # records of one CRM id (`crm_repeats`)
        # further addresses and numbers that find it (`contact_keys`), when the file says
        self.keys: tuple[str, ...] | None = None
        self.orig_keys: tuple[str, ...] = ()


class _Reads:
    """The reads a batch's matching made before its slice, to be made again inside it:
    `same` is True when nothing another connection committed since could have changed
    them (SQLite's `data_version` did not move), or when each finds the same rows again."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.version = conn.execute("PRAGMA data_version").fetchone()[0]
        self.made: list[tuple[str, list[Any], list[tuple[Any, ...]]]] = []

    def note(self, sql: str, params: list[Any], rows: list[tuple[Any, ...]]) -> None:
        self.made.append((sql, params, rows))

    def same(self) -> bool:
        if self.conn.execute("PRAGMA data_version").fetchone()[0] == self.version:
            return True
        return all(
            self.conn.execute(sql, params).fetchall() == rows for sql, params, rows in self.made
        )


class _Found:
    """Rejected rows of a batch's matching, kept until its slice is written (matched
    again, the batch finds them again)."""

    def __init__(self) -> None:
        self.rows: list[tuple[int, list[str], str]] = []

    def add(self, line: int, cells: list[str], reason: str) -> None:
        self.rows.append((line, cells, reason))

    def to(self, rejects: Rejects) -> None:
        for line, cells, reason in self.rows:
            rejects.add(line, cells, reason)


_Rejected = Rejects | _Found


class _Writes:
    """A matched batch's writes, prepared: `write` makes them (inside the slice)."""

    def __init__(self, batch: _Batch) -> None:
        self.batch = batch
        self.inserts: list[tuple[Any, ...]] = []
        self.updates: list[tuple[Any, ...]] = []
        self.badges: list[tuple[str, int, str]] = []
        self.cleared: list[tuple[str]] = []
        self.keys: list[tuple[str, str]] = []  # (key, contact id) for `contact_keys`
        self.cleared_keys: list[tuple[str]] = []
        self.hashes: list[tuple[int, str]] = []  # unchanged contacts that now know their record
        # (hash, line) of the record each contact is now held from, and the repeated CRM
        # ids found: for the report (`kiosk.sync.crm_repeats`)
        self.held: list[tuple[int, int]] = []
        self.repeats: list[Found] = []

    def write(self) -> None:
        batch = self.batch
        batch.before_write(len(self.inserts) + len(self.updates), batch.size)
        batch.repeats.wrote_pairs(self.held)
        batch.repeats.add(self.repeats)
        conn = batch.db.conn
        if self.updates:
            conn.executemany(_UPDATE, self.updates)
        if self.hashes:
            conn.executemany("UPDATE contacts SET crm_row = ? WHERE id = ?", self.hashes)
        if self.inserts:
            conn.executemany(_INSERT, self.inserts)
        if self.cleared:
            conn.executemany("DELETE FROM contact_badges WHERE contact_id = ?", self.cleared)
        if self.badges:
            batch._write_badges(self.badges)
        if self.cleared_keys:
            conn.executemany("DELETE FROM contact_keys WHERE contact_id = ?", self.cleared_keys)
        if self.keys:
            conn.executemany(_INSERT_KEY, self.keys)


class _Batch:
    """Resolves one batch of converted rows against the database and writes the changes."""

    def __init__(
        self,
        db: sqlite_utils.Database,
        with_badges: bool,
        report: ImportReport,
        before_write: Callable[[int, int], None],
        slices: Slices,
        seen: Seen | None = None,
        fields: tuple[str, ...] = (),
        known: rowhash.Known | None = None,
    ) -> None:
        self.db = db
        # records of one CRM id: found by the matching, for the report (`crm_repeats`)
        self.repeats = Repeats()
        self.known = known  # the hashes the contacts held, and where this import read them
        # The new rows of an import into an empty table bind only the columns the file's
        # fields can set (`fields`: every key a converted row may have), the rest are
        # literals in the statement: half the parameters of a CRM export's row.
        varying = self.varying = varying_columns(("id", "source", *fields))
        self.pick = picker(varying)
        self.insert_new = (
            f"INSERT INTO contacts ({_SELECT}, crm_row) VALUES ({insert_values(varying)}, ?)"
        )
        # which record gave which badge: two contacts given one badge are reported
        self.badge_lines = BadgeLines(db.conn) if with_badges else None
        self.slices = slices
        self.seen = seen  # set when the table was empty: the fast path for new rows
        # lines the child process noted (`Converter.noted`, `parallel_import`)
        self.noted_back: dict[str, list[int]] = {}
        # Rows of an import into an empty table that may not be new contacts: they go
        # through the ordinary path at the end, in file order, once every certainly-new
        # row is written and the indexes are back (`later_keys`: their keys).
        self.later: list[tuple[int, list[str], dict[str, Any]]] = []
        self.later_keys: set[str] = set()
        # A plain record's fields the ordinary way (`kiosk.sync.new_rows` built its row,
        # but it goes to `later`): (line, cells, hash) → the item the ordinary path takes.
        self.fields_of: Callable[[int, list[str], int], Item] | None = None
        self.with_badges = with_badges
        # A file with an e-mail or phone column says which further keys each contact has
        # (`kiosk.sync.cell_lists`); the stored ones are read only when some contact has
        # any (`_load_keys`).
        self.track_keys = "email" in fields or "phone" in fields
        self.any_keys = db.execute("SELECT 1 FROM contact_keys LIMIT 1").fetchone() is not None
        self.report = report
        self.skipped = 0  # known records passed over since the last batch (`rowhash`)
        self.size = 0
        self.before_write = before_write
        self.reads: _Reads | None = None  # the reads of a matching made before its slice
        self.planned_again = 0  # batches matched again inside their slice (`run`)
        # Only a CRM contact without an id can adopt a row's id by email; when there is
        # none (the usual case), rows that carry an id need no email lookup at all.
        self.idless = (
            db.execute(
                "SELECT 1 FROM contacts WHERE crm_id IS NULL AND source = 'crm' LIMIT 1"
            ).fetchone()
            is not None
        )

    def run(self, rows: list[tuple[int, list[str], dict[str, Any]]], rejects: Rejects) -> None:
        """Match, prepare and write one batch; its writes in one slice (a short transaction).

        The matching and the rows' preparation (Python: ~60 % of the slice, measured on the
        torture's import into a populated table) are done before the slice, on what the
        batch's reads found then (`_Reads`); inside the slice the same reads are made again
        when another connection has committed meanwhile, and only if one of them finds
        something else is the batch matched again there, as it always was before."""
        self.size, self.skipped = len(rows) + self.skipped, 0  # known records count too
        if self.seen is not None:
            self._new(rows, rejects)
            return
        if self.slices.single:  # one transaction for the whole import: nothing to gain
            with self.slices.write(len(rows)):
                self._match(rows, rejects).write()
            return
        kept = (self.report.inserted, self.report.updated, self.report.unchanged, self.idless)
        reads = self.reads = _Reads(self.db.conn)
        found = _Found()
        try:
            writes = self._match([(line, cells, dict(f)) for line, cells, f in rows], found)
        finally:
            self.reads = None
        with self.slices.write(len(rows)):
            if not reads.same():  # something it read changed: matched again, under the lock
                (self.report.inserted, self.report.updated, self.report.unchanged,
                 self.idless) = kept  # fmt: skip
                self.planned_again += 1
                found = _Found()
                writes = self._match(rows, found)
            found.to(rejects)
            writes.write()

    def _read(self, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
        """A read of the matching, noted when it is made before the slice (`_Reads`)."""
        rows = self.db.conn.execute(sql, params).fetchall()
        if self.reads is not None:
            self.reads.note(sql, params, rows)
        return rows

    def _fetch(self, where: str, values: list[str]) -> list[dict[str, Any]]:
        if not values:
            return []
        marks = ",".join("?" * len(values))
        # `email_norm <> ''` lets SQLite use the partial index on email_norm (else: a full scan)
        extra = " AND email_norm <> ''" if where == "email_norm" else ""
        sql = f"SELECT {_SELECT}, crm_row FROM contacts WHERE {where} IN ({marks}){extra}"
        return [dict(zip(_FETCHED, r, strict=True)) for r in self._read(sql, values)]

    def _match(
        self, rows: list[tuple[int, list[str], dict[str, Any]]], rejects: _Rejected
    ) -> _Writes:
        by_crm: dict[str, _Contact] = {}
        by_email: dict[str, _Contact] = {}
        crm_ids = list({f["crm_id"] for _, _, f in rows if f.get("crm_id")})
        for row in self._fetch("crm_id", crm_ids):
            by_crm[row["crm_id"]] = _Contact(row["id"], row)
        emails = list({
            f["_email"] for _, _, f in rows
            if f["_email"] and (not f.get("crm_id") or self.idless and f["crm_id"] not in by_crm)
        })  # fmt: skip
        for row in self._fetch("email_norm", emails):
            if row["source"] == "crm" and row["email_norm"] not in by_email:
                found = by_crm.get(row["crm_id"]) or _Contact(row["id"], row)
                by_email[row["email_norm"]] = found
        touched: dict[int, _Contact] = {}  # by object: ids may change below
        fresh: list[tuple[_Contact, int, list[str]]] = []
        for line, cells, f in rows:
            crm, email, digest = f.get("crm_id"), f.pop("_email"), f.pop("_hash", None)
            target = by_crm.get(crm) if crm else None
            if target is not None:
                self._repeated(target, str(crm), line, digest)
            if target is None and email:
                cand = by_email.get(email)
                if cand is not None and (not crm or cand.fields.get("crm_id") is None):
                    target = cand
            if target is None:
                target = _Contact(crm or email_id(email), None)
                fresh.append((target, line, cells))
                self.idless = self.idless or not crm
            if crm:
                by_crm[crm] = target
                target.crm_line = line
            if email and email not in by_email:
                by_email[email] = target
            touched[id(target)] = target
            target.hash = digest
            self._overlay(target, f, line, cells)
        self._check_new_ids(fresh, touched, rejects)
        if self.with_badges:
            self._load_badges([c for c in touched.values() if c.orig is not None])
        if self.track_keys:
            self._load_keys([c for c in touched.values() if c.orig is not None])
        return self._prepare(list(touched.values()), rejects)

    def _repeated(self, c: _Contact, crm: str, line: int, digest: int | None) -> None:
        """Note on `c`, found by CRM id for the record at `line`, an earlier record of the
        file with that CRM id, if there is one (see `kiosk.sync.crm_repeats`): one earlier
        in this batch, or the one the contact as stored was written from — its line known
        when the contact held that record before the import and this import read it
        before, to be found (0) when this import wrote it."""
        h = digest or 0
        if c.crm_line:
            found: Found = (crm, c.crm_line, c.hash or 0, line, h)
        elif c.orig is not None and c.orig["crm_row"] is not None:
            held = c.orig["crm_row"]
            at = self.known.line_of(held) if self.known else None
            if at is None:  # a record this import wrote: its line is found at the end
                found = (crm, 0, held, line, h)
            elif 0 < at < line:
                found = (crm, at, held, line, h)
            else:
                return
        else:
            return
        if c.repeats is None:
            c.repeats = []
        c.repeats.append(found)

    def _new(self, rows: list[tuple[int, list[str], dict[str, Any]]], rejects: Rejects) -> None:
        """Write the rows that are certainly new contacts (an import into an empty table);
        set the others — a key seen before — aside in `later`, for the ordinary path,
        which runs after every new row is written, so it finds them as a later row would
        (they share no key with any row written before them).

        What the ordinary path does for a new contact, without its bookkeeping: the id
        is the CRM id or the e-mail's hash, the row is prepared from the file's fields.
        Everything but the INSERTs happens before the slice's transaction begins.
        """
        assert self.seen is not None
        seen = self.seen
        rest = self.later
        inserts: list[tuple[Any, ...]] = []
        lines: list[int] = []  # of the inserts: where a repeated CRM id was first (`crm_repeats`)
        badges: list[tuple[str, int, str]] = []
        further: list[tuple[str, str]] = []  # more keys of the new contacts (`contact_keys`)
        for item in rows:
            line, cells, f = item
            crm, email = f.get("crm_id"), f["_email"]
            cid = crm or email_id(email)
            keys = record_keys(crm, email)
            built = f.get("_row")  # a plain record's values (`kiosk.sync.new_rows`)
            if not seen.first(keys):
                if built is not None:
                    assert self.fields_of is not None
                    try:
                        item = self.fields_of(line, cells, f["_hash"])
                    except RowError as exc:
                        rejects.add(line, cells, str(exc))
                        continue
                self.later_keys.update(keys)
                rest.append(item)
                continue
            if built is not None:
                inserts.append((*built, f["_hash"]))
                lines.append(line)
                self.report.inserted += 1
                if f["badge_ids"]:
                    badges.extend((b, line, cid) for b in f["badge_ids"])
                continue
            fields = {"id": cid, "source": "crm"}
            fields.update(f)
            del fields["_email"]
            digest = fields.pop("_hash", None)
            ids = fields.pop("badge_ids", None)
            more = fields.pop("_keys", None)
            try:
                values, _ = contact_values(fields, email)
            except ContactRowError as exc:
                rejects.add(line, cells, str(exc))
                continue
            inserts.append((*self.pick(values), digest))
            lines.append(line)
            self.report.inserted += 1
            self.idless = self.idless or not crm
            if ids:
                badges.extend((b, line, cid) for b in ids)
            if more:
                further.extend((k, cid) for k in more)
        if not inserts:
            return
        with self.slices.write(len(rows)):
            self.before_write(len(inserts), self.size)
            self.db.conn.executemany(self.insert_new, inserts)
            if badges and self.badge_lines is not None:
                self._write_badges(badges)
            if further:
                self.db.conn.executemany(_INSERT_KEY, further)
                self.any_keys = True
        self.repeats.wrote(map(itemgetter(-1), inserts), lines)

    def _overlay(self, c: _Contact, f: dict[str, Any], line: int, cells: list[str]) -> None:
        badges = f.pop("badge_ids", None)
        if badges is not None:
            c.badges = badges
        keys = f.pop("_keys", None)
        if self.track_keys:
            c.keys = tuple(keys or ())
        old = c.fields
        changed = c.orig is None or any(old.get(k) != v for k, v in f.items())
        if c.orig is not None and c.line == 0:
            self.report.updated += changed
            self.report.unchanged += not changed
        elif c.line == 0:
            self.report.inserted += 1
        else:  # the same contact again in this batch: later row wins
            self.report.updated += changed
            self.report.unchanged += not changed
        old.update(f)
        c.dirty = c.dirty or changed
        c.line, c.cells = line, cells

    def _check_new_ids(
        self,
        fresh: list[tuple[_Contact, int, list[str]]],
        touched: dict[int, _Contact],
        rejects: _Rejected,
    ) -> None:
        """A new contact's id must not belong to a contact the matching did not pick."""
        if not fresh:
            return
        taken = {r[0] for r in self._read(
            f"SELECT id FROM contacts WHERE id IN ({','.join('?' * len(fresh))})",
            [c.id for c, _, _ in fresh],
        )}  # fmt: skip
        for c, line, cells in fresh:
            if c.id not in taken:
                continue
            if c.id.startswith("E-"):  # a hash already used by a contact whose email changed
                n = 2
                while self._read("SELECT 1 FROM contacts WHERE id = ?", [f"{c.id}-{n}"]):
                    n += 1
                c.id = c.fields["id"] = f"{c.id}-{n}"
            else:
                del touched[id(c)]
                self.report.inserted -= 1
                rejects.add(line, cells, f"contact id {c.id!r} is already used by another contact")

    def _load_badges(self, existing: list[_Contact]) -> None:
        ids = [c.id for c in existing]
        if not ids:
            return
        found: dict[str, list[str]] = {}
        marks = ",".join("?" * len(ids))
        for badge, cid in self._read(
            f"SELECT badge_id, contact_id FROM contact_badges WHERE contact_id IN ({marks})", ids
        ):
            found.setdefault(cid, []).append(badge)
        for c in existing:
            c.orig_badges = tuple(sorted(found.get(c.id, ())))
            if c.badges is not None and c.badges != c.orig_badges and not c.dirty:
                c.dirty = True
                self.report.unchanged -= 1
                self.report.updated += 1

    def _load_keys(self, existing: list[_Contact]) -> None:
        """The further keys the matched contacts hold (`_load_badges`, for `contact_keys`);
        a contact whose keys the record changes is written."""
        ids = [c.id for c in existing]
        if not ids:
            return
        found: dict[str, list[str]] = {}
        marks = ",".join("?" * len(ids))
        for key, cid in (
            self._read(
                f"SELECT key, contact_id FROM contact_keys WHERE contact_id IN ({marks})", ids
            )
            if self.any_keys  # none stored yet (the usual case): no query
            else ()
        ):
            found.setdefault(cid, []).append(key)
        for c in existing:
            c.orig_keys = tuple(sorted(found.get(c.id, ())))
            if c.keys is not None and tuple(sorted(c.keys)) != c.orig_keys and not c.dirty:
                c.dirty = True
                self.report.unchanged -= 1
                self.report.updated += 1

    def _prepare(self, contacts: list[_Contact], rejects: _Rejected) -> _Writes:
        """The batch's rows to write, prepared (`_Writes.write` writes them)."""
        w = _Writes(self)
        for c in contacts:
            if not c.dirty:
                if c.hash is not None and c.orig is not None and c.orig["crm_row"] != c.hash:
                    w.hashes.append((c.hash, c.id))
                w.held.append((c.hash or 0, c.line))
                if c.repeats:
                    w.repeats.extend(c.repeats)
                continue
            try:
                prepared = prepare_contact(c.fields)
            except ContactRowError as exc:
                self._undo_count(c)
                rejects.add(c.line, c.cells, str(exc))
                continue
            w.held.append((c.hash or 0, c.line))
            if c.repeats:
                w.repeats.extend(c.repeats)
            values = _row_values(prepared)
            if c.orig is None:
                w.inserts.append((*values, c.hash))
            else:
                w.updates.append((*values[1:], c.hash, c.id))
            if c.badges is not None and (c.orig is None or c.badges != c.orig_badges):
                if c.orig is not None:
                    w.cleared.append((c.id,))
                w.badges.extend((b, c.line, c.id) for b in c.badges)
            if c.keys is not None and (c.orig is None or tuple(sorted(c.keys)) != c.orig_keys):
                if c.orig is not None and c.orig_keys:
                    w.cleared_keys.append((c.id,))
                w.keys.extend((k, c.id) for k in c.keys)
        if w.keys:
            self.any_keys = True
        return w

    def _write_badges(self, badges: list[tuple[str, int, str]]) -> None:
        """(badge id, line, contact id): the badge goes to the contact (a later record
        naming it wins), and which record gave it is noted for the report."""
        self.db.conn.executemany(
            "INSERT OR REPLACE INTO contact_badges(badge_id, contact_id) VALUES (?1, ?3)", badges
        )
        if self.badge_lines is not None:
            self.badge_lines.add(badges)

    def _undo_count(self, c: _Contact) -> None:
        if c.orig is None:
            self.report.inserted -= 1
        else:
            self.report.updated -= 1


@contextmanager
def _cache(db: sqlite_utils.Database, kib: int = 65536) -> Iterator[None]:
    """A 64 MB page cache while loading: index pages stay in memory instead of the WAL."""
    old = db.execute("PRAGMA cache_size").fetchone()[0]
    db.execute(f"PRAGMA cache_size = -{kib}")
    try:
        yield
    finally:
        db.execute(f"PRAGMA cache_size = {int(old)}")


def _bulk_worthwhile(db: sqlite_utils.Database, size: int) -> bool:
    """Whether this file is big enough, next to the table, to rebuild the index once."""
    rows = size // _BYTES_PER_ROW
    if rows < BULK_ROWS:
        return False
    existing = db.execute("SELECT max(rowid) FROM contacts").fetchone()[0] or 0
    return rows * 5 >= existing


class _Front:
    """The rows of the front half of a split file (see `kiosk.sync.parallel_import`):
    stops at the child's first line. `ok` is False when a record runs across the split
    (the split guessed wrong); `pending` is the record it stopped at."""

    def __init__(self, rows: Iterator[tuple[int, list[str]]], src: CsvFile, first: int) -> None:
        self.rows, self.src, self.first = rows, src, first
        self.ok = True
        self.pending: tuple[int, list[str]] | None = None

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        for line, cells in self.rows:
            if line >= self.first or self.src.lines_read() >= self.first:
                self.ok = line >= self.first
                self.pending = (line, cells)
                return
            yield line, cells


def import_contacts(
    db: sqlite_utils.Database,
    src: CsvFile,
    binding: Binding,
    fmt: Format,
    report: ImportReport,
    rejects: Rejects,
    progress: Progress | None,
) -> bool:
    """Upsert the file's contacts; True when anything was written.

    A big file going into an empty table is read by two processes (the back half in a
    child, `kiosk.sync.parallel_import`); the result is the same as reading it alone.

    Called outside a transaction, it writes in short committed slices (`Slices`); inside
    one (a dry run), everything stays in the caller's transaction.
    """
    if "phone" in binding.fields:  # a first number read costs 0.1-0.3 s: not in a slice
        phones.warm()
    extract = extractor(binding, src.info.encoding)
    people = People(db)
    keys = list(binding.fields)
    convert = Converter(people, fmt.date_order, keys)
    half: parallel_import.Half | None = None

    def told(done: int, total: int) -> None:
        """Progress: this process's reading, and the child's work once the file is split."""
        assert progress is not None
        progress(parallel_import.progress_of(half, done) if half else done, total)

    rows = checked_rows(src, report, rejects, told if progress else None, binding)
    empty = db.execute("SELECT 1 FROM contacts LIMIT 1").fetchone() is None
    ctx = rowhash.context(db, fmt.name, fmt.date_order, binding)
    digest = rowhash.hasher(ctx)
    known = rowhash.Known(db)
    keys_of = rowhash.key_reader(binding)
    touched = Seen()  # keys of the records that took the full path (when any are known)
    if empty and not report.dry_run:
        half = parallel_import.start(src.path, src.info, binding, people, fmt.date_order, ctx)
    with ExitStack() as stack:
        stack.enter_context(_cache(db))
        stack.enter_context(fewer_collections())
        slices = Slices(db.conn, single=db.conn.in_transaction)
        stack.callback(slices.close)
        if half is not None:
            stack.callback(parallel_import.drop, half)
        bulk = _bulk_worthwhile(db, src.info.size) and not report.dry_run

        def before_write(writes: int, rows: int) -> None:
            # Only when a batch is mostly writes (re-importing an unchanged export must not
            # rebuild anything): the search index is built anew after the rows land
            # (`kiosk.search_index`); until then the rows cost no full-text work.
            nonlocal bulk
            if bulk and writes * 2 >= rows:
                search_index.start(db)
                if empty:
                    defer_indexes(db, _FIRST_LOAD_INDEXES)
                bulk = False

        batch = _Batch(
            db, "badge_ids" in binding.fields, report, before_write, slices,
            Seen() if empty else None, convert.keys(), known,
        )  # fmt: skip

        plain = NewRows(binding, convert, batch.varying)
        crm_at = batch.varying.index("crm_id") if "crm_id" in batch.varying else -1

        def fields_of(line: int, cells: list[str], h: int) -> Item:
            convert.line = line
            f = convert(extract(cells))
            f["_hash"] = h | (convert.noted_line == line)
            return line, cells, f

        batch.fields_of = fields_of

        def converted(records: Iterable[tuple[int, list[str]]], conv: Converter) -> Iterator[Item]:
            """Records → (line, cells, fields) for the batches; a known record whose keys
            no earlier record read in full had is counted unchanged and goes no further.
            Into an empty table, a plain record's fields are its row's values already
            (`kiosk.sync.new_rows`: '_row')."""
            full = 0  # records read in full so far, while some are known
            # looked up once: whether the contacts held any hash does not change (each
            # `bool(known)` was a method call a record)
            find = known.find if known else None
            for line, cells in records:
                h = digest(cells)
                # (seen first: in a re-import it is None, and `bool(plain)` a method call)
                built = plain(cells) if batch.seen is not None and plain else None
                if built is not None:
                    values, email, ids = built
                    yield line, cells, {"_row": values, "_email": email, "_hash": h,
                                        "crm_id": values[crm_at], "badge_ids": ids}  # fmt: skip
                    continue
                stored = find(h, line) if find else None
                if stored is not None:
                    crm = email = ""
                    if full:  # did an earlier record of the same contact change?
                        try:
                            crm, _, email = keys_of(cells)
                        except RowError:
                            crm = "\x00"  # read it in full: the full path says why
                    if not (crm and crm in touched or email and email in touched):
                        report.unchanged += 1
                        batch.skipped += 1
                        if stored & 1:  # its e-mail or phone cell was noted: again
                            _note_again(conv, extract, line, cells)
                        continue
                conv.line = line
                try:
                    f = conv(extract(cells))
                except RowError as exc:
                    rejects.add(line, cells, str(exc))
                    continue
                f["_hash"] = h | (conv.noted_line == line)  # (flagged: `rowhash`)
                if find:
                    full += 1
                    for k in (f.get("crm_id"), f["_email"]):
                        if k:
                            touched.add(k)
                yield line, cells, f

        def load(rows: Iterable[tuple[int, list[str], dict[str, Any]]]) -> None:
            it = iter(rows)
            while chunk := list(islice(it, slices.rows)):
                batch.run(chunk, rejects)

        back: list[tuple[int, list[str]]] = []
        if half is None:
            load(converted(rows, convert))
        else:
            front = _Front(rows, src, half.first_line)
            load(converted(front, convert))
            rest = chain([front.pending] if front.pending else [], rows)

            def child_done() -> None:
                report.rows -= front.pending is not None  # the child's first row, counted
                if not slices.single and indexes_deferred(db):
                    # The rows so far are in: their search index builds on the other
                    # core (idle now that the child is done) while the child's last rows
                    # are copied in; `extend` adds those as its second stage.
                    search_index.begin(db, more=True)

            if not front.ok:  # the split was wrong: read the rest here
                parallel_import.drop(half)
                load(converted(rest, convert))
            else:
                try:
                    back = _back_half(db, half, src, batch, report, rejects, child_done, progress)
                    _add_noted(convert, batch.noted_back)
                except parallel_import.ChildFailed as failed:
                    # The child's rows copied so far stay; the rest of its half is read
                    # here, as if the file had not been split after them.
                    parallel_import.drop(half)
                    batch.repeats.wrote_pairs(failed.written)
                    report.inserted += failed.inserted
                    assert batch.seen is not None
                    for record in failed.keys:
                        batch.seen.first(record)
                    load(converted(_not_copied(rest, failed, convert, extract), convert))
        if not slices.single:
            if indexes_deferred(db) and not search_index.extend(db):
                # Every row is in: the search index's scratch build starts now, on the
                # other core, while SQLite sorts the deferred indexes on this one.
                search_index.begin(db)
            # before the ordinary path, which reads them; the search ones after ready
            restore_indexes(db, slices, READY_INDEXES)
            search_index.release(db)  # the other core is free for the typo vocabulary
        if batch.seen is not None:
            # Into an empty table: the rows set aside, in file order, by the ordinary path.
            # The child's were converted (and their bad e-mails counted) there already:
            # converted again here without counting.
            batch.seen = None
            again = converted(back, Converter(people, fmt.date_order, keys))
            load(heapq.merge(batch.later, again, key=itemgetter(0)))
        repeats = batch.repeats
        if repeats.found:
            # the earlier records this import wrote: by the front half or the ordinary
            # path (`Repeats.wrote`), or by the child (its scratch file, still there)
            unplaced = repeats.unplaced()
            by_child: list[tuple[int, int]] = []
            if unplaced and half is not None and not half.dropped:
                by_child = parallel_import.written_from(half, unplaced)
            repeats.place(by_child)
            report.warnings.extend(crm_warnings(repeats.repeats(), src.path.name))
        if batch.badge_lines is not None:
            report.pending.append(
                partial(_badge_warnings, batch.badge_lines, report, src, len(report.warnings))
            )
    report.warnings.extend(_cell_warnings(convert.noted, src.path.name))
    return bool(report.inserted or report.updated)


def _note_again(conv: Converter, extract: Extract, line: int, cells: list[str]) -> None:
    """A record whose conversion noted something for the report (flagged in its stored
    hash, `kiosk.sync.rowhash`), skipped as unchanged or written by a child that failed:
    its e-mail and phone cells read again for the notes (`Converter.note_cells`), so the
    report says what a full read says."""
    conv.line = line
    try:
        conv.note_cells(extract(cells))
    except RowError:  # (it was imported as it is: not rejected now)
        pass


def _not_copied(
    rows: Iterable[tuple[int, list[str]]],
    failed: parallel_import.ChildFailed,
    conv: Converter,
    extract: Extract,
) -> Iterator[tuple[int, list[str]]]:
    """The records of a failed child's half that it did not copy in; those it did copy
    are noted again when their stored hash is flagged (`_note_again`)."""
    for line, cells in rows:
        if line not in failed.lines:
            yield line, cells
        elif line in failed.flagged:
            _note_again(conv, extract, line, cells)


def _add_noted(convert: Converter, noted: dict[str, list[Any]]) -> None:
    for kind, items in noted.items():
        convert.noted[kind].extend(items)


SHOWN_CELLS = 10  # cells with unread parts named one by one in the report; the rest counted


def _quoted(text: str) -> str:
    """A cell's part in a warning: quoted, one line, control characters escaped."""
    return f"'{shown(text)}'"


def _cell_warnings(noted: dict[str, list[Any]], file: str) -> list[str]:
    """What the report says of e-mail and phone cells that were not one address or number
    (`Converter.noted`), with their lines: the first few, then how many more. A cell with
    parts that are neither is named by itself, with what was kept and the parts, shown
    safely (`shown`: CSV text is untrusted), SHOWN_CELLS at most."""
    out = []
    parts = sorted(noted.get("parts", ()), key=lambda p: (p[0], p[1] != "email"))
    for line, key, kept, unread in parts[:SHOWN_CELLS]:
        out.append(f"{file} line {line}: {CELLS[key]}: kept {and_list([shown(k) for k in kept])};"
                   f" {unread_text(key, unread, _quoted)}")  # fmt: skip
    if len(parts) > SHOWN_CELLS:
        rest = sorted({p[0] for p in parts[SHOWN_CELLS:]})
        out.append(f"… and {len(parts) - SHOWN_CELLS} more e-mail or phone cell(s) of {file}"
                   f" with a part that is not an address or number ({lines_text(rest)})")  # fmt: skip
    if lines := sorted(noted["bad_email"]):
        out.append(f"{len(lines)} row(s) have an email that is not a valid address"
                   f" ({lines_text(lines)}); kept as text, matched by CRM id")  # fmt: skip
    if lines := sorted(noted["emails"]):
        out.append(f"{len(lines)} row(s) have several e-mail addresses in one cell"
                   f" ({lines_text(lines)}): the first is the contact's e-mail, the others"
                   " find the contact too")  # fmt: skip
    if lines := sorted(noted["phones"]):
        out.append(f"{len(lines)} row(s) have several phone numbers in one cell"
                   f" ({lines_text(lines)}): the first is the contact's phone, the others"
                   " find the contact too")  # fmt: skip
    return out


def _badge_warnings(lines: BadgeLines, report: ImportReport, src: CsvFile, at: int) -> None:
    """The badge ids two contacts of the file share, put in the report's warnings at `at`
    (where the import was when it finished its rows); the notes on the lines dropped."""
    try:
        report.warnings[at:at] = warnings(lines.conflicts(), src.path.name)
    finally:
        lines.close()


def _back_half(
    db: sqlite_utils.Database,
    half: parallel_import.Half,
    src: CsvFile,
    batch: _Batch,
    report: ImportReport,
    rejects: Rejects,
    child_done: Callable[[], None],
    progress: Progress | None,
) -> list[tuple[int, list[str]]]:
    """The child's rows: the new ones copied in (while it reads on; `child_done` is called
    when it has finished); returns the others (line, cells), in file order, for the
    ordinary path. Raises `parallel_import.ChildFailed` if the child fails."""
    with batch.slices.write():
        batch.before_write(1, 1)  # a bulk load, if the front half did not start one
    done = parallel_import.copy_in(
        db.conn, half, batch.later_keys, batch.slices, batch.badge_lines, child_done, progress
    )
    report.rows += done["rows"]
    if done["footer"]:
        report.footer = (done["footer"][0], done["footer"][1])
    report.inserted += done["inserted"]
    batch.noted_back = done["noted"]
    for line, cells, reason in done["rejects"]:
        rejects.add(line, cells, reason)
    missing = [line for line, cells in done["later"] if cells is None]
    found = parallel_import.reread(src.path, half, missing, src.info.delimiter)
    return [(line, cells if cells is not None else found[line]) for line, cells in done["later"]]
