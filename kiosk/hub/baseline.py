"""The show's baseline on the hub: what a new laptop needs before the first event.

`publish` copies this kiosk's show file and its CRM import — salespeople, territories,
CRM contacts and their badges, *as imported* (the booth's changes travel as events), and
the PIN hashes — to
the hub, replacing the show's previous baseline in one transaction. `join` makes a new
kiosk database from it: the baseline, the show file with this laptop's own kiosk id (and
the hub's address, without a password), then every event of the show pulled and applied
as a sync does.

Rows travel as JSON objects keyed by column name and are written back only into columns
the joining kiosk has, so a kiosk one migration behind or ahead still joins.
"""

from __future__ import annotations

import json
import os
import tomllib
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import psycopg
import sqlite_utils

from kiosk import keyfile
from kiosk.config import ConfigError, ShowConfig, parse_config
from kiosk.db import (
    DatabaseError,
    bulk_contacts,
    get_meta,
    last_rowid,
    open_db,
    set_meta,
    transaction,
)
from kiosk.hub.connection import HubError, connect, public_url, unreachable
from kiosk.hub.schema import check_schema
from kiosk.hub.sync import CURSOR, PUSHED, RoundReport, pull
from kiosk.meta import MADE_META_KEY
from kiosk.safety import clean_text
from kiosk.show import DEMO_META_KEY, demo_secret, is_demo, set_toml_key

# Each baseline table and the SELECT that reads it as the CRM import left it.
BASELINE: tuple[tuple[str, str], ...] = (
    ("salespeople", "SELECT *, crm_away AS away FROM salespeople ORDER BY rowid"),
    ("territories", "SELECT * FROM territories ORDER BY position, id"),
    (
        "contacts",
        "SELECT *, crm_owner_id AS owner_id, crm_assistant_id AS assistant_id,"
        " crm_split AS split, crm_preferred_id AS preferred_id"
        " FROM contacts WHERE source = 'crm' ORDER BY rowid",
    ),
    (
        "contact_badges",
        "SELECT b.* FROM contact_badges b JOIN contacts c ON c.id = b.contact_id"
        " WHERE c.source = 'crm' ORDER BY b.rowid",
    ),
    # the further addresses and numbers of CRM contacts (a cell that held two,
    # `kiosk.sync.cell_lists`): a joined laptop finds the customer by either too
    (
        "contact_keys",
        "SELECT k.* FROM contact_keys k JOIN contacts c ON c.id = k.contact_id"
        " WHERE c.source = 'crm' ORDER BY k.key, k.contact_id",
    ),
    # the booth screen's PINs, as salted hashes (`kiosk.pins`): staff log in on a joined
    # laptop with the PIN they already have; wrong-PIN counts stay with each kiosk
    ("pins", "SELECT * FROM pins ORDER BY person_id"),
)
PAGE = 2000


@dataclass
class JoinReport:
    path: Path
    show_id: str
    kiosk_id: str
    rows: dict[str, int]
    events: RoundReport
    key_note: str = ""  # what this kiosk needs to check the show's invitations, if anything


def _rows(db: sqlite_utils.Database, sql: str) -> Iterator[dict[str, Any]]:
    cur = db.conn.execute(sql)
    names = [d[0] for d in cur.description]
    for values in cur:
        # later columns win: the CRM value replaces the booth's (`crm_away AS away`)
        yield dict(zip(names, values, strict=True))


