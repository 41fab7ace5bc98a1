"""How many examples each property test draws, scaled for the suite's second run.

`./scripts/test` runs the suite twice: with the clock as it is, then with the wall clock a
year ahead (libfaketime). The second run is there for the date — a test or a code path that
only works this year — not for new inputs: in CI both runs draw the same derandomized
examples (tests/conftest.py), so the second run repeating all of them re-tries inputs the
first run has just passed. scripts/test sets KIOSK_EXAMPLES_SCALE=0.25 for it; each
property still tries at least `FLOOR` examples (or all of them, when it asks for fewer),
and its `@example` cases always run.
"""

from __future__ import annotations

import os

FLOOR = 10


def _scale() -> float:
    try:
        scale = float(os.environ.get("KIOSK_EXAMPLES_SCALE", "1"))
    except ValueError:
        return 1.0
    return scale if 0 < scale <= 1 else 1.0


SCALE = _scale()


def examples(wanted: int) -> int:
    """`wanted` examples on the suite's first run; a `SCALE` share of them (not fewer than
    `FLOOR`) on its second."""
    return max(min(wanted, FLOOR), round(wanted * SCALE))
