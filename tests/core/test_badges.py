"""parse_badge: identifiers, delimited layouts, JSON, URLs, text, and scanner noise.

vCard / MECARD / BIZCARD live in test_badges_cards.py, scanner noise in test_badges_noise.py,
countries in test_badges_country.py, the property tests in test_badges_properties.py.
"""

from __future__ import annotations

import dataclasses

import pytest

from kiosk.badges import Badge, parse_badge

TOKEN = "KV1.eyJjIjoiQzEyMyIsInMiOiJzcDEifQ.Qm9ndXNTaWduYXR1cmVfLQ"


def test_badge_is_frozen_and_keeps_raw() -> None:
    badge = parse_badge("123456789\r\n")
    assert isinstance(badge, Badge)
    assert badge.raw == "123456789\r\n"
    with pytest.raises(dataclasses.FrozenInstanceError):
        badge.name = "x"  # type: ignore[misc]


# --- invitation tokens ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "payload",
    [
        TOKEN,
        f"https://kv.example.com/i/{TOKEN}",
        f"http://short.link/i/{TOKEN}/",
        f"https://booth.example/en/i/{TOKEN}?utm_source=mail",
        f"]Q1{TOKEN}\r\n",
    ],
)
def test_invitation_token_is_recognised_not_verified(payload: str) -> None:
    badge = parse_badge(payload)
    assert badge.kind == "invitation"
    assert badge.token == TOKEN
    assert badge.badge_id is None
    assert badge.raw == payload


def test_damaged_invitation_is_reported_as_such() -> None:
    badge = parse_badge("KV1.eyJjIjoiQzEyMyJ9")
    assert badge.kind == "invitation"
    assert badge.token is None
    assert any("invitation" in w for w in badge.warnings)


def test_token_inside_json_or_card_url_is_picked_up() -> None:
    assert parse_badge(f'{{"invite": "{TOKEN}", "name": "Ana"}}').token == TOKEN
    card = parse_badge(f"MECARD:N:Ruiz,Ana;URL:https\\://x.example/i/{TOKEN};;")
    assert (card.kind, card.token, card.name) == ("mecard", TOKEN, "Ana Ruiz")


# --- registration ids ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "badge_id"),
    [
        ("123456789", "123456789"),
        ("REG-00012345", "REG-00012345"),
        ("ID:ABC123", "ABC123"),
        ("id: abc123", "abc123"),
        ("BADGE:XYZ-2024-0042", "XYZ-2024-0042"),
        ("RegID=778899", "778899"),
        ("#55501", "55501"),
        ("  000123\t", "000123"),
    ],
)
def test_registration_ids(payload: str, badge_id: str) -> None:
    badge = parse_badge(payload)
    assert (badge.kind, badge.badge_id) == ("registration", badge_id)
    assert badge.warnings == ()


def test_a_word_without_digits_is_text_not_an_id() -> None:
    badge = parse_badge("Welcome")
    assert badge.kind == "text"
    assert badge.badge_id is None
    assert badge.warnings


# --- delimited vendor layouts --------------------------------------------------------------


@pytest.mark.parametrize("sep", ["^", "|", "\t", ";"])
def test_delimited_default_order(sep: str) -> None:
    fields = [
        "A1001",
        "Ana Ruiz",
        "Frutas del Sur",
        "ana@frutas.example",
        "Spain",
        "CEO",
        "+34 600",
    ]
    badge = parse_badge(sep.join(fields) + "\r\n")
    assert badge.kind == "delimited"
    assert badge.badge_id == "A1001"
    assert badge.name == "Ana Ruiz"
    assert badge.company == "Frutas del Sur"
    assert badge.email == "ana@frutas.example"
    assert badge.country == "ES"
    assert badge.title == "CEO"
    assert badge.phone == "+34 600"
    assert badge.warnings == ()


def test_delimited_custom_order_with_first_last_city_and_ignore() -> None:
    order = ["ignore", "last_name", "first_name", "city", "country", "badge_id"]
    badge = parse_badge("X^Okafor^Chidi^Lagos^NG^REG-7", field_order=order)
    assert (badge.name, badge.city, badge.country, badge.badge_id) == (
        "Chidi Okafor",
        "Lagos",
        "NG",
        "REG-7",
    )


def test_delimited_chinese_name_parts_join_family_first() -> None:
    badge = parse_badge("9|小明|王", field_order=["badge_id", "first_name", "last_name"])
    assert badge.name == "王小明"


