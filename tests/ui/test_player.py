"""The player bar through Pilot: ``o`` downloads (or takes the cached file) and plays, the keys of the
bar, call legs, the waveform's playhead, and the messages when playback is impossible.

simpleaudio is replaced by a fake backend that records every buffer it is given, and positions
come from a fake clock: what is asserted is what would reach the sound card, byte for byte (the
real device path is covered by ``test_player_alsa.py`` and ``tests/media``).
"""

from __future__ import annotations

import sys

import pytest

from rec_tui.emulator import FaultConfig
from rec_tui.media import Leg, decode_file, select_leg
from rec_tui.media import playback as playback_module
from rec_tui.media.playback import AUDIO_EXTRA_HINT
from rec_tui.media.wav import wav_header
from rec_tui.ui.screens.recording import RecordingScreen
from rec_tui.ui.widgets.player_bar import PlayerBar

from media_support import (  # noqa: F401 - cache_root is a fixture
    FakeBackend,
    FakeClock,
    NoDeviceBackend,
    cache_root,
    controller,
    cursor_to,
    pick,
)
from ui_support import recordings_screen, settle

RATE = 8000


def bar_of(pilot) -> PlayerBar:
    return pilot.app.screen.query_one(PlayerBar)


def served(emulator_data, sid: str) -> bytes:
    url = f"{emulator_data.root}/Recordings/{sid}.wav"
    response = emulator_data.http.get(url)
    response.raise_for_status()
    return response.content


def media_requests(emu, sid: str) -> list[str]:
    return [target for method, target, _ in emu.request_log if method == "GET" and f"/Recordings/{sid}." in target]


async def start(pilot, *, backend=None, clock=None):
    await settle(pilot)
    media = controller(pilot)
    media.backend = backend if backend is not None else FakeBackend()
    media.clock = clock if clock is not None else FakeClock()
    return media


async def play(pilot, recording) -> PlayerBar:
    await cursor_to(pilot, recording)
    await pilot.press("o")
    await settle(pilot)
    return bar_of(pilot)


# -- playing ------------------------------------------------------------------------------------


