"""The CRM export: 3,200 customers in 60-odd countries, owned the way the territory sheet says.

Build order matters for determinism only, not for meaning: showcase rows first, then the key
accounts, then every country's quota of ordinary firms and their buyers, then badge and CRM
ids. One `random.Random` is threaded through all of it.
"""

from __future__ import annotations

from datetime import datetime
from random import Random

from .companies import Company, fold_name, make_company
from .countries import BY_CODE, COUNTRIES, Country
from .culture import Person
from .fixtures import KEY_ACCOUNTS, SHOWCASE, Fixed, KeyAccount
from .history import History, random_history
from .notes import note, note_language
from .people import CULTURES, local_title, make_person
from .phones import make_phone
from .show import MONTHS, badge_id
from .staff import BY_ID, territory_rule

COLUMNS = (
    "crm_id", "name", "company", "title", "email", "phone", "country", "city", "language",
    "grade", "owner", "assistant", "split", "filed_at", "first_contact_by", "first_contact_at",
    "last_contact_at", "last_deal_at", "preferred", "badge_ids", "notes", "consent",
)  # fmt: skip

ENGLISH_TITLES = (
    "Purchasing Manager", "Procurement Manager", "Buyer", "Senior Buyer", "Managing Director",
    "CEO", "Owner", "Lighting Designer", "Project Manager", "Product Manager",
    "Technical Director", "Sourcing Manager", "Category Manager, Lighting", "Import Manager",
    "Operations Manager", "Electrical Engineer", "General Manager", "Head of Procurement",
    "Founder", "Sales Director", "Purchasing Assistant", "Architect",
)  # fmt: skip
_FIRST_MET = ("at the Canton Fair", "at a trade show", "on a customer visit",
              "through a website enquiry", "through an Alibaba enquiry")  # fmt: skip
_COMPANY_SIZES = (1,) * 60 + (2,) * 22 + (3,) * 10 + (4,) * 5 + (5,) * 3
_GRADES = ("A",) * 20 + ("B",) * 45 + ("C",) * 35
FREE_MAIL = 0.07
NO_EMAIL = 0.015
NO_PHONE = 0.08
WITH_NOTES = 0.7
CONSENT = 0.72
WITH_BADGE = 0.6
EXTRA_BADGES = 0.03

Row = dict[str, str]


def quotas(n: int, countries: tuple[Country, ...] = COUNTRIES) -> dict[str, int]:
    """Split `n` over the countries by weight (largest remainder), at least one each."""
    total = sum(c.weight for c in countries)
    shares = {c.code: max(1.0, n * c.weight / total) for c in countries}
    counts = {code: int(share) for code, share in shares.items()}
    order = sorted(shares, key=lambda code: (counts[code] - shares[code], code))
    for code in order[: max(0, n - sum(counts.values()))]:
        counts[code] += 1
    return counts


def local_part(rng: Random, person: Person) -> str:
    """The mailbox name a firm would give this person: 'juergen.mueller', 'jsmith', 'wangwei'."""
    g, f = person.mailbox_parts()
    if not f:
        return g
    patterns = [(f"{g}.{f}", 40), (f"{g[0]}.{f}", 15), (g, 8), (f"{g[0]}{f}", 12), (f, 5),
                (f"{g}_{f}", 4), (f"{f}.{g}", 4), (f"{g}{f}", 5)]  # fmt: skip
    if person.culture == "chinese":
        patterns.append((f"{f}{g}", 40))
    return rng.choices([p for p, _ in patterns], weights=[w for _, w in patterns])[0]


def unique_email(local: str, domain: str, used: set[str]) -> str:
    """`local@domain`, with a number appended when a colleague already has that address."""
    for n in range(1, 100):
        email = f"{local}{'' if n == 1 else n}@{domain}"
        if email.casefold() not in used:
            used.add(email.casefold())
            return email
    raise RuntimeError(f"no free mailbox for {local}@{domain}")


def make_email(
    rng: Random, person: Person, domain: str, country: Country, used: set[str], free: float
) -> str:
    if rng.random() < NO_EMAIL:
        return ""
    if not domain or rng.random() < free:
        mail = rng.choice(country.free_mail)
        if mail == "qq.com":
            return unique_email(str(rng.randint(10**7, 10**10)), mail, used)
        return unique_email(f"{local_part(rng, person)}{rng.randint(1, 99)}", mail, used)
    email = unique_email(local_part(rng, person), domain, used)
    if rng.random() < 0.02:  # typed by hand into the CRM
        email = email[0].upper() + email[1:]
    return email


def pick_title(rng: Random, person: Person, language: str) -> str:
    """A local title (in the contact's own language and script) or an English one."""
    culture = CULTURES[person.culture]
    local_ok = (person.native or culture.native_share >= 1.0) and language == culture.language
    if culture.titles and local_ok and rng.random() < 0.45:
        return local_title(person, rng)
    return rng.choice(ENGLISH_TITLES)


def _culture(rng: Random, country: Country) -> tuple[str, str]:
    key, _, language = rng.choices(country.cultures, weights=[w for _, w, _ in country.cultures])[0]
    return key, language or CULTURES[key].language


def _notes(rng: Random, history: History, country: Country, city: str) -> str:
    owner = BY_ID[history.owner]
    text = ""
    if rng.random() < WITH_NOTES:
        text = note(rng, note_language(rng, owner.note_languages), country.cert, city)
    if (
        history.first_contact_by
        and history.first_contact_by != history.owner
        and history.first_contact
    ):
        met = BY_ID[history.first_contact_by].name
        where = rng.choice(_FIRST_MET)
        when = f"{MONTHS[history.first_contact.month - 1]} {history.first_contact.year}"
        text = f"First met by {met} {where} in {when}; filed later. {text}".strip()
    return text


