"""Preparing contact rows and writing them in bulk, on real SQLite files."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import phonenumbers
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kiosk import contact_rows, fulltext, phones
from kiosk.contact_rows import (
    COLUMNS,
    ContactRowError,
    contact_search_text,
    insert_contacts,
    normalize_phone,
    prepare_contact,
)
from kiosk.db import open_db
from kiosk.phones import e164_parts
from kiosk.text import normalize_email, search_text
from tests.examples import examples


@pytest.fixture
def db(tmp_path):
    database = open_db(tmp_path / "rows.db")
    database.execute("INSERT INTO salespeople(id, name) VALUES ('ana', 'Ana'), ('ben', 'Ben')")
    return database


def rows(n: int, start: int = 0) -> list[dict]:
    return [
        dict(id=f"c{i}", name=f"Person {i}", company="Acme GmbH", email=f"p{i}@acme.example",
             phone=f"+4930{1000000 + i}", country="DE", owner_id="ana", badge_ids=f"B{i}")
        for i in range(start, start + n)
    ]  # fmt: skip


def fts_ids(db, text: str) -> set[str]:
    """Contacts the full-text index itself finds for `text` (not the search's other stages)."""
    rowids = fulltext.indexed(db.conn, text)
    marks = ",".join("?" * len(rowids))
    return {r[0] for r in db.execute(f"SELECT id FROM contacts WHERE rowid IN ({marks})", rowids)}


def schema(db, kind: str) -> set[str]:
    return {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = ?", [kind])}


# ---------------------------------------------------------------- phones


@pytest.mark.parametrize(
    ("phone", "country", "expected"),
    [
        ("+86 138 0013 8000", None, "+8613800138000"),
        ("+86-138-0013-8000", None, "+8613800138000"),
        ("0086 138 0013 8000", None, "+8613800138000"),
        ("tel:+1-202-555-0123", None, "+12025550123"),
        ("(202) 555-0123", "US", "+12025550123"),
        ("030 1234567", "DE", "+49301234567"),
        ("030 1234567", None, ""),  # national, and no country to read it with
        ("+44 (0) 20 7946 0958", None, "+442079460958"),  # the trunk 0 is dropped
        ("+390612345678", None, "+390612345678"),  # Italy keeps its leading 0
        ("call me", "DE", ""),
        ("", "DE", ""),
        (None, None, ""),
        ("+1 2", None, ""),
    ],
)
def test_normalize_phone(phone, country, expected):
    assert normalize_phone(phone, country) == expected


def parsed_e164(number: str) -> str:
    """What phonenumbers' full parse makes of a number, as normalize_phone reports it."""
    try:
        parsed = phonenumbers.parse(number, None)
        slow = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    except phonenumbers.NumberParseException:
        slow = ""
    return slow if 8 <= len(slow) <= 16 else ""


def test_fast_path_agrees_with_phonenumbers():
    rng = random.Random(5)
    codes = list(phonenumbers.COUNTRY_CODE_TO_REGION_CODE)
    for _ in range(3000):
        number = f"+{rng.choice(codes)}{rng.randrange(10**5, 10**12)}"
        assert normalize_phone(number) == parsed_e164(number), number


def test_an_all_optional_national_prefix_reads_without_a_parse():
    """Argentina's national prefix pattern is all optional: it matches every number, but a
    match of nothing strips nothing, so '+54 9 11 …' is read without a parse — and reads
    as the parse reads it, for numbers made to hit each part of the pattern."""
    assert e164_parts("+5491113116046") == (54, "91113116046")
    assert e164_parts("+54011") is None  # a real prefix ('0') is the parse's to strip
    rng = random.Random(54)
    starts = ["9", "911", "0", "011", "15", "9115", "11", "2", "3", "8", "6"]
    for _ in range(3000):
        number = f"+54{rng.choice(starts)}{rng.randrange(10**3, 10**10)}"
        assert normalize_phone(number) == parsed_e164(number), number


PHONE_CODES = st.sampled_from(sorted(str(c) for c in phonenumbers.COUNTRY_CODE_TO_REGION_CODE))


@settings(max_examples=examples(500), deadline=None)
@given(
    code=PHONE_CODES | st.text("0123456789", min_size=1, max_size=3),
    national=st.text("0123456789", min_size=1, max_size=14),
    country=st.sampled_from([None, "DE", "US", "CN", "AR", "GB", "IT", "xx"]),
    prefix=st.sampled_from(["+", "", "00", " +", "+ "]),
)
def test_a_number_kept_as_is_is_what_normalising_makes_of_it(code, national, country, prefix):
    """A first import skips `normalize_phone` for a number `kept_as_is` says it keeps
    (`kiosk.sync.new_rows`): for any country, normalising gives the very same text."""
    text = f"{prefix}{code}{national}"
    if phones.kept_as_is(text):
        assert normalize_phone(text, country) == text
        assert normalize_phone(text, None) == parsed_e164(text)


# ---------------------------------------------------------------- one row


@settings(max_examples=examples(200), deadline=None)
@given(st.lists(st.text(max_size=12), min_size=4, max_size=4))
def test_search_text_is_kiosk_text_search_text(parts):
    assert contact_search_text(*parts) == search_text(*parts)


def test_prepare_contact_fills_derived_columns_and_baseline():
    row = prepare_contact(
        dict(id=" c1 ", name=" José  Martínez ", company="Luces S.L.", email="Jose@Luces.Example",
             phone="911 23 45 67", country="es", city="Sevilla", owner_id="ana", split="30%",
             filed_at=datetime(2024, 3, 2, 9, 0, tzinfo=UTC), consent="yes", badge_ids="B1; B2;B1",
             badge_id="B3", unknown_column="ignored")
    )  # fmt: skip
    assert set(row) == set(COLUMNS) | {"badge_ids"}
    assert row["id"] == "c1"
    assert row["name"] == "José  Martínez"
    assert row["email_norm"] == "jose@luces.example"
    assert row["phone_e164"] == "+34911234567"
    assert row["country"] == "ES"
    assert row["search"] == "jose martinez luces s.l. jose@luces.example sevilla"
    assert (row["crm_owner_id"], row["split"], row["crm_split"]) == ("ana", 0.3, 0.3)
    assert row["filed_at"] == "2024-03-02T09:00:00+00:00"
    assert row["consent"] == 1
    assert row["badge_ids"] == ["B1", "B2", "B3"]
    assert row["source"] == "crm" and row["crm_id"] is None and row["notes"] == ""


def test_given_baseline_wins_even_when_empty():
    row = prepare_contact(dict(crm_id="C9", name="X", owner_id="ana", crm_owner_id=None))
    assert row["id"] == "C9"  # id defaults to the CRM's id
    assert (row["owner_id"], row["crm_owner_id"]) == ("ana", None)


def test_country_names_are_resolved_and_junk_dropped():
    assert prepare_contact(dict(id="a", name="A", country="Deutschland"))["country"] == "DE"
    assert prepare_contact(dict(id="a", name="A", country="Booth 12"))["country"] is None


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (dict(name="No id"), "needs an id"),
        (dict(id="a", name="A", split="half"), "split: not a number"),
        (dict(id="a", name="A", split=1.5), "between 0 and 1"),
        (dict(id="a", name="A", source="web"), "source"),
    ],
)
def test_bad_fields_raise_a_named_error(fields, message):
    with pytest.raises(ContactRowError, match=message):
        prepare_contact(fields)


