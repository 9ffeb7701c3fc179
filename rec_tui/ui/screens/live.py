"""The live view (``a``): in-progress calls and conferences with their recordings, kept fresh.

What it shows, each refresh (automatic every ``refresh_interval`` seconds, ``r`` at once):

* every in-progress call and, under it, its own recordings; every in-progress conference and,
  under it, its recordings (``Calls.json?Status=in-progress``, ``Conferences.json?…``, then each
  one's recordings list);
* recordings whose call or conference ended while the view was open, under *Ended*, followed
  until they are ``completed`` — so ``in-progress → processing → completed`` is seen happening;
* a status that changed since the previous refresh shows where it came from (``paused ← in-progress``).

Actions on the selected row: pause (asks skip or silence), resume, stop (asks first: it is
final) on a live recording; start recording (a form) on a live call. An action that does not
apply is greyed out in the footer, and the panel under the table says why (stop on a
conference recording, say); pressing its key says it too, and sends nothing. Every answer is
shown: a notification on success, Twilio's code and message on failure.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import tzinfo
from typing import Any

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Static

from rec_tui.api import ApiError, Call, Conference, NotFoundError, Recording
from rec_tui.api.sids import is_sid, short_sid
from rec_tui.ui.commands import PaletteCommand
from rec_tui.ui.formatting import STATUS_STYLES, format_date, format_duration, literal
from rec_tui.ui.screens.dialogs import ConfirmScreen, PauseChoiceScreen, StartOptions, StartRecordingScreen
from rec_tui.ui.widgets.app_header import AppHeader
from rec_tui.ui.widgets.status_line import StatusLine

#: Seconds between automatic refreshes unless the app (``live_refresh_interval``) says otherwise.
DEFAULT_INTERVAL = 5.0
INTERVAL_CHOICES = (2.0, 5.0, 10.0, 30.0)
ACTIVE = frozenset({"in-progress", "paused"})
#: Statuses after which a recording no longer changes (it is no longer fetched).
FINAL = frozenset({"completed", "absent", "deleted", "failed"})
#: Ended recordings kept on view (newest first).
ENDED_KEPT = 8
#: Column widths; the detail column takes what is left of the table's width.
COLUMNS = (("What", 12), ("SID", 11), ("Status", 11), ("Length", 7))
MIN_DETAIL_WIDTH = 16

#: (action, key, label) in the order the panel lists them.
ACTIONS = (
    ("pause", "p", "Pause…"),
    ("resume", "u", "Resume"),
    ("stop", "s", "Stop…"),
    ("start", "n", "Start recording…"),
)
KEY_ACTIONS = {key: (action, label) for action, key, label in ACTIONS}


def open_live(app: Any) -> None:
    """Open the live view (the app's ``live_refresh_interval`` sets its refresh, in seconds);
    back to it if it is open under other screens."""
    for screen in app.screen_stack:
        if isinstance(screen, LiveScreen):
            while app.screen is not screen:
                app.pop_screen()
            return
    interval = getattr(app, "live_refresh_interval", DEFAULT_INTERVAL)
    app.push_screen(LiveScreen(refresh_interval=interval, display_tz=getattr(app, "display_tz", None)))


# -- what is live ------------------------------------------------------------------------------------


@dataclass
class LiveCall:
    call: Call
    recordings: list[Recording]  # the call's own (not its conference's), newest first
    conference_sid: str | None = None  # the conference it takes part in, when its recordings say so


@dataclass
class LiveConference:
    conference: Conference
    recordings: list[Recording]


@dataclass
class LiveSnapshot:
    calls: list[LiveCall] = field(default_factory=list)
    conferences: list[LiveConference] = field(default_factory=list)

    def recordings(self) -> Iterable[Recording]:
        for live_call in self.calls:
            yield from live_call.recordings
        for live_conference in self.conferences:
            yield from live_conference.recordings


async def fetch_live(app: Any) -> LiveSnapshot:
    """Every in-progress call and conference with its recordings (requests run side by side)."""
    client = app.client
    calls_page, conferences_page = await asyncio.gather(
        app.api(client.list_calls("in-progress", page_size=100)),
        app.api(client.list_conferences("in-progress", page_size=50)),
    )
    # Only well-formed SIDs go into the next request paths (the client would refuse the rest).
    calls = [c for c in calls_page.items if is_sid(c.sid, "call")]
    conferences = [c for c in conferences_page.items if is_sid(c.sid, "conference")]
    call_pages = await asyncio.gather(*(app.api(client.list_call_recordings(c.sid)) for c in calls))
    conference_pages = await asyncio.gather(
        *(app.api(client.list_conference_recordings(c.sid)) for c in conferences))
    snapshot = LiveSnapshot()
    for call, page in zip(calls, call_pages):
        own = [r for r in page.items if r.sid and not r.conference_sid]
        conference_sid = next((r.conference_sid for r in page.items if r.conference_sid), None)
        snapshot.calls.append(LiveCall(call, own, conference_sid))
    for conference, page in zip(conferences, conference_pages):
        snapshot.conferences.append(LiveConference(conference, [r for r in page.items if r.sid]))
    return snapshot


@dataclass(frozen=True)
class LiveItem:
    """One row: a call, a conference, one of their recordings, or the *Ended* heading."""

    kind: str  # "call" | "conference" | "recording" | "heading"
    key: str
    call: Call | None = None
    conference: Conference | None = None
    recording: Recording | None = None
    #: For a recording: the call or conference it belongs to is still in progress.
    parent_live: bool = False
    #: For a call: the conference it takes part in (known from its recordings).
    in_conference: str | None = None


def action_reasons(item: LiveItem | None, pending: dict[str, str]) -> dict[str, str | None]:
    """For each action, None when it applies to ``item``, else why not (shown as is)."""
    select = "select a call or a recording first"
    if item is None or item.kind == "heading":
        return {action: select for action, *_ in ACTIONS}
    if item.kind == "conference":
        pick = "select one of the conference's recordings"
        return {"pause": pick, "resume": pick, "stop": pick, "start": "a conference records by its own settings"}
    if item.kind == "call":
        assert item.call is not None
        start: str | None = None
        if item.call.sid in pending:
            start = f"{pending[item.call.sid]} — wait for its answer"
        elif item.call.status != "in-progress":
            start = f"the call is {literal(item.call.status)}, not in progress"
        reason = "select one of the call's recordings"
        return {"pause": reason, "resume": reason, "stop": reason, "start": start}
    recording = item.recording
    assert recording is not None
    status = recording.status or "unknown"
    shown = literal(status)
    reasons: dict[str, str | None] = {}
    if recording.sid in pending:
        busy = f"{pending[recording.sid]} — wait for its answer"
        reasons = {"pause": busy, "resume": busy, "stop": busy}
    else:
        ended = f"it is {shown}: the recording has ended"
        reasons["pause"] = None if status == "in-progress" else ("already paused" if status == "paused" else ended)
        reasons["resume"] = None if status == "paused" else ("not paused" if status == "in-progress" else ended)
        if recording.conference_sid:
            reasons["stop"] = "conference recordings cannot be stopped: pause instead"
        elif status in ACTIVE:
            reasons["stop"] = None
        else:
            reasons["stop"] = ended
    if recording.conference_sid:
        reasons["start"] = "a conference records by its own settings"
    elif not item.parent_live:
        reasons["start"] = "its call has ended"
    elif recording.call_sid in pending:
        reasons["start"] = f"{pending[recording.call_sid]} — wait for its answer"
    else:
        reasons["start"] = None  # another recording on the same call
    return reasons


# -- the screen ----------------------------------------------------------------------------------------


class LiveTable(DataTable):
    """The live rows; tells its screen when its width changes (the detail column takes the rest)."""

    BINDINGS = [
        Binding("j", "cursor_down", "Cursor down", show=False),
        Binding("k", "cursor_up", "Cursor up", show=False),
        Binding("g", "scroll_top", "First row", show=False),
        Binding("G", "scroll_bottom", "Last row", show=False),
    ]

    def on_resize(self, event: events.Resize) -> None:
        relayout = getattr(self.screen, "relayout", None)
        if relayout is not None:
            relayout()


class LiveScreen(Screen):
    """``LiveScreen(refresh_interval=5.0)``; an interval of 0 (or None) refreshes only on ``r``."""

    BINDING_GROUP_TITLE = "Live calls"
    AUTO_FOCUS = "#live-table"

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("p", "pause", "Pause…", tooltip="pause the selected recording (asks skip or silence)"),
        Binding("u", "resume", "Resume", tooltip="resume the selected paused recording"),
        Binding("s", "stop", "Stop…", tooltip="stop the selected recording for good (asks first)"),
        Binding("n", "start", "Start recording…", tooltip="record the selected call (a form)"),
        Binding("r", "refresh", "Refresh", tooltip="refresh now"),
        Binding("y", "copy_sid", "Copy SID", show=False),
    ]

    def __init__(self, *, refresh_interval: float | None = DEFAULT_INTERVAL,
                 display_tz: tzinfo | None = None) -> None:
        super().__init__()
        self.refresh_interval = refresh_interval or 0.0
        self.display_tz = display_tz
        self.snapshot: LiveSnapshot | None = None
        #: Recordings whose call or conference ended while on view, newest first.
        self.ended: dict[str, Recording] = {}
        #: Requests under way, by the SID they act on: "pausing", "starting a recording", …
        self.pending: dict[str, str] = {}
        #: How many refreshes have completed (tests and the status line).
        self.refresh_count = 0
        self.last_error: ApiError | None = None
        self.items: list[LiveItem] = []
        self._statuses: dict[str, str] = {}  # each recording's status at the previous refresh
        self._changes: dict[str, str] = {}  # sid -> the status it changed from, this refresh
        self._live_sids: set[str] = set()
        self._refreshing = False
        self._again = False
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield AppHeader("Live calls")
        with Vertical(id="live-body"):
            yield LiveTable(id="live-table", cursor_type="row", zebra_stripes=True)
            yield Static(id="live-actions")
        yield StatusLine(id="status")
        yield Footer(compact=True, show_command_palette=False)

    @property
    def table(self) -> DataTable:
        return self.query_one("#live-table", DataTable)

    @property
    def status(self) -> StatusLine:
        return self.query_one("#status", StatusLine)

    def on_mount(self) -> None:
        self._detail_width = 0
        self._layout_columns()
        self.table.loading = True
        self.set_refresh_interval(self.refresh_interval)
        self.refresh_now()

    # -- refreshing ----------------------------------------------------------------------------------

    def on_screen_suspend(self) -> None:
        # Under a dialog or another screen nothing here is seen: no requests meanwhile.
        self._suspended = True
        if self._timer is not None:
            self._timer.pause()

    def on_screen_resume(self) -> None:
        if self._timer is not None:
            self._timer.resume()
        if getattr(self, "_suspended", False):
            self._suspended = False
            self.refresh_now()

    def set_refresh_interval(self, seconds: float | None) -> None:
        """Refresh every ``seconds`` (0 or None: only on ``r``)."""
        self.refresh_interval = seconds or 0.0
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self.refresh_interval > 0:
            self._timer = self.set_interval(self.refresh_interval, self.refresh_now)
        if self.is_mounted:
            self._update_status()

    def refresh_now(self) -> None:
        """Refresh unless one is under way (then once more right after it)."""
        if self._refreshing:
            self._again = True
            return
        self._refreshing = True
        self._refresh()

    @work(group="live-refresh")
    async def _refresh(self) -> None:
        try:
            try:
                snapshot = await fetch_live(self.app)
                await self._follow_ended(snapshot)
            except ApiError as error:
                first = self.last_error is None
                self.last_error = error
                if first:  # once, not at every tick of a failing connection
                    self.app.notify_error(error, action="Live refresh")
                self.table.loading = False
                self._update_status()
                return
            self.last_error = None
            self.refresh_count += 1
            self.snapshot = snapshot
            self._render_rows()
        finally:
            self._refreshing = False
            if self._again:
                self._again = False
                self.refresh_now()

    async def _follow_ended(self, snapshot: LiveSnapshot) -> None:
        """Recordings that were live and whose call or conference is gone: keep them on view and
        fetch them until they are final."""
        now_live = {r.sid for r in snapshot.recordings() if r.sid}
        gone = [sid for sid in self._live_sids if sid not in now_live and sid not in self.ended]
        known = {r.sid: r for r in self._previous_recordings()}
        for sid in gone:
            if sid in known and (known[sid].status or "") not in FINAL:
                self.ended = {sid: known[sid], **self.ended}
        self.ended = dict(list(self.ended.items())[:ENDED_KEPT])
        self._live_sids = now_live
        changing = [r for r in self.ended.values() if (r.status or "") not in FINAL and is_sid(r.sid, "recording")]
        client = self.app.client
        fetched = await asyncio.gather(*(self.app.api(client.fetch_recording(r.sid)) for r in changing),
                                       return_exceptions=True)
        for old, new in zip(changing, fetched):
            if isinstance(new, Recording):
                self.ended[old.sid] = new
            elif isinstance(new, NotFoundError):
                self.ended.pop(old.sid, None)  # gone (deleted by someone): nothing left to follow
            elif isinstance(new, BaseException):
                raise new

    def _previous_recordings(self) -> Iterable[Recording]:
        if self.snapshot is not None:
            yield from self.snapshot.recordings()

    # -- rows --------------------------------------------------------------------------------------------

    def _layout_columns(self) -> bool:
        """Fit the columns to the table's width; True if they changed (the rows need adding again)."""
        table = self.table
        padding = 2 * table.cell_padding * (len(COLUMNS) + 1)
        width = max(MIN_DETAIL_WIDTH, table.size.width - sum(w for _, w in COLUMNS) - padding - 1)
        if width == self._detail_width:
            return False
        self._detail_width = width
        table.clear(columns=True)
        for label, column_width in COLUMNS:
            table.add_column(label, width=column_width)
        table.add_column("Detail", width=width)
        return True

    def relayout(self) -> None:
        """The table's width changed: fit the detail column again."""
        if self._layout_columns() and self.items:
            self._show_items(self.items)

    def _render_rows(self) -> None:
        snapshot = self.snapshot or LiveSnapshot()
        items: list[LiveItem] = []
        for live_call in snapshot.calls:
            items.append(LiveItem("call", f"call:{live_call.call.sid}", call=live_call.call,
                                  in_conference=live_call.conference_sid))
            for recording in live_call.recordings:
                items.append(LiveItem("recording", f"rec:{recording.sid}", call=live_call.call, recording=recording,
                                      parent_live=True))
        for live_conference in snapshot.conferences:
            items.append(LiveItem("conference", f"conf:{live_conference.conference.sid}",
                                  conference=live_conference.conference))
            for recording in live_conference.recordings:
                items.append(LiveItem("recording", f"rec:{recording.sid}", conference=live_conference.conference,
                                      recording=recording, parent_live=True))
        if self.ended:
            items.append(LiveItem("heading", "heading:ended"))
            for recording in self.ended.values():
                items.append(LiveItem("recording", f"rec:{recording.sid}", recording=recording))
        # A SID listed twice (a call's and the ended list, or a misbehaving server) is shown once.
        seen: set[str] = set()
        items = [item for item in items if not (item.key in seen or seen.add(item.key))]
        # What changed since the previous refresh.
        statuses = {item.recording.sid: item.recording.status or "" for item in items if item.recording}
        self._changes = {sid: self._statuses[sid] for sid, status in statuses.items()
                         if sid in self._statuses and self._statuses[sid] != status}
        self._statuses = statuses
        self._show_items(items)

    def _show_items(self, items: list[LiveItem]) -> None:
        table = self.table
        selected = self.selected
        keep_key = selected.key if selected is not None else None
        old_row = table.cursor_row
        self.items = items
        if not self._layout_columns():
            table.clear()
        for index, item in enumerate(items):
            table.add_row(*self._cells(item, index), key=item.key)
        table.loading = False
        if items:
            keys = [item.key for item in items]
            row = keys.index(keep_key) if keep_key in keys else min(max(old_row, 0), len(items) - 1)
            table.move_cursor(row=row, animate=False, scroll=True)
        self._selection_changed()
        self._update_status()

    def _cells(self, item: LiveItem, index: int) -> tuple[Text, Text, Text, Text, Text]:
        tz = self.display_tz
        if item.kind == "heading":
            return (Text("Ended", style="bold"), Text(""), Text(""), Text(""),
                    self._clip(Text("recordings of calls that ended while on view", style="dim")))
        if item.kind == "call":
            call = item.call
            assert call is not None
            what = Text("call", style="bold")
            parties = f"{literal(call.from_formatted or call.from_)} → {literal(call.to_formatted or call.to)}"
            detail = f"{parties} · {literal(call.direction)} · since {_time_of_day(call.start_time, tz)}"
            if item.in_conference:
                detail = f"in conference {short_sid(item.in_conference)} · " + detail
            return (what, Text(short_sid(call.sid)), _status(call.status), Text(""), self._clip(Text(detail)))
        if item.kind == "conference":
            conference = item.conference
            assert conference is not None
            detail = (f"“{literal(conference.friendly_name)}” · {literal(conference.region)}"
                      f" · since {_time_of_day(conference.date_created, tz)}")
            return (Text("conference", style="bold"), Text(short_sid(conference.sid)), _status(conference.status),
                    Text(""), self._clip(Text(detail)))
        recording = item.recording
        assert recording is not None
        last_of_group = index + 1 >= len(self.items) or self.items[index + 1].kind != "recording"
        branch = "└" if last_of_group else "├"
        what = Text(f" {branch} recording") if item.parent_live else Text("   recording", style="dim")
        channels = {1: "mono", 2: "dual"}.get(recording.channels or 0, literal(recording.channels))
        parts = [channels, literal(recording.source), literal(recording.track)]
        if not item.parent_live and recording.call_sid:
            parts.insert(0, f"call {short_sid(recording.call_sid)}")
        detail = Text()
        pending = self.pending.get(recording.sid or "")
        previous = self._changes.get(recording.sid or "")
        if pending:
            detail.append(f"{pending}… ", style="bold italic")
        elif previous:
            # A transition since the previous refresh: where it came from.
            detail.append(f"was {literal(previous)} ", style="bold yellow")
        detail.append(" · ".join(p for p in parts if p and p != "—"))
        return (what, Text(short_sid(recording.sid)), _status(recording.status),
                Text(format_duration(recording.duration)), self._clip(detail))

    def _clip(self, text: Text) -> Text:
        width = self._detail_width or MIN_DETAIL_WIDTH
        if text.cell_len > width:
            text.truncate(width - 1)
            text.append("…")
        return text

    # -- selection and the actions panel ------------------------------------------------------------------

    @property
    def selected(self) -> LiveItem | None:
        row = self.table.cursor_row if self.is_mounted else -1
        if 0 <= row < len(self.items):
            return self.items[row]
        return None

    def reasons(self) -> dict[str, str | None]:
        return action_reasons(self.selected, self.pending)

    @on(DataTable.RowHighlighted, "#live-table")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._selection_changed()

    def _selection_changed(self) -> None:
        self.refresh_bindings()
        self.query_one("#live-actions", Static).update(self._actions_text())

    def _actions_text(self) -> Text:
        item = self.selected
        text = Text()
        if item is None or item.kind == "heading":
            text.append("Nothing selected", style="bold")
        elif item.kind == "call" and item.call is not None:
            text.append(f"Call {literal(item.call.sid)}", style="bold")
            text.append(f" · {literal(item.call.status)}")
        elif item.kind == "conference" and item.conference is not None:
            text.append(f"Conference {literal(item.conference.sid)}", style="bold")
            text.append(f" · {literal(item.conference.status)}")
        elif item.recording is not None:
            recording = item.recording
            text.append(f"Recording {literal(recording.sid)}", style="bold")
            text.append(f" · {literal(recording.status)}")
        reasons = self.reasons()
        for action, key, label in ACTIONS:
            reason = reasons[action]
            text.append("\n")
            text.append(f" {key} ", style="bold reverse" if reason is None else "dim")
            text.append(f" {label:<17}", style="bold" if reason is None else "dim")
            if reason is None:
                text.append(_ready_note(action), style="green")
            else:
                text.append(f"✕ {reason}", style="dim")
        return text

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {a for a, *_ in ACTIONS}:
            return True if self.reasons().get(action) is None else None  # None: shown greyed out
        return True

    def on_key(self, event: events.Key) -> None:
        # A greyed-out action's key says why it does not apply (the binding itself is disabled).
        found = KEY_ACTIONS.get(event.key)
        if found is None:
            return
        action, label = found
        reason = self.reasons().get(action)
        if reason is not None:
            event.stop()
            event.prevent_default()
            self.notify(f"{label.rstrip('…')}: {reason}", title="Not available", severity="warning",
                        markup=False, timeout=5)

    # -- status line -----------------------------------------------------------------------------------------

    def _update_status(self) -> None:
        parts: list[Text] = []
        snapshot = self.snapshot
        if snapshot is not None:
            active = sum(1 for r in snapshot.recordings() if r.status in ACTIVE)
            calls = len(snapshot.calls)
            conferences = len(snapshot.conferences)
            parts.append(Text(f"{calls} call{'s' if calls != 1 else ''} · {conferences} "
                              f"conference{'s' if conferences != 1 else ''} · {active} active "
                              f"recording{'s' if active != 1 else ''}"))
        else:
            parts.append(Text("loading…", style="italic"))
        if self.refresh_interval > 0:
            parts.append(Text(f"auto-refresh every {_seconds(self.refresh_interval)}"))
        else:
            parts.append(Text("auto-refresh off · r refreshes"))
        if self.pending:
            parts.append(Text(", ".join(f"{v} {short_sid(k)}" for k, v in self.pending.items()) + "…",
                              style="italic"))
        if self.last_error is not None:
            parts.append(Text(f"refresh failed: {literal(self.last_error)}", style="bold red"))
        self.status.show(Text(" · ").join(parts))

    # -- actions ---------------------------------------------------------------------------------------------

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_refresh(self) -> None:
        self.refresh_now()

    def action_copy_sid(self) -> None:
        item = self.selected
        if item is None:
            return
        sid = (item.recording.sid if item.recording else item.call.sid if item.call and item.kind == "call"
               else item.conference.sid if item.conference else None)
        if sid:
            self.app.copy_text(sid, "SID")

    @on(DataTable.RowSelected, "#live-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        item = self.selected
        if item is not None and item.recording is not None:
            self.app.open_recording(item.recording)

    def _target(self, action: str) -> LiveItem | None:
        """The selected item if ``action`` applies to it (else says why and returns None)."""
        item = self.selected
        reason = self.reasons().get(action)
        if reason is not None or item is None:
            self.notify(reason or "nothing selected", title="Not available", severity="warning", markup=False)
            return None
        return item

    def action_pause(self) -> None:
        item = self._target("pause")
        if item is None or item.recording is None:
            return
        recording = item.recording
        where = (f"conference {literal(recording.conference_sid)}" if recording.conference_sid
                 else f"call {literal(recording.call_sid)}")

        def chosen(behavior: str | None) -> None:
            if behavior:
                self._update(recording, "paused", behavior)

        self.app.push_screen(PauseChoiceScreen(recording.sid or "", where), chosen)

    def action_resume(self) -> None:
        item = self._target("resume")
        if item is not None and item.recording is not None:
            self._update(item.recording, "in-progress")

    def action_stop(self) -> None:
        item = self._target("stop")
        if item is None or item.recording is None:
            return
        recording = item.recording
        body = Text.assemble(
            (literal(recording.sid), "bold"), f"\non call {literal(recording.call_sid)}",
            f" · {literal(recording.status)} · {format_duration(recording.duration)} so far\n\n",
            ("Stopping is final: it cannot be resumed.", "bold"),
            " The recording is processed, then completed.")

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._update(recording, "stopped")

        self.app.push_screen(ConfirmScreen("Stop this recording?", body, "Stop recording", id="stop-confirm"),
                             confirmed)

    def action_start(self) -> None:
        item = self._target("start")
        if item is None:
            return
        call = item.call if item.kind == "call" else None
        call_sid = call.sid if call is not None else (item.recording.call_sid if item.recording else None)
        if not call_sid:
            return
        description = ""
        if call is not None:
            description = (f"{literal(call.direction)} · {literal(call.from_formatted or call.from_)} → "
                           f"{literal(call.to_formatted or call.to)}")

        def chosen(options: StartOptions | None) -> None:
            if options is not None:
                self._start_recording(call_sid, options)

        self.app.push_screen(StartRecordingScreen(call_sid, description), chosen)

    # -- requests ---------------------------------------------------------------------------------------------

    def _begin(self, sid: str, what: str) -> None:
        self.pending[sid] = what
        self._render_current()

    def _end(self, sid: str) -> None:
        self.pending.pop(sid, None)
        self._render_current()

    def _render_current(self) -> None:
        if self.items:
            self._show_items(self.items)
        else:
            self._selection_changed()
            self._update_status()

    @work(group="live-action")
    async def _update(self, recording: Recording, status: str, pause_behavior: str | None = None) -> None:
        sid = recording.sid or ""
        verb = {"paused": "pausing", "in-progress": "resuming", "stopped": "stopping"}[status]
        done = {"paused": "Paused", "in-progress": "Resumed", "stopped": "Stopped"}[status]
        self._begin(sid, verb)
        try:
            answer = await self.app.api(self.app.client.update_recording(
                sid, status, call_sid=None if recording.conference_sid else recording.call_sid,
                conference_sid=recording.conference_sid, pause_behavior=pause_behavior))
        except ApiError as error:
            self._end(sid)
            self.app.notify_error(error, action=f"{verb.capitalize()} {sid}")
            self.refresh_now()
            return
        except ValueError as error:  # the client refused the arguments: nothing was sent
            self._end(sid)
            self.notify(str(error), title="Not sent", severity="error", markup=False)
            return
        self._apply_answer(answer)
        self._end(sid)
        how = f" ({pause_behavior})" if pause_behavior else ""
        self.notify(f"{done} {literal(sid)}{how} · status {literal(answer.status)}", title="Recording",
                    markup=False, timeout=5)
        self.refresh_now()

    @work(group="live-action")
    async def _start_recording(self, call_sid: str, options: StartOptions) -> None:
        self._begin(call_sid, "starting a recording")
        try:
            answer = await self.app.api(self.app.client.create_call_recording(call_sid, **options.request_options()))
        except ApiError as error:
            self._end(call_sid)
            self.app.notify_error(error, action=f"Start recording on {call_sid}")
            self.refresh_now()
            return
        except ValueError as error:
            self._end(call_sid)
            self.notify(str(error), title="Not sent", severity="error", markup=False)
            return
        self._end(call_sid)
        self.notify(f"Recording {literal(answer.sid)} started on {literal(call_sid)} · {options.channels} · "
                    f"{options.track}", title="Recording", markup=False, timeout=5)
        self.refresh_now()

    def _apply_answer(self, answer: Recording) -> None:
        """Show an update's answer (its in-flight status: paused, in-progress, stopped) at once."""
        if self.snapshot is None or not answer.sid:
            return
        for group in [c.recordings for c in self.snapshot.calls] + [c.recordings for c in self.snapshot.conferences]:
            for index, recording in enumerate(group):
                if recording.sid == answer.sid:
                    group[index] = replace(recording, status=answer.status, duration=answer.duration)
        self._render_rows()

    # -- palette ---------------------------------------------------------------------------------------------

    def palette_commands(self) -> Iterable[PaletteCommand]:
        for seconds in INTERVAL_CHOICES:
            if seconds != self.refresh_interval:
                yield PaletteCommand(f"Live refresh every {_seconds(seconds)}", "how often the live view refreshes",
                                     lambda s=seconds: self.set_refresh_interval(s))
        if self.refresh_interval:
            yield PaletteCommand("Live refresh off", "refresh the live view only with r",
                                 lambda: self.set_refresh_interval(0))


def _status(status: str | None) -> Text:
    return Text(literal(status), style=STATUS_STYLES.get(status or "", ""))




def _time_of_day(value: Any, tz: tzinfo | None) -> str:
    """``11:52:03`` of a date as the list shows it (live things started today, or just before)."""
    shown = format_date(value, tz)
    return shown[11:] if value is not None else shown


def _seconds(value: float) -> str:
    return f"{value:g} s"


def _ready_note(action: str) -> str:
    return {"pause": "asks: skip or silence", "resume": "resumes at once", "stop": "final; asks first",
            "start": "a form; checked before sending"}[action]