def publish(db: sqlite_utils.Database, url: str, *, kiosk_id: str) -> dict[str, int]:
    """Replace the show's baseline on the hub with this kiosk's; returns rows per table."""
    show_id = get_meta(db, "show_id")
    toml = get_meta(db, "show_toml")
    if not show_id or not toml:
        raise HubError("this kiosk has no show file: set it up with 'kiosk init --show SHOW.toml'")
    if db.execute("SELECT 1 FROM salespeople LIMIT 1").fetchone() is None:
        raise HubError("nothing to publish: import the salespeople (and contacts) first")
    counts: dict[str, int] = {}
    conn = connect(url)
    try:
        check_schema(conn, url)
        with conn.transaction():
            conn.execute("DELETE FROM hub_baseline WHERE show_id = %s", [show_id])
            with conn.cursor() as cur:
                for table, sql in BASELINE:
                    batch: list[tuple[str, str, int, str]] = []
                    n = 0
                    for n, row in enumerate(_rows(db, sql), 1):
                        text = json.dumps(row, ensure_ascii=False, default=str)
                        batch.append((show_id, table, n, text))
                        if len(batch) >= PAGE:
                            _copy(cur, batch)
                            batch = []
                    _copy(cur, batch)
                    counts[table] = n
                if is_demo(db):
                    _copy(cur, [(show_id, "meta", 1, json.dumps(DEMO_ROW))])
                if made := get_meta(db, MADE_META_KEY):  # that a key exists, never the key
                    row = {"key": MADE_META_KEY, "value": made}
                    _copy(cur, [(show_id, "meta", 2, json.dumps(row))])
            conn.execute(
                "INSERT INTO hub_shows(show_id, show_toml, published_by, baseline_rows)"
                " VALUES (%s, %s, %s, %s) ON CONFLICT (show_id) DO UPDATE SET"
                " show_toml = excluded.show_toml, published_by = excluded.published_by,"
                " published_at = now(), baseline_rows = excluded.baseline_rows",
                [show_id, toml, kiosk_id, sum(counts.values())],
            )
    except psycopg.OperationalError as exc:
        raise unreachable(url, exc) from None
    finally:
        conn.close()
    return counts


# Published with the baseline of a kiosk made by `kiosk init --demo` (a row of its own, so a
# hub made before needs nothing new): a laptop joined to the demo is the demo too, and opens
# with the demo's published PINs like the kiosk it joined, instead of refusing them.
DEMO_ROW = {"key": DEMO_META_KEY, "value": "1"}


def _published_meta(conn: psycopg.Connection[Any], show_id: str) -> dict[str, str]:
    """The meta rows published with the baseline: the demo's mark, the invitation key's."""
    rows = conn.execute(
        "SELECT row_json FROM hub_baseline WHERE show_id = %s AND tbl = 'meta'", [show_id]
    ).fetchall()
    conn.commit()
    meta = [json.loads(text) for (text,) in rows]
    return {str(m["key"]): str(m["value"]) for m in meta if isinstance(m, dict) and "key" in m}


def _invitation_key(db: sqlite_utils.Database, path: Path, published: dict[str, str]) -> str:
    """Set up the joined kiosk to check the show's invitations, or say what it needs.

    The key that signs them stays off the hub (it mints invitations). A demo kiosk gets the
    demo's published key. Otherwise the kiosk is marked as one whose key was made elsewhere,
    so an invitation scanned here says the key file is missing (`tokens.show_secret`)
    instead of calling a genuine invitation forged with a key made up on the spot."""
    if published.get(DEMO_META_KEY) == "1":
        keyfile.put(path, keyfile.SECRET_NAME, demo_secret())
        set_meta(db, MADE_META_KEY, keyfile.key_file(path).name)
        return ""
    made = published.get(MADE_META_KEY)
    if not made:
        return ""
    set_meta(db, MADE_META_KEY, made)
    return (
        f"to check invitations here, copy {made} from the kiosk that published the show to"
        f" {keyfile.key_file(path)} (or set {keyfile.env_name(keyfile.SECRET_NAME)})"
    )


def _copy(cur: psycopg.Cursor[Any], batch: list[tuple[str, str, int, str]]) -> None:
    if batch:
        with cur.copy("COPY hub_baseline(show_id, tbl, pos, row_json) FROM STDIN") as copy:
            for item in batch:
                copy.write_row(item)


