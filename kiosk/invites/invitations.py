"""Invitations: which customers a salesperson invites, in which language, and who came.

Generating invitations is recorded as `invitation.sent` events — one per customer — so that
merging kiosks and laptops carries them like any other booth fact, and the manager can
count, per salesperson, invitations sent and invitations that turned into visits (the
`invitation.sent` applier is in `kiosk.events.appliers`). The email files themselves are
built by `kiosk.invites.mail`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlite_utils

from kiosk import events as ev
from kiosk.config import ShowConfig
from kiosk.countries.resolve import resolve_country
from kiosk.models import Contact, Salesperson
from kiosk.store import CONTACT_COLUMNS, contact_from_row, iso
from kiosk.text import fold
from kiosk.tokens import make_token, show_secret, token_url

# The languages invitations are written in (kiosk/invites/templates/invitation.LANG.*).
INVITATION_LANGUAGES = ("en", "zh", "es", "ja", "ko", "de", "fr", "pt")

# Where the customer's country decides the language of their invitation (when the CRM has
# no language for them): countries where business is done in that language. Singapore reads
# Chinese well enough that Chinese-speaking exporters write to Singaporean customers in
# Chinese. Countries split between languages (Belgium, Canada) and everyone else get English.
ZH_COUNTRIES = frozenset({"CN", "TW", "HK", "MO", "SG"})
ES_COUNTRIES = frozenset(
    {
        "ES", "MX", "AR", "CO", "PE", "VE", "CL", "EC", "GT", "CU", "BO", "DO", "HN", "PY",
        "SV", "NI", "CR", "PA", "UY", "GQ", "PR",
    }
)  # fmt: skip
JA_COUNTRIES = frozenset({"JP"})
KO_COUNTRIES = frozenset({"KR"})
DE_COUNTRIES = frozenset({"DE", "AT", "CH", "LI"})
FR_COUNTRIES = frozenset(
    {
        "FR", "LU", "MC", "GP", "MQ", "GF", "RE", "YT", "PF", "NC", "PM", "BL", "MF", "WF",
        "SN", "CI", "ML", "BF", "NE", "TG", "BJ", "GA", "CG", "CD", "GN", "MG", "TD", "CF",
        "DJ", "KM", "HT", "MA", "DZ", "TN",
    }
)  # fmt: skip
PT_COUNTRIES = frozenset({"BR", "PT", "AO", "MZ", "CV", "GW", "ST", "TL"})
COUNTRY_LANGUAGES: dict[str, str] = {
    country: lang
    for lang, countries in (
        ("zh", ZH_COUNTRIES),
        ("es", ES_COUNTRIES),
        ("ja", JA_COUNTRIES),
        ("ko", KO_COUNTRIES),
        ("de", DE_COUNTRIES),
        ("fr", FR_COUNTRIES),
        ("pt", PT_COUNTRIES),
    )
    for country in countries
}
# How CRMs write a language: ISO 639-1/-2 codes and the language's name in English, in
# itself and in a few other languages (compared folded, as `language_of` folds its input).
_LANGUAGE_NAMES = {
    "zh": set("zh zho chi chinese mandarin cantonese 中文 汉语 漢語 普通话 华语 chinesisch chinois chino".split()),
    "es": set("es spa spanish espanol castellano castilian spanisch espagnol".split()),
    "en": set("en eng english englisch anglais ingles 英语 英語 영어".split()),
    "ja": set("ja jpn japanese 日本語 にほんご nihongo japanisch japonais japones 日语 일본어".split()),
    "ko": set("ko kor korean 한국어 조선어 韓国語 韩语 韓語 koreanisch coreen coreano".split()),
    "de": set("de deu ger german deutsch allemand aleman alemao 德语 ドイツ語 독일어".split()),
    "fr": set("fr fra fre french francais franzosisch frances 法语 フランス語 프랑스어".split()),
    "pt": set("pt por portuguese portugues portugiesisch portugais 葡萄牙语 ポルトガル語 포르투갈어".split()),
}  # fmt: skip
_LANGUAGE_WORDS = {lang: {fold(word) for word in words} for lang, words in _LANGUAGE_NAMES.items()}


def language_of(value: str | None) -> str | None:
    """'zh-Hant-TW', 'Chinese', 'pt_BR', 'Deutsch', '日本語' → the language we write (one of
    INVITATION_LANGUAGES); None for another or no language."""
    if not value:
        return None
    word = fold(value).replace("_", "-")
    for candidate in (word, word.split("-", 1)[0], word.split(" ", 1)[0]):
        for lang, words in _LANGUAGE_WORDS.items():
            if candidate in words:
                return lang
    return None


def invitation_language(contact: Contact) -> str:
    """The language to write to a customer in: their own language if we write it, else their
    country's (COUNTRY_LANGUAGES), else English."""
    lang = language_of(contact.language)
    if lang:
        return lang
    return COUNTRY_LANGUAGES.get((contact.country or "").upper(), "en")


