"""`kiosk merge`: bring other kiosks' event logs into this database.

Merging is replaying events by UUID (`kiosk.events.merge_rows`), so it is idempotent
(an event already in the log is skipped) and independent of the order kiosks arrive in
(the booth state is always the replay of the union in (UTC time, uuid) order). Only the
event log travels: the CRM data is the same import on every kiosk, and booth visitors
travel inside their `lead.created` events.

Every source is opened read-only and checked *before* anything is written — a file that is
not a kiosk database, a damaged one (SQLite cannot read its events), one written by a newer
kiosk, one from another show, or one with no show identity at all refuses the whole merge
with the target untouched. Inside a good file, each event is checked on its own
(`kiosk.events.validate`): one that is malformed (bad JSON, an unknown kind, wrong types, a
time that is not a time) or names a contact this database does not have is set aside in
the `quarantine` table and listed in the report with its file, kiosk and id; the others
merge. So is a copy of an event the log has (or an earlier file of this merge brought) that
says something else (`kiosk.events.copies`): the copy taken first stands, the log's or the
first file's, as merging the files one after the other would — the one case where the
order of the files decides what the log holds, and the report says so. Those copies are
found by one statement per file that has any event the log has (`_differing_from_log`),
unless the same file was found whole in the log before (`_remember_verified`); a file of
new events pays nothing for it. When there is something new, the target is first
copied with SQLite's online backup API to `TARGET.bak-<time>`, so a merge can always be
undone by putting that file back.

A kiosk whose clock ran ahead stamps its events in the future. Such events are merged like
any other (nothing is dropped: they are real check-ins and leads), but the report names the
kiosk, how many of its new events are stamped more than `max_clock_skew` after the merging
side's `now`, and the worst offset, so someone can look at that laptop's clock. They do not
move anyone's clock: `kiosk.events.next_ts` stamps a kiosk's new events from its own log.

A kiosk whose clock is *behind* is worse: its scans and leads look earlier than everyone
else's, so they win rule 6 ("the earliest claim stands") and move the owner. The merging
side cannot see a slow clock in general, but it can see a booth fact (a scan, a walk-in, a
lead: `kiosk.clock.BOOTH_KINDS`) stamped before the booth was even set up
(`kiosk.clock.booth_opens`, from the target's show dates). Those are merged too and
reported in `MergeReport.past` like the future ones, with the kiosk and the earliest stamp,
and the manager's evidence on a dispute says when a claim's time is such a stamp
(`kiosk.disputes.evidence`). The caller says what time it is (`now`); this module never
reads the wall clock.

Two laptops calling themselves the same kiosk (`kiosk.installs`) are reported in
`MergeReport.twins` and merged all the same: a USB merge happens at the office, often after
the show, when the laptops' leads must not be lost and can no longer be renamed before
they are taken in. Only the identities travel with it (`kiosk_installs`), so a later merge
or the hub knows them.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import shutil
import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import sqlite_utils

from kiosk import events, installs
from kiosk.bulk import sole_journal
from kiosk.clock import BOOTH_KINDS, booth_opens, show_zone, utc_key
from kiosk.config import ShowConfig
from kiosk.db import DatabaseError, check_compatible, get_meta, open_db, set_meta, transaction
from kiosk.disputes.evidence import OPEN_ITEM
from kiosk.events.validate import shown as _shown
from kiosk.keyfile import create_private
from kiosk.show import show_config

# How far ahead of the merging kiosk's clock an event may be stamped before the report flags it.
DEFAULT_MAX_CLOCK_SKEW = events.MAX_CLOCK_SKEW
QUARANTINE_SHOWN = 20  # events set aside named one by one in the text report
QUARANTINE_RETRY_MAX = 500  # new events looked up in the quarantine table (one statement)
# A merge bringing at least this many new events writes with a rollback journal instead of
# the WAL when nothing else has the target open (`kiosk.bulk.sole_journal`): a fresh
# office database taking whole kiosks, not a late USB stick.
SOLE_JOURNAL_AT = events.DEFER_INDEXES_AT
_COLUMN_NAMES = tuple(c.strip() for c in events.COLUMNS.split(","))
# Digests of source files found whole in the log (`_remember_verified`), and how many.
VERIFIED = "merge.verified_files"
VERIFIED_KEPT = 64


@dataclass
class Source:
    """One other kiosk database, checked and counted."""

    path: Path
    kiosk_ids: tuple[str, ...]
    events: int
    new: int  # events the target did not have (set aside ones included)
    # Of those, malformed or not applicable here, and copies of events taken already that
    # differ from them (not counted in `new`): see `quarantined`.
    set_aside: int = 0


@dataclass(frozen=True)
class SetAside:
    """An event of another kiosk that was not merged: where it came from, and why."""

    path: Path
    kiosk_id: str
    uuid: str
    kind: str
    reason: str
    earlier: str = ""  # a differing copy an earlier merge kept already: when it did

    def summary(self) -> dict[str, str]:
        return {"file": str(self.path), "kiosk": self.kiosk_id, "uuid": self.uuid,
                "kind": self.kind, "reason": self.reason,
                "set_aside_before": self.earlier}  # fmt: skip


@dataclass
class FutureEvents:
    """New events of one kiosk stamped more than the allowed skew after the merge's `now`."""

    kiosk_id: str
    events: int = 0
    latest_utc: str = ""  # the furthest-ahead stamp (UTC, as the log's replay key)
    ahead: timedelta = timedelta(0)  # latest − now: the worst offset
    files: list[Path] = field(default_factory=list)

    def summary(self) -> dict[str, object]:
        return {
            "kiosk": self.kiosk_id,
            "events": self.events,
            "latest_ts_utc": self.latest_utc,
            "worst_ahead_seconds": int(self.ahead.total_seconds()),
            "worst_ahead": ahead_text(self.ahead),
            "files": [str(f) for f in self.files],
        }


