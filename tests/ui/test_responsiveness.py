"""Work the list does not do: each of these cost a layout pass of the whole screen (tens of
milliseconds with 100k rows loaded) on every key or every page."""

from __future__ import annotations

from textual.widgets import Static

from media_support import cache_root  # noqa: F401 - a fixture
from ui_support import recordings_screen, settle


async def test_quick_filter_keys_leave_the_detail_pane_alone_while_the_cursor_stays(shared_emulator, make_app):
    app = make_app(shared_emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = recordings_screen(pilot)
        target = screen.table.cursor_recording
        assert target is not None and screen.detail.recording is target
        updates = []
        original = screen.detail._set_content
        screen.detail._set_content = lambda *args, **kwargs: (updates.append(args), original(*args, **kwargs))[1]
        await pilot.press("slash", *target.sid[:6])  # every row matches "RE…": the cursor stays
        await settle(pilot)
        assert screen.table.cursor_recording is target
        assert screen.detail.recording is target and target.sid in screen.detail.plain_text
        assert updates == []
        await pilot.press(*"zzzz")  # nothing matches: the pane says so (quoting each key's needle)
        await settle(pilot)
        assert updates and "No loaded recording matches" in screen.detail.plain_text


async def test_the_status_line_changes_without_a_layout_pass(shared_emulator, make_app):
    app = make_app(shared_emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = recordings_screen(pilot)
        message = screen.status.query_one("#status-message", Static)
        layouts = []
        original = message.refresh

        def refresh(*regions, **kwargs):
            if kwargs.get("layout"):
                layouts.append(kwargs)
            return original(*regions, **kwargs)

        message.refresh = refresh
        screen.status.show("page 9 · rows 401–450 · more available")
        await pilot.pause()
        assert screen.status.message == "page 9 · rows 401–450 · more available"
        assert layouts == []


async def test_o_starts_the_sound_before_the_waveform_is_computed(emulator, make_app, cache_root, monkeypatch):
    from media_support import FakeBackend, FakeClock, controller, cursor_to, pick
    from rec_tui.ui.widgets import player_bar
    from rec_tui.ui.widgets.player_bar import PlayerBar

    backend = FakeBackend()
    buffers_when_drawn = []
    original = player_bar._waves

    def waves(pcm):
        buffers_when_drawn.append(len(backend.music))
        return original(pcm)

    monkeypatch.setattr(player_bar, "_waves", waves)
    app = make_app(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        media = controller(pilot)
        media.clock = FakeClock()
        media.backend = backend
        (recording,) = pick(recordings_screen(pilot), channels=2, count=1)
        await cursor_to(pilot, recording)
        await pilot.press("o")
        await settle(pilot)
        bar = app.screen.query_one(PlayerBar)
        assert bar.phase == "ready" and bar.player is not None and bar.player.is_playing
        # The recording was already playing when its waveform began to be computed.
        assert buffers_when_drawn == [1]
        assert len(bar.waveforms) == 2



async def test_the_spinner_waits_before_showing_so_quick_answers_never_flash_it(make_app, monkeypatch):
    from rec_tui.emulator import Emulator, FaultConfig
    from rec_tui.ui.widgets import status_line

    from ui_support import emulator_config

    slow = FaultConfig(latency_s=0.8, paths=(r"/Recordings\.json",))
    with Emulator(emulator_config(faults=slow)) as emu:
        app = make_app(emu)
        monkeypatch.setattr(status_line, "SPINNER_DELAY", 60.0)  # every answer "quick"
        async with app.run_test(size=(120, 40)) as pilot:
            screen = recordings_screen(pilot)
            spinner = screen.status.query_one("#status-spinner")
            await pilot.pause(0.3)
            assert screen.status.busy and "loading…" in screen.status.message
            assert not spinner.display
            await settle(pilot)
            assert not screen.status.busy and not spinner.display
            monkeypatch.setattr(status_line, "SPINNER_DELAY", 0.05)  # now every answer "slow"
            await pilot.press("r")
            await pilot.pause(0.3)
            assert screen.status.busy and spinner.display
            await settle(pilot)
            assert not screen.status.busy and not spinner.display
