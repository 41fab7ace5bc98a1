"""Text from outside made inert: cleaned where it enters, escaped where it leaves.

Names, notes and badge payloads come from CRM exports, scanners, other kiosks and people
typing. Three things in such text can act instead of being read:

- **Terminal controls.** C0 and C1 control characters start escape sequences: `ESC ] 0 ;
  … BEL` renames the terminal window, others move the cursor, recolour or erase the screen.
  `clean_text` removes them at every entry (scan, lead form, `kiosk lead add`, walk-in, CSV
  import, merge), keeping a line break and a tab only in fields that legitimately hold them
  (notes, a raw scan); `terminal_text` escapes any that are still in old data on output.
- **Bidirectional overrides and isolates** (U+202A–U+202E, U+2066–U+2069) make text display
  in another order than it is stored ('gnp.exe' shown as 'exe.png'): removed with the
  controls.
- **Spreadsheet formulas.** A CSV cell starting with `=`, `+`, `-` or `@` (or a tab or
  carriage return before one) runs as a formula when the file is opened in Excel or
  LibreOffice (`=HYPERLINK(…)`, DDE). Every CSV the kiosk writes goes through `CsvWriter`
  (or `csv_writer` / `csv_dict_writer`), which prefixes such cells with an apostrophe;
  an import takes it off again (`unguard_cell`), so a rejects file can be fixed and
  imported as it is.

The fast path matters: `clean_text` runs on every field of a million-row import, and text
that is already clean (`str.isprintable`) is returned as it is after one C-level scan.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import IO, Any

# Bidirectional embeddings/overrides and isolates: reorder how text is displayed.
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# Line breaks other than '\n' that a multi-line field keeps as '\n' (CR LF, CR, VT, FF, NEL,
# LINE and PARAGRAPH SEPARATOR); a one-line field turns every break and tab into a space.
_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
_ONE_LINE_SPACES = re.compile("[\t\n\r\x0b\x0c\x85\u2028\u2029]+")
# What is removed: C0 controls but tab and line feed, DEL, C1 controls, bidi controls, and
# lone surrogates (from bytes decoded with errors='surrogateescape').
_REMOVE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI_CONTROLS}\ud800-\udfff]")
# What `terminal_text` escapes: the same, plus tab and line feed when asked.
_UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI_CONTROLS}\ud800-\udfff]")
_UNSAFE_ONE_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f{BIDI_CONTROLS}\ud800-\udfff]")


def clean_text(value: str, *, multiline: bool = False) -> str:
    """`value` with control characters and bidi overrides removed.

    One-line fields (names, companies, e-mails, ids …): tabs and line breaks become one space,
    every other control character is removed. `multiline` fields (notes, a raw scan) keep
    tabs and line breaks, with every kind of break made '\\n'. Nothing else changes: text is
    not trimmed, and printable characters (CJK, emoji, non-breaking spaces) are kept.
    """
    if value.isprintable():  # the usual case: one C-level scan, nothing to do
        return value
    if multiline:
        text = _BREAKS.sub("\n", value)
    else:
        text = _ONE_LINE_SPACES.sub(" ", value)
    return _REMOVE.sub("", text)


def clean_optional(value: str | None, *, multiline: bool = False) -> str | None:
    """`clean_text` for a value that may be None (kept as None)."""
    return None if value is None else clean_text(value, multiline=multiline)


def is_clean(value: str, *, multiline: bool = False) -> bool:
    """Whether `clean_text` would leave `value` as it is."""
    return clean_text(value, multiline=multiline) == value


def clean_value(value: Any, *, multiline_keys: Iterable[str] = ()) -> Any:
    """Every string inside a JSON-like value cleaned (dict keys too); other values as they are.

    A dict's values under one of `multiline_keys` are cleaned as multi-line text.
    """
    keys = frozenset(multiline_keys)
    return _clean_value(value, keys, False)


def _clean_value(value: Any, keys: frozenset[str], multiline: bool) -> Any:
    if isinstance(value, str):
        return clean_text(value, multiline=multiline)
    if isinstance(value, dict):
        return {clean_text(str(k)): _clean_value(v, keys, str(k) in keys) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean_value(v, keys, multiline) for v in value]
    return value


# What `terminal_text` shows escaped in text of several lines: as `_UNSAFE`, but a carriage
# return that ends a line (CRLF, as a CSV written to stdout has) is a line break, kept.
_UNSAFE_LINES = re.compile(
    f"\r(?!\n)|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{BIDI_CONTROLS}\ud800-\udfff]"
)


def terminal_text(value: str, *, multiline: bool = True) -> str:
    """`value` safe to print on a terminal: every control character, bidi override or lone
    surrogate is shown as a visible `\\uXXXX` escape (which, inside a JSON string, still
    means the same character). Tabs and line breaks (CRLF too) are kept when `multiline`."""
    pattern = _UNSAFE_LINES if multiline else _UNSAFE_ONE_LINE
    if value.isprintable() or not pattern.search(value):
        return value
    return pattern.sub(lambda m: f"\\u{ord(m.group()):04x}", value)


# The escape sequences Rich and click write themselves on a terminal: colours and styles
# (SGR), and what a progress bar uses to redraw its line (erase line, cursor up/down, hide
# and show the cursor, carriage return). Nothing else leaves the CLI as a control.
_STYLE = r"\x1b\[[0-9;]*[mABK]|\x1b\[\?25[hl]|\r"
_OUTPUT = re.compile(
    f"(?P<keep>{_STYLE})|[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI_CONTROLS}\ud800-\udfff]"
)


def terminal_output(text: str, *, styles: bool = False) -> str:
    """Text a command writes, with every control character, bidi override or lone surrogate
    in it shown as a visible `\\uXXXX` escape — except line breaks and tabs, and, with
    `styles` (output to a terminal), the colour and progress-bar sequences Rich writes.

    The last line of defence of the CLI (`kiosk.cli` writes all output through it): text
    is cleaned where it enters, but an old database may still hold what it was given.
    """
    if not styles:
        return terminal_text(text)
    if not _OUTPUT.search(text):
        return text
    return _OUTPUT.sub(lambda m: m.group() if m.group("keep") else f"\\u{ord(m.group()):04x}", text)


# ---------------------------------------------------------------- CSV cells and files

_FORMULA_START = frozenset("=+-@\t\r")
_NUMBER_CHARS = frozenset("+-0123456789 ().\u00a0")


def safe_cell(value: Any) -> str:
    """Text for one CSV cell that no spreadsheet runs as a formula.

    None is empty, True/False are 'yes'/'no', floats are written without trailing zeros.
    Control characters and bidi overrides are removed (tabs and line breaks kept), and a
    cell that starts — after any blanks — with `=`, `+`, `-`, `@`, a tab or a carriage
    return gets a leading apostrophe, which spreadsheets read as "this is text". A phone
    number or a signed number ('+86 138 0000 0001', '-5') cannot call anything and is
    left as it is, so CRM imports keep the '+' — but not one with a second sign
    ('+1-800-555-0199'), which a spreadsheet computes (`_signed_number`).
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    raw = value if isinstance(value, str) else str(value)
    # Cleaned first, then checked: '\u202e=HYPERLINK(…)' or '\x00=1+1' passed the check on
    # their first character and were written as live formulas once it was removed.
    text = clean_text(raw, multiline=True)
    if not text:
        return text
    first = text[0]
    if first in _FORMULA_START or first.isspace():
        if first == "\t" or raw[:1] == "\r":
            return "'" + text
        stripped = text.lstrip()
        lead = stripped[:1]
        if lead in _FORMULA_START and not _signed_number(stripped):
            return "'" + text
    return text


