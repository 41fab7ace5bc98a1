"""Creating a kiosk database and finding its show configuration.

The show TOML is copied into the database at `kiosk init`, so a kiosk file carries its own
configuration: copying one file to another laptop (or to the sync machine) is enough.

The demo company (data/demo) is dated around its show, which starts on the anchor date
2026-11-24. `init_db(..., demo=True, now=…)` moves every date of the demo — the show's start
and end, and each contact's filed / first contact / last contact / last deal times — by the
whole days between that anchor and `now`'s date, so the show starts today whenever the demo
is loaded: green cards stay green and lapsed owners stay lapsed. The shift is always
computed from the files, never from what a previous load stored, so loading again on the
same day changes nothing and loading on a later day moves everything once, consistently.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import tempfile
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from kiosk import pins
from kiosk.config import ConfigError, ShowConfig, load_config
from kiosk.db import get_meta, open_db, set_meta
from kiosk.keyfile import private
from kiosk.show import (
    DEMO_META_KEY,
    check_kiosk_id,
    demo_secret,
    is_demo,
    rename_kiosk,
    store_show,
)
from kiosk.tokens import show_secret

if TYPE_CHECKING:
    import sqlite3

    import sqlite_utils

DEMO_DIR = Path(__file__).resolve().parent.parent / "data" / "demo"


def init_db(
    path: str | os.PathLike[str],
    *,
    now: datetime,
    config_path: str | os.PathLike[str] | None = None,
    demo: bool = False,
    kiosk_id: str | None = None,
) -> tuple[sqlite_utils.Database, dict[str, object]]:
    """Create or migrate a kiosk database; with `demo`, load the demo company (idempotent).

    `now` is the front-end's clock: the demo's dates are moved so that its show starts on
    `now`'s date (see the module doc; a `config_path` given with `demo` is stored as it is).
    `kiosk_id` names this laptop's kiosk in the stored show file (`show.rename_kiosk`): a
    second laptop with the demo's or a copied show file's `kiosk-1` would otherwise read as
    the first (`kiosk.installs`). Returns the database and a summary of what was loaded.
    """
    # Not at the top: `kiosk` imports this module for `check_ready` on its way to the booth
    # screen, which needs no CSV importer (kiosk.sync: ~40 modules, charset_normalizer).
    # measured start-up cost: kiosk.sync.imports (~87 ms), first needed here
    from kiosk.sync.imports import import_csv

    if kiosk_id:
        check_kiosk_id(kiosk_id)
    db = open_db(path)
    # A database made elsewhere (copied with `sqlite3 .backup`, a file manager) has the
    # copier's mode, often readable by everyone: it holds the customers, so it is the
    # owner's alone from here on, as the kiosk's own files are (`keyfile.create_private`).
    private(path)
    summary: dict[str, object] = {}
    if demo:
        days = demo_shift_days(now)
        # A second demo kiosk (made with --show kiosk-2.toml) reloaded on a new day, as
        # scripts/demo does, stays kiosk-2: it became a second kiosk-1, and its leads then
        # read "filed at kiosk-1" beside the first's.
        kept = get_meta(db, "kiosk_id") if config_path is None else None
        set_meta(db, DEMO_META_KEY, "1")
        with tempfile.TemporaryDirectory(prefix="kiosk-demo-") as tmp:
            if config_path is None:
                config_path = _shifted_file(
                    DEMO_DIR / "show.toml", Path(tmp), days,
                    lambda text, by: with_kiosk_id(shift_show(text, by), kept),
                    always=bool(kept),
                )  # fmt: skip
            store_show(db, config_path, now=now)
            for kind in ("salespeople", "territories", "contacts"):
                src = DEMO_DIR / f"{kind}.csv"
                if kind == "contacts":
                    src = _shifted_file(src, Path(tmp), days, shift_contacts)
                report = import_csv(db, kind, src, fmt="generic")
                summary[kind] = report.summary()
        pins.set_demo_pins(db, now=now)
        if days:
            start = demo_anchor() + timedelta(days=days)
            summary["dates"] = {"moved_days": days, "demo_show_starts": start.isoformat()}
    elif config_path:
        store_show(db, config_path, now=now)
    if kiosk_id:
        summary["kiosk"] = {"id": rename_kiosk(db, kiosk_id).kiosk_id}
    return db, summary


# ------------------------------------------------------------------ PINs and keys


def check_ready(db: sqlite3.Connection | sqlite_utils.Database, config: ShowConfig) -> None:
    """Refuse to open the booth screen in a public aisle with a key everybody knows.

    Outside the demo every manager needs a PIN that is not a default one (the manager PIN
    opens the manager view and quits the app), and invitations may not be signed with the
    demo's published key. The message names the command that fixes it.
    """
    if is_demo(db):
        return
    people = db.execute(
        "SELECT id, name FROM salespeople WHERE role = 'manager' ORDER BY id"
    ).fetchall()
    if not people:
        raise pins.PinError(
            "no manager in this kiosk's salespeople: the manager's PIN guards the manager view"
            " and quitting; import one with role 'manager' (kiosk import salespeople FILE),"
            " then set their PIN with 'kiosk pin set PERSON'"
        )
    for pid, name in people:
        pin = pins.effective_pins(db, pid).get(pid)
        if pin is None:
            raise pins.PinError(f"{name} (manager) has no PIN: set one with 'kiosk pin set {pid}'")
        if pin.weak:
            raise pins.PinError(
                f"{name} (manager) has a default PIN that anyone could guess:"
                f" set another with 'kiosk pin set {pid}'"
            )
    require_own_invite_key(db, config)


def require_own_invite_key(
    db: sqlite3.Connection | sqlite_utils.Database, config: ShowConfig
) -> None:
    """Outside the demo, refuse the demo's invitation key: it is published, so anyone could
    mint an invitation crediting any salesperson with it."""
    if not is_demo(db) and show_secret(db, config) == demo_secret():
        raise pins.PinError(
            "invitations are signed with the demo's published key: make this kiosk's own"
            " with 'kiosk keys new-invite-key'"
        )


# ------------------------------------------------------------------ the demo on any date

# Contact columns holding a date, moved with the show.
DEMO_DATE_COLUMNS = ("filed_at", "first_contact_at", "last_contact_at", "last_deal_at")
_KIOSK_ID = re.compile(r'^(\s*id\s*=\s*)"[^"\n]*"', re.M)
_SHOW_DATE = re.compile(r"^(\s*(?:start|end)\s*=\s*)(\d{4}-\d{2}-\d{2})(?!\d)", re.M)
_SECTION = re.compile(r"^\s*\[([^\]]+)\]", re.M)


def demo_anchor() -> date:
    """The date the demo data is written around: its show's first day (data/demo/show.toml)."""
    start = load_config(DEMO_DIR / "show.toml").start
    if start is None:
        raise ConfigError(f"{DEMO_DIR / 'show.toml'}: [show] start is missing")
    return start


