"""The dispute workbench in the TUI (App.run_test): the manager opens an item from the queue,
reads both sides, and records each real outcome with keys and the split control; the
salespeople state their case and see the decision on their own screen; the card shows the
arrangement. On issue 17's scenario (tests/scenario.py) and on the demo company's own dispute."""

from __future__ import annotations

import shutil
from dataclasses import replace

import pytest
from rich.console import Console
from textual.widgets import DataTable, Input, TextArea

from kiosk.setup import init_db
from kiosk.show import show_config
from kiosk.ui.factory import build_app
from kiosk.ui.screens.case import CaseModal
from kiosk.ui.screens.decision import DecisionModal
from kiosk.ui.screens.manager import ManagerScreen
from kiosk.ui.screens.my_disputes import MyDisputesScreen
from kiosk.ui.screens.pick import PickModal
from kiosk.ui.screens.workbench import WorkbenchScreen
from kiosk.ui.widgets.card_text import CardText
from tests.factory import CONFIG, NOW
from tests.scenario import A, B, add_scenario
from tests.ui.helpers import SIZE, press_for, rows, settle, toasts, until
from tests.ui.keys import scan


def held(db, contact_id="C-SCEN"):
    return rows(db, "SELECT owner_id, assistant_id, split, preferred_id FROM contacts WHERE id = ?",
                [contact_id])[0]  # fmt: skip


async def open_workbench(pilot, proposal_id: str) -> WorkbenchScreen:
    await press_for(pilot, "f5", ManagerScreen)
    table = pilot.app.screen.query_one("#mgr-queue", DataTable)
    table.move_cursor(row=table.get_row_index(proposal_id))
    return await press_for(pilot, "enter", WorkbenchScreen)


async def record(pilot, note: str) -> None:
    modal = pilot.app.screen
    assert isinstance(modal, DecisionModal)
    modal.query_one("#decision-note", Input).value = note
    await pilot.press("enter")
    await settle(pilot)


@pytest.mark.parametrize(
    ("keys", "outcome", "holding"),
    [
        ("k", "kept", (A, None, None, None)),
        ("g", "given", (B, None, None, None)),
        ("s", "shared", (A, B, 0.3, None)),
        ("right right r", "shared", (B, A, 0.4, None)),
    ],
)
async def test_the_manager_decides_at_the_workbench(make_app, booth_db, keys, outcome, holding):
    items = add_scenario(booth_db)
    app = make_app(role="manager", user_id="wei")
    async with app.run_test(size=SIZE) as pilot:
        await open_workbench(pilot, items["reassign"])
        for key in keys.split():
            await pilot.press(key)
        await settle(pilot)
        await record(pilot, "heard both")
        assert isinstance(app.screen, ManagerScreen)  # back at the queue, which is empty now
        assert app.screen.queue == []
        assert "Recorded." in toasts(app)
    assert held(booth_db) == holding
    [a] = rows(booth_db, "SELECT outcome, note, decided_by FROM arrangements")
    assert a == (outcome, "heard both", "wei")


async def test_the_workbench_shows_both_sides(make_app, booth_db):
    from kiosk import disputes

    items = add_scenario(booth_db)
    disputes.add_case(booth_db, CONFIG, items["reassign"], by=B, text="Since June.", now=NOW)
    app = make_app(role="manager", user_id="wei")
    async with app.run_test(size=SIZE) as pilot:
        bench = await open_workbench(pilot, items["reassign"])
        console = Console(width=150, record=True)
        console.print(bench.evidence)
        table = console.export_text()
        for expected in ("Luis Gómez", "Marta Díaz", "Filed the customer", "came on it",
                         "Since June.", "no statement yet", "today 10:00"):  # fmt: skip
            assert expected in table, expected