@dataclass
class PastEvents:
    """New booth facts of one kiosk stamped before the show's set-up (a clock behind)."""

    kiosk_id: str
    events: int = 0
    earliest_utc: str = ""  # the furthest-behind stamp (UTC, as the log's replay key)
    before: timedelta = timedelta(0)  # booth opening − earliest: the worst offset
    files: list[Path] = field(default_factory=list)

    def summary(self) -> dict[str, object]:
        return {
            "kiosk": self.kiosk_id,
            "events": self.events,
            "earliest_ts_utc": self.earliest_utc,
            "worst_before_show_seconds": int(self.before.total_seconds()),
            "worst_before_show": ahead_text(self.before),
            "files": [str(f) for f in self.files],
        }


@dataclass
class MergeReport:
    target: Path
    sources: list[Source] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    backup: Path | None = None
    new: int = 0
    known: int = 0
    open_disputes: int = 0  # of the open items, the two kiosks' claims (kind 'dispute')
    open_items: int = 0  # every item waiting for the manager (`kiosk proposals`)
    new_items: int = 0  # of those, opened by this merge
    seconds: float = 0.0
    now: datetime | None = None
    max_clock_skew: timedelta = DEFAULT_MAX_CLOCK_SKEW
    # Kiosks whose new events are stamped in the future (merged all the same), by kiosk id.
    future: list[FutureEvents] = field(default_factory=list)
    # Kiosks whose new booth facts are stamped before the show's set-up (merged all the
    # same): a clock behind, which wins "earliest claim" disputes. None: the show has no dates.
    booth_opens: datetime | None = None
    past: list[PastEvents] = field(default_factory=list)
    # Kiosk ids that two laptops write under, newly seen in this merge (merged all the same).
    twins: list[installs.Twin] = field(default_factory=list)
    # Events that could not be merged, kept in the `quarantine` table.
    quarantined: list[SetAside] = field(default_factory=list)

    def quarantine_lines(self) -> list[str]:
        """One line per event set aside (at most `limit`), for the terminal and the log."""
        if not self.quarantined:
            return []
        n = len(self.quarantined)
        lines = [
            f"Set aside {n} event{'s' if n != 1 else ''} that cannot be merged (kept in the"
            " quarantine table; the others merged):"
        ]
        lines += [
            f"  {q.path.name}: kiosk {q.kiosk_id}, event {q.uuid or '(no id)'}"
            f"{f' ({q.kind})' if q.kind else ''}: {q.reason}"
            f"{f'; kept since {_when(q.earlier)}' if q.earlier else ''}"
            for q in self.quarantined[:QUARANTINE_SHOWN]
        ]
        if n > QUARANTINE_SHOWN:
            lines.append(f"  … and {n - QUARANTINE_SHOWN} more (see --json)")
        return lines

    def items_text(self) -> str:
        """What the merge leaves the manager: "5 items (2 new from this merge; 3 of them two
        kiosks' claims)". The summary said "Open disputes: 0" while the merge had just
        raised a "Decided twice" item, which is of another kind."""
        parts = []
        if self.new_items:
            parts.append(f"{self.new_items} new from this merge")
        if self.open_disputes:
            parts.append(f"{self.open_disputes} of them two kiosks' claims")
        noun = "item" if self.open_items == 1 else "items"
        return f"{self.open_items} {noun}" + (f" ({'; '.join(parts)})" if parts else "")

    def clock_warnings(self) -> list[str]:
        """One line per kiosk whose clock looks ahead, for the terminal and the sync log."""
        limit = ahead_text(self.max_clock_skew)
        return [
            f"Clock skew: {f.events} new event{'s' if f.events != 1 else ''} from {f.kiosk_id}"
            f" stamped up to {ahead_text(f.ahead)} ahead of this clock (limit {limit});"
            f" merged, nothing dropped. Check {f.kiosk_id}'s clock."
            for f in self.future
        ] + [
            f"Clock behind: {p.events} new scan{'s' if p.events != 1 else ''} or lead"
            f"{'s' if p.events != 1 else ''} from {p.kiosk_id} stamped as early as"
            f" {p.earliest_utc[:16].replace('T', ' ')} UTC, {ahead_text(p.before)} before the"
            " show's set-up; merged, nothing dropped, but such a time wins 'earliest claim'"
            f" disputes. Check {p.kiosk_id}'s clock; the manager's evidence marks its claims."
            for p in self.past
        ]

    def twin_warnings(self) -> list[str]:
        """One line per kiosk id that two laptops use: their events are merged, but read as
        one kiosk's, so one of them must be renamed."""
        out = []
        for t in self.twins:
            named = [Path(w).name for w in t.where] + (["this database"] if t.here else [])
            laptops = "two laptops" if t.installs == 2 else f"{t.installs} laptops"
            out.append(
                f"Duplicate kiosk id: {laptops} both call themselves {_shown(t.kiosk_id)}"
                f" ({' and '.join(named)}). Their events are merged, nothing lost, but read as"
                f' one kiosk\'s ("filed at {_shown(t.kiosk_id)}" could be either). Give one'
                " another id: on that laptop, kiosk init --kiosk-id NEW-ID."
            )
        return out

    def summary(self) -> dict[str, object]:
        return {
            "target": str(self.target),
            "backup": str(self.backup) if self.backup else None,
            "sources": [
                {
                    "file": str(s.path),
                    "kiosks": list(s.kiosk_ids),
                    "events": s.events,
                    "new": s.new,
                    "set_aside": s.set_aside,
                }  # fmt: skip
                for s in self.sources
            ],
            "skipped": list(self.skipped),
            "new_events": self.new,
            "known_events": self.known,
            "open_disputes": self.open_disputes,
            "open_items": self.open_items,
            "new_items": self.new_items,
            "seconds": round(self.seconds, 3),
            "now": self.now.isoformat() if self.now else None,
            "max_clock_skew_seconds": int(self.max_clock_skew.total_seconds()),
            "future_events": [f.summary() for f in self.future],
            "booth_opens": self.booth_opens.isoformat() if self.booth_opens else None,
            "past_events": [p.summary() for p in self.past],
            "duplicate_kiosk_ids": [t.summary() for t in self.twins],
            "quarantined": [q.summary() for q in self.quarantined],
        }


