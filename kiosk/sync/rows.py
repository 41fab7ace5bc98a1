"""What every CRM importer shares: the report, the rejects file, the people check, the row reader.

The lower half of `kiosk.sync.imports`: the contact, salesperson and territory importers
build on it, and `import_csv` (in `imports`) runs them — so neither imports the other.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlite_utils

from kiosk.errors import KioskError
from kiosk.safety import clean_text, csv_writer, unguard_cell
from kiosk.sync.csvread import CsvFile, describe_encoding, with_progress
from kiosk.sync.footer import footer_block, starts_footer
from kiosk.sync.formats import Binding
from kiosk.sync.values import parse_flag
from kiosk.text import fold

Progress = Callable[[int, int], None]
SAMPLE_REJECTS = 10


class RowError(KioskError, ValueError):
    """This row cannot be imported; the message is the reason written to the rejects file."""


@dataclass
class ImportReport:
    """What an import did (or, for a dry run, would do)."""

    kind: str
    path: Path
    fmt: str
    dry_run: bool = False
    encoding: str = ""
    delimiter: str = ""
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    removed: int = 0
    rejects_path: Path | None = None
    ignored_columns: tuple[str, ...] = ()
    footer: tuple[int, int] | None = None  # the lines of a report's footer, skipped
    warnings: list[str] = field(default_factory=list)
    sample_rejects: list[tuple[int, str]] = field(default_factory=list)
    replayed: int | None = None
    rebuild_s: float = 0.0
    ready_s: float = 0.0  # until the rows were committed: lookups and routing work
    index_s: float = 0.0  # the search index (and search-only indexes) built after that (0: none)
    seconds: float = 0.0
    # What only the report needs, done once the rows are in and lookups work
    # (`after_ready`): at a million rows, finding the badge ids two contacts share took
    # 0.2-0.3 s that lookups waited for.
    pending: list[Callable[[], None]] = field(default_factory=list, repr=False, compare=False)

    def footer_text(self) -> str:
        """'skipped the report's footer, lines 15–19', or '' (none)."""
        if not self.footer:
            return ""
        first, last = self.footer
        lines = f"lines {first}–{last}" if last > first else f"line {first}"
        return f"skipped the report's footer, {lines}"

    def after_ready(self) -> None:
        """Run (once) what the importer left for after the rows were committed."""
        while self.pending:
            self.pending.pop(0)()

    def summary(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
        }
        if self.kind == "territories":
            out["removed"] = self.removed
        out["rejects_path"] = str(self.rejects_path) if self.rejects_path else None
        return out

    def details(self) -> dict[str, Any]:
        """Everything, for `--json` and the sync script's log."""
        return {
            "kind": self.kind,
            "file": str(self.path),
            "format": self.fmt,
            "dry_run": self.dry_run,
            "encoding": describe_encoding(self.encoding),
            "delimiter": self.delimiter,
            "rows": self.rows,
            **self.summary(),
            "ignored_columns": list(self.ignored_columns),
            "footer_lines": list(self.footer) if self.footer else None,
            "warnings": list(self.warnings),
            "first_rejects": [{"line": n, "reason": r} for n, r in self.sample_rejects],
            "events_replayed": self.replayed,
            "rebuild_s": round(self.rebuild_s, 3),
            "ready_s": round(self.ready_s, 3),
            "index_s": round(self.index_s, 3),
            "seconds": round(self.seconds, 3),
        }


def rejects_path_for(path: Path) -> Path:
    """'export.csv' → 'export.rejects.csv', next to it."""
    return path.with_name(f"{path.stem}.rejects.csv")


def excel_encoding(delimiter: str) -> str:
    """The encoding a CSV with this delimiter is written in so that Excel opens it in
    columns, Chinese intact: UTF-8 with a BOM; UTF-16 for tabs (Excel's "Unicode text",
    the one form it splits at tabs whatever the computer's list separator)."""
    return "utf-16" if delimiter == "\t" else "utf-8-sig"


