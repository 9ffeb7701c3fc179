"""Playing PCM through simpleaudio, with pause, resume, seek and a choice of call leg.

simpleaudio can only start a buffer and stop it, so pausing stops the play object and remembers
where it was; resuming or seeking starts a new buffer from that frame. While playing, the position
is the start frame plus the time elapsed on a monotonic clock (the device gives no position).

simpleaudio is imported lazily so the rest of the app works without the ``audio`` extra, and its
failures become :class:`PlaybackUnavailable` with a message that says what to do instead.

Not thread-safe: drive a Player from one thread (the UI's), and call :meth:`Player.poll` from a
timer to notice the natural end.
"""

from __future__ import annotations

import os
import re
import sys
import time
from dataclasses import dataclass
from enum import Enum
from typing import Any, Callable, Protocol

from .decode import Leg, Pcm, select_leg
from .errors import PlaybackUnavailable

AUDIO_EXTRA_HINT = "Playback needs the audio extra: pip install 'rec-tui[audio]' (needs libasound2-dev to build)"


class PlayObject(Protocol):
    def is_playing(self) -> bool: ...
    def stop(self) -> None: ...
    def wait_done(self) -> None: ...


class Backend(Protocol):
    """What a Player needs from simpleaudio (tests substitute a fake)."""

    def play_buffer(self, audio_data: Any, num_channels: int, bytes_per_sample: int, sample_rate: int) -> PlayObject: ...


# -- simpleaudio, lazily ---------------------------------------------------------------------------

_alsa_handler: Any = None


def quiet_alsa_errors() -> None:
    """Stop libasound printing its own error lines to stderr (they would scribble over the TUI).

    Errors still reach us as exceptions from simpleaudio. Best effort, once per process.
    """
    global _alsa_handler
    if _alsa_handler is not None or not sys.platform.startswith("linux"):
        return
    import ctypes  # here, not at the top: only playback needs it, and the app's start-up does not

    try:
        lib = ctypes.CDLL("libasound.so.2")
        # The real handler is variadic (file, line, function, err, fmt, ...); ignoring the extra
        # arguments is safe with the Linux calling conventions.
        prototype = ctypes.CFUNCTYPE(None, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p)
        handler = prototype(lambda *_: None)
        lib.snd_lib_error_set_handler(handler)
        _alsa_handler = handler  # kept alive: ALSA holds the raw pointer
    except (OSError, AttributeError):
        _alsa_handler = False


def load_backend() -> Backend:
    """The simpleaudio module, or :class:`PlaybackUnavailable` if it is not installed."""
    try:
        import simpleaudio
    except ImportError as exc:
        raise PlaybackUnavailable(AUDIO_EXTRA_HINT) from exc
    quiet_alsa_errors()
    return simpleaudio  # type: ignore[return-value]


def _in_ssh_session() -> bool:
    return bool(os.environ.get("SSH_CONNECTION") or os.environ.get("SSH_TTY"))


def no_device_message(detail: str = "") -> str:
    """The text shown when the audio device cannot be opened."""
    text = "No audio device"
    if detail:
        text += f" ({detail})"
    text += ". "
    if _in_ssh_session():
        text += "This is an SSH session, which usually has no sound device. "
    return text + (
        "Download the recording (or use Save as) and play it on your own machine, run rec-tui "
        "locally, or configure ALSA/PulseAudio for this session (a default PCM in ~/.asoundrc, "
        "or PULSE_SERVER)."
    )


def _describe_device_error(exc: BaseException) -> PlaybackUnavailable:
    text = str(exc)
    # simpleaudio: "Error opening PCM device. -- CODE: -2 -- MSG: No such file or directory"
    match = re.search(r"CODE:\s*(-?\d+)\s*--\s*MSG:\s*(.+)", text)
    detail = f"{match.group(2).strip()}, ALSA error {match.group(1)}" if match else text.strip()
    if "opening" in text.lower() or "device" in text.lower():
        return PlaybackUnavailable(no_device_message(detail))
    return PlaybackUnavailable(f"The audio device refused to play this recording: {detail}")


