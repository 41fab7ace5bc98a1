"""A typed name checks a visitor in only when it is their whole name, and no one else's.

The exploratory pass on the demo found reception checking in the wrong person on a loose
match: 'li na' checked in Ali Nasr (and called his salesperson), 'maria garcia' Marta García
Ruiz, 'liu yang' Alan Liu, 'zhang min' Candy Zhang, 'wang wei' 王伟 through his e-mail
wangwei@…. A partial or similar name is a candidate for a person to confirm; the identity
keys (badge id, e-mail, phone) check in as before. The contacts here are the demo's.
"""

from __future__ import annotations

import pytest

from kiosk import fulltext
from kiosk.contact_rows import insert_contacts
from kiosk.lookup import lookup
from kiosk.visits import VisitService
from tests.factory import CONFIG, NOW

PEOPLE = [
    ("N1", "Ali Nasr", "شركة النجمة للتجارة (Al Najma Trading Co.)", "a.nasr@najma.example", "SA"),
    ("N2", "Marta García Ruiz", "Luminotecnia Sur S.A.C.", "mgarcia@lumisur.example", "PE"),
    ("N3", "Alan Liu", "Charlotte Lighting Co.", "alan@charlotte.example", "US"),
    ("N4", "Candy Zhang", "Fletcher Illumination Co.", "candy@fletcher.example", "US"),
    ("N5", "王伟", "上海明辉照明有限公司", "wangwei@minghui-lighting.example", "CN"),
    ("N6", "Thomas Müller", "Müller Lichttechnik GmbH", "t.mueller@licht.example", "DE"),
    ("N7", "Thomas Müller", "Elektro Vogt AG", "tm@vogt.example", "DE"),
    ("N8", "Chen Jing", "Bright Path Ltd", "chen.jing@brightpath.example", "CN"),
    ("N9", "Jing Chen", "Harbour Lamps Ltd", "jing.chen@harbour.example", "SG"),
    ("N10", "Okafor", "Lagos Lighting Ltd", "info@lagoslighting.example", "NG"),
]


@pytest.fixture
def visits(db) -> VisitService:
    insert_contacts(db, [
        dict(crm_id=crm, name=name, company=company, email=email, country=country,
             owner_id="ben", badge_ids=f"B-{crm}")
        for crm, name, company, email, country in PEOPLE
    ])  # fmt: skip
    return VisitService(db, CONFIG, clock=lambda: NOW)


def checkins(db) -> int:
    return int(db.execute("SELECT count(*) FROM checkins").fetchone()[0])


@pytest.mark.parametrize(
    ("query", "meant"),
    [
        ("li na", "Ali Nasr"),  # inside his name
        ("maria garcia", "Marta García Ruiz"),  # a typo guess
        ("liu yang", "Alan Liu"),  # one word of two
        ("zhang min", "Candy Zhang"),  # one word of two
        ("wang wei", "王伟"),  # inside his e-mail address
        ("Marta García", "Marta García Ruiz"),  # a name's start is not the whole name
        ("Okafor", "Okafor"),  # one Latin word is a surname, even where a row holds only it
        ("Ruiz García Marta", "Marta García Ruiz"),  # no order a name is written in
    ],
)
def test_a_loose_name_is_a_candidate_to_confirm_never_a_check_in(db, visits, query, meant):
    visit = visits.resolve(query, record=True)
    assert visit.status == "choose" and not visit.recorded and visit.checkin_id is None
    assert meant in [c.contact.name for c in visit.candidates]
    assert visit.decision is None  # nobody is called for a guess
    assert checkins(db) == 0
    assert lookup(db, query).identified is False


@pytest.mark.parametrize(
    ("query", "who"),
    [
        ("Ali Nasr", "N1"),
        ("  ali   NASR ", "N1"),  # case and spaces
        ("Nasr Ali", "N1"),  # the family name first or last
        ("García Ruiz Marta", "N2"),
        ("marta garcia ruiz", "N2"),  # accents
        ("王伟", "N5"),
        ("王偉", "N5"),  # traditional Chinese is simplified's
        ("Zhang Candy", "N4"),
    ],
)
def test_a_whole_name_that_is_one_contacts_checks_them_in(db, visits, query, who):
    visit = visits.resolve(query, record=True)
    assert visit.status == "known" and visit.recorded and visit.contact.crm_id == who
    assert checkins(db) == 1
    result = lookup(db, query)
    assert result.identified and result.matches[0].contact.crm_id == who


@pytest.mark.parametrize("query", ["Thomas Müller", "thomas muller", "Chen Jing", "Jing Chen"])
def test_a_whole_name_two_contacts_share_is_never_exact(db, visits, query):
    """Two Thomas Müllers; a Chen Jing and a Jing Chen (the same name in the other order)."""
    visit = visits.resolve(query, record=True)
    assert visit.status == "choose" and len(visit.candidates) == 2 and checkins(db) == 0


def test_the_identity_keys_still_check_in_directly(db, visits):
    for key in ("B-N1", "mgarcia@lumisur.example", "B-N6"):
        visit = visits.resolve(key, record=True)
        assert visit.status == "known" and visit.recorded, key
    assert checkins(db) == 3


def test_a_common_name_beyond_the_count_is_not_called_unique(db, monkeypatch):
    """More rows begin with the name and a space than `named` reads: it cannot say the name
    is one contact's, even if one of those it read is."""
    insert_contacts(db, [dict(crm_id="L0", name="Li Na", company="Zeta Lamps", owner_id="ben")] + [
        dict(crm_id=f"L{i}", name=f"Li Na {i:02d}", company="Acme") for i in range(1, 4)
    ])  # fmt: skip
    ids, complete = fulltext.named(db.conn, "li na")
    assert len(ids) == 1 and complete
    ids, complete = fulltext.named(db.conn, "li na", cap=3)
    assert not complete
    visits = VisitService(db, CONFIG, clock=lambda: NOW)
    assert visits.resolve("li na", record=False).status == "known"  # one Li Na on file
    monkeypatch.setattr(fulltext, "NAMED_CAP", 3)
    assert visits.resolve("li na", record=False).status == "choose"


def test_a_name_longer_than_the_prefix_index_is_told_apart(db):
    """`search` is indexed on its first 16 characters: a longer name is checked in full."""
    insert_contacts(db, [
        dict(crm_id="X1", name="Maximiliane Oberhuber", company="Alpen Licht"),
        dict(crm_id="X2", name="Maximiliane Oberhuberova", company="Tatra Svetlo"),
    ])  # fmt: skip
    assert fulltext.named(db.conn, "maximiliane oberhuber") == ([_id(db, "X1")], True)
    visits = VisitService(db, CONFIG, clock=lambda: NOW)
    assert visits.resolve("Maximiliane Oberhuber", record=False).contact.crm_id == "X1"


def _id(db, crm_id: str) -> str:
    return str(db.execute("SELECT id FROM contacts WHERE crm_id = ?", [crm_id]).fetchone()[0])


def test_the_count_in_the_message_is_the_total_not_the_ones_shown(db):
    """'10 matches for …' above 'showing 10 of 12' contradicted it."""
    insert_contacts(db, [
        dict(crm_id=f"M{i}", name=f"Anja Schmidt {i:02d}", company="Licht AG") for i in range(12)
    ])  # fmt: skip
    result = lookup(db, "Schmidt", limit=10)
    assert len(result.matches) == 10 and result.total == 12
    assert result.message == "12 matches for 'Schmidt'"
