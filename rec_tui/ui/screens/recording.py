"""One recording, full screen: every field, its transcriptions and its add-on results.

Opened with ``enter`` on the list (or ``--recording RE…``); ``esc`` goes back. A recording from
the list already carries every field and is shown at once; it is fetched again only when it is
still changing (in progress, paused, processing) or when only its SID is known.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import tzinfo

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Vertical
from textual.widgets import DataTable, Footer, Static

from rec_tui.api import AddOnResult, ApiError, NotFoundError, Recording, Transcription
from rec_tui.api.sids import short_sid
from rec_tui.ui.commands import PaletteCommand
from rec_tui.ui.formatting import (
    MISSING,
    format_date,
    format_duration,
    format_price,
    literal,
    status_text,
)
from rec_tui.ui.media import MEDIA_BINDINGS, MediaActions
from rec_tui.ui.screens.breakpoints import BreakpointsFromTheStart
from rec_tui.ui.widgets.app_header import AppHeader
from rec_tui.ui.widgets.list_table import ListTable
from rec_tui.ui.widgets.player_bar import PlayerBar
from rec_tui.ui.widgets.recording_detail import RecordingDetail
from rec_tui.ui.widgets.status_line import StatusLine

CHANGING_STATUSES = frozenset({"in-progress", "paused", "processing"})


class RecordingScreen(MediaActions, BreakpointsFromTheStart):
    """``RecordingScreen(recording)`` or ``RecordingScreen(sid="RE…")`` (fetched)."""

    BINDING_GROUP_TITLE = "Recording"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    AUTO_FOCUS = "#transcriptions"

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("r", "refresh", "Refresh"),
        Binding("c", "related", "Call's recordings", tooltip="all recordings of this call (or conference)"),
        Binding("y", "copy_sid", "Copy SID", show=False),
        Binding("Y", "copy_media_url", "Copy media URL", show=False),
        Binding("t", "focus('transcriptions')", "Transcriptions", show=False),
        Binding("a", "focus('add-ons')", "Add-on results", show=False),
        Binding("x,delete", "delete", "Delete", show=False,
                tooltip="delete this recording (asks first; the media cannot be recovered)"),
        *MEDIA_BINDINGS,
    ]

    def __init__(self, recording: Recording | None = None, *, sid: str | None = None,
                 display_tz: tzinfo | None = None) -> None:
        super().__init__()
        if recording is None and not sid:
            raise ValueError("give a recording or its SID")
        self.recording = recording
        self.sid: str = sid or (recording.sid if recording is not None else "") or ""
        self.display_tz = display_tz
        self.transcriptions: dict[str, Transcription] = {}
        self.add_on_results: list[AddOnResult] = []

    def compose(self) -> ComposeResult:
        self.preset_breakpoints()
        yield AppHeader(f"Recordings › {short_sid(self.sid)}")
        with Container(id="recording-body"):
            yield RecordingDetail(self.display_tz, id="recording-fields")
            with Vertical(id="recording-side"):
                yield Static("Transcriptions", id="transcriptions-title", classes="section-title")
                yield ListTable(id="transcriptions", zebra_stripes=True)
                yield Static("Add-on results", id="add-ons-title", classes="section-title")
                yield ListTable(id="add-ons")
        yield PlayerBar(id="player")
        yield StatusLine(id="status")
        yield Footer(compact=True)

    @property
    def fields(self) -> RecordingDetail:
        return self.query_one("#recording-fields", RecordingDetail)

    def on_mount(self) -> None:
        transcriptions = self.query_one("#transcriptions", DataTable)
        transcriptions.add_columns("SID", "Status", "Duration", "Price")
        add_ons = self.query_one("#add-ons", DataTable)
        add_ons.add_columns("SID", "Status", "Add-on", "Completed")
        for widget_id in ("#add-ons", "#add-ons-title"):
            self.query_one(widget_id).display = False
        self._load_all()

    def _load_all(self) -> None:
        if self.recording is not None:
            self.fields.show(self.recording)
        else:
            self.fields.show_message(f"Loading {self.sid}…")
        if self.recording is None or self.recording.status in CHANGING_STATUSES:
            self._fetch_recording()
        self._load_transcriptions()
        self._load_add_on_results()
        self._update_status()

    # -- workers ---------------------------------------------------------------------------

    @work(exclusive=True, group="recording")
    async def _fetch_recording(self) -> None:
        include_deleted = bool(self.recording is not None and self.recording.status == "deleted")
        try:
            recording = await self.app.api(self.app.client.fetch_recording(self.sid, include_deleted))
        except ApiError as error:
            self.app.notify_error(error, action=f"Loading {self.sid}")
            if self.recording is None:
                self.fields.show_message(Text(f"Could not load {self.sid}: {literal(error.summary)}", style="red"))
            return
        self.recording = recording
        self.fields.show(recording)
        self._update_status()

    @work(exclusive=True, group="transcriptions")
    async def _load_transcriptions(self) -> None:
        title = self.query_one("#transcriptions-title", Static)
        title.update("Transcriptions · loading…")
        try:
            page = await self.app.api(self.app.client.list_transcriptions(self.sid))
        except ApiError as error:
            title.update(Text(f"Transcriptions · could not load: {literal(error)}", style="red"))
            self.app.notify_error(error, action="Loading transcriptions")
            return
        table = self.query_one("#transcriptions", DataTable)
        table.clear()
        self.transcriptions = {}
        for t in page.items:
            key = t.sid or f"row-{len(self.transcriptions)}"
            self.transcriptions[key] = t
            table.add_row(
                Text(short_sid(t.sid) if t.sid else MISSING),
                status_text(t.status),
                Text(format_duration(t.duration)),
                Text(format_price(t.price, t.price_unit)),
                key=key,
            )
        count = len(page.items)
        more = "+" if page.has_next else ""
        if count:
            title.update(f"Transcriptions · {count}{more} · enter opens")
        else:
            title.update(Text("Transcriptions · none", style="dim"))
            if table.has_focus:  # nothing to pick: let j/k scroll the fields instead
                self.fields.focus()
        self._update_status()

    @work(exclusive=True, group="add-ons")
    async def _load_add_on_results(self) -> None:
        title = self.query_one("#add-ons-title", Static)
        table = self.query_one("#add-ons", DataTable)
        try:
            page = await self.app.api(self.app.client.list_add_on_results(self.sid))
        except NotFoundError:
            return  # a provider without Add-ons (SignalWire): nothing to list
        except ApiError as error:
            title.display = True
            title.update(Text(f"Add-on results · could not load: {literal(error)}", style="red"))
            return
        self.add_on_results = list(page.items)
        table.clear()
        for result in page.items:
            table.add_row(
                Text(short_sid(result.sid) if result.sid else MISSING),
                status_text(result.status),
                Text(short_sid(literal(result.add_on_sid))) if result.add_on_sid else Text(MISSING),
                Text(format_date(result.date_completed, self.display_tz)[:16]),
            )
        present = bool(page.items)
        title.display = table.display = present
        if present:
            title.update(f"Add-on results · {len(page.items)}")

    # -- events and actions ------------------------------------------------------------------

    @on(DataTable.RowSelected, "#transcriptions")
    def _open_transcription(self, event: DataTable.RowSelected) -> None:
        transcription = self.transcriptions.get(str(event.row_key.value))
        if transcription is not None:
            from rec_tui.ui.screens.transcription import TranscriptionScreen

            self.app.push_screen(TranscriptionScreen(transcription, display_tz=self.display_tz))

    def _update_status(self) -> None:
        r = self.recording
        text = Text()
        if r is not None:
            text.append_text(status_text(r.status, r.error_code))
            text.append(f" · {format_duration(r.duration)}")
            # literal(): the API may send anything as a SID (an escape sequence, say).
            if r.call_sid:
                text.append(f" · call {literal(short_sid(r.call_sid))}")
            if r.conference_sid:
                text.append(f" · conference {literal(short_sid(r.conference_sid))}")
        text.append(" · esc back · c this call's recordings · y copy SID", style="dim")
        self.query_one(StatusLine).show(text)

    def action_back(self) -> None:
        self.dismiss()

    def action_refresh(self) -> None:
        self._fetch_recording()
        self._load_transcriptions()
        self._load_add_on_results()

    def action_delete(self) -> None:
        from rec_tui.ui.screens.delete import request_delete_shown

        request_delete_shown(self)

    def show_deleted(self, recording: Recording) -> None:
        """After a delete from here: shown as the API now lists it (``deleted``), then re-read."""
        self.recording = recording
        self.fields.show(recording)
        self._update_status()
        self._fetch_recording()

    def action_focus(self, widget_id: str) -> None:
        widget = self.query_one(f"#{widget_id}")
        if widget.display:
            widget.focus()

    def action_related(self, kind: str = "") -> None:
        from rec_tui.ui.screens.recordings import related_filter

        if self.recording is None:
            return
        filter = related_filter(self, self.recording, kind)
        if filter is not None:
            self.app.show_recordings(filter)

    def action_copy_sid(self) -> None:
        self.app.copy_text(self.sid, "SID")

    def action_copy_media_url(self) -> None:
        from rec_tui.ui.screens.recordings import media_url_of

        if self.recording is not None:
            self.app.copy_text(media_url_of(self.recording, self.app.client), "media URL")
        else:
            self.app.copy_text(self.app.client.media_url(self.sid), "media URL")

    def media_recordings(self) -> list[Recording]:
        return [self.recording] if self.recording is not None else []

    def media_current(self) -> Recording | None:
        return self.recording

    def palette_commands(self) -> Iterable[PaletteCommand]:
        yield from self.media_palette_commands()
        r = self.recording
        if r is not None and r.conference_sid:
            from rec_tui.ui.screens.recordings import sid_help

            yield PaletteCommand("Recordings of this conference", sid_help(r.conference_sid, "conference"),
                                 lambda: self.action_related("conference"))
