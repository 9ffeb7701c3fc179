"""A virtual table of recordings: 100,000 loaded rows, only the visible lines rendered.

``DataTable`` keeps a Rich renderable per cell and blocks for seconds on 100k rows. This widget
keeps the :class:`~rec_tui.api.models.Recording` objects themselves plus, per row, one lower-cased
search string (for the quick filter) and nothing else. Lines are rendered on demand through
Textual's Line API (``render_line``) straight into :class:`~textual.strip.Strip` segments, and the
strips are kept in a small LRU keyed by (row, cursor state, mark state); the cache is dropped
whenever the width, the columns or the theme change.

Every text field comes from an untrusted API. Cells are built from plain strings (markup is never
parsed), control characters, escapes, bidi overrides and other zero-width or format characters are
replaced by visible symbols, and every cell is cut to its column's width in terminal cells, so the
columns stay aligned whatever the data.

Rows are identified by SID. A SID loaded twice (a page boundary that shifted while paging) does not
make a second row: the later copy replaces the earlier one in place.
"""

from __future__ import annotations

import gc
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, tzinfo
from decimal import Decimal
from typing import Any, Callable, ClassVar, Iterable, Literal, Sequence

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style as TextualStyle

from rec_tui.api.models import Recording
from rec_tui.ui.widgets.scroll_bar import ScrollBarStrips, set_virtual_size

__all__ = [
    "MISSING", "Column", "RecordingTable", "columns_for_width", "fit", "format_date", "format_duration",
    "format_price", "format_price_to_fit", "sanitize",
]

# --------------------------------------------------------------------------------------------
# Text hygiene


def _control_table() -> dict[int, str]:
    table: dict[int, str] = {code: chr(0x2400 + code) for code in range(0x20)}  # ␀ … ␟ (ESC → ␛)
    table[0x7F] = "\u2421"  # ␡
    for code in range(0x80, 0xA0):  # C1 controls (CSI 0x9B among them)
        table[code] = "\ufffd"
    return table


_CONTROLS = _control_table()
_REPLACEMENT = "\ufffd"
# Categories replaced outright: format characters (bidi overrides, zero-width joiners and spaces,
# BOM, tags), surrogates (a lone one cannot even be written to the terminal), private use,
# unassigned, line/paragraph separators, and combining marks (terminals disagree on their width).
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp", "Mn", "Me"})


def sanitize(text: str) -> str:
    """``text`` made safe to print as one line of a cell, every character still visible.

    C0 controls become their Unicode control pictures (ESC → ``␛``, newline → ``␊``), DEL → ``␡``,
    and every other control, format, combining, private-use or unassigned character → ``�``.
    """
    if text.isascii():
        return text if text.isprintable() else text.translate(_CONTROLS)
    if text.isprintable() and unicodedata.is_normalized("NFC", text):
        # Printable still lets format (Cf) and combining (Mn/Me) characters through.
        category = unicodedata.category
        if not any(category(ch) in _UNSAFE_CATEGORIES for ch in text if ord(ch) > 0x7F):
            return text
    text = unicodedata.normalize("NFC", text)
    out = []
    category = unicodedata.category
    for ch in text:
        code = ord(ch)
        if code < 0x80:
            out.append(_CONTROLS.get(code, ch))
        elif category(ch) in _UNSAFE_CATEGORIES:
            out.append(_CONTROLS.get(code, _REPLACEMENT))
        else:
            out.append(ch)
    return "".join(out)


def fit(text: str, width: int, align: str = "left") -> str:
    """Sanitized ``text`` padded or cut (ending in ``…``) to exactly ``width`` terminal cells."""
    if width <= 0:
        return ""
    limit = width * 4 + 8  # 10,000-character values: never sanitize or measure more than needed
    truncated = len(text) > limit
    if truncated:
        text = text[:limit]
    text = sanitize(text)
    length = len(text) if text.isascii() else cell_len(text)
    if truncated or length > width:
        return set_cell_size(text, width - 1) + "…"
    pad = " " * (width - length)
    return pad + text if align == "right" else text + pad


# --------------------------------------------------------------------------------------------
# Columns

Align = Literal["left", "right"]


@dataclass(frozen=True, slots=True)
class Column:
    """One shown column: ``key`` is also its sort key (see :meth:`RecordingTable.sort_by`)."""

    key: str
    label: str
    width: int
    align: Align = "left"
    #: Full SIDs (``sid``, ``call``) or seconds in the date; the short form otherwise.
    full: bool = False


GUTTER = 1  # the mark column ("✓"), then one space before every column
SHORT_SID = 13  # RE1a2b3c…cdef
FULL_SID = 34
SOURCE_MIN, SOURCE_WANTED, SOURCE_MAX = 8, 21, 27  # "StartCallRecordingAPI", "StartConference…API"

SORT_KEYS = ("date", "sid", "duration", "status", "source", "channels", "track", "call", "price")
_DEFAULT_DESCENDING = {"date": True, "duration": True, "channels": True}


# What more width buys, most wanted first: (column, its new width).
_WIDENING = (
    ("source", SOURCE_WANTED), ("date", 19), ("channels", 2), ("track", 8), ("call", SHORT_SID),
    ("source", SOURCE_MAX), ("sid", FULL_SID), ("call", FULL_SID),
)


