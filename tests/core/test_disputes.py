"""The dispute workbench end to end in the core (`kiosk.disputes`), on issue 17's scenario:
A filed a year ago and sent a catalogue, B talked with them for months and invited them,
the customer walks in. Real SQLite files, the events recorded and replayed."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta

import pytest

from kiosk import booth, disputes
from kiosk import events as ev
from kiosk.disputes import Choice, DisputeError
from kiosk.errors import KioskError
from kiosk.events.validate import BadEvent, check_payload
from kiosk.store import load_salespeople
from tests.factory import CONFIG, NOW
from tests.scenario import A, B, add_scenario, holding

TODAY = NOW.date()


@pytest.fixture
def scen(db):
    return add_scenario(db)


def statuses(db, contact_id):
    return dict(db.execute("SELECT kind, status FROM proposals WHERE contact_id = ?", [contact_id]))


def test_both_sides_evidence_side_by_side(db, scen):
    disputes.add_case(
        db, CONFIG, scen["reassign"], by=B, text="Talking since June; I invited him.", now=NOW
    )
    item = disputes.item(db, scen["reassign"], today=TODAY)
    assert [s.salesperson_id for s in item.sides] == [A, B]
    a, b = item.sides
    assert a.holds == "owner" and a.filed_at is not None and a.first_contact_at is not None
    assert a.filed_at.date() == (NOW - timedelta(days=365)).date()
    assert a.invited_at is None and a.at_booth is None and not a.came_on_invitation
    assert b.holds == "" and b.filed_at is None and b.first_contact_at is None
    assert b.invited_at is not None and b.came_on_invitation and b.at_booth == NOW
    assert b.last_contact_at == NOW and a.last_contact_at == a.filed_at
    assert b.case == "Talking since June; I invited him." and a.case == ""


def test_a_lead_is_filed_by_who_brought_it_not_by_whom_it_was_routed_to(db):
    """Ben brings a Japanese visitor and files the lead; the territory routes it to Kenji,
    and the manager is asked whether Ben assists. Before, the evidence said Kenji filed the
    customer and Ben did not: the routed owner was credited with Ben's filing."""
    lead = booth.LeadInput(name="Hiro Abe", company="Abe KK", country="JP", brought_by="ben")
    filed = booth.add_lead(db, CONFIG, lead, now=NOW)
    assert filed.decision.salesperson_id == "kenji"
    [item] = disputes.queue(db, today=TODAY)
    assert (item.kind, item.current_id, item.proposed_id) == ("assistant", "kenji", "ben")
    kenji, ben = item.sides
    assert (kenji.holds, kenji.filed_at) == ("owner", None)
    assert (ben.holds, ben.filed_at) == ("", NOW)
    # filed by reception with nobody bringing them: the salesperson it was routed to filed it
    alone = booth.add_lead(db, CONFIG, booth.LeadInput(name="Aiko Ito", country="JP"), now=NOW)
    assert booth.lead_filer(db, alone.contact_id, "booth") == "kenji"
    assert booth.lead_filer(db, filed.contact_id, "booth") == "ben"


def test_who_brought_a_booth_visitor_made_the_first_contact_too(db):
    """Ben brings Hiro and files the lead; the territory routes him to Kenji. Ben met him
    first — the lead's time is the filing and the first contact alike: before, the evidence
    said Kenji first contacted him, though Kenji had not met him at all."""
    lead = booth.LeadInput(name="Hiro Abe", company="Abe KK", country="JP", brought_by="ben")
    booth.add_lead(db, CONFIG, lead, now=NOW)
    [item] = disputes.queue(db, today=TODAY)
    kenji, ben = item.sides
    assert (kenji.salesperson_id, kenji.first_contact_at) == ("kenji", None)
    assert (ben.salesperson_id, ben.filed_at, ben.first_contact_at) == ("ben", NOW, NOW)
    # nobody brought Aiko: the salesperson she was routed to filed and first met her
    booth.add_lead(db, CONFIG, booth.LeadInput(name="Aiko Ito", country="JP"), now=NOW)
    aiko = booth.add_lead(
        db, CONFIG, booth.LeadInput(name="Aiko Ito", country="JP", brought_by="ben"),
        now=NOW + timedelta(hours=1),
    )  # fmt: skip
    [again] = [i for i in disputes.queue(db, today=TODAY) if i.contact_id == aiko.contact_id]
    by_person = {s.salesperson_id: s for s in again.sides}
    kenji_met = by_person["kenji"].first_contact_at
    assert kenji_met is not None and kenji_met == by_person["kenji"].filed_at
    assert by_person["ben"].first_contact_at is None