async def test_the_split_control_stops_at_the_shows_cap(make_app, booth_db):
    items = add_scenario(booth_db)
    app = make_app(role="manager", user_id="wei", config=replace(CONFIG, max_split=0.25,
                                                                suggested_split=0.2))  # fmt: skip
    async with app.run_test(size=SIZE) as pilot:
        bench = await open_workbench(pilot, items["reassign"])
        assert bench.split == 20
        for _ in range(6):
            await pilot.press("right")
        assert bench.split == 25  # never above the cap
        for _ in range(9):
            await pilot.press("left")
        assert bench.split == 0
        await pilot.press("right")
        await pilot.press("s")
        await settle(pilot)
        await record(pilot, "")
    assert held(booth_db) == (A, B, 0.05, None)


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "A 0% split is no share"),
        ("es", "Un reparto del 0% no es compartir"),
        ("zh", "0% 的分成不算共享"),
    ],
)
async def test_a_0_percent_split_is_refused_in_the_dialog(make_app, booth_db, lang, said):
    """The split control goes down to 0%, and 's' then recorded "Marta assists at 0%": no
    share at all. The dialog says so (the core's `split_problem`) and records nothing."""
    items = add_scenario(booth_db)
    app = make_app(role="manager", user_id="wei", lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        bench = await open_workbench(pilot, items["reassign"])
        while bench.split:
            await pilot.press("left")
        modal = await press_for(pilot, "s", DecisionModal)
        error = modal.query_one("#decision-error")
        await until(pilot, lambda: said in str(error.render()))
        assert error.display
        # not beside "… is recorded as assistant with 0%" and an offered Record button
        assert not modal.query_one("#decision-detail").display
        assert modal.query_one("#yes").disabled
        modal.query_one("#decision-note", Input).value = "both of them"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is modal and said in str(error.render())  # still there: nothing filed
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is bench
    assert rows(booth_db, "SELECT count(*) FROM arrangements") == [(0,)]
    assert held(booth_db) == (A, None, None, None)


def test_every_split_problem_is_said_in_every_language():
    from typing import get_args

    from kiosk.routing.arrangement import SplitProblem
    from kiosk.ui.i18n import LANGS, catalog
    from kiosk.ui.screens.workbench import SPLIT_ERRORS

    assert set(SPLIT_ERRORS) == set(get_args(SplitProblem))
    for lang in LANGS:
        assert all(catalog(lang).get(key) for key in SPLIT_ERRORS.values()), lang


def ask_for_ana(db) -> dict[str, str]:
    """Issue 17's scenario, and Pedro asks for Ana: a third item, Ana instead of Luis."""
    from kiosk import booth

    items = add_scenario(db)
    booth.set_preference(db, CONFIG, items["contact_id"], "ana", now=NOW)
    booth.check_in(db, CONFIG, items["contact_id"], now=NOW)
    [pref] = rows(db, "SELECT id FROM proposals WHERE kind = 'preference'")
    return items | {"preference": pref[0]}


async def test_giving_the_customer_to_a_third_leaves_nothing_out_of_date(make_app, booth_db):
    """Before, the queue kept Luis's lapse (→ Marta) and Marta as Luis's assistant after the
    manager gave Pedro to Ana: two questions about an owner he no longer had."""
    items = ask_for_ana(booth_db)
    app = make_app(role="manager", user_id="wei")
    async with app.run_test(size=SIZE) as pilot:
        await open_workbench(pilot, items["preference"])
        await pilot.press("g")
        await settle(pilot)
        await record(pilot, "he asked for her")
        assert isinstance(app.screen, ManagerScreen)
        await until(pilot, lambda: app.screen.queue == [])
    assert held(booth_db)[0] == "ana"


async def test_the_workbench_says_when_its_item_went_out_of_date(make_app, booth_db):
    from kiosk import disputes

    items = ask_for_ana(booth_db)
    app = make_app(role="manager", user_id="wei")
    async with app.run_test(size=SIZE) as pilot:
        bench = await open_workbench(pilot, items["reassign"])
        # meanwhile, at another kiosk (or merged in), Pedro is given to Ana
        chose = disputes.Choice("ana", customer_chose=True)
        disputes.decide(booth_db, CONFIG, items["preference"], chose, actor="wei", now=NOW)
        bench.booth_changed()
        title = bench.query_one("#wb-title")
        said = "out of date since 24 Nov: Ana Ruiz owns them now, nothing to decide"
        await until(pilot, lambda: said in str(title.render()))
        await pilot.press("g")  # nothing to decide: the keys do nothing
        await settle(pilot)
        assert app.screen is bench
    assert held(booth_db)[0] == "ana"
    assert rows(booth_db, "SELECT count(*) FROM arrangements") == [(1,)]


async def test_the_workbench_says_when_the_crm_settled_its_item(make_app, booth_db, tmp_path):
    """The manager has Marta's claim on Pedro open when the next CRM export is imported:
    it gives Pedro to Marta. The item is settled by the CRM: the title says so, and the
    decision keys do nothing (before, "Luis keeps it" would have written Luis back)."""
    from kiosk.sync.imports import import_csv
    from tests.factory import write_csv

    items = add_scenario(booth_db)
    crm = write_csv(
        tmp_path / "crm.csv",
        ["crm_id", "name", "company", "email", "country", "owner"],
        [["C-SCEN", "Pedro Alves", "Brasil Luz Ltda.", "pedro@brasilluz.example", "BR", B]],
    )
    app = make_app(role="manager", user_id="wei")
    async with app.run_test(size=SIZE) as pilot:
        bench = await open_workbench(pilot, items["reassign"])
        import_csv(booth_db, "contacts", crm)  # the office's import, beside the booth
        bench.booth_changed()
        title = bench.query_one("#wb-title")
        said = "settled by the CRM import: Marta Díaz owns them now, nothing to decide"
        await until(pilot, lambda: said in str(title.render()))
        await pilot.press("k")  # Luis keeps it? nothing to decide: the keys do nothing
        await settle(pilot)
        assert app.screen is bench
    assert held(booth_db)[0] == B
    assert rows(booth_db, "SELECT count(*) FROM arrangements") == [(0,)]


async def test_the_customer_chose_and_a_deferral(make_app, booth_db):
    items = add_scenario(booth_db)
    app = make_app(role="manager", user_id="wei")
    async with app.run_test(size=SIZE) as pilot:
        await open_workbench(pilot, items["assistant"])
        await press_for(pilot, "d", DecisionModal)
        app.screen.query_one("#decision-until", Input).value = "soon"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DecisionModal)  # not a day: the dialog says so and stays
        assert "Not a day" in str(app.screen.query_one("#decision-error").render())
        # today or earlier: said in the dialog, the note kept (it closed and lost the note)
        app.screen.query_one("#decision-note", Input).value = "after the show"
        app.screen.query_one("#decision-until", Input).value = "2026-11-24"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DecisionModal)
        assert "later day than today" in str(app.screen.query_one("#decision-error").render())
        assert app.screen.query_one("#decision-note", Input).value == "after the show"
        app.screen.query_one("#decision-until", Input).value = "+3"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ManagerScreen)
        assert [q.proposal_id for q in app.screen.queue] == [items["reassign"], items["assistant"]]
        assert app.screen.queue[1].deferred_until.isoformat() == "2026-11-27"
        await pilot.press("escape")
        await open_workbench(pilot, items["reassign"])
        await press_for(pilot, "c", PickModal)
        await pilot.press("down", "enter")  # the second side: Marta
        await settle(pilot)
        await record(pilot, "Pedro asked for Marta")
    assert held(booth_db) == (B, None, None, B)
    assert rows(booth_db, "SELECT outcome FROM arrangements ORDER BY decided_at") == [
        ("deferred",), ("customer",)]  # fmt: skip


