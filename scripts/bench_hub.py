#!/usr/bin/env python
"""Benchmark the hub: N kiosks recording check-ins against one local PostgreSQL hub.

    python scripts/bench_hub.py [--kiosks 10] [--rate 1000] [--minutes 5] [--json]

Starts a throw-away PostgreSQL (`scripts/pg_local.py`) unless `--hub URL` is given, makes
the demo kiosk, publishes it and copies it into `--kiosks` kiosk files, each with its own
kiosk id and every salesperson's channel pointed at a local JSON webhook. Each kiosk is a
process of its own: one thread records `--rate` check-ins a minute of random demo
visitors (`kiosk.booth.check_in`, as a scan does), paced evenly, while the booth screen's
worker (`kiosk.hub.worker.SyncWorker`, every 2 s and woken by LISTEN/NOTIFY and by each
new local event) syncs, and a second thread runs the notification pass (`NotifyLoop`).

Measured, from the same machine's clock:

- **convergence lag**: an event recorded on kiosk A → applied on kiosk B, for every event
  and every other kiosk (after each round a kiosk notes when each new event arrived);
- **arrival → notification delivered**: from the first check-in of a visitor in a repeat
  window (the one the outbox notifies; later ones are duplicates) to the webhook receiving
  it, matched by the notification's title.

Not part of the test suite (timings stay out of it). `scripts/bench.py` imports its
sibling modules: this one registers no section and does nothing on import.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import random
import resource
import shutil
import sqlite3
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))


def _now() -> datetime:
    return datetime.fromtimestamp(time.time(), UTC)  # the benchmark's own wall clock


def _profiled(target, where: str | None):
    """`target` run under cProfile, its stats dumped to `where` (a thread's own profile:
    cProfile sees only the thread it was enabled in)."""
    if where is None:
        return target

    def run(*args):
        import cProfile  # only with --profile

        prof = cProfile.Profile()
        try:
            return prof.runcall(target, *args)
        finally:
            prof.dump_stats(where)

    return run


def kiosk_process(
    path: str, url: str, kiosk_id: str, rate: float, seconds: float, out: str,
    profile: str | None = None,
):  # fmt: skip
    """One kiosk: record `rate` check-ins a minute for `seconds`, syncing meanwhile."""
    from kiosk import booth
    from kiosk.db import open_db
    from kiosk.hub import notifying
    from kiosk.hub.notifying import NotifyLoop
    from kiosk.hub.worker import SyncWorker
    from kiosk.show import show_config

    db = open_db(path, create=False)
    config = show_config(db)
    ids = [r[0] for r in db.execute("SELECT id FROM contacts WHERE source = 'crm'")]
    (start_rowid,) = db.execute("SELECT coalesce(max(rowid), 0) FROM events").fetchone()
    recorded: list[tuple[str, float, str]] = []  # uuid, time, contact
    applied: list[tuple[str, float]] = []  # other kiosks' events: uuid, time applied here
    seen = {"rowid": start_rowid}
    reader = open_db(path, create=False)
    lock = threading.Lock()

    def after_round(status):
        at = time.time()
        with lock:
            rows = reader.execute(
                "SELECT rowid, uuid, kiosk_id FROM events WHERE rowid > ? ORDER BY rowid",
                [seen["rowid"]],
            ).fetchall()
            if rows:
                seen["rowid"] = rows[-1][0]
        applied.extend((u, at) for _, u, k in rows if k != kiosk_id)

    stages = _trace_notifications(notifying)
    stop = threading.Event()
    worker = SyncWorker(
        lambda: open_db(path, create=False), url, kiosk_id=kiosk_id, clock=_now, every=2.0,
        on_status=after_round,
    )  # fmt: skip
    notifier = NotifyLoop(
        lambda: open_db(path, create=False), url, config=config, db_path=path, clock=_now,
        send=stages.send,
    )  # fmt: skip
    prof = (lambda name: f"{profile}/{kiosk_id}-{name}.prof") if profile else (lambda _: None)
    threads = [
        threading.Thread(target=_profiled(worker.run, prof("sync")), args=(stop,), daemon=True),
        threading.Thread(target=_profiled(notifier.run, prof("notify")), args=(stop,), daemon=True),
    ]
    for thread in threads:
        thread.start()
    rnd = random.Random(kiosk_id)
    total = round(rate * seconds / 60)
    record_s: list[float] = []  # scan → recorded, per event (a wait for the file shows here)
    behind = {"s": 0.0}  # how far the recorder fell behind its schedule, at worst
    locked = {"n": 0}

    def record_all() -> None:
        # Every scheduled event is recorded: a scan refused ("database is locked") is
        # counted and tried again, as the booth screen keeps and retries it; a recorder
        # that falls behind its schedule says so (`behind_s`) instead of dropping events.
        gap = 60.0 / rate
        t0 = time.time()
        for n in range(total):
            due = t0 + n * gap
            if (wait := due - time.time()) > 0:
                time.sleep(wait)
            behind["s"] = max(behind["s"], time.time() - due)
            contact = rnd.choice(ids)
            started = time.time()
            while True:
                try:
                    event = booth.check_in(db, config, contact, now=_now()).event
                    break
                except sqlite3.OperationalError:
                    locked["n"] += 1  # counted, never hidden
            done = time.time()
            record_s.append(done - started)
            recorded.append((event.uuid, done, contact))
            worker.wake()
            notifier.wake()

    _profiled(record_all, prof("record"))()
    # let the last events travel
    time.sleep(8)
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    Path(out).write_text(json.dumps({
        "recorded": recorded, "applied": applied, "locked": locked["n"], "record_s": record_s,
        "behind_s": behind["s"], "cpu_s": usage.ru_utime + usage.ru_stime,
        "queued": stages.queued, "sends": stages.sends, "passes": stages.passes,
        "cycles": stages.cycles,
    }))  # fmt: skip


class _Stages:
    """When each outbox item of this kiosk was queued, picked by a pass and sent.

    queued: the end of the `enqueue` that raised it; picked: the start of the `deliver`
    pass that sent it (it reads the due items first, then claims them on the hub, then
    sends them one after another); sent: around the channel's call. With the delivery
    time at the webhook, this splits an arrival's notification time into its stages."""

    def __init__(self) -> None:
        self.queued: list[tuple[str, float, float]] = []  # title, pass began, queued
        self.sends: list[tuple[str, float, float, float]] = []  # title, picked, start, end
        self.passes: list[tuple[float, float, int]] = []  # deliver began, ended, sent
        # every whole pass (enqueue + deliver) the loop ran: began, ended, what it raised
        # ("" or the error's class: a pass that raised is not in `passes`)
        self.cycles: list[tuple[float, float, str]] = []
        self.pass_began = 0.0
        self.rowid = 0

    def send(self, url: str, title: str, body: str):
        from kiosk.notify.send import apprise_send

        start = time.time()
        error = apprise_send(url, title, body)
        self.sends.append((title, self.pass_began, start, time.time()))
        return error


