"""The virtual recordings table, driven through Pilot in a one-widget app."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest
from rich.cells import cell_len
from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Input

from rec_tui.api.models import Recording
from rec_tui.ui.widgets.recording_table import (
    GUTTER,
    Column,
    PreparedRows,
    RecordingTable,
    columns_for_width,
    fit,
    sanitize,
    short_sid,
)

ACCOUNT = "AC" + "a1" * 16
SOURCES = ("OutboundAPI", "DialVerb", "Conference", "StartCallRecordingAPI", "RecordVerb", "Trunking")
STATUSES = ("completed", "completed", "completed", "processing", "absent", "deleted", "in-progress",
            "paused", "stopped")
T0 = datetime(2026, 11, 20, 14, 3, 11, tzinfo=timezone.utc)


def recording_json(i: int, **overrides) -> dict:
    """One recording as the API sends it: row ``i`` of a list in the API's order (newest first)."""
    status = STATUSES[i % len(STATUSES)]
    created = T0 - timedelta(minutes=13 * i, seconds=i % 60)
    conference = i % 7 == 3
    sid = f"RE{i:08x}{(i * 2654435761) % 16**24:024x}"
    data = {
        "account_sid": ACCOUNT,
        "api_version": "2010-04-01",
        "call_sid": None if conference else f"CA{(i * 40503) % 16**32:032x}",
        "conference_sid": f"CF{(i * 977) % 16**32:032x}" if conference else None,
        "date_created": format_datetime(created),
        "date_updated": format_datetime(created + timedelta(seconds=90)),
        "start_time": format_datetime(created - timedelta(seconds=60)),
        "duration": "-1" if status == "in-progress" else str((i * 97) % 4000),
        "sid": sid,
        "price": None if status in ("in-progress", "processing") else f"-{(1 + i % 4) * 0.0025:.4f}",
        "price_unit": "USD",
        "status": status,
        "channels": 2 if i % 3 == 0 else 1,
        "source": SOURCES[i % len(SOURCES)],
        "error_code": 16107 if status == "absent" else None,
        "uri": f"/2010-04-01/Accounts/{ACCOUNT}/Recordings/{sid}.json",
        "encryption_details": None,
        "subresource_uris": {"transcriptions": f"/2010-04-01/Accounts/{ACCOUNT}/Recordings/{sid}/Transcriptions.json"},
        "media_url": f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT}/Recordings/{sid}",
        "track": ("both", "inbound", "outbound")[i % 3],
    }
    data.update(overrides)
    return data


def make(i: int, **overrides) -> Recording:
    return Recording.from_json(recording_json(i, **overrides))


@pytest.fixture
def recordings():
    """``recordings(n, start=0)``: n realistic recordings in API order."""

    def build(n: int, start: int = 0) -> list[Recording]:
        return [make(i) for i in range(start, start + n)]

    return build


class TableApp(App):
    """The table alone (a focusable Input above it to test blur), recording what it posts."""

    def __init__(self, rows: list[Recording] | None = None, with_input: bool = False) -> None:
        super().__init__()
        self.rows = rows
        self.with_input = with_input
        self.posted: list = []

    def compose(self) -> ComposeResult:
        if self.with_input:
            yield Input(id="other")
        yield RecordingTable(display_tz=timezone.utc, id="recordings")

    def on_mount(self) -> None:
        table = self.query_one(RecordingTable)
        if self.rows is not None:
            table.set_recordings(self.rows)
        table.focus()

    def on_recording_table_cursor_changed(self, message: RecordingTable.CursorChanged) -> None:
        self.posted.append(message)

    def on_recording_table_activated(self, message: RecordingTable.Activated) -> None:
        self.posted.append(message)

    def on_recording_table_near_end(self, message: RecordingTable.NearEnd) -> None:
        self.posted.append(message)

    def on_recording_table_marks_changed(self, message: RecordingTable.MarksChanged) -> None:
        self.posted.append(message)

    def on_recording_table_sort_changed(self, message: RecordingTable.SortChanged) -> None:
        self.posted.append(message)

    def of(self, kind: type) -> list:
        return [m for m in self.posted if isinstance(m, kind)]


def line_text(table: RecordingTable, y: int) -> str:
    return table.render_line(y).text


def screen_lines(table: RecordingTable) -> list[str]:
    return [line_text(table, y) for y in range(table.size.height)]


def cells(table: RecordingTable, y: int) -> list[tuple[str, int]]:
    """A rendered line cut at the column boundaries: (text, width in cells) per column."""
    strip = table.render_line(y)
    text = "".join(segment.text for segment in strip)
    out: list[tuple[str, int]] = []
    # Walk the characters, cutting by cell position.
    bounds = []
    left = GUTTER + 1
    for column in table.columns:
        bounds.append((left, left + column.width))
        left += column.width + 1
    position = 0
    chars: list[tuple[int, str]] = []
    for ch in text:
        chars.append((position, ch))
        position += cell_len(ch)
    for start, end in bounds:
        piece = "".join(ch for pos, ch in chars if start <= pos < end)
        out.append((piece, cell_len(piece)))
    return out


