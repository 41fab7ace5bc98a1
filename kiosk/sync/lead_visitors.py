"""A visitor's leads as one row, for the CRMs that keep one record per e-mail.

A visitor filed at three kiosks has three leads. HubSpot's contact import finds the
contact by e-mail, and Salesforce's lead import is run matching leads by e-mail: three
rows of one person update one record, each overwriting the last, so a cold lead filed
last replaced the hot one (and its notes). The Salesforce and HubSpot leads files
(`export_formats.PER_VISITOR`) therefore carry one row per visitor, made here from all
their leads: what a CRM admin would have typed in after reading them all.

The generic file stays one row per lead — the booth's log, with each lead's kiosk, time
and routing — and so does Odoo's, whose CRM lead import creates one lead (opportunity)
per row, keyed by the External ID each row has.
"""

from __future__ import annotations

from typing import Any

Row = dict[str, Any]

_HEAT = {"cold": 0, "warm": 1, "hot": 2}


def combine(leads: list[Row]) -> Row:
    """One row for a visitor's `leads` (rows of `exports.lead_rows`, in time order).

    - the contact's fields, owner, assistant and split: the same on every lead (the
      contact's, now); the routing (routed to, rule, reason, kiosk) of the latest lead;
      who brought them: the latest lead that names someone;
    - the hottest rating, and the products of all leads in the order first named;
    - consent as the latest lead states it: without it, no notes at all; with it, every
      lead's notes, each after its date (UTC, as the file's times), oldest first;
    - `lead_id` the first lead's (the visitor's key in these files, as in the owner
      updates), `lead_ids` all of them, `filed_at` the latest lead's time and
      `first_filed_at` the first's; `leads` how many.
    """
    latest = leads[-1]
    row = dict(latest)
    row["lead_id"], row["lead_ids"] = leads[0]["lead_id"], [r["lead_id"] for r in leads]
    row["first_filed_at"] = leads[0]["filed_at"]
    row["leads"] = len(leads)
    row["rating"] = max((r["rating"] for r in leads), key=lambda rating: _HEAT.get(rating, -1))
    row["products"] = list(dict.fromkeys(p for r in leads for p in r["products"]))
    brought = next((r for r in reversed(leads) if r["brought_by"]), latest)
    for key in ("brought_by", "brought_by_email", "brought_by_name"):
        row[key] = brought[key]
    row["notes"] = (
        "\n".join(f"{r['stamped'][:10]}: {r['notes']}" for r in leads if r["notes"])
        if latest["consent"]
        else ""
    )
    return row
