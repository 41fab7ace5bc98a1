"""Booth commands: init, lookup, checkin, lead add, away, rebuild, stats (the manager's
queue and decisions are `kiosk.cli.dispute_cmds`)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import click

from kiosk.cli.context import KioskContext, fail, pass_ctx, user_errors
from kiosk.clock import show_zone

if TYPE_CHECKING:
    from kiosk.models import Contact, Decision


def _echo_json(obj: Any) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=False))


@click.command()
@click.option("--demo", is_flag=True, help="Load the demo company from data/demo (idempotent).")
@click.option(
    "--show",
    "show_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Show TOML to store in the database.",
)
@click.option(
    "--kiosk-id",
    help="This laptop's kiosk id (e.g. kiosk-2), written into the stored show file. Every"
    " laptop of a show needs its own: the show file's id (the demo's is kiosk-1) is the same"
    " on every laptop it is copied to.",
)
@pass_ctx
@user_errors
def init(obj: KioskContext, demo: bool, show_path: Path | None, kiosk_id: str | None) -> None:
    """Create or migrate the kiosk database; --demo loads the demo company; --kiosk-id names
    this laptop's kiosk (again on an existing database: renames it for new events)."""
    if kiosk_id is not None and not kiosk_id.strip():
        fail("--kiosk-id needs an id, such as kiosk-2")
    if kiosk_id and obj.config_path and not show_path:
        # The show file given for every run names the kiosk, whatever the database says:
        # "renamed" was printed and the laptop went on scanning as the file's kiosk id.
        fail(f"--kiosk-id cannot rename this kiosk while its show file comes from --config or"
             f" KIOSK_CONFIG ({obj.config_path}): change [kiosk] id in that file, or run"
             " without it")  # fmt: skip
    # measured start-up cost: kiosk.setup (~391 ms), first needed here
    from kiosk.setup import init_db

    _db, summary = init_db(
        obj.db_path, now=obj.now(), config_path=show_path or obj.config_path, demo=demo,
        kiosk_id=kiosk_id,
    )  # fmt: skip
    click.echo(f"Kiosk database ready: {obj.db_path}")
    for kind, s in summary.items():
        counts = cast("Mapping[str, object]", s)  # each part's summary is a dict of counts
        click.echo(
            f"  {kind}: " + ", ".join(f"{k} {v}" for k, v in counts.items() if v is not None)
        )


def _result_json(obj: KioskContext, visit, decisions, salespeople) -> dict[str, Any]:
    # measured start-up cost: kiosk.disputes (~207 ms), kiosk.visits.shape (~396 ms),
    # first needed here
    from kiosk.disputes import standing_dict
    from kiosk.visits.shape import contact_dict, decision_dict, visit_dict

    zone = show_zone(obj.config().timezone)

    def arrangement(contact_id: str | None) -> dict[str, Any] | None:
        """The manager's standing decision on this customer (kiosk.disputes), if any."""
        return standing_dict(obj.db(), contact_id, salespeople, zone=zone)

    result = visit.found
    out: dict[str, Any] = {
        "query": result.query,
        "kind": result.kind,
        "message": result.message,
        "country": result.country,
        "total": result.total,  # contacts the query matches; `matches` are the best of them
        "total_is_lower_bound": result.total_is_lower_bound,  # True: at least `total`
        # the first match is the visitor (a checkin records them); else candidates to choose
        "identified": result.identified,
        "matches": [],
    }
    for match, decision in zip(result.matches, decisions["matches"], strict=True):
        item = {"contact": contact_dict(match.contact), "how": match.how, "score": match.score}
        item.update(decision_dict(decision, salespeople))
        item["arrangement"] = arrangement(match.contact.id)
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
    out["visit"] = visit_dict(visit, salespeople)
    out["visit"]["arrangement"] = arrangement(visit.contact.id)
    return out


def run_lookup(obj: KioskContext, query: str, limit: int):
    """Preview a query through the visit service (never writes), and decide for each match."""
    # measured start-up cost: kiosk.booth (~173 ms), kiosk.store (~140 ms), kiosk.visits (~415 ms),
    # first needed here
    from kiosk.booth import decide_for
    from kiosk.store import load_rules, rotation_counts
    from kiosk.visits import visitor_from_badge

    visits = obj.visits()
    visit = visits.resolve(query, record=False, limit=limit)
    result = visit.found
    assert result is not None  # `resolve` always says what the lookup found
    db, config = obj.db(), obj.config()
    people, rules, counts = visits.people, load_rules(db), rotation_counts(db)
    now = visits.now()

    def decide(visitor: Contact, invited: str | None = None) -> Decision:
        return decide_for(db, config, visitor, invited=invited, now=now, salespeople=people,
                          rules=rules, counts=counts)  # fmt: skip

    invited = (
        result.invitation.salesperson_id if result.invitation and result.invitation.ok else None
    )
    decisions: dict[str, Any] = {
        "matches": [decide(m.contact, invited) for m in result.matches],
        "route": None,
    }
    if result.kind in ("country", "none"):
        visitor = visitor_from_badge(result.badge, result.country)
        decisions["route"] = decide(visitor)
    return visit, decisions, people


