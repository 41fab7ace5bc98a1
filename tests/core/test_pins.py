"""PINs (kiosk.pins), the key file (kiosk.keyfile) and moving old keys out of the database."""

from __future__ import annotations

import json
import os
import stat

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk import keyfile, pins
from kiosk.db import get_meta, open_db, set_meta
from kiosk.keyfile import SECRET_NAME
from kiosk.show import show_config, store_show
from kiosk.tokens import show_secret
from tests.conftest import PRODUCT_SCRYPT_N
from tests.factory import CONFIG, NOW, SHOW, before_migration


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_pins_are_salted_hashes_never_text(db):
    pins.set_pin(db, "ana", "480613", now=NOW)
    pins.set_pin(db, "ben", "480613", now=NOW)
    rows = dict(db.execute("SELECT person_id, hash FROM pins").fetchall())
    assert rows["ana"].startswith("scrypt$") and "480613" not in rows["ana"]
    assert rows["ana"] != rows["ben"]  # salted: the same PIN hashes differently
    assert pins.matches("480613", rows["ana"]) and not pins.matches("480614", rows["ana"])
    assert not pins.matches("480613", "scrypt$garbage")


def test_the_product_hashes_at_scrypt_cost_2_to_the_14(db, monkeypatch):
    """The suite hashes cheaply (tests/conftest.py); the product's own cost is this one."""
    assert PRODUCT_SCRYPT_N == 2**14
    monkeypatch.setattr(pins, "_N", PRODUCT_SCRYPT_N)
    pins.set_pin(db, "ana", "480613", now=NOW)
    [stored] = db.execute("SELECT hash FROM pins WHERE person_id = 'ana'").fetchone()
    assert stored.startswith("scrypt$16384$8$1$")
    assert pins.matches("480613", stored) and not pins.matches("480614", stored)


def test_weak_pins_are_refused_unless_allowed(db):
    for weak in ("0000", "1234", "9876", "2468", "7777"):
        assert pins.is_weak(weak)
        with pytest.raises(pins.PinError, match="too easy"):
            pins.set_pin(db, "ana", weak, now=NOW)
    for bad in ("12", "12a4", "1234567890123", ""):
        with pytest.raises(pins.PinError, match="4 to 12 digits"):
            pins.set_pin(db, "ana", bad, now=NOW)
    assert not pins.is_weak("480613")


@given(st.text(alphabet="0123456789", min_size=4, max_size=12))
def test_normalize_takes_every_pin_of_digits(pin):
    assert pins.normalize(f" {pin}\n") == pin


def test_ten_wrong_pins_fast_then_the_right_one_is_refused(db):
    """The hole: 10 wrong manager PINs in 1.5 s, then the right one worked."""
    guard = pins.PinGuard(db)
    results = [guard.attempt(pins.MANAGER, "9999", at=i * 0.15) for i in range(10)]
    assert [r.ok for r in results] == [False] * 10
    assert sum(not r.refused_early for r in results) <= 4  # the back-off: most not even checked
    assert not guard.attempt(pins.MANAGER, "1234", at=1.5).ok


def test_back_off_doubles_then_locks_out_and_survives_a_restart(db):
    guard, at = pins.PinGuard(db), 0.0
    waits = []
    for _ in range(pins.LOCK_AFTER):
        attempt = guard.attempt("ana", "1111", at=at)
        assert not attempt.refused_early
        waits.append(attempt.wait)
        last, at = at, at + attempt.wait + 0.01
    assert waits[:4] == [0, 0, 1, 2] and waits[-1] == pins.LOCK_SECONDS
    assert pins.failures(db, "ana") == pins.LOCK_AFTER
    locked = guard.attempt("ana", "4826", at=last + 60)  # the right PIN, while locked
    assert not locked.ok and locked.locked
    restarted = pins.PinGuard(db)  # the app restarted: still locked, for the full time
    assert not restarted.attempt("ana", "4826", at=5.0).ok
    assert restarted.attempt("ana", "4826", at=5.0 + pins.LOCK_SECONDS).person == "ana"
    assert pins.failures(db, "ana") == 0


def test_a_manager_without_a_pin_of_their_own_has_the_shows(db):
    db.execute("DELETE FROM pins")
    pins.set_pin(db, pins.MANAGER_DEFAULT, "480613", now=NOW)
    assert pins.effective_pins(db, "wei")["wei"].hash == pins.own_pin(db, "*manager").hash
    assert pins.effective_pins(db, "ana") == {}  # staff never get the show's PIN
    pins.set_pin(db, "wei", "739104", now=NOW)
    guard = pins.PinGuard(db)
    assert not guard.attempt(pins.MANAGER, "480613", at=0).ok  # his own replaced it
    assert guard.attempt(pins.MANAGER, "739104", at=10).person == "wei"