def _signed_number(text: str) -> bool:
    """'+86 138 0000 0001', '-5', '+4915112345678': one sign, then only digits, blanks,
    brackets and dots — nothing a spreadsheet can compute. A second sign makes it arithmetic
    that opens as a different number without a word: '+1-800-555-0199' showed as -1553 and
    a note '-20+5' as -15."""
    return (
        text[:1] in ("+", "-")
        and _NUMBER_CHARS.issuperset(text)
        and "+" not in text[1:]
        and "-" not in text[1:]
    )


def unguard_cell(text: str) -> str:
    """A cell read from a CSV, without the apostrophe `safe_cell` put before a formula.

    The rejects file of an import is written through `safe_cell`, so a company '-Minus Co'
    is in it as "'-Minus Co"; fixed and imported again as it is, the apostrophe must not
    become part of the company. Removed exactly where the guard puts it: first in the cell,
    before `=`, `+`, `-`, `@`, a tab or a carriage return (after blanks, as the guard
    looks; a carriage return the writer wrote as a line break). An apostrophe anywhere
    else ("O'Brien", "'Salt' Ltd") is text and stays.
    """
    if text[:1] != "'":
        return text
    first = text[1:2]
    if first in _FORMULA_START or first == "\n":
        return text[1:]
    if first.isspace() and text[1:].lstrip()[:1] in _FORMULA_START:
        return text[1:]
    return text


class CsvWriter:
    """`csv.writer` whose every cell goes through `safe_cell` (CRLF line ends, for Excel)."""

    def __init__(self, fh: IO[str], **fmtparams: Any) -> None:
        fmtparams.setdefault("lineterminator", "\r\n")
        self._writer = csv.writer(fh, **fmtparams)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([safe_cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


class CsvDictWriter:
    """`csv.DictWriter` whose every cell goes through `safe_cell` (the header too)."""

    def __init__(self, fh: IO[str], fieldnames: Sequence[str], **fmtparams: Any) -> None:
        self.fieldnames = list(fieldnames)
        self._writer = CsvWriter(fh, **fmtparams)

    def writeheader(self) -> None:
        self._writer.writerow(self.fieldnames)

    def writerow(self, row: Mapping[str, Any]) -> None:
        unknown = set(row) - set(self.fieldnames)
        if unknown:
            raise ValueError(f"dict contains fields not in fieldnames: {sorted(unknown)}")
        self._writer.writerow([row.get(k, "") for k in self.fieldnames])

    def writerows(self, rows: Iterable[Mapping[str, Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(fh: IO[str], **fmtparams: Any) -> CsvWriter:
    """The one CSV writer of the project (see `CsvWriter`); `fmtparams` as for `csv.writer`."""
    return CsvWriter(fh, **fmtparams)


def csv_dict_writer(fh: IO[str], fieldnames: Sequence[str], **fmtparams: Any) -> CsvDictWriter:
    """The one CSV writer of the project, taking dicts (see `CsvDictWriter`)."""
    return CsvDictWriter(fh, fieldnames, **fmtparams)
