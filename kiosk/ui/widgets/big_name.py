"""A name in letters three rows tall (see `kiosk.ui.bigtext`), for reading across the booth."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import Static

from kiosk.ui import bigtext


class BigName(Static):
    """Draws `text` big when it fits the width (else a shorter form big), else in bold.

    With `full_line`, a name that could only be drawn shortened ('LUCÍA' for 'Lucía
    [bold]Fernández[/bold]') is also written out in full underneath, as plain text, so the
    exact spelling is always on screen. Re-rendered on resize.
    """

    DEFAULT_CSS = """
    BigName { height: auto; width: 1fr; }
    """

    def __init__(
        self,
        text: str = "",
        *,
        full_line: bool = False,
        id: str | None = None,  # noqa: A002 - Textual convention
        classes: str | None = None,
    ) -> None:
        super().__init__("", id=id, classes=classes, markup=False)
        self.text = text
        self.full_line = full_line

    big = True

    def set_name(self, text: str, *, big: bool = True) -> None:
        """Show `text`; with `big` off it is plain bold text (e.g. a placeholder)."""
        self.text = text
        self.big = big
        self.refresh(layout=True)

    def _text(self, width: int) -> Text:
        width = max(width, 1)
        lines = bigtext.render_fitting(self.text, width) if self.text and self.big else None
        if lines is None:
            return Text(self.text, style="bold")
        out = Text("\n".join(lines), no_wrap=True, overflow="crop")
        if self.full_line and (lines != bigtext.render(self.text) or not bigtext.exact(self.text)):
            out.append("\n")
            out.append(self.text, style="bold")
        return out

    def get_content_width(self, container, viewport) -> int:
        widest = max(cell_len(line) for line in self._text(container.width).plain.split("\n"))
        return min(max(1, widest), max(container.width, 1))

    def get_content_height(self, container, viewport, width: int) -> int:
        return max(1, len(self._text(width).wrap(self.app.console, max(width, 1))))

    def render(self) -> Text:
        return self._text(self.content_region.width)