@dataclass(frozen=True)
class FilterTerm:
    """One comma-separated part of `--filter`: a country, or free text."""

    text: str
    country: str | None

    def describe(self) -> str:
        return f"country {self.country}" if self.country else f"text {self.text!r}"


TEXT_PREFIX = "text:"


def parse_filter(query: str | None) -> list[FilterTerm]:
    """Split a filter on commas. A part that names a country ('CN', 'Spain', '中国') selects
    that country's customers; any other part selects customers whose name, company, email or
    city contains it. 'text:…' forces text ('text:Ben' is not Benin).

    A country is matched as a country only, never also as text: 'CN' as text would pick up
    every '.cn' address and every 'Tw' in 'Twardowski'.
    """

    terms = []
    for part in (query or "").split(","):
        text = " ".join(part.split())
        if text.lower().startswith(TEXT_PREFIX):
            text = text[len(TEXT_PREFIX) :].strip()
            if text:
                terms.append(FilterTerm(text=text, country=None))
        elif text:
            terms.append(FilterTerm(text=text, country=resolve_country(text)))
    return terms


def customers_of(
    db: sqlite_utils.Database, salesperson_id: str, query: str | None = None
) -> list[Contact]:
    """The salesperson's own customers (contacts.owner_id), optionally filtered, by name."""
    terms = parse_filter(query)
    cur = db.execute(
        f"SELECT {CONTACT_COLUMNS}, search FROM contacts WHERE owner_id = ? ORDER BY name, id",
        [salesperson_id],
    )
    cols = [c[0] for c in cur.description]
    out = []
    for values in cur:
        row = dict(zip(cols, values, strict=True))
        if terms and not any(_matches(term, row) for term in terms):
            continue
        out.append(contact_from_row(row))
    return out


def _matches(term: FilterTerm, row: dict[str, Any]) -> bool:
    if term.country:
        return (row["country"] or "").upper() == term.country
    return fold(term.text) in (row["search"] or "")


@dataclass(frozen=True)
class Issued:
    """One invitation's token, made out to one customer by one salesperson."""

    contact: Contact
    salesperson: Salesperson
    token: str
    url: str
    language: str
    issued_at: datetime


def issue(
    db: sqlite_utils.Database,
    config: ShowConfig,
    salesperson: Salesperson,
    contacts: Iterable[Contact],
    *,
    now: datetime,
) -> list[Issued]:
    """Mint a token for each contact (whole seconds, the token's own precision)."""
    when = now.astimezone(UTC).replace(microsecond=0)
    secret = show_secret(db, config)
    out = []
    for contact in contacts:
        assert contact.id is not None
        token = make_token(
            secret=secret,
            show_id=config.show_id,
            contact_id=contact.id,
            salesperson_id=salesperson.id,
            issued_at=when,
        )
        out.append(
            Issued(
                contact,
                salesperson,
                token,
                token_url(config, token),
                invitation_language(contact),
                when,
            )
        )
    return out


def record_sent(
    db: sqlite_utils.Database, config: ShowConfig, issued: Sequence[Issued], *, actor: str = ""
) -> list[ev.Event]:
    """Log one `invitation.sent` event per invitation, all in one transaction."""
    events = [
        ev.new_event(
            "invitation.sent",
            {
                "contact_id": i.contact.id,
                "salesperson_id": i.salesperson.id,
                "issued_at": iso(i.issued_at),
                "token": i.token,
                "language": i.language,
                "email": i.contact.email,
            },
            kiosk_id=config.kiosk_id,
            actor=actor,
            ts=i.issued_at,
        )
        for i in issued
    ]
    if events:
        ev.record(db, *events)
    return events
