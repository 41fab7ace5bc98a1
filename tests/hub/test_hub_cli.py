"""`kiosk hub init|publish|status`, `kiosk join`, `kiosk sync` against a real PostgreSQL."""

from __future__ import annotations

import psycopg
import pytest

from kiosk import booth
from kiosk.config import parse_config
from kiosk.db import get_meta, open_db, set_meta
from kiosk.hub.connection import public_url
from kiosk.show import is_demo, show_config
from tests.cli.common import run
from tests.factory import CONFIG, NOW
from tests.hub.conftest import kiosk_file

pytestmark = pytest.mark.pg

TABLES = ("contacts", "contact_badges", "contact_keys", "contact_aliases", "checkins", "leads",
          "proposals", "salespeople", "territories")  # fmt: skip


def rows(path, table):
    db = open_db(path, create=False)
    try:
        return sorted(db.execute(f"SELECT * FROM {table}").fetchall(), key=repr)
    finally:
        db.conn.close()


def contact(path, crm_id):
    db = open_db(path, create=False)
    try:
        return db.execute("SELECT id FROM contacts WHERE crm_id = ?", [crm_id]).fetchone()[0]
    finally:
        db.conn.close()


def checkin(path, kiosk_id, crm_id, minutes=0):
    from dataclasses import replace
    from datetime import timedelta

    db = open_db(path, create=False)
    try:
        cid = db.execute("SELECT id FROM contacts WHERE crm_id = ?", [crm_id]).fetchone()[0]
        cfg = replace(CONFIG, kiosk_id=kiosk_id)
        return booth.check_in(db, cfg, cid, now=NOW + timedelta(minutes=minutes)).event.uuid
    finally:
        db.conn.close()


def test_init_publish_join_sync_round_trip(hub_url, template_db, tmp_path):
    a = kiosk_file(template_db, tmp_path, "kiosk-a")
    result = run("hub", "init", hub_url)
    assert result.exit_code == 0, result.output
    assert result.output == f"Hub ready at {hub_url} (schema 1).\n"  # init runs again safely
    # a CRM cell held two addresses: the second travels with the baseline
    db = open_db(a, create=False)
    db.execute("INSERT INTO contact_keys(key, contact_id) VALUES ('c1.home@x.example', ?)",
               [contact(a, "C1")])  # fmt: skip
    db.conn.close()

    result = run("hub", "publish", "--hub", hub_url, db=a)
    assert result.exit_code == 0, result.output
    assert "Published show 'test-show'" in result.output
    assert (
        "7 salespeople, 6 territories, 3 contacts, 3 contact badges,"
        " 1 further addresses and numbers, " in result.output
    )

    first = checkin(a, "kiosk-a", "C1")
    assert run("sync", "--hub", hub_url, db=a).output.endswith("pushed 1, pulled 1 (0 new).\n")

    b = tmp_path / "laptop-b.db"
    result = run("join", hub_url, "--db", b, "--kiosk-id", "kiosk-b")
    assert result.exit_code == 0, result.output
    assert f"Joined show 'test-show' from {hub_url} as kiosk-b" in result.output
    assert "1 events." in result.output
    db = open_db(b, create=False)
    config = show_config(db)
    assert (config.kiosk_id, config.show_id, config.hub_url) == ("kiosk-b", "test-show", hub_url)
    assert rows(a, "pins") == rows(b, "pins") != []  # staff log in with the PINs they have
    assert get_meta(db, "show_id") == "test-show"
    assert not is_demo(db)  # a real show's laptop is held to real PINs
    db.conn.close()

    # B's scan reaches A through the hub; B's own pulled event is not pushed back
    second = checkin(b, "kiosk-b", "C2", minutes=1)
    result = run("sync", db=b)  # the hub from the show file join wrote
    assert result.exit_code == 0, result.output
    assert result.output.endswith("pushed 1, pulled 1 (0 new).\n")
    assert run("sync", "--hub", hub_url, db=a).output.endswith("pushed 0, pulled 1 (1 new).\n")
    assert {r[0] for r in rows(a, "checkins")} == {first, second}
    for table in TABLES:
        assert rows(a, table) == rows(b, table), table

    result = run("hub", "status", "--hub", hub_url, db=a)
    assert result.exit_code == 0, result.output
    assert "show 'test-show': 2 events" in result.output
    assert "kiosk-b: pulled up to" in result.output


