"""The app over the real emulator, driven through Pilot: what a person sees after each key."""

from __future__ import annotations

import gc
from datetime import timedelta

import pytest
from textual.widgets import DataTable, Input, Select

from rec_tui.api import RecordingFilter
from rec_tui.ui.app import GC_THRESHOLDS, RecTuiApp, StartTarget
from rec_tui.ui.screens.filters import FilterScreen
from rec_tui.ui.screens.help import HelpScreen
from rec_tui.ui.screens.recording import RecordingScreen
from rec_tui.ui.screens.recordings import RecordingsScreen
from rec_tui.ui.screens.transcription import TranscriptionScreen

from ui_support import NO_RETRY, day_of, emulator_config, gmt_day, recordings_screen, settle, type_into, until


def notifications(app: RecTuiApp) -> list:
    return list(app._notifications)


def error_texts(app: RecTuiApp) -> list[str]:
    return [f"{n.title}\n{n.message}" for n in notifications(app) if n.severity == "error"]


# -- opening -----------------------------------------------------------------------------------


async def test_open_shows_the_first_page(shared_emulator, make_app):
    app = make_app(shared_emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = recordings_screen(pilot)
        assert screen.table.loaded_count >= 50
        assert screen.status.message.startswith("page 1 · rows 1–50 · more available") or \
            screen.status.message.startswith("pages 1–")
        assert app.connection_state == "connected"
        # The detail pane shows the row under the cursor.
        first = screen.table.cursor_recording
        assert first is not None and screen.detail.recording == first
        assert first.sid in screen.detail.plain_text
        assert error_texts(app) == []


async def test_the_collector_is_tuned_while_the_app_runs_and_restored_after(shared_emulator, make_app):
    """Young collections were the larger part of a table repaint with 100k rows loaded (see
    GC_THRESHOLDS); the process the app ran in gets Python's settings back when it ends."""
    before = gc.get_threshold()
    assert before != GC_THRESHOLDS
    app = make_app(shared_emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert gc.get_threshold() == GC_THRESHOLDS
    assert gc.get_threshold() == before


async def test_header_names_provider_account_profile_and_state(shared_emulator, make_app):
    app = make_app(shared_emulator)
    async with app.run_test() as pilot:
        await settle(pilot)
        identity = str(app.screen.query_one("#header-identity").content)
        assert "Emulator" in identity and "profile demo" in identity
        assert shared_emulator.account_sid[:6] in identity and shared_emulator.account_sid not in identity
        assert "connected" in str(app.screen.query_one("#header-state").content)


# -- filters -------------------------------------------------------------------------------------


async def open_filters(pilot) -> FilterScreen:
    await pilot.press("f")
    await pilot.pause()
    assert isinstance(pilot.app.screen, FilterScreen)
    return pilot.app.screen


async def test_filter_by_call_sid(shared_emulator, emulator_data, make_app):
    call_sid = next(r["call_sid"] for r in emulator_data.recordings() if r.get("call_sid"))
    expected = {r["sid"] for r in emulator_data.recordings(CallSid=call_sid)}
    app = make_app(shared_emulator)
    async with app.run_test() as pilot:
        await settle(pilot)
        await open_filters(pilot)
        await type_into(pilot, "#filter-call_sid", call_sid)
        await pilot.press("enter")
        await settle(pilot)
        screen = recordings_screen(pilot)
        assert screen.filter == RecordingFilter(call_sid=call_sid)
        shown = screen.table.all_recordings
        assert {r.sid for r in shown} == expected
        assert all(r.call_sid == call_sid for r in shown)
        assert screen.status.message.startswith(f"call {call_sid[:6]}")


@pytest.mark.parametrize("field", ["created_on", "created_before", "created_after"])
async def test_date_filters(shared_emulator, emulator_data, make_app, field):
    days = sorted({gmt_day(r["date_created"]) for r in emulator_data.recordings()})
    assert len(days) >= 3, "the seeded data should span several days"
    day = days[len(days) // 2]
    check = {
        "created_on": lambda d: d == day,
        "created_before": lambda d: d <= day,
        "created_after": lambda d: d >= day,
    }[field]
    app = make_app(shared_emulator)
    async with app.run_test() as pilot:
        await settle(pilot)
        await open_filters(pilot)
        await type_into(pilot, f"#filter-{field}", day.isoformat())
        await pilot.press("enter")
        await settle(pilot)
        screen = recordings_screen(pilot)
        assert getattr(screen.filter, field) == day
        shown = screen.table.all_recordings
        assert shown, "the filter should match some recordings"
        assert all(check(day_of(r.date_created)) for r in shown)


async def test_invalid_filter_shows_messages_and_sends_nothing(emulator, make_app):
    app = make_app(emulator)
    async with app.run_test() as pilot:
        await settle(pilot)
        sent = len(emulator.request_log)
        form = await open_filters(pilot)
        await type_into(pilot, "#filter-created_on", "2026-13-45")
        await type_into(pilot, "#filter-call_sid", "CA123")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is form, "the form stays open while invalid"
        date_error = str(form.query_one("#error-created_on").content)
        call_error = str(form.query_one("#error-call_sid").content)
        assert "not a date" in date_error and "YYYY-MM-DD" in date_error
        assert "CA followed by 32 hex digits" in call_error
        assert form.query_one("#error-created_on").display and form.query_one("#error-call_sid").display
        assert not form.query_one("#error-conference_sid").display
        await settle(pilot)
        assert len(emulator.request_log) == sent
        # Cancelling keeps the list as it was.
        await pilot.press("escape")
        await pilot.pause()
        assert recordings_screen(pilot).filter.is_empty
        assert len(emulator.request_log) == sent


async def test_empty_result_says_so(shared_emulator, make_app):
    app = make_app(shared_emulator)
    async with app.run_test() as pilot:
        await settle(pilot)
        await open_filters(pilot)
        await type_into(pilot, "#filter-created_on", "2001-01-01")
        await pilot.press("enter")
        await settle(pilot)
        screen = recordings_screen(pilot)
        assert screen.table.loaded_count == 0
        assert screen.status.message.startswith("No recordings match: on 2001-01-01")
        assert "No recordings match: on 2001-01-01" in screen.detail.plain_text


# -- paging --------------------------------------------------------------------------------------


async def test_next_and_previous_page(shared_emulator, emulator_data, make_app):
    everything = [r["sid"] for r in emulator_data.recordings()]
    app = make_app(shared_emulator)
    async with app.run_test() as pilot:  # 80×24: one page fills more than the screen
        await settle(pilot)
        screen = recordings_screen(pilot)
        assert screen.status.message == "page 1 · rows 1–50 · more available"
        await pilot.press("n")
        await settle(pilot)
        assert screen.status.message == "page 2 · rows 51–100 · more available"
        assert [r.sid for r in screen.table.all_recordings] == everything[50:100]
        await pilot.press("n")
        await settle(pilot)
        assert screen.status.message == "page 3 · rows 101–150 · more available"
        await pilot.press("p")
        await settle(pilot)
        assert screen.status.message == "page 2 · rows 51–100 · more available"
        await pilot.press("p")
        await settle(pilot)
        assert screen.status.message == "page 1 · rows 1–50 · more available"
        assert [r.sid for r in screen.table.all_recordings] == everything[:50]
        await pilot.press("p")  # nothing before the first page
        await settle(pilot)
        assert screen.status.message == "page 1 · rows 1–50 · more available"


async def test_last_page_says_so(shared_emulator, make_app):
    app = make_app(shared_emulator)
    async with app.run_test() as pilot:
        await settle(pilot)
        screen = recordings_screen(pilot)
        for _ in range(4):
            await pilot.press("n")
            await settle(pilot)
        assert screen.status.message == "page 5 · rows 201–250 · last page"


async def test_infinite_scroll_appends_pages(shared_emulator, emulator_data, make_app):
    everything = [r["sid"] for r in emulator_data.recordings()]
    app = make_app(shared_emulator)
    async with app.run_test() as pilot:
        await settle(pilot)
        screen = recordings_screen(pilot)
        assert screen.table.loaded_count == 50
        await pilot.press("G")  # to the last loaded row: near the end, so the next page loads
        await settle(pilot)
        assert screen.table.loaded_count == 100
        assert [r.sid for r in screen.table.all_recordings] == everything[:100]
        assert screen.status.message == "pages 1–2 · rows 1–100 · more available"
        # The cursor stayed where it was: appending does not move it.
        assert screen.table.cursor_recording.sid == everything[49]
        # n after scrolling replaces the table with the page after the loaded range.
        await pilot.press("n")
        await settle(pilot)
        assert screen.status.message == "page 3 · rows 101–150 · more available"


async def test_page_size_choice(emulator, make_app):
    app = make_app(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = recordings_screen(pilot)
        screen.query_one("#page-size", Select).value = 20
        await settle(pilot)
        assert screen.page_size == 20
        assert screen.status.message.startswith("page")
        assert screen.table.all_recordings[0].sid is not None
        # Pages of 20 (a 40-line screen shows more, so a second page is appended at once).
        assert screen.pages[0].page_size == 20 and len(screen.pages[0].items) == 20


async def test_refresh_keeps_the_cursor(shared_emulator, make_app):
    app = make_app(shared_emulator)
    async with app.run_test() as pilot:
        await settle(pilot)
        screen = recordings_screen(pilot)
        await pilot.press("j", "j", "j")
        chosen = screen.table.cursor_recording
        await pilot.press("r")
        await settle(pilot)
        assert screen.table.cursor_recording == chosen
        assert screen.detail.recording == chosen


async def test_a_stale_answer_never_replaces_a_newer_view(shared_emulator, emulator_data, make_app):
    call_sid = next(r["call_sid"] for r in emulator_data.recordings() if r.get("call_sid"))
    app = make_app(shared_emulator)
    async with app.run_test() as pilot:
        await settle(pilot)
        screen = recordings_screen(pilot)
        # Two loads back to back: only the second may land.
        screen.apply_filter(RecordingFilter(created_on=day_of(screen.table.all_recordings[0].date_created)))
        screen.apply_filter(RecordingFilter(call_sid=call_sid))
        await settle(pilot)
        assert screen.filter.call_sid == call_sid
        assert all(r.call_sid == call_sid for r in screen.table.all_recordings)


# -- quick filter --------------------------------------------------------------------------------


async def test_quick_filter_narrows_and_escape_clears(shared_emulator, make_app):
    app = make_app(shared_emulator)
    async with app.run_test() as pilot:
        await settle(pilot)
        screen = recordings_screen(pilot)
        target = screen.table.all_recordings[7]
        await pilot.press("slash")
        await pilot.pause()
        assert app.focused is screen.quick_filter_input
        await pilot.press(*target.sid[-10:])
        await settle(pilot)
        assert screen.table.visible_count == 1
        assert screen.table.cursor_recording == target
        assert "find “" in screen.status.message and "1 of" in screen.status.message
        assert screen.detail.recording == target
        await pilot.press("escape")
        await settle(pilot)
        assert screen.table.quick_filter == ""
        assert screen.table.visible_count == screen.table.loaded_count
        assert not screen.quick_filter_input.display
        assert app.focused is screen.table


async def test_quick_filter_enter_keeps_it_and_returns_to_the_table(shared_emulator, make_app):
    app = make_app(shared_emulator)
    async with app.run_test() as pilot:
        await settle(pilot)
        screen = recordings_screen(pilot)
        await pilot.press("slash", *"completed", "enter")
        await settle(pilot)
        assert app.focused is screen.table
        assert screen.table.quick_filter == "completed"
        assert all(r.status == "completed" for r in screen.table.recordings)
        await pilot.press("escape")  # esc on the table clears it too
        await pilot.pause()
        assert screen.table.quick_filter == ""


# -- detail --------------------------------------------------------------------------------------


async def test_enter_opens_the_detail_with_every_field(shared_emulator, make_app):
    app = make_app(shared_emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = recordings_screen(pilot)
        await pilot.press("j")
        recording = screen.table.cursor_recording
        await pilot.press("enter")
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, RecordingScreen)
        text = detail.fields.plain_text
        assert f"SID: {recording.sid}" in text
        assert f"Account: {recording.account_sid}" in text
        if recording.call_sid:
            assert f"Call: {recording.call_sid}" in text
        assert f"Status: {recording.status}" in text
        assert f"URI: {recording.uri}" in text
        assert "Created: " in text and "GMT" in text
        if recording.duration is not None and recording.duration >= 0:
            assert f"({recording.duration} second" in text
        for name, uri in (recording.subresource_uris or {}).items():
            assert f"{name}: {uri}" in text
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen


async def test_absent_recording_shows_its_error_code_and_link(shared_emulator, emulator_data, make_app):
    absent = next((r for r in emulator_data.recordings() if r.get("status") == "absent" and r.get("error_code")),
                  None)
    if absent is None:
        pytest.skip("the seeded data has no absent recording")
    app = make_app(shared_emulator, start=StartTarget(recording=absent["sid"]))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, RecordingScreen)
        text = app.screen.fields.plain_text
        code = absent["error_code"]
        assert f"Error: {code}" in text
        assert f"https://www.twilio.com/docs/errors/{code}" in text


async def test_open_a_transcription_shows_its_text(shared_emulator, emulator_data, make_app):
    recording, transcription = emulator_data.recording_with_transcription()
    app = make_app(shared_emulator, start=StartTarget(recording=recording["sid"]))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, RecordingScreen)
        table = detail.query_one("#transcriptions", DataTable)
        assert table.row_count == len(emulator_data.transcriptions(recording["sid"]))
        keys = [row.value for row in table.rows]
        table.focus()
        table.move_cursor(row=keys.index(transcription["sid"]))
        await pilot.press("enter")
        await settle(pilot)
        viewer = app.screen
        assert isinstance(viewer, TranscriptionScreen)
        assert viewer.viewer.text.split() == transcription["transcription_text"].split()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is detail


async def test_deep_link_to_a_missing_recording_reports_404(emulator, make_app):
    missing = "RE" + "0" * 32
    app = make_app(emulator, start=StartTarget(recording=missing))
    async with app.run_test(notifications=True) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, RecordingScreen)
        assert f"Could not load {missing}" in app.screen.fields.plain_text
        errors = error_texts(app)
        assert any("HTTP 404" in text for text in errors)


async def test_deep_link_to_a_call(shared_emulator, emulator_data, make_app):
    call_sid = next(r["call_sid"] for r in emulator_data.recordings() if r.get("call_sid"))
    app = make_app(shared_emulator, start=StartTarget(call=call_sid))
    async with app.run_test() as pilot:
        await settle(pilot)
        screen = recordings_screen(pilot)
        assert screen.filter == RecordingFilter(call_sid=call_sid)
        assert screen.table.all_recordings and all(r.call_sid == call_sid for r in screen.table.all_recordings)


async def test_jump_to_the_calls_recordings_and_back(shared_emulator, make_app):
    app = make_app(shared_emulator)
    async with app.run_test() as pilot:
        await settle(pilot)
        screen = recordings_screen(pilot)
        while screen.table.cursor_recording.call_sid is None:
            await pilot.press("j")
        recording = screen.table.cursor_recording
        await pilot.press("c")
        await settle(pilot)
        assert screen.filter == RecordingFilter(call_sid=recording.call_sid)
        assert recording.sid in {r.sid for r in screen.table.all_recordings}
        assert all(r.call_sid == recording.call_sid for r in screen.table.all_recordings)
        assert "esc: previous filter" in screen.status.message
        await pilot.press("escape")
        await settle(pilot)
        assert screen.filter.is_empty
        assert screen.history == []
        assert screen.status.message.startswith("page 1")


async def test_jump_from_the_detail_screen(shared_emulator, make_app):
    app = make_app(shared_emulator)
    async with app.run_test() as pilot:
        await settle(pilot)
        screen = recordings_screen(pilot)
        while screen.table.cursor_recording.call_sid is None:
            await pilot.press("j")
        call_sid = screen.table.cursor_recording.call_sid
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert app.screen is screen
        assert screen.filter.call_sid == call_sid


# -- clipboard -----------------------------------------------------------------------------------


class SpyApp(RecTuiApp):
    """Records what reaches the clipboard (the OSC 52 write itself is Textual's)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.copied: list[str] = []

    def copy_to_clipboard(self, text: str) -> None:
        self.copied.append(text)
        super().copy_to_clipboard(text)


async def test_copy_sid_and_media_url(shared_emulator, make_app):
    app = make_app(shared_emulator, app_class=SpyApp)
    async with app.run_test(notifications=True) as pilot:
        await settle(pilot)
        screen = recordings_screen(pilot)
        recording = screen.table.cursor_recording
        await pilot.press("y")
        assert app.copied == [recording.sid] and app.clipboard == recording.sid
        await pilot.press("Y")
        expected_url = recording.media_url or app.client.media_url(recording.sid)
        assert app.copied[-1] == expected_url
        assert any(n.message.startswith("copied SID: ") for n in notifications(app))
        # The same keys on the detail screen.
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("y")
        assert app.copied[-1] == recording.sid


# -- help and palette ----------------------------------------------------------------------------


async def test_help_lists_every_binding(shared_emulator, make_app):
    app = make_app(shared_emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = recordings_screen(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        listed = {title: dict((desc.split(" — ")[0], keys) for keys, desc in rows)
                  for title, rows in help_screen.groups}
        assert listed["Recordings"]["Find"] == "/"
        assert listed["Recordings"]["Filter"] == "f"
        assert listed["Recordings"]["Next"] == "n" and listed["Recordings"]["Prev"] == "p"
        assert listed["Recordings"]["Copy SID"] == "y" and listed["Recordings"]["Copy media URL"] == "Y"
        assert listed["General"]["Help"] == "?"
        assert "q" in listed["General"]["Quit"].split()
        assert "j" in listed["Table"]["Cursor down"].split()
        # Every described binding of the screen is there.
        for binding in RecordingsScreen.BINDINGS:
            assert binding.description in listed["Recordings"], binding
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen


async def test_palette_offers_the_screen_actions(shared_emulator, make_app):
    from rec_tui.ui.commands import RecTuiCommands

    app = make_app(shared_emulator)
    async with app.run_test() as pilot:
        await settle(pilot)
        provider = RecTuiCommands(app.screen)
        names = [hit.text async for hit in provider.discover()]
        for expected in ("Filter by call SID…", "Filter by conference SID…", "Copy SID", "Refresh",
                         "Page size 200", "Recordings list"):
            assert any(name.startswith(expected) for name in names), expected
        hits = [hit async for hit in provider.search("filter by call")]
        assert hits and hits[0].text == "Filter by call SID…"


async def test_palette_filter_by_call_sid_opens_the_form_at_that_field(shared_emulator, make_app):
    app = make_app(shared_emulator)
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"filter by call sid")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, FilterScreen)
        assert app.focused is app.screen.query_one("#filter-call_sid", Input)


# -- errors --------------------------------------------------------------------------------------


async def test_wrong_token_shows_twilios_error_and_the_app_stays_usable(emulator, make_app):
    app = make_app(emulator, token="0" * 32)
    async with app.run_test(notifications=True) as pilot:
        await settle(pilot)
        errors = error_texts(app)
        assert errors, "a notification should say what went wrong"
        assert "20003" in errors[0] and "HTTP 401" in errors[0]
        assert "https://www.twilio.com/docs/errors/20003" in errors[0]
        assert notifications(app)[0].markup is False
        assert app.connection_state == "error"
        screen = recordings_screen(pilot)
        assert "error: HTTP 401" in screen.status.message
        # Still usable: the filter form opens, help opens.
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, FilterScreen)
        await pilot.press("escape", "question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_a_stopped_service_is_reported(emulator, make_app):
    app = make_app(emulator)
    async with app.run_test(notifications=True) as pilot:
        await settle(pilot)
        screen = recordings_screen(pilot)
        before = screen.table.loaded_count
        emulator.__exit__(None, None, None)
        await pilot.press("r")
        await settle(pilot)
        assert any("could not connect" in text for text in error_texts(app))
        assert app.connection_state == "error"
        assert screen.table.loaded_count == before, "what was loaded stays"


async def test_api_text_is_shown_literally(shared_emulator, make_app):
    """A field holding markup or an ANSI escape is displayed as written, never interpreted."""
    from dataclasses import replace

    app = make_app(shared_emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = recordings_screen(pilot)
        original = screen.table.cursor_recording
        hostile = replace(original, source="[bold red]Dial[/] \x1b[31mVerb", extra={"note": "[link=x]y[/link]"})
        screen.detail.show(hostile)
        text = screen.detail.plain_text
        assert "Source: [bold red]Dial[/] ␛[31mVerb" in text
        assert "note: [link=x]y[/link]" in text


async def test_layout_moves_the_detail_pane_below_on_narrow_terminals(shared_emulator, make_app):
    app = make_app(shared_emulator)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = recordings_screen(pilot)
        assert screen.has_class("-narrow")
        assert screen.detail.region.y > screen.table.region.y
        assert screen.detail.region.width == screen.table.region.width
    app = make_app(shared_emulator)
    async with app.run_test(size=(130, 30)) as pilot:
        await settle(pilot)
        screen = recordings_screen(pilot)
        assert screen.has_class("-wide")
        assert screen.detail.region.x > screen.table.region.x
        assert screen.detail.region.y == screen.table.region.y


async def test_palette_takes_a_pasted_sid(shared_emulator, emulator_data, make_app):
    from rec_tui.ui.commands import RecTuiCommands

    recording = emulator_data.recordings()[3]
    app = make_app(shared_emulator)
    async with app.run_test() as pilot:
        await settle(pilot)
        provider = RecTuiCommands(app.screen)
        hits = [hit async for hit in provider.search(recording["sid"])]
        assert hits[0].text == f"Open recording {recording['sid']}"
        hits[0].command()
        await settle(pilot)
        assert isinstance(app.screen, RecordingScreen)
        assert app.screen.recording is not None and app.screen.recording.sid == recording["sid"]


async def test_quit_closes_the_client_and_stops_an_owned_emulator():
    import httpx

    config = emulator_config()  # skips while the emulator has not landed
    from rec_tui.emulator import Emulator
    from rec_tui.ui.connection import connection_for_emulator

    emu = Emulator(config).__enter__()
    connection = connection_for_emulator(emu, owns_emulator=True, retry=NO_RETRY)
    app = RecTuiApp(connection)
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("q")
    with pytest.raises(RuntimeError, match="closed"):
        await connection.client.list_recordings()
    with pytest.raises(httpx.HTTPError):
        httpx.get(emu.base_url, timeout=2)


async def test_hostile_transcription_text_is_shown_literally(make_app):
    """The emulator's ``hostile`` data: escape sequences and markup show as written."""
    from rich.text import Text
    from textual.widgets import Static

    from rec_tui.emulator import Emulator
    from ui_support import EmulatorData

    with Emulator(emulator_config(hostile=True, transcription_rate=0.6)) as emu:
        data = EmulatorData(emu)
        target = None
        for recording in data.recordings():
            for transcription in data.transcriptions(recording["sid"]):
                if "\x1b[31m" in (transcription.get("transcription_text") or "") or \
                        "[bold red]" in (transcription.get("transcription_text") or ""):
                    target = recording, transcription
                    break
            if target:
                break
        data.http.close()
        if target is None:
            pytest.skip("no hostile transcription in this seed")
        recording, transcription = target
        app = make_app(emu, start=StartTarget(recording=recording["sid"]))
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            table = app.screen.query_one("#transcriptions", DataTable)
            table.focus()
            table.move_cursor(row=[row.value for row in table.rows].index(transcription["sid"]))
            await pilot.press("enter")
            await settle(pilot)
            viewer = app.screen.viewer
            shown = viewer.query_one(".viewer-text", Static).content
            assert isinstance(shown, Text) and not shown.spans
            raw = transcription["transcription_text"]
            if "\x1b[31m" in raw:
                assert "␛[31mRED␛[0m" in shown.plain and "\x1b" not in shown.plain
            else:
                assert "[bold red]not markup[/bold red]" in shown.plain


async def test_add_on_results_are_listed(shared_emulator, emulator_data, make_app):
    recording, results = emulator_data.recording_with_add_on_results()
    app = make_app(shared_emulator, start=StartTarget(recording=recording["sid"]))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RecordingScreen)
        table = screen.query_one("#add-ons", DataTable)
        assert table.display and table.row_count == len(results)
        assert [r.sid for r in screen.add_on_results] == [r["sid"] for r in results]
        assert str(screen.query_one("#add-ons-title").content) == f"Add-on results · {len(results)}"


