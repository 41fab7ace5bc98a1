"""Looking visitors up by scan or by typing, on a real SQLite file."""

from __future__ import annotations

import re
import types

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.contact_rows import insert_contacts
from kiosk.db import open_db
from kiosk.lookup import country_contacts, lookup, lookup_badge, search
from kiosk.tokens import make_token
from tests.examples import examples
from tests.factory import BOLT_WORKERS

SECRET, SHOW = "s3cret", "expo-26"
CONTACTS = [
    dict(id="wang", name="王小明", company="深圳光明电子有限公司", email="xiaoming.wang@bright.example",
         phone="+86 138 0013 8000", country="CN", city="深圳", owner_id="li", badge_ids="B-100;B-101"),
    dict(id="sato", name="佐藤健", company="富士精機株式会社", email="ken.sato@fuji.example",
         phone="090-1234-5678", country="JP", city="東京", owner_id="li"),
    dict(id="kim", name="김민준", company="한빛정밀", email="minjun.kim@hanbit.example",
         phone="+82 10 1234 5678", country="KR", owner_id="ana"),
    dict(id="jose", name="José Martínez", company="Industrias Martínez S.A.",
         email="Jose.Martinez@Industrias.example", phone="55 1234 5678", country="MX",
         city="Monterrey", owner_id="ana", badge_ids=["m-77"]),
    dict(id="jurgen", name="Jürgen Müller", company="Müller Maschinenbau GmbH",
         email="j.mueller@mueller-mb.example", phone="030 1234567", country="DE", city="Köln"),
    dict(id="ali", name="محمد العلي", company="Al Noor Trading LLC", email="m.alali@alnoor.example",
         phone="+971 50 123 4567", country="AE"),
    dict(id="john", name="John Smith", company="Acme Inc.", email="john@acme.example",
         phone="+1 202 555 0123", country="US", city="Chicago"),
    dict(id="jordan", name="Jordan Lee", company="Summit Supplies", email="jordan@summit.example",
         country="US"),
    dict(id="mariko", name="Mariko Tanaka", company="Tokyo Shoji", email="m.tanaka@shoji.example",
         country="JP"),
    dict(id="amman", name="Rami Haddad", company="Petra Trading", country="JO"),
    dict(id="ndjamena", name="Idriss Mahamat", company="Sahel Import", country="TD"),
    dict(id="bolt", name="Gmbhson Olaf", company="Bolt Parts", country="DE"),
] + BOLT_WORKERS  # fmt: skip


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    database = open_db(tmp_path_factory.mktemp("lookup") / "kiosk.db")
    database.execute("INSERT INTO salespeople(id, name) VALUES ('ana', 'Ana'), ('li', 'Li Na')")
    insert_contacts(database, [dict(c) for c in CONTACTS])
    return database


def ids(result_or_matches) -> list[str]:
    matches = getattr(result_or_matches, "matches", result_or_matches)
    return [m.contact.id for m in matches]


def kiosk_with(tmp_path, contacts):
    """A kiosk database of its own holding just `contacts` (the module's `db` stays as is)."""
    database = open_db(tmp_path / "kiosk.db")
    insert_contacts(database, contacts)
    return database


def test_badge_id_any_case(db):
    for query in ("B-100", "b-101", "M-77"):
        result = lookup(db, query)
        assert result.kind == "badge", query
        assert result.matches[0].how == "badge id" and result.matches[0].score == 100
    assert lookup(db, "b-100").matches[0].contact.badge_id == "B-100"
    assert ids(lookup(db, "m-77")) == ["jose"]


def test_an_address_is_an_address_first_and_an_id_shaped_like_one_still_finds_its_badge(tmp_path):
    """A scanned address asks the e-mail index first (one probe); a registration system
    that hands out addresses as badge ids is still served when no contact has the address."""
    database = kiosk_with(tmp_path, [
        dict(id="reg", name="Reg Istered", email="other@acme.example", badge_ids="visitor7@expo.example"),
        dict(id="mail", name="Ma Il", email="both@acme.example"),
        dict(id="idonly", name="Id Only", badge_ids="both@acme.example"),
    ])  # fmt: skip
    result = lookup(database, "Visitor7@Expo.Example")
    assert (result.kind, ids(result)) == ("badge", ["reg"])
    assert result.matches[0].contact.badge_id == "visitor7@expo.example"
    both = lookup(database, "both@acme.example")  # an address, and another contact's id
    assert (both.kind, ids(both)) == ("email", ["mail"])
    gone = lookup(database, "nobody@acme.example")
    assert gone.kind == "none" and "new visitor" in gone.message