def test_the_first_lead_is_the_first_in_time_whatever_zone_it_was_stamped_in(db_path, tmp_path):
    """Kiosk B (in Shanghai) files Hiro at 09:30 UTC with nobody bringing him: Kenji's, by
    territory. Kiosk A files him again at 10:00 UTC, brought by Ben. B's lead, stamped
    '17:30+08:00', sorts after A's as text; it is the first, and Kenji filed him."""
    import shutil

    from kiosk.clock import show_zone
    from kiosk.db import open_db, set_meta
    from kiosk.sync.merge import merge_databases

    a = open_db(db_path, create=False)
    set_meta(a, "show_id", "test-show")
    other = tmp_path / "b.db"
    a.conn.close()
    shutil.copy(db_path, other)
    hiro = booth.LeadInput(name="Hiro Abe", email="hiro@abe.example", country="JP")
    b = open_db(other, create=False)
    b_cfg = replace(CONFIG, kiosk_id="kiosk-b", timezone="Asia/Shanghai")
    early = (NOW - timedelta(minutes=30)).astimezone(show_zone(b_cfg.timezone))
    booth.add_lead(b, b_cfg, hiro, now=early)
    b.conn.close()
    a = open_db(db_path, create=False)
    booth.add_lead(a, CONFIG, replace(hiro, brought_by="ben"), now=NOW)
    a.conn.close()
    merge_databases(db_path, [other], now=NOW + timedelta(hours=1))
    db = open_db(db_path, create=False)
    [contact_id] = {r[0] for r in db.execute("SELECT contact_id FROM leads")}
    assert booth.lead_filer(db, contact_id, "booth") == "kenji"
    [item] = disputes.queue(db, today=TODAY)
    kenji, ben = item.sides
    assert (kenji.salesperson_id, ben.salesperson_id) == ("kenji", "ben")
    assert kenji.filed_at is not None and ben.filed_at is None


def test_only_the_two_sides_may_state_a_case(db, scen):
    with pytest.raises(
        DisputeError, match="Ana Ruiz is not a side .* only Luis Gómez and Marta Díaz"
    ):
        disputes.add_case(db, CONFIG, scen["reassign"], by="ana", text="mine", now=NOW)
    with pytest.raises(DisputeError, match="needs some text"):
        disputes.add_case(db, CONFIG, scen["reassign"], by=A, text=" \x1b ", now=NOW)


def decide(db, pid, choice=None, **kw):
    kw.setdefault("actor", "wei")
    kw.setdefault("now", NOW)
    return disputes.decide(db, CONFIG, pid, choice, **kw)


def test_keep_the_owner(db, scen):
    event = decide(db, scen["reassign"], Choice(owner_id="Luis Gómez"), note="Luis filed first")
    assert event.kind == "dispute.decided"
    assert event.payload["outcome"] == "kept" and event.payload["sides"] == [A, B]
    assert set(event.payload["notify"]) == {A, B}
    assert holding(db, scen["contact_id"]) == (A, None, None, None)
    # one decision settles the pair: the assistant item between them closes too
    assert statuses(db, scen["contact_id"]) == {"reassign": "rejected", "assistant": "rejected"}
    a = disputes.standing(db, scen["contact_id"])
    assert (a.outcome, a.owner_id, a.review_at, a.note) == (
        "kept",
        A,
        TODAY + timedelta(days=90),
        "Luis filed first",
    )


