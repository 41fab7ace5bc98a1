"""A merge's leads decided from what the merge knows, and written a table at a time.

A kiosk's day is mostly check-ins, "received" marks and leads. The check-ins and marks go
in batches (`appliers.CheckinBatch`); a lead applied on its own (`appliers._lead`) costs
eight statements or so — is this visitor known by e-mail, badge or name, who owns them,
has anyone claimed them, who filed first, is the dispute already on the manager's list —
and then its inserts: a quarter of a 100,000-event merge, profiled.

`LeadRun` decides each lead exactly as `_lead` would, from two sources: what the database
said (each question asked once per key while the run lasts) and what the run's own leads
did (the contacts they created, the leads, aliases, badges and manager items they filed),
which it remembers. Its writes are queued and run with one `executemany` per statement,
table by table in the leads' order, before the check-ins' batch (its `before_flush`).
That is the same database as applying them one by one because:

- within a table the rows go in the leads' order (rowids, `OR IGNORE`, the rotation
  tally's trigger: as before), and across tables a parent row is written before its
  children (contacts, then badges, aliases, leads, the tally, manager items);
- a lead reads nothing a check-in or mark writes; a check-in reads the aliases and the
  contacts' ids, so a lead that creates an id that a check-in waiting in the batch names
  (that check-in came first, and did not find it) writes the batch first;
- the database answers only change through the run's own writes, which the run knows:
  for an e-mail or a badge, the database's first answer is older than anything the run
  created (lower rowid, or filed first); a name match the run may have created, a tie
  between two earliest leads, or a claim on a contact the run has unwritten leads for is
  asked of the database after writing what is queued;
- any other event — a walk-in, a decision, a check-in raising an item, a lead filed on a
  contact the kiosk had (`contact_id`) or found there with items to raise (they may ask
  about an owner it no longer has: `appliers._add_proposals`) — writes what is queued
  first and makes the run forget what it knows (`forget`); it is applied on its own.

An error in any of it (a value a table refuses, a contact id already taken) reaches the
merge, which applies every event again one by one under its own savepoint, as before.
The property tests in tests/core/test_merge_leads.py compare both ways row for row.
"""

from __future__ import annotations

from typing import Any

import sqlite_utils

from kiosk.events import disputes
from kiosk.events.appliers import (
    _ROTATION_SQL,
    ALIAS_SQL,
    BADGE_SQL,
    BY_BADGE_SQL,
    BY_EMAIL_SQL,
    DUPLICATE_SQL,
    FIRST_LEAD_SQL,
    LEAD_SQL,
    PROPOSAL_SQL,
    TAKEOVER_SQL,
    CheckinBatch,
    booth_contact_row,
    claim_state,
    contact_insert_sql,
    dispute,
    item_key,
    lead_params,
    new_lead_contact,
    one_id,
    proposal_params,
    takeover_params,
    visitor_by_name,
)
from kiosk.events.log import Event
from kiosk.text import fold, normalize_email

# The order the queued tables are written in: parents before the rows naming them.
_TABLES = ("contacts", "contact_badges", "contact_aliases", "leads", "rotation", "proposals")