def join(
    url: str,
    path: str | os.PathLike[str],
    *,
    now: datetime,
    kiosk_id: str | None = None,
    show_id: str | None = None,
) -> JoinReport:
    """Make a new kiosk database at `path` from the hub's baseline and events."""
    p = Path(path)
    if p.exists() and p.stat().st_size > 0:
        raise DatabaseError(
            f"{p} already exists; join makes a new kiosk (sync an existing one with"
            " 'kiosk sync --hub URL')"
        )
    conn = connect(url)
    try:
        check_schema(conn, url)
        show_id, toml = _pick_show(conn, url, show_id)
        kiosk_id = kiosk_id or f"kiosk-{uuid.uuid4().hex[:6]}"
        text = joined_show_toml(toml, kiosk_id=kiosk_id, hub_url=public_url(url))
        config = _checked(text)
        db = open_db(p)
        try:
            rows = _load_baseline(db, conn, show_id, text, config)
            report = pull(db, conn, show_id, now=now, source=f"hub {public_url(url)}")
            with transaction(db):
                top = last_rowid(db, "events")
                set_meta(db, PUSHED, str(top))  # everything here came from the hub
                db.execute("DELETE FROM hub_seen")
                published = _published_meta(conn, show_id)
                if published.get(DEMO_META_KEY) == "1":
                    set_meta(db, DEMO_META_KEY, "1")
                key_note = _invitation_key(db, p, published)
        finally:
            db.conn.close()
    except psycopg.OperationalError as exc:
        raise unreachable(url, exc) from None
    finally:
        conn.close()
    return JoinReport(p, show_id, kiosk_id, rows, report, key_note)


def _pick_show(conn: psycopg.Connection[Any], url: str, wanted: str | None) -> tuple[str, str]:
    shows = conn.execute("SELECT show_id, show_toml FROM hub_shows ORDER BY show_id").fetchall()
    conn.commit()
    if wanted:
        for sid, toml in shows:
            if sid == wanted:
                return str(sid), str(toml)
        raise HubError(f"the hub at {public_url(url)} has no show {wanted!r}")
    if not shows:
        raise HubError(
            f"the hub at {public_url(url)} has no show yet: publish one with 'kiosk hub publish'"
        )
    if len(shows) > 1:
        names = ", ".join(str(s) for s, _ in shows)
        raise HubError(f"the hub holds several shows ({names}): choose one with --show")
    return str(shows[0][0]), str(shows[0][1])


def _checked(text: str) -> ShowConfig:
    try:
        return parse_config(tomllib.loads(text))
    except (tomllib.TOMLDecodeError, ConfigError) as exc:
        raise HubError(f"the show file on the hub cannot be used: {exc}") from None


def _load_baseline(
    db: sqlite_utils.Database,
    conn: psycopg.Connection[Any],
    show_id: str,
    toml: str,
    config: ShowConfig,
) -> dict[str, int]:
    counts: dict[str, int] = {}
    with transaction(db), bulk_contacts(db):
        set_meta(db, "show_toml", toml)
        set_meta(db, "show_id", show_id)
        set_meta(db, "kiosk_id", config.kiosk_id)
        set_meta(db, CURSOR, "0")
        for table, _ in BASELINE:
            have = [c.name for c in db[table].columns]
            n = 0
            with conn.transaction(), conn.cursor(name=f"baseline_{table}") as cur:
                cur.execute(
                    "SELECT row_json FROM hub_baseline WHERE show_id = %s AND tbl = %s"
                    " ORDER BY pos",
                    [show_id, table],
                )
                while batch := cur.fetchmany(PAGE):
                    for (text,) in batch:
                        row = json.loads(text)
                        cols = [c for c in have if c in row]
                        values = [_inert(row[c]) for c in cols]
                        db.conn.execute(  # a fresh file: only a migration's defaults to replace
                            f"INSERT OR REPLACE INTO {table} ({', '.join(cols)})"
                            f" VALUES ({', '.join('?' * len(cols))})",
                            values,
                        )
                        n += 1
            counts[table] = n
    conn.commit()
    return counts


def _inert(value: Any) -> Any:
    """A baseline value as this kiosk stores it: text made inert (it came over a network)."""
    return clean_text(value, multiline=True) if isinstance(value, str) else value


def joined_show_toml(text: str, *, kiosk_id: str, hub_url: str) -> str:
    """The published show file with this laptop's `[kiosk] id` and, if it has none, the
    hub's address as `[hub] url` (without a password), so `kiosk sync` and the TUI find it."""
    text = set_toml_key(text, "kiosk", "id", json.dumps(kiosk_id))
    if not parse_config(tomllib.loads(text)).hub_url:
        text = set_toml_key(text, "hub", "url", json.dumps(hub_url))
    return text
