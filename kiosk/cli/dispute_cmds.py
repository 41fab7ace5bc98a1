"""The manager's queue and the dispute workbench: proposals, decide, dispute
show|note|history|undo."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, replace
from datetime import UTC, date
from typing import TYPE_CHECKING, Any

import click

from kiosk.cli.context import KioskContext, fail, pass_ctx, user_errors
from kiosk.clock import show_zone

if TYPE_CHECKING:
    from kiosk.disputes import Item


def _full_id(obj: KioskContext, given: str) -> str:
    """The item id `given` names: itself, or the one id it begins (at least 4 characters),
    also as "<start>:<n>" for item n of an event ("18ed6d0c:1").

    `kiosk proposals` lists ids of 38 characters (a uuid and ':0'); a manager typing one
    back typed its first 8, as git users do, and met "no proposal with id 18ed6d0c". Several
    ids beginning alike are refused with the ones it could mean; none is left to the command
    ("no proposal with id …")."""
    db = obj.db()
    if len(given) < 4 or db.execute("SELECT 1 FROM proposals WHERE id = ?", [given]).fetchone():
        return given

    def literal(text: str) -> str:
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")

    head, colon, n = given.rpartition(":")
    pattern = f"{literal(head)}%:{literal(n)}" if colon and head else literal(given) + "%"
    found = [r[0] for r in db.execute(
        "SELECT id FROM proposals WHERE id LIKE ? ESCAPE '\\' ORDER BY id LIMIT 6", [pattern]
    )]  # fmt: skip
    if len(found) > 1:
        more = ", …" if len(found) > 5 else ""
        example = f" (e.g. {given}:{found[0].rpartition(':')[2]})" if not colon else ""
        fail(f"{given} could mean {', '.join(found[:5])}{more}: type more of the id{example}")
    return found[0] if found else given


def _echo_json(obj: Any) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=False))


def _queue(obj: KioskContext, *, include_decided: bool = False) -> list[Item]:
    """The queue as the manager sees it, after raising the reviews that came due."""
    # measured start-up cost: kiosk.disputes (~207 ms), first needed here
    from kiosk.disputes import queue, raise_due_reviews, today_of

    db, config, now = obj.db(), obj.config(), obj.now()
    raise_due_reviews(db, config, now=now)
    return queue(db, today=today_of(config, now), include_decided=include_decided, show=config)


def _item_json(i: Item) -> dict[str, Any]:
    return {
        "id": i.proposal_id, "kind": i.kind, "status": i.status, "contact_id": i.contact_id,
        "contact": i.contact_name or None, "current_id": i.current_id,
        "proposed_id": i.proposed_id, "split": i.split, "reason": i.reason,
        "created_at": i.created_at.isoformat() if i.created_at else None,
        "outcome": i.outcome,
        "deferred_until": i.deferred_until.isoformat() if i.deferred_until else None,
        "returned": i.returned,
        "decision_note": i.decision_note or None,
        "clock_doubts": [d.summary() for d in i.clock_doubts],
        "shared_kiosk_ids": list(i.shared_kiosks),
    }  # fmt: skip


def _doubts_text(i: Item) -> str:
    """What makes the kiosks' word on this customer doubtful, as sentences ('' when none): a
    kiosk id two laptops use, a clock that looked wrong. Their stamps decide "earliest
    claim" and lapses all the same, so the manager checks."""
    # (already loaded with the queue, through kiosk.events)
    # measured start-up cost: kiosk.events.validate (~0 ms), first needed here
    from kiosk.events.validate import shown

    parts = []
    for d in i.clock_doubts:
        when = d.at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
        how = f"{d.behind.days:,} days before the show" if d.behind else "in the future"
        parts.append(f"{shown(d.kiosk_id)} stamped it {when}, {how}")
    shared = "".join(
        f" ⚠ {shown(k)} is the kiosk id of two laptops: 'filed at {shown(k)}' could be either"
        " (give one another id: kiosk init --kiosk-id)."
        for k in i.shared_kiosks
    )
    if not parts:
        return shared
    return shared + (
        " ⚠ Times from a kiosk whose clock looked wrong: "
        + "; ".join(parts)
        + ". Check that kiosk's clock before trusting which claim came first."
    )


