"""`kiosk import contacts` closes the namesake dispute and the lapse item the new export
answers (the exploratory pass found both open after the import): `kiosk proposals --all`
and `kiosk dispute show` say so, and `kiosk decide` refuses them."""

from __future__ import annotations

from kiosk.db import open_db
from tests.cli.common import run
from tests.factory import write_csv

NOW_TEXT = "2026-11-24T10:00:00+00:00"
OLD = "2025-01-10T10:00:00+00:00"
HEADER = ["crm_id", "name", "company", "email", "country", "owner", "last_contact_at"]


def ids(dbpath) -> dict[str, str]:
    db = open_db(dbpath, create=False)
    try:
        return {k: v for v, k in db.execute("SELECT id, kind FROM proposals")}
    finally:
        db.conn.close()


def test_an_import_settles_the_namesake_dispute_and_the_lapse(dbpath, tmp_path, monkeypatch):
    monkeypatch.setenv("KIOSK_NOW", NOW_TEXT)
    db = open_db(dbpath, create=False)
    db.execute("UPDATE contacts SET last_deal_at = ?, last_contact_at = ? WHERE crm_id = 'C1'",
               [OLD, OLD])  # fmt: skip
    db.conn.close()
    filed = run("lead", "add", "--name", "Jose Martinez", "--company", "Luces Ibericas",
                "--email", "jm@new.example", "--country", "BR", "--new", db=dbpath)  # fmt: skip
    assert filed.exit_code == 0, filed.output
    owner = "luis" if "Owner: Luis Gómez" in filed.output else "marta"
    assert run("checkin", "B-100", db=dbpath).exit_code == 0
    before = run("proposals", db=dbpath).output
    assert "[dispute/open] Jose Martinez" in before and "[reassign/open] Yuki Tanaka" in before
    export = write_csv(tmp_path / "crm.csv", HEADER, [
        ["C2", "José Martínez", "Luces Ibéricas S.L.", "jose@luces.example", "ES", owner,
         "2026-10-01T10:00:00+02:00"],
        ["C1", "Yuki Tanaka", "Tanaka Shoji", "yuki@tanaka.example", "JP", "kenji",
         "2026-11-20T09:00:00+09:00"],
    ])  # fmt: skip
    imported = run("import", "contacts", export, db=dbpath)
    assert imported.exit_code == 0, imported.output
    assert run("proposals", db=dbpath).output.startswith("No proposals waiting")
    history = run("proposals", "--all", db=dbpath).output
    assert "[dispute/outdated] Jose Martinez" in history
    assert ", who has this visitor too]" in history
    assert "[reassign/outdated] Yuki Tanaka" in history
    assert (
        "[settled by the CRM import: the CRM records a contact on 2026-11-20, within the 90"
        " lapse days]" in history
    )
    item = ids(dbpath)
    shown = run("dispute", "show", item["reassign"], db=dbpath).output
    assert "Closed, settled by the CRM import: the CRM records a contact on 2026-11-20" in shown
    refused = run("decide", item["dispute"], "--approve", "--by", "wei", db=dbpath)
    who = {"luis": "Luis Gómez", "marta": "Marta Díaz"}[owner]
    assert refused.exit_code == 2
    assert refused.output.endswith(
        f"is settled by the CRM import: the CRM gives José Martínez (C2) to {who}, who has"
        " this visitor too: nothing to decide\n"
    )
    assert run("rebuild", db=dbpath).exit_code == 0
    assert run("proposals", db=dbpath).output.startswith("No proposals waiting")