async def test_an_impossible_choice_is_one_line_and_nothing_changes(make_app, booth_db):
    items = add_scenario(booth_db)
    app = make_app(role="manager", user_id="wei")
    async with app.run_test(size=SIZE) as pilot:
        await open_workbench(pilot, items["reassign"])
        booth_db.execute("UPDATE salespeople SET role = 'reception' WHERE id = ?", [B])
        await pilot.press("g")
        await settle(pilot)
        await record(pilot, "")
        assert "Marta Díaz is not a salesperson" in toasts(app)
        assert isinstance(app.screen, WorkbenchScreen)
    assert held(booth_db) == (A, None, None, None)


async def test_a_salesperson_states_their_case_and_sees_the_decision(make_app, booth_db):
    from kiosk import disputes

    items = add_scenario(booth_db)
    app = make_app(role="staff", user_id=B)
    async with app.run_test(size=SIZE) as pilot:
        mine = await press_for(pilot, "f11", MyDisputesScreen)
        assert [i.proposal_id for i in mine.items] == [items["reassign"], items["assistant"]]
        await press_for(pilot, "n", CaseModal)
        app.screen.query_one("#case-text", TextArea).text = "I invited him; we talk weekly."
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Your case on Pedro Alves is recorded" in toasts(app)
        [note] = rows(booth_db, "SELECT salesperson_id, text FROM dispute_notes")
        assert note == (B, "I invited him; we talk weekly.")
        # the manager decides on another kiosk (the CLI); Marta logs in again and is told
        disputes.decide(booth_db, CONFIG, items["reassign"], disputes.Choice(A, B, 0.3),
                        actor="wei", now=NOW)  # fmt: skip
        await pilot.press("escape")
        app._login(app.services.person(B), "staff")  # what a right PIN at F9 leads to
        await settle(pilot)
        assert "1 decision(s) about you" in toasts(app)
        assert "Luis Gómez owns, Marta Díaz assists at 30%" in toasts(app)
        mine = await press_for(pilot, "f11", MyDisputesScreen)
        decisions = str(mine.query_one("#my-decisions").render())
        assert "Pedro Alves" in decisions and "review 22 Feb 2027" in decisions
        assert mine.items == []


