"""`python -m kiosk` runs the same command line as the `kiosk` script (a tester reached for
it where the virtualenv's bin folder was not on PATH, and got "No module named
kiosk.__main__")."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_python_dash_m_kiosk_runs_the_cli():
    # no timeout: its polling sleeps, which fail with EINVAL under the year-ahead run's
    # libfaketime (tests/core/test_booth_write_lock.py)
    done = subprocess.run(
        [sys.executable, "-m", "kiosk", "--help"], cwd=ROOT, capture_output=True, text=True,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Usage: python -m kiosk" in done.stdout
    assert "merge" in done.stdout
