"""Walk-in badges: print size, a QR that scans back, CJK names, and no crash without fonts."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
import zxingcpp

from kiosk import booth
from kiosk.badges import parse_badge
from kiosk.invites.fonts import BadgeFont, find_badge_font, font_warnings, has_cjk
from kiosk.invites.walkin import (
    SIZE,
    BadgeError,
    badge_for_contact,
    badge_for_visitor,
    find_contact,
    new_registration_id,
    render_badge,
    save_badge,
)
from kiosk.store import get_contact
from kiosk.tokens import verify_token
from tests.factory import CONFIG, NOW

SHOW = replace(CONFIG, start=date(2026, 11, 24), end=date(2026, 11, 27), booth="5.1 A20")


def scan(image) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(image)]


def test_contact_badge_is_4_by_3_inches_at_300_dpi_and_scans_to_the_contact(db, tmp_path):
    from PIL import Image

    badge = badge_for_contact(db, SHOW, get_contact(db, "C3"), now=NOW)
    image, warnings = render_badge(badge, SHOW, lang="zh")
    path = tmp_path / "badge.png"
    save_badge(image, path)
    saved = Image.open(path)
    assert saved.size == SIZE == (1200, 900)
    assert tuple(round(v) for v in saved.info["dpi"]) == (300, 300)
    [text] = scan(saved)
    check = verify_token(text, secret=SHOW.secret, show_id=SHOW.show_id)
    assert check.ok and check.contact_id == "C3"
    assert check.salesperson_id is None  # a walk-in badge is not an invitation
    if find_badge_font().covers_cjk:
        assert warnings == []


def test_badge_scan_checks_in_and_calls_the_owner_without_inviter_credit(db):
    badge = badge_for_contact(db, SHOW, get_contact(db, "C1"), now=NOW)
    check = verify_token(badge.qr_data, secret=SHOW.secret, show_id=SHOW.show_id)
    done = booth.check_in(db, SHOW, check.contact_id, invited=check.salesperson_id, now=NOW)
    assert done.decision.salesperson_id == "kenji"
    assert db.execute("SELECT invited_by FROM checkins").fetchone()[0] is None


def test_credit_names_a_salesperson(db):
    badge = badge_for_contact(db, SHOW, get_contact(db, "C1"), credit="ana", now=NOW)
    assert (
        verify_token(badge.qr_data, secret=SHOW.secret, show_id=SHOW.show_id).salesperson_id
        == "ana"
    )


def test_new_visitor_badge_carries_a_vcard_the_badge_parser_reads():
    badge = badge_for_visitor(
        name="Hans Müller", company="Licht GmbH", country="DE", email="hans@licht.example"
    )
    image, _ = render_badge(badge, SHOW)
    assert image.size == SIZE
    [text] = scan(image)
    parsed = parse_badge(text)
    assert (parsed.kind, parsed.name, parsed.company, parsed.country) == (
        "vcard",
        "Hans Müller",
        "Licht GmbH",
        "DE",
    )
    assert parsed.email == "hans@licht.example"
    assert parsed.badge_id == badge.registration_id and badge.registration_id.startswith("W-")


def test_registration_ids_are_unambiguous_and_distinct():
    ids = {new_registration_id() for _ in range(200)}
    assert len(ids) == 200
    assert all(len(i) == 10 and not set(i[2:]) & set("01IO") for i in ids)


@pytest.mark.parametrize(
    "name",
    [
        "",
        "A",
        "王" * 80,
        "Wolfeschlegelsteinhausenbergerdorff" * 3,
        "Ana\nRuiz\t\x00",
        "🙂 Émoji Person",
    ],
)
def test_any_name_renders_without_raising(name):
    badge = badge_for_visitor(name=name or "—", company=name, country="")
    image, _ = render_badge(badge, SHOW)
    assert image.size == SIZE


def test_without_any_font_file_it_falls_back_and_warns():
    badge = badge_for_visitor(name="王小明", company="明亮照明", country="CN")
    fallback = BadgeFont(None, source="Pillow built-in font")
    image, warnings = render_badge(badge, SHOW, font=fallback)
    assert image.size == SIZE
    assert len(warnings) == 1 and "no font with Chinese characters" in warnings[0]
    assert scan(image)  # the QR does not depend on fonts
    assert render_badge(badge, SHOW, font=BadgeFont("/no/such/font.ttf"))[0].size == SIZE


def test_font_warning_only_for_cjk_text():
    latin = BadgeFont("/x.ttf", covers_cjk=False, source="DejaVu")
    assert font_warnings(latin, ["José Martínez"]) == []
    assert font_warnings(latin, ["王小明"]) != []
    assert has_cjk("カタカナ") and has_cjk("한국") and not has_cjk("Ωmega Ä")


def test_env_var_font_is_used(monkeypatch):
    real = find_badge_font()
    if real.path is None:
        pytest.skip("no font file on this machine")
    find_badge_font.cache_clear()
    monkeypatch.setenv("KIOSK_BADGE_FONT", f"{real.path}#{real.index}")
    try:
        assert find_badge_font().source.startswith("KIOSK_BADGE_FONT=")
    finally:
        monkeypatch.delenv("KIOSK_BADGE_FONT")
        find_badge_font.cache_clear()


def test_find_contact_by_id_badge_email_and_name(db):
    assert find_contact(db, "C3").name == "王小明"
    assert find_contact(db, "B-100").id == "C1"
    assert find_contact(db, "JOSE@luces.example").id == "C2"
    # a further address from a CRM cell that held two (`contact_keys`)
    db.execute("INSERT INTO contact_keys(key, contact_id) VALUES ('jose@casa.example', 'C2')")
    assert find_contact(db, "Jose@Casa.example").id == "C2"
    assert find_contact(db, "小明").id == "C3"
    assert find_contact(db, "yuki tanaka").id == "C1"
    with pytest.raises(BadgeError, match="no contact matches 'zzz'"):
        find_contact(db, "zzz")
    with pytest.raises(BadgeError, match="matches several contacts"):
        find_contact(db, ".example")
