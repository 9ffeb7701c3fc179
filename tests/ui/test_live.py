"""The live view (``a``) over the emulator on a ManualClock, driven through Pilot.

Each test acts as an operator would (keys, dialogs) and checks what the person sees (rows, the
actions panel, notifications) and what the emulator was really told (its store, its request log).
"""

from __future__ import annotations

import pytest
from textual.widgets import Input, OptionList, RadioSet

from rec_tui.ui.app import RecTuiApp
from rec_tui.ui.screens.dialogs import ConfirmScreen, PauseChoiceScreen, StartRecordingScreen
from rec_tui.ui.screens.live import LiveScreen
from rec_tui.ui.screens.recording import RecordingScreen

from ui_support import EmulatorData, no_blinking, settle

#: Long enough that no automatic refresh happens during a test unless it asks for one.
QUIET = 3600.0


def notes(app: RecTuiApp, severity: str | None = None) -> list[str]:
    return [f"{n.title}\n{n.message}" for n in app._notifications if severity is None or n.severity == severity]


def posts(emu) -> list[str]:
    return [path for method, path, _ in emu.request_log if method == "POST"]


async def open_live(pilot, interval: float = QUIET) -> LiveScreen:
    pilot.app.live_refresh_interval = interval
    await settle(pilot)
    await pilot.press("a")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, LiveScreen), screen
    return screen


async def select(pilot, screen: LiveScreen, predicate) -> None:
    """Put the cursor on the first row whose item matches (as j/k would)."""
    for row, item in enumerate(screen.items):
        if predicate(item):
            screen.table.move_cursor(row=row)
            await pilot.pause()
            assert screen.selected is item
            return
    raise AssertionError("no such row in the live view")


def own_recordings(emu, count: int, status: str | None = None):
    """A live call (not a conference leg) with ``count`` active recordings of its own."""
    store = emu.store
    for call in store.calls.values():
        if call.status != "in-progress" or call.conference_sid:
            continue
        active = store.active_recordings(call_sid=call.sid)
        if len(active) == count and (status is None or all(r.status == status for r in active)):
            return call, active
    raise AssertionError(f"no live call with {count} active recording(s)")


def is_recording(sid: str):
    return lambda item: item.recording is not None and item.recording.sid == sid


def is_call(sid: str):
    return lambda item: item.kind == "call" and item.call.sid == sid


def row_status(screen: LiveScreen, sid: str) -> str:
    for item in screen.items:
        if item.recording is not None and item.recording.sid == sid:
            return item.recording.status
    raise AssertionError(f"{sid} is not on view")


def panel(screen: LiveScreen) -> str:
    return str(screen.query_one("#live-actions").content)


# -- what it shows ---------------------------------------------------------------------------------


async def test_lists_every_live_call_and_conference_with_its_recordings(emulator, make_app):
    data = EmulatorData(emulator)
    live_calls = {c["sid"] for c in data.get("Calls.json", Status="in-progress", PageSize=100)["calls"]}
    conferences = {c["sid"] for c in data.get("Conferences.json", Status="in-progress")["conferences"]}
    active = {r["sid"]: r for r in data.recordings() if r["status"] in ("in-progress", "paused")}
    app = make_app(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_live(pilot)
        shown_calls = {i.call.sid for i in screen.items if i.kind == "call"}
        shown_conferences = {i.conference.sid for i in screen.items if i.kind == "conference"}
        shown = {i.recording.sid: i for i in screen.items if i.kind == "recording"}
        assert shown_calls == live_calls and len(live_calls) == 5  # four calls and a conference leg
        assert shown_conferences == conferences and len(conferences) == 1
        assert set(active) <= set(shown)
        for sid, body in active.items():
            item = shown[sid]
            assert item.recording.status == body["status"] and item.parent_live
            # Each recording sits right under its call or conference.
            row = screen.items.index(item)
            parent = next(i for i in reversed(screen.items[:row]) if i.kind != "recording")
            if body["conference_sid"]:
                assert parent.kind == "conference" and parent.conference.sid == body["conference_sid"]
            else:
                assert parent.kind == "call" and parent.call.sid == body["call_sid"]
        assert screen.status.message.startswith(f"5 calls · 1 conference · {len(active)} active recordings")
        assert "auto-refresh every 3600 s" in screen.status.message
        first = next(iter(active))
        assert str(screen.table.get_row_at(screen.items.index(shown[first]))[1]) == f"{first[:6]}…{first[-4:]}"


async def test_escape_goes_back_and_the_palette_opens_it(shared_emulator, make_app):
    app = make_app(shared_emulator)
    async with app.run_test() as pilot:
        await open_live(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, LiveScreen)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"live calls")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LiveScreen)