@click.command()
@click.option("--all", "show_all", is_flag=True, help="Include decided proposals.")
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
@user_errors
def proposals(obj: KioskContext, show_all: bool, as_json: bool) -> None:
    """Disputes and proposals waiting for the manager (items back from a deferral first,
    those deferred to a later day last). Raises the reviews that came due."""
    items = _queue(obj, include_decided=show_all)
    if as_json:
        _echo_json([_item_json(i) for i in items])
        return
    if not items:
        click.echo("No proposals waiting.")
    decided = {}  # --all: what each settled item's decision left, said as `decide` says it
    if show_all and any(i.status != "open" and not i.outdated for i in items):
        # measured start-up cost: kiosk.disputes (~207 ms), first needed here
        from kiosk.disputes import arrangements, describe, today_of
        from kiosk.store import load_salespeople

        db, config = obj.db(), obj.config()
        people = load_salespeople(db)
        for i in items:
            if i.status != "open" and not i.outdated:
                found = arrangements(db, proposal_id=i.proposal_id, limit=1)
                if found:
                    a = found[0]
                    on = today_of(config, a.decided_at)
                    decided[i.proposal_id] = f" → decided: {describe(a, people, decided_on=on)}"
    for i in items:
        split = f" split {i.split:.0%}" if i.split else ""
        when = ""
        if i.returned:
            when = " (back from deferral)"
        elif i.deferred_until is not None:
            when = f" (deferred until {i.deferred_until.isoformat()})"
        state = i.outcome or i.status
        closed = f" [{i.decision_note}]" if i.outdated else ""  # what made it out of date
        click.echo(
            f"{i.proposal_id}  [{i.kind}/{state}] {i.contact_name}: {i.current_id} → "
            f"{i.proposed_id or '(the manager chooses)'}{split}{when} — {i.reason}{closed}"
            f"{decided.get(i.proposal_id, '')}{_doubts_text(i)}"
        )


def _percent(text: str | None) -> float | None:
    if text is None:
        return None
    m = re.fullmatch(r"\s*(\d+)\s*%?\s*", text)
    if m is None:
        # whole percentages only: 30.5 was kept as 0.305, shown as 30% and exported as 0.305
        # or 30% by different files (the workbench moves in 5% steps)
        fail(f"--split is a whole percentage such as 30, not {text!r}")
    assert m is not None
    return float(m.group(1)) / 100


def _day(text: str | None, today: date) -> date | None:
    if text is None:
        return None
    # loaded by kiosk.disputes already (the decide command's first import)
    # measured start-up cost: kiosk.routing.arrangement (~60 ms), first needed here
    from kiosk.routing.arrangement import parse_until

    day = parse_until(text, today)
    if day is None:
        fail(f"--defer-until is a date such as 2026-12-09, or +7 (days from today), not {text!r}")
    return day


@click.command()
@click.argument("proposal_id")
@click.option("--owner", default=None, help="Who owns the customer after the decision.")
@click.option("--assistant", default=None, help="The other side as assistant (with --split).")
@click.option("--split", "split_text", default=None, help="The assistant's share in percent.")
@click.option("--customer-chose", is_flag=True, help="The customer chose the owner.")
@click.option(
    "--defer-until", "defer_text", default=None, help="Defer to this day (YYYY-MM-DD, or +N days)."
)
@click.option("--review-after", type=click.IntRange(1, 3650), default=None,
              help="Review after this many days (default: the show's lapse days).")  # fmt: skip
@click.option("--approve/--reject", default=None,
              help="Shorthands: the proposal as proposed, or things as they are.")  # fmt: skip
