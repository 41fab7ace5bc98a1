"""Small text helpers shared by the boards (no Textual)."""

from __future__ import annotations


def clip(text: str, width: int) -> str:
    """`text` cut to `width` characters with an ellipsis, so one long name cannot widen a table."""
    return text if len(text) <= width else text[: width - 1] + "…"


def minutes(seconds: float) -> str:
    """A wait as '7m' or '1h05' — language-neutral, so it needs no translation."""
    m = max(0, int(seconds // 60))
    return f"{m // 60}h{m % 60:02d}" if m >= 60 else f"{m}m"
