"""Reading the data files that sit beside these modules.

The demo company's tables (name lists, phone plans, the team, the showcase customers, word
banks, markets) are data, so they live in TOML and CSV files next to the code that draws from
them, and the modules keep only the logic. A file is found from this module's own folder,
never from the current directory, so the generator runs the same from anywhere.

Conventions shared by every TOML file here (each file's header repeats the ones it uses):

- a *name* is "native:Latin" ("佐藤:Sato") or just "Latin" when both are the same ("Jürgen");
- a *pair* of strings that is the same both ways may be written once: "VD" for ["VD", "VD"]
  (a job title that does not change with sex, a firm-name pattern in a Latin-script language);
- an item "@key" in an array stands for all items of the array `key` in the file's [lists]
  table, so two entries can share a list (the Gulf and the Levant share Arabic given names)
  without a copy that could drift.
"""

from __future__ import annotations

import csv
import tomllib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

HERE = Path(__file__).resolve().parent

Table = dict[str, Any]
T = TypeVar("T")


class DataFileError(ValueError):
    """A data file does not fit what its loader expects; the message names file and entry."""


def load_toml(name: str | Path) -> Table:
    """The TOML file `name` beside this module, parsed (an absolute path is taken as it is)."""
    with (HERE / name).open("rb") as fh:
        return tomllib.load(fh)


def read_csv(name: str | Path) -> list[dict[str, str]]:
    """The rows of the CSV file `name` beside this module (UTF-8, a header line)."""
    with (HERE / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def expand(items: Iterable[Any], lists: Table, where: str) -> list[Any]:
    """`items` with every "@key" replaced by the items of `lists[key]`."""
    out: list[Any] = []
    for item in items:
        if isinstance(item, str) and item.startswith("@"):
            if item[1:] not in lists:
                raise DataFileError(f"{where}: {item} names no array in [lists]")
            out.extend(lists[item[1:]])
        else:
            out.append(item)
    return out


def name(text: str) -> tuple[str, str]:
    """'佐藤:Sato' → ('佐藤', 'Sato'); 'Jürgen' → ('Jürgen', 'Jürgen')."""
    native, colon, latin = text.partition(":")
    return (native.strip(), latin.strip()) if colon else (text.strip(), text.strip())


def names(items: Iterable[str]) -> tuple[tuple[str, str], ...]:
    return tuple(name(item) for item in items)


def pair(item: str | list[str], where: str) -> tuple[str, str]:
    """'VD' → ('VD', 'VD'); ['Inhaber', 'Inhaberin'] → ('Inhaber', 'Inhaberin')."""
    if isinstance(item, str):
        return item, item
    if len(item) != 2:
        raise DataFileError(f"{where}: {item!r} is not a string or a pair of strings")
    return item[0], item[1]


def build(cls: type[T], entry: Table, where: str, **converted: Any) -> T:
    """`cls(**entry)`, with the fields in `converted` (already turned into tuples, names,
    ...) replacing the raw TOML values; a misspelt or missing field is a DataFileError
    naming the entry instead of a bare TypeError."""
    try:
        return cls(**{**entry, **converted})
    except TypeError as exc:
        raise DataFileError(f"{where}: {exc}") from None


def records(
    cls: type[T], entries: list[Table], where: str, label: str, **convert: Callable[[Any], Any]
) -> tuple[T, ...]:
    """One `cls` per entry of an array of tables ([[staff]], [[showcase]], ...).

    `convert` turns a field's TOML value into what `cls` holds (`tuple` for an array, since
    frozen dataclasses are hashed); a field an entry leaves out takes the dataclass default.
    `where` and the entry's `label` field name the entry in an error.
    """
    out = []
    for entry in entries:
        fields = {k: convert[k](v) if k in convert else v for k, v in entry.items()}
        out.append(build(cls, fields, f"{where} {entry.get(label, '?')}"))
    return tuple(out)