@click.option(
    "--to",
    "assign_to",
    default=None,
    help="With --approve: give the customer to this salesperson (on an assistant proposal:"
    " make them the assistant instead of the one proposed).",
)
@click.option("--by", "actor", required=True, help="The manager deciding.")
@click.option("--note", default="", help="The manager's note, kept with the decision.")
@pass_ctx
@user_errors
def decide(
    obj: KioskContext, proposal_id: str, owner: str | None, assistant: str | None,
    split_text: str | None, customer_chose: bool, defer_text: str | None,
    review_after: int | None, approve: bool | None, assign_to: str | None, actor: str, note: str,
) -> None:  # fmt: skip
    """Settle a dispute or proposal: keep the owner, give to the other, share with a split,
    record whom the customer chose, or defer (one event, with the manager's note)."""
    # measured start-up cost: kiosk.disputes (~207 ms), kiosk.store (~140 ms), first needed here
    from kiosk.disputes import Choice, arrangements, decide, describe, today_of
    from kiosk.store import load_salespeople

    chose = owner or assistant or split_text or customer_chose or defer_text
    if approve is not None and chose:
        fail("--approve/--reject are shorthands: give them alone, or the arrangement alone")
    if approve is None and not chose:
        fail("say the decision: --owner X [--assistant Y --split 30] [--customer-chose],"
             " --defer-until DATE, or --approve/--reject")  # fmt: skip
    if assign_to and not approve:
        fail("--to goes with --approve (or use --owner)")
    if customer_chose and not owner:
        fail("--customer-chose records whom the customer chose: give --owner too")
    choice = None
    db, config, now = obj.db(), obj.config(), obj.now()
    proposal_id = _full_id(obj, proposal_id)
    if approve is None:
        choice = Choice(
            owner_id=owner, assistant_id=assistant, split=_percent(split_text),
            customer_chose=customer_chose, defer_until=_day(defer_text, today_of(config, now)),
        )  # fmt: skip
    decide(
        db, config, proposal_id, choice, actor=actor, now=now, note=note, approve=approve,
        assign_to=assign_to, review_after=review_after,
    )  # fmt: skip
    a = arrangements(db, proposal_id=proposal_id, limit=1)[0]
    people = load_salespeople(db)
    head = f"Proposal {proposal_id}"
    if approve is not None:
        head += " approved" if approve else " rejected"
    click.echo(f"{head}: {describe(a, people, decided_on=today_of(config, a.decided_at))}.")


@click.group()
def dispute() -> None:
    """The dispute workbench: both sides' evidence, each side's case, the decisions."""


def _side_rows(i: Item, people, zone) -> list[tuple[str, list[str]]]:
    # measured start-up cost: kiosk.disputes.evidence (~213 ms), first needed here
    from kiosk.disputes.evidence import Side

    def when(d) -> str:
        return d.astimezone(zone).strftime("%Y-%m-%d") if d is not None else "–"

    def filed(s: Side) -> str:
        """The filing, and for a side who filed none their own lead: the second of two
        kiosks' claims was filed too, when and where it says ('–' hid it)."""
        if s.lead_at is None or (s.filed_at is not None and s.filed_at != s.lead_at):
            return when(s.filed_at)  # the CRM's filing (a date), or none
        at = s.lead_at.astimezone(zone).strftime("%Y-%m-%d %H:%M")
        where = f" at {s.lead_kiosk}" if s.lead_kiosk else ""
        return f"{at}{where}" if s.filed_at is not None else f"later claim {at}{where}"

    def rows(s: Side) -> list[str]:
        invited = "–"
        if s.invited_at is not None:
            invited = when(s.invited_at) + (
                ", came on it" if s.came_on_invitation else ", not (yet) on it"
            )
        return [
            s.holds or "–", filed(s), when(s.first_contact_at), invited,
            when(s.at_booth), when(s.last_contact_at), when(s.last_deal_at),
            "yes" if s.preferred else "–", s.case or "–",
        ]  # fmt: skip

    labels = ["holds now", "filed", "first contact", "invited to this show", "brought/received here",
              "last contact", "last deal", "customer asked for", "my case"]  # fmt: skip
    columns = [rows(s) for s in i.sides]
    return [(label, [c[n] for c in columns]) for n, label in enumerate(labels)]