@click.command()
@click.argument("query")
@click.option("--json", "as_json", is_flag=True, help="Print a stable JSON object (see README).")
@click.option("--limit", default=10, show_default=True, help="Most candidates to show.")
@pass_ctx
@user_errors
def lookup(obj: KioskContext, query: str, as_json: bool, limit: int) -> None:
    """Find a visitor by badge, email, phone, name/company or country, and who should receive them.

    Never records anything: it previews what a scan of QUERY would show (`kiosk checkin`
    records it).
    """
    visit, decisions, salespeople = run_lookup(obj, query, limit)
    if as_json:
        _echo_json(_result_json(obj, visit, decisions, salespeople))
        return
    # measured start-up cost: kiosk.cli.render (~258 ms), first needed here
    from kiosk.cli.render import print_lookup

    note = ""
    if visit.status == "choose":  # what `checkin` of the same query says, before it is run
        note = (
            "No sure match: 'kiosk checkin' records none of these. Check in by badge id,"
            " e-mail or phone, or by the visitor's full name as on file."
        )
    print_lookup(visit.found, decisions, salespeople, obj.config(), note=note)


@click.command()
@click.argument("query")
@click.option("--by", "brought_by", help="Salesperson who brought or received the visitor.")
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
@user_errors
def checkin(obj: KioskContext, query: str, brought_by: str | None, as_json: bool) -> None:
    """Check a visitor in, as a scan of QUERY at reception would, and show who to call.

    A known visitor is checked in once per repeat window; an unknown visitor whose badge
    identifies them is recorded as a walk-in arrival routed by territory. A typed name checks
    in only a visitor it names exactly (their whole name, and no one else's: see
    `kiosk.lookup`); a partial or similar name lists the candidates and records nothing.
    """
    # measured start-up cost: kiosk.booth (~173 ms), kiosk.visits.shape (~396 ms), first needed here
    from kiosk.booth import require_salesperson
    from kiosk.visits.shape import contact_dict, decision_dict, visit_dict

    require_salesperson(obj.db(), brought_by)
    obj.warn_if_clock_outside_show()
    visits = obj.visits()
    visit = visits.resolve(query, record=True, brought_by=brought_by, limit=5)
    status = visit.status
    if status == "refused":
        fail(f"{visit.refused}")
    if visit.unlike is not None:
        fail(
            f"{query!r} does not look like this show's badges (they read like {visit.unlike});"
            " scan again, or search by name"
        )
    if visit.country is not None:
        fail(f"{query!r} is a country, not a visitor; use a badge id, email or name")
    if status == "choose":  # no sure match: the candidates, and nothing recorded
        names = "; ".join(
            f"{c.contact.name} ({c.contact.company})" if c.contact.company else c.contact.name
            for c in visit.candidates
        )
        how = "check in by badge id, e-mail or phone"
        if len(visit.candidates) == 1:
            fail(f"{query!r} is not a visitor's full name on file — did you mean {names}?"
                 f" Nothing recorded: {how}, or type the full name as on file")  # fmt: skip
        # (the full name may be what was typed: several visitors share it)
        fail(f"{query!r} matches several visitors ({names}). Nothing recorded: {how}")
    if visit.checkin_id is None:  # free text that matched nobody, or nothing readable
        fail(f"no known visitor matches {query!r}; add them with 'kiosk lead add'")
    salespeople = visits.people
    if as_json:
        assert visit.decision is not None
        _echo_json(
            {"checkin_id": visit.checkin_id, "contact": contact_dict(visit.contact)}
            | decision_dict(visit.decision, salespeople)
            | {
                "repeat": visit.repeat,
                "walkin": visit.walkin,
                "visit": visit_dict(visit, salespeople),
            }  # fmt: skip
        )
        return
    decision = visit.decision
    assert decision is not None
    owner = salespeople.get(decision.salesperson_id or "")
    who = (
        f"{visit.contact.name} ({visit.contact.company})"
        if visit.contact.company
        else (visit.contact.name or visit.contact.email or visit.contact.badge_id or "visitor")
    )
    if visit.repeat and brought_by and visit.brought_by not in (None, brought_by):
        first = salespeople.get(visit.brought_by or "")
        click.echo(
            f"Already checked in: {who}, brought by {first.name if first else visit.brought_by};"
            " nothing new recorded."
        )
    elif visit.repeat and brought_by and visit.received_by:
        met = salespeople.get(visit.received_by)
        met_name = met.name if met else visit.received_by
        if visit.received_by == brought_by:  # reception checked them in; they are met now
            click.echo(f"Already checked in: {who}. Received by {met_name}.")
        else:
            click.echo(
                f"Already checked in: {who}, and already received by {met_name};"
                " nothing new recorded."
            )
    elif visit.repeat:
        click.echo(f"Already checked in: {who} (within the repeat window; nothing new recorded).")
    elif visit.walkin:
        click.echo(f"New visitor checked in as a walk-in: {who}.")
    else:
        click.echo(f"Checked in {who}.")
    click.echo(f"Call: {owner.name if owner else 'nobody (no rule matched)'} — {decision.reason}")
    for p in decision.proposals:
        click.echo(f"Proposal for the manager ({p.kind}): {p.reason}")