def _is_backend_error(exc: BaseException) -> bool:
    # _simpleaudio.SimpleaudioError has no stable public import path; match it by name.
    return type(exc).__name__ == "SimpleaudioError"


def _play(backend: Backend, data: Any, channels: int, width: int, rate: int) -> PlayObject:
    try:
        return backend.play_buffer(data, channels, width, rate)
    except PlaybackUnavailable:
        raise
    except Exception as exc:
        if _is_backend_error(exc):
            raise _describe_device_error(exc) from exc
        raise


@dataclass(frozen=True)
class PlaybackStatus:
    available: bool
    #: Why not, worded for the user; empty when available.
    message: str = ""


_status_cache: PlaybackStatus | None = None


def playback_status(*, probe: bool = True, refresh: bool = False, backend: Backend | None = None) -> PlaybackStatus:
    """Can this machine play audio? Decided without making a sound.

    Checks that simpleaudio imports; with ``probe`` it also opens the default device by playing
    10 ms of silence, which is the only way to learn that there is no device (e.g. over SSH).
    The probed answer is cached for the process (``refresh`` re-checks, e.g. after the user fixed
    their ALSA set-up). A probe blocks for up to ~0.1 s: from an event loop, use a thread.
    """
    global _status_cache
    cacheable = probe and backend is None
    if cacheable and _status_cache is not None and not refresh:
        return _status_cache
    try:
        active = backend or load_backend()
        if probe:
            _play(active, bytes(160), 1, 2, 8000).wait_done()
    except PlaybackUnavailable as exc:
        status = PlaybackStatus(False, str(exc))
    else:
        status = PlaybackStatus(True)
    if cacheable:
        _status_cache = status
    return status


# -- the player ------------------------------------------------------------------------------------


class PlayerState(str, Enum):
    STOPPED = "stopped"  # at the start, nothing playing
    PLAYING = "playing"
    PAUSED = "paused"  # somewhere in the middle (also after a seek while stopped)
    ENDED = "ended"  # played to the end


#: How long stop() waits for simpleaudio's thread to close the device before going on.
_STOP_TIMEOUT = 2.0