def random_row(
    rng: Random, country: Country, company: Company, owner: str, used: set[str], *,
    fixed_owner: bool = False, free_mail: float = FREE_MAIL,
) -> Row:  # fmt: skip
    """One buyer at `company`, with a name, contact details and a history."""
    culture, language = _culture(rng, country)
    person = make_person(culture, rng, double_surname=0.5 if country.code == "AR" else 0.8)
    grade = rng.choice(_GRADES)
    history = random_history(rng, owner, grade, fixed_owner=fixed_owner)
    city = company.city_native if person.native else company.city
    phone = (
        "" if rng.random() < NO_PHONE else make_phone(country.code, rng, mobile=rng.random() < 0.7)
    )
    return {
        "name": person.name,
        "company": company.name,
        "title": pick_title(rng, person, language),
        "email": make_email(rng, person, company.domain, country, used, free_mail),
        "phone": phone,
        "country": country.code,
        "city": city,
        "language": language,
        "grade": grade,
        **history.columns(),
        "notes": _notes(rng, history, country, city),
        "consent": "1" if rng.random() < CONSENT else "0",
    }


def fixed_row(rng: Random, f: Fixed) -> Row:
    """A showcase customer exactly as written in fixtures.py (only the phone is drawn)."""
    first_by = f.owner if f.first_contact_by == "owner" else f.first_contact_by
    first_at = (f.first_contact or f.filed) if first_by else None
    history = History(f.owner, f.filed, first_by, first_at, f.last_contact, f.last_deal,
                      f.assistant, f.split, f.preferred)  # fmt: skip
    return {
        "name": f.name,
        "company": f.company,
        "title": f.title,
        "email": f.email,
        "phone": make_phone(f.country, rng) if f.phone else "",
        "country": f.country,
        "city": f.city,
        "language": f.language,
        "grade": f.grade,
        **history.columns(),
        "badge_ids": ";".join(f.badges),
        "notes": f.notes,
        "consent": f.consent,
    }


def key_account_rows(rng: Random, account: KeyAccount, used: set[str]) -> list[Row]:
    """The buyers of one key-account office, all owned by the key-account rule's person."""
    country = BY_CODE[account.country]
    rows = []
    for i in range(account.count):
        city = account.cities[i % len(account.cities)]
        company = Company(account.company, account.domain, country.code, city, city)
        rows.append(random_row(rng, country, company, account.owner, used, fixed_owner=True,
                               free_mail=account.free_mail_share))  # fmt: skip
    return rows


def _badges(rng: Random, rows: list[Row], reserved: set[str]) -> None:
    """Give about 60% of customers a pre-registered badge id, a few of them several."""
    wanted = [r for r in rows if "badge_ids" not in r and rng.random() < WITH_BADGE]
    extra = [rng.randint(1, 2) if rng.random() < EXTRA_BADGES else 0 for _ in wanted]
    pool = [n for n in rng.sample(range(100_000, 900_000), len(wanted) + sum(extra) + 50)
            if badge_id(n) not in reserved]  # fmt: skip
    for row, more in zip(wanted, extra, strict=True):
        row["badge_ids"] = ";".join(badge_id(pool.pop()) for _ in range(1 + more))
    for row in rows:
        row.setdefault("badge_ids", "")


def _crm_ids(rng: Random, rows: list[Row]) -> list[Row]:
    """Number customers in filing order, as a CRM does, with gaps where records were deleted."""

    def filed(item: tuple[int, Row]) -> tuple[datetime, int]:
        text = item[1]["filed_at"]
        return (datetime.fromisoformat(text) if text else _EPOCH, item[0])

    ordered = [row for _, row in sorted(enumerate(rows), key=filed)]
    number = 100_000
    for row in ordered:
        number += rng.choice((1, 1, 1, 2, 3))
        row["crm_id"] = f"C-{number}"
    return ordered


_EPOCH = datetime.fromisoformat("2000-01-01T00:00:00+00:00")


def build_contacts(
    rng: Random, n: int, reserved_emails: set[str], reserved_badges: set[str]
) -> list[Row]:
    """All customer rows, in CRM-id order, each with every column of `COLUMNS`."""
    used = {e.casefold() for e in reserved_emails}
    rows = [fixed_row(rng, f) for f in SHOWCASE]
    used |= {r["email"].casefold() for r in rows if r["email"]}
    for account in KEY_ACCOUNTS:
        rows += key_account_rows(rng, account, used)
    used_domains = {a.domain for a in KEY_ACCOUNTS} | {r["email"].split("@")[-1] for r in rows}
    used_names = {fold_name(r["company"]) for r in rows} | {
        "@" + d.split(".")[0] for d in used_domains
    }
    for code, count in quotas(max(0, n - len(rows))).items():
        country = BY_CODE[code]
        while count > 0:
            company = make_company(country, rng, used_domains, used_names)
            owners = territory_rule(code, company.domain, company.name).salespeople
            owner = rng.choice(owners)
            for _ in range(min(count, rng.choice(_COMPANY_SIZES))):
                rows.append(random_row(rng, country, company, owner, used))
                count -= 1
    _badges(rng, rows, reserved_badges | {b for f in SHOWCASE for b in f.badges})
    return [{k: row[k] for k in COLUMNS} for row in _crm_ids(rng, rows)]
