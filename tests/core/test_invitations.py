"""Invitations end to end: .eml files that parse, QR codes that scan back, check-ins credited."""

from __future__ import annotations

import csv
import io
import os
from dataclasses import replace
from datetime import date
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from kiosk import booth
from kiosk import events as ev
from kiosk.contact_rows import insert_contacts
from kiosk.db import SCHEMA_VERSION, migrations, open_db
from kiosk.invites.files import CSV_COLUMNS, write_invitations
from kiosk.invites.invitations import (
    customers_of,
    invitation_language,
    issue,
    language_of,
)
from kiosk.invites.mail import InvitationError, format_dates, render
from kiosk.models import Contact
from kiosk.reports.dashboard import invitation_stats
from kiosk.store import find_salesperson, get_contact
from kiosk.tokens import FORGED, show_secret, verify_token
from tests.factory import CONFIG, NOW, build_db

GOLDEN = Path(__file__).resolve().parent.parent / "data" / "invitations"
SHOW = replace(
    CONFIG,
    start=date(2026, 11, 24),
    end=date(2026, 11, 27),
    booth="5.1 A20",
    venue="Messe Frankfurt",
)
EXTRA = [
    dict(crm_id="C4", name="Sin Correo", company="Nada S.A.", country="MX", owner_id="ben"),
    dict(crm_id="C5", name="Bad Address", company="Typo Ltd", email="bad@", country="US", owner_id="ben"),
    dict(crm_id="C6", name="Laura Smith", company="Luz Latina LLC", email="laura@luz.example",
         country="US", language="Spanish", owner_id="ben"),
    dict(crm_id="C7", name="陳大文", company="大文燈飾", email="chan@daman.example", country="HK",
         owner_id="ben"),
]  # fmt: skip


@pytest.fixture
def db(tmp_path):
    database = build_db(tmp_path / "kiosk.db")
    insert_contacts(database, [dict(c) for c in EXTRA])
    return database


def sp(db, key):
    person = find_salesperson(db, key)
    assert person is not None
    return person


def parse_eml(path: Path):
    return BytesParser(policy=policy.default).parsebytes(path.read_bytes())


def qr_of(message) -> str:
    image_part = next(p for p in message.walk() if p.get_content_type() == "image/png")
    image = Image.open(io.BytesIO(image_part.get_content()))
    found = zxingcpp.read_barcodes(image)
    assert len(found) == 1
    return found[0].text


@pytest.mark.parametrize(
    ("language", "country", "expected"),
    [
        ("zh-TW", "US", "zh"),
        ("Spanish", "US", "es"),
        ("Español", None, "es"),
        ("English", "CN", "en"),
        ("de", "ES", "es"),  # a language we do not write: fall back to the country
        (None, "CN", "zh"),
        (None, "SG", "zh"),
        (None, "MO", "zh"),
        (None, "MX", "es"),
        (None, "GQ", "es"),
        (None, "BR", "en"),
        (None, None, "en"),
        ("", "JP", "en"),
    ],
)
def test_invitation_language(language, country, expected):
    assert (
        invitation_language(Contact(id="x", name="x", language=language, country=country))
        == expected
    )


def test_language_of_unknown_words():
    assert language_of("klingon") is None and language_of(None) is None
    assert language_of("中文") == "zh" and language_of("ES_mx") == "es"


def test_customers_are_the_salespersons_own_and_filterable(db):
    ids = lambda rows: sorted(c.id for c in rows)  # noqa: E731
    assert ids(customers_of(db, "ben")) == ["C3", "C4", "C5", "C6", "C7"]
    assert ids(customers_of(db, "ben", "CN")) == ["C3"]
    assert ids(customers_of(db, "ben", "China, Hong Kong")) == ["C3", "C7"]
    assert ids(customers_of(db, "ben", "中国")) == ["C3"]
    assert ids(customers_of(db, "ben", "luz latina")) == ["C6"]
    assert ids(customers_of(db, "ben", "us")) == ["C5", "C6"]  # a country, not the text 'us'
    assert ids(customers_of(db, "ben", "text:mingliang")) == ["C3"]
    assert ids(customers_of(db, "ben", "nothing-like-this")) == []
    assert ids(customers_of(db, "ana")) == ["C2"]


def test_dates_in_three_languages():
    d = date
    assert format_dates(d(2026, 11, 24), d(2026, 11, 27), "en") == "24–27 November 2026"
    assert format_dates(d(2026, 11, 24), d(2026, 11, 27), "zh") == "2026年11月24日至27日"
    assert (
        format_dates(d(2026, 11, 24), d(2026, 11, 27), "es") == "del 24 al 27 de noviembre de 2026"
    )
    assert format_dates(d(2026, 11, 30), d(2026, 12, 2), "en") == "30 November – 2 December 2026"
    assert format_dates(d(2026, 11, 30), d(2026, 12, 2), "zh") == "2026年11月30日至12月2日"
    assert (
        format_dates(d(2026, 11, 30), d(2026, 12, 2), "es")
        == "del 30 de noviembre al 2 de diciembre de 2026"
    )
    assert format_dates(d(2026, 12, 30), d(2027, 1, 2), "zh") == "2026年12月30日至2027年1月2日"
    assert format_dates(d(2026, 5, 4), None, "es") == "4 de mayo de 2026"
    assert format_dates(None, None, "en") == "dates to be announced"


