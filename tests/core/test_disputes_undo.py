"""Undoing a manager's decision (`kiosk.disputes.undo`, applied by `kiosk.events.undo`).

Issue 17's scenario: Luis owns Pedro, Marta brought him and claims him. The manager who
pressed the wrong person takes the decision back: the holding before it, the items it
closed open again, the history says "decided … then undone by …"; what came later is
never overwritten, on this kiosk or after a merge in either order."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import timedelta

import pytest

from kiosk import booth, disputes
from kiosk import events as ev
from kiosk.db import open_db, set_meta
from kiosk.disputes import Choice, DisputeError
from kiosk.events.validate import BadEvent, check_payload
from kiosk.store import load_salespeople
from kiosk.sync.merge import merge_databases
from tests.factory import CONFIG, NOW
from tests.scenario import A, B, add_scenario, holding

TODAY = NOW.date()
LATER = NOW + timedelta(hours=1)


@pytest.fixture
def scen(db):
    return add_scenario(db)


def items(db, contact_id):
    """Each item of the customer: (kind, status, outcome, note), by kind."""
    return {
        r[0]: tuple(r[1:])
        for r in db.execute(
            "SELECT kind, status, outcome, decision_note FROM proposals WHERE contact_id = ?"
            " ORDER BY created_at, id",
            [contact_id],
        )
    }


def booth_tables(db):
    return [
        db.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall()
        for t in ("arrangements", "undone_decisions", "proposals", "contacts")
    ]


def decide(db, pid, choice, at=NOW, **kw):
    return disputes.decide(db, CONFIG, pid, choice, actor="wei", now=at, **kw)


def undo(db, pid, at=LATER, **kw):
    kw.setdefault("actor", "wei")
    return disputes.undo(db, CONFIG, pid, now=at, **kw)


def test_undo_gives_back_the_holding_and_reopens_what_the_decision_closed(db, scen):
    contact, open_before = scen["contact_id"], items(db, scen["contact_id"])
    decision = decide(db, scen["reassign"], Choice(owner_id=B), note="Marta did the work")
    assert holding(db, contact) == (B, None, None, None)
    assert items(db, contact)["assistant"][2] == f"settled with {scen['reassign']}"
    event = undo(db, scen["reassign"], reason="pressed the wrong person\x1b[2J")
    assert event.kind == "dispute.undone"
    p = event.payload
    assert (p["decision_id"], p["proposal_id"], p["outcome"]) == (
        decision.uuid,
        scen["reassign"],
        "given",
    )
    assert (p["owner_id"], p["assistant_id"], p["split"], p["preferred_id"]) == (
        A,
        None,
        None,
        None,
    )
    assert p["reason"] == "pressed the wrong person[2J"  # made inert, as a note is
    assert set(p["notify"]) == {A, B}
    assert holding(db, contact) == (A, None, None, None)
    assert items(db, contact) == open_before  # both open again, as they were
    assert disputes.standing(db, contact) is None  # nothing stands for the card or engine
    assert {i.proposal_id for i in disputes.queue(db, today=TODAY)} == {
        scen["reassign"],
        scen["assistant"],
    }
    # the history keeps it, with who undid it, when and why
    [a] = disputes.arrangements(db, proposal_id=scen["reassign"], include_undone=True)
    assert disputes.arrangements(db, proposal_id=scen["reassign"]) == []
    assert (a.undone_by, a.undo_reason) == ("wei", "pressed the wrong person[2J")
    line = disputes.describe(a, load_salespeople(db), decided_on=TODAY)
    assert line == (
        "decided by Zhang Wei on 24 Nov: Marta Díaz owns — then undone by Zhang Wei at 11:00"
        " on 24 Nov (pressed the wrong person[2J)"
    )
    # and the manager decides again, as if the first decision had not been taken
    decide(db, scen["reassign"], Choice(A, B, 0.3), at=LATER + timedelta(minutes=5))
    assert holding(db, contact) == (A, B, 0.3, None)


def test_a_customers_choice_and_its_out_of_date_items_are_undone_too(db, scen):
    """Recording that Pedro chose Ana closed Luis's lapse and Marta's assist as out of
    date; undone, Luis owns him again, the preference is Ana's wish again (still his stated
    one) and all three items wait for the manager."""
    contact = scen["contact_id"]
    booth.set_preference(db, CONFIG, contact, "ana", now=NOW + timedelta(minutes=1))
    booth.check_in(db, CONFIG, contact, now=NOW + timedelta(minutes=20))
    [pref] = [i.proposal_id for i in disputes.queue(db, today=TODAY) if i.kind == "preference"]
    open_before = items(db, contact)
    decide(db, pref, Choice("ana", customer_chose=True), at=LATER)
    assert items(db, contact)["reassign"][1] == "outdated"
    undo(db, pref, at=LATER + timedelta(minutes=10))
    assert holding(db, contact) == (A, None, None, "ana")
    assert items(db, contact) == open_before
    assert len(disputes.queue(db, today=TODAY)) == 3


def test_refusals_say_what_to_do(db, scen):
    contact = scen["contact_id"]
    with pytest.raises(DisputeError, match="was never decided: nothing to undo"):
        undo(db, scen["reassign"])
    with pytest.raises(DisputeError, match="no proposal with id nope"):
        undo(db, "nope")
    decide(db, scen["reassign"], Choice(owner_id=B))
    with pytest.raises(DisputeError, match="Luis Gómez is not a manager"):
        undo(db, scen["reassign"], actor=A)
    with pytest.raises(DisputeError, match=f"settled by the decision on {scen['reassign']}"):
        undo(db, scen["assistant"])
    # the CRM (or an approval outside the workbench) moved the customer since
    db.execute("UPDATE contacts SET owner_id = 'ana' WHERE id = ?", [contact])
    with pytest.raises(DisputeError, match="holding changed since that decision .*Ana Ruiz owns"):
        undo(db, scen["reassign"])
    db.execute("UPDATE contacts SET owner_id = ? WHERE id = ?", [B, contact])
    undo(db, scen["reassign"])
    with pytest.raises(
        DisputeError, match="already undone by Zhang Wei on 2026-11-24 11:00: the item"
    ):
        undo(db, scen["reassign"], at=LATER + timedelta(minutes=1))


def test_only_the_latest_decision_on_the_customer_can_be_undone(db, scen):
    booth.set_preference(db, CONFIG, scen["contact_id"], "ana", now=NOW + timedelta(minutes=1))
    booth.check_in(db, CONFIG, scen["contact_id"], now=NOW + timedelta(minutes=20))
    [pref] = [i.proposal_id for i in disputes.queue(db, today=TODAY) if i.kind == "preference"]
    decide(db, scen["assistant"], Choice(A, B, 0.3))
    decide(db, pref, Choice("ana", customer_chose=True), at=LATER)
    with pytest.raises(DisputeError, match=f"a later decision .*on {pref}.*undo that one first"):
        undo(db, scen["assistant"], at=LATER + timedelta(minutes=1))
    undo(db, pref, at=LATER + timedelta(minutes=1))
    assert holding(db, scen["contact_id"]) == (A, B, 0.3, "ana")
    undo(db, scen["assistant"], at=LATER + timedelta(minutes=2))  # now it is the latest
    assert holding(db, scen["contact_id"]) == (A, None, None, "ana")


def test_a_replay_gives_the_same_tables(db, scen):
    decide(db, scen["reassign"], Choice(A, B, 0.3), review_after=30)
    disputes.raise_due_reviews(db, CONFIG, now=NOW + timedelta(days=30))
    undo(db, scen["reassign"], at=NOW + timedelta(days=30, hours=1), reason="review instead")
    # the review the decision raised reviews nothing any more
    [review] = db.execute(
        "SELECT status, outcome FROM proposals WHERE item_key LIKE '%|review:%'"
    ).fetchall()
    assert review == ("rejected", "outdated")
    before = booth_tables(db)
    ev.rebuild(db)
    assert booth_tables(db) == before


def test_undo_events_from_other_kiosks_are_checked(db):
    good = {"proposal_id": "x:0", "decision_id": "d", "outcome": "given", "owner_id": A,
            "split": None, "reason": "oops", "sides": [A, B], "notify": [A, B]}  # fmt: skip
    check_payload("dispute.undone", good)
    for bad in ({"decision_id": ""}, {"outcome": "undone"}, {"split": 0.9}, {"notify": A}):
        with pytest.raises(BadEvent):
            check_payload("dispute.undone", good | bad)
    with pytest.raises(BadEvent, match="lacks decision_id"):
        check_payload("dispute.undone", {"proposal_id": "x:0"})


def two_kiosks(db_path, tmp_path):
    first = open_db(db_path, create=False)
    set_meta(first, "show_id", "test-show")
    scen = add_scenario(first)
    first.conn.close()
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    shutil.copy(db_path, a)
    shutil.copy(db_path, b)
    return scen, a, b


def state(path, contact_id):
    kiosk = open_db(path, create=False)
    try:
        return (
            holding(kiosk, contact_id),
            kiosk.execute(
                "SELECT id, kind, current_id, proposed_id, status, outcome, reason, evidence"
                " FROM proposals ORDER BY id"
            ).fetchall(),
            kiosk.execute("SELECT * FROM arrangements ORDER BY id").fetchall(),
            kiosk.execute("SELECT * FROM undone_decisions ORDER BY id").fetchall(),
        )
    finally:
        kiosk.conn.close()


def test_an_undo_merged_after_a_later_decision_elsewhere_is_raised_not_applied(db_path, tmp_path):
    """Kiosk A gives Pedro to Marta; B gets that, and its manager later undoes it. Between
    the two, not yet at B, Pedro asked A for Ana and A's manager recorded his choice. Merged
    in either order, the choice stands (the undo would overwrite it), the undo is a new open
    item for the manager saying what it would have restored, and both kiosks agree."""
    scen, a, b = two_kiosks(db_path, tmp_path)
    contact = scen["contact_id"]
    kiosk = open_db(a, create=False)
    decide(kiosk, scen["reassign"], Choice(owner_id=B), note="Marta did the work")
    kiosk.conn.close()
    merge_databases(b, [a], now=NOW + timedelta(minutes=5), backup=False)
    kiosk = open_db(a, create=False)
    booth.set_preference(kiosk, CONFIG, contact, "ana", now=NOW + timedelta(minutes=10))
    [pref] = [i.proposal_id for i in disputes.queue(kiosk, today=TODAY)]
    decide(kiosk, pref, Choice("ana", customer_chose=True), at=NOW + timedelta(minutes=20))
    kiosk.conn.close()
    kiosk = open_db(b, create=False)
    disputes.undo(kiosk, replace(CONFIG, kiosk_id="kiosk-b"), scen["reassign"], actor="wei",
                  now=LATER, reason="wrong person")  # fmt: skip
    assert holding(kiosk, contact) == (A, None, None, None)  # at B, before the merge
    kiosk.conn.close()
    for target, other in ((a, b), (b, a)):
        merge_databases(target, [other], now=NOW + timedelta(hours=3), backup=False)
    got = state(a, contact)
    assert got == state(b, contact)
    held, proposals, standing, undone = got
    assert held == ("ana", None, None, "ana")  # the later decision stands
    assert undone == [] and len(standing) == 2  # the undo did not apply
    [raised] = [r for r in proposals if r[4] == "open"]
    assert raised[1:4] == ("reassign", "ana", A)
    assert raised[6] == (
        "Undo not applied: Zhang Wei at kiosk-b on 2026-11-24 11:00 UTC undid the decision on"
        f" {scen['reassign']} (Marta Díaz owns) to go back to Luis Gómez owns"
        ' ("wrong person"), but the customer changed hands since: now Ana Ruiz owns.'
        " Decide again if that should change."
    )


def test_two_kiosks_undoing_the_same_decision_undo_it_once(db_path, tmp_path):
    scen, a, b = two_kiosks(db_path, tmp_path)
    kiosk = open_db(a, create=False)
    decide(kiosk, scen["reassign"], Choice(owner_id=B))
    kiosk.conn.close()
    merge_databases(b, [a], now=NOW + timedelta(minutes=30), backup=False)
    for path, kiosk_id, at in ((a, "kiosk-a", LATER), (b, "kiosk-b", LATER + timedelta(minutes=1))):
        kiosk = open_db(path, create=False)
        disputes.undo(kiosk, replace(CONFIG, kiosk_id=kiosk_id), scen["reassign"], actor="wei",
                      now=at)  # fmt: skip
        kiosk.conn.close()
    for target, other in ((a, b), (b, a)):
        merge_databases(target, [other], now=NOW + timedelta(hours=3), backup=False)
    got = state(a, scen["contact_id"])
    assert got == state(b, scen["contact_id"])
    held, proposals, standing, undone = got
    assert held == (A, None, None, None) and standing == [] and len(undone) == 1
    assert [r[4] for r in proposals] == ["open", "open"]  # nothing raised: the same wish
    kiosk = open_db(a, create=False)
    before = booth_tables(kiosk)
    ev.rebuild(kiosk)
    assert booth_tables(kiosk) == before
    kiosk.conn.close()
