#!/usr/bin/env python3
"""Generate the demo company in data/demo: show, team, territories, 3,200 customers, badges.

    python scripts/make_demo_data.py [--out DIR] [--contacts N]

Deterministic: a fixed seed and no dependence on today's date, the machine or the hash
seed, so running it twice gives byte-identical files (a test checks the committed ones).
Only the standard library and phonenumbers are used; the pieces live in scripts/demo_data/.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from demo_data.build import DEFAULT_CONTACTS, build_files

DEFAULT_OUT = Path(__file__).resolve().parent.parent / "data" / "demo"
MIN_CONTACTS = 100  # room for the hand-written showcase rows and key accounts


def write_files(out: Path, contacts: int = DEFAULT_CONTACTS) -> list[Path]:
    """Write every demo file into `out` (created if needed); returns the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in build_files(contacts).items():
        path = out / name
        path.write_bytes(text.encode("utf-8"))  # bytes: no platform newline translation
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory")
    parser.add_argument(
        "--contacts", type=int, default=DEFAULT_CONTACTS, help="number of customers"
    )
    args = parser.parse_args(argv)
    if args.contacts < MIN_CONTACTS:
        parser.error(f"--contacts must be at least {MIN_CONTACTS}")
    for path in write_files(args.out, args.contacts):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