def test_undecodable_text_is_stored_with_a_replacement_character(db):
    insert_contacts(db, [dict(id="s1", name="Bad \udcff Byte", company="\ud800")])
    assert db.execute("SELECT name FROM contacts").fetchone()[0] == "Bad \ufffd Byte"


def test_prepared_dict_inserts_with_sqlite_utils(db):
    row = prepare_contact(dict(id="b1", name="Booth Visitor", source="booth", badge_ids=["X"]))
    row.pop("badge_ids")
    db.table("contacts").insert(row)
    assert fts_ids(db, "booth visitor") == {"b1"}


# ---------------------------------------------------------------- many rows


@pytest.mark.parametrize("bulk", [True, False, None])
def test_insert_contacts_writes_rows_badges_and_index(db, bulk):
    assert insert_contacts(db, iter(rows(12)), batch=5, bulk=bulk) == 12
    assert db.execute("SELECT count(*) FROM contacts").fetchone()[0] == 12
    assert (
        db.execute("SELECT contact_id FROM contact_badges WHERE badge_id = 'B7'").fetchone()[0]
        == "c7"
    )
    assert fts_ids(db, "person 11") == {"c11"}
    assert (
        db.execute("SELECT phone_e164 FROM contacts WHERE id = 'c3'").fetchone()[0]
        == "+49301000003"
    )


def test_bulk_mode_restores_triggers_indexes_and_settings(db):
    triggers, indexes = schema(db, "trigger"), schema(db, "index")
    cache = db.execute("PRAGMA cache_size").fetchone()[0]
    insert_contacts(db, rows(20), batch=5, bulk=True)
    assert schema(db, "trigger") == triggers
    assert schema(db, "index") == indexes
    assert db.execute("PRAGMA cache_size").fetchone()[0] == cache
    hashsize = db.execute("SELECT v FROM contacts_fts_config WHERE k = 'hashsize'").fetchone()
    assert hashsize is None or int(hashsize[0]) == 1024 * 1024
    db.execute("INSERT INTO contacts(id, name, search) VALUES ('late', 'Late', 'late comer')")
    assert fts_ids(db, "late comer") == {"late"}  # the triggers work again
    assert "SCAN contacts" not in str(
        db.execute("EXPLAIN QUERY PLAN SELECT id FROM contacts WHERE email_norm = 'x'"
                   " AND email_norm <> ''").fetchall()
    )  # fmt: skip