def _when(stamp: str) -> str:
    """A stored time as one reads it: '2026-11-24 18:00'."""
    return stamp[:16].replace("T", " ")


def ahead_text(delta: timedelta) -> str:
    """A duration as a person reads it: '365 d 2 h', '3 h 5 min', '12 min', '40 s'."""
    seconds = int(delta.total_seconds())
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h" if hours else f"{days} d"
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    if minutes:
        return f"{minutes} min"
    return f"{secs} s"


def open_readonly(path: str | os.PathLike[str]) -> sqlite_utils.Database:
    """Open another kiosk's file without any chance of writing to it.

    A WAL database opened with mode=ro gets a -shm file (and an empty -wal) created beside
    it, which a reader cannot remove: they were left on the USB stick after every merge, and
    a write-protected stick refuses them. So a file with no -wal beside it (closed cleanly:
    no connection has it open, as `kiosk backup` and a quitting booth screen leave it) is
    read with `immutable=1`, as a plain file, and nothing is written next to it. One with a
    -wal holds scans not yet folded into it: mode=ro reads them (immutable would not), and
    `immutable=1` is the fallback when the medium refuses the -shm file.
    """
    p = Path(path)
    if not p.is_file():
        raise DatabaseError(f"{p}: no such database file")
    uri = "file:" + quote(str(p.resolve()))
    last: Exception | None = None
    closed = not any(Path(f"{p}-{end}").exists() for end in ("wal", "journal"))
    attempts = ("mode=ro&immutable=1",) if closed else ("mode=ro", "mode=ro&immutable=1")
    for flags in attempts:
        try:
            conn = sqlite3.connect(f"{uri}?{flags}", uri=True, check_same_thread=False)
            db = sqlite_utils.Database(conn, execute_plugins=False)  # as `db.open_db`
            check_compatible(db, p)
            if not db.table_names():
                conn.close()
                raise DatabaseError(f"{p} is empty, not a kiosk database")
            return db
        except sqlite3.OperationalError as exc:
            last = exc
        except sqlite3.DatabaseError as exc:
            raise DatabaseError(f"{p} is not a kiosk database ({exc})") from None
    raise DatabaseError(f"cannot open {p}: {last}")