async def test_o_downloads_then_plays_exactly_the_served_audio(emulator, emulator_data, make_app, cache_root):
    app = make_app(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        media = await start(pilot)
        recording = pick(recordings_screen(pilot), channels=1, min_duration=3)[0]
        assert media.playable_file(recording) is None  # not cached yet
        bar = await play(pilot, recording)
        assert bar.display and bar.has_focus
        assert bar.state_label == "playing"
        cached = media.cache_path(recording)
        assert cached.read_bytes() == served(emulator_data, recording.sid)
        pcm = decode_file(cached)
        play_obj, channels, width, rate = media.backend.music[-1]
        assert (play_obj.data, channels, width, rate) == (pcm.data, 1, 2, RATE)
        assert abs(pcm.duration - recording.duration) < 1
        title = bar.title_text
        assert title.startswith("▶ playing") and recording.sid[:6] in title
        assert f"0:00 / {recording.duration // 60}:{recording.duration % 60:02d}" in title
        assert "mono" in title


async def test_a_cached_file_plays_without_a_request(emulator, make_app, cache_root):
    app = make_app(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        media = await start(pilot)
        recording = pick(recordings_screen(pilot), min_duration=3)[0]
        await cursor_to(pilot, recording)
        await pilot.press("d")  # into the cache through the downloads panel
        await settle(pilot)
        await pilot.press("escape")
        assert len(media_requests(emulator, recording.sid)) == 1
        bar = await play(pilot, recording)
        assert bar.state_label == "playing"
        assert len(media_requests(emulator, recording.sid)) == 1
        assert media.backend.music[-1][0].data == decode_file(media.cache_path(recording)).data


async def test_pause_resume_seek_and_stop_keys(emulator, make_app, cache_root):
    app = make_app(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        clock = FakeClock()
        media = await start(pilot, clock=clock)
        recording = pick(recordings_screen(pilot), channels=1, min_duration=45, shortest=True)[0]
        bar = await play(pilot, recording)
        pcm = decode_file(media.cache_path(recording))
        frame = pcm.frame_width
        backend = media.backend

        clock.now += 2.0
        bar.tick()
        assert "0:02 /" in bar.title_text
        await pilot.press("space")  # pause
        assert bar.state_label == "paused" and backend.last.stopped
        clock.now += 10  # paused: the position stays
        bar.tick()
        assert "0:02 /" in bar.title_text and "‖ paused" in bar.title_text

        await pilot.press("right")  # +5 s while paused: nothing plays yet
        assert bar.player.position == 7.0 and not backend.last.playing
        await pilot.press("space")  # resume from 0:07
        assert backend.last.data == pcm.data[7 * RATE * frame:]
        await pilot.press("right_square_bracket")  # +30 s while playing: a new buffer from 0:37
        assert backend.last.data == pcm.data[37 * RATE * frame:]
        await pilot.press("left")
        assert backend.last.data == pcm.data[32 * RATE * frame:]
        await pilot.press("left_square_bracket", "left_square_bracket")  # clamped at the start
        assert bar.player.position == 0.0 and backend.last.data == pcm.data
        assert "0:00 /" in bar.title_text

        await pilot.press("s")
        assert bar.state_label == "stopped" and backend.last.stopped and bar.player.position == 0.0
        assert bar.title_text.startswith("■ stopped")
        await pilot.press("o")  # o in the bar plays again
        assert bar.state_label == "playing" and backend.last.data == pcm.data


async def test_the_end_is_noticed_and_play_starts_over(emulator, make_app, cache_root):
    app = make_app(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        clock = FakeClock()
        media = await start(pilot, clock=clock)
        recording = pick(recordings_screen(pilot), min_duration=3)[0]
        bar = await play(pilot, recording)
        clock.now += recording.duration + 5
        media.backend.last.playing = False  # the sound card has played the last frame
        bar.tick()
        assert bar.state_label == "ended" and bar.title_text.startswith("■ ended")
        assert media.active_bar is None
        plays = len(media.backend.plays)
        await pilot.press("space")
        assert bar.state_label == "playing" and len(media.backend.plays) == plays + 1
        assert bar.player.position == 0.0


async def test_legs_of_a_dual_channel_recording(emulator, make_app, cache_root):
    app = make_app(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        clock = FakeClock()
        media = await start(pilot, clock=clock)
        recording = pick(recordings_screen(pilot), channels=2, min_duration=5)[0]
        bar = await play(pilot, recording)
        pcm = decode_file(media.cache_path(recording))
        assert pcm.channels == 2
        backend = media.backend
        assert backend.music[-1][1] == 2 and backend.last.data == pcm.data
        # One waveform row per leg.
        assert [w.id for w in bar.waveforms] == ["wave-1", "wave-2"]
        clock.now += 1.0
        await pilot.press("v")  # → first leg, from the same position, as mono
        first = select_leg(pcm, Leg.FIRST)
        assert backend.plays[-1][1] == 1 and backend.last.data == first.data[RATE * 2:]
        assert bar.player.leg is Leg.FIRST
        rows = list(bar.query(".wave-row"))
        assert not rows[0].has_class("-muted") and rows[1].has_class("-muted")
        await pilot.press("v")  # → second leg
        assert backend.last.data == select_leg(pcm, Leg.SECOND).data[RATE * 2:]
        assert rows[0].has_class("-muted") and not rows[1].has_class("-muted")
        await pilot.press("b")  # straight back to both
        assert backend.plays[-1][1] == 2 and backend.last.data == pcm.data[RATE * 4:]
        await pilot.press("2")
        assert bar.player.leg is Leg.SECOND


async def test_a_mono_recording_has_no_legs_to_choose(emulator, make_app, cache_root):
    app = make_app(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        media = await start(pilot)
        recording = pick(recordings_screen(pilot), channels=1, min_duration=3)[0]
        bar = await play(pilot, recording)
        plays = len(media.backend.plays)
        await pilot.press("v")
        await pilot.pause()
        assert bar.player.leg is Leg.BOTH and len(media.backend.plays) == plays
        assert any("single channel" in n.message for n in app._notifications)
        assert len(bar.waveforms) == 1 and bar.waveforms[0].has_class("-single")


async def test_the_waveform_follows_the_playhead(emulator, make_app, cache_root):
    app = make_app(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        clock = FakeClock()
        await start(pilot, clock=clock)
        recording = pick(recordings_screen(pilot), channels=1, min_duration=20)[0]
        bar = await play(pilot, recording)
        wave = bar.waveforms[0]
        assert wave.playhead == 0.0
        assert len(wave.data) > 100 and max(wave.data) == 1.0 and min(wave.data) < 0.9  # a shape, not flat
        clock.now += recording.duration / 2
        bar.tick()
        await pilot.pause()
        assert wave.playhead == pytest.approx(0.5, abs=0.02)
        # The played half is drawn in the accent colour, the rest is not.
        line = wave.render_line(wave.size.height - 1)
        width = wave.size.width
        accent = wave.get_component_styles("waveform--played").color
        colours = [seg.style.color for seg in line for _ in seg.text]
        played = [c for c in colours[: width // 2 - 1] if c is not None]
        rest = [c for c in colours[width // 2 + 1:] if c is not None]
        assert played and rest
        assert all(c.triplet == accent.rich_color.triplet for c in played)
        assert not any(c.triplet == accent.rich_color.triplet for c in rest)


async def test_escape_returns_to_the_list_while_playing_and_closes_a_stopped_player(
        emulator, make_app, cache_root):
    app = make_app(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        media = await start(pilot)
        screen = recordings_screen(pilot)
        recording = pick(screen, min_duration=3)[0]
        bar = await play(pilot, recording)
        await pilot.press("escape")
        assert screen.table.has_focus and bar.display and bar.state_label == "playing"
        await pilot.press("j")  # the list works while it plays
        assert screen.table.cursor_recording != recording
        await cursor_to(pilot, recording)
        await pilot.press("o")  # o on the same row: pause, and the bar takes the focus
        assert bar.has_focus and bar.state_label == "paused"
        await pilot.press("s", "escape")
        assert not bar.display and screen.table.has_focus and media.active_bar is None


async def test_playing_another_recording_stops_the_first(emulator, make_app, cache_root):
    app = make_app(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        media = await start(pilot)
        first, second = pick(recordings_screen(pilot), min_duration=3, count=2)
        await play(pilot, first)
        first_play = media.backend.last
        bar = await play(pilot, second)
        assert first_play.stopped and bar.state_label == "playing"
        assert second.sid[:6] in bar.title_text
        assert media.backend.last.data == decode_file(media.cache_path(second)).data


async def test_the_detail_screen_plays_too_and_stops_when_left(emulator, make_app, cache_root):
    app = make_app(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        media = await start(pilot)
        recording = pick(recordings_screen(pilot), min_duration=3)[0]
        await cursor_to(pilot, recording)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RecordingScreen)
        await pilot.press("o")
        await settle(pilot)
        bar = bar_of(pilot)
        assert bar.state_label == "playing" and recording.sid[:6] in bar.title_text
        play_obj = media.backend.last
        await pilot.press("escape")  # the bar: back to the screen
        await pilot.press("escape")  # the screen: back to the list
        await settle(pilot)
        assert play_obj.stopped and media.active_bar is None


async def test_player_keys_are_in_help_while_the_bar_has_focus(emulator, make_app, cache_root):
    app = make_app(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await start(pilot)
        await play(pilot, pick(recordings_screen(pilot), min_duration=3)[0])
        await pilot.press("question_mark")
        await pilot.pause()
        groups = dict(app.screen.groups)
        player = {desc.split(" — ")[0]: keys for keys, desc in groups["Player"]}
        assert player["Play/Pause"].split()[0] == "space"
        assert player["+5 s"].split() == ["→", "l"] and player["−30 s"].split()[0] == "["
        assert player["Stop"] == "s" and player["Leg"] == "v" and player["Back to the list"] == "esc"
        # While the bar has the focus its s and o win; d still downloads.
        recordings = {desc.split(" — ")[0]: keys for keys, desc in groups["Recordings"]}
        assert recordings["Download"] == "d" and "Save as" not in recordings
        await pilot.press("escape", "escape")  # help, then the bar
        await pilot.press("question_mark")
        await pilot.pause()
        recordings = {desc.split(" — ")[0]: keys for keys, desc in dict(app.screen.groups)["Recordings"]}
        assert recordings["Download"] == "d" and recordings["Save as"] == "s" and recordings["Play"] == "o"
        assert "Player" not in dict(app.screen.groups)


# -- when playback is impossible -----------------------------------------------------------------


async def test_no_simpleaudio_says_how_to_get_it_and_download_still_works(
        emulator, make_app, cache_root, monkeypatch):
    monkeypatch.setitem(sys.modules, "simpleaudio", None)  # "import simpleaudio" fails
    monkeypatch.setattr(playback_module, "_status_cache", None)
    app = make_app(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        media = controller(pilot)
        recording = pick(recordings_screen(pilot), min_duration=3)[0]
        bar = await play(pilot, recording)
        assert bar.phase == "error" and bar.title_text.startswith("✕ cannot play")
        assert bar.message.startswith(AUDIO_EXTRA_HINT)
        assert "Downloading (d) and saving to a directory (s) still work." in bar.message
        assert media_requests(emulator, recording.sid) == []  # nothing fetched for nothing
        await pilot.press("escape")
        await cursor_to(pilot, recording)
        await pilot.press("d")
        await settle(pilot)
        assert media.cache_path(recording).is_file()
        assert media.job.result.ok


async def test_no_audio_device_over_ssh(emulator, make_app, cache_root, monkeypatch):
    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.1 50000 10.0.0.2 22")
    app = make_app(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await start(pilot, backend=NoDeviceBackend())
        bar = await play(pilot, pick(recordings_screen(pilot), min_duration=3)[0])
        assert bar.phase == "error"
        assert bar.message.startswith("No audio device (No such file or directory, ALSA error -2).")
        assert "This is an SSH session" in bar.message and "Save as" in bar.message
        shown = str(bar.query_one("#player-message").content)
        assert shown.startswith("No audio device") and bar.query_one("#player-message").display


async def test_a_device_that_appears_later_is_used_on_the_next_try(emulator, make_app, cache_root):
    app = make_app(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        media = await start(pilot, backend=NoDeviceBackend())
        recording = pick(recordings_screen(pilot), min_duration=3)[0]
        bar = await play(pilot, recording)
        assert bar.phase == "error"
        media.backend = FakeBackend()  # the user fixed their set-up
        await pilot.press("o")
        await settle(pilot)
        assert bar.state_label == "playing" and bar.message == ""


async def test_ffmpeg_missing_for_an_encoding_pydub_cannot_read(emulator, make_app, cache_root, monkeypatch):
    from pydub import AudioSegment

    monkeypatch.setattr(AudioSegment, "converter", "/nonexistent/ffmpeg")
    app = make_app(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        media = await start(pilot)
        recording = pick(recordings_screen(pilot), min_duration=3)[0]
        # A mu-law WAV in the cache (format tag 7): only ffmpeg decodes it.
        header = bytearray(wav_header(1, 1, RATE, RATE))
        header[20:22] = (7).to_bytes(2, "little")
        path = media.cache_path(recording)
        path.parent.mkdir(parents=True)
        path.write_bytes(bytes(header) + bytes(RATE))
        bar = await play(pilot, recording)
        assert bar.phase == "error"
        assert bar.message.startswith("this WAV encoding (mu-law) needs ffmpeg: apt install ffmpeg")
        assert media_requests(emulator, recording.sid) == []


async def test_a_recording_without_media_is_not_fetched(emulator, make_app, cache_root):
    app = make_app(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await start(pilot)
        screen = recordings_screen(pilot)
        live = next(r for r in screen.table.all_recordings if r.status == "in-progress")
        bar = await play(pilot, live)
        assert bar.phase == "error"
        assert bar.message == "Nothing to play: no media: the recording is in-progress."
        assert media_requests(emulator, live.sid) == []


async def test_a_failed_download_leaves_nothing_and_says_why(emulator, make_app, cache_root):
    app = make_app(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        media = await start(pilot)
        recording = pick(recordings_screen(pilot), min_duration=10)[0]
        emulator.faults = FaultConfig(truncate_rate=1.0, paths=(r"\.wav$",))
        bar = await play(pilot, recording)
        assert bar.phase == "error" and bar.message.startswith("Download failed: ")
        assert "still work" not in bar.message
        assert not media.cache_path(recording).exists()
        assert list(media.cache.directory.iterdir()) == []  # no temporary file either
        emulator.faults = FaultConfig()
        await pilot.press("o")  # again, now that the service behaves
        await settle(pilot)
        assert bar.state_label == "playing" and media.cache_path(recording).is_file()
