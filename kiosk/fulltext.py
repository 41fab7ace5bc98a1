"""Finding contacts by part of a name, company, e-mail or city, fast at a million rows.

`contacts.search` holds the folded text (`kiosk.text.fold`) of name, company, e-mail and
city, name first; `contacts_fts` is a trigram FTS5 index over it and
`contacts_name_prefix` a B-tree over its first 16 characters. The trigram index is lean
(m011: no positions, no copy of the text): it says which rows hold all the trigrams of a
text, and each such row is checked for the text itself as it is read, so a hit is always
real — also while an old index serves during a rebuild (`kiosk.search_index`). `find`
folds the query the same way and gathers candidates in stages, each capped with LIMIT so
that a query matching 100 000 rows ('gmbh', 'li') costs about what one matching ten does:

1. **name prefix** — the B-tree range `substr(search, 1, 16) >= q`: names that start
   with the query, alphabetically. Works at any length, so it also answers one- and
   two-character queries ('王', 'li'), which trigrams cannot match;
2. **substring** (three characters or more) — the whole query (its trigrams, then the text),
   then, for several words, each word anywhere in any order; if that finds little, the
   German spelling of umlauts ('Mueller' → 'muller', which is how `fold` spells Müller);
3. **short fragments** (one or two characters) — a word start later in the text
   (' li', ' 健'), and for Chinese, Japanese and Korean a fragment inside a word ('小明'
   in '王小明 …'), through the indexed trigrams that begin with it, which `fts5vocab`
   lists. Missed: a two-character fragment that is only ever the last two characters
   of a contact's whole text (a name with no company, e-mail or city after it);
4. **typos**, when nothing matched — for the words no row contains, first the words of
   the contacts one slip away (a letter dropped, added, changed or swapped: `corrections`,
   from the vocabulary the database keeps, `kiosk.words`), then the pieces that survive
   one slip, each probed with a small LIMIT next to the words that do occur, then ranked
   with rapidfuzz.

A query with Chinese, Japanese or Korean characters runs the stages for each of a few
spellings (`spellings`): as typed, without the spaces between those characters, and with
one space put in ('高橋直樹' finds '高橋 直樹', '王 伟' finds '王伟'), since writers space a
name or not as they please; the rows are ranked as if those spaces were not there.

Each stage asks the index for a few of the text's trigrams only, the rarest when the
kiosk has read how many rows hold each (`load_frequencies`, see `_rarest`); the rows they
give are checked against the whole text, so which trigrams are asked for changes the cost,
never whether a hit is real. It can change which hits are found among very many: a stage
reads at most `SCAN` rowids from the index (the probe budget). A page of names that start with the query skips the substring stage:
nothing found inside a text can rank above them.

Candidates are ranked by where the query matched (see `_score`), not by bm25: bm25
scores every match before the LIMIT applies, 70–200 ms for a common word at a million
rows. The cap makes the choice among thousands of weak matches arbitrary; the prefix
stage is what guarantees the names that start with the query come first.

**How many match** (`matches` → `Found.total`, for "showing 20 of 134"): when no stage
reached its LIMIT and the index listed no more rowids than a stage reads (`_beyond`),
the candidates are every match and are simply counted. Otherwise the
same conditions are counted again, each stopped after `COUNT_CAP` rows — index walks of
0.05–0.5 ms at a million rows for the commonest words, where a full COUNT costs 10–100 ms
— and a total that reached the cap is a lower bound (`Found.more`: "of 200+"), as is
one that had to leave something out (see `_count`), or whose conditions' rowids were not
all read ("of 72+": 'Zhang Trading co ltd' at a million contacts, where 1,296 match). The cap is what the search budget
(3 ms at the 95th percentile, a million contacts) allows: typed name prefixes ('Maria
Gar') cost ~0.6 ms more at the 95th percentile counting to 200, ~1 ms to 500, ~1.5 ms
to 1,000 — and "200+" tells staff to type more as well as "1,000+" would.
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from kiosk.db import last_rowid
from kiosk.text import CJK_RUN, close_cjk, fold
from kiosk.words import WORD_MIN, WORDS

CAP = 60  # candidates read per substring query, before ranking (each is a row read)
PROBE_CAP = 40  # candidates read per fuzzy probe
PREFIX_WIDTH = 16  # characters of `search` that the contacts_name_prefix index holds
MAX_QUERY = 100  # folded characters; longer input is cut (nobody types more)
FUZZY_MIN = 75.0  # lowest rapidfuzz score offered as a "did you mean"
FUZZY = "fuzzy"  # `Hit.how` of a typo guess whose name is like the query
FUZZY_COMPANY = "fuzzy company"  # … whose company is
GOOD_GUESS = 88.0  # a typo candidate this close ends the probing
STRONG = 90.0  # a name matched at least this well is "a strong name match"
COUNT_CAP = 200  # matches counted one by one; beyond this a total is "200+"
COUNT_SCAN = 200  # rows read to count words too short for the index ('david ta')
VOCAB_CAP = 32  # trigrams a one- or two-character CJK fragment is looked up through
SCAN = 1000  # rowids one query takes from the index before checking them (the probe budget)
PROBE_SCAN = 200  # the same, for each typo probe
PRESENT_SCAN = 400  # the same, to tell whether one word of several occurs at all
# The typo fallback's bounds (issue 12 §1). On the bench's 91 one-typo names at a million
# contacts, one probe finds 90 and two all 91 (a word one slip away, `corrections`);
# through the pieces alone (no vocabulary) 8 probes find 85 and 12 all 91.
PROBES = 12  # typo probes per query at most
FUZZY_BUDGET = 0.008  # seconds of typo probing per query at most (a bound, rarely reached)
SUSPECTS = 3  # words of one query probed for a typo at most (those in no row first)
FUZZY_WORDS = 8  # a query of more words than this is not guessed at (no name has so many)
TRIGRAMS = 8  # trigrams of a text that a query asks the index for (frequencies unknown)
RARE_TERMS = 6  # at most this many of its rarest trigrams when frequencies are known
CHECK_COST = 100  # checking a candidate row costs as much as walking this many index entries
FREQ_MIN = 64  # trigrams in fewer rows than this are not listed (taken as rare, FREQ_MIN / 2)
CORRECTIONS = 3  # vocabulary words one slip away probed first per typo (the commonest)
SPACINGS = 10  # spellings of a CJK query searched at most: as typed, and spaced otherwise
SPACED_RUN = 6  # CJK runs up to this long get a space tried between each two characters
_TOP = "\U0010ffff"
_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROLS = dict.fromkeys([*range(32), 127], " ")
_GERMAN = (("ae", "a"), ("oe", "o"), ("ue", "u"))
_ALPHABET = "abcdefghijklmnopqrstuvwxyz -.'"
_LETTERS = "abcdefghijklmnopqrstuvwxyz-.'"  # what a slip may add or change inside a word
_CORRECTIONS = (
    f"SELECT word FROM {WORDS} WHERE word IN (SELECT value FROM json_each(?))"
    " ORDER BY rows DESC, word LIMIT ?"
)

# The index (m011) holds trigrams without positions: a query names the trigrams a text
# must contain (`_Cond.expr`), and the rows they find are checked for the text itself
# (`_Cond.needles`, longer than one trigram) as they are read. At most SCAN rowids are
# taken from the index per query: the probe budget that bounds a query whose trigrams are
# common but never together ('anma'); past it, a text counts as absent.
_JOIN = (
    "SELECT c.rowid, c.name, c.company, c.search FROM"
    " (SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ? LIMIT ?) f"
    " JOIN contacts c ON c.rowid = f.rowid"
)
_FROM_PREFIX = (
    "SELECT rowid, name, company, search FROM contacts"
    f" WHERE substr(search, 1, {PREFIX_WIDTH}) >= ? AND substr(search, 1, {PREFIX_WIDTH}) < ?"
    f" ORDER BY substr(search, 1, {PREFIX_WIDTH}) LIMIT ?"
)
_FROM_LONG_PREFIX = (
    "SELECT rowid, name, company, search FROM contacts"
    f" WHERE substr(search, 1, {PREFIX_WIDTH}) = ? AND substr(search, 1, ?) = ? LIMIT ?"
)
_VOCAB = (
    "SELECT term FROM temp.contacts_fts_vocab WHERE term >= ? AND term < ?"
    f" ORDER BY doc DESC LIMIT {VOCAB_CAP}"
)
_COUNT_PREFIX_N = (
    "SELECT count(*) FROM (SELECT 1 FROM contacts"
    f" WHERE substr(search, 1, {PREFIX_WIDTH}) >= ? AND substr(search, 1, {PREFIX_WIDTH}) < ?"
    " LIMIT ?)"
)
_COUNT_PREFIX = (
    "SELECT rowid FROM contacts"
    f" WHERE substr(search, 1, {PREFIX_WIDTH}) >= ? AND substr(search, 1, {PREFIX_WIDTH}) < ?"
    " LIMIT ?"
)

# Contacts whose `search` starts with a whole name: the name alone, or the name and a space.
_NAMED = (
    "SELECT id, name FROM contacts"
    f" WHERE substr(search, 1, {PREFIX_WIDTH}) >= ? AND substr(search, 1, {PREFIX_WIDTH}) < ?"
    " LIMIT ?"
)
_NAMED_LONG = (
    "SELECT id, name FROM contacts"
    f" WHERE substr(search, 1, {PREFIX_WIDTH}) = ? AND (search = ? OR substr(search, 1, ?) = ?)"
    " LIMIT ?"
)
NAMED_CAP = 50  # rows read to tell whether a whole name is one contact's (`named`)


class _Cond(NamedTuple):
    """What a row must hold: every one of `terms` (trigrams), the FTS5 expression `any_of`
    when given, and — checked in its text — the `needles` (the strings searched for)."""

    terms: tuple[str, ...] = ()
    needles: tuple[str, ...] = ()
    any_of: str = ""


def _trigrams(text: str) -> list[str]:
    """The distinct trigrams of `text` (`_plan` asks the index for a few of them)."""
    return list(dict.fromkeys(text[i : i + 3] for i in range(len(text) - 2)))


def _spread(grams: list[str]) -> list[str]:
    """At most TRIGRAMS of a text's trigrams spread over it (the first and the last always):
    enough to narrow the rows when nothing says which are rare; `needles` checks the rest."""
    if len(grams) <= TRIGRAMS:
        return grams
    step = (len(grams) - 1) / (TRIGRAMS - 1)
    return [grams[round(i * step)] for i in range(TRIGRAMS)]


def _all(parts: list[str]) -> _Cond:
    """Rows containing every one of `parts` (each three characters or more)."""
    terms = tuple(dict.fromkeys(t for p in parts for t in _trigrams(p)))
    return _Cond(terms, tuple(p for p in parts if len(p) >= 3))


def _both(a: _Cond, b: _Cond) -> _Cond:
    any_of = " AND ".join(f"({e})" for e in (a.any_of, b.any_of) if e)
    return _Cond(tuple(dict.fromkeys(a.terms + b.terms)), a.needles + b.needles, any_of)


# ---------------------------------------------------------------- which trigrams to ask for
# The index answers "rows holding all these trigrams" by walking each one's list of rows: a
# trigram in 100,000 names ('mar', 'in ') costs ~3 ms at a million contacts, one in 9,000
# ('n j') 0.1 ms. Knowing how many rows hold each trigram, a query asks only for its rarest
# few — the candidates they give are checked against the whole text anyway (`needles`), so
# any subset of a text's trigrams finds the same rows. The counts come from the index's own
# vocabulary (`load_frequencies`: one pass, ~4 s at a million contacts, which the kiosk
# makes on a worker after its first frame); until then the trigrams are spread over the text.

_FREQUENCIES: dict[str, tuple[int, dict[str, int]]] = {}  # database file → (rows, counts)


# id(connection) → (the connection, its database file), asked once. The connection itself is
# kept (SQLite connections take no weak references) so that its id cannot be reused by a
# later connection to another file while the entry lives: a reused id once filed one
# database's trigram counts under another's name.
_FILES: dict[int, tuple[sqlite3.Connection, str]] = {}


def _database_file(conn: sqlite3.Connection) -> str:
    """The file `conn` has open ('' in memory)."""
    known = _FILES.get(id(conn))
    if known is not None and known[0] is conn:
        return known[1]
    row = conn.execute("PRAGMA database_list").fetchone()
    path = str(row[2] or "") if row else ""
    if len(_FILES) > 256:
        _FILES.clear()
    _FILES[id(conn)] = (conn, path)
    return path


def load_frequencies(conn: sqlite3.Connection, *, again: bool = False) -> int:
    """Read how many rows hold each trigram (those in FREQ_MIN rows or more), for the
    queries of every connection to this database file; returns how many are listed.
    Read once per process unless `again`: counts that grow stale (an import since) only
    make queries slower, never different. An in-memory database, or one without a search
    index, lists none."""
    path = _database_file(conn)
    if not path:
        return 0
    if path in _FREQUENCIES and not again:
        return len(_FREQUENCIES[path][1])
    counts: dict[str, int] = {}
    sql = "SELECT term, doc FROM temp.contacts_fts_vocab"
    try:
        rows = conn.execute(sql)
    except sqlite3.OperationalError:
        try:
            _create_vocab(conn)
            rows = conn.execute(sql)
        except sqlite3.OperationalError:  # no search index (yet): nothing to learn
            return 0
    for term, docs in rows:
        if docs >= FREQ_MIN:
            counts[term] = docs
    _FREQUENCIES[path] = (max(last_rowid(conn, "contacts"), 1), counts)
    return len(counts)


def _plan(conn: sqlite3.Connection, cond: _Cond) -> tuple[str, tuple[str, ...]]:
    """The FTS5 expression for `cond` and the needles its rows must be checked for."""
    terms = list(cond.terms)
    known = _FREQUENCIES.get(_database_file(conn)) if len(terms) > 1 else None
    if known is None:
        chosen = _spread(terms)
    else:
        chosen = _rarest(terms, *known)
    taken = set(chosen)
    # a three-letter needle is its own trigram: checked by the index when asked for
    needles = tuple(n for n in cond.needles if len(n) > 3 or n not in taken)
    expr = " AND ".join(map(phrase, chosen))
    if cond.any_of:
        expr = f"{expr} AND ({cond.any_of})" if expr else cond.any_of
    return expr, needles


def _rarest(terms: list[str], rows: int, counts: dict[str, int]) -> list[str]:
    """The trigrams worth asking the index for: the rarest, then the next rarest that does
    not overlap one taken, while it saves more than it costs. Walking a trigram's list of
    rows costs about 1/CHECK_COST of reading and checking one candidate row (measured at a
    million contacts: ~30 ns an entry, ~3 µs a row); a trigram is expected to keep its share
    of the candidates, as if trigrams were independent — which overlapping ones ('bro',
    'row', 'own' of 'brown') are not, so they are not asked for together. At most SCAN
    candidates are read anyway."""
    rare = FREQ_MIN // 2
    left = sorted(terms, key=lambda t: counts.get(t, rare))
    chosen = left[:1]
    expected = float(counts.get(chosen[0], rare)) if chosen else 0.0
    for term in left[1:]:
        if len(chosen) >= RARE_TERMS:
            break
        if any(_overlap(term, c) for c in chosen):
            continue
        listed = counts.get(term, rare)
        after = expected * listed / rows
        if (min(expected, SCAN) - min(after, SCAN)) * CHECK_COST <= listed:
            break
        chosen.append(term)
        expected = after
    return chosen


def _overlap(a: str, b: str) -> bool:
    """Two trigrams that may share letters of one text ('bro' and 'row', 'bro' and 'own')."""
    return a[1:] == b[:2] or b[1:] == a[:2] or a[2] == b[0] or b[2] == a[0]


@lru_cache(maxsize=16)
def _checked(needles: int) -> str:
    """The row query for a condition with this many needles."""
    where = " AND ".join(["instr(c.search, ?) > 0"] * needles)
    return _JOIN + (f" WHERE {where}" if where else "") + " LIMIT ?"


Row = tuple[int, str, str, str]  # rowid, name, company, search


@dataclass(frozen=True)
class Hit:
    """One contact row found: `how` is 'name' (substring or prefix), or a guess at a typo:
    'fuzzy' (a name like the query) or 'fuzzy company' (a company like it; the search list
    said "similar name" beside 'Sieman' finding Siemens' people)."""

    rowid: int
    score: float
    how: str


@dataclass(frozen=True)
class Found:
    """The best hits for a query, and how many contacts match it in all.

    `total` is exact unless `more`: then at least `total` contacts match (counting stops
    at `COUNT_CAP`, and a short CJK fragment is looked up through its commonest trigrams
    only). `total >= len(hits)` always.
    """

    hits: list[Hit]
    total: int
    more: bool = False


def scrub(text: str) -> str:
    """Text SQLite can bind: lone surrogates (from bytes decoded leniently) become U+FFFD."""
    if text.isascii() or not _SURROGATE.search(text):
        return text
    return _SURROGATE.sub("\ufffd", text)


def _query(text: str) -> str:
    """The query as the index holds text: folded, and without control characters (a NUL
    would end an FTS5 string early)."""
    return fold(scrub(text).translate(_CONTROLS))[:MAX_QUERY].strip()


def find(conn: sqlite3.Connection, text: str, limit: int = 20, *, typos: bool = True) -> list[Hit]:
    """The best `limit` contacts for a typed query, best first; [] for blank input.

    With `typos`, a query that no contact contains falls back to `fuzzy()`.
    """
    return matches(conn, text, limit, typos=typos).hits


def matches(
    conn: sqlite3.Connection,
    text: str,
    limit: int = 20,
    *,
    typos: bool = True,
    seen: Seen | None = None,
) -> Found:
    """`find`, with how many contacts match in all (see the module docstring).

    `seen` collects which words occur at all, for a `fuzzy_matches` of the same text."""
    q = _query(text)
    if not q or limit <= 0:
        return Found([], 0)
    seen = {} if seen is None else seen
    read = Read()  # the stages' queries: `_count` need not run them again
    rows: dict[int, Row] = {}
    cut = full = False
    counted: list[_Spelling] = []
    variants = [q]  # what the rows are ranked against: q, and a German spelling searched
    for spelling in spellings(q):
        if full:
            # Names that start with the query already reach the count's cap: those that
            # start with another spelling are ranked in too ('伊藤 美咲' may equal the
            # query), and nothing else is read.
            _add(rows, _prefix(conn, spelling, limit))
            continue
        typed = spelling == q
        terms, spelling_cut, full = _gather(
            conn, spelling, limit, rows, seen, read, variants, typed=typed
        )
        counted.append(_Spelling(spelling, terms, typed))
        cut = cut or spelling_cut
    hits = _rank(variants, rows)[:limit]
    if not hits:
        return fuzzy_matches(conn, text, limit, seen=seen) if typos else Found([], 0)
    if full:  # names that start with the query alone reach the count's cap
        return Found(hits, COUNT_CAP, True)
    if not cut and not any(_beyond(conn, e, n, read) for e, _needles, n in read.rows):
        return Found(hits, len(rows))  # every row the stages' conditions select was read
    total, more = _count(conn, counted, read)
    return Found(hits, max(total, len(rows)), more)


def spellings(q: str) -> list[str]:
    """The ways of spacing a query that are searched: a space between two Chinese, Japanese
    or Korean characters is the writer's habit, so '高橋直樹' finds '高橋 直樹' and '王 伟'
    finds '王伟' (a query of any other script is searched only as typed).

    As typed first; then without the spaces between CJK characters (`close_cjk`), and that
    with one space put between two of its CJK characters ('高橋 直樹', '高 橋直樹', …) or
    between every two ('王 小 明'): a name stored in any of those ways is found however the
    query spaces it. Then the query with one of its own such spaces taken out or one put
    in, for a name typed with a company ('高橋直樹 東光' finds '高橋 直樹 東光電機…').
    Spaces are put only inside runs of SPACED_RUN characters or fewer (a name's length: a
    family name and a given name of up to three characters each), and at most SPACINGS
    spellings are searched: each costs a few index lookups, most of them of trigrams that
    no row holds ('藤 健' when the name is '佐藤健')."""
    if q.isascii():
        return [q]
    closed = close_cjk(q)
    out = [q, closed]
    gaps = _gaps(closed)
    out.extend(closed[:i] + " " + closed[i:] for i in gaps)  # one space in the closed form
    spaced = closed
    for i in reversed(gaps):  # a space between every two
        spaced = spaced[:i] + " " + spaced[i:]
    out.append(spaced)
    for i, ch in enumerate(q):  # one of the query's own spaces taken out
        if ch == " " and close_cjk(q[i - 1 : i + 2]) != q[i - 1 : i + 2]:
            out.append(q[:i] + q[i + 1 :])
    out.extend(q[:i] + " " + q[i:] for i in _gaps(q))  # or one put in
    return list(dict.fromkeys(out))[:SPACINGS]


def _gaps(text: str) -> list[int]:
    """Where a space could go between two CJK characters of `text`, in runs of at most
    SPACED_RUN characters. A Korean syllable, which NFKD (`fold`) splits into its letters
    (jamo: '수' → 'ᄉ' + 'ᅮ'), counts as one character: no space goes inside it."""
    out = []
    for run in CJK_RUN.finditer(text):
        starts = [i for i in range(run.start() + 1, run.end()) if not _inside_syllable(text[i])]
        if len(starts) < SPACED_RUN:
            out.extend(starts)
    return out


def _inside_syllable(ch: str) -> bool:
    """A Korean syllable's vowel or final consonant (a jamo that never starts one)."""
    return "\u1160" <= ch <= "\u11ff"


class _Spelling(NamedTuple):
    """One spelling of a query as `matches` searched it, for `_count`: its text, the
    trigrams a short CJK fragment was looked up through (None: not read yet), and whether
    it is the query as typed (the others are looked for as a phrase only)."""

    text: str
    terms: list[str] | None = None
    typed: bool = True


def _gather(
    conn: sqlite3.Connection,
    q: str,
    limit: int,
    rows: dict[int, Row],
    seen: Seen,
    read: Read,
    variants: list[str],
    *,
    typed: bool = True,
) -> tuple[list[str], bool, bool]:
    """Run the stages for one spelling of the query, adding the rows they find to `rows`
    (and to `variants` the German spelling when it was searched). A spelling other than
    the one `typed` is looked for as one phrase, not word by word: the space put into
    '伊藤 美咲' is where the name may have one, not a query of two words in any order.

    Returns the trigrams a short CJK fragment was looked up through (for `_count`), whether
    a stage stopped at its LIMIT (the rows may not be every match), and whether names
    starting with q alone are more than COUNT_CAP."""
    found = _prefix(conn, q, limit)
    _add(rows, found)
    terms: list[str] = []  # a short CJK fragment's trigrams, read once for finding and counting
    if len(q) < 3:
        terms = _short_terms(conn, q)
        cut = _short(conn, q, rows, terms, read) or len(found) >= limit
    elif len(found) >= limit and _names_start_with(q, found):
        # A page of names that start with the query: nothing found inside a text can rank
        # above them (see `_score`), so the substring stage is not read, only counted —
        # and not even that when the names alone reach the count's cap.
        if len(q) <= PREFIX_WIDTH:
            (n,) = conn.execute(_COUNT_PREFIX_N, [q, q + _TOP, COUNT_CAP + 1]).fetchone()
            if n > COUNT_CAP:
                return terms, True, True
        cut = True
    elif not typed:  # as above: the prefix rows are among the phrase's
        found = _fts(conn, _all([q]), read=read)
        _add(rows, found)
        cut = len(found) >= CAP
    else:  # the prefix rows are among the substring rows: only the substring stage counts
        cut = _substring(conn, q, rows, seen, read)
        german = _german(q)
        if german != q:
            if len(rows) < limit:  # 'michael' needs no 'michal'
                variants.append(german)
                cut = _substring(conn, german, rows, seen, read) or cut
            else:
                cut = True  # not searched, but counted
    return terms, cut, False


def _names_start_with(q: str, found: list[Row]) -> bool:
    """Every row's name starts with q (a score of 96 or 100 in `_score`)."""
    return all(_fold(r[1]).startswith(q) for r in found)


def _german(q: str) -> str:
    """The German spelling of umlauts undone: 'mueller' → 'muller', as `fold` spells 'Müller'."""
    for spelt, letter in _GERMAN:
        q = q.replace(spelt, letter)
    return q


def _fold(text: str) -> str:
    """`fold` with a fast path for plain ASCII, which most names are."""
    return " ".join(text.lower().split()) if text.isascii() else fold(text)


def phrase(text: str) -> str:
    """An FTS5 phrase that matches `text` as a substring: quoted, so no syntax leaks."""
    return '"' + text.replace('"', '""') + '"'


def _add(rows: dict[int, Row], found: list[Row]) -> None:
    for r in found:
        rows.setdefault(r[0], r)


class Read:
    """What one search has read from the index.

    `rows`: the queries that returned every row they could (fewer than their LIMIT), by
    (FTS5 expression, needles, rowids scanned). Asked again — `_count` repeats each stage's
    query with a higher LIMIT — they give the same rows, so they are not run again.
    `beyond`: whether the index lists more rowids for an expression than a query scans
    (`_beyond`), asked once."""

    def __init__(self) -> None:
        self.rows: dict[tuple[str, tuple[str, ...], int], list[Row]] = {}
        self.beyond: dict[tuple[str, int], bool] = {}


def _beyond(conn: sqlite3.Connection, expr: str, scan: int, read: Read) -> bool:
    """Does the index list more than `scan` rowids for `expr`? A query reads only the first
    `scan` of them (the probe budget), so rows it did not find may hold the text: what it
    found is then a lower bound, never a count. Asked only of a search that found
    something and would otherwise call its count exact (never of a scan that matches
    nothing): it walks the same rowids again, through the index alone."""
    key = (expr, scan)
    if key not in read.beyond:
        try:
            row = conn.execute(
                "SELECT 1 FROM contacts_fts WHERE contacts_fts MATCH ? LIMIT 1 OFFSET ?",
                [expr, scan],
            ).fetchone()
        except sqlite3.OperationalError:  # an expression FTS5 refuses: it lists nothing
            row = None
        read.beyond[key] = row is not None
    return read.beyond[key]


def _fts(
    conn: sqlite3.Connection,
    cond: _Cond,
    cap: int | None = None,
    scan: int = SCAN,
    read: Read | None = None,
) -> list[Row]:
    """Rows meeting `cond`, at most `cap`, from the first `scan` rowids the index gives;
    from `read` when this search already read them all."""
    expr, needles = _plan(conn, cond)
    if not expr:
        return []
    limit = CAP if cap is None else cap
    key = (expr, needles, scan)
    if read is not None and key in read.rows:
        return read.rows[key][:limit]
    try:
        rows: list[Row] = conn.execute(
            _checked(len(needles)), [expr, scan, *needles, limit]
        ).fetchall()
    except sqlite3.OperationalError:  # an expression FTS5 refuses: treat as no match
        return []
    if read is not None and len(rows) < limit:
        read.rows[key] = rows
    return rows


def _prefix(conn: sqlite3.Connection, q: str, limit: int) -> list[Row]:
    """Names starting with q, alphabetically, through the prefix B-tree (rows sharing its
    first 16 characters are checked for the rest)."""
    if len(q) > PREFIX_WIDTH:
        args = [q[:PREFIX_WIDTH], len(q), q, limit]
        return conn.execute(_FROM_LONG_PREFIX, args).fetchall()
    return conn.execute(_FROM_PREFIX, [q, q + _TOP, limit]).fetchall()


def named(conn: sqlite3.Connection, name: str, cap: int | None = None) -> tuple[list[str], bool]:
    """(the ids of the contacts whose whole folded name is `name`, already folded; whether
    that list is sure to hold them all).

    Read through the prefix B-tree: `search` begins with the folded name and then a space
    (or is the name alone), so one range of the index holds every such contact, beside
    those whose name only begins with `name` and a space ('li na' for 'Li Na Wang'), which
    are read and left out. At most `cap` rows (`NAMED_CAP`) are read: when it holds more, the
    list may be short and says so — a caller asking whether a name is one contact's then
    cannot say yes. One range read of the index, as the search's own prefix stage makes:
    asked only for typed text that already matched someone by that whole name."""
    if not name:
        return [], True
    cap = NAMED_CAP if cap is None else cap
    if len(name) < PREFIX_WIDTH:
        args: list[object] = [name, name + " " + _TOP, cap + 1]
        rows = conn.execute(_NAMED, args).fetchall()
    else:
        args = [name[:PREFIX_WIDTH], name, len(name) + 1, name + " ", cap + 1]
        rows = conn.execute(_NAMED_LONG, args).fetchall()
    return [r[0] for r in rows if _fold(r[1]) == name], len(rows) <= cap


Seen = dict[str, bool]  # words already looked for in one lookup: whether any row has them


def _present(conn: sqlite3.Connection, word: str, seen: Seen | None = None) -> bool:
    """Does any row contain this word? Cheap either way: LIMIT 1 stops at the first,
    and a word whose trigrams are common but never together is given up on after
    PRESENT_SCAN rows (counted as absent: the probe budget). `seen` remembers the answer
    for the rest of one lookup (the typo fallback asks again about the same words)."""
    if seen is not None and word in seen:
        return seen[word]
    found = bool(_fts(conn, _all([word]), 1, PRESENT_SCAN))
    if seen is not None:
        seen[word] = found
    return found


def _together(conn: sqlite3.Connection, words: list[str], seen: Seen | None = None) -> bool:
    """Does any row contain all these words (anywhere, in any order)? As `_present`: LIMIT 1,
    given up on after PRESENT_SCAN rows, remembered in `seen` for the rest of one lookup.
    A typo probe asks for the other words of a query together with a piece of one: three
    common words that never meet ('Maria Gmbh Trading', a scan that matches nothing) made
    every probe walk the common words' rows for nothing until the time budget ran out."""
    key = "\0".join(sorted(words))
    if seen is not None and key in seen:
        return seen[key]
    found = bool(_fts(conn, _all(words), 1, PRESENT_SCAN))
    if seen is not None:
        seen[key] = found
    return found


def _substring(
    conn: sqlite3.Connection,
    q: str,
    rows: dict[int, Row],
    seen: Seen | None = None,
    read: Read | None = None,
) -> bool:
    """The whole query as one phrase; then, for several words, each word anywhere.

    Several words are first checked one by one: when one is in no row ('sarma'), the
    phrase cannot match, and proving that through the common word's rows ('linda') costs
    milliseconds. True when a query stopped at its LIMIT (there may be more matches).
    """
    words = q.split()
    long = [w for w in words if len(w) >= 3]
    if len(words) > 1 and not all(_present(conn, w, seen) for w in long):
        return False
    found = _fts(conn, _all([q]), read=read)
    _add(rows, found)
    if len(found) >= CAP:
        return True
    if len(words) > 1 and long:
        found = _fts(conn, _all(long), read=read)
        short = [w for w in words if len(w) < 3]  # too short for trigrams: checked here
        _add(rows, [r for r in found if all(w in r[3] for w in short)])
        return len(found) >= CAP
    return False


def _vocab(conn: sqlite3.Connection, start: str) -> list[str]:
    """Indexed trigrams beginning with `start` (most frequent first, at most 32)."""
    args = [start, start + _TOP]
    try:
        return [t for (t,) in conn.execute(_VOCAB, args)]
    except sqlite3.OperationalError:
        _create_vocab(conn)
        return [t for (t,) in conn.execute(_VOCAB, args)]


def _create_vocab(conn: sqlite3.Connection) -> None:
    """The index's vocabulary as a table (in the connection's temp schema: nothing is
    written to the file)."""
    conn.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.contacts_fts_vocab"
        " USING fts5vocab(main, 'contacts_fts', 'row')"
    )