def test_give_to_the_other(db, scen):
    decide(db, scen["reassign"], Choice(owner_id=B))
    assert holding(db, scen["contact_id"]) == (B, None, None, None)
    assert statuses(db, scen["contact_id"])["reassign"] == "approved"
    row = db.execute("SELECT outcome FROM proposals WHERE id = ?", [scen["reassign"]]).fetchone()
    assert row[0] == "given"


def test_share_with_a_split_within_the_cap(db, scen):
    decide(db, scen["reassign"], Choice(owner_id=A, assistant_id=B, split=0.3), review_after=30)
    assert holding(db, scen["contact_id"]) == (A, B, 0.3, None)
    a = disputes.standing(db, scen["contact_id"])
    assert (a.outcome, a.review_at) == ("shared", TODAY + timedelta(days=30))
    people = load_salespeople(db)
    assert disputes.describe(a, people, decided_on=TODAY) == (
        "decided by Zhang Wei on 24 Nov: Luis Gómez owns, Marta Díaz assists at 30%; review 24 Dec"
    )


def test_an_assistant_without_a_split_gets_the_suggested_one(db, scen):
    decide(db, scen["reassign"], Choice(owner_id=B, assistant_id=A))
    assert holding(db, scen["contact_id"]) == (B, A, CONFIG.suggested_split, None)


def test_the_customer_chose(db, scen):
    event = decide(db, scen["assistant"], Choice(owner_id=B, customer_chose=True))
    assert event.payload["customer_chose"] == B
    assert holding(db, scen["contact_id"]) == (B, None, None, B)
    assert disputes.standing(db, scen["contact_id"]).outcome == "customer"


def test_defer_until_a_day_then_back_at_the_top(db, scen):
    back = TODAY + timedelta(days=7)
    decide(db, scen["reassign"], Choice(defer_until=back))
    assert holding(db, scen["contact_id"]) == (A, None, None, None)
    assert disputes.standing(db, scen["contact_id"]) is None  # a deferral is no arrangement
    order = [i.proposal_id for i in disputes.queue(db, today=TODAY)]
    assert order == [scen["assistant"], scen["reassign"]]  # waits at the bottom
    item = disputes.queue(db, today=back)[0]
    assert (item.proposal_id, item.returned) == (scen["reassign"], True)  # its day: top
    decide(db, scen["reassign"], Choice(owner_id=B), now=NOW + timedelta(days=7))
    assert holding(db, scen["contact_id"])[0] == B


@pytest.mark.parametrize(
    ("choice", "kwargs", "message"),
    [
        (Choice(owner_id=A, assistant_id=B, split=0.6), {}, "60% is above this show's cap of 50%"),
        (Choice(owner_id=A, assistant_id=B, split=0.0), {}, "a split of 0% is no share"),
        (Choice(owner_id=A, assistant_id=B, split=1.0), {}, "100% leaves the owner nothing"),
        (Choice(owner_id=A, assistant_id=A), {}, "assistant cannot be the owner"),
        (Choice(owner_id="wei"), {}, "Zhang Wei is not a salesperson"),
        (Choice(owner_id=A, assistant_id="rita"), {}, "Rita Lopes is not a salesperson"),
        (Choice(owner_id="nobody"), {}, "unknown salesperson: nobody"),
        (Choice(owner_id=A), {"actor": "ana"}, "Ana Ruiz is not a manager"),
        (Choice(defer_until=TODAY), {}, "defer until a later day"),
        (Choice(owner_id=A, defer_until=TODAY + timedelta(days=1)), {}, "deferral decides nobody"),
        (
            Choice(defer_until=TODAY + timedelta(days=1)),
            {"review_after": 3},
            "deferral has no review",
        ),
        (Choice(owner_id=A), {"review_after": 0}, "review after 1 to 3650 days"),
        (Choice(split=0.2, owner_id=A), {}, "a split needs an assistant"),
    ],
)
def test_impossible_choices_are_refused(db, scen, choice, kwargs, message):
    with pytest.raises(KioskError, match=message):
        decide(db, scen["reassign"], choice, **kwargs)
    assert statuses(db, scen["contact_id"])["reassign"] == "open"


