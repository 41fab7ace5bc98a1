"""parse_badge on contact cards: vCard 2.1/3.0/4.0, MECARD and BIZCARD.

The real-world vCards are vendored in tests/data/vcards (see its SOURCES.md); our own
fixtures in tests/data/badges cover what the corpus lacks: Chinese and Spanish names in
QUOTED-PRINTABLE, base64 and MECARD, and a vCard 4.0 without FN.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from kiosk.badges import parse_badge

CORPUS = Path(__file__).resolve().parents[1] / "data" / "vcards"
DATA = Path(__file__).resolve().parents[1] / "data" / "badges"
CORPUS_FILES = sorted(CORPUS.rglob("*.vcf"))
# The only corpus card with no name, company, nickname or e-mail at all (just a LABEL and a
# UID); KContacts' own re-serialisation (vcard7.vcf.ref) has an empty FN for it too.
NAMELESS = {"kcontacts/vcard7.vcf"}
FIELDS = ("name", "email", "phone", "company", "title", "url", "city", "country", "badge_id")


def read(path: Path) -> str:
    """File text as a scanner would deliver it. KContacts' vcard9.vcf is folded at byte
    counts, splitting UTF-8 sequences across lines, so undecodable bytes are kept as
    surrogate escapes for the parser to rejoin once the lines are unfolded."""
    return path.read_bytes().decode("utf-8", "surrogateescape")


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: str(p.relative_to(CORPUS)))
def test_every_corpus_vcard_parses_with_a_name(path: Path) -> None:
    text = read(path)
    badge = parse_badge(text)
    assert badge.kind == "vcard"
    assert badge.raw == text
    if str(path.relative_to(CORPUS)) in NAMELESS:
        assert badge.name == ""
        assert "no name on the card" in badge.warnings
    else:
        assert badge.name.strip()
        assert "\ufffd" not in badge.name


def _ref_pairs() -> list[tuple[Path, Path]]:
    folder = CORPUS / "kcontacts"
    pairs = []
    for ref in sorted(folder.glob("*.vcf.ref")):
        source = folder / ref.name.removeprefix("v4_0.").removesuffix(".ref")
        if source.exists():
            pairs.append((source, ref))
    return pairs


@pytest.mark.parametrize("source,ref", _ref_pairs(), ids=lambda p: p.name)
def test_kcontacts_sources_agree_with_their_normalised_refs(source: Path, ref: Path) -> None:
    """KContacts re-serialises each input as clean 3.0/4.0; both must read the same."""
    a, b = parse_badge(read(source)), parse_badge(read(ref))
    assert {f: getattr(a, f) for f in FIELDS} == {f: getattr(b, f) for f in FIELDS}


def test_the_vendored_corpus_is_all_there() -> None:
    """An empty glob would quietly parametrize nothing; count what tests/data/vcards holds."""
    assert len(CORPUS_FILES) == 37
    assert len(_ref_pairs()) == 27
    assert len(CORPUS_EXPECTED) == 12


# What each corpus card must read as: a data table beside the cards (only the listed fields
# are checked), so that adding a card is adding a few lines of TOML.
CORPUS_EXPECTED: dict[str, dict[str, str]] = tomllib.loads(
    (CORPUS / "expected.toml").read_text(encoding="utf-8")
)


@pytest.mark.parametrize("rel", sorted(CORPUS_EXPECTED))
def test_corpus_fields(rel: str) -> None:
    badge = parse_badge(read(CORPUS / rel))
    assert {f: getattr(badge, f) for f in CORPUS_EXPECTED[rel]} == CORPUS_EXPECTED[rel]


def test_multi_card_file_reads_the_first_card_and_says_so() -> None:
    badge = parse_badge(read(CORPUS / "ezvcard" / "gmail-list.vcf"))
    assert (badge.name, badge.email) == ("Arnold Smith", "asmithk@gmail.com")
    assert any("3 vCards" in w for w in badge.warnings)


# --- our fixtures --------------------------------------------------------------------------


def test_vcard21_quoted_printable_chinese_with_soft_breaks_and_crlf() -> None:
    text = read(DATA / "vcard21_qp_chinese.vcf")
    assert "\r\n" in text
    badge = parse_badge(text)
    assert badge.name == "王小明"
    assert badge.company == "深圳市星光电子有限公司"  # ORG's first component, across a soft break
    assert badge.title == "销售经理"
    assert badge.phone == "+86 139 2345 6789"  # the PREF cell phone, not the fax
    assert badge.email == "wang.xiaoming@starlight-elec.cn"
    assert (badge.city, badge.country) == ("深圳", "CN")


def test_vcard30_spanish_folding_escapes_and_grouped_email() -> None:
    badge = parse_badge(read(DATA / "vcard30_spanish_folded.vcf"))
    assert badge.name == "María José Fernández Núñez"
    assert badge.email == "mj.fernandez@exportadora-andaluza.es"
    assert badge.company == "Exportadora Andaluza, S.L."
    assert badge.title == "Directora de Exportación"
    assert badge.url == "https://exportadora-andaluza.es"
    assert (badge.city, badge.country) == ("Málaga", "ES")


def test_vcard40_name_from_n_pref_numbers_and_tel_uri() -> None:
    badge = parse_badge(read(DATA / "vcard40_n_only.vcf"))
    assert badge.name == "Chidi Emeka Okafor"
    assert badge.email == "c.okafor@lagosagro.example"  # PREF=1 beats PREF=2
    assert badge.phone == "+234-1-271-0000 ext. 12"
    assert badge.badge_id == "urn:uuid:7c1e0b6a-2f7b-4d8e-9a59-3b8f8f8d2a11"
    assert badge.country == "NG"


def test_vcard_base64_values_and_cr_cr_lf_lines() -> None:
    badge = parse_badge(read(DATA / "vcard30_base64_iphone.vcf"))
    assert (badge.name, badge.company) == ("Jürgen Müller", "Müller Maschinenbau GmbH")
    assert badge.country == "DE"  # from +49, the card has no address


def test_vcard_name_from_n_when_fn_missing_chinese_order() -> None:
    card = "BEGIN:VCARD\nVERSION:3.0\nN:王;小明;;;\nEND:VCARD"
    assert parse_badge(card).name == "王小明"


def test_vcard_lf_only_lowercase_and_lone_cr_lines() -> None:
    card = "begin:vcard\rversion:2.1\rn:Ruiz;Ana\rorg:Frutas;Ventas\rend:vcard\r"
    badge = parse_badge(card)
    assert (badge.kind, badge.name, badge.company) == ("vcard", "Ana Ruiz", "Frutas")


def test_vcard_qp_latin1_charset_and_bare_params() -> None:
    card = (
        "BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=ISO-8859-1;QUOTED-PRINTABLE:Pe=F1a;Jos=E9\r\n"
        "TEL;WORK;VOICE:+52 55 5123 4567\r\nEND:VCARD\r\n"
    )
    badge = parse_badge(card)
    assert (badge.name, badge.country) == ("José Peña", "MX")


def test_vcard_qp_soft_break_inside_a_multibyte_character() -> None:
    card = (
        "BEGIN:VCARD\nVERSION:2.1\nFN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Mar=C3=\n"
        "=ADa Gonz=C3=A1lez\nEND:VCARD"
    )
    assert parse_badge(card).name == "María González"


def test_vcard_after_scanner_noise_and_text_before_begin() -> None:
    card = "]Q1\\000026\ufeffBEGIN:VCARD\nFN:Ana Ruiz\nEMAIL:ana@x.es\nEND:VCARD\n\n"
    badge = parse_badge(card)
    assert (badge.kind, badge.name, badge.email) == ("vcard", "Ana Ruiz", "ana@x.es")


def test_vcard_without_end_and_with_garbage_lines() -> None:
    card = 'BEGIN:VCARD\nthis line has no colon\n:no name\nFN:Ana\nEMAIL;TYPE="a:b":a@b.example'
    badge = parse_badge(card)
    assert (badge.name, badge.email) == ("Ana", "a@b.example")


def test_vcard_badge_id_from_x_property_beats_uid() -> None:
    card = "BEGIN:VCARD\nFN:Ana\nUID:abc\nX-BADGE-ID:REG-5\nEND:VCARD"
    assert parse_badge(card).badge_id == "REG-5"


def test_vcard_nested_agent_card_is_ignored() -> None:
    card = (
        "BEGIN:VCARD\nVERSION:2.1\nFN:Boss\nAGENT:\nBEGIN:VCARD\nFN:Assistant\nEMAIL:as@x.example\n"
        "END:VCARD\nEMAIL:boss@x.example\nEND:VCARD"
    )
    badge = parse_badge(card)
    assert (badge.name, badge.email) == ("Boss", "boss@x.example")


def test_vcard_fax_is_the_last_choice_for_phone() -> None:
    card = "BEGIN:VCARD\nFN:A\nTEL;TYPE=FAX:111\nTEL;TYPE=HOME:222\nEND:VCARD"
    assert parse_badge(card).phone == "222"


# --- MECARD and BIZCARD --------------------------------------------------------------------


def test_mecard_chinese() -> None:
    badge = parse_badge((DATA / "mecard_chinese.txt").read_text(encoding="utf-8"))
    assert badge.kind == "mecard"
    assert badge.name == "李娜"
    assert badge.company == "广州贸易有限公司"
    assert (badge.email, badge.phone) == ("li.na@example.cn", "+8613812345678")
    assert (badge.city, badge.country) == ("广州", "CN")


def test_mecard_spanish_with_escapes() -> None:
    badge = parse_badge((DATA / "mecard_spanish.txt").read_text(encoding="utf-8"))
    assert badge.name == "José Ángel Peña Gómez"
    assert badge.company == "Agroindustrias del Bajío"
    assert badge.url == "https://example.mx/contacto"
    assert badge.country == "MX"


def test_mecard_escapes_in_fields() -> None:
    badge = parse_badge(r"MECARD:N:O\:Brien,Pat;ORG:Smith\; Sons \\ Co;EMAIL:pat@x.ie;;")
    assert (badge.name, badge.company, badge.email) == (
        "Pat O:Brien",
        "Smith; Sons \\ Co",
        "pat@x.ie",
    )


@pytest.mark.parametrize(
    ("adr", "country"),
    [
        (r"Madrid\, Spain", "ES"),  # a free-text address, its comma escaped as the spec asks
        (r"Calle Mayor 1\, 28013 Madrid\, España", "ES"),
        (r"12 Nguyen Hue\, Quan 1\, TP. Ho Chi Minh\, Vietnam", "VN"),
        ("Madrid, Spain", "ES"),  # unescaped: parts, the last one the country
    ],
)
def test_mecard_free_text_address_gives_its_country(adr: str, country: str) -> None:
    """Without a phone or an e-mail that names a country, 'ADR:Madrid\\, Spain' routed to the
    default owner: the escaped commas made the address one part, and nothing was tried."""
    badge = parse_badge(f"MECARD:N:Garcia,Maria;ORG:Foo;EMAIL:m@foo.example;ADR:{adr};;")
    assert badge.country == country


def test_mecard_lowercase_prefix_no_terminator_and_nickname_fallback() -> None:
    badge = parse_badge("mecard:NICKNAME:Pepe;TEL:+34 600 000 000")
    assert (badge.kind, badge.name, badge.country) == ("mecard", "Pepe", "ES")
    assert badge.warnings


def test_bizcard() -> None:
    badge = parse_badge((DATA / "bizcard.txt").read_text(encoding="utf-8"))
    assert badge.kind == "bizcard"
    assert (badge.name, badge.title, badge.company) == (
        "Sean Murphy",
        "Purchasing Manager",
        "Murphy Foods Ltd",
    )
    assert (badge.email, badge.phone, badge.country) == (
        "sean@murphyfoods.example",
        "+353 91 123 456",
        "IE",
    )
