"""Two copies of one event that differ are not merged silently (`kiosk.events.copies`).

An event whose uuid the log already has was counted as known and skipped, whatever it
said: a row edited on one laptop with an SQLite tool, a forged file or a damaged copy
merged without a word, and whichever copy came first stood. Now the copy taken first
stands and the other is set aside in the `quarantine` table and named in the report;
identical copies (whatever their `recorded_at`) stay silent.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk import events
from kiosk.db import open_db
from kiosk.sync.merge import merge_databases
from tests.cli.common import run
from tests.examples import examples
from tests.factory import NOW
from tests.hostile_events import a_row
from tests.merge_day import company, copy, kiosk_b_day

LATER = NOW + timedelta(hours=8)
TABLES = ("contacts", "checkins", "leads", "proposals", "invitations", "contact_aliases")
IN_LOG = "differs from the event with this id already in the log"


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    return company(tmp_path_factory.mktemp("merge-copies"))


@pytest.fixture(scope="module")
def kiosk_b(base: Path) -> Path:
    return kiosk_b_day(base)


def edit(path: Path, sql: str, params: tuple = ()) -> None:
    """Change a kiosk's log as someone with an SQLite tool would (past the triggers)."""
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER IF EXISTS events_append_only_update")
    conn.execute(sql, params)
    conn.commit()
    conn.close()


def add_rows(path: Path, rows: list[tuple]) -> None:
    conn = sqlite3.connect(path)
    conn.executemany(f"INSERT INTO events({events.COLUMNS}) VALUES (?,?,?,?,?,?,?,?)", rows)
    conn.commit()
    conn.close()


def read(path: Path, sql: str) -> list[tuple]:
    db = open_db(path, create=False)
    try:
        return db.execute(sql).fetchall()
    finally:
        db.conn.close()


def snapshot(path: Path) -> dict[str, list]:
    tables = {t: sorted(read(path, f"SELECT * FROM {t}"), key=repr) for t in TABLES}
    tables["events"] = sorted(read(path, f"SELECT {events.COLUMNS} FROM events"), key=repr)
    return tables


# Kiosk B's check-in of the CRM customer (its lead's visitor was checked in too).
CHECKIN = "rowid = (SELECT max(rowid) FROM events WHERE kind = 'checkin')"


def checkin_uuid(path: Path) -> str:
    return read(path, f"SELECT uuid FROM events WHERE {CHECKIN}")[0][0]


def with_owner(path: Path, owner: str) -> None:
    """Kiosk B's check-in now says another salesperson owns the customer."""
    edit(path, f"UPDATE events SET payload = json_set(payload, '$.owner_id', ?) WHERE {CHECKIN}",
         (owner,))  # fmt: skip


def test_an_edited_copy_of_a_merged_event_is_set_aside_and_named(base, kiosk_b, tmp_path):
    office = copy(base, tmp_path, "office.db")
    assert merge_databases(office, [kiosk_b], now=LATER).new == 3
    before = snapshot(office)
    edited = copy(kiosk_b, tmp_path, "kiosk-b-edited.db")
    with_owner(edited, "luis")

    report = merge_databases(office, [edited], now=LATER + timedelta(minutes=5))

    assert report.new == 0 and report.known == 2 and report.backup is None
    [aside] = report.quarantined
    assert (aside.path, aside.kiosk_id, aside.kind) == (edited, "kiosk-b", "checkin")
    assert aside.uuid == checkin_uuid(kiosk_b) and aside.reason == f"{IN_LOG} (payload)"
    assert report.sources[0].set_aside == 1
    assert snapshot(office) == before  # the logged event stands, the booth as it was
    [(key, uuid, payload, source)] = read(
        office, "SELECT key, uuid, payload, source FROM quarantine"
    )
    assert uuid == aside.uuid and key.startswith(f"{uuid} copy ") and source == str(edited)
    assert json.loads(payload)["owner_id"] == "luis"  # the other copy, as its file has it
    lines = report.quarantine_lines()
    assert (
        lines[0].startswith("Set aside 1 event ") and "kiosk-b-edited.db: kiosk kiosk-b" in lines[1]
    )


