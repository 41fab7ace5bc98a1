"""The country resolver loads where a lookup first asks it (issue 16: not at start-up).

`kiosk.lookup` imports `kiosk.countries.resolve` inside `_resolve_country`, so the kiosk's
first frame is drawn without it (tests/ui/test_startup.py); the first query that names a
country, in a process that has not loaded the resolver, must still find that country.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

_FIRST_QUERY = """
import sys
from kiosk import lookup
from kiosk.db import open_db
before = "kiosk.countries.resolve" in sys.modules
result = lookup.lookup(open_db({path!r}, create=False), "Deutschland")
print(before, result.country, "kiosk.countries.resolve" in sys.modules)
"""


def test_the_first_country_query_of_a_process_finds_the_country(db_path):
    code = _FIRST_QUERY.format(path=str(db_path))
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["False", "DE", "True"]


def test_the_countries_package_leaves_the_resolver_to_its_module():
    code = "import sys, kiosk.countries; print('kiosk.countries.resolve' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["False"]
