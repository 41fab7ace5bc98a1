"""All demo files as text, from one seed.

Each part gets its own generator split off the master `random.Random(seed)`, so that adding
a badge example does not reshuffle every customer.
"""

from __future__ import annotations

import csv
import io
from random import Random

from .badges import badges_txt, reserved_badges, reserved_emails
from .contacts import COLUMNS, build_contacts
from .readme import readme
from .show import show_toml
from .staff import STAFF, TERRITORIES, staff_phones

SEED = 2026
DEFAULT_CONTACTS = 3200
SALESPEOPLE_COLUMNS = ("id", "name", "email", "phone", "role", "languages", "title", "away")
TERRITORY_COLUMNS = ("position", "kind", "value", "salespeople", "note")


def to_csv(header: tuple[str, ...], rows: list[dict[str, str]]) -> str:
    """UTF-8 CSV text with '\\n' line ends and minimal quoting, as the csv module writes it."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([row[c] for c in header] for row in rows)
    return buf.getvalue()


def build_files(contacts: int = DEFAULT_CONTACTS, seed: int = SEED) -> dict[str, str]:
    """File name → content for every file of `data/demo/`."""
    master = Random(seed)
    staff_rng, contacts_rng, badges_rng = (Random(master.getrandbits(64)) for _ in range(3))
    phones = staff_phones(staff_rng)
    people = [
        {"id": s.id, "name": s.name, "email": s.email, "phone": phones[s.id], "role": s.role,
         "languages": s.languages, "title": s.title, "away": "0"}
        for s in STAFF
    ]  # fmt: skip
    rules = [
        {"position": str(r.position), "kind": r.kind, "value": r.value,
         "salespeople": ";".join(r.salespeople), "note": r.note}
        for r in TERRITORIES
    ]  # fmt: skip
    rows = build_contacts(contacts_rng, contacts, reserved_emails(), reserved_badges())
    return {
        "show.toml": show_toml(),
        "salespeople.csv": to_csv(SALESPEOPLE_COLUMNS, people),
        "territories.csv": to_csv(TERRITORY_COLUMNS, rules),
        "contacts.csv": to_csv(COLUMNS, rows),
        "badges.txt": badges_txt(badges_rng, rows),
        "README.md": readme(rows),
    }