# ------------------------------------------------------------------------------------ columns


def test_columns_at_80_keep_the_essentials():
    columns = columns_for_width(79)  # 80 columns less the one-cell scrollbar gutter
    assert [c.key for c in columns] == ["date", "sid", "duration", "status", "source", "price"]
    assert GUTTER + sum(c.width + 1 for c in columns) <= 79
    widths = {c.key: c.width for c in columns}
    assert widths["date"] >= len("2026-11-20 14:03")
    assert widths["sid"] == len("RE1a2b3c…cdef")
    assert widths["status"] >= len("absent 16107")
    assert widths["price"] >= len("-0.0025 USD")
    assert widths["source"] >= len("OutboundAPI")


def test_more_columns_as_the_width_grows():
    at_120 = {c.key: c for c in columns_for_width(119)}
    assert {"channels", "track", "call"} <= at_120.keys()
    assert at_120["date"].full and not at_120["sid"].full
    at_160 = {c.key: c for c in columns_for_width(159)}
    assert at_160["sid"].full and at_160["sid"].width == 34
    for width in range(20, 260):
        columns = columns_for_width(width)
        assert GUTTER + sum(c.width + 1 for c in columns) <= max(width, 6), width


def test_columns_for_narrow_widths_drop_the_least_essential_first():
    assert [c.key for c in columns_for_width(60)] == ["date", "sid", "duration", "status"]
    assert [c.key for c in columns_for_width(30)] == ["date", "status"]


def test_column_is_a_plain_value():
    column = Column("sid", "SID", 13)
    assert column.align == "left" and not column.full


async def test_columns_follow_a_resize(recordings):
    rows = recordings(80)
    app = TableApp(rows)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(RecordingTable)
        await pilot.press("G")
        await pilot.pause()
        assert [c.key for c in table.columns] == ["date", "sid", "duration", "status", "source", "price"]
        await pilot.resize_terminal(170, 30)
        await pilot.pause()
        assert {"channels", "track", "call"} <= {c.key for c in table.columns}
        assert rows[79].sid in line_text(table, table.size.height - 1)  # full SIDs, still at the end
        assert table.cursor_index == 79
        for y in range(table.size.height):
            assert table.render_line(y).cell_length == table.scrollable_content_region.width
        await pilot.resize_terminal(80, 10)
        await pilot.pause()
        assert rows[79].sid[-4:] in line_text(table, table.size.height - 1)


# ------------------------------------------------------------------------------------ cursor


async def test_cursor_moves_and_posts_cursor_changed(recordings):
    rows = recordings(60)
    app = TableApp(rows)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(RecordingTable)
        await pilot.pause()
        assert table.cursor_index == 0
        assert table.cursor_recording is rows[0]
        assert app.of(RecordingTable.CursorChanged)[-1].recording is rows[0]

        await pilot.press("down")
        await pilot.pause()
        assert table.cursor_recording is rows[1]
        assert app.of(RecordingTable.CursorChanged)[-1].recording is rows[1]

        await pilot.press("j", "j", "k")
        await pilot.pause()
        assert table.cursor_index == 2
        assert app.of(RecordingTable.CursorChanged)[-1].recording is rows[2]

        await pilot.press("pagedown")
        await pilot.pause()
        page = table.size.height - 1
        assert table.cursor_index == 2 + page
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert table.cursor_index == 2
        await pilot.press("ctrl+d")
        await pilot.pause()
        assert table.cursor_index == 2 + page // 2
        await pilot.press("ctrl+u")
        await pilot.pause()
        assert table.cursor_index == 2

        await pilot.press("G")
        await pilot.pause()
        assert table.cursor_index == 59
        # The last row is on the last line of the screen, under a header that never scrolls.
        assert table.scroll_offset.y == 60 - page
        assert "Date" in line_text(table, 0)
        assert rows[59].sid[-4:] in line_text(table, table.size.height - 1)
        await pilot.press("down")  # already at the end
        assert table.cursor_index == 59

        await pilot.press("g")
        await pilot.pause()
        assert table.cursor_index == 0 and table.scroll_offset.y == 0
        await pilot.press("end", "home", "up")
        await pilot.pause()
        assert table.cursor_index == 0
        assert app.of(RecordingTable.CursorChanged)[-1].recording is rows[0]


