"""Sync commands: import (CRM → kiosk), merge (kiosks → one), export (kiosk → CRM), report."""

from __future__ import annotations

import json
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import click

from kiosk.cli.context import KioskContext, pass_ctx, user_errors

KINDS = ("contacts", "salespeople", "territories")
CRM_FORMATS = ("generic", "salesforce", "hubspot", "odoo")
PROGRESS_BYTES = 512 * 1024  # a few thousand rows: below this the import is over in a blink


def _echo_json(obj: Any) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False, indent=2))


def _progress_bar(path: Path):
    """A rich progress bar on stderr for big files, or None (not a TTY, or a small file)."""
    try:
        size = path.stat().st_size
    except OSError:
        return None
    if size < PROGRESS_BYTES or not sys.stderr.isatty():
        return None
    # measured start-up cost: rich.console (~17 ms), rich.progress (~43 ms), first needed here
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[amount]}"),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    )


class _Bar:
    """The import's two phases on one bar: the file read (MB), then — lookups already
    work — the search index built (rows; a build that runs beside the import only says
    when it is done, so until then the bar pulses)."""

    def __init__(self, bar: Any, name: str, size: int) -> None:
        self.bar, self.name = bar, name
        self.task = bar.add_task(f"Importing {name}", total=size, amount="")

    def read(self, done: int, total: int) -> None:
        self.bar.update(self.task, completed=done, total=total,
                        amount=f"{done / 1e6:.1f}/{total / 1e6:.1f} MB")  # fmt: skip

    def indexed(self, done: int, total: int) -> None:
        self.bar.update(
            self.task, description=f"Search index for {self.name} (lookups work already)",
            completed=done, total=total if done else None,
            amount=f"{done:,}/{total:,} rows" if done else f"{total:,} rows",
        )  # fmt: skip


def _due_reviews(obj: KioskContext) -> list[Any]:
    """After a CRM import (new last-deal dates): the workbench decisions whose review came
    with no deal since get a new lapse proposal (`kiosk.disputes.raise_due_reviews`)."""
    # measured start-up cost: kiosk.disputes (~207 ms), first needed here
    from kiosk.disputes import raise_due_reviews

    return raise_due_reviews(obj.db(), obj.config(), now=obj.now())


@click.command("import")
@click.argument("kind", type=click.Choice(KINDS))
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(CRM_FORMATS), default="generic",
              show_default=True, help="Whose export this is (column names, date order).")  # fmt: skip
@click.option("--mapping", type=click.Path(dir_okay=False, path_type=Path),
              help="TOML mapping CSV columns to kiosk fields (see docs/sync.md).")  # fmt: skip
