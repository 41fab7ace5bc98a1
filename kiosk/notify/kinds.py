"""Which events tell someone something, whom, and in what words: one literal table.

`NOTIFIERS` maps an event kind to a function of (database, event, the show's language)
returning the notices it raises, each worded in its recipient's language
(`kiosk.notify.wording`). A new kind is one entry: a dispute decision tells both salespeople, an arrival tells
the visitor's owner and the approved assistant. The functions read the tables *after* the
event was applied (the check-in row, the contact's names) and never the clock.

`visitor` and `identity` say which notices are "the same arrival": one notice per visitor
and recipient per repeat window, whichever kiosk scanned (`kiosk.notify.outbox`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import sqlite_utils

from kiosk.notify.wording import PHRASES, language_for, phrase, visitor
from kiosk.store import first_badge
from kiosk.text import fold

# The visit service's repeat window (`kiosk.visits.REPEAT_WINDOW`, a layer above; a test
# checks they agree): a second scan of the same visitor within it is the same arrival.
REPEAT_WINDOW = timedelta(minutes=10)


@dataclass(frozen=True)
class Notice:
    """One thing to tell one salesperson."""

    recipient: str  # salesperson id
    title: str
    body: str
    visitor: str | None = None  # the contact, for "one per visitor per repeat window"
    at_utc: str = ""  # when it happened (the event's replay time)
    identity: str | None = None  # the visitor as every kiosk names them (`visitor_identity`)


@dataclass(frozen=True)
class EventRow:
    uuid: str
    kind: str
    kiosk_id: str
    ts_utc: str
    payload: str


def visitor_identity(db: sqlite_utils.Database, contact_id: str) -> str:
    """The visitor as every kiosk names them, for the hub's "one per visitor" claims.

    A CRM contact's id is the same on every kiosk. A walk-in (or a lead) becomes a booth
    contact named after the event that met them (`W-<uuid>`), so two kiosks that meet the
    same walk-in before they sync hold two ids for one person — and without this, two
    notifications. They are matched as the appliers match them once synced
    (`appliers._existing_visitor`): by e-mail, else badge id, else name and company."""
    row = db.execute(
        "SELECT source, email_norm, name, company FROM contacts WHERE id = ?", [contact_id]
    ).fetchone()
    if row is None or row[0] != "booth":
        return contact_id
    source, email, name, company = row
    if email:
        return f"email:{email}"
    badge = first_badge(db, contact_id)
    if badge:
        return f"badge:{badge}"
    return f"name:{fold(name)}|{fold(company)}"


def _arrival(db: sqlite_utils.Database, event: EventRow, show_lang: str) -> list[Notice]:
    """A visitor checked in (scan, search) or a walk-in routed: their owner and assistant."""
    row = db.execute(
        "SELECT c.id, c.name, c.company, k.owner_id, c.assistant_id FROM checkins k"
        " JOIN contacts c ON c.id = k.contact_id WHERE k.id = ?",
        [event.uuid],
    ).fetchone()
    if row is None:
        return []
    contact_id, name, company, owner, assistant = row
    identity = visitor_identity(db, contact_id)
    # a walk-in scanned from a bare badge id has no name: its badge id says who it is
    badge = "" if (name or "").strip() else first_badge(db, contact_id) or ""
    notices = []
    for person in [p for p in dict.fromkeys((owner, assistant)) if p]:
        lang = language_for(db, person, show_lang)
        title = phrase(lang, "arrived", who=visitor(lang, name, company, badge))
        body = phrase(
            lang, "arrived.owner" if person == owner else "arrived.assistant", title=title
        )
        notices.append(Notice(person, title, body, contact_id, event.ts_utc, identity))
    return notices


def _decision(db: sqlite_utils.Database, event: EventRow, show_lang: str) -> list[Notice]:
    """The manager settled a dispute: everyone it concerns hears the outcome."""
    try:
        p = json.loads(event.payload)
    except ValueError:
        return []
    contact = db.execute(
        "SELECT c.name, c.company FROM proposals r JOIN contacts c ON c.id = r.contact_id"
        " WHERE r.id = ?",
        [p.get("proposal_id")],
    ).fetchone()
    owner = db.execute("SELECT name FROM salespeople WHERE id = ?", [p.get("owner_id")]).fetchone()
    word = f"outcome.{p.get('outcome')}"
    if word not in PHRASES["en"]:
        word = "outcome.other"
    return _settled(db, event, show_lang, p, "decided", contact, owner, p.get("note"), word)


def _undone(db: sqlite_utils.Database, event: EventRow, show_lang: str) -> list[Notice]:
    """The manager took a decision back: everyone it concerned hears that the item is open
    again, and who owns the customer now (the CRM may give them to someone else than before
    the decision: "again" would not be true)."""
    try:
        p = json.loads(event.payload)
    except ValueError:
        return []
    contact = db.execute(
        "SELECT name, company FROM contacts WHERE id = ?", [p.get("contact_id")]
    ).fetchone()
    owner = db.execute("SELECT name FROM salespeople WHERE id = ?", [p.get("owner_id")]).fetchone()
    return _settled(db, event, show_lang, p, "undone", contact, owner, p.get("reason"))


def _settled(
    db: sqlite_utils.Database, event: EventRow, show_lang: str, p: dict[str, Any], kind: str,
    contact: Any, owner: Any, said: Any, outcome: str | None = None,
) -> list[Notice]:  # fmt: skip
    """A decision's or an undo's notice (`kind` 'decided' or 'undone') to each person it
    concerns, in their language: about whom, the outcome word if any, who owns the
    customer now, and the manager's note or reason."""
    notices = []
    for person in [str(x) for x in p.get("notify") or [] if x]:
        lang = language_for(db, person, show_lang)
        about = visitor(lang, contact[0], contact[1]) if contact else ""
        title = phrase(lang, kind, about=about) if about else phrase(lang, f"{kind}.bare")
        words = {"outcome": phrase(lang, outcome)} if outcome else {}
        body = phrase(lang, f"{kind}.body", title=title, **words)
        if owner:
            body += phrase(lang, f"{kind}.owner", name=owner[0])
        if said:
            body += f". {said}"
        notices.append(Notice(person, title, body, None, event.ts_utc))
    return notices


# (database, event, the show's language) -> the notices, each worded for its recipient.
Notifier = Callable[[sqlite_utils.Database, EventRow, str], list[Notice]]

NOTIFIERS: dict[str, Notifier] = {
    "checkin": _arrival,
    "walkin.arrived": _arrival,
    "dispute.decided": _decision,
    "dispute.undone": _undone,
}
