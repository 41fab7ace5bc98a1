"""`kiosk invite`, `kiosk badge` and `kiosk contact-qr` on a real database."""

from __future__ import annotations

import json
from email import policy
from email.parser import BytesParser

import pytest
import zxingcpp
from PIL import Image

from kiosk.badges import parse_badge
from kiosk.db import open_db
from kiosk.tokens import verify_token
from tests.cli.common import run


def scan(path) -> str:
    """The badge's QR code as a phone's reader reads it. zxing may also report a stray 1-D
    'barcode' in the printed text beside it (a clean-clone CI run, year ahead): only the
    QR code is the badge's, and there must be exactly one."""
    found = zxingcpp.read_barcodes(Image.open(path))
    [result] = [r for r in found if r.format == zxingcpp.BarcodeFormat.QRCode]
    return result.text


def test_invite_writes_emails_csv_and_events(dbpath, tmp_path):
    out = tmp_path / "out"
    result = run("invite", "--salesperson", "ben@lumen.example", "-o", out, db=dbpath)
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"Wrote 1 invitation(s) from Ben Carter to {out} (zh 1).\n"
        f"Mail merge: {out / 'mail-merge.csv'}\n"
        f"Note: codes are signed with the key in {dbpath}.keys; other kiosks check them only"
        " with a copy of that file (or KIOSK_INVITE_SECRET).\n"
    )
    msg = BytesParser(policy=policy.default).parsebytes((out / "C3.eml").read_bytes())
    assert msg["To"].addresses[0].display_name == "王小明"
    token = scan(out / "qr" / "C3.png")
    check = verify_token(token, secret="test-secret", show_id="test-show")
    assert (check.contact_id, check.salesperson_id) == ("C3", "ben")
    db = open_db(dbpath)
    assert db.execute("SELECT contact_id, salesperson_id, token FROM invitations").fetchall() == [
        ("C3", "ben", token)
    ]


def test_invite_filter_and_json(dbpath, tmp_path):
    result = run(
        "invite", "-s", "ana", "--filter", "Spain", "-o", tmp_path / "o", "--json", db=dbpath
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["salesperson"] == "ana"
    assert [(w["contact_id"], w["language"]) for w in data["written"]] == [("C2", "es")]
    assert data["skipped"] == []


def test_invite_reports_no_customers_and_the_filter(dbpath, tmp_path):
    result = run("invite", "-s", "kenji", "--filter", "CN", "-o", tmp_path / "o", db=dbpath)
    assert result.exit_code == 0
    assert result.output.splitlines()[2:] == [
        "Filter: country CN",
        "Kenji Sato has no customers matching the filter.",
    ]


def test_invite_unknown_salesperson_is_one_line_exit_2(dbpath, tmp_path):
    result = run("invite", "-s", "nobody", "-o", tmp_path / "o", db=dbpath)
    assert result.exit_code == 2
    assert result.output == "Error: unknown salesperson: nobody\n"


def test_invite_with_a_broken_template_is_one_line_exit_2(dbpath, tmp_path):
    templates = tmp_path / "t"
    templates.mkdir()
    (templates / "invitation.zh.txt").write_text("Subject: $oops\n\nx\n", encoding="utf-8")
    result = run("invite", "-s", "ben", "-o", tmp_path / "o", "--templates", templates, db=dbpath)
    assert result.exit_code == 2
    assert result.output.startswith("Error: template invitation.zh.txt uses unknown field $oops")


def test_badge_for_a_known_contact(dbpath, tmp_path):
    out = tmp_path / "badge.png"
    result = run("badge", "王小明", "-o", out, db=dbpath)
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"Badge for 王小明 (明亮照明有限公司, CN) written to {out}.\nQR: signed code for contact C3.\n"
    )
    assert Image.open(out).size == (1200, 900)
    check = verify_token(scan(out), secret="test-secret", show_id="test-show")
    assert check.ok and check.contact_id == "C3" and check.salesperson_id is None