def _trace_notifications(notifying) -> _Stages:
    """Wrap the notification pass's two steps (this kiosk process only) to time them."""
    stages = _Stages()
    enqueue, deliver = notifying.enqueue, notifying.deliver

    def traced_enqueue(db, *args, **kwargs):
        began = time.time()
        added = enqueue(db, *args, **kwargs)
        at = time.time()
        rows = db.execute(
            "SELECT rowid, title FROM outbox WHERE rowid > ? ORDER BY rowid", [stages.rowid]
        ).fetchall()
        if rows:
            stages.rowid = rows[-1][0]
        stages.queued.extend((title, began, at) for _, title in rows)
        return added

    def traced_deliver(*args, **kwargs):
        stages.pass_began = time.time()
        report = deliver(*args, **kwargs)
        stages.passes.append((stages.pass_began, time.time(), report.sent))
        return report

    whole = notifying.notification_pass

    def traced_pass(*args, **kwargs):
        began, error = time.time(), ""
        try:
            return whole(*args, **kwargs)
        except BaseException as exc:
            error = type(exc).__name__
            raise
        finally:
            stages.cycles.append((began, time.time(), error))

    notifying.enqueue, notifying.deliver = traced_enqueue, traced_deliver
    notifying.notification_pass = traced_pass
    return stages