def columns_for_width(width: int) -> tuple[Column, ...]:
    """The columns shown in ``width`` cells (the table's content width, scrollbar excluded).

    80 columns: date (to the minute), short SID, duration, status, source, price. Growing from
    there: source wide enough for ``StartCallRecordingAPI``, seconds in the date, channels, track,
    the call or conference SID (short), then full SIDs. Narrower than 77: source, then price, SID
    and duration are dropped; the status is cut last.
    """
    spec: dict[str, int] = {
        "date": 16, "sid": SHORT_SID, "duration": 8, "status": 12, "source": SOURCE_MIN, "price": 11,
    }
    order = ["date", "sid", "duration", "status", "source", "price"]

    def used(s: dict[str, int]) -> int:
        return GUTTER + sum(w + 1 for w in s.values())

    for drop in ("source", "price", "sid", "duration"):
        if used(spec) <= width:
            break
        del spec[drop]
        order.remove(drop)
    if used(spec) > width:
        # Too narrow for date + status: cut the status (then the date) to what is left.
        spare = max(width - GUTTER - 2, 2)
        spec["date"] = min(16, max(spare // 2, 1))
        spec["status"] = max(spare - spec["date"], 1)
        return tuple(_column(k, spec[k]) for k in order)

    if "source" in spec:
        for key, column_width in _WIDENING:  # in priority order, up to the first that does not fit
            trial = {**spec, key: column_width}
            if used(trial) > width:
                break
            spec = trial
        # Whatever is left goes to the source, up to its widest known value.
        spare = width - used(spec)
        if spare > 0:
            spec["source"] = max(spec["source"], min(SOURCE_MAX, spec["source"] + spare))
    order = [k for k in ("date", "sid", "duration", "status", "channels", "track", "source", "call", "price")
             if k in spec]
    return tuple(_column(k, spec[k]) for k in order)


def _column(key: str, width: int) -> Column:
    label = {
        "date": "Date", "sid": "SID", "duration": "Duration", "status": "Status", "source": "Source",
        "channels": "Ch", "track": "Track", "call": "Call/Conf", "price": "Price",
    }[key]
    align: Align = "right" if key in ("duration", "price", "channels") else "left"
    full = (key == "date" and width >= 19) or (key in ("sid", "call") and width >= FULL_SID)
    return Column(key, label, width, align, full)


# --------------------------------------------------------------------------------------------
# Formatting (shared by the cells and the quick-filter haystack)

MISSING = "—"


#: Loaded rows are frozen out of the garbage collector's full scans by batches of this many (see
#: ``RecordingTable._settle_memory``); replacing the rows by at most ``RELEASE_ROWS`` hands the
#: frozen objects back. Measured at 100k rows: batches of 10,000 left full collections of up to
#: 60–90 ms; batches of 3000 keep them under ~15 ms for ~35 MB more kept garbage (RSS ~290 MB).
FREEZE_ROWS = 3000
RELEASE_ROWS = 5000

_TWO = [f"{i:02d}" for i in range(100)]  # formatting 100k dates is the bulk of a 100k load


def format_duration(seconds: int | None) -> str:
    """``m:ss``, ``h:mm:ss`` from an hour, ``—`` when unknown or still recording (-1)."""
    if seconds is None or seconds < 0:
        return MISSING
    minutes, secs = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}:{_TWO[secs]}"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{_TWO[minutes]}:{_TWO[secs]}"


def format_date(value: datetime | None, tz: tzinfo | None) -> str:
    """``2026-11-20 14:03:11`` in ``tz`` (None: the local time zone), ``—`` when unknown."""
    if value is None:
        return MISSING
    d = value.astimezone(tz) if tz is not None else value.astimezone()
    two = _TWO
    return f"{d.year:04d}-{two[d.month]}-{two[d.day]} {two[d.hour]}:{two[d.minute]}:{two[d.second]}"


def format_price(price: Decimal | None, unit: str | None) -> str:
    if price is None:
        return MISSING
    text = format(price, "f")
    return f"{text} {unit}" if unit else text


_FOUR_PLACES = Decimal("0.0001")


def format_price_to_fit(price: Decimal | None, unit: str | None, width: int) -> str:
    """:func:`format_price` in ``width`` cells when it can be said exactly: with four decimals
    (``-0.0025 USD``: Twilio sends five, the last one zero, and the column stays aligned), or
    without trailing zeros, then without the unit; only then cut (by ``fit``)."""
    text = format_price(price, unit)
    if price is None or len(text) <= width or not price.is_finite():
        return text
    four = price.quantize(_FOUR_PLACES) if price.adjusted() < 20 else price
    short = format(four if four == price else price.normalize(), "f")
    if unit and len(short) + 1 + len(unit) <= width:
        return f"{short} {unit}"
    return short


def short_sid(sid: str) -> str:
    return sid if len(sid) <= SHORT_SID else sid[:8] + "…" + sid[-4:]


def _status_text(recording: Recording) -> str:
    status = recording.status or MISSING
    if recording.error_code is not None:
        return f"{status} {recording.error_code}"
    return status


def _call_sid(recording: Recording) -> str | None:
    return recording.conference_sid or recording.call_sid


_SEARCH_FIELD_MAX = 256


def search_text(r: Recording, tz: tzinfo | None) -> str:
    """What the quick filter searches in a row: every text the row can show (dates in ``tz``),
    sanitized and case-folded, one field per line (a typed needle has no newline, so a match never
    spans two fields). Dashes for missing values are left out."""
    status = r.status or ""
    if r.error_code is not None:
        status = f"{status} {r.error_code}"
    price = "" if r.price is None else format_price(r.price, r.price_unit)
    duration = "" if r.duration is None or r.duration < 0 else format_duration(r.duration)
    parts = [
        r.sid or "", status, r.source or "", r.call_sid or "", r.conference_sid or "",
        r.track or "", "" if r.channels is None else str(r.channels), price, duration,
    ]
    blob = "".join(parts)
    if not (blob.isascii() and blob.isprintable()) or len(blob) > 512:
        parts = [sanitize(p[:_SEARCH_FIELD_MAX]) for p in parts]
    if r.date_created is not None:
        parts.append(format_date(r.date_created, tz))
    return "\n".join(parts).casefold()


@dataclass(frozen=True, slots=True)
class PreparedRows:
    """Recordings with their quick-filter texts already made (:meth:`prepare`), so that the work,
    ~4 ms per 1000 rows, can run in a thread instead of on the event loop."""

    recordings: Sequence[Recording]
    search_texts: list[str]
    tz: tzinfo | None

    @classmethod
    def prepare(cls, recordings: Sequence[Recording], tz: tzinfo | None) -> "PreparedRows":
        return cls(recordings, [search_text(r, tz) for r in recordings], tz)


def _sort_key_getter(key: str) -> Callable[[Recording], Any]:
    def text(name: str) -> Callable[[Recording], Any]:
        def get(r: Recording) -> Any:
            value = getattr(r, name)
            return value.casefold() if value else None
        return get

    getters: dict[str, Callable[[Recording], Any]] = {
        "date": lambda r: r.date_created,
        "sid": lambda r: r.sid or None,
        "duration": lambda r: r.duration if r.duration is not None and r.duration >= 0 else None,
        "status": text("status"),
        "source": text("source"),
        "channels": lambda r: r.channels,
        "track": text("track"),
        "call": lambda r: _call_sid(r) or None,
        "price": lambda r: r.price,
    }
    return getters[key]


# --------------------------------------------------------------------------------------------
# The widget

_STATUS_CLASSES = {
    "completed": "recording-table--status-completed",
    "processing": "recording-table--status-processing",
    "stopped": "recording-table--status-stopped",
    "in-progress": "recording-table--status-in-progress",
    "paused": "recording-table--status-paused",
    "absent": "recording-table--status-absent",
    "deleted": "recording-table--status-deleted",
}

_NO_CURSOR, _CURSOR_FOCUSED, _CURSOR_BLURRED = 0, 1, 2


def _freeze_alive() -> None:
    # Young cyclic garbage is not worth keeping frozen. Only the youngest generation: with the
    # app's thresholds (GC_THRESHOLDS) the middle one holds everything since start-up at the first
    # freeze, and walking it took ~35 ms.
    gc.collect(0)
    gc.freeze()


def _release_frozen() -> None:
    gc.unfreeze()
    gc.collect()


class RecordingTable(ScrollView, can_focus=True):
    """A virtual, sortable, filterable table of recordings with a row cursor and marks."""

    ALLOW_SELECT = False

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor_up", "Cursor up", show=False),
        Binding("down,j", "cursor_down", "Cursor down", show=False),
        Binding("pageup,ctrl+b", "page_up", "Page up", show=False),
        Binding("pagedown,ctrl+f", "page_down", "Page down", show=False),
        Binding("ctrl+u", "half_page_up", "Half page up", show=False),
        Binding("ctrl+d", "half_page_down", "Half page down", show=False),
        Binding("home,g", "first", "First row", show=False),
        Binding("end,G", "last", "Last row", show=False),
        Binding("enter", "activate", "Open"),
        Binding("space", "toggle_mark", "Mark"),
        Binding("asterisk", "toggle_mark_all", "Mark all", show=False),
        Binding("ctrl+backslash", "clear_marks", "Clear marks", show=False),
        Binding("D", "sort('date')", "Sort by date", show=False),
        Binding("I", "sort('sid')", "Sort by SID", show=False),
        Binding("L", "sort('duration')", "Sort by duration (length)", show=False),
        Binding("S", "sort('status')", "Sort by status", show=False),
        Binding("O", "sort('source')", "Sort by source", show=False),
        Binding("C", "sort('call')", "Sort by call/conference", show=False),
        Binding("P", "sort('price')", "Sort by price", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "recording-table--header",
        "recording-table--header-sorted",
        "recording-table--cursor",
        "recording-table--marked",
        "recording-table--mark",
        "recording-table--muted",
        "recording-table--empty",
        "recording-table--row-deleted",
        "recording-table--status-unknown",
        *_STATUS_CLASSES.values(),
    }

    DEFAULT_CSS = """
    RecordingTable {
        width: 1fr;
        height: 1fr;
        background: $surface;
        color: $foreground;
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-gutter: stable;
        scrollbar-size-vertical: 1;

        & > .recording-table--header {
            background: $panel;
            color: $foreground;
            text-style: bold;
        }
        & > .recording-table--header-sorted {
            color: $text-accent;
            text-style: bold;
        }
        & > .recording-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .recording-table--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
        & > .recording-table--marked {
            background: $accent 20%;
        }
        & > .recording-table--mark {
            color: $text-accent;
            text-style: bold;
        }
        & > .recording-table--muted {
            color: $text-muted;
        }
        & > .recording-table--empty {
            color: $text-muted;
            text-style: italic;
        }
        & > .recording-table--row-deleted {
            color: $text-muted;
        }
        & > .recording-table--status-completed {
            color: $text-success;
        }
        & > .recording-table--status-processing {
            color: $text-warning;
        }
        & > .recording-table--status-stopped {
            color: $text-warning;
        }
        & > .recording-table--status-in-progress {
            color: $text-primary;
            text-style: bold;
        }
        & > .recording-table--status-paused {
            color: $text-accent;
            text-style: italic;
        }
        & > .recording-table--status-absent {
            color: $text-error;
        }
        & > .recording-table--status-deleted {
            color: $text-muted;
            text-style: strike;
        }
    }
    """

    # ---------------------------------------------------------------- messages

    class CursorChanged(Message):
        """The row under the cursor changed (posted at most once per refresh)."""

        def __init__(self, table: "RecordingTable", recording: Recording | None) -> None:
            super().__init__()
            self.table = table
            self.recording = recording

        @property
        def control(self) -> "RecordingTable":
            return self.table

    class Activated(Message):
        """Enter or a double click on a row."""

        def __init__(self, table: "RecordingTable", recording: Recording) -> None:
            super().__init__()
            self.table = table
            self.recording = recording

        @property
        def control(self) -> "RecordingTable":
            return self.table

    class NearEnd(Message):
        """The cursor or the view came within a screen of the last row: time to load a page.

        Posted once per load: again only after the next ``append_recordings``/``set_recordings``.
        Counted in visible rows, so a quick filter that leaves less than a screen of rows asks
        for more pages too (the screen stops when there is no next page). Not posted while
        nothing is loaded: the first page is the screen's to fetch.
        """

        def __init__(self, table: "RecordingTable") -> None:
            super().__init__()
            self.table = table

        @property
        def control(self) -> "RecordingTable":
            return self.table

    class MarksChanged(Message):
        def __init__(self, table: "RecordingTable", count: int) -> None:
            super().__init__()
            self.table = table
            self.count = count

        @property
        def control(self) -> "RecordingTable":
            return self.table

    class SortChanged(Message):
        def __init__(self, table: "RecordingTable", key: str, descending: bool) -> None:
            super().__init__()
            self.table = table
            self.key = key
            self.descending = descending

        @property
        def control(self) -> "RecordingTable":
            return self.table

    # ---------------------------------------------------------------- construction

    def __init__(
        self,
        display_tz: tzinfo | None = None,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._display_tz = display_tz
        # Loaded rows, API order, and what is derived from them (parallel lists).
        self._all: list[Recording] = []
        self._hay: list[str] = []
        self._index: dict[str, int] = {}  # SID → position in _all
        # Display order of every loaded row (natural or sorted), and the visible subset of it.
        self._order: list[int] = []
        self._view: list[int] = []
        self._sort_key = "date"
        self._sort_descending = True
        self._sort_values: list[Any] | None = None  # parallel to _all while a sort is active
        self._filter = ""
        self._needle = ""
        self._marks: set[str] = set()
        self._cursor = -1
        # Layout and rendering.
        self._columns: tuple[Column, ...] = ()
        self._layout_width = -1
        self._cache: OrderedDict[tuple, Strip] = OrderedDict()
        self._styles: dict[str, Style] | None = None
        # Deferred notifications.
        self._flush_pending = False
        self._emitted_cursor: Recording | None = None
        self._near_end_armed = True
        self._unfrozen_rows = 0  # loaded since the last gc.freeze (see _settle_memory)

    # ---------------------------------------------------------------- public: data

    @property
    def display_tz(self) -> tzinfo | None:
        return self._display_tz

    @display_tz.setter
    def display_tz(self, value: tzinfo | None) -> None:
        anchor = self._anchor()
        self._display_tz = value
        self._hay = [self._haystack(r) for r in self._all]
        if self._needle:  # the dates are searched as shown
            self._view = self._filtered(self._order)
        self._cache.clear()
        self._restore(anchor)

    @property
    def loaded_count(self) -> int:
        return len(self._all)

    @property
    def visible_count(self) -> int:
        return len(self._view)

    @property
    def recordings(self) -> tuple[Recording, ...]:
        """The visible rows, in display order (a snapshot)."""
        rows = self._all
        return tuple(rows[i] for i in self._view)

    @property
    def all_recordings(self) -> tuple[Recording, ...]:
        """Every loaded row, in API order (a snapshot)."""
        return tuple(self._all)

    @property
    def cursor_index(self) -> int:
        """Index of the cursor within the visible rows; -1 when no row is visible."""
        return self._cursor

    @property
    def cursor_recording(self) -> Recording | None:
        if self._cursor < 0:
            return None
        return self._all[self._view[self._cursor]]

    def set_recordings(self, recordings: Sequence[Recording] | PreparedRows) -> None:
        """Replace every loaded row (``PreparedRows`` bring their quick-filter texts along). The
        cursor stays on its SID if that is still loaded and visible (at the same height on
        screen), else goes to the first row. Marks of SIDs no longer loaded are dropped."""
        anchor = self._anchor()
        self._all, self._hay, self._index = [], [], {}
        self._cache.clear()
        self._add(recordings)
        self._order = list(range(len(self._all)))
        self._apply_sort()
        self._view = self._filtered(self._order)
        dropped = {sid for sid in self._marks if sid not in self._index}
        if dropped:
            self._marks -= dropped
            self.post_message(self.MarksChanged(self, len(self._marks)))
        self._near_end_armed = True
        self._restore(anchor)
        self._settle_memory(len(self._all), replaced=True)

    def append_recordings(self, recordings: Iterable[Recording] | PreparedRows) -> None:
        """Add rows after the loaded ones (into their sorted place if a sort is active;
        ``PreparedRows`` bring their quick-filter texts along).
        A SID already loaded replaces that row instead of adding a second one."""
        anchor = self._anchor()
        start = len(self._all)
        # Rows shown now that stay as they are: the screen was full, and new rows go after it.
        top, cursor = self.scroll_offset.y, self._cursor
        screen_full = len(self._view) >= top + self._page_height
        replaced = self._add(recordings)
        new = range(start, len(self._all))
        if replaced:
            self._cache.clear()
        if self._sort_values is not None:
            getter = _sort_key_getter(self._sort_key)
            values, rows = self._sort_values, self._all
            for i in replaced:
                values[i] = getter(rows[i])
            values.extend(getter(rows[i]) for i in new)
            # Both lists are sorted already: the sort merges the new rows in (timsort runs).
            self._order = self._sorted(self._order + list(new))
            if not self._needle:
                self._view = list(self._order)
            elif replaced:
                self._view = self._filtered(self._order)
            elif added := self._filtered(new):
                self._view = self._sorted(self._view + added)
        else:
            self._order.extend(new)
            self._view.extend(self._filtered(new))
        self._near_end_armed = True
        self._restore(anchor, unchanged_if=(top, cursor) if screen_full and not replaced
                      and self._sort_values is None else None)
        self._settle_memory(len(new), replaced=False)

    def update_recording(self, recording: Recording) -> bool:
        """Replace the row with this SID where it stands (status change, deletion). The row keeps
        its place until the next sort, filter or append; the cursor does not move. False if the SID
        is not loaded."""
        sid = recording.sid
        if not sid or sid not in self._index:
            return False
        i = self._index[sid]
        self._all[i] = recording
        self._hay[i] = self._haystack(recording)
        if self._sort_values is not None:
            self._sort_values[i] = _sort_key_getter(self._sort_key)(recording)
        for key in [k for k in self._cache if k[0] == i]:
            del self._cache[key]
        self.refresh()
        self._schedule_flush()
        return True

    def remove_sids(self, sids: Iterable[str]) -> int:
        """Remove these rows (unknown SIDs are ignored) and their marks; returns how many rows
        went. The cursor stays on its row, or on the row that took the place of a removed one."""
        gone = {self._index[s] for s in set(sids) if s in self._index}
        if not gone:
            return 0
        old_cursor = self._cursor
        anchor = self._anchor()
        remap: list[int] = []
        kept: list[Recording] = []
        kept_hay: list[str] = []
        for i, recording in enumerate(self._all):
            if i in gone:
                remap.append(-1)
            else:
                remap.append(len(kept))
                kept.append(recording)
                kept_hay.append(self._hay[i])
        # Where the cursor lands if its own row goes: on the row that moves up into its place.
        fallback = sum(1 for i in self._view[: max(old_cursor, 0)] if remap[i] >= 0)
        if self._sort_values is not None:
            self._sort_values = [v for i, v in enumerate(self._sort_values) if i not in gone]
        self._all, self._hay = kept, kept_hay
        self._index = {r.sid: i for i, r in enumerate(kept) if r.sid}
        self._order = [remap[i] for i in self._order if remap[i] >= 0]
        self._view = [remap[i] for i in self._view if remap[i] >= 0]
        self._cache.clear()
        before = len(self._marks)
        self._marks &= self._index.keys()
        if len(self._marks) != before:
            self.post_message(self.MarksChanged(self, len(self._marks)))
        if anchor is not None:
            recording, index, line = anchor
            anchor = None if remap[index] < 0 else (recording, remap[index], line)
        self._restore(anchor, fallback=fallback)
        return len(gone)

    # ---------------------------------------------------------------- public: filter & sort

    @property
    def quick_filter(self) -> str:
        return self._filter

    def set_quick_filter(self, text: str) -> None:
        """Show only the loaded rows whose shown text contains ``text`` (case-insensitive,
        surrounding spaces ignored); ``""`` shows every row."""
        needle = text.strip().casefold()
        old_needle = self._needle
        self._filter = text
        if needle == old_needle:
            return
        anchor = self._anchor()
        self._needle = needle
        if needle and old_needle and old_needle in needle:
            self._view = self._filtered(self._view)  # narrowing: filter what is shown
        else:
            self._view = self._filtered(self._order)
        self._restore(anchor)

    @property
    def sort_key(self) -> str:
        return self._sort_key

    @property
    def sort_descending(self) -> bool:
        return self._sort_descending

    def sort_by(self, key: str, descending: bool | None = None) -> None:
        """Sort the loaded rows by a column key (see ``SORT_KEYS``). ``descending=None`` flips the
        direction if ``key`` is the current sort, else takes the key's usual direction (newest,
        longest and most channels first; text, SIDs and price ascending). Missing values sort last
        either way, ties stay in API order. ``("date", descending)`` is the API's own order."""
        if key not in SORT_KEYS:
            raise ValueError(f"unknown sort key {key!r}; expected one of {', '.join(SORT_KEYS)}")
        if descending is None:
            if key == self._sort_key:
                descending = not self._sort_descending
            else:
                descending = _DEFAULT_DESCENDING.get(key, False)
        if key == self._sort_key and descending == self._sort_descending:
            return
        anchor = self._anchor()
        self._sort_key, self._sort_descending = key, descending
        self._sort_values = None
        self._order = list(range(len(self._all)))
        self._apply_sort()
        self._view = self._filtered(self._order)
        self._restore(anchor)
        self.post_message(self.SortChanged(self, key, descending))

    @property
    def sorted(self) -> bool:
        """A sort other than the API's own order is active."""
        return not (self._sort_key == "date" and self._sort_descending)

    # ---------------------------------------------------------------- public: cursor & marks

    def move_cursor_to_sid(self, sid: str) -> bool:
        """Put the cursor on this SID's row (scrolling it into view); False if it is not visible."""
        i = self._index.get(sid)
        if i is None:
            return False
        try:
            row = self._view.index(i)
        except ValueError:
            return False
        self._set_cursor(row)
        return True

    @property
    def marked_sids(self) -> frozenset[str]:
        return frozenset(self._marks)

    def toggle_mark(self) -> None:
        """Mark or unmark the cursor's row, then move the cursor down a row."""
        recording = self.cursor_recording
        if recording is None:
            return
        if recording.sid:
            if recording.sid in self._marks:
                self._marks.discard(recording.sid)
            else:
                self._marks.add(recording.sid)
            self._refresh_row(self._cursor)
            self.post_message(self.MarksChanged(self, len(self._marks)))
        if self._cursor < len(self._view) - 1:
            self._set_cursor(self._cursor + 1)

    def mark_all_visible(self) -> None:
        rows = self._all
        before = len(self._marks)
        self._marks.update(sid for i in self._view if (sid := rows[i].sid))
        if len(self._marks) != before:
            self.refresh()
            self.post_message(self.MarksChanged(self, len(self._marks)))

    def unmark_all_visible(self) -> None:
        rows = self._all
        before = len(self._marks)
        self._marks.difference_update(rows[i].sid for i in self._view)
        if len(self._marks) != before:
            self.refresh()
            self.post_message(self.MarksChanged(self, len(self._marks)))

    def unmark_sids(self, sids: Iterable[str]) -> None:
        """Unmark these SIDs (those not marked are ignored), e.g. after they were deleted."""
        before = len(self._marks)
        self._marks.difference_update(sids)
        if len(self._marks) != before:
            self.refresh()
            self.post_message(self.MarksChanged(self, len(self._marks)))

    def clear_marks(self) -> None:
        if self._marks:
            self._marks.clear()
            self.refresh()
            self.post_message(self.MarksChanged(self, 0))

    # ---------------------------------------------------------------- public: columns

    @property
    def columns(self) -> tuple[Column, ...]:
        return self._columns

    def set_columns_for_width(self, width: int) -> tuple[Column, ...]:
        """Lay the columns out for ``width`` cells (done on every resize; call it to force a
        layout, e.g. before the first resize)."""
        self._layout(width)
        self.refresh()
        return self._columns

    def _layout(self, width: int) -> None:
        self._layout_width = width
        self._columns = columns_for_width(width)
        self._cache.clear()

    # ---------------------------------------------------------------- actions

    def action_cursor_up(self) -> None:
        self._set_cursor(self._cursor - 1)

    def action_cursor_down(self) -> None:
        self._set_cursor(self._cursor + 1)

    def action_page_up(self) -> None:
        self._page(-self._page_height)

    def action_page_down(self) -> None:
        self._page(self._page_height)

    def action_half_page_up(self) -> None:
        self._page(-max(self._page_height // 2, 1))

    def action_half_page_down(self) -> None:
        self._page(max(self._page_height // 2, 1))

    def action_first(self) -> None:
        self._set_cursor(0)

    def action_last(self) -> None:
        self._set_cursor(len(self._view) - 1)

    def action_activate(self) -> None:
        recording = self.cursor_recording
        if recording is not None:
            self.post_message(self.Activated(self, recording))

    def action_toggle_mark(self) -> None:
        self.toggle_mark()

    def action_toggle_mark_all(self) -> None:
        """Mark every visible row, or unmark them all if they already are."""
        rows = self._all
        if all(rows[i].sid in self._marks for i in self._view if rows[i].sid):
            self.unmark_all_visible()
        else:
            self.mark_all_visible()

    def action_clear_marks(self) -> None:
        self.clear_marks()

    def action_sort(self, key: str) -> None:
        self.sort_by(key)

    # ---------------------------------------------------------------- internals: data

    def _add(self, rows_in: Iterable[Recording] | PreparedRows) -> list[int]:
        """Append to ``_all``/``_hay``/``_index``; a known SID replaces its row. Returns the
        positions of replaced rows."""
        if isinstance(rows_in, PreparedRows):
            recordings: Iterable[Recording] = rows_in.recordings
            # Texts made for another time zone than the one shown now are made again.
            texts = iter(rows_in.search_texts) if rows_in.tz == self._display_tz else None
        else:
            recordings, texts = rows_in, None
        rows, hay, index = self._all, self._hay, self._index
        haystack = self._haystack
        replaced: list[int] = []
        for recording in recordings:
            text = next(texts) if texts is not None else haystack(recording)
            sid = recording.sid
            if sid:
                known = index.get(sid)
                if known is not None:
                    rows[known] = recording
                    hay[known] = text
                    replaced.append(known)
                    continue
                index[sid] = len(rows)
            rows.append(recording)
            hay.append(text)
        return replaced

    def _date_text(self, value: datetime | None) -> str:
        return format_date(value, self._display_tz)

    def _haystack(self, r: Recording) -> str:
        return search_text(r, self._display_tz)

    def _filtered(self, rows: Iterable[int]) -> list[int]:
        needle = self._needle
        if not needle:
            return list(rows)
        hay = self._hay
        return [i for i in rows if needle in hay[i]]

    def _sorted(self, rows: list[int]) -> list[int]:
        """``rows`` in the active sort's order: values in its direction, then the rows without a
        value; ties keep the order they came in (API order, for a fresh sort)."""
        values = self._sort_values
        assert values is not None
        present = [i for i in rows if values[i] is not None]
        present.sort(key=values.__getitem__, reverse=self._sort_descending)
        if len(present) == len(rows):
            return present
        return present + [i for i in rows if values[i] is None]

    def _apply_sort(self) -> None:
        """Sort ``_order`` (in API order on entry) by the active sort, if any."""
        if not self.sorted:
            self._sort_values = None
            return
        self._sort_values = list(map(_sort_key_getter(self._sort_key), self._all))
        self._order = self._sorted(self._order)

    # ---------------------------------------------------------------- internals: cursor

    def _anchor(self) -> tuple[Recording, int, int] | None:
        """The cursor's row (recording, position in ``_all``) and its line on screen."""
        if self._cursor < 0:
            return None
        index = self._view[self._cursor]
        return self._all[index], index, self._cursor - self.scroll_offset.y

    def _locate(self, anchor: tuple[Recording, int, int] | None) -> int:
        """The anchor's row in the visible rows, or -1."""
        if anchor is None:
            return -1
        recording, index, _line = anchor
        if recording.sid:
            found = self._index.get(recording.sid)
        elif index < len(self._all) and self._all[index] is recording:
            found = index
        else:
            found = None
        if found is None:
            return -1
        if self._cursor >= 0 and self._cursor < len(self._view) and self._view[self._cursor] == found:
            return self._cursor  # the common case (append in API order): no search
        try:
            return self._view.index(found)
        except ValueError:
            return -1

    def _restore(self, anchor: tuple[Recording, int, int] | None, fallback: int = 0,
                 unchanged_if: tuple[int, int] | None = None) -> None:
        """After the rows changed: the cursor back on the anchor's row, at the same height on
        screen, if it is still visible; else on row ``fallback`` (clamped). ``unchanged_if``
        (scroll offset, cursor): the rows on screen did not change, so if neither did, nothing
        needs repainting (a repaint of the whole table is 10-15 ms at 160x50, once per page)."""
        self._update_virtual_size()
        row = self._locate(anchor)
        if row >= 0:
            assert anchor is not None
            self._cursor = row
            line = anchor[2]
            if 0 <= line < self._page_height:
                self._scroll_to_row(row - line)
        elif self._view:
            self._cursor = max(0, min(fallback, len(self._view) - 1))
            if fallback == 0:
                self._scroll_to_row(0)
        else:
            self._cursor = -1
            self._scroll_to_row(0)
        self._scroll_cursor_into_view()
        if unchanged_if is None or unchanged_if != (self.scroll_offset.y, self._cursor):
            self.refresh()
        self._schedule_flush()

    def _set_cursor(self, row: int, keep_screen_line: bool = False) -> None:
        count = len(self._view)
        if count == 0:
            self._cursor = -1
            return
        row = max(0, min(row, count - 1))
        old = self._cursor
        if row == old and not keep_screen_line:
            return
        self._cursor = row
        if keep_screen_line:
            self.refresh()
        else:
            self._refresh_row(old)
            self._refresh_row(row)
        self._scroll_cursor_into_view()
        self._schedule_flush()

    def _page(self, delta: int) -> None:
        """Move the cursor and the view by ``delta`` rows (the cursor keeps its screen line)."""
        if not self._view:
            return
        self._scroll_to_row(self.scroll_offset.y + delta)
        self._set_cursor(self._cursor + delta)

    @property
    def _page_height(self) -> int:
        """Rows that fit under the header."""
        return max(self.scrollable_content_region.height - 1, 1)

    def _scroll_to_row(self, top: int) -> None:
        if self.is_mounted:  # rows may be given before the table is mounted
            self.scroll_to(y=max(top, 0), animate=False, force=True)

    def _scroll_cursor_into_view(self) -> None:
        if self._cursor < 0:
            return
        top = self.scroll_offset.y
        page = self._page_height
        if self._cursor < top:
            self._scroll_to_row(self._cursor)
        elif self._cursor >= top + page:
            self._scroll_to_row(self._cursor - page + 1)

    def _update_virtual_size(self) -> None:
        # More (or fewer) rows past the bottom, once per page infinite scroll loads: no layout pass.
        set_virtual_size(self, Size(max(self.scrollable_content_region.width, 1), len(self._view) + 1))

    # ---------------------------------------------------------------- internals: notifications

    def _settle_memory(self, added: int, *, replaced: bool) -> None:
        """Keep the loaded rows out of the cyclic garbage collector's full scans (``gc.freeze``).

        With 100,000 loaded recordings a full collection walks them all: 100–200 ms during which
        the UI is frozen, several times while infinite scroll brings rows in. So every
        ``FREEZE_ROWS`` rows, once they are painted, every object alive is frozen; a full
        collection then walks only what came after. Frozen recordings are still freed when the
        table drops them (they hold no reference cycles), but cyclic garbage alive at a freeze
        (Textual's render strips, mostly) is kept: hence batches, not every page, and a table
        replaced by a few pages (a new filter; a full collection is cheap then) hands it all back.
        """
        if replaced and len(self._all) <= RELEASE_ROWS:
            self._unfrozen_rows = len(self._all)
            if gc.get_freeze_count():
                self._after_refresh(_release_frozen)
            return
        self._unfrozen_rows += added
        if self._unfrozen_rows >= FREEZE_ROWS:
            self._unfrozen_rows = 0
            self._after_refresh(_freeze_alive)

    def _after_refresh(self, callback: Callable[[], None]) -> None:
        if self.is_mounted:
            self.call_after_refresh(callback)

    def _schedule_flush(self) -> None:
        if self._flush_pending or not self.is_mounted:
            return
        self._flush_pending = True
        self.call_after_refresh(self._flush)

    def _flush(self) -> None:
        self._flush_pending = False
        recording = self.cursor_recording
        if recording is not self._emitted_cursor:
            self._emitted_cursor = recording
            self.post_message(self.CursorChanged(self, recording))
        if self._near_end_armed and self._all and self._near_end():
            self._near_end_armed = False
            self.post_message(self.NearEnd(self))

    def _near_end(self) -> bool:
        if self.scrollable_content_region.height <= 1:
            return False
        page = self._page_height
        bottom = self.scroll_offset.y + page - 1
        return len(self._view) - 1 - max(self._cursor, bottom) <= page

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._schedule_flush()

    # ---------------------------------------------------------------- internals: events

    # (Textual calls the handlers of every class in the MRO: no super() calls here.)

    def on_mount(self) -> None:
        # The bar moves on every page infinite scroll loads: draw it without a Rich render.
        self.vertical_scrollbar.renderer = ScrollBarStrips
        self._schedule_flush()

    def on_unmount(self) -> None:
        # Whatever was frozen goes back to the collector (an app that ends, a test's app).
        gc.unfreeze()

    def on_resize(self, event: events.Resize) -> None:
        width = self.scrollable_content_region.width
        if width != self._layout_width:
            self.set_columns_for_width(width)
        self._update_virtual_size()
        self._scroll_cursor_into_view()
        self._schedule_flush()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles = None
        self._cache.clear()

    def on_focus(self, event: events.Focus) -> None:
        self._refresh_row(self._cursor)

    def on_blur(self, event: events.Blur) -> None:
        self._refresh_row(self._cursor)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        event.stop()
        if offset.y == 0:
            column = self._column_at(offset.x)
            if column is not None:
                self.sort_by(column.key)
            return
        row = self.scroll_offset.y + offset.y - 1
        if 0 <= row < len(self._view):
            self._set_cursor(row)
            if event.chain >= 2:
                self.action_activate()

    def _column_at(self, x: int) -> Column | None:
        left = GUTTER
        for column in self._columns:
            if left <= x <= left + column.width:
                return column
            left += column.width + 1
        return None

    def _refresh_row(self, row: int) -> None:
        if row >= 0 and self.is_mounted:
            self.refresh_line(row + 1)

    # ---------------------------------------------------------------- rendering

    def _component_style(self, name: str) -> Style:
        """Only what the component class sets, with alpha colours blended over the background.

        (The "partial" style keeps only the set attributes but does not blend ``$accent 20%``;
        the full style blends but also carries the widget's colours, which would paint over a
        status colour when layered.)
        """
        full = self.get_component_rich_style(name)
        partial = self.get_component_rich_style(name, partial=True)
        return partial.without_color + Style(
            color=full.color if partial.color is not None else None,
            bgcolor=full.bgcolor if partial.bgcolor is not None else None,
        )

    def _get_styles(self) -> dict[str, Style]:
        if self._styles is None:
            get = self._component_style
            base = self.rich_style
            styles = {
                "base": base,
                "header": base + get("recording-table--header"),
                "header-sorted": get("recording-table--header-sorted"),
                "cursor": get("recording-table--cursor"),
                "marked": get("recording-table--marked"),
                "mark": get("recording-table--mark"),
                "muted": get("recording-table--muted"),
                "empty": get("recording-table--empty"),
                "row-deleted": get("recording-table--row-deleted"),
                "status-unknown": get("recording-table--status-unknown"),
            }
            for status, name in _STATUS_CLASSES.items():
                styles[f"status-{status}"] = get(name)
            self._styles = styles
        return self._styles

    def render_lines(self, crop: Region) -> list[Strip]:
        """The lines in ``crop``. When the table draws no box around its rows (no border, padding,
        outline, tint, hatch or opacity: as rec-tui styles it), they are made here, as Textual's
        styles cache would make them, without its per-line box pipeline: that took ~50 µs a line,
        a third of the repaint as each page of rows arrives. Anything else goes the usual way;
        a test checks both give the same strips."""
        if not self._draws_plain_lines():
            return super().render_lines(crop)
        width, height = self.region.size
        base_background, background = self.background_colors
        pad = TextualStyle(background=base_background + background).rich_style
        filters = self.get_line_filters()
        render_line = self.render_line
        strips = []
        for y in crop.line_range:
            strip = render_line(y).adjust_cell_length(width, pad) if y < height else Strip.blank(width, pad)
            for line_filter in filters:
                strip = strip.apply_filter(line_filter, background)
            strips.append(strip)
        if crop.column_span != (0, width):
            x1, x2 = crop.column_span
            strips = [strip.crop(x1, x2) for strip in strips]
        return strips

    def _draws_plain_lines(self) -> bool:
        styles = self.styles
        return (not self.BLANK and not any(styles.gutter) and not any(edge for edge, _ in styles.border)
                and not any(edge for edge, _ in styles.outline) and not styles.tint.a and self.opacity == 1.0
                and styles.text_opacity == 1.0 and not (styles.has_rule("hatch") and styles.hatch != "none")
                and not (self.auto_links and self.hover_style.link_id))

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if width != self._layout_width:
            self._layout(width)
        if y == 0:
            return self._render_header(width)
        row = self.scroll_offset.y + y - 1
        if not (0 <= row < len(self._view)):
            if row == 0 and not self._view:
                return self._render_empty(width)
            return Strip.blank(width, self._get_styles()["base"])
        index = self._view[row]
        recording = self._all[index]
        if row == self._cursor:
            state = _CURSOR_FOCUSED if self.has_focus else _CURSOR_BLURRED
        else:
            state = _NO_CURSOR
        marked = bool(recording.sid) and recording.sid in self._marks
        key = (index, state, marked)
        cache = self._cache
        strip = cache.get(key)
        if strip is not None:
            cache.move_to_end(key)
            return strip
        strip = self._render_row(recording, state, marked, width)
        cache[key] = strip
        if len(cache) > max(256, 6 * self.size.height):
            cache.popitem(last=False)
        return strip

    def _render_header(self, width: int) -> Strip:
        styles = self._get_styles()
        header = styles["header"]
        segments = [Segment(" " * GUTTER, header)]
        for column in self._columns:
            label = column.label
            style = header
            if column.key == "date":
                tz = self._tz_name()
                if tz and cell_len(f"{label} {tz}") <= column.width:
                    label = f"{label} {tz}"
            if self.sorted and column.key == self._sort_key:
                arrow = "▼" if self._sort_descending else "▲"
                label = set_cell_size(label, max(column.width - 2, 0)).rstrip() + " " + arrow
                style = header + styles["header-sorted"]
            segments.append(Segment(" ", header))
            segments.append(Segment(fit(label, column.width, column.align), style))
        used = GUTTER + sum(c.width + 1 for c in self._columns)
        if width > used:
            segments.append(Segment(" " * (width - used), header))
        if used > width:
            return Strip(segments).adjust_cell_length(width, header)
        return Strip(segments, width)

    def _tz_name(self) -> str:
        now = datetime.now(self._display_tz) if self._display_tz is not None else datetime.now().astimezone()
        return now.tzname() or ""

    def _render_empty(self, width: int) -> Strip:
        styles = self._get_styles()
        if self._all:
            message = f"No loaded recording matches “{self._filter.strip()}”"
        else:
            message = "No recordings"
        text = " " * (GUTTER + 1) + message
        return Strip([Segment(fit(text, width), styles["base"] + styles["empty"])], width)

    def _render_row(self, r: Recording, state: int, marked: bool, width: int) -> Strip:
        styles = self._get_styles()
        base = styles["base"]
        overlay = Style()
        if marked:
            overlay += styles["marked"]
        if state == _CURSOR_FOCUSED or state == _CURSOR_BLURRED:
            overlay += styles["cursor"]
        status = r.status
        row_style = base + styles["row-deleted"] if status == "deleted" else base
        plain = row_style + overlay
        muted = row_style + styles["muted"] + overlay
        # Runs of cells in one style go out as one segment: every step after this one (Textual's
        # filters, the compositor's cuts, the terminal's escape sequences) works per segment.
        # (Rich's Segment.simplify does the same afterwards but doubled the cost of a row.)
        segments: list[Segment] = []
        run: list[str] = []
        run_style = plain + styles["mark"] if marked else plain
        run.append("✓" if marked else " ")
        for column in self._columns:
            key = column.key
            cell_style = plain
            if key == "date":
                text = self._date_text(r.date_created)
                if not column.full:
                    text = text[:16]
            elif key == "sid":
                text = r.sid or MISSING
                if not column.full:
                    text = short_sid(text)
            elif key == "duration":
                text = format_duration(r.duration)
            elif key == "status":
                text = _status_text(r)
                name = f"status-{status}" if status in _STATUS_CLASSES else "status-unknown"
                cell_style = row_style + styles[name] + overlay
            elif key == "source":
                text = r.source or MISSING
            elif key == "channels":
                text = MISSING if r.channels is None else str(r.channels)
            elif key == "track":
                text = r.track or MISSING
            elif key == "call":
                text = _call_sid(r) or MISSING
                if not column.full:
                    text = short_sid(text)
            elif key == "price":
                text = format_price_to_fit(r.price, r.price_unit, column.width)
            else:  # pragma: no cover - columns_for_width only makes the keys above
                text = ""
            if text == MISSING:
                cell_style = muted
            if run_style is not plain:
                segments.append(Segment("".join(run), run_style))
                run, run_style = [], plain
            run.append(" ")
            cell = fit(text, column.width, column.align)
            if cell_style is plain:
                run.append(cell)
            else:
                segments.append(Segment("".join(run), plain))
                run, run_style = [cell], cell_style
        used = GUTTER + sum(c.width + 1 for c in self._columns)
        if width > used:
            if run_style is not plain:
                segments.append(Segment("".join(run), run_style))
                run, run_style = [], plain
            run.append(" " * (width - used))
        segments.append(Segment("".join(run), run_style))
        if used > width:
            return Strip(segments).adjust_cell_length(width, plain)
        return Strip(segments, width)
