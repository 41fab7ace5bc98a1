"""Accuracy on the held-out badge set (tests/data/badges/heldout.jsonl, issue 11).

Each line is a payload (optionally repeated, and with a show layout), the fields it must read
to, and the source of the case. A badge counts as right only when every expected field is.
`scripts/bench_badges.py --heldout -v` prints the same score with the failures.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from kiosk.badges import parse_badge

HELDOUT = Path(__file__).resolve().parents[1] / "data" / "badges" / "heldout.jsonl"
# Measured when the set was written: 36.5% before issue 11's badge work, 99.3% after (the miss is
# a badge the settled rule reads with the show's layout because every typed field fits it; see
# tests/data/badges/HELDOUT.md).
FLOOR = 0.95


def load() -> list[dict]:
    return [json.loads(line) for line in HELDOUT.read_text(encoding="utf-8").splitlines() if line]


def wrong_fields(record: dict) -> list[str]:
    payload = record["payload"] * record.get("repeat", 1)
    badge = parse_badge(payload, field_order=record.get("field_order"))
    wrong = []
    for key, want in record["expected"].items():
        if key == "warning":
            if not any(want in w for w in badge.warnings):
                wrong.append(f"no warning with {want!r}")
        elif getattr(badge, key) != want:
            wrong.append(f"{key}={getattr(badge, key)!r}, want {want!r}")
    return wrong


def test_the_set_is_big_enough_and_sourced() -> None:
    records = load()
    assert len(records) >= 100
    assert all(r["source"] and r["family"] and r["expected"] for r in records)
    assert len(Counter(r["family"] for r in records)) >= 10


def test_heldout_accuracy() -> None:
    records = load()
    failures = {r["payload"][:60]: w for r in records if (w := wrong_fields(r))}
    accuracy = 1 - len(failures) / len(records)
    assert accuracy >= FLOOR, failures