def test_delimited_email_in_the_wrong_column_is_moved_with_a_warning() -> None:
    # The show layout says company then email; this vendor printed them the other way round.
    badge = parse_badge("77^Li Wei^li.wei@example.cn^Acme Trading^CN")
    assert badge.email == "li.wei@example.cn"
    assert badge.company == "Acme Trading"
    assert badge.country == "CN"
    assert any("field 3" in w for w in badge.warnings)


def test_delimited_email_found_even_when_layout_has_no_email_field() -> None:
    badge = parse_badge("5|Ana|ana@x.example", field_order=["badge_id", "name", "company"])
    assert (badge.email, badge.company) == ("ana@x.example", "")
    assert badge.warnings


def test_delimited_leading_empty_tab_field_keeps_columns() -> None:
    badge = parse_badge("\tAna Ruiz\tAcme")
    assert (badge.badge_id, badge.name, badge.company) == (None, "Ana Ruiz", "Acme")


def test_delimited_label_on_id_field_and_unknown_layout_names() -> None:
    badge = parse_badge("ID:88^Ana^Acme", field_order=["badge_id", "name", "employer"])
    assert badge.badge_id == "88"
    assert badge.company == ""
    assert any("employer" in w for w in badge.warnings)


def test_delimited_extra_fields_are_reported() -> None:
    badge = parse_badge("1^A^B^C", field_order=["badge_id", "name"])
    assert (badge.badge_id, badge.name) == ("1", "A")
    assert any("extra" in w for w in badge.warnings)


def test_delimited_unknown_country_is_a_warning_not_an_error() -> None:
    badge = parse_badge("1^Ana^Acme^^Atlantis")
    assert badge.country is None
    assert any("Atlantis" in w for w in badge.warnings)


def test_delimited_labelled_fields_are_read_by_label_not_position() -> None:
    badge = parse_badge("NAME:John Doe;ID:ABC123;EMAIL:j@acme.example;COMPANY:Acme;COUNTRY:US")
    assert badge.kind == "delimited"
    assert (badge.badge_id, badge.name, badge.email) == ("ABC123", "John Doe", "j@acme.example")
    assert (badge.company, badge.country) == ("Acme", "US")


def test_delimited_name_in_the_id_column_is_read_by_content() -> None:
    # The show's layout starts with the badge id; this badge has none. Issue 11 settled that
    # a layout whose typed fields do not check out is replaced by a reading by content.
    badge = parse_badge("Ana Ruiz^Acme^ana@x.example")
    assert (badge.badge_id, badge.name, badge.company) == (None, "Ana Ruiz", "Acme")
    assert badge.email == "ana@x.example"
    assert badge.inferred
    assert badge.layout == ("name", "company", "email")
    assert any("layout" in w and "no digits" in w for w in badge.warnings)


def test_delimited_id_without_digits_warns_when_the_layout_is_kept() -> None:
    # Too many columns to read by content: the show's layout is used, and flagged.
    payload = "Ana Ruiz^Acme" + "^x" * 40
    badge = parse_badge(payload, field_order=["badge_id", "name"])
    assert (badge.badge_id, badge.inferred) == ("Ana Ruiz", False)
    assert any("field order" in w for w in badge.warnings)


# --- JSON ----------------------------------------------------------------------------------


def test_json_camel_case_keys() -> None:
    payload = (
        '{"badgeId": "B-42", "firstName": "Ana", "lastName": "Ruiz", "email": "ana@x.es",'
        ' "organization": "Frutas", "jobTitle": "Buyer", "phone": "+34 600 000 000",'
        ' "country": "ES"}'
    )
    badge = parse_badge(payload)
    assert badge.kind == "json"
    assert (badge.badge_id, badge.name, badge.email) == ("B-42", "Ana Ruiz", "ana@x.es")
    assert (badge.company, badge.title, badge.country) == ("Frutas", "Buyer", "ES")


def test_json_snake_case_numeric_id_and_full_name() -> None:
    badge = parse_badge('{"registration_id": 1200345, "fullName": "Li Wei", "company": "Acme"}')
    assert (badge.badge_id, badge.name, badge.company) == ("1200345", "Li Wei", "Acme")


