"""Boxes for text that must be shown as it is.

A visitor's name, a company, a CRM note or a badge's raw payload may hold `[` … `]`, which a
`Static` with markup on would read as Rich markup (or fail on). Screens that compose several
such boxes in a row make them here, markup off, so none of them is forgotten.
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

from rich.text import Text
from textual.geometry import Size
from textual.widgets import Static


def plain_boxes(*ids: str) -> list[Static]:
    """Empty `Static`s with these ids, markup off; the screen fills them with `Text`."""
    return [Static(id=box_id, markup=False) for box_id in ids]


class OneLayout:
    """For a card part or column: its new size, once a layout of the screen has given it
    one, asks for no second layout.

    Textual sets a resized widget's `virtual_size`, a reactive declared `layout=True`, so
    every part whose height changed asked for another layout of the whole screen right
    after the one that sized it — where nothing moves any more — and the frame-drawn
    callback (the end of the scan → card timing) waited for both: two layouts and two
    renders for each card whose shape changed (seen at 20,000 contacts: the second at
    20–60 ms after the first under load). A widget without scrollbars has no use for its
    virtual size beyond the value itself, which is still kept (`set_reactive`); one that
    scrolls (the card's main column) shows or hides its scrollbar through reactives of
    its own (`show_vertical_scrollbar`), which still lay out the screen when they change."""

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size,
                      layout: bool = True) -> bool:  # fmt: skip
        return super()._size_updated(  # type: ignore[misc]
            size, virtual_size, container_size, layout=False
        )


class KeepsDrawings:
    """For a part that shows one of a few texts again and again — the salesperson's QR
    and its caption, one set per salesperson: the drawing of each (its lines of cells, at
    this size, in this style) is kept, and showing that text again costs a copy, not a
    drawing. The QR alone, ~26 lines of half-blocks drawn anew at each change of
    salesperson, was the card's costliest part to render: ~5 ms of a frame of ~12 (20,000
    contacts, under load). `drawing_key` names what is shown (None: nothing to keep); text
    selected with the mouse is drawn as Textual draws it, never kept."""

    KEEP = 16  # drawings kept per part, the oldest dropped first

    def drawing_key(self) -> object:
        raise NotImplementedError

    def forget_drawings(self) -> None:
        """Drop the kept drawings (the next render draws anew)."""
        self.__dict__.pop("_kept_drawings", None)

    def _render_content(self) -> None:
        what = self.drawing_key()
        if what is None or self.text_selection is not None:  # type: ignore[attr-defined]
            super()._render_content()  # type: ignore[misc]
            return
        key = (what, self.size, self.visual_style)  # type: ignore[attr-defined]
        kept: dict[object, object] = self.__dict__.setdefault("_kept_drawings", {})
        drawing = kept.get(key)
        if drawing is None:
            super()._render_content()  # type: ignore[misc]
            if len(kept) >= self.KEEP:
                del kept[next(iter(kept))]
            kept[key] = getattr(self, "_render_cache")  # noqa: B009 - Textual's, untyped here
            return
        setattr(self, "_render_cache", drawing)  # noqa: B010
        self._dirty_regions.clear()  # type: ignore[attr-defined]


class Part(OneLayout, Static):
    """A card part: a `Static` (markup off by default) laid out once per change of size."""

    def __init__(self, *, id: str | None = None, markup: bool = False) -> None:  # noqa: A002
        super().__init__(id=id, markup=markup)


class KeptPart(KeepsDrawings, Part):
    """A card part that shows the salesperson's things: each one's drawing is kept, and so
    are what `show_text` needs of each (the text made ready to draw, its rows and columns
    at a width), where the QR cost another ~1.5 ms a card to measure and convert."""

    _look: tuple[object, ...] | None = None  # the key of what `put` showed last
    _put: object = None  # … and the content it gave Textual (another update: not kept)

    def drawing_key(self) -> object:
        return self._look if self.content is self._put else None

    def put(self, key: tuple[object, ...], text: Text) -> None:
        """Show `text` (whose look is `key`) without a layout, as `update` does."""
        looks: dict[object, list[object]] = self.__dict__.setdefault("_looks", {})
        look = looks.get(key)
        if look is None:
            if len(looks) >= self.KEEP:
                del looks[next(iter(looks))]
            self.update(text, layout=False)
            looks[key] = look = [self.visual, {}]
        else:
            self.update(look[0], layout=False)  # type: ignore[arg-type]
        self._look, self._put = key, self.content
        self._measures: dict[object, int] = look[1]  # type: ignore[assignment]

    def rows(self, width: int) -> int:
        rows = self._measures.get(width)
        if rows is None:
            rows = self._measures[width] = self.get_content_height(self.size, self.size, width)
        return rows

    def columns(self) -> int:
        key = ("columns", self.container_size, self.screen.size)
        columns = self._measures.get(key)
        if columns is None:
            columns = self.get_content_width(self.container_size, self.screen.size)
            self._measures[key] = columns
        return columns


def show_text(box: Static, text: Text) -> None:
    """Put `text` in `box`, asking Textual for no more than it needs.

    `Static.update` repaints the box and lays out the whole screen: on the visitor card,
    twelve parts updated at each scan made every card's frame a full layout (~30 % of that
    frame's ~15 ms at 160×48, profiled 2026-12-03). Here a box that already shows this
    very text is left alone (its drawing is kept), and one whose new text takes as many
    rows at its width as the old one (or whose height the stylesheet fixes) is only
    repainted; the screen is laid out again only when a box's height changes — or, for a
    box as wide as its text (`width: auto`, the QR), its width."""
    shown = _text_key(text)
    if _SHOWN.get(box) == shown:
        return
    _SHOWN[box] = shown
    kept = box if isinstance(box, KeptPart) else None
    if kept is not None:
        kept.put(shown, text)
    else:
        box.update(text, layout=False)
    height, width = box.styles.height, box.content_size.width
    if height is not None and height.is_cells:
        return  # the stylesheet fixes its height: the text cannot move anything
    if not box.display or not width:
        box.refresh(layout=True)
        return
    rows = kept.rows(width) if kept else box.get_content_height(box.size, box.size, width)
    if rows != box.content_size.height or (
        box.styles.width is not None
        and box.styles.width.is_auto
        and (kept.columns() if kept else box.get_content_width(box.container_size, box.screen.size))
        != width
    ):
        box.refresh(layout=True)


def _text_key(text: Text) -> tuple[object, ...]:
    """What makes two texts look the same (`Text.__eq__` leaves out the base style)."""
    return (text.plain, str(text.style), tuple(text.spans), text.justify, text.overflow,
            text.no_wrap, text.end)  # fmt: skip


_SHOWN: WeakKeyDictionary[Static, tuple[object, ...]] = WeakKeyDictionary()