@dispute.command("show")
@click.argument("proposal_id")
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
@user_errors
def dispute_show(obj: KioskContext, proposal_id: str, as_json: bool) -> None:
    """Both sides' evidence on one item (the ids `kiosk proposals` lists), side by side."""
    # measured start-up cost: kiosk.disputes (~207 ms), kiosk.routing.rules (~62 ms),
    # kiosk.store (~140 ms), first needed here
    from kiosk.disputes import arrangement_dict, describe, item, today_of
    from kiosk.routing.rules import name_of
    from kiosk.store import load_salespeople

    db, config, now = obj.db(), obj.config(), obj.now()
    proposal_id = _full_id(obj, proposal_id)
    i = item(db, proposal_id, today=today_of(config, now), show=config)
    if i is None:
        fail(f"no proposal with id {proposal_id} (see kiosk proposals)")
    assert i is not None
    people = load_salespeople(db)
    if as_json:
        out = _item_json(i) | {"sides": [
            {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in asdict(s).items()}
            for s in i.sides
        ]}  # fmt: skip
        out["preferred_id"] = i.preferred_id
        out["standing"] = (
            arrangement_dict(i.standing, people, decided_on=today_of(config, i.standing.decided_at))
            if i.standing else None
        )  # fmt: skip
        _echo_json(out)
        return
    # measured start-up cost: rich.console (~17 ms), rich.table (~16 ms), first needed here
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    # Text, not markup: "[reassign/given]" was read as a style tag and vanished from the
    # title, and names, companies and cases are the CRM's or a salesperson's words.
    head = f"{i.proposal_id} [{i.kind}/{i.outcome or i.status}] {i.contact_name}"
    if i.company:
        head += f" · {i.company}"
    table = Table(title=Text(head), title_justify="left", show_lines=False)
    table.add_column("")
    for s in i.sides:
        table.add_column(Text(name_of(people, s.salesperson_id)), overflow="fold")
    for label, cells in _side_rows(i, people, show_zone(config.timezone)):
        table.add_row(label, *(Text(c) for c in cells))
    console = Console(highlight=False, soft_wrap=False)
    console.print(table)
    click.echo(i.reason)
    if doubts := _doubts_text(i):
        click.echo(doubts.strip())
    if i.outdated:
        click.echo(f"Closed, {i.decision_note}.")
    elif i.standing is not None:  # what the manager decided, and why, beside the evidence
        a = i.standing
        decided = describe(a, people, decided_on=today_of(config, a.decided_at),
                           zone=show_zone(config.timezone))  # fmt: skip
        click.echo(f"In force: {decided}" + (f". Note: {a.note}" if a.note else ""))
    if i.deferred_until is not None:
        click.echo(f"Deferred until {i.deferred_until.isoformat()}.")


@dispute.command("note")
@click.argument("proposal_id")
@click.option("--by", "by", required=True, help="The salesperson stating their case.")
@click.option("--text", required=True, help="Their case, in their words.")
@pass_ctx
@user_errors
def dispute_note(obj: KioskContext, proposal_id: str, by: str, text: str) -> None:
    """Record one side's own statement ("my case") on an open item, before the decision."""
    # measured start-up cost: kiosk.disputes (~207 ms), first needed here
    from kiosk.disputes import add_case

    proposal_id = _full_id(obj, proposal_id)
    event = add_case(obj.db(), obj.config(), proposal_id, by=by, text=text, now=obj.now())
    click.echo(f"Case recorded for {event.payload['by']} on {proposal_id}.")


@dispute.command("history")
@click.option("--by", "person", default=None, help="Only decisions concerning this salesperson.")
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
@user_errors
def dispute_history(obj: KioskContext, person: str | None, as_json: bool) -> None:
    """The manager's decisions, newest first (deferrals too)."""
    # measured start-up cost: kiosk.booth (~173 ms), kiosk.disputes (~207 ms), kiosk.store (~140
    # ms), first needed here
    from kiosk.booth import require_salesperson
    from kiosk.disputes import arrangement_dict, arrangements, describe, today_of
    from kiosk.store import get_contacts, load_salespeople

    db, config = obj.db(), obj.config()
    zone = show_zone(config.timezone)
    sp = require_salesperson(db, person)
    found = arrangements(db, person=sp.id if sp else None, include_undone=True)
    people = load_salespeople(db)
    if as_json:
        _echo_json([
            arrangement_dict(a, people, decided_on=today_of(config, a.decided_at), zone=zone)
            for a in found
        ])  # fmt: skip
        return
    if not found:
        click.echo("No decisions yet.")
    known = get_contacts(db, [a.contact_id for a in found if a.contact_id])
    for a in found:
        text = describe(a, people, decided_on=today_of(config, a.decided_at), zone=zone)
        contact = known.get(a.contact_id or "")
        who = f"{contact.name} [{a.contact_id}]" if contact else a.contact_id
        state = f"{a.outcome}, undone" if a.undone_at is not None else a.outcome
        note = f". Note: {a.note}" if a.note else ""  # why, kept with the decision
        click.echo(f"{a.proposal_id}  [{state}] {who}: {text}{note}")


