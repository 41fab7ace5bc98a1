"""'Showing N of M': how many contacts a query matches in all, exact or a lower bound."""

from __future__ import annotations

import json
import random
from unittest import mock

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kiosk import fulltext
from kiosk import lookup as lookup_module
from kiosk.cli.render import showing
from kiosk.contact_rows import insert_contacts
from kiosk.db import open_db
from kiosk.lookup import lookup, search_total
from kiosk.text import fold
from tests.cli.common import run
from tests.examples import examples
from tests.factory import BOLT_WORKERS

CONTACTS = [
    dict(id="jurgen", name="Jürgen Müller", company="Müller Maschinenbau GmbH",
         email="j.mueller@mueller-mb.example", phone="030 1234567", country="DE"),
    dict(id="bolt", name="Gmbhson Olaf", company="Bolt Parts", country="DE"),
    dict(id="rami", name="Rami Haddad", company="Petra Trading", country="JO"),
    dict(id="jordan", name="Jordan Lee", company="Summit Supplies", country="US"),
    dict(id="shared1", name="Anna Berg", email="info@shared.example", country="SE"),
    dict(id="shared2", name="Bo Berg", email="info@shared.example", country="SE"),
    dict(id="shared3", name="Cai Berg", email="info@shared.example", country="SE"),
] + BOLT_WORKERS  # fmt: skip


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    database = open_db(tmp_path_factory.mktemp("totals") / "kiosk.db")
    insert_contacts(database, [dict(c) for c in CONTACTS])
    return database


def test_search_says_how_many_match_beyond_the_page(db):
    r = lookup(db, "gmbh", limit=5)  # 80 workers at Bolt GmbH, Müller … GmbH, Gmbhson
    assert r.kind == "search" and len(r.matches) == 5
    assert (r.total, r.total_is_lower_bound) == (82, False)
    r = lookup(db, "Worker", limit=10)
    assert (len(r.matches), r.total, r.total_is_lower_bound) == (10, 80, False)


def test_a_short_fragment_is_counted_too(db):
    r = lookup(db, "wo", limit=5)  # names starting with 'wo', through the prefix index
    assert (len(r.matches), r.total, r.total_is_lower_bound) == (5, 80, False)


def test_a_page_that_holds_every_match_counts_them(db):
    r = lookup(db, "Haddad")
    assert [m.contact.id for m in r.matches] == ["rami"] and r.total == 1


def test_country_and_exact_kinds_have_totals(db):
    r = lookup(db, "Germany", limit=3)
    assert r.kind == "country" and (len(r.matches), r.total) == (3, 82)
    r = lookup(db, "info@shared.example", limit=2)
    assert r.kind == "email" and (len(r.matches), r.total) == (2, 3)
    r = lookup(db, "Jordan", limit=5)  # a name and a country: the person, then Jordan's
    assert r.kind == "search" and r.total == 2
    assert lookup(db, "zzqxv").total == 0
    assert lookup(db, "").total == 0


def test_a_typo_counts_the_names_offered(db):
    r = lookup(db, "Jurgen Mueler")
    assert r.matches and r.matches[0].how == "fuzzy"
    assert r.total == len(r.matches)


def test_an_exhausted_typo_budget_stops_after_the_first_probe(db):
    """The typo fallback's time bound: with no time left it makes one probe (its best
    guess) and stops, instead of probing on while a queue waits at the scanner."""
    probes = []
    real = fulltext._fts

    def counting(*args, **kwargs):
        if args[2:4] == (fulltext.PROBE_CAP, fulltext.PROBE_SCAN):  # a typo probe
            probes.append(args[1])
        return real(*args, **kwargs)

    with mock.patch.object(fulltext, "_fts", counting):
        lookup(db, "Jurgen Mueler")  # 'mueller', one slip away, is in the vocabulary
        assert len(probes) == 1
        probes.clear()
        # without it, the pieces that survive the slip are probed one by one
        with mock.patch.object(fulltext, "CORRECTIONS", 0):
            lookup(db, "Jurgen Mueler")
            unbounded = len(probes)
            probes.clear()
            with mock.patch.object(fulltext, "FUZZY_BUDGET", 0.0):
                lookup(db, "Jurgen Mueler")
    assert unbounded > 1 and len(probes) == 1


def _typo_calls(db, text, **kwargs):
    """(words whose corrections were asked, probes made) by one typo fallback."""
    asked, probes = [], []
    real_corrections, real_fts = fulltext.corrections, fulltext._fts

    def corrections(conn, word):
        asked.append(word)
        return real_corrections(conn, word)

    def fts(*args, **kw):
        if args[2:4] == (fulltext.PROBE_CAP, fulltext.PROBE_SCAN):  # a typo probe
            probes.append(args[1])
        return real_fts(*args, **kw)

    with mock.patch.object(fulltext, "corrections", corrections):
        with mock.patch.object(fulltext, "_fts", fts):
            fulltext.fuzzy_matches(db.conn, text, **kwargs)
    return asked, probes


