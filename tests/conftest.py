from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.factory import build_db

# In CI (CI=true, as CI services set it) a skipped test is a failure: a test that quietly does
# not run proves nothing. xfail is untouched (its report carries `wasxfail`).
STRICT_SKIPS = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _fail_skip(report) -> None:
    if not (STRICT_SKIPS and report.skipped and not hasattr(report, "wasxfail")):
        return
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    report.outcome = "failed"
    report.longrepr = f"skipped under CI={os.environ['CI']}, which counts as a failure: {reason}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    _fail_skip(outcome.get_result())


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    """A whole module skipped at import (pytest.skip(allow_module_level=True), importorskip)."""
    outcome = yield
    _fail_skip(outcome.get_result())


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Keep every test away from the real user's kiosk database and show file."""
    monkeypatch.setenv("KIOSK_DB", str(tmp_path / "default-kiosk.db"))
    monkeypatch.delenv("KIOSK_CONFIG", raising=False)


@pytest.fixture
def db(tmp_path: Path):
    return build_db(tmp_path / "kiosk.db")
