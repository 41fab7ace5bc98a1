"""Signed invitation tokens: what an invitation's QR code carries, and how a scan is checked.

A token is ``KV1.<payload>.<signature>``, both parts base64url without padding:

- the payload packs four fields, joined by the ASCII unit separator (``\\x1f``), which
  no id, email or show name contains: show id, contact id, salesperson id, and the
  issued-at time in epoch seconds. Packed text is about half the size of JSON, which keeps
  the QR code small enough to scan from a phone screen held at arm's length;
- the signature is HMAC-SHA256 over ``KV1.<payload>`` under the show's secret, truncated
  to 16 bytes (128 bits: far beyond guessing, and 22 characters in the QR).

Only the kiosk holding the show's secret can mint a token, so a scanned token proves which
salesperson invited the visitor. `verify_token` never raises: a scanner can type anything.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from kiosk import keyfile
from kiosk.config import ShowConfig
from kiosk.db import transaction
from kiosk.errors import KioskError
from kiosk.keyfile import SECRET_NAME
from kiosk.meta import MADE_META_KEY, SECRET_META_KEY, get_meta

if TYPE_CHECKING:
    import sqlite3

    import sqlite_utils

PREFIX = "KV1."
SIGNATURE_BYTES = 16
DEFAULT_SHORT_URL = "https://kiosk.invalid"
_SEP = "\x1f"
_B64 = r"[A-Za-z0-9_-]+"
_TOKEN_RE = re.compile(rf"KV1\.{_B64}\.{_B64}")
# A show id a person typed into a show file: used only to decide whether a token that fails
# its signature check is plausibly another show's rather than damaged.
_SHOW_ID_RE = re.compile(r"[\w.@+-]{1,64}")

# Said on the card that faces the visitor, who most likely holds a real invitation signed on
# a kiosk with another key ("forged or altered" accused them); a changed code reads the same.
FORGED = "not signed with this show's invitation key (made with another key, or altered)"
ANOTHER_SHOW = "invitation for another show"
NOT_A_TOKEN = "not a valid invitation code"


class TokenError(KioskError, ValueError):
    """A token cannot be made from these fields (the message says which)."""


@dataclass(frozen=True)
class TokenCheck:
    """The verdict on one scanned token.

    When `ok` is false the ids are None (nothing in a refused token is believed), except
    `show_id` for a token of another show, so the screen can name that show.
    """

    ok: bool
    contact_id: str | None = None
    salesperson_id: str | None = None
    show_id: str | None = None
    issued_at: datetime | None = None
    error: str | None = None


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes | None:
    """Decode base64url without padding; None unless `text` is the one canonical spelling.

    The last character of a base64 string carries unused bits; without this check two
    different strings decode to the same bytes, and a token with its last character
    changed would still be accepted.
    """
    try:
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        return None
    return data if _b64(data) == text else None


def _sign(secret: str, signed_part: str) -> bytes:
    mac = hmac.new(secret.encode("utf-8"), signed_part.encode("ascii"), hashlib.sha256)
    return mac.digest()[:SIGNATURE_BYTES]


def make_token(
    *, secret: str, show_id: str, contact_id: str, salesperson_id: str, issued_at: datetime | int
) -> str:
    """Mint a token. `salesperson_id` may be empty: the token then identifies the visitor
    without crediting anyone (walk-in badges). Raises TokenError for unusable fields."""
    if not secret:
        raise TokenError("an invitation token needs a secret")
    if not show_id or not contact_id:
        raise TokenError("an invitation token needs a show id and a contact id")
    fields = (show_id, contact_id, salesperson_id or "")
    if any(_SEP in f for f in fields):
        raise TokenError("ids in an invitation token cannot contain control characters")
    epoch = issued_at if isinstance(issued_at, int) else int(issued_at.timestamp())
    payload = _SEP.join((*fields, str(epoch))).encode("utf-8")
    signed_part = PREFIX + _b64(payload)
    return f"{signed_part}.{_b64(_sign(secret, signed_part))}"


def extract_token(text: str) -> str | None:
    """The token in a bare token or in the short URL form ``https://host/i/KV1...``."""
    if not isinstance(text, str):
        return None
    text = text.strip()
    if _TOKEN_RE.fullmatch(text):
        return text
    m = re.search(rf"/i/({_TOKEN_RE.pattern})/?(?:[?#].*)?$", text)
    return m.group(1) if m else None


def _fields(payload: bytes) -> tuple[str, str, str, datetime] | None:
    try:
        parts = payload.decode("utf-8").split(_SEP)
    except UnicodeDecodeError:
        return None
    if len(parts) != 4 or not parts[0] or not parts[1] or not parts[3].isdigit():
        return None
    try:
        issued = datetime.fromtimestamp(int(parts[3]), UTC)
    except (OverflowError, OSError, ValueError):
        return None
    return parts[0], parts[1], parts[2], issued


