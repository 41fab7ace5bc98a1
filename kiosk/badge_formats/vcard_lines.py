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


def first_card(
    text: str, names: frozenset[str] | None = None, per_name: int = 0
) -> tuple[list[Prop], int]:
    """The properties of the first card in `text`, and how many cards follow it.

    Nested cards (vCard 2.1 AGENT) are skipped by depth; a card with no END runs to the end.
    With `names`, only those properties are parsed; with `per_name`, at most that many of each
    (a card padded with thousands of EMAIL lines costs no more than a real one). Only the
    first `MAX_LINES` logical lines are read: a real card has a few dozen.
    """
    props: list[Prop] = []
    seen: dict[str, int] = {}
    depth = 0
    lines = unfold(text)
    for index, line in enumerate(lines):
        if index >= MAX_LINES:
            return props, 0
        key, colon, rest = line.partition(":")
        key = key.strip().upper()
        if key in ("BEGIN", "END") and colon and rest.strip().upper() == "VCARD":
            if key == "BEGIN":
                depth += 1
            else:
                depth = max(depth - 1, 0)
                if depth == 0:  # the first card ends here
                    return props, _cards_in(lines, index + 1)
            continue
        if depth != 1:
            continue
        if names is not None or per_name:
            name = key.split(";", 1)[0].strip().rsplit(".", 1)[-1]
            if names is not None and name not in names:
                continue
            if per_name:
                if seen.get(name, 0) >= per_name:
                    continue
                seen[name] = seen.get(name, 0) + 1
        prop = parse_line(line)
        if prop is not None:
            props.append(prop)
    return props, 0


MAX_LINES = 512
_CARD_EDGE_RE = re.compile(r"^[^\S\n]*(BEGIN|END)[^\S\n]*:[^\S\n]*VCARD[^\S\n]*$", re.I | re.M)


def _cards_in(lines: list[str], start: int) -> int:
    """How many cards (BEGIN:VCARD at depth 0) the lines from `start` on hold."""
    rest = "\n".join(lines[start:])
    if "VCARD" not in rest.upper():
        return 0
    cards = depth = 0
    for m in _CARD_EDGE_RE.finditer(rest):
        if m.group(1).upper() == "BEGIN":
            cards += depth == 0
            depth += 1
        else:
            depth = max(depth - 1, 0)
    return cards


def unfold(text: str) -> list[str]:
    """The logical lines of `text`: folded lines (leading space/tab) and QUOTED-PRINTABLE soft
    breaks ('=' at the end) joined, blank lines left out."""
    return [line for line in _unfolded(text).split("\n") if line.strip()]


def _unfolded(text: str) -> str:
    """`text` with folded lines and QUOTED-PRINTABLE soft breaks joined (blank lines may stay).

    Pieces of a logical line are collected in a list and joined once, so a card folded into
    thousands of one-character lines costs linear time, not quadratic.
    """
    if "\n " not in text and "\n\t" not in text and _QP_MARK_RE.search(text) is None:
        return _rejoin_split_bytes(text)  # nothing to join
    lines = []
    line = _Line()
    for raw in text.split("\n"):
        if line.pieces and line.qp and line.pieces[-1].endswith("="):
            line.pieces[-1] = line.pieces[-1][:-1]
            if not line.pieces[-1]:
                line.pieces.pop()
            line.add(raw)
        elif line.pieces and raw[:1] in (" ", "\t"):
            line.add(raw[1:])
        elif raw.strip():
            if line.pieces:
                lines.append("".join(line.pieces))
            line = _Line()
            line.add(raw)
    if line.pieces:
        lines.append("".join(line.pieces))
    return _rejoin_split_bytes("\n".join(lines))


_QP_MARK_RE = re.compile("QUOTED-PRINTABLE", re.I)


class _Line:
    """A logical line being unfolded, and whether its head (the text before the first ':')
    says QUOTED-PRINTABLE; the head may itself be folded, so it is tracked piece by piece."""

    _MARK = "QUOTED-PRINTABLE"

    def __init__(self) -> None:
        self.pieces: list[str] = []
        self.qp = False
        self._head_done = False
        self._tail = ""  # the last characters of the head so far, for a mark cut by a fold

    def add(self, piece: str) -> None:
        """Append a piece; empty ones are left out, so the last piece is where the line ends."""
        if not piece:
            return
        self.pieces.append(piece)
        if self._head_done:
            return
        colon = piece.find(":")
        head = piece if colon < 0 else piece[:colon]
        window = (self._tail + head).upper()
        self.qp = self.qp or self._MARK in window
        self._tail = window[-(len(self._MARK) - 1) :]
        self._head_done = colon >= 0


_ESCAPED_BYTE_RE = re.compile("[\udc80-\udcff]")


def _rejoin_split_bytes(line: str) -> str:
    """Re-decode a line that was read with errors='surrogateescape'.

    Some exporters fold at a byte count, cutting UTF-8 sequences in two; such a file only
    decodes with surrogate escapes, and only once the halves are joined by unfolding can the
    bytes be decoded properly.
    """
    if not _ESCAPED_BYTE_RE.search(line):
        return line
    return line.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


