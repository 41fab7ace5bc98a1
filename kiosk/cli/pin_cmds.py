"""PINs and keys: `kiosk pin set|unlock|list`, `kiosk keys list|new-invite-key`.

The CLI trusts the operating system's user: whoever can run it can read the database file
anyway, so setting a PIN asks for no other PIN. PINs guard the booth screen (the TUI).
"""

from __future__ import annotations

import sys

import click

from kiosk import keyfile
from kiosk.cli.context import KioskContext, fail, pass_ctx, user_errors
from kiosk.keyfile import SECRET_NAME
from kiosk.meta import MADE_META_KEY, set_meta


@click.group()
def pin() -> None:
    """PINs for logging in at the booth screen (stored hashed; see README "Privacy")."""


@pin.command("set")
@click.argument("person")
@click.option("--pin-stdin", is_flag=True, help="Read the PIN from standard input (for scripts).")
@pass_ctx
@user_errors
def pin_set(obj: KioskContext, person: str, pin_stdin: bool) -> None:
    """Set PERSON's PIN (an id, e-mail or name): 4 to 12 digits, asked twice."""
    # measured start-up cost: kiosk.pins (~56 ms), kiosk.booth (~173 ms), kiosk.show (~129 ms),
    # first needed here
    from kiosk import pins
    from kiosk.booth import named_salesperson
    from kiosk.show import is_demo

    db = obj.db()
    sp = named_salesperson(db, person)
    if pin_stdin:
        text = sys.stdin.readline().strip()
    else:
        text = click.prompt(
            f"New PIN for {sp.name}", hide_input=True, confirmation_prompt=True
        ).strip()
    weak = pins.set_pin(db, sp.id, text, now=obj.now(), allow_weak=is_demo(db))
    note = " (a demo PIN: fine for the demo only)" if weak else ""
    click.echo(f"PIN set for {sp.name} ({sp.id}){note}")


@pin.command("unlock")
@click.argument("person")
@pass_ctx
@user_errors
def pin_unlock(obj: KioskContext, person: str) -> None:
    """Forget PERSON's wrong PINs: they may try again at once."""
    # measured start-up cost: kiosk.pins (~56 ms), kiosk.booth (~173 ms), first needed here
    from kiosk import pins
    from kiosk.booth import named_salesperson

    db = obj.db()
    sp = named_salesperson(db, person)
    pins.unlock(db, sp.id)
    click.echo(f"{sp.name} may log in again")


@pin.command("list")
@pass_ctx
@user_errors
def pin_list(obj: KioskContext) -> None:
    """Who has a PIN, whose is weak, and how many wrong PINs each has typed."""
    # measured start-up cost: kiosk.pins (~56 ms), first needed here
    from kiosk import pins

    db = obj.db()
    rows = db.execute("SELECT id, name, role FROM salespeople ORDER BY name").fetchall()
    for pid, name, role in rows:
        pin_ = pins.effective_pins(db, pid).get(pid)
        if pin_ is None and role not in ("sales", "manager"):
            continue  # reception needs no PIN; one who was given one is listed
        state = "no PIN" if pin_ is None else "weak PIN" if pin_.weak else "PIN set"
        failed = pins.failures(db, pid)
        extra = f", {failed} wrong" if failed else ""
        click.echo(f"{pid}\t{name}\t{role}\t{state}{extra}")
    failed = pins.failures(db, pins.MANAGER)
    if failed:
        click.echo(f"manager PIN prompt: {failed} wrong")


@click.group()
def keys() -> None:
    """Keys kept in the key file beside the database (never in it, never in the show file)."""


@keys.command("list")
@pass_ctx
@user_errors
def keys_list(obj: KioskContext) -> None:
    """The key file's path and the names it holds (not the values)."""
    path = keyfile.key_file(obj.db_path)
    click.echo(f"{path}")
    for name in keyfile.names(obj.db_path):
        click.echo(f"  {name}")


@keys.command("new-invite-key")
@click.option("--yes", is_flag=True, help="Replace an existing key without asking.")
@pass_ctx
@user_errors
def keys_new_invite(obj: KioskContext, yes: bool) -> None:
    """Make a new random invitation key (invitations signed with the old one stop working)."""
    # measured start-up cost: secrets (~6 ms), first needed here
    import secrets

    db = obj.db()
    if keyfile.get(obj.db_path, SECRET_NAME, env={}) and not yes:
        if not click.confirm("Replace the invitation key? Invitations already sent stop working"):
            fail("the invitation key was kept")
    path = keyfile.put(obj.db_path, SECRET_NAME, secrets.token_urlsafe(32))
    set_meta(db, MADE_META_KEY, path.name)
    click.echo(f"New invitation key in {path} (copy it with the database to cloned kiosks)")
