"""A name in tall letters (see `kiosk.ui.bigtext`), for reading across the booth."""

from __future__ import annotations

from functools import lru_cache

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import Static

from kiosk.ui import bigtext
from kiosk.ui.widgets.plain import OneLayout


def draw_name(text: str, width: int, *, big: bool = True,
              cjk_sizes: tuple[int, ...] = bigtext.CJK_SIZES, full_line: bool = False,
              wrap: bool = False) -> Text:  # fmt: skip
    """`text` drawn as `BigName` draws it at `width` columns (see there): big letters, or
    the CJK font, or bold; with `full_line`, the exact spelling under a drawing that is
    not. A copy of a kept drawing: rasterising a CJK name costs milliseconds."""
    return _draw_name(text, max(width, 1), big, cjk_sizes, full_line, wrap).copy()


@lru_cache(maxsize=256)
def _draw_name(text: str, width: int, big: bool, cjk_sizes: tuple[int, ...], full_line: bool,
               wrap: bool) -> Text:  # fmt: skip
    lines = None
    if text and big:
        lines = bigtext.render_wrapped(text, width) if wrap else None
        lines = lines or bigtext.render_fitting(text, width, cjk_sizes)
    if lines is None:
        return Text(text, style="bold")
    out = Text("\n".join(lines), no_wrap=True, overflow="crop")
    if full_line and (lines != bigtext.render(text) or not bigtext.exact(text)):
        out.append("\n")
        out.append(text, style="bold")
    return out


class BigName(OneLayout, Static):
    """Draws `text` big when it fits the width (else a shorter form big), else in bold.

    Latin text in the three-row alphabet; Chinese, Japanese or Korean in the CJK font at the
    largest of `cjk_sizes` (pixels) that fits — none on a short screen, where six or more
    rows would push the rest off. With `full_line`, a name that could only be drawn
    shortened or in another form ('LUCÍA' for 'Lucía Fernández', any CJK drawing) is also
    written out in full underneath, as plain text, so the exact spelling is always on
    screen. With `wrap`, text too wide for one line goes big on two before it is shortened
    (a prompt, not a name). Re-rendered on resize.
    """

    DEFAULT_CSS = """
    BigName { height: auto; width: 1fr; }
    """

    def __init__(
        self,
        text: str = "",
        *,
        full_line: bool = False,
        wrap: bool = False,
        id: str | None = None,  # noqa: A002 - Textual convention
        classes: str | None = None,
    ) -> None:
        super().__init__("", id=id, classes=classes, markup=False)
        self.text = text
        self.full_line = full_line
        self.wrap = wrap

    big = True
    cjk_sizes: tuple[int, ...] = bigtext.CJK_SIZES

    def set_name(self, text: str, *, big: bool = True) -> None:
        """Show `text`; with `big` off it is plain bold text (e.g. a placeholder). The same
        name again changes nothing; a name as many rows tall as the last one (a Latin name
        after another: three) is only repainted, since a layout of the whole screen after
        each visitor card was a third of that frame (see `plain.show_text`)."""
        if (text, big) == (self.text, self.big):
            return
        self.text = text
        self.big = big
        width = self.content_size.width
        rows = self.get_content_height(self.size, self.size, width) if width else -1
        self.refresh(layout=not self.display or rows != self.content_size.height)

    def set_cjk_sizes(self, sizes: tuple[int, ...]) -> None:
        """The pixel sizes CJK text may be drawn at (empty: CJK in bold, one row)."""
        if sizes != self.cjk_sizes:
            self.cjk_sizes = sizes
            self.refresh(layout=True)

    def _text(self, width: int) -> Text:
        """The drawing for this width. Textual asks three times a layout (width, height,
        render), and drawing a CJK name rasterises a font: each width's drawing is kept
        until the text, `big` or the sizes change."""
        width = max(width, 1)
        what = (self.text, self.big, self.cjk_sizes)
        if what != self._drawn_for:
            self._drawn_for, self._drawn = what, {}
        if (drawn := self._drawn.get(width)) is None:
            drawn = self._drawn[width] = self._draw(width)
        return drawn.copy()

    _drawn_for: tuple[object, ...] = ()
    _drawn: dict[int, Text] = {}

    def _draw(self, width: int) -> Text:
        return draw_name(self.text, width, big=self.big, cjk_sizes=self.cjk_sizes,
                         full_line=self.full_line, wrap=self.wrap)  # fmt: skip

    def get_content_width(self, container, viewport) -> int:
        widest = max(cell_len(line) for line in self._text(container.width).plain.split("\n"))
        return min(max(1, widest), max(container.width, 1))

    def get_content_height(self, container, viewport, width: int) -> int:
        return max(1, len(self._text(width).wrap(self.app.console, max(width, 1))))

    def render(self) -> Text:
        return self._text(self.content_region.width)