async def test_cursor_changed_is_posted_once_per_refresh(recordings):
    app = TableApp(recordings(40))
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(RecordingTable)
        await pilot.pause()
        before = len(app.of(RecordingTable.CursorChanged))
        for _ in range(5):  # five moves inside one handler: one message
            table.action_cursor_down()
        await pilot.pause()
        changed = app.of(RecordingTable.CursorChanged)[before:]
        assert len(changed) == 1 and changed[0].recording is table.recordings[5]
        table.action_cursor_down()
        table.action_cursor_up()  # back where it was: nothing to say
        await pilot.pause()
        assert len(app.of(RecordingTable.CursorChanged)) == before + 1


async def test_enter_and_double_click_activate(recordings):
    rows = recordings(10)
    app = TableApp(rows)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(RecordingTable)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert [m.recording for m in app.of(RecordingTable.Activated)] == [rows[1]]

        await pilot.click(RecordingTable, offset=(30, 4))  # line 4 is row 3
        await pilot.pause()
        assert table.cursor_recording is rows[3]
        assert len(app.of(RecordingTable.Activated)) == 1
        await pilot.double_click(RecordingTable, offset=(30, 5))
        await pilot.pause()
        assert app.of(RecordingTable.Activated)[-1].recording is rows[4]


async def test_move_cursor_to_sid(recordings):
    rows = recordings(100)
    app = TableApp(rows)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(RecordingTable)
        assert table.move_cursor_to_sid(rows[80].sid)
        await pilot.pause()
        assert table.cursor_index == 80
        assert rows[80].sid[-4:] in "".join(screen_lines(table))
        assert not table.move_cursor_to_sid("RE" + "9" * 32)
        assert table.cursor_index == 80


# ------------------------------------------------------------------------------------ data changes


async def test_rows_given_before_the_table_is_mounted(recordings):
    rows = recordings(30)

    class EarlyApp(TableApp):
        def compose(self) -> ComposeResult:
            table = RecordingTable(display_tz=timezone.utc)
            table.set_recordings(rows)
            table.sort_by("duration")
            table.set_quick_filter("completed")
            yield table

    app = EarlyApp()
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(RecordingTable)
        await pilot.pause()
        assert table.loaded_count == 30
        assert all(r.status == "completed" for r in table.recordings)
        # The cursor followed its row through the sort and the filter.
        assert table.cursor_recording is rows[0]
        assert app.of(RecordingTable.CursorChanged)[-1].recording is rows[0]
        assert "completed" in line_text(table, 1)
        assert rows[0].sid[-4:] in "".join(screen_lines(table))


async def test_display_time_zone(recordings):
    rows = recordings(5)
    app = TableApp(rows)
    async with app.run_test(size=(120, 24)) as pilot:
        table = app.query_one(RecordingTable)
        assert line_text(table, 0).lstrip().startswith("Date UTC")
        assert "2026-11-20 14:03:11" in line_text(table, 1)
        table.set_quick_filter("2026-11-20 15:03")
        await pilot.pause()
        assert table.visible_count == 0
        table.display_tz = timezone(timedelta(hours=1), "CET")
        await pilot.pause()
        assert line_text(table, 0).lstrip().startswith("Date CET")
        assert table.visible_count == 1 and "2026-11-20 15:03:11" in line_text(table, 1)
        table.set_quick_filter("")
        table.display_tz = None  # the machine's local time
        await pilot.pause()
        local = T0.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        assert local in line_text(table, 1)



async def test_set_recordings_keeps_the_cursor_on_the_same_sid(recordings):
    rows = recordings(50)
    app = TableApp(rows)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(RecordingTable)
        await pilot.press(*["down"] * 5)
        await pilot.pause()
        assert table.cursor_recording is rows[5]

        # A refresh that brought three newer recordings on top: the cursor follows its SID and
        # stays on the same screen line.
        newer = [make(i) for i in range(-3, 0)]
        refreshed = newer + [make(i) for i in range(50)]
        table.set_recordings(refreshed)
        await pilot.pause()
        assert table.cursor_index == 8
        assert table.cursor_recording.sid == rows[5].sid
        assert table.cursor_index - table.scroll_offset.y == 5
        assert app.of(RecordingTable.CursorChanged)[-1].recording is refreshed[8]

        # The SID is gone: the first row.
        table.set_recordings(recordings(50, start=100))
        await pilot.pause()
        assert table.cursor_index == 0 and table.scroll_offset.y == 0
        assert table.loaded_count == 50

        table.set_recordings([])
        await pilot.pause()
        assert table.cursor_index == -1 and table.cursor_recording is None
        assert app.of(RecordingTable.CursorChanged)[-1].recording is None
        assert "No recordings" in line_text(table, 1)


async def test_append_keeps_cursor_and_scroll(recordings):
    app = TableApp(recordings(50))
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(RecordingTable)
        await pilot.press("pagedown", "down")
        await pilot.pause()
        cursor, scroll, shown = table.cursor_index, table.scroll_offset.y, screen_lines(table)
        changed = len(app.of(RecordingTable.CursorChanged))
        table.append_recordings(recordings(50, start=50))
        await pilot.pause()
        assert table.loaded_count == table.visible_count == 100
        assert (table.cursor_index, table.scroll_offset.y) == (cursor, scroll)
        assert screen_lines(table) == shown
        assert len(app.of(RecordingTable.CursorChanged)) == changed
        assert [r.sid for r in table.all_recordings] == [make(i).sid for i in range(100)]


