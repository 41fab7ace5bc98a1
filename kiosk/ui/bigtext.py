"""Large letters for the name reception calls out, drawn with half-block characters.

A terminal cannot change its font size, but two pixel rows fit in one character cell
(▀ ▄ █), so a 5×5 pixel alphabet gives letters three rows tall and readable from a
metre or two away. Only Latin capitals, digits and a few signs have glyphs; accents are
dropped for the big line (the exact spelling is printed right under it).

Chinese, Japanese and Korean have too many characters for a hand-made alphabet: `render_cjk`
draws them with the CJK font the project ships for badges (`kiosk.invites.fonts`, the
`noto-cjk-sans-otc` package), rasterised by Pillow at 12–16 pixels — six to eight rows, one
column per pixel — which still reads from across an aisle. A name in another script
(Arabic, Cyrillic…), a terminal too narrow even for 12 pixels, or a machine without a CJK
font gets None, and the widget shows the text in bold instead.

No Textual: tested on strings.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kiosk.invites.fonts import BadgeFont

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


def render_wrapped(text: str, max_width: int) -> list[str] | None:
    """`text` big on one line, else on two (split between words, the widest line as narrow
    as possible, a blank row between), else None. For a prompt, where every word matters:
    'LISTO PARA ESCANEAR' on 80 columns is LISTO PARA / ESCANEAR, not LISTO."""
    one = render(text, max_width)
    if one is not None:
        return one
    words = text.split()
    best: tuple[int, list[str]] | None = None
    for cut in range(1, len(words)):
        top = render(" ".join(words[:cut]), max_width)
        bottom = render(" ".join(words[cut:]), max_width)
        if top is not None and bottom is not None:
            widest = max(len(line) for line in top + bottom)
            if best is None or widest < best[0]:
                best = (widest, [*_centred(top, widest), "", *_centred(bottom, widest)])
    return best[1] if best is not None else None


def _centred(lines: list[str], width: int) -> list[str]:
    pad = " " * ((width - max(len(line) for line in lines)) // 2)
    return [pad + line if line else line for line in lines]


CJK_SIZES = (16, 14, 12)  # pixel sizes tried, largest first; below 12 a character is a blur


def render_fitting(
    name: str, max_width: int, cjk_sizes: tuple[int, ...] = CJK_SIZES
) -> list[str] | None:
    """The name big if it fits; else without a bracketed nickname ('Liang Wei (David)' →
    'Liang Wei'); else its first word. Latin letters first ('Kenji Watanabe (渡辺 健二)' is
    KENJI WATANABE, three rows); a CJK name in the font, at the largest of `cjk_sizes` that
    fits. None when no version can be drawn big."""
    plain = re.sub(r"\s*\([^)]*\)", "", name).strip()
    candidates = [
        c for c in dict.fromkeys((name, plain, plain.split()[0] if plain.split() else "")) if c
    ]
    for candidate in candidates:
        lines = render(candidate, max_width)
        if lines is not None:
            return lines
    for candidate in candidates:
        for size in cjk_sizes:
            lines = render_cjk(candidate, size, max_width)
            if lines is not None:
                return lines
    return None


# ---------------------------------------------------------------------- CJK, from a font
# CJK ideographs and radicals, Hangul, compatibility ideographs, full-width forms. Compared
# by code point: as a regex character class these ranges cost ~4.5 ms to compile at every
# start, before the first frame.
_HAN_RANGES = ((0x2E80, 0x9FFF), (0xAC00, 0xD7AF), (0xF900, 0xFAFF), (0xFF00, 0xFFEF))


def _han(ch: str) -> bool:
    code = ord(ch)
    return any(low <= code <= high for low, high in _HAN_RANGES)


_CJK_GAP = 1  # pixels between two CJK characters: at 12 px their strokes would touch


def cjk_drawable(text: str) -> bool:
    """True for a CJK text the font can draw: CJK characters, with at most ASCII beside them
    (a Cyrillic or Arabic name is not in the font's repertoire we rely on)."""
    text = " ".join(text.split())
    return any(map(_han, text)) and all(_han(ch) or " " <= ch <= "~" for ch in text)


@functools.cache
def _font_file() -> BadgeFont | None:
    """The CJK font (a file and its index in the collection), or None: searched once per
    process."""
    # measured start-up cost: kiosk.invites.fonts (~18 ms), first needed here
    from kiosk.invites.fonts import find_badge_font

    font = find_badge_font()
    return font if font.covers_cjk and font.path else None


def cjk_font_found() -> bool:
    return _font_file() is not None


def prepare_cjk() -> bool:
    """Search the CJK font, load it at every size a name is tried at, and draw one character
    with it (Pillow's drawing modules load then): for the warm-up, so the first CJK name on
    a card does not pay for it — ~6 ms more than the next name's drawing, inside that scan
    (one of the slowest scans at a million contacts, 2026-12-04). False: no CJK font."""
    if not cjk_font_found():
        return False
    for size in CJK_SIZES:
        _raster("日", size)
    return True


def render_cjk(text: str, size: int = 16, max_width: int | None = None) -> list[str] | None:
    """Half-block rows of `text` drawn in the CJK font at `size` pixels (one column and half
    a row per pixel), or None: not a CJK text, no CJK font, or wider than `max_width`."""
    text = " ".join(text.split())
    if not cjk_drawable(text):
        return None
    lines = _raster(text, size)
    if lines is None or (max_width is not None and max(map(len, lines)) > max_width):
        return None
    return list(lines)


@functools.lru_cache(maxsize=256)
def _raster(text: str, size: int) -> tuple[str, ...] | None:
    found = _font_file()
    if found is None:
        return None
    # measured start-up cost: PIL.Image, PIL.ImageDraw (~29 ms), first needed here
    from PIL import Image, ImageDraw

    font: Any = found.at(size)
    # one character at a time, with a pixel between CJK characters
    xs, x = [], 0
    for i, ch in enumerate(text):
        xs.append(x)
        x += round(font.getlength(ch))
        if i + 1 < len(text) and _han(ch) and _han(text[i + 1]):
            x += _CJK_GAP
    _left, top, _right, bottom = font.getbbox(text)
    height = bottom - top + (bottom - top) % 2  # whole text rows: two pixels each
    image = Image.new("L", (max(x, 1), height), 0)
    draw = ImageDraw.Draw(image)
    for ch, left in zip(text, xs, strict=True):
        draw.text((left, -top), ch, font=font, fill=255)
    pixels = image.load()
    assert pixels is not None

    def on(col: int, y: int) -> bool:
        return int(pixels[col, y]) >= 128  # type: ignore[arg-type]

    rows = ["".join(_HALF[on(c, y), on(c, y + 1)] for c in range(x)) for y in range(0, height, 2)]
    rows = [r.rstrip() for r in rows]
    while rows and not rows[-1]:
        rows.pop()
    while rows and not rows[0]:
        rows.pop(0)
    return tuple(rows) or None  # None: the font has none of these characters
