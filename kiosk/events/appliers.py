"""How each kind of booth event changes the materialized tables (`APPLIERS`, at the end).

Appliers must be deterministic functions of (current tables, event): `rebuild` and
`merge_events` rely on replaying the same log in the same order giving the same tables.
They never read the clock; every time they write comes from the event itself.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from itertools import groupby
from typing import Any

import sqlite_utils

from kiosk import routing, words
from kiosk.contact_rows import prepare_contact
from kiosk.db import BOOTH_DECIDED, BOOTH_ROWS, last_rowid
from kiosk.events import disputes, undo
from kiosk.events.log import Event, stamp_words
from kiosk.models import Proposal
from kiosk.store import get_contact
from kiosk.text import fold, normalize_email

# SQL that returns the booth tables to what the CRM import alone says, run by `rebuild`
# before it replays the log.
RESETS: tuple[str, ...] = (
    "DELETE FROM proposals",
    "DELETE FROM leads",
    "DELETE FROM checkins",
    "DELETE FROM contact_aliases",
    # These two read only the rows they change, through partial indexes (m013) whose
    # WHERE is theirs word for word.
    f"DELETE FROM contacts WHERE {BOOTH_ROWS}",
    "UPDATE contacts SET owner_id = crm_owner_id, assistant_id = crm_assistant_id,"
    f" split = crm_split, preferred_id = crm_preferred_id WHERE {BOOTH_DECIDED}",
    "UPDATE salespeople SET away = crm_away WHERE away <> crm_away",
    "DELETE FROM invitations",
    "DELETE FROM dispute_notes",
    "DELETE FROM arrangements",
    "DELETE FROM undone_decisions",
    "DELETE FROM meta WHERE key = 'badges.learned_fields'",
    # the leads and check-ins they counted are gone (`count_rotation`)
    "DELETE FROM rotation_tally",
    "DELETE FROM rotation_visitors",
)


_ROTATION_SQL = (
    "INSERT INTO rotation_visitors(territory_rule_id, owner_id, contact_id, rows)"
    " VALUES (?, ?, ?, 1) ON CONFLICT DO UPDATE SET rows = rows + 1"
)


def count_rotation(db: sqlite_utils.Database, rule_id: Any, owner_id: Any, contact_id: str) -> None:
    """A lead or walk-in check-in routed by territory rule `rule_id` to `owner_id`: one
    visitor more for that rule and person in the round-robin's tally, unless this visitor
    was already counted there (`kiosk.db.m015_rotation_tally`). Called right after the
    row is written, by the only two appliers that write a territory rule."""
    if rule_id is not None and owner_id is not None:
        db.conn.execute(_ROTATION_SQL, (rule_id, owner_id, contact_id))


def item_key(contact_id: str | None, kind: str, proposed_id: str | None) -> str:
    """The stable identity of a manager item: (contact, kind, proposed person)."""
    return f"{contact_id or ''}|{kind}|{proposed_id or ''}"


PROPOSAL_SQL = (
    "INSERT INTO proposals(id, kind, contact_id, lead_id, current_id, proposed_id, split,"
    " reason, evidence, status, created_at, item_key)"
    " VALUES (?,?,?,?,?,?,?,?,?, 'open', ?, ?)"
)
# the item a proposal repeats: open, or rejected (not raised again for the same person);
# not one a decision made out of date (`disputes.close_outdated`): it asked about an owner
# the customer no longer has, and the same proposal against the owner now is a new item
DUPLICATE_SQL = (
    "SELECT 1 FROM proposals WHERE item_key = ? AND status IN ('open', 'rejected')"
    f" AND outcome IS NOT '{disputes.OUTDATED}'"
)


def proposal_params(
    event: Event, i: int, p: dict[str, Any], contact_id: str, lead_id: str | None, key: str
) -> tuple[Any, ...]:
    """The `proposals` row of an event's `i`-th proposal (`PROPOSAL_SQL`)."""
    return (
        f"{event.uuid}:{i}",
        p["kind"],
        contact_id,
        lead_id,
        p.get("current_id"),
        p.get("proposed_id"),
        p.get("split"),
        p.get("reason", ""),
        json.dumps(p.get("evidence", {}), ensure_ascii=False, sort_keys=True),
        event.ts,
        key,
    )