def test_a_spent_typo_budget_asks_no_other_word_for_corrections(db):
    """Issue 12 §1: past the budget, no further word is looked up either (each word's
    corrections are a query of their own: 0.4-1.5 ms at a million contacts, asked for
    every word of a long scan after the time was up)."""
    asked, probes = _typo_calls(db, "Jonh Smiht Acmme", clock=lambda: 0.0)
    assert asked == ["jonh", "smiht", "acmme"]  # with time left, every word (the bound: 3)
    ticks = iter(range(0, 10_000))  # a clock a minute further at every reading
    asked, probes = _typo_calls(db, "Jonh Smiht Acmme", clock=lambda: 60.0 * next(ticks))
    assert asked == ["jonh"] and len(probes) == 1


def test_a_fake_clock_bounds_the_typo_probes(db):
    """The budget is read from the clock given: 1 ms a reading against a 2.5 ms budget."""
    ticks = iter(range(0, 10_000))
    with (
        mock.patch.object(fulltext, "CORRECTIONS", 0),
        mock.patch.object(fulltext, "FUZZY_BUDGET", 0.0025),
    ):
        _, slow = _typo_calls(db, "Jurgen Mueler", clock=lambda: next(ticks) / 1000)
        _, free = _typo_calls(db, "Jurgen Mueler", clock=lambda: 0.0)
    assert len(slow) == 3 and len(free) == 4  # readings at 1, 2 ms: in time; at 3 ms: not


def test_the_typo_fallback_probes_a_few_words_of_a_long_scan(db):
    """At most SUSPECTS words of a query are probed, and a query of more words than a name
    or a company has is not guessed at: a scanned line of fifteen words made 24 probes of
    up to 50 ms each at a million contacts."""
    asked, _ = _typo_calls(db, "Jonh Smiht Acmme Corpp Mulelr", clock=lambda: 0.0)
    assert asked == ["jonh", "smiht", "acmme"]
    text = " ".join(["jonh", "smiht", "acmme", "corpp", "mulelr", "gmbhh", "ltdd", "trdng", "zz"])
    asked, probes = _typo_calls(db, text, clock=lambda: 0.0)
    assert asked == [] and probes == []
    assert fulltext.fuzzy_matches(db.conn, "Jonh Smith")  # a name still gets its guess


def test_a_typo_is_probed_only_among_words_that_occur_together(db):
    """Every word occurs, but not all together: a typo in 'jordan' may hide Rami Haddad of
    Petra Trading, whose other words do meet; 'rami' or 'petra' cannot be the slip, since
    no row holds the words beside them together, and are not probed (three common words
    that never meet spent the whole typo budget at a million contacts)."""
    asked, _ = _typo_calls(db, "Rami Jordan Petra", clock=lambda: 0.0)
    assert asked == ["jordan"]


def test_a_short_cjk_fragment_reads_the_vocabulary_once(tiny):
    """Finding and counting a one- or two-character CJK fragment share its trigrams: the
    vocabulary (a range over fts5vocab, sorted) was asked twice per search."""
    asked = []
    real = fulltext._vocab

    def vocab(conn, start):
        asked.append(start)
        return real(conn, start)

    with mock.patch.object(fulltext, "_vocab", vocab):
        found = fulltext.matches(tiny.conn, "光", 1)  # one shown: the rest are counted
    assert len(found.hits) == 1 and found.total > 1
    assert sorted(asked) == [" 光", "光 "]


def test_a_typo_candidate_with_a_close_name_skips_its_company(db):
    """max(name, 0.9 × company): a name scoring 90 or more cannot be beaten by the company,
    whose similarity (rapidfuzz, a fifth of a typo search) is then not computed."""
    compared = []
    real = fulltext._similarity

    def similarity(q, words, target):
        compared.append(target)
        return real(q, words, target)

    with mock.patch.object(fulltext, "_similarity", similarity):
        found = fulltext.fuzzy_matches(db.conn, "Jurgen Mueler")
    assert found.hits and "muller maschinenbau gmbh" not in compared


def test_counting_stops_at_the_cap_and_says_so(db):
    with (
        mock.patch.object(fulltext, "CAP", 4),  # candidates read per query, before ranking
        mock.patch.object(fulltext, "COUNT_CAP", 10),
        mock.patch.object(lookup_module, "COUNT_CAP", 10),
    ):
        r = lookup(db, "gmbh", limit=3)
        assert (len(r.matches), r.total, r.total_is_lower_bound) == (3, 10, True)
        assert showing(r) == "showing 3 of 10+"
        r = lookup(db, "Germany", limit=5)
        assert (r.total, r.total_is_lower_bound) == (10, True)
        assert search_total(db, "worker", limit=3)[1:] == (10, True)


def test_showing_line():
    r = lookup_module.LookupResult("q", "search", total=1234, total_is_lower_bound=True)
    assert showing(r) == "showing 0 of 1,234+"
    r = lookup_module.LookupResult("q", "search", total=12)
    assert showing(r) == "showing 0 of 12"


