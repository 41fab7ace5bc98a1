"""`kiosk export`: leads, check-ins, disputes and owner updates as CSVs for the CRM.

Every row says who owns the visitor *now* (after the manager's decisions; while a dispute
is open, the earliest claim — rule 6), and lead notes appear only with the visitor's
consent. Owners, assistants and splits come from the contact alone — what the CRM said,
changed only by the manager's approvals — never from an open proposal: open proposals
reach the manager through the disputes file, and approved ones reach the CRM through the
owner updates (`owners`: one row per contact whose owner, assistant or split a decision
changed). Files are UTF-8 with a BOM and CRLF line ends, so Excel shows Chinese correctly.

`new=True` exports only rows no earlier export of the same kind and format contained.
The watermark is the event log's rowid — the order in which *this* database stored
events — not their timestamps: a kiosk merged late brings events from the morning, and a
time watermark would skip them forever. A dispute counts as new again when anything it
depends on arrives (the other claim, or the manager's decision), so a late merge that
turns an exported lead into a dispute still reaches the manager.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any

import sqlite_utils

from kiosk.clock import show_zone
from kiosk.config import ShowConfig
from kiosk.countries import country_name
from kiosk.db import get_meta, last_rowid, set_meta, transaction
from kiosk.events.disputes import OUTDATED
from kiosk.safety import csv_writer
from kiosk.store import DECISIONS_NEWEST_FIRST, load_salespeople
from kiosk.sync import SyncError
from kiosk.sync.export_formats import FORMATS, PER_VISITOR, WHATS, columns
from kiosk.sync.lead_visitors import combine
from kiosk.sync.values import parse_date
from kiosk.text import family_and_given


@dataclass(frozen=True)
class ExportResult:
    what: str
    fmt: str
    path: Path
    rows: int
    new_only: bool
    since: str | None
    watermark: int
    leads: int = 0  # the leads in the rows: more than rows when a row is a visitor's leads

    def summary(self) -> dict[str, Any]:
        out = {"what": self.what, "format": self.fmt, "file": str(self.path), "rows": self.rows,
               "new_only": self.new_only, "since": self.since}  # fmt: skip
        if self.what == "leads":
            out["leads"] = self.leads
        return out


def watermark_key(what: str, fmt: str) -> str:
    return f"export.{what}.{fmt}.watermark"


def since_utc(text: str, zone: tzinfo = UTC) -> str:
    """'2026-11-24', '2026-11-24 14:00' or full ISO → the UTC ISO text events are ordered by.

    A time without an offset is the show's (`zone`), as every screen shows it: read as
    UTC, `--since 09:00` in Berlin left out a check-in the card said was at 09:44."""
    try:
        iso = parse_date(text, "DMY")
    except ValueError:
        iso = None
    if not iso:
        raise SyncError(
            f"--since: not a date or time: {text!r} (e.g. 2026-11-24 or 2026-11-24T14:00)"
        )
    dt = datetime.fromisoformat(iso)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=zone)
    return dt.astimezone(UTC).isoformat(timespec="microseconds")


def split_name(name: str) -> tuple[str, str]:
    """(first, last) for CRMs that need them apart: 'Ana María Ruiz' → ('Ana María', 'Ruiz'),
    '佐藤 健' → ('健', '佐藤') (`kiosk.text.family_and_given`)."""
    family, given = family_and_given(name)
    return given, family


class _People:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self.all = load_salespeople(db)

    def email(self, sid: str | None) -> str:
        sp = self.all.get(sid or "")
        return (sp.email or sp.id) if sp else (sid or "")

    def name(self, sid: str | None) -> str:
        sp = self.all.get(sid or "")
        return sp.name if sp else (sid or "")

    def put(self, r: dict[str, Any], prefix: str, sid: str | None) -> None:
        """The row's `<prefix>_email` and `<prefix>_name` for salesperson `sid` ('' for none)."""
        r[f"{prefix}_email"], r[f"{prefix}_name"] = self.email(sid), self.name(sid)