def _add_proposals(
    db: sqlite_utils.Database,
    event: Event,
    contact_id: str,
    proposals: list[dict[str, Any]],
    lead_id: str | None = None,
) -> None:
    """Store a decision's proposals as manager items, one per stable key.

    The same proposal raised by a rescan, or by another kiosk (seen after a merge), is the
    item already open; one the manager rejected is not raised again for the same person,
    nor one between two people the manager's workbench already settled (`disputes.covered`).
    One raised against another owner than the customer has (on an older picture: before a
    CRM re-import, or at a kiosk that had not seen a decision merged before it) is closed as
    it is raised, once per item: settled by the CRM import when the owner is the CRM's
    (`disputes.settled_by_crm`), else out of date as the decision would have closed it
    (`disputes.outdated_by_decision`).
    """
    owner, by_crm = disputes.holder(db, contact_id) if proposals else (None, False)
    for i, p in enumerate(proposals):
        key = item_key(contact_id, p["kind"], p.get("proposed_id"))
        duplicate = db.execute(DUPLICATE_SQL, [key]).fetchone()
        if duplicate or disputes.covered(db, contact_id, p.get("proposed_id")):
            continue
        stale = owner if disputes.asks_another_owner(p, owner) else None
        closing = None
        answered = None if stale is not None else disputes.crm_answers(db, contact_id, p, event.ts)
        if answered is not None:
            if db.execute(disputes.CRM_DUPLICATE_SQL, [key]).fetchone():
                continue  # the same question, answered already: that item
        elif stale is not None:
            if by_crm:
                again = db.execute(disputes.CRM_DUPLICATE_SQL, [key]).fetchone()
            else:
                closing = disputes.outdated_by_decision(db, contact_id, stale, event.ts)
                again = db.execute(
                    disputes.OUTDATED_DUPLICATE_SQL, [key, disputes.OUTDATED, *closing[::2]]
                ).fetchone()
            if again:
                continue  # the same old question, closed already: that item
        item_id = f"{event.uuid}:{i}"
        db.execute(PROPOSAL_SQL, proposal_params(event, i, p, contact_id, lead_id, key))
        if closing is not None:
            disputes.close_raised_outdated(db, item_id, closing)
        elif stale is not None:
            disputes.settled_by_crm(db, item_id, stale, event.ts)
        elif answered is not None:
            disputes.settled_by_crm(db, item_id, p.get("current_id") or "", event.ts, why=answered)


def resolve_contact(db: sqlite_utils.Database, contact_id: str) -> str:
    """The id a contact has now: itself, or the visitor it was merged into (rule 6)."""
    row = db.execute(
        "SELECT contact_id FROM contact_aliases WHERE alias = ?", [contact_id]
    ).fetchone()
    return row[0] if row else contact_id


# A check-in names the visitor by the id its kiosk knew (`resolve_contact`). The alias
# lookup is folded into the INSERT: check-ins are most of a merge, and per event a
# statement's Python round trip costs more than the lookup itself.
_CHECKIN_SQL = (
    "INSERT INTO checkins(id, contact_id, at, kiosk_id, owner_id, rule, reason, invited_by,"
    " brought_by) VALUES (?, COALESCE((SELECT contact_id FROM contact_aliases WHERE alias = ?),"
    " ?), ?, ?, ?, ?, ?, ?, ?)"
)
# The same without its last two parameters, for a check-in nobody invited or brought (most
# of them): the statement writes NULL for them. The sqlite3 module binds a None through its
# adapter lookup, ~0.2 µs more than a text (measured, Python 3.11). `CheckinBatch.flush`
# picks the statement by the length of each row's parameters.
_CHECKIN_UNINVITED_SQL = _CHECKIN_SQL.removesuffix("?, ?)") + "NULL, NULL)"
_CHECKIN_BY_LENGTH = {10: _CHECKIN_SQL, 8: _CHECKIN_UNINVITED_SQL}


