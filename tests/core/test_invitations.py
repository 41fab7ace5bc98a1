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
from kiosk.db import SCHEMA_VERSION, migration_set, open_db
from kiosk.invites.files import CSV_COLUMNS, write_invitations
from kiosk.invites.invitations import (
    customers_of,
    invitation_language,
    issue,
    language_of,
)
from kiosk.invites.mail import LANGUAGES, InvitationError, date_locale, format_dates, render
from kiosk.models import Contact
from kiosk.reports.dashboard import invitation_stats
from kiosk.store import find_salesperson, get_contact
from kiosk.tokens import FORGED, show_secret, verify_token
from tests.factory import CONFIG, NOW

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
    # Marta's customers: one per language the invitations are written in, by country or by
    # the CRM's language field
    dict(crm_id="C10", name="김민준", company="한빛조명", email="minjun@hanbit.example",
         country="KR", owner_id="marta"),
    dict(crm_id="C11", name="Jonas Weber", company="Weber Licht GmbH", email="jonas@weber.example",
         country="CH", language="Deutsch", owner_id="marta"),
    dict(crm_id="C12", name="Camille Martin", company="Lumière & Cie", email="camille@lumiere.example",
         country="FR", owner_id="marta"),
    dict(crm_id="C13", name="Ana Souza", company="Souza Iluminação Ltda", email="ana@souza.example",
         country="BR", owner_id="marta"),
    dict(crm_id="C14", name="João Silva", company="Silva & Filhos", email="joao@silva.example",
         country="ES", language="pt-PT", owner_id="marta"),
    dict(crm_id="C15", name="Emily Clarke", company="Clarke Lighting Ltd", email="emily@clarke.example",
         country="GB", owner_id="marta"),
    dict(crm_id="C16", name="Lena Gruber", company="Gruber Leuchten", email="lena@gruber.example",
         country="AT", owner_id="marta"),
    dict(crm_id="C17", name="Sam Fox", company="Fox Electric", email="sam@fox.example",
         country="US", owner_id="marta"),
]  # fmt: skip


@pytest.fixture
def db(company_db):
    """The test company and the customers above."""
    database = company_db("kiosk")
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
        ("English", "JP", "en"),  # the CRM's language wins over the country
        ("it", "ES", "es"),  # a language we do not write: fall back to the country
        ("Italiano", "IT", "en"),  # … and to English when the country's is not written either
        (None, "CN", "zh"),
        (None, "SG", "zh"),
        (None, "MO", "zh"),
        (None, "MX", "es"),
        (None, "GQ", "es"),
        (None, None, "en"),
        (None, "US", "en"),
        ("", "JP", "ja"),
        (None, "KR", "ko"),
        (None, "DE", "de"),
        (None, "AT", "de"),
        (None, "CH", "de"),
        (None, "FR", "fr"),
        (None, "SN", "fr"),
        (None, "BE", "en"),  # Dutch and French: neither is safe without the CRM's word
        (None, "CA", "en"),
        (None, "BR", "pt"),
        (None, "PT", "pt"),
        (None, "AO", "pt"),
        ("ja-JP", "US", "ja"),
        ("日本語", None, "ja"),
        ("Korean", "US", "ko"),
        ("한국어", None, "ko"),
        ("Deutsch", "BE", "de"),
        ("ger", None, "de"),
        ("Français", "BE", "fr"),
        ("fr_CA", "CA", "fr"),
        ("Português", None, "pt"),
        ("pt-BR", "US", "pt"),
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
    assert language_of("ドイツ語") == "de" and language_of("Portuguese (Brazil)") == "pt"


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


