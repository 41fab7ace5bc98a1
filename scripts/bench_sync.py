#!/usr/bin/env python
"""Sync benchmarks: CRM CSV import and kiosk merge, at the sizes the issue budgets.

Run on its own (`python scripts/bench_sync.py import --rows 1000000`, `… merge`) or as the
`csv_import` and `merge` sections of `scripts/bench.py`. Each measurement runs in a child
process so its peak RSS is its own, not the main benchmark's.

  import: write an N-row generic contacts CSV (not timed), then time `import_csv` into a
          fresh database (search index included), then a re-import of the same file.
  merge:  10 kiosk databases with 10,000 events each (check-ins, leads — some of the same
          visitors at several kiosks — and "received" marks), merged into a fresh copy of
          the CRM database; then the same merge again (idempotent, nothing new). Beside
          it, in the same run, the floor a user's own tool gives: the `sqlite3` shell
          copying the same event rows into another fresh copy with INSERT OR IGNORE … SELECT
          (the log alone: nothing checked, applied or routed).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

GENERIC = "crm_id,name,company,title,email,phone,country,city,owner,filed_at,badge_ids".split(",")


def peak_rss_mb() -> float:
    """This process's own peak RSS. ru_maxrss survives fork+exec on Linux (a child started
    by a big parent reports the parent's peak), so read VmHWM, which exec resets."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _salespeople(db, ids: list[str]) -> None:
    db.conn.executemany(
        "INSERT INTO salespeople(id, name, email) VALUES (?, ?, ?)",
        [(s, f"Sales {s}", f"{s}@bench.example") for s in ids],
    )


def write_csv(path: Path, n: int, seed: int = 7) -> None:
    from bench import generate

    rows, _ = generate(n, seed)
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(GENERIC)
        for r in rows:
            w.writerow([r["crm_id"], r["name"], r["company"], r["title"], r["email"], r["phone"],
                        r["country"], r["city"], r["owner_id"] or "", r["filed_at"][:10],
                        r["badge_ids"]])  # fmt: skip


def child_import(
    rows: int, workdir: Path, csv_path: Path | None = None, tools: bool = True
) -> dict[str, float]:
    from bench import SALESPEOPLE

    from kiosk.db import open_db
    from kiosk.sync.imports import import_csv

    src = csv_path or workdir / "crm.csv"
    t = time.perf_counter()
    if not src.exists():  # a --csv file is written once and reused by later runs
        write_csv(src, rows)
    written = time.perf_counter() - t
    db = open_db(workdir / "import.db")
    _salespeople(db, SALESPEOPLE)
    t, cpu = time.perf_counter(), time.process_time()
    first = import_csv(db, "contacts", src)
    first_s, first_cpu = time.perf_counter() - t, time.process_time() - cpu
    ready_s, index_s = first.ready_s, first.index_s
    rss_first = peak_rss_mb()
    assert first.inserted == rows, first.summary()
    t = time.perf_counter()
    again = import_csv(db, "contacts", src)
    again_s = time.perf_counter() - t
    assert again.unchanged == rows, again.summary()
    db.conn.close()
    out = _tools(src, workdir) if tools else {}
    if out:
        out["csv_import_vs_sqlite_utils_ratio"] = first_s / out["csv_sqlite_utils_fts_s"]
        out["csv_import_vs_sqlite3_ratio"] = first_s / out["csv_sqlite3_import_s"]
    return out | {
        "csv_rows": rows,
        "csv_write_s": written,
        "csv_mb": src.stat().st_size / 2**20,
        "csv_import_ready_s": ready_s,  # rows committed: exact lookups and routing work
        "csv_import_index_s": index_s,  # then the search index, built and swapped in
        "csv_import_s": first_s,
        "csv_import_cpu_s": first_cpu,
        "csv_import_rss_mb": rss_first,
        "csv_reimport_s": again_s,
    }


def _tools(src: Path, workdir: Path) -> dict[str, float]:
    """The same file through the tools a user would reach for, timed in the same run:
    `sqlite-utils insert --csv` + `enable-fts` (over the columns the kiosk searches),
    and `sqlite3 .import` (rows only, no index at all)."""
    utils = str(Path(sys.executable).with_name("sqlite-utils"))
    target = workdir / "sqlite-utils.db"
    t = time.perf_counter()
    subprocess.run([utils, "insert", str(target), "contacts", str(src), "--csv"], check=True,
                   capture_output=True)  # fmt: skip
    inserted = time.perf_counter() - t
    subprocess.run([utils, "enable-fts", str(target), "contacts", "name", "company", "email",
                    "city", "--fts5"], check=True, capture_output=True)  # fmt: skip
    utils_s = time.perf_counter() - t
    target.unlink()
    plain = workdir / "sqlite3.db"
    t = time.perf_counter()
    subprocess.run(["sqlite3", str(plain), ".mode csv", f".import {src} contacts"], check=True,
                   capture_output=True)  # fmt: skip
    sqlite3_s = time.perf_counter() - t
    plain.unlink()
    return {"csv_sqlite_utils_insert_s": inserted, "csv_sqlite_utils_fts_s": utils_s,
            "csv_sqlite3_import_s": sqlite3_s}  # fmt: skip