def _short(
    conn: sqlite3.Connection,
    q: str,
    rows: dict[int, Row],
    terms: list[str],
    read: Read | None = None,
) -> bool:
    """One or two characters: later word starts, and CJK fragments inside words.

    Name starts came from the prefix index already. A space then q finds words that
    start with q later in the text ('li' in 'wei li', '健' in '佐藤 健'): one trigram for
    two characters. A two-character fragment in Chinese, Japanese or Korean ('小明' in
    '王小明') is found through the indexed trigrams that begin with it; one character
    through those where it starts or ends a word ('健' in '佐藤健 …'), since a lone
    common character ('有') sits in every other company name. Latin pairs skip the
    vocabulary: 'er' or 'in' begin trigrams in half of all rows. True when a query stopped
    at its LIMIT (there may be more matches). `terms` are `_short_terms(conn, q)`.
    """
    cut = False
    if len(q) == 2:
        found = _fts(conn, _Cond((" " + q,)), read=read)
        _add(rows, found)
        cut = len(found) >= CAP
    if terms:
        found = _fts(conn, _Cond(any_of=" OR ".join(phrase(t) for t in terms)), read=read)
        _add(rows, found)
        cut = cut or len(found) >= CAP or len(terms) >= VOCAB_CAP
    return cut


def _short_terms(conn: sqlite3.Connection, q: str) -> list[str]:
    """The indexed trigrams a CJK fragment of one or two characters is found through."""
    if q.isascii():
        return []
    starts = (q,) if len(q) == 2 else (" " + q, q + " ")
    return [t for start in starts for t in _vocab(conn, start)]


