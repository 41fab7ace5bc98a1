"""A database that fails while the booth screen runs: one clear line, never a traceback.

The file can become read-only (a full disk, a USB stick pulled), locked (a long merge from
another program) or damaged while the app is open. Textual ends the app with a traceback for
an exception no handler caught, and a screen whose handler raised stops hearing messages.
`DatabaseGuard` (mixed into the app and every kiosk screen) catches the database's errors at
the point Textual dispatches a message, says what happened on screen, and carries on; the
scan path keeps and retries its scans (`kiosk.ui.scanning`).
"""

from __future__ import annotations

import sqlite3
from typing import Any

from textual.message import Message

from kiosk.db import DatabaseError
from kiosk.keyfile import KeyFileError
from kiosk.ui.context import kiosk_app
from kiosk.ui.messages import DatabaseDamaged

DB_ERRORS: tuple[type[BaseException], ...] = (sqlite3.Error, DatabaseError, KeyFileError)


def is_db_error(exc: BaseException) -> bool:
    return isinstance(exc, DB_ERRORS)


def is_locked(exc: BaseException) -> bool:
    """Whether another program holds the database's lock (it passes: try again soon), as
    opposed to a file that cannot take writes at all."""
    code = getattr(exc, "sqlite_errorcode", None)  # SQLite's own errors carry it
    if isinstance(code, int):
        return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    low = str(exc).lower()
    return "locked" in low or "busy" in low


DAMAGE_WORDS = ("malformed", "not a database", "corrupt")


def is_damage(exc: BaseException) -> bool:
    """SQLite says the file itself is damaged (not locked, read-only or full): copying it
    now and checking it is what helps, not waiting."""
    low = str(exc).lower()
    return is_db_error(exc) and any(word in low for word in DAMAGE_WORDS)


def describe(exc: BaseException) -> str:
    """The error in a few words a receptionist can pass on (one line, no traceback)."""
    text = " ".join(str(exc).split())[:160]
    low = text.lower()
    if "readonly" in low or "read-only" in low:
        return "the database file is read-only"
    if "locked" in low or "busy" in low:
        return "the database is locked by another program"
    if any(word in low for word in DAMAGE_WORDS):
        return "the database file is damaged"
    if "disk" in low or "full" in low:
        return f"the disk: {text}"
    return text or type(exc).__name__


def report(node: Any, exc: BaseException) -> None:
    """Tell the person at the screen (and the log) that the database failed."""
    app = kiosk_app(node)
    app.log.error(f"database error: {exc!r}")
    # (not `error.database`: that one says a scan is kept and retried, and this is no scan)
    app.notify(
        app.t("error.database_now", error=describe(exc)), severity="error", timeout=10,
        markup=False,
    )  # fmt: skip
    damage_seen(node, exc)


def damage_seen(node: Any, exc: BaseException) -> None:
    """A damaged file found by a scan, a lead or a screen's read: the same lasting warning
    as the background check's (`kiosk.ui.integrity`), not only a toast that goes. Told to
    the app itself (a screen closing as it failed would not pass it on)."""
    if is_damage(exc):
        kiosk_app(node).post_message(DatabaseDamaged(str(exc)))


class DatabaseGuard:
    """Mixed in before Textual's class: a message whose handler hit a database error is
    reported instead of ending the app (or silencing the screen that handled it)."""

    async def _dispatch_message(self, message: Message) -> None:
        try:
            await super()._dispatch_message(message)  # type: ignore[misc]
        except DB_ERRORS as exc:
            report(self, exc)
