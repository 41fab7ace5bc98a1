"""The one base class of every error a person can fix.

A `KioskError`'s message is written for the person at the keyboard: a missing database, an
unknown salesperson, a malformed CSV row with its line number. Front-ends catch this one
class in one place (the CLI's `user_errors`, the sync pipeline, the TUI's actions) and show
the message as one line; anything else is a bug and keeps its traceback for the log.

Subclasses also derive from the built-in exception they used to be (ValueError for bad
input, RuntimeError for an unusable database) so existing `except ValueError` keeps working.
"""

from __future__ import annotations


class KioskError(Exception):
    """An error a person can fix; `str(error)` tells them what and how."""
