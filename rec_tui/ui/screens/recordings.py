"""The recordings list: the table, a detail pane that follows the cursor, filters and paging.

Paging, defined:

* the table holds a contiguous run of API pages (``self.pages``), fetched by the API's own page
  URIs;
* scrolling near the end (``NearEnd``) or ``m`` appends the next page to the same table
  (infinite scroll);
* ``n`` / ``p`` replace the table with the page after the last loaded one / before the first;
* a new filter or page size starts again at the first page; ``r`` re-reads the loaded range;
* the status line shows the loaded range: ``page 3 · rows 101–150 · more available`` for one
  page, ``pages 1–3 · rows 1–150 · more available`` after scrolling.

Every request runs in a worker. Each load takes a generation number and its result is dropped
if another load started meanwhile, so a slow, stale answer never overwrites a newer view.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import replace
from datetime import tzinfo
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, Select, Static

from rec_tui.api import ApiError, Page, Recording, RecordingFilter, sids
from rec_tui.api.sids import short_sid
from rec_tui.ui.commands import PaletteCommand
from rec_tui.ui.connection import DEFAULT_PAGE_SIZE
from rec_tui.ui.formatting import literal
from rec_tui.ui.media import MEDIA_BINDINGS, MediaActions
from rec_tui.ui.screens.breakpoints import BreakpointsFromTheStart
from rec_tui.ui.widgets.app_header import AppHeader
from rec_tui.ui.widgets.footer import FittingFooter
from rec_tui.ui.widgets.player_bar import PlayerBar
from rec_tui.ui.widgets.recording_detail import RecordingDetail
from rec_tui.ui.widgets.recording_table import PreparedRows, RecordingTable
from rec_tui.ui.widgets.status_line import StatusLine

PAGE_SIZES = (20, 50, 100, 200, 500, 1000)
#: With a quick filter hiding rows, infinite scroll gives up after this many pages in a row
#: that add no visible row (``m`` goes on by hand): a filter matching nothing must not read
#: the whole account.
FRUITLESS_PAGE_LIMIT = 10

SORT_LABELS = {
    "date": "date", "sid": "SID", "duration": "duration", "status": "status", "source": "source",
    "channels": "channels", "track": "track", "call": "call/conference", "price": "price",
}


def describe_loaded(pages: list[Page[Recording]]) -> str:
    """The position line for a run of loaded pages."""
    if not pages:
        return ""
    if len(pages) == 1:
        return pages[0].position()
    first, last = pages[0], pages[-1]
    count = sum(len(p.items) for p in pages)
    rows = f"rows {first.start + 1}–{first.start + count}" if count else "no rows"
    tail = "more available" if last.has_next else "last page"
    return f"pages {first.page + 1}–{last.page + 1} · {rows} · {tail}"


class RecordingsScreen(MediaActions, BreakpointsFromTheStart):
    """The main screen; ``apply_filter(filter)`` shows another list (remembering this one)."""

    BINDING_GROUP_TITLE = "Recordings"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide"), (150, "-huge")]
    AUTO_FOCUS = "#recordings"
    #: Seconds: the detail pane follows the cursor at most this often (holding j must not stutter).
    DETAIL_INTERVAL = 0.12
    #: Seconds a load of the empty table runs before the table shows a loading overlay (the status
    #: line's spinner and the pane's "Loading…" come first): a first page usually comes sooner, and
    #: a loading table cannot hold the focus (taking it back rebuilds the footer's keys).
    LOADING_OVERLAY_DELAY = 0.5

    BINDINGS = [
        Binding("slash", "quick_filter", "Find", tooltip="narrow the loaded rows as you type"),
        Binding("f", "filters", "Filter", tooltip="date, call, conference, soft-deleted"),
        Binding("n", "next_page", "Next", tooltip="replace the table with the next page"),
        Binding("p", "previous_page", "Prev", tooltip="replace the table with the previous page"),
        Binding("m", "load_more", "Load more", show=False, tooltip="append the next page to the table"),
        Binding("r", "refresh", "Refresh"),
        Binding("c", "related", "Call's recordings", show=False,
                tooltip="all recordings of this call (or conference)"),
        Binding("escape", "back", "Back", show=False, tooltip="clear the quick filter, or the previous filter"),
        Binding("y", "copy_sid", "Copy SID", show=False),
        Binding("Y", "copy_media_url", "Copy media URL", show=False),
        Binding("i", "toggle_detail", "Detail pane", show=False, tooltip="show or hide the detail pane"),
        # Shown in the footer here (the keys of triage); FOOTER_DROP_ORDER hides some when narrow.
        *(replace(binding, show=True) for binding in MEDIA_BINDINGS),
        Binding("a", "live", "Live calls",
                tooltip="pause, resume, stop or start recordings of live calls"),
        Binding("x,delete", "delete", "Delete", show=False,
                tooltip="the marked recordings, or this one (asks first)"),
    ]

    #: Footer keys hidden first when they do not fit (at 80 columns: live calls, save as and the
    #: page keys, as infinite scroll pages anyway; with the player focused, its ±30 s and the
    #: list's keys too; narrower still, the player's seek and leg keys). enter, space, o, esc,
    #: ? and q always stay; every key stays in help (?) and the palette.
    FOOTER_DROP_ORDER = ("live", "save_as", "previous_page", "next_page", "seek(-30)", "seek(30)",
                         "refresh", "filters", "quick_filter", "download", "cycle_leg", "seek(-5)",
                         "seek(5)")

    def __init__(
        self,
        filter: RecordingFilter = RecordingFilter(),
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
        display_tz: tzinfo | None = None,
    ) -> None:
        super().__init__()
        self.filter = filter
        self.page_size = page_size
        self.display_tz = display_tz
        #: The loaded, contiguous run of pages shown in the table.
        self.pages: list[Page[Recording]] = []
        #: Filters to go back to (``esc``), most recent last.
        self.history: list[RecordingFilter] = []
        self.last_error: ApiError | None = None
        self._generation = 0
        self._activity = ""  # "loading…", "loading more…"; empty when idle
        self._fruitless_pages = 0
        self._detail_timer: Timer | None = None
        self._detail_shown_at = 0.0
        self._detail_pending = False  # a show of the cursor's row is due after the next repaint
        self._overlay_for: int | None = None  # the load (generation) a pending loading overlay is for
        self._sort_note = ""

    # -- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        self.preset_breakpoints()
        yield AppHeader("Recordings")
        yield Input(placeholder="quick filter: type to narrow the loaded rows · enter keeps it · esc clears",
                    id="quick-filter", compact=True)
        with Container(id="body"):
            yield RecordingTable(self.display_tz, id="recordings")
            yield RecordingDetail(self.display_tz, id="detail-pane")
        yield PlayerBar(id="player")
        yield StatusLine(
            Static("rows/page", id="page-size-label"),
            Select([(str(n), n) for n in PAGE_SIZES], value=self.page_size, allow_blank=False,
                   compact=True, id="page-size"),
            id="status",
        )
        yield FittingFooter(self.FOOTER_DROP_ORDER)

    @property
    def table(self) -> RecordingTable:
        return self.query_one("#recordings", RecordingTable)

    @property
    def detail(self) -> RecordingDetail:
        return self.query_one("#detail-pane", RecordingDetail)

    @property
    def status(self) -> StatusLine:
        return self.query_one("#status", StatusLine)

    @property
    def quick_filter_input(self) -> Input:
        return self.query_one("#quick-filter", Input)

    def on_mount(self) -> None:
        self.quick_filter_input.display = False
        self._reload()

    # -- loading ---------------------------------------------------------------------------

    def _start(self, activity: str) -> int:
        self._generation += 1
        self._activity = activity
        self.last_error = None
        self._update_status()
        return self._generation

    def _replace(self, activity: str, fetch: Callable[[], Awaitable[list[Page[Recording]]]],
                 *, keep_sid: str | None = None) -> None:
        """Replace the table with the pages ``fetch`` returns (cancels any load under way)."""
        generation = self._start(activity)
        self.workers.cancel_group(self, "append")
        self._overlay_for = None
        if not self.table.loaded_count:
            # Nothing to look at meanwhile: say that it is coming (the overlay only if it takes long).
            self.detail.show_message("Loading…")
            self._overlay_for = generation
            self.set_timer(self.LOADING_OVERLAY_DELAY, lambda: self._show_loading_overlay(generation))
        self._run_replace(generation, fetch, keep_sid)

    def _show_loading_overlay(self, generation: int) -> None:
        # Only for the load still waiting: generations only grow, and a finished load clears it.
        if generation == self._overlay_for:
            self.table.loading = True

    def _loading_done(self) -> None:
        self._overlay_for = None
        self.table.loading = False

    @work(exclusive=True, group="replace")
    async def _run_replace(self, generation: int, fetch: Callable[[], Awaitable[list[Page[Recording]]]],
                           keep_sid: str | None) -> None:
        try:
            pages = await fetch()
        except ApiError as error:
            if generation == self._generation:
                self._failed(error)
            return
        table = self.table
        rows = await self._prepare([r for page in pages for r in page.items])
        if generation != self._generation:
            return  # a newer load has started: this answer is stale
        self._activity = ""
        self._fruitless_pages = 0
        self.pages = pages
        self._loading_done()
        table.set_recordings(rows)
        if keep_sid is not None:
            table.move_cursor_to_sid(keep_sid)
        self._update_status()
        self._show_detail_now()

    def _failed(self, error: ApiError) -> None:
        self._activity = ""
        self._loading_done()
        self.last_error = error
        self.app.notify_error(error)
        self._update_status()
        if not self.table.loaded_count:
            self.detail.show_message(Text(f"Could not load recordings: {literal(error.summary)}", style="red"))

    async def _prepare(self, recordings: list[Recording]) -> PreparedRows:
        """The rows' quick-filter texts, made in a thread: 1000 rows take ~4 ms of the event loop
        otherwise, once per page infinite scroll loads."""
        return await asyncio.to_thread(PreparedRows.prepare, recordings, self.table.display_tz)

    def _api(self, request: Awaitable[Any]) -> Awaitable[Any]:
        return self.app.api(request)

    def _reload(self, *, keep_sid: str | None = None) -> None:
        filter, size = self.filter, self.page_size
        client = self.app.client
        sent = self.app.connection.take_first_page(filter, size)  # sent ahead (launch, switch), if for this list

        async def first_page() -> list[Page[Recording]]:
            return [await self._api(sent if sent is not None else client.list_recordings(filter, size))]

        self._replace("loading…", first_page, keep_sid=keep_sid)

    def _append_next(self) -> None:
        if not self.pages or not self.pages[-1].has_next or self._activity:
            return
        generation = self._generation
        self._activity = "loading more…"
        self._update_status()
        self._run_append(generation, self.pages[-1])

    # A description of its own: Textual's default is the repr of the arguments, and the last
    # page's repr is its every recording (a 1000-row page took ~30 ms per load to describe).
    @work(exclusive=True, group="append", description="load the next page")
    async def _run_append(self, generation: int, last: Page[Recording]) -> None:
        try:
            page = await self._api(self.app.client.next_page(last))
        except ApiError as error:
            if generation == self._generation:
                self._failed(error)
            return
        rows = await self._prepare(page.items) if page is not None else None
        if generation != self._generation or not self.pages or self.pages[-1] is not last:
            return
        self._activity = ""
        if page is None or rows is None:
            self._update_status()
            return
        table = self.table
        visible_before = table.visible_count
        self.pages.append(page)
        table.append_recordings(rows)
        if table.quick_filter and table.visible_count == visible_before:
            self._fruitless_pages += 1
        else:
            self._fruitless_pages = 0
        self._update_status()
        if table.cursor_recording is not None and self.detail.recording is None:
            self._show_detail_now()

    # -- status line -----------------------------------------------------------------------

    def _update_status(self) -> None:
        table = self.table
        parts: list[Text] = []
        loaded = sum(len(p.items) for p in self.pages)
        if self.pages and loaded == 0:
            parts.append(Text(f"No recordings match: {literal(self.filter.describe())}", style="bold yellow"))
        else:
            if not self.filter.is_empty:
                parts.append(Text(literal(self.filter.describe()), style="bold"))
            if self.pages:
                parts.append(Text(describe_loaded(self.pages)))
        if table.quick_filter:
            quick = Text(f"find “{literal(table.quick_filter)}”: {table.visible_count} of {table.loaded_count}",
                         style="bold")
            if self._fruitless_pages >= FRUITLESS_PAGE_LIMIT and self.pages and self.pages[-1].has_next:
                quick.append(" (m searches more pages)", style="not bold")
            parts.append(quick)
        if self._sort_note:
            parts.append(Text(self._sort_note))
        marks = len(table.marked_sids)
        if marks:
            parts.append(Text(f"{marks} marked", style="bold"))
        if self._activity:
            parts.append(Text(self._activity, style="italic"))
        elif self.last_error is not None:
            parts.append(Text(f"error: {literal(self.last_error)}", style="bold red"))
        if self.history and not self._activity:
            parts.append(Text("esc: previous filter", style="dim"))
        self.status.show(Text(" · ").join(parts))

    # -- table events ------------------------------------------------------------------------

    @on(RecordingTable.CursorChanged)
    def _cursor_changed(self, event: RecordingTable.CursorChanged) -> None:
        # Throttled: a fast run of moves shows its last row. The pane is drawn right after a
        # repaint, in a screen update of its own: the cursor answers the key in one short frame
        # and the pane follows in the next, instead of one frame twice as long.
        if self._detail_timer is not None or self._detail_pending:
            return
        wait = self.DETAIL_INTERVAL - (time.monotonic() - self._detail_shown_at)
        if wait <= 0:
            self._show_detail_after_refresh()
        else:
            self._detail_timer = self.set_timer(wait, self._show_detail_after_refresh)

    def _show_detail_after_refresh(self) -> None:
        self._detail_timer = None
        self._detail_pending = True
        self.call_after_refresh(self._show_detail_now)

    def _show_detail_now(self) -> None:
        self._detail_pending = False
        if self._detail_timer is not None:
            self._detail_timer.stop()
            self._detail_timer = None
        self._detail_shown_at = time.monotonic()
        table = self.table
        recording = table.cursor_recording
        if recording is not None:
            self.detail.show(recording)
        elif self._activity and not table.loaded_count:
            self.detail.show_message("Loading…")
        elif self.pages and not table.loaded_count:
            self.detail.show_message(f"No recordings match: {literal(self.filter.describe())}")
        elif table.loaded_count:
            self.detail.show_message(f"No loaded recording matches “{literal(table.quick_filter)}”")
        else:
            self.detail.show(None)

    @on(RecordingTable.Activated)
    def _activated(self, event: RecordingTable.Activated) -> None:
        self.app.open_recording(event.recording)

    @on(RecordingTable.NearEnd)
    def _near_end(self, event: RecordingTable.NearEnd) -> None:
        if self.table.quick_filter and self._fruitless_pages >= FRUITLESS_PAGE_LIMIT:
            self._update_status()
            return
        self._append_next()

    @on(RecordingTable.MarksChanged)
    def _marks_changed(self, event: RecordingTable.MarksChanged) -> None:
        self._update_status()

    @on(RecordingTable.SortChanged)
    def _sort_changed(self, event: RecordingTable.SortChanged) -> None:
        if event.key == "date" and event.descending:
            self._sort_note = ""  # the API's own order
        else:
            arrow = "↓" if event.descending else "↑"
            self._sort_note = f"sorted by {SORT_LABELS.get(event.key, event.key)} {arrow} (loaded rows)"
        self._update_status()

    # -- quick filter ------------------------------------------------------------------------

    def action_quick_filter(self) -> None:
        field = self.quick_filter_input
        field.display = True
        field.focus()

    @on(Input.Changed, "#quick-filter")
    def _quick_filter_changed(self, event: Input.Changed) -> None:
        self._fruitless_pages = 0
        self.table.set_quick_filter(event.value)
        self._update_status()
        self._show_detail_now()

    @on(Input.Submitted, "#quick-filter")
    def _quick_filter_submitted(self, event: Input.Submitted) -> None:
        if not event.value:
            self.quick_filter_input.display = False
        self.table.focus()

    def clear_quick_filter(self) -> None:
        field = self.quick_filter_input
        field.value = ""  # posts Changed, which clears the table's filter
        self.table.set_quick_filter("")
        field.display = False
        self.table.focus()

    # -- filters and history -----------------------------------------------------------------

    def apply_filter(self, filter: RecordingFilter, *, remember: bool = True) -> None:
        """Show the recordings matching ``filter``; ``esc`` comes back to the current one."""
        if remember and filter != self.filter:
            self.history.append(self.filter)
            del self.history[:-20]
        self.filter = filter
        self.pages = []
        self.table.set_recordings([])
        self._reload()

    def action_filters(self, focus_field: str | None = None) -> None:
        from rec_tui.ui.screens.filters import FilterScreen

        def done(result: RecordingFilter | None) -> None:
            if result is not None and result != self.filter:
                self.apply_filter(result)

        self.app.push_screen(FilterScreen(self.filter, focus_field=focus_field), done)

    def action_back(self) -> None:
        if self.quick_filter_input.has_focus or self.table.quick_filter:
            self.clear_quick_filter()
        elif self.history:
            self.apply_filter(self.history.pop(), remember=False)
        elif not self.filter.is_empty:
            self.notify("esc again… there is no earlier filter; f changes this one", timeout=3)

    def action_clear_filters(self) -> None:
        if not self.filter.is_empty:
            self.apply_filter(RecordingFilter())

    def action_related(self, kind: str = "") -> None:
        recording = self.table.cursor_recording
        if recording is None:
            return
        filter = related_filter(self, recording, kind)
        if filter is not None:
            self.apply_filter(filter)

    # -- paging ------------------------------------------------------------------------------

    def action_next_page(self) -> None:
        if not self.pages:
            return
        last = self.pages[-1]
        if not last.has_next:
            self.notify("this is the last page", timeout=2)
            return
        client = self.app.client

        async def next_page() -> list[Page[Recording]]:
            page = await self._api(client.next_page(last))
            return [page] if page is not None else [last]

        self._replace("loading the next page…", next_page)

    def action_previous_page(self) -> None:
        if not self.pages:
            return
        first = self.pages[0]
        if not first.has_previous:
            self.notify("this is the first page", timeout=2)
            return
        client = self.app.client

        async def previous_page() -> list[Page[Recording]]:
            page = await self._api(client.previous_page(first))
            return [page] if page is not None else [first]

        self._replace("loading the previous page…", previous_page)

    def action_load_more(self) -> None:
        self._fruitless_pages = 0
        if self.pages and not self.pages[-1].has_next:
            self.notify("every page is loaded", timeout=2)
            return
        self._append_next()

    def action_refresh(self) -> None:
        """Re-read the loaded range; the cursor stays on its recording if it is still there."""
        current = self.table.cursor_recording
        keep_sid = current.sid if current is not None else None
        if not self.pages:
            self._reload(keep_sid=keep_sid)
            return
        count = len(self.pages)
        first = self.pages[0]
        client, filter, size = self.app.client, self.filter, self.page_size

        async def reread() -> list[Page[Recording]]:
            if first.page == 0 or not first.uri:
                page = await self._api(client.list_recordings(filter, size))
            else:
                page = await self._api(client.fetch_page(Recording, first.uri))
            pages = [page]
            while len(pages) < count and pages[-1].has_next:
                following = await self._api(client.next_page(pages[-1]))
                if following is None:
                    break
                pages.append(following)
            return pages

        self._replace("refreshing…", reread, keep_sid=keep_sid)

    @on(Select.Changed, "#page-size")
    def _page_size_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, int) and event.value != self.page_size:
            self.set_page_size(event.value)

    def set_page_size(self, size: int) -> None:
        self.page_size = size
        select = self.query_one("#page-size", Select)
        if select.value != size:
            with select.prevent(Select.Changed):
                select.value = size
        current = self.table.cursor_recording
        self._reload(keep_sid=current.sid if current is not None else None)

    # -- clipboard and view --------------------------------------------------------------------

    def action_copy_sid(self) -> None:
        recording = self.table.cursor_recording
        if recording is not None and recording.sid:
            self.app.copy_text(recording.sid, "SID")

    def action_copy_media_url(self) -> None:
        recording = self.table.cursor_recording
        if recording is None or not recording.sid:
            return
        self.app.copy_text(media_url_of(recording, self.app.client), "media URL")

    def action_toggle_detail(self) -> None:
        self.detail.display = not self.detail.display

    # -- media (d, s, o) -------------------------------------------------------------------------

    def media_recordings(self) -> list[Recording]:
        """The marked rows (in table order), else the row under the cursor."""
        table = self.table
        marked = table.marked_sids
        if marked:
            return [r for r in table.all_recordings if r.sid in marked]
        current = table.cursor_recording
        return [current] if current is not None else []

    def media_current(self) -> Recording | None:
        return self.table.cursor_recording

    # -- live calls and deleting (issue 4) -------------------------------------------------------

    def action_live(self) -> None:
        from rec_tui.ui.screens.live import open_live

        open_live(self.app)

    def action_delete(self) -> None:
        from rec_tui.ui.screens.delete import request_delete

        request_delete(self)

    # -- command palette -----------------------------------------------------------------------

    def palette_commands(self) -> Iterable[PaletteCommand]:
        yield PaletteCommand("Filter by call SID…", "open the filter form at the CallSid field",
                             lambda: self.action_filters("call_sid"))
        yield PaletteCommand("Filter by conference SID…", "open the filter form at the ConferenceSid field",
                             lambda: self.action_filters("conference_sid"))
        yield PaletteCommand("Filter by date created…", "open the filter form at the date fields",
                             lambda: self.action_filters("created_on"))
        yield PaletteCommand("Include soft-deleted recordings", "toggle IncludeSoftDeleted",
                             lambda: self.apply_filter(self.filter.with_changes(
                                 include_soft_deleted=not self.filter.include_soft_deleted)))
        if not self.filter.is_empty:
            yield PaletteCommand("Clear filters", f"show all recordings (now: {self.filter.describe()})",
                                 self.action_clear_filters)
        if self.history:
            yield PaletteCommand("Back to the previous filter", literal(self.history[-1].describe()),
                                 self.action_back)
        recording = self.table.cursor_recording
        if recording is not None:
            if recording.call_sid:
                yield PaletteCommand("Recordings of this call", sid_help(recording.call_sid, "call"),
                                     lambda: self.action_related("call"))
            if recording.conference_sid:
                yield PaletteCommand("Recordings of this conference", sid_help(recording.conference_sid, "conference"),
                                     lambda: self.action_related("conference"))
        yield from self.media_palette_commands()
        for size in PAGE_SIZES:
            if size != self.page_size:
                yield PaletteCommand(f"Page size {size}", "rows per request; reloads from the first page",
                                     lambda size=size: self.set_page_size(size))


def related_filter(screen: Screen, recording: Recording, kind: str = "") -> RecordingFilter | None:
    """The filter behind ``c`` (``kind`` "call" or "conference" from the palette; "" the call, else
    the conference), or None after telling the user why there is none.

    The SIDs come from the API, so they are checked as the filter form checks typed ones (Twilio's
    CA…/CF…, or a SignalWire UUID): a malformed one is reported and never sent.
    """
    if kind == "call" and not recording.call_sid:
        screen.notify("this recording has no call SID", severity="warning")
        return None
    if kind == "conference" and not recording.conference_sid:
        screen.notify("this recording is not of a conference", severity="warning")
        return None
    if kind != "conference" and recording.call_sid:
        what, sid = "call", recording.call_sid
    elif recording.conference_sid:
        what, sid = "conference", recording.conference_sid
    else:
        screen.notify("this recording names neither a call nor a conference", severity="warning")
        return None
    if not sids.is_sid(sid, what):
        shown = literal(sid[:60]) + ("…" if len(sid) > 60 else "")
        screen.notify(f"The API gave this recording a malformed {what} SID: {shown}\n"
                      f"(expected {sids.describe(what)}). Nothing was requested.",
                      title=f"Not a {what} SID", severity="error", markup=False, timeout=10)
        return None
    return RecordingFilter(**{f"{what}_sid": sid})


def sid_help(sid: str, kind: str) -> str:
    """A palette entry's help for a SID the API sent. The palette reads help as markup (a ``[``
    can break it) and prints controls as they are, so a malformed SID is not shown there."""
    return short_sid(sid) if sids.is_sid(sid, kind) else f"malformed {kind} SID: see c"


def media_url_of(recording: Recording, client: Any) -> str:
    """The recording's ``media_url`` as the API gave it, else the client's own URL for it."""
    if recording.media_url:
        return recording.media_url
    return client.media_url(recording.sid)
