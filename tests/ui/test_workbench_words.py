"""What the manager reads at the workbench is in the UI language: why the item waits (the
core's reason is an English record), the second kiosk's claim, and a refused decision, with
salespeople's names and the show's local time (the record's times are UTC).

The show is in Madrid here (UTC+1 in November), so a local time is not the UTC one."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from rich.console import Console

from kiosk import disputes
from kiosk.clock import show_zone
from kiosk.ui.i18n import Translator
from kiosk.ui.screens.manager import ManagerScreen
from kiosk.ui.screens.workbench import WorkbenchScreen
from kiosk.ui.widgets.reason import reason_line
from tests.factory import CONFIG, NOW
from tests.scenario import A, B, add_scenario, two_kiosks_claim
from tests.ui.helpers import SIZE, press_for, settle, toasts, until
from tests.ui.test_workbench import open_workbench, record

MADRID = replace(CONFIG, timezone="Europe/Madrid")
TODAY = NOW.date()


def table_text(bench: WorkbenchScreen) -> str:
    console = Console(width=200, record=True)
    console.print(bench.evidence)
    return console.export_text()


@pytest.mark.parametrize(
    ("lang", "reason", "claim", "filed"),
    [
        ("es", "El registro de Luis Gómez en kiosk-a (hoy 11:00) llegó después del de Marta Díaz",
         "registro posterior, hoy 11:00 en kiosk-a", "hoy 10:55 en kiosk-b"),
        ("zh", "Luis Gómez 的登记（kiosk-a，今天 11:00）晚于 Marta Díaz",
         "后来登记：今天 11:00，kiosk-a", "今天 10:55，kiosk-b"),
    ],
)  # fmt: skip
async def test_two_kiosks_claims_are_told_in_the_ui_language_and_local_time(
    make_app, booth_db, tmp_path, lang, reason, claim, filed
):
    """Before: 'Also filed at kiosk-a on 2026-11-24 10:00 UTC; …' in English under a Spanish
    or Chinese title, and '–' where Luis's claim was filed."""
    dispute = two_kiosks_claim(booth_db, tmp_path / "kiosk-b.db")
    app = make_app(role="manager", user_id="wei", lang=lang, config=MADRID)
    async with app.run_test(size=SIZE) as pilot:
        bench = await open_workbench(pilot, dispute)
        said = str(bench.query_one("#wb-reason").render())
        assert said.startswith(reason), said
        assert "UTC" not in said and "Also filed" not in said
        table = table_text(bench)
        assert claim in table and filed in table, table