def backup_db(
    db: sqlite_utils.Database,
    path: str | os.PathLike[str],
    *,
    now: datetime,
    whole_file: bool = False,
) -> Path:
    """Copy the live database next to itself as PATH.bak-<YYYYmmdd-HHMMSS>, named from the
    caller's `now` (in its own zone).

    With SQLite's online backup API; with `whole_file` (the caller has switched the file to
    a rollback journal: `kiosk.bulk.sole_journal`), as the file itself instead, under the
    write lock (`_copy_whole`)."""
    p = Path(path)
    stamp = now.strftime("%Y%m%d-%H%M%S")
    dest = p.with_name(f"{p.name}.bak-{stamp}")
    n = 1
    while dest.exists():
        n += 1
        dest = p.with_name(f"{p.name}.bak-{stamp}-{n}")
    create_private(dest)  # a backup holds the customers too: 0600 like the database
    if whole_file and _copy_whole(db, p, dest):
        return dest
    out = sqlite3.connect(str(dest))
    try:
        db.conn.backup(out)
    finally:
        out.close()
    return dest


def _copy_whole(db: sqlite_utils.Database, path: Path, dest: Path) -> bool:
    """Copy the database file byte for byte while holding its write lock; False (nothing
    copied) unless it is in rollback-journal mode, where the file alone is the database.

    The backup API copies page by page through two page caches: 2.0 s for the 640 MB of a
    million contacts, a third of a merge of 100,000 events into it; the kernel copies the
    file in 0.3–0.6 s (measured 20:49 UTC, load 0.4). BEGIN IMMEDIATE keeps every other
    writer out while the bytes are read, and this transaction writes nothing, so the copy is
    the database as committed. The file is opened before the lock is taken and closed after
    it is released: closing a descriptor of the file would drop the process's POSIX locks
    (SQLite's among them) while it still held them.
    """
    if db.conn.in_transaction:
        return False
    with open(path, "rb") as src, open(dest, "r+b") as out:
        with transaction(db):
            if db.execute("PRAGMA journal_mode").fetchone()[0] != "delete":
                return False
            size = os.fstat(src.fileno()).st_size
            try:
                done = 0
                while done < size:
                    sent = os.sendfile(out.fileno(), src.fileno(), done, size - done)
                    if sent == 0:
                        break
                    done += sent
            except (AttributeError, OSError):  # no sendfile for files here: read and write
                out.seek(0)
                src.seek(0)
                shutil.copyfileobj(src, out, 1 << 20)
                done = out.tell()
            out.truncate(done)
            if done != size:
                raise OSError(f"copied {done} of {size} bytes of {path}")
    return True


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def _check_show(target: sqlite_utils.Database, other: sqlite_utils.Database, path: Path) -> None:
    mine, theirs = get_meta(target, "show_id"), _meta(other, "show_id")
    if not theirs:
        raise DatabaseError(
            f"{path} has no show identity (no show_id: it was never set up with"
            " 'kiosk init --show SHOW.toml'), so it cannot be told apart from another"
            " show's kiosk; nothing was merged"
        )
    if mine and mine != theirs:
        raise DatabaseError(
            f"{path} belongs to show {theirs!r}, this database to {mine!r};"
            " merge only kiosks of the same show"
        )