def _rows(db: sqlite_utils.Database, sql: str, params: list[Any]) -> Iterator[dict[str, Any]]:
    cur = db.execute(sql, params)
    cols = [c[0] for c in cur.description]
    for r in cur:
        yield dict(zip(cols, r, strict=True))


def _country_name(code: str | None) -> str:
    if not code:
        return ""

    return country_name(code, "en")


def _contact_fields(r: dict[str, Any]) -> None:
    r["first_name"], r["last_name"] = split_name(r.get("name") or "")
    r["country_name"] = _country_name(r.get("country"))


# A manager item's state in a file: open, approved, rejected, or out of date (closed by a
# later decision that left the customer with another owner: `events.disputes.close_outdated`).
_STATUS = f"CASE WHEN p.outcome = '{OUTDATED}' THEN '{OUTDATED}' ELSE p.status END"


def _stored_after(after: int, since: str | None) -> tuple[str, list[Any]]:
    """The WHERE clause (on events `e`) and its parameters for the rows of events stored after
    the watermark `after`, and stamped at or after `since` when given."""
    if since:
        return " WHERE e.rowid > ? AND e.ts_utc >= ?", [after, since]
    return " WHERE e.rowid > ?", [after]


# Every lead stored after a watermark (and since a time): `{where}` from `_stored_after`.
_LEAD_SQL = (
    "SELECT l.id AS lead_id, l.contact_id, l.at AS filed_at, l.kiosk_id AS kiosk, l.rating,"
    " l.products, l.notes, l.consent, l.brought_by, l.owner_id AS routed_to, l.rule, l.reason,"
    " c.crm_id, c.name, c.company, c.title, c.email, c.phone, c.country, c.city, c.language,"
    " c.owner_id, c.assistant_id, c.split, e.rowid AS seq, e.ts_utc AS stamped,"
    " (SELECT min(x.ts_utc) FROM events x JOIN checkins k ON k.id = x.uuid"
    "   WHERE k.contact_id = l.contact_id) AS first_checkin,"
    " (SELECT min(x.ts_utc) FROM events x JOIN leads m ON m.id = x.uuid"
    "   WHERE m.contact_id = l.contact_id) AS first_lead,"
    f" (SELECT {_STATUS} FROM proposals p WHERE p.kind = 'dispute' AND p.contact_id = l.contact_id"
    "   ORDER BY p.status = 'open' DESC, p.created_at DESC LIMIT 1) AS dispute"
    " FROM leads l JOIN contacts c ON c.id = l.contact_id JOIN events e ON e.uuid = l.id"
    "{where} ORDER BY e.ts_utc, l.id"
)


def _lead_row(r: dict[str, Any], people: _People) -> dict[str, Any]:
    """A lead's row from `_LEAD_SQL`, with the contact's owner, assistant and names."""
    _contact_fields(r)
    r["products"] = json.loads(r["products"] or "[]")
    r["notes"] = r["notes"] if r["consent"] else ""
    r["consent"] = bool(r["consent"])
    people.put(r, "owner", r["owner_id"])
    r["routed_to_email"] = people.email(r["routed_to"])
    people.put(r, "brought_by", r["brought_by"])
    # Only what the contact holds: the CRM's assistant or the one the manager approved.
    # An open assistant proposal is a question for the manager, not a fact for the CRM.
    assistant = r["assistant_id"]
    people.put(r, "assistant", assistant)
    r["suggested_split"] = r["split"] if assistant else None
    r["split_status"] = "approved" if assistant else ""
    r["dispute"] = r["dispute"] or ""
    firsts = [t for t in (r["first_checkin"], r["first_lead"]) if t]
    r["first_seen"] = min(firsts) if firsts else r["filed_at"]
    return r


def lead_rows(
    db: sqlite_utils.Database, people: _People, after: int, since: str | None
) -> Iterator[dict[str, Any]]:
    """One row per lead (the generic file, a log of the booth's leads; Odoo's lead import)."""
    where, params = _stored_after(after, since)
    for r in _rows(db, _LEAD_SQL.format(where=where), params):
        yield _lead_row(r, people)