def _count(
    conn: sqlite3.Connection,
    spellings: Sequence[_Spelling],
    read: Read | None = None,
) -> tuple[int, bool]:
    """How many contacts `matches` draws its candidates from, counted up to COUNT_CAP:
    (count, whether there may be more).

    The conditions are the stages' own for each spelling of the query (`spellings`),
    without their LIMIT: names starting with it, the fragment's word starts and trigrams
    (under three characters); or it as a phrase, and for the query as typed its German
    spelling too, and for several words each word anywhere. Every condition lists at most COUNT_CAP + 1 rowids
    through the indexes alone, 0.05–0.5 ms at a million rows, except one: words under
    three letters cannot be looked up, only read in each row's text (25 ms for 'david ta'
    through all the rows holding 'david'), so there only the first `COUNT_SCAN` rows of
    the longer words are read, and a full scan makes the count a lower bound. With each
    spelling, its `_short_terms` when already read (the vocabulary asked once, not twice: 0.2 ms
    of a 2-3 ms search for a common two-character Chinese given name at a million rows).
    `read`: the stages' queries that gave every row they could, not run again (a scan of
    three common words that never meet, 'Zhang Trading co ltd', asked its phrase twice:
    6 ms each at a million rows).
    """
    sources: list[tuple[str, list[object]]] = []
    scans: list[tuple[_Cond, list[str]]] = []
    known: set[int] = set()  # rowids of the conditions `read` holds
    listed: list[str] = []  # the conditions' expressions, each scanning SCAN rowids at most
    more = False

    def fts(cond: _Cond) -> None:
        expr, needles = _plan(conn, cond)
        listed.append(expr)
        rows = read.rows.get((expr, needles, SCAN)) if read is not None else None
        if rows is not None:
            known.update(r[0] for r in rows[: COUNT_CAP + 1])
            return
        sql = f"SELECT rowid FROM ({_checked(len(needles))})"
        sources.append((sql, [expr, SCAN, *needles]))

    for q, terms, typed in spellings:
        if len(q) < 3:
            sources.append((_COUNT_PREFIX, [q, q + _TOP]))
            if len(q) == 2:
                fts(_Cond((" " + q,)))
            if terms is None:
                terms = _short_terms(conn, q)
            if terms:
                fts(_Cond(any_of=" OR ".join(phrase(t) for t in terms)))
                more = more or len(terms) >= VOCAB_CAP
            continue
        if not typed:
            fts(_all([q]))
            continue
        for v in dict.fromkeys([q, _german(q)]):
            words = v.split()
            long = [w for w in words if len(w) >= 3]
            short = [w for w in words if len(w) < 3]
            if len(words) > 1 and long:
                if short:  # the phrase itself, and the first rows of its long words
                    fts(_all([v]))
                    scans.append((_all(long), short))
                else:
                    fts(_all(long))
            else:
                fts(_all([v]))
    try:
        if not scans and not known:  # the usual case: counted in SQL, no rowid reaches Python
            union = " UNION ".join(f"SELECT * FROM ({sql})" for sql, _ in sources)
            args = [a for _, source_args in sources for a in (*source_args, COUNT_CAP + 1)]
            (n,) = conn.execute(f"SELECT count(*) FROM ({union})", args).fetchone()
        else:
            found = known
            for sql, args in sources:
                found.update(r for (r,) in conn.execute(sql, [*args, COUNT_CAP + 1]))
            for cond, short in scans:
                rows = _fts(conn, cond, COUNT_SCAN + 1, read=read)
                more = more or len(rows) > COUNT_SCAN
                listed.append(_plan(conn, cond)[0])
                found.update(r[0] for r in rows[:COUNT_SCAN] if all(w in r[3] for w in short))
            n = len(found)
    except sqlite3.OperationalError:  # an expression FTS5 refuses: it matches nothing
        return 0, more
    more = more or n > COUNT_CAP
    if not more and read is not None:  # a condition whose rowids were not all scanned
        more = any(_beyond(conn, expr, SCAN, read) for expr in listed if expr)
    return min(n, COUNT_CAP), more


