"""The generators' data files (scripts/demo_data/*.toml and *.csv, scripts/synthetic.toml):
they load into what the logic expects, refer only to things that exist, and a mistake in one
is a clear error naming the file and the entry."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


@pytest.fixture(scope="module")
def load() -> Iterator[Callable[[str], ModuleType]]:
    """`load("demo_data.people")`: a module of scripts/ (which is not a package)."""
    sys.path.insert(0, str(SCRIPTS))
    try:
        yield importlib.import_module
    finally:
        sys.path.remove(str(SCRIPTS))


def test_every_reference_between_the_demo_tables_exists(load):
    people = load("demo_data.people")
    words = load("demo_data.company_words")
    phones = load("demo_data.phones")
    staff = load("demo_data.staff")
    countries = load("demo_data.countries").COUNTRIES
    for country in countries:
        assert {c for c, _, _ in country.cultures} <= set(people.CULTURES), country.code
        assert country.words in words.BANKS, country.code
        assert country.code in phones.countries_with_plans(), country.code
    team = set(staff.BY_ID)
    for rule in staff.TERRITORIES:
        assert set(rule.salespeople) <= team, rule.position
        assert rule.kind != "region" or rule.value in staff.REGIONS, rule.position
    for culture in people.CULTURES.values():
        assert culture.male and culture.female and culture.family, culture.key


def test_a_culture_table_shares_lists_and_names_its_surname_rule(load, tmp_path):
    culture = load("demo_data.culture")
    path = tmp_path / "names_test.toml"
    path.write_text(
        '[lists]\nshared = ["Jan", "Piotr"]\n\n'
        '[cultures.polish_test]\nlanguage = "pl"\nmale = ["@shared", "Łukasz"]\n'
        'female = ["Anna"]\nfamily = ["Kowalski", "Nowak"]\nfemale_family = "polish"\n'
        'titles = ["Prezes", ["Właściciel", "Właścicielka"]]\n',
        encoding="utf-8",
    )
    (polish,) = culture.load_cultures(path)
    assert [latin for _, latin in polish.male] == ["Jan", "Piotr", "Łukasz"]
    assert polish.female_family(("Kowalski", "Kowalski")) == ("Kowalska", "Kowalska")
    assert polish.titles == (("Prezes", "Prezes"), ("Właściciel", "Właścicielka"))


@pytest.mark.parametrize(
    "entry, message",
    [
        ('english_male = ["@nowhere"]', "@nowhere names no array"),
        ('female_family = "klingon"', "no female surname rule 'klingon'"),
        ("nicknames = true", "unexpected keyword argument 'nicknames'"),
        ('titles = [["a", "b", "c"]]', "not a string or a pair"),
    ],
)
def test_a_mistake_in_a_culture_table_names_the_file_and_entry(load, tmp_path, entry, message):
    culture = load("demo_data.culture")
    tables = load("demo_data.tables")
    path = tmp_path / "names_bad.toml"
    path.write_text(
        f'[cultures.bad]\nlanguage = "en"\nmale = ["A"]\nfemale = ["B"]\nfamily = ["C"]\n{entry}\n',
        encoding="utf-8",
    )
    with pytest.raises(tables.DataFileError) as info:
        culture.load_cultures(path)
    assert str(info.value).startswith(f"{path} [cultures.bad]: ")
    assert message in str(info.value)


def test_greek_women_carry_the_female_form_listed_beside_each_surname(load):
    greek = load("demo_data.people").CULTURES["greek"]
    forms = [greek.female_family(name) for name in greek.family]
    assert len(set(forms)) == len(forms)
    assert ("Παπαδοπούλου", "Papadopoulou") in forms
    assert ("Παπαδόπουλος", "Papadopoulos") not in forms


def test_one_character_table_gives_each_chinese_place_its_own_spelling(load):
    cultures = load("demo_data.people").CULTURES
    chan = {c: dict(cultures[c].family)["陈" if c == "chinese" else "陳"] for c in
            ("chinese", "chinese_tw", "chinese_hk")}  # fmt: skip
    assert chan == {"chinese": "Chen", "chinese_tw": "Chen", "chinese_hk": "Chan"}
    assert ("伟", "Wei") in cultures["chinese"].male
    assert ("偉", "Wei") in cultures["chinese_hk"].male
    with pytest.raises(load("demo_data.tables").DataFileError):
        load("demo_data.culture").chinese_names("traditional", "wade-giles")


def test_every_synthetic_contact_country_has_a_phone_plan(load):
    synthetic = load("synthetic")
    for key, pool in synthetic.GROUPS.items():
        assert len(pool.countries) == len(pool.country_weights), key
        assert {code for code, _ in pool.countries} <= set(synthetic.PHONES), key
    rows, _ = synthetic.generate(300, seed=1)
    for row in rows:
        plan = synthetic.PHONES[row["country"]]
        assert row["phone"].replace(" ", "").startswith("+" + plan.calling_code), row
