"""The outbox: every notification is a recorded item, sent once, whose state anyone can see.

**Who sends.** Only the kiosk that recorded an event notifies about it: `enqueue` reads
this kiosk's new events past the mark `notify.scanned_rowid` and keeps those whose
`kiosk_id` is its own. Events that arrive by a sync or a merge were recorded elsewhere and
raise nothing here, so a re-sync or a merge never sends again.

**Items.** One per (event, recipient, channel), keyed by the event's uuid: `pending` until
sent; `sent`; `failed` with why (a channel apprise cannot read, or still refused after
`MAX_ATTEMPTS` tries with back-off); `paused` (the salesperson is away); `no_channel`
(nothing configured: the screen notice is all they get); `duplicate` (the same visitor
already notified this recipient within the repeat window — from this kiosk's own tables,
or, with a hub, from the hub's claims, so two kiosks that scan the same visitor send one).

**Order of work.** `deliver` takes the due items, asks the claimer (the hub, when there is
one) whether this kiosk may notify, sends the pass's items side by side through apprise,
then records what each channel answered — and the items that needed no sending — in one
flushed transaction, the pass's only write. A crash between a
channel accepting and that transaction may send that pass's items again on restart (a
pass holds at most `limit` items; at a quiet booth, one): at-least-once at that one
point, exactly-once everywhere else.

The caller gives the time (`now`); nothing here reads the clock.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import Literal

import sqlite_utils

from kiosk.config import ShowConfig
from kiosk.db import get_meta, last_rowid, set_meta, transaction
from kiosk.notify.channels import Channel, ChannelError, channels_for
from kiosk.notify.kinds import NOTIFIERS, REPEAT_WINDOW, EventRow, Notice
from kiosk.notify.send import Sender, apprise_send, send_all

MARK = "notify.scanned_rowid"
MARK_STEP = 10_000  # others' events the mark may lag behind by when none of ours came
MAX_ATTEMPTS = 10
FIRST_RETRY = timedelta(seconds=5)
LONGEST_RETRY = timedelta(minutes=10)
PASS_LIMIT = 50  # items one pass takes up; a full pass is followed by the next at once
STATES = ("pending", "sent", "failed", "paused", "no_channel", "duplicate")


@dataclass(frozen=True)
class ClaimRequest:
    show_id: str
    event_uuid: str
    recipient: str
    visitor: str
    at_utc: str
    kiosk_id: str


# What the claimer says: "ok" (notify), "duplicate" (someone else does; why), or
# "unreachable" (ask again later). It answers a pass's requests at once, in order.
ClaimAnswer = tuple[Literal["ok", "duplicate", "unreachable"], str]
Claimer = Callable[[Sequence[ClaimRequest]], list[ClaimAnswer]]


@dataclass
class Delivery:
    sent: int = 0
    failed: int = 0
    retrying: int = 0
    duplicate: int = 0
    waiting_for_hub: int = 0
    errors: list[str] = field(default_factory=list)
    due: int = 0  # items the pass took up (at most its limit: more may be waiting)


def _iso(now: datetime) -> str:
    return now.isoformat(timespec="seconds")


def retry_delay(attempts: int) -> timedelta:
    """5 s, 10 s, 20 s … up to 10 min between tries."""
    delay: timedelta = FIRST_RETRY * (2 ** max(attempts - 1, 0))
    return min(delay, LONGEST_RETRY)


class _Channels:
    """Each recipient's channels, read once per pass: reading them copies the environment
    and reads the key file, which per item was a tenth of a busy pass's time (profiled)."""

    def __init__(self, config: ShowConfig, db_path: str | os.PathLike[str] | None) -> None:
        self.config = config
        self.db_path = db_path
        self.env = dict(os.environ)
        self._found: dict[str, list[Channel] | ChannelError] = {}

    def of(self, person: str) -> list[Channel]:
        """`channels_for(person)`, raising its ChannelError as it does."""
        if person not in self._found:
            try:
                self._found[person] = channels_for(person, self.config, self.db_path, self.env)
            except ChannelError as exc:
                self._found[person] = exc
        found = self._found[person]
        if isinstance(found, ChannelError):
            raise found
        return found

    def resolve(self, label: str, person: str) -> Channel | None:
        """`channels.resolve`: the channel an item names, as configured now (None: gone)."""
        return next((c for c in self.of(person) if c.label == label), None)