def test_sync_says_one_line_and_exits_2_when_the_hub_is_unreachable(pg, template_db, tmp_path):
    a = kiosk_file(template_db, tmp_path, "kiosk-a")
    checkin(a, "kiosk-a", "C1")
    dead = f"postgresql://postgres@127.0.0.1:{pg.port + 1 if pg.port < 65535 else 1}/x"
    result = run("sync", "--hub", dead, db=a)
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: cannot reach the hub at {dead}: ")
    assert result.output.count("\n") == 1
    # the scan is still there, waiting to be pushed
    assert len(rows(a, "checkins")) == 1


def test_a_database_that_is_not_a_hub_is_named(pg, template_db, tmp_path):
    url = pg.create_database("not_a_hub")
    a = kiosk_file(template_db, tmp_path, "kiosk-a")
    result = run("sync", "--hub", url, db=a)
    assert result.exit_code == 2
    assert "is not a kiosk hub yet: create it with 'kiosk hub init URL'" in result.output


def test_hub_url_comes_from_flag_then_env_then_show_file(
    hub_url, template_db, tmp_path, monkeypatch
):
    a = kiosk_file(template_db, tmp_path, "kiosk-a")
    db = open_db(a, create=False)
    from kiosk.db import set_meta

    set_meta(db, "show_toml", get_meta(db, "show_toml") + f'\n[hub]\nurl = "{hub_url}"\n')
    db.conn.close()
    assert run("sync", db=a).exit_code == 0  # the show file's
    monkeypatch.setenv("KIOSK_HUB", "postgresql://postgres@127.0.0.1:1/nowhere")
    assert run("sync", db=a).exit_code == 2  # the environment wins over the show file
    assert run("sync", "--hub", hub_url, db=a).exit_code == 0  # and the flag over both


def test_several_shows_share_a_hub_and_each_sees_its_own(hub_url, template_db, tmp_path):
    a = kiosk_file(template_db, tmp_path, "kiosk-a")
    other = kiosk_file(template_db, tmp_path, "kiosk-x")
    db = open_db(other, create=False)
    from kiosk.db import set_meta

    set_meta(db, "show_id", "other-show")
    set_meta(db, "show_toml", get_meta(db, "show_toml").replace("test-show", "other-show"))
    db.conn.close()
    checkin(a, "kiosk-a", "C1")
    checkin(other, "kiosk-x", "C2")
    for path in (a, other, a, other):
        assert run("sync", "--hub", hub_url, db=path).exit_code == 0
    assert len(rows(a, "checkins")) == 1
    assert len(rows(other, "checkins")) == 1
    for path in (a, other):
        assert run("hub", "publish", "--hub", hub_url, db=path).exit_code == 0
    result = run("join", hub_url, "--db", tmp_path / "c.db")
    assert result.exit_code == 2
    assert "several shows (other-show, test-show): choose one with --show" in result.output
    result = run("join", hub_url, "--db", tmp_path / "c.db", "--show", "other-show")
    assert result.exit_code == 0, result.output
    assert len(rows(tmp_path / "c.db", "checkins")) == 1


def test_credentials_come_from_pgpass_and_are_never_stored(hub_url, template_db, tmp_path, pg):
    """The URL carries no password: libpq reads it from PGPASSFILE. A password given in
    the URL works for that run but is never written into the joined kiosk's show file."""
    password = pg.pgpass.read_text().strip().rsplit(":", 1)[1]
    with_password = hub_url.replace("postgres@", f"postgres:{password}@")
    assert public_url(with_password) == hub_url
    a = kiosk_file(template_db, tmp_path, "kiosk-a")
    assert run("hub", "publish", "--hub", hub_url, db=a).exit_code == 0
    result = run("join", with_password, "--db", tmp_path / "b.db", "--kiosk-id", "kiosk-b")
    assert result.exit_code == 0, result.output
    assert password not in result.output
    raw = (tmp_path / "b.db").read_bytes()
    assert password.encode() not in raw
    db = open_db(tmp_path / "b.db", create=False)
    assert show_config(db).hub_url == hub_url
    db.conn.close()
    # without the password file, the hub refuses: the password really is needed
    import os

    os.environ["PGPASSFILE"] = str(tmp_path / "none")
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(hub_url, connect_timeout=3).close()


