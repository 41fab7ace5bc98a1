"""Undoing a decision in the TUI (App.run_test): the manager lists the decided items (h),
opens the one decided wrongly, presses u, is asked first with No as the default, and the
decision is taken back — the customer held as before it, the item open at the workbench to
decide anew. On issue 17's scenario (tests/scenario.py)."""

from __future__ import annotations

import pytest
from textual.widgets import Button, DataTable

from kiosk import disputes
from kiosk.sync.imports import import_csv
from kiosk.ui.screens.confirm import ConfirmModal
from kiosk.ui.screens.manager import ManagerScreen
from kiosk.ui.screens.workbench import WorkbenchScreen
from tests.factory import CONFIG, NOW, write_csv
from tests.scenario import A, B, add_scenario
from tests.ui.helpers import SIZE, press_for, rows, settle, toasts, until
from tests.ui.test_every_language_every_size import assert_footer_fits
from tests.ui.test_workbench import held


def given_to_marta(db) -> dict[str, str]:
    items = add_scenario(db)
    disputes.decide(db, CONFIG, items["reassign"], disputes.Choice(owner_id=B), actor="wei",
                    now=NOW, note="Marta did the work")  # fmt: skip
    return items


async def open_decided(pilot, proposal_id: str, decided: int = 2) -> WorkbenchScreen:
    manager = await press_for(pilot, "f5", ManagerScreen)
    assert manager.queue == []  # nothing open: the decision closed both items
    await pilot.press("h")  # the decided items too
    await until(pilot, lambda: len(manager.queue) == decided)
    table = manager.query_one("#mgr-queue", DataTable)
    table.move_cursor(row=table.get_row_index(proposal_id))
    return await press_for(pilot, "enter", WorkbenchScreen)


async def test_the_manager_undoes_a_decision_at_the_workbench(make_app, booth_db):
    items = given_to_marta(booth_db)
    app = make_app(role="manager", user_id="wei")
    async with app.run_test(size=SIZE) as pilot:
        bench = await open_decided(pilot, items["reassign"])
        keys = bench.query_one("#wb-keys")
        assert "u undo this decision" in str(keys.render())
        standing = str(bench.query_one("#wb-standing").render())
        assert standing.startswith("In force: ") and standing.endswith("\nNote: Marta did the work")
        await pilot.press("g")  # decided: the decision keys do nothing
        await settle(pilot)
        assert app.screen is bench
        confirm = await press_for(pilot, "u", ConfirmModal)
        assert confirm.question == "Undo the decision on Pedro Alves?"
        assert confirm.detail.startswith("Decided by Zhang Wei on 24 Nov: Marta Díaz owns")
        assert confirm.query_one("#no", Button).has_focus  # Enter must not undo it
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is bench and held(booth_db)[0] == B  # nothing happened
        await press_for(pilot, "u", ConfirmModal)
        await pilot.press("y")
        await until(pilot, lambda: bench.item is not None and bench.item.status == "open")
        assert app.screen is bench  # open again, here, to decide anew
        assert "Decision undone. Pedro Alves is held as before" in toasts(app)
        assert "k Luis Gómez keeps it" in str(keys.render())
        # and decided again at once
        await pilot.press("k")
        await settle(pilot)
        await pilot.press("enter")  # the decision dialog's note may stay empty
        await until(pilot, lambda: isinstance(app.screen, ManagerScreen))
    assert held(booth_db) == (A, None, None, None)
    assert rows(booth_db, "SELECT outcome, undone_by FROM undone_decisions") == [("given", "wei")]
    assert rows(booth_db, "SELECT outcome FROM arrangements") == [("kept",)]


async def test_a_refused_undo_is_one_line_and_nothing_changes(make_app, booth_db):
    items = given_to_marta(booth_db)
    app = make_app(role="manager", user_id="wei")
    async with app.run_test(size=SIZE) as pilot:
        bench = await open_decided(pilot, items["assistant"])  # settled with the other item
        await press_for(pilot, "u", ConfirmModal)
        await pilot.press("y")
        await until(pilot, lambda: "was settled by the decision on" in toasts(app))
        assert app.screen is bench and bench.item.status != "open"
    assert held(booth_db)[0] == B


