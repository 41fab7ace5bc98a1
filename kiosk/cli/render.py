"""Rich rendering of CLI results for people (the --json paths bypass this)."""

from __future__ import annotations

import io
from typing import IO, Any

from rich.cells import cell_len
from rich.console import Console, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from kiosk.config import ShowConfig
from kiosk.models import Decision, Salesperson
from kiosk.reports.stats import CHECKINS_LABEL, VISITORS_LABEL
from kiosk.sync.report import LABELS, LEAD_COLUMNS, PersonReport, columns, long_label, totals, value


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


def report_table(
    people: list[PersonReport], title: str = "", open_items: int | None = None
) -> Table:
    """The show report as a rich Table (names are Text, so CSV text never acts as markup)."""
    cols = columns(people)
    table = Table(title=title or None, show_footer=len(people) > 1)
    sums = totals(people, open_items)
    for c in cols:
        footer = "Total" if c == "name" else str(sums[c]) if c in sums else ""
        table.add_column(LABELS[c], justify="left" if c == "name" else "right", footer=footer)
    for p in people:
        table.add_row(*(Text(value(p, c)) for c in cols))
    return table


# A terminal too narrow for the whole table gets these columns, the brief's key figures first
# (invited customers who came, own customers, new leads by rating, the open items), as many
# as fit beside names never cut below NAME_MIN cells (NAME_WANT for the less telling
# columns: a whole name matters more than the count of deferred items); headers short.
SHORT_LABELS = {
    "name": "Salesperson",
    "invited_came": "Invited\ncame",
    "own_checked_in": "Own\ncust.",
    "leads": "Leads\nh/w/c",
    "disputes_open": "Open\nitems",
    "walk_ins": "Walk-\nins",
    "median_wait_min": "Wait\nmin",
    "received": "Recei-\nved",
    "waiting": "Wait-\ning",
    "invitations_sent": "Invites\nsent",
    "disputes_won": "Disp.\nwon",
    "disputes_lost": "Disp.\nlost",
    "disputes_shared": "Disp.\nshared",
    "disputes_customer_chose": "Cust.\nchose",
    "disputes_deferred": "Defer-\nred",
    "assists": "As-\nsists",
    "assist_splits": "Splits",
}
NAME_MIN, NAME_WANT = 16, 28  # cells: a name is wrapped (never cut) when wider
BLOCKS_BELOW = ("invited_came", "own_checked_in", "leads")  # fewer than these: a block each
KEY_COLUMNS = (*BLOCKS_BELOW, "disputes_open")


def _compact_value(p: PersonReport, col: str) -> str:
    return f"{p.leads_hot}/{p.leads_warm}/{p.leads_cold}" if col == "leads" else value(p, col)


def _compact_plan(
    people: list[PersonReport], sums: dict[str, int], width: int
) -> tuple[list[str], int] | None:
    """The columns that fit `width` beside the names (in SHORT_LABELS' order) and the names'
    width; None when even BLOCKS_BELOW does not fit."""
    wanted = [c for c in SHORT_LABELS if c != "name" and (c in columns(people) or c == "leads")]

    def cells(c: str) -> int:
        total = "/".join(str(sums[k]) for k in LEAD_COLUMNS)
        foot = total if c == "leads" else str(sums.get(c, ""))
        texts = [*SHORT_LABELS[c].split("\n"), foot, *(_compact_value(p, c) for p in people)]
        return max(cell_len(t) for t in texts)

    longest = max([cell_len(p.name) for p in people] + [cell_len("Salesperson")])
    used = 1 + 3  # the left border, the name column's padding and border
    kept: list[str] = []
    for c in wanted:
        # the key columns may narrow the names to NAME_MIN; the others only to NAME_WANT
        names = min(longest, NAME_MIN if c in KEY_COLUMNS else NAME_WANT)
        if used + names + cells(c) + 3 > width:
            break
        kept.append(c)
        used += cells(c) + 3
    if len(kept) < len(BLOCKS_BELOW):
        return None
    return kept, min(longest, width - used)


def _compact_table(
    people: list[PersonReport], sums: dict[str, int], plan: tuple[list[str], int], title: str
) -> Table:
    kept, name_width = plan
    table = Table(title=title or None, show_footer=len(people) > 1)
    leads_total = "/".join(str(sums[k]) for k in LEAD_COLUMNS)
    # names wrap at a space (fold only inside a word longer than the column), never "…"
    table.add_column("Salesperson", footer="Total", min_width=name_width, overflow="fold")
    for c in kept:
        foot = leads_total if c == "leads" else str(sums[c]) if c in sums else ""
        table.add_column(SHORT_LABELS[c], justify="right", footer=foot, no_wrap=True)
    for p in people:
        table.add_row(Text(p.name), *(Text(_compact_value(p, c)) for c in kept))
    return table


def _packed(figures: list[str], width: int) -> Text:
    """'Label: n' figures joined by ' · ', as many to a line as fit: a figure never breaks."""
    lines: list[str] = []
    for f in figures:
        if lines and cell_len(lines[-1] + " · " + f) <= width:
            lines[-1] += " · " + f
        else:
            lines.append(f)
    return Text("\n".join(lines))


def _blocks(
    people: list[PersonReport], sums: dict[str, int], title: str, width: int
) -> list[RenderableType]:
    """One block per salesperson, every figure in words: a terminal too narrow for columns."""
    out: list[RenderableType] = [Text(title, style="bold")] if title else []
    rows = [(p.name, [f"{long_label(c)}: {value(p, c)}" for c in columns(people)[1:]])
            for p in people]  # fmt: skip
    rows.append(("Total", [f"{long_label(c)}: {n}" for c, n in sums.items()]))
    for name, figures in rows:
        out.append(Text(name, style="bold"))
        out.append(Padding(_packed(figures, width - 2), (0, 0, 0, 2)))
    return out


def print_report(
    people: list[PersonReport],
    title: str = "",
    file: IO[str] | None = None,
    open_items: int | None = None,
) -> None:
    """The show report as a table: fitted to a terminal's width, but whole anywhere else.

    A pipe, a redirect or `-o FILE` gets every column and every name untruncated, however
    wide the table is (Rich would otherwise cut it to 80 columns); colours only on a terminal.
    A terminal narrower than the whole table gets the key columns that fit, with short
    headers and names wrapped rather than cut (Rich squeezed every column of 19 to '…' at
    80 columns), and says what it left out; one too narrow even for that, a block per
    salesperson. `open_items`: the total of "Disputes open" (`sync.report.totals`).
    """
    table = report_table(people, title, open_items)
    console = Console(file=file, highlight=False)
    # measure the table unconstrained
    wide = Console(file=io.StringIO(), width=100_000, highlight=False)
    whole = max(wide.measure(table).maximum, cell_len(title), 20)
    if not console.is_terminal:  # print it at exactly that width
        console = Console(file=file, width=whole, highlight=False)
    elif whole > console.width and people:
        sums = totals(people, open_items)
        plan = _compact_plan(people, sums, console.width)
        if plan is None:
            for block in _blocks(people, sums, title, console.width):
                console.print(block)
            return
        console.print(_compact_table(people, sums, plan, title))
        shown = {*plan[0], "name"} | (set(LEAD_COLUMNS) if "leads" in plan[0] else set())
        left = [long_label(c) for c in columns(people) if c not in shown]
        if left:
            console.print(
                Text(f"Not shown at {console.width} columns: {', '.join(left)} "
                     "(a wider terminal, or --format markdown, shows every column).", style="dim")
            )  # fmt: skip
        return
    console.print(table)
