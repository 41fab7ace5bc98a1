"""DataTable helpers the boards share: columns named in the UI language, and the highlighted
row kept across a reload.

The boards rebuild their tables whenever the booth changes (a check-in, a decision, another
kiosk merging in). Rebuilding must not throw the person's cursor back to the first row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from rich.text import Text
from textual.widgets import DataTable, Static

T = TypeVar("T")


def set_columns(table: DataTable, keys: Iterable[str], label: Callable[[str], str]) -> None:
    """Empty `table` and give it a column per key, headed `label(key)` (the language may
    have changed: every board names its columns again then)."""
    table.clear(columns=True)
    for key in keys:
        table.add_column(label(key), key=key)


def current_key(table: DataTable) -> str | None:
    """The key of the highlighted row, to find it again after a reload."""
    if not table.row_count or table.cursor_row is None:
        return None
    try:
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
    except Exception:  # noqa: BLE001 - no row under the cursor
        return None


def restore_cursor(table: DataTable, key: str | None) -> None:
    """Put the cursor back on the same row (a reload must not jump to the top)."""
    if key is None:
        return
    try:
        table.move_cursor(row=table.get_row_index(key), animate=False)
    except Exception:  # noqa: BLE001 - the row is gone (filtered out): stay where we are
        pass


def show_row(
    box: Static, rows: Sequence[T], row: int | None, empty: str, full: Callable[[T], Text]
) -> None:
    """Under a board's table, the highlighted row in full (`full(rows[row])`: a reason is often
    longer than its column); `empty` when the table has no rows, nothing between rows."""
    if row is None or not 0 <= row < len(rows):
        box.update(Text("" if rows else empty))
    else:
        box.update(full(rows[row]))