async def test_rows_appended_past_the_bottom_extend_the_scrollbar_and_the_scroll_range(recordings):
    """Appending below a full table skips the screen's layout pass; the scrollbar, the scroll
    range and the end key must still know about every new row."""
    app = TableApp(recordings(50))
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(RecordingTable)
        await pilot.pause()
        table.append_recordings(recordings(150, start=50))
        await pilot.pause()
        assert table.virtual_size.height == 201  # the header and 200 rows
        assert table.vertical_scrollbar.window_virtual_size == 201
        assert table.max_scroll_y == 201 - table.container_size.height
        await pilot.press("G")
        await pilot.pause()
        assert table.cursor_recording.sid == make(199).sid
        assert short_sid(make(199).sid) in screen_lines(table)[-1]


async def test_append_of_a_sid_already_loaded_replaces_the_row(recordings):
    app = TableApp(recordings(20))
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(RecordingTable)
        table.append_recordings([make(19, status="deleted"), make(20)])
        await pilot.pause()
        assert table.loaded_count == 21
        assert table.all_recordings[19].status == "deleted"


async def test_near_end_is_posted_once_per_append(recordings):
    app = TableApp(recordings(50))
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(RecordingTable)
        await pilot.pause()
        assert app.of(RecordingTable.NearEnd) == []  # 50 rows, 23 on screen: not yet

        await pilot.press("pagedown")
        await pilot.pause()
        assert len(app.of(RecordingTable.NearEnd)) == 1
        await pilot.press("pagedown", "down", "G")
        await pilot.pause()
        assert len(app.of(RecordingTable.NearEnd)) == 1  # already asked

        table.append_recordings(recordings(50, start=50))
        await pilot.pause()
        assert len(app.of(RecordingTable.NearEnd)) == 1  # at row 49 of 100: far enough
        await pilot.press("pagedown")
        await pilot.pause()
        assert len(app.of(RecordingTable.NearEnd)) == 1  # row 72: 27 rows left, more than a screen
        await pilot.press("pagedown")
        await pilot.pause()
        assert len(app.of(RecordingTable.NearEnd)) == 2

        # Scrolling the view (the wheel) counts too, even with the cursor at the top.
        table.append_recordings(recordings(100, start=100))
        await pilot.press("g")
        await pilot.pause()
        assert len(app.of(RecordingTable.NearEnd)) == 2
        for _ in range(40):
            for _ in range(5):
                table.post_message(events.MouseScrollDown(table, 10, 10, 0, 1, 0, False, False, False))
            await pilot.pause()
            if len(app.of(RecordingTable.NearEnd)) == 3:
                break
        assert table.cursor_index == 0
        assert len(app.of(RecordingTable.NearEnd)) == 3
        assert table.scroll_offset.y + 2 * (table.size.height - 1) >= 200 - 1


async def test_short_list_asks_for_more_at_once(recordings):
    app = TableApp(recordings(10))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert len(app.of(RecordingTable.NearEnd)) == 1


async def test_update_recording_changes_the_row_in_place(recordings):
    rows = recordings(30)
    app = TableApp(rows)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(RecordingTable)
        await pilot.press("down", "down")
        await pilot.pause()
        assert "completed" in line_text(table, 1)
        assert table.update_recording(make(0, status="deleted"))
        assert table.update_recording(make(2, status="stopped", error_code=None))
        await pilot.pause()
        assert "deleted" in line_text(table, 1)
        assert "stopped" in line_text(table, 3)
        assert table.cursor_index == 2
        # The cursor's row changed: the screen hears of the new version.
        assert app.of(RecordingTable.CursorChanged)[-1].recording.status == "stopped"
        assert not table.update_recording(make(999))
        assert table.loaded_count == 30


async def test_remove_sids_drops_rows_and_their_marks(recordings):
    rows = recordings(30)
    app = TableApp(rows)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(RecordingTable)
        await pilot.press("space", "space", "space")  # marks rows 0, 1, 2; cursor on 3
        await pilot.pause()
        assert table.marked_sids == {rows[0].sid, rows[1].sid, rows[2].sid}
        assert table.remove_sids([rows[1].sid, rows[3].sid, "RE-unknown"]) == 2
        await pilot.pause()
        assert table.marked_sids == {rows[0].sid, rows[2].sid}
        assert app.of(RecordingTable.MarksChanged)[-1].count == 2
        assert table.loaded_count == 28
        # The cursor's row went: the cursor is on the row that moved up into its place.
        assert table.cursor_index == 2 and table.cursor_recording is rows[4]
        table.remove_sids([r.sid for r in rows])
        await pilot.pause()
        assert table.loaded_count == 0 and table.cursor_recording is None
        assert table.marked_sids == frozenset()


