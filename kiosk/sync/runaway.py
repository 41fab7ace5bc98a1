"""A quote that is never closed: one bad cell that would swallow the rest of the file.

CSV lets a quoted field run over several lines (notes with line breaks), so a cell that
*opens* a quote and never closes it (`"Smith Lighting,…` typed into a company) makes the
reader take every following line, to the end of the file or to the next stray quote, as
the text of that one cell: a single record of a thousand lines, rejected as "has 3
fields", and a thousand customers missing without a word. (Excel writes no such file, but
people edit exports in text editors, and some CRMs write a customer's `"` unescaped.)

`CsvFile.rows` (`kiosk.sync.csvread`) asks `suspect` of every record that spans several
lines (cheap: an integer comparison on records most files never have) and, for a
runaway, yields only the record's first line — its cells split as the person sees them,
the stray quote kept as text (`first_line_cells`), flagged with `Runaway.reason` so the
importer rejects it — and reads the lines after it again as records. Nothing is lost: the
bad line is in the rejects file, ready to fix; the others are imported; the report says
which lines the quote had run over (`Runaway.warning`).

A multi-line record is a runaway when its field count is not the header's (the swallowed
delimiters and line breaks cannot add up to it), or when it is the last record of the
file with a line break in a cell and the quotes of its lines do not pair up (a quote
opened in the last column swallows the rest with the right field count). A stray quote
that a later quoted field closes, leaving the right field count, reads like a note over
several lines and is taken as one; every other runaway is found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class Runaway:
    """A quote opened on `first` that ran to `last` (the file's end when `at_end`)."""

    first: int
    last: int
    at_end: bool

    @property
    def lines(self) -> int:
        return self.last - self.first + 1

    @property
    def reason(self) -> str:
        """Why the first line is rejected (the rejects file's reason column)."""
        to = f"line {self.last}" + (" (the end of the file)" if self.at_end else "")
        return (
            f"an unclosed quote at line {self.first} runs to {to}: {self.lines:,} lines"
            f" read as one row; the other {self.lines - 1:,} were read again as rows"
            ' (remove the stray " or close it)'
        )

    def warning(self, file: str) -> str:
        """The report's line for it: the loss it would have been, and what was done."""
        to = "the end of the file" if self.at_end else f"line {self.last}"
        return (
            f"{file} line {self.first} opens a quote that is never closed: it ran to {to}"
            f" ({self.lines:,} lines read as one row); line {self.first} is rejected and"
            f" lines {self.first + 1}–{self.last} were read again as rows"
        )


def suspect(cells: list[str], width: int) -> bool:
    """Whether a record spanning several lines may be a runaway: always when its field
    count is not the header's; with the right count, when a cell holds a line break (the
    reader then checks the quotes' parity, `odd_quotes`, if it is the last record)."""
    return len(cells) != width or any("\n" in c or "\r" in c for c in cells)


def odd_quotes(lines: list[str], quote: str = '"') -> bool:
    """Whether these lines leave a quote open (doubled quotes count as two)."""
    return sum(line.count(quote) for line in lines) % 2 == 1


def first_line_cells(cells: list[str], delimiter: str) -> list[str]:
    """The cells of a runaway record's first line, as a person reads that line: the
    fields before the one that opened the quote as the reader made them, the rest of the
    line split at the delimiter with the stray quote kept as text.

    The cell that spans lines begins with the text after the opening quote, up to the
    line's end: the rest of that line, with no quote in it (a quote would have closed it)."""
    at = next((i for i, c in enumerate(cells) if "\n" in c or "\r" in c), len(cells) - 1)
    rest = _BREAK.split(cells[at], maxsplit=1)[0]
    parts = rest.split(delimiter)
    return [*cells[:at], '"' + parts[0], *parts[1:]]