class Rejects:
    """Collects bad rows into FILE.rejects.csv (original columns + line + reason).

    Written to a temporary name and renamed only when the import commits, so a failed or
    dry-run import never leaves a rejects file that describes an import that did not happen.
    In the source's delimiter — a German or French Excel splits a .csv at semicolons, and
    shows a comma-separated one in column A — with a BOM and CRLF, so Excel opens it with
    Chinese intact (`excel_encoding`), and so that fixing the rows and importing the file
    as it is works. (No `sep=` line even when the source had one: Excel then ignores the
    BOM and garbles non-ASCII text.) Written through `kiosk.safety.csv_writer`: the cells
    are copied as the file had them, except that no formula can run and no control
    character is kept.
    """

    def __init__(
        self, source: Path, header: tuple[str, ...], report: ImportReport, delimiter: str = ","
    ) -> None:
        self.final = rejects_path_for(source)
        self.tmp = self.final.with_name(self.final.name + ".tmp")
        self.header = header
        self.report = report
        self.delimiter = delimiter
        self._fh: Any = None
        self._writer: Any = None

    def add(self, line: int, cells: list[str], reason: str) -> None:
        self.report.rejected += 1
        if len(self.report.sample_rejects) < SAMPLE_REJECTS:
            self.report.sample_rejects.append((line, reason))
        if self.report.dry_run:
            return
        if self._writer is None:
            encoding = excel_encoding(self.delimiter)
            self._fh = open(self.tmp, "w", encoding=encoding, newline="")  # noqa: SIM115
            # the one CSV writer: a rejected cell like '=HYPERLINK(…)' must not run in Excel
            self._writer = csv_writer(self._fh, delimiter=self.delimiter)
            self._writer.writerow([*self.header, "line", "reason"])
        width = len(self.header)
        padded = list(cells[:width]) + [""] * (width - len(cells))
        if len(cells) > width:  # keep the overflow visible rather than drop it
            padded[-1] = padded[-1] + "".join(f" | {c}" for c in cells[width:] if c)
        self._writer.writerow([*padded, line, reason])

    def commit(self) -> None:
        if self._fh is not None:
            self._fh.close()
            os.replace(self.tmp, self.final)
            self.report.rejects_path = self.final
        elif not self.report.dry_run and self.final.exists():
            self.final.unlink()  # a stale file from an earlier run would mislead

    def discard(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self.tmp.unlink(missing_ok=True)
        self._fh = self._writer = None


# 'Zhang Wei (Mateo)', 'Kenji Watanabe (渡辺 健二)', '王伟（Wendy）': a name and, in
# brackets, the name colleagues or customers know the person by.
_BRACKETED = re.compile(r"^(?P<name>.*?)\s*[(（](?P<alias>[^()（）]+)[)）]\s*$")


class People:
    """Resolves the salesperson a CSV cell names: by id, email or name (case-insensitive).

    A CRM knows its users by their own names, the kiosk often by 'Zhang Wei (Mateo)' or
    'Kenji Watanabe (渡辺 健二)': such a salesperson is also found by the name without the
    bracketed part ('Zhang Wei') and by the bracketed form ('Mateo', '渡辺 健二'), when no
    salesperson's whole name is that and no other salesperson's brackets or name give it
    too (then the error names them all, as for two salespeople of one name).
    """

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.ids: set[str] = set()
        self._keys: dict[str, list[str]] = {}  # email or whole name → ids
        self._parts: dict[str, list[str]] = {}  # name outside or inside brackets → ids
        self._names: dict[str, str] = {}
        for sid, name, email in db.execute("SELECT id, name, email FROM salespeople"):
            self.add(sid, name, email)
        self._cache: dict[str, str] = {}

    def add(self, sid: str, name: str, email: str) -> None:
        self.ids.add(sid)
        self._names[sid] = name
        for key in (email.casefold() if email else "", fold(name)):
            if key and sid not in self._keys.setdefault(key, []):
                self._keys[key].append(sid)
        m = _BRACKETED.match(name or "")
        if m:
            for part in (m.group("name"), m.group("alias")):
                key = fold(part)
                if key and sid not in self._parts.setdefault(key, []):
                    self._parts[key].append(sid)

    def _several(self, text: str, what: str, sids: list[str]) -> RowError:
        named = ", ".join(f"{self._names[s]!r} (id {s})" for s in sids)
        return RowError(
            f"{what} {text!r} matches several salespeople: {named}; use the id or email"
        )

    def resolve(self, text: str, what: str) -> str | None:
        if not text:
            return None
        hit = self._cache.get(text)
        if hit is not None:
            return hit
        if text in self.ids:
            hit = text
        else:
            key = text.casefold() if "@" in text else fold(text)
            found = self._keys.get(key) or self._parts.get(key)
            if found and len(found) > 1:
                raise self._several(text, what, found)
            hit = found[0] if found else None
        if hit is None:
            raise RowError(f"unknown {what} {text!r} (not a salesperson id, email or name)")
        self._cache[text] = hit
        return hit


def extractor(binding: Binding, encoding: str = "") -> Callable[[list[str]], dict[str, str]]:
    """A fast function from a row's cells to {field: text} for the fields the file has.

    Raises RowError for a row whose field count is wrong, or whose fields hold bytes the
    file's encoding could not read (U+FFFD from the reader).

    A cell the kiosk's own CSV writer guarded against running as a formula ("'-Minus Co",
    in a rejects file fixed and imported again) is read without the apostrophe
    (`kiosk.safety.unguard_cell`). Only a record whose fields hold an apostrophe at all
    is read twice to see (one C-level search of text the extractor joins anyway).
    """
    items = list(binding.fields.items())
    width = binding.width
    broken = f"has bytes that are not valid {describe_encoding(encoding) or 'text'}"

    def extract(cells: list[str]) -> dict[str, str]:
        out = fields(cells)
        joined = "".join(out.values())
        if "'" in joined:
            unguarded = [unguard_cell(c) for c in cells]
            if unguarded != cells:
                out = fields(unguarded)
                joined = "".join(out.values())
        if "\ufffd" in joined:
            raise RowError(broken + " (was the file saved in two encodings?)")
        if "\x00" in joined:
            raise RowError("has a NUL character (binary data in a text file)")
        return out

    def fields(cells: list[str]) -> dict[str, str]:
        n = len(cells)
        if n != width and (n < width or any(c.strip() for c in cells[width:])):
            raise RowError(
                f"has {n} fields, the header has {width}"
                " (a line break or a delimiter outside quotes?)"
            )
        out: dict[str, str] = {}
        for key, (how, idx) in items:
            if how == "first":
                value = ""
                for i in idx:
                    if i < n:
                        value = cells[i].strip()
                        if value:
                            break
            elif how == "not":
                raw = cells[idx[0]] if idx[0] < n else ""
                try:
                    value = "0" if parse_flag(raw) else "1"
                except ValueError as exc:
                    raise RowError(f"{key}: {exc}") from None
            else:
                parts = [cells[i].strip() for i in idx if i < n and cells[i].strip()]
                if how == "name" and len(parts) == 2 and _cjk(parts[0]) and _cjk(parts[1]):
                    value = parts[1] + parts[0]  # 小明 + 王 → 王小明
                else:
                    value = " ".join(parts)
            out[key] = value
        return out

    return extract


def _cjk(text: str) -> bool:
    return all("\u2e80" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af" for ch in text)


def checked_rows(
    src: CsvFile,
    report: ImportReport,
    rejects: Rejects,
    progress: Progress | None,
    binding: Binding | None = None,
) -> Iterator[tuple[int, list[str]]]:
    """The file's records for an importer, counted in `report.rows`; a record the reader
    flagged (a line in another encoding, a NUL byte) goes to the rejects file instead,
    and a report's footer at the end of the file is skipped (`kiosk.sync.footer`,
    `report.footer`). When the header repeats a column a field reads (`binding.repeated`),
    the report says which column is read, and on which lines the others differ."""
    records: Iterator[tuple[int, list[str]]] = iter(with_progress(src.rows(), src, progress))
    if binding is not None and binding.repeated:
        report.warnings.extend(binding.repeated_warnings())
        records = _differing(records, binding, report, src.path.name)
    for line, cells in records:
        if (len(cells) == 1 or not cells[-1]) and starts_footer(cells):
            block, after = footer_block((line, cells), records, src.problem)
            if block:
                report.footer = (line, src.lines_read())
                return
            for n, c, problem in after:  # not a footer: records like any other
                report.rows += 1
                if problem is not None:
                    rejects.add(n, c, problem)
                else:
                    yield n, c
            return
        report.rows += 1
        problem = src.problem(line)
        if problem is not None:
            rejects.add(line, cells, problem)
            continue
        yield line, cells


SHOWN_LINES = 5  # line numbers a warning lists before "and N more"


def lines_text(lines: list[int], shown: int = SHOWN_LINES) -> str:
    """'lines 5, 9 and 12', or 'lines 5, 9, 12, 20, 31 and 4 more'."""
    if len(lines) == 1:
        return f"line {lines[0]}"
    if len(lines) <= shown:
        return "lines " + ", ".join(map(str, lines[:-1])) + f" and {lines[-1]}"
    return "lines " + ", ".join(map(str, lines[:shown])) + f" and {len(lines) - shown} more"


def _differing(
    records: Iterator[tuple[int, list[str]]], binding: Binding, report: ImportReport, file: str
) -> Iterator[tuple[int, list[str]]]:
    """Pass records through, noting those where a repeated column's copies hold different
    non-blank values (the first is imported); the report lists their lines at the end.

    For an e-mail or phone column (`formats.LISTED`) the copies' values are joined into the first
    one's cell, as a cell holding two addresses is (`kiosk.sync.cell_lists`): the first is
    the contact's, the others find the customer too. Imported as the first alone, a
    customer scanned by the second address was a walk-in routed to someone else."""
    found: dict[str, list[int]] = {name: [] for name, _ in binding.repeated}
    listed = binding.listed()
    for line, cells in records:
        n = len(cells)
        for name, idx in binding.repeated:
            values = list(dict.fromkeys(v for i in idx if i < n and (v := cells[i].strip())))
            if len(values) > 1:
                found[name].append(line)
                if idx in listed:
                    cells[idx[0]] = "; ".join(values)
        yield line, cells
    for name, idx in binding.repeated:
        if found[name] and idx not in listed:  # (joined ones: the cell's own warning says)
            report.warnings.append(
                f"{file}: the columns {name!r} hold different values on {len(found[name])}"
                f" row(s) ({lines_text(found[name])}): column {idx[0] + 1}'s was imported"
            )


_MULTILINE = frozenset({"notes", "note"})


def inert(fields: dict[str, str]) -> dict[str, str]:
    """Extracted fields with control characters and bidi overrides removed (`clean_text`);
    notes keep their line breaks. (Contacts are cleaned by `kiosk.contact_rows`.)"""
    return {k: clean_text(v, multiline=k in _MULTILINE) for k, v in fields.items()}
