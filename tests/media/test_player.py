"""Player logic against a fake simpleaudio (and a fake clock): positions, pause, seek, legs, end."""

from __future__ import annotations

import sys

import pytest

from rec_tui.media import playback
from rec_tui.media.decode import Leg, select_leg
from rec_tui.media.errors import MediaError, PlaybackUnavailable
from rec_tui.media.playback import AUDIO_EXTRA_HINT, Player, PlayerState, playback_status

from .conftest import noise, pcm_of
from .fake_audio import FakeBackend, FakeClock, SimpleaudioError

RATE = 8000


@pytest.fixture
def mono():
    return pcm_of(noise(5.0))  # 2 bytes a frame


@pytest.fixture
def stereo():
    return pcm_of(noise(5.0, seed=1), noise(5.0, seed=2))  # 4 bytes a frame


def make(pcm, **kw):
    backend, clock = FakeBackend(), FakeClock()
    return Player(pcm, backend=backend, clock=clock, **kw), backend, clock


def test_play_pause_resume_from_the_remembered_frame(mono):
    player, backend, clock = make(mono)
    assert (player.state, player.position, player.duration) == (PlayerState.STOPPED, 0.0, 5.0)
    player.play()
    assert player.is_playing and backend.last.data == mono.data
    assert backend.plays[-1][1:] == (1, 2, RATE)
    clock.now += 1.25
    assert player.position == 1.25
    player.pause()
    assert backend.plays[0][0].stopped and player.state is PlayerState.PAUSED
    clock.now += 10  # time passes while paused: the position does not move
    assert player.position == 1.25
    player.resume()
    assert backend.last.data == mono.data[10000 * 2 :]  # frame 10 000, byte-exact
    clock.now += 0.5
    assert player.position == 1.75


def test_toggle(mono):
    player, backend, clock = make(mono)
    player.toggle()
    assert player.is_playing
    player.toggle()
    assert player.state is PlayerState.PAUSED


def test_seek_while_playing_restarts_at_the_new_offset(mono):
    player, backend, clock = make(mono)
    player.play()
    clock.now += 1.0
    assert player.seek(+2) == 3.0
    assert backend.plays[0][0].stopped
    assert backend.last.data == mono.data[3 * RATE * 2 :]
    assert player.seek(-1.5) == 1.5
    assert backend.last.data == mono.data[int(1.5 * RATE) * 2 :]
    assert len(backend.plays) == 3


def test_seek_is_clamped(mono):
    player, backend, clock = make(mono)
    assert player.seek(-10) == 0.0
    assert player.state is PlayerState.PAUSED
    assert player.seek_to(4.0) == 4.0
    assert player.seek(+30) == 5.0
    player.seek_to(2.0)
    player.play()
    assert backend.last.data == mono.data[2 * RATE * 2 :]


def test_seek_while_stopped_then_play(mono):
    player, backend, clock = make(mono)
    player.seek_to(2.0)
    assert backend.plays == [] and player.position == 2.0
    player.play()
    assert backend.last.data == mono.data[2 * RATE * 2 :]


def test_natural_end_is_noticed_once(mono):
    ends = []
    player, backend, clock = make(mono, on_end=lambda: ends.append(True))
    player.play()
    clock.now += 5
    backend.last.playing = False  # the device thread finished
    assert player.poll() is PlayerState.ENDED
    assert player.position == 5.0 and not player.is_playing
    assert ends == [True]
    player.poll()
    assert ends == [True]
    player.play()  # after the end, play starts over
    assert backend.last.data == mono.data


def test_position_never_passes_the_end_while_the_device_drains(mono):
    player, backend, clock = make(mono)
    player.play()
    clock.now += 60
    assert player.position == 5.0 and player.is_playing


def test_seek_to_the_end_while_playing_ends(mono):
    ends = []
    player, backend, clock = make(mono, on_end=lambda: ends.append(True))
    player.play()
    player.seek(+10)
    assert player.state is PlayerState.ENDED and len(backend.plays) == 1 and ends == [True]


def test_stop_goes_back_to_the_start(mono):
    player, backend, clock = make(mono)
    player.play()
    clock.now += 2
    player.stop()
    assert (player.state, player.position) == (PlayerState.STOPPED, 0.0)
    assert backend.last.stopped