@click.group()
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
@click.option(
    "--attach", is_flag=True,
    help="The e-mail/phone/badge, or the name at the company, is a known contact's: file the"
    " lead on that contact.",
)  # fmt: skip
@click.option(
    "--new", "distinct", is_flag=True,
    help="The e-mail/phone/badge, or the name at the company, matches a known contact, but"
    " this is another person (a namesake with another owner: the manager gets a dispute).",
)  # fmt: skip
@click.option(
    "--contact", "contact_id", default=None, metavar="ID",
    help="File the lead on this known contact (an id the refusal or `kiosk lookup` names).",
)  # fmt: skip
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
@user_errors
def lead_add(
    obj: KioskContext, /, as_json: bool, country: str, attach: bool, distinct: bool, **fields: Any
) -> None:
    """File a new visitor as a lead, routed to the territory owner.

    A visitor whose e-mail, phone or badge id is already on file, or whose name is on file
    at the same company (accents, case, spacing and legal forms aside), is not filed twice:
    the command names the contact and its owner and stops, unless --attach (a lead on that
    contact), --contact ID (a lead on that one, when several match) or --new (a different
    person).
    """
    # measured start-up cost: kiosk.booth (~173 ms), kiosk.countries (~16 ms), kiosk.visits.shape
    # (~396 ms), first needed here
    from kiosk.booth import LeadInput
    from kiosk.countries.resolve import resolve_country
    from kiosk.visits import DuplicateLead
    from kiosk.visits.shape import decision_dict

    if sum((attach, distinct, bool(fields["contact_id"]))) > 1:
        fail("--attach, --contact and --new contradict each other; choose one")
    if fields["notes"].strip() and not fields["consent"]:
        # The lead was saved and the notes thrown away without a word (the form says why).
        fail("--notes needs --consent: notes are kept only for a visitor who agreed to be"
             " contacted. Add --consent, or leave out --notes")  # fmt: skip
    alpha2 = None
    if country.strip():
        alpha2 = resolve_country(country)
        if alpha2 is None:
            fail(f"unknown or ambiguous country: {country!r}")
    fields["products"] = tuple(fields["products"])
    lead = LeadInput(country=alpha2, **fields)
    obj.warn_if_clock_outside_show()
    visits = obj.visits()
    try:
        visit = visits.file_lead(
            lead, duplicate="attach" if attach else "new" if distinct else "ask"
        )
    except DuplicateLead as exc:
        which = (
            "--attach to file the lead on that contact"
            if len(exc.known) == 1
            else "--contact ID to file the lead on one of them"
        )
        fail(f"{exc}. Use {which}, or --new if this is a different person")  # fmt: skip
    salespeople = visits.people
    decision = visit.decision
    assert decision is not None
    if as_json:
        _echo_json(
            {"lead_id": visit.lead_id, "contact_id": visit.contact.id}
            | decision_dict(decision, salespeople)
        )
        return
    owner = salespeople.get(decision.salesperson_id or "")
    click.echo(f"Lead saved ({visit.contact.id}). Owner: {owner.name if owner else 'unassigned'}.")
    click.echo(f"Rule {decision.rule}: {decision.reason}")


@click.command()
@click.argument("salesperson")
@click.option("--back", is_flag=True, help="Mark as back instead of away.")
@pass_ctx
@user_errors
def away(obj: KioskContext, salesperson: str, back: bool) -> None:
    """Mark a salesperson away (rotation skips them) or back."""
    # measured start-up cost: kiosk.booth (~173 ms), first needed here
    from kiosk.booth import set_away

    set_away(obj.db(), obj.config(), salesperson, not back, now=obj.now())
    click.echo(f"{salesperson} is {'back' if back else 'away'}.")


