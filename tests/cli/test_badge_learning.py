"""A show's badge layout is learnt from its scans, offered, confirmed as an event, and kept."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from kiosk import booth, events
from kiosk.show import show_config
from kiosk.visits import VisitService
from kiosk.visits.layout import layout_offer, recent_scans
from tests.cli.common import run
from tests.factory import CONFIG, NOW

# A vendor that prints name, company, registration id and e-mail, in that order.
SCANS = [
    "Ana Silva^Luz Materiais Ltda^EXPO26-000101^ana@luz.example",
    "Piotr Nowak^Swiatlo Sp. z o.o.^EXPO26-000102^p.nowak@swiatlo.example",
    "Lena Berg^Nordlys AS^EXPO26-000103^lena@nordlys.example",
    "Omar Haddad^Noor Lighting LLC^EXPO26-000104^omar@noor.example",
]


def scan_all(db, config=CONFIG):
    visits = VisitService(db, config, clock=lambda: NOW)
    return [visits.resolve(s) for s in SCANS]


def test_scans_are_kept_raw_and_their_layout_is_offered(db):
    scan_all(db)
    assert set(recent_scans(db)) == set(SCANS)
    offer = layout_offer(db, CONFIG)
    assert offer is not None
    assert offer.proposal.fields[:4] == ("name", "company", "badge_id", "email")
    assert offer.proposal.confidence >= 0.75 and offer.current == CONFIG.badge_fields


def test_no_offer_when_the_layout_in_force_already_fits(db):
    config = replace(CONFIG, badge_fields=("name", "company", "badge_id", "email"))
    scan_all(db, config)
    assert layout_offer(db, config) is None


def test_a_confirmed_layout_is_in_force_survives_a_rebuild_and_reaches_other_kiosks(company_db):
    a, b = company_db("a"), company_db("b")
    scan_all(a)
    offer = layout_offer(a, CONFIG)
    assert offer is not None
    booth.confirm_layout(a, CONFIG, offer.proposal.fields, now=NOW + timedelta(minutes=1),
                         actor="wei")  # fmt: skip
    assert show_config(a).badge_fields == offer.proposal.fields
    assert layout_offer(a, show_config(a)) is None  # nothing more to offer
    events.rebuild(a)
    assert show_config(a).badge_fields == offer.proposal.fields
    events.merge_events(b, list(events.iter_events(a)))
    assert show_config(b).badge_fields == offer.proposal.fields
    # the next such badge is read with the confirmed layout, not by guesswork
    visit = VisitService(b, show_config(b), clock=lambda: NOW).resolve(
        "Mia Chen^Brightway Ltd^EXPO26-000105^mia@brightway.example", record=False
    )
    assert visit.badge.badge_id == "EXPO26-000105" and not visit.badge.inferred


def test_a_layout_of_unknown_fields_is_refused(db):
    with pytest.raises(booth.BoothError, match="not a badge layout"):
        booth.confirm_layout(db, CONFIG, ["name", "shoe_size"], now=NOW, actor="wei")


def test_the_cli_shows_the_offer_and_the_manager_confirms_it(dbpath):
    from kiosk.db import open_db

    scan_all(open_db(dbpath, create=False))
    shown = run("badges", "layout", db=dbpath)
    assert shown.exit_code == 0 and "suggest: name ^ company ^ badge_id ^ email" in shown.output
    refused = run("badges", "layout", "--confirm", "--by", "ana", db=dbpath)
    assert refused.exit_code == 2 and "needs the manager" in refused.output
    done = run("badges", "layout", "--confirm", "--by", "wei", db=dbpath)
    assert done.exit_code == 0, done.output
    after = run("badges", "layout", db=dbpath)
    assert "in force: name ^ company ^ badge_id ^ email" in after.output
    assert "suggest no other layout" in after.output