def _stage_split(results: list[dict], first_arrival: dict[str, float], delivered, title_of):
    """Each first delivery's time split into arrival → queued → picked → sent → received,
    on the kiosk whose send reached the webhook (the latest send of that title before it)."""
    sends: dict[str, list[tuple[float, float, float, float, float]]] = {}
    for r in results:
        queued: dict[str, tuple[float, float]] = {}
        for title, began, at in r["queued"]:
            queued.setdefault(title, (began, at))  # the first item with this title here
        for title, picked, start, end in r["sends"]:
            if title in queued:
                sends.setdefault(title, []).append((*queued[title], picked, start, end))
    stages = ("queue", "to_pass", "enqueue", "wait", "claim", "send", "wire")
    split: dict[str, list[float]] = {k: [] for k in stages}
    seen: set[str] = set()
    for t, title in delivered:
        contact = title_of.get(title)
        if not contact or contact in seen or contact not in first_arrival:
            continue
        seen.add(contact)
        before = [x for x in sends.get(title, []) if x[3] <= t]
        if not before:
            continue
        began, queued_at, picked, start, end = max(before, key=lambda x: x[3])
        arrived = first_arrival[contact]
        split["queue"].append(queued_at - arrived)  # arrival → in the outbox, made of:
        split["to_pass"].append(max(0.0, began - arrived))  # → the pass that raised it began
        split["enqueue"].append(queued_at - max(began, arrived))  # → its enqueue committed
        split["wait"].append(picked - queued_at)  # in the outbox → a pass picks it
        split["claim"].append(start - picked)  # the pass's claims and its earlier sends
        split["send"].append(end - start)  # apprise's call
        split["wire"].append(t - end)  # received at the webhook (< 0: before apprise returned)
    return split


