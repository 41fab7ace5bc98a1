"""Fictional customer firms: a local name with the local legal form, a city and a domain."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from random import Random

from .company_words import BANKS
from .countries import Country, city_names
from .culture import slug
from .people import CULTURES


@dataclass(frozen=True)
class Company:
    name: str  # as the CRM shows it, legal form included
    domain: str  # '' for firms whose people all use free mail
    country: str
    city: str  # Latin spelling
    city_native: str  # local spelling ('東京'), same as `city` for Latin-script places
    umlauts: bool = False


def _fill(pattern: str, parts: dict[str, str]) -> str:
    out = pattern
    for key, value in parts.items():
        out = out.replace("{" + key + "}", value)
    return out


def company_core(country: Country, rng: Random, city: tuple[str, str]) -> tuple[str, str]:
    """(native, Latin) name of a firm without its legal form, e.g. ('光和照明', 'Kowa Shomei')."""
    bank = BANKS[country.words]
    culture = CULTURES[country.cultures[0][0]]
    native_pattern, latin_pattern = rng.choice(bank.patterns)
    word = rng.choice(bank.words) if bank.words else ("", "")
    stem = rng.choice(bank.stems)
    f1, f2 = rng.sample(culture.family, 2)
    native = {"W_lower": word[0].lower(), "W": word[0], "S": stem[0], "F2": f2[0], "F": f1[0],
              "C": city[1]}  # fmt: skip
    latin = {"W_lower": word[1].lower(), "W": word[1], "S": stem[1], "F2": f2[1], "F": f1[1],
             "C": city[0]}  # fmt: skip
    return _fill(native_pattern, native), _fill(latin_pattern, latin)


_PARTICLES = frozenset(
    "de du des of and e et y van der den del la le da do dos das von und zn".split()
)


def domain_label(latin_core: str, city: str, umlauts: bool) -> str:
    """A believable second-level label: 'mueller-lichttechnik', 'semartinez', 'kowashomei'."""
    words = slug(latin_core, sep=" ", umlauts=umlauts).split()
    city_words = slug(city, sep=" ").split()
    if len(words) > len(city_words) and words[: len(city_words)] == city_words:
        words = words[len(city_words) :]  # 'Shanghai Guanghui Lighting' → guanghui-lighting
    merged: list[str] = []
    for w in words:  # 'Al Noor' → 'alnoor', as Gulf firms write it
        if merged and merged[-1] in ("al", "el"):
            merged[-1] += w
        else:
            merged.append(w)
    words = [w for w in merged if w not in _PARTICLES] or merged
    joined = "".join(words)
    if len(joined) <= 14:
        return joined
    if len("-".join(words)) <= 20:
        return "-".join(words)
    if len(words[0]) + len(words[-1]) <= 18:
        return f"{words[0]}-{words[-1]}"
    return "".join(w[0] for w in words[:-1]) + words[-1]


def make_company(
    country: Country, rng: Random, used_domains: set[str], used_names: set[str]
) -> Company:
    """A new firm in `country` whose name and domain label are not taken yet.

    `used_names` holds folded names and domain labels of every firm so far (it grows), so
    that two firms never share a name or a website, whatever their country.
    """
    umlauts = country.words == "de"
    for _ in range(200):
        city = city_names(rng.choice(country.cities))
        native_core, latin_core = company_core(country, rng, city)
        if country.native_forms and rng.random() < country.native_share:
            form = rng.choice(country.native_forms)
        else:
            form = _form(rng, country.latin_forms, latin_core)
        name = form.replace("{n}", native_core).replace("{l}", latin_core)
        label = domain_label(latin_core, city[0], umlauts)
        keys = {fold_name(native_core), fold_name(latin_core), "@" + label}
        if not keys & used_names:
            used_names.update(keys)
            break
    else:
        raise RuntimeError(f"the {country.words!r} word bank ran out of firm names")
    tld = "com" if rng.random() < 0.2 else country.tld
    domain = _unique(f"{label}.{tld}", label, tld, slug(city[0]), used_domains)
    return Company(name, domain, country.code, city[0], city[1], umlauts)


def _form(rng: Random, forms: tuple[str, ...], core: str) -> str:
    """A legal form that does not repeat a word of the name ('Al Ofoq Trading Trading LLC')."""
    words = set(core.casefold().split())
    fitting = [f for f in forms if not words & set(f.replace("{l}", "").casefold().split())]
    return rng.choice(fitting or forms)


def fold_name(name: str) -> str:
    """A firm's name reduced for duplicate checks: case, accents and spacing ignored."""
    return " ".join(unicodedata.normalize("NFKD", name).casefold().split())


def _unique(domain: str, label: str, tld: str, city: str, used: set[str]) -> str:
    candidates = [domain, f"{label}-{city}.{tld}"] + [f"{label}{n}.{tld}" for n in range(2, 99)]
    for candidate in candidates:
        if candidate not in used:
            used.add(candidate)
            return candidate
    raise RuntimeError(f"no free domain for {label}")