def test_leg_switch_keeps_the_position(stereo):
    player, backend, clock = make(stereo)
    player.play()
    clock.now += 1.0
    player.set_leg(Leg.SECOND)
    first_leg, second_leg = select_leg(stereo, Leg.FIRST), select_leg(stereo, Leg.SECOND)
    play, channels, width, rate = backend.plays[-1]
    assert (channels, width, rate) == (1, 2, RATE)
    assert play.data == second_leg.data[RATE * 2 :]
    assert player.leg is Leg.SECOND and player.position == 1.0
    player.pause()
    player.set_leg("first")  # while paused: nothing plays, the next play uses the new leg
    assert len(backend.plays) == 2
    player.play()
    assert backend.last.data == first_leg.data[RATE * 2 :]
    player.set_leg(Leg.BOTH)
    assert backend.plays[-1][1] == 2 and backend.last.data == stereo.data[RATE * 4 :]


def test_start_on_one_leg(stereo):
    player, backend, _ = make(stereo, leg="first")
    player.play()
    assert backend.last.data == select_leg(stereo, Leg.FIRST).data


def test_no_legs_on_a_mono_recording(mono):
    with pytest.raises(MediaError, match="single channel"):
        Player(mono, leg=Leg.FIRST, backend=FakeBackend())
    player, backend, clock = make(mono)
    player.play()
    with pytest.raises(MediaError):
        player.set_leg(Leg.SECOND)
    assert player.is_playing and player.leg is Leg.BOTH and len(backend.plays) == 1


def test_no_device_becomes_a_friendly_message(mono, monkeypatch):
    monkeypatch.delenv("SSH_CONNECTION", raising=False)
    monkeypatch.delenv("SSH_TTY", raising=False)

    class NoDevice(FakeBackend):
        def play_buffer(self, *args):
            raise SimpleaudioError("Error opening PCM device. -- CODE: -2 -- MSG: No such file or directory")

    player = Player(mono, backend=NoDevice())
    with pytest.raises(PlaybackUnavailable) as info:
        player.play()
    text = str(info.value)
    assert text.startswith("No audio device (No such file or directory, ALSA error -2). ")
    assert "Download the recording" in text and "ALSA/PulseAudio" in text and "SSH" not in text
    assert player.state is PlayerState.STOPPED
    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.1 5000 10.0.0.2 22")
    with pytest.raises(PlaybackUnavailable, match="This is an SSH session"):
        player.play()


def test_other_backend_errors_are_not_hidden(mono):
    class Broken(FakeBackend):
        def play_buffer(self, *args):
            raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        Player(mono, backend=Broken()).play()


def test_simpleaudio_not_installed(mono, monkeypatch):
    monkeypatch.setitem(sys.modules, "simpleaudio", None)  # makes "import simpleaudio" fail
    with pytest.raises(PlaybackUnavailable) as info:
        Player(mono).play()
    assert str(info.value) == AUDIO_EXTRA_HINT
    assert AUDIO_EXTRA_HINT == "Playback needs the audio extra: pip install 'rec-tui[audio]' (needs libasound2-dev to build)"
    status = playback_status(probe=False)
    assert not status.available and status.message == AUDIO_EXTRA_HINT


def test_playback_status_probes_quietly(monkeypatch):
    backend = FakeBackend()
    assert playback_status(backend=backend).available
    play, channels, width, rate = backend.plays[0]
    assert set(play.data) == {0} and len(play.data) / (width * rate) <= 0.01  # 10 ms of silence

    class NoDevice(FakeBackend):
        def play_buffer(self, *args):
            raise SimpleaudioError("Error opening PCM device. -- CODE: -2 -- MSG: No such file or directory")

    status = playback_status(backend=NoDevice())
    assert not status.available and status.message.startswith("No audio device")


def test_playback_status_is_cached_per_process(monkeypatch):
    calls = []
    monkeypatch.setattr(playback, "_status_cache", None)
    monkeypatch.setattr(playback, "load_backend", lambda: calls.append(1) or FakeBackend())
    assert playback_status().available and playback_status().available
    assert calls == [1]
    playback_status(refresh=True)
    assert calls == [1, 1]
