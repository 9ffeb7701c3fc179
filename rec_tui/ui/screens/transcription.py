"""One transcription: its metadata and its text, scrollable (vim keys), shown literally."""

from __future__ import annotations

from datetime import tzinfo

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Static

from rec_tui.api import ApiError, Transcription
from rec_tui.api.sids import short_sid
from rec_tui.ui.formatting import (
    format_date_pair,
    format_duration_long,
    format_price_long,
    literal,
    literal_text,
    status_text,
)
from rec_tui.ui.widgets.app_header import AppHeader
from rec_tui.ui.widgets.status_line import StatusLine
from rec_tui.ui.widgets.text_viewer import TextViewer


def transcription_meta(t: Transcription, tz: tzinfo | None) -> Table:
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(style="bold dim", no_wrap=True)
    grid.add_column(overflow="fold", ratio=1)
    rows = [
        ("SID", literal_text(t.sid)),
        ("Recording", literal_text(t.recording_sid)),
        ("Status", status_text(t.status)),
        ("Type", literal_text(t.type)),
        ("Duration", Text(format_duration_long(t.duration))),
        ("Price", Text(format_price_long(t.price, t.price_unit))),
        ("Created", Text(format_date_pair(t.date_created, tz))),
    ]
    for key, value in t.extra.items():
        rows.append((literal(key), literal_text(value)))
    for problem in t.problems:
        rows.append(("Problem", Text(literal(problem), style="red")))
    for label, value in rows:
        grid.add_row(label, value)
    return grid


class TranscriptionScreen(Screen):
    """``TranscriptionScreen(transcription)``; its text is fetched if the list left it out."""

    BINDING_GROUP_TITLE = "Transcription"
    AUTO_FOCUS = "#transcription-text"

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("r", "refresh", "Refresh"),
        Binding("y", "copy_sid", "Copy SID", show=False),
        Binding("Y", "copy_text", "Copy text", show=False),
    ]

    def __init__(self, transcription: Transcription, *, display_tz: tzinfo | None = None) -> None:
        super().__init__()
        self.transcription = transcription
        self.display_tz = display_tz

    def compose(self) -> ComposeResult:
        t = self.transcription
        yield AppHeader(f"Recordings › {short_sid(t.recording_sid)} › transcription {short_sid(t.sid)}")
        yield Static(id="transcription-meta")
        yield TextViewer(id="transcription-text")
        yield StatusLine(id="status")
        yield Footer(compact=True)

    @property
    def viewer(self) -> TextViewer:
        return self.query_one("#transcription-text", TextViewer)

    def on_mount(self) -> None:
        self._show()
        if self.transcription.transcription_text is None and self.transcription.sid:
            self._fetch()

    def _show(self) -> None:
        t = self.transcription
        self.query_one("#transcription-meta", Static).update(transcription_meta(t, self.display_tz))
        if t.transcription_text:
            self.viewer.set_text(t.transcription_text)
            words = len(t.transcription_text.split())
            self.query_one(StatusLine).show(f"{words} word{'' if words == 1 else 's'} · esc back · Y copy the text")
        elif t.status == "in-progress":
            self.viewer.set_text("(still being transcribed; r refreshes)", style="dim italic")
        else:
            self.viewer.set_text("(no text)", style="dim italic")

    @work(exclusive=True, group="transcription")
    async def _fetch(self) -> None:
        sid = self.transcription.sid
        assert sid is not None
        try:
            self.transcription = await self.app.api(self.app.client.fetch_transcription(sid))
        except ApiError as error:
            self.app.notify_error(error, action="Loading the transcription")
            return
        self._show()

    def action_back(self) -> None:
        self.dismiss()

    def action_refresh(self) -> None:
        if self.transcription.sid:
            self._fetch()

    def action_copy_sid(self) -> None:
        if self.transcription.sid:
            self.app.copy_text(self.transcription.sid, "SID")

    def action_copy_text(self) -> None:
        if self.transcription.transcription_text:
            self.app.copy_to_clipboard(self.transcription.transcription_text)
            self.notify("copied the transcription text", title="Clipboard", timeout=3)
