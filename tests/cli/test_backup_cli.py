"""`kiosk backup DEST`: a whole copy of a running kiosk's database for the USB stick.

A tester following the setup guide copied `kiosk.db` 0.3 s after a scan and the copy lacked
it: the scan was still in the `-wal` file beside it."""

from __future__ import annotations

import shutil
import sqlite3
import stat

from kiosk.keyfile import key_file
from tests.cli.common import run


def _count(path, sql="SELECT count(*) FROM checkins"):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


def test_the_copy_has_the_scan_a_file_copy_lacks(dbpath, tmp_path):
    kiosk = sqlite3.connect(dbpath, isolation_level=None)  # the booth screen, still running
    kiosk.execute("PRAGMA journal_mode = wal")
    kiosk.execute("PRAGMA wal_autocheckpoint = 0")  # as the kiosk's connections are
    assert run("checkin", "B-100", db=dbpath).exit_code == 0
    usb = tmp_path / "usb"
    usb.mkdir()
    shutil.copy(dbpath, usb / "plain.db")  # what the tester did
    assert _count(usb / "plain.db") == 0  # the scan waits in the -wal file

    result = run("backup", str(usb / "kiosk-2.db"), db=dbpath)

    assert result.exit_code == 0, result.output
    assert "events; readable by you only" in result.output
    assert _count(usb / "kiosk-2.db") == 1
    assert stat.S_IMODE((usb / "kiosk-2.db").stat().st_mode) == 0o600
    assert not (usb / "kiosk-2.db.part").exists()
    # again later in the day: replaced whole, a stale -wal beside it removed first
    (usb / "kiosk-2.db-wal").write_bytes(b"stale")
    assert run("checkin", "B-200", db=dbpath).exit_code == 0
    assert run("backup", str(usb / "kiosk-2.db"), db=dbpath).exit_code == 0
    assert _count(usb / "kiosk-2.db") == 2
    kiosk.close()


def test_keys_come_along_only_when_asked_and_mistakes_are_refused(dbpath, tmp_path):
    keys = key_file(dbpath)
    keys.write_text('{"invite": "k"}', encoding="utf-8")
    keys.chmod(0o600)
    assert run("backup", str(tmp_path / "a.db"), db=dbpath).exit_code == 0
    assert not key_file(tmp_path / "a.db").exists()  # a merge needs none
    result = run("backup", str(tmp_path / "b.db"), "--keys", db=dbpath)
    assert result.exit_code == 0 and "Copied the key file" in result.output
    assert key_file(tmp_path / "b.db").read_text(encoding="utf-8") == '{"invite": "k"}'
    assert stat.S_IMODE(key_file(tmp_path / "b.db").stat().st_mode) == 0o600
    # a copy for the merge is this laptop's data; one for a second laptop is another install
    install = "SELECT value FROM meta WHERE key = 'install_id'"
    assert _count(tmp_path / "a.db", install) == _count(dbpath, install)
    assert _count(tmp_path / "b.db", install) != _count(dbpath, install)
    result = run("backup", str(dbpath), db=dbpath)
    assert result.exit_code != 0 and "this kiosk's own database" in result.output
    result = run("backup", str(tmp_path / "nowhere" / "c.db"), db=dbpath)
    assert result.exit_code != 0 and "is not a folder (is the USB stick mounted?)" in result.output


def test_init_makes_a_copied_database_readable_by_its_owner_only(dbpath, tmp_path):
    """A kiosk copied with `sqlite3 .backup` or a file manager has the copier's mode (0644:
    every account on the laptop reads the customers), and `kiosk init` on it kept it."""
    copied = tmp_path / "kiosk-2.db"
    shutil.copy(dbpath, copied)
    copied.chmod(0o644)
    assert run("init", db=copied).exit_code == 0
    assert stat.S_IMODE(copied.stat().st_mode) == 0o600


def test_another_laptops_copy_or_a_stray_file_is_not_replaced_without_force(dbpath, tmp_path):
    """Found on a shared stick: kiosk-3's backup to usb/kiosk-2.db replaced kiosk-2's copy,
    with a lead only kiosk-2 had, without a word; a text file was replaced too."""
    other = tmp_path / "other.db"
    shutil.copy(dbpath, other)
    conn = sqlite3.connect(other)
    conn.execute("UPDATE meta SET value = 'another-laptop' WHERE key = 'install_id'")
    conn.commit()
    conn.close()
    usb = tmp_path / "usb"
    usb.mkdir()
    assert run("backup", str(usb / "kiosk-2.db"), db=other).exit_code == 0
    result = run("backup", str(usb / "kiosk-2.db"), db=dbpath)
    assert result.exit_code == 2
    assert "is another laptop's kiosk database" in result.output and "--force" in result.output
    assert _count(usb / "kiosk-2.db", "SELECT value FROM meta WHERE key = 'install_id'") == (
        "another-laptop"
    )  # untouched
    assert run("backup", str(usb / "kiosk-2.db"), "--force", db=dbpath).exit_code == 0
    (usb / "notes.txt").write_text("hello", encoding="utf-8")
    result = run("backup", str(usb / "notes.txt"), db=dbpath)
    assert result.exit_code == 2 and "is not a database" in result.output
    assert (usb / "notes.txt").read_text(encoding="utf-8") == "hello"
    # a folder: the copy is named after the kiosk, not the file every laptop calls kiosk.db
    result = run("backup", str(usb), db=dbpath)
    assert result.exit_code == 0 and (usb / "kiosk-a.db").exists(), result.output  # its id
    assert "to " + str(usb / "kiosk-a.db") in result.output


def test_init_kiosk_id_refuses_what_would_not_rename_the_kiosk(dbpath, tmp_path):
    """`init --kiosk-id kiosk-9` with --config said the kiosk was renamed, and the laptop
    went on as the show file's kiosk-1; an empty id was taken silently."""
    from tests.factory import SHOW

    show = tmp_path / "show.toml"
    show.write_text(SHOW, encoding="utf-8")
    result = run("--config", str(show), "init", "--kiosk-id", "kiosk-9", db=dbpath)
    assert result.exit_code == 2 and "change [kiosk] id in that file" in result.output
    result = run("init", "--kiosk-id", "", db=dbpath)
    assert result.exit_code == 2 and "--kiosk-id needs an id" in result.output


def test_a_full_stick_says_so_and_leaves_nothing_behind(tmp_path):
    """On a full 1 MB stick the copy failed with "cannot write the database: database or
    disk is full" (which database?) and left kiosk-2.db.part-journal behind."""
    import pytest

    from kiosk.db import DatabaseError, copy_database

    out = tmp_path / "kiosk-2.db"

    class FullStick:
        def backup(self, target):
            target.execute("CREATE TABLE t(x)")  # SQLite writes its journal beside it
            (tmp_path / "kiosk-2.db.part-journal").write_bytes(b"journal")
            raise sqlite3.OperationalError("database or disk is full")

    with pytest.raises(DatabaseError, match=r"no room for the copy in .*nothing was replaced"):
        copy_database(FullStick(), out)
    assert sorted(p.name for p in tmp_path.iterdir()) == []
