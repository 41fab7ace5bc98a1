"""The visitor card's text column drawn as one widget, so that a new card is a repaint.

The column used to be a dozen widgets (the name, the company, the call block, the
evidence …), and a card whose parts were another height than the last card's — a CJK name
after a Latin one, a walk-in after a known customer (no company line, other lines of
evidence), most cards at a booth — moved the parts under it: a layout of the whole screen,
16–30 ms of the frame at 1,000,000 contacts where a repaint took ~7 ms (262 of 401 cards
in the benchmark's mix). Here the column is one widget as tall as the room it has: its
text changes, its size does not, and Textual repaints it. Only a card taller than the room
(a small terminal) changes the widget's height, and then the column scrolls as before.

Each part is drawn as the widget per part drew it (kiosk.tcss gave each part's margins,
padding and colours; they are here, with the colours still from the stylesheet through
component classes, so the status colours stay in kiosk.tcss).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple, cast

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.widget import Widget

from kiosk.ui.widgets.big_name import draw_name
from kiosk.ui.widgets.plain import OneLayout


class Block(NamedTuple):
    """One part of the column: `kind` says how it is drawn.

    - "name": `text` (a str) in big letters (`big`), with the full line under a drawing;
    - "text": a rich `Text`, wrapped; `style` a component class for its colour, or "";
    - "call": the salesperson to call, `text` = (label Text, name str, details Text);
    - "raw": a `Text` in a red rounded box (an unreadable badge's payload)."""

    id: str
    kind: str
    text: object
    style: str = ""
    big: bool = True


@dataclass
class Drawing:
    """The column drawn at one width: the text, where each part lies (first row, rows), the
    text's lines, and (once rendered) their strips."""

    text: Text
    parts: dict[str, tuple[int, int]]
    lines: list[Text]
    strips: list[Strip] | None = None


# rows above each part (kiosk.tcss gave them as margins), normal and on a short terminal
MARGIN = {"visitor-name": (0, 0), "visitor-org": (1, 0), "visitor-where": (0, 0)}
CALL_PAD = (1, 0)  # the call block's rows of padding above and below (normal, short)
CALL_NAME_MARGIN = (1, 0)  # rows between the call's label, its big name and its details
SIDE = 2  # columns of padding either side inside the call block and the raw box
STRIPS_KEPT = 512  # lines whose strips are kept for the next cards (a few cards' worth)


@dataclass
class _Look:
    """What stays the same from card to card while the column's colours do (until the
    stylesheet changes: a new status, a new theme): the drawings per width, the column's
    base style and its parts' colours (`rich_style` ~0.4 ms a call, each component style
    ~0.1 ms), and the strip of every line seen (blank rows, the call block's padding and
    label, the hint, a salesperson's big name: most of a card's rows are another card's
    too)."""

    drawn: dict[tuple[object, ...], Drawing] = field(default_factory=dict)
    base: Style | None = None
    styles: dict[tuple[str, ...], Style] = field(default_factory=dict)
    strip_of: dict[tuple[object, ...], Strip] = field(default_factory=dict)


class CardText(OneLayout, Widget):
    """The card's text column: `show(blocks, short=…)` replaces what it shows.

    Its height is the room it has (`min-height: 100%`), or the text's when that is taller:
    so a new card is repainted, and laid out only when either card does not fit (and then
    once: `OneLayout`)."""

    COMPONENT_CLASSES = {
        "card-text--muted",
        "card-text--call",
        "card-text--call-label",
        "card-text--raw",
    }
    DEFAULT_CSS = """
    CardText { height: auto; min-height: 100%; width: 1fr; }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual convention
        super().__init__(id=id)
        self._blocks: tuple[Block, ...] = ()
        self._short = False
        self._key: tuple[object, ...] = ((), False)
        self._look = _Look()  # what is drawn in the current colours
        # The same for each other look seen since the last restyle from outside.
        self._looks: dict[object, _Look] = {}
        self._look_key: object = None
        self._next_key: object = None

    @property
    def blocks(self) -> tuple[Block, ...]:
        return self._blocks

    def show(self, blocks: Sequence[Block], *, short: bool = False) -> None:
        """Show these parts, in this order; the same parts again change nothing. Laid out
        only when the widget's height changes (the text is taller than its room, before or
        now); otherwise repainted."""
        key = (tuple(_block_key(b) for b in blocks), short)
        if key == self._key:
            return
        width, room = self.content_region.width, self._room()
        before = self._look.drawn.get((self._key, width)) if width else None
        self._blocks, self._short, self._key = tuple(blocks), short, key
        if not width or not self.display or room is None:
            self.refresh(layout=True)
            return
        after = self._drawing(width)
        rows = len(after.lines)
        if max(rows, room) != self.content_region.height:
            self.refresh(layout=True)
        elif before is None:
            self.refresh()
        else:  # only the rows that changed: the rest of the card is not drawn again
            self.refresh(*_changed_rows(before.lines, after.lines, width))

    def _room(self) -> int | None:
        """The rows the column has for the text (its container's, without scrolling)."""
        parent = self.parent
        if not isinstance(parent, Widget):
            return None
        return parent.scrollable_content_region.height or None

    # ------------------------------------------------------------------ for tests
    def block(self, part: str) -> Block | None:
        """The part with this id, as shown (None: not on this card)."""
        return next((b for b in self._blocks if b.id == part), None)

    def plain(self, part: str) -> str:
        """The text a part shows at the current width ('' when it is not shown)."""
        drawing = self._drawing(self.content_region.width)
        if part not in drawing.parts:
            return ""
        first, count = drawing.parts[part]
        return "\n".join(line.plain for line in drawing.lines[first : first + count])

    def rows_of(self, part: str) -> tuple[int, int] | None:
        """(first row, rows) of a part inside the widget, or None when it is not shown."""
        return self._drawing(self.content_region.width).parts.get(part)

    # ------------------------------------------------------------------ Textual
    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return max(1, len(self._drawing(width).lines))

    def render(self) -> Text:
        return self._drawing(self.content_region.width).text.copy()

    def render_line(self, y: int) -> Strip:
        """Row `y`, from the lines drawn for this card (made into strips once): Textual's
        way — the whole text made into its `Content` and cut into strips at every repaint
        — cost ~10 ms of thread CPU a card (41 rows at 160×48, profiled 2026-12-03)."""
        if self.text_selection is not None:  # text selected with the mouse: Textual draws it
            return super().render_line(y)
        self._dirty_regions.clear()  # (what Widget.render_line does when it renders)
        strips = self._strips(self.size.width)  # (no padding, no border: the content's)
        return strips[y] if y < len(strips) - 1 else strips[-1]

    def _strips(self, width: int) -> list[Strip]:
        """The lines' strips, and a blank one last for the rows under them (`rich_style`
        costs ~0.4 ms a call: asked once per card, not once per row)."""
        drawing = self._drawing(width)
        if drawing.strips is None:
            if self._look.base is None:
                self._look.base = self.rich_style
            base, console, known = self._look.base, self.app.console, self._look.strip_of
            if len(known) > STRIPS_KEPT:
                known.clear()
            strips = []
            for line in drawing.lines:
                key = (width, *_line_key(line))
                strip = known.get(key)
                if strip is None:
                    strip = known[key] = Strip(
                        Segment.apply_style(_spanned(line).render(console), base)
                    ).adjust_cell_length(width, base)
                strips.append(strip)
            strips.append(Strip.blank(width, base))
            drawing.strips = strips
        return drawing.strips

    def next_look(self, key: object) -> None:
        """The card is about to restyle this column into the look `key` (its status
        classes, `VisitorCard._set_status_classes`): what is drawn now is kept under the
        current look, and the drawings of `key`, if it was seen before, come back — the
        strips of a card in the colours of a status seen before are not made again."""
        self._next_key = key

    def notify_style_update(self) -> None:
        # The colours come from the stylesheet: what was drawn holds for one look only.
        key, self._next_key = self._next_key, None
        if key is None:  # restyled from outside (a theme, a size): nothing kept holds
            self._looks.clear()
        elif self._look_key is not None:
            self._looks[self._look_key] = self._look
        self._look_key = key
        self._look = self._looks.pop(key) if key in self._looks else _Look()
        super().notify_style_update()

    # ------------------------------------------------------------------ drawing
    def _drawing(self, width: int) -> Drawing:
        """The column at `width` and where each part lies in it (kept per width)."""
        width = max(width, 1)
        key = (self._key, width)
        drawn = self._look.drawn.get(key)
        if drawn is None:
            if len(self._look.drawn) > 8:
                self._look.drawn.clear()
            drawn = self._look.drawn[key] = self._draw(width)
        return drawn

    def _draw(self, width: int) -> Drawing:
        short = int(self._short)
        lines: list[Text] = []
        where: dict[str, tuple[int, int]] = {}
        for block in self._blocks:
            margin = MARGIN.get(block.id, (1, 1))[short]
            lines.extend(Text() for _ in range(margin))
            first = len(lines)
            if block.kind == "name":
                assert isinstance(block.text, str)
                name = draw_name(block.text, width, big=block.big, full_line=True)
                lines.extend(self._wrap(name, width))
            elif block.kind == "call":
                lines.extend(self._call(block, width))
            elif block.kind == "raw":
                assert isinstance(block.text, Text)
                lines.extend(self._raw(block.text, width))
            else:
                assert isinstance(block.text, Text)
                style = self._style(block.style) if block.style else None
                for line in self._wrap(block.text, width):
                    if style is not None:
                        line.stylize_before(style)
                    lines.append(line)
            where[block.id] = (first, len(lines) - first)
        out = Text("\n").join(lines) if lines else Text()
        out.no_wrap, out.overflow, out.end = True, "crop", ""
        return Drawing(out, where, lines or [Text()])

    def _style(self, *names: str) -> Style:
        style = self._look.styles.get(names)
        if style is None:
            style = self._look.styles[names] = self.get_component_rich_style(*names)
        return style

    def _label_style(self) -> Style:
        """The call's label: its colour (white 80 %) over the call block's background."""
        style = self._look.styles.get(())
        if style is None:
            background = self.get_component_styles("card-text--call").background
            colour = self.get_component_styles("card-text--call-label").color
            style = self._look.styles[()] = Style(color=(background + colour).rich_color)
        return style

    def _wrap(self, text: Text, width: int) -> list[Text]:
        return list(text.wrap(self.app.console, max(width, 1)))

    def _call(self, block: Block, width: int) -> list[Text]:
        label, name, details = cast(tuple[Text, str, Text], block.text)
        short = int(self._short)
        inner = max(width - 2 * SIDE, 1)
        rows: list[Text] = [Text() for _ in range(CALL_PAD[short])]
        box = self._style("card-text--call")
        label_style = self._label_style()
        for line in self._wrap(label, inner):
            line.stylize_before(label_style)
            rows.append(line)
        rows.extend(Text() for _ in range(CALL_NAME_MARGIN[short]))
        rows.extend(self._wrap(draw_name(name, inner), inner))
        rows.extend(Text() for _ in range(CALL_NAME_MARGIN[short]))
        rows.extend(self._wrap(details, inner))
        rows.extend(Text() for _ in range(CALL_PAD[short]))
        # the padding on the left in the block's background only: a cell of its own in an
        # SVG screenshot (spaces in the letters' style joined them, and an SVG viewer may
        # drop the leading spaces of a text)
        pad = Style(bgcolor=box.bgcolor)
        out = []
        for row in rows:
            line = Text(" " * SIDE, style=pad)
            line.append_text(row)
            line.truncate(width, overflow="crop", pad=True)  # to the block's width, in cells
            line.stylize_before(box, SIDE)
            out.append(line)
        return out

    def _raw(self, text: Text, width: int) -> list[Text]:
        inner = max(width - 2 - 2 * SIDE, 1)
        border = self._style("card-text--raw")
        rows = [Text(), *self._wrap(text, inner), Text()]
        edge = "─" * max(width - 2, 0)
        out = [Text("╭" + edge + "╮", style=border)]
        for row in rows:
            line = Text()  # (a style given here would be the whole line's)
            line.append("│", style=border)
            line.append(" " * SIDE)
            line.append_text(row)
            line.truncate(max(width - 1, 0), overflow="crop", pad=True)
            line.append("│", style=border)
            out.append(line)
        out.append(Text("╰" + edge + "╯", style=border))
        return out


def _changed_rows(before: list[Text], after: list[Text], width: int) -> list[Region]:
    """The rows (as regions of the widget, runs joined) whose text or look differs."""
    regions: list[Region] = []
    start = None
    for y in range(max(len(before), len(after)) + 1):
        old = before[y] if y < len(before) else None
        new = after[y] if y < len(after) else None
        same = y == max(len(before), len(after)) or (
            old is not None and new is not None and _line_key(old) == _line_key(new)
        ) or (old is None and new is not None and not new.plain.strip() and not new.spans
              and not new.style) or (new is None and old is not None and not old.plain.strip()
              and not old.spans and not old.style)  # fmt: skip
        if not same and start is None:
            start = y
        elif same and start is not None:
            regions.append(Region(0, start, width, y - start))
            start = None
    return regions


def _spanned(line: Text) -> Text:
    """`line` with its base style as a span (`Text.render` drops the base style of a text
    without spans: a bold name on a short terminal came out plain)."""
    if not line.style:
        return line
    out = line.copy()
    out.style = ""
    out.stylize_before(line.style)
    return out


def _line_key(line: Text) -> tuple[object, ...]:
    return (line.plain, str(line.style), tuple(line.spans))


def _block_key(block: Block) -> tuple[object, ...]:
    text = block.text
    if isinstance(text, tuple):
        shown: object = tuple(_text_key(t) if isinstance(t, Text) else t for t in text)
    elif isinstance(text, Text):
        shown = _text_key(text)
    else:
        shown = text
    return (block.id, block.kind, shown, block.style, block.big)


def _text_key(text: Text) -> tuple[object, ...]:
    """What makes two texts look the same (`Text.__eq__` leaves out the base style)."""
    return (text.plain, str(text.style), tuple(text.spans), text.justify, text.overflow,
            text.no_wrap, text.end)  # fmt: skip
