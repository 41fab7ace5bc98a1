"""Country display names in the kiosk's languages, and flag emoji.

The visitor card shows the country in the UI language (English, Simplified Chinese or Spanish,
more if a show asks). pycountry ships gettext catalogs of the ISO 3166-1 names; this module picks
the form that reads well on a card, since the ISO list forms ('Bolivia, Plurinational State of')
do not, and patches the few catalog entries that are inverted or misspelt.
"""

from __future__ import annotations

import functools
import gettext

import pycountry

from kiosk.country_aliases import AMBIGUOUS
from kiosk.text import fold

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


_SHARED_NAMES = frozenset(fold(name) for name in AMBIGUOUS)


@functools.cache
def catalog(lang: str) -> gettext.NullTranslations:
    """pycountry's iso3166-1 gettext catalog for a language in LANGUAGES (identity for 'en')."""
    if lang == "en":
        return gettext.NullTranslations()
    try:
        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
    except OSError:  # a pycountry build without this catalog: fall back to English
        return gettext.NullTranslations()


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


def _display(country: object, lang: str) -> str:
    """A short display name: common name first, then the plain name, official form last.

    ISO list names such as 'Bolivia, Plurinational State of' read badly on a visitor card.
    """
    t = catalog(lang)
    common = getattr(country, "common_name", None)
    name: str = country.name  # type: ignore[attr-defined]
    if common and (t.gettext(common) != common or lang == "en"):
        return t.gettext(common)
    translated = t.gettext(name)
    inverted = "," in translated or "،" in translated
    if common and (translated == name or inverted):
        return common  # the same word in this language ('Bolivia', 'Taiwan', 'Laos')
    official = getattr(country, "official_name", None)
    has_official = bool(official) and (t.gettext(official) != official or lang == "en")
    if has_official and (inverted or fold(translated) in _SHARED_NAMES):
        return t.gettext(official)  # 'Republic of the Congo', not the 'Congo' two states share
    return translated


@functools.cache
def _names(lang: str) -> dict[str, str]:
    names = {c.alpha_2: _display(c, lang) for c in pycountry.countries}
    for code, by_lang in EXTRA_NAMES.items():
        names[code] = by_lang.get(lang, by_lang["en"])
    names.update({code: text for (code, lg), text in DISPLAY_OVERRIDES.items() if lg == lang})
    return names


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