def _meta(db: sqlite_utils.Database, key: str) -> str | None:
    if "meta" not in db.table_names():
        return None
    return get_meta(db, key)


def _damaged(path: Path, exc: sqlite3.DatabaseError) -> DatabaseError:
    return DatabaseError(
        f"{path} is damaged ({exc}); nothing was merged. Leave it out, or recover what is"
        f" readable first: sqlite3 {path} .recover | sqlite3 recovered.db"
    )


def open_disputes(db: sqlite_utils.Database) -> int:
    return int(
        db.execute(
            "SELECT count(*) FROM proposals WHERE kind = 'dispute' AND status = 'open'"
        ).fetchone()[0]
    )


def _open_items(db: sqlite_utils.Database) -> set[str]:
    """The ids of the items waiting for the manager (`disputes.OPEN_ITEM`)."""
    return {r[0] for r in db.execute(f"SELECT p.id FROM proposals p WHERE {OPEN_ITEM}")}


def merge_into(
    db: sqlite_utils.Database,
    others: Sequence[str | os.PathLike[str]],
    *,
    target_path: str | os.PathLike[str],
    now: datetime,
    backup: bool = True,
    max_clock_skew: timedelta = DEFAULT_MAX_CLOCK_SKEW,
    show: ShowConfig | None = None,
) -> MergeReport:
    """Merge the event logs of `others` into `db` (the database at `target_path`).

    `now` is the merging kiosk's time: it names the backup, is kept as the new events'
    `recorded_at`, and new events stamped more than `max_clock_skew` after it are reported
    in `MergeReport.future` (and merged like the others). New booth facts stamped before
    the set-up of `show` (default: the show stored in the target) are reported in
    `MergeReport.past`.
    """
    started = time.perf_counter()
    target = Path(target_path)
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    report = MergeReport(target, now=now, max_clock_skew=max_clock_skew)
    # Stored replay keys are UTC ISO text of one width, so text order is time order.
    horizon = (now + max_clock_skew).astimezone(UTC).isoformat(timespec="microseconds")
    future: dict[str, FutureEvents] = {}
    past: dict[str, PastEvents] = {}
    show = show if show is not None else show_config(db)
    report.booth_opens = booth_opens(show.start, show_zone(show.timezone))
    # Stamps below this key are earlier than any booth fact could be (the empty string: none).
    floor = utc_key(report.booth_opens) if report.booth_opens else ""
    with ExitStack() as stack:
        opened: list[tuple[Path, sqlite_utils.Database]] = []
        seen: list[Path] = []
        for raw in others:
            p = Path(raw)
            if _same_file(p, target) or any(_same_file(p, q) for q in seen):
                report.skipped.append(
                    f"{p} (same file as {'the target' if _same_file(p, target) else 'another source'})"
                )
                continue
            other = open_readonly(p)
            stack.callback(other.conn.close)
            try:
                _check_show(db, other, p)
            except sqlite3.DatabaseError as exc:
                raise _damaged(p, exc) from None
            opened.append((p, other))
            seen.append(p)
        # Which laptops wrote under which kiosk ids: here, and in each source.
        known_pairs = installs.known_pairs(db)
        arriving_pairs = {str(p): installs.known_pairs(other) for p, other in opened}
        report.twins = installs.twins(known_pairs, arriving_pairs, installs.install_id(db))
        before = _open_items(db)
        # The log's uuids once; `merge_rows` adds any a booth write or hub pull stores
        # before its transaction begins.
        known = events.known_uuids(db)
        taken: dict[object, tuple[object, ...]] = {}  # new uuid → its row, from the first file
        wanted: list[set[object]] = []  # per source, the uuids this merge brings in
        arriving: list[list[tuple[object, ...]]] = []  # per source, those rows
        # Per source, copies of events taken already that differ (`kiosk.events.copies`).
        differing: list[list[events.Rejected]] = []
        verified = (get_meta(db, VERIFIED) or "").split()
        digests: list[str] = []  # per source, what its events hold (`_remember_verified`)
        for i, (p, other) in enumerate(opened):
            total, logged, new, rows = 0, 0, set[object](), list[tuple[object, ...]]()
            copies: list[events.Rejected] = []
            digest = hashlib.blake2b(digest_size=16)
            try:  # reads every event row whole: a damaged page shows here, before any write
                cursor = other.execute(f"SELECT {events.COLUMNS} FROM events NOT INDEXED")
                while chunk := cursor.fetchmany(1000):
                    digest.update(marshal.dumps(chunk, 2))  # 2: no references, only values
                    for row in chunk:
                        total += 1
                        uuid = row[0]
                        if uuid in known.uuids:
                            logged += 1
                        elif uuid in new:  # a second row without a uuid: merge_rows sets it aside
                            rows.append(row)
                        elif (first := taken.get(uuid)) is None:
                            taken[uuid] = row
                            new.add(uuid)
                            rows.append(row)
                        elif what := events.differences(first, row):  # another file had it first
                            had = (
                                q for (q, _), n in zip(opened[:i], wanted, strict=True) if uuid in n
                            )
                            first_in = next(had).name
                            copies.append(
                                events.differing_copy(row, what, taken=events.taken_from(first_in))
                            )
                kiosks = tuple(
                    _shown(r[0])
                    for r in other.execute("SELECT DISTINCT kiosk_id FROM events ORDER BY 1")
                )
                digests.append(digest.hexdigest())
                if logged and digests[-1] not in verified:  # compared, unless seen whole
                    copies += _differing_from_log(other, target, new)
            except sqlite3.DatabaseError as exc:
                raise _damaged(p, exc) from None
            wanted.append(new)
            arriving.append(rows)
            differing.append(copies)
            report.sources.append(Source(p, kiosks, total, len(new), set_aside=len(copies)))
        del taken
        rejected: list[events.Rejected] = []

        def source_of(row: Sequence[object]) -> str:
            uuid = row[0] if row else None
            found = (str(p) for (p, _), new in zip(opened, wanted, strict=True) if uuid in new)
            return next(found, "")

        if any(s.new for s in report.sources):
            # Only events this database set aside before (merging the same stick again):
            # they are tried again — a salesperson imported since may let them in — but a
            # scheduled sync made a full copy of the database on every run for them (four
            # 23 MB backups in four runs), so no backup then: nothing else is new.
            retry_only = _all_set_aside(db, wanted)

            def stream() -> Iterator[Sequence[object]]:
                # Stored rows, not Events, each source read once (above): merge_rows copies
                # the payload text as it is and decodes each one only when it is applied.
                while arriving:  # each source's list freed once copied
                    yield from arriving.pop(0)

            old_cache = db.execute("PRAGMA cache_size").fetchone()[0]
            db.execute("PRAGMA cache_size = -65536")  # replay touches indexes all over
            big = sum(s.new for s in report.sources) >= SOLE_JOURNAL_AT
            try:
                with sole_journal(db) if big else nullcontext(False) as sole:
                    if backup and not retry_only:  # a rollback journal: copied whole
                        report.backup = backup_db(db, target, now=now, whole_file=sole)
                    report.new, report.known = events.merge_rows(
                        db, stream(), now=now, rejected=rejected, source_of=source_of,
                        known_ids=known,
                    )  # fmt: skip
            finally:
                db.execute(f"PRAGMA cache_size = {int(old_cache)}")
            report.known += sum(s.events - s.new - s.set_aside for s in report.sources)
            # New events stamped beyond the skew, read back from the log: their replay keys
            # as checked and stored, and none that was set aside. (Read while streaming,
            # each row's time was parsed twice: a tenth of a merge's CPU, profiled.)
            beyond = db.execute(
                "SELECT uuid, kiosk_id, ts_utc FROM events WHERE ts_utc > ?", [horizon]
            ).fetchall()
            kinds = ",".join("?" * len(BOOTH_KINDS))
            behind = db.execute(
                f"SELECT uuid, kiosk_id, ts_utc FROM events WHERE ts_utc < ? AND kind IN ({kinds})",
                [floor, *BOOTH_KINDS],
            ).fetchall()
            for (path, _), new in zip(opened, wanted, strict=True):
                for uuid, kiosk_id, ts_utc in beyond:
                    if uuid in new:
                        _flag(future, path, kiosk_id, ts_utc)
                for uuid, kiosk_id, ts_utc in behind:
                    if uuid in new:
                        _flag_past(past, path, kiosk_id, ts_utc)
        else:
            report.known = sum(s.events - s.set_aside for s in report.sources)
        if any(differing):
            _set_aside_copies(db, report, differing, now)
        for r in rejected:
            path = Path(source_of(r.row))
            report.quarantined.append(SetAside(path, r.kiosk_id, r.uuid, r.kind, r.reason))
            for s in report.sources:
                if s.path == path:
                    s.set_aside += 1
    if not report.quarantined:  # every event of every file is in the log as it says
        _remember_verified(db, verified, digests)
    learned = set().union(*arriving_pairs.values()) - known_pairs
    if learned:  # kept, so that the next merge knows them (and reports a conflict once)
        with transaction(db):
            installs.learn(db, learned)
    for flagged in sorted(future.values(), key=lambda f: f.kiosk_id):
        flagged.ahead = datetime.fromisoformat(flagged.latest_utc) - now
        report.future.append(flagged)
    for early in sorted(past.values(), key=lambda p: p.kiosk_id):
        assert report.booth_opens is not None  # nothing is flagged without it
        early.before = report.booth_opens - datetime.fromisoformat(early.earliest_utc)
        report.past.append(early)
    report.open_disputes = open_disputes(db)
    after = _open_items(db)
    report.open_items, report.new_items = len(after), len(after - before)
    report.seconds = time.perf_counter() - started
    return report


