"""Boxes for text that must be shown as it is.

A visitor's name, a company, a CRM note or a badge's raw payload may hold `[` … `]`, which a
`Static` with markup on would read as Rich markup (or fail on). Screens that compose several
such boxes in a row make them here, markup off, so none of them is forgotten.
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

from rich.text import Text
from textual.widgets import Static


def plain_boxes(*ids: str) -> list[Static]:
    """Empty `Static`s with these ids, markup off; the screen fills them with `Text`."""
    return [Static(id=box_id, markup=False) for box_id in ids]


def show_text(box: Static, text: Text) -> None:
    """Put `text` in `box`, asking Textual for no more than it needs.

    `Static.update` repaints the box and lays out the whole screen: on the visitor card,
    twelve parts updated at each scan made every card's frame a full layout (~30 % of that
    frame's ~15 ms at 160×48, profiled 2026-12-03). Here a box that already shows this
    very text is left alone (its drawing is kept), and one whose new text takes as many
    rows at its width as the old one (or whose height the stylesheet fixes) is only
    repainted; the screen is laid out again only when a box's height changes."""
    shown = _text_key(text)
    if _SHOWN.get(box) == shown:
        return
    _SHOWN[box] = shown
    box.update(text, layout=False)
    height, width = box.styles.height, box.content_size.width
    if height is not None and height.is_cells:
        return  # the stylesheet fixes its height: the text cannot move anything
    if (
        not box.display
        or not width
        or box.get_content_height(box.size, box.size, width) != (box.content_size.height)
    ):
        box.refresh(layout=True)


def _text_key(text: Text) -> tuple[object, ...]:
    """What makes two texts look the same (`Text.__eq__` leaves out the base style)."""
    return (text.plain, str(text.style), tuple(text.spans), text.justify, text.overflow,
            text.no_wrap, text.end)  # fmt: skip


_SHOWN: WeakKeyDictionary[Static, tuple[object, ...]] = WeakKeyDictionary()
