"""PINs for the booth screen: stored as salted hashes, with back-off and lockout.

The kiosk stands in a public aisle. Whoever logs in as staff reads customers' private notes,
and the manager's PIN opens the manager view and quits the app; so each person has their own
PIN, and guessing one is slow. The CLI is not guarded: whoever can run it can read the
database file anyway (the operating system's user is the boundary there); PINs guard the TUI.

- Stored as ``scrypt$n$r$p$salt$hash`` (`hashlib.scrypt`, a random 16-byte salt per PIN):
  never as text, neither in the database nor in the show file. A show file's old
  `manager_pin` is hashed when the show is stored (`kiosk.show.move_keys_out`) and kept as
  the PIN of every manager who has not set their own (`MANAGER_DEFAULT`).
- A PIN is 4 to 12 digits (typed on a number pad). Known ones (0000, 1234, the demo's) are
  *weak*: allowed in the demo, refused elsewhere (`kiosk.setup.check_ready`).
- After `FREE_TRIES` wrong PINs for one person, each further try waits twice as long as the
  last (1 s, 2 s, 4 s … at most `MAX_WAIT`); after `LOCK_AFTER` the person is locked out for
  `LOCK_SECONDS`. The count is kept in the database, so restarting the app does not reset it
  (a locked person found on start is locked again for the full time); every wrong PIN is a
  `pin.failed` event. A right PIN, `kiosk pin set` or `kiosk pin unlock` resets the count.

Time here is the caller's monotonic seconds (`at`), not the wall clock: a kiosk rehearsing
the show with a frozen clock (`KIOSK_NOW`) still sees the back-off end.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from kiosk.errors import KioskError

if TYPE_CHECKING:  # annotations only: `kiosk --help` needs no sqlite-utils
    import sqlite3

    import sqlite_utils

# The show file's manager PIN: valid for every manager without a PIN of their own.
MANAGER_DEFAULT = "*manager"
# The subject of the manager PIN prompt (F5, quitting): any manager's PIN opens it.
MANAGER = "*any-manager"

_N, _R, _P = 2**14, 8, 1  # ~16 MiB and ~40 ms per try: cheap once, slow by the thousand
FREE_TRIES = 3
MAX_WAIT = 60.0
LOCK_AFTER = 10
LOCK_SECONDS = 15 * 60.0
_PIN_RE = re.compile(r"[0-9]{4,12}")
# Guessed first by anyone: the old default, the demo's, and the obvious ones.
KNOWN_PINS = frozenset(
    {"1234", "12345", "123456", "4321", "2468", "1357", "1212", "2580", "0852", "1004", "2000"}
)

SCHEMA = """
CREATE TABLE IF NOT EXISTS pins (
    person_id TEXT PRIMARY KEY,            -- a salesperson, or '*manager' (the show's)
    hash TEXT NOT NULL,                    -- scrypt$n$r$p$salt$hash, base64
    weak INTEGER NOT NULL DEFAULT 0,       -- a known PIN: only the demo may keep it
    set_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS pin_attempts (
    subject TEXT PRIMARY KEY,              -- a salesperson, or '*any-manager'
    failures INTEGER NOT NULL DEFAULT 0
);
"""


class PinError(KioskError, ValueError):
    """A PIN that cannot be used (wrong form, too easy) or a person without one."""


def normalize(pin: str) -> str:
    """The PIN as typed, without surrounding spaces; PinError unless 4 to 12 digits."""
    text = pin.strip()
    if not _PIN_RE.fullmatch(text):
        raise PinError("a PIN is 4 to 12 digits")
    return text


def is_weak(pin: str) -> bool:
    """A PIN anyone would try first: one digit repeated, a run (1234, 9876), or a known one."""
    if pin in KNOWN_PINS or len(set(pin)) == 1:
        return True
    steps = {(int(b) - int(a)) % 10 for a, b in zip(pin, pin[1:], strict=False)}
    return steps in ({1}, {9})


def hash_pin(pin: str, *, salt: bytes | None = None) -> str:
    salt = salt if salt is not None else os.urandom(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    b64 = base64.b64encode
    return f"scrypt${_N}${_R}${_P}${b64(salt).decode()}${b64(digest).decode()}"


def matches(pin: str, stored: str) -> bool:
    """Whether `pin` is the one hashed in `stored` (constant-time; False for a damaged hash)."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        want = base64.b64decode(digest)
        got = hashlib.scrypt(
            pin.strip().encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p),
            dklen=len(want),
        )  # fmt: skip
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, want)


