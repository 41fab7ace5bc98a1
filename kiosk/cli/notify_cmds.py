"""Notification commands: `kiosk notify outbox|send|add|test` (issue 13).

The outbox is what the manager looks at: every notification with its state (sent, failed
and why, waiting, paused, duplicate). `send` runs one pass by hand (the TUI's worker and
`kiosk sync` run it by themselves); `add` keeps a salesperson's channel in the 0600 key file
beside the database, read from standard input so the token never shows in `ps` or the
shell's history; `test` sends a test message to each of their channels at once.
"""

from __future__ import annotations

import json
import sys

import click

from kiosk.cli.context import KioskContext, pass_ctx, user_errors
from kiosk.hub.url import HubError, resolve_url


@click.group()
def notify() -> None:
    """Notifications to salespeople: the outbox, their channels, a test."""


@notify.command("outbox")
@click.option("--limit", type=click.IntRange(min=1), default=30, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
@user_errors
def outbox_cmd(obj: KioskContext, limit: int, as_json: bool) -> None:
    """The newest notifications and their state: sent, pending, failed (why), paused …"""
    # measured start-up cost: kiosk.notify.outbox (~283 ms), first needed here
    from kiosk.notify.outbox import counts, items

    db = obj.db()
    rows = items(db, limit=limit)
    if as_json:
        click.echo(json.dumps([r.__dict__ for r in rows], ensure_ascii=False, indent=2))
        return
    summary = ", ".join(f"{n} {state}" for state, n in sorted(counts(db).items()))
    click.echo(f"Outbox: {summary or 'empty'}")
    for r in rows:
        when = (r.sent_at or r.created_at or "")[:19].replace("T", " ")
        why = f" — {r.why}" if r.why else ""
        click.echo(f"  {when}  {r.state:<10} {r.recipient:<8} {r.channel}: {r.title}{why}")


@notify.command("send")
@click.option("--hub", "hub_url", help="Claim through this hub (default: KIOSK_HUB, [hub] url).")
@pass_ctx
@user_errors
def send_cmd(obj: KioskContext, hub_url: str | None) -> None:
    """Raise and send this kiosk's due notifications once (claimed on the hub, if any)."""
    # measured start-up cost: kiosk.hub.connection (~128 ms), kiosk.hub.notifying (~340 ms),
    # first needed here
    from kiosk.hub.connection import connect
    from kiosk.hub.notifying import notification_pass

    db, config = obj.db(), obj.config()
    try:
        url: str | None = resolve_url(hub_url, config)
    except HubError:
        url = None
    conn = None
    if url is not None:
        try:
            conn = connect(url)
        except HubError as exc:
            click.echo(f"{exc} (notifications wait for it)", err=True)
    try:
        done = notification_pass(db, conn, obj.now(), config=config, db_path=obj.db_path, url=url)
    finally:
        if conn is not None:
            conn.close()
    click.echo(
        f"Sent {done.sent}, retrying {done.retrying}, failed {done.failed},"
        f" duplicates {done.duplicate}, waiting for the hub {done.waiting_for_hub}."
    )


@notify.command("add")
@click.argument("salesperson")
@pass_ctx
@user_errors
def add_cmd(obj: KioskContext, salesperson: str) -> None:
    """Add channels (apprise URLs, one a line, from standard input) to SALESPERSON's profile.

    Kept in the key file beside the database (mode 0600), never in the database or the show
    file: e.g. `echo 'slack://T…/B…/C…' | kiosk notify add ana`."""
    # measured start-up cost: kiosk.booth (~173 ms), kiosk.notify.channels (~386 ms), first needed
    # here
    from kiosk.booth import require_salesperson
    from kiosk.notify.channels import add_to_profile

    person = require_salesperson(obj.db(), salesperson)
    assert person is not None
    urls = [line.strip() for line in sys.stdin.read().splitlines() if line.strip()]
    if not urls:
        click.echo("Error: no channel URL on standard input", err=True)
        raise SystemExit(2)
    path = add_to_profile(obj.db_path, person.id, urls)
    click.echo(f"{person.name}: {len(urls)} channel(s) added, kept in {path} (mode 0600).")


@notify.command("test")
@click.argument("salesperson")
@pass_ctx
@user_errors
def test_cmd(obj: KioskContext, salesperson: str) -> None:
    """Send a test message to each of SALESPERSON's channels now (not through the outbox)."""
    # measured start-up cost: kiosk.booth (~173 ms), kiosk.notify.channels (~386 ms),
    # kiosk.notify.send (~185 ms), first needed here
    from kiosk.booth import require_salesperson
    from kiosk.notify.channels import channels_for
    from kiosk.notify.send import apprise_send

    person = require_salesperson(obj.db(), salesperson)
    assert person is not None
    channels = channels_for(person.id, obj.config(), obj.db_path)
    if not channels:
        click.echo(f"{person.name} has no channel: add one with 'kiosk notify add {person.id}'.")
        return
    failed = 0
    for channel in channels:
        error = apprise_send(channel.url, "Booth kiosk test", f"Test for {person.name}.")
        failed += error is not None
        click.echo(f"  {channel.label}: {'sent' if error is None else error}")
    if failed:
        raise SystemExit(1)