async def test_the_palette_lists_it_once_and_finds_an_open_live_view(emulator, make_app):
    from rec_tui.ui.commands import RecTuiCommands

    call, (recording,) = own_recordings(emulator, 1, "in-progress")
    app = make_app(emulator)
    assert app.live_refresh_interval == 5.0  # the default
    async with app.run_test() as pilot:
        await settle(pilot)
        provider = RecTuiCommands(app.screen)
        names = [c.name for c in provider._commands()]
        assert sum(name.startswith("Live calls") for name in names) == 1
        screen = await open_live(pilot)
        await select(pilot, screen, is_recording(recording.sid))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RecordingScreen)
        # From the recording's screen the palette goes back to the same live view.
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"live calls")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen and sum(isinstance(s, LiveScreen) for s in app.screen_stack) == 1


async def test_enter_opens_the_selected_recording(emulator, make_app):
    call, (recording,) = own_recordings(emulator, 1, "in-progress")
    app = make_app(emulator)
    async with app.run_test() as pilot:
        screen = await open_live(pilot)
        await select(pilot, screen, is_recording(recording.sid))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RecordingScreen) and app.screen.sid == recording.sid


# -- pause, resume, stop ---------------------------------------------------------------------------


async def test_pause_asks_skip_or_silence_and_pauses_with_skip(emulator, make_app):
    call, (recording,) = own_recordings(emulator, 1, "in-progress")
    app = make_app(emulator)
    async with app.run_test(notifications=True) as pilot:
        screen = await open_live(pilot)
        await select(pilot, screen, is_recording(recording.sid))
        assert "asks: skip or silence" in panel(screen)
        await pilot.press("p")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, PauseChoiceScreen)
        choices = dialog.query_one("#pause-choice", OptionList)
        assert [choices.get_option_at_index(i).id for i in range(choices.option_count)] == ["silence", "skip"]
        assert posts(emulator) == []  # nothing is sent before the choice
        await pilot.press("down", "enter")
        await settle(pilot)
        assert app.screen is screen
        stored = emulator.store.recordings[recording.sid]
        assert (stored.status, stored.pause_behavior) == ("paused", "skip")
        assert posts(emulator) == [f"/2010-04-01/Accounts/{emulator.account_sid}/Calls/{call.sid}/Recordings/"
                                   f"{recording.sid}.json"]
        assert row_status(screen, recording.sid) == "paused"
        assert any(f"Paused {recording.sid} (skip)" in n for n in notes(app, "information"))
        # Skip: the paused minute is not recorded.
        before = next(i.recording.duration for i in screen.items if i.recording and i.recording.sid == recording.sid)
        emulator.config.clock.advance(60)
        await pilot.press("r")
        await settle(pilot)
        after = next(i.recording.duration for i in screen.items if i.recording and i.recording.sid == recording.sid)
        assert after == before
        assert "already paused" in panel(screen)


async def test_pause_can_be_cancelled(emulator, make_app):
    call, (recording,) = own_recordings(emulator, 1, "in-progress")
    app = make_app(emulator)
    async with app.run_test() as pilot:
        screen = await open_live(pilot)
        await select(pilot, screen, is_recording(recording.sid))
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen and posts(emulator) == []
        assert emulator.store.recordings[recording.sid].status == "in-progress"


async def test_resume_a_paused_recording(emulator, make_app):
    call, (recording,) = own_recordings(emulator, 1, "paused")
    app = make_app(emulator)
    async with app.run_test(notifications=True) as pilot:
        screen = await open_live(pilot)
        await select(pilot, screen, is_recording(recording.sid))
        assert "not paused" not in panel(screen)
        await pilot.press("u")
        await settle(pilot)
        assert emulator.store.recordings[recording.sid].status == "in-progress"
        assert row_status(screen, recording.sid) == "in-progress"
        assert any(f"Resumed {recording.sid}" in n for n in notes(app, "information"))
        assert "not paused" in panel(screen)  # resume no longer applies


