"""One answer everywhere: `kiosk lookup --json`, `kiosk checkin --json` and the TUI agree.

Every badge kind in `data/demo/badges.txt`, unknown visitors, invitations (genuine and
forged), names (whole, and loose ones that are only candidates), countries and a repeated
scan go through the three paths, each on its own
copy of the demo database, in the same order. For each scan the paths must give the same
contact, the same salesperson to call and the same rule. `lookup` never writes, so it is
asked just before `checkin` records: it previews exactly what the check-in then does.
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from kiosk.cli import main
from kiosk.db import open_db
from kiosk.keyfile import key_file
from kiosk.setup import init_db
from kiosk.show import show_config
from kiosk.tokens import make_token, show_secret

ROOT = Path(__file__).resolve().parents[2]
# The demo's own anchor day, at lunchtime in Frankfurt: the demo moves nothing.
NOW = datetime(2026, 11, 24, 11, 30, tzinfo=UTC)
ENV = {"KIOSK_NOW": NOW.isoformat()}


def demo_badges() -> list[tuple[str, str]]:
    """(comment, payload) for every scan in data/demo/badges.txt."""
    text = (ROOT / "data" / "demo" / "badges.txt").read_text(encoding="utf-8")
    out: list[tuple[str, str]] = []
    comment = ""
    block: list[str] = []
    for line in [*text.splitlines(), ""]:
        if line.startswith("# "):
            if not block:
                comment = line[2:]
            continue
        if line.strip():
            block.append(line)
        elif block:
            out.append((comment, "\n".join(block)))
            block, comment = [], ""
    return out


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("parity") / "demo.db"
    db, _ = init_db(path, now=NOW, demo=True)
    db.conn.close()
    return path


def copy_of(template: Path, folder: Path, name: str) -> Path:
    dest = folder / f"{name}.db"
    shutil.copy(template, dest)
    shutil.copy(key_file(template), key_file(dest))  # a cloned kiosk takes its keys along
    return dest


def scans(template: Path) -> list[tuple[str, str]]:
    """The parity table: (what it is, payload)."""
    db = open_db(template, create=False)
    config = show_config(db, None)
    kenji_customer = db.execute(
        "SELECT contact_id FROM contact_badges WHERE badge_id = 'GLE26-0012345'"
    ).fetchone()[0]
    token = make_token(
        secret=show_secret(db, config), show_id=config.show_id, contact_id=kenji_customer,
        salesperson_id="kenji", issued_at=NOW,
    )  # fmt: skip
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    db.conn.close()
    table = demo_badges()
    table += [
        ("invitation, genuine", token),
        ("invitation, forged", forged),
        ("unknown registration id", "GLE26-0999999"),
        ("unknown e-mail", "someone.new@fresh-buyer.example"),
        ("country, in Spanish", "Japón"),
        ("country", "Germany"),
        ("a known e-mail typed", "minjun.kim@hanbit-lighting.co.kr"),
        # Typed names: only a whole name that is one contact's checks in; a loose match is
        # a candidate for a person to confirm (the demo's 'li na' checked in Ali Nasr)
        ("a name inside another", "li na"),
        ("a typo of a name", "maria garcia"),
        ("one word of a name", "liu yang"),
        ("a name inside an e-mail address", "wang wei"),
        ("a whole name", "Ali Nasr"),
        ("a whole name, family name first", "García Ruiz Marta"),
        ("a whole name, the two words the other way", "Zhang Candy"),
        ("a whole name's words in no order a name is written in", "Ruiz García Marta"),
        ("the first badge again: a repeat", table[0][1]),
    ]
    return table


# What the typed names in the table must be, whatever the three paths agree on: 'li na'
# once checked in Ali Nasr on all three alike.
NAMES = {
    "li na": "choose", "maria garcia": "choose", "liu yang": "choose", "wang wei": "choose",
    "Ruiz García Marta": "choose", "Ali Nasr": "known", "García Ruiz Marta": "known",
    "Zhang Candy": "known",
}  # fmt: skip


def cli(db: Path, *args: str) -> tuple[int, dict | None, str]:
    result = CliRunner().invoke(main, ["--db", str(db), *args], env=ENV, catch_exceptions=False)
    try:
        data = json.loads(result.output) if result.exit_code == 0 else None
    except json.JSONDecodeError:
        data = None
    return result.exit_code, data, result.output


def identity(contact: dict | None) -> tuple:
    """A contact as two databases can agree on it (walk-ins get a fresh id in each)."""
    if not contact:
        return ()
    return (contact.get("crm_id") or "", contact.get("name") or "", contact.get("email") or "")


def candidates(visit: dict) -> list[tuple]:
    """The contacts a person is asked to choose among, in order."""
    return [identity(c["contact"]) for c in visit["candidates"]]


def answer(visit: dict) -> tuple:
    owner = visit.get("owner") or {}
    return (visit["status"], identity(visit["contact"]), owner.get("id"), visit.get("rule"))


@pytest.mark.slow
async def test_lookup_checkin_and_the_tui_give_one_answer(template: Path, tmp_path: Path):
    from kiosk.ui.factory import build_app
    from kiosk.visits.shape import visit_dict

    table = scans(template)
    assert len(table) >= 25
    cli_db = copy_of(template, tmp_path, "cli")
    tui_path = copy_of(template, tmp_path, "tui")
    tui_db = open_db(tui_path, create=False)
    app = build_app(
        tui_db, show_config(tui_db, None), now=lambda: NOW, card_timeout=None, warm_up=False
    )
    seen: dict[str, int] = {}
    async with app.run_test(size=(160, 48)) as pilot:
        for what, payload in table:
            code, looked, out = cli(cli_db, "lookup", payload, "--json")
            assert code == 0, (what, out)
            preview = looked["visit"]
            assert preview["recorded"] is False  # lookup never writes
            code, checked, out = cli(cli_db, "checkin", payload, "--json")

            app.handle_scan(payload)
            await app.workers.wait_for_complete()  # the lookup runs on the scan thread
            await pilot.pause()
            shown = app.scan_screen().visit
            assert shown is not None, what
            tui = visit_dict(shown, app.services.people)

            status = preview["status"]
            seen[status] = seen.get(status, 0) + 1
            assert status == NAMES.get(payload, status), what
            # The TUI says what lookup previewed…
            assert answer(tui)[1:] == answer(preview)[1:], what
            assert candidates(tui) == candidates(preview), what
            if status in ("refused", "choose", "unreadable") or looked["kind"] == "country":
                # …and a check-in that cannot name one visitor records nothing.
                assert code == 2, (what, out)
                assert not tui["recorded"]
                continue
            # …and what checkin recorded.
            assert code == 0, (what, out)
            assert answer(checked["visit"])[1:] == answer(preview)[1:], what
            assert checked["visit"]["recorded"] == tui["recorded"], what
            assert checked["rule"] == preview["rule"] and identity(checked["contact"]) == (
                identity(preview["contact"])
            ), what
    # The table covers every kind of answer the card has.
    assert {"known", "new", "decision", "refused", "choose"} <= set(seen), seen
    # Both recording paths wrote the same arrivals.
    for path in (cli_db, tui_path):
        db = open_db(path, create=False)
        counts = db.execute("SELECT count(*), count(DISTINCT contact_id) FROM checkins").fetchone()
        seen[str(path.name)] = tuple(counts)
    assert seen["cli.db"] == seen["tui.db"]


def test_lookup_never_writes_and_checkin_records_once_per_window(template: Path, tmp_path: Path):
    db = copy_of(template, tmp_path, "once")
    before = open_db(db, create=False).execute("SELECT count(*) FROM events").fetchone()[0]
    assert cli(db, "lookup", "GLE26-0012345", "--json")[0] == 0
    assert open_db(db, create=False).execute("SELECT count(*) FROM events").fetchone()[0] == before
    code, first, _ = cli(db, "checkin", "GLE26-0012345", "--json")
    assert code == 0 and first["repeat"] is False
    code, again, out = cli(db, "checkin", "GLE26-0012345", "--json")
    assert code == 0 and again["repeat"] is True and again["checkin_id"] == first["checkin_id"]
    rows = open_db(db, create=False).execute("SELECT count(*) FROM checkins").fetchone()[0]
    assert rows == 1


async def test_a_lapsed_customer_on_the_owners_invitation_gets_one_answer(
    template: Path, tmp_path: Path
):
    """Ai Sato, Kenji's customer with no deal or contact for over a year, scans Kenji's
    invitation: lookup, checkin and the TUI all call Kenji as her owner with no lapse (the
    visit is his contact, `routing.owner.lapse`), and neither kiosk raises a lapse item.
    Before, all three said "Owner lapsed" and the check-in asked the manager."""
    from kiosk.ui.factory import build_app
    from kiosk.visits.shape import visit_dict

    db = open_db(template, create=False)
    config = show_config(db, None)
    ai = db.execute("SELECT id FROM contacts WHERE email = 'ai.sato@sankodenzai.co.jp'").fetchone()
    assert ai is not None
    token = make_token(
        secret=show_secret(db, config), show_id=config.show_id, contact_id=ai[0],
        salesperson_id="kenji", issued_at=NOW,
    )  # fmt: skip
    db.conn.close()
    cli_db = copy_of(template, tmp_path, "cli")
    code, plain, out = cli(cli_db, "lookup", "ai.sato@sankodenzai.co.jp", "--json")
    assert code == 0 and "lapsed" in plain["visit"]["flags"], out  # no visit yet: lapsed
    tui_path = copy_of(template, tmp_path, "tui")
    tui_db = open_db(tui_path, create=False)
    app = build_app(
        tui_db, show_config(tui_db, None), now=lambda: NOW, card_timeout=None, warm_up=False
    )
    async with app.run_test(size=(160, 48)) as pilot:
        code, looked, out = cli(cli_db, "lookup", token, "--json")
        assert code == 0, out
        code, checked, out = cli(cli_db, "checkin", token, "--json")
        assert code == 0, out
        app.handle_scan(token)
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = app.scan_screen().visit
        assert shown is not None and shown.recorded
        tui = visit_dict(shown, app.services.people)
    for said in (looked["visit"], checked["visit"], tui):
        assert said["owner"]["id"] == "kenji" and said["invited_by"] == "kenji"
        assert said["rule"] == "existing-owner"
        assert not {"lapsed", "needs-decision"} & set(said["flags"]), said["flags"]
    for path in (cli_db, tui_path):
        items = open_db(path, create=False).execute("SELECT count(*) FROM proposals").fetchone()
        assert items == (0,), path