def test_dates_in_each_language_by_cldr():
    d = date
    cases = {
        # locale: (same month, across months, across years, one day)
        "en": ("24–27 November 2026", "30 November – 2 December 2026",
               "30 December 2026 – 2 January 2027", "4 May 2026"),
        "en_US": ("November 24 – 27, 2026", "November 30 – December 2, 2026",
                  "December 30, 2026 – January 2, 2027", "May 4, 2026"),
        "zh": ("2026年11月24日 – 27日", "2026年11月30日 – 12月2日",
               "2026年12月30日 – 2027年1月2日", "2026年5月4日"),
        "zh_Hant_TW": ("2026年11月24日至27日", "2026年11月30日至12月2日",
                       "2026年12月30日至2027年1月2日", "2026年5月4日"),
        "es": ("24–27 de noviembre de 2026", "30 de noviembre – 2 de diciembre de 2026",
               "30 de diciembre de 2026 – 2 de enero de 2027", "4 de mayo de 2026"),
        "ja": ("2026年11月24日～27日", "2026年11月30日～12月2日",
               "2026年12月30日～2027年1月2日", "2026年5月4日"),
        "ko": ("2026년 11월 24일~27일", "2026년 11월 30일~12월 2일",
               "2026년 12월 30일~2027년 1월 2일", "2026년 5월 4일"),
        "de": ("24.–27. November 2026", "30. November – 2. Dezember 2026",
               "30. Dezember 2026 – 2. Januar 2027", "4. Mai 2026"),
        "de_AT": ("24.–27. November 2026", "30. November – 2. Dezember 2026",
                  "30. Dezember 2026 – 2. Jänner 2027", "4. Mai 2026"),
        "fr": ("24–27 novembre 2026", "30 novembre – 2 décembre 2026",
               "30 décembre 2026 – 2 janvier 2027", "4 mai 2026"),
        "pt": ("24 – 27 de novembro de 2026", "30 de novembro – 2 de dezembro de 2026",
               "30 de dezembro de 2026 – 2 de janeiro de 2027", "4 de maio de 2026"),
        "pt_PT": ("24–27 de novembro de 2026", "30 de novembro – 2 de dezembro de 2026",
                  "30 de dezembro de 2026 – 2 de janeiro de 2027", "4 de maio de 2026"),
    }  # fmt: skip
    for locale, expected in cases.items():
        got = (
            format_dates(d(2026, 11, 24), d(2026, 11, 27), locale),
            format_dates(d(2026, 11, 30), d(2026, 12, 2), locale),
            format_dates(d(2026, 12, 30), d(2027, 1, 2), locale),
            format_dates(d(2026, 5, 4), None, locale),
        )
        # CLDR puts thin spaces around a range's dash; compare them as spaces
        assert tuple(g.replace("\u2009", " ") for g in got) == expected, locale
    assert format_dates(None, d(2026, 5, 4), "fr") == "4 mai 2026"
    assert format_dates(d(2026, 5, 4), d(2026, 5, 4), "de") == "4. Mai 2026"
    assert format_dates(None, None, "en") == "dates to be announced"
    assert format_dates(None, None, "ja") == "日程未定"
    assert format_dates(None, None, "pt_BR") == "datas a confirmar"


@pytest.mark.parametrize(
    ("language", "country", "lang", "locale"),
    [
        (None, "JP", "ja", "ja_JP"),
        (None, "KR", "ko", "ko_KR"),
        (None, "AT", "de", "de_AT"),
        ("Deutsch", "CH", "de", "de_CH"),
        (None, "FR", "fr", "fr_FR"),
        ("fr", "CA", "fr", "fr_CA"),
        (None, "BR", "pt", "pt_BR"),
        ("pt-PT", "ES", "pt", "pt_PT"),  # the CRM's language names the variant
        (None, "US", "en", "en_US"),
        (None, "GB", "en", "en_GB"),
        (None, None, "en", "en_001"),  # English as written internationally
        ("English", "CN", "en", "en_001"),  # no 'en_CN' in CLDR
        ("zh-TW", "US", "zh", "zh_Hant_TW"),
        (None, "CN", "zh", "zh_Hans_CN"),
        (None, "MX", "es", "es_MX"),
    ],
)
def test_date_locale_follows_the_customers_country(language, country, lang, locale):
    assert invitation_language(Contact(id="x", name="x", language=language, country=country)) == (
        lang
    )
    assert date_locale(lang, language, country) == locale