_HEAD_RE = re.compile(r'(?:[^":]|"[^"]*(?:"|$))*:')
_MAX_PARAMS = 32  # real properties carry a handful; a head of thousands of ';' is noise


def parse_line(line: str) -> Prop | None:
    """Split 'group.NAME;P=V;BARE:value' at the first colon outside double quotes."""
    colon = line.find(":")
    if colon > 0 and '"' in line[:colon]:
        m = _HEAD_RE.match(line)
        colon = m.end() - 1 if m else -1
    if colon <= 0:
        return None
    head, value = line[:colon], line[colon + 1 :]
    parts = split_unescaped(head, ";", quotes=True)
    name = parts[0].strip().rsplit(".", 1)[-1].upper()
    params: dict[str, tuple[str, ...]] = {}
    for part in parts[1 : _MAX_PARAMS + 1]:
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


def split_unescaped(text: str, sep: str, *, quotes: bool = False, maxsplit: int = -1) -> list[str]:
    """Split on `sep` where it is not backslash-escaped (nor, optionally, inside quotes).

    Escapes are kept (`unescape` undoes them later). Escaped backslashes, separators and
    quotes are swapped for placeholder characters, the text is split with `str.split`, and the
    placeholders are swapped back, so thousands of separators or backslashes stay cheap.
    """
    if "\\" not in text and not (quotes and '"' in text):
        return text.split(sep, maxsplit)
    bs, esc_sep, esc_quote, quoted_sep = _placeholders(text)
    work = text.replace("\\\\", bs).replace("\\" + sep, esc_sep)
    if quotes and '"' in work:
        segments = work.replace('\\"', esc_quote).split('"')
        segments[1::2] = [seg.replace(sep, quoted_sep) for seg in segments[1::2]]
        work = '"'.join(segments)
    table = {ord(bs): "\\\\", ord(esc_sep): "\\" + sep, ord(esc_quote): '\\"', ord(quoted_sep): sep}
    return [part.translate(table) for part in work.split(sep, maxsplit)]


def _placeholders(text: str) -> tuple[str, str, str, str]:
    """Four private-use characters that do not occur in `text`."""
    free = [ch for ch in map(chr, range(0xE000, 0xE000 + 64)) if ch not in text]
    if len(free) < 4:  # 60+ distinct private-use characters: look further
        free += [ch for ch in map(chr, range(0xF0000, 0xF0000 + 256)) if ch not in text]
    return free[0], free[1], free[2], free[3]


def unescape(text: str) -> str:
    r"""Undo text escapes: '\n' and '\N' are line breaks, '\x' is 'x' ('\,' '\;' '\:' '\\').

    Escapes pair left to right, so the text is split on escaped backslashes first; inside each
    piece every backslash escapes the character after it (one at the very end stays).
    """
    if "\\" not in text:
        return text
    return "\\".join(_unescape_piece(piece) for piece in text.split("\\\\"))


def _unescape_piece(piece: str) -> str:
    if "\\" not in piece:
        return piece
    tail = ""
    if piece.endswith("\\"):
        piece, tail = piece[:-1], "\\"
    return piece.replace("\\n", "\n").replace("\\N", "\n").replace("\\", "") + tail


def text_parts(prop: Prop, *, structured: bool, max_parts: int = 0) -> list[str]:
    """The property's value as text: decoded (QP/base64 + charset), split on ';', unescaped.

    QUOTED-PRINTABLE values are split before decoding, so an encoded '=3B' stays inside its
    component; base64 values must be decoded first because ';' is not visible before that.
    With `max_parts`, only that many components are returned (N has 5, ADR 7), so a value
    of thousands of ';' costs no more than a real one.
    """
    maxsplit = max_parts if max_parts > 0 else -1
    encoding = prop.encoding()
    if encoding == "B":
        decoded = decode_bytes(_b64(prop.value), prop.charset())
        raw = split_unescaped(decoded, ";", maxsplit=maxsplit) if structured else [decoded]
    else:
        raw = split_unescaped(prop.value, ";", maxsplit=maxsplit) if structured else [prop.value]
        if encoding == "QUOTED-PRINTABLE":
            raw = [qp_decode(part, prop.charset()) for part in raw]
    if max_parts > 0:
        raw = raw[:max_parts]
    return [unescape(part) for part in raw]


def text_value(prop: Prop) -> str:
    return text_parts(prop, structured=False)[0].strip()


def qp_decode(text: str, charset: str) -> str:
    """Decode '=XX' escapes to bytes, then the bytes with the declared charset; a stray '='
    (not followed by two hex digits) is dropped."""
    data = text.encode("utf-8", "surrogateescape")
    if b"=" in data:
        data = binascii.a2b_qp(_STRAY_EQUALS_RE.sub(b"", data))
    return decode_bytes(data, charset)


_STRAY_EQUALS_RE = re.compile(rb"=(?![0-9A-Fa-f]{2})")


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
