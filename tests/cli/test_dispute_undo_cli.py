"""`kiosk dispute undo` on issue 17's scenario, through click's CliRunner and a real file:
the manager gave Pedro to the wrong person and takes the decision back."""

from __future__ import annotations

import json

from kiosk.db import open_db
from tests.cli.common import run
from tests.cli.test_dispute_cli import held, ok, scen  # noqa: F401 - the fixture, shared
from tests.scenario import A, B


def statuses(path):
    db = open_db(path, create=False)
    try:
        return dict(db.execute("SELECT id, status FROM proposals ORDER BY id").fetchall())
    finally:
        db.conn.close()


def test_undo_says_what_it_gave_back_and_the_history_keeps_it(dbpath, scen):  # noqa: F811
    ok("decide", scen["reassign"], "--owner", B, "--by", "wei", db=dbpath)
    assert held(dbpath) == (B, None, None, None)
    out = ok("dispute", "undo", scen["reassign"], "--by", "Zhang Wei", "--reason",
             "pressed the wrong person", db=dbpath)  # fmt: skip
    items = ", ".join(sorted((scen["reassign"], scen["assistant"])))
    assert out.splitlines() == [
        f"Undone: the decision on {scen['reassign']} (decided by Zhang Wei on 24 Nov:"
        " Marta Díaz owns; review 22 Feb 2027).",
        "Pedro Alves: Luis Gómez owns again.",
        f"Waiting for a decision on them: {items} (see kiosk proposals).",
    ]
    assert held(dbpath) == (A, None, None, None)
    assert set(statuses(dbpath).values()) == {"open"}
    [line] = ok("dispute", "history", db=dbpath).splitlines()
    assert line.endswith(
        "[given, undone] Pedro Alves [C-SCEN]: decided by Zhang Wei on 24 Nov: Marta Díaz owns"
        " — then undone by Zhang Wei at 10:00 on 24 Nov (pressed the wrong person)"
    )
    [h] = json.loads(ok("dispute", "history", "--json", db=dbpath))
    assert (h["outcome"], h["undone_by"], h["undo_reason"]) == (
        "given",
        "wei",
        "pressed the wrong person",
    )
    assert h["undone_at"].startswith("2026-11-24T10:00")
    # and the manager decides again
    ok("decide", scen["reassign"], "--owner", A, "--by", "wei", db=dbpath)
    assert [h["outcome"] for h in json.loads(ok("dispute", "history", "--json", db=dbpath))] == [
        "kept",
        "given",
    ]


def test_undo_as_json(dbpath, scen):  # noqa: F811
    ok("decide", scen["reassign"], "--owner", A, "--assistant", B, "--split", "30", "--by", "wei",
       db=dbpath)  # fmt: skip
    data = json.loads(ok("dispute", "undo", scen["reassign"], "--by", "wei", "--json", db=dbpath))
    assert data["proposal_id"] == scen["reassign"]
    assert data["holding"] == {"owner_id": A, "assistant_id": None, "split": None,
                               "preferred_id": None}  # fmt: skip
    assert data["decision"]["outcome"] == "shared" and data["decision"]["undone_by"] == "wei"
    assert sorted(data["open_items"]) == sorted((scen["reassign"], scen["assistant"]))
    assert data["crm_changed_from"] is None  # the CRM still gives Pedro to Luis


def test_refusals_are_one_line_and_exit_2(dbpath, scen):  # noqa: F811
    def refused(*args):
        result = run("dispute", "undo", *args, db=dbpath)
        assert result.exit_code == 2, result.output
        [line] = result.output.strip().splitlines()
        return line

    assert refused(scen["reassign"], "--by", "wei") == (
        f"Error: proposal {scen['reassign']} was never decided: nothing to undo"
    )
    ok("decide", scen["reassign"], "--owner", B, "--by", "wei", db=dbpath)
    assert refused(scen["reassign"], "--by", "ana") == "Error: Ana Ruiz is not a manager"
    assert refused(scen["assistant"], "--by", "wei") == (
        f"Error: proposal {scen['assistant']} was settled by the decision on {scen['reassign']}:"
        f" undo that one (kiosk dispute undo {scen['reassign']})"
    )
    ok("dispute", "undo", scen["reassign"], "--by", "wei", db=dbpath)
    assert refused(scen["reassign"], "--by", "wei").startswith(
        f"Error: the decision on {scen['reassign']} was already undone by Zhang Wei"
    )
    assert held(dbpath) == (A, None, None, None)


def test_undo_after_a_crm_import_names_the_crms_owner(dbpath, scen, tmp_path):  # noqa: F811
    """Given to Marta, then the CRM export gives Pedro to Ana: the undo says Ana owns him,
    as the CRM says now — not "Luis Gómez owns again" — and nothing is left to decide."""
    ok("decide", scen["reassign"], "--owner", B, "--by", "wei", db=dbpath)
    crm = tmp_path / "crm.csv"
    crm.write_text(
        "crm_id,name,company,email,country,owner\n"
        "C-SCEN,Pedro Alves,Brasil Luz Ltda.,pedro@brasilluz.example,BR,ana\n",
        encoding="utf-8",
    )
    ok("import", "contacts", str(crm), db=dbpath)
    out = ok("dispute", "undo", scen["reassign"], "--by", "wei", db=dbpath)
    # (the assistant item was settled by the import already: the decision never took it up
    # in the replay over the CRM's new data)
    assert out.splitlines()[1:] == [
        "Pedro Alves: Ana Ruiz owns, as the CRM import says now (Luis Gómez owned them before"
        " the decision).",
        f"Settled by the CRM import, nothing to decide: {scen['reassign']}.",
    ]
    assert held(dbpath) == ("ana", None, None, None)
    assert ok("proposals", db=dbpath).strip() == "No proposals waiting."
