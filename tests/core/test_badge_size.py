"""The 8 KB bound of issue 11: a longer scan is refused unread, with a clear message."""

from __future__ import annotations

import pytest

from kiosk.badges import MAX_SCAN_BYTES, parse_badge
from kiosk.visits import identifies, unreadable


def test_the_limit_is_8192_bytes() -> None:
    assert MAX_SCAN_BYTES == 8192
    assert parse_badge("y" * 8192).kind == "text"
    badge = parse_badge("y" * 8193)
    assert (badge.kind, badge.payload_format) == ("empty", "too_long")
    assert badge.warnings == ("scan too long (8.0 KB); the limit is 8 KB",)
    assert badge.raw == "y" * 8193


def test_the_limit_counts_utf8_bytes_not_characters() -> None:
    assert parse_badge("中" * 2730).payload_format != "too_long"  # 8190 bytes
    badge = parse_badge("中" * 3000)  # 3000 characters, 9000 bytes
    assert badge.warnings == ("scan too long (8.8 KB); the limit is 8 KB",)


@pytest.mark.parametrize(
    ("size", "shown"), [(64 * 1024, "64.0 KB"), (300 * 1024, "300 KB"), (1 << 20, "over 1024 KB")]
)
def test_a_big_paste_is_refused_with_its_size(size: int, shown: str) -> None:
    badge = parse_badge("x" * size)
    assert badge.warnings == (f"scan too long ({shown}); the limit is 8 KB",)


def test_bytes_payloads_are_bounded_too() -> None:
    badge = parse_badge(b"x" * 9000)  # type: ignore[arg-type]
    assert badge.payload_format == "too_long"


def test_the_kiosk_treats_a_refused_scan_as_unreadable() -> None:
    badge = parse_badge("EXPO2026-000481^Ana^Acme^ana@x.example" + "^x" * 5000)
    assert badge.kind == "empty"
    assert unreadable(badge) and not identifies(badge)


def test_a_long_vcard_note_is_refused() -> None:
    card = "BEGIN:VCARD\r\nFN:Ana\r\nNOTE:" + "n" * 9000 + "\r\nEND:VCARD"
    assert parse_badge(card).payload_format == "too_long"


def test_a_vcard_photo_does_not_count() -> None:
    # Phones export cards with a base64 picture of 20-50 KB; the kiosk reads none of it.
    photo = (
        "PHOTO;ENCODING=b;TYPE=JPEG:"
        + "QUJD" * 20
        + "".join("\r\n " + "QUJD" * 18 for _ in range(400))
    )
    card = (
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana Ruiz\r\n{photo}\r\nEMAIL:ana@x.example\r\nEND:VCARD"
    )
    assert len(card) > 3 * MAX_SCAN_BYTES
    badge = parse_badge(card)
    assert (badge.kind, badge.name, badge.email) == ("vcard", "Ana Ruiz", "ana@x.example")
    assert badge.raw == card


def test_a_vcard_padded_beyond_its_photo_is_still_refused() -> None:
    photo = "PHOTO;ENCODING=b:" + "QUJD" * 100
    card = f"BEGIN:VCARD\r\nFN:Ana\r\n{photo}\r\nNOTE:" + "n" * 9000 + "\r\nEND:VCARD"
    assert parse_badge(card).payload_format == "too_long"