# ------------------------------------------------------------------------------------ filter


async def test_quick_filter_narrows_and_keeps_the_cursor(recordings):
    rows = recordings(200)
    app = TableApp(rows)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(RecordingTable)
        absent = [r for r in rows if r.status == "absent"]
        table.move_cursor_to_sid(absent[3].sid)
        await pilot.pause()

        table.set_quick_filter("ABSENT")
        await pilot.pause()
        assert table.quick_filter == "ABSENT"
        assert list(table.recordings) == absent
        assert table.visible_count == len(absent) and table.loaded_count == 200
        assert table.cursor_recording is absent[3]

        table.set_quick_filter("absent 161")  # the error code is shown, so it is searched
        await pilot.pause()
        assert list(table.recordings) == absent
        table.set_quick_filter("")
        await pilot.pause()
        assert table.visible_count == 200
        assert table.cursor_recording is absent[3]

        # The cursor's row filtered out: the first match.
        table.set_quick_filter("trunking")
        await pilot.pause()
        assert all(r.source == "Trunking" for r in table.recordings)
        assert table.cursor_index == 0 and table.cursor_recording is table.recordings[0]


@pytest.mark.parametrize(
    "needle, field",
    [
        ("2026-11-20 13:50", "date"),  # the date as shown (display time zone)
        ("-0.0075 usd", "price"),
        ("cf", "conference"),
        ("startcallrecording", "source"),
        ("1:37", "duration"),
    ],
)
async def test_quick_filter_searches_every_shown_text(recordings, needle, field):
    rows = recordings(100)
    app = TableApp(rows)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(RecordingTable)
        table.set_quick_filter(needle)
        await pilot.pause()
        assert 0 < table.visible_count < 100, field
        for r in table.recordings:
            shown = table._haystack(r)
            assert needle.casefold() in shown


async def test_quick_filter_matches_the_full_sid_and_shows_when_nothing_matches(recordings):
    rows = recordings(100)
    app = TableApp(rows)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(RecordingTable)
        table.set_quick_filter(rows[42].sid[10:30].upper())
        await pilot.pause()
        assert list(table.recordings) == [rows[42]]
        table.set_quick_filter("no such [thing]")
        await pilot.pause()
        assert table.visible_count == 0 and table.cursor_recording is None
        assert "No loaded recording matches “no such [thing]”" in line_text(table, 1)
        assert app.of(RecordingTable.CursorChanged)[-1].recording is None


async def test_appended_rows_are_filtered(recordings):
    app = TableApp(recordings(50))
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(RecordingTable)
        table.set_quick_filter("paused")
        table.append_recordings(recordings(50, start=50))
        await pilot.pause()
        assert table.loaded_count == 100
        assert table.visible_count == sum(1 for i in range(100) if STATUSES[i % 9] == "paused")
        assert all(r.status == "paused" for r in table.recordings)


# ------------------------------------------------------------------------------------ sort


async def test_sort_toggles_and_appended_rows_go_in_order(recordings):
    app = TableApp(recordings(60))
    async with app.run_test(size=(120, 30)) as pilot:
        table = app.query_one(RecordingTable)
        assert (table.sort_key, table.sort_descending) == ("date", True)
        assert "▼" not in line_text(table, 0) and "▲" not in line_text(table, 0)

        await pilot.press("L")  # duration: longest first
        await pilot.pause()
        assert (table.sort_key, table.sort_descending) == ("duration", True)
        durations = [r.duration for r in table.recordings]
        known = [d for d in durations if d is not None and d >= 0]
        assert known == sorted(known, reverse=True)
        assert all(d == -1 for d in durations[len(known):])  # in progress: last
        assert "Duration ▼"[-1] in line_text(table, 0)
        assert app.of(RecordingTable.SortChanged)[-1].key == "duration"

        await pilot.press("L")
        await pilot.pause()
        assert table.sort_descending is False
        known = [r.duration for r in table.recordings if r.duration >= 0]
        assert known == sorted(known)
        assert "▲" in line_text(table, 0)

        table.append_recordings(recordings(60, start=60))
        await pilot.pause()
        assert table.loaded_count == 120
        known = [r.duration for r in table.recordings if r.duration >= 0]
        assert known == sorted(known)
        assert [r.duration for r in table.recordings][len(known):] == [-1] * (120 - len(known))

        table.sort_by("status")
        await pilot.pause()
        statuses = [r.status for r in table.recordings]
        assert statuses == sorted(statuses)
        # Ties stay in API order.
        completed = [r for r in table.recordings if r.status == "completed"]
        assert completed == [r for r in table.all_recordings if r.status == "completed"]

        # Back to the API's own order.
        table.sort_by("date", descending=True)
        await pilot.pause()
        assert list(table.recordings) == list(table.all_recordings)
        with pytest.raises(ValueError):
            table.sort_by("colour")


