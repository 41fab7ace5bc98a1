"""What the booth sees, pixel for pixel, in English and Chinese (pytest-textual-snapshot).

Update after an intended change with `pytest tests/ui/test_snapshots.py --snapshot-update`
and look at the SVGs before committing them.
"""

from __future__ import annotations

import pytest

from tests.ui.keys import scan
from tests.ui.snapshot_apps.booth_app import build, steady_cursors

SIZE = (150, 46)
LANGS = ("en", "zh")


async def _quiet(pilot) -> None:
    """Last step of every snapshot: no toasts, no blinking cursor."""
    await pilot.pause(0.2)
    pilot.app.clear_notifications()
    steady_cursors(pilot.app)
    await pilot.pause()


@pytest.mark.parametrize("lang", LANGS)
def test_scan_screen(snap_compare, lang, tmp_path):
    assert snap_compare(build(lang, folder=tmp_path), terminal_size=SIZE, run_before=_quiet)


@pytest.mark.parametrize("lang", LANGS)
def test_visitor_card(snap_compare, lang, tmp_path):
    async def run_before(pilot):
        scan(pilot.app, "B-300")
        await _quiet(pilot)

    assert snap_compare(build(lang, folder=tmp_path), terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize("lang", LANGS)
def test_lead_form(snap_compare, lang, tmp_path):
    async def run_before(pilot):
        scan(
            pilot.app,
            "BEGIN:VCARD\nFN:Lucía Fernández\nORG:Iluminación Norte\nEMAIL:lucia@norte.example\nADR:;;;;;;Chile\nEND:VCARD",
        )
        await pilot.pause(0.2)
        await pilot.press("f3")
        await _quiet(pilot)

    app = build(lang, folder=tmp_path, role="staff", user_id="luis")
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize("lang", LANGS)
def test_manager_view(snap_compare, lang, tmp_path):
    async def run_before(pilot):
        await pilot.press("f5")
        await _quiet(pilot)

    app = build(lang, folder=tmp_path, role="manager", user_id="wei")
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