def test_a_show_file_may_not_hold_the_hubs_password():
    import tomllib

    from kiosk.config import ConfigError

    text = '[hub]\nurl = "postgresql://kiosk:s3cret@hub.example/booth"\n'
    with pytest.raises(ConfigError, match="must not hold a password"):
        parse_config(tomllib.loads(text))
    assert parse_config(tomllib.loads(text.replace(":s3cret", ""))).hub_url == (
        "postgresql://kiosk@hub.example/booth"
    )


def test_a_laptop_joined_to_the_demo_opens_as_the_demo(hub_url, template_db, tmp_path):
    """Found trying docs/hub.md in tmux: the joined laptop refused to open ("a default PIN
    that anyone could guess") while the demo kiosk it joined opened. A show signed with the
    demo's published key is the demo (a real show is refused that key); any other is not."""
    from kiosk.setup import check_ready

    demo = tmp_path / "reception.db"
    assert run("init", "--demo", db=demo).exit_code == 0
    assert run("hub", "publish", "--hub", hub_url, db=demo).exit_code == 0
    laptop = tmp_path / "laptop-2.db"
    result = run("join", hub_url, "--db", laptop, "--kiosk-id", "laptop-2")
    assert result.exit_code == 0, result.output
    db = open_db(laptop, create=False)
    assert is_demo(db)
    check_ready(db, show_config(db))  # the booth screen opens
    # it checks the demo's invitations with the demo's published key, as the kiosk it joined
    from kiosk.show import demo_secret
    from kiosk.tokens import show_secret

    assert show_secret(db, show_config(db)) == demo_secret()
    db.conn.close()


def test_a_joined_kiosk_says_what_it_needs_to_check_invitations(hub_url, template_db, tmp_path):
    """Found trying the hub as a booth team: the joined laptop made up its own invitation key
    on the first scan and called the company's genuine invitations forged, routing the
    invited customer to the default owner. The key stays off the hub; the laptop says what
    to copy, and with the key file copied the invitation is honoured."""
    import shutil

    from kiosk import keyfile
    from kiosk.tokens import make_token, show_secret

    a = kiosk_file(template_db, tmp_path, "kiosk-a")
    db = open_db(a, create=False)
    # a real show's file has no key in it (`kiosk init` moves it out): A makes its own
    toml = get_meta(db, "show_toml")
    set_meta(db, "show_toml", "\n".join(line for line in toml.splitlines() if "secret" not in line))
    secret = show_secret(db, show_config(db))  # A signs invitations: its key file is made
    token = make_token(secret=secret, show_id="test-show", contact_id=contact(a, "C1"),
                       salesperson_id="kenji", issued_at=NOW)  # fmt: skip
    db.conn.close()
    assert run("hub", "publish", "--hub", hub_url, db=a).exit_code == 0
    b = tmp_path / "laptop-b.db"
    result = run("join", hub_url, "--db", b, "--kiosk-id", "kiosk-b")
    assert result.exit_code == 0, result.output
    assert "Invitations: to check invitations here, copy kiosk-a.db.keys from the kiosk" in (
        result.output
    )
    looked = run("lookup", token, db=b)
    assert looked.exit_code == 0 and "forged" not in looked.output
    said = " ".join(looked.output.split())
    assert "Invitation not checked: this kiosk cannot check invitations yet: the invitation" in said
    assert "is missing: copy kiosk-a.db.keys" in said
    scanned = run("checkin", token, db=b)  # the card and `checkin` say it as a refusal
    assert scanned.exit_code == 2 and "cannot check invitations yet" in scanned.output
    assert secret not in result.output + looked.output
    shutil.copy(keyfile.key_file(a), keyfile.key_file(b))
    looked = run("lookup", token, db=b)
    assert looked.exit_code == 0 and "Yuki Tanaka" in looked.output, looked.output
