"""parse_badge: the country comes from the badge's country/address, else the phone."""

from __future__ import annotations

import pytest

from kiosk.badge_formats import geo
from kiosk.badges import parse_badge

# --- country -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phone", "country"),
    [("+1 416 979 2000", "CA"), ("+1 212 555 0100", "US"), ("0049 711 123456", "DE")],
)
def test_country_from_phone_when_badge_has_none(phone: str, country: str) -> None:
    badge = parse_badge(f"1^Ana^Acme^^^^{phone}")
    assert badge.country == country
    assert any("phone" in w for w in badge.warnings)


@pytest.mark.parametrize("phone", ["+800 1234 5678", "+1 999", "030 123456"])
def test_no_country_from_non_geographic_or_local_numbers(phone: str) -> None:
    assert parse_badge(f"1^Ana^Acme^^^^{phone}").country is None


def test_country_field_beats_phone() -> None:
    assert parse_badge("1^Ana^Acme^^Mexico^^+34 612 345 678").country == "MX"


def test_country_resolver_from_kiosk_countries_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(geo, "resolve_country", lambda text: "JP" if text == "Nippon" else None)
    assert parse_badge("1^Ana^Acme^^Nippon").country == "JP"


def test_a_broken_resolver_does_not_break_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(text: str) -> str:
        raise RuntimeError("a bug in the resolver")

    monkeypatch.setattr(geo, "resolve_country", explode)
    badge = parse_badge("1^Ana^Acme^^Spain")
    assert (badge.name, badge.country) == ("Ana", None)