def test_json_nested_objects_are_read_in_context() -> None:
    payload = (
        '{"attendee": {"id": "A-9", "name": {"first": "Chidi", "last": "Okafor"},'
        ' "company": {"name": "Lagos Agro"}, "address": {"city": "Lagos", "country": "NG",'
        ' "name": "head office"}}}'
    )
    badge = parse_badge(payload)
    assert (badge.badge_id, badge.name, badge.company) == ("A-9", "Chidi Okafor", "Lagos Agro")
    assert (badge.city, badge.country) == ("Lagos", "NG")


def test_json_list_and_email_list() -> None:
    badge = parse_badge('[{"id": "7", "emails": ["a@b.example", "c@d.example"]}]')
    assert (badge.badge_id, badge.email) == ("7", "a@b.example")


def test_json_without_known_fields_is_flagged() -> None:
    badge = parse_badge('{"colour": "blue"}')
    assert badge.kind == "json"
    assert badge.warnings


def test_json_typed_through_wrong_keyboard_layout() -> None:
    badge = parse_badge('{@id@: @123@, @email@: @ana"x.es@}')
    assert (badge.kind, badge.badge_id, badge.email) == ("json", "123", "ana@x.es")
    assert badge.warnings


@pytest.mark.parametrize("payload", ["{", "[1, 2]", '{"a": ' * 1300, "{" + "9" * 5000 + "}"])
def test_broken_json_falls_back_to_text(payload: str) -> None:
    assert parse_badge(payload).kind == "text"


# --- URLs ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "badge_id"),
    [
        ("https://reg.example.com/scan?id=A123", "A123"),
        ("https://reg.example.com/v?badge=000777&lang=en", "000777"),
        ("http://x.example/c?event=9&regid=R-55", "R-55"),
        ("https://x.example/a?REG=9911", "9911"),
        ("https://reg.example.com/b/ABC12345", "ABC12345"),
        ("https://reg.example.com/b/ABC12345/", "ABC12345"),
        ("www.expo.example/badge/998877", "998877"),
    ],
)
def test_url_registration_ids(url: str, badge_id: str) -> None:
    badge = parse_badge(url)
    assert (badge.kind, badge.badge_id, badge.url) == ("url", badge_id, url)


def test_url_query_carries_other_fields() -> None:
    badge = parse_badge("https://r.example/s?id=5&first_name=Ana&last_name=Ruiz&country=ES")
    assert (badge.badge_id, badge.name, badge.country) == ("5", "Ana Ruiz", "ES")


def test_url_without_id_keeps_the_url_and_warns() -> None:
    badge = parse_badge("https://www.acme.example/about-us")
    assert (badge.kind, badge.badge_id, badge.url) == (
        "url",
        None,
        "https://www.acme.example/about-us",
    )
    assert badge.warnings


def test_malformed_url_does_not_raise() -> None:
    badge = parse_badge("http://[::1/badge?id=5")
    assert badge.kind == "url"


# --- plain text ----------------------------------------------------------------------------


def test_text_business_card_lines() -> None:
    badge = parse_badge("Ana Ruiz\nFrutas del Sur\nana@frutas.example\n+34 612 345 678")
    assert badge.kind == "text"
    assert (badge.name, badge.email, badge.phone) == (
        "Ana Ruiz",
        "ana@frutas.example",
        "+34 612 345 678",
    )
    assert badge.country == "ES"
    assert badge.warnings  # the name and the country are guesses


def test_text_name_and_address_form() -> None:
    badge = parse_badge("Ana Ruiz <ana@frutas.example>")
    assert (badge.kind, badge.name, badge.email) == ("text", "Ana Ruiz", "ana@frutas.example")


def test_text_with_labelled_lines() -> None:
    badge = parse_badge("Name: Ana Ruiz\r\nCompany: Frutas\r\nE-mail: ana@x.es\r\nBadge No: 4411")
    assert (badge.kind, badge.badge_id, badge.name) == ("text", "4411", "Ana Ruiz")
    assert (badge.company, badge.email) == ("Frutas", "ana@x.es")


def test_single_line_text_is_never_a_name() -> None:
    badge = parse_badge("Hello there, general booth")
    assert (badge.kind, badge.name) == ("text", "")
    assert badge.raw == "Hello there, general booth"


@pytest.mark.parametrize("payload", ["", "   ", "\r\n", "\t\r\n", "]Q1", "\ufeff", "\x00\x1b"])
def test_empty_scans(payload: str) -> None:
    badge = parse_badge(payload)
    assert badge.kind == "empty"
    assert badge.raw == payload
    assert badge.warnings