def ensure_schema(db: sqlite_utils.Database) -> None:
    db.executescript(SCHEMA)


def set_pin(
    db: sqlite_utils.Database,
    person_id: str,
    pin: str,
    *,
    now: datetime | None = None,
    allow_weak: bool = False,
) -> bool:
    """Store `person_id`'s PIN (hashed) and clear their failed tries. Returns whether it is
    weak; raises PinError for a weak PIN unless `allow_weak` (the demo, an old show file)."""
    text = normalize(pin)
    weak = is_weak(text)
    if weak and not allow_weak:
        raise PinError("that PIN is too easy to guess (a run, a repeated digit or a known PIN)")
    db.execute(
        "INSERT INTO pins(person_id, hash, weak, set_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT(person_id) DO UPDATE SET hash = excluded.hash, weak = excluded.weak,"
        " set_at = excluded.set_at",
        [person_id, hash_pin(text), int(weak), now.isoformat(timespec="seconds") if now else ""],
    )
    unlock(db, person_id)
    return weak


def unlock(db: sqlite_utils.Database, subject: str) -> None:
    """Forget the failed tries of `subject` (and of the manager prompt, for a manager)."""
    db.execute("DELETE FROM pin_attempts WHERE subject IN (?, ?)", [subject, _also(db, subject)])


def _also(db: sqlite_utils.Database, subject: str) -> str:
    row = db.execute("SELECT role FROM salespeople WHERE id = ?", [subject]).fetchone()
    return MANAGER if row and row[0] == "manager" else subject


@dataclass(frozen=True)
class StoredPin:
    hash: str
    weak: bool


def own_pin(db: sqlite3.Connection | sqlite_utils.Database, person_id: str) -> StoredPin | None:
    row = db.execute("SELECT hash, weak FROM pins WHERE person_id = ?", [person_id]).fetchone()
    return StoredPin(row[0], bool(row[1])) if row else None


def effective_pins(
    db: sqlite3.Connection | sqlite_utils.Database, subject: str
) -> dict[str, StoredPin]:
    """Who `subject`'s PIN may be, person id → their PIN: the person's own PIN; a manager
    without one has the show's (`MANAGER_DEFAULT`); `MANAGER` is every manager's."""
    if subject == MANAGER:
        ids = [r[0] for r in db.execute("SELECT id FROM salespeople WHERE role = 'manager'")]
    else:
        ids = [subject]
    shared = own_pin(db, MANAGER_DEFAULT)
    out: dict[str, StoredPin] = {}
    for pid in ids:
        pin = own_pin(db, pid)
        if pin is None and shared is not None and _is_manager(db, pid):
            pin = shared
        if pin is not None:
            out[pid] = pin
    return out


def _is_manager(db: sqlite3.Connection | sqlite_utils.Database, person_id: str) -> bool:
    row = db.execute("SELECT role FROM salespeople WHERE id = ?", [person_id]).fetchone()
    return bool(row and row[0] == "manager")


def failures(db: sqlite_utils.Database, subject: str) -> int:
    row = db.execute("SELECT failures FROM pin_attempts WHERE subject = ?", [subject]).fetchone()
    return int(row[0]) if row else 0


@dataclass(frozen=True)
class Attempt:
    """The verdict on one PIN typed.

    `person` is who it opened (a manager, for the manager prompt); otherwise `wait` is how
    long before the next try counts, `locked` whether that is a lockout, `no_pin` whether
    nobody could have been opened (no PIN set).
    """

    person: str | None = None
    failures: int = 0
    wait: float = 0.0
    locked: bool = False
    no_pin: bool = False
    refused_early: bool = False  # typed during a wait: not even checked

    @property
    def ok(self) -> bool:
        return self.person is not None


def wait_after(failed: int) -> tuple[float, bool]:
    """(seconds before the next try, whether that is a lockout) after `failed` wrong PINs."""
    if failed >= LOCK_AFTER:
        return LOCK_SECONDS, True
    if failed < FREE_TRIES:
        return 0.0, False
    return min(MAX_WAIT, 2.0 ** (failed - FREE_TRIES)), False