def test_the_show_cap_below_half_is_the_limit(db, scen):
    config = replace(CONFIG, max_split=0.25, suggested_split=0.2)
    with pytest.raises(DisputeError, match="30% is above this show's cap of 25%"):
        disputes.decide(db, config, scen["reassign"], Choice(A, B, 0.3), actor="wei", now=NOW)
    disputes.decide(db, config, scen["reassign"], Choice(A, B, 0.25), actor="wei", now=NOW)
    assert holding(db, scen["contact_id"])[2] == 0.25


def test_the_shorthands_approve_and_reject(db, scen):
    decide(db, scen["assistant"], approve=True)
    assert holding(db, scen["contact_id"]) == (A, B, 0.3, None)
    assert disputes.standing(db, scen["contact_id"]).outcome == "shared"
    with pytest.raises(DisputeError, match="already decided"):
        decide(db, scen["reassign"], approve=False)


def test_a_settled_pair_is_not_raised_again_by_the_next_scan(db, scen):
    decide(db, scen["reassign"], Choice(A, B, 0.3))
    booth.check_in(db, CONFIG, scen["contact_id"], now=NOW + timedelta(hours=2), brought_by=B)
    assert db.execute("SELECT count(*) FROM proposals WHERE status = 'open'").fetchone()[0] == 0


def test_the_next_scan_shows_the_decision_not_the_question_until_the_review(db, scen):
    """Before, the card and `kiosk lookup` still said "no deal or contact for 365 days" and
    proposed Marta to the manager after the manager had shared the customer between them."""
    contact = booth.get_contact(db, scen["contact_id"])
    asked = booth.decide_for(db, CONFIG, contact, now=NOW, brought_by=B)
    assert "needs-decision" in asked.flags and asked.proposals
    decide(db, scen["reassign"], Choice(A, B, 0.3), review_after=30)
    contact = booth.get_contact(db, scen["contact_id"])
    later = NOW + timedelta(days=29)
    settled = booth.decide_for(db, CONFIG, contact, now=later, brought_by=B)
    assert settled.salesperson_id == A and settled.rule == "brought-by"  # not lapsed-owner
    assert not settled.proposals
    assert not settled.flags & {"needs-decision", "lapsed", "ownership-conflict"}
    assert "owns, Marta Díaz assists at 30%" in settled.reason
    assert "brought by Marta Díaz, already the assistant" in settled.reason
    assert "no deal or contact" not in settled.reason
    # the review day with no deal since: the lapse is back, and the engine asks again
    due = booth.decide_for(db, CONFIG, contact, now=NOW + timedelta(days=30))
    assert "lapsed" in due.flags and "needs-decision" in due.flags
    assert "decided by" not in due.reason


def test_a_later_owner_is_not_held_by_an_earlier_decision(db, scen):
    decide(db, scen["reassign"], Choice(A, B, 0.3), review_after=30)
    # the next CRM pull gives the customer to someone else: the decision no longer stands
    db.execute("UPDATE contacts SET owner_id = 'ana' WHERE id = ?", [scen["contact_id"]])
    contact = booth.get_contact(db, scen["contact_id"])
    decision = booth.decide_for(db, CONFIG, contact, now=NOW + timedelta(hours=1))
    assert "decided by" not in decision.reason and "lapsed" in decision.flags


def test_the_review_raises_a_new_lapse_proposal_when_no_deal_came(db, scen):
    decide(db, scen["reassign"], Choice(A, B, 0.3), review_after=30)
    assert disputes.raise_due_reviews(db, CONFIG, now=NOW + timedelta(days=29)) == []
    [event] = disputes.raise_due_reviews(db, CONFIG, now=NOW + timedelta(days=30))
    assert event.kind == "dispute.review" and event.payload["notify"] == [A, B]
    row = db.execute(
        "SELECT kind, current_id, proposed_id, status, item_key, reason FROM proposals"
        " WHERE id = ?", [f"{event.uuid}:0"],
    ).fetchone()  # fmt: skip
    assert row[:4] == ("reassign", A, B, "open") and row[4].endswith(
        f"review:{event.payload['arrangement_id']}"
    )
    assert "no deal since" in row[5] and "Marta Díaz assists at 30%" in row[5]
    assert disputes.raise_due_reviews(db, CONFIG, now=NOW + timedelta(days=31)) == []  # once