async def test_the_card_shows_the_standing_arrangement(make_app, booth_db):
    from kiosk import disputes

    items = add_scenario(booth_db)
    disputes.decide(booth_db, CONFIG, items["reassign"], disputes.Choice(A, B, 0.3),
                    actor="wei", now=NOW, review_after=30)  # fmt: skip
    app = make_app(role="staff", user_id=B)
    async with app.run_test(size=SIZE) as pilot:
        scan(app, "B-SCEN")
        await settle(pilot)
        text = app.screen.query_one(CardText)
        block = text.block("arrangement")
        assert block is not None
        line = str(block.text)
        assert line.startswith("⚖ Decided by Zhang Wei on 24 Nov: Luis Gómez owns, Marta Díaz")
        assert line.endswith("assists at 30%; review 24 Dec")
        assert "Assisted by Marta Díaz (30% of the commission)" in text.plain("why")


async def test_the_reception_card_keeps_the_houses_commercial_matters_off_the_aisle(
    make_app, booth_db
):
    """The reception screen faces the visitor: it read "35% of the commission", the
    manager's decision and "No deal or contact for 343 days" about them."""
    from kiosk import disputes

    items = add_scenario(booth_db)
    disputes.decide(booth_db, CONFIG, items["reassign"], disputes.Choice(A, B, 0.3),
                    actor="wei", now=NOW, review_after=30)  # fmt: skip
    app = make_app()  # reception
    async with app.run_test(size=SIZE) as pilot:
        scan(app, "B-SCEN")
        await settle(pilot)
        text = app.screen.query_one(CardText)
        assert text.block("arrangement") is None
        why = text.plain("why")
        assert "Assisted by Marta Díaz" in why and "commission" not in why and "%" not in why
        assert "LUIS GÓMEZ" in " ".join(text.plain("call").upper().split())  # whom to call


async def test_the_manager_sees_outcomes_per_salesperson(make_app, booth_db):
    from kiosk import disputes

    items = add_scenario(booth_db)
    disputes.decide(booth_db, CONFIG, items["reassign"], disputes.Choice(A, B, 0.3),
                    actor="wei", now=NOW)  # fmt: skip
    app = make_app(role="manager", user_id="wei")
    async with app.run_test(size=SIZE) as pilot:
        screen = await press_for(pilot, "f5", ManagerScreen)
        await pilot.press("o")
        await settle(pilot)
        people = screen.query_one("#mgr-people", DataTable)
        assert [str(c.label) for c in people.columns.values()][:3] == ["Salesperson", "Won", "Lost"]
        marta = [str(c) for c in people.get_row(B)]
        assert marta[3] == "1" and marta[6] == "1 (30%)"  # shared, and one assist at 30%
        summary = str(screen.query_one("#mgr-summary").render())
        assert "shared 1" in summary


async def test_the_demo_companys_own_dispute(tmp_path):
    path = tmp_path / "demo.db"
    db, _ = init_db(path, now=NOW, demo=True)
    config = show_config(db, None)
    app = build_app(db, config, now=lambda: NOW, card_timeout=None, warm_up=False,
                    role="manager", user_id="helen")  # fmt: skip
    async with app.run_test(size=SIZE) as pilot:
        scan(app, "]Q1GLE26-0044102")  # Ana Paula: filed by Sofía, met first by Mateo
        await settle(pilot)
        [pid] = [r[0] for r in rows(db, "SELECT id FROM proposals WHERE status = 'open'")]
        await open_workbench(pilot, pid)
        await pilot.press("s")
        await settle(pilot)
        await record(pilot, "Both worked her")
    assert rows(db, "SELECT owner_id, assistant_id, split FROM contacts WHERE crm_id = 'C-102829'") == [
        ("sofia", "mateo", 0.3)]  # fmt: skip
    shutil.rmtree(tmp_path, ignore_errors=True)