async def test_the_managers_queue_says_why_in_the_ui_language(make_app, booth_db):
    """The manager view's line under the queue, and its approve dialog, showed the English
    reason too."""
    items = add_scenario(booth_db)
    app = make_app(role="manager", user_id="wei", lang="zh", config=MADRID)
    async with app.run_test(size=SIZE) as pilot:
        screen = await press_for(pilot, "f5", ManagerScreen)
        detail = screen.query_one("#mgr-detail")
        table = screen.query_one("#mgr-queue")
        table.move_cursor(row=table.get_row_index(items["assistant"]))
        said = "Marta Díaz 带来了 Luis Gómez 负责的客户 Pedro Alves：作为协助人，佣金分成 30%。"
        await until(pilot, lambda: said in str(detail.render()))
        assert "brought" not in str(detail.render())


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("es", "Zhang Wei ya decidió este asunto (hoy 12:00): no se registró nada."),
        ("zh", "Zhang Wei 已对此事项作出决定（今天 12:00）：未记录任何内容。"),
    ],
)
async def test_a_decision_taken_meanwhile_is_said_in_the_ui_language(
    make_app, booth_db, lang, said
):
    """Before: 'proposal 5f0c…:1 was already decided (approved)', English with the raw id."""
    items = add_scenario(booth_db)
    app = make_app(role="manager", user_id="wei", lang=lang, config=MADRID)
    async with app.run_test(size=SIZE) as pilot:
        await open_workbench(pilot, items["assistant"])
        # meanwhile the manager decided it at another kiosk (merged in, or through the hub)
        disputes.decide(booth_db, MADRID, items["assistant"], disputes.Choice(A),
                        actor="wei", now=NOW + timedelta(hours=1))  # fmt: skip
        await pilot.press("k")
        await settle(pilot)
        await record(pilot, "")
        assert said in toasts(app)
        assert "proposal" not in toasts(app)
        assert isinstance(app.screen, WorkbenchScreen)


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("es", "Zhang Wei (Mateo) conoció primero a Ana Paula Ferreira da Silva (19 oct 2023);"
               " Sofía Ramírez, titular en el CRM, registró al cliente (20 may 2024). En esta"
               " feria prevalece el registro: Sofía Ramírez sigue de titular hasta que usted"
               " decida."),
        ("zh", "Zhang Wei (Mateo) 最先联系了 Ana Paula Ferreira da Silva（2023年10月19日）；"
               "CRM 负责人 Sofía Ramírez 为其建档（2024年5月20日）。本展以建档为准：在您决定之前"
               "仍由 Sofía Ramírez 负责。"),
    ],
)  # fmt: skip
async def test_the_demo_companys_first_contact_conflict(tmp_path, lang, said):
    """The demo's own dispute (filed by Sofía, met first by Mateo) kept its English record:
    'Zhang Wei (Mateo) first contacted … precedence 'filed' keeps Sofía Ramírez …'."""
    from kiosk.setup import init_db
    from kiosk.show import show_config
    from kiosk.ui.factory import build_app
    from tests.ui.keys import scan

    db, _ = init_db(tmp_path / "demo.db", now=NOW, demo=True)
    config = show_config(db, None)
    app = build_app(db, config, now=lambda: NOW, card_timeout=None, warm_up=False,
                    role="manager", user_id="helen", lang=lang)  # fmt: skip
    async with app.run_test(size=SIZE) as pilot:
        scan(app, "]Q1GLE26-0044102")  # Ana Paula walks in
        await settle(pilot)
        [pid] = [r[0] for r in db.execute("SELECT id FROM proposals WHERE status = 'open'")]
        bench = await open_workbench(pilot, pid)
        assert said in str(bench.query_one("#wb-reason").render())
    db.conn.close()


async def test_a_refused_person_is_named_in_the_ui_language(make_app, booth_db):
    items = add_scenario(booth_db)
    app = make_app(role="manager", user_id="wei", lang="es", config=MADRID)
    async with app.run_test(size=SIZE) as pilot:
        await open_workbench(pilot, items["reassign"])
        booth_db.execute("UPDATE salespeople SET role = 'reception' WHERE id = ?", [B])
        await pilot.press("g")
        await settle(pilot)
        await record(pilot, "")
        assert "Marta Díaz no es vendedor y no puede ser titular." in toasts(app)


# ------------------------------------------------------------ every kind, from its facts
def words(item, lang: str) -> str:
    return reason_line(item, Translator(lang), PEOPLE, show_zone("Europe/Madrid"), TODAY)


PEOPLE: dict = {}


@pytest.fixture(autouse=True)
def people(booth_db):
    from kiosk.store import load_salespeople

    PEOPLE.clear()
    PEOPLE.update(load_salespeople(booth_db))


def an_item(**fields) -> disputes.Item:
    base = dict(
        proposal_id="p:0", key="", kind="reassign", status="open", outcome=None,
        contact_id="C", contact_name="Pedro Alves", company="", current_id=A, proposed_id=B,
        split=None, reason="English record", created_at=NOW, deferred_until=None,
        returned=False, sides=(), preferred_id=None, standing=None,
    )  # fmt: skip
    return disputes.Item(**(base | fields))


LAPSE = {"days_since_activity": "365", "lapse_days": "90",
         "last_activity_at": "2025-11-24T10:00:00+00:00"}  # fmt: skip