@click.option("--dry-run", is_flag=True, help="Check the file and count; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the full report as JSON.")
@pass_ctx
@user_errors
def import_cmd(
    obj: KioskContext, kind: str, file: Path, fmt: str, mapping: Path | None, dry_run: bool,
    as_json: bool,
) -> None:  # fmt: skip
    """Import a CRM export: contacts, salespeople or territories (replaces all rules).

    Contacts are upserted by CRM id, else by email; booth check-ins, leads and decisions
    are kept. Bad rows go to FILE.rejects.csv with their line number and reason.
    """
    # measured start-up cost: kiosk.sync.imports (~341 ms), first needed here
    from kiosk.sync.imports import import_csv

    db = obj.db()
    bar = _progress_bar(file)
    if bar is None:
        report = import_csv(db, kind, file, fmt=fmt, mapping=mapping, dry_run=dry_run)
    else:
        with bar:
            phases = _Bar(bar, file.name, file.stat().st_size)
            report = import_csv(
                db, kind, file, fmt=fmt, mapping=mapping, dry_run=dry_run,
                progress=phases.read, index_progress=phases.indexed,
            )  # fmt: skip
    reviews = _due_reviews(obj) if kind == "contacts" and not dry_run else []
    # Every row rejected (a wrong file, a wrong --format, owners not imported yet): exit 1, so
    # a script running the morning's pull stops there instead of going on with no customers.
    refused = report.rejected > 0 and not (report.inserted or report.updated or report.unchanged)
    if as_json:
        _echo_json(report.details() | {"reviews_raised": len(reviews)})
        if refused:
            raise SystemExit(1)
        return
    if reviews:
        click.echo(f"{len(reviews)} decision(s) reached their review with no deal since:"
                   " a new lapse proposal each, for the manager (kiosk proposals)")  # fmt: skip
    d = report.details()
    head = "Dry run (nothing written): would import" if dry_run else "Imported"
    click.echo(f"{head} {kind} from {file.name} ({report.fmt}, {d['encoding']}, "
               f"delimiter {report.delimiter!r}): {report.rows} rows")  # fmt: skip
    counts = f"  inserted {report.inserted}, updated {report.updated}, unchanged {report.unchanged}"
    if kind == "territories":
        counts += f", removed {report.removed}"
    counts += f", rejected {report.rejected}"
    if report.rejects_path:
        counts += f" → {report.rejects_path}"
    click.echo(counts)
    for line, reason in report.sample_rejects:
        click.echo(f"  line {line}: {reason}")
    if report.rejected > len(report.sample_rejects):
        click.echo(f"  … and {report.rejected - len(report.sample_rejects)} more")
    if report.footer:
        click.echo(f"  {report.footer_text()}")
    if report.ignored_columns:
        click.echo("  ignored columns: " + ", ".join(report.ignored_columns))
    for warning in report.warnings:
        click.echo(f"  warning: {warning}")
    if report.replayed is not None:
        click.echo(
            f"  replayed {report.replayed} booth events onto the new data ({report.rebuild_s:.2f} s)"
        )
    if report.index_s:  # a bulk load: lookups worked before search did
        click.echo(f"  lookups and routing ready after {report.ready_s:.1f} s;"
                   f" search index built {report.index_s:.1f} s later")  # fmt: skip
    if refused:
        click.echo(f"Nothing imported: every row of {file.name} was rejected (the reasons are"
                   " above and in the rejects file).")  # fmt: skip
        raise SystemExit(1)


@click.command()
@click.argument("others", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--into", "into", type=click.Path(dir_okay=False, path_type=Path),
              help="Database to merge into (default: --db).")  # fmt: skip
@click.option("--max-skew", "max_skew", type=click.FloatRange(min=0), default=10.0,
              show_default=True, metavar="MINUTES",
              help="Flag events stamped more than this far ahead of this computer's clock.")  # fmt: skip
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
@user_errors
def merge(
    obj: KioskContext, others: tuple[Path, ...], into: Path | None, max_skew: float,
    as_json: bool,
) -> None:  # fmt: skip
    """Merge other kiosks' databases (their event logs) into this one.

    Idempotent and order-independent. The target is backed up to TARGET.bak-<time> first;
    a foreign file or one from a newer kiosk is refused and nothing is written. Events
    stamped more than --max-skew minutes in the future (a kiosk whose clock ran ahead) are
    merged all the same and reported, with the kiosk and the worst offset; so are scans and
    leads stamped before the show's set-up (a kiosk whose clock is behind, which would win
    "earliest claim" disputes).
    """
    # measured start-up cost: kiosk.db (~44 ms), kiosk.sync.merge (~250 ms), first needed here
    from kiosk.db import open_db
    from kiosk.sync.merge import merge_into

    now = obj.now()  # the command's clock (KIOSK_NOW or the computer's)
    target = into or obj.db_path
    db = open_db(target, create=False) if into else obj.db()
    report = merge_into(
        db, list(others), target_path=target, now=now,
        max_clock_skew=timedelta(minutes=max_skew), show=None if into else obj.config(),
    )  # fmt: skip
    if as_json:
        _echo_json(report.summary())
        return
    for s in report.sources:
        kiosks = ", ".join(s.kiosk_ids) or "no events"
        click.echo(f"{s.path.name} ({kiosks}): {s.events} events, {s.new} new")
    for skipped in report.skipped:
        click.echo(f"skipped {skipped}")
    if report.backup:
        click.echo(f"Backed up {target.name} to {report.backup}")
    if report.new:
        click.echo(f"Merged {report.new} new events ({report.known} already known).")
    else:
        click.echo("Nothing new to merge.")
    for warning in report.clock_warnings() + report.twin_warnings():
        click.echo(warning)
    for line in report.quarantine_lines():  # events that could not be merged, kept aside
        click.echo(line)
    click.echo(f"Waiting for the manager: {report.items_text()}")


