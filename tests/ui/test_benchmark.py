"""The benchmark's scan → card loop (`kiosk.ui.benchmark`) stops when the app does."""

from __future__ import annotations

from unittest import mock

import pytest

from kiosk.ui.app import KioskApp
from kiosk.ui.benchmark import scan_to_card
from tests.factory import CONFIG


def test_an_app_that_stops_ends_the_benchmark_with_its_error(booth_db):
    """An error that stops the app mid-run (one did at a million contacts: a stale pick from
    the candidate list) is the benchmark's result, not hours of waiting for cards."""

    def stop(self, visit, **_):
        self.exit(return_code=3)

    with mock.patch.object(KioskApp, "show_visit", stop):
        with pytest.raises(RuntimeError, match="the app stopped"):
            scan_to_card(booth_db, CONFIG, ["B-100", "B-200"], timeout=1.0, missing=[])