@pytest.mark.parametrize(
    ("fields", "es", "zh"),
    [
        (dict(facts=LAPSE),
         "Luis Gómez lleva 365 días sin venta ni contacto (último: 24 nov 2025; límite: 90): "
         "se propone a Marta Díaz.",
         "Luis Gómez 已 365 天无成交、无联系（最近一次：2025年11月24日，上限 90 天）：建议改由 Marta Díaz 负责。"),
        (dict(facts=LAPSE, proposed_id=None),
         "nadie más cubre este territorio: elige usted.", "该区域没有其他人负责：由您指定。"),
        (dict(facts={"precedence": "first_contact", "first_contact_by": B,
                     "first_contact_at": "2023-10-19T09:00:00+00:00",
                     "filed_at": "2024-05-20T09:00:00+00:00"}),
         "prevalece el primer contacto: se propone a Marta Díaz.",
         "本展以首次联系为准：建议改由 Marta Díaz 负责。"),
        (dict(kind="preference"), "Pedro Alves pidió tratar con Marta Díaz.",
         "Pedro Alves 要求由 Marta Díaz 接待。"),
        (dict(current_id="gone", facts={"owner_id": "gone"}),
         "El titular del CRM «gone» ya no es vendedor: Marta Díaz cubre el territorio.",
         "CRM 中的负责人“gone”已不是在职销售：该区域由 Marta Díaz 负责。"),
        (dict(current_id=None), "El cliente no tiene titular en el CRM",
         "该客户在 CRM 中没有负责人"),
        (dict(current_id=None, facts={"brought_by": B}),
         "Nadie cubre a Pedro Alves; lo trajo Marta Díaz.", "没有人负责 Pedro Alves；是 Marta Díaz 带来的。"),
        (dict(facts={"arrangement_id": "x", "review_at": "2027-02-22", "decided_by": "wei",
                     "last_deal_at": ""}),
         "Revisión de la decisión de Zhang Wei (prevista el 22 feb 2027): todavía sin venta",
         "复核 Zhang Wei 的决定（到期日 2027年2月22日）：至今没有成交"),
        (dict(kind="dispute", facts={"same_as_id": "C9", "same_as_name": "Pedro Alves",
                                     "same_as_company": "Luz SA", "same_as_owner": B}),
         "Mismo nombre y empresa que Pedro Alves (Luz SA), cliente de Marta Díaz, pero "
         "registrado como otro visitante para Luis Gómez.",
         "与 Marta Díaz 的客户 Pedro Alves (Luz SA) 姓名和公司都相同，但已作为另一位访客登记给 Luis Gómez。"),
    ],
)  # fmt: skip
def test_each_kind_of_item_is_worded_from_its_facts(fields, es, zh):
    item = an_item(**fields)
    assert es in words(item, "es")
    assert zh in words(item, "zh")


def test_an_item_with_too_few_facts_keeps_its_record():
    """A dispute raised before its claim's time was kept: the English record, not a guess."""
    assert words(an_item(kind="dispute"), "es") == "English record"


def test_a_decision_taken_twice_is_worded_from_its_facts(db_path, tmp_path):
    """Two kiosks' managers decided one item apart; the merge raises the second decision
    again, and its facts (both holdings, who, where, when, the note) are kept beside the
    English record, so the workbench says it in Spanish with local times."""
    import shutil

    from kiosk.db import open_db, set_meta
    from kiosk.sync.merge import merge_databases

    first = open_db(db_path, create=False)
    set_meta(first, "show_id", "test-show")
    scen = add_scenario(first)
    first.execute("PRAGMA wal_checkpoint(FULL)")  # the people fixture holds it open too
    first.conn.close()
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    shutil.copy(db_path, a)
    shutil.copy(db_path, b)
    for path, kiosk_id, choice, at, note in (
        (a, "kiosk-a", disputes.Choice(owner_id=B), NOW + timedelta(hours=1), "Marta did it"),
        (b, "kiosk-b", disputes.Choice(A, B, 0.3), NOW + timedelta(hours=2), "Both worked him"),
    ):
        kiosk = open_db(path, create=False)
        config = replace(CONFIG, kiosk_id=kiosk_id)
        disputes.decide(kiosk, config, scen["reassign"], choice, actor="wei", now=at, note=note)
        kiosk.conn.close()
    merge_databases(a, [b], now=NOW + timedelta(hours=3), backup=False)
    kiosk = open_db(a, create=False)
    [again] = [i for i in disputes.queue(kiosk, today=TODAY) if "again:" in i.key]
    kiosk.conn.close()
    assert words(again, "es") == (
        "Decidido dos veces: Zhang Wei, hoy 12:00: Marta Díaz es titular — esta es la que vale;"
        " Zhang Wei en kiosk-b, hoy 13:00: Luis Gómez es titular, Marta Díaz asiste con 30%"
        " («Both worked him»). Decida de nuevo si debe cambiar."
    )
