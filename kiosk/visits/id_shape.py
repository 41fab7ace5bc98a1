"""Does a bare code look like one of this show's badge ids?

A badge that carries only a code (a barcode or a QR with a registration number) and is
not on file becomes a walk-in: the kiosk records the arrival and calls the default owner.
A misread fragment ('GLE26' of 'GLE26-0821236'), a product's barcode or a phone number
typed into the scan field made nameless walk-ins the same way, and paged a salesperson
for nobody. A show's badge ids are regular (one registration system prints them all), so
the ids on file say what the show's look like: a bare code of another shape is refused
with an example, and reception scans again or searches.

Shapes, not patterns: 'GLE26-0821236' → 'AAA99-9999999' (letters A, digits 9, the rest as
it is). Nothing is learnt until enough ids agree (`SAMPLE_MIN`, `REGULAR`): a show whose
ids on file are few or mixed refuses nothing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils

SAMPLE = 500  # the most recent ids on file that are read
SAMPLE_MIN = 50  # fewer ids on file than this: nothing is learnt
REGULAR = 0.9  # the shapes kept must cover this share of the sample
SHAPE_MIN = 0.05  # a shape is kept when at least this share of the sample has it


def shape(code: str) -> str:
    """'GLE26-0821236' → 'AAA99-9999999'."""
    return "".join("9" if ch.isdigit() else "A" if ch.isalpha() else ch for ch in code)


@dataclass(frozen=True)
class IdShapes:
    """The shapes of the show's badge ids, and one id to show as an example."""

    shapes: frozenset[str]
    example: str

    def fits(self, code: str) -> bool:
        return shape(code.strip()) in self.shapes


def learn(ids: list[str]) -> IdShapes | None:
    """The shapes most of `ids` have, or None when they are too few or too mixed."""
    if len(ids) < SAMPLE_MIN:
        return None
    counts = Counter(shape(i) for i in ids)
    kept = {s for s, n in counts.items() if n >= SHAPE_MIN * len(ids)}
    if sum(counts[s] for s in kept) < REGULAR * len(ids):
        return None
    example = next(i for i in ids if shape(i) in kept)
    return IdShapes(frozenset(kept), example)


def show_id_shapes(db: sqlite_utils.Database) -> IdShapes | None:
    """What this database's badge ids on file look like (the latest `SAMPLE`)."""
    rows = db.execute(
        "SELECT badge_id FROM contact_badges ORDER BY rowid DESC LIMIT ?", [SAMPLE]
    ).fetchall()
    return learn([r[0] for r in rows if isinstance(r[0], str) and r[0]])


def bare_code(badge: object) -> str | None:
    """The badge's id when the id is all it carries (no name, company, e-mail or phone)."""
    if badge is None:
        return None
    code = getattr(badge, "badge_id", None)
    others = (getattr(badge, f, None) for f in ("name", "company", "email", "phone"))
    if not code or any((o or "").strip() for o in others):
        return None
    return str(code)
