"""The hub's tables in PostgreSQL (`kiosk hub init`), and the check every command makes.

- `hub_events`: the event log of every show, keyed by the event's uuid, with `seq`, a
  server-assigned sequence. Pushes of one show are serialised by a transaction-level
  advisory lock, so within a show seq order is commit order: a kiosk that has read up to
  seq N never later meets a smaller seq committed behind its back.
- `hub_cursors`: how far each kiosk of each show has pulled (for `kiosk hub status` and
  the lag a manager sees; the kiosk's own cursor lives in its SQLite file, written in the
  transaction that applies what it pulled).
- `hub_shows` / `hub_baseline`: the show file and the CRM import (salespeople,
  territories, contacts, their badges) that `kiosk join` turns into a new kiosk.
- `hub_claims`: notification claims, so two kiosks that scanned the same visitor send one
  notification (`kiosk.hub.claims`).
- `hub_installs`: which laptop (install id, `kiosk.installs`) owns each kiosk id of a show:
  the first to sync under it. Another laptop using the same id is refused
  (`kiosk.hub.sync.claim_kiosk_id`). A hub made before it has none until `kiosk hub init`
  runs again; kiosks sync with it as before, unchecked.

Every statement is `IF NOT EXISTS`: `init` may run again, on an older hub it adds what is
missing.
"""

from __future__ import annotations

from typing import Any

import psycopg

from kiosk.hub.connection import HubError, connect, public_url, unreachable

SCHEMA_VERSION = 1
# Every kiosk waiting on the hub LISTENs on this channel; a push NOTIFYs it with the show id.
CHANNEL = "kiosk_hub"

DDL = """
CREATE TABLE IF NOT EXISTS hub_schema (version integer NOT NULL);
CREATE SEQUENCE IF NOT EXISTS hub_event_seq;
CREATE TABLE IF NOT EXISTS hub_events (
    seq bigint PRIMARY KEY,
    show_id text NOT NULL,
    uuid text NOT NULL UNIQUE,
    kiosk_id text NOT NULL,
    ts text NOT NULL,
    ts_utc text NOT NULL,
    recorded_at text NOT NULL,
    actor text NOT NULL,
    kind text NOT NULL,
    payload text NOT NULL
);
CREATE INDEX IF NOT EXISTS hub_events_show_seq ON hub_events (show_id, seq);
CREATE TABLE IF NOT EXISTS hub_cursors (
    show_id text NOT NULL,
    kiosk_id text NOT NULL,
    seq bigint NOT NULL,
    synced_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (show_id, kiosk_id)
);
CREATE TABLE IF NOT EXISTS hub_shows (
    show_id text PRIMARY KEY,
    show_toml text NOT NULL,
    published_by text NOT NULL,
    published_at timestamptz NOT NULL DEFAULT now(),
    baseline_rows bigint NOT NULL
);
CREATE TABLE IF NOT EXISTS hub_baseline (
    show_id text NOT NULL,
    tbl text NOT NULL,
    pos bigint NOT NULL,
    row_json text NOT NULL,
    PRIMARY KEY (show_id, tbl, pos)
);
CREATE TABLE IF NOT EXISTS hub_claims (
    show_id text NOT NULL,
    event_uuid text NOT NULL,
    recipient text NOT NULL,
    contact_id text NOT NULL,
    arrival_utc text NOT NULL,
    kiosk_id text NOT NULL,
    PRIMARY KEY (event_uuid, recipient)
);
CREATE INDEX IF NOT EXISTS hub_claims_visitor ON hub_claims (show_id, contact_id, recipient);
CREATE TABLE IF NOT EXISTS hub_installs (
    show_id text NOT NULL,
    kiosk_id text NOT NULL,
    install_id text NOT NULL,
    first_seen timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (show_id, kiosk_id)
);
"""


def init_hub(url: str) -> int:
    """Create (or complete) the hub's tables; returns the schema version."""
    with connect(url) as conn:
        try:
            with conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(hashtext('kiosk-hub-init'))")
                conn.execute(DDL)
                conn.execute("DELETE FROM hub_schema")
                conn.execute("INSERT INTO hub_schema(version) VALUES (%s)", [SCHEMA_VERSION])
        except psycopg.OperationalError as exc:
            raise unreachable(url, exc) from None
        except psycopg.Error as exc:
            raise HubError(f"cannot create the hub's tables at {public_url(url)}: {exc}") from None
    return SCHEMA_VERSION


def check_schema(conn: psycopg.Connection[Any], url: str) -> None:
    """Refuse a database that is not a kiosk hub (or one made by a newer kiosk)."""
    row = conn.execute(
        "SELECT to_regclass('hub_schema') IS NOT NULL AND to_regclass('hub_events') IS NOT NULL"
    ).fetchone()
    if not row or not row[0]:
        raise HubError(
            f"{public_url(url)} is not a kiosk hub yet: create it with 'kiosk hub init URL'"
        )
    version = conn.execute("SELECT max(version) FROM hub_schema").fetchone()
    if version and version[0] and version[0] > SCHEMA_VERSION:
        raise HubError(
            f"the hub at {public_url(url)} was made by a newer kiosk (schema {version[0]});"
            " update this kiosk"
        )