@pytest.mark.parametrize(
    ("key", "contact_id", "lang"),
    [
        ("marta", "C15", "en"),
        ("ana", "C2", "es"),
        ("ben", "C3", "zh"),
        ("kenji", "C1", "ja"),
        ("marta", "C10", "ko"),
        ("marta", "C11", "de"),
        ("marta", "C12", "fr"),
        ("marta", "C13", "pt"),
    ],
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


def test_each_customer_gets_their_language_and_their_locales_dates(db, tmp_path):
    show = replace(SHOW, start=date(2026, 12, 30), end=date(2027, 1, 2))  # across a new year
    report = write_invitations(db, show, sp(db, "marta"), tmp_path / "out", now=NOW)
    by_id = {w.issued.contact.id: w for w in report.written}
    expected = {
        # contact: (Content-Language, greeting, dates line of the plain text)
        "C10": ("ko", "김민준 님께", "기간: 2026년 12월 30일~2027년 1월 2일"),
        "C11": ("de", "Guten Tag Jonas Weber,", "Datum: 30. Dezember 2026 – 2. Januar 2027"),
        "C12": ("fr", "Bonjour Camille Martin,", "Dates : 30 décembre 2026 – 2 janvier 2027"),
        "C13": ("pt", "Prezado(a) Ana Souza,", "Quando: 30 de dezembro de 2026 – 2 de janeiro de 2027"),
        "C14": ("pt", "Prezado(a) João Silva,", "Quando: 30 de dezembro de 2026 – 2 de janeiro de 2027"),
        "C15": ("en", "Dear Emily Clarke,", "When:  30 December 2026 – 2 January 2027"),
        "C16": ("de", "Guten Tag Lena Gruber,", "Datum: 30. Dezember 2026 – 2. Jänner 2027"),
        "C17": ("en", "Dear Sam Fox,", "When:  December 30, 2026 – January 2, 2027"),
    }  # fmt: skip
    assert sorted(by_id) == sorted(expected)
    assert report.by_language == {"de": 2, "en": 2, "fr": 1, "ko": 1, "pt": 2}
    for contact_id, (lang, greeting, dates) in expected.items():
        msg = parse_eml(by_id[contact_id].eml)
        assert msg["Content-Language"] == lang
        plain = msg.get_body(preferencelist=("plain",)).get_content().replace("\u2009", " ")
        html = msg.get_body(preferencelist=("html",)).get_content().replace("\u2009", " ")
        assert greeting in plain and greeting in html, contact_id
        assert dates in plain, (contact_id, plain)
        assert dates.split(":", 1)[1].strip() in html
        assert f'<html lang="{lang}">' in html
        assert "$" not in plain and "$" not in html  # every placeholder filled
        assert qr_of(msg) == by_id[contact_id].issued.token


def test_a_japanese_customer_gets_japanese_with_the_company_above_the_name(db, tmp_path):
    report = write_invitations(db, SHOW, sp(db, "kenji"), tmp_path / "out", now=NOW)
    [written] = report.written
    msg = parse_eml(written.eml)
    assert msg["Content-Language"] == "ja"
    assert (
        msg["Subject"]
        == "【ご招待】Test Expo 2026 弊社ブースへのご案内 — ブース 5.1 A20、Messe Frankfurt"
    )
    plain = msg.get_body(preferencelist=("plain",)).get_content()
    assert plain.startswith("Tanaka Shoji\nYuki Tanaka 様\n")
    assert "会期：2026年11月24日～27日" in plain
    html = msg.get_body(preferencelist=("html",)).get_content()
    assert "Tanaka Shoji<br>Yuki Tanaka 様" in html and "2026年11月24日～27日" in html

    # a customer without a company: no empty line, no stray <br> above the name
    [issued] = issue(
        db, SHOW, sp(db, "kenji"), [replace(get_contact(db, "C1"), company="")], now=NOW
    )
    rendered = render(SHOW, issued)
    assert rendered.text.startswith("Yuki Tanaka 様\n")
    assert '<p style="font-size:15px;line-height:1.5">Yuki Tanaka 様</p>' in rendered.html


def test_every_language_has_a_template_with_every_fact_and_an_html_body(db):
    import re
    from importlib import resources

    folder = resources.files("kiosk.invites").joinpath("templates")
    fields = lambda text: set(re.findall(r"\$\{?(\w+)", text))  # noqa: E731
    en_text = fields(folder.joinpath("invitation.en.txt").read_text(encoding="utf-8"))
    [issued] = issue(db, SHOW, sp(db, "kenji"), [get_contact(db, "C1")], now=NOW)
    for lang in LANGUAGES:
        text = folder.joinpath(f"invitation.{lang}.txt").read_text(encoding="utf-8")
        assert text.startswith("Subject: "), lang
        assert fields(text) >= en_text - {"salesperson_title"}, lang  # booth, dates, code…
        rendered = render(SHOW, replace(issued, language=lang))
        assert "$" not in rendered.text and "$" not in rendered.html, lang
        assert f'<html lang="{lang}' in rendered.html, lang
        assert f'src="cid:{rendered.qr_cid}"' in rendered.html, lang
        assert issued.token in rendered.text and issued.token in rendered.html, lang


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


def test_invitations_are_events_that_replay_and_merge(db, tmp_path, company_db):
    write_invitations(db, SHOW, sp(db, "ben"), tmp_path / "out", now=NOW)
    kinds = [k for (k,) in db.execute("SELECT kind FROM events")]
    assert kinds == ["invitation.sent"] * 3
    before = db.execute("SELECT * FROM invitations ORDER BY id").fetchall()
    assert ev.rebuild(db) == 3
    assert db.execute("SELECT * FROM invitations ORDER BY id").fetchall() == before

    other = company_db("laptop")
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
        == "Nos vemos en Stand 5.1 A20, Messe Frankfurt, 24–27 de noviembre de 2026.\n"
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
    migration_set().apply(old, stop_before="m002_invitations")
    assert "invitations" not in old.table_names()
    old.conn.close()
    db = open_db(path)
    assert "invitations" in db.table_names()
    version = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0]
    assert version == str(SCHEMA_VERSION) and SCHEMA_VERSION >= 2


