"""The typo vocabulary: every word of the contacts' search text, with how many rows hold it.

A typo search (`kiosk.fulltext.fuzzy_matches`) first asks for the words one slip away
from the word nobody has ('jonh' → 'john'): found, each is one exact probe with rare
trigrams, and the typo is usually answered by the first probe. Without it, the pieces that
survive a slip are probed one by one (at a million contacts a typo's p95 was 4.4–4.7 ms;
with the words first, 2.4–2.7 ms, measured with the vocabulary in memory).

The vocabulary is a table in the database (`contact_words`), not read into each process,
so the CLI and the TUI, and a kiosk that has just started, give the same answer to the
same typo. It is built with the full-text index and kept in step with it by the same
triggers (`kiosk.db`): every place that indexes a row's `search` also counts its words,
every place that removes it uncounts them. A word it does not list (it lags behind
nothing today, but an older kiosk writing to the file would not count) is still found
through the pieces: the vocabulary makes typos fast, never findable.

A word is a run of `search` between spaces, `WORD_MIN` characters or more, without '@'
(the e-mail address: one word per contact, never a typo target worth a row). The rule is
written twice, once in Python (`vocabulary_words`, for bulk counts) and once in SQL
(`words_sql`, for triggers); `tests/core/test_words.py` holds them to the same answer.
"""

from __future__ import annotations

import re
import sqlite3
from collections import Counter
from collections.abc import Iterable

WORDS = "contact_words"
WORD_MIN = 4  # characters of a word the vocabulary counts (typos of shorter ones: not guessed)
_CONTROL = re.compile("[\x00-\x1f]")  # JSON strings cannot hold these: see `words_sql`

SCHEMA = "CREATE TABLE IF NOT EXISTS {table} (word TEXT PRIMARY KEY, rows INTEGER NOT NULL) WITHOUT ROWID"


def vocabulary_words(search: str) -> set[str]:
    """The distinct words of one contact's folded `search` text the vocabulary counts."""
    if _CONTROL.search(search):  # as `words_sql`: such a text gives no words
        return set()
    return {w for w in search.split(" ") if len(w) >= WORD_MIN and "@" not in w}


def _json_array(text: str) -> str:
    """SQL: the text as a JSON array of its space-separated words."""
    quoted = f"replace(replace({text}, '\\', '\\\\'), '\"', '\\\"')"
    return f"'[\"' || replace({quoted}, ' ', '\",\"') || '\"]'"


def _each(text: str) -> str:
    """SQL: `json_each` over the words of `text` (none when a control character in it makes
    the array invalid JSON — `vocabulary_words` does the same)."""
    array = _json_array(text)
    return f"json_each(CASE WHEN json_valid({array}) THEN {array} ELSE '[]' END)"


_KEEP = f"length(value) >= {WORD_MIN} AND instr(value, '@') = 0"


def words_sql(text: str) -> str:
    """SQL: the distinct vocabulary words of the SQL expression `text` (one row each, `word`).
    Usable in a trigger (no WITH clause, which triggers refuse)."""
    return f"SELECT DISTINCT value AS word FROM {_each(text)} WHERE {_KEEP}"


def add_sql(table: str, text: str) -> str:
    """SQL: count the words of `text` once more (a row now holds this text)."""
    return (
        f"INSERT INTO {table}(word, rows) SELECT word, 1 FROM ({words_sql(text)}) WHERE true"
        " ON CONFLICT(word) DO UPDATE SET rows = rows + 1;"
    )


def remove_sql(table: str, text: str) -> str:
    """SQL: count the words of `text` once less (a row no longer holds it); a word no row
    holds any more leaves the vocabulary."""
    words = words_sql(text)
    return (
        f"UPDATE {table} SET rows = rows - 1 WHERE word IN ({words});"
        f" DELETE FROM {table} WHERE rows < 1 AND word IN ({words});"
    )


def add_rows_sql(table: str, where: str) -> str:
    """SQL: count the words of the contacts rows meeting `where` (about `c`, the contacts
    table) — a few rows at a time; for many, `count` in Python is three times faster."""
    return (
        f"INSERT INTO {table}(word, rows) SELECT value, count(*) FROM"
        f" (SELECT DISTINCT c.rowid, value FROM contacts c, {_each('c.search')}"
        f" WHERE ({where}) AND {_KEEP}) WHERE true GROUP BY value"
        " ON CONFLICT(word) DO UPDATE SET rows = rows + excluded.rows"
    )


def count(texts: Iterable[str]) -> Counter[str]:
    """How many of `texts` hold each vocabulary word (~1 s a million contacts)."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(vocabulary_words(text))
    return counts


def store(conn: sqlite3.Connection, table: str, counts: Counter[str]) -> None:
    """Add `counts` to the vocabulary table `table`."""
    conn.executemany(
        f"INSERT INTO {table}(word, rows) VALUES (?, ?)"
        " ON CONFLICT(word) DO UPDATE SET rows = rows + excluded.rows",
        counts.items(),
    )


def change(conn: sqlite3.Connection, table: str, old: str | None, new: str | None) -> None:
    """A row's text went from `old` to `new` (None: the row did not or does not exist)."""
    gone = vocabulary_words(old) if old is not None else set()
    came = vocabulary_words(new) if new is not None else set()
    if gone - came:
        conn.executemany(
            f"UPDATE {table} SET rows = rows - 1 WHERE word = ?", [(w,) for w in gone - came]
        )
        conn.executemany(
            f"DELETE FROM {table} WHERE word = ? AND rows < 1", [(w,) for w in gone - came]
        )
    store(conn, table, Counter(came - gone))


def rebuild(conn: sqlite3.Connection, table: str = WORDS) -> None:
    """The vocabulary counted afresh from every contact (inside the caller's transaction)."""
    conn.execute(f"DELETE FROM {table}")
    store(conn, table, count(t for (t,) in conn.execute("SELECT search FROM contacts")))