async def test_sort_keeps_the_cursor_on_its_row(recordings):
    rows = recordings(60)
    app = TableApp(rows)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(RecordingTable)
        table.move_cursor_to_sid(rows[17].sid)
        table.sort_by("price")
        await pilot.pause()
        assert table.cursor_recording is rows[17]
        prices = [r.price for r in table.recordings if r.price is not None]
        assert prices == sorted(prices)


async def test_click_on_a_header_sorts(recordings):
    app = TableApp(recordings(30))
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(RecordingTable)
        await pilot.pause()
        before = table.cursor_recording
        status = next(c for c in table.columns if c.key == "status")
        x = GUTTER + 1 + sum(c.width + 1 for c in table.columns[: table.columns.index(status)])
        await pilot.click(RecordingTable, offset=(x + 1, 0))
        await pilot.pause()
        assert (table.sort_key, table.sort_descending) == ("status", False)
        await pilot.click(RecordingTable, offset=(x + 1, 0))
        await pilot.pause()
        assert (table.sort_key, table.sort_descending) == ("status", True)
        assert table.cursor_recording is before  # a header click does not move the cursor


# ------------------------------------------------------------------------------------ marks


async def test_marks_survive_filter_and_sort(recordings):
    rows = recordings(40)
    app = TableApp(rows)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(RecordingTable)
        await pilot.press("space")
        await pilot.pause()
        assert table.marked_sids == {rows[0].sid}
        assert table.cursor_index == 1  # moved down, like k9s and mutt
        assert line_text(table, 1).startswith("✓")
        assert app.of(RecordingTable.MarksChanged)[-1].count == 1

        table.set_quick_filter("paused")
        await pilot.pause()
        await pilot.press("asterisk")
        await pilot.pause()
        paused = {r.sid for r in rows if r.status == "paused"}
        assert table.marked_sids == paused | {rows[0].sid}

        table.sort_by("sid", descending=True)
        table.set_quick_filter("")
        await pilot.pause()
        assert table.marked_sids == paused | {rows[0].sid}
        marked_lines = [line for line in screen_lines(table)[1:] if line.startswith("✓")]
        top = table.scroll_offset.y
        shown = table.recordings[top : top + table.size.height - 1]
        assert len(marked_lines) == sum(1 for r in shown if r.sid in table.marked_sids)

        await pilot.press("ctrl+backslash")
        await pilot.pause()
        assert table.marked_sids == frozenset()
        assert app.of(RecordingTable.MarksChanged)[-1].count == 0

        table.mark_all_visible()
        assert len(table.marked_sids) == 40
        await pilot.press("asterisk")  # all marked already: unmark them
        assert table.marked_sids == frozenset()


async def test_set_recordings_drops_marks_of_sids_no_longer_loaded(recordings):
    rows = recordings(10)
    app = TableApp(rows)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(RecordingTable)
        await pilot.press("space", "space")
        table.set_recordings(rows[1:])
        await pilot.pause()
        assert table.marked_sids == {rows[1].sid}


# ------------------------------------------------------------------------------------ hostile data

HOSTILE = {
    "markup": "[bold red]pwned[/] [link=https://evil.example]x[/link] [unbalanced",
    "ansi": "\x1b[31mred\x1b[0m\x1b]0;title\x07",
    "controls": "a\x00b\tc\nd\re\x7f\x9bf",
    "long": "Z" * 10_000,
    "emoji": "📞📞📞 call 👨‍👩‍👧 ❤️ 🇫🇷",
    "rtl": "\u202eevil\u202c שלום مرحبا",
    "combining": "e\u0301" + "\u0300" * 50 + "x",
}


def hostile_recordings() -> list[Recording]:
    rows = [make(0, status=HOSTILE["markup"], source=HOSTILE["ansi"])]
    rows.append(make(1, status=HOSTILE["controls"], source=HOSTILE["long"], sid=HOSTILE["long"]))
    rows.append(make(2, status=HOSTILE["emoji"], source=HOSTILE["rtl"], price_unit=HOSTILE["emoji"],
                     sid="RE" + HOSTILE["emoji"]))
    rows.append(make(3, status=HOSTILE["rtl"], source=HOSTILE["combining"],
                     conference_sid=HOSTILE["markup"], call_sid=None))
    rows.append(Recording.from_json({"sid": None, "status": None, "date_created": "not a date",
                                     "duration": "lots", "price": "free"}))
    rows.append(make(5, status="\U0001F600" * 40, source="中文" * 30, track="\ud800lone"))
    return rows