@pytest.mark.parametrize("lang", ["en", "zh", "es"])
async def test_the_decided_workbench_fits_80x24(make_app, booth_db, lang):
    items = given_to_marta(booth_db)
    app = make_app(role="manager", user_id="wei", lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        bench = await open_decided(pilot, items["reassign"])
        assert_footer_fits(bench)
        shown = {b.binding.id for b in bench.active_bindings.values() if b.binding.show}
        assert "undo" in shown and "keep" not in shown


async def test_approve_on_a_decided_row_says_where_the_undo_is(make_app, booth_db):
    """`a` and `x` on a decided row of the queue did nothing, without a word, and `u` is not
    a queue key: the manager is told where the decision is undone."""
    items = given_to_marta(booth_db)
    app = make_app(role="manager", user_id="wei")
    async with app.run_test(size=SIZE) as pilot:
        manager = await press_for(pilot, "f5", ManagerScreen)
        await pilot.press("h")
        await until(pilot, lambda: len(manager.queue) == 2)
        table = manager.query_one("#mgr-queue", DataTable)
        table.move_cursor(row=table.get_row_index(items["reassign"]))
        await pilot.press("a")
        await until(pilot, lambda: "Already decided: Enter opens it" in toasts(app))
        assert app.screen is manager and held(booth_db)[0] == B  # nothing decided


async def test_a_decided_row_shows_what_was_decided_not_what_was_proposed(make_app, booth_db):
    """After `h`, an item shared at 25% read "30%" (the proposal's split) and one given to
    someone else than proposed read "→ –"."""
    items = add_scenario(db := booth_db)
    disputes.decide(db, CONFIG, items["assistant"],
                    disputes.Choice(owner_id=A, assistant_id=B, split=0.25), actor="wei",
                    now=NOW, note="a quarter")  # fmt: skip
    app = make_app(role="manager", user_id="wei")
    async with app.run_test(size=SIZE) as pilot:
        manager = await press_for(pilot, "f5", ManagerScreen)
        await pilot.press("h")
        await until(pilot, lambda: any(q.proposal_id == items["assistant"] for q in manager.queue))
        table = manager.query_one("#mgr-queue", DataTable)
        _kind, _visitor, change, split, _since, summary = table.get_row(items["assistant"])
        assert str(change) == "Luis Gómez → Luis Gómez" and str(split) == "25%"
        assert "30%" in str(summary)  # the proposal itself, as proposed


async def test_an_undo_after_the_crm_changed_hands_names_the_crms_owner(
    make_app, booth_db, tmp_path
):
    """Given to Marta, then the next CRM export gives Pedro to Ana: the question and the
    toast say Ana owns him after the undo, as the CRM says now — not "held as before"."""
    items = given_to_marta(booth_db)
    crm = write_csv(
        tmp_path / "crm.csv",
        ["crm_id", "name", "company", "email", "country", "owner"],
        [["C-SCEN", "Pedro Alves", "Brasil Luz Ltda.", "pedro@brasilluz.example", "BR", "ana"]],
    )
    import_csv(booth_db, "contacts", crm)
    app = make_app(role="manager", user_id="wei")
    async with app.run_test(size=SIZE) as pilot:
        # the assistant item, settled by the CRM import, is listed after the decided one,
        # marked as closed by itself (it was nowhere on screen)
        manager = await press_for(pilot, "f5", ManagerScreen)
        await pilot.press("h")
        await until(pilot, lambda: len(manager.queue) == 2)
        assert [q.proposal_id for q in manager.queue] == [items["reassign"], items["assistant"]]
        table = manager.query_one("#mgr-queue", DataTable)
        assert str(table.get_row(items["assistant"])[4]).startswith("⊘ ")
        assert str(table.get_row(items["reassign"])[4]).startswith("✓ ")
        await pilot.press("escape")
        await settle(pilot)
        bench = await open_decided(pilot, items["reassign"], decided=2)
        confirm = await press_for(pilot, "u", ConfirmModal)
        assert (
            "the CRM import gives Pedro Alves to Ana Ruiz now (Luis Gómez owned them before the"
            " decision), so Ana Ruiz owns them after it" in confirm.detail
        )
        await pilot.press("y")
        await until(pilot, lambda: held(booth_db)[0] == "ana")
        await until(pilot, lambda: "Decision undone. Ana Ruiz owns" in toasts(app))
        assert app.screen is bench
        assert (
            "Decision undone. Ana Ruiz owns Pedro Alves, as the CRM import says now (Luis Gómez"
            " owned them before the decision): nothing is left to decide."
        ) in toasts(app)
        await settle(pilot)
    assert rows(booth_db, "SELECT outcome FROM proposals WHERE status = 'open'") == []