# ------------------------------------------------------------------ merge


def _kiosk_events(kiosk: str, n: int, contacts: list[str], rng: random.Random) -> list[tuple]:
    """n raw event rows for one kiosk: a show day of check-ins, leads and 'received'."""
    from kiosk.events import Event

    day = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    step = timedelta(hours=9) / n
    rows: list[tuple] = []
    checkins: list[str] = []
    t = day + rng.random() * step
    while len(rows) < n:
        r = rng.random()
        ts = t.isoformat(timespec="microseconds")
        if r < 0.15:  # a new visitor: lead + check-in
            v = rng.randrange(4000)  # a pool shared by kiosks → the same visitor at several
            with_email = v % 5 != 0
            lead = Event(str(uuid.UUID(int=rng.getrandbits(128), version=4)), kiosk, ts,
                         "lead.created", {
                "contact": {"name": f"Visitor {v}", "company": f"Company {v % 700}",
                            "email": f"visitor{v}@mail{v % 50}.example" if with_email else "",
                            "country": rng.choice(["DE", "JP", "BR", "US", "CN"]),
                            "badge_id": f"BADGE-{v}" if not with_email else None},
                "rating": rng.choice(["cold", "warm", "hot"]), "products": ["LED panels"],
                "notes": "", "consent": False, "brought_by": None,
                "owner_id": rng.choice(["s01", "s02", "s03"]), "rule": "territory-country",
                "reason": "bench", "territory_rule_id": None, "proposals": [],
            })  # fmt: skip
            rows.append(lead)
            cid = f"L-{lead.uuid}"
            t += timedelta(microseconds=1)
            ts = t.isoformat(timespec="microseconds")
        else:
            cid = rng.choice(contacts)
        if r < 0.9 or not checkins:
            e = Event(str(uuid.UUID(int=rng.getrandbits(128), version=4)), kiosk, ts, "checkin",
                      {"contact_id": cid, "owner_id": "s01", "rule": "existing-owner",
                       "reason": "bench", "invited_by": None, "brought_by": None,
                       "proposals": []})  # fmt: skip
            checkins.append(e.uuid)
        else:
            e = Event(
                str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                kiosk,
                ts,
                "checkin.received",
                {"checkin_id": rng.choice(checkins), "by": "s02"},
            )
        rows.append(e)
        t += step
    return [
        (e.uuid, e.kiosk_id, e.ts, e.ts_utc, e.ts, "", e.kind,
         json.dumps(e.payload, ensure_ascii=False, sort_keys=True))
        for e in rows[:n]
    ]  # fmt: skip


def child_merge(kiosks: int, per_kiosk: int, workdir: Path) -> dict[str, float]:
    from bench import SALESPEOPLE, generate

    from kiosk.clock import clock_from_env
    from kiosk.contact_rows import insert_contacts
    from kiosk.db import open_db, set_meta
    from kiosk.sync.merge import merge_databases

    base = workdir / "base.db"
    db = open_db(base)
    set_meta(db, "show_id", "bench-show")  # merges refuse a kiosk of no show
    _salespeople(db, SALESPEOPLE)
    stream, _ = generate(20_000, 11)
    insert_contacts(db, stream)
    contacts = [r[0] for r in db.execute("SELECT id FROM contacts")]
    db.conn.close()
    rng = random.Random(3)
    paths = []
    for k in range(kiosks):
        p = workdir / f"kiosk-{k + 1}.db"
        shutil.copy(base, p)
        kdb = open_db(p)
        kdb.conn.executemany(
            "INSERT INTO events(uuid, kiosk_id, ts, ts_utc, recorded_at, actor, kind, payload)"
            " VALUES (?,?,?,?,?,?,?,?)",
            _kiosk_events(f"kiosk-{k + 1}", per_kiosk, contacts, rng),
        )
        kdb.conn.close()
        paths.append(p)
    target = workdir / "office.db"
    shutil.copy(base, target)
    t, cpu = time.perf_counter(), time.process_time()
    report = merge_databases(target, paths, now=clock_from_env()(), backup=True)
    first, first_cpu = time.perf_counter() - t, time.process_time() - cpu
    assert report.new == kiosks * per_kiosk, report.summary()
    t = time.perf_counter()
    again = merge_databases(target, paths, now=clock_from_env()(), backup=True)
    second = time.perf_counter() - t
    assert again.new == 0 and again.backup is None
    copied = _sqlite3_copy(base, paths, workdir / "sqlite3.db")
    return {
        "merge_events": kiosks * per_kiosk,
        "merge_s": first,
        "merge_sqlite3_copy_s": copied,
        "merge_vs_sqlite3_ratio": first / copied,
        "merge_cpu_s": first_cpu,
        "merge_again_s": second,
        "merge_disputes": report.open_disputes,
        "merge_rss_mb": peak_rss_mb(),
    }


