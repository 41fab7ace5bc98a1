"""Which laptop wrote a kiosk's events: two laptops with one kiosk id.

Every event names its kiosk (`events.kiosk_id`), and that is what the manager reads ("Also
filed at kiosk-1 … first filed at kiosk-1"), what the hub counts each kiosk's progress by,
and what a merge names a wrong clock by. Anyone copying the demo show file, or running a
plain `kiosk init`, gets `kiosk-1`; two such laptops read as one kiosk, silently.

So each database gets a random **install id** when it is created (`meta.install_id`,
migration m018; a database made before it gets one when it is migrated). Events keep their
kiosk id — nothing is restamped — and `kiosk_installs` lists, per kiosk id, the installs
known to have written events under it: this database's own pair, noted when it records an
event (`note_own`, one indexed insert per write), and the pairs of every database merged
into it or met through the hub (`learn`). A kiosk id with two installs is two laptops
calling themselves the same; `twins` finds the ones a merge newly brings to light.

What the merge and the hub do with that is theirs to say (`kiosk.sync.merge`,
`kiosk.hub.sync`). A copy of a database file keeps its install id — a copy for the merge
is the same laptop's data — but one made for a second laptop (`kiosk backup --keys`) draws
a new one (`new_install`); a file copied by other means is one install with its original.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiosk.meta import get_meta

if TYPE_CHECKING:
    import sqlite_utils

INSTALL_KEY = "install_id"  # the meta key of this database's install id
TABLE = "kiosk_installs"

Pair = tuple[str, str]  # (kiosk id, install id)
# The kiosk ids more than one install writes under (the manager's evidence marks them).
SHARED_IDS_SQL = f"SELECT kiosk_id FROM {TABLE} GROUP BY kiosk_id HAVING count(*) > 1"


def install_id(db: sqlite3.Connection | sqlite_utils.Database) -> str | None:
    """This database's install id (None: an older file, not migrated, e.g. read-only)."""
    try:
        return get_meta(db, INSTALL_KEY)
    except sqlite3.OperationalError:  # no meta table: not a kiosk database
        return None


def new_install(conn: sqlite3.Connection) -> None:
    """Give a cloned database an install id of its own (`kiosk backup --keys`: a copy for a
    second laptop). A copy keeps its original's id, so a clone left on the same kiosk id
    read as one laptop; as another install, the next merge or hub round names the pair."""
    conn.execute(f"UPDATE meta SET value = lower(hex(randomblob(16))) WHERE key = '{INSTALL_KEY}'")
    conn.commit()


def note_own(db: sqlite_utils.Database, kiosk_ids: Iterable[str]) -> None:
    """Record that this install writes events under `kiosk_ids` (inside the caller's
    transaction). A no-op once known: the primary key answers it."""
    db.conn.executemany(
        f"INSERT OR IGNORE INTO {TABLE}(kiosk_id, install_id)"
        f" SELECT ?, value FROM meta WHERE key = '{INSTALL_KEY}'",
        [(k,) for k in dict.fromkeys(kiosk_ids)],
    )


# Another kiosk's file is not trusted: its pairs are read only as short printable text, and
# no more of them than any show has laptops (a crafted file may hold millions).
MAX_PAIRS = 10_000
_MAX_ID = 200  # as `kiosk.events.validate.MAX_ID`


def _fit(value: object) -> bool:
    return isinstance(value, str) and 0 < len(value) <= _MAX_ID and value.isprintable()


def known_pairs(db: sqlite3.Connection | sqlite_utils.Database) -> set[Pair]:
    """Every (kiosk id, install id) this database knows; none from an older file."""
    try:
        rows = db.execute(f"SELECT kiosk_id, install_id FROM {TABLE} LIMIT {MAX_PAIRS}").fetchall()
    except sqlite3.OperationalError:  # a file from before m018, opened read-only
        return set()
    return fitting(rows)


def fitting(rows: Iterable[Sequence[object]]) -> set[Pair]:
    """The (kiosk id, install id) rows that are short printable text (from another kiosk's
    file or the hub: not trusted), as pairs."""
    return {
        (k, i) for k, i in rows if isinstance(k, str) and _fit(k) and isinstance(i, str) and _fit(i)
    }


def learn(db: sqlite_utils.Database, pairs: Iterable[Pair]) -> None:
    """Keep pairs met in a merge or on the hub, so a later merge still knows them."""
    db.conn.executemany(
        f"INSERT OR IGNORE INTO {TABLE}(kiosk_id, install_id) VALUES (?, ?)", sorted(pairs)
    )


@dataclass(frozen=True)
class Twin:
    """A kiosk id written under by more than one install, and where each came from."""

    kiosk_id: str
    installs: int  # how many laptops call themselves `kiosk_id`
    where: tuple[str, ...]  # the sources that brought an install new to the target
    here: bool = False  # the target's own install is one of them

    def summary(self) -> dict[str, object]:
        return {"kiosk": self.kiosk_id, "installs": self.installs, "from": list(self.where),
                "this_database": self.here}  # fmt: skip


def twins(
    known: set[Pair], arriving: Mapping[str, set[Pair]], own: str | None = None
) -> list[Twin]:
    """Kiosk ids that two installs write under, among the pairs `known` to the target and
    those `arriving` (by source name), reported when an arriving pair is new to the target:
    a conflict already known was reported when it was learned. `own` is the target's
    install id, to say when it is one of the two."""
    installs: dict[str, set[str]] = {}
    for kiosk_id, install in known:
        installs.setdefault(kiosk_id, set()).add(install)
    bringers: dict[str, list[str]] = {}
    for source, pairs in arriving.items():
        for kiosk_id, install in sorted(pairs - known):
            installs.setdefault(kiosk_id, set()).add(install)
            if source not in bringers.setdefault(kiosk_id, []):
                bringers[kiosk_id].append(source)
    return [
        Twin(kiosk_id, len(installs[kiosk_id]), tuple(sources), own in installs[kiosk_id])
        for kiosk_id, sources in sorted(bringers.items())
        if len(installs[kiosk_id]) > 1
    ]
