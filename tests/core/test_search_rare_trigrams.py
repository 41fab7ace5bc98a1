"""Asking the index for a text's rarest trigrams finds exactly what asking for all of them does.

`kiosk.fulltext` checks every candidate row against the whole text, so any subset of a
text's trigrams is a valid first filter; which subset only changes the cost. These tests
hold the finder to that: with the trigram counts loaded (`load_frequencies`) and the subset
cut to one or two trigrams, every search answers as it does without them.
"""

from __future__ import annotations

import random
import sqlite3
from unittest import mock

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kiosk import fulltext
from kiosk.contact_rows import insert_contacts
from kiosk.db import open_db
from kiosk.lookup import lookup
from tests.examples import examples

_LETTERS = "abcdelmnor 東光"


@pytest.fixture(scope="module")
def people(tmp_path_factory):
    """Four hundred names and companies over few letters, so that trigrams repeat a lot."""
    rng = random.Random(5)

    def word() -> str:
        return "".join(rng.choice(_LETTERS.replace(" ", "")) for _ in range(rng.randint(2, 7)))

    rows = [
        dict(id=f"p{i}", name=f"{word()} {word()}", company=f"{word()} {word()}")
        for i in range(400)
    ]
    rows += [dict(id="maria", name="Maria Garcia", company="Acme"),
             dict(id="mario", name="Mario Garcia", company="Acme Tools"),
             dict(id="ana", name="Ana Maria Garcia", company="Norte")]  # fmt: skip
    database = open_db(tmp_path_factory.mktemp("rare") / "kiosk.db")
    insert_contacts(database, rows)
    return database


def _answer(db, text: str) -> tuple[list[tuple[int, float, str]], int, bool]:
    found = fulltext.matches(db.conn, text, 5)
    return [(h.rowid, h.score, h.how) for h in found.hits], found.total, found.more


def _with_counts(db, text: str, keep: int) -> tuple[list[tuple[int, float, str]], int, bool]:
    with (
        mock.patch.object(fulltext, "FREQ_MIN", 1),  # list every trigram
        mock.patch.object(fulltext, "RARE_TERMS", keep),
        mock.patch.object(fulltext, "CHECK_COST", 10**9),  # always as many as allowed
        mock.patch.dict(fulltext._FREQUENCIES),  # forgotten after the test
    ):
        assert fulltext.load_frequencies(db.conn, again=True) > 0
        return _answer(db, text)


@settings(max_examples=examples(150), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(text=st.text(alphabet=_LETTERS, min_size=3, max_size=12), keep=st.sampled_from([1, 2]))
@example(text="maria garc", keep=1)
@example(text="garcia", keep=1)
@example(text="ria gar", keep=2)
def test_the_rarest_trigrams_find_what_all_of_them_find(people, text, keep):
    assert _with_counts(people, text, keep) == _answer(people, text)


def test_the_counts_are_read_from_the_index(people):
    texts = [s for (s,) in people.execute("SELECT search FROM contacts")]
    with mock.patch.dict(fulltext._FREQUENCIES), mock.patch.object(fulltext, "FREQ_MIN", 3):
        listed = fulltext.load_frequencies(people.conn, again=True)
        ((rows, counts),) = fulltext._FREQUENCIES.values()
    assert rows == len(texts) and listed == len(counts) > 0
    assert counts["arc"] == sum("arc" in t for t in texts) >= 3  # the Garcias at least
    assert all(n >= 3 for n in counts.values())


def test_an_in_memory_database_lists_no_counts():
    conn = sqlite3.connect(":memory:")
    assert fulltext.load_frequencies(conn) == 0
    assert fulltext._database_file(conn) == ""


def test_a_page_of_names_starting_with_the_query_still_counts_every_match(tmp_path):
    """Names that start with the query fill the page: they are shown without reading the
    texts that only contain it, and those are still counted in the total."""
    db = open_db(tmp_path / "kiosk.db")
    starts = [dict(id=f"s{i}", name=f"Maria Garcia {i:02d}", company="Acme") for i in range(12)]
    inside = [dict(id=f"i{i}", name=f"Ana Maria Garcia {i:02d}", company="Norte")
              for i in range(7)]  # fmt: skip
    insert_contacts(db, starts + inside)
    r = lookup(db, "Maria Garcia", limit=10)
    assert [m.contact.id for m in r.matches] == [f"s{i}" for i in range(10)]
    assert all(m.score >= 96 for m in r.matches)
    assert (r.total, r.total_is_lower_bound) == (19, False)
    r = lookup(db, "Maria Garcia", limit=15)  # the page has room: the rest come after them
    assert [m.contact.id for m in r.matches][:12] == [f"s{i}" for i in range(12)]
    assert {m.contact.id for m in r.matches[12:]} <= {f"i{i}" for i in range(7)}
    assert len(r.matches) == 15 and r.total == 19


def test_a_connection_is_never_taken_for_another_with_its_id(tmp_path):
    """The file of a connection is remembered by the connection's id; a closed connection's
    id may be given to a new one (to another file), which then filed its trigram counts
    under the first file's name (seen once in CI)."""
    import sqlite3

    first = sqlite3.connect(str(tmp_path / "first.db"))
    second = sqlite3.connect(str(tmp_path / "second.db"))
    fulltext._FILES[id(second)] = (first, str(tmp_path / "first.db"))  # as if the id were reused
    assert fulltext._database_file(second) == str(tmp_path / "second.db")
    assert fulltext._database_file(second) == str(tmp_path / "second.db")  # remembered now
    first.close()
    second.close()