def enqueue(
    db: sqlite_utils.Database,
    config: ShowConfig,
    *,
    now: datetime,
    db_path: str | os.PathLike[str] | None,
) -> int:
    """Raise outbox items for this kiosk's new events; returns how many were added."""
    mark = int(get_meta(db, MARK) or 0)
    kinds = list(NOTIFIERS)
    marks = ",".join("?" * len(kinds))
    # only this kiosk's own events: one recorded elsewhere is that kiosk's to notify (with
    # a hub, nine in ten new rows are pulled ones, read here for nothing before)
    # the top first: an event recorded meanwhile lies beyond it, for the next pass (read
    # after the rows, it could be passed over by the mark without being raised)
    top = last_rowid(db, "events")
    rows = db.execute(
        f"SELECT rowid, uuid, kind, kiosk_id, ts_utc, payload FROM events WHERE rowid > ?"
        f" AND rowid <= ? AND kiosk_id = ? AND kind IN ({marks}) ORDER BY rowid",
        [mark, top, config.kiosk_id, *kinds],
    ).fetchall()
    added = 0
    if not rows and top - mark < MARK_STEP:
        return 0  # nothing of ours: no write (each one waits its turn for the file)
    channels = _Channels(config, db_path)
    with transaction(db):
        for _, uuid, kind, kiosk_id, ts_utc, payload in rows:
            event = EventRow(uuid, kind, kiosk_id, ts_utc, payload)
            for notice in NOTIFIERS[kind](db, event, config.language):
                added += _add(db, event, notice, channels, now=now)
        set_meta(db, MARK, str(max(top, mark)))
    return added


def _add(
    db: sqlite_utils.Database,
    event: EventRow,
    notice: Notice,
    channels_of: _Channels,
    *,
    now: datetime,
) -> int:
    state, why = "pending", ""
    away = db.execute("SELECT away FROM salespeople WHERE id = ?", [notice.recipient]).fetchone()
    earlier = _earlier_arrival(db, event, notice)
    try:
        channels = [c.label for c in channels_of.of(notice.recipient)]
    except ChannelError as exc:
        channels, state, why = [], "failed", str(exc)
    if away and away[0]:
        state, why = "paused", "away: notifications paused"
    elif earlier:
        state, why = "duplicate", earlier
    elif not channels and state == "pending":
        state, why = "no_channel", "no channel configured: on-screen notice only"
    labels = channels if state == "pending" and channels else ["-"]
    n = 0
    for label in labels:
        cur = db.execute(
            "INSERT OR IGNORE INTO outbox(id, event_uuid, kind, recipient, channel, title, body,"
            " visitor, at_utc, state, last_error, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            [f"{event.uuid}|{notice.recipient}|{label}", event.uuid, event.kind,
             notice.recipient, label, notice.title, notice.body,
             notice.identity or notice.visitor,
             notice.at_utc, state, why, _iso(now)],
        )  # fmt: skip
        n += cur.rowcount
    return n


def _earlier_arrival(db: sqlite_utils.Database, event: EventRow, notice: Notice) -> str:
    """Why this arrival is one already notified here, or '' (the same visitor checked in
    earlier within the repeat window, as this kiosk's tables know)."""
    if not notice.visitor or event.kind not in ("checkin", "walkin.arrived"):
        return ""
    at = datetime.fromisoformat(event.ts_utc)
    row = db.execute(
        "SELECT e.kiosk_id, e.ts_utc FROM checkins k JOIN events e ON e.uuid = k.id"
        " WHERE k.contact_id = ? AND k.id <> ? AND e.ts_utc >= ? AND (e.ts_utc, e.uuid) < (?, ?)"
        " ORDER BY e.ts_utc LIMIT 1",
        [notice.visitor, event.uuid, (at - REPEAT_WINDOW).isoformat(timespec="microseconds"),
         event.ts_utc, event.uuid],
    ).fetchone()  # fmt: skip
    if row is None:
        return ""
    return f"already notified for this visit (checked in at {row[0]}, {row[1][11:19]} UTC)"


