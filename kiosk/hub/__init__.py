"""Live sync through a PostgreSQL hub (issue 13).

Kiosks at one booth — the entrance scanner, the staff laptops, the manager's, the office —
share one event log on a PostgreSQL server and see each other's arrivals within seconds,
while each keeps its own SQLite file and keeps working when the hall's Wi-Fi drops.

- `schema`: the hub's tables (`kiosk hub init`): the event log keyed by uuid with a server
  sequence, per-kiosk cursors, the shows' baselines, notification claims.
- `url`: where the hub is (`--hub`, `KIOSK_HUB`, `[hub] url`), the URL without its password;
  light (no PostgreSQL driver), so this package's own import is too.
- `connection`: its credentials (libpq's own: `~/.pgpass`, `PGPASSWORD`, TLS options; never
  stored by the kiosk) and one connection.
- `baseline`: `kiosk hub publish` and `kiosk join`.
- `sync`: one round — push, pull, apply with the rules of `kiosk merge`.
- `claims`: one notification per visitor and repeat window, whichever kiosk scanned.
- `worker`: rounds in a loop, woken by LISTEN/NOTIFY (`kiosk sync --every`, the TUI).

The hub is only a meeting point: a kiosk's SQLite file stays the truth for that kiosk, and
`kiosk merge` of copied files keeps working for a booth with no network at all.
"""

from kiosk.hub.url import HubError, HubUnreachable, public_url, resolve_url

__all__ = ["HubError", "HubUnreachable", "public_url", "resolve_url"]
