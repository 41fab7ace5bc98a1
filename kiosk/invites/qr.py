"""QR codes as data, PNG and terminal text, and the salesperson's contact card (vCard).

`qrcode` computes the module matrix; everything drawn from it here goes through
`qr_matrix`, so a PNG in an email, a printed badge and the QR on the visitor card are the
same code. Error correction is level M (15 %): enough for a crumpled print-out or a
scratched phone screen, while keeping the code coarse enough to scan at a distance.
"""

from __future__ import annotations

import functools
import os
from typing import IO

import qrcode
import qrcode.constants
from PIL import Image

from kiosk.models import Salesperson
from kiosk.text import family_and_given

QUIET_ZONE = 4  # modules of light margin the QR specification asks for

_ECC = {
    "L": qrcode.constants.ERROR_CORRECT_L,
    "M": qrcode.constants.ERROR_CORRECT_M,
    "Q": qrcode.constants.ERROR_CORRECT_Q,
    "H": qrcode.constants.ERROR_CORRECT_H,
}


def qr_matrix(data: str, *, ecc: str = "M") -> list[list[bool]]:
    """The QR's modules, True for dark, without any quiet zone (callers add their own).

    Text is encoded as UTF-8, which phones and zxing read for Chinese names.
    """
    return [list(row) for row in _matrix(data, ecc)]


@functools.lru_cache(maxsize=256)
def _matrix(data: str, ecc: str) -> tuple[tuple[bool, ...], ...]:
    # Cached because choosing the best mask costs ~20 ms in pure Python, and the visitor
    # card shows the same few salespeople's vCards over and over.
    code = qrcode.QRCode(border=0, error_correction=_ECC[ecc])
    code.add_data(data)
    code.make(fit=True)
    return tuple(tuple(bool(cell) for cell in row) for row in code.get_matrix())


def qr_image(data: str, *, scale: int = 8, border: int = QUIET_ZONE, ecc: str = "M") -> Image.Image:
    """A black-on-white 1-bit image, `scale` pixels per module, `border` modules of margin."""
    if scale < 1 or border < 0:
        raise ValueError("scale must be at least 1 and border at least 0")
    matrix = qr_matrix(data, ecc=ecc)
    size = len(matrix) + 2 * border
    small = Image.new("1", (size, size), 1)
    pixels = small.load()
    assert pixels is not None
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                pixels[x + border, y + border] = 0
    return small.resize((size * scale, size * scale), Image.Resampling.NEAREST)


def qr_png(
    data: str,
    dest: str | os.PathLike[str] | IO[bytes],
    *,
    scale: int = 8,
    border: int = QUIET_ZONE,
    ecc: str = "M",
) -> tuple[int, int]:
    """Write the QR as a PNG to a path or binary file object; returns its pixel size."""
    image = qr_image(data, scale=scale, border=border, ecc=ecc)
    image.save(dest, format="PNG", optimize=True)
    return image.size


# Each character shows two module rows: (top is light, bottom is light) → glyph.
_HALF_BLOCKS = {
    (True, True): "█",
    (True, False): "▀",
    (False, True): "▄",
    (False, False): " ",
}


def qr_text(data: str, *, border: int = QUIET_ZONE, ecc: str = "M") -> str:
    """The QR as lines of half-block characters: one character is one module wide, two high.

    The glyphs draw the *light* modules, so the code scans when the text is shown in a
    light colour on a dark background (white on black): the usual terminal, and what the
    caller should set explicitly (the CLI and the TUI do), because a QR printed the other
    way round — light modules on dark — is refused by many phone cameras.
    """
    matrix = qr_matrix(data, ecc=ecc)
    size = len(matrix) + 2 * border

    def light(x: int, y: int) -> bool:
        mx, my = x - border, y - border
        if 0 <= mx < len(matrix) and 0 <= my < len(matrix):
            return not matrix[my][mx]
        return True  # quiet zone, and the missing half row below an odd-sized code

    lines = []
    for y in range(0, size, 2):
        lines.append("".join(_HALF_BLOCKS[light(x, y), light(x, y + 1)] for x in range(size)))
    return "\n".join(lines)


def vcard_escape(value: str) -> str:
    """vCard 3.0 text escaping (RFC 2426 §4): backslash, comma, semicolon and newlines."""
    value = value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return "\\n".join(value.replace("\r\n", "\n").replace("\r", "\n").split("\n"))


def _fold(line: str, limit: int = 75) -> list[str]:
    """Fold a content line at `limit` octets (continuations start with one space),
    never inside a UTF-8 sequence."""
    out: list[str] = []
    current, size = "", 0
    for ch in line:
        width = len(ch.encode("utf-8"))
        room = limit if not out else limit - 1  # continuation lines spend one octet on the space
        if size + width > room:
            out.append(current)
            current, size = "", 0
        current += ch
        size += width
    out.append(current)
    return [out[0], *(" " + part for part in out[1:])]


def split_name(name: str) -> tuple[str, str]:
    """(family, given) for vCard's N field (`kiosk.text.family_and_given`). FN keeps the name
    as written, and phones display FN, so a wrong guess here only affects sorting."""
    return family_and_given(name)


def vcard_for(salesperson: Salesperson, company_name: str = "") -> str:
    """A vCard 3.0 of a salesperson, for a QR a visitor scans to save the contact.

    Lines end in CRLF and are folded at 75 octets as RFC 2426 requires; empty fields are
    left out rather than written blank, so a phone does not save an empty number.
    """
    family, given = split_name(salesperson.name)
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        f"N:{vcard_escape(family)};{vcard_escape(given)};;;",
        f"FN:{vcard_escape(' '.join(salesperson.name.split()))}",
    ]
    if company_name.strip():
        lines.append(f"ORG:{vcard_escape(company_name.strip())}")
    if salesperson.title.strip():
        lines.append(f"TITLE:{vcard_escape(salesperson.title.strip())}")
    if salesperson.phone.strip():
        lines.append(f"TEL;TYPE=WORK,VOICE:{vcard_escape(salesperson.phone.strip())}")
    if salesperson.email.strip():
        lines.append(f"EMAIL;TYPE=INTERNET,WORK:{vcard_escape(salesperson.email.strip())}")
    lines.append("END:VCARD")
    folded = [part for line in lines for part in _fold(line)]
    return "\r\n".join(folded) + "\r\n"