def test_a_deal_after_the_decision_keeps_the_arrangement(db, scen):
    decide(db, scen["reassign"], Choice(A, B, 0.3), review_after=30)
    # the CRM re-import after the show brings a deal closed after the decision
    deal = (NOW + timedelta(days=10)).isoformat()
    db.execute("UPDATE contacts SET last_deal_at = ? WHERE id = ?", [deal, scen["contact_id"]])
    assert disputes.raise_due_reviews(db, CONFIG, now=NOW + timedelta(days=40)) == []


def test_a_replay_gives_the_same_tables(db, scen):
    disputes.add_case(db, CONFIG, scen["reassign"], by=A, text="I filed him.", now=NOW)
    decide(db, scen["reassign"], Choice(A, B, 0.3), review_after=30)
    disputes.raise_due_reviews(db, CONFIG, now=NOW + timedelta(days=30))

    def tables():
        return [
            db.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall()
            for t in ("arrangements", "dispute_notes", "proposals")
        ] + [holding(db, scen["contact_id"])]

    before = tables()
    ev.rebuild(db)
    assert tables() == before


def customer_chose_ana(db, scen):
    """Pedro asks for Ana; the manager records that he chose her. Luis's lapse (reassign to
    Marta) and Marta as Luis's assistant were raised when Luis owned him."""
    booth.set_preference(db, CONFIG, scen["contact_id"], "ana", now=NOW + timedelta(minutes=1))
    booth.check_in(db, CONFIG, scen["contact_id"], now=NOW + timedelta(minutes=20))
    [pref] = [i for i in disputes.queue(db, today=TODAY) if i.kind == "preference"]
    decide(db, pref.proposal_id, Choice(owner_id="ana", customer_chose=True),
           now=NOW + timedelta(hours=1))  # fmt: skip
    return pref.proposal_id


def test_a_decision_that_changes_the_owner_closes_the_items_it_made_out_of_date(db, scen):
    """Before, the queue still asked "Luis Gómez has had no deal … → Marta Díaz" and
    "Marta Díaz brought Pedro Alves, whom Luis Gómez owns" once Ana owned him: approving
    either took the customer from Ana, who was not a side."""
    pref = customer_chose_ana(db, scen)
    assert holding(db, scen["contact_id"])[0] == "ana"
    assert disputes.queue(db, today=TODAY) == []  # nothing asks about Luis any more
    for key in ("reassign", "assistant"):
        closed = disputes.item(db, scen[key], today=TODAY)
        assert closed.outdated and closed.status != "open" and closed.owner_now == "ana"
        assert closed.decision_note == (
            "out of date: Ana Ruiz owns the customer since 2026-11-24 11:00 UTC"
            f" (the decision on {pref})"
        )
        with pytest.raises(DisputeError, match=f"^proposal {scen[key]} is out of date: Ana Ruiz"):
            decide(db, scen[key], Choice(owner_id=B), now=NOW + timedelta(hours=2))
    assert holding(db, scen["contact_id"])[0] == "ana"
    # Marta brings him again: her claim is asked afresh, about Ana (the closed item of the
    # same kind and person does not hold it back, as a rejected one would)
    booth.check_in(db, CONFIG, scen["contact_id"], now=NOW + timedelta(hours=3), brought_by=B)
    [fresh] = disputes.queue(db, today=TODAY)
    assert (fresh.kind, fresh.current_id, fresh.proposed_id) == ("assistant", "ana", B)
    assert "whom Ana Ruiz owns" in fresh.reason
    before = db.execute("SELECT * FROM proposals ORDER BY id").fetchall()
    ev.rebuild(db)
    assert db.execute("SELECT * FROM proposals ORDER BY id").fetchall() == before