def _checkin_params(event: Event) -> tuple[Any, ...]:
    p = event.payload
    contact_id = p["contact_id"]
    return (
        event.uuid,
        contact_id,
        contact_id,
        event.ts,
        event.kiosk_id,
        p.get("owner_id"),
        p.get("rule", ""),
        p.get("reason", ""),
        p.get("invited_by"),
        p.get("brought_by"),
    )


def _checkin(db: sqlite_utils.Database, event: Event) -> None:
    # the connection's own: the hottest statement of a merge
    db.conn.execute(_CHECKIN_SQL, _checkin_params(event))
    if proposals := event.payload.get("proposals"):
        _add_proposals(db, event, resolve_contact(db, event.payload["contact_id"]), proposals)


class CheckinBatch:
    """Check-ins that raise no manager item, written with one `executemany` per run, and
    plain "received" marks with another at the end of the run.

    Most of a merge or a hub pull is plain check-ins and marks, and per event a statement's
    Python round trip costs about as much as the write itself. Such a check-in writes one
    `checkins` row and reads only `contact_aliases`, which no check-in writes, so a run of
    them may be inserted together — provided the run is flushed before any other event
    is applied (`add` does it) and at the end (`flush`). A plain mark only sets the status
    of its own check-in (by id, while 'waiting'), which no applier reads, so the run's
    marks may follow its check-ins, in their order — unless the mark's check-in comes later
    in the same run (a mark stamped before its check-in finds nothing in its place): then
    the run is flushed before that check-in joins. An applier's error then comes from the
    flush, still inside the caller's transaction or savepoint."""

    def __init__(self, db: sqlite_utils.Database, size: int = 1000) -> None:
        self.db = db
        self.size = size
        self.rows: list[tuple[Any, ...]] = []
        self.marks: list[tuple[Any, ...]] = []
        self.marked: set[Any] = set()  # the check-ins the run's marks name
        self.named: set[Any] = set()  # the contact ids the run's check-ins name
        # Called first by `flush`: a merge's leads (`kiosk.events.leads.LeadRun`) queued
        # before these check-ins are written before them.
        self.before_flush: Callable[[], None] | None = None

    def add(self, event: Event) -> bool:
        """Take the event if it is a plain check-in or "received" mark (True); else flush,
        and False: the caller applies it."""
        p = event.payload
        if event.kind == "checkin" and not p.get("proposals"):
            self._add_checkin(_checkin_params(event))
            return True
        if event.kind == "checkin.received" and not p.get("proposals"):
            self._add_mark(p["checkin_id"], p.get("by"), event.ts)
            return True
        self.flush()
        return False

    def _add_checkin(self, params: tuple[Any, ...]) -> None:
        """Queue a check-in's `_CHECKIN_SQL` parameters; nobody invited or brought (the
        last two None): only the first eight, for `_CHECKIN_UNINVITED_SQL`."""
        if params[0] in self.marked:
            self.flush()
        if params[8] is None and params[9] is None:
            params = params[:8]
        self.rows.append(params)
        self.named.add(params[1])
        if len(self.rows) >= self.size:
            self.flush()

    def add_plain(self, row: tuple[Any, ...], values: tuple[Any, ...]) -> None:
        """A stored row that `validate.plain_values` read, with the values it read: a
        plain check-in or "received" mark joins the run (what their appliers would do with
        the decoded event, without decoding it)."""
        uuid, kiosk_id, ts, kind = row[0], row[1], row[2], row[6]
        if kind == "checkin":
            contact_id, owner, rule, reason, invited, brought = values
            self._add_checkin(
                (uuid, contact_id, contact_id, ts, kiosk_id, owner, rule, reason, invited, brought)
            )
            return
        checkin_id, by = values
        self._add_mark(checkin_id, by, ts)

    def _add_mark(self, checkin_id: Any, by: Any, ts: str) -> None:
        self.marks.append((by, ts, checkin_id))
        self.marked.add(checkin_id)
        if len(self.marks) >= self.size:
            self.flush()

    def flush(self) -> None:
        if self.before_flush is not None:
            self.before_flush()
        if self.rows:
            conn = self.db.conn
            for length, run in groupby(self.rows, len):  # in their order
                conn.executemany(_CHECKIN_BY_LENGTH[length], run)
            self.rows.clear()
            self.named.clear()
        if self.marks:
            self.db.conn.executemany(_RECEIVED_SQL, self.marks)
            self.marks.clear()
            self.marked.clear()