def test_badge_for_a_new_visitor(dbpath, tmp_path):
    out = tmp_path / "new.png"
    result = run(
        "badge", "--name", "Hans Müller", "--company", "Licht GmbH", "--country", "Germany",
        "-o", out, "--json", db=dbpath,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["size"] == [1200, 900] and data["contact_id"] is None
    badge = parse_badge(scan(out))
    assert (badge.name, badge.company, badge.country) == ("Hans Müller", "Licht GmbH", "DE")
    assert badge.badge_id == data["registration_id"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("badge", "-o", "x.png"), "give either QUERY (a known contact) or --name (a new visitor)"),
        (("badge", "C1", "--name", "X", "-o", "x.png"), "give either QUERY"),
        (("badge", "nobody", "-o", "x.png"), "no contact matches 'nobody'"),
        (
            ("badge", "--name", "X", "--country", "Atlantis", "-o", "x.png"),
            "unknown country: Atlantis",
        ),
        (("badge", "C1", "--credit", "ghost", "-o", "x.png"), "unknown salesperson: ghost"),
        (  # was ignored without a word (and a misspelt name accepted)
            ("badge", "--name", "Olga Petrova", "--credit", "lukas", "-o", "x.png"),
            "--credit goes with QUERY (a known contact)",
        ),
    ],
)
def test_badge_errors(dbpath, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    result = run(*args, db=dbpath)
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: {message}")


def test_contact_qr_prints_in_the_terminal(dbpath):
    result = run("contact-qr", "ana", db=dbpath)
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == lines[1] and set(lines[0]) == {"█"}
    assert lines[-1] == "Ana Ruiz  +8613800000001  ana@lumen.example"


def test_contact_qr_png_is_the_vcard(dbpath, tmp_path):
    out = tmp_path / "ana.png"
    result = run(
        "contact-qr", "ana@lumen.example", "-o", out, "--company", "Lumen Lighting", db=dbpath
    )
    assert result.exit_code == 0
    assert result.output.startswith(f"vCard QR for Ana Ruiz written to {out} (")
    card = parse_badge(scan(out))
    assert (card.kind, card.name, card.company, card.email) == (
        "vcard", "Ana Ruiz", "Lumen Lighting", "ana@lumen.example",
    )  # fmt: skip


def test_contact_qr_unknown_salesperson(dbpath):
    result = run("contact-qr", "ghost", db=dbpath)
    assert result.exit_code == 2 and result.output == "Error: unknown salesperson: ghost\n"


@pytest.mark.parametrize("command", ["invite", "badge", "contact-qr"])
def test_help(command):
    result = run(command, "--help")
    assert result.exit_code == 0 and "Usage:" in result.output


def test_invite_writes_to_a_japanese_customer_in_japanese(dbpath, tmp_path):
    out = tmp_path / "out"
    result = run("invite", "-s", "kenji", "-o", out, db=dbpath)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Wrote 1 invitation(s) from Kenji Sato to {out} (ja 1).\n")
    msg = BytesParser(policy=policy.default).parsebytes((out / "C1.eml").read_bytes())
    assert msg["Content-Language"] == "ja"
    assert msg["Subject"].startswith("【ご招待】")
    plain = msg.get_body(preferencelist=("plain",)).get_content()
    assert "Yuki Tanaka 様" in plain
    db = open_db(dbpath)
    [(payload,)] = db.execute("SELECT payload FROM events WHERE kind = 'invitation.sent'")
    assert json.loads(payload)["language"] == "ja"


def test_the_salespersons_qr_carries_the_exhibitor_as_its_company(dbpath, tmp_path):
    """A visitor who saved a salesperson from the QR got a contact with no company: the
    show file had nowhere to say whose booth it is. `[show] exhibitor` is the vCard's ORG,
    in `contact-qr` (unless --company says otherwise) and on the booth screen's card."""
    from tests.factory import SHOW

    show = tmp_path / "show.toml"
    show.write_text(
        SHOW.replace('venue = "Messe Frankfurt"',
                     'venue = "Messe Frankfurt"\nexhibitor = "Lumen Lighting GmbH"'),
        encoding="utf-8",
    )  # fmt: skip
    assert run("init", "--show", show, db=dbpath).exit_code == 0
    out = tmp_path / "ana.png"
    assert run("contact-qr", "ana", "-o", out, db=dbpath).exit_code == 0
    assert parse_badge(scan(out)).company == "Lumen Lighting GmbH"
    assert run("contact-qr", "ana", "-o", out, "--company", "", db=dbpath).exit_code == 0
    assert parse_badge(scan(out)).company == ""