async def test_a_quick_first_page_shows_no_loading_overlay_and_the_table_keeps_the_focus(
        shared_emulator, make_app, monkeypatch):
    # The overlay waits LOADING_OVERLAY_DELAY (here long, whatever the machine's speed): a page
    # sooner never covers the table, which holds the focus (and the footer its keys) from the start.
    monkeypatch.setattr(RecordingsScreen, "LOADING_OVERLAY_DELAY", 60.0)
    app = make_app(shared_emulator)
    overlaid = []
    async with app.run_test(size=(120, 30)) as pilot:
        screen = recordings_screen(pilot)
        screen.table.watch(screen.table, "loading", lambda loading: overlaid.append(loading), init=False)
        await settle(pilot)
        assert screen.table.loaded_count >= 50
        assert True not in overlaid
        assert app.focused is screen.table
        # A tick of the overlay's timer that was already queued when the page came does nothing.
        screen._show_loading_overlay(screen._generation)
        assert not screen.table.loading


async def test_loading_indicator_while_a_request_runs_and_input_stays_live(make_app, monkeypatch):
    from rec_tui.emulator import Emulator, FaultConfig

    monkeypatch.setattr(RecordingsScreen, "LOADING_OVERLAY_DELAY", 0.1)
    slow = FaultConfig(latency_s=0.6, paths=(r"/Recordings\.json",))
    with Emulator(emulator_config(faults=slow)) as emu:
        app = make_app(emu)
        async with app.run_test() as pilot:
            await pilot.pause()
            screen = recordings_screen(pilot)
            # The first page is on its way (0.6 s): spinner, and soon a loading overlay on the empty table.
            assert await until(pilot, lambda: screen.status.busy)
            assert "loading…" in screen.status.message
            assert await until(pilot, lambda: screen.table.loading, rounds=2000)
            assert screen.table.loaded_count == 0
            await settle(pilot)
            assert not screen.status.busy and not screen.table.loading
            assert screen.table.loaded_count == 50
            # Scrolling to the end loads more without blocking: the cursor still moves meanwhile.
            await pilot.press("G")
            assert await until(pilot, lambda: screen.status.busy)
            assert "loading more…" in screen.status.message
            await pilot.press("k")
            await pilot.pause()
            assert screen.table.cursor_index == 48
            await settle(pilot)
            assert screen.table.loaded_count == 100 and not screen.status.busy


