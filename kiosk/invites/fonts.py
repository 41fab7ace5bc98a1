"""Finding a font that can print Chinese (and Japanese and Korean) names on a badge.

Pillow draws only the glyphs its font has; with a Latin-only font '王小明' prints as three
empty boxes. The kiosk depends on `noto-cjk-sans-otc`, a PyPI package that ships Google's
Noto Sans CJK (SIL Open Font License), so a fresh install prints CJK names. When that
package is missing the search goes on, in this order:

1. the font named by ``KIOSK_BADGE_FONT`` (``path`` or ``path#index`` for a collection);
2. the `noto-cjk-sans-otc` package (Simplified Chinese face of the collection);
3. a font fontconfig says covers Chinese (``fc-list :lang=zh``);
4. well-known CJK font files on Linux, macOS and Windows;
5. DejaVu Sans (Latin, Greek, Cyrillic — no CJK), with a warning;
6. Pillow's built-in font, with a warning.

Nothing here raises: a badge with boxes for some letters is better than no badge.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from PIL import ImageFont

try:
    import noto_cjk_sans_otc  # optional: a machine may lack the font package
except ImportError:
    noto_cjk_sans_otc = None

ENV_VAR = "KIOSK_BADGE_FONT"
NOTO_SC_INDEX = 2  # NotoSansCJK-Regular.ttc: 0 JP, 1 KR, 2 SC, 3 TC, 4 HK

_KNOWN_CJK = (
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", NOTO_SC_INDEX),
    ("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc", NOTO_SC_INDEX),
    ("/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc", NOTO_SC_INDEX),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", 0),
    ("/System/Library/Fonts/PingFang.ttc", 0),
    ("/System/Library/Fonts/STHeiti Medium.ttc", 0),
    ("/Library/Fonts/Arial Unicode.ttf", 0),
    ("C:/Windows/Fonts/msyh.ttc", 0),
    ("C:/Windows/Fonts/simhei.ttf", 0),
)
_LATIN = ("DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
# fontconfig families preferred for a badge, best first; anything else covering zh comes after.
_PREFERRED = ("noto sans cjk sc", "noto sans sc", "source han sans", "wenquanyi micro hei", "droid")


@dataclass(frozen=True)
class BadgeFont:
    """A font file to draw badges with. `path` None means Pillow's built-in font."""

    path: str | None
    index: int = 0
    covers_cjk: bool = False
    source: str = ""

    def at(self, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
        """This font at `size` pixels; Pillow's built-in font if the file cannot be read."""
        return _load(self.path, self.index, size)


@functools.lru_cache(maxsize=64)
def _load(path: str | None, index: int, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    # Cached: a CJK collection is ~20 MB, and fitting one line of text tries several sizes.
    if path:
        try:
            return ImageFont.truetype(path, size, index=index)
        except OSError:
            pass
    try:
        return ImageFont.load_default(size)
    except (OSError, TypeError, ImportError):  # Pillow without FreeType: fixed small font
        return ImageFont.load_default()


def _usable(path: str, index: int) -> bool:
    try:
        ImageFont.truetype(path, 12, index=index)
    except (OSError, ValueError):
        return False
    return True


def _from_env() -> BadgeFont | None:
    value = os.environ.get(ENV_VAR, "").strip()
    if not value:
        return None
    path, _, index = value.partition("#")
    idx = int(index) if index.isdigit() else 0
    if _usable(path, idx):
        return BadgeFont(path, idx, covers_cjk=True, source=f"{ENV_VAR}={value}")
    return None


def _from_package() -> BadgeFont | None:
    if noto_cjk_sans_otc is None:
        return None
    path = str(noto_cjk_sans_otc.FONT_PATH)
    if _usable(path, NOTO_SC_INDEX):
        return BadgeFont(path, NOTO_SC_INDEX, covers_cjk=True, source="noto-cjk-sans-otc package")
    return None


def _from_fontconfig() -> BadgeFont | None:
    fc_list = shutil.which("fc-list")
    if not fc_list:
        return None
    try:
        out = subprocess.run(
            [fc_list, "--format", "%{file}\t%{index}\t%{family}\n", ":lang=zh"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    found = []
    for line in out.splitlines():
        parts = line.split("\t")
        if len(parts) != 3:
            continue
        path, index, family = parts[0], parts[1], parts[2].lower()
        if "mono" in family:
            continue
        rank = next((i for i, name in enumerate(_PREFERRED) if name in family), len(_PREFERRED))
        found.append((rank, path, int(index) if index.isdigit() else 0))
    for _rank, path, idx in sorted(found):
        if _usable(path, idx):
            return BadgeFont(path, idx, covers_cjk=True, source=f"fontconfig: {path}")
    return None


def _from_known_paths() -> BadgeFont | None:
    for path, idx in _KNOWN_CJK:
        if Path(path).is_file() and _usable(path, idx):
            return BadgeFont(path, idx, covers_cjk=True, source=path)
    return None


def _latin() -> BadgeFont | None:
    for path in _LATIN:
        if _usable(path, 0):
            return BadgeFont(path, 0, covers_cjk=False, source=path)
    return None


@functools.cache
def find_badge_font() -> BadgeFont:
    """The best font this machine has for badges (searched once per process)."""
    for finder in (_from_env, _from_package, _from_fontconfig, _from_known_paths, _latin):
        try:
            font = finder()
        except Exception:  # a broken font install must not stop badge printing
            font = None
        if font is not None:
            return font
    return BadgeFont(None, source="Pillow built-in font")


def has_cjk(text: str) -> bool:
    """Whether `text` has characters only a CJK font draws (Han, kana, Hangul, fullwidth)."""
    return any(
        "\u2e80" <= ch <= "\u9fff"
        or "\uac00" <= ch <= "\ud7af"
        or "\uf900" <= ch <= "\ufaff"
        or "\uff00" <= ch <= "\uffef"
        for ch in text
    )


def font_warnings(font: BadgeFont, texts: list[str]) -> list[str]:
    """What a person should know about printing these texts in this font."""
    if font.covers_cjk or not any(has_cjk(t) for t in texts):
        return []
    return [
        f"no font with Chinese characters found (using {font.source}); CJK names will print"
        f" as boxes. Install the 'noto-cjk-sans-otc' package or set {ENV_VAR}=/path/to/font"
    ]
