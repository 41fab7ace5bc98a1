"""Booth commands: init, lookup, checkin, lead add, proposals, decide, away, rebuild, stats."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from kiosk.cli import KioskContext, fail, main, pass_ctx, user_errors


def _echo_json(obj: Any) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=False))


@main.command()
@click.option("--demo", is_flag=True, help="Load the demo company from data/demo (idempotent).")
@click.option(
    "--show",
    "show_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Show TOML to store in the database.",
)
@pass_ctx
@user_errors
def init(obj: KioskContext, demo: bool, show_path: Path | None) -> None:
    """Create or migrate the kiosk database; --demo loads the demo company."""
    from kiosk.setup import init_db

    _db, summary = init_db(obj.db_path, config_path=show_path or obj.config_path, demo=demo)
    click.echo(f"Kiosk database ready: {obj.db_path}")
    for kind, s in summary.items():
        click.echo(
            f"  {kind}: " + ", ".join(f"{k} {v}" for k, v in dict(s).items() if v is not None)
        )


def _result_json(obj: KioskContext, result, decisions, salespeople) -> dict[str, Any]:
    from kiosk.present import contact_dict, decision_dict

    out: dict[str, Any] = {
        "query": result.query,
        "kind": result.kind,
        "message": result.message,
        "country": result.country,
        "matches": [],
    }
    for match, decision in zip(result.matches, decisions["matches"], strict=True):
        item = {"contact": contact_dict(match.contact), "how": match.how, "score": match.score}
        item.update(decision_dict(decision, salespeople))
        out["matches"].append(item)
    if decisions.get("route") is not None:
        out["route"] = decision_dict(decisions["route"], salespeople)
    if result.badge is not None:
        b = result.badge
        out["badge"] = {
            "kind": b.kind,
            "badge_id": b.badge_id,
            "name": b.name,
            "company": b.company,
            "email": b.email,
            "phone": b.phone,
            "country": b.country,
            "warnings": list(b.warnings),
        }
    return out


def visitor_from_badge(badge, country: str | None = None):
    """An unknown visitor as the routing engine sees them."""
    from kiosk.models import Contact

    return Contact(
        id=None,
        name=(badge.name if badge else "") or "",
        company=(badge.company if badge else "") or "",
        email=(badge.email if badge else "") or "",
        phone=(badge.phone if badge else "") or "",
        country=country or (badge.country if badge else None),
        badge_id=badge.badge_id if badge else None,
    )


def run_lookup(obj: KioskContext, query: str, limit: int):
    """Look a query up and decide, for each candidate, who should receive them."""
    from kiosk.booth import decide_for
    from kiosk.lookup import lookup
    from kiosk.store import load_rules, load_salespeople, rotation_counts
    from kiosk.tokens import show_secret

    db = obj.db()
    config = obj.config()
    result = lookup(db, query, secret=show_secret(db, config), show_id=config.show_id, limit=limit)
    shared = {
        "salespeople": load_salespeople(db),
        "rules": load_rules(db),
        "counts": rotation_counts(db),
    }
    invited = (
        result.invitation.salesperson_id if result.invitation and result.invitation.ok else None
    )
    decisions: dict[str, Any] = {
        "matches": [
            decide_for(db, config, m.contact, invited=invited, **shared) for m in result.matches
        ],
        "route": None,
    }
    if result.kind in ("country", "none"):
        visitor = visitor_from_badge(result.badge, result.country)
        decisions["route"] = decide_for(db, config, visitor, **shared)
    return result, decisions, shared["salespeople"]


@main.command()
@click.argument("query")
@click.option("--json", "as_json", is_flag=True, help="Print a stable JSON object (see README).")
@click.option("--limit", default=10, show_default=True, help="Most candidates to show.")
@pass_ctx
@user_errors
def lookup(obj: KioskContext, query: str, as_json: bool, limit: int) -> None:
    """Find a visitor by badge, email, phone, name/company or country, and who should receive them."""
    result, decisions, salespeople = run_lookup(obj, query, limit)
    if as_json:
        _echo_json(_result_json(obj, result, decisions, salespeople))
        return
    from kiosk.cli.render import print_lookup

    print_lookup(result, decisions, salespeople, obj.config())


@main.command()
@click.argument("query")
@click.option("--by", "brought_by", help="Salesperson who brought or received the visitor.")
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
@user_errors
def checkin(obj: KioskContext, query: str, brought_by: str | None, as_json: bool) -> None:
    """Check a known visitor in (the best match of QUERY) and show who to call."""
    from kiosk.booth import check_in
    from kiosk.present import contact_dict, decision_dict

    result, _decisions, salespeople = run_lookup(obj, query, 2)
    if not result.matches:
        fail(f"no known visitor matches {query!r}; add them with 'kiosk lead add'")
    if result.kind == "country":
        fail(f"{query!r} is a country, not a visitor; use a badge id, email or name")
    if len(result.matches) > 1 and result.kind == "search" and result.matches[0].score < 100:
        names = "; ".join(f"{m.contact.name} ({m.contact.company})" for m in result.matches)
        fail(f"{query!r} matches several visitors ({names}); use a badge id or email")
    invited = (
        result.invitation.salesperson_id if result.invitation and result.invitation.ok else None
    )
    done = check_in(
        obj.db(), obj.config(), result.matches[0].contact.id, brought_by=brought_by, invited=invited
    )
    if as_json:
        _echo_json(
            {"checkin_id": done.event.uuid, "contact": contact_dict(done.contact)}
            | decision_dict(done.decision, salespeople)
        )
        return
    owner = salespeople.get(done.decision.salesperson_id or "")
    click.echo(f"Checked in {done.contact.name} ({done.contact.company}).")
    click.echo(
        f"Call: {owner.name if owner else 'nobody (no rule matched)'} — {done.decision.reason}"
    )
    for p in done.decision.proposals:
        click.echo(f"Proposal for the manager ({p.kind}): {p.reason}")


@main.group()
def lead() -> None:
    """New visitors (leads)."""


@lead.command("add")
@click.option("--name", required=True)
@click.option("--company", default="")
@click.option("--email", default="")
@click.option("--phone", default="")
@click.option("--country", default="", help="Country in any language, or an ISO code.")
@click.option("--city", default="")
@click.option("--title", default="")
@click.option("--badge", "badge_id", default=None, help="Registration/badge id.")
@click.option(
    "--rating", type=click.Choice(["cold", "warm", "hot"]), default="warm", show_default=True
)
@click.option("--product", "products", multiple=True, help="Product of interest (repeatable).")
@click.option("--notes", default="")
@click.option(
    "--consent/--no-consent", default=False, help="Visitor agreed to be contacted; notes need it."
)
@click.option("--by", "brought_by", default=None, help="Salesperson receiving the visitor.")
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
@user_errors
def lead_add(obj: KioskContext, as_json: bool, country: str, **fields: Any) -> None:
    """File a new visitor as a lead, routed to the territory owner."""
    from kiosk.booth import LeadInput, add_lead
    from kiosk.countries import resolve_country
    from kiosk.present import decision_dict
    from kiosk.store import load_salespeople

    alpha2 = None
    if country.strip():
        alpha2 = resolve_country(country)
        if alpha2 is None:
            fail(f"unknown or ambiguous country: {country!r}")
    fields["products"] = tuple(fields["products"])
    result = add_lead(obj.db(), obj.config(), LeadInput(country=alpha2, **fields))
    salespeople = load_salespeople(obj.db())
    if as_json:
        _echo_json(
            {"lead_id": result.event.uuid, "contact_id": result.contact_id}
            | decision_dict(result.decision, salespeople)
        )
        return
    owner = salespeople.get(result.decision.salesperson_id or "")
    click.echo(f"Lead saved ({result.contact_id}). Owner: {owner.name if owner else 'unassigned'}.")
    click.echo(f"Rule {result.decision.rule}: {result.decision.reason}")


@main.command()
@click.option("--all", "show_all", is_flag=True, help="Include decided proposals.")
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
@user_errors
def proposals(obj: KioskContext, show_all: bool, as_json: bool) -> None:
    """Disputes and proposals waiting for the manager."""
    db = obj.db()
    where = "" if show_all else "WHERE p.status = 'open'"
    rows = [
        dict(r)
        for r in db.query(
            "SELECT p.id, p.kind, p.status, p.contact_id, c.name AS contact, p.current_id,"
            " p.proposed_id, p.split, p.reason, p.created_at FROM proposals p"
            f" LEFT JOIN contacts c ON c.id = p.contact_id {where} ORDER BY p.created_at"
        )
    ]
    if as_json:
        _echo_json(rows)
        return
    if not rows:
        click.echo("No proposals waiting.")
    for r in rows:
        split = f" split {r['split']:.0%}" if r["split"] else ""
        click.echo(
            f"{r['id']}  [{r['kind']}/{r['status']}] {r['contact']}: {r['current_id']} → "
            f"{r['proposed_id']}{split} — {r['reason']}"
        )


@main.command()
@click.argument("proposal_id")
@click.option("--approve/--reject", required=True)
@click.option("--by", "actor", required=True, help="The manager deciding.")
@click.option("--note", default="")
@pass_ctx
@user_errors
def decide(obj: KioskContext, proposal_id: str, approve: bool, actor: str, note: str) -> None:
    """Approve or reject a proposal or dispute (recorded as an event)."""
    from kiosk.booth import decide_proposal, require_salesperson

    who = require_salesperson(obj.db(), actor)
    assert who is not None
    if who.role != "manager":
        fail(f"{who.name} is not a manager")
    decide_proposal(obj.db(), obj.config(), proposal_id, approve=approve, actor=who.id, note=note)
    click.echo(f"Proposal {proposal_id} {'approved' if approve else 'rejected'}.")


@main.command()
@click.argument("salesperson")
@click.option("--back", is_flag=True, help="Mark as back instead of away.")
@pass_ctx
@user_errors
def away(obj: KioskContext, salesperson: str, back: bool) -> None:
    """Mark a salesperson away (rotation skips them) or back."""
    from kiosk.booth import set_away

    set_away(obj.db(), obj.config(), salesperson, not back)
    click.echo(f"{salesperson} is {'back' if back else 'away'}.")


@main.command()
@pass_ctx
@user_errors
def rebuild(obj: KioskContext) -> None:
    """Replay the event log onto the CRM data (repairs the booth tables)."""
    from kiosk.events import rebuild as do_rebuild

    n = do_rebuild(obj.db())
    click.echo(f"Replayed {n} events.")


@main.command()
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
@user_errors
def stats(obj: KioskContext, as_json: bool) -> None:
    """A summary of the kiosk database."""
    from kiosk.stats import db_stats

    data = db_stats(obj.db(), obj.config())
    if as_json:
        _echo_json(data)
        return
    from kiosk.cli.render import print_stats

    print_stats(data)