def _word_prefixes(words: list[str], target_words: list[str]) -> bool:
    return all(any(t.startswith(w) for t in target_words) for w in words)


def _score(q: str, words: list[str], name: str, company: str) -> float:
    """How well a candidate matches, 0–100: where the query was found decides.

    100 means the whole name equals the query — the only score the CLI accepts as
    unambiguous. Name beats company beats e-mail/city; a start beats a middle.
    """
    if name == q:
        return 100.0
    if name.startswith(q):
        return 96.0
    name_words = name.split()
    if _word_prefixes(words, name_words):
        return 93.0
    if q in name:
        return 90.0
    if all(w in name for w in words):
        return 88.0
    if company == q:
        return 85.0
    company_words = company.split()
    if company.startswith(q) or _word_prefixes(words, company_words):
        return 82.0
    if q in company or all(w in company for w in words):
        return 78.0
    if all(w in name or w in company for w in words):
        return 70.0
    return 60.0


def matched_in(score: float) -> str:
    """Where a text hit's query was found, from its `_score`: 'name', 'company',
    'name_company' (its words across both) or 'other' (the e-mail or the city) — what a
    search list says beside each hit ('gmbh' is a company's word, not a name's)."""
    if score >= 88.0:
        return "name"
    if score >= 78.0:
        return "company"
    if score >= 70.0:
        return "name_company"
    return "other"