def test_the_key_file_is_private_and_the_environment_overrides_it(tmp_path, monkeypatch):
    db_path = tmp_path / "k.db"
    path = keyfile.put(db_path, "hub.url", "https://hooks.example/T0K3N")
    assert path == tmp_path / "k.db.keys" and mode(path) == 0o600
    assert keyfile.get(db_path, "hub.url") == "https://hooks.example/T0K3N"
    assert keyfile.names(db_path) == ["hub.url"]
    monkeypatch.setenv("KIOSK_HUB_URL", "https://other.example/x")
    assert keyfile.get(db_path, "hub.url") == "https://other.example/x"
    assert keyfile.remove(db_path, "hub.url") and keyfile.names(db_path) == []
    os.chmod(path, 0o644)
    with pytest.raises(keyfile.KeyFileError, match="chmod 600"):
        keyfile.get(db_path, "anything", env={})
    os.chmod(path, 0o600)
    path.write_text("[1, 2]")
    with pytest.raises(keyfile.KeyFileError, match="damaged"):
        keyfile.names(db_path)


def test_a_new_database_is_private(tmp_path):
    path = tmp_path / "new.db"
    open_db(path).conn.close()
    assert mode(path) == 0o600


def test_storing_a_show_keeps_its_keys_out_of_the_database(db, db_path, tmp_path):
    show = tmp_path / "show.toml"
    show.write_text(SHOW.replace('id = "kiosk-a"', 'id = "kiosk-a"\nmanager_pin = "739104"'))
    store_show(db, show, now=NOW)
    stored = get_meta(db, "show_toml")
    assert "739104" not in stored and "test-secret" not in stored
    assert json.loads((tmp_path / "kiosk.db.keys").read_text()) == {SECRET_NAME: "test-secret"}
    assert show_secret(db, show_config(db)) == "test-secret"
    assert pins.PinGuard(db).attempt("wei", "739104", at=0).ok is False  # wei has his own
    assert pins.matches("739104", pins.own_pin(db, pins.MANAGER_DEFAULT).hash)
    tables = [t for t in db.table_names() if not t.startswith("contacts_fts")]
    dump = "\n".join(repr(list(db.execute(f"SELECT * FROM [{t}]"))) for t in tables)
    assert "739104" not in dump and "test-secret" not in dump


def test_m009_moves_an_older_kiosks_keys_out(db_path, tmp_path):
    db = open_db(db_path, create=False)
    set_meta(
        db, "show_toml", SHOW.replace('id = "kiosk-a"', 'id = "kiosk-a"\nmanager_pin = "0000"')
    )
    set_meta(db, "invite_secret", "old-generated")
    before_migration(db, "m009_pins_and_keys_out")
    db.conn.close()
    db = open_db(db_path, create=False)  # an older kiosk's file, migrated
    assert "0000" not in get_meta(db, "show_toml") and get_meta(db, "invite_secret") is None
    assert keyfile.get(db_path, SECRET_NAME, env={}) == "test-secret"  # the show file's wins
    assert pins.own_pin(db, pins.MANAGER_DEFAULT).weak  # kept, but only the demo may use it
    assert mode(tmp_path / "kiosk.db.keys") == 0o600


def test_a_generated_invitation_key_is_never_made_twice(db, db_path):
    config = CONFIG.__class__(**{**CONFIG.__dict__, "secret": ""})
    key = show_secret(db, config)
    assert (
        keyfile.get(db_path, SECRET_NAME, env={}) == key and get_meta(db, "invite_secret") is None
    )
    (db_path.parent / "kiosk.db.keys").unlink()  # a copy of the database without its keys
    with pytest.raises(keyfile.KeyFileError, match="copy kiosk.db.keys"):
        show_secret(db, config)


def test_unlocking_from_the_cli_lets_a_running_kiosk_try_again_at_once(db):
    """Found in tmux: `kiosk pin unlock` cleared the count, the running app kept the wait."""
    guard = pins.PinGuard(db)
    for i in range(5):
        guard.attempt("ana", "1111", at=i * 100.0)
    assert guard.attempt("ana", "4826", at=401.0).refused_early
    pins.unlock(db, "ana")  # another process: the CLI
    assert guard.attempt("ana", "4826", at=401.5).person == "ana"
