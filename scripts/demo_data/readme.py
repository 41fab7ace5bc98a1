"""data/demo/README.md: the demo company, who covers what, and the CSV columns.

The column tables double as the documentation of the kiosk's "generic" CSV format, so they
say what an importer accepts, not only what this generator happens to write.
"""

from __future__ import annotations

import textwrap
from collections import Counter

from .history import is_lapsed
from .show import (
    BADGE_PREFIX,
    BOOTH,
    COMPANY,
    COMPANY_CITY,
    COMPANY_ZH,
    LAPSE_DAYS,
    MANAGER_PIN,
    MONTHS,
    SHOW_END,
    SHOW_NAME,
    SHOW_START,
    VENUE,
)
from .staff import STAFF, TERRITORIES

_SALESPEOPLE_COLUMNS = """\
| column | meaning |
|---|---|
| `id` | short unique slug (`ana`, `kenji`); other files refer to people by it |
| `name` | as shown on the kiosk, e.g. `Chen Jing (Ana)` |
| `email` | work address; unique. Other files may use it instead of the id |
| `phone` | E.164 (`+8613812345678`); shown in the salesperson's contact QR code |
| `role` | `sales`, `manager` or `reception` |
| `languages` | ISO 639-1 codes separated by commas, quoted as one CSV field: `"zh,es,en"` |
| `title` | job title |
| `away` | `1` if the person is not at the booth (skipped by rotation), else `0` |
"""

_TERRITORY_COLUMNS = """\
| column | meaning |
|---|---|
| `position` | order within a tier; tiers are always tried in the order domain/company → country → region → default, first match wins |
| `kind` | `domain`, `company`, `country`, `region` or `default` |
| `value` | `domain`: e-mail domain (`nordlicht-bau.de`, a leading `@` is optional, subdomains match); `company`: company name (legal forms such as GmbH or S.A. de C.V. are ignored); `country`: ISO 3166 alpha-2 codes separated by spaces (`US CA`); `region`: a group name — `EU`, `DACH`, `IBERIA`, `BENELUX`, `NORDICS`, `EUROPE`, `NORTH_AMERICA`, `LATAM`, `ASEAN`, `MIDDLE_EAST`, `GCC`, `MENA`, `AFRICA`, `APAC`, `OCEANIA`, `EAST_ASIA`, `SOUTH_ASIA`, `GREATER_CHINA`; `default`: empty |
| `salespeople` | salesperson ids separated by `;`; several people share the rule by round-robin (`sofia;mateo`) |
| `note` | free text shown as evidence when the rule fires |
"""

_CONTACT_COLUMNS = """\
| column | meaning |
|---|---|
| `crm_id` | the CRM's own id; unique, used as the contact id |
| `name` | in the customer's own script (`佐藤 健`, `محمد العتيبي`, `José Martínez Núñez`) |
| `company`, `title` | as the CRM has them |
| `email` | may be empty; matched case-insensitively |
| `phone` | E.164 preferred; a national number is read with `country` |
| `country` | ISO 3166 alpha-2 (`DE`); a country name (`Deutschland`, `Mexico`) is also accepted |
| `city` | free text |
| `language` | ISO 639-1 of the language to use with the customer |
| `grade` | `A`, `B` or `C` |
| `owner` | salesperson id (or e-mail) who owns the customer |
| `assistant` | salesperson id (or e-mail) who assists; empty if none |
| `split` | the assistant's commission share: `0.3` or `30%`, at most 0.5 |
| `filed_at` | when the owner filed the customer — ISO 8601 with offset, `2024-03-02T09:15:00+08:00` |
| `first_contact_by` | salesperson id (or e-mail) who first talked to them; empty means the owner or unknown |
| `first_contact_at` | ISO 8601; earlier than `filed_at` when a colleague met them first |
| `last_contact_at`, `last_deal_at` | ISO 8601; both older than `lapse_days` before the show ⇒ lapsed owner |
| `preferred` | salesperson id (or e-mail) the customer asked for; empty if none |
| `badge_ids` | pre-registered badge ids for this show, separated by `;` |
| `notes` | private sales notes; never shown to reception |
| `consent` | `1` if the customer agreed to be contacted, else `0` |

Dates may be empty. Every column except `crm_id` and `name` may be empty.
"""