@pytest.mark.parametrize(
    "query", ["jose.martinez@industrias.example", "JOSE.MARTINEZ@Industrias.Example",
              "mailto:Jose.Martinez@industrias.example", " <jose.martinez@industrias.example> "],
)  # fmt: skip
def test_email_is_case_insensitive(db, query):
    result = lookup(db, query)
    assert (result.kind, ids(result)) == ("email", ["jose"])
    assert result.matches[0].how == "email"


@pytest.mark.parametrize(
    ("query", "who"),
    [("+8613800138000", "wang"), ("+86 138-0013-8000", "wang"), ("0086 138 0013 8000", "wang"),
     ("+49 30 1234567", "jurgen"), ("+52 55 1234 5678", "jose"), ("tel:+12025550123", "john")],
)  # fmt: skip
def test_phone_in_any_format(db, query, who):
    result = lookup(db, query)
    assert (result.kind, ids(result)) == ("phone", [who])


def test_a_scanned_international_number_is_parsed_once(db, monkeypatch):
    """The badge reader reads '+86 138 0013 8000' (valid, from China) and keeps its E.164;
    lookup asks the phone index with it rather than parse the number again (~11 µs of a
    ~100 µs phone lookup at a million contacts)."""
    from kiosk import lookup as lookup_module

    parses = []
    real = lookup_module.normalize_phone

    def counting(*args, **kwargs):
        parses.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(lookup_module, "normalize_phone", counting)
    for query in ("+86 138 0013 8000", "+8613800138000"):
        result = lookup(db, query)
        assert (result.kind, ids(result)) == ("phone", ["wang"])
    assert parses == []
    result = lookup(db, "0086 138 0013 8000")  # not read by the quick path: parsed here
    assert (result.kind, ids(result)) == ("phone", ["wang"]) and parses


def test_an_exact_result_is_the_one_init_builds(db):
    """The exact finders build their result without the dataclass `__init__`; it is the same
    result, field for field (a field added to LookupResult must not be left unset)."""
    from dataclasses import fields

    from kiosk.lookup import LookupResult, _counted

    for query in ("B-100", "xiaoming.wang@bright.example", "+86 138 0013 8000"):
        fast = lookup(db, query)
        assert fast.kind in ("badge", "email", "phone") and fast.total == 1, query
        values = {f.name: getattr(fast, f.name) for f in fields(LookupResult)}
        total, more = values.pop("total"), values.pop("total_is_lower_bound")
        slow = _counted(LookupResult(**values), total, more)
        assert fast == slow and vars(fast) == vars(slow), query


def test_unknown_email_or_phone_is_a_new_visitor(db):
    assert lookup(db, "nobody@nowhere.example").kind == "none"
    assert lookup(db, "+44 20 7946 0958").kind == "none"


@pytest.mark.parametrize(
    ("query", "who", "score"),
    [("jose mar", "jose", 96), ("Jose Martinez", "jose", 100), ("martinez jose", "jose", 93),
     ("muller", "jurgen", 93), ("Jurgen Mueller", "jurgen", 99), ("王小明", "wang", 100),
     ("王小", "wang", 96), ("小明", "wang", 90), ("王", "wang", 96), ("藤健", "sato", 90),
     ("健", "sato", 90), ("김", "kim", 96), ("민준", "kim", 90), ("محمد", "ali", 96),
     ("tanaka", "mariko", 93), ("acme", "john", 82)],
)  # fmt: skip
def test_search_any_part_any_script(db, query, who, score):
    matches = search(db, query)
    assert matches and matches[0].contact.id == who, [m.contact.name for m in matches]
    assert (matches[0].how, matches[0].score) == ("name", score)


@pytest.mark.parametrize(
    ("query", "who"), [("Jonh Smith", "john"), ("Martinz", "jose"), ("Jurgen Mulelr", "jurgen")]
)
def test_typos_fall_back_to_fuzzy(db, query, who):
    result = lookup(db, query)
    assert result.kind == "search" and result.matches[0].contact.id == who
    assert result.matches[0].how == "fuzzy" and 75 <= result.matches[0].score < 100
    assert "similar" in result.message


def test_a_typo_of_a_company_says_the_company_is_similar(db):
    """A guess found through the company is told apart from one found through the name."""
    result = lookup(db, "Summitt Suplies")
    assert result.kind == "search" and result.matches[0].contact.id == "jordan"
    assert result.matches[0].how == "fuzzy company"
    assert "similar" in result.message


def test_common_word_is_capped_and_prefix_first(db):
    matches = search(db, "gmbh", limit=5)
    assert len(matches) == 5
    assert matches[0].contact.id == "bolt"  # the name that starts with it beats 80 companies
    assert search(db, "worker 0", limit=3)[0].contact.name == "Worker 00"