def visitor_rows(
    db: sqlite_utils.Database, people: _People, after: int, since: str | None
) -> Iterator[dict[str, Any]]:
    """One row per visitor (Salesforce, HubSpot: `kiosk.sync.lead_visitors`), in the order
    of their first leads. A visitor is in the file when one of their leads is (stored after
    the watermark, stamped since `since`), and the row combines *all* their leads: the CRM
    overwrites the contact with it, so a row made of the new leads alone would replace a
    hot rating and the notes of an earlier export with a later cold lead's."""
    where, params = _stored_after(after, since)
    wanted = (
        " WHERE l.contact_id IN (SELECT l.contact_id FROM leads l"
        f" JOIN events e ON e.uuid = l.id{where})"
    )
    visitors: dict[str, list[dict[str, Any]]] = {}
    for r in _rows(db, _LEAD_SQL.format(where=wanted), params):
        visitors.setdefault(r["contact_id"], []).append(_lead_row(r, people))
    for leads in visitors.values():
        yield combine(leads)


def checkin_rows(
    db: sqlite_utils.Database, people: _People, after: int, since: str | None
) -> Iterator[dict[str, Any]]:
    where, params = _stored_after(after, since)
    sql = (
        "SELECT k.id AS checkin_id, k.contact_id, k.at AS checked_in_at, k.kiosk_id AS kiosk,"
        " k.owner_id AS called, k.rule, k.reason, k.invited_by, k.brought_by, k.status,"
        " k.received_by, k.received_at, c.crm_id, c.name, c.company, c.email, c.country,"
        " e.rowid AS seq FROM checkins k JOIN contacts c ON c.id = k.contact_id"
        f" JOIN events e ON e.uuid = k.id{where} ORDER BY e.ts_utc, k.id"
    )
    for r in _rows(db, sql, params):
        _contact_fields(r)
        for key in ("called", "invited_by", "brought_by", "received_by"):
            people.put(r, key, r[key])
        yield r


def dispute_rows(
    db: sqlite_utils.Database, people: _People, after: int, since: str | None
) -> Iterator[dict[str, Any]]:
    sql = (
        f"SELECT p.id AS proposal_id, p.kind, {_STATUS} AS status,"
        " coalesce(p.outcome, (SELECT a.outcome FROM arrangements a WHERE a.proposal_id = p.id"
        f"   {DECISIONS_NEWEST_FIRST} LIMIT 1), '') AS outcome,"  # an open item: 'deferred'
        " p.contact_id, p.current_id, p.proposed_id,"
        " p.reason, p.split AS proposed_split,"
        # what the manager's decision left: the latest settlement of this item
        " (SELECT json_array(a.owner_id, a.assistant_id, a.split) FROM arrangements a"
        f"   WHERE a.proposal_id = p.id AND a.outcome <> 'deferred' {DECISIONS_NEWEST_FIRST}"
        "   LIMIT 1) AS settled,"
        " p.evidence, p.created_at AS raised_at, p.decided_at, p.decided_by, p.decision_note,"
        " c.crm_id, c.name, c.company, c.email, c.country, e.ts_utc,"
        " max(e.rowid,"
        "   coalesce((SELECT x.rowid FROM leads m JOIN events x ON x.uuid = m.id"
        "     WHERE m.contact_id = p.contact_id ORDER BY julianday(m.at), m.at, m.id LIMIT 1), 0),"
        "   coalesce((SELECT max(d.rowid) FROM events d"
        "     WHERE d.kind IN ('proposal.decided', 'dispute.decided', 'dispute.undone')"
        "     AND (json_extract(d.payload, '$.proposal_id') = p.id"
        # a decision on another item of the customer that made this one out of date
        f"      OR (p.outcome = '{OUTDATED}' AND d.kind = 'dispute.decided'"
        "       AND json_extract(d.payload, '$.contact_id') = p.contact_id)"
        # an undo on the customer, which may have reopened this one
        "      OR (d.kind = 'dispute.undone'"
        "       AND json_extract(d.payload, '$.contact_id') = p.contact_id))), 0)) AS seq,"
        " (SELECT json_array(m.kiosk_id, m.at) FROM leads m WHERE m.contact_id = p.contact_id"
        "   ORDER BY julianday(m.at), m.at, m.id LIMIT 1) AS first_claim"
        " FROM proposals p JOIN events e ON e.uuid = substr(p.id, 1, instr(p.id || ':', ':') - 1)"
        " LEFT JOIN contacts c ON c.id = p.contact_id"
        + (" WHERE e.ts_utc >= ?" if since else "")
        + " ORDER BY e.ts_utc, p.id"
    )
    for r in _rows(db, sql, [since] if since else []):
        if r["seq"] <= after:
            continue
        _contact_fields(r)
        # each claim's kiosk and time apart: the file's columns word them (`claim`)
        evidence = json.loads(r["evidence"] or "{}")
        first = json.loads(r.pop("first_claim") or "[null, null]")  # the earliest lead's
        r["first_claim_kiosk"], r["first_claim_at"] = first
        r["other_claim_kiosk"] = evidence.get("claim_kiosk")
        r["other_claim_at"] = evidence.get("claim_ts")
        people.put(r, "current_owner", r["current_id"])
        people.put(r, "claimed_by", r["proposed_id"])
        owner, assistant, split = _settled(r)
        people.put(r, "owner_after", owner)
        people.put(r, "assistant", assistant)
        r["split"] = _percent(split) if assistant or r["kind"] == "assistant" else ""
        r["decided_by"] = people.name(r["decided_by"])
        yield r


