"""parse_badge: scanner noise is removed and keyboard-layout damage undone."""

from __future__ import annotations

import pytest

from kiosk.badges import parse_badge

# --- scanner noise -------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["]Q1", "]C1", "]d2", "]E0", "]A0", "]Q3\\000026", "\ufeff]Q1"])
def test_symbology_and_eci_prefixes_are_stripped(prefix: str) -> None:
    badge = parse_badge(prefix + "REG-00012345\r\n")
    assert (badge.kind, badge.badge_id) == ("registration", "REG-00012345")


def test_eci_escape_in_the_middle_and_control_characters() -> None:
    badge = parse_badge("MECARD:N:\\000026Ruiz,Ana\x07;EMAIL:ana@x.es\x00;;\r\n\t")
    assert (badge.name, badge.email) == ("Ana Ruiz", "ana@x.es")


def test_escaped_backslash_before_digits_is_not_an_eci() -> None:
    badge = parse_badge("MECARD:N:Ruiz,Ana;ORG:A\\\\123456B;;")
    assert badge.company == "A\\123456B"


def test_utf8_read_as_latin1_is_repaired() -> None:
    badge = parse_badge("MECARD:N:PeÃ±a,JosÃ©;;")
    assert badge.name == "José Peña"
    assert any("Latin-1" in w for w in badge.warnings)


def test_genuine_latin1_text_is_left_alone() -> None:
    assert parse_badge("MECARD:N:Müller,Jürgen;;").name == "Jürgen Müller"


@pytest.mark.parametrize(
    "payload",
    [
        'john"example.com',
        '1^John^Acme^john"example.com^US',
        'MECARD:N:Doe,John;EMAIL:john"example.com;;',
        'BEGIN:VCARD\nVERSION:3.0\nFN:John\nEMAIL:john"example.com\nEND:VCARD',
    ],
)
def test_keyboard_layout_swap_in_email_is_undone(payload: str) -> None:
    badge = parse_badge(payload)
    assert badge.email == "john@example.com"
    assert any("keyboard layout" in w for w in badge.warnings)


def test_non_string_payloads_do_not_raise() -> None:
    assert parse_badge(b"123456789").badge_id == "123456789"  # type: ignore[arg-type]
    assert parse_badge(None).kind == "empty"  # type: ignore[arg-type]
