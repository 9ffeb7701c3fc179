"""A read-only, scrollable view of untrusted multi-line text (a transcription)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from rec_tui.ui.formatting import literal_lines

#: vim keys for scrolling views (arrows, page keys, home/end come with VerticalScroll).
VIM_SCROLL_BINDINGS = [
    Binding("j", "scroll_down", "Scroll down", show=False),
    Binding("k", "scroll_up", "Scroll up", show=False),
    Binding("g", "scroll_home", "Top", show=False),
    Binding("G", "scroll_end", "Bottom", show=False),
    Binding("ctrl+d", "page_down", "Page down", show=False),
    Binding("ctrl+u", "page_up", "Page up", show=False),
]


class TextViewer(VerticalScroll):
    """``TextViewer(text)``; ``.text`` is what is shown (control characters made visible)."""

    BINDING_GROUP_TITLE = "Text"
    BINDINGS = VIM_SCROLL_BINDINGS

    def __init__(self, text: str = "", *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._text = text

    def compose(self) -> ComposeResult:
        yield Static(Text(literal_lines(self._text)), classes="viewer-text")

    @property
    def text(self) -> str:
        return literal_lines(self._text)

    def set_text(self, text: str, *, style: str = "") -> None:
        self._text = text
        self.query_one(".viewer-text", Static).update(Text(literal_lines(text), style=style))
        self.scroll_home(animate=False)
