"""Sync: pull the CRM export in, merge kiosk databases, push leads and check-ins back out.

The modules, in the order data flows through them:

* `csvread` — opens a CSV the way Excel and CRMs really write them (encoding and delimiter
  sniffed, physical line numbers kept for every record);
* `formats` — the column names of each CRM's export, and `--mapping` TOML for anything else;
* `values`, `contact_fields` — dates, flags, lists, countries and owners as CRMs spell them;
* `imports` (with `import_contacts`, `import_people`) — the upserts, with rejects files;
* `merge` — replaying other kiosks' event logs into one database;
* `exports`, `export_formats`, `lead_visitors` — import-ready CSVs for each CRM, with a
  watermark (a visitor's leads as one row where the CRM keeps one record per e-mail);
* `report` — the per-salesperson summary of the show;
* `pipeline` — the post-show sync run (`scripts/sync.py`) as resumable steps.
"""

from __future__ import annotations

from kiosk.errors import KioskError


class SyncError(KioskError, ValueError):
    """A sync step cannot run; the message is one line meant for the person running it.

    Raised before anything is written (or with the write rolled back), so the CLI can print
    it and exit with status 2 knowing the database is as it was.
    """


class CsvFileError(SyncError):
    """The file is not a CSV the importer can read (binary, empty, wrong columns …)."""


class MappingError(SyncError):
    """A `--mapping` TOML file or a `--format` name is not usable."""
