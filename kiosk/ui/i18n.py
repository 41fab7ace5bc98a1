"""Every word the kiosk shows, in English, Simplified Chinese and Spanish.

The catalogs are TOML files in `kiosk/ui/locales/` (one per language, the same keys in each,
checked by a test), flattened to dotted keys: ``[card] call = "Please call"`` is
``card.call``. The kiosk reads them flattened, from the JSON file beside each
(`scripts/make_locale_catalogs.py` writes them; a test checks they are the TOML's): parsing
the English TOML took ~8 ms of the cold start, before the first frame (issue 16), and a
Chinese or Spanish kiosk parsed English as well; its JSON loads in ~0.2 ms. Placeholders use `str.format` names (``{name}``). A missing key falls back
to English, then to the key itself, so a forgotten translation is visible but never fatal.

Text filled into a template may come from a badge or a CSV: callers show the result as
plain text (rich `Text` or `markup=False`), never as markup.
"""

from __future__ import annotations

import functools
import json
import tomllib
from pathlib import Path
from typing import Any

LANGS = ("en", "zh", "es")
LANG_NAMES = {"en": "English", "zh": "中文", "es": "Español"}
_DIR = Path(__file__).resolve().parent / "locales"


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, f"{name}."))
        else:
            out[name] = str(value)
    return out


@functools.cache
def catalog(lang: str) -> dict[str, str]:
    """The flattened catalog of one language (cached; read once per process)."""
    if lang not in LANGS:
        lang = "en"
    table: dict[str, str] = json.loads(flat_file(lang).read_text(encoding="utf-8"))
    return table


def flat_file(lang: str) -> Path:
    """Where the flattened catalog of `lang` is kept (generated from its TOML file)."""
    return _DIR / f"{lang}.json"


def catalog_source(lang: str) -> dict[str, str]:
    """The catalog of `lang` as its TOML file says, flattened: what its JSON file holds."""
    with (_DIR / f"{lang}.toml").open("rb") as fh:
        return _flatten(tomllib.load(fh))


def flat_text(lang: str) -> str:
    """The JSON file's text for `lang`: its TOML file flattened, one key a line."""
    return json.dumps(catalog_source(lang), ensure_ascii=False, indent=0) + "\n"


def normalize_lang(lang: str | None) -> str:
    """'zh-CN', 'ES', None → a supported UI language ('en' by default)."""
    code = (lang or "en").strip().lower().replace("_", "-").split("-")[0]
    return code if code in LANGS else "en"


class Translator:
    """`t("card.call", name="Ana")` → the text in this translator's language."""

    def __init__(self, lang: str) -> None:
        self.lang = normalize_lang(lang)
        self._own = catalog(self.lang)
        self._en = catalog("en")

    def __call__(self, key: str, /, **values: Any) -> str:
        text = self._own.get(key) or self._en.get(key) or key
        if not values:
            return text
        try:
            return text.format(**values)
        except (KeyError, IndexError, ValueError):
            return text

    def has(self, key: str) -> bool:
        return key in self._own or key in self._en

    def maybe(self, key: str, default: str) -> str:
        """The translation of `key` when there is one, else `default` (e.g. a raw rule name)."""
        return self(key) if self.has(key) else default


def next_lang(lang: str) -> str:
    """The language after `lang` in the switch order en → zh → es → en."""
    i = LANGS.index(normalize_lang(lang))
    return LANGS[(i + 1) % len(LANGS)]