def _settled(r: dict[str, Any]) -> tuple[str | None, str | None, float | None]:
    """(owner, assistant, split) an item's decision left — from the workbench's settlement,
    or for `--approve`/`--reject` (no settlement row), what approving or rejecting the
    proposal as proposed does — and fills in the row's `outcome` for the latter. An open
    assistant item shows the split it asks for."""
    settled = r.pop("settled")
    if settled:
        owner, assistant, split = json.loads(settled)
        return owner, assistant, split
    kind, current, proposed = r["kind"], r["current_id"], r["proposed_id"]
    if r["status"] == OUTDATED:
        # closed by a decision on another item (its note says which): nobody decided this
        # one, and it left nothing — its owner, assistant and split were said as approved
        r["decided_by"] = ""
        return None, None, None
    if r["status"] == "open":
        return None, None, r["proposed_split"] if kind == "assistant" else None
    if r["status"] == "rejected":
        r["outcome"] = r["outcome"] or "kept"
        return current, None, None
    if kind == "assistant":
        r["outcome"] = r["outcome"] or "shared"
        return current, proposed, r["proposed_split"]
    r["outcome"] = r["outcome"] or ("customer" if kind == "preference" else "given")
    return proposed, None, None


# Approving one of these may change who owns a contact, or its assistant and split.
OWNER_DECISIONS = ("reassign", "dispute", "preference", "assistant")


def _percent(split: float | None) -> str:
    return "" if split is None else f"{round(split * 100)}%"


