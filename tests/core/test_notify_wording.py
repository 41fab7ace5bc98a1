"""A notification is worded in its recipient's language: the first of their CRM languages the
kiosk speaks, else the show's."""

from __future__ import annotations

from dataclasses import replace

import pytest

from kiosk import booth
from kiosk.notify import items
from kiosk.notify.kinds import NOTIFIERS, EventRow
from kiosk.notify.outbox import enqueue
from kiosk.notify.wording import PHRASES, language_for
from tests.factory import CONFIG, NOW


def cid(db, crm_id: str) -> str:
    return db.execute("SELECT id FROM contacts WHERE crm_id = ?", [crm_id]).fetchone()[0]


def arrival(db, crm_id: str, show_lang: str = "en"):
    uuid = booth.check_in(db, CONFIG, cid(db, crm_id), now=NOW).event.uuid
    kind, kiosk_id, ts, payload = db.execute(
        "SELECT kind, kiosk_id, ts_utc, payload FROM events WHERE uuid = ?", [uuid]
    ).fetchone()
    return NOTIFIERS[kind](db, EventRow(uuid, kind, kiosk_id, ts, payload), show_lang)


@pytest.mark.parametrize(
    ("languages", "show_lang", "expected"),
    [
        ("es,en", "en", "es"),  # the first one the kiosk speaks
        ("ja,en", "zh", "en"),  # Japanese is not spoken: the next, English
        ("ja", "zh", "zh"),  # none spoken: the show's language
        ("ZH-Hans; en", "en", "zh"),  # as CRMs write them
        ("", "es", "es"),
    ],
)
def test_the_recipients_language_comes_from_their_crm_languages(db, languages, show_lang, expected):
    db.execute("UPDATE salespeople SET languages = ? WHERE id = 'kenji'", [languages])
    assert language_for(db, "kenji", show_lang) == expected


def test_an_arrival_is_told_to_each_recipient_in_their_own_language(db):
    (ana,) = arrival(db, "C2")  # Ana Ruiz speaks es,en
    assert ana.title == "José Martínez de Luces Ibéricas S.L. está en recepción"
    assert ana.body.endswith("(su cliente); por favor, venga al stand.")
    db.execute("UPDATE salespeople SET languages = 'zh,en' WHERE id = 'kenji'")
    (kenji,) = arrival(db, "C1")
    assert kenji.title == "Tanaka Shoji的Yuki Tanaka已到前台"
    assert "您的客户" in kenji.body


def test_the_outbox_keeps_the_words_the_recipient_reads(db):
    db.execute("UPDATE salespeople SET languages = 'ja' WHERE id = 'kenji'")
    booth.check_in(db, CONFIG, cid(db, "C1"), now=NOW)
    enqueue(db, replace(CONFIG, language="zh"), now=NOW, db_path=None)
    assert [i.title for i in items(db)] == ["Tanaka Shoji的Yuki Tanaka已到前台"]


def test_every_language_has_every_phrase():
    assert all(set(words) == set(PHRASES["en"]) for words in PHRASES.values())