def test_default_switches_to_bulk_mid_stream(db, monkeypatch):
    monkeypatch.setattr(contact_rows, "BULK_MIN_ROWS", 10)
    entered = []
    real = contact_rows.bulk_contacts

    def spy(database):
        entered.append(True)
        return real(database)

    monkeypatch.setattr(contact_rows, "bulk_contacts", spy)
    insert_contacts(db, rows(25), batch=5)
    assert entered == [True]
    assert len(fts_ids(db, "person")) == 25  # rows written before and after the switch
    insert_contacts(db, rows(3, start=100), batch=5)
    assert entered == [True]  # a small import into a bigger table keeps the triggers


def test_conflicts_abort_ignore_or_update(db):
    insert_contacts(db, rows(2))
    changed = [dict(rows(1)[0], name="Renamed Person")]
    with pytest.raises(Exception, match="UNIQUE"):
        insert_contacts(db, changed)
    insert_contacts(db, changed, on_conflict="ignore")
    assert db.execute("SELECT name FROM contacts WHERE id = 'c0'").fetchone()[0] == "Person 0"
    insert_contacts(db, changed, on_conflict="update", bulk=False)
    assert db.execute("SELECT name FROM contacts WHERE id = 'c0'").fetchone()[0] == "Renamed Person"
    assert fts_ids(db, "renamed") == {"c0"}  # the update trigger kept the index in step
    insert_contacts(db, [dict(changed[0], name="Bulk Renamed")], on_conflict="update", bulk=True)
    assert fts_ids(db, "bulk renamed") == {"c0"} and fts_ids(db, "renamed person") == set()


@pytest.mark.parametrize("bulk", [True, False])
def test_a_bad_row_names_its_position_and_writes_nothing(db, bulk):
    indexes = schema(db, "index")
    bad = rows(6)
    bad[4]["owner_id"] = "nobody"
    with pytest.raises(ContactRowError, match=r"row 5: owner_id 'nobody'"):
        insert_contacts(db, bad, batch=2, bulk=bulk)
    bad[4] = dict(name="no id")
    with pytest.raises(ContactRowError, match="row 5: a contact needs an id"):
        insert_contacts(db, bad, batch=2, bulk=bulk)
    assert db.execute("SELECT count(*) FROM contacts").fetchone()[0] == 0
    assert schema(db, "index") == indexes


# ---------------------------------------------------------------- the fast path

_KEYS = ("id", "crm_id", "name", "company", "title", "email", "phone", "city", "grade",
         "notes", "language", "owner_id", "assistant_id", "preferred_id", "crm_owner_id",
         "crm_split", "split", "filed_at", "last_contact_at", "source", "country", "consent",
         "badge_ids", "badge_id", "unknown")  # fmt: skip
# Text as CRM cells hold it, with what makes the general path work: padding, controls,
# bidi overrides, lone surrogates, accents, CJK, full-width letters, e-mail-like shapes.
_CELL = st.one_of(
    st.text(max_size=14),
    st.text(alphabet=" \t\x00\x1b\u202eaZé王東Ａ@.+0-9;<>", max_size=14),
    st.sampled_from(["", " ", "CRM-1", "crm", "booth", "DE", "China", "Atlantis", "30%",
                     "ana", "+49 30 1234567", "+8613800138000", "0049301234567",
                     "Ana@Example.COM", " x@y.de ", "B1;B2; B1", "yes", "2024-03-02",
                     "Ana  MARIA", "Ｗａｎｇ  Ｘｉａｏ", "東光 照明"]),
)  # fmt: skip
_VALUE = st.one_of(
    _CELL, st.none(), st.integers(-2, 2), st.floats(0, 1),
    st.lists(_CELL, max_size=3), st.tuples(_CELL, _CELL),
    st.just(datetime(2024, 3, 2, 9, 15, tzinfo=UTC)),
)  # fmt: skip


def _outcome(fn, *args):
    try:
        return fn(*args)
    except Exception as exc:  # noqa: BLE001 - the very error is what must agree
        return type(exc), str(exc)


_TEXT_FIELDS = ("crm_id", "name", "company", "title", "email", "phone", "city", "grade",
                "notes", "language", "owner_id", "filed_at", "country", "source")  # fmt: skip