@pytest.mark.parametrize("lang", ["en", "zh", "es"])
async def test_the_workbench_fits_80x24(make_app, booth_db, lang):
    from tests.ui.test_every_language_every_size import assert_footer_fits

    items = add_scenario(booth_db)
    app = make_app(role="manager", user_id="wei", lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        bench = await open_workbench(pilot, items["reassign"])
        assert_footer_fits(bench)
        keys = str(bench.query_one("#wb-keys").render())
        assert "k " in keys and "d " in keys  # every key named above the footer


async def test_the_second_kiosks_claim_is_in_the_evidence(make_app, booth_db, tmp_path):
    """Two kiosks filed Carla for Marta and for Luis: Luis's 'Filed the customer' was '–',
    though his claim is what the manager decides on. Times in the show's zone (Madrid)."""
    from tests.scenario import two_kiosks_claim

    dispute = two_kiosks_claim(booth_db, tmp_path / "kiosk-b.db")
    config = replace(CONFIG, timezone="Europe/Madrid")
    app = make_app(role="manager", user_id="wei", config=config)
    async with app.run_test(size=SIZE) as pilot:
        bench = await open_workbench(pilot, dispute)
        console = Console(width=150, record=True)
        console.print(bench.evidence)
        [filed] = [line for line in console.export_text().splitlines() if "Filed the" in line]
        assert "today 10:55 at kiosk-b" in filed and "later claim, today 11:00 at kiosk-a" in filed


def lapse_nobody_covers(db) -> str:
    """José Martínez (Ana's, Spain, which only Ana covers) lapsed and checked in: a
    reassignment with nobody proposed, the manager chooses. Its id."""
    from kiosk import booth
    from tests.ui.helpers import cid

    db.execute(
        "UPDATE contacts SET last_contact_at = '2025-01-01T00:00:00+00:00' WHERE crm_id = 'C2'"
    )
    booth.check_in(db, CONFIG, cid(db, "C2"), now=NOW)
    [(pid, proposed)] = rows(db, "SELECT id, proposed_id FROM proposals")
    assert proposed is None
    return str(pid)


@pytest.mark.parametrize(
    ("lang", "hint", "column", "summary"),
    [
        ("en", "k Ana Ruiz keeps it · g choose who gets it · d defer", "Ana Ruiz → to choose",
         "reassign: the manager chooses"),
        ("es", "k se queda Ana Ruiz · g elegir a quién pasa · d aplazar",
         "Ana Ruiz → por elegir", "reasignar: elige el gerente"),
        ("zh", "k Ana Ruiz 维持 · g 选择转给谁 · d 暂缓", "Ana Ruiz → 待选择", "改派：由经理选择"),
    ],
)  # fmt: skip
async def test_an_item_with_nobody_proposed_offers_only_what_applies(
    make_app, booth_db, lang, hint, column, summary
):
    """Before, the workbench offered "g nobody gets it · s Ana owns, nobody assists at 30%
    · r nobody owns, Ana assists … · c the customer chose", of which s, r and c did
    nothing, beside a split control; and the queue said "reassign to –"."""
    pid = lapse_nobody_covers(booth_db)
    app = make_app(role="manager", user_id="wei", lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        await press_for(pilot, "f5", ManagerScreen)
        table = app.screen.query_one("#mgr-queue", DataTable)
        cells = [str(c) for c in table.get_row(pid)]
        assert column in cells and summary in cells, cells
        assert "–" not in cells[2] + cells[5]
        bench = await open_workbench(pilot, pid)
        assert str(bench.query_one("#wb-keys").render()) == hint
        assert not bench.query_one("#wb-split").display  # nothing to share
        shown = {b.binding.id for b in bench.active_bindings.values()}
        assert {"keep", "choose_owner", "defer"} <= shown
        assert not {"give", "share", "share_other", "customer_chose", "split_more"} & shown
        for key in ("s", "r", "c", "right"):
            await pilot.press(key)
            await settle(pilot)
            assert app.screen is bench, key  # not offered, and nothing opens


async def test_g_picks_the_new_owner_when_nobody_is_proposed(make_app, booth_db):
    """g opens the salespeople to choose from (Ana, the owner, left out); the choice is
    confirmed and recorded like giving, as `kiosk decide ID --approve --to` does."""
    from kiosk.ui.screens.assign import AssignModal

    pid = lapse_nobody_covers(booth_db)
    app = make_app(role="manager", user_id="wei")
    async with app.run_test(size=SIZE) as pilot:
        await open_workbench(pilot, pid)
        modal = await press_for(pilot, "g", AssignModal)
        assert "ana" not in [o.id for o in modal.query_one("#assignees").options]
        await pilot.press("m")  # type-to-find: Marta
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DecisionModal)
        assert app.screen.question == "Give José Martínez to Marta Díaz?"
        await record(pilot, "Marta covers Iberia now")
        assert isinstance(app.screen, ManagerScreen)
    assert rows(booth_db, "SELECT owner_id FROM contacts WHERE crm_id = 'C2'") == [("marta",)]
    [a] = rows(booth_db, "SELECT outcome, owner_id, note FROM arrangements")
    assert a == ("given", "marta", "Marta covers Iberia now")
