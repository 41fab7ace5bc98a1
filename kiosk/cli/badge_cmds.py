"""`kiosk badges layout`: the show's badge layout, and the one its scans suggest."""

from __future__ import annotations

import json

import click

from kiosk.cli.context import KioskContext, fail, pass_ctx, user_errors


@click.group()
def badges() -> None:
    """The show's badges."""


@badges.command("layout")
@click.option("--confirm", is_flag=True, help="Use the layout the recent scans suggest.")
@click.option("--fields", default=None, help="Set the layout by hand: badge_id,name,company,…")
@click.option("--by", "actor", default=None, help="The manager confirming (with --confirm).")
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
@user_errors
def layout(
    obj: KioskContext, confirm: bool, fields: str | None, actor: str | None, as_json: bool
) -> None:
    """Show the badge layout in force and the one the recent scans suggest; --confirm uses it.

    Registration vendors print delimited badges (ID^Name^Company^…) in their own order. The
    kiosk reads each scan by content when the layout does not fit; once the scans agree on
    another layout, the manager confirms it here or in the manager view. It is recorded as
    an event, so every kiosk gets it at the next merge or sync.
    """
    # measured start-up cost: kiosk.booth (~173 ms), kiosk.visits.layout (~229 ms), first needed
    # here
    from kiosk.booth import confirm_layout, require_salesperson
    from kiosk.visits.layout import layout_offer, offer_dict

    db, config = obj.db(), obj.config()
    offer = layout_offer(db, config)
    if confirm or fields:
        who = require_salesperson(db, actor)
        if who is None or who.role != "manager":
            fail("confirming a badge layout needs the manager: --by MANAGER")
        assert who is not None
        if fields:
            chosen = [f.strip() for f in fields.split(",") if f.strip()]
            confirm_layout(db, config, chosen, now=obj.now(), actor=who.id)
        elif offer is None:
            fail("the recent scans suggest no other layout; nothing to confirm")
        else:
            p = offer.proposal
            chosen = list(p.fields)
            confirm_layout(db, config, chosen, now=obj.now(), actor=who.id,
                           confidence=round(p.confidence, 3), scans=p.scans)  # fmt: skip
        click.echo(f"Badge layout now: {' ^ '.join(chosen)}")
        return
    if as_json:
        click.echo(json.dumps(offer_dict(offer, config), indent=2))
        return
    click.echo(f"Badge layout in force: {' ^ '.join(config.badge_fields)}")
    if offer is None:
        click.echo("The recent scans suggest no other layout.")
        return
    p = offer.proposal
    click.echo(
        f"The last {p.scans} delimited scans suggest: {' ^ '.join(p.fields)}"
        f" ({p.agreeing} of {p.scans} agree, confidence {p.confidence:.0%})."
    )
    click.echo("Use it: kiosk badges layout --confirm --by MANAGER")
