"""The content-line layer of vCard 2.1, 3.0 and 4.0: unfolding, parameters, value decoding.

Real exporters disagree with each other and with the RFCs (Outlook writes 2.1 with
QUOTED-PRINTABLE soft breaks, iPhone writes CR CR LF, Gmail escapes ':' in URLs, Android puts
bare 'PREF' and 'CELL' parameters), so everything here is lenient: a line that cannot be read
is skipped, a value that cannot be decoded comes back as best-effort text.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import re
from dataclasses import dataclass

_BARE_ENCODINGS = {"QUOTED-PRINTABLE": "QUOTED-PRINTABLE", "BASE64": "B", "B": "B", "8BIT": "8BIT"}
_HEX_RE = re.compile(r"=([0-9A-Fa-f]{2})")
# Charsets whose bytes rarely form valid UTF-8 by accident: for these the declared charset
# is trusted first; for the rest (ASCII, Latin families, none) UTF-8 is tried first, because
# exporters routinely label UTF-8 bytes as 'us-ascii' or 'ISO-8859-1'.
_LATIN_FAMILY_RE = re.compile(
    r"^(us-?ascii|ascii|iso[-_]?8859-\d+|latin-?\d|(windows|cp)-?125\d|utf-?8)$"
)


@dataclass(frozen=True)
class Prop:
    """One content line: `name` upper-cased without its group ('item1.EMAIL' → 'EMAIL')."""

    name: str
    params: dict[str, tuple[str, ...]]
    value: str

    def types(self) -> set[str]:
        return {t.casefold() for t in self.params.get("TYPE", ())}

    def is_pref(self) -> bool:
        return "pref" in self.types() or "PREF" in self.params

    def encoding(self) -> str:
        enc = self.params.get("ENCODING", ("",))[0].upper()
        return "B" if enc in ("B", "BASE64") else enc

    def charset(self) -> str:
        return self.params.get("CHARSET", ("",))[0]


def first_card(text: str) -> tuple[list[Prop], int]:
    """The properties of the first card in `text`, and how many cards follow it.

    Nested cards (vCard 2.1 AGENT) are skipped by depth; a card with no END runs to the end.
    """
    props: list[Prop] = []
    depth = 0
    done = False
    extra = 0
    for line in unfold(text):
        head = line.split(":", 1)
        key = head[0].strip().upper()
        value = head[1].strip().upper() if len(head) == 2 else ""
        if key == "BEGIN" and value == "VCARD":
            if done and depth == 0:
                extra += 1
            depth += 1
            continue
        if key == "END" and value == "VCARD":
            depth = max(depth - 1, 0)
            done = done or depth == 0
            continue
        if depth == 1 and not done:
            prop = parse_line(line)
            if prop is not None:
                props.append(prop)
    return props, extra


def unfold(text: str) -> list[str]:
    """Join folded lines (leading space/tab) and QUOTED-PRINTABLE soft breaks ('=' at the end)."""
    lines: list[str] = []
    for raw in text.split("\n"):
        if lines and _is_qp(lines[-1]) and lines[-1].endswith("="):
            lines[-1] = lines[-1][:-1] + raw
        elif lines and raw[:1] in (" ", "\t"):
            lines[-1] += raw[1:]
        elif raw.strip():
            lines.append(raw)
    return [_rejoin_split_bytes(line) for line in lines]


def _rejoin_split_bytes(line: str) -> str:
    """Re-decode a line that was read with errors='surrogateescape'.

    Some exporters fold at a byte count, cutting UTF-8 sequences in two; such a file only
    decodes with surrogate escapes, and only once the halves are joined by unfolding can the
    bytes be decoded properly.
    """
    if not any("\udc80" <= ch <= "\udcff" for ch in line):
        return line
    return line.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _is_qp(line: str) -> bool:
    return "QUOTED-PRINTABLE" in line.split(":", 1)[0].upper()


def parse_line(line: str) -> Prop | None:
    """Split 'group.NAME;P=V;BARE:value' at the first colon outside double quotes."""
    in_quotes = False
    colon = -1
    for i, ch in enumerate(line):
        if ch == '"':
            in_quotes = not in_quotes
        elif ch == ":" and not in_quotes:
            colon = i
            break
    if colon <= 0:
        return None
    head, value = line[:colon], line[colon + 1 :]
    parts = split_unescaped(head, ";", quotes=True)
    name = parts[0].strip().rsplit(".", 1)[-1].upper()
    params: dict[str, tuple[str, ...]] = {}
    for part in parts[1:]:
        key, eq, val = part.partition("=")
        key = key.strip().upper()
        if eq:
            values = tuple(v.strip() for v in val.strip().strip('"').split(",") if v.strip())
        elif key in _BARE_ENCODINGS:
            key, values = "ENCODING", (_BARE_ENCODINGS[key],)
        else:
            key, values = "TYPE", (key,)
        params[key] = params.get(key, ()) + values
    return Prop(name, params, value)


def split_unescaped(text: str, sep: str, *, quotes: bool = False) -> list[str]:
    """Split on `sep` where it is not backslash-escaped (nor, optionally, inside quotes)."""
    parts: list[str] = []
    buf: list[str] = []
    in_quotes = False
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            buf.append(text[i : i + 2])
            i += 2
            continue
        if quotes and ch == '"':
            in_quotes = not in_quotes
        if ch == sep and not in_quotes:
            parts.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
        i += 1
    parts.append("".join(buf))
    return parts


def unescape(text: str) -> str:
    r"""Undo text escapes: '\n' and '\N' are line breaks, '\x' is 'x' ('\,' '\;' '\:' '\\')."""
    if "\\" not in text:
        return text
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            out.append("\n" if nxt in "nN" else nxt)
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def text_parts(prop: Prop, *, structured: bool) -> list[str]:
    """The property's value as text: decoded (QP/base64 + charset), split on ';', unescaped.

    QUOTED-PRINTABLE values are split before decoding, so an encoded '=3B' stays inside its
    component; base64 values must be decoded first because ';' is not visible before that.
    """
    encoding = prop.encoding()
    if encoding == "B":
        decoded = decode_bytes(_b64(prop.value), prop.charset())
        raw = split_unescaped(decoded, ";") if structured else [decoded]
    else:
        raw = split_unescaped(prop.value, ";") if structured else [prop.value]
        if encoding == "QUOTED-PRINTABLE":
            raw = [qp_decode(part, prop.charset()) for part in raw]
    return [unescape(part) for part in raw]


def text_value(prop: Prop) -> str:
    return text_parts(prop, structured=False)[0].strip()


def qp_decode(text: str, charset: str) -> str:
    """Decode '=XX' escapes to bytes, then the bytes with the declared charset."""
    out = bytearray()
    pos = 0
    for m in _HEX_RE.finditer(text):
        out += text[pos : m.start()].replace("=", "").encode("utf-8")
        out.append(int(m.group(1), 16))
        pos = m.end()
    out += text[pos:].replace("=", "").encode("utf-8")
    return decode_bytes(bytes(out), charset)


def _b64(value: str) -> bytes:
    data = "".join(value.split())
    data += "=" * (-len(data) % 4)
    try:
        return base64.b64decode(data)
    except (binascii.Error, ValueError):
        try:
            return base64.urlsafe_b64decode(data)
        except (binascii.Error, ValueError):
            return b""


def decode_bytes(data: bytes, charset: str) -> str:
    """Decode with the declared charset, preferring UTF-8 when the label is unreliable."""
    declared = charset.strip().strip('"').casefold()
    try:
        known = codecs.lookup(declared).name if declared else ""
    except LookupError:
        known = ""
    order = ["utf-8", known] if not known or _LATIN_FAMILY_RE.match(declared) else [known, "utf-8"]
    for codec in order:
        if not codec:
            continue
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    return data.decode("cp1252", errors="replace")