def test_identical_copies_stay_silent_whatever_their_recorded_at(base, kiosk_b, tmp_path):
    office = copy(base, tmp_path, "office.db")
    merge_databases(office, [kiosk_b], now=LATER)
    relayed = copy(kiosk_b, tmp_path, "relayed.db")  # stored later elsewhere: only that differs
    edit(relayed, "UPDATE events SET recorded_at = '2026-11-25T09:00:00+00:00',"
                  " ts_utc = ts_utc || ''")  # fmt: skip
    for again in (kiosk_b, relayed):
        report = merge_databases(office, [again], now=LATER)
        assert (report.new, report.known, report.quarantined) == (0, 3, [])
    assert read(office, "SELECT count(*) FROM quarantine") == [(0,)]


@pytest.mark.parametrize(
    ("column", "value", "named"),
    [
        ("kiosk_id", "kiosk-z", "kiosk id"),
        ("ts", "2026-11-24T09:00:00+00:00", "time"),
        ("actor", "ana", "actor"),
        ("kind", "checkin.received", "kind"),
    ],
)
def test_the_reason_names_what_differs(base, kiosk_b, tmp_path, column, value, named):
    office = copy(base, tmp_path, "office.db")
    merge_databases(office, [kiosk_b], now=LATER)
    edited = copy(kiosk_b, tmp_path, "edited.db")
    edit(edited, f"UPDATE events SET {column} = ? WHERE {CHECKIN}", (value,))
    [aside] = merge_databases(office, [edited], now=LATER).quarantined
    assert aside.reason == f"{IN_LOG} ({named})"


def test_a_payload_cleaned_by_the_merge_that_took_it_is_the_same_event(base, tmp_path):
    """A merge stores a payload holding control characters cleaned and encoded again, so
    the office's copy differs in text from the kiosk's: merging that kiosk again (or
    spacing and key order changed) is still the same event."""
    payload = {
        "contact": {"name": "Evil\x1b]0;pwned\x07 Name\u202e", "company": "Acme"},
        "notes": "line one\nline two", "consent": True, "owner_id": "luis", "rule": "",
        "reason": "", "rating": "warm",
    }  # fmt: skip
    source = copy(base, tmp_path, "kiosk-x.db")
    lead = a_row(kind="lead.created", payload=json.dumps(payload))
    add_rows(source, [lead])
    office = copy(base, tmp_path, "office.db")
    assert merge_databases(office, [source], now=LATER).new == 1
    [(stored,)] = read(office, "SELECT payload FROM events")
    assert stored != lead[7]  # cleaned
    respaced = copy(base, tmp_path, "respaced.db")
    add_rows(respaced, [(*lead[:7], json.dumps(payload, indent=2, sort_keys=True))])
    for again in (source, respaced):
        report = merge_databases(office, [again], now=LATER)
        assert (report.new, report.known, report.quarantined) == (0, 1, [])
    # the other way: the kiosk, whose own copy is not cleaned, takes the office's
    report = merge_databases(source, [office], now=LATER)
    assert (report.new, report.known, report.quarantined) == (0, 1, [])
    # a value of another type is not the same, though Python finds 1 == True
    retyped = copy(base, tmp_path, "retyped.db")
    add_rows(retyped, [(*lead[:7], json.dumps(payload | {"consent": 1}))])
    [aside] = merge_databases(office, [retyped], now=LATER).quarantined
    assert aside.reason == f"{IN_LOG} (payload)"


