"""Rule 3 and the owner's invitation: a customer who came on their owner's invitation has
had contact with that owner, so no lapse is proposed for them — live, after a rebuild and
after a merge alike. A sent invitation nobody came on is no contact, and another
salesperson's invitation is not the owner's contact (tests/scenario.py keeps that lapse).

Found by the exploratory pass: Ai Sato came on Kenji's invitation and her card said
"Owner lapsed • No deal or contact for 600 days … Invited by Kenji Watanabe"."""

from __future__ import annotations

import shutil
from datetime import date, timedelta

import pytest

from kiosk import booth, disputes, routing
from kiosk import events as ev
from kiosk.db import open_db
from kiosk.store import get_contact, load_rules, load_salespeople
from tests.factory import CONFIG, NOW

OLD = "2025-01-10T10:00:00+00:00"  # Yuki's last deal and contact: far beyond 90 days
TODAY = date(2026, 11, 24)


@pytest.fixture
def yuki(db) -> str:
    """Kenji's customer Yuki Tanaka (Japan is Kenji's alone), lapsed, and Kenji's invitation."""
    db.execute(
        "UPDATE contacts SET last_deal_at = ?, last_contact_at = ? WHERE crm_id = 'C1'", [OLD, OLD]
    )
    contact_id = db.execute("SELECT id FROM contacts WHERE crm_id = 'C1'").fetchone()[0]
    invite(db, contact_id, "kenji")
    return str(contact_id)


def invite(db, contact_id: str, by: str) -> None:
    sent = ev.new_event(
        "invitation.sent",
        {"contact_id": contact_id, "salesperson_id": by,
         "issued_at": (NOW - timedelta(days=20)).isoformat(), "token": f"t-{by}",
         "language": "ja"},
        kiosk_id=CONFIG.kiosk_id, actor=by, ts=NOW - timedelta(days=20),
    )  # fmt: skip
    ev.record(db, sent)


def looked_up(db, contact_id: str, when=NOW + timedelta(hours=2)):
    """What `kiosk lookup` (or a search on the booth screen) decides, later that day."""
    contact = get_contact(db, contact_id)
    assert contact is not None
    return booth.decide_for(db, CONFIG, contact, now=when)


def proposals(db) -> list[tuple]:
    return db.execute("SELECT kind, current_id, proposed_id, status FROM proposals").fetchall()


def test_before_the_visit_the_sent_invitation_is_no_contact(db, yuki):
    d = looked_up(db, yuki, NOW)
    assert "lapsed" in d.flags and "invited" in d.flags and d.rule == "lapsed-owner"


@pytest.mark.parametrize("scanned", [True, False], ids=["invitation-scanned", "badge-scanned"])
def test_a_visit_on_the_owners_invitation_is_the_owners_contact(db, yuki, scanned):
    done = booth.check_in(db, CONFIG, yuki, now=NOW, invited="kenji" if scanned else None)
    assert done.decision.salesperson_id == "kenji"
    assert done.decision.rule == "existing-owner"
    assert "lapsed" not in done.decision.flags and "needs-decision" not in done.decision.flags
    assert done.decision.evidence["last_activity_at"] == NOW.isoformat()
    assert proposals(db) == []
    # the check-in is credited to the invitation as its row is ("came on it")
    assert db.execute("SELECT invited_by FROM checkins").fetchall() == [("kenji",)]
    # later that day, and the next week (within the lapse days), the visit still counts
    for later in (NOW + timedelta(hours=2), NOW + timedelta(days=7)):
        d = looked_up(db, yuki, later)
        assert "lapsed" not in d.flags and d.rule == "existing-owner", later


def test_the_visit_counts_no_longer_than_the_lapse_days(db, yuki):
    booth.check_in(db, CONFIG, yuki, now=NOW, invited="kenji")
    d = looked_up(db, yuki, NOW + timedelta(days=CONFIG.lapse_days + 1))
    assert "lapsed" in d.flags
    assert d.evidence["last_activity_at"] == NOW.isoformat()


def test_another_salespersons_invitation_is_not_the_owners_contact(db, yuki):
    invite(db, yuki, "ben")  # the latest invitation is Ben's
    done = booth.check_in(db, CONFIG, yuki, now=NOW, invited="ben")
    assert "lapsed" in done.decision.flags
    assert [p[0] for p in proposals(db)] == ["reassign"]


def test_the_same_answer_live_after_a_rebuild_and_after_a_merge(db, yuki, tmp_path):
    # another kiosk of the show, with the CRM data and the invitation but not the visit
    db.execute("PRAGMA wal_checkpoint(FULL)")
    path = tmp_path / "other.db"
    shutil.copy(db.execute("PRAGMA database_list").fetchone()[2], path)
    other = open_db(path)

    live = booth.check_in(db, CONFIG, yuki, now=NOW, invited="kenji").decision
    before = (proposals(db), looked_up(db, yuki))
    assert "lapsed" not in live.flags and "lapsed" not in before[1].flags

    ev.rebuild(db)
    assert (proposals(db), looked_up(db, yuki)) == before

    ev.merge_events(other, list(ev.iter_events(db)))
    assert (proposals(other), looked_up(other, yuki)) == before


def test_the_engine_counts_the_invited_visit_as_contact(db, yuki):
    """`routing.decide` alone: the visit an owner's invitation brought is their contact."""
    contact = get_contact(db, yuki)
    assert contact is not None
    args = dict(salespeople=load_salespeople(db), rules=load_rules(db), config=CONFIG, now=NOW,
                invited_by="kenji")  # fmt: skip
    assert "lapsed" in routing.decide(contact, **args).flags
    d = routing.decide(contact, **args, invited_visit_at=NOW - timedelta(days=3))
    assert "lapsed" not in d.flags and not d.proposals
    assert d.evidence["invited_visit_at"] == (NOW - timedelta(days=3)).isoformat()


def test_the_workbench_evidence_gives_the_owner_the_visit_as_last_contact(db, yuki):
    """An item about Yuki (Ana brought her; Kenji invited her and she came on it): Kenji's
    last contact is that visit, not the CRM's date from a year before."""
    booth.check_in(db, CONFIG, yuki, now=NOW, invited="kenji", brought_by="ana")
    [(pid, kind)] = db.execute("SELECT id, kind FROM proposals").fetchall()
    assert kind == "assistant"
    item = disputes.item(db, pid, today=TODAY)
    assert item is not None
    kenji = item.side("kenji")
    assert kenji is not None and kenji.came_on_invitation
    assert kenji.last_contact_at == NOW
