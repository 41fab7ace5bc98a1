#!/usr/bin/env python3
"""Time `kiosk.badges.parse_badge` on fuzzed payloads, and score it on the held-out set.

    .venv/bin/python scripts/bench_badges.py                # 24,000 payloads, seed 11
    .venv/bin/python scripts/bench_badges.py -n 50000 --seed 7
    .venv/bin/python scripts/bench_badges.py --heldout [-v]  # accuracy on tests/data/badges/heldout.jsonl

The bound of issue 11 is p99 < 2 ms per call for any payload up to 8 KB (8192 bytes of UTF-8).
Each payload is timed `--repeat` times: the first call's wall time (what a visitor waits),
its CPU time (the work itself, unaffected by other processes on a busy machine) and the best
wall time are reported; the exit status is 0 when the first-call p99 is under 2 ms.
Payloads come from a fixed seed: random text and bytes, realistic badges of every family, and
adversarial shapes (long lines, thousands of delimiters, deep vCard folding, huge
QUOTED-PRINTABLE, many ';', nested JSON, '+' runs for the phone matcher, '@' runs for the URL
checks). Every payload is cut to 8192 bytes; a separate run times payloads over the limit,
which must be refused. The first call (module and country-table loading) is reported apart.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kiosk.badges import parse_badge  # noqa: E402

LIMIT = 8192
HELDOUT = ROOT / "tests" / "data" / "badges" / "heldout.jsonl"
PUNCT = ";:,^|\t\n\r\\=\"'@{}[]/?&#.-_ +%"
WORDS = [
    "Ana",
    "Ruiz",
    "Acme",
    "GmbH",
    "Ltd",
    "Manager",
    "Japan",
    "México",
    "中国",
    "王小明",
    "EXPO2026-000481",
    "+34 612 345 678",
    "ana@x.example",
    "https://x.example/b/77",
    "Sales",
]


def cut(text: str) -> str:
    """At most LIMIT bytes of UTF-8, never splitting a character."""
    data = text.encode("utf-8", "surrogatepass")
    if len(data) <= LIMIT:
        return text
    return data[:LIMIT].decode("utf-8", "ignore")


def gen_random_text(r: random.Random) -> str:
    n = r.choice([0, 1, 5, 20, 80, 300, 1000, 4000, 8000])
    return "".join(chr(r.randrange(0x20, 0x2FFF)) for _ in range(n))


def gen_random_bytes(r: random.Random) -> str:
    n = r.choice([1, 10, 100, 1000, 8000])
    return bytes(r.randrange(256) for _ in range(n)).decode("utf-8", "replace")


def gen_punctuation(r: random.Random) -> str:
    n = r.choice([10, 100, 1000, 8000])
    return "".join(r.choice(PUNCT + "aZ09") for _ in range(n))


def gen_delimited(r: random.Random) -> str:
    sep = r.choice("^|\t;")
    fields = [r.choice(WORDS) for _ in range(r.randint(2, 9))]
    return sep.join(fields)


def gen_many_delimiters(r: random.Random) -> str:
    sep = r.choice("^|\t;")
    unit = r.choice(["", "a", "Ana Ruiz", "ana@x.example", "Japan", "+34 612 345 678", "12345"])
    return (unit + sep) * (LIMIT // (len(unit) + 1))


def gen_long_line(r: random.Random) -> str:
    unit = r.choice(["a", "ab ", "1", "é", "中", "a.b", "x@", "+1 ", "-", "=", "\\"])
    return unit * (LIMIT // len(unit.encode()))


def gen_deep_folding(r: random.Random) -> str:
    fold = r.choice(["\r\n ", "\n ", "\n\t", "\r\n\t"])
    return "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A" + (fold + "b") * 2600


def gen_huge_qp(r: random.Random) -> str:
    unit = r.choice(["=C3=A9", "=E4=B8=AD", "=\r\n", "=3B", "==", "=ZZ"])
    head = "BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:"
    return head + unit * ((LIMIT - len(head)) // len(unit))


def gen_many_props(r: random.Random) -> str:
    prop = r.choice(
        ["EMAIL:a@b.example", "TEL:+1 212 555 0100", "ADR:;;x;y;;;Japan", "N:a;b;c;d;e"]
    )
    return "BEGIN:VCARD\n" + "\n".join([prop] * (LIMIT // (len(prop) + 1) - 2))


def gen_many_semicolons(r: random.Random) -> str:
    head = r.choice(["MECARD:", "BIZCARD:", "MEBKM:", "MATMSG:", "BEGIN:VCARD\nN:", "sms:", ""])
    unit = r.choice([";", "N:a;", "\\;", "TEL:1;", ";;"])
    return head + unit * ((LIMIT - len(head)) // len(unit))


def gen_nested_json(r: random.Random) -> str:
    depth = r.choice([10, 100, 2000])
    return r.choice(['{"a":' * depth, "[" * depth, '{"id": "' + "9" * 8000 + '"}'])


def gen_url(r: random.Random) -> str:
    shape = r.randrange(6)
    if shape == 0:
        return "https://x.example/?" + "a=1&" * 2000
    if shape == 1:
        return "http://" + "a@" * 4000
    if shape == 2:
        return "x.example:" + "1" * 8000
    if shape == 3:
        return "https://x.example/" + "/".join(["seg"] * 2000) + "/ABC123"
    if shape == 4:
        return "www." + "a." * 4000 + "com"
    return "mailto:" + "a," * 4000


def gen_email_like(r: random.Random) -> str:
    return r.choice(["a" * 4000 + "@" + "b." * 2000, "a@" * 4000, "a.b" * 2700 + "@c", '"' * 8000])


def gen_phone_like(r: random.Random) -> str:
    return r.choice(["+1 " * 2700, "+" + "1" * 8000, "tel:" + "1-" * 4000, "(+" * 4000])


def gen_realistic(r: random.Random) -> str:
    return r.choice(
        [
            "EXPO2026-000481^Kenji^Sato^Sato Lighting KK^Purchasing Manager^kenji@sato.example^JP",
            "MECARD:N:Tanaka,Yuki;TEL:+81312345678;EMAIL:yuki@example.jp;;",
            "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Kowalski;Jan;;Dr.;\r\nEMAIL:jan@x.example\r\nEND:VCARD",
            "BIZCARD:N:Liam;X:Byrne;C:Emerald;E:liam@emerald.example;;",
            "MEMORY:x\r\nNAME1:Kenji Sato\r\nTEL1:+81-3-1234-5678\r\n",
            "https://reg.example/visitor?attendee=EXPO2026-000481",
            "MEBKM:TITLE:x;URL:expo.example/b/GLE26-0012345;;",
            "tel:+34612345678",
            "geo:35.6586,139.7454",
            '{"badgeId": "B-42", "firstName": "Ana", "lastName": "Ruiz"}',
            "Ana Ruiz\nFrutas del Sur\nana@frutas.example\n+34 612 345 678",
        ]
    )


def gen_mutated(r: random.Random) -> str:
    """A realistic payload with random edits: the readers' less travelled branches."""
    text = list(gen_realistic(r))
    for _ in range(r.randint(1, 20)):
        i = r.randrange(len(text) + 1)
        op = r.randrange(3)
        if op == 0:
            text.insert(i, r.choice(PUNCT))
        elif op == 1 and text:
            del text[min(i, len(text) - 1)]
        else:
            text[i:i] = list(r.choice(WORDS)) * r.randint(1, 50)
    return "".join(text)


