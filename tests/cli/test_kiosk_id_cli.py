"""Two laptops with one kiosk id (`kiosk.installs`): each database has an install id, a
merge that brings a second laptop's events under a kiosk id already written here (or by
another source) says so and merges them all the same, and `kiosk init --kiosk-id` gives a
laptop its own id."""

from __future__ import annotations

import json
import tomllib
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from kiosk import booth, installs
from kiosk.booth import LeadInput
from kiosk.db import get_meta, open_db, set_meta
from kiosk.show import show_config
from tests.cli.common import run
from tests.factory import CONFIG, NOW, before_migration

VISITOR = LeadInput(name="Twin Victim", email="tv@c.example", country="BR", rating="hot")


def laptop(src: Path, name: str, *, install: str) -> Path:
    """Another laptop set up from the same show file: a copy of `src` with its own install
    id (a copy keeps the install id of the file it was copied from)."""
    path = src.with_name(name)
    db = open_db(src)
    db.execute("VACUUM INTO ?", [str(path)])
    db.conn.close()
    db = open_db(path)
    set_meta(db, installs.INSTALL_KEY, install)
    db.conn.close()
    return path


def lead(path: Path, kiosk_id: str, *, minutes: int = 0, away: str = "") -> None:
    db = open_db(path)
    config = replace(CONFIG, kiosk_id=kiosk_id)
    if away:
        booth.set_away(db, config, away, True, now=NOW)
    booth.add_lead(db, config, VISITOR, now=NOW + timedelta(minutes=minutes))
    db.conn.close()


def test_each_database_has_its_own_install_id(tmp_path):
    a, b = open_db(tmp_path / "a.db"), open_db(tmp_path / "b.db")
    ids = installs.install_id(a), installs.install_id(b)
    assert all(i and len(i) == 32 for i in ids) and ids[0] != ids[1]
    a.conn.close()
    a = open_db(tmp_path / "a.db")  # kept, not drawn again on the next open
    assert installs.install_id(a) == ids[0]


def test_a_merge_names_two_laptops_that_call_themselves_the_same_kiosk(dbpath):
    twin = laptop(dbpath, "laptop-2.db", install="b" * 32)
    lead(dbpath, "kiosk-a", minutes=1)
    lead(twin, "kiosk-a", away="luis")  # the same visitor, for someone else, a minute earlier
    result = run("merge", twin, db=dbpath)
    assert result.exit_code == 0, result.output
    assert (
        "Duplicate kiosk id: two laptops both call themselves kiosk-a (laptop-2.db and this"
        " database). Their events are merged, nothing lost, but read as one kiosk's (\"filed"
        ' at kiosk-a" could be either). Give one another id: on that laptop, kiosk init'
        " --kiosk-id NEW-ID."
    ) in result.output.splitlines()
    db = open_db(dbpath)
    assert db.execute("SELECT count(*) FROM leads").fetchone() == (2,)  # both kept
    assert db.execute("SELECT count(*) FROM proposals WHERE kind = 'dispute'").fetchone() == (1,)
    db.conn.close()
    again = run("merge", twin, "--json", db=dbpath)  # known now: said once, when found
    assert json.loads(again.output)["duplicate_kiosk_ids"] == []
    # the manager's queue says "filed at kiosk-a" could be either laptop
    out = run("proposals", db=dbpath).output
    assert "first filed at kiosk-a" in out
    assert "⚠ kiosk-a is the kiosk id of two laptops: 'filed at kiosk-a' could be either" in out
    [item] = json.loads(run("proposals", "--json", db=dbpath).output)
    assert item["shared_kiosk_ids"] == ["kiosk-a"]


def test_the_json_report_and_a_conflict_between_two_sources(dbpath):
    one = laptop(dbpath, "one.db", install="1" * 32)
    two = laptop(dbpath, "two.db", install="2" * 32)
    lead(one, "kiosk-x")
    lead(two, "kiosk-x", minutes=2)
    summary = json.loads(run("merge", one, two, "--json", db=dbpath).output)
    assert summary["duplicate_kiosk_ids"] == [
        {"kiosk": "kiosk-x", "installs": 2, "from": [str(one), str(two)], "this_database": False}
    ]
    assert summary["new_events"] == 4  # two leads and their check-ins


def test_a_twin_met_through_another_kiosk_is_named_by_the_file_that_brought_it(dbpath):
    """Laptop B (also kiosk-a) was merged into kiosk-c; kiosk-c's file then reaches A."""
    b = laptop(dbpath, "b.db", install="b" * 32)
    c = laptop(dbpath, "c.db", install="c" * 32)
    lead(dbpath, "kiosk-a")
    lead(b, "kiosk-a", minutes=1)
    assert run("merge", b, db=c).exit_code == 0
    lead(c, "kiosk-c", minutes=2)
    out = run("merge", c, db=dbpath).output
    assert "two laptops both call themselves kiosk-a (c.db and this database)" in out


