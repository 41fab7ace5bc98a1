"""Invitation commands: invite (emails with a personal QR), badge (walk-in badge PNG),
contact-qr (a salesperson's vCard as a QR code)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from kiosk import keyfile
from kiosk.cli.context import KioskContext, fail, pass_ctx, user_errors
from kiosk.keyfile import SECRET_NAME


def _echo_json(obj: Any) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False, indent=2))


def _salesperson(obj: KioskContext, key: str):
    # measured start-up cost: kiosk.store (~140 ms), first needed here
    from kiosk.store import find_salesperson

    sp = find_salesperson(obj.db(), key)
    if sp is None:
        fail(f"unknown salesperson: {key}")
    return sp


@click.command()
@click.option("--salesperson", "-s", "who", required=True, help="Salesperson id, email or name.")
@click.option(
    "--filter",
    "query",
    help="Only customers in these countries or matching this text (comma-separated: 'CN,TW').",
)
@click.option(
    "-o",
    "--output",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the .eml files, the QR PNGs and mail-merge.csv.",
)
@click.option(
    "--templates",
    "template_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder with edited invitation.LANG.txt/.html templates (see kiosk/invites/templates).",
)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary.")
@pass_ctx
@user_errors
def invite(
    obj: KioskContext,
    who: str,
    query: str | None,
    out_dir: Path,
    template_dir: Path | None,
    as_json: bool,
) -> None:
    """Write invitation emails (.eml, with a personal QR) for a salesperson's customers."""
    # measured start-up cost: rich.console (~17 ms), rich.progress (~43 ms), kiosk.invites.files
    # (~430 ms), kiosk.setup (~391 ms), first needed here
    from rich.console import Console
    from rich.progress import Progress

    from kiosk.invites.files import write_invitations
    from kiosk.setup import require_own_invite_key

    db, config = obj.db(), obj.config()
    require_own_invite_key(db, config)
    sp = _salesperson(obj, who)
    console = Console(stderr=True)
    with Progress(console=console, transient=True, disable=not console.is_terminal) as bar:
        task = bar.add_task("Writing invitations", total=None)
        report = write_invitations(
            db,
            config,
            sp,
            out_dir,
            query=query,
            template_dir=template_dir,
            now=obj.now(),
            actor=sp.id,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    if as_json:
        _echo_json(
            {
                "salesperson": sp.id,
                "output": str(report.out_dir),
                "mail_merge": str(report.csv_path),
                "written": [
                    {
                        "contact_id": w.issued.contact.id,
                        "email": w.issued.contact.email,
                        "language": w.issued.language,
                        "eml": str(w.eml),
                        "qr": str(w.qr),
                        "token": w.issued.token,
                    }
                    for w in report.written
                ],
                "skipped": [
                    {"contact_id": c.id, "name": c.name, "reason": r} for c, r in report.skipped
                ],
            }
        )
        return
    langs = ", ".join(f"{lang} {n}" for lang, n in report.by_language.items())
    click.echo(
        f"Wrote {len(report.written)} invitation(s) from {sp.name} to {report.out_dir}"
        + (f" ({langs})" if langs else "")
        + "."
    )
    click.echo(f"Mail merge: {report.csv_path}")
    if report.filter_terms:
        click.echo("Filter: " + "; ".join(t.describe() for t in report.filter_terms))
    if not report.written and not report.skipped:
        click.echo(f"{sp.name} has no customers" + (" matching the filter." if query else "."))
    if report.skipped:
        click.echo(f"Skipped {len(report.skipped)} customer(s):")
        for contact, reason in report.skipped:
            click.echo(f"  {contact.id}  {contact.name} — {reason}")
    if not config.secret and report.written:
        if not keyfile.get(None, SECRET_NAME):
            click.echo(
                f"Note: codes are signed with the key in {keyfile.key_file(obj.db_path)};"
                " other kiosks check them only with a copy of that file"
                f" (or {keyfile.env_name(SECRET_NAME)})."
            )


@click.command()
@click.argument("query", required=False)
@click.option(
    "-o",
    "--output",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="PNG file to write (4 × 3 in at 300 dpi).",
)
@click.option("--name", help="A new visitor's name (instead of QUERY).")
@click.option("--company", default="", help="A new visitor's company.")
@click.option("--country", default="", help="A new visitor's country (code or name).")
@click.option("--email", default="", help="A new visitor's email.")
@click.option("--phone", default="", help="A new visitor's phone.")
@click.option(
    "--credit",
    help="With QUERY: salesperson to credit as inviter when the badge is scanned (default: none).",
)
@click.option(
    "--lang", type=click.Choice(["en", "zh", "es"]), help="Badge language (country, dates)."
)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary.")
@pass_ctx
@user_errors
def badge(
    obj: KioskContext,
    query: str | None,
    out: Path,
    name: str | None,
    company: str,
    country: str,
    email: str,
    phone: str,
    credit: str | None,
    lang: str | None,
    as_json: bool,
) -> None:
    """Print a walk-in badge PNG for a known contact (QUERY) or a new visitor (--name)."""
    # measured start-up cost: kiosk.countries (~16 ms), kiosk.invites.fonts (~29 ms),
    # kiosk.invites.walkin (~534 ms), first needed here
    from kiosk.countries.resolve import resolve_country
    from kiosk.invites.fonts import find_badge_font
    from kiosk.invites.walkin import (
        badge_for_contact,
        badge_for_visitor,
        find_contact,
        render_badge,
        save_badge,
    )

    if bool(query) == bool(name and name.strip()):
        fail("give either QUERY (a known contact) or --name (a new visitor), not both")
    if credit and not query:
        # a new visitor's badge is a plain vCard (no contact id to sign an invitation for):
        # the option was ignored without a word, and a misspelt name accepted
        fail("--credit goes with QUERY (a known contact): a new visitor's badge cannot carry"
             " an invitation; file them as a lead with --by instead")  # fmt: skip
    db, config = obj.db(), obj.config()
    if query:
        contact = find_contact(db, query)
        credited = _salesperson(obj, credit).id if credit else None
        walkin = badge_for_contact(db, config, contact, credit=credited, now=obj.now())
    else:
        code = ""
        if country.strip():
            code = resolve_country(country) or ""
            if not code:
                fail(f"unknown country: {country}")
        walkin = badge_for_visitor(
            name=name or "", company=company, country=code, email=email, phone=phone
        )
    font = find_badge_font()
    image, warnings = render_badge(walkin, config, lang=lang or config.language, font=font)
    out.parent.mkdir(parents=True, exist_ok=True)
    save_badge(image, out)
    for warning in warnings:
        click.echo(f"Warning: {warning}", err=True)
    if as_json:
        _echo_json(
            {
                "file": str(out),
                "size": list(image.size),
                "dpi": 300,
                "contact_id": walkin.contact_id,
                "registration_id": walkin.registration_id,
                "qr": walkin.qr_data,
                "font": font.source,
                "warnings": warnings,
            }
        )
        return
    who = ", ".join(p for p in (walkin.company, walkin.country) if p)
    click.echo(f"Badge for {walkin.name}" + (f" ({who})" if who else "") + f" written to {out}.")
    if walkin.contact_id:
        click.echo(f"QR: signed code for contact {walkin.contact_id}.")
    else:
        click.echo(
            f"QR: the visitor's details with registration id {walkin.registration_id};"
            " file them as a lead by scanning it."
        )


@click.command("contact-qr")
@click.argument("salesperson")
@click.option(
    "-o",
    "--output",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="PNG file to write; without it the QR is printed in the terminal.",
)
@click.option("--show", is_flag=True, help="Also print the QR in the terminal.")
@click.option(
    "--company",
    default=None,
    help="Company name for the card (ORG); default: the show's [show] exhibitor.",
)
@pass_ctx
@user_errors
def contact_qr(
    obj: KioskContext, salesperson: str, out: Path | None, show: bool, company: str | None
) -> None:
    """A salesperson's contact card (vCard) as a QR code a visitor scans to save it."""
    # measured start-up cost: rich.console (~17 ms), rich.text (~12 ms), kiosk.invites.qr (~72 ms),
    # first needed here
    from rich.console import Console
    from rich.text import Text

    from kiosk.invites.qr import qr_png, qr_text, vcard_for

    sp = _salesperson(obj, salesperson)
    card = vcard_for(sp, obj.config().exhibitor if company is None else company)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        width, _ = qr_png(card, out, scale=10)
        click.echo(f"vCard QR for {sp.name} written to {out} ({width} px).")
    if out is None or show:
        console = Console(highlight=False, soft_wrap=True)
        # Light modules on black: scans whatever the terminal's own colours are.
        console.print(Text(qr_text(card), style="#ffffff on #000000"))
        console.print(Text(f"{sp.name}  {sp.phone}  {sp.email}".strip()))
    if sys.stdout.isatty() and out is None:
        click.echo("Scan with a phone camera to save the contact.")
