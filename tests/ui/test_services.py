"""The TUI's UI-free layer: services, the visit record, the explanation and the big letters."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from kiosk.booth import LeadInput
from kiosk.models import Contact
from kiosk.ui import bigtext, explain
from kiosk.ui.i18n import Translator
from kiosk.ui.services import BoothServices, NotAllowed, unreadable
from kiosk.visits import visible, visitor_from_badge
from tests.factory import CONFIG, NOW


@pytest.fixture
def services(db):
    clock = {"now": NOW}
    s = BoothServices(db, CONFIG, clock=lambda: clock["now"])
    s.clock = clock  # type: ignore[attr-defined]
    return s


def cid(db, crm_id):
    return db.execute("SELECT id FROM contacts WHERE crm_id = ?", [crm_id]).fetchone()[0]


def test_opening_a_known_contact_checks_in_once_per_window(services, db):
    first = services.open_contact(cid(db, "C1"), check_in=True)
    assert first.checkin_id and not first.repeat and first.status == "known"
    again = services.open_contact(cid(db, "C1"), check_in=True)
    assert again.repeat and again.checkin_id == first.checkin_id
    services.clock["now"] = NOW + timedelta(minutes=30)
    later = services.open_contact(cid(db, "C1"), check_in=True)
    assert later.checkin_id != first.checkin_id
    assert db.execute("SELECT count(*) FROM checkins").fetchone()[0] == 2


def test_receiving_by_someone_else_before_check_in_records_the_bringer(services, db):
    visit = services.open_contact(cid(db, "C2"), check_in=False)
    done, proposals = services.receive(visit, by="luis", actor="luis")
    assert done.received_by == "luis"
    row = db.execute("SELECT brought_by, status, received_by FROM checkins").fetchone()
    assert tuple(row) == ("luis", "received", "luis")
    assert db.execute("SELECT kind, proposed_id FROM proposals").fetchall() == [
        ("assistant", "luis")
    ]
    assert [(p["kind"], p["proposed_id"], p["current_id"]) for p in proposals] == [
        ("assistant", "luis", "ana")
    ]
    assert "brought-by" in done.decision.flags  # the card tells rule 2


def test_receiving_a_checked_in_visitor_by_someone_else_sends_one_proposal(services, db):
    visit = services.open_contact(cid(db, "C2"), check_in=True)
    assert visit.checkin_id and "brought-by" not in visit.decision.flags
    done, proposals = services.receive(visit, by="luis", actor="luis")
    assert [p["proposed_id"] for p in proposals] == ["luis"]
    assert done.received_by == "luis" and done.owner.id == "ana"  # the owner stays primary
    assert any(p.kind == "assistant" for p in done.decision.proposals)
    assert db.execute("SELECT count(*) FROM proposals").fetchone()[0] == 1
    by_owner, none = services.receive(
        services.open_contact(cid(db, "C1"), check_in=True), by="kenji"
    )
    assert none == [] and by_owner.received_by == "kenji"


def test_notes_need_staff_or_manager(services, db):
    with pytest.raises(NotAllowed):
        services.notes(cid(db, "C1"), "reception")
    assert "morning" in services.notes(cid(db, "C1"), "staff")


def test_lead_and_today_counts(services, db):
    visit = services.add_lead(LeadInput(name="Hana Mori", country="JP", rating="hot"), actor="ana")
    assert visit.owner.id == "kenji" and visit.checkin_id and visit.lead_id
    assert services.today_counts() == (1, 1)


def test_pin_and_people(services):
    from kiosk.pins import MANAGER

    assert services.try_pin(MANAGER, " 1234 ", at=0, purpose="manager").person == "wei"
    assert not services.try_pin(MANAGER, "0000", at=1, purpose="manager").ok
    assert services.try_pin("ana", "4826", at=2, purpose="login").person == "ana"
    assert not services.try_pin("ana", "1234", at=3, purpose="login").ok  # not the manager's
    assert [p.id for p in services.managers()] == ["wei"]
    assert "rita" not in {p.id for p in services.sales_staff()}


def test_a_wrong_pin_is_counted_with_its_event_or_not_at_all(services, db, monkeypatch):
    """The count of wrong PINs and the `pin.failed` event are one write: when the event
    could not be written (the database refused it midway), the try was counted all the
    same, and the dialog said only that the database could not be used."""
    import sqlite3

    from kiosk import booth
    from kiosk.pins import MANAGER

    def refused(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(booth, "pin_failed", refused)
    with pytest.raises(sqlite3.OperationalError):
        services.try_pin(MANAGER, "0000", at=0, purpose="manager")
    assert db.execute("SELECT count(*) FROM pin_attempts").fetchone()[0] == 0


def test_the_back_off_starts_when_the_wrong_pin_is_written(services):
    """A write that waited for another program's lock: the wait after a wrong PIN runs
    from when it was counted, not from when it was typed (or the lock would shorten it)."""
    from kiosk.pins import FREE_TRIES, MANAGER

    for i in range(FREE_TRIES):  # the third wrong one waits 1 s
        services.try_pin(MANAGER, "0000", at=i, purpose="manager", clock=lambda: 50.0)
    assert services.try_pin(MANAGER, "1234", at=50.5, purpose="manager").refused_early
    assert services.try_pin(MANAGER, "1234", at=51.0, purpose="manager").person == "wei"


def test_unreadable_badges():
    from kiosk.badges import parse_badge

    assert unreadable(parse_badge("")) and unreadable(parse_badge("[/]%%%###"))
    assert not unreadable(parse_badge("BEGIN:VCARD\nFN:Ana\nEND:VCARD"))
    assert visible("a\x1b[2Jb\x00\n") == "a␛[2Jb␀\n"
    # C1 controls and bidi overrides are named, never passed to the terminal (issue 12)
    assert visible("x\u202ey\u2066z\x9b") == "x<U+202E>y<U+2066>z<U+009B>"
    assert parse_badge("\u202eGLE26-0012345\u202c").badge_id == "GLE26-0012345"


def test_visitor_from_badge_keeps_what_the_badge_says():
    from kiosk.badges import parse_badge

    badge = parse_badge("BEGIN:VCARD\nFN:Ana Ruiz\nORG:Lumen\nEMAIL:ana@x.example\nEND:VCARD")
    c = visitor_from_badge(badge, "ES")
    assert (c.id, c.name, c.company, c.email, c.country) == (
        None,
        "Ana Ruiz",
        "Lumen",
        "ana@x.example",
        "ES",
    )


def test_the_explanation_speaks_the_ui_language(services, db):
    visit = services.open_contact(cid(db, "C1"))
    c = visit.contact
    en = explain.why_lines(visit.decision, c, services.people, Translator("en"))
    assert en[0] == "Filed by Kenji Sato on 2024-03-02"
    assert en[1] == "last deal 2026-09-10"
    zh = explain.why_lines(visit.decision, c, services.people, Translator("zh"))
    assert zh[0] == "由 Kenji Sato 于 2024-03-02 建档"
    es = explain.why_lines(visit.decision, c, services.people, Translator("es"))
    assert es[0] == "Registrado por Kenji Sato el 2024-03-02"
    assert explain.rule_title(visit.decision.rule, Translator("zh")) == "老客户"


def test_chips_for_flags(services, db):
    lapsed = replace(
        services.open_contact(cid(db, "C2")).contact, last_contact_at=NOW - timedelta(days=400)
    )
    decision = services.route(lapsed, invited="kenji")
    chips = explain.chips(decision, services.people, Translator("en"), "kenji")
    texts = [c.text for c in chips]
    assert "Invited by Kenji Sato" in texts and "Lapsed owner" in texts
    assert explain.chips(services.route(Contact(id=None, name="X", country="JP")), services.people,
                         Translator("es"))[0].text == "Visitante nuevo"  # fmt: skip


def test_big_letters():
    lines = bigtext.render("Ana")
    assert lines is not None and len(lines) == bigtext.HEIGHT
    assert bigtext.render("王小明") is None
    assert bigtext.render("Marta Díaz") == bigtext.render("MARTA DIAZ")
    assert bigtext.render("Kenji Sato", max_width=20) is None
    assert bigtext.render_fitting("Kenji Sato", 40) == bigtext.render("Kenji")
    assert bigtext.width("Ana") == 17  # three 5-pixel letters and two gaps


def test_duplicates_by_email_or_full_name(services):
    found = services.duplicates(name="", email="JOSE@luces.example")
    assert [c.contact.name for c in found] == ["José Martínez"]
    assert services.duplicates(name="Jose", email="") == []  # one word is not enough
    assert [c.contact.name for c in services.duplicates(name="jose martinez", email="")] == [
        "José Martínez"
    ]
    assert [c.contact.name for c in services.duplicates(name="王小明", email="")] == ["王小明"]
    assert services.duplicates(name="Maria Martinez", email="") == []


def test_a_further_address_of_a_crm_contact_is_a_duplicate_too(services, db):
    """A CRM cell with two addresses keeps the second in `contact_keys`: a lead typed with
    it is offered the customer, as one with the first address is."""
    db.execute("INSERT INTO contact_keys(key, contact_id) VALUES (?, ?)",
               ["jose.home@casa.example", cid(db, "C2")])  # fmt: skip
    found = services.duplicates(name="", email="Jose.Home@casa.example")
    assert [c.contact.name for c in found] == ["José Martínez"]


def test_an_invitation_credits_its_salesperson_and_a_forged_one_is_refused(services, db):
    from kiosk.tokens import make_token

    token = make_token(secret=CONFIG.secret, show_id=CONFIG.show_id, contact_id=cid(db, "C2"),
                       salesperson_id="luis", issued_at=NOW)  # fmt: skip
    visit = services.resolve_scan(token, actor="reception")
    assert visit.contact.name == "José Martínez" and visit.invited_by == "luis"
    assert "invited" in visit.decision.flags
    row = db.execute("SELECT invited_by, owner_id FROM checkins").fetchone()
    assert tuple(row) == ("luis", "ana")  # invited by Luis, still Ana's customer
    forged = services.resolve_scan(token[:-4] + "AAAA")
    assert forged.status == "refused" and forged.refused


def test_several_people_with_one_badge_name_are_offered_as_candidates(services, db):
    from kiosk.contact_rows import insert_contacts

    insert_contacts(db, [dict(crm_id="C9", name="Yuki Tanaka", company="Tanaka Shoji",
                              email="yuki2@tanaka.example", country="JP", owner_id="ben")])  # fmt: skip
    visit = services.resolve_scan("BEGIN:VCARD\nFN:Yuki Tanaka\nORG:Tanaka Shoji\nEND:VCARD")
    assert visit.status == "choose"
    assert sorted(c.owner.id for c in visit.candidates) == ["ben", "kenji"]
    assert db.execute("SELECT count(*) FROM checkins").fetchone()[0] == 0  # nobody yet


def test_ui_free_modules_do_not_import_textual():
    """What the screens use but could serve another front-end. (`kiosk.ui.factory` and
    `kiosk.cli.tui` build the app, so they import it; `kiosk --help` does not import them:
    tests/core/test_import_hygiene.py.)"""
    import subprocess
    import sys

    mods = ["kiosk.scanner", "kiosk.reports.dashboard", "kiosk.ui.services", "kiosk.visits",
            "kiosk.ui.explain", "kiosk.ui.i18n", "kiosk.ui.bigtext"]  # fmt: skip
    code = (
        f"import importlib, sys\nfor m in {mods!r}: importlib.import_module(m)\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] == 'textual')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_territory_evidence_is_retold_in_the_ui_language(services):
    from kiosk.models import TerritoryMatch

    t_en, t_zh = Translator("en"), Translator("zh")
    people = services.people
    rule = TerritoryMatch(5, 50, "region", "LATAM", ("luis", "marta"), country="PE", group="LATAM",
                          rotation="round-robin", tally=(("luis", 2), ("marta", 1)))  # fmt: skip
    assert explain.territory_line(rule, people, t_en) == (
        "Territory #5: Peru is in region LATAM → Luis Gómez, Marta Díaz"
    )
    assert explain.territory_line(rule, people, t_zh) == (
        "区域规则 #5：秘鲁 属于 LATAM 地区 → Luis Gómez、Marta Díaz"
    )
    domain = TerritoryMatch(1, 10, "domain", "bigbuyer.example", ("ben",),
                            domain="bigbuyer.example")  # fmt: skip
    assert explain.territory_line(domain, people, t_en) == (
        "Key account #1: email domain bigbuyer.example → Ben Carter"
    )
    assert explain.rotation_line(rule, people, t_en) == (
        "Shared territory: whoever has the fewest leads goes next (Luis Gómez 2, Marta Díaz 1)"
    )


def test_a_new_visitors_card_tells_the_typed_territory_evidence(services):
    from kiosk.models import Contact

    visitor = Contact(id=None, name="Rosa Quispe", country="PE")
    decision = services.route(visitor)
    assert decision.territory is not None and decision.territory.group == "LATAM"
    lines = explain.why_lines(decision, visitor, services.people, Translator("es"))
    assert any("Perú" in line and "LATAM" in line for line in lines), lines


def test_a_known_assistant_and_split_are_on_the_card(services, db):
    db.execute("UPDATE contacts SET assistant_id = 'luis', split = 0.3 WHERE crm_id = 'C2'")
    visit = services.open_contact(cid(db, "C2"))
    lines = explain.why_lines(visit.decision, visit.contact, services.people, Translator("es"))
    assert "Con la ayuda de Luis Gómez (30% de la comisión)" in lines


def test_a_lapse_nobody_else_covers_says_the_manager_chooses(services, db):
    """Before, the card read "Proposed to the manager: reassign to" and stopped there."""
    lapsed = replace(
        services.open_contact(cid(db, "C2")).contact, last_contact_at=NOW - timedelta(days=400)
    )
    decision = services.route(lapsed)
    [proposal] = decision.proposals
    assert proposal.kind == "reassign" and proposal.proposed_id is None
    lines = explain.why_lines(decision, lapsed, services.people, Translator("en"))
    assert (
        "Proposed to the manager: reassign — nobody else covers this territory, the manager"
        " chooses" in lines
    )
    assert not any(line.rstrip().endswith("reassign to") for line in lines)


def test_clip_counts_terminal_cells():
    from kiosk.ui.fmt import clip

    assert clip("Kenji Watanabe (渡辺 健二)", 20) == "Kenji Watanabe (渡…"
    assert clip("株式会社光和照明", 9) == "株式会社…"
    assert clip("Ana", 3) == "Ana"


def test_after_the_manager_gave_the_customer_away_the_filer_is_still_who_filed(services, db):
    """Before, Pedro's card said "Filed by Marta Díaz" once the manager gave him to Marta,
    with Luis's filing date: a filing record that never happened."""
    from kiosk import disputes
    from tests.scenario import A, B, add_scenario

    scen = add_scenario(db)
    disputes.decide(db, CONFIG, scen["reassign"], disputes.Choice(owner_id=B), actor="wei", now=NOW)
    visit = services.open_contact(scen["contact_id"])
    assert visit.contact.owner_id == B and visit.decision.evidence["filed_by"] == A
    lines = explain.why_lines(visit.decision, visit.contact, services.people, Translator("en"))
    assert lines[0].startswith("Filed by Luis Gómez on ")
    assert not visit.decision.proposals and "lapsed" not in visit.decision.flags


def test_a_lead_brought_by_one_and_routed_to_another_says_who_filed_it(services, db):
    """Ben filed a lead that the territory routed to Kenji: the visitor's card said "Filed
    by Kenji Sato", who had not seen the visitor; Ben, who brought them, filed it."""
    lead = LeadInput(name="Hiro Abe", company="Abe KK", country="JP", brought_by="ben")
    filed = services.add_lead(lead, actor="ben")
    assert filed.owner.id == "kenji"
    services.clock["now"] = NOW + timedelta(hours=1)
    visit = services.open_contact(filed.contact.id)
    assert visit.contact.owner_id == "kenji" and visit.decision.evidence["filed_by"] == "ben"
    lines = explain.why_lines(visit.decision, visit.contact, services.people, Translator("en"))
    assert lines[0].startswith("Filed by Ben Carter on ")
    # nobody brought this one: the salesperson it was routed to filed it, as before
    alone = services.add_lead(LeadInput(name="Aiko Ito", country="JP"), actor="rita")
    again = services.open_contact(alone.contact.id)
    assert "filed_by" not in again.decision.evidence
    lines = explain.why_lines(again.decision, again.contact, services.people, Translator("en"))
    assert lines[0].startswith("Filed by Kenji Sato on ")
