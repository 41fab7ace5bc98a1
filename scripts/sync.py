#!/usr/bin/env python
"""The post-show sync: pull the CRM export, merge every kiosk, push leads back, report.

    scripts/sync.py --crm export.csv --format salesforce --kiosks usb/ --out sync-out/

Steps (each commits on its own; see kiosk/sync/pipeline.py and docs/sync.md):
database → salespeople → territories → crm → merge → export → report. Safe to re-run at
any point: if a step fails, fix the cause and run the same command again.
Exit status: 0 when every step succeeded, 2 when one failed.
"""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kiosk.clock import ClockError, clock_from_env  # noqa: E402
from kiosk.safety import terminal_output  # noqa: E402
from kiosk.sync.pipeline import STEPS, SyncPlan, run_sync  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="Steps: " + " → ".join(STEPS),
    )
    ap.add_argument("--crm", type=Path, help="CRM contacts export (CSV) to import first")
    ap.add_argument(
        "--format",
        default="generic",
        choices=["generic", "salesforce", "hubspot", "odoo"],
        help="the CRM: columns of --crm and of the export files (default generic)",
    )
    ap.add_argument("--mapping", type=Path, help="mapping TOML for a CRM export of another shape")
    ap.add_argument("--salespeople", type=Path, help="salespeople CSV to import (optional)")
    ap.add_argument("--territories", type=Path, help="territories CSV to import (optional)")
    ap.add_argument(
        "--kiosks",
        type=Path,
        required=True,
        help="folder with the kiosk databases (*.db), e.g. copied from USB sticks",
    )
    ap.add_argument(
        "--out",
        type=Path,
        required=True,
        help="folder for export files and the report (one subfolder per run)",
    )
    ap.add_argument(
        "--db",
        type=Path,
        help="office database (default: OUT/office.db; created from a kiosk if new)",
    )
    ap.add_argument(
        "--max-skew",
        type=float,
        default=10.0,
        metavar="MINUTES",
        help="flag kiosk events stamped more than this far ahead of this computer's clock"
        " (they are merged all the same; default 10)",
    )
    args = ap.parse_args(argv)
    if args.max_skew < 0:
        ap.error("--max-skew must not be negative")
    try:
        now = clock_from_env()()  # KIOSK_NOW when set, else the computer's clock
    except ClockError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    plan = SyncPlan(
        crm=args.crm,
        kiosks=args.kiosks,
        out=args.out,
        db=args.db or args.out / "office.db",
        fmt=args.format,
        mapping=args.mapping,
        salespeople=args.salespeople,
        territories=args.territories,
        max_clock_skew=timedelta(minutes=args.max_skew),
    )
    print(terminal_output(f"Sync into {plan.db}: " + " → ".join(STEPS)))
    run = run_sync(plan, now=now)
    if run.failed:
        return 2
    print("\nDone. Files written:")
    for path in run.outputs:
        print(terminal_output(f"  {path}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