def owner_rows(
    db: sqlite_utils.Database, people: _People, after: int, since: str | None
) -> Iterator[dict[str, Any]]:
    """One row per contact whose owner, assistant or split a manager's approval changed.

    A contact is new when a decision approving one of its OWNER_DECISIONS was stored after
    the watermark: the watermark is the rowid of the `proposal.decided` (or the workbench's
    `dispute.decided`) event that decided it (the first decision on a proposal in replay
    order; later ones change nothing). The row carries the contact's state *now*, so two
    decisions on one contact are one update.

    The update is measured against what the CRM last said (the `crm_*` copy of a CRM
    contact; for a visitor filed at the booth, the owner their first lead was routed to):
    a contact the approvals left as the CRM has it — the CRM made the same change, or a
    later decision undid the first — has nothing to tell the CRM and is left out.
    """
    # The decision that stands on each item: its first, or its first since it was last
    # undone (the same decision taken again after an undo is new for the CRM: the undo's
    # row had put the old owner back). And each undo, with the decision it took back.
    first: dict[str, tuple[int, str]] = {}
    undos: list[tuple[Any, ...]] = []
    for kind, pid, seq, ts_utc, contact_id, actor, ts in db.execute(
        "SELECT kind, json_extract(payload, '$.proposal_id'), rowid, ts_utc,"
        " json_extract(payload, '$.contact_id'), actor, ts FROM events"
        " WHERE (kind IN ('proposal.decided', 'dispute.decided')"
        " AND coalesce(json_extract(payload, '$.outcome'), '') <> 'deferred')"
        " OR kind = 'dispute.undone' ORDER BY ts_utc, uuid"
    ):
        if kind == "dispute.undone":
            gone = first.pop(pid, None)
            undos.append((contact_id, seq, ts_utc, actor, ts, gone[0] if gone else 0))
        else:
            first.setdefault(pid, (seq, ts_utc))
    marks = ",".join("?" * len(OWNER_DECISIONS))
    decisions: dict[str, list[dict[str, Any]]] = {}
    for d in _rows(
        db,
        "SELECT id, kind, contact_id, decided_at, decided_by, decision_note FROM proposals"
        f" WHERE status = 'approved' AND kind IN ({marks}) AND contact_id IS NOT NULL",
        list(OWNER_DECISIONS),
    ):
        seq, ts_utc = first.get(d["id"], (0, d["decided_at"] or ""))
        decisions.setdefault(d["contact_id"], []).append(d | {"seq": seq, "ts_utc": ts_utc})
    wanted = []
    for contact_id, ds in decisions.items():
        ds.sort(key=lambda d: (d["ts_utc"], d["id"]))
        last = ds[-1]
        if max(d["seq"] for d in ds) > after and (since is None or last["ts_utc"] >= since):
            wanted.append((last["ts_utc"], contact_id))
    # A decision this file's earlier export sent, undone since: the CRM holds the owner the
    # decision gave until a row puts back the one the undo restored — even when that is
    # what the CRM said before (`put_back`; the kiosk's `crm_*` copy does not know the CRM
    # took the change).
    put_back: dict[str, dict[str, Any]] = {}
    if after:
        for contact_id, seq, ts_utc, by, at, sent in undos:
            if seq <= after or not contact_id or not 0 < sent <= after:
                continue
            if since is None or ts_utc >= since:
                put_back[contact_id] = {"ts_utc": ts_utc, "decided_by": by, "decided_at": at}
    seen = {contact_id for _, contact_id in wanted}
    wanted += [(u["ts_utc"], c) for c, u in put_back.items() if c not in seen]
    for _, contact_id in sorted(wanted):
        rows = list(_rows(
            db,
            "SELECT c.id AS contact_id, c.crm_id, c.source, c.name, c.company, c.email,"
            " c.country, c.owner_id, c.assistant_id, c.split, c.crm_owner_id,"
            " c.crm_assistant_id, c.crm_split,"
            " (SELECT m.id FROM leads m WHERE m.contact_id = c.id ORDER BY m.at, m.id LIMIT 1)"
            "   AS lead_id,"
            " (SELECT m.owner_id FROM leads m WHERE m.contact_id = c.id ORDER BY m.at, m.id"
            "   LIMIT 1) AS routed_to FROM contacts c WHERE c.id = ?",
            [contact_id],
        ))  # fmt: skip
        if not rows:
            continue
        r = rows[0]
        if r["source"] == "booth":
            was = (r["routed_to"], None, None)
        else:
            was = (r["crm_owner_id"], r["crm_assistant_id"],
                   r["crm_split"] if r["crm_assistant_id"] else None)  # fmt: skip
        held = (r["owner_id"], r["assistant_id"], r["split"] if r["assistant_id"] else None)
        if held == was and contact_id not in put_back:
            continue
        _contact_fields(r)
        r["record"] = "lead" if r["source"] == "booth" else "contact"
        r["lead_id"] = r["lead_id"] or ""
        owner, assistant, split = held
        people.put(r, "owner", owner)
        people.put(r, "previous_owner", was[0])
        people.put(r, "assistant", assistant)
        r["split"] = split
        changes = []
        if owner != was[0]:
            changes.append(f"owner {r['previous_owner_name'] or '(none)'} → {r['owner_name']}")
        if held[1:] != was[1:]:
            changes.append(
                f"assistant {r['assistant_name']} {_percent(split)}".rstrip()
                if assistant
                else "no assistant"
            )
        ds = decisions.get(contact_id, [])
        if contact_id in put_back and (not ds or put_back[contact_id]["ts_utc"] > ds[-1]["ts_utc"]):
            undone = put_back[contact_id]
            back = f"decision undone: owner {r['owner_name'] or '(none)'}"
            if assistant:
                back += f", assistant {r['assistant_name']} {_percent(split)}".rstrip()
            else:  # said, not only a blank cell: an importer that skips blanks keeps one
                back += ", no assistant"
            r["change"] = back
            r["decisions"] = "undone"
            r["decided_at"] = undone["decided_at"]
            r["decided_by"] = people.name(undone["decided_by"])
            r["decision_note"] = ""
            yield r
            continue
        r["change"] = "; ".join(changes)
        last = ds[-1]
        r["decisions"] = ", ".join(dict.fromkeys(d["kind"] for d in ds))
        r["decided_at"] = last["decided_at"]
        r["decided_by"] = people.name(last["decided_by"])
        r["decision_note"] = " | ".join(
            dict.fromkeys(d["decision_note"] for d in ds if d["decision_note"])
        )
        yield r


