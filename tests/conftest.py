from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

from kiosk import fulltext, pins
from kiosk.db import open_db
from kiosk.show import store_show
from tests.examples import examples
from tests.factory import NOW, SHOW, build_db
from tests.textual_css import install as cache_textual_css

# In CI (CI=true, as CI services set it) a skipped test is a failure: a test that quietly does
# not run proves nothing. xfail is untouched (its report carries `wasxfail`).
IN_CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
STRICT_SKIPS = IN_CI

# Property tests assert what is found, never how fast: hypothesis' default 200 ms deadline
# per example failed them on a machine at load 20–30 (seen in gates this session). In CI
# they draw the same examples every run (a release must not fail on the luck of the draw);
# elsewhere each run draws new ones, which is how they find what CI then keeps. The suite's
# year-ahead run draws a share of them (tests/examples.py).
settings.register_profile(
    "kiosk", deadline=None, derandomize=IN_CI, max_examples=examples(settings.default.max_examples)
)
settings.load_profile("kiosk")

# A PIN hash costs ~40–75 ms at the product's scrypt cost, and the suite made some 300 of them
# (each demo load hashes 12 PINs): ~15 s of CPU a run. Tests hash at a cheap cost instead;
# a hash records its cost, so checking a PIN works either way. tests/core/test_pins.py checks
# the product's cost with PRODUCT_SCRYPT_N. CLI commands run as subprocesses keep the real one.
PRODUCT_SCRYPT_N = pins._N
pins._N = 2**8

# Every kiosk database commits with `synchronous=FULL` (kiosk/db.py), so on a disk each of the
# suite's tens of thousands of commits waits for an fsync: idle time for the core the test
# runs on, not work (measured: test_merge_leads' longest test took 38 s on the disk, 24 s in
# RAM, same load). The tests' files (tmp_path) go to RAM when the machine has a tmpfs at
# /dev/shm with room to spare (a container's default 64 MB is not enough: a run writes
# ~50 MB); the product's PRAGMAs are the same, only the disk's wait is gone. An explicit
# PYTEST_DEBUG_TEMPROOT or --basetemp wins.
RAM_TEMP_ROOT = Path("/dev/shm")
RAM_NEEDED = 1 << 30


def _ram_temp_root() -> str | None:
    try:
        room = os.statvfs(RAM_TEMP_ROOT)
    except OSError:
        return None
    enough = room.f_bavail * room.f_frsize >= RAM_NEEDED
    return str(RAM_TEMP_ROOT) if enough and os.access(RAM_TEMP_ROOT, os.W_OK) else None


if "PYTEST_DEBUG_TEMPROOT" not in os.environ and (_ram := _ram_temp_root()):
    os.environ["PYTEST_DEBUG_TEMPROOT"] = _ram

# Textual parses the same CSS for every app the suite starts: parse it once per process
# (tests/textual_css.py).
cache_textual_css()


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


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The tests marked `slow` first, the rest in their order. pytest-xdist hands tests out
    in this order: a long test drawn last kept one core busy while the other had finished
    (the suite's last 2 % took a minute of its run in CI)."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    """A whole module skipped at import (pytest.skip(allow_module_level=True), importorskip)."""
    outcome = yield
    _fail_skip(outcome.get_result())


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Keep every test away from the real user's kiosk database and show file, and from the
    wall clock: every command a test runs (in process or as a subprocess) reads `NOW` through
    `KIOSK_NOW` unless the test sets another time."""
    monkeypatch.setenv("KIOSK_DB", str(tmp_path / "default-kiosk.db"))
    monkeypatch.delenv("KIOSK_CONFIG", raising=False)
    monkeypatch.setenv("KIOSK_NOW", NOW.isoformat())
    # The typo fallback stops probing after FUZZY_BUDGET seconds, which makes its answer depend
    # on the machine's load; tests get a generous budget so that they assert what it finds
    # (tests/core/test_search_total.py checks the bound itself).
    monkeypatch.setattr(fulltext, "FUZZY_BUDGET", 5.0)


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test company built and migrated once per session; each test gets a copy."""
    path = tmp_path_factory.mktemp("template") / "kiosk.db"
    db = build_db(path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.close()
    return path


@pytest.fixture
def db_path(template_db: Path, tmp_path: Path) -> Path:
    """A fresh copy of the test company's database file, for this test only."""
    path = tmp_path / "kiosk.db"
    shutil.copyfile(template_db, path)
    return path


@pytest.fixture
def db(db_path: Path):
    """The test company in a real kiosk database (a copy of the session's template)."""
    return open_db(db_path, create=False)


@pytest.fixture
def dbpath(db_path: Path, tmp_path: Path) -> Path:
    """The test company's database file with the tests' show file stored in it, as
    `kiosk init --show` leaves it: what the CLI tests and anything opening by path use."""
    show = tmp_path / "show.toml"
    show.write_text(SHOW, encoding="utf-8")
    db = open_db(db_path, create=False)
    store_show(db, show)
    db.conn.close()
    return db_path


@pytest.fixture
def company_db(template_db: Path, tmp_path: Path):
    """Another copy of the test company's database, `name`.db in this test's folder: a
    second kiosk, a laptop — as cheap as `db` (a file copy, no migration)."""

    def copy(name: str):
        path = tmp_path / f"{name}.db"
        shutil.copyfile(template_db, path)
        return open_db(path, create=False)

    return copy