async def test_stop_asks_first_then_shows_processing_then_completed(emulator, make_app):
    call, (recording,) = own_recordings(emulator, 1, "in-progress")
    app = make_app(emulator)
    async with app.run_test(notifications=True) as pilot:
        screen = await open_live(pilot)
        await select(pilot, screen, is_recording(recording.sid))
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert app.focused.id == "cancel"  # a stray enter cancels
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen and posts(emulator) == []
        assert emulator.store.recordings[recording.sid].status == "in-progress"

        await pilot.press("s")
        await pilot.pause()
        body = str(app.screen.query_one("#confirm-body").render())
        assert recording.sid in body and "cannot be resumed" in body
        await pilot.press("left", "enter")
        await settle(pilot)
        assert app.screen is screen
        assert any(f"Stopped {recording.sid} · status stopped" in n for n in notes(app, "information"))
        # The refresh after the answer shows what a fetch shows now: processing, and where it came from.
        assert row_status(screen, recording.sid) == "processing"
        assert emulator.store.recordings[recording.sid].status == "processing"
        assert "it is processing: the recording has ended" in panel(screen)
        emulator.config.clock.advance(emulator.config.processing_seconds)
        await pilot.press("r")
        await settle(pilot)
        assert row_status(screen, recording.sid) == "completed"
        row = screen.items.index(next(i for i in screen.items if i.recording and i.recording.sid == recording.sid))
        assert "was processing" in str(screen.table.get_row_at(row)[4])


async def test_stop_on_a_conference_recording_is_refused_with_the_reason(emulator, make_app):
    conference_recording = next(r for r in emulator.store.all_recordings() if r.active and r.conference_sid)
    app = make_app(emulator)
    async with app.run_test(notifications=True) as pilot:
        screen = await open_live(pilot)
        await select(pilot, screen, is_recording(conference_recording.sid))
        reason = "conference recordings cannot be stopped: pause instead"
        assert reason in panel(screen)
        assert screen.check_action("stop", ()) is None  # greyed out in the footer
        assert screen.check_action("pause", ()) is True
        await pilot.press("s")
        await settle(pilot)
        assert app.screen is screen  # no confirmation: there is nothing to confirm
        assert posts(emulator) == []
        assert any(reason in n for n in notes(app, "warning"))
        assert emulator.store.recordings[conference_recording.sid].status == "in-progress"
        # Pausing it is fine (with silence, the first choice).
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        stored = emulator.store.recordings[conference_recording.sid]
        assert (stored.status, stored.pause_behavior) == ("paused", "silence")
        assert posts(emulator)[-1].endswith(
            f"/Conferences/{conference_recording.conference_sid}/Recordings/{conference_recording.sid}.json")


async def test_actions_that_do_not_apply_say_why(emulator, make_app):
    call, _ = own_recordings(emulator, 0)
    app = make_app(emulator)
    async with app.run_test(notifications=True) as pilot:
        screen = await open_live(pilot)
        await select(pilot, screen, is_call(call.sid))
        text = panel(screen)
        assert text.count("select one of the call's recordings") == 3
        assert "a form; checked before sending" in text
        for key in "pus":
            await pilot.press(key)
            await settle(pilot)
            assert app.screen is screen
        assert posts(emulator) == []
        assert len(notes(app, "warning")) == 3
        conference = next(i for i in screen.items if i.kind == "conference")
        await select(pilot, screen, lambda item: item is conference)
        assert "a conference records by its own settings" in panel(screen)
        assert screen.check_action("start", ()) is None


async def test_a_refused_update_shows_twilios_code_and_message(emulator, make_app):
    call, (recording,) = own_recordings(emulator, 1, "in-progress")
    app = make_app(emulator)
    async with app.run_test(notifications=True) as pilot:
        screen = await open_live(pilot)
        await select(pilot, screen, is_recording(recording.sid))
        # Behind the view's back, someone else stops it.
        with emulator.store.lock:
            emulator.store.stop_recording(emulator.store.recordings[recording.sid], emulator.store.now)
        await pilot.press("u" if recording.status == "paused" else "p")
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        errors = notes(app, "error")
        assert errors and "Error 21220" in errors[-1] and "HTTP 400" in errors[-1]
        assert f"Recording {recording.sid} is processing" in errors[-1]
        assert "https://www.twilio.com/docs/errors/21220" in errors[-1]
        assert row_status(screen, recording.sid) == "processing"  # refreshed after the refusal