def test_a_crafted_files_identities_are_read_only_as_short_printable_text(dbpath):
    other = laptop(dbpath, "crafted.db", install="c" * 32)
    db = open_db(other)
    installs.learn(db, [("kiosk-a\x1b[2J", "x"), ("kiosk-a", "y" * 500), ("kiosk-a", "z")])
    db.conn.close()
    lead(dbpath, "kiosk-a")
    out = run("merge", other, db=dbpath).output
    assert "both call themselves kiosk-a (crafted.db and this database)" in out
    assert "\x1b" not in out
    db = open_db(dbpath)
    assert {k for k, _ in installs.known_pairs(db)} == {"kiosk-a"}
    assert ("kiosk-a", "y" * 500) not in installs.known_pairs(db)
    db.conn.close()


def test_one_laptop_under_two_ids_or_copies_of_one_file_are_not_twins(dbpath):
    other = laptop(dbpath, "kiosk-b.db", install="b" * 32)
    lead(dbpath, "kiosk-a")
    lead(other, "kiosk-b", minutes=1)
    lead(other, "kiosk-b2", minutes=2)  # the same laptop, renamed mid-show
    summary = json.loads(run("merge", other, "--json", db=dbpath).output)
    assert summary["duplicate_kiosk_ids"] == [] and summary["new_events"] >= 3


def test_a_database_from_before_install_ids_gets_one_and_notes_its_writes(db_path):
    db = open_db(db_path)
    db.execute("DROP TABLE kiosk_installs")
    db.execute("DELETE FROM meta WHERE key = ?", [installs.INSTALL_KEY])
    before_migration(db, "m018_install_identity")
    db.conn.commit()
    db.conn.close()
    db = open_db(db_path)
    mine = installs.install_id(db)
    assert mine and installs.known_pairs(db) == set()  # its own pair comes with a write
    booth.add_lead(db, CONFIG, VISITOR, now=NOW)
    assert installs.known_pairs(db) == {("kiosk-a", mine)}


def test_kiosk_init_kiosk_id_names_this_laptop(dbpath, tmp_path):
    result = run("init", "--kiosk-id", "hall9-east", db=dbpath)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "  kiosk: id hall9-east"
    db = open_db(dbpath)
    assert show_config(db).kiosk_id == "hall9-east" == get_meta(db, "kiosk_id")
    assert show_config(db).name == "Test Expo 2026"  # the rest of the show file as it was
    db.conn.close()
    assert run("checkin", "yuki@tanaka.example", db=dbpath).exit_code == 0
    db = open_db(dbpath)
    assert db.execute("SELECT kiosk_id FROM events").fetchall() == [("hall9-east",)]
    db.conn.close()

    demo = tmp_path / "demo-2.db"
    result = run("init", "--demo", "--kiosk-id", "kiosk-2", db=demo)
    assert result.exit_code == 0, result.output
    db = open_db(demo)
    stored = tomllib.loads(get_meta(db, "show_toml") or "")
    assert stored["kiosk"]["id"] == "kiosk-2" and stored["show"]["id"] == "gle26"
    db.conn.close()


def test_kiosk_init_refuses_a_bad_kiosk_id_before_writing_anything(dbpath, tmp_path):
    result = run("init", "--kiosk-id", 'a"b\n[x]', db=dbpath)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: a kiosk id is 1 to 64 letters, digits")
    db = open_db(dbpath)
    assert show_config(db).kiosk_id == "kiosk-a"
    db.conn.close()
    fresh = tmp_path / "fresh.db"
    result = run("init", "--demo", "--kiosk-id", "", db=fresh)
    assert result.exit_code == 2  # said, not taken as the demo's own id without a word
    assert "--kiosk-id needs an id" in result.output
    result = run("init", "--kiosk-id", "with space", db=tmp_path / "new.db")
    assert result.exit_code == 2 and not (tmp_path / "new.db").exists()


pairs = st.sets(st.tuples(st.sampled_from("abc"), st.sampled_from("1234")), max_size=8)


@given(known=pairs, arriving=st.dictionaries(st.sampled_from(["x.db", "y.db"]), pairs))
def test_twins_are_the_ids_a_merge_newly_finds_written_by_two_installs(known, arriving):
    found = installs.twins(known, arriving, own="1")
    union = known.union(*arriving.values())
    by_id: dict[str, set[str]] = {}
    for k, i in union:
        by_id.setdefault(k, set()).add(i)
    new_ids = {k for k, _ in union - known}
    assert {t.kiosk_id for t in found} == {k for k in new_ids if len(by_id[k]) > 1}
    for t in found:
        assert t.installs == len(by_id[t.kiosk_id]) and t.here == ("1" in by_id[t.kiosk_id])
        assert t.where and all(src in arriving for src in t.where)
    assert installs.twins(union, arriving) == []  # once learned, not reported again