def _rank(variants: list[str], rows: dict[int, Row]) -> list[Hit]:
    """Best first: by score, then shorter (closer) names, then name, then rowid.

    A query with CJK characters is also scored with the spaces between them taken out of
    it and of the name and company (`close_cjk`): '高橋直樹' equals '高橋 直樹' (100), and
    '高橋直' starts it — the better of that and the score as spaced ('直樹' starts a word
    of '高橋 直樹', which its closed form does not show)."""
    closed = close_cjk(variants[0])
    cjk = not closed.isascii() and CJK_RUN.search(closed) is not None
    words = variants[0].split()  # as typed: '高橋直樹 東光' is a name and a company
    scored = []
    for rowid, name, company, _search in rows.values():
        fname, fcompany = _fold(name), _fold(company)
        score = max(
            _score(v, v.split(), fname, fcompany) - (1.0 if i else 0.0)
            for i, v in enumerate(variants)
        )
        if cjk:
            spaceless = _score(closed, words, close_cjk(fname), close_cjk(fcompany))
            score = max(score, spaceless)
        scored.append((-score, len(fname), fname, rowid, score))
    scored.sort()
    return [Hit(rowid, score, "name") for *_, rowid, score in scored]


# ---------------------------------------------------------------- typos


def _pieces(word: str) -> list[_Cond]:
    """Conditions of which at least one matches any word one typo away from `word`.

    A typo at position p leaves `word[:p]` and `word[p+1:]` intact (a swap of p and p+1
    leaves `word[:p]` and `word[p+2:]`). Both sides are required when both are long
    enough to be trigram phrases; a side under three characters cannot be searched and
    is dropped. Longest (most specific) first.
    """
    out: dict[_Cond, int] = {}
    for p in range(len(word)):
        for gap in (1, 2):
            sides = [s for s in (word[:p], word[p + gap :]) if len(s) >= 3]
            if sides:
                out.setdefault(_all(sides), sum(map(len, sides)))
    return sorted(out, key=lambda e: -out[e])


