"""Rich rendering of CLI results for people (the --json paths bypass this)."""

from __future__ import annotations

import io
from typing import IO, Any

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from kiosk.config import ShowConfig
from kiosk.models import Decision, Salesperson
from kiosk.reports.stats import CHECKINS_LABEL, VISITORS_LABEL
from kiosk.sync.report import LABELS, PersonReport, columns, totals, value


def _console() -> Console:
    return Console(highlight=False)


def _decision_text(d: Decision, salespeople: dict[str, Salesperson]) -> Text:
    owner = salespeople.get(d.salesperson_id or "")
    t = Text()
    t.append("→ ", style="bold")
    if owner:
        t.append(owner.name, style="bold green")
        if owner.phone:
            t.append(f"  {owner.phone}")
    else:
        t.append("nobody", style="bold red")
    t.append(f"  [{d.rule}] ", style="cyan")
    t.append(d.reason)
    if d.flags:
        t.append("  flags: " + ", ".join(sorted(d.flags)), style="yellow")
    for p in d.proposals:
        t.append(f"\n   proposal ({p.kind}): {p.reason}", style="magenta")
    return t


def showing(result) -> str:
    """'showing 10 of 134', or 'showing 10 of 200+' when the total is a lower bound."""
    total = result.total if result.total is not None else len(result.matches)
    more = "+" if result.total_is_lower_bound else ""
    return f"showing {len(result.matches):,} of {total:,}{more}"


def print_lookup(
    result,
    decisions: dict[str, Any],
    salespeople: dict[str, Salesperson],
    config: ShowConfig,
    *,
    note: str = "",
) -> None:
    """Candidates with their decisions; Text objects keep badge/CSV text from acting as markup.
    `note` (whether a check-in would take the first) is printed under the count."""
    # measured start-up cost: kiosk.countries (~16 ms), first needed here
    from kiosk.countries import country_name

    console = _console()
    console.print(
        Text(result.message or f"{result.kind}: {len(result.matches)} match(es)", style="bold")
    )
    if result.matches:
        console.print(Text(showing(result), style="dim"))
    if note:
        console.print(Text(note, style="yellow"))
    for match, decision in zip(result.matches, decisions["matches"], strict=True):
        c = match.contact
        line = Text()
        line.append(c.name, style="bold")
        if c.company:
            line.append(f" · {c.company}")
        if c.country:
            line.append(f" · {country_name(c.country, config.language)}")
        line.append(f"  ({match.how}, {match.score:.0f})", style="dim")
        console.print(line)
        console.print(_decision_text(decision, salespeople))
        if c.assistant_id:  # as the card shows it: who assists the owner, and for what share
            helper = salespeople.get(c.assistant_id)
            share = f" ({round(c.split * 100)}% of the commission)" if c.split else ""
            who = helper.name if helper else c.assistant_id
            console.print(Text(f"   assisted by {who}{share}", style="green"))
    route = decisions.get("route")
    if route is not None:
        console.print(Text("Route for a new visitor:", style="bold"))
        console.print(_decision_text(route, salespeople))


def print_stats(data: dict[str, Any]) -> None:
    table = Table(title=f"{data['show']} — {data['kiosk_id']}", show_header=False)
    table.add_column("what")
    table.add_column("count", justify="right")
    labels = {
        "database": "Database",
        "staff": "People at the booth",
        "salespeople": "Salespeople",
        "territory_rules": "Territory rules",
        "contacts": "CRM contacts",
        "countries": "Countries",
        "booth_contacts": "New visitors met (walk-ins and leads)",
        "visitors": VISITORS_LABEL,
        "checkins": CHECKINS_LABEL,
        "waiting": "Waiting to be received",
        "leads": "Visitors with a lead",
        "open_proposals": "Proposals waiting for the manager",
        "events": "Events in the log",
    }
    for key, label in labels.items():
        table.add_row(label, Text(str(data[key])))
    _console().print(table)


def report_table(people: list[PersonReport], title: str = "") -> Table:
    """The show report as a rich Table (names are Text, so CSV text never acts as markup)."""
    cols = columns(people)
    table = Table(title=title or None, show_footer=len(people) > 1)
    sums = totals(people)
    for c in cols:
        footer = "Total" if c == "name" else str(sums[c]) if c in sums else ""
        table.add_column(LABELS[c], justify="left" if c == "name" else "right", footer=footer)
    for p in people:
        table.add_row(*(Text(value(p, c)) for c in cols))
    return table


def print_report(people: list[PersonReport], title: str = "", file: IO[str] | None = None) -> None:
    """The show report as a table: fitted to a terminal's width, but whole anywhere else.

    A pipe, a redirect or `-o FILE` gets every column and every name untruncated, however
    wide the table is (Rich would otherwise cut it to 80 columns); colours only on a terminal.
    """
    table = report_table(people, title)
    console = Console(file=file, highlight=False)
    if not console.is_terminal:
        # measure the table unconstrained, then print it at exactly that width
        wide = Console(file=io.StringIO(), width=100_000, highlight=False)
        width = max(wide.measure(table).maximum, cell_len(title), 20)
        console = Console(file=file, width=width, highlight=False)
    console.print(table)