@dispute.command("undo")
@click.argument("proposal_id")
@click.option("--by", "actor", required=True, help="The manager taking the decision back.")
@click.option("--reason", default="", help="Why, kept with the undo (one line).")
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
@user_errors
def dispute_undo(
    obj: KioskContext, proposal_id: str, actor: str, reason: str, as_json: bool
) -> None:
    """Take back the manager's decision on an item: the customer's holding as it was before
    it, the items it closed open again. Only the latest change to that customer's holding
    can be undone; the history keeps the decision, marked undone."""
    # measured start-up cost: kiosk.disputes (~207 ms), kiosk.store (~140 ms), first needed here
    from kiosk.disputes import (
        after_undo,
        arrangement_dict,
        arrangements,
        describe,
        today_of,
        undo,
    )
    from kiosk.routing.arrangement import holding_words
    from kiosk.routing.rules import name_of
    from kiosk.store import get_contact, load_salespeople

    db, config, now = obj.db(), obj.config(), obj.now()
    zone = show_zone(config.timezone)
    proposal_id = _full_id(obj, proposal_id)
    event = undo(db, config, proposal_id, actor=actor, now=now, reason=reason)
    p = event.payload
    people = load_salespeople(db)
    [a] = [
        d for d in arrangements(db, proposal_id=p["proposal_id"], include_undone=True, limit=-1)
        if d.id == p["decision_id"]
    ]  # fmt: skip
    contact = get_contact(db, p["contact_id"]) if p["contact_id"] else None
    open_items = [
        r[0]
        for r in db.execute(
            "SELECT id FROM proposals WHERE status = 'open' AND contact_id IS ? ORDER BY id",
            [p["contact_id"]],
        )
    ]
    left = after_undo(db, event)
    if as_json:
        out = arrangement_dict(a, people, decided_on=today_of(config, a.decided_at), zone=zone)
        _echo_json({
            "undo_id": event.uuid, "proposal_id": p["proposal_id"], "decision": out,
            "holding": {k: p[k] for k in ("owner_id", "assistant_id", "split", "preferred_id")},
            "open_items": open_items,
            # the owner before the decision, when the CRM gives the customer to another now
            "crm_changed_from": left.crm_changed_from if left else None,
        })  # fmt: skip
        return
    decided = describe(
        replace(a, undone_at=None), people, decided_on=today_of(config, a.decided_at)
    )
    click.echo(f"Undone: the decision on {p['proposal_id']} ({decided}).")
    if contact is not None and left is not None:
        held = holding_words(
            lambda sp: name_of(people, sp), left.owner_id, left.assistant_id, left.split
        )
        if left.crm_changed_from:  # not "again": the CRM gives them to someone else now
            click.echo(
                f"{contact.name}: {held}, as the CRM import says now"
                f" ({name_of(people, left.crm_changed_from)} owned them before the decision)."
            )
        else:
            click.echo(f"{contact.name}: {held} again.")
        settled = [
            r[0]
            for r in db.execute(
                "SELECT id FROM proposals WHERE contact_id = ? AND decided_at = ?"
                " AND decided_by IS NULL AND outcome = 'outdated' ORDER BY id",
                [contact.id, event.ts],
            )
        ]
        if settled:  # reopened, they ask about an owner the CRM no longer gives them
            click.echo(f"Settled by the CRM import, nothing to decide: {', '.join(settled)}.")
    if open_items:  # the items it closed, and any other still open on the customer
        click.echo(
            f"Waiting for a decision on them: {', '.join(open_items)} (see kiosk proposals)."
        )
