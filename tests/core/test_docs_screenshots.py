"""The README's screenshots and figures: real files from the snapshot tests, one set of numbers."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "docs" / "screenshots"
SNAPSHOTS = ROOT / "tests" / "ui" / "__snapshots__" / "test_snapshots"


def _snapshot_for(shot: Path) -> Path:
    """docs/screenshots/visitor-card.zh.svg ← test_visitor_card[zh].svg"""
    name, _, lang = shot.name.removesuffix(".svg").partition(".")
    return SNAPSHOTS / f"test_{name.replace('-', '_')}[{lang or 'en'}].svg"


def test_every_screenshot_the_readme_shows_exists():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    images = re.findall(r"!\[[^\]]+\]\(([^)]+)\)", readme)
    assert len(images) >= 4
    for image in images:
        assert (ROOT / image).is_file(), image
        assert image.startswith("docs/screenshots/") and image.endswith(".svg"), image


def test_every_screenshot_is_a_snapshot_tests_svg():
    shots = sorted(SHOTS.glob("*.svg"))
    assert len(shots) >= 8  # four screens, English and Chinese
    for shot in shots:
        assert _snapshot_for(shot).is_file(), f"{shot.name}: no snapshot test writes it"
        text = shot.read_text(encoding="utf-8")
        assert text.startswith("<svg") and "Test&#160;Expo&#160;2026" in text, shot.name


def test_one_set_of_performance_figures():
    """The benchmark's figures live in the README; docs/sync.md points there."""
    sync = (ROOT / "docs" / "sync.md").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    merge_rows = [
        line
        for text in (readme, sync)
        for line in text.splitlines()
        if line.startswith("|") and "merge 10 kiosks" in line
    ]
    assert len(merge_rows) == 1 and merge_rows[0] in readme
    assert "README.md#performance" in sync