class PinGuard:
    """Checks PINs for one kiosk, with the back-off and lockout above.

    The wait in force is kept in memory in the caller's monotonic seconds (`waits`: one
    dict shared by the guards of every connection of a kiosk); the count of wrong PINs in
    the database. An attempt is `check`ed (reads and the hash: no write), then `settle`d
    (the count written) inside the caller's write transaction — the services record a
    wrong PIN's `pin.failed` event in the same one — and `remember`ed once committed.
    The verdict is told only once it is written: a wrong PIN whose count the database
    refused (another program holds its write lock) must look the same as a right one, or
    holding the lock would let anyone try PINs without the back-off.
    """

    def __init__(self, db: sqlite_utils.Database, *, waits: dict[str, float] | None = None) -> None:
        self.db = db
        self._until: dict[str, float] = waits if waits is not None else {}

    def remaining(self, subject: str, at: float) -> tuple[float, bool]:
        """(seconds to wait before `subject` may try again, whether locked out)."""
        failed = failures(self.db, subject)
        if failed == 0:  # a right PIN, or `kiosk pin unlock` / `pin set` from the CLI
            self._until.pop(subject, None)
        if subject not in self._until and failed >= LOCK_AFTER:
            self._until[subject] = at + LOCK_SECONDS  # locked before a restart: still locked
        left = self._until.get(subject, 0.0) - at
        return (max(0.0, left), failed >= LOCK_AFTER) if left > 0 else (0.0, False)

    def attempt(self, subject: str, pin: str, *, at: float) -> Attempt:
        """Check `pin` for `subject` (a person id, or `MANAGER`) at monotonic time `at`,
        each write committed on its own (the CLI's and the tests' way)."""
        checked = self.check(subject, pin, at=at)
        if checked.attempt is not None:
            return checked.attempt
        attempt = self.settle(subject, checked)
        self.remember(subject, attempt, at=at)
        return attempt

    def check(self, subject: str, pin: str, *, at: float) -> Checked:
        """Whether `pin` opens `subject`, read without writing (the hash takes ~40 ms: no
        write lock is held meanwhile). Its `attempt` is the verdict already when there is
        nothing to write (typed during a wait, nobody has a PIN)."""
        left, locked = self.remaining(subject, at)
        if left > 0:
            failed = failures(self.db, subject)
            return Checked(Attempt(failures=failed, wait=left, locked=locked, refused_early=True))
        candidates = effective_pins(self.db, subject)
        if not candidates:
            return Checked(Attempt(no_pin=True))
        person = next((p for p, s in candidates.items() if matches(pin, s.hash)), None)
        return Checked(None, person)

    def settle(self, subject: str, checked: Checked) -> Attempt:
        """Write what a checked PIN means: a right one clears `subject`'s wrong tries, a
        wrong one counts (from the count as it is now, under the caller's write lock)."""
        if checked.person is not None:
            self.db.execute("DELETE FROM pin_attempts WHERE subject = ?", [subject])
            return Attempt(person=checked.person)
        failed = failures(self.db, subject) + 1
        self.db.execute(
            "INSERT INTO pin_attempts(subject, failures) VALUES (?, ?)"
            " ON CONFLICT(subject) DO UPDATE SET failures = excluded.failures",
            [subject, failed],
        )
        wait, locked = wait_after(failed)
        return Attempt(failures=failed, wait=wait, locked=locked)

    def remember(self, subject: str, attempt: Attempt, *, at: float) -> None:
        """Keep the wait a written attempt starts, from `at` (after any wait for the lock)."""
        if attempt.ok:
            self._until.pop(subject, None)
        elif attempt.wait:
            self._until[subject] = at + attempt.wait


@dataclass(frozen=True)
class Checked:
    """A PIN checked without writing: `attempt` when that is the verdict already (typed
    during a wait, nobody with a PIN), else `person` is whom it opens (None: wrong)."""

    attempt: Attempt | None
    person: str | None = None


# The demo's staff PIN, published in the README like its manager PIN (data/demo/show.toml).
DEMO_STAFF_PIN = "1357"


def set_demo_pins(db: sqlite_utils.Database, *, now: datetime | None = None) -> None:
    """In the demo, every salesperson without a PIN gets the published one (its managers
    have the show file's, `MANAGER_DEFAULT`). Only for a database that *is* the demo."""
    have = {r[0] for r in db.execute("SELECT person_id FROM pins")}
    for (pid,) in db.execute("SELECT id FROM salespeople WHERE role = 'sales'").fetchall():
        if pid not in have:
            set_pin(db, pid, DEMO_STAFF_PIN, now=now, allow_weak=True)
