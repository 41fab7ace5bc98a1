"""Text folding shared by search, lookup and import, so that all three agree on equality."""

from __future__ import annotations

import re
import sys
import threading
import unicodedata
from functools import lru_cache

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
# Where the Han characters live (CJK unified ideographs, extension A, compatibility
# ideographs, extensions B–I; the compatibility supplement is gone after NFKD): only text
# with one of these is given to the converter.
_HAN_RANGES = (
    (0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00), (0x20000, 0x2A6E0),
    (0x2A700, 0x2EE60), (0x30000, 0x323B0),
)  # fmt: skip
_HAN = re.compile("[" + "".join(f"{chr(a)}-{chr(b - 1)}" for a, b in _HAN_RANGES) + "]")


def _mark_class(low: int, high: int) -> re.Pattern[str]:
    marks = [cp for cp in range(low, high) if unicodedata.combining(chr(cp))]
    ranges, start = [], marks[0]
    for prev, cp in zip(marks, [*marks[1:], -1], strict=True):
        if cp != prev + 1:
            ranges.append(f"{re.escape(chr(start))}-{re.escape(chr(prev))}")
            start = cp
    return re.compile(f"[{''.join(ranges)}]+")


@lru_cache(maxsize=1)
def _combining() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Every code point `unicodedata.combining` calls a mark, as regex classes.

    Built once per process (~0.1 s), on the first non-ASCII text. One C-level `sub` per row is
    what lets a million names be folded in seconds. The marks above U+FFFF get their own
    class: mixing them in would make the regex engine test ranges one by one for every
    character, instead of one table lookup.
    """
    return _mark_class(0, 0x10000), _mark_class(0x10000, sys.maxunicode + 1)


class _Simplified(dict[int, "int | str"]):
    """A `str.translate` table, traditional (and Hong Kong variant) Han → simplified,
    filled as characters are first met.

    The mapping is OpenCC's `hk2s` (its `t2s` plus the Hong Kong variants 衞, 敍, 粧),
    asked one character at a time, never a phrase: search needs a fold that works on
    fragments — folding '王小明' must contain the fold of '小明' — so a character cannot
    depend on its neighbours (OpenCC's phrase tables keep 乾 in 乾隆 but make it 干 alone).
    A result is converted again until it stops changing (薴 → 苧 → 苎), so folding twice
    changes nothing.

    Each distinct character costs one OpenCC call (~2 µs) the first time, a dictionary
    hit after that; characters that do not change map to themselves, so a later text is
    translated without leaving C. Loading OpenCC (~25 ms) waits for the first Han text.
    """

    def __init__(self) -> None:
        super().__init__()
        # measured start-up cost: opencc (~3 ms), first needed here
        import opencc

        self._convert = opencc.OpenCC("hk2s.json").convert
        self._lock = threading.Lock()  # one converter, shared by the UI's worker threads

    def __missing__(self, code: int) -> int | str:
        ch = out = chr(code)
        if _HAN.match(ch):
            with self._lock:
                for _ in range(4):
                    nxt = self._convert(out)
                    if len(nxt) != 1 or nxt == out:
                        break
                    out = nxt
        value: int | str = out if out != ch else code
        self[code] = value
        return value


@lru_cache(maxsize=1)
def _simplified() -> _Simplified:
    return _Simplified()


def simplified(text: str) -> str:
    """Traditional Chinese characters written in their simplified form: '東光' → '东光'.

    Character by character (see `_simplified`), so it commutes with cutting text into
    pieces. Text without Han characters is returned as it is, without loading OpenCC.
    """
    if text.isascii() or not _HAN.search(text):
        return text
    return text.translate(_simplified())


def prepare() -> None:
    """Build now what `fold` builds at the first text that is not ASCII: the mark classes
    (~0.1 s) and, for Han, OpenCC's tables (~25 ms). For the kiosk's warm-up thread: the
    first scan of an accented or Chinese name paid both on the scan path (the slowest card
    of the 2,000 scans at a million contacts, 292–484 ms, where the bound is 50 ms)."""
    _combining()
    _simplified()


def fold(text: str | None) -> str:
    """Lower-case, strip accents and width differences: 'Müller' → 'muller', 'ＡＢＣ' → 'abc'.

    Traditional Chinese becomes simplified ('東光' → '东光', `simplified`), so either form
    finds the other; other CJK characters pass through unchanged (NFKD leaves them
    intact), so a trigram index over folded text still finds '王小明' by '小明'. ASCII skips
    normalisation, and marks are stripped by one C-level regex rather than a Python loop: a
    million-row import folds every name, company, email and city through here.
    """
    if not text:
        return ""
    if text.isascii():
        return " ".join(text.lower().split())
    decomposed = unicodedata.normalize("NFKD", text)
    bmp, astral = _combining()
    stripped = bmp.sub("", decomposed)
    if _ASTRAL.search(stripped):
        stripped = astral.sub("", stripped)
    if not stripped.isascii() and _HAN.search(stripped):  # 'José' is ASCII by now: no search
        stripped = stripped.translate(_simplified())
    return " ".join(stripped.casefold().split())


# A word's fold, kept: a CRM export's names are a few thousand first names and surnames
# combined, so most words of a million names were folded before (~2 MB at most).
_fold_word = lru_cache(maxsize=1 << 16)(fold)


def fold_words(text: str) -> str:
    """`fold(text)`, word by word, each distinct word folded once per process.

    Equal to `fold` because folding maps each character on its own (NFKD, the marks it
    strips, width, case, simplified Han), whitespace stays whitespace, and `fold` ends by
    splitting at whitespace and joining with one space (a word that folds to nothing, a
    lone combining mark, leaves no gap). tests/core/test_fold_words.py checks the equality with
    hypothesis. A million-row import folds every non-ASCII name: ~4 µs a name through
    NFKD and the mark regex, ~1 µs through the cache (2026-12-04, the benchmark's file).
    """
    return " ".join(filter(None, map(_fold_word, text.split())))


def normalize_email(email: str | None) -> str:
    """Case-fold and trim an address; '' when it is not plausibly an email."""
    if not email:
        return ""
    e = email.strip().strip("<>").casefold()
    if e.startswith("mailto:"):
        e = e[7:]
    if e.count("@") != 1 or " " in e:  # 'foo bar@x.de' is no address (one test: cheap)
        return ""
    local, domain = e.split("@")
    if not local or "." not in domain:
        return ""
    return f"{local}@{domain}"


def email_domain(email: str | None) -> str:
    e = normalize_email(email)
    return e.split("@", 1)[1] if e else ""


def search_text(*parts: str | None) -> str:
    """The folded text the FTS index holds for one contact."""
    return " ".join(f for f in (fold(p) for p in parts) if f)


# Chinese, Japanese and Korean characters as `fold` leaves them (those of `_cjk_char`, the
# Hangul jamo that NFKD splits a syllable into, and the Han extensions beyond U+FFFF):
# scripts where a space inside a name is a habit of the writer ('高橋 直樹', '王伟'), not
# part of what the name is.
_CJK = "\u1100-\u11ff\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U000323af"
_CJK_GAP = re.compile(f"(?<=[{_CJK}]) +(?=[{_CJK}])")
CJK_RUN = re.compile(f"[{_CJK}]{{2,}}")  # two or more such characters in a row


def close_cjk(text: str) -> str:
    """`text` without the spaces between two CJK characters: '高橋 直樹' → '高橋直樹', while
    'wang wei 王 伟' → 'wang wei 王伟'. Search compares names this way (`kiosk.fulltext`)."""
    return text if text.isascii() else _CJK_GAP.sub("", text)


def _cjk_char(ch: str) -> bool:
    """Han (radicals to unified ideographs, kana between), hangul, or a compatibility
    ideograph: a script whose names are written family name first."""
    return "\u2e80" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af" or "\uf900" <= ch <= "\ufaff"


def cjk_text(text: str) -> bool:
    """Whether `text` is written wholly in Han, kana or hangul (spaces aside): a Chinese,
    Japanese or Korean name, which may be whole without a space ('王伟')."""
    letters = "".join(text.split())
    return bool(letters) and all(_cjk_char(ch) for ch in letters)


# Lower-case words that open a family name in Dutch, German, French, Spanish, Portuguese,
# Italian and Arabic names.
_PARTICLES = frozenset(
    "van von der den ter ten de del della delle dei degli di da das do dos du des la le lo"
    " zu zum bin ibn al el".split()
)


_ALIAS_AFTER = re.compile(r"\s*\([^()]*\)\s*$")
# Forms of address and degrees written around a name on badges and in CRM exports: not a
# first or a last name ('Dr. Hans Meier' exported First Name "Dr. Hans"). Compared folded,
# without dots.
_TITLES = frozenset(
    "dr prof mr mrs ms mx miss herr frau sr sra srta dott ing mag mme mlle m".split()
)
_DEGREES = frozenset("phd mba md msc bsc ma ba dipl-ing mphil llm".split())


def _bare(word: str) -> str:
    return word.casefold().replace(".", "").strip(",")


def family_and_given(name: str) -> tuple[str, str]:
    """(family, given) from one display name, for vCard's N field and CRMs that want first
    and last names apart.

    A Chinese, Japanese or Korean name is written family name first: with a space, the first
    word is the family name ('佐藤 健' → 佐藤, 健); without one, the first character almost
    always is ('王小明' → 王, 小明). Otherwise the last word is the family name ('Ana María
    Ruiz' → Ruiz, Ana María), with the particles before it ('Ana de la Cruz' → de la Cruz,
    Ana), and a single word is a family name alone ('Madonna').
    """
    # a name given with another form after it, 'Kenji Watanabe (渡辺 健二)' or 'Chen Jing
    # (Ana)': the name is the part before (the vCard's N read "健二);Kenji Watanabe (渡辺")
    words = (_ALIAS_AFTER.sub("", name) or name).split()
    while len(words) > 1 and _bare(words[0]) in _TITLES:
        words = words[1:]  # 'Dr. Hans Meier', 'Prof. Dr. Ana Ruiz'
    while len(words) > 1 and _bare(words[-1]) in _DEGREES:
        words = words[:-1]  # 'Jan Kowalski PhD', 'Jan Kowalski, MBA'
    if words and words[-1].endswith(","):
        words[-1] = words[-1].rstrip(",")
    if not words:
        return "", ""
    if all(_cjk_char(ch) for ch in "".join(words)):
        if len(words) > 1:
            return words[0], " ".join(words[1:])
        if len(words[0]) > 1:
            return words[0][0], words[0][1:]
    if len(words) == 1:
        return words[0], ""
    # 'Ludwig van der Berg' → van der Berg, Ludwig: the lower-case particles before the
    # last word belong to the family name ('Van Morrison' is a given name, capitalised)
    start = len(words) - 1
    while start > 1 and words[start - 1] in _PARTICLES:
        start -= 1
    return " ".join(words[start:]), " ".join(words[:start])