def test_cli_prints_showing_n_of_m_and_json_has_total(dbpath):
    out = run("lookup", "example", "--limit", "2", db=dbpath).output
    assert "showing 2 of 3" in out
    data = json.loads(run("lookup", "example", "--limit", "2", "--json", db=dbpath).output)
    assert len(data["matches"]) == 2
    assert data["total"] == 3 and data["total_is_lower_bound"] is False


# ---------------------------------------------------------------- against a brute-force count

_ALPHABET = "abcl 東东光"


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """Three hundred texts over a tiny alphabet, so that short queries match many rows."""
    rng = random.Random(11)
    names = {
        " ".join("".join(rng.choice("abcl東东光") for _ in range(rng.randint(1, 5)))
                 for _ in range(rng.randint(1, 3)))
        for _ in range(300)
    }  # fmt: skip
    database = open_db(tmp_path_factory.mktemp("tiny") / "kiosk.db")
    insert_contacts(database, [dict(id=f"t{i}", name=n) for i, n in enumerate(sorted(names))])
    return database


def _brute(db, q: str) -> set[int] | None:
    """Rows the finder's conditions select for any spelling of the query (a CJK query is
    also searched spaced otherwise, `fulltext.spellings`), checked one by one; None where
    the finder works through sampled trigrams (a one- or two-character CJK fragment)."""
    if not q:
        return set()
    rows = db.execute("SELECT rowid, search FROM contacts").fetchall()
    found: set[int] = set()
    for spelling in fulltext.spellings(q):
        if spelling != q and len(spelling) >= 3:  # another spacing: as one phrase only
            found |= {r for r, s in rows if spelling in s}
            continue
        selected = _brute_one(rows, spelling)
        if selected is None:
            return None
        found |= selected
    return found


def _brute_one(rows: list[tuple[int, str]], q: str) -> set[int] | None:
    """`_brute` for one spelling."""
    words = q.split()
    long = [w for w in words if len(w) >= 3]
    if len(q) < 3:
        if not q.isascii():
            return None
        return {r for r, s in rows if s.startswith(q) or (len(q) == 2 and " " + q in s)}
    if len(words) > 1 and long:
        return {r for r, s in rows if all(w in s for w in words)}
    return {r for r, s in rows if q in s}


@settings(
    max_examples=examples(300),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    text=st.text(alphabet=_ALPHABET, min_size=1, max_size=7),
    cap=st.sampled_from([5, 8, 1000]),
    scan=st.sampled_from([6, 20, 1000]),
)
@example(text="東光", cap=5, scan=1000)
@example(text="a b", cap=5, scan=1000)
@example(text="abc l", cap=5, scan=1000)
def test_total_is_the_number_of_matching_rows(tiny, text, cap, scan):
    q = fold(text).strip()
    with (
        mock.patch.object(fulltext, "SCAN", scan),  # rowids a query takes from the index
        mock.patch.object(fulltext, "CAP", 4),
        mock.patch.object(fulltext, "COUNT_CAP", cap),
        mock.patch.object(fulltext, "COUNT_SCAN", 6),
    ):
        found = fulltext.matches(tiny.conn, text, 3, typos=False)
    assert found.total >= len(found.hits)
    expected = _brute(tiny, q)
    if expected is None:  # sampled: never more than there are, and flagged when in doubt
        return
    assert {h.rowid for h in found.hits} <= expected
    if not found.hits:
        # Nothing to show, nothing counted. (The finder reads CAP rows for the long words
        # and then checks the short ones, so with CAP tiny it can miss rows that exist.)
        assert found.total == 0 and not found.more
        return
    if found.more:  # counting stopped early: a lower bound, never above the truth
        assert found.total <= len(expected)
    else:
        assert found.total == len(expected)


class _Spy:
    """A connection that notes every statement it runs, with its parameters."""

    def __init__(self, conn):
        self.conn, self.calls = conn, []

    def execute(self, sql, args=()):
        self.calls.append((sql, list(args)))
        return self.conn.execute(sql, args)


def test_the_count_does_not_ask_again_what_a_stage_read_in_full(db):
    """'Worker 07 Bolt' (a word too short for the index): one row holds the phrase, read in
    full, while the long words together fill a page, so the total is counted — from the
    phrase and the first rows of the long words. The count asked the phrase again (6 ms
    for 'Zhang Trading co ltd' at a million rows); it now reuses what the stage read."""
    spy = _Spy(db.conn)
    with mock.patch.object(fulltext, "CAP", 4):
        found = fulltext.matches(spy, "Worker 07 Bolt", 3, typos=False)
        phrase = fulltext._plan(db.conn, fulltext._all(["worker 07 bolt"]))[0]
        words = fulltext._plan(db.conn, fulltext._all(["worker", "bolt"]))[0]
    assert [h.rowid for h in found.hits] == [
        db.execute("SELECT rowid FROM contacts WHERE id = 'bulk7'").fetchone()[0]
    ]
    assert (found.total, found.more) == (1, False)
    asked = [a for sql, args in spy.calls if "JOIN contacts" in sql for a in args]
    assert asked.count(phrase) == 1  # the stage's query only (rows read, not probes)
    assert asked.count(words) == 2  # it stopped at its LIMIT: the count reads on