def _probes(word: str) -> list[_Cond]:
    """The pieces of a word, then (Latin words) 'its first two letters + any letter' and
    'any letter + its last two': a four-letter word with a swap in the middle
    ('jonh') keeps no three letters in a row, but keeps 'jo' and 'nh'."""
    probes = _pieces(word)[:10]
    if word.isascii() and len(word) >= 4:
        probes.append(_Cond(any_of=" OR ".join(phrase(word[:2] + c) for c in _ALPHABET)))
        probes.append(_Cond(any_of=" OR ".join(phrase(c + word[-2:]) for c in _ALPHABET)))
    return probes


def _one_slip(word: str) -> set[str]:
    """Every word one slip away from `word`: a letter dropped, swapped with the next,
    changed or added (letters of the Latin alphabet, '-', '.', "'")."""
    out = set()
    for i in range(len(word) + 1):
        head, tail = word[:i], word[i:]
        if tail:
            out.add(head + tail[1:])
            if len(tail) > 1:
                out.add(head + tail[1] + tail[0] + tail[2:])
        for c in _LETTERS:
            out.add(head + c + tail)
            if tail:
                out.add(head + c + tail[1:])
    out.discard(word)
    return out


def corrections(conn: sqlite3.Connection, word: str) -> list[str]:
    """The contacts' words one slip away from a Latin `word`, the commonest first (at most
    CORRECTIONS): one lookup of its few hundred variants in the vocabulary table."""
    if len(word) < WORD_MIN - 1 or not word.isascii():
        return []
    variants = json.dumps(list(_one_slip(word)))
    try:
        return [w for (w,) in conn.execute(_CORRECTIONS, [variants, CORRECTIONS])]
    except sqlite3.OperationalError:  # a database without the vocabulary: pieces only
        return []


