"""The columns each CRM's importer expects, for leads, check-ins, disputes and owner updates.

Standard fields use the labels the CRMs' own import tools map automatically: a Salesforce
Lead import ("First Name", "Last Name", "Company", "Lead Owner", "Rating" with its
Hot/Warm/Cold values, "Lead Source"), a HubSpot contact import ("Email", "Company Name",
"Country/Region", "Contact owner" holding the owner's email, "Lifecycle Stage") and an Odoo
CRM lead import ("Opportunity", "Contact Name", "Salesperson" by name, "Priority", and an
"External ID" so that importing the same file twice updates instead of duplicating).
The Salesforce and HubSpot leads files have one row per visitor, combining their leads
(`PER_VISITOR`); the generic and Odoo ones one per lead. What a CRM has no standard field
for — products of interest, who brought the visitor, the suggested split, the first-seen
time — goes in clearly named extra columns that the person importing maps to a custom
field (or skips). Check-ins become activities (a Salesforce task, a HubSpot note, an Odoo
activity); owner updates are update imports of the owner field (see OWNERS). Times in
CRM files are UTC 'YYYY-MM-DD HH:MM:SS'.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from kiosk.models import PERSON_FIELDS
from kiosk.safety import safe_cell

Row = dict[str, Any]
Column = tuple[str, Callable[[Row], Any]]
WHATS = ("leads", "checkins", "disputes", "owners")
FORMATS = ("generic", "salesforce", "hubspot", "odoo")
# The formats whose leads file has one row per visitor, combining their leads
# (`kiosk.sync.lead_visitors`): their importers keep one record per e-mail, and rows of
# one person overwrite each other. Generic and Odoo have one row per lead.
PER_VISITOR = ("salesforce", "hubspot")
# How a person reads each kind in a message ("Wrote 3 owner updates to …").
LABELS = {"owners": "owner updates"}


def label(what: str) -> str:
    return LABELS.get(what, what)


def counted(what: str, fmt: str, rows: int, leads: int) -> str:
    """'3 owner updates', '2 leads', or for a leads file of one row per visitor
    '1 visitor(s) (2 leads)'."""
    if what == "leads" and fmt in PER_VISITOR:
        return f"{rows} visitor(s) ({leads} leads)"
    return f"{rows} {label(what)}"


def k(key: str) -> Callable[[Row], Any]:
    return lambda r: r.get(key)


def booth_name(key: str) -> Callable[[Row], Any]:
    """A first or last name for a record the booth made, '' for one the CRM keyed: the kiosk
    keeps a CRM contact's name as one string, and splitting it again ('José Martínez Núñez'
    → 'José Martínez' / 'Núñez') would rename the contact in an update import. An empty
    cell leaves the CRM's own fields as they are."""
    return lambda r: "" if r.get("crm_id") else r.get(key)


def utc_text(value: Any) -> str:
    """ISO text with an offset → UTC 'YYYY-MM-DD HH:MM:SS' (what CRM importers parse, and
    what docs/sync.md promises of every time in a CRM file); '' for none."""
    if not value:
        return ""
    try:
        dt = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return str(value)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def utc(key: str) -> Callable[[Row], str]:
    """The column of `key`'s time as `utc_text`."""
    return lambda r: utc_text(r.get(key))


def claim(prefix: str) -> Callable[[Row], str]:
    """A dispute's claim as 'kiosk-b at 2026-11-24 09:30:00' (its kiosk, and its time as
    every time in the file: `utc_text`) from the row's `<prefix>_kiosk` and `<prefix>_at`;
    '' when the row has no such claim."""

    def get(r: Row) -> str:
        kiosk, at = r.get(f"{prefix}_kiosk") or "", utc_text(r.get(f"{prefix}_at"))
        return f"{kiosk} at {at}" if kiosk and at else kiosk or at

    return get


def date_only(key: str) -> Callable[[Row], str]:
    full = utc(key)
    return lambda r: full(r)[:10]


def percent(key: str) -> Callable[[Row], str]:
    return lambda r: "" if r.get(key) is None else f"{round(r[key] * 100)}%"


def products(sep: str) -> Callable[[Row], str]:
    return lambda r: sep.join(r.get("products") or ())