def test_a_decision_made_elsewhere_on_an_item_already_out_of_date_is_raised(db_path, tmp_path):
    """Kiosk A's manager records that Pedro chose Ana (the lapse is out of date); kiosk B's,
    not merged yet, gives Pedro to Marta on the lapse. After the merge, in either order,
    Ana's stands and B's decision is a new item with its note, not lost nor applied."""
    import shutil

    from kiosk.db import open_db, set_meta
    from kiosk.sync.merge import merge_databases

    first = open_db(db_path, create=False)
    set_meta(first, "show_id", "test-show")
    scen = add_scenario(first)
    booth.set_preference(first, CONFIG, scen["contact_id"], "ana", now=NOW + timedelta(minutes=1))
    booth.check_in(first, CONFIG, scen["contact_id"], now=NOW + timedelta(minutes=20))
    first.conn.close()
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    shutil.copy(db_path, a)
    shutil.copy(db_path, b)
    kiosk = open_db(a, create=False)
    [pref] = [i.proposal_id for i in disputes.queue(kiosk, today=TODAY) if i.kind == "preference"]
    chose = Choice("ana", customer_chose=True)
    disputes.decide(kiosk, CONFIG, pref, chose, actor="wei", now=NOW + timedelta(hours=1))
    kiosk.conn.close()
    kiosk = open_db(b, create=False)
    b_cfg = replace(CONFIG, kiosk_id="kiosk-b")
    disputes.decide(kiosk, b_cfg, scen["reassign"], Choice(owner_id=B), actor="wei",
                    now=NOW + timedelta(hours=2), note="Marta did the work")  # fmt: skip
    kiosk.conn.close()
    for target, other in ((a, b), (b, a)):
        merge_databases(target, [other], now=NOW + timedelta(hours=3))
        db = open_db(target, create=False)
        assert holding(db, scen["contact_id"])[0] == "ana"
        [again] = disputes.queue(db, today=TODAY)
        assert (again.kind, again.current_id, again.proposed_id) == ("reassign", "ana", B)
        assert again.reason.startswith(
            "Decided on an item already out of date: Ana Ruiz owns the customer since"
            " 2026-11-24 11:00 UTC"
        )
        assert again.reason.endswith(
            'Zhang Wei at kiosk-b on 2026-11-24 12:00 UTC: Marta Díaz owns ("Marta did the'
            ' work"); now Ana Ruiz owns. Decide again if that should change.'
        )
        db.conn.close()


def test_given_to_someone_the_item_did_not_name_is_their_win(db, scen):
    """Before, the report showed Luis "lost 1" and nobody "won" when the manager gave the
    customer to a third salesperson (`decide --to`)."""
    decide(db, scen["reassign"], Choice(owner_id="ana"))
    people, totals = disputes.tallies(db)
    assert totals["given"] == 1
    assert (people["ana"].won, people[A].lost, people[B].lost) == (1, 1, 1)


def test_tallies_count_each_item_once_per_side(db, scen):
    decide(db, scen["assistant"], Choice(defer_until=TODAY + timedelta(days=2)))
    people, totals = disputes.tallies(db)
    assert totals == {"kept": 0, "given": 0, "shared": 0, "customer": 0, "deferred": 1}
    assert (people[A].deferred, people[B].deferred) == (1, 1)
    # deciding the pair settles the deferred item too: it counts once, as given
    decide(db, scen["reassign"], Choice(B))
    people, totals = disputes.tallies(db)
    assert totals == {"kept": 0, "given": 1, "shared": 0, "customer": 0, "deferred": 0}
    assert (people[B].won, people[B].lost, people[A].won, people[A].lost) == (1, 0, 0, 1)
    assert people[A].deferred == people[B].deferred == 0


