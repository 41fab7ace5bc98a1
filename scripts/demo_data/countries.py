"""The demo company's markets: who lives there, how firms are named, which mail is used.

`weight` is roughly how many of the exporter's 3,200 CRM contacts sit in the country: a
Chinese lighting exporter at a Frankfurt show sells most in Europe, North America and Latin
America, and less but steadily in Asia, the Gulf and Africa. The markets are data, in
countries.toml beside this module.
"""

from __future__ import annotations

from dataclasses import dataclass

from .tables import Table, expand, load_toml, records


@dataclass(frozen=True)
class Country:
    code: str
    weight: int
    cultures: tuple[tuple[str, int, str], ...]  # (culture, weight, language override or "")
    cities: tuple[str, ...]  # "Latin" or "Latin/native"
    tld: str
    latin_forms: tuple[str, ...]  # legal-form templates around the Latin name, '{l}'
    native_forms: tuple[str, ...] = ()  # templates using the native name '{n}' (and '{l}')
    native_share: float = 0.0  # how often a firm is written in the local script
    words: str = "en"  # which word bank names the firms (see companies.py)
    cert: str = "CE"  # the product certificate buyers there ask for
    free_mail: tuple[str, ...] = ("gmail.com", "outlook.com", "yahoo.com")


def _load(filename: str) -> tuple[Country, ...]:
    """The [countries.CODE] tables of countries.toml beside this module, in the file's order."""
    data = load_toml(filename)
    lists: Table = data.get("lists", {})

    def array(items: list[str]) -> tuple[str, ...]:
        return tuple(expand(items, lists, filename))

    entries = []
    for code, entry in data["countries"].items():
        languages = entry.pop("languages", {})
        cultures = tuple(
            (c, weight, languages.get(c, "")) for c, weight in entry["cultures"].items()
        )
        entries.append({**entry, "code": code, "cultures": cultures})
    return records(
        Country, entries, f"{filename} [countries]", "code",
        cities=array, latin_forms=array, native_forms=array, free_mail=array,
    )  # fmt: skip


COUNTRIES: tuple[Country, ...] = _load("countries.toml")
BY_CODE: dict[str, Country] = {c.code: c for c in COUNTRIES}


def city_names(entry: str) -> tuple[str, str]:
    """'Tokyo/東京' → ('Tokyo', '東京'); 'Berlin' → ('Berlin', 'Berlin')."""
    latin, _, native = entry.partition("/")
    return latin, native or latin