class LeadRun:
    """Leads of a merge decided in memory and written together (see the module)."""

    def __init__(self, db: sqlite_utils.Database, batch: CheckinBatch) -> None:
        self.db = db
        self.batch = batch
        batch.before_flush = self.write
        self.queued: dict[str, list[tuple[str, tuple[Any, ...]]]] = {t: [] for t in _TABLES}
        self.forget()

    def forget(self) -> None:
        """Drop what the run knows (something else changed the tables); nothing queued."""
        # the database's answers, per key
        self.by_email: dict[str, str | None] = {}
        self.by_badge: dict[str, str | None] = {}
        self.by_name: dict[tuple[str, str], str | None] = {}
        self.claims: dict[str, list[Any]] = {}  # contact → [a walk-in nobody claimed, owner]
        self.duplicate: dict[str, bool] = {}  # item key → an open or rejected item
        self.covered: dict[tuple[str, Any], bool] = {}
        # whether the database has any open or rejected item, any arrangement: a fresh
        # office database has none, and then no item needs asking about
        self.any_items: bool | None = None
        self.any_arrangements: bool | None = None
        # what the run's leads did
        self.created: dict[str, Any] = {}  # contact → its owner as stored
        self.emails: dict[str, str] = {}  # e-mail → the first contact created with it
        self.badges: dict[str, str] = {}  # badge → the contact it was first filed under
        self.nameless: set[tuple[str, str]] = set()  # (name, company) of those without e-mail
        self.leads: dict[str, list[tuple[str, str]]] = {}  # created contact → (at, kiosk)s
        self.unwritten: set[str] = set()  # contacts not created here with leads queued
        self.items: set[str] = set()  # item keys raised

    def add(self, event: Event) -> bool:
        """Decide a lead and queue its rows (True); False for one `_lead` must apply."""
        p = event.payload
        if p.get("contact_id"):
            return False
        c = dict(p["contact"])
        owner = p.get("owner_id")
        existing = None if p.get("distinct") else self._existing_visitor(c)
        proposals = list(p.get("proposals", []))
        if existing is not None and existing not in self.created and proposals:
            return False  # `_lead` decides whether its items ask about another owner
        if any(prop.get("evidence", {}).get("same_as_id") for prop in proposals):
            return False  # a namesake dispute the CRM may answer: `_lead` asks (rare)
        if existing is None:
            contact_id = c.get("id") or f"L-{event.uuid}"
            prepared, badges = booth_contact_row(contact_id, c, new_lead_contact(event, owner))
            self._before_creating(contact_id)
            self._queue("contacts", contact_insert_sql(prepared), tuple(prepared.values()))
            for badge in badges:
                self._queue("contact_badges", BADGE_SQL, (badge, contact_id))
                self.badges.setdefault(badge, contact_id)
            self.created[contact_id] = prepared["owner_id"]
            if email := prepared["email_norm"]:
                self.emails.setdefault(email, contact_id)
            else:
                self.nameless.add((fold(prepared["name"]), fold(prepared["company"])))
            self.leads[contact_id] = []
        else:
            contact_id = existing
            walked_in, current_owner = self._claim_state(existing)
            alias = c.get("id") or f"L-{event.uuid}"
            self._before_creating(alias)
            self._queue("contact_aliases", ALIAS_SQL, (alias, existing))
            if walked_in:  # a walk-in completed into a lead: the first claim on the visitor
                self._queue("contacts", TAKEOVER_SQL, takeover_params(event, owner, existing))
                self.claims[existing][1] = owner
            elif owner and current_owner and owner != current_owner:
                first = self._first_lead(existing)
                proposals.append(dispute(event, current_owner, owner, first))
            if existing in self.claims:
                self.claims[existing][0] = False
        self._queue("leads", LEAD_SQL, lead_params(event, contact_id))
        if contact_id in self.leads:
            self.leads[contact_id].append((event.ts, event.kiosk_id))
        else:
            self.unwritten.add(contact_id)
        rule_id = p.get("territory_rule_id")
        if rule_id is not None and owner is not None:  # as `appliers.count_rotation`
            self._queue("rotation", _ROTATION_SQL, (rule_id, owner, contact_id))
        for i, prop in enumerate(proposals):
            proposed = prop.get("proposed_id")
            key = item_key(contact_id, prop["kind"], proposed)
            if key in self.items or self._duplicate(key) or self._covered(contact_id, proposed):
                continue
            self._queue("proposals", PROPOSAL_SQL,
                        proposal_params(event, i, prop, contact_id, event.uuid, key))  # fmt: skip
            self.items.add(key)
        return True

    def write(self) -> None:
        """Run the queued statements, table by table, each in the leads' order."""
        conn = self.db.conn
        for rows in self.queued.values():
            start = 0
            for i in range(1, len(rows) + 1):
                if i == len(rows) or rows[i][0] != rows[start][0]:
                    conn.executemany(rows[start][0], [r[1] for r in rows[start:i]])
                    start = i
            rows.clear()
        self.unwritten.clear()

    def _queue(self, table: str, sql: str, params: tuple[Any, ...]) -> None:
        self.queued[table].append((sql, params))

    def _flush(self) -> None:
        """Write what is queued, and the check-ins waiting in the batch after it."""
        self.batch.flush()

    def _before_creating(self, contact_id: str) -> None:
        """A check-in waiting in the batch that names `contact_id` came before the lead
        creating it, and must not find it: written first."""
        if contact_id in self.batch.named:
            self._flush()

    def _existing_visitor(self, c: dict[str, Any]) -> str | None:
        """`appliers._existing_visitor`, from the database's answers and the run's own."""
        email = normalize_email(c.get("email"))
        if email:
            if email not in self.by_email:
                self.by_email[email] = one_id(self.db, BY_EMAIL_SQL, email)
            if found := self.by_email[email] or self.emails.get(email):
                return found
        badge = (c.get("badge_id") or "").strip()
        if badge:
            if badge not in self.by_badge:
                self.by_badge[badge] = one_id(self.db, BY_BADGE_SQL, badge)
            if found := self.by_badge[badge] or self.badges.get(badge):
                return found
        name, company = fold(c.get("name")), fold(c.get("company"))
        if not name:
            return None
        if (name, company) in self.nameless:  # which one comes first is SQLite's to say
            self._flush()
            return visitor_by_name(self.db, name, company)
        if (name, company) not in self.by_name:
            self.by_name[name, company] = visitor_by_name(self.db, name, company)
        return self.by_name[name, company]

    def _claim_state(self, contact_id: str) -> tuple[bool, Any]:
        if contact_id in self.created:
            return False, self.created[contact_id]  # its own lead claimed it
        if contact_id not in self.claims:
            self.claims[contact_id] = list(claim_state(self.db, contact_id))
        walked_in, owner = self.claims[contact_id]
        return walked_in, owner

    def _first_lead(self, contact_id: str) -> Any:
        """The earliest lead on the contact: (kiosk, time), or None."""
        if contact_id in self.created:
            leads = self.leads[contact_id]
            first = min(leads) if leads else None
            if first is not None and sum(1 for at, _ in leads if at == first[0]) == 1:
                return (first[1], first[0])
            # no lead, or two at the earliest time: SQLite's order says which
        if contact_id in self.unwritten or contact_id in self.created:
            self._flush()
        return self.db.execute(FIRST_LEAD_SQL, [contact_id]).fetchone()

    def _duplicate(self, key: str) -> bool:
        """An open or rejected item of this key in the database (the run's own are in
        `items`, written or not)."""
        if self.any_items is None:
            self.any_items = self._any(
                "SELECT 1 FROM proposals WHERE status IN ('open', 'rejected') LIMIT 1"
            )
        if not self.any_items:
            return False
        if key not in self.duplicate:
            self.duplicate[key] = self.db.execute(DUPLICATE_SQL, [key]).fetchone() is not None
        return self.duplicate[key]

    def _covered(self, contact_id: str, proposed: Any) -> bool:
        if self.any_arrangements is None:
            self.any_arrangements = self._any("SELECT 1 FROM arrangements LIMIT 1")
        if not self.any_arrangements:
            return False
        if (contact_id, proposed) not in self.covered:
            self.covered[contact_id, proposed] = disputes.covered(self.db, contact_id, proposed)
        return self.covered[contact_id, proposed]

    def _any(self, sql: str) -> bool:
        return self.db.execute(sql).fetchone() is not None