def test_merged_events_are_checked(db):
    good = {"proposal_id": "x:0", "outcome": "shared", "owner_id": A, "assistant_id": B,
            "split": 0.3, "review_at": "2027-02-22", "sides": [A, B]}  # fmt: skip
    check_payload("dispute.decided", good)
    for bad in ({"split": 0.7}, {"outcome": "won"}, {"review_at": "soon"}, {"sides": "luis"}):
        with pytest.raises(BadEvent):
            check_payload("dispute.decided", good | bad)
    with pytest.raises(BadEvent):
        check_payload("dispute.note", {"proposal_id": "x:0", "by": A})
    assert json.dumps(good)  # a plain JSON object, as stored


def test_the_queue_without_evidence_is_the_same_queue(db, scen):
    decide(db, scen["assistant"], Choice(defer_until=TODAY + timedelta(days=1)))
    full = disputes.queue(db, today=TODAY)
    lite = disputes.queue(db, today=TODAY, evidence=False)
    assert [(i.proposal_id, i.deferred_until) for i in lite] == [
        (i.proposal_id, i.deferred_until) for i in full
    ]
    assert all(i.sides for i in full) and not any(i.sides for i in lite)


def test_the_open_counts_are_the_queue_per_person(db, scen):
    """One definition of what waits for the manager (`open_by_person`, the report's figure):
    each person's count is their queue, whatever the items' kinds; a decided item is none."""
    booth.set_preference(db, CONFIG, scen["contact_id"], "ana", now=NOW + timedelta(minutes=1))
    booth.check_in(db, CONFIG, scen["contact_id"], now=NOW + timedelta(minutes=20))
    decide(db, scen["assistant"], Choice(defer_until=TODAY + timedelta(days=2)))
    counts = disputes.open_by_person(db)
    for sp in load_salespeople(db):
        assert counts.get(sp, 0) == len(disputes.queue(db, today=TODAY, person=sp)), sp
    assert counts == {A: 3, B: 2, "ana": 1}
    decide(db, scen["reassign"], Choice(owner_id=A))  # settles Luis and Marta's pair
    assert disputes.open_by_person(db) == {A: 1, "ana": 1}


def test_today_is_the_show_calendar_day(db):
    late = NOW.replace(hour=23, minute=30)
    assert disputes.today_of(replace(CONFIG, timezone="Asia/Shanghai"), late) == date(2026, 11, 25)


def test_two_kiosks_deciding_one_item_apart_raise_it_again_after_a_merge(db_path, tmp_path):
    """Before, a merge kept the first decision and dropped the other's effect without a
    word: the manager who shared the customer never learnt that it had been given away."""
    import shutil

    from kiosk.db import open_db, set_meta
    from kiosk.sync.merge import merge_databases

    first = open_db(db_path, create=False)
    set_meta(first, "show_id", "test-show")
    scen = add_scenario(first)
    first.conn.close()
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    shutil.copy(db_path, a)
    shutil.copy(db_path, b)
    for path, choice, at, note in (
        (a, Choice(owner_id=B), NOW + timedelta(hours=1), "Marta did the work"),
        (b, Choice(A, B, 0.3), NOW + timedelta(hours=2), "Both worked him"),
    ):
        kiosk = open_db(path, create=False)
        disputes.decide(kiosk, CONFIG, scen["reassign"], choice, actor="wei", now=at, note=note)
        kiosk.conn.close()
    for target, other in ((a, b), (b, a)):
        merge_databases(target, [other], now=NOW + timedelta(hours=3), backup=False)

    def state(path):
        kiosk = open_db(path, create=False)
        try:
            return (
                holding(kiosk, scen["contact_id"]),
                kiosk.execute(
                    "SELECT kind, current_id, proposed_id, reason FROM proposals"
                    " WHERE status = 'open' AND item_key LIKE '%|again:%'"
                ).fetchall(),
            )
        finally:
            kiosk.conn.close()

    held, [again] = state(a)
    assert held == (B, None, None, None)  # the first decision stands …
    assert again[:3] == ("reassign", B, A)  # … and the other comes back as an item
    assert "Decided twice" in again[3] and "Marta Díaz owns — this stands" in again[3]
    assert "Luis Gómez owns, Marta Díaz assists at 30%" in again[3]
    assert '"Both worked him"' in again[3]
    assert state(b) == state(a)  # merged the other way round: the same