def _team_table() -> str:
    covers: dict[str, list[str]] = {s.id: [] for s in STAFF}
    for rule in TERRITORIES:
        what = rule.value or "everyone else"
        for person in rule.salespeople:
            covers[person].append(f"{rule.kind} {what}" if rule.kind != "default" else what)
    lines = ["| id | name | role | title | covers |", "|---|---|---|---|---|"]
    for s in STAFF:
        lines.append(f"| `{s.id}` | {s.name} | {s.role} | {s.title} | "
                     f"{'; '.join(covers[s.id]) or '—'} |")  # fmt: skip
    return "\n".join(lines)


def _fill(text: str) -> str:
    return textwrap.fill(text, width=92, break_long_words=False, break_on_hyphens=False)


def readme(contacts: list[dict[str, str]]) -> str:
    countries = Counter(r["country"] for r in contacts)
    lapsed = sum(is_lapsed(r) for r in contacts)
    top = ", ".join(f"{code}\u00a0{count}" for code, count in countries.most_common(8))
    intro = _fill(
        f"**Everything here is fictional.** {COMPANY} ({COMPANY_ZH}) is an invented LED "
        f"lighting manufacturer in {COMPANY_CITY}. Its customers, their companies, e-mail "
        "addresses, phone numbers and badge ids are generated; any likeness to real firms or "
        "people is chance. Do not write to these addresses."
    )
    show = _fill(
        f"The company exhibits at **{SHOW_NAME}**, {VENUE}, booth {BOOTH}, "
        f"{SHOW_START.day} to {SHOW_END.day} {MONTHS[SHOW_END.month - 1]} {SHOW_END.year}. "
        "The kiosk uses these files when started with "
        f"`./scripts/demo` (or `kiosk init --demo`). The manager PIN is `{MANAGER_PIN}`."
    )
    customers = _fill(
        f"{len(contacts)} customers in {len(countries)} countries (most: {top}). Most owners "
        'agree with the territory sheet; about 5% are "historical" owners who filed the '
        f"customer before today's desks existed. {lapsed} customers "
        f"({lapsed * 100 // len(contacts)}%) are lapsed: no deal and no contact in the "
        f"{LAPSE_DAYS} days before the show. About 4% were first contacted by a colleague "
        "before the owner filed them, 5% have an assistant with a commission split, 2% asked "
        "for a particular salesperson, and 60% pre-registered for the show (badge ids "
        f"`{BADGE_PREFIX}…`). A few rows are awkward on purpose: two customers called Thomas "
        "Müller, a company name of almost a hundred characters, customers with no e-mail, "
        "quotes and commas inside a company name, names in Arabic, Thai, Cyrillic, Chinese, "
        "Japanese and Korean script."
    )
    return f"""\
# Demo company: {COMPANY}

{intro}

{show}

All files are written by `scripts/make_demo_data.py` (`--out DIR`, `--contacts N`) from a
fixed seed: running it again gives byte-identical files. Edit the script, not the files.

## The team

{_team_table()}

Sofía and Mateo share Latin America, and Lukas and Claire the rest of Europe, by
round-robin. Greta runs reception; Helen, the general manager, decides disputes.

## The customers

{customers}

`badges.txt` holds scans to try: known customers (each situation above once) and new
visitors in every badge format the kiosk reads. Each block's comment says what should happen.

## Files and columns

These files are also the reference for the kiosk's **generic CSV format**: UTF-8, one
header row, comma-separated, fields quoted where needed. Where a column names a salesperson
it takes the salesperson's `id` or `email`.

### `show.toml`

The show configuration read by `kiosk.config.load_config`: `[show]`, `[kiosk]`,
`[ownership]`, `[badges]` (field order of caret/pipe/tab/semicolon badge layouts) and
`[invitations]`. Every key, its default and what it does: `docs/setup.md`, which also sets
up a show of your own. The `manager_pin` and the `[invitations] secret` here are demo
values, published with the code: a real show's file has neither (it sets PINs with `kiosk
pin set` and the invitation key with `kiosk keys new-invite-key`).

### `salespeople.csv`

{_SALESPEOPLE_COLUMNS}
### `territories.csv`

{_TERRITORY_COLUMNS}
### `contacts.csv`

{_CONTACT_COLUMNS}"""
