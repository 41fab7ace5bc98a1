"""Every UI string exists in English, Chinese and Spanish, with the same placeholders."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from kiosk.ui.i18n import (
    LANGS,
    Translator,
    catalog,
    catalog_source,
    flat_file,
    flat_text,
    next_lang,
    normalize_lang,
)

UI = Path(__file__).resolve().parents[2] / "kiosk" / "ui"
LITERAL = re.compile(r"""(?:\bt|\.t|Tr|relabel|maybe)\(\s*["']([a-z_]+\.[a-z_.\-]+)["']""")


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_catalogs_have_the_same_keys_and_placeholders():
    en = catalog("en")
    for lang in LANGS:
        other = catalog(lang)
        assert set(other) == set(en), f"{lang}: {sorted(set(en) ^ set(other))}"
        for key, text in en.items():
            assert fields(other[key]) == fields(text), f"{lang}:{key}"
            assert other[key].strip(), f"{lang}:{key} is empty"


def test_every_literal_key_in_the_code_is_in_the_catalog():
    en = catalog("en")
    used = set()
    for path in UI.rglob("*.py"):
        used |= set(LITERAL.findall(path.read_text(encoding="utf-8")))
    assert used, "the pattern found no keys"
    assert sorted(k for k in used if k not in en) == []


def test_dynamic_keys_exist():
    from kiosk.models import RATINGS
    from kiosk.routing.rules import RULES
    from kiosk.ui.app import KioskApp
    from kiosk.ui.explain import FLAG_CLASS
    from kiosk.ui.screens import (
        arrivals,
        card,
        confirm,
        lead_form,
        manager,
        notes,
        pin,
        scan,
        search,
        user_picker,
    )
    from kiosk.visits import STATUSES

    en = catalog("en")
    keys = {f"rule.{r}" for r in RULES} | {f"status.{s}" for s in STATUSES}
    keys |= {f"flag.{f.replace('-', '_')}" for f in FLAG_CLASS} | {f"rating.{r}" for r in RATINGS}
    keys |= {f"role.{r}" for r in ("reception", "staff", "manager")}
    screens = (
        KioskApp, arrivals.ArrivalsScreen, card.CardScreen, confirm.ConfirmModal,
        lead_form.LeadFormScreen, manager.ManagerScreen, notes.NotesModal, pin.PinModal,
        scan.ScanScreen, search.SearchScreen, user_picker.UserPickerModal,
    )  # fmt: skip
    for cls in screens:
        keys |= {f"key.{b.id}" for b in cls.BINDINGS if getattr(b, "id", None)}
    assert sorted(keys - set(en)) == []


def test_chinese_and_spanish_are_really_translated():
    for lang, sample in (("zh", "请扫描"), ("es", "LISTO PARA ESCANEAR")):
        assert Translator(lang)("scan.ready") == sample
    same = [k for k, v in catalog("en").items() if catalog("zh")[k] == v]
    # only codes, formats and proper nouns may stay the same in Chinese: a string with a
    # letter in it is a word someone forgot to translate
    words = [k for k in same if re.search(r"[^\W\d_]", re.sub(r"\{[^}]*\}", "", catalog("en")[k]))]
    assert words == ["lead.email_placeholder"], same
    assert len(same) < 10, same


@pytest.mark.parametrize("lang", LANGS)
def test_translator_formats_and_falls_back(lang):
    t = Translator(lang)
    assert "Ana" in t("notify.checked_in", name="Ana")
    assert t("no.such.key") == "no.such.key"
    assert t("notify.checked_in") == catalog(lang)["notify.checked_in"]  # no values: as is


def test_language_helpers():
    assert normalize_lang("zh-CN") == "zh" and normalize_lang("ES") == "es"
    assert normalize_lang("fr") == "en" and normalize_lang(None) == "en"
    assert [next_lang(x) for x in LANGS] == ["zh", "es", "en"]


def test_the_kiosk_reads_the_catalogs_flattened_and_they_are_their_toml_files():
    """Parsing en.toml cost ~8 ms of the cold start (issue 16): the kiosk reads the JSON
    beside each TOML file. After editing a TOML file, run scripts/make_locale_catalogs.py."""
    for lang in LANGS:
        stale = f"{flat_file(lang).name} is not {lang}.toml: run scripts/make_locale_catalogs.py"
        assert flat_file(lang).read_text(encoding="utf-8") == flat_text(lang), stale
        assert catalog(lang) == catalog_source(lang)


def test_a_translator_parses_no_toml(monkeypatch):
    import tomllib

    def refuse(*args, **kwargs):
        raise AssertionError("a catalog was parsed from TOML")

    monkeypatch.setattr(tomllib, "load", refuse)
    monkeypatch.setattr(tomllib, "loads", refuse)
    catalog.cache_clear()
    try:
        assert Translator("zh")("key.search") == "搜索"
        assert Translator("es")("key.search") == catalog("es")["key.search"]
    finally:
        catalog.cache_clear()
