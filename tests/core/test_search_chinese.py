"""Traditional and simplified Chinese are one for search: 东光 finds 東光 and 東光 finds 东光."""

from __future__ import annotations

from unittest import mock

import pytest
import sqlite_utils
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk import db as db_module
from kiosk.contact_rows import insert_contacts, prepare_contact
from kiosk.db import migration_set, open_db
from kiosk.lookup import lookup, search
from kiosk.text import fold, simplified
from tests.examples import examples

# (traditional, simplified) as people write them; the last ones are Hong Kong forms.
PAIRS = [
    ("東光", "东光"), ("貿易", "贸易"), ("陳大文", "陈大文"), ("黃偉倫", "黄伟伦"),
    ("廣州", "广州"), ("鄭麗華", "郑丽华"), ("電子", "电子"), ("臺灣", "台湾"),
    ("股份有限公司", "股份有限公司"), ("衞生", "卫生"), ("敍事", "叙事"),
]  # fmt: skip


@pytest.mark.parametrize(("traditional", "simple"), PAIRS)
def test_fold_makes_both_forms_one(traditional, simple):
    assert fold(traditional) == fold(simple) == simple


def test_fold_leaves_other_scripts_alone():
    for text in ("カタカナ ひらがな", "김민준", "Jürgen", "محمد", "Ａ"):
        assert simplified(text) == text
    assert fold("Müller 東光") == "muller 东光"


def test_character_by_character_not_by_phrase():
    # OpenCC's phrase tables keep 乾 in 乾隆; a fold for fragments cannot look at neighbours.
    assert fold("乾隆") == fold("乾") + fold("隆")


_HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
_TEXT = st.text(alphabet=st.one_of(_HAN, st.sampled_from("ab 1東薴衞")), max_size=12)


@settings(max_examples=examples(300), deadline=None)
@given(a=_TEXT, b=_TEXT)
def test_fragments_fold_as_they_do_inside_a_name(a, b):
    # What search relies on: the fold of a piece is a piece of the fold.
    assert simplified(a + b) == simplified(a) + simplified(b)
    assert simplified(simplified(a)) == simplified(a)  # chains followed: 薴 → 苧 → 苎
    assert fold(fold(a)) == fold(a)


CONTACTS = [
    dict(id="tw", name="陳東光", company="東光貿易股份有限公司", city="臺北", country="TW"),
    dict(id="cn", name="李明", company="东光电子有限公司", city="深圳", country="CN"),
    dict(id="hk", name="黃偉倫", company="衞生用品", city="香港", country="HK"),
]


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    database = open_db(tmp_path_factory.mktemp("chinese") / "kiosk.db")
    insert_contacts(database, [dict(c) for c in CONTACTS])
    return database


def ids(matches) -> set[str]:
    return {m.contact.id for m in matches}


@pytest.mark.parametrize("query", ["东光", "東光"])
def test_either_form_finds_both(db, query):
    assert ids(search(db, query)) == {"tw", "cn"}
    r = lookup(db, query)
    assert r.kind == "search" and ids(r.matches) == {"tw", "cn"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [("陈", {"tw"}), ("陈东光", {"tw"}), ("台北", {"tw"}), ("贸易", {"tw"}),
     ("黄伟伦", {"hk"}), ("卫生", {"hk"}), ("電子", {"cn"}), ("東光電子", {"cn"})],
)  # fmt: skip
def test_fragments_in_the_other_form(db, query, expected):
    assert ids(search(db, query)) == expected


def test_the_stored_search_text_is_folded(db):
    row = prepare_contact(dict(id="x", name="陳大文", company="東光貿易"))
    assert row["search"] == "陈大文 东光贸易"


# ---------------------------------------------------------------- existing databases


def _before_m006(path):
    """A database as the kiosk left it before m006: `search` holding traditional forms."""
    raw = sqlite_utils.Database(path)
    migration_set().apply(raw, stop_before="m006_search_folds_traditional_chinese")
    insert_contacts(raw, [dict(c) for c in CONTACTS] + [dict(id="plain", name="Ana Ruiz")])
    unfolded = {"tw": "陳東光 東光貿易股份有限公司 臺北", "hk": "黃偉倫 衞生用品 香港"}
    for cid, text in unfolded.items():  # what the old fold wrote (triggers keep FTS in step)
        raw.execute("UPDATE contacts SET search = ? WHERE id = ?", [text, cid])
    raw.conn.commit()
    raw.conn.close()


@pytest.mark.parametrize("share", [0, 10**9], ids=["row by row", "index rebuilt"])
def test_m006_refolds_existing_rows_and_the_index(tmp_path, share):
    path = tmp_path / "old.db"
    _before_m006(path)
    old = open_db(path, migrate=False)
    assert ids(search(old, "東光")) == {"cn"}  # the traditional row is out of reach
    old.conn.close()
    with mock.patch.object(db_module, "_REFOLD_BULK_SHARE", share):
        database = open_db(path)
    texts = dict(database.execute("SELECT id, search FROM contacts").fetchall())
    assert texts["tw"] == "陈东光 东光贸易股份有限公司 台北"
    assert texts["hk"] == "黄伟伦 卫生用品 香港"
    assert texts["plain"] == "ana ruiz"
    database.execute("INSERT INTO contacts_fts(contacts_fts) VALUES('integrity-check')")
    assert ids(search(database, "東光")) == {"tw", "cn"}
    assert ids(search(database, "黄伟伦")) == {"hk"}
    names = {
        t for (t,) in database.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
    }
    assert {"contacts_fts_ai", "contacts_fts_ad", "contacts_fts_au"} <= names
    assert database.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[
        0
    ] == str(db_module.SCHEMA_VERSION)