def _near(a: str, b: str) -> bool:
    """Same length and at most two differing characters: our show id, damaged."""
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) <= 2


def verify_token(token: str, *, secret: str, show_id: str) -> TokenCheck:
    """Check a scanned token (bare, or its short URL) against this show's secret. Never raises."""
    raw = extract_token(token) if isinstance(token, str) else None
    if raw is None:
        return TokenCheck(ok=False, error=NOT_A_TOKEN)
    body, sig_text = raw[len(PREFIX) :].split(".")
    payload, signature = _unb64(body), _unb64(sig_text)
    if payload is None or signature is None or len(signature) != SIGNATURE_BYTES:
        return TokenCheck(ok=False, error=NOT_A_TOKEN)
    fields = _fields(payload)
    good = bool(secret) and hmac.compare_digest(signature, _sign(secret, PREFIX + body))
    if fields is not None and fields[0] != show_id:
        claimed = fields[0]
        # A token of another show cannot be verified here (another secret), so its own
        # claim is shown — but only when it reads like a show id, not like damage to ours
        # (one changed base64 character alters at most two adjacent bytes).
        if good or (_SHOW_ID_RE.fullmatch(claimed) and not _near(claimed, show_id)):
            return TokenCheck(ok=False, show_id=claimed, error=f"{ANOTHER_SHOW} ({claimed})")
    if not good:
        return TokenCheck(ok=False, error=FORGED)
    if fields is None:
        return TokenCheck(ok=False, error=NOT_A_TOKEN)
    show, contact, salesperson, issued = fields
    return TokenCheck(
        ok=True,
        contact_id=contact,
        salesperson_id=salesperson or None,
        show_id=show,
        issued_at=issued,
    )


def token_url(config: ShowConfig, token: str) -> str:
    """The short URL form of a token: ``{short_url}/i/{token}``.

    A `short_url` that already ends in ``/i`` is taken as the full prefix, since show
    files are written both ways.
    """
    base = (config.short_url or DEFAULT_SHORT_URL).rstrip("/")
    if base.endswith("/i"):
        base = base[:-2]
    return f"{base}/i/{token}"


def own_key_hint(db: sqlite3.Connection | sqlite_utils.Database) -> str:
    """What to add to a "forged" verdict when this kiosk's key was made here rather than
    copied with the database ('' otherwise). A kiosk set up on its own makes its own key the
    first time it needs one, and then turned away every invitation the first kiosk had
    signed as "forged or altered", with no word of the key file it lacked."""
    path = keyfile.database_file(db)
    made = get_meta(db, MADE_META_KEY)
    if path is None or not made or made != keyfile.key_file(path).name:
        return ""
    return (
        f" — or signed on another kiosk: this kiosk made its own invitation key"
        f" ({made}); copy the key file of the kiosk that made the invitations here"
    )


def show_secret(db: sqlite3.Connection | sqlite_utils.Database, config: ShowConfig) -> str:
    """The key that signs this show's tokens.

    In order: `KIOSK_INVITE_SECRET`; a show file given for this run with an `[invitations]
    secret` (older show files; `kiosk init` moves it to the key file); the key file beside
    the database (`kiosk.keyfile`); else a new random key, made once and kept there. Never
    in the database: the database travels, and this key mints invitations.

    Kiosks cloned from this one need the key file too (or the variable). When a key was
    made for this database and the file is missing, this refuses rather than make another,
    which would turn away every invitation already sent.
    """
    env = keyfile.get(None, SECRET_NAME)
    if env:
        return env
    if config.secret:
        return config.secret
    path = keyfile.database_file(db)
    if path is None:
        raise keyfile.KeyFileError(
            f"an in-memory database has no key file: set {keyfile.env_name(SECRET_NAME)}"
        )
    stored = keyfile.get(path, SECRET_NAME)
    if stored:
        return stored
    legacy = get_meta(db, SECRET_META_KEY)  # an older kiosk's, not migrated yet
    if legacy:
        keyfile.put(path, SECRET_NAME, legacy)
        db.execute("DELETE FROM meta WHERE key = ?", [SECRET_META_KEY])
        return legacy
    if made := get_meta(db, MADE_META_KEY):  # the key file's name where it was made
        raise keyfile.KeyFileError(
            f"the invitation key of {path} is missing: copy {made} from the kiosk this"
            f" database came from to {keyfile.key_file(path)}, or set"
            f" {keyfile.env_name(SECRET_NAME)}"
        )
    secret = secrets.token_urlsafe(32)
    keyfile.put(path, SECRET_NAME, secret)
    with transaction(db):
        db.execute(
            "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)",
            [MADE_META_KEY, str(keyfile.key_file(path).name)],
        )
    return secret