GENERATORS: dict[str, Callable[[random.Random], str]] = {
    "random text": gen_random_text,
    "random bytes": gen_random_bytes,
    "punctuation": gen_punctuation,
    "delimited": gen_delimited,
    "many delimiters": gen_many_delimiters,
    "long line": gen_long_line,
    "deep folding": gen_deep_folding,
    "huge QP": gen_huge_qp,
    "many properties": gen_many_props,
    "many ';'": gen_many_semicolons,
    "nested JSON": gen_nested_json,
    "URL shapes": gen_url,
    "e-mail shapes": gen_email_like,
    "phone shapes": gen_phone_like,
    "realistic": gen_realistic,
    "mutated": gen_mutated,
}


def percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return 0.0
    k = min(len(sorted_values) - 1, max(0, round(q * (len(sorted_values) - 1))))
    return sorted_values[k]


def bench(n: int, seed: int, repeat: int) -> int:
    r = random.Random(seed)
    names = list(GENERATORS)
    payloads = []
    for i in range(n):
        name = names[i % len(names)]
        payloads.append((name, cut(GENERATORS[name](r))))
    t0 = time.perf_counter()
    parse_badge("EXPO2026-000481^Ana^Acme^ana@x.example^Japan^CEO^+81 3 1234 5678")
    first = (time.perf_counter() - t0) * 1000
    for _, payload in payloads[:200]:  # warm caches the way a running kiosk has them
        parse_badge(payload)

    times: dict[str, list[float]] = defaultdict(list)
    cpu: list[float] = []
    best: list[float] = []
    slowest: list[tuple[float, str, str]] = []
    kinds: Counter[str] = Counter()
    for name, payload in payloads:
        walls = []
        for attempt in range(repeat):
            start, start_cpu = time.perf_counter_ns(), time.thread_time_ns()
            badge = parse_badge(payload)
            walls.append((time.perf_counter_ns() - start) / 1e6)
            if attempt == 0:
                cpu.append((time.thread_time_ns() - start_cpu) / 1e6)
        times[name].append(walls[0])
        best.append(min(walls))
        kinds[badge.kind] += 1
        slowest.append((walls[0], name, payload[:60]))
    slowest = sorted(slowest, reverse=True)[:5]

    over = []
    for size in (LIMIT + 1, 9000, 64 * 1024, 1024 * 1024):
        payload = "x" * size
        start = time.perf_counter_ns()
        badge = parse_badge(payload)
        over.append((size, (time.perf_counter_ns() - start) / 1e6, badge.kind, badge.warnings[-1:]))

    every = sorted(t for ts in times.values() for t in ts)
    print(f"parse_badge on {len(every):,} fuzzed payloads ≤ {LIMIT} bytes (seed {seed})")
    print(f"  first call (loads modules and country tables): {first:.1f} ms")
    print(f"  machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")
    rows = [("wall, first call", every), ("CPU time of that call", sorted(cpu))]
    if repeat > 1:
        rows.append((f"wall, best of {repeat}", sorted(best)))
    for label, values in rows:
        p50, p99, p999 = (percentile(values, q) for q in (0.5, 0.99, 0.999))
        print(
            f"  {label:<22} p50 {p50:.3f} ms   p99 {p99:.3f} ms   p99.9 {p999:.3f} ms"
            f"   max {values[-1]:.3f} ms"
        )
    p99 = percentile(every, 0.99)
    print("  per generator, wall time of the first call:")
    print(f"  {'generator':<16} {'n':>6} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for name in names:
        ts = sorted(times[name])
        print(
            f"  {name:<16} {len(ts):>6} {statistics.median(ts):>8.3f} "
            f"{percentile(ts, 0.99):>8.3f} {ts[-1]:>8.3f}"
        )
    print("  kinds: " + ", ".join(f"{k} {v}" for k, v in kinds.most_common()))
    print("  slowest calls:")
    for ms, name, head in slowest:
        print(f"    {ms:7.3f} ms  {name:<16} {head!r}")
    print("  over the limit:")
    for size, ms, kind, warning in over:
        print(f"    {size:>8} bytes: {ms:7.3f} ms  kind={kind}  {list(warning)}")
    return 0 if p99 < 2.0 else 1


def check(record: dict, badge: object) -> list[str]:
    """The expected fields this badge got wrong ('warning' means: some warning contains it)."""
    wrong = []
    for key, want in record["expected"].items():
        if key == "warning":
            warnings = getattr(badge, "warnings", ())
            if not any(want in w for w in warnings):
                wrong.append(f"warning ~{want!r}: {list(warnings)}")
            continue
        got = getattr(badge, key, "<no such field>")
        if got != want:
            wrong.append(f"{key}: want {want!r}, got {got!r}")
    return wrong


def load_heldout(path: Path = HELDOUT) -> list[dict]:
    records = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            rec = json.loads(line)
            rec["text"] = rec["payload"] * rec.get("repeat", 1)
            records.append(rec)
    return records


def heldout(verbose: bool) -> int:
    records = load_heldout()
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    failures = []
    for rec in records:
        badge = parse_badge(rec["text"], field_order=rec.get("field_order"))
        wrong = check(rec, badge)
        per[rec["family"]][1] += 1
        if wrong:
            failures.append((rec, wrong))
        else:
            per[rec["family"]][0] += 1
    right = sum(ok for ok, _ in per.values())
    print(
        f"held-out badges: {right}/{len(records)} read with every expected field right "
        f"({right / len(records):.1%})"
    )
    for family, (ok, n) in per.items():
        print(f"  {family:<30} {ok:>3}/{n}")
    if verbose:
        for rec, wrong in failures:
            print(f"\n{rec['text'][:100]!r}")
            for line in wrong:
                print(f"    {line}")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("-n", type=int, default=24_000, help="payloads to time (default 24,000)")
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument(
        "--repeat", type=int, default=3, help="time each payload this often (default 3)"
    )
    ap.add_argument("--heldout", action="store_true", help="score the held-out set instead")
    ap.add_argument("-v", "--verbose", action="store_true", help="with --heldout: list failures")
    args = ap.parse_args()
    if args.heldout:
        return heldout(args.verbose)
    return bench(args.n, args.seed, args.repeat)


if __name__ == "__main__":
    sys.exit(main())