def fuzzy(conn: sqlite3.Connection, text: str, limit: int = 20) -> list[Hit]:
    """Typo-tolerant fallback: the best `limit` names one slip away (see `fuzzy_matches`)."""
    return fuzzy_matches(conn, text, limit).hits


def fuzzy_matches(
    conn: sqlite3.Connection,
    text: str,
    limit: int = 20,
    *,
    seen: Seen | None = None,
    clock: Callable[[], float] = time.perf_counter,
) -> Found:
    """Typo-tolerant fallback: probe the corrections and the pieces, then rank the
    candidates by rapidfuzz.

    With several words, the words found in no row are the suspects; each is probed
    together with the words that do occur ('jonh smith': "smith" AND a piece of "jonh"),
    first as the contacts' words one slip away (`corrections`: "smith" AND "john"), every
    suspect's corrections before any suspect's pieces. Every probe has its own small
    LIMIT, so a piece common in the data ('mar') cannot crowd out a specific one
    ('marti'); probing stops at the first good guess (the most specific pieces come
    first). Queries under four characters, or without letters,
    are not guessed at. The total is every candidate close enough to offer.

    Bounded whatever the text (issue 12: a query that matches nothing must not freeze the
    scan path): a query of more than FUZZY_WORDS words is not guessed at, at most SUSPECTS
    of its words are probed, at most PROBES probes in all, each reading at most PROBE_SCAN
    rowids from the index, and once FUZZY_BUDGET seconds (by `clock`) have gone by, no
    new probe after the first and no corrections for a word after the first.
    """
    q = _query(text)
    if len(q) < 4 or not any(ch.isalpha() for ch in q):
        return Found([], 0)
    words = q.split()
    if len(words) > FUZZY_WORDS:
        return Found([], 0)
    long = [w for w in words if len(w) >= 3]
    present = [w for w in long if len(words) == 1 or _present(conn, w, seen)]
    suspects = ([w for w in long if w not in present] or long)[:SUSPECTS]
    rows: dict[int, Row] = {}
    scores: dict[int, float] = {}
    in_company: set[int] = set()  # rows whose company, not name, is the similar text
    probes = 0
    deadline = clock() + FUZZY_BUDGET

    def probe(others: _Cond, cond: _Cond) -> bool:
        """Read one probe's rows; False once the probe budget or the time is spent."""
        nonlocal probes
        # the first probe always runs: a loaded machine still gets its best guess
        if probes >= PROBES or (probes and clock() > deadline):
            return False
        probes += 1
        for r in _fts(conn, _both(others, cond), PROBE_CAP, PROBE_SCAN):
            if r[0] not in rows:
                rows[r[0]] = r
                score = _similarity(q, words, _fold(r[1]))
                if score < 90.0:  # the company's 0.9 × (at most 100) can beat it
                    by_company = 0.9 * _similarity(q, words, _fold(r[2]))
                    if by_company > score:
                        score = by_company
                        in_company.add(r[0])
                scores[r[0]] = score
        return True

    def good() -> bool:
        return len(rows) >= CAP or max(scores.values(), default=0) >= GOOD_GUESS

    # Two rounds: every suspect's corrections, then every suspect's pieces. When each
    # word of 'andrea marini' occurs in some row, both are suspects, and the pieces of
    # the first ('andrea', no typo) must not spend the probe budget before 'marini' is
    # corrected to 'mariani'.
    plans: list[tuple[_Cond, str]] = []
    for w in suspects:
        if plans and clock() > deadline:
            break  # each word's corrections are a query of their own
        context = list(dict.fromkeys(o for o in present if o != w))
        if len(context) > 1 and not _together(conn, context, seen):
            continue  # no row holds the other words together: no probe with them can find one
        others = _all(context) if context else _Cond()
        plans.append((others, w))
        # every correction is asked for: 'cndy' may be 'cindy' or 'candy'
        for c in corrections(conn, w):
            if len(rows) >= CAP or not probe(others, _all([c])):
                break
    for others, w in plans:
        if good():
            break
        for cond in _probes(w):
            if not probe(others, cond) or good():
                break
    scored = [
        (-score, len(rows[rowid][1]), rows[rowid][1], rowid, min(score, 95.0))
        for rowid, score in scores.items()
        if score >= FUZZY_MIN
    ]
    scored.sort()
    hits = [
        Hit(rowid, round(score, 1), FUZZY_COMPANY if rowid in in_company else FUZZY)
        for *_, rowid, score in scored[:limit]
    ]
    return Found(hits, len(scored))


def similar(a: str, b: str) -> float:
    """0–100 similarity of two folded strings, tolerant of word order and extra words."""
    return _similarity(a, a.split(), b)


def _similarity(q: str, words: list[str], target: str) -> float:
    """The better of whole-string similarity and word-by-word similarity (any order)."""
    if not target:
        return 0.0
    # measured start-up cost: rapidfuzz (~9 ms), first needed here
    from rapidfuzz import fuzz

    whole = max(fuzz.ratio(q, target), fuzz.token_sort_ratio(q, target))
    parts = target.split()
    per_word = sum(max(fuzz.ratio(w, t) for t in parts) for w in words) / len(words)
    return float(max(whole, per_word))


def indexed(conn: sqlite3.Connection, text: str, limit: int = 1000) -> list[int]:
    """Rowids the full-text index finds for `text` (folded; three characters or more),
    each checked against its row: what the index holds, for checks and repairs."""
    q = _query(text)
    if len(q) < 3:
        return []
    return [r[0] for r in _fts(conn, _all([q]), limit, scan=max(SCAN, limit))]