def _differing_from_log(
    other: sqlite_utils.Database, target: Path, new: set[object]
) -> list[events.Rejected]:
    """The rows of `other` whose uuid the log of `target` has, with other content.

    One statement, in SQLite: the target is attached read-only to the source's connection
    and each row is looked up by uuid. Only the rows whose columns differ as stored come
    back, and `events.differences` has the last word (a payload cleaned by the merge that
    took it differs in text, not in what it says). It costs ~0.25 s per 100,000 events
    the log has (0.23 s with the target memory-mapped, 0.33 s without; measured 11:40 UTC),
    where reading them into Python and looking each up again cost 0.77 s, and reading the
    whole log into Python 0.35 s; a file found whole before is not compared again
    (`_remember_verified`).
    Rows new to this merge (`new`: a booth write or hub pull stored one since the log's
    uuids were read) are `merge_rows`' to compare."""
    compared = " AND ".join(
        f"s.{c} IS e.{c} COLLATE BINARY" for c in ("kiosk_id", "ts", "actor", "kind", "payload")
    )
    uri = "file:" + quote(str(target.resolve())) + "?mode=ro"
    other.execute("ATTACH DATABASE ? AS merge_log", [uri])
    try:
        other.execute("PRAGMA merge_log.mmap_size = 268435456")  # the lookups: 0.33 → 0.23 s
        found = other.execute(
            f"SELECT {', '.join('s.' + c for c in _COLUMN_NAMES)},"
            f" {', '.join('e.' + c for c in _COLUMN_NAMES)}"
            " FROM main.events s NOT INDEXED JOIN merge_log.events e ON e.uuid = s.uuid"
            f" WHERE NOT ({compared})"
        ).fetchall()
    finally:
        other.execute("DETACH DATABASE merge_log")
    out = []
    for both in found:
        row, logged = both[:8], both[8:]
        if row[0] not in new and (what := events.differences(logged, row)):
            out.append(events.differing_copy(row, what))
    return out