@pytest.mark.parametrize(("query", "code"), [("Japan", "JP"), ("日本", "JP"), ("Alemania", "DE")])
def test_country_in_any_language(db, query, code):
    result = lookup(db, query)
    assert (result.kind, result.country) == ("country", code)
    assert result.matches and all(m.contact.country == code for m in result.matches)
    assert {m.how for m in result.matches} == {"country"}


def test_name_that_is_also_a_country(db):
    jordan = lookup(db, "Jordan")
    assert (jordan.kind, jordan.country) == ("search", "JO")
    assert ids(jordan) == ["jordan", "amman"]  # the person first, then the country
    chad = lookup(db, "Chad")  # nobody is called Chad here
    assert (chad.kind, ids(chad)) == ("country", ["ndjamena"])


def test_country_contacts_walks_an_index(db):
    assert ids(country_contacts(db, "jp", limit=1)) == ["sato"]
    assert country_contacts(db, "Japan") == []


def test_valid_invitation_names_the_contact_and_the_inviter(db):
    token = make_token(secret=SECRET, show_id=SHOW, contact_id="kim", salesperson_id="ana",
                       issued_at=1_800_000_000)  # fmt: skip
    result = lookup(db, token, secret=SECRET, show_id=SHOW)
    assert (result.kind, ids(result)) == ("invitation", ["kim"])
    assert result.invitation.ok and result.invitation.salesperson_id == "ana"
    assert result.matches[0].how == "invitation"


def test_valid_invitation_for_a_contact_this_kiosk_lacks(db):
    token = make_token(secret=SECRET, show_id=SHOW, contact_id="gone", salesperson_id="li",
                       issued_at=1_800_000_000)  # fmt: skip
    result = lookup(db, token, secret=SECRET, show_id=SHOW)
    assert (result.kind, result.matches) == ("none", ())
    assert result.invitation.ok and result.invitation.salesperson_id == "li"
    assert "not in this kiosk's list" in result.message


def test_refused_invitation_is_an_unknown_visitor(db):
    token = make_token(secret="other", show_id=SHOW, contact_id="kim", salesperson_id="ana",
                       issued_at=1_800_000_000)  # fmt: skip
    result = lookup(db, token, secret=SECRET, show_id=SHOW)
    assert (result.kind, result.matches) == ("none", ())
    assert result.message.startswith(
        "Invitation refused: not signed with this show's invitation key"
    )
    assert result.invitation is not None and not result.invitation.ok


def test_invitation_is_checked_with_the_shows_key_and_a_failing_check_refuses(db, monkeypatch):
    import kiosk.lookup

    seen = {}

    def verify_token(token, *, secret, show_id):
        seen.update(token=token, secret=secret, show_id=show_id)
        return types.SimpleNamespace(ok=True, contact_id="sato", salesperson_id="li", error=None)

    monkeypatch.setattr(kiosk.lookup, "verify_token", verify_token)
    token = make_token(secret=SECRET, show_id=SHOW, contact_id="x", salesperson_id="",
                       issued_at=1_800_000_000)  # fmt: skip
    assert ids(lookup(db, token, secret="k", show_id="s")) == ["sato"]
    assert seen == {"token": token, "secret": "k", "show_id": "s"}

    def broken(token, *, secret, show_id):
        raise RuntimeError("checker down")

    monkeypatch.setattr(kiosk.lookup, "verify_token", broken)
    refused = lookup(db, token)
    assert refused.kind == "none" and refused.message.startswith("Invitation refused")


VCARD = "BEGIN:VCARD\nVERSION:3.0\nFN:{name}\nORG:{org}\nEMAIL:{email}\nEND:VCARD"


def test_vcard_payloads(db):
    by_email = lookup(db, VCARD.format(name="J", org="", email="ken.sato@fuji.example"))
    assert (by_email.kind, ids(by_email), by_email.badge.kind) == ("email", ["sato"], "vcard")
    by_name = lookup(db, VCARD.format(name="Jose Martinez", org="Industrias Martinez", email=""))
    assert (by_name.kind, ids(by_name)) == ("search", ["jose"])
    other_firm = lookup(db, VCARD.format(name="José Martínez", org="Otra Empresa", email=""))
    assert other_firm.kind == "none" and "José Martínez" in other_firm.message


def test_unknown_badge_is_a_new_visitor_with_its_badge(db):
    result = lookup(db, VCARD.format(name="Ana Nueva", org="Nueva SA", email="ana@nueva.example"))
    assert (result.kind, result.matches) == ("none", ())
    assert result.message == "Unknown badge — new visitor"
    assert (result.badge.name, result.badge.email) == ("Ana Nueva", "ana@nueva.example")
    registration = lookup(db, "REG-0099999")
    assert registration.kind == "none" and registration.badge.badge_id == "REG-0099999"