@click.command()
@click.argument("what", type=click.Choice(("leads", "checkins", "disputes", "owners")))
@click.option("--format", "fmt", type=click.Choice(CRM_FORMATS), default="generic", show_default=True,
              help="Whose importer the columns are for.")  # fmt: skip
@click.option("-o", "--output", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="CSV file to write (UTF-8 with BOM, for Excel).")  # fmt: skip
@click.option(
    "--since",
    help="Only rows from this time on, in the show's time zone unless an"
    " offset is given (e.g. 2026-11-24, 2026-11-24T14:00, 2026-11-24T13:00+00:00).",
)
@click.option(
    "--new", "new", is_flag=True, help="Only rows no earlier export (same kind and format) had."
)
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
@user_errors
def export(
    obj: KioskContext, what: str, fmt: str, out: Path, since: str | None, new: bool, as_json: bool
) -> None:
    """Write leads, check-ins, disputes or owner updates as an import-ready CSV for the CRM.

    `leads`: one row per lead (generic, odoo), or per visitor with all their leads
    combined (salesforce, hubspot: their importers keep one record per e-mail).
    `owners`: one row per contact whose owner, assistant or split the manager's approval
    changed, keyed by the CRM's id (else the email), for an update import.
    """
    # measured start-up cost: kiosk.sync.export_formats (~30 ms), kiosk.sync.exports (~204 ms),
    # first needed here
    from kiosk.sync.export_formats import counted
    from kiosk.sync.exports import export as do_export

    result = do_export(obj.db(), what, out, fmt=fmt, since=since, new=new, config=obj.config())
    if as_json:
        _echo_json(result.summary())
        return
    scope = " (new since the last export)" if new else f" (since {since})" if since else ""
    click.echo(f"Wrote {counted(what, fmt, result.rows, result.leads)} to {out} ({fmt}){scope}.")


@click.command()
@click.option("--format", "fmt", type=click.Choice(("table", "csv", "markdown", "json")),
              default="table", show_default=True)  # fmt: skip
@click.option("-o", "--output", "out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to a file instead of the terminal.")  # fmt: skip
@pass_ctx
@user_errors
def report(obj: KioskContext, fmt: str, out: Path | None) -> None:
    """Per-salesperson summary: invited customers who came, own customers, leads, disputes."""
    # measured start-up cost: kiosk.cli.render (~258 ms), kiosk.sync.report (~459 ms), first needed
    # here (kiosk.reports.stats and .dashboard come with kiosk.cli.render)
    from kiosk.cli.render import print_report
    from kiosk.reports.dashboard import open_items
    from kiosk.reports.stats import checkin_totals, checkins_line
    from kiosk.sync.report import (
        decision_totals,
        open_items_line,
        outcomes_line,
        render,
        show_report,
    )

    people = show_report(obj.db(), now=obj.now())
    decided = decision_totals(obj.db())
    # the people the columns count, and the scans `kiosk stats` counts, each said as such
    checked_in = checkin_totals(obj.db())
    items = open_items(obj.db())  # each once: the total of the rows' "Disputes open"
    title = f"{obj.config().name} — salespeople"
    if fmt == "table":
        under = "\n".join(
            (checkins_line(checked_in), outcomes_line(decided), open_items_line(items))
        )
        if out is None:
            print_report(people, title, open_items=items)  # whole when stdout is no terminal
            click.echo(under)
            return
        with open(out, "w", encoding="utf-8") as fh:
            print_report(people, title, file=fh, open_items=items)
            fh.write(under + "\n")
    else:
        csv = fmt == "csv"
        text = render(people, fmt, title, outcomes=None if csv else decided,
                      checked_in=None if csv else checked_in, open_items=None if csv else items)  # fmt: skip
        if out is None:
            click.echo(text, nl=False)
            return
        out.write_text(text, encoding="utf-8-sig" if fmt == "csv" else "utf-8", newline="")
    click.echo(f"Report written to {out}")