def _remember_verified(db: sqlite_utils.Database, verified: list[str], digests: list[str]) -> None:
    """Keep the digests of files whose every event is now in the log as that file has it.

    Comparing a file's events with the log's copies (`_differing_from_log`) doubled the
    time of merging the same 100,000 events again (0.25 → 0.5 s, measured 12:10 UTC): a
    scheduled sync merges the same sticks every few minutes. A file that holds exactly
    what one merged before without anything set aside (its rows, in order, digested as
    they are read: +0.04 s per 100,000) cannot differ from the log, which is append-only,
    so it is not compared again. Any change to it (an edited row, one more scan) gives
    another digest and the comparison runs. The newest `VERIFIED_KEPT` are kept."""
    fresh = [d for d in dict.fromkeys(digests) if d not in verified]
    if fresh:
        with transaction(db):
            set_meta(db, VERIFIED, " ".join((verified + fresh)[-VERIFIED_KEPT:]))


def _set_aside_copies(
    db: sqlite_utils.Database,
    report: MergeReport,
    differing: Sequence[Sequence[events.Rejected]],
    now: datetime,
) -> None:
    """Keep the differing copies in the quarantine and name them in the report. One kept
    by an earlier merge (the same file merged again) is named again — the file still holds
    it — with the time it was first set aside, and not stored twice."""
    keys = [r.key for copies in differing for r in copies]
    earlier: dict[str, str] = {}
    for at in range(0, len(keys), 500):
        some = keys[at : at + 500]
        earlier.update(
            db.execute(
                "SELECT key, quarantined_at FROM quarantine"
                f" WHERE key IN ({','.join('?' * len(some))})",
                some,
            ).fetchall()
        )
    with transaction(db):
        for source, copies in zip(report.sources, differing, strict=True):
            events.set_aside(db, copies, str(source.path), now)
            report.quarantined += (
                SetAside(source.path, r.kiosk_id, r.uuid, r.kind, r.reason, earlier.get(r.key, ""))
                for r in copies
            )