def demo_today(now: datetime) -> date:
    """`now`'s date where the demo's show is held (its [show] timezone), else in `now`'s zone."""
    try:
        zone = ZoneInfo(load_config(DEMO_DIR / "show.toml").timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return now.date()
    return (now if now.tzinfo is not None else now.replace(tzinfo=UTC)).astimezone(zone).date()


def demo_shift_days(now: datetime) -> int:
    """Whole days from the demo's anchor to `now`'s date: how far its dates move."""
    return (demo_today(now) - demo_anchor()).days


def shift_show(text: str, days: int) -> str:
    """The show TOML text with [show] start and end moved by `days` (nothing else changes)."""
    if not days:
        return text
    return _in_section(
        text, "show",
        lambda chunk: _SHOW_DATE.sub(lambda m: m.group(1) + _shift_value(m.group(2), days), chunk),
    )  # fmt: skip


def _in_section(text: str, section: str, change: Callable[[str], str]) -> str:
    """TOML text with `change` applied to the body of its [section] only."""
    out, pos, current = [], 0, ""
    bounds = [(m.start(), m.group(1).strip()) for m in _SECTION.finditer(text)]
    for start, name in [*bounds, (len(text), "")]:
        chunk = text[pos:start]
        out.append(change(chunk) if current == section else chunk)
        pos, current = start, name
    return "".join(out)


def shift_contacts(text: str, days: int) -> str:
    """The demo contacts CSV text with every date column moved by `days`."""
    if not days:
        return text
    reader = csv.DictReader(io.StringIO(text, newline=""))
    fields = list(reader.fieldnames or [])
    buf = io.StringIO(newline="")
    writer = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    columns = [c for c in DEMO_DATE_COLUMNS if c in fields]
    for row in reader:
        for column in columns:
            if row[column]:
                row[column] = _shift_value(row[column], days)
        writer.writerow(row)
    return buf.getvalue()


def _shift_value(value: str, days: int) -> str:
    """An ISO date or date-time moved by whole days, in the same form (and UTC offset)."""
    text = value.strip()
    if len(text) == 10:
        return (date.fromisoformat(text) + timedelta(days=days)).isoformat()
    moved = datetime.fromisoformat(text) + timedelta(days=days)
    return moved.isoformat(timespec="microseconds" if moved.microsecond else "seconds")


def with_kiosk_id(text: str, kiosk_id: str | None) -> str:
    """The show TOML text with its [kiosk] id set to `kiosk_id` (unchanged when None)."""
    if not kiosk_id:
        return text
    quoted = json.dumps(kiosk_id)  # a TOML basic string: JSON's escapes are TOML's
    return _in_section(
        text, "kiosk", lambda chunk: _KIOSK_ID.sub(lambda m: m.group(1) + quoted, chunk, count=1)
    )


def _shifted_file(
    src: Path, tmp: Path, days: int, shift: Callable[[str, int], str], *, always: bool = False
) -> Path:
    """`src` itself when nothing moves (and not `always`), else a shifted copy of the same
    name in `tmp`."""
    if not days and not always:
        return src
    dest = tmp / src.name
    text = src.read_text(encoding="utf-8")
    dest.write_text(shift(text, days), encoding="utf-8", newline="")
    return dest