def _sqlite3_copy(base: Path, kiosks: list[Path], target: Path) -> float:
    """The `sqlite3` shell copying every kiosk's event rows into a fresh copy of `base`,
    skipping uuids it has: what a user would run to pool the logs, and the write a merge
    cannot avoid (the log's rows and its uuid key), without any check, check-in, lead or
    index of the kiosk's own. Timed with the shell's start; one transaction for up to ten
    kiosks."""
    shutil.copy(base, target)
    lines = []
    for at in range(0, len(kiosks), 10):  # SQLite attaches ten files at most, and only
        group = list(enumerate(kiosks))[at : at + 10]  # outside a transaction
        lines += [f"ATTACH '{k}' AS k{n};" for n, k in group]
        lines.append("BEGIN;")
        lines += [f"INSERT OR IGNORE INTO events SELECT * FROM k{n}.events;" for n, _ in group]
        lines.append("COMMIT;")
        lines += [f"DETACH k{n};" for n, _ in group]
    t = time.perf_counter()
    subprocess.run(["sqlite3", str(target)], input="\n".join(lines), text=True, check=True,
                   capture_output=True)  # fmt: skip
    return time.perf_counter() - t


# ------------------------------------------------------------------ bench.py sections
# scripts/bench.py imports every scripts/bench_*.py; these register into its registry.
from bench import Bench, section  # noqa: E402


@section("csv_import")
def bench_csv_import(b: Bench) -> dict[str, float]:
    """`import_csv` of an N-row generic CRM export (N = --contacts), then the same again."""
    r = run_child("import", rows=b.n)
    b.notes.append(
        f"csv_import: {b.n:,} rows, {r['csv_mb']:.0f} MB CSV; re-import finds them unchanged;"
        " rss is the importing process's own"
    )
    return {k: v for k, v in r.items() if k.endswith(("_s", "_mb", "_ratio"))}


@section("merge")
def bench_merge(b: Bench) -> dict[str, float]:
    """10 kiosks × 10,000 events merged into a fresh office database, then merged again."""
    r = run_child("merge", kiosks=10, per_kiosk=10_000)
    b.notes.append(
        f"merge: {r['merge_events']:,.0f} events from 10 kiosks (20,000 CRM contacts),"
        f" {r['merge_disputes']:,.0f} disputes raised; merge_again_s = nothing new;"
        " merge_sqlite3_copy_s = the same event rows pooled by the sqlite3 shell"
    )
    return {k: v for k, v in r.items() if k.endswith(("_s", "_mb", "_ratio"))}


def run_child(what: str, **kwargs: int) -> dict[str, float]:
    """Run one measurement in a fresh interpreter; returns its JSON result."""
    args = [sys.executable, str(Path(__file__).resolve()), what, "--json"]
    for k, v in kwargs.items():
        args += [f"--{k.replace('_', '-')}", str(v)]
    out = subprocess.run(args, check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("what", choices=["import", "merge"])
    ap.add_argument("--rows", type=int, default=1_000_000, help="CSV rows for 'import'")
    ap.add_argument("--kiosks", type=int, default=10)
    ap.add_argument("--per-kiosk", type=int, default=10_000)
    ap.add_argument("--csv", type=Path, help="'import': read (or first write) the CSV here")
    ap.add_argument(
        "--no-tools",
        action="store_true",
        help="'import': skip the sqlite-utils and sqlite3 comparison runs",
    )
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-sync-") as tmp:
        if args.what == "import":
            result = child_import(args.rows, Path(tmp), args.csv, not args.no_tools)
        else:
            result = child_merge(args.kiosks, args.per_kiosk, Path(tmp))
    if args.json:
        print(json.dumps(result))
    else:
        for k, v in result.items():
            print(f"{k:<22}{v:>14,.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