def _all_set_aside(db: sqlite_utils.Database, wanted: Sequence[set[object]]) -> bool:
    """Every event new to the log is one the `quarantine` table holds already."""
    new = set().union(*wanted)
    if not new or len(new) > QUARANTINE_RETRY_MAX:
        return False
    ids = [u for u in new if isinstance(u, str)]
    if len(ids) != len(new):
        return False
    marks = ",".join("?" * len(ids))
    held = db.execute(f"SELECT count(*) FROM quarantine WHERE key IN ({marks})", ids).fetchone()
    return bool(held[0] == len(ids))


def _flag(future: dict[str, FutureEvents], path: Path, kiosk: str, ts_utc: str) -> None:
    """Count a new event stamped beyond the allowed skew under its kiosk."""
    kiosk_id = _shown(kiosk)
    entry = future.get(kiosk_id)
    if entry is None:
        entry = future[kiosk_id] = FutureEvents(kiosk_id)
    entry.events += 1
    entry.latest_utc = max(entry.latest_utc, ts_utc)
    if path not in entry.files:
        entry.files.append(path)


def _flag_past(past: dict[str, PastEvents], path: Path, kiosk: str, ts_utc: str) -> None:
    """Count a new booth fact stamped before the show's set-up under its kiosk."""
    kiosk_id = _shown(kiosk)
    entry = past.get(kiosk_id)
    if entry is None:
        entry = past[kiosk_id] = PastEvents(kiosk_id, earliest_utc=ts_utc)
    entry.events += 1
    entry.earliest_utc = min(entry.earliest_utc, ts_utc)
    if path not in entry.files:
        entry.files.append(path)


def merge_databases(
    target: str | os.PathLike[str],
    others: Sequence[str | os.PathLike[str]],
    *,
    now: datetime,
    backup: bool = True,
    max_clock_skew: timedelta = DEFAULT_MAX_CLOCK_SKEW,
) -> MergeReport:
    """Open the target kiosk database (it must exist) and merge `others` into it."""

    db = open_db(target, create=False)
    try:
        return merge_into(
            db, others, target_path=target, now=now, backup=backup,
            max_clock_skew=max_clock_skew,
        )  # fmt: skip
    finally:
        db.conn.close()
