"""Invitation tokens: minting, verifying, refusing forgeries and other shows' codes."""

from __future__ import annotations

import string
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.db import get_meta, open_db
from kiosk.meta import SECRET_META_KEY
from kiosk.tokens import (
    FORGED,
    NOT_A_TOKEN,
    TokenError,
    extract_token,
    make_token,
    show_secret,
    token_url,
    verify_token,
)
from tests.examples import examples
from tests.factory import CONFIG

WHEN = datetime(2026, 10, 1, 8, 30, 15, tzinfo=UTC)
B64 = string.ascii_letters + string.digits + "-_"


def token(**kw) -> str:
    fields = dict(
        secret="s3cret",
        show_id="expo-2026",
        contact_id="C-000123",
        salesperson_id="ana",
        issued_at=WHEN,
    )
    fields.update(kw)
    return make_token(**fields)


def check(tok: str, *, secret: str = "s3cret", show_id: str = "expo-2026"):
    return verify_token(tok, secret=secret, show_id=show_id)


def test_round_trip_gives_back_every_field():
    tok = token()
    assert tok.startswith("KV1.") and tok.count(".") == 2
    result = check(tok)
    assert result.ok and result.error is None
    assert (result.contact_id, result.salesperson_id, result.show_id) == (
        "C-000123",
        "ana",
        "expo-2026",
    )
    assert result.issued_at == WHEN


def test_token_is_compact_base64url_without_padding():
    assert len(token()) <= 80  # a CRM id: a small QR (version 4-5)
    tok = token(contact_id="L-" + "f" * 36)  # a booth lead's id, the longest kind
    assert len(tok) <= 120
    assert "=" not in tok and all(ch in B64 + "." for ch in tok)


def test_short_url_form_verifies_too():
    url = token_url(replace(CONFIG, short_url="https://go.lumen.example/"), token())
    assert url.startswith("https://go.lumen.example/i/KV1.")
    assert check(url).ok
    assert token_url(CONFIG, "KV1.a.b") == "https://kiosk.invalid/i/KV1.a.b"
    with_i = replace(CONFIG, short_url="https://go.lumen.example/i/")
    assert token_url(with_i, "KV1.a.b") == "https://go.lumen.example/i/KV1.a.b"
    assert extract_token(url + "?utm=mail") == token()
    assert extract_token("  " + token() + "\n") == token()


def test_empty_salesperson_identifies_without_crediting():
    result = check(token(salesperson_id=""))
    assert result.ok and result.contact_id == "C-000123" and result.salesperson_id is None


@pytest.mark.parametrize("part", ["payload", "signature"])
def test_every_single_character_change_is_refused(part):
    tok = token()
    prefix_len = len("KV1.")
    dot = tok.index(".", prefix_len)
    positions = range(prefix_len, dot) if part == "payload" else range(dot + 1, len(tok))
    for i in positions:
        for replacement in {B64[(B64.index(tok[i]) + 1) % 64], B64[(B64.index(tok[i]) + 32) % 64]}:
            altered = tok[:i] + replacement + tok[i + 1 :]
            result = check(altered)
            assert not result.ok, (i, altered)
            assert result.error in (FORGED, NOT_A_TOKEN), (i, result.error)
            assert result.contact_id is None and result.salesperson_id is None


def test_altered_contact_id_says_forged():
    tok = token()
    i = len("KV1.") + 16  # inside the contact id
    altered = tok[:i] + ("A" if tok[i] != "A" else "B") + tok[i + 1 :]
    assert check(altered).error == FORGED


def test_last_character_with_same_decoded_bytes_is_still_refused():
    """The last base64 character has spare bits; a non-canonical spelling must not pass."""
    tok = token()
    last = B64.index(tok[-1])
    sibling = B64[last ^ 1]  # same high bits, different spare bits
    result = check(tok[:-1] + sibling)
    assert not result.ok


def test_wrong_secret_is_forged():
    assert check(token(), secret="another").error == FORGED
    assert check(token(), secret="").error == FORGED


def test_token_of_another_show_says_which():
    other = token(show_id="canton-fair", secret="their-secret")
    result = check(other)
    assert not result.ok
    assert result.error == "invitation for another show (canton-fair)"
    assert result.show_id == "canton-fair" and result.contact_id is None


@pytest.mark.parametrize(
    "junk",
    [
        "",
        "KV1.",
        "KV1..",
        "KV1.abc",
        "KV1.a.b",
        "kv1.abc.def",
        "hello",
        "KV1.!!!.???",
        "KV1." + "A" * 5000,
    ],
)
def test_junk_is_not_a_token(junk):
    assert check(junk) == check(junk)  # deterministic
    result = check(junk)
    assert not result.ok and result.error in (NOT_A_TOKEN, FORGED)


def test_non_string_input_never_raises():
    assert check(None).error == NOT_A_TOKEN  # type: ignore[arg-type]
    assert check(b"KV1.a.b").error == NOT_A_TOKEN  # type: ignore[arg-type]


@settings(max_examples=examples(300), deadline=None)
@given(st.text())
def test_verify_never_raises_and_never_accepts_noise(text):
    assert not check(text).ok
    assert not check("KV1." + text).ok


@settings(max_examples=examples(100), deadline=None)
@given(
    contact=st.text(min_size=1, max_size=60).filter(lambda s: "\x1f" not in s),
    salesperson=st.text(max_size=30).filter(lambda s: "\x1f" not in s),
)
def test_any_ids_round_trip(contact, salesperson):
    result = check(token(contact_id=contact, salesperson_id=salesperson))
    assert result.ok and result.contact_id == contact
    assert result.salesperson_id == (salesperson or None)


def test_make_token_refuses_unusable_fields():
    with pytest.raises(TokenError):
        token(secret="")
    with pytest.raises(TokenError):
        token(contact_id="")
    with pytest.raises(TokenError):
        token(contact_id="a\x1fb")


def test_show_secret_prefers_the_show_file(db):
    assert show_secret(db, CONFIG) == "test-secret"
    assert get_meta(db, SECRET_META_KEY) is None


def test_generated_secret_is_made_once_and_kept(db, tmp_path):
    config = replace(CONFIG, secret="")
    first = show_secret(db, config)
    assert len(first) >= 32
    assert show_secret(db, config) == first
    path = db.conn.execute("PRAGMA database_list").fetchone()[2]
    db.conn.close()
    assert show_secret(open_db(path), config) == first
