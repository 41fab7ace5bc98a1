"""The post-show sync run behind `scripts/sync.py`, as a list of resumable steps.

    1. database   open the office database; a new one is seeded from the newest kiosk
                  database (salespeople, territories, show settings and CRM copy included)
    2. salespeople / territories   import them when files are given
    3. crm        import the CRM contacts export
    4. merge      merge every kiosk database in the folder
    5. export     leads, check-ins, disputes and owner updates (the manager's approved
                  owner, assistant and split changes) new since the last run, for the CRM
    6. report     the per-salesperson summary (Markdown and CSV)

Each step commits on its own (an import or a merge is one transaction), so a failure
leaves every database consistent: the steps before it are done and saved, the failing one
left no trace. Every step is also safe to repeat — imports update in place, a merge skips
events it already has, and `--new` exports skip what an earlier run exported — so the way
to resume is simply to run the same command again.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import sqlite_utils

from kiosk.db import DatabaseError, open_db
from kiosk.keyfile import create_private
from kiosk.safety import terminal_output
from kiosk.show import show_config
from kiosk.sync import SyncError
from kiosk.sync.export_formats import counted, label
from kiosk.sync.exports import export as do_export
from kiosk.sync.imports import import_csv
from kiosk.sync.merge import DEFAULT_MAX_CLOCK_SKEW, merge_into, open_readonly
from kiosk.sync.report import render, show_report
from kiosk.sync.rows import excel_encoding

STEPS = ("database", "salespeople", "territories", "crm", "merge", "export", "report")


@dataclass
class Step:
    name: str
    status: str = "pending"  # pending | done | skipped | failed
    detail: str = ""
    seconds: float = 0.0


@dataclass
class SyncPlan:
    crm: Path | None
    kiosks: Path
    out: Path
    db: Path
    fmt: str = "generic"
    mapping: Path | None = None
    salespeople: Path | None = None
    territories: Path | None = None
    # Events stamped further ahead of the sync's clock than this are flagged by the merge.
    max_clock_skew: timedelta = DEFAULT_MAX_CLOCK_SKEW


@dataclass
class SyncRun:
    plan: SyncPlan
    steps: list[Step] = field(default_factory=lambda: [Step(n) for n in STEPS])
    outputs: list[Path] = field(default_factory=list)
    failed: Step | None = None

    def step(self, name: str) -> Step:
        return next(s for s in self.steps if s.name == name)


def kiosk_files(folder: Path, exclude: Path | None = None) -> list[Path]:
    """Kiosk databases in a folder: *.db, not backups, not the office database itself."""
    if not folder.is_dir():
        raise SyncError(f"kiosk folder not found: {folder}")
    found = []
    for p in sorted(folder.glob("*.db")):
        if exclude is not None and exclude.exists() and os.path.samefile(p, exclude):
            continue
        found.append(p)
    return found


def _seed(plan: SyncPlan) -> str:
    """Create the office database from the newest kiosk database, or open it."""
    if plan.db.exists():
        db = open_db(plan.db, create=False)
        db.conn.close()
        return f"using {plan.db}"
    candidates = kiosk_files(plan.kiosks)
    if not candidates:
        db = open_db(plan.db)
        db.conn.close()
        return f"created an empty {plan.db} (no kiosk database to seed it from)"
    src = newest = None
    for candidate in sorted(candidates, key=lambda p: p.stat().st_mtime, reverse=True):
        try:
            src, newest = open_readonly(candidate), candidate
            break
        except DatabaseError:
            continue  # not a kiosk database: the merge step will say so
    if src is None or newest is None:
        db = open_db(plan.db)
        db.conn.close()
        return f"created an empty {plan.db} (no kiosk database to seed it from)"
    plan.db.parent.mkdir(parents=True, exist_ok=True)
    create_private(plan.db)
    out = sqlite3.connect(str(plan.db))
    try:
        src.conn.backup(out)
    finally:
        out.close()
        src.conn.close()
    db = open_db(plan.db)  # applies any migration the kiosk file lacked
    db.conn.close()
    return f"created {plan.db} from {newest.name}"


def run_sync(
    plan: SyncPlan,
    *,
    now: datetime,
    log: Callable[[str], None] = print,
    stamp: str | None = None,
) -> SyncRun:
    """Run the steps in order; stop at the first failure and record it in the result.

    `now` (the front-end's clock) names the run's folder (unless `stamp` does), the merge
    backup, and is the time the report and the clock-skew check are computed at.
    """

    def say(text: str) -> None:
        # File names and messages come from USB sticks and CSV files: an escape sequence in
        # a kiosk file's name retitled and recoloured the terminal (`kiosk merge` escaped it)
        log(terminal_output(text))

    run = SyncRun(plan)
    stamp = stamp or now.strftime("%Y%m%d-%H%M%S")
    out_dir = plan.out / stamp
    db: sqlite_utils.Database | None = None
    dialect = {"delimiter": ","}  # the CRM export's, once the crm step has read it

    def do(name: str, fn: Callable[[], str | None]) -> bool:
        step = run.step(name)
        started = time.perf_counter()
        say(f"[{STEPS.index(name) + 1}/{len(STEPS)}] {name} …")
        try:
            detail = fn()
        except (SyncError, DatabaseError, OSError, sqlite3.Error, ValueError) as exc:
            step.status, step.detail = "failed", str(exc)
            run.failed = step
            say(f"      failed: {exc}")
            return False
        step.seconds = time.perf_counter() - started
        if detail is None:
            step.status, step.detail = "skipped", "nothing to do"
        else:
            step.status, step.detail = "done", detail
        say(f"      {step.detail}")
        return True

    def need_db() -> sqlite_utils.Database:
        nonlocal db
        if db is None:
            db = open_db(plan.db, create=False)
        return db

    def imp(
        kind: str, path: Path | None, fmt: str = "generic", mapping: Path | None = None
    ) -> Callable[[], str | None]:
        def step() -> str | None:
            if path is None:
                return None
            r = import_csv(need_db(), kind, path, fmt=fmt, mapping=mapping)
            if kind == "contacts":  # the report.csv follows the CRM export's delimiter
                dialect["delimiter"] = r.delimiter
            text = (f"{path.name}: inserted {r.inserted}, updated {r.updated}, "
                    f"unchanged {r.unchanged}, rejected {r.rejected}")  # fmt: skip
            if r.rejects_path:
                text += f" (see {r.rejects_path})"
                run.outputs.append(r.rejects_path)
            if r.footer:
                text += f"; {r.footer_text()}"
            if r.replayed is not None:
                text += f"; replayed {r.replayed} booth events"
            # a badge id on two contacts, a CRM id on two records: as `kiosk import` says them
            text += "".join(f"\n      warning: {w}" for w in r.warnings)
            return text

        return step

    def merge() -> str | None:
        files = kiosk_files(plan.kiosks, exclude=plan.db)
        if not files:
            return None
        r = merge_into(
            need_db(), files, target_path=plan.db, now=now, max_clock_skew=plan.max_clock_skew
        )
        lines = [f"{s.path.name}: {s.events} events, {s.new} new" for s in r.sources]
        lines.append(f"merged {r.new} new events; waiting for the manager: {r.items_text()}")
        lines += r.clock_warnings() + r.twin_warnings()
        lines += r.quarantine_lines()
        if r.backup:
            lines.append(f"backup: {r.backup}")
        return "\n      ".join(lines)

    def export() -> str:
        config = show_config(need_db())
        out_dir.mkdir(parents=True, exist_ok=True)
        parts = []
        for what in ("leads", "checkins", "disputes", "owners"):
            path = out_dir / f"{what}-{plan.fmt}.csv"
            r = do_export(need_db(), what, path, fmt=plan.fmt, new=True, config=config)
            if r.rows:
                run.outputs.append(path)
                parts.append(f"{counted(what, plan.fmt, r.rows, r.leads)} → {path}")
            else:
                path.unlink(missing_ok=True)
                parts.append(f"no new {label(what)}")
        return "; ".join(parts)

    def report() -> str:
        people = show_report(need_db(), now=now)
        title = f"{show_config(need_db()).name} — salespeople"
        out_dir.mkdir(parents=True, exist_ok=True)
        md, csv_path = out_dir / "report.md", out_dir / "report.csv"
        md.write_text(render(people, "markdown", title), encoding="utf-8")
        # in the CRM export's delimiter: read by the same person's Excel (`excel_encoding`)
        sep = dialect["delimiter"]
        csv_path.write_text(
            render(people, "csv", title, delimiter=sep), encoding=excel_encoding(sep), newline=""
        )
        run.outputs += [md, csv_path]
        return f"{len(people)} salespeople → {md}, {csv_path}"

    try:
        ok = (
            do("database", lambda: _seed(plan))
            and do("salespeople", imp("salespeople", plan.salespeople))
            and do("territories", imp("territories", plan.territories))
            and do("crm", imp("contacts", plan.crm, plan.fmt, plan.mapping))
            and do("merge", merge)
            and do("export", export)
            and do("report", report)
        )
    finally:
        if db is not None:
            db.conn.close()
    if not ok:
        done = [s.name for s in run.steps if s.status in ("done", "skipped")]
        say("")
        say(f"Stopped at step '{run.failed.name if run.failed else '?'}'. "
            f"Completed and saved: {', '.join(done) or 'nothing'}.")  # fmt: skip
        say("Every database is consistent. Fix the problem and run the same command again:")
        say("completed steps are safe to repeat (imports update in place, merges skip known")
        say("events, exports only write what no earlier run exported).")
    return run