def description(r: Row) -> str:
    """Notes (only with consent) and the products, for a CRM's one free-text field."""
    parts = []
    if r.get("products"):
        parts.append("Interested in: " + ", ".join(r["products"]))
    if r.get("notes"):
        parts.append(r["notes"])
    return "\n".join(parts)


def visit_note(r: Row) -> str:
    text = f"Visited the booth at {r['source']}"
    if r.get("called_name"):
        text += f"; the kiosk called {r['called_name']} ({r.get('rule') or 'rule'})"
    if r.get("received_name"):
        text += f"; received by {r['received_name']}"
    if r.get("invited_by_name"):
        text += f"; invited by {r['invited_by_name']}"
    return text


_PRIORITY = {"hot": "High", "warm": "Medium", "cold": "Low"}

# The generic files' times are written as the CRM files' are (`utc_text`), and as the
# generic disputes and owners files write theirs: one way a person or a script reads them.
_TIMES = frozenset(("filed_at", "first_seen", "checked_in_at", "received_at"))


def _generic(key: str) -> Callable[[Row], Any]:
    return utc(key) if key in _TIMES else k(key)


LEADS: dict[str, list[Column]] = {
    "generic": [
        (h, products(";") if h == "products" else _generic(h))
        for h in (
            "lead_id",
            "contact_id",
            "crm_id",
            *PERSON_FIELDS,
            "rating",
            "products",
            "notes",
            "consent",
            "owner_email",
            "owner_name",
            "routed_to_email",
            "brought_by_email",
            "assistant_email",
            "suggested_split",
            "split_status",
            "dispute",
            "source",
            "kiosk",
            "first_seen",
            "filed_at",
            "rule",
            "reason",
        )
    ],  # fmt: skip
    "salesforce": [
        ("First Name", k("first_name")),
        ("Last Name", k("last_name")),
        ("Company", lambda r: r.get("company") or "[not provided]"),  # required by Salesforce
        ("Title", k("title")),
        ("Email", k("email")),
        ("Phone", k("phone")),
        ("City", k("city")),
        ("Country", k("country_name")),
        ("Lead Source", k("source")),
        ("Rating", lambda r: (r.get("rating") or "").capitalize()),
        ("Lead Status", lambda r: "Open - Not Contacted"),
        ("Lead Owner", k("owner_email")),
        ("Description", description),
        ("Products of Interest", products(";")),
        ("Brought By", k("brought_by_email")),
        ("Assistant", k("assistant_email")),
        ("Suggested Split", percent("suggested_split")),
        ("First Seen", utc("first_seen")),
        ("Contact ID", k("crm_id")),
        ("Kiosk Lead ID", k("lead_id")),
    ],
    "hubspot": [
        ("Record ID", k("crm_id")),
        ("First Name", booth_name("first_name")),
        ("Last Name", booth_name("last_name")),
        ("Email", k("email")),
        ("Phone Number", k("phone")),
        ("Company Name", k("company")),
        ("Job Title", k("title")),
        ("City", k("city")),
        ("Country/Region", k("country_name")),
        ("Contact owner", k("owner_email")),
        ("Lifecycle Stage", lambda r: "Lead"),
        ("Lead Status", lambda r: "New"),
        ("Lead Rating", lambda r: (r.get("rating") or "").capitalize()),
        ("Products of Interest", products(";")),
        ("Trade Show", k("source")),
        ("Booth Notes", k("notes")),
        ("Brought By", k("brought_by_email")),
        ("Assistant", k("assistant_email")),
        ("Suggested Split", percent("suggested_split")),
        ("First Seen", utc("first_seen")),
        ("Kiosk Lead ID", k("lead_id")),
    ],
    "odoo": [
        ("External ID", lambda r: "kiosk_lead_" + r["lead_id"].replace("-", "")),
        ("Opportunity", lambda r: f"{r['source']}: {r.get('company') or r.get('name')}"),
        ("Contact Name", k("name")),
        ("Company Name", k("company")),
        ("Job Position", k("title")),
        ("Email", k("email")),
        ("Phone", k("phone")),
        ("City", k("city")),
        ("Country", k("country_name")),
        ("Salesperson", k("owner_name")),
        ("Priority", lambda r: _PRIORITY.get(r.get("rating") or "", "")),
        ("Tags", products(",")),
        ("Source", k("source")),
        ("Notes", description),
        ("Brought By", k("brought_by_name")),
        ("Assistant", k("assistant_name")),
        ("Suggested Split", percent("suggested_split")),
        ("First Seen", utc("first_seen")),
    ],
}