async def test_a_failing_refresh_says_so_once_and_recovers(emulator, make_app):
    from rec_tui.emulator import FaultConfig

    app = make_app(emulator)
    async with app.run_test(notifications=True) as pilot:
        screen = await open_live(pilot)
        shown = [i.key for i in screen.items]
        emulator.faults = FaultConfig(error_rate=1.0, paths=(r"/Calls\.json$",))
        for _ in range(3):
            await pilot.press("r")
            await settle(pilot)
        assert "refresh failed: HTTP 50" in screen.status.message
        errors = notes(app, "error")
        assert len(errors) == 1 and "Live refresh failed" in errors[0]  # once, not at every refresh
        assert [i.key for i in screen.items] == shown  # the last good view stays
        emulator.faults = FaultConfig()
        await pilot.press("r")
        await settle(pilot)
        assert "refresh failed" not in screen.status.message and screen.last_error is None


# -- start recording -------------------------------------------------------------------------------


async def test_start_recording_with_dual_channels(emulator, make_app):
    call, _ = own_recordings(emulator, 0)
    before = set(emulator.store.recordings)
    app = make_app(emulator)
    async with app.run_test(notifications=True) as pilot:
        screen = await open_live(pilot)
        await select(pilot, screen, is_call(call.sid))
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, StartRecordingScreen)
        assert app.focused is form.query_one("#start-channels", RadioSet)
        await pilot.press("right", "enter")  # mono → dual
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        (new,) = set(emulator.store.recordings) - before
        stored = emulator.store.recordings[new]
        assert (stored.call_sid, stored.channels, stored.track, stored.status) == (call.sid, 2, "both", "in-progress")
        assert stored.options["trim"] == "do-not-trim" and stored.options["callback"] is None
        assert any(f"Recording {new} started on {call.sid} · dual" in n for n in notes(app, "information"))
        # It shows under its call at once (the view refreshed after the answer).
        row = screen.items.index(next(i for i in screen.items if i.recording and i.recording.sid == new))
        assert screen.items[row - 1].kind == "call" and screen.items[row - 1].call.sid == call.sid
        assert screen.items[row].recording.channels == 2


async def test_start_form_checks_its_fields_before_sending(emulator, make_app):
    call, _ = own_recordings(emulator, 0)
    app = make_app(emulator)
    async with app.run_test(notifications=True) as pilot:
        screen = await open_live(pilot)
        await select(pilot, screen, is_call(call.sid))
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        field = form.query_one("#start-callback", Input)
        field.focus()
        await pilot.press(*"ftp://example.com/x", "enter")
        await pilot.pause()
        assert app.screen is form and posts(emulator) == []
        assert "absolute http:// or https:// URL" in str(form.query_one("#start-error-callback").render())
        assert field.has_class("-invalid")
        # Events without a URL are refused too.
        field.value = ""
        form.query_one("#start-event-absent").value = True
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form and posts(emulator) == []
        assert "need a status callback URL" in str(form.query_one("#start-error-callback").render())
        # Fixed: a callback with its events goes out as asked.
        field.value = "https://example.com/status"
        form.query_one("#start-event-in-progress").value = True
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        (recording,) = emulator.store.active_recordings(call_sid=call.sid)
        assert recording.options == {"trim": "do-not-trim", "callback": "https://example.com/status",
                                     "callback_method": "POST",
                                     "callback_events": ["in-progress", "completed", "absent"]}


async def test_starting_on_a_call_that_just_ended_shows_the_refusal(emulator, make_app):
    call, _ = own_recordings(emulator, 0)
    app = make_app(emulator)
    async with app.run_test(notifications=True) as pilot:
        screen = await open_live(pilot)
        await select(pilot, screen, is_call(call.sid))
        with emulator.store.lock:
            emulator.store.end_call(emulator.store.calls[call.sid], emulator.store.now)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        errors = notes(app, "error")
        assert errors and "Error 21220" in errors[-1] and call.sid in errors[-1]
        assert not any(i.kind == "call" and i.call.sid == call.sid for i in screen.items)  # refreshed


