#!/usr/bin/env python
"""Write kiosk/ui/locales/<lang>.json from <lang>.toml: the flattened catalogs the kiosk reads.

The TOML files are the ones people edit; the kiosk reads the JSON beside each, since parsing
the TOML cost ~8 ms of its cold start (kiosk/ui/i18n.py). Run this after editing a TOML file
(tests/ui/test_i18n.py fails until the JSON matches).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kiosk.ui.i18n import LANGS, flat_file, flat_text  # noqa: E402


def main() -> int:
    for lang in LANGS:
        path = flat_file(lang)
        text = flat_text(lang)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