_RECEIVED_SQL = (
    "UPDATE checkins SET status = 'received', received_by = ?, received_at = ?"
    " WHERE id = ? AND status = 'waiting'"
)


def _received(db: sqlite_utils.Database, event: Event) -> None:
    p = event.payload
    db.execute(_RECEIVED_SQL, [p.get("by"), event.ts, p["checkin_id"]])
    if p.get("proposals"):
        row = db.execute(
            "SELECT contact_id FROM checkins WHERE id = ?", [p["checkin_id"]]
        ).fetchone()
        if row:
            _add_proposals(db, event, row[0], p["proposals"])


_WALKIN_CHECKIN_SQL = (
    "INSERT INTO checkins(id, contact_id, at, kiosk_id, owner_id, rule, reason,"
    " territory_rule_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)


def booth_contact_row(
    contact_id: str, c: dict[str, Any], extra: dict[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    """The `contacts` row of a visitor the booth met (a walk-in or a lead: `source =
    'booth'`), and the badge ids to file under it."""
    row = {
        "id": contact_id,
        "name": c.get("name") or "",
        "company": c.get("company") or "",
        "title": c.get("title") or "",
        "email": c.get("email") or "",
        "phone": c.get("phone") or "",
        "country": c.get("country"),
        "city": c.get("city") or "",
        "language": c.get("language"),
        "source": "booth",
        "badge_ids": [c["badge_id"]] if c.get("badge_id") else [],
        **extra,
    }
    prepared = prepare_contact(row)
    prepared["crm_owner_id"] = None
    badges = prepared.pop("badge_ids", None) or []
    return prepared, badges


def contact_insert_sql(prepared: dict[str, Any]) -> str:
    # plain SQL: sqlite-utils' insert re-reads the table schema every call
    return f"INSERT INTO contacts ({', '.join(prepared)}) VALUES ({', '.join('?' * len(prepared))})"


BADGE_SQL = "INSERT OR IGNORE INTO contact_badges(badge_id, contact_id) VALUES (?, ?)"
ALIAS_SQL = "INSERT OR IGNORE INTO contact_aliases(alias, contact_id) VALUES (?, ?)"


def _new_booth_contact(
    db: sqlite_utils.Database, contact_id: str, c: dict[str, Any], extra: dict[str, Any]
) -> None:
    """Insert a visitor the booth met (a walk-in or a lead) as a `source = 'booth'` contact."""
    prepared, badges = booth_contact_row(contact_id, c, extra)
    db.execute(contact_insert_sql(prepared), list(prepared.values()))
    for badge in badges:
        db.execute(BADGE_SQL, [badge, contact_id])


def _walkin(db: sqlite_utils.Database, event: Event) -> None:
    """An unknown visitor scanned at reception: a booth contact (made once) and a check-in.

    The same walk-in scanned at two entrances is one visitor, matched by badge id or e-mail:
    the later scan names the first one's contact. The routed owner is who reception called;
    it is not a claim, so no dispute can come of it (`_lead` settles claims).
    """
    p = event.payload
    c = dict(p.get("contact") or {})
    own_id = f"W-{event.uuid}"
    existing = _existing_visitor(db, c)
    if existing is None:
        contact_id = own_id
        _new_booth_contact(db, contact_id, c, {"owner_id": p.get("owner_id")})
    else:
        contact_id = existing
        db.execute(ALIAS_SQL, [own_id, existing])
    rule_id = p.get("territory_rule_id") if existing is None else None
    db.execute(
        _WALKIN_CHECKIN_SQL,
        [event.uuid, contact_id, event.ts, event.kiosk_id, p.get("owner_id"), p.get("rule", ""),
         p.get("reason", ""), rule_id],
    )  # fmt: skip
    count_rotation(db, rule_id, p.get("owner_id"), contact_id)
    if proposals := p.get("proposals"):
        _add_proposals(db, event, contact_id, proposals)


def claim_state(db: sqlite_utils.Database, contact_id: str) -> tuple[bool, Any]:
    """Whether the contact is a booth contact no lead has claimed yet (a walk-in: the first
    lead takes it over), and its owner now: one read for what a lead needs to know."""
    row = db.execute(
        "SELECT source = 'booth' AND NOT EXISTS (SELECT 1 FROM leads WHERE contact_id = ?),"
        " owner_id FROM contacts WHERE id = ?",
        [contact_id, contact_id],
    ).fetchone()
    return (bool(row[0]), row[1]) if row else (False, None)


# The contact an e-mail address names: a CRM one before a booth one, then the oldest.
# `email_norm <> ''` lets SQLite use the partial index contacts_email.
BY_EMAIL_SQL = (
    "SELECT id FROM contacts WHERE email_norm = ? AND email_norm <> ''"
    " ORDER BY source = 'booth', rowid LIMIT 1"
)
BY_BADGE_SQL = "SELECT contact_id FROM contact_badges WHERE badge_id = ?"


def one_id(db: sqlite_utils.Database, sql: str, key: str) -> str | None:
    """The id `sql` (one parameter, one column) finds for `key`, or None."""
    row = db.execute(sql, [key]).fetchone()
    return str(row[0]) if row else None


def visitor_by_name(db: sqlite_utils.Database, name: str, company: str) -> str | None:
    """A booth visitor who left no e-mail, by folded name and company."""
    # `search` starts with the folded name (contact_rows.contact_search_text), so this
    # range on the contacts_booth_visitor index finds every candidate; fold decides.
    for cid, n, co in db.execute(
        "SELECT id, name, company FROM contacts WHERE source = 'booth' AND email_norm = ''"
        " AND search >= ? AND search < ?",
        [name, name + "\U0010ffff"],
    ):
        if fold(n) == name and fold(co) == company:
            return str(cid)
    return None


def _existing_visitor(db: sqlite_utils.Database, c: dict[str, Any]) -> str | None:
    """The contact a new lead is about, if the kiosk (or another kiosk) already has them."""
    email = normalize_email(c.get("email"))
    if email and (found := one_id(db, BY_EMAIL_SQL, email)):
        return found
    badge = (c.get("badge_id") or "").strip()
    if badge and (found := one_id(db, BY_BADGE_SQL, badge)):
        return found
    name, company = fold(c.get("name")), fold(c.get("company"))
    return visitor_by_name(db, name, company) if name else None


def new_lead_contact(event: Event, owner: Any) -> dict[str, Any]:
    """What a lead that finds no existing visitor files on the new contact."""
    p = event.payload
    consented = bool(p.get("consent"))
    return {
        "owner_id": owner,
        "filed_at": event.ts,
        "first_contact_by": owner,
        "first_contact_at": event.ts,
        "notes": (p.get("notes") or "") if consented else "",
        "consent": 1 if consented else 0,
    }


TAKEOVER_SQL = (
    "UPDATE contacts SET owner_id = ?, filed_at = ?, first_contact_by = ?,"
    " first_contact_at = ?, notes = CASE WHEN ? THEN ? ELSE notes END,"
    " consent = max(consent, ?) WHERE id = ?"
)


def takeover_params(event: Event, owner: Any, existing: str) -> tuple[Any, ...]:
    """A walk-in completed into a lead (`TAKEOVER_SQL`): the lead is the first claim."""
    p = event.payload
    consented = bool(p.get("consent"))
    return (owner, event.ts, owner, event.ts, consented, p.get("notes") or "",
            1 if consented else 0, existing)  # fmt: skip


FIRST_LEAD_SQL = "SELECT kiosk_id, at FROM leads WHERE contact_id = ? ORDER BY at LIMIT 1"


def dispute(event: Event, current_owner: Any, owner: Any, first: Any) -> dict[str, Any]:
    """Rule 6: a later claim by another person on a visitor already owned, for the manager;
    `first` is the earliest lead's (kiosk, time), if any."""
    earlier = f"first filed at {first[0]} on {stamp_words(first[1])}" if first else "already known"
    return {
        "kind": "dispute",
        "current_id": current_owner,
        "proposed_id": owner,
        "reason": f"Also filed at {event.kiosk_id} on {stamp_words(event.ts)}; {earlier}."
        " Earliest claim stands until the manager decides.",
        "evidence": {"claim_kiosk": event.kiosk_id, "claim_ts": event.ts},
    }


LEAD_SQL = (
    "INSERT INTO leads(id, contact_id, at, kiosk_id, rating, products, notes, consent,"
    " brought_by, owner_id, rule, reason, territory_rule_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)"
)


def lead_params(event: Event, contact_id: str) -> tuple[Any, ...]:
    p = event.payload
    return (
        event.uuid,
        contact_id,
        event.ts,
        event.kiosk_id,
        p.get("rating", "warm"),
        json.dumps(p.get("products", []), ensure_ascii=False),
        (p.get("notes") or "") if p.get("consent") else "",
        1 if p.get("consent") else 0,
        p.get("brought_by"),
        p.get("owner_id"),
        p.get("rule", ""),
        p.get("reason", ""),
        p.get("territory_rule_id"),
    )


def _lead(db: sqlite_utils.Database, event: Event) -> None:
    """A new lead: create the visitor (or find them), store the lead, raise any dispute.

    Rule 6 lives here: replay runs in time order, so when the visitor already exists the
    earlier claim already owns them; a later claim for someone else becomes a dispute for
    the manager, and its lead row is kept — nothing is dropped. A merge applies its leads
    with `kiosk.events.leads.LeadRun`, which must decide exactly as this does.
    """
    p = event.payload
    c = dict(p["contact"])
    owner = p.get("owner_id")
    existing = None
    if p.get("contact_id"):  # filed on a contact the kiosk had (a walk-in, `--attach`)
        target = resolve_contact(db, p["contact_id"])
        if db.execute("SELECT 1 FROM contacts WHERE id = ?", [target]).fetchone():
            existing = target
    if existing is None and not p.get("distinct"):
        existing = _existing_visitor(db, c)
    proposals = list(p.get("proposals", []))
    walked_in, current_owner = (False, None) if existing is None else claim_state(db, existing)
    if existing is None:
        contact_id = c.get("id") or f"L-{event.uuid}"
        _new_booth_contact(db, contact_id, c, new_lead_contact(event, owner))
    elif walked_in:
        # A walk-in completed into a lead: the lead is the first claim on this visitor.
        contact_id = existing
        if c.get("id") or not p.get("contact_id"):
            db.execute(ALIAS_SQL, [c.get("id") or f"L-{event.uuid}", existing])
        db.execute(TAKEOVER_SQL, takeover_params(event, owner, existing))
    else:
        contact_id = existing
        if not p.get("contact_id"):
            db.execute(ALIAS_SQL, [c.get("id") or f"L-{event.uuid}", existing])
        if owner and current_owner and owner != current_owner:
            first = db.execute(FIRST_LEAD_SQL, [contact_id]).fetchone()
            proposals.append(dispute(event, current_owner, owner, first))
    db.execute(LEAD_SQL, lead_params(event, contact_id))
    count_rotation(db, p.get("territory_rule_id"), owner, contact_id)
    _add_proposals(db, event, contact_id, proposals, lead_id=event.uuid)


def _decided(db: sqlite_utils.Database, event: Event) -> None:
    """The manager's decision. Only the first decision on a proposal counts.

    What an approval does to the contact is the routing engine's call
    (`routing.decide_proposal`); this only reads and writes the rows.
    """
    p = event.payload
    # the item by id, else (another kiosk raised the same item first: after a merge it is
    # that one) by key; open, or settled by the CRM since (`disputes.open_item`)
    found = disputes.open_item(db, p["proposal_id"], p.get("key"))
    if found is None:
        return
    cols = "id, kind, contact_id, current_id, proposed_id, split, status, reason"
    row = db.execute(f"SELECT {cols} FROM proposals WHERE id = ?", [found[0]]).fetchone()
    proposal_id, kind, contact_id, current, proposed, split, _, reason = row
    approve = bool(p.get("approve"))
    contact = get_contact(db, contact_id) if contact_id else None
    if approve and contact is not None:
        proposal = Proposal(kind, proposed, current, reason, split)
        try:
            after = routing.decide_proposal(contact, proposal, True, assign_to=p.get("assign_to"))
        except ValueError:
            after = contact
        db.execute(
            "UPDATE contacts SET owner_id = ?, assistant_id = ?, split = ?, preferred_id = ?"
            " WHERE id = ?",
            [after.owner_id, after.assistant_id, after.split, after.preferred_id, contact_id],
        )
    db.execute(
        "UPDATE proposals SET status = ?, decided_at = ?, decided_by = ?, decision_note = ?"
        " WHERE id = ?",
        [
            "approved" if approve else "rejected",
            event.ts,
            event.actor,
            p.get("note", ""),
            proposal_id,
        ],
    )
    if approve and contact is not None:
        disputes.close_outdated(db, contact_id, event, proposal_id)


def _preference(db: sqlite_utils.Database, event: Event) -> None:
    p = dict(event.payload)
    p["contact_id"] = resolve_contact(db, p["contact_id"])
    db.execute(
        "UPDATE contacts SET preferred_id = ? WHERE id = ?", [p["preferred_id"], p["contact_id"]]
    )
    row = db.execute("SELECT owner_id FROM contacts WHERE id = ?", [p["contact_id"]]).fetchone()
    owner = row[0] if row else None
    if owner != p["preferred_id"]:
        _add_proposals(
            db,
            event,
            p["contact_id"],
            [
                {
                    "kind": "preference",
                    "current_id": owner,
                    "proposed_id": p["preferred_id"],
                    "reason": p.get("reason") or "The customer asked for this salesperson.",
                }
            ],
        )


def _away(db: sqlite_utils.Database, event: Event) -> None:
    p = event.payload
    db.execute(
        "UPDATE salespeople SET away = ? WHERE id = ?",
        [1 if p.get("away") else 0, p["salesperson_id"]],
    )


def _sent(db: sqlite_utils.Database, event: Event) -> None:
    p = event.payload
    db.execute(
        "INSERT OR IGNORE INTO invitations(id, contact_id, salesperson_id, issued_at, token,"
        " language, email, kiosk_id) VALUES (?,?,?,?,?,?,?,?)",
        [
            event.uuid,
            resolve_contact(db, p["contact_id"]),
            p["salesperson_id"],
            p.get("issued_at") or event.ts,
            p.get("token", ""),
            p.get("language", ""),
            p.get("email", ""),
            event.kiosk_id,
        ],
    )


def _add_words(text: str) -> str:
    """SQL counting the typo vocabulary's words of `text` (braces kept for `str.format`)."""
    return words.add_sql(words.WORDS, text).replace("{", "{{").replace("}", "}}")


# While a replay defers the search index (and the typo vocabulary, `kiosk.words`), the contacts it inserts (rowids above the
# largest before it) wait for one INSERT … SELECT at its end. Should it delete one of them
# or change its `search`, the row is indexed first (and noted, so the end skips it): the
# database's own delete/update triggers then find it in the index as usual.
_DEFER_FTS = (
    "CREATE TEMP TABLE replay_fts_early (id INTEGER PRIMARY KEY)",
    *(
        f"CREATE TEMP TRIGGER replay_fts_{name} BEFORE {change} ON main.contacts"
        " WHEN old.rowid > {before} AND old.rowid NOT IN (SELECT id FROM replay_fts_early)"
        " BEGIN INSERT INTO contacts_fts(rowid, search) VALUES (old.rowid, old.search);"
        f" {_add_words('old.search')}"
        " INSERT INTO replay_fts_early(id) VALUES (old.rowid); END"
        for name, change in (("bd", "DELETE"), ("bu", "UPDATE OF search"))
    ),
)
_UNDEFER_FTS = (
    "INSERT INTO contacts_fts(rowid, search) SELECT rowid, search FROM contacts"
    " WHERE rowid > {before} AND rowid NOT IN (SELECT id FROM replay_fts_early)",
    words.add_rows_sql(
        words.WORDS, "c.rowid > {before} AND c.rowid NOT IN (SELECT id FROM replay_fts_early)"
    ),
    "DROP TRIGGER temp.replay_fts_bd",
    "DROP TRIGGER temp.replay_fts_bu",
    "DROP TABLE temp.replay_fts_early",
)


@contextmanager
def _defer_search_index(db: sqlite_utils.Database) -> Iterator[None]:
    """Index the contacts a replay creates in one statement at its end, not one by one.

    FTS5 writes its pending terms to disk at the end of every statement, so each booth
    contact inserted through the `contacts_fts_ai` trigger adds a tiny index segment (and
    later the merging of them): ~40 µs of a ~50 µs insert, while indexing the same rows in
    one INSERT … SELECT costs ~7 µs each. No applier reads the index, so deferring it to
    the end of the replay's transaction changes nothing they see. New rows are found by
    rowid: SQLite numbers a new row one past the largest, unless the largest possible is
    taken (then this does not defer). Nor when the trigger is absent (inside
    `kiosk.db.bulk_contacts`, which rebuilds the whole index). Statement by statement,
    not `executescript`, which would COMMIT first.
    """
    trigger = db.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'contacts_fts_ai'"
    ).fetchone()
    before = last_rowid(db, "contacts")
    if trigger is None or before >= 2**63 - 1:
        yield
        return
    db.execute("DROP TRIGGER contacts_fts_ai")
    for sql in _DEFER_FTS:
        db.execute(sql.format(before=before))
    undo = [sql.format(before=before) for sql in _UNDEFER_FTS] + [trigger[0]]
    try:
        yield
    except BaseException:
        with suppress(sqlite3.Error):  # the caller's ROLLBACK undoes all of this anyway
            for sql in undo:
                db.execute(sql)
        raise
    for sql in undo:
        db.execute(sql)


def _layout(db: sqlite_utils.Database, event: Event) -> None:
    """The manager confirmed the show's badge layout learnt from its scans: it is in force
    from now on (`kiosk.show.show_config` reads it), on every kiosk the event reaches."""
    fields = [str(f) for f in event.payload.get("fields") or []]
    if fields:
        db.execute(
            "INSERT INTO meta(key, value) VALUES ('badges.learned_fields', ?)"
            " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [json.dumps(fields)],
        )


def _pin_failed(db: sqlite_utils.Database, event: Event) -> None:
    """A wrong PIN at the booth screen: kept in the log for the manager to read (who was
    tried, how often, whether it locked them out); it changes no booth table. The count
    that drives the back-off is the kiosk's own (`kiosk.pins`), not rebuilt from the log."""


Applier = Callable[[sqlite_utils.Database, Event], None]

# What each kind of event does to the booth tables: one literal table, so every kind is
# visible in one place and a replay knows them all without importing anything else.
# Keyed by `str`: an event merged from a newer kiosk may carry a kind this one lacks (`apply`
# refuses it); the test suite checks the keys are exactly the `EventKind`s.
APPLIERS: dict[str, Applier] = {
    "checkin": _checkin,
    "checkin.received": _received,
    "walkin.arrived": _walkin,
    "lead.created": _lead,
    "proposal.decided": _decided,
    "contact.preference": _preference,
    "salesperson.away": _away,
    "invitation.sent": _sent,
    "badges.layout": _layout,
    "dispute.note": disputes.apply_note,
    "dispute.decided": disputes.apply_decided,
    "dispute.review": disputes.apply_review,
    "dispute.undone": undo.apply_undone,
    "pin.failed": _pin_failed,
}

# Context managers entered around a replay of many events (a merge, a rebuild): for work
# that is cheaper once per replay than once per event. They must leave the tables exactly
# as applying the events one by one would.
REPLAY_SCOPES: tuple[Callable[[sqlite_utils.Database], AbstractContextManager[None]], ...] = (
    _defer_search_index,
)
# The kinds whose appliers do the work the scopes put off (they insert booth contacts). A
# merge or pull without any skips the scopes: `_defer_search_index` changes the schema
# (a trigger dropped and made again), which makes every other connection to the file —
# the booth screen's scan lookups — prepare its statements again.
SCOPED_KINDS = frozenset({"walkin.arrived", "lead.created"})
