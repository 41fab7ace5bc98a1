"""The show TOML: typed, validated, and strict about unknown keys."""

from __future__ import annotations

from datetime import date

import pytest

from kiosk.config import ConfigError, ShowConfig, load_config, parse_config


def test_defaults_are_a_usable_show():
    c = ShowConfig()
    assert c.lapse_days == 90 and c.max_split == 0.5 and c.precedence == "filed"
    assert c.language == "en" and c.scan_gap_ms == 50


def test_full_file_parses(tmp_path):
    path = tmp_path / "show.toml"
    path.write_text(
        """
[show]
id = "gle26"
name = "Global Lighting Expo 2026"
start = 2026-11-24
end = "2026-11-27"
products = ["LED panels"]
[kiosk]
id = "kiosk-2"
language = "zh"
[ownership]
lapse_days = 120
precedence = "first_contact"
rotation = "first"
""",
        encoding="utf-8",
    )
    c = load_config(path)
    assert (c.show_id, c.kiosk_id, c.language) == ("gle26", "kiosk-2", "zh")
    assert c.start == date(2026, 11, 24) and c.end == date(2026, 11, 27)
    assert c.products == ("LED panels",)
    assert (c.lapse_days, c.precedence, c.rotation) == (120, "first_contact", "first")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"ownership": {"lapse_day": 30}}, "unknown key 'lapse_day' in [ownership]"),
        ({"colours": {}}, "unknown section [colours]"),
        ({"kiosk": {"language": "fr"}}, "language must be one of"),
        ({"ownership": {"max_split": 0.6}}, "max_split must be between 0 and 0.5"),
        ({"ownership": {"precedence": "loudest"}}, "precedence"),
        ({"ownership": {"lapse_days": 0}}, "lapse_days"),
        ({"show": {"start": "next tuesday"}}, "must be a date"),
        ({"badges": {"fields": ["badge_id", "nmae"]}}, "unknown field(s) nmae"),
    ],
)
def test_bad_config_names_the_problem(data, message):
    with pytest.raises(ConfigError) as err:
        parse_config(data)
    assert message in str(err.value)


def test_missing_and_broken_files(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[show\nname=", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(bad)
