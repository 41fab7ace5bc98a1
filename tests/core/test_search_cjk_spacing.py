"""A space between Chinese, Japanese or Korean characters does not matter to search.

'高橋直樹' finds '高橋 直樹', '王 伟' finds '王伟': CRMs, badges and the people typing write
a name with or without a space between family and given name, and both are the same name.
The fix is at query time (`kiosk.fulltext.spellings`): what is indexed is unchanged.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk import fulltext
from kiosk.contact_rows import insert_contacts
from kiosk.db import open_db
from kiosk.lookup import lookup, search
from tests.cli.common import run
from tests.examples import examples

CONTACTS = [
    dict(id="takahashi", name="高橋 直樹", company="東光電機株式会社", country="JP"),
    dict(id="sato", name="佐藤 健", company="株式会社光和照明", country="JP"),
    dict(id="wang", name="王伟", company="上海明辉照明有限公司", country="CN"),
    dict(id="wang2", name="王 伟", company="深圳伟业电子", country="CN"),
    dict(id="tang", name="唐洋", company="Mei Ya Industrial Co., Ltd.", country="HK"),
    dict(id="li", name="李 小 龙", company="龙门贸易", country="CN"),
    dict(id="kim", name="김 민수", company="한빛전자", country="KR"),
    dict(id="latin", name="Wang Wei", company="Acme Lighting", country="CN"),
]


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    database = open_db(tmp_path_factory.mktemp("cjk") / "kiosk.db")
    insert_contacts(database, [dict(c) for c in CONTACTS])
    return database


def ids(matches) -> set[str]:
    return {m.contact.id for m in matches}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("高橋直樹", "takahashi"), ("高 橋直樹", "takahashi"), ("高橋直 樹", "takahashi"),
        ("高 橋 直 樹", "takahashi"), ("佐藤健", "sato"), ("佐 藤健", "sato"),
        ("唐 洋", "tang"), ("李小龙", "li"), ("李 小龙", "li"), ("김민수", "kim"),
    ],
)  # fmt: skip
def test_the_name_is_found_however_it_is_spaced(db, query, expected):
    r = lookup(db, query)
    assert r.kind == "search" and ids(r.matches) == {expected}
    assert r.matches[0].score == 100.0  # the whole name: what the CLI takes as the one meant
    assert (r.total, r.total_is_lower_bound) == (1, False)


@pytest.mark.parametrize("query", ["王伟", "王 伟"])
def test_both_spellings_are_found_and_counted(db, query):
    r = lookup(db, query)
    assert ids(r.matches) == {"wang", "wang2"}
    assert all(m.score == 100.0 for m in r.matches)
    assert (r.total, r.total_is_lower_bound) == (2, False)


def test_the_simplified_spelling_without_the_space(db):
    # traditional and simplified were already one (`fold`, OpenCC per character)
    assert ids(search(db, "高桥直树")) == {"takahashi"}
    assert ids(search(db, "高桥 直树")) == {"takahashi"}


def test_fragments_across_the_space(db):
    hits = search(db, "高橋直")  # the start of the name, typed without its space
    assert ids(hits) == {"takahashi"} and hits[0].score == 96.0
    assert ids(search(db, "橋直")) == {"takahashi"}
    assert ids(search(db, "直樹")) == {"takahashi"}  # a word of the name, as before


def test_a_name_typed_with_its_company(db):
    assert ids(search(db, "高橋直樹 東光")) == {"takahashi"}


def test_latin_spaces_still_separate_words(db):
    assert fulltext.spellings("wang wei") == ["wang wei"]
    assert fulltext.spellings("wang wei 王伟") == ["wang wei 王伟", "wang wei 王 伟"]


def test_the_spellings_are_bounded():
    assert len(fulltext.spellings("长谷川 美奈子 东光电机 株式会社")) <= fulltext.SPACINGS
    # a long run (a company's name) is searched as typed and closed, not spaced anew
    assert fulltext.spellings("上海明辉照明有限公司") == ["上海明辉照明有限公司"]
    assert fulltext.spellings("健") == ["健"]


# ---------------------------------------------------------------- any spacing, any name

# Family names and given-name characters of Chinese, Japanese and Korean names, some of
# them traditional (folded to simplified in the index and the query alike).
_CHARS = "王李张劉陈杨黃趙吴周高橋佐藤田中渡辺健直樹小明伟洋龙美奈子さくらカナ김민수박지"
_NAME = st.text(alphabet=_CHARS, min_size=1, max_size=3)
_ids = itertools.count()


@pytest.fixture(scope="module")
def pool(tmp_path_factory):
    """A database the property's names accumulate in (each example adds one)."""
    database = open_db(tmp_path_factory.mktemp("cjk-pool") / "kiosk.db")
    insert_contacts(database, [dict(c) for c in CONTACTS])
    return database


@settings(max_examples=examples(200), deadline=None)
@given(family=_NAME, given_name=_NAME, stored=st.integers(0, 6), gaps=st.data())
def test_respacing_a_stored_name_still_finds_it(pool, family, given_name, stored, gaps):
    """Stored without a space, with one anywhere, or with one between every two characters;
    searched with spaces between any of its characters: the contact is found."""
    chars = family + given_name
    if stored == 0:
        name = chars
    elif stored == 6:
        name = " ".join(chars)
    else:  # one space: mostly between family and given name, or wherever it lands
        at = len(family) if stored < 3 else 1 + stored % (len(chars) - 1 or 1)
        name = chars[:at] + " " + chars[at:]
    spaced = gaps.draw(st.lists(st.booleans(), min_size=len(chars) - 1, max_size=len(chars) - 1))
    query = chars[0] + "".join(
        (" " if s else "") + ch for s, ch in zip(spaced, chars[1:], strict=True)
    )
    cid = f"p{next(_ids)}"
    insert_contacts(pool, [dict(id=cid, name=name, company="Booth Test")])
    assert cid in ids(search(pool, query, limit=100)), (name, query)


def test_cli_lookup_finds_the_name_spaced_otherwise(dbpath):
    for query in ("王 小明", "王小 明"):
        out = run("lookup", query, db=dbpath).output
        assert "1 match for" in out and "王小明" in out, out


# ---------------------------------------------------------------- a typed whole name


@pytest.mark.parametrize("query", ["高橋直樹", "高橋 直樹", "高 橋直樹", "佐藤健", "李小龙"])
def test_a_whole_name_spaced_otherwise_identifies_its_one_contact(db, query):
    r = lookup(db, query)
    assert r.identified and r.matches[0].contact.id in {"takahashi", "sato", "li"}


@pytest.mark.parametrize("query", ["王伟", "王 伟"])
def test_one_name_spaced_two_ways_is_two_namesakes(db, query):
    """'王伟' and '王 伟' are one name: typed, it identifies neither (it named '王伟' alone)."""
    r = lookup(db, query)
    assert not r.identified and ids(r.matches) == {"wang", "wang2"}