@pytest.mark.parametrize("size", [(80, 24), (120, 30), (200, 30), (50, 20)])
async def test_hostile_text_renders_literally_and_keeps_columns_aligned(size):
    rows = hostile_recordings()
    app = TableApp(rows)
    async with app.run_test(size=size) as pilot:
        table = app.query_one(RecordingTable)
        await pilot.pause()
        width = table.scrollable_content_region.width
        expected = [c.width for c in table.columns]
        for y in range(0, len(rows) + 1):
            strip = table.render_line(y)
            assert strip.cell_length == width
            text = "".join(s.text for s in strip)
            assert cell_len(text) == width
            assert not any(ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 for ch in text), repr(text)
            assert not any(0xD800 <= ord(ch) < 0xE000 for ch in text)
            assert "\u202e" not in text and "\u200d" not in text
            assert [w for _, w in cells(table, y)] == expected, (y, cells(table, y))
        # The separators between columns line up on every line.
        lines = [line_text(table, y) for y in range(len(rows) + 1)]
        first = lines[0]
        left = GUTTER
        for column in table.columns:
            for line in lines:
                assert _char_at(line, left) == " ", (line, left)
            left += column.width + 1
        assert first  # header

        statuses = {c.key: i for i, c in enumerate(table.columns)}
        status_cell = cells(table, 1)[statuses["status"]][0]
        assert status_cell.startswith("[bold red]pwned"[: len(status_cell.rstrip("… "))])
        if "source" in statuses:
            assert cells(table, 1)[statuses["source"]][0].startswith("␛[31mred")


def _char_at(line: str, cell: int) -> str:
    position = 0
    for ch in line:
        if position == cell:
            return ch
        position += cell_len(ch)
        if position > cell:
            return ch
    return ""


async def test_hostile_text_in_a_screenshot_is_literal():
    app = TableApp(hostile_recordings())
    async with app.run_test(size=(160, 20)) as pilot:
        await pilot.pause()
        svg = app.export_screenshot()
        assert "[bold&#160;red]p" in svg
        assert "␛[31mred" in svg
        assert "\x1b" not in svg
        text = "\n".join(screen_lines(app.query_one(RecordingTable)))
        assert "שלום" in text and "📞" in text and "a␀b␉c␊d␍e␡�f" in text


@pytest.mark.parametrize(("price", "width", "shown"), [
    ("-0.00250", 12, "-0.00250 USD"),  # fits: as sent
    ("-0.00250", 11, "-0.0025 USD"),  # Twilio's five decimals, the last one zero: four
    ("-0.00500", 11, "-0.0050 USD"),  # four, not "-0.005": the column stays aligned
    ("-0.04750", 7, "-0.0475"),  # no room for the unit
    ("-0.00255", 11, "-0.00255"),  # not exact in four decimals: never rounded
])
def test_prices_are_shortened_only_exactly(price, width, shown):
    from decimal import Decimal

    from rec_tui.ui.widgets.recording_table import format_price_to_fit

    assert format_price_to_fit(Decimal(price), "USD", width) == shown


def test_sanitize_and_fit():
    assert sanitize("plain") == "plain"
    assert sanitize("\x1b[1m") == "␛[1m"
    assert sanitize("a\u200db\u202ec\ufeffd") == "a�b�c�d"
    assert sanitize("e\u0301") == "é"  # composed, not replaced
    assert sanitize("\ud800") == "�"
    assert fit("abc", 5) == "abc  " and fit("abc", 5, "right") == "  abc"
    assert fit("abcdef", 5) == "abcd…"
    assert cell_len(fit("中文中文", 5)) == 5
    assert fit("x" * 10_000, 8) == "xxxxxxx…"
    assert fit("anything", 0) == ""


# ------------------------------------------------------------------------------------ focus & theme


async def test_cursor_row_shows_focus(recordings):
    app = TableApp(recordings(5), with_input=True)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(RecordingTable)
        await pilot.pause()
        focused = table.render_line(1).text, table.render_line(1)._segments[1].style
        app.query_one(Input).focus()
        await pilot.pause()
        blurred = table.render_line(1)._segments[1].style
        assert focused[1] != blurred
        assert focused[1].bgcolor != table.render_line(2)._segments[1].style.bgcolor


async def test_lines_made_directly_are_the_strips_textuals_own_pipeline_makes(recordings):
    # Without a box to draw, the table makes its lines itself (render_lines); Textual's styles
    # cache must give the very same strips: focused and blurred cursor, marks, partial crops,
    # lines past the last row.
    from textual.geometry import Region
    from textual.widget import Widget

    app = TableApp(recordings(12), with_input=True)
    async with app.run_test(size=(100, 24)) as pilot:
        table = app.query_one(RecordingTable)
        await pilot.press("space", "down", "space")
        await pilot.pause()
        assert table._draws_plain_lines()
        width, height = table.region.size

        def compare() -> None:
            for crop in (Region(0, 0, width, height), Region(3, 2, 40, 5), Region(0, height - 4, width - 1, 4)):
                table._styles_cache.clear()
                expected = [list(strip) for strip in Widget.render_lines(table, crop)]
                assert [list(strip) for strip in table.render_lines(crop)] == expected

        compare()
        app.query_one(Input).focus()
        await pilot.pause()
        compare()
        # ANSI colours, which the app's line filter turns into true colour.
        app.stylesheet.add_source("RecordingTable > .recording-table--header "
                                  "{ color: ansi_bright_green; background: ansi_blue; }")
        app.stylesheet.reparse()
        app.stylesheet.update(app)
        await pilot.pause()
        assert table.render_line(0)._segments[0].style.bgcolor.number == 4  # ANSI blue, before the filter
        compare()


