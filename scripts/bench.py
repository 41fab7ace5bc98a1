#!/usr/bin/env python
"""Benchmark the kiosk at CRM scale: `python scripts/bench.py --contacts 1000000 [--json]`.

Generates N synthetic contacts (`scripts/synthetic.py`: deterministic, multi-script —
accented Latin, Chinese, Japanese, Korean, Arabic, Cyrillic), imports them with
`insert_contacts` into a fresh database in a temporary directory, then times the scan
and search paths.

Sections are plain functions registered with `@section(name)`; each gets the shared
`Bench` context and returns `{metric: value}` with metric names ending in `_ms`, `_s`
or `_mb` (the `--json` contract). To add one (CRM importer, kiosk merge, scan → card
latency …), write a function and decorate it — here, or in a sibling module
`scripts/bench_<topic>.py` that does `from bench import section`: such modules are
imported at start-up. `--only` runs a subset after `import`. Rows are streamed into the
database, never held, so peak RSS measures the kiosk.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kiosk import fulltext  # noqa: E402
from kiosk.contact_rows import insert_contacts  # noqa: E402
from kiosk.db import compact_fts, fts_segments, open_db, transaction  # noqa: E402
from kiosk.phones import normalize_phone  # noqa: E402
from kiosk.store import CONTACT_COLUMNS  # noqa: E402
from kiosk.text import fold  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import SALESPEOPLE, generate  # noqa: E402  (re-exported: bench_sync uses them)

__all__ = ["SALESPEOPLE", "SECTIONS", "Bench", "generate", "p50_p95", "pct", "section",
           "slowest_note", "steal_ms", "tail", "timed"]  # fmt: skip


# ------------------------------------------------------------------ the harness
@dataclass
class Bench:
    """What sections share: the database, the sampled contacts and the options."""

    n: int
    path: Path
    seed: int = 7
    scans: int = 2000  # scans per scan section (the budgets are set over 2,000)
    db: Any = None
    samples: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    source: Path | None = None  # --from-db: a database an earlier run imported
    integrity: str | None = None  # --integrity: the app's damage check runs beside the scans


Section = Callable[[Bench], dict[str, float]]
SECTIONS: dict[str, Section] = {}


def section(name: str) -> Callable[[Section], Section]:
    def register(fn: Section) -> Section:
        SECTIONS[name] = fn
        return fn

    return register


def timed(fn: Callable[[Any], Any], inputs: list[Any], repeat: int = 1) -> list[float]:
    """Milliseconds for each call of fn over the inputs (after one untimed warm-up call)."""
    if inputs:
        fn(inputs[0])
    out = []
    for _ in range(repeat):
        for x in inputs:
            t = time.perf_counter()
            fn(x)
            out.append((time.perf_counter() - t) * 1000)
    return out


def _paired(
    fn: Callable[[Any], Any],
    inputs: list[Any],
    floor: Callable[[Any], Any],
    keys: list[Any],
    rounds: int,
) -> tuple[list[float], list[float]]:
    """Milliseconds of fn(inputs[i]) and of floor(keys[i]), timed call by call, the order of
    the two alternating by round (after one untimed warm-up call of each)."""
    if inputs:
        fn(inputs[0])
        floor(keys[0])
    a: list[float] = []
    b: list[float] = []
    for r in range(rounds):
        for x, k in zip(inputs, keys, strict=True):
            for f, arg, into in ((fn, x, a), (floor, k, b))[:: 1 if r % 2 == 0 else -1]:
                t = time.perf_counter()
                f(arg)
                into.append((time.perf_counter() - t) * 1000)
    return a, b


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def p50_p95(prefix: str, values: list[float]) -> dict[str, float]:
    return {f"{prefix}_p50_ms": pct(values, 50), f"{prefix}_p95_ms": pct(values, 95)}


def tail(prefix: str, values: list[float]) -> dict[str, float]:
    """p50, p95, p99 and the slowest (the budgets bound the tail, not the middle)."""
    return p50_p95(prefix, values) | {f"{prefix}_p99_ms": pct(values, 99),
                                      f"{prefix}_max_ms": max(values, default=float("nan"))}  # fmt: skip


def steal_ms() -> float | None:
    """CPU time the hypervisor took from this machine so far (all cores, /proc/stat's
    `steal`), or None where there is no such counter."""
    try:
        with open("/proc/stat") as stat:
            fields = stat.readline().split()
        return int(fields[8]) * 1000 / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def slowest_note(name: str, ms: list[float], payloads: list[str], since: float | None) -> str:
    """Which scans were slowest and what the host took since `steal_ms()` said `since`: a
    max far above the p99 is told apart from a slow lookup (the same payload is slow
    again) or a stolen moment."""
    top = sorted(range(len(ms)), key=lambda i: -ms[i])[:3]
    worst = "; ".join(f"#{i + 1} {payloads[i][:32]!r} {ms[i]:.1f} ms" for i in top)
    now = steal_ms()
    stolen = None if since is None or now is None else now - since
    host = "" if stolen is None else f"; CPU stolen by the host meanwhile: {stolen:,.0f} ms"
    return f"{name}: slowest scans {worst}{host}"


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


@section("import")
def bench_import(b: Bench) -> dict[str, float]:
    """Generate and insert N contacts (with the FTS rebuild); generation time is subtracted.

    With `--from-db`, a copy of a database an earlier run imported (`--only import --db
    FILE`) is used instead, and the same seed's samples are drawn again: the read-path
    sections can then be run again and again without paying for the import each time."""
    if b.source is not None:
        return _copied(b)
    b.db = open_db(b.path)
    b.db.conn.executemany(
        "INSERT INTO salespeople(id, name) VALUES (?, ?)", [(s, f"Sales {s}") for s in SALESPEOPLE]
    )
    stream, b.samples = generate(b.n, b.seed)
    gen = 0.0

    def clocked() -> Iterator[dict]:
        nonlocal gen
        while True:
            t = time.perf_counter()
            row = next(stream, None)
            gen += time.perf_counter() - t
            if row is None:
                return
            yield row

    t0 = time.perf_counter()
    count = insert_contacts(b.db, clocked(), bulk=True)
    total = time.perf_counter() - t0
    assert count == b.n, (count, b.n)
    wal = Path(f"{b.path}-wal")
    wal_mb = (wal.stat().st_size if wal.exists() else 0) / 2**20
    # `kiosk import` ends its process, and the last connection's close folds the log into
    # the file; the kiosk then starts on a database without one. So do the sections here.
    t0 = time.perf_counter()
    b.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return {
        "import_s": total - gen,
        "generate_s": gen,
        "db_size_mb": b.path.stat().st_size / 2**20,
        "wal_size_mb": wal_mb,  # before the checkpoint
        "import_checkpoint_s": time.perf_counter() - t0,
    }


def _copied(b: Bench) -> dict[str, float]:
    """The `--from-db` database copied to this run's path, and the seed's samples again."""
    assert b.source is not None
    src = open_db(b.source, create=False, migrate=False)  # shared: never migrated here
    src.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the copy is then the whole database
    src.conn.close()
    shutil.copyfile(b.source, b.path)
    # On disk before any section: else the kernel writes the copy's ~600 MB back ~30 s
    # later, in the middle of the scans, and a check-in's COMMIT (its fsync) waits behind
    # it — the slowest scan of scan_to_card in four 1M runs out of four (70-141 ms, 23-27 s
    # into the scans), in none with the copy synced (2026-12-04). A booth's database is
    # not a fresh copy. (The fsync takes ~0.2 s here.)
    with open(b.path, "rb+") as copy:
        os.fsync(copy.fileno())
    stream, b.samples = generate(b.n, b.seed)
    for _ in stream:  # the samples fill as the rows go by
        pass
    b.db = open_db(b.path, create=False)
    count = b.db.conn.execute("SELECT count(*) FROM contacts WHERE source <> 'booth'").fetchone()[0]
    if count != b.n:
        raise SystemExit(f"--from-db {b.source} holds {count:,} contacts, not --contacts {b.n:,}")
    b.notes.append(f"read-path sections on a copy of {b.source} (import not timed)")
    segments = fts_segments(b.db.conn)
    if segments > 1:  # built before imports compacted it: as today's import leaves it
        t0 = time.perf_counter()
        with transaction(b.db):
            compact_fts(b.db.conn)
        b.notes.append(
            f"the copy's search index compacted from {segments} segments to one, as an"
            f" import leaves it ({time.perf_counter() - t0:.1f} s, not timed)"
        )
    return {}


def _typo(rng: random.Random, text: str) -> str:
    """One keyboard slip in the longest word: a swap, a drop or a doubled letter."""
    words = text.split()
    w = max(range(len(words)), key=lambda k: len(words[k]))
    word = words[w]
    if len(word) < 4:
        return text
    i = rng.randrange(1, len(word) - 2)
    kind = rng.randrange(3)
    if kind == 0:
        word = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    elif kind == 1:
        word = word[:i] + word[i + 1 :]
    else:
        word = word[:i] + word[i] + word[i:]
    words[w] = word
    return " ".join(words)


def _is_cjk(text: str) -> bool:
    return any("\u3040" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af" for ch in text)


@section("lookup")
def bench_exact(b: Bench) -> dict[str, float]:
    """`lookup()` as the scanner and Enter use it: badge id, e-mail and phone (exact), and
    country queries in several languages, some of them also first names."""
    from kiosk import lookup as _lookup

    s = b.samples
    badges = [r["badge_ids"] for r in s if r["badge_ids"]]
    emails = [r["email"].upper() for r in s]
    phones = [r["phone"] for r in s]
    countries = ["Japan", "日本", "Alemania", "Deutschland", "Jordan", "Chad", "Georgia", "中国"]
    out: dict[str, float] = {}
    # The bare indexed SELECT each lookup wraps (the floor it is compared with): the key
    # already normalised, the contact's columns read, nothing else.
    conn, cols = b.db.conn, "rowid, " + CONTACT_COLUMNS
    bare = {
        "badge": (f"SELECT {cols} FROM contacts WHERE id = (SELECT contact_id FROM contact_badges"
                  " WHERE badge_id = ?)", badges),
        # `<> ''` as lookup writes it: the indexes are partial (no blanks)
        "email": (f"SELECT {cols} FROM contacts WHERE email_norm = ? AND email_norm <> ''"
                  " LIMIT 20",
                  [e.lower() for e in emails]),
        "phone": (f"SELECT {cols} FROM contacts WHERE phone_e164 = ? AND phone_e164 <> ''"
                  " LIMIT 20",
                  [normalize_phone(p) for p in phones]),
    }  # fmt: skip
    # The first pass over the keys reads their pages from disk into SQLite's cache: it is
    # reported apart (`*_first_p95_ms`). Then each key is looked up and SELECTed in turn
    # (which goes first alternates by round), so the wrapper and its floor see the same
    # moment of a shared machine: timed in two loops one after the other, the ratio of
    # one code swung 1.5–2.9 between runs with the load.
    for key, inputs in (("badge", badges), ("email", emails), ("phone", phones)):
        out[f"{key}_first_p95_ms"] = pct(timed(lambda q: _lookup.lookup(b.db, q), inputs), 95)
        sql, keys = bare[key]
        wrapped, floor = _paired(
            lambda q: _lookup.lookup(b.db, q), inputs,
            lambda k, sql=sql: conn.execute(sql, [k]).fetchall(), keys, rounds=3,
        )  # fmt: skip
        out |= p50_p95(key, wrapped)
        out[f"{key}_select_p95_ms"] = pct(floor, 95)
        out[f"{key}_select_ratio"] = out[f"{key}_p95_ms"] / out[f"{key}_select_p95_ms"]
    timed(lambda q: _lookup.lookup(b.db, q), countries)
    out |= p50_p95("lookup_country", timed(lambda q: _lookup.lookup(b.db, q), countries, repeat=3))
    missed = sum(_lookup.lookup(b.db, q).kind != "badge" for q in badges)
    b.notes.append(f"badge lookups that missed: {missed}/{len(badges)}")
    return out


# Queries that match a large share of the rows (the worst case for ranking), and queries
# that match nothing (the worst case for proving absence, and for the typo fallback).
COMMON = ["li", "ma", "jo", "王", "李", "김", "gmbh", "co., ltd", "trading", "有限公司",
          "shenzhen", "smith", "maria", "ltd", "com", "ar", "1"]  # fmt: skip
MISSES = ["zzqx", "qwertyuiop", "xyzzy corp", "zhq", "ジョン", "Wolfeschlegelsteinhausen"]


@section("search")
def bench_search(b: Bench) -> dict[str, float]:
    """Search-as-you-type: name prefixes, CJK fragments (2 and 3 chars), one-typo names,
    very common fragments and words, and queries that match nothing."""
    from kiosk import lookup as _lookup

    rng = random.Random(b.seed + 1)
    s = b.samples
    prefix = [r["name"][: max(3, len(r["name"]) * 2 // 3)] for r in s if not _is_cjk(r["name"])]
    cjk = [r["name"].replace(" ", "") for r in s if _is_cjk(r["name"])]
    cjk_q = [n[1:3] if i % 2 else n[:3] for i, n in enumerate(cjk) if len(n) >= 3]
    latin = [r["name"] for r in s if not _is_cjk(r["name"]) and r["name"].isascii()]
    typos = [(t, n) for n in latin if (t := _typo(rng, n)) != n]
    # The trigram counts the kiosk reads on a thread after its first frame (the CLI, a
    # one-off process, searches without them: spread trigrams, slower, the same answers).
    t0 = time.perf_counter()
    listed = fulltext.load_frequencies(b.db.conn)
    b.notes.append(f"search: trigram counts read first ({listed:,} trigrams,"
                   f" {time.perf_counter() - t0:.1f} s), as the kiosk does after its first frame")  # fmt: skip
    out: dict[str, float] = {}
    for key, inputs in (("search_prefix", prefix), ("search_cjk", cjk_q),
                        ("search_typo", [t for t, _ in typos]), ("search_common", COMMON),
                        ("search_miss", MISSES)):  # fmt: skip
        out |= tail(key, timed(lambda q: _lookup.search(b.db, q), inputs, repeat=2))
    found = sum(
        any(fold(m.contact.name) == fold(n) for m in _lookup.search(b.db, t)[:5]) for t, n in typos
    )
    b.notes.append(f"typo queries whose intended name is in the top 5: {found}/{len(typos)}")
    hits = sum(bool(_lookup.search(b.db, q)) for q in cjk_q)
    b.notes.append(f"CJK fragment queries with results: {hits}/{len(cjk_q)}")
    return out


COUNTRY_QUERIES = [
    q.replace("_", " ")
    for q in (
        "Japan 日本 Alemania Deutschland Germany Germny China 中国 Chine USA United_States "
        "Estados_Unidos Brasil Brazil Россия Russia Korea_Republic 대한민국 Mexico México "
        "Espagne España Spain Frnace France Türkiye Turkey UK United_Kingdom Vietnam Indonesia "
        "Egypt مصر Saudi_Arabia Jordan Chad Georgia Atlantis"
    ).split()
]
_FIRST_CALL = (
    "import time; from kiosk.countries.resolve import resolve_country; t = time.perf_counter(); "
    "resolve_country('Japan'); print((time.perf_counter() - t) * 1000)"
)


@section("country")
def bench_country(b: Bench) -> dict[str, float]:
    """`resolve_country` over names, aliases and typos in several languages; the first
    call of a fresh process (which builds the alias index) is timed in a child process."""
    from kiosk.countries.resolve import resolve_country

    root = str(Path(__file__).resolve().parent.parent)
    child = subprocess.run([sys.executable, "-c", _FIRST_CALL], cwd=root, check=True,
                           capture_output=True, text=True)  # fmt: skip
    ms = timed(resolve_country, COUNTRY_QUERIES, repeat=5)
    return {"country_cold_ms": float(child.stdout.strip())} | p50_p95("country", ms)


@section("scan_to_card")
def bench_scan_to_card(b: Bench) -> dict[str, float]:
    """Last scanner key → visitor card rendered, through the headless TUI (kiosk/ui/benchmark.py):
    2,000 scans of badge ids and vCards of known contacts, and of new visitors, each checked
    in as at the booth (an fsync'd write)."""
    from kiosk.config import ShowConfig
    from kiosk.ui.benchmark import scan_to_card

    s = b.samples
    known = [r["badge_ids"] for r in s if r["badge_ids"]]
    vcards = [f"BEGIN:VCARD\nFN:{r['name']}\nORG:{r['company']}\nEMAIL:{r['email']}\nEND:VCARD"
              for r in s]  # fmt: skip
    emails = [r["email"] for r in s]
    # 2,000 different scans (a repeat of the same badge is a different path: "already here")
    new = [f"MECARD:N:Visitor,New {i};EMAIL:new{i}@visitor.example;;"
           for i in range(max(0, b.scans - len(known) - len(vcards) - len(emails)))]  # fmt: skip
    payloads = (known + vcards + emails + new)[: b.scans]
    random.Random(b.seed + 2).shuffle(payloads)
    missing: list[str] = []
    stolen = steal_ms()
    ms = scan_to_card(b.db, ShowConfig(kiosk_id="bench"), ["B-WARMUP", *payloads], gap=0.01,
                      timeout=2.0, missing=missing, notes=b.notes,
                      integrity_check=b.integrity)  # fmt: skip
    b.notes.append(f"scan_to_card: {len(ms) - 1} scans; the first (cold) one is reported apart;"
                   f" {len(missing)} showed no card within 2 s (counted as 2,000 ms)")  # fmt: skip
    b.notes.append(slowest_note("scan_to_card", ms[1:], payloads, stolen))
    return {"scan_to_card_cold_ms": ms[0]} | tail("scan_to_card", ms[1:])


# ------------------------------------------------------------------ output
def _shown(key: str, value: float) -> str:
    if key == "contacts":
        return f"{value:,.0f}"
    unit = key.rsplit("_", 1)[-1]
    if unit == "ratio":
        return f"{value:,.2f} ×"
    return f"{value:,.3f} {unit}" if unit == "ms" else f"{value:,.1f} {unit}"


def _table(result: dict[str, float], notes: list[str], base: dict[str, float] | None) -> str:
    """One table: each metric, and with --baseline the saved value and the change."""
    head = f"{'metric':<30}{'value':>15}"
    if base is not None:
        head += f"{'baseline':>15}{'change':>10}"
    lines = [head, "-" * len(head)]
    for k, v in result.items():
        line = f"{k:<30}{_shown(k, v):>15}"
        if base is not None and k in base:
            old = base[k]
            change = f"{(v - old) / old * 100:+.0f} %" if old else ""
            line += f"{_shown(k, old):>15}{change:>10}"
        lines.append(line)
    return "\n".join(lines + [""] + [f"· {n}" for n in notes])


UNITS = ("_ms", "_s", "_mb", "_ratio")


def load_plugins() -> None:
    """Import `scripts/bench_*.py` so their `@section`s register (a broken one is skipped)."""
    sys.modules.setdefault("bench", sys.modules[__name__])  # one registry, run or imported
    here = Path(__file__).resolve().parent
    if str(here) not in sys.path:
        sys.path.insert(0, str(here))
    for path in sorted(here.glob("bench_*.py")):
        try:
            importlib.import_module(path.stem)
        except Exception as exc:  # a plugin's bug must not stop the other sections
            print(f"bench: skipped {path.name}: {exc}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    load_plugins()
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--contacts", type=int, default=100_000, help="how many (default 100000)")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    ap.add_argument("--db", type=Path, help="database file to create (default: in a temp dir)")
    ap.add_argument("--keep", action="store_true", help="keep the temp database; print its path")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--from-db", type=Path, metavar="FILE",
                    help="copy this database (made by `--only import --db FILE` with the same"
                    " --contacts and --seed) instead of importing")  # fmt: skip
    ap.add_argument("--scans", type=int, default=2000,
                    help="scans per scan section (default 2000, what the budgets assume)")  # fmt: skip
    ap.add_argument("--integrity", choices=("stopped", "through"),
                    help="scan_to_card with the app's damage check of the file (quick_check)"
                    " started at the first scan and anew as each ends: 'stopped' by each scan,"
                    " as the app does; 'through': never stopped (the worst case)")  # fmt: skip
    ap.add_argument("--baseline", type=Path,
                    help="a saved --json run (e.g. scripts/bench_baseline.json): show the change")  # fmt: skip
    ap.add_argument("--only", help="sections to run after import, comma-separated: "
                    + ", ".join(s for s in SECTIONS if s != "import"))  # fmt: skip
    args = ap.parse_args(argv)
    wanted = ["import"] + [s for s in (args.only or ",".join(SECTIONS)).split(",") if s != "import"]
    if unknown := [s for s in wanted if s not in SECTIONS]:
        ap.error(f"unknown section(s): {', '.join(unknown)}")
    workdir = None if args.db else Path(tempfile.mkdtemp(prefix="kiosk-bench-"))
    path = args.db or workdir / "bench.db"  # type: ignore[operator]
    if path.exists():
        ap.error(f"{path} exists; the benchmark needs a fresh database")
    b = Bench(n=args.contacts, path=path, seed=args.seed, scans=args.scans, source=args.from_db,
              integrity=args.integrity)  # fmt: skip
    result: dict[str, float] = {"contacts": args.contacts}
    try:
        for name in wanted:
            print(f"… {name}", file=sys.stderr, flush=True)
            found = SECTIONS[name](b)
            result |= found
            print(json.dumps(found), file=sys.stderr, flush=True)  # kept if a later one fails
        result["rss_peak_mb"] = rss_mb()
    finally:
        if b.db is not None:
            b.db.conn.close()
        if workdir is not None and not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    if args.keep or args.db:
        print(f"database: {path}", file=sys.stderr)
    base = json.loads(args.baseline.read_text()) if args.baseline else None
    if args.json:  # the contract: every key ends in _ms, _s, _mb or _ratio
        print(json.dumps({k: v for k, v in result.items() if k.endswith(UNITS)}))
    else:
        print(_table(result, b.notes, base))
    return 0


if __name__ == "__main__":
    sys.exit(main())