# What each export reads: its rows, from events stored after a watermark (and since a time)
_QUERIES: dict[str, Callable[..., Iterator[dict[str, Any]]]] = {
    "leads": lead_rows,  # per visitor for the formats in PER_VISITOR: `visitor_rows`
    "checkins": checkin_rows,
    "disputes": dispute_rows,
    "owners": owner_rows,
}


def export(
    db: sqlite_utils.Database,
    what: str,
    out: str | os.PathLike[str],
    *,
    fmt: str = "generic",
    since: str | None = None,
    new: bool = False,
    config: ShowConfig | None = None,
) -> ExportResult:
    """Write `what` (leads, checkins, disputes, owners) for `fmt` to `out`; see the module doc.

    A full export (neither `since` nor `new`) also advances the watermark, since it
    contains everything; a `since` export does not. The file is written to a temporary
    name and renamed, and the watermark stored in the same transaction, so an
    interrupted export neither leaves half a file nor skips rows next time.
    """
    if what not in WHATS:
        raise SyncError(f"unknown export {what!r} (known: {', '.join(WHATS)})")
    if fmt not in FORMATS:
        raise SyncError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")
    if since and new:
        raise SyncError("use either --since or --new, not both")
    show = (config or ShowConfig()).name
    path = Path(out)
    cutoff = since_utc(since, show_zone((config or ShowConfig()).timezone)) if since else None
    key = watermark_key(what, fmt)
    with transaction(db):
        after = int(get_meta(db, key, "0") or 0) if new else 0
        top = last_rowid(db, "events")
        cols = columns(what, fmt)
        query = visitor_rows if what == "leads" and fmt in PER_VISITOR else _QUERIES[what]
        tmp = path.with_name(path.name + ".tmp")
        count = leads = 0
        try:
            with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
                writer = csv_writer(fh)  # every cell through safe_cell: no formulas
                writer.writerow([h for h, _ in cols])
                for row in query(db, _People(db), after, cutoff):
                    row["source"] = show  # the show the kiosk was at, for the CRM
                    writer.writerow([get(row) for _, get in cols])
                    count += 1
                    leads += row.get("leads", 1)
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        if not since:
            set_meta(db, key, str(max(top, after)))
    return ExportResult(what, fmt, path, count, new, since, top,
                        leads if what == "leads" else 0)  # fmt: skip
