"""The status line above the footer: a message, and a spinner while a request runs."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import HorizontalGroup
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import LoadingIndicator, Static


class StatusLine(HorizontalGroup):
    """``page 3 · rows 101–150 · more available`` plus a loading indicator and extra widgets.

    ``busy`` shows the spinner; ``show(text)`` replaces the message (a ``Text``: the message
    usually quotes API data, which must never be parsed as markup).
    """

    busy: reactive[bool] = reactive(False)

    def __init__(self, *extra: Widget, id: str | None = None) -> None:
        super().__init__(id=id)
        self._extra = extra

    def compose(self) -> ComposeResult:
        yield Static(id="status-message")
        yield LoadingIndicator(id="status-spinner")
        yield from self._extra

    def on_mount(self) -> None:
        # Any API request of the app (``app.api``) shows the spinner.
        if hasattr(self.app, "requests_in_flight"):
            self.watch(self.app, "requests_in_flight", lambda count: setattr(self, "busy", count > 0))

    @property
    def message(self) -> str:
        return str(self.query_one("#status-message", Static).content)

    def show(self, text: Text | str) -> None:
        # No layout pass: the message's box is fixed (1fr × 1 line). A layout pass re-measures the
        # whole screen, and the list updates this line on every page it loads.
        self.query_one("#status-message", Static).update(text if isinstance(text, Text) else Text(text),
                                                         layout=False)

    def watch_busy(self, busy: bool) -> None:
        self.query_one("#status-spinner").display = busy
