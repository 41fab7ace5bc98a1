"""Country display names in the kiosk's languages, and flag emoji.

The visitor card shows the country in the UI language (English, Simplified Chinese or Spanish,
more if a show asks). The names come from pycountry's gettext catalogs of the ISO 3166-1 names,
in the form that reads well on a card (the ISO list forms such as 'Bolivia, Plurinational State
of' do not), with the few inverted or misspelt catalog entries patched below.
`scripts/make_country_tables.py` picks them and writes `country_data/display.tsv`, which is read
on first use: showing a name costs neither pycountry's import nor its catalogs.
"""

from __future__ import annotations

import functools
from pathlib import Path

DATA_DIR = Path(__file__).with_name("data")

# Catalog languages whose country names are indexed and can be displayed ('en' is the source).
LANGUAGES: tuple[str, ...] = (
    "en", "zh_CN", "zh_TW", "zh_HK", "es", "de", "fr", "ja", "ko", "pt", "pt_BR", "ar", "ru", "it",
)  # fmt: skip

# Kosovo has no ISO 3166-1 code; XK is the user-assigned code in common use (see country_aliases).
EXTRA_NAMES: dict[str, dict[str, str]] = {
    "XK": {
        "en": "Kosovo",
        "zh_CN": "科索沃",
        "zh_TW": "科索沃",
        "zh_HK": "科索沃",
        "es": "Kosovo",
        "de": "Kosovo",
        "fr": "Kosovo",
        "ja": "コソボ",
        "ko": "코소보",
        "pt": "Kosovo",
        "pt_BR": "Kosovo",
        "ar": "كوسوفو",
        "ru": "Косово",
        "it": "Kosovo",
    },
}

# Display names where the catalog entry is an inverted ISO list form ('Congo, The Democratic
# Republic of the'), a long official form, or a misspelling. Keyed by (alpha2, catalog language).
DISPLAY_OVERRIDES: dict[tuple[str, str], str] = {
    ("CD", "en"): "Democratic Republic of the Congo",
    ("PS", "en"): "Palestine",
    ("VI", "en"): "U.S. Virgin Islands",
    ("CD", "es"): "República Democrática del Congo",
    ("CD", "pt"): "República Democrática do Congo",
    ("CD", "pt_BR"): "República Democrática do Congo",
    ("CD", "ar"): "جمهورية الكونغو الديمقراطية",
    ("KR", "ar"): "كوريا الجنوبية",
    ("KP", "ar"): "كوريا الشمالية",
    ("AX", "fr"): "Îles Åland",
    ("CC", "fr"): "Îles Cocos",
    ("CX", "fr"): "Île Christmas",
    ("FK", "fr"): "Îles Malouines",
    ("LA", "fr"): "Laos",
    ("RE", "fr"): "La Réunion",
    ("RU", "fr"): "Russie",
    ("SB", "fr"): "Îles Salomon",
    ("CI", "es"): "Costa de Marfil",
    ("SR", "es"): "Surinam",
    ("TN", "es"): "Túnez",
    ("BF", "es"): "Burkina Faso",
    ("BD", "zh_CN"): "孟加拉国",
    ("BO", "zh_CN"): "玻利维亚",
    ("GT", "zh_CN"): "危地马拉",
    ("KG", "zh_CN"): "吉尔吉斯斯坦",
    ("KH", "zh_CN"): "柬埔寨",
    ("MT", "zh_CN"): "马耳他",
    ("PF", "zh_CN"): "法属波利尼西亚",
}


@functools.cache
def _display_table() -> dict[str, dict[str, str]]:
    """display.tsv (by scripts/make_country_tables.py) as language → alpha-2 → name."""
    table: dict[str, dict[str, str]] = {lang: {} for lang in LANGUAGES}
    for line in (DATA_DIR / "display.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            code, lang, name = line.split("\t")
            table[lang][code] = name
    english = table["en"]
    return {lang: english | names for lang, names in table.items()}  # the file lists differences


def _names(lang: str) -> dict[str, str]:
    return _display_table()[lang]


def ui_language(lang: str) -> str:
    """Map 'zh', 'zh-Hans', 'pt-BR', 'ES' … onto a catalog in LANGUAGES; English otherwise."""
    tag = (lang if isinstance(lang, str) else "").strip().replace("-", "_").lower()
    if tag.startswith("zh"):
        if "hk" in tag or "mo" in tag:
            return "zh_HK"
        return "zh_TW" if ("tw" in tag or "hant" in tag) else "zh_CN"
    if tag in ("pt_br",):
        return "pt_BR"
    base = tag.split("_", 1)[0]
    return base if base in LANGUAGES else "en"


def country_name(alpha2: str, lang: str = "en") -> str:
    """The country's name in a UI language ('zh' is Simplified Chinese); English if untranslated.

    An unknown code comes back unchanged, so a card can still show what the CRM said.
    """
    if not isinstance(alpha2, str):
        return ""
    code = alpha2.strip().upper()
    return _names(ui_language(lang)).get(code) or _names("en").get(code) or alpha2.strip()


def country_names(lang: str = "en") -> dict[str, str]:
    """alpha-2 → display name for every country, e.g. to fill a country picker."""
    return dict(_names(ui_language(lang)))


@functools.cache
def country_codes() -> frozenset[str]:
    """Every alpha-2 code `resolve_country` can return (ISO 3166-1 plus XK for Kosovo)."""
    return frozenset(_names("en"))


def flag(alpha2: str) -> str:
    """The flag emoji (two regional indicator symbols) for a code; '' for anything else."""
    if not isinstance(alpha2, str):
        return ""
    code = alpha2.strip().upper()
    if len(code) != 2 or not code.isascii() or not code.isalpha():
        return ""
    return "".join(chr(0x1F1E6 + ord(ch) - ord("A")) for ch in code)