def test_the_html_is_the_text_laid_out_escaped_with_the_qr_above_the_code():
    from kiosk.invites.mail import text_to_html

    text = (
        "Dear <b>Ana</b>,\n\nA first line of a longer paragraph that the text file wrapped at\n"
        "seventy-eight columns.\n\n  When:  24 May\n  Where: Hall 9\n\n"
        "Your invitation code: KV1.x.y\n\nAna Ruiz\nEmail: ana@lumen.example"
    )
    page = text_to_html(text, token="KV1.x.y", qr_cid="qr1@x")
    assert "&lt;b&gt;Ana&lt;/b&gt;" in page and "<b>" not in page
    assert "wrapped at seventy-eight columns." in page  # wrapped lines flow again
    assert "<td><strong>24 May</strong></td>" in page
    assert page.index('src="cid:qr1@x"') < page.index("KV1.x.y")
    assert '<a href="mailto:ana@lumen.example">' in page and "<strong>Ana Ruiz</strong>" in page


def test_the_mail_merge_csv_neutralises_formulas(db, tmp_path):
    db.execute("UPDATE contacts SET name = '=HYPERLINK(\"http://x.example\",\"Ana\")'"
               " WHERE id = 'C3'")  # fmt: skip
    report = write_invitations(db, SHOW, sp(db, "ben"), tmp_path / "out", now=NOW)
    with report.csv_path.open(encoding="utf-8-sig", newline="") as fh:
        cells = [v for row in csv.DictReader(fh) for v in row.values()]
    assert not [c for c in cells if c[:1] in ("=", "+", "@")]
    assert any(c.startswith("'=HYPERLINK") for c in cells)


def test_a_kiosk_with_a_key_of_its_own_says_so_when_it_refuses_an_invitation(db, tmp_path):
    """A kiosk set up on its own made its own invitation key the first time it needed one,
    then turned away every invitation the first kiosk had signed as "forged or altered",
    with no word of the key file it lacked."""
    import shutil

    from kiosk import keyfile
    from kiosk.db import copy_database
    from kiosk.lookup import lookup
    from kiosk.tokens import make_token

    show = replace(SHOW, secret="")
    mine = show_secret(db, show)  # made here: this kiosk's own key
    theirs = make_token(secret="the-first-kiosks-key", show_id=show.show_id, contact_id="C3",
                        salesperson_id="ben", issued_at=NOW)  # fmt: skip
    refused = lookup(db, theirs, secret=mine, show_id=show.show_id)
    assert refused.invitation.error.startswith(FORGED)
    assert "this kiosk made its own invitation key" in refused.invitation.error
    assert "copy the key file of the kiosk that made the invitations" in refused.message
    # a kiosk cloned with the key file (the key was made elsewhere) just says forged
    clone = copy_database(db.conn, tmp_path / "kiosk-2.db")
    path = keyfile.database_file(db)
    shutil.copy(keyfile.key_file(path), keyfile.key_file(clone))
    other = open_db(clone, create=False)
    assert show_secret(other, show) == mine
    refused = lookup(other, theirs, secret=mine, show_id=show.show_id)
    assert refused.invitation.error == FORGED
    other.conn.close()