class Player:
    """Plays one decoded recording. Positions are seconds; offsets are whole frames.

    ``leg`` picks both channels, or one leg of a dual-channel recording (played as mono).
    ``on_end`` is called from :meth:`poll` (or any property read) once the end is noticed.
    """

    def __init__(
        self,
        pcm: Pcm,
        *,
        leg: Leg | str = Leg.BOTH,
        backend: Backend | None = None,
        clock: Callable[[], float] = time.monotonic,
        on_end: Callable[[], None] | None = None,
    ) -> None:
        self._source = pcm
        self._legs: dict[Leg, Pcm] = {Leg.BOTH: pcm}
        self._leg = Leg(leg)
        self._pcm = self._pcm_for(self._leg)
        self._backend = backend
        self._clock = clock
        self.on_end = on_end
        self._play: PlayObject | None = None
        self._frame = 0  # where the current (or next) buffer starts
        self._started_at = 0.0
        self._state = PlayerState.STOPPED

    def __enter__(self) -> "Player":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Player {self._state.value} {self.position:.2f}/{self.duration:.2f}s leg={self._leg.value}>"

    # -- read-only state ---------------------------------------------------------------------

    @property
    def duration(self) -> float:
        return self._pcm.duration

    @property
    def leg(self) -> Leg:
        return self._leg

    @property
    def channels(self) -> int:
        """Channels of the recording itself (2 means legs can be chosen)."""
        return self._source.channels

    @property
    def state(self) -> PlayerState:
        self.poll()
        return self._state

    @property
    def is_playing(self) -> bool:
        return self.state is PlayerState.PLAYING

    @property
    def frame(self) -> int:
        """Current position in frames (exact when not playing, clock-estimated while playing)."""
        self.poll()
        if self._state is PlayerState.PLAYING:
            elapsed = max(0.0, self._clock() - self._started_at)
            return min(self._frame + int(elapsed * self._pcm.frame_rate), self._pcm.frames)
        if self._state is PlayerState.ENDED:
            return self._pcm.frames
        return self._frame

    @property
    def position(self) -> float:
        return self.frame / self._pcm.frame_rate

    # -- control -------------------------------------------------------------------------------

    def play(self) -> None:
        """Start or resume; from the beginning if it had ended."""
        if self.state is PlayerState.PLAYING:
            return
        if self._state is PlayerState.ENDED:
            self._frame = 0
        self._start()

    def resume(self) -> None:
        """Same as :meth:`play` (kept for readability at call sites)."""
        self.play()

    def pause(self) -> None:
        if self.state is not PlayerState.PLAYING:
            return
        frame = self.frame
        self._halt()
        self._frame = frame
        self._state = PlayerState.PAUSED

    def toggle(self) -> None:
        """Play/pause, for a single key."""
        if self.is_playing:
            self.pause()
        else:
            self.play()

    def stop(self) -> None:
        """Stop and go back to the start."""
        self._halt()
        self._frame = 0
        self._state = PlayerState.STOPPED

    close = stop

    def seek(self, delta: float) -> float:
        """Move by ``delta`` seconds (negative = back), clamped to the recording; returns the new
        position. Playing continues from there; otherwise the player waits there, paused."""
        return self.seek_to(self.position + delta)

    def seek_to(self, seconds: float) -> float:
        """Go to an absolute position (clamped)."""
        frame = self._clamp(round(max(0.0, seconds) * self._pcm.frame_rate))
        if self.state is PlayerState.PLAYING:
            self._halt()
            self._frame = frame
            self._start()
        else:
            self._frame = frame
            self._state = PlayerState.PAUSED
        return self.position

    def set_leg(self, leg: Leg | str) -> None:
        """Switch between both legs / leg 1 / leg 2 without losing the position."""
        leg = Leg(leg)
        if leg is self._leg:
            return
        pcm = self._pcm_for(leg)  # raises for a mono recording, before anything changes
        playing = self.state is PlayerState.PLAYING
        frame = self.frame
        if playing:
            self._halt()
        self._leg, self._pcm, self._frame = leg, pcm, frame
        if playing:
            self._start()

    def poll(self) -> PlayerState:
        """Notice the natural end of playback; call it from a UI timer."""
        if self._state is PlayerState.PLAYING and self._play is not None and not self._play.is_playing():
            self._play = None
            self._finish()
        return self._state

    def wait_done(self) -> None:
        """Block until the current buffer has played out (scripts and tests)."""
        if self._play is not None:
            self._play.wait_done()
        self.poll()

    # -- internals -------------------------------------------------------------------------------

    def _pcm_for(self, leg: Leg) -> Pcm:
        if leg not in self._legs:
            self._legs[leg] = select_leg(self._source, leg)
        return self._legs[leg]

    def _clamp(self, frame: int) -> int:
        return max(0, min(frame, self._pcm.frames))

    def _finish(self) -> None:
        self._state = PlayerState.ENDED
        self._frame = self._pcm.frames
        if self.on_end is not None:
            self.on_end()

    def _start(self) -> None:
        pcm = self._pcm
        self._frame = self._clamp(self._frame)
        if self._frame >= pcm.frames:
            self._finish()
            return
        if self._backend is None:
            self._backend = load_backend()
        # A memoryview slice: no copy of a long recording on every seek.
        data = memoryview(pcm.data)[self._frame * pcm.frame_width :]
        self._play = _play(self._backend, data, pcm.channels, pcm.sample_width, pcm.frame_rate)
        self._started_at = self._clock()
        self._state = PlayerState.PLAYING

    def _halt(self) -> None:
        play, self._play = self._play, None
        if play is None:
            return
        play.stop()
        # simpleaudio's stop() only flags its thread; wait (briefly) until that thread has closed
        # the device so the next buffer does not race it for the same device.
        deadline = time.monotonic() + _STOP_TIMEOUT
        while play.is_playing() and time.monotonic() < deadline:
            time.sleep(0.001)