async def test_a_table_given_a_box_is_drawn_by_textuals_pipeline(recordings):
    app = TableApp(recordings(5))
    async with app.run_test(size=(80, 12)) as pilot:
        table = app.query_one(RecordingTable)
        table.styles.border = ("round", "red")
        table.styles.padding = (0, 1)
        await pilot.pause()
        assert not table._draws_plain_lines()
        from textual.geometry import Region

        lines = [strip.text for strip in table.render_lines(Region(0, 0, table.region.width, table.region.height))]
        assert lines[0].startswith("╭") and lines[-1].startswith("╰")
        assert lines[1].startswith("│ ")


# ------------------------------------------------------------------------------------ scale


async def test_one_hundred_thousand_rows(recordings):
    template = recordings(100)
    rows = [replace(template[i % 100], sid=f"RE{i:032x}") for i in range(100_000)]
    app = TableApp([])
    async with app.run_test(size=(120, 40)) as pilot:
        table = app.query_one(RecordingTable)
        table.set_recordings(rows)
        await pilot.pause()
        assert table.loaded_count == table.visible_count == 100_000
        await pilot.press("G")
        await pilot.pause()
        assert table.cursor_recording is rows[-1]
        table.set_quick_filter(f"{99_999:x}")  # one SID ends so, and a few others contain it
        await pilot.pause()
        assert rows[-1] in table.recordings
        assert table.cursor_recording is rows[-1]
        table.set_quick_filter("absent")
        await pilot.pause()
        assert table.visible_count == 100_000 * 11 // 100
        table.sort_by("duration")
        table.set_quick_filter("")
        await pilot.pause()
        assert table.visible_count == 100_000
        table.append_recordings([make(0, sid="RE" + "f" * 32, duration="999999")])
        await pilot.pause()
        assert table.recordings[0].sid == "RE" + "f" * 32


# ------------------------------------------------------------------------------------ snapshots


def snapshot_app() -> TableApp:
    rows = [make(i) for i in range(60)]
    return TableApp(rows)


async def _mark_and_move(pilot) -> None:
    await pilot.press("down", "space", "space", "down")
    await pilot.pause()


def test_snapshot_80x24(snap_compare):
    assert snap_compare(snapshot_app(), terminal_size=(80, 24), run_before=_mark_and_move)


def test_snapshot_120x40(snap_compare):
    async def sort_and_move(pilot) -> None:
        pilot.app.query_one(RecordingTable).sort_by("status")
        await _mark_and_move(pilot)

    assert snap_compare(snapshot_app(), terminal_size=(120, 40), run_before=sort_and_move)


async def test_prepared_rows_filter_like_plain_ones_and_texts_for_another_zone_are_remade(recordings):
    """Pages arrive with their quick-filter texts made in a thread (``PreparedRows``); texts made
    for a time zone the table no longer shows must not be searched."""
    cet = timezone(timedelta(hours=1), "CET")
    app = TableApp([])
    async with app.run_test(size=(120, 24)) as pilot:
        table = app.query_one(RecordingTable)
        table.set_recordings(PreparedRows.prepare(recordings(30), timezone.utc))
        table.append_recordings(PreparedRows.prepare(recordings(30, start=30), cet))  # stale zone
        await pilot.pause()
        assert table.loaded_count == 60
        for i in (3, 45):  # one of each batch, found by its date as shown (UTC)
            shown = (T0 - timedelta(minutes=13 * i, seconds=i % 60)).strftime("%Y-%m-%d %H:%M:%S")
            table.set_quick_filter(shown)
            assert [r.sid for r in table.recordings] == [make(i).sid], shown
        in_cet = (T0 - timedelta(minutes=13 * 45, seconds=45)).astimezone(cet).strftime("%Y-%m-%d %H:%M:%S")
        table.set_quick_filter(in_cet)
        assert table.visible_count == 0
        table.set_quick_filter("absent")
        plain = TableApp(recordings(60))
        async with plain.run_test(size=(120, 24)):
            other = plain.query_one(RecordingTable)
            other.set_quick_filter("absent")
            assert [r.sid for r in table.recordings] == [r.sid for r in other.recordings]