def test_merging_the_edited_file_again_says_it_was_kept_before_and_keeps_one(
    base, kiosk_b, tmp_path
):
    office = copy(base, tmp_path, "office.db")
    merge_databases(office, [kiosk_b], now=LATER)
    edited = copy(kiosk_b, tmp_path, "edited.db")
    with_owner(edited, "luis")
    first = merge_databases(office, [edited], now=LATER)
    assert first.quarantined[0].earlier == ""
    for minutes in (5, 10):  # a scheduled sync meets the same stick again
        again = merge_databases(office, [edited], now=LATER + timedelta(minutes=minutes))
        [aside] = again.quarantined  # still said: the file still holds it
        assert aside.earlier == "2026-11-24T18:00:00+00:00" and again.backup is None
        assert again.quarantine_lines()[1].endswith("(payload); kept since 2026-11-24 18:00")
    assert read(office, "SELECT count(*) FROM quarantine") == [(1,)]
    # a second, other version of the same event is kept beside the first
    with_owner(edited, "mei")
    assert len(merge_databases(office, [edited], now=LATER).quarantined) == 1
    assert read(office, "SELECT count(*) FROM quarantine") == [(2,)]


def test_two_files_of_one_merge_with_differing_copies_the_first_file_stands(
    base, kiosk_b, tmp_path
):
    """Within one merge, the copy of the file named first is taken, as merging the files
    one after the other would: the log's copy always stands."""
    edited = copy(kiosk_b, tmp_path, "edited.db")
    with_owner(edited, "luis")
    one = copy(base, tmp_path, "one.db")
    report = merge_databases(one, [kiosk_b, edited], now=LATER)
    assert report.new == 3 and report.known == 2
    [aside] = report.quarantined
    assert aside.path == edited and aside.reason == (
        "differs from the copy of this event in kiosk-b.db, which this merge took first (payload)"
    )
    in_turn = copy(base, tmp_path, "in-turn.db")
    merge_databases(in_turn, [kiosk_b], now=LATER)
    [later] = merge_databases(in_turn, [edited], now=LATER).quarantined
    assert later.reason == f"{IN_LOG} (payload)"
    assert snapshot(one) == snapshot(in_turn)
    other_way = copy(base, tmp_path, "other-way.db")
    [aside] = merge_databases(other_way, [edited, kiosk_b], now=LATER).quarantined
    assert aside.path == kiosk_b  # the order of the files decides which copy stands


def test_merge_rows_sets_aside_a_differing_copy_as_a_hub_pull_meets_it(base, tmp_path):
    """The hub pull's path: `merge_rows` looks the uuids up itself, page by page."""
    db = open_db(copy(base, tmp_path, "kiosk.db"))
    row = a_row()
    assert events.merge_rows(db, [row], now=LATER) == (1, 0)
    changed = (*row[:7], row[7].replace('"ana"', '"luis"'))
    relayed = (*row[:4], "2026-11-25T00:00:00+00:00", *row[5:])
    rejected: list[events.Rejected] = []
    counts = events.merge_rows(
        db, [relayed, changed], now=LATER, rejected=rejected, source_of=lambda _r: "hub x"
    )
    assert counts == (0, 1)
    [bad] = rejected
    assert bad.row == changed and bad.reason == f"{IN_LOG} (payload)"
    assert db.execute("SELECT uuid, source FROM quarantine").fetchall() == [(row[0], "hub x")]
    # two differing copies in one stream: the first is taken
    twice: list[events.Rejected] = []
    other = a_row()
    assert events.merge_rows(db, [other, (*other[:5], "ana", *other[6:])], rejected=twice)[0] == 1
    assert twice[0].reason == (
        "differs from the copy of this event in an earlier row, which this merge took first (actor)"
    )
    db.conn.close()


def test_the_merge_command_names_the_differing_copy(base, kiosk_b, tmp_path):
    office = copy(base, tmp_path, "office.db")
    merge_databases(office, [kiosk_b], now=LATER)
    edited = copy(kiosk_b, tmp_path, "edited.db")
    with_owner(edited, "luis")
    result = run("merge", edited, "--into", office)
    assert result.exit_code == 0, result.output
    assert "Nothing new to merge." in result.output
    assert f"edited.db: kiosk kiosk-b, event {checkin_uuid(kiosk_b)} (checkin): {IN_LOG}" in (
        result.output
    )
    result = run("merge", edited, "--into", office, "--json")
    [aside] = json.loads(result.output)["quarantined"]
    assert aside["file"] == str(edited) and aside["kiosk"] == "kiosk-b"
    assert aside["reason"] == f"{IN_LOG} (payload)" and aside["set_aside_before"]


