"""The words of a notification, in the language of the person who gets it.

A notice is read on a phone across the hall, often by a salesperson of a Chinese or Spanish
manufacturer, so it is worded in the first of the recipient's languages (the CRM's
`salespeople.languages`, e.g. ``es,en``) that the kiosk speaks, else the show's language. The
same three languages as the screens (`kiosk.config.LANGUAGES`); the words live here rather
than in the UI's catalogs because the core raises the outbox items and must not import the UI.

Names and companies come from the CRM and badges and are inserted as they are: channels send
plain text, and the kiosk's own screen shows notices with markup off.
"""

from __future__ import annotations

import sqlite_utils

from kiosk.config import LANGUAGES

PHRASES: dict[str, dict[str, str]] = {
    "en": {
        "who": "{name} of {company}",
        "badge": "the visitor with badge {badge}",
        "unnamed": "a visitor with no name",
        "arrived": "{who} is at reception",
        "arrived.owner": "{title} (your customer); please come to the booth.",
        "arrived.assistant": "{title} (the customer you assist); please come to the booth.",
        "decided": "Dispute decided: {about}",
        "decided.bare": "Dispute decided",
        "decided.body": "{title} — {outcome}",
        "decided.owner": "; owner {name}",
        "outcome.kept": "kept",
        "outcome.given": "given",
        "outcome.shared": "shared",
        "outcome.customer": "customer",
        "outcome.deferred": "deferred",
        "outcome.other": "decided",
        "undone": "Decision undone: {about}",
        "undone.bare": "Decision undone",
        "undone.body": "{title} — the item is open again",
        "undone.owner": "; owner now {name}",
    },
    "zh": {
        "who": "{company}的{name}",
        "badge": "胸卡号 {badge} 的访客",
        "unnamed": "一位未留姓名的访客",
        "arrived": "{who}已到前台",
        "arrived.owner": "{title}（您的客户），请到展位来。",
        "arrived.assistant": "{title}（您协助的客户），请到展位来。",
        "decided": "争议已裁定：{about}",
        "decided.bare": "争议已裁定",
        "decided.body": "{title}——{outcome}",
        "decided.owner": "；负责人 {name}",
        "outcome.kept": "维持原负责人",
        "outcome.given": "转给对方",
        "outcome.shared": "共同负责",
        "outcome.customer": "由客户选择",
        "outcome.deferred": "暂缓决定",
        "outcome.other": "已裁定",
        "undone": "裁定已撤销：{about}",
        "undone.bare": "裁定已撤销",
        "undone.body": "{title}——该事项重新待裁定",
        "undone.owner": "；现由 {name} 负责",
    },
    "es": {
        "who": "{name} de {company}",
        "badge": "el visitante con la acreditación {badge}",
        "unnamed": "un visitante sin nombre",
        "arrived": "{who} está en recepción",
        "arrived.owner": "{title} (su cliente); por favor, venga al stand.",
        "arrived.assistant": "{title} (el cliente al que usted asiste); por favor, venga al stand.",
        "decided": "Disputa resuelta: {about}",
        "decided.bare": "Disputa resuelta",
        "decided.body": "{title} — {outcome}",
        "decided.owner": "; responsable {name}",
        "outcome.kept": "se mantiene",
        "outcome.given": "cedido",
        "outcome.shared": "compartido",
        "outcome.customer": "eligió el cliente",
        "outcome.deferred": "aplazado",
        "outcome.other": "resuelto",
        "undone": "Decisión anulada: {about}",
        "undone.bare": "Decisión anulada",
        "undone.body": "{title} — el caso vuelve a estar abierto",
        "undone.owner": "; titular ahora: {name}",
    },
}


def language_for(db: sqlite_utils.Database, person: str, default: str = "en") -> str:
    """The first of `person`'s languages that the kiosk speaks, else `default` (the show's)."""
    row = db.execute("SELECT languages FROM salespeople WHERE id = ?", [person]).fetchone()
    spoken = (row[0] or "") if row else ""
    for code in spoken.replace(";", ",").split(","):
        code = code.strip().lower()[:2]
        if code in PHRASES:
            return code
    return default if default in LANGUAGES else "en"


def phrase(lang: str, key: str, **values: str) -> str:
    """One phrase of `lang`, filled in; English when the language lacks the key."""
    words = PHRASES.get(lang, PHRASES["en"])
    return words.get(key, PHRASES["en"][key]).format(**values)


def visitor(lang: str, name: str, company: str | None, badge: str = "") -> str:
    """'Kenji Watanabe of Kansai Kiki', or just the name when the company is unknown.

    A walk-in scanned from a bare badge id has no name: 'the visitor with badge GLE26-…'
    (of the company, when known). The Chinese notice read '已到前台' alone before: has
    arrived, with nobody named."""
    if not (name or "").strip():
        name = phrase(lang, "badge", badge=badge) if badge else phrase(lang, "unnamed")
    return phrase(lang, "who", name=name, company=company) if company else name
