"""Word banks for naming fictional lighting and electrical firms, one per language.

The words themselves are data, in company_words.toml beside this module (its header explains
the pattern placeholders); companies.py fills the patterns. Each pattern is a pair (local
script, Latin letters) so that one draw gives both the name the CRM shows and the Latin one a
domain is built from.
"""

from __future__ import annotations

from dataclasses import dataclass

from .culture import Name
from .tables import load_toml, names, pair


@dataclass(frozen=True)
class Bank:
    words: tuple[Name, ...]
    stems: tuple[Name, ...]
    patterns: tuple[tuple[str, str], ...]


def _banks(filename: str) -> dict[str, Bank]:
    banks = {}
    for language, entry in load_toml(filename).items():
        where = f"{filename} [{language}]"
        patterns = tuple(pair(p, where) for p in entry["patterns"])
        banks[language] = Bank(names(entry["words"]), names(entry["stems"]), patterns)
    return banks


BANKS: dict[str, Bank] = _banks("company_words.toml")