# -- refreshing --------------------------------------------------------------------------------------


async def test_calls_that_end_move_to_ended_and_are_followed_until_completed(emulator, make_app):
    call, (recording,) = own_recordings(emulator, 1, "in-progress")
    end_at = next(at for at, _, kind, payload in emulator.store._events
                  if kind == "end_call" and payload[1].sid == call.sid)
    app = make_app(emulator)
    async with app.run_test() as pilot:
        screen = await open_live(pilot)
        emulator.config.clock.advance(end_at - emulator.store.now + 1)
        await pilot.press("r")
        await settle(pilot)
        assert not any(i.kind == "call" and i.call.sid == call.sid for i in screen.items)
        headings = [i for i in screen.items if i.kind == "heading"]
        assert len(headings) == 1
        ended = screen.items[screen.items.index(headings[0]) + 1:]
        item = next(i for i in ended if i.recording.sid == recording.sid)
        assert item.recording.status == "processing" and not item.parent_live
        await select(pilot, screen, lambda i: i is item)
        assert "its call has ended" in panel(screen)
        emulator.config.clock.advance(emulator.config.processing_seconds)
        await pilot.press("r")
        await settle(pilot)
        assert row_status(screen, recording.sid) == "completed"


async def test_refreshes_by_itself_at_the_configured_interval(emulator, make_app):
    call, (recording,) = own_recordings(emulator, 1, "in-progress")
    app = make_app(emulator)
    async with app.run_test() as pilot:
        screen = await open_live(pilot)
        screen.set_refresh_interval(0.05)
        assert "auto-refresh every 0.05 s" in screen.status.message
        with emulator.store.lock:
            emulator.store.pause_recording(emulator.store.recordings[recording.sid], emulator.store.now, "skip")
        start = screen.refresh_count
        for _ in range(200):  # no key pressed: only the timer can refresh
            await pilot.pause(0.05)
            if screen.refresh_count > start + 1:
                break
        assert screen.refresh_count > start + 1
        assert row_status(screen, recording.sid) == "paused"
        screen.set_refresh_interval(0)


async def test_the_interval_can_be_changed_or_turned_off(shared_emulator, make_app):
    app = make_app(shared_emulator)
    async with app.run_test() as pilot:
        screen = await open_live(pilot, interval=5)
        assert "auto-refresh every 5 s" in screen.status.message
        screen.set_refresh_interval(0)
        assert "auto-refresh off · r refreshes" in screen.status.message
        assert screen._timer is None
        names = [c.name for c in screen.palette_commands()]
        assert "Live refresh every 2 s" in names and "Live refresh off" not in names


# -- snapshots -----------------------------------------------------------------------------------------

SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])


def live_then(*keys: str, pick=None):
    async def run_before(pilot) -> None:
        screen = await open_live(pilot)
        if pick is not None:
            await select(pilot, screen, pick(pilot.app))
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        no_blinking(pilot)

    return run_before


def paused_recording(app):
    return lambda item: item.recording is not None and item.recording.status == "paused"


def conference_recording(app):
    return lambda item: item.recording is not None and item.recording.conference_sid is not None


def idle_call(app):
    with_recordings = {i.call.sid for i in app.screen.items if i.kind == "recording" and i.call is not None}
    return lambda item: item.kind == "call" and item.call.sid not in with_recordings and not item.in_conference


@SIZES
def test_snapshot_live_view(snap_compare, shared_emulator, make_app, size):
    assert snap_compare(make_app(shared_emulator), terminal_size=size,
                        run_before=live_then(pick=conference_recording))


@SIZES
def test_snapshot_pause_choice(snap_compare, shared_emulator, make_app, size):
    def in_progress(app):
        return lambda item: item.recording is not None and item.recording.status == "in-progress"

    assert snap_compare(make_app(shared_emulator), terminal_size=size, run_before=live_then("p", pick=in_progress))


@SIZES
def test_snapshot_start_form(snap_compare, shared_emulator, make_app, size):
    assert snap_compare(make_app(shared_emulator), terminal_size=size, run_before=live_then("n", pick=idle_call))
