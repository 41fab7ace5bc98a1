"""A check-in that was acknowledged survives the process being killed mid-write."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from kiosk.db import open_db

CHILD = r"""
import sys
from kiosk.db import open_db
from kiosk import booth
from tests.factory import CONFIG, NOW
db = open_db(sys.argv[1])
cid = db.execute("SELECT id FROM contacts WHERE crm_id = 'C1'").fetchone()[0]
while True:
    done = booth.check_in(db, CONFIG, cid, now=NOW)
    # only after the commit returned do we tell the parent the id is safe
    print(done.event.uuid, flush=True)
"""


def test_sigkill_mid_run_loses_no_committed_checkin(db_path: Path):
    path = db_path  # the test company, as a kiosk left it on disk
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    reported: list[str] = []
    deadline = time.monotonic() + 20
    assert proc.stdout is not None
    while len(reported) < 40 and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        reported.append(line.strip())
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    # read whatever else it had acknowledged before dying
    reported += [line.strip() for line in proc.stdout.read().splitlines() if line.strip()]
    assert len(reported) >= 40

    db = open_db(path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored = {r[0] for r in db.execute("SELECT uuid FROM events")}
    missing = [u for u in reported if u not in stored]
    assert missing == []
    # and the materialized table agrees with the log
    assert db.execute("SELECT count(*) FROM checkins").fetchone()[0] == len(stored)