def _cpu_ticks() -> tuple[int, int]:
    """The machine's (busy, total) CPU ticks since boot, every process of every agent."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return sum(fields) - idle, sum(fields)


def _postgres_cpu_s() -> float:
    """CPU seconds used so far by the processes named postgres (the hub's server): each
    one's own, and the postmaster's exited children (the kiosks' closed connections)."""
    hz = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        name, _, rest = text.partition(") ")
        if name.endswith("(postgres"):
            fields = rest.split()
            total += sum(int(f) for f in fields[11:15])  # utime stime cutime cstime
    return total / hz


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kiosks", type=int, default=10)
    ap.add_argument("--rate", type=float, default=1000, help="check-ins per minute per kiosk")
    ap.add_argument("--minutes", type=float, default=5)
    ap.add_argument("--hub", help="an existing hub (default: a throw-away local server)")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--profile", metavar="DIR", help="cProfile each kiosk's threads into DIR")
    args = ap.parse_args()

    from pg_local import LocalPostgres
    from webhook_sink import WebhookSink

    from kiosk.db import get_meta, open_db, set_meta
    from kiosk.hub.baseline import publish
    from kiosk.hub.schema import init_hub
    from kiosk.setup import init_db

    tmp = Path(tempfile.mkdtemp(prefix="kiosk-bench-hub-"))
    server = None
    try:
        url = args.hub
        if url is None:
            server = LocalPostgres(tmp / "pg")
            server.start()
            os.environ.update(server.env())
            url = server.url()
        init_hub(url)
        receiver = WebhookSink()
        base = tmp / "base.db"
        db, _ = init_db(base, now=_now(), demo=True)
        people = [r[0] for r in db.execute("SELECT id FROM salespeople")]
        title_of = {
            (f"{n} of {c} is at reception" if c else f"{n} is at reception"): i
            for i, n, c in db.execute("SELECT id, name, company FROM contacts")
        }
        channels = ", ".join(f'{p} = ["json://127.0.0.1:{receiver.port}/{p}"]' for p in people)
        show = get_meta(db, "show_toml") or ""
        set_meta(db, "show_toml", show + f"\n[notify]\nchannels = {{ {channels} }}\n")
        publish(db, url, kiosk_id="kiosk-1")
        db.conn.close()
        paths = []
        for i in range(args.kiosks):
            path = tmp / f"kiosk-{i}.db"
            shutil.copyfile(base, path)
            kdb = open_db(path, create=False)
            text = get_meta(kdb, "show_toml") or ""
            set_meta(kdb, "show_toml", text.replace('id = "kiosk-1"', f'id = "bench-{i}"'))
            set_meta(kdb, "kiosk_id", f"bench-{i}")
            kdb.conn.close()
            paths.append(path)
        seconds = args.minutes * 60
        ctx = mp.get_context("spawn")
        procs = [
            ctx.Process(
                target=kiosk_process,
                args=(
                    str(p),
                    url,
                    f"bench-{i}",
                    args.rate,
                    seconds,
                    str(p) + ".json",
                    args.profile,
                ),  # fmt: skip
            )
            for i, p in enumerate(paths)
        ]
        load_before = [round(x, 2) for x in os.getloadavg()]
        busy0, ticks0 = _cpu_ticks()
        pg0, main0 = _postgres_cpu_s(), time.process_time()
        started = time.time()
        for p in procs:
            p.start()
        for p in procs:
            p.join()
        wall = time.time() - started
        busy1, ticks1 = _cpu_ticks()
        machine_busy = (busy1 - busy0) / max(ticks1 - ticks0, 1)
        pg_cpu, main_cpu = _postgres_cpu_s() - pg0, time.process_time() - main0
        results = [json.loads(Path(str(p) + ".json").read_text()) for p in paths]
    finally:
        if server is not None:
            server.remove()
        shutil.rmtree(tmp, ignore_errors=True)

    born = {u: t for r in results for u, t, _ in r["recorded"]}
    lags = [t - born[u] for r in results for u, t in r["applied"] if u in born]
    expected = sum(len(r["recorded"]) for r in results) * (args.kiosks - 1)
    # arrival → notification: the first arrival of each visitor, against the first delivery
    # with that visitor's title at or after it
    arrivals = sorted((t, c) for r in results for _, t, c in r["recorded"])
    first_arrival: dict[str, float] = {}
    for t, c in arrivals:
        first_arrival.setdefault(c, t)
    delivered = sorted((r.at, r.body.get("title", "")) for r in receiver.got)
    notify_lags = _match(first_arrival, delivered, title_of)
    split = _stage_split(results, first_arrival, delivered, title_of)
    passes = [(b, e, n) for r in results for b, e, n in r["passes"] if n]  # that sent some
    total = sum(len(r["recorded"]) for r in results)
    record_s = [x for r in results for x in r["record_s"]]
    summary = {
        "kiosks": args.kiosks,
        "events_per_minute_per_kiosk": args.rate,
        "minutes": args.minutes,
        "events_recorded": total,
        "applications_expected": expected,
        "applications_measured": len(lags),
        "convergence_lag_p50_s": round(pct(lags, 0.5), 3),
        "convergence_lag_p95_s": round(pct(lags, 0.95), 3),
        "convergence_lag_max_s": round(max(lags), 3) if lags else None,
        "scans_refused_database_locked": sum(r["locked"] for r in results),
        "notifications_delivered": len(delivered),
        "notification_p50_s": round(pct(notify_lags, 0.5), 3),
        "notification_p95_s": round(pct(notify_lags, 0.95), 3),
        **{
            f"notify_{stage}_p{q}_s": round(pct(values, q / 100), 3)
            for stage, values in split.items()
            for q in (50, 95)
        },
        "notify_stage_matched": len(split["queue"]),
        "notify_pass_p50_s": round(pct([e - b for b, e, _ in passes], 0.5), 3),
        "notify_pass_p95_s": round(pct([e - b for b, e, _ in passes], 0.95), 3),
        "notify_pass_sent_max": max((n for *_, n in passes), default=0),
        # every pass the loops ran, and the gaps between one's end and the next's start
        "notify_cycle_p95_s": round(
            pct([e - b for r in results for b, e, _ in r["cycles"]], 0.95), 3
        ),
        "notify_cycle_gap_p95_s": round(
            pct(
                [
                    nb - e
                    for r in results
                    for (_, e, _), (nb, _, _) in zip(r["cycles"], r["cycles"][1:], strict=False)
                ],
                0.95,
            ),
            3,
        ),
        "notify_cycles_failed": sum(1 for r in results for *_, err in r["cycles"] if err),
        "record_p50_ms": round(1000 * pct(record_s, 0.5), 1),
        "record_p95_ms": round(1000 * pct(record_s, 0.95), 1),
        "record_max_ms": round(1000 * max(record_s), 1) if record_s else None,
        "recorder_behind_max_s": round(max(r["behind_s"] for r in results), 2),
        "kiosk_cpu_s": round(sum(r["cpu_s"] for r in results), 1),
        "postgres_cpu_s": round(pg_cpu, 1),
        "bench_main_cpu_s": round(main_cpu, 1),
        "machine_busy_pct": round(100 * machine_busy, 1),
        "cores": os.cpu_count(),
        "wall_s": round(wall, 1),
        "load_before": load_before,
        "load_after": [round(x, 2) for x in os.getloadavg()],
    }
    if args.json:
        print(json.dumps(summary, indent=2))
        return
    print("| measure | budget | measured |")
    print("| --- | --- | --- |")
    print(f"| events recorded ({args.kiosks} kiosks × {args.rate:g}/min × {args.minutes:g} min)"
          f" | | {total} |")  # fmt: skip
    print(f"| applied on every other kiosk | all | {len(lags)} of {expected} |")
    print(f"| scans refused (database locked) | 0 | {summary['scans_refused_database_locked']} |")
    print(f"| convergence lag p50 / p95 (max) | p95 < 2 s | {summary['convergence_lag_p50_s']}"
          f" / {summary['convergence_lag_p95_s']} s ({summary['convergence_lag_max_s']} s) |")  # fmt: skip
    print(f"| arrival → notification delivered p50 / p95 | p95 < 3 s |"
          f" {summary['notification_p50_s']} / {summary['notification_p95_s']} s"
          f" ({len(delivered)} delivered) |")  # fmt: skip
    print("| … of which: arrival → queued (→ the pass raising it began; its enqueue) /"
          " queued → picked / picked → send (claims, earlier sends) / apprise's call /"
          " → webhook, p50 and p95 | | "
          + " / ".join(f"{summary[f'notify_{k}_p50_s']}, {summary[f'notify_{k}_p95_s']} s"
                       for k in split) + " |")  # fmt: skip
    print(f"| a pass that sent, p50 / p95 (most sent in one) | | {summary['notify_pass_p50_s']}"
          f" / {summary['notify_pass_p95_s']} s ({summary['notify_pass_sent_max']}) |")  # fmt: skip
    print(f"| every pass (enqueue + deliver) p95; gap to the next p95; passes that raised | |"
          f" {summary['notify_cycle_p95_s']} s; {summary['notify_cycle_gap_p95_s']} s;"
          f" {summary['notify_cycles_failed']} |")  # fmt: skip
    print(f"| scan recorded p50 / p95 (max) | | {summary['record_p50_ms']} /"
          f" {summary['record_p95_ms']} ms ({summary['record_max_ms']} ms) |")  # fmt: skip
    print(f"| recorder behind schedule, at worst | | {summary['recorder_behind_max_s']} s |")
    print(f"| CPU: kiosk processes / PostgreSQL / webhook + harness, over the wall time | |"
          f" {summary['kiosk_cpu_s']} / {summary['postgres_cpu_s']} /"
          f" {summary['bench_main_cpu_s']} s over {summary['wall_s']} s |")  # fmt: skip
    print(f"| the machine ({summary['cores']} cores, every agent's processes) | |"
          f" {summary['machine_busy_pct']} % busy; load {summary['load_before']} →"
          f" {summary['load_after']} |")  # fmt: skip


def _match(
    first_arrival: dict[str, float], delivered: list[tuple[float, str]], title_of: dict[str, str]
) -> list[float]:
    """Latency of each visitor's first delivery from their first arrival (by the title)."""
    lags, seen = [], set()
    for t, title in delivered:
        contact = title_of.get(title)
        if contact and contact not in seen and contact in first_arrival:
            seen.add(contact)
            lags.append(t - first_arrival[contact])
    return lags


if __name__ == "__main__":
    main()
