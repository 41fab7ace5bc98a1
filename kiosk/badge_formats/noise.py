"""Strip what the scanner adds around a payload before any format is recognised.

A USB scanner in keyboard mode reports more than the code's content: an AIM symbology
identifier (']Q1' for QR), ECI escapes ('\\000026' = "UTF-8 follows"), a BOM, stray control
characters and the Enter/Tab it was told to press. Some also hand UTF-8 bytes to the host one
byte per character, which turns 'José' into 'JosÃ©'. Each step here undoes one of those and
says so in a warning when it changed meaning-bearing text.
"""

from __future__ import annotations

import re

_AIM_RE = re.compile(r"^(?:\][A-Za-z][0-9][ \r\n\x0b\x0c\u00a0\u3000]*)+")
# A backslash and six digits, unless that backslash is itself escaped ('\\' is a literal one).
_ECI_RE = re.compile(r"(?<!\\)((?:\\\\)*)\\[0-9]{6}")
# Zero-width marks, and the bidi embeddings, overrides and isolates (U+202A–U+202E,
# U+2066–U+2069): a badge holding one could show its text reversed on the card.
_INVISIBLE = dict.fromkeys(
    map(ord, "\ufeff\u200b\u2060\ufffe\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
)
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_HIGH_LATIN1_RE = re.compile("[\x80-\xff]")


def clean_payload(payload: str) -> tuple[str, list[str]]:
    """Return the payload with scanner noise removed, and warnings for repairs of content."""
    warnings: list[str] = []
    text = payload.translate(_INVISIBLE)
    text, repaired = _repair_mojibake(text)
    if repaired:
        warnings.append("text was UTF-8 read as Latin-1 by the scanner; repaired")
    text = _AIM_RE.sub("", _lstrip(text), count=1)
    if "\\" in text:
        text = _ECI_RE.sub(r"\1", text)
    text = _CONTROL_RE.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _lstrip(text).rstrip(), warnings


def _lstrip(text: str) -> str:
    """Leading blanks are noise, but a leading tab is an empty first field of a tab layout."""
    return text.lstrip(" \r\n\x0b\x0c\u00a0\u3000")


def _repair_mojibake(text: str) -> tuple[str, bool]:
    """Undo UTF-8 bytes decoded as cp1252/Latin-1 ('JosÃ©' → 'José').

    Only when every non-ASCII character maps back to a byte and those bytes are valid UTF-8:
    genuine Latin-1 text ('Müller') is not valid UTF-8 once encoded, so it is left alone.
    """
    if text.isascii() or not _HIGH_LATIN1_RE.search(text):
        return text, False
    for codec in ("cp1252", "latin-1"):
        try:
            fixed = text.encode(codec).decode("utf-8")
        except UnicodeError:
            continue
        return fixed, fixed != text
    return text, False
