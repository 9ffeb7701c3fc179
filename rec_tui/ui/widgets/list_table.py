"""A row-cursor ``DataTable`` with vim keys, for short lists (transcriptions, add-on results)."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import DataTable


class ListTable(DataTable):
    """``DataTable(cursor_type="row")`` plus j/k/g/G; enter posts ``RowSelected`` as usual."""

    BINDING_GROUP_TITLE = "List"
    BINDINGS = [
        Binding("j", "cursor_down", "Cursor down", show=False),
        Binding("k", "cursor_up", "Cursor up", show=False),
        Binding("g", "scroll_top", "First row", show=False),
        Binding("G", "scroll_bottom", "Last row", show=False),
    ]

    def __init__(self, *, id: str | None = None, zebra_stripes: bool = False) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=zebra_stripes)