@pytest.mark.slow
@settings(max_examples=examples(800), deadline=None)
@given(
    st.dictionaries(st.sampled_from(_TEXT_FIELDS), _CELL, max_size=10),
    st.dictionaries(st.sampled_from(_KEYS), _VALUE, max_size=3),
    st.booleans(),
)
@example({"name": "Ana  MARIA", "email": "Ana@B.DE", "phone": "030 1234567"}, {"id": "c1"}, True)
@example({"name": " 王 小明", "company": "東光", "country": "China"}, {"crm_id": "c2"}, False)
@example({"name": "x", "email": " x@y.de "}, {"id": "c3", "badge_ids": ("B2", " B1")}, True)
def test_fast_path_gives_the_general_paths_row(cells, odd, give_email):
    """Text fields as a CSV gives them, sometimes with any other key or value mixed in,
    with or without the caller's normalised e-mail: the fast path gives exactly the
    general path's row and badges, or declines (None) and the general path decides (its
    errors included)."""
    fields = cells | odd
    raw = fields.get("email")
    email = normalize_email(raw) if give_email and isinstance(raw, str) else None
    slow = _outcome(contact_rows._values, fields)
    fast = _outcome(contact_rows._fast_values, fields, email)
    assert fast is None or fast == slow
    assert _outcome(contact_rows.contact_values, fields, email) == slow


@settings(max_examples=examples(300), deadline=None)
@given(
    st.text(alphabet="abcXYZ éü王小明東 -'", min_size=1, max_size=20),
    st.sampled_from(["Acme GmbH", "北京照明有限公司", "Café Lumière"]),
    st.sampled_from(["", "+4930123456", "+86 138 0013 8000", "030 1234567"]),
    st.sampled_from(["", "DE", "CN", "Deutschland"]),
    st.sampled_from(["", "a@b.de", "Wang.Xiaoming@Example.CN"]),
)
def test_a_crm_row_takes_the_fast_path(name, company, phone, country, email):
    """The rows an import writes (trimmed printable text, ids, dates, badge tuples) are
    the common case the fast path is for: it takes them, with the same result."""
    fields = {"id": "CRM-7", "crm_id": "CRM-7", "source": "crm", "name": name.strip() or "x",
              "company": company, "phone": phone, "country": country or None, "email": email,
              "owner_id": "ana", "filed_at": "2024-03-02", "badge_ids": ("B1", "B2")}  # fmt: skip
    fast = contact_rows._fast_values(fields, normalize_email(email))
    assert fast is not None
    assert fast == contact_rows._values(fields)


@settings(max_examples=examples(500), deadline=None)
@given(
    st.dictionaries(st.sampled_from(_TEXT_FIELDS), _CELL, max_size=10),
    st.dictionaries(st.sampled_from(_KEYS), _VALUE, max_size=3),
)
@example({"name": "Ana", "crm_id": "c1", "owner_id": "ana"}, {})
@example({"name": "Ana", "phone": "030 1234567"}, {"id": "c2", "split": "30%"})
def test_a_row_holds_the_absent_value_in_every_column_its_fields_cannot_set(cells, odd):
    """What a bulk writer leaves out of its parameters (`varying_columns`) and writes as
    literals (`insert_values`) is what the row has there, whatever the fields hold."""
    fields = cells | odd
    try:
        values, _ = contact_rows.contact_values(fields)
    except Exception:  # noqa: BLE001 - a row that cannot be stored has no columns
        return
    varying = contact_rows.varying_columns(fields)
    assert set(varying) <= set(COLUMNS) and "id" in varying
    for column, value in zip(COLUMNS, values, strict=True):
        if column not in varying:
            assert value == contact_rows.absent_value(column), column
    assert contact_rows.picker(varying)(values) == tuple(
        v for c, v in zip(COLUMNS, values, strict=True) if c in varying
    )
    assert contact_rows.picker(("name",))(values) == (values[COLUMNS.index("name")],)


def test_insert_values_binds_the_varying_columns_and_writes_the_others(db):
    varying = contact_rows.varying_columns(["id", "name", "owner_id"])
    assert varying == ("id", "name", "owner_id", "crm_owner_id", "search")
    sql = f"INSERT INTO contacts ({', '.join(COLUMNS)}) VALUES ({contact_rows.insert_values(varying)})"
    values, _ = contact_rows.contact_values({"id": "c1", "name": "Ana", "owner_id": "ana"})
    db.execute(sql, contact_rows.picker(varying)(values))
    stored = db.execute(f"SELECT {', '.join(COLUMNS)} FROM contacts WHERE id = 'c1'").fetchone()
    assert stored == values