CHECKINS: dict[str, list[Column]] = {
    "generic": [
        (h, _generic(h))
        for h in (
            "checkin_id",
            "contact_id",
            "crm_id",
            "name",
            "company",
            "email",
            "country",
            "checked_in_at",
            "kiosk",
            "called_email",
            "rule",
            "reason",
            "invited_by_email",
            "brought_by_email",
            "status",
            "received_by_email",
            "received_at",
            "source",
        )
    ],  # fmt: skip
    "salesforce": [  # a Task on the contact
        ("Subject", lambda r: f"Booth visit: {r['source']}"),
        ("Due Date", date_only("checked_in_at")),
        ("Status", lambda r: "Completed"),
        ("Assigned To", lambda r: r.get("received_by_email") or r.get("called_email")),
        ("Contact ID", k("crm_id")),
        ("Email", k("email")),
        ("Comments", visit_note),
        ("Checked In At", utc("checked_in_at")),
        ("Kiosk Check-in ID", k("checkin_id")),
    ],
    "hubspot": [  # a Note on the contact, associated by Record ID or email
        ("Record ID", k("crm_id")),
        ("Email", k("email")),
        ("First Name", booth_name("first_name")),
        ("Last Name", booth_name("last_name")),
        ("Activity date", utc("checked_in_at")),
        ("Activity assigned to", lambda r: r.get("received_by_email") or r.get("called_email")),
        ("Note body", visit_note),
        ("Kiosk Check-in ID", k("checkin_id")),
    ],
    "odoo": [  # a scheduled activity on the contact
        ("External ID", lambda r: "kiosk_checkin_" + r["checkin_id"].replace("-", "")),
        ("Summary", lambda r: f"Booth visit: {r['source']}"),
        ("Due Date", date_only("checked_in_at")),
        ("Assigned to", lambda r: r.get("received_name") or r.get("called_name")),
        ("Contact", k("name")),
        ("Email", k("email")),
        ("Note", visit_note),
    ],
}

# Every item the manager had to settle (two kiosks' claims, lapses and other reassignments,
# assistants, the customer's preference, reviews), each with its kind: the report counts
# them all as won or lost, and this file is the manager's record of them. `status` is the
# item's (open, approved, rejected, outdated); `outcome` says how it was settled (kept,
# given, shared, customer, deferred), and `owner_after`, `assistant` and `split` what the
# decision left — "approved" alone told a share from a customer given away by nothing.
_DISPUTE_KEYS = (
    "proposal_id", "kind", "status", "outcome", "contact_id", "crm_id", "name", "company",
    "email", "country", "current_owner_email", "claimed_by_email", "first_claim",
    "other_claim", "reason", "raised_at", "decided_at", "decided_by", "owner_after_email",
    "assistant_email", "split", "decision_note",
)  # fmt: skip
_DISPUTE_LABELS = {  # the owner, the claimant, the owner after, the assistant
    "salesforce": ("Contact Owner", "Claimed By", "Owner After Decision", "Assistant"),
    "hubspot": ("Contact owner", "Claimed by", "Owner after decision", "Assistant"),
    "odoo": ("Salesperson", "Claimed by", "Salesperson after decision", "Assistant"),
}


def _label(key: str) -> str:
    """'proposal_id' → 'Proposal ID', 'crm_id' → 'CRM ID', 'raised_at' → 'Raised at'."""
    words = key.split("_")
    words = [{"id": "ID", "crm": "CRM"}.get(w, w) for w in words]
    return " ".join([words[0][:1].upper() + words[0][1:], *words[1:]])


def _dispute_value(key: str) -> Callable[[Row], Any]:
    """A dispute column's value: its times (the claims' too) in UTC as `utc_text` writes them."""
    if key in ("first_claim", "other_claim"):
        return claim(key)
    if key in ("raised_at", "decided_at"):
        return utc(key)
    return k(key)


def _dispute_columns(fmt: str) -> list[Column]:
    """Disputes are for the manager, not an import: one layout, each CRM's owner label."""
    if fmt == "generic":
        return [(h, _dispute_value(h)) for h in _DISPUTE_KEYS]
    people = dict(
        zip(
            ("current_owner", "claimed_by", "owner_after", "assistant"),
            _DISPUTE_LABELS[fmt],
            strict=True,
        )
    )
    by_name = fmt == "odoo"
    cols: list[Column] = []
    for key in _DISPUTE_KEYS:
        who = key.removesuffix("_email")
        if who in people:
            cols.append((people[who], k(f"{who}_name" if by_name else key)))
        else:
            cols.append((_label(key), _dispute_value(key)))
    return cols


