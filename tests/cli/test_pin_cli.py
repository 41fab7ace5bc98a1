"""`kiosk pin`, `kiosk keys`, the booth screen's refusal of known keys, and 0600 files."""

from __future__ import annotations

import os
import stat
from datetime import timedelta

from kiosk import keyfile, pins
from kiosk.db import open_db
from kiosk.keyfile import SECRET_NAME
from kiosk.show import demo_secret
from tests.cli.common import run
from tests.cli.test_sync_cli import CARLA, kiosk_copy
from tests.factory import NOW


def invoke(*args, db, stdin: str):
    from click.testing import CliRunner

    from kiosk.cli import main

    return CliRunner().invoke(main, ["--db", str(db), *args], input=stdin)


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_pin_set_from_a_prompt_or_stdin_and_unlock(dbpath):
    result = invoke("pin", "set", "ana", db=dbpath, stdin="480613\n480613\n")
    assert result.exit_code == 0 and "PIN set for Ana Ruiz (ana)" in result.output
    result = invoke("pin", "set", "Ben Carter", "--pin-stdin", db=dbpath, stdin="739104\n")
    assert result.exit_code == 0, result.output
    db = open_db(dbpath, create=False)
    guard = pins.PinGuard(db)
    assert guard.attempt("ana", "480613", at=0).ok and guard.attempt("ben", "739104", at=0).ok
    for _ in range(3):
        guard.attempt("ben", "000000", at=0)
    assert run("pin", "unlock", "ben", db=dbpath).output == "Ben Carter may log in again\n"
    assert pins.failures(db, "ben") == 0
    listed = run("pin", "list", db=dbpath).output
    assert (
        "kenji\tKenji Sato\tsales\tno PIN" in listed
        and "wei\tZhang Wei\tmanager\tweak PIN" in listed
    )
    assert "rita" not in listed  # reception needs no PIN …
    assert invoke("pin", "set", "rita", "--pin-stdin", db=dbpath, stdin="580247\n").exit_code == 0
    listed = run("pin", "list", db=dbpath).output  # … but one who was given one is listed
    assert "rita\tRita Lopes\treception\tPIN set" in listed


def test_pin_set_refuses_a_guessable_or_malformed_pin_outside_the_demo(dbpath):
    result = invoke("pin", "set", "ana", "--pin-stdin", db=dbpath, stdin="1234\n")
    assert result.exit_code == 2 and "too easy to guess" in result.output
    result = invoke("pin", "set", "ana", "--pin-stdin", db=dbpath, stdin="12ab\n")
    assert result.exit_code == 2 and "4 to 12 digits" in result.output
    assert run("pin", "set", "nobody", "--pin-stdin", db=dbpath).exit_code == 2
    result = run("pin", "set", "", "--pin-stdin", db=dbpath)
    assert (result.exit_code, result.output) == (
        2,
        "Error: say which salesperson (an id, e-mail or name)\n",
    )


def test_the_booth_screen_refuses_to_start_with_a_known_pin_or_the_demo_key(dbpath):
    """The hole: a show file without manager_pin silently used 0000."""
    db = open_db(dbpath, create=False)
    db.execute("DELETE FROM pins")
    result = run(db=dbpath)  # `kiosk`: the TUI
    assert result.exit_code == 2
    assert "Zhang Wei (manager) has no PIN: set one with 'kiosk pin set wei'" in result.output
    pins.set_pin(db, pins.MANAGER_DEFAULT, "0000", now=NOW, allow_weak=True)  # an old show file
    result = run(db=dbpath)
    assert result.exit_code == 2 and "default PIN" in result.output
    assert invoke("pin", "set", "wei", "--pin-stdin", db=dbpath, stdin="739104\n").exit_code == 0
    keyfile.put(dbpath, SECRET_NAME, demo_secret())
    result = run(db=dbpath)
    assert result.exit_code == 2 and "'kiosk keys new-invite-key'" in result.output
    assert (
        run("invite", "--salesperson", "ben", "-o", dbpath.parent / "inv", db=dbpath).exit_code == 2
    )
    result = run("keys", "new-invite-key", "--yes", db=dbpath)
    assert result.exit_code == 0 and keyfile.get(dbpath, SECRET_NAME) != demo_secret()
    assert run("keys", "list", db=dbpath).output == f"{dbpath}.keys\n  invite_secret\n"


def test_the_demo_keeps_its_published_pins(tmp_path):
    path = tmp_path / "demo.db"
    assert run("init", "--demo", db=path).exit_code == 0
    db = open_db(path, create=False)
    from kiosk.pins import DEMO_STAFF_PIN
    from kiosk.setup import check_ready
    from kiosk.show import show_config

    check_ready(db, show_config(db))  # the demo may: its PINs and key are published
    zhou = db.execute("SELECT id FROM salespeople WHERE role = 'manager'").fetchone()[0]
    guard = pins.PinGuard(db)
    assert guard.attempt(pins.MANAGER, "2468", at=0).person == zhou
    sales = db.execute("SELECT id FROM salespeople WHERE role = 'sales' LIMIT 1").fetchone()[0]
    assert guard.attempt(sales, DEMO_STAFF_PIN, at=0).person == sales
    assert mode(path) == 0o600 and mode(f"{path}.keys") == 0o600


def test_databases_backups_and_exports_are_private(dbpath, tmp_path):
    fresh = tmp_path / "fresh.db"
    assert run("init", db=fresh).exit_code == 0
    assert mode(fresh) == 0o600
    a = kiosk_copy(dbpath, "kiosk-a.db", "kiosk-a", CARLA, NOW)
    b = kiosk_copy(dbpath, "kiosk-b.db", "kiosk-b", CARLA, NOW - timedelta(minutes=5))
    assert run("merge", a, b, db=dbpath).exit_code == 0
    [backup] = tmp_path.glob("kiosk.db.bak-*")
    assert mode(backup) == 0o600
    leads = tmp_path / "leads.csv"
    assert run("export", "leads", "-o", leads, db=dbpath).exit_code == 0
    assert mode(leads) == 0o600
    assert run("report", "-o", tmp_path / "r.csv", "--format", "csv", db=dbpath).exit_code == 0
    assert mode(tmp_path / "r.csv") == 0o600