def deliver(
    db: sqlite_utils.Database,
    config: ShowConfig,
    *,
    now: datetime,
    db_path: str | os.PathLike[str] | None,
    claim: Claimer | None = None,
    send: Sender = apprise_send,
    limit: int = PASS_LIMIT,
) -> Delivery:
    """Send the due items (with the claimer's leave, when there is one).

    The claims of the whole pass are asked at once; the items the claimer lets through
    are sent side by side (`send.send_all`); then one flushed transaction records every
    item's outcome — what each channel answered, and what needed no sending (a duplicate,
    a wait for the hub, a channel gone from the configuration). One write per pass, none
    when nothing was due: each write waits its turn for the kiosk's file behind the scans
    and the sync, and the pass's three writes spent two fifths of a busy pass waiting
    (profiled). Nothing was sent for an outcome not yet written, so a crash before the
    write only asks again (a claim is granted again to the event that holds it)."""
    report = Delivery()
    due = db.execute(
        "SELECT id, event_uuid, recipient, channel, title, body, visitor, at_utc, attempts"
        " FROM outbox WHERE state = 'pending' AND (next_at IS NULL OR next_at <= ?)"
        " ORDER BY created_at, id LIMIT ?",
        [_iso(now), limit],
    ).fetchall()
    report.due = len(due)
    if not due:
        return report
    show = get_meta(db, "show_id") or config.show_id
    answers: dict[tuple[str, str], ClaimAnswer] = {}
    if claim is not None:
        asks = list(dict.fromkeys((r[1], r[2], r[6], r[7]) for r in due if r[6]))
        requests = [ClaimRequest(show, e, rcpt, v, at, config.kiosk_id) for e, rcpt, v, at in asks]
        answers = {
            (r.event_uuid, r.recipient): a for r, a in zip(requests, claim(requests), strict=True)
        }
    to_send = []
    unsent: list[Callable[[], None]] = []  # the outcomes that need no sending, written below
    channels = _Channels(config, db_path)
    for item in due:
        item_id, event_uuid, recipient, label, _t, _b, _v, _at, attempts = item
        answer, why = answers.get((event_uuid, recipient), ("ok", ""))
        if answer == "duplicate":
            unsent.append(partial(_set, db, item_id, "duplicate", why, now))
            report.duplicate += 1
        elif answer == "unreachable":
            wait = f"waiting for the hub: {why}"
            unsent.append(partial(_later, db, item_id, attempts, wait, now, count=False))
            report.waiting_for_hub += 1
        elif (channel := channels.resolve(label, recipient)) is None:
            gone = f"channel {label} is no longer configured"
            unsent.append(partial(_set, db, item_id, "failed", gone, now))
            report.failed += 1
        else:
            to_send.append((item, channel.url))
    answers_sent = send_all(send, [(url, item[4], item[5]) for item, url in to_send])
    # One flushed transaction for the pass's results (a flushed commit each cost more than
    # the sends at a busy booth). A crash before it sends this pass's items again on restart.
    with _durable(db), transaction(db):
        for write in unsent:
            write()
        for (item, _url), error in zip(to_send, answers_sent, strict=True):
            item_id, attempts = item[0], item[8]
            if error is None:
                _set(db, item_id, "sent", "", now, sent=True)
                report.sent += 1
            elif attempts + 1 >= MAX_ATTEMPTS or error.startswith("apprise cannot read"):
                _set(db, item_id, "failed", error, now, attempts=attempts + 1)
                report.failed += 1
                report.errors.append(error)
            else:
                _later(db, item_id, attempts, error, now)
                report.retrying += 1
                report.errors.append(error)
    return report


@contextmanager
def _durable(db: sqlite_utils.Database) -> Iterator[None]:
    """This write survives a power cut, whatever the connection's setting: the notification
    thread's connection commits without waiting for the disk (its other writes can all be
    made again), but a "sent" mark lost would send that item twice."""
    (mode,) = db.execute("PRAGMA synchronous").fetchone()
    db.execute("PRAGMA synchronous = FULL")
    try:
        yield
    finally:
        db.execute(f"PRAGMA synchronous = {int(mode)}")


def _set(
    db: sqlite_utils.Database,
    item_id: str,
    state: str,
    why: str,
    now: datetime,
    *,
    sent: bool = False,
    attempts: int | None = None,
) -> None:
    with transaction(db):
        db.execute(
            "UPDATE outbox SET state = ?, last_error = ?, sent_at = CASE WHEN ? THEN ? ELSE"
            " sent_at END, attempts = coalesce(?, attempts + ?), next_at = NULL WHERE id = ?",
            [state, why, sent, _iso(now), attempts, 1 if sent else 0, item_id],
        )


def _later(
    db: sqlite_utils.Database,
    item_id: str,
    attempts: int,
    why: str,
    now: datetime,
    *,
    count: bool = True,
) -> None:
    tries = attempts + 1 if count else attempts
    with transaction(db):
        db.execute(
            "UPDATE outbox SET attempts = ?, last_error = ?, next_at = ? WHERE id = ?",
            [tries, why[:300], _iso(now + retry_delay(max(tries, 1))), item_id],
        )


@dataclass(frozen=True)
class OutboxItem:
    id: str
    event_uuid: str
    recipient: str
    channel: str
    title: str
    state: str
    attempts: int
    why: str
    created_at: str
    sent_at: str | None
    next_at: str | None = None  # a pending item's next try


def items(db: sqlite_utils.Database, *, limit: int = 100) -> list[OutboxItem]:
    """The newest items first, for the manager's view and `kiosk notify outbox`."""
    rows = db.execute(
        "SELECT id, event_uuid, recipient, channel, title, state, attempts, last_error,"
        " created_at, sent_at, next_at FROM outbox ORDER BY created_at DESC, id LIMIT ?",
        [limit],
    ).fetchall()
    return [OutboxItem(*row) for row in rows]


def counts(db: sqlite_utils.Database) -> dict[str, int]:
    return {s: n for s, n in db.execute("SELECT state, count(*) FROM outbox GROUP BY state")}
