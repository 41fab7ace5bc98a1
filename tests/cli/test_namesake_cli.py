"""`kiosk lead add` with a name already on file at the same company: refused, naming the
contact and its owner, unless --attach, --contact ID or --new (which tells the manager)."""

from __future__ import annotations

from kiosk.db import open_db
from tests.cli.common import run

CARD = ("lead", "add", "--name", "JOSE MARTINEZ", "--company", "Luces Ibericas SL",
        "--email", "jm@new.example", "--country", "BR", "--rating", "hot")  # fmt: skip


def crm(dbpath, crm_id: str) -> str:
    db = open_db(dbpath, create=False)
    return db.execute("SELECT id FROM contacts WHERE crm_id = ?", [crm_id]).fetchone()[0]


def test_a_namesake_is_refused_with_the_contact_and_its_owner(dbpath):
    result = run(*CARD, db=dbpath)
    assert result.exit_code == 2
    assert result.output == (
        "Error: already on file with the same name and company: José Martínez"
        f" (Luces Ibéricas S.L.) [{crm(dbpath, 'C2')}], owner Ana Ruiz. Use --attach to file"
        " the lead on that contact, or --new if this is a different person\n"
    )
    db = open_db(dbpath, create=False)
    assert db.execute("SELECT count(*) FROM leads").fetchone()[0] == 0


def test_attach_files_the_namesakes_lead_for_its_owner(dbpath):
    result = run(*CARD, "--attach", db=dbpath)
    assert result.exit_code == 0, result.output
    assert f"Lead saved ({crm(dbpath, 'C2')}). Owner: Ana Ruiz." in result.output
    assert run("proposals", db=dbpath).output.startswith("No proposals waiting")


def test_contact_id_files_the_lead_on_that_contact(dbpath):
    result = run(*CARD, "--contact", crm(dbpath, "C2"), db=dbpath)
    assert result.exit_code == 0, result.output
    assert f"Lead saved ({crm(dbpath, 'C2')}). Owner: Ana Ruiz." in result.output
    both = run(*CARD, "--contact", crm(dbpath, "C2"), "--new", db=dbpath)
    assert both.exit_code == 2 and "contradict" in both.output


def test_new_files_another_person_and_the_manager_sees_the_dispute(dbpath):
    result = run(*CARD, "--new", db=dbpath)
    assert result.exit_code == 0, result.output
    assert "Lead saved (L-" in result.output
    waiting = run("proposals", db=dbpath).output
    assert "[dispute/open] JOSE MARTINEZ" in waiting
    assert "Same name and company as José Martínez (Luces Ibéricas S.L.)" in waiting
    assert "a customer of Ana Ruiz, but filed as another visitor for" in waiting