def _record_type(r: Row) -> str:
    return "Lead" if r.get("record") == "lead" else "Contact"


def _owner_if(record: str, key: str) -> Callable[[Row], Any]:
    return lambda r: r.get(key) if r.get("record") == record else ""


def _odoo_key(r: Row) -> str:
    """Odoo updates a record by External ID: the CRM's, or the one the leads file gave."""
    if r.get("crm_id"):
        return str(r["crm_id"])
    return "kiosk_lead_" + r["lead_id"].replace("-", "") if r.get("lead_id") else ""


# Owner updates: the manager's approved decisions, back to the CRM. One row per contact,
# keyed the way the CRM matches an update (its id, else the email; for a visitor filed at
# the booth, the lead the leads file created), the owner under the label its importer
# maps (Salesforce's Contact Owner for a contact, Lead Owner for a booth lead), and the
# assistant and split — which no CRM has a standard field for — in named extra columns.
OWNERS: dict[str, list[Column]] = {
    "generic": [
        (h, utc(h) if h == "decided_at" else k(h))
        for h in (
            "contact_id",
            "crm_id",
            "record",
            "lead_id",
            "name",
            "company",
            "email",
            "owner_email",
            "owner_name",
            "previous_owner_email",
            "assistant_email",
            "assistant_name",
            "split",
            "change",
            "decisions",
            "decided_at",
            "decided_by",
            "decision_note",
            "source",
        )
    ],  # fmt: skip
    "salesforce": [
        ("Record Type", _record_type),
        ("Contact ID", k("crm_id")),
        ("Email", k("email")),
        ("First Name", booth_name("first_name")),
        ("Last Name", booth_name("last_name")),
        ("Company", k("company")),
        ("Contact Owner", _owner_if("contact", "owner_email")),
        ("Lead Owner", _owner_if("lead", "owner_email")),
        ("Previous Owner", k("previous_owner_email")),
        ("Assistant", k("assistant_email")),
        ("Split", percent("split")),
        ("Change", k("change")),
        ("Decided At", utc("decided_at")),
        ("Decided By", k("decided_by")),
        ("Decision Note", k("decision_note")),
        ("Kiosk Lead ID", k("lead_id")),
    ],
    "hubspot": [
        ("Record ID", k("crm_id")),
        ("Email", k("email")),
        ("First Name", booth_name("first_name")),
        ("Last Name", booth_name("last_name")),
        ("Company Name", k("company")),
        ("Contact owner", k("owner_email")),
        ("Previous owner", k("previous_owner_email")),
        ("Assistant", k("assistant_email")),
        ("Split", percent("split")),
        ("Change", k("change")),
        ("Decision date", utc("decided_at")),
        ("Decided by", k("decided_by")),
        ("Decision note", k("decision_note")),
    ],
    "odoo": [
        ("External ID", _odoo_key),
        ("Record Type", _record_type),
        ("Name", k("name")),
        ("Company Name", k("company")),
        ("Email", k("email")),
        ("Salesperson", k("owner_name")),
        ("Previous Salesperson", k("previous_owner_name")),
        ("Assistant", k("assistant_name")),
        ("Split", percent("split")),
        ("Change", k("change")),
        ("Decided On", utc("decided_at")),
        ("Decided By", k("decided_by")),
        ("Decision Note", k("decision_note")),
    ],
}


def columns(what: str, fmt: str) -> list[Column]:
    if what == "leads":
        return LEADS[fmt]
    if what == "checkins":
        return CHECKINS[fmt]
    if what == "owners":
        return OWNERS[fmt]
    return _dispute_columns(fmt)


def cell(value: Any) -> str:
    """Text for one CSV cell; defuses spreadsheet formulas in untrusted text (`safe_cell`).

    A badge or note starting with '=' (or '@', or a '+'/'-' that is not a phone number)
    would run as a formula when the file is opened in Excel; a leading apostrophe makes
    it plain text. Phone numbers like '+86 138…' are left alone.
    """
    return safe_cell(value)
