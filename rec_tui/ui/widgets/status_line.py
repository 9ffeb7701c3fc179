"""The status line above the footer: a message, and a spinner while a request runs."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import HorizontalGroup
from textual.reactive import reactive
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import LoadingIndicator, Static


#: Seconds a request runs before the spinner shows: most answers come sooner, and showing or
#: hiding it is a layout pass of the whole screen (with 100k rows loaded, 30+ ms) and a flicker.
SPINNER_DELAY = 0.15


class StatusLine(HorizontalGroup):
    """``page 3 · rows 101–150 · more available`` plus a loading indicator and extra widgets.

    ``busy`` shows the spinner (if still busy after ``SPINNER_DELAY``); ``show(text)`` replaces the message (a ``Text``: the message
    usually quotes API data, which must never be parsed as markup).
    """

    busy: reactive[bool] = reactive(False)

    def __init__(self, *extra: Widget, id: str | None = None) -> None:
        super().__init__(id=id)
        self._extra = extra
        self._spinner_timer: Timer | None = None

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
        if busy:
            if self._spinner_timer is None:
                self._spinner_timer = self.set_timer(SPINNER_DELAY, self._show_spinner)
            return
        if self._spinner_timer is not None:
            self._spinner_timer.stop()
            self._spinner_timer = None
        self.query_one("#status-spinner").display = False

    def _show_spinner(self) -> None:
        self._spinner_timer = None
        if self.busy:
            self.query_one("#status-spinner").display = True
