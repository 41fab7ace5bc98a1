"""Boxes for text that must be shown as it is.

A visitor's name, a company, a CRM note or a badge's raw payload may hold `[` … `]`, which a
`Static` with markup on would read as Rich markup (or fail on). Screens that compose several
such boxes in a row make them here, markup off, so none of them is forgotten.
"""

from __future__ import annotations

from textual.widgets import Static


def plain_boxes(*ids: str) -> list[Static]:
    """Empty `Static`s with these ids, markup off; the screen fills them with `Text`."""
    return [Static(id=box_id, markup=False) for box_id in ids]