OWNERS = st.sampled_from(["ana", "luis", "mei", None])


@settings(
    max_examples=examples(15),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(owners=st.lists(st.tuples(OWNERS, OWNERS), min_size=1, max_size=4), flip=st.booleans())
def test_property_one_copy_stands_the_other_is_kept_whatever_the_order(
    base, tmp_path, owners, flip
):
    """Two files with the same events, some edited in one of them: merged together in
    either order, or one after the other, the log has every uuid once, holds the copy of
    the file taken first, and the quarantine the other copy of each event that differs."""
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    a_rows, b_rows = [], []
    for i, (mine, theirs) in enumerate(owners):
        row = a_row(ts=f"2026-11-24T1{i}:00:00+00:00", ts_utc="")
        a_rows.append((*row[:7], json.dumps({"contact_id": "C2", "owner_id": mine})))
        b_rows.append((*row[:7], json.dumps({"contact_id": "C2", "owner_id": theirs})))
    a, b = copy(base, folder, "a.db"), copy(base, folder, "b.db")
    add_rows(a, a_rows)
    add_rows(b, b_rows)
    first, second = (b, a) if flip else (a, b)
    together, in_turn = copy(base, folder, "together.db"), copy(base, folder, "in-turn.db")
    report = merge_databases(together, [first, second], now=LATER, backup=False)
    merge_databases(in_turn, [first], now=LATER, backup=False)
    merge_databases(in_turn, [second], now=LATER, backup=False)

    differ = {r[0] for r, s in zip(a_rows, b_rows, strict=True) if r[7] != s[7]}
    assert {q.uuid for q in report.quarantined} == differ
    assert {q.path for q in report.quarantined} <= {second}
    taken = {r[0]: r[7] for r in (b_rows if flip else a_rows)}
    for office in (together, in_turn):
        logged = dict(read(office, "SELECT uuid, payload FROM events"))
        assert logged == taken
        kept = read(office, "SELECT uuid, payload FROM quarantine")
        assert sorted(kept) == sorted((u, p) for u, p in read(second, "SELECT uuid, payload"
                                      " FROM events") if u in differ)  # fmt: skip
    assert snapshot(together) == snapshot(in_turn)


def test_a_file_found_whole_in_the_log_is_not_compared_again(base, kiosk_b, tmp_path, monkeypatch):
    """Comparing doubled the time of merging the same events again; a file that a merge
    found whole in the log (nothing set aside) is known by its digest, until it changes."""
    from kiosk.sync import merge

    compared: list[Path] = []
    real = merge._differing_from_log

    def counting(other, target, new):
        compared.append(target)
        return real(other, target, new)

    monkeypatch.setattr(merge, "_differing_from_log", counting)
    office = copy(base, tmp_path, "office.db")
    merge_databases(office, [kiosk_b], now=LATER)  # all new: nothing to compare
    for _ in range(2):
        assert merge_databases(office, [kiosk_b], now=LATER).known == 3
    assert compared == []
    grown = copy(kiosk_b, tmp_path, "grown.db")
    add_rows(grown, [a_row()])  # one more scan: compared, and then known in turn
    assert merge_databases(office, [grown], now=LATER).new == 1
    assert merge_databases(office, [grown], now=LATER).new == 0
    assert len(compared) == 1
    with_owner(grown, "luis")  # an edit is a new digest: compared, found, and every time
    for _ in range(2):
        assert len(merge_databases(office, [grown], now=LATER).quarantined) == 1
    assert len(compared) == 3