@click.command()
@pass_ctx
@user_errors
def rebuild(obj: KioskContext) -> None:
    """Replay the event log onto the CRM data (repairs the booth tables)."""
    # measured start-up cost: kiosk.events (~152 ms), first needed here
    from kiosk.events import rebuild as do_rebuild

    n = do_rebuild(obj.db())
    click.echo(f"Replayed {n} events.")


@click.command()
@click.option("--full", is_flag=True, help="Also check every index against its table (slower).")
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
@user_errors
def check(obj: KioskContext, full: bool, as_json: bool) -> None:
    """Check the database file for damage (before the show, after a crash or a full disk).

    Exit 0 when it is sound; 1, with what SQLite found and how to recover, when it is not.
    """
    # measured start-up cost: kiosk.db (~60 ms), first needed here
    from kiosk.db import problems

    found = problems(obj.db().conn, full=full)
    if as_json:
        _echo_json({"database": str(obj.db_path), "ok": not found, "problems": found})
    elif not found:
        click.echo(f"{obj.db_path}: no damage found ({'integrity' if full else 'quick'} check).")
    else:
        click.echo(f"{obj.db_path} is damaged; SQLite found:")
        for line in found:
            click.echo(f"  {line}")
        click.echo(
            "Stop writing to it: restore the latest backup (the merge's FILE.bak-<time>), or"
            f" recover what is readable: sqlite3 {obj.db_path} .recover | sqlite3 recovered.db"
        )
    if found:
        raise SystemExit(1)


@click.command()
@click.argument("dest", type=click.Path(path_type=Path))
@click.option(
    "--force",
    is_flag=True,
    help="Replace DEST even when it is another laptop's kiosk database or not a database.",
)
@click.option(
    "--keys", "with_keys", is_flag=True,
    help="Copy the key file too (DEST.keys): for a second laptop cloned from this one. A copy"
    " for a merge needs none.",
)  # fmt: skip
@pass_ctx
@user_errors
def backup(obj: KioskContext, dest: Path, with_keys: bool, force: bool) -> None:
    """Copy this kiosk's database to DEST (a USB stick for the merge, a second laptop), whole
    even while the booth screen runs; the copy is private (0600). DEST may be a folder (the
    copy is named after this kiosk's id, e.g. kiosk-2.db); an earlier copy of this laptop
    there is replaced, another laptop's or a file that is no database only with --force.

    A plain file copy can lack the latest scans (they wait in the -wal file beside it)."""
    # measured start-up cost: kiosk.db (~60 ms), first needed here
    from kiosk.db import copy_database
    from kiosk.keyfile import create_private, key_file

    source = Path(obj.db_path)
    if dest.is_dir():
        # Every booth laptop calls its file kiosk.db: named so, the second laptop's copy met
        # the first one's on the stick and was refused. The kiosk id tells them apart.
        dest = dest / _copy_name(obj.config().kiosk_id, source)
    db = obj.db()
    events = db.execute("SELECT count(*) FROM events").fetchone()[0]
    out = copy_database(db.conn, dest, source=source, force=force)
    click.echo(f"Copied {source} to {out} ({events:,} events; readable by you only).")
    if with_keys:  # a second laptop: another install, whatever kiosk id it is given
        # measured start-up cost: kiosk.installs (~1 ms), first needed here
        from kiosk.installs import new_install

        clone = sqlite3.connect(out)
        try:
            new_install(clone)
        finally:
            clone.close()
        keys = key_file(source)
        if keys.exists():
            copied = key_file(out)
            copied.unlink(missing_ok=True)
            create_private(copied)
            copied.write_bytes(keys.read_bytes())
            click.echo(f"Copied the key file to {copied}.")
        else:
            click.echo(f"No key file beside {source}: nothing more to copy.")


def _copy_name(kiosk_id: str, source: Path) -> str:
    """`<kiosk id>.db`, the id kept to letters, digits, '-', '_' and '.' (it is the show
    file's text); the database's own name when nothing of it is left."""
    safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in kiosk_id).strip(".-")
    return f"{safe[:64]}.db" if safe else source.name


@click.command()
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
@user_errors
def stats(obj: KioskContext, as_json: bool) -> None:
    """A summary of the kiosk database."""
    # measured start-up cost: kiosk.reports.stats (~100 ms), first needed here
    from kiosk.reports.stats import db_stats

    data = db_stats(obj.db(), obj.config())
    if as_json:
        _echo_json(data)
        return
    # measured start-up cost: kiosk.cli.render (~258 ms), first needed here
    from kiosk.cli.render import print_stats

    print_stats(data)