@pytest.mark.parametrize(
    ("key", "contact_id", "lang"), [("kenji", "C1", "en"), ("ana", "C2", "es"), ("ben", "C3", "zh")]
)
def test_golden_plain_text(db, key, contact_id, lang):
    contact = get_contact(db, contact_id)
    [issued] = issue(db, SHOW, sp(db, key), [contact], now=NOW)
    assert issued.language == lang
    rendered = render(SHOW, issued)
    actual = f"Subject: {rendered.subject}\n\n{rendered.text}"
    golden = GOLDEN / f"invitation.{lang}.txt"
    if os.environ.get("KIOSK_UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    assert actual == golden.read_text(encoding="utf-8")


def test_eml_parses_with_chinese_headers_both_parts_and_inline_qr(db, tmp_path):
    report = write_invitations(db, SHOW, sp(db, "ben"), tmp_path / "out", query="CN", now=NOW)
    [written] = report.written
    raw = written.eml.read_bytes()
    assert raw.isascii(), "headers and bodies must be 7-bit encoded for any mail server"
    assert b"\r\n" in raw and b"X-Unsent: 1" in raw
    msg = parse_eml(written.eml)
    assert msg["To"].addresses[0].display_name == "王小明"
    assert msg["To"].addresses[0].addr_spec == "wang@mingliang.example"
    assert msg["From"].addresses[0].display_name == "Ben Carter"
    assert msg["Subject"] == "诚邀您莅临Test Expo 2026 — 展位 5.1 A20，Messe Frankfurt"
    assert msg["Content-Language"] == "zh-CN"
    assert msg.get_content_type() == "multipart/alternative"
    plain = msg.get_body(preferencelist=("plain",))
    html = msg.get_body(preferencelist=("html",))
    assert plain is not None and html is not None
    assert "尊敬的王小明：" in plain.get_content()
    assert "尊敬的王小明：" in html.get_content()
    related = msg.get_payload()[1]
    assert related.get_content_type() == "multipart/related"
    image = next(p for p in msg.walk() if p.get_content_type() == "image/png")
    cid = image["Content-ID"].strip("<>")
    assert f'src="cid:{cid}"' in html.get_content()
    assert image.get_content_disposition() == "inline"


def test_qr_in_the_email_scans_to_a_token_that_checks_in_credited_to_the_inviter(db, tmp_path):
    report = write_invitations(db, SHOW, sp(db, "ben"), tmp_path / "out", query="CN", now=NOW)
    scanned = qr_of(parse_eml(report.written[0].eml))
    check = verify_token(scanned, secret=show_secret(db, SHOW), show_id=SHOW.show_id)
    assert check.ok and (check.contact_id, check.salesperson_id) == ("C3", "ben")
    done = booth.check_in(db, SHOW, check.contact_id, invited=check.salesperson_id, now=NOW)
    row = db.execute("SELECT invited_by FROM checkins WHERE id = ?", [done.event.uuid]).fetchone()
    assert row[0] == "ben"
    assert invitation_stats(db) == {"ben": (1, 1)}


def test_qr_round_trip_through_lookup(db, tmp_path):
    lookup = pytest.importorskip("kiosk.lookup")
    report = write_invitations(db, SHOW, sp(db, "ben"), tmp_path / "out", query="CN", now=NOW)
    scanned = qr_of(parse_eml(report.written[0].eml))
    result = lookup.lookup(db, scanned, secret=show_secret(db, SHOW), show_id=SHOW.show_id)
    assert result.invitation is not None and result.invitation.ok
    assert result.matches[0].contact.id == "C3"
    assert result.invitation.salesperson_id == "ben"
    altered = scanned[:-3] + ("A" if scanned[-3] != "A" else "B") + scanned[-2:]
    refused = lookup.lookup(db, altered, secret=show_secret(db, SHOW), show_id=SHOW.show_id)
    assert refused.invitation is not None and not refused.invitation.ok
    assert refused.invitation.error == FORGED


def test_short_url_config_puts_the_url_in_the_qr(db, tmp_path):
    show = replace(SHOW, short_url="https://go.lumen.example")
    report = write_invitations(db, show, sp(db, "ana"), tmp_path / "out", now=NOW)
    scanned = qr_of(parse_eml(report.written[0].eml))
    assert scanned.startswith("https://go.lumen.example/i/KV1.")
    assert verify_token(scanned, secret=show.secret, show_id=show.show_id).contact_id == "C2"


def test_skips_contacts_without_a_usable_address_and_writes_a_bom_csv(db, tmp_path):
    report = write_invitations(db, SHOW, sp(db, "ben"), tmp_path / "out", now=NOW)
    assert [w.issued.contact.id for w in report.written] == ["C6", "C3", "C7"]  # by name
    assert [(c.id, why) for c, why in report.skipped] == [
        ("C5", "not a valid email address: bad@"),
        ("C4", "no email address"),
    ]
    assert report.by_language == {"es": 1, "zh": 2}
    raw = report.csv_path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with report.csv_path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [r["address"] for r in rows] == [
        "laura@luz.example",
        "wang@mingliang.example",
        "chan@daman.example",
    ]
    assert rows[2]["name"] == "陳大文" and rows[2]["subject"].startswith("诚邀您莅临")
    assert "陳大文" in rows[2]["body_text"]
    for r in rows:
        assert (report.out_dir / r["qr_file"]).is_file()
        assert r["url"] == f"https://kiosk.invalid/i/{r['token']}"


def test_invitations_are_events_that_replay_and_merge(db, tmp_path):
    write_invitations(db, SHOW, sp(db, "ben"), tmp_path / "out", now=NOW)
    kinds = [k for (k,) in db.execute("SELECT kind FROM events")]
    assert kinds == ["invitation.sent"] * 3
    before = db.execute("SELECT * FROM invitations ORDER BY id").fetchall()
    assert ev.rebuild(db) == 3
    assert db.execute("SELECT * FROM invitations ORDER BY id").fetchall() == before

    other = build_db(tmp_path / "laptop.db")
    insert_contacts(other, [dict(c) for c in EXTRA])
    assert ev.merge_events(other, ev.iter_events(db)) == (3, 0)
    assert invitation_stats(other) == {"ben": (3, 0)}
    booth.check_in(other, SHOW, "C7", now=NOW)  # checked in by name: the invitation still counts
    assert invitation_stats(other) == {"ben": (3, 1)}


def test_stats_count_distinct_customers(db, tmp_path):
    salesperson = sp(db, "ben")
    write_invitations(db, SHOW, salesperson, tmp_path / "a", query="CN", now=NOW)
    write_invitations(db, SHOW, salesperson, tmp_path / "b", query="CN", now=NOW)
    booth.check_in(db, SHOW, "C3", now=NOW)
    booth.check_in(db, SHOW, "C3", now=NOW)
    assert invitation_stats(db) == {"ben": (1, 1)}


def test_sender_without_email_is_refused(db, tmp_path):
    nobody = replace(sp(db, "ben"), email="")
    with pytest.raises(InvitationError, match="no valid email address"):
        write_invitations(db, SHOW, nobody, tmp_path / "out", now=NOW)


def test_edited_templates_are_used_and_mistakes_named(db, tmp_path):
    own = tmp_path / "templates"
    own.mkdir()
    (own / "invitation.es.txt").write_text(
        "Subject: ¡Hola $contact_name!\n\nNos vemos en $where, $show_dates.\n$salesperson_title\n",
        encoding="utf-8",
    )
    [issued] = issue(db, SHOW, sp(db, "ana"), [get_contact(db, "C2")], now=NOW)
    rendered = render(SHOW, issued, template_dir=own)
    assert rendered.subject == "¡Hola José Martínez!"
    # the title line was empty for Ana, so it is left out rather than left blank
    assert (
        rendered.text
        == "Nos vemos en Stand 5.1 A20, Messe Frankfurt, del 24 al 27 de noviembre de 2026.\n"
    )
    assert 'src="cid:' in rendered.html  # the HTML fell back to the built-in template

    (own / "invitation.es.txt").write_text("Subject: x\n\n$contact_nombre\n", encoding="utf-8")
    with pytest.raises(
        InvitationError, match=r"invitation.es.txt uses unknown field \$contact_nombre"
    ):
        render(SHOW, issued, template_dir=own)
    (own / "invitation.es.txt").write_text("Hola\n", encoding="utf-8")
    with pytest.raises(InvitationError, match="must start with a 'Subject: …' line"):
        render(SHOW, issued, template_dir=own)


def test_hostile_names_stay_on_one_header_line_and_are_escaped_in_html(db, tmp_path):
    insert_contacts(
        db,
        [dict(crm_id="C9", name="Eve\r\nBcc: all@evil.example <b>", email="eve@evil.example",
              country="GB", owner_id="ana")],
    )  # fmt: skip
    report = write_invitations(db, SHOW, sp(db, "ana"), tmp_path / "out", query="evil", now=NOW)
    msg = parse_eml(report.written[0].eml)
    assert msg["Bcc"] is None
    assert msg["To"].addresses[0].addr_spec == "eve@evil.example"
    html = msg.get_body(preferencelist=("html",)).get_content()
    assert "&lt;b&gt;" in html and "<b>" not in html


def test_opening_a_version_1_database_adds_the_invitations_table(tmp_path):
    import sqlite_utils

    path = tmp_path / "v1.db"
    old = sqlite_utils.Database(path)
    migrations.apply(old, stop_before="m002_invitations")
    assert "invitations" not in old.table_names()
    old.conn.close()
    db = open_db(path)
    assert "invitations" in db.table_names()
    version = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0]
    assert version == str(SCHEMA_VERSION) and SCHEMA_VERSION >= 2
