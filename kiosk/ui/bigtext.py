"""Large letters for the name reception calls out, drawn with half-block characters.

A terminal cannot change its font size, but two pixel rows fit in one character cell
(▀ ▄ █), so a 5×5 pixel alphabet gives letters three rows tall and readable from a
metre or two away. Only Latin capitals, digits and a few signs have glyphs; accents are
dropped for the big line (the exact spelling is printed right under it), and a name with
any other script (Chinese, Japanese, Arabic…) is not drawn big at all — `render` returns
None and the card shows the name in bold instead.

Pure Python, no Textual: tested on strings.
"""

from __future__ import annotations

import re
import unicodedata

# Each glyph: 5 rows of 5 pixels ('#' = on). Designed for this kiosk.
_GLYPHS: dict[str, tuple[str, ...]] = {
    "A": (" ### ", "#   #", "#####", "#   #", "#   #"),
    "B": ("#### ", "#   #", "#### ", "#   #", "#### "),
    "C": (" ####", "#    ", "#    ", "#    ", " ####"),
    "D": ("#### ", "#   #", "#   #", "#   #", "#### "),
    "E": ("#####", "#    ", "#### ", "#    ", "#####"),
    "F": ("#####", "#    ", "#### ", "#    ", "#    "),
    "G": (" ####", "#    ", "#  ##", "#   #", " ####"),
    "H": ("#   #", "#   #", "#####", "#   #", "#   #"),
    "I": ("#####", "  #  ", "  #  ", "  #  ", "#####"),
    "J": ("  ###", "    #", "    #", "#   #", " ### "),
    "K": ("#   #", "#  # ", "###  ", "#  # ", "#   #"),
    "L": ("#    ", "#    ", "#    ", "#    ", "#####"),
    "M": ("#   #", "## ##", "# # #", "#   #", "#   #"),
    "N": ("#   #", "##  #", "# # #", "#  ##", "#   #"),
    "O": (" ### ", "#   #", "#   #", "#   #", " ### "),
    "P": ("#### ", "#   #", "#### ", "#    ", "#    "),
    "Q": (" ### ", "#   #", "# # #", "#  # ", " ## #"),
    "R": ("#### ", "#   #", "#### ", "#  # ", "#   #"),
    "S": (" ####", "#    ", " ### ", "    #", "#### "),
    "T": ("#####", "  #  ", "  #  ", "  #  ", "  #  "),
    "U": ("#   #", "#   #", "#   #", "#   #", " ### "),
    "V": ("#   #", "#   #", "#   #", " # # ", "  #  "),
    "W": ("#   #", "#   #", "# # #", "## ##", "#   #"),
    "X": ("#   #", " # # ", "  #  ", " # # ", "#   #"),
    "Y": ("#   #", " # # ", "  #  ", "  #  ", "  #  "),
    "Z": ("#####", "   # ", "  #  ", " #   ", "#####"),
    "0": (" ### ", "#  ##", "# # #", "##  #", " ### "),
    "1": ("  #  ", " ##  ", "  #  ", "  #  ", " ### "),
    "2": (" ### ", "#   #", "  ## ", " #   ", "#####"),
    "3": ("#### ", "    #", " ### ", "    #", "#### "),
    "4": ("#   #", "#   #", "#####", "    #", "    #"),
    "5": ("#####", "#    ", "#### ", "    #", "#### "),
    "6": (" ### ", "#    ", "#### ", "#   #", " ### "),
    "7": ("#####", "    #", "   # ", "  #  ", "  #  "),
    "8": (" ### ", "#   #", " ### ", "#   #", " ### "),
    "9": (" ### ", "#   #", " ####", "    #", " ### "),
    "-": ("     ", "     ", " ### ", "     ", "     "),
    ".": ("     ", "     ", "     ", "     ", "  #  "),
    "'": ("  #  ", "  #  ", "     ", "     ", "     "),
    "&": (" ##  ", "#  # ", " ## #", "#  # ", " ## #"),
    "(": ("  #  ", " #   ", " #   ", " #   ", "  #  "),
    ")": ("  #  ", "   # ", "   # ", "   # ", "  #  "),
    ",": ("     ", "     ", "     ", "  #  ", " #   "),
    "/": ("    #", "   # ", "  #  ", " #   ", "#    "),
}
_SPECIAL = {"ß": "SS", "Æ": "AE", "Œ": "OE", "Ø": "O", "Ð": "D", "Þ": "TH", "Ł": "L", "İ": "I"}
_SPACE_WIDTH = 3
_HALF = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}

HEIGHT = 3  # text rows of one big line


def _plain(text: str) -> str | None:
    """Upper-case A–Z/0–9 version of `text`, or None when a character has no glyph."""
    out = []
    for ch in " ".join(text.split()).upper():
        ch = _SPECIAL.get(ch, ch)
        if len(ch) > 1:
            out.append(ch)
            continue
        if ch == " " or ch in _GLYPHS:
            out.append(ch)
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        if base and all(c in _GLYPHS for c in base):
            out.append(base)
        else:
            return None
    return "".join(out)


def exact(text: str) -> bool:
    """True when the big letters spell `text` exactly (no accent dropped, nothing shortened)."""
    return _plain(text) == " ".join(text.split()).upper()


def width(text: str) -> int | None:
    """Columns `render(text)` needs, or None when it cannot be drawn big."""
    plain = _plain(text)
    if not plain:
        return None
    return sum(_SPACE_WIDTH if ch == " " else 6 for ch in plain) - 1


def render(text: str, max_width: int | None = None) -> list[str] | None:
    """Three lines of half-block art spelling `text`, or None (no glyphs, or wider than allowed)."""
    plain = _plain(text)
    if not plain:
        return None
    need = width(text) or 0
    if max_width is not None and need > max_width:
        return None
    pixel_rows = ["" for _ in range(5)]
    for i, ch in enumerate(plain):
        glyph = ("   ",) * 5 if ch == " " else _GLYPHS[ch]
        gap = "" if i == len(plain) - 1 or ch == " " else " "
        for r in range(5):
            pixel_rows[r] += glyph[r] + gap
    pixel_rows.append(" " * len(pixel_rows[0]))
    lines = []
    for top, bottom in zip(pixel_rows[0::2], pixel_rows[1::2], strict=True):
        lines.append("".join(_HALF[a == "#", b == "#"] for a, b in zip(top, bottom, strict=True)))
    return [line.rstrip() for line in lines]


def render_fitting(name: str, max_width: int) -> list[str] | None:
    """The name big if it fits; else without a bracketed nickname ('Liang Wei (David)' →
    'Liang Wei'); else its first word. None when no version can be drawn big."""
    plain = re.sub(r"\s*\([^)]*\)", "", name).strip()
    for candidate in dict.fromkeys((name, plain, plain.split()[0] if plain.split() else "")):
        if candidate:
            lines = render(candidate, max_width)
            if lines is not None:
                return lines
    return None
