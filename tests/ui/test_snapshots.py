"""What the booth sees, pixel for pixel (pytest-textual-snapshot): each screen on a big
terminal in English and Chinese, and on an 80×24 terminal in English, Chinese and Spanish.

Update after an intended change with `pytest tests/ui/test_snapshots.py --snapshot-update`
and look at the SVGs before committing them.
"""

from __future__ import annotations

import pytest

from tests.ui.helpers import settle
from tests.ui.keys import scan
from tests.ui.snapshot_apps.booth_app import build, steady_cursors

SIZE = (150, 46)
LANGS = ("en", "zh")
SMALL = (80, 24)  # every screen must be usable on the smallest common terminal
ALL_LANGS = ("en", "zh", "es")
VCARD_LUCIA = (
    "BEGIN:VCARD\nFN:Lucía Fernández\nORG:Iluminación Norte\nEMAIL:lucia@norte.example\n"
    "ADR:;;;;;;Chile\nEND:VCARD"
)


async def _quiet(pilot) -> None:
    """Last step of every snapshot: the app settled (keys delivered, lookups done), no
    toasts, no blinking cursor."""
    await settle(pilot, 0.2)
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
        scan(pilot.app, VCARD_LUCIA)
        await settle(pilot, 0.2)
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


# ---------------------------------------------------------------------- 80×24
async def _press(pilot, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot, 0.1)


SMALL_SCREENS = {
    # name: (session, what to do before the screenshot)
    "scan": ({}, ()),
    "card": ({}, ("scan:B-300",)),
    "lead_form": ({"role": "staff", "user_id": "luis"}, (f"scan:{VCARD_LUCIA}", "f3")),
    "arrivals": ({}, ("f4",)),
    "manager": ({"role": "manager", "user_id": "wei"}, ("f5",)),
    "login": ({}, ("f9",)),
}


@pytest.mark.parametrize("lang", ALL_LANGS)
@pytest.mark.parametrize("name", list(SMALL_SCREENS))
def test_80x24(snap_compare, name, lang, tmp_path):
    session, steps = SMALL_SCREENS[name]

    async def run_before(pilot):
        for step in steps:
            if step.startswith("scan:"):
                scan(pilot.app, step.removeprefix("scan:"))
                await settle(pilot, 0.2)
            else:
                await _press(pilot, step)
        await _quiet(pilot)

    app = build(lang, folder=tmp_path, **session)
    assert snap_compare(app, terminal_size=SMALL, run_before=run_before)


@pytest.mark.parametrize("lang", ALL_LANGS)
def test_damaged_database_warning_80x24(snap_compare, lang, tmp_path):
    """The lasting warning of a damaged database file (kiosk.ui.integrity) over a visitor's
    card on the smallest terminal: under the header, whole, the card below it."""

    async def run_before(pilot):
        pilot.app.database_damaged("database disk image is malformed")
        scan(pilot.app, "B-300")
        await _quiet(pilot)

    assert snap_compare(build(lang, folder=tmp_path), terminal_size=SMALL, run_before=run_before)