def test_lookup_badge_directly(db):
    from kiosk.badges import parse_badge

    result = lookup_badge(db, parse_badge("MECARD:N:Smith,John;TEL:+12025550123;;"))
    assert (result.kind, ids(result)) == ("phone", ["john"])
    token = make_token(secret=SECRET, show_id=SHOW, contact_id="john", salesperson_id="li",
                       issued_at=1_800_000_000)  # fmt: skip
    invited = lookup_badge(db, parse_badge(token), secret=SECRET, show_id=SHOW)
    assert (invited.kind, ids(invited)) == ("invitation", ["john"])
    assert lookup_badge(db, parse_badge(token)).kind == "none"  # no secret: not trusted


def test_lookup_reads_through_indexes_only(db):
    """No query a lookup runs may read the whole contacts table."""
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    try:
        for query in ("B-100", "ken.sato@fuji.example", "+8613800138000", "jose mar", "王",
                      "小明", "Jonh Smith", "Japan", "Jordan", "gmbh"):  # fmt: skip
            lookup(db, query)
    finally:
        db.conn.set_trace_callback(None)
    for sql in {s for s in statements if s.lstrip().upper().startswith("SELECT")}:
        plan = " | ".join(r[3] for r in db.execute("EXPLAIN QUERY PLAN " + sql))
        assert not re.search(r"\bSCAN (contacts|contact_badges)\b(?! VIRTUAL)", plan), (sql, plan)
        if "country =" in sql or "substr(search" in sql:  # ordered by walking the index
            assert "TEMP B-TREE" not in plan, (sql, plan)


def test_kind_none_exactly_when_nothing_matched(db):
    for query in ("", "   ", "zzzqqq", "Jonh Smith", "Japan", "B-100", "12345678901234567890"):
        result = lookup(db, query)
        assert (result.kind == "none") == (not result.matches), query


@settings(max_examples=examples(150), deadline=None)
@given(st.text(alphabet=st.sampled_from('ab王 "*^():-+@.ORANDNEAR\n0\x00\ud800'), max_size=30))
def test_untrusted_text_never_raises(db, text):
    result = lookup(db, text)
    assert result.kind in ("invitation", "badge", "email", "phone", "search", "country", "none")
    search(db, text)


def test_contacts_sharing_an_address_or_number_come_crm_first_in_import_order(tmp_path):
    """A booth-made contact (a walk-in) with a CRM customer's address is listed after the CRM
    rows, however they were written; the CRM rows in import order; `total` counts them all,
    also when there are more than the list holds."""
    database = open_db(tmp_path / "kiosk.db")
    shared = dict(email="buyer@shared.example", phone="+49 30 1234567", country="DE")
    rows = [
        dict(id="walkin-1", name="Walk In", source="booth", **shared),
        dict(id="crm-b", name="Bea", **shared),
        dict(id="other", name="Other", email="other@x.example"),
        dict(id="crm-a", name="Ann", **shared),
        dict(id="walkin-2", name="Walk In Again", source="booth", **shared),
    ]
    insert_contacts(database, rows)
    want = ["crm-b", "crm-a", "walkin-1", "walkin-2"]
    for query in ("BUYER@shared.example", "+49 30 1234567"):
        result = lookup(database, query)
        assert ids(result) == want, query
        assert (result.total, result.total_is_lower_bound) == (4, False)
        for limit in (1, 2, 3, 4):
            cut = lookup(database, query, limit=limit)
            assert ids(cut) == want[:limit], (query, limit)
            assert (cut.total, cut.total_is_lower_bound) == (4, False)


def test_an_international_number_is_a_phone_first_and_an_id_shaped_like_one_still_finds_it(
    tmp_path,
):
    """'+…' alone asks the phone index first; an id written like a number still finds its
    contact when nobody has that number."""
    database = kiosk_with(tmp_path, [
        dict(id="phone", name="Pho Ne", phone="+49 30 1234567", country="DE"),
        dict(id="idonly", name="Id Only", badge_ids="+49301234567"),
        dict(id="oddid", name="Odd Id", badge_ids="+4930999888"),
    ])  # fmt: skip
    result = lookup(database, "+49301234567")
    assert (result.kind, ids(result)) == ("phone", ["phone"])
    other = lookup(database, "+4930999888")
    assert (other.kind, ids(other)) == ("badge", ["oddid"])
    assert lookup(database, "+4930555444").kind == "none"
