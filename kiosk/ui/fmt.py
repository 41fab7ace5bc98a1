"""Small text helpers shared by the boards (no Textual)."""

from __future__ import annotations


def clip(text: str, width: int) -> str:
    """`text` cut to `width` terminal cells with an ellipsis, so one long name cannot widen a
    table. Cells, not characters: '渡辺 健二' is 9 cells wide, and CJK names must fit too."""
    from rich.cells import cell_len

    if cell_len(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = cell_len(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def minutes(seconds: float) -> str:
    """A wait as '7m' or '1h05' — language-neutral, so it needs no translation."""
    m = max(0, int(seconds // 60))
    return f"{m // 60}h{m % 60:02d}" if m >= 60 else f"{m}m"