async def test_a_fast_run_of_moves_draws_the_pane_for_the_row_it_stops_on(shared_emulator, make_app, monkeypatch):
    """The detail pane follows the cursor at most once per DETAIL_INTERVAL: the rows passed over
    are not all drawn, and the row the run stops on is."""
    monkeypatch.setattr(RecordingsScreen, "DETAIL_INTERVAL", 1.0)
    app = make_app(shared_emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = recordings_screen(pilot)
        drawn = []
        show = screen.detail.show
        screen.detail.show = lambda recording, **kw: (drawn.append(recording), show(recording, **kw))[1]
        await pilot.press(*["down"] * 6)
        stop = screen.table.cursor_recording
        assert screen.table.cursor_index == 6
        for _ in range(100):  # the throttle's interval, in Pilot's pauses
            if screen.detail.recording == stop:
                break
            await pilot.pause(0.05)
        assert screen.detail.recording == stop and stop.sid in screen.detail.plain_text
        assert drawn[-1] == stop and len(drawn) <= 2


@pytest.mark.parametrize("width, expected", [(80, "-narrow"), (120, "-wide"), (160, "-huge")])
async def test_the_list_is_styled_for_its_width_once_not_again_on_its_first_resize(
        shared_emulator, make_app, width, expected):
    # The width class comes from the app's size when the screen composes: its widgets are styled
    # for it when they mount, and Textual's first Resize (which sets the same class) restyles
    # nothing. Textual restyles the whole screen once as it shows it (ScreenResume), not twice.
    app = make_app(shared_emulator)
    restyled = []
    update_styles = app.update_styles

    def record(node=None, animate=True):
        restyled.append(node)
        return update_styles(node, animate=animate)

    app.update_styles = record  # type: ignore[method-assign]
    async with app.run_test(size=(width, 30)) as pilot:
        await settle(pilot)
        screen = recordings_screen(pilot)
        assert {"-narrow", "-wide", "-huge"} & set(screen.classes) == {expected}
        assert restyled.count(screen) == 1
        pane, table = screen.detail.region, screen.table.region
        if expected == "-narrow":  # the pane below the table
            assert pane.y >= table.bottom and pane.width == width
        else:  # beside it, wider on a huge terminal
            assert pane.y == table.y and pane.x >= table.right
            assert pane.width == (64 if expected == "-huge" else 50)
