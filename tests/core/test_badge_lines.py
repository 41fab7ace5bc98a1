"""Badge ids a file gives to different contacts (`kiosk.sync.badge_lines`).

`BadgeLines.conflicts` finds them the cheap way (only badge ids on several records are
grouped by contact); these properties hold it to the straightforward definition, computed
here in plain Python from the same triples: every badge whose records name two contacts
or more, with its record count, first and last line and its holder after the import, in
order of the first line (then of the badge id).
"""

from __future__ import annotations

import sqlite3

from hypothesis import example, given
from hypothesis import strategies as st

from kiosk.sync.badge_lines import BadgeLines, Conflict

# few distinct values, so that badges repeat, contacts differ and lines tie
badge_ids = st.one_of(st.sampled_from(["B1", "B2", "B10", "b1", "É"]), st.text(max_size=3))
contacts = st.sampled_from(["C1", "C2", "C3", "E-9f"])
triples = st.lists(st.tuples(badge_ids, st.integers(2, 12), contacts), max_size=40)


def _straightforward(
    triples: list[tuple[str, int, str]], holders: dict[str, str]
) -> list[Conflict]:
    groups: dict[str, list[tuple[int, str]]] = {}
    for badge, line, contact in triples:
        groups.setdefault(badge, []).append((line, contact))
    found = []
    for badge, g in groups.items():
        lines = [line for line, _ in g]
        if len({contact for _, contact in g}) > 1:
            found.append(Conflict(badge, len(g), min(lines), max(lines), holders.get(badge)))
    return sorted(found, key=lambda c: (c.first, c.badge))


def _conflicts(triples: list[tuple[str, int, str]], holders: dict[str, str], split: int) -> list:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE contact_badges (badge_id TEXT PRIMARY KEY, contact_id TEXT)")
    conn.executemany("INSERT INTO contact_badges VALUES (?, ?)", list(holders.items()))
    lines = BadgeLines(conn)
    # the front half's triples as rows, the rest as a child's scratch file gives them
    lines.add(triples[:split])
    conn.execute("CREATE TABLE scratch (badge_id TEXT, line INTEGER, contact_id TEXT)")
    conn.executemany("INSERT INTO scratch VALUES (?, ?, ?)", triples[split:])
    lines.add_sql("SELECT badge_id, line, contact_id FROM scratch")
    try:
        return lines.conflicts()
    finally:
        lines.close()
        conn.close()


@given(triples=triples, holders=st.dictionaries(badge_ids, contacts), split=st.integers(0, 40))
@example(  # one record names three badges that a later record of another contact names
    triples=[(b, 2, "C1") for b in ("B2", "B10", "B1")] + [(b, 7, "C2") for b in ("B1", "B2")]
    + [("B10", 9, "C1"), ("B1", 11, "C3")],
    holders={"B1": "C3", "B2": "C2", "B10": "C1"},
    split=4,
)  # fmt: skip
def test_conflicts_are_the_badges_whose_records_name_different_contacts(triples, holders, split):
    assert _conflicts(triples, holders, split) == _straightforward(triples, holders)


def test_a_badge_repeated_by_records_of_one_contact_is_no_conflict():
    triples = [("B1", 2, "C1"), ("B1", 5, "C1"), ("B2", 3, "C1"), ("B2", 4, "C2")]
    assert _conflicts(triples, {"B2": "C2"}, 2) == [Conflict("B2", 2, 3, 4, "C2")]
