"""Deterministic, speech-like test audio: 8 kHz, 16-bit little-endian PCM, WAV and MP3.

Every recording SID gets its own signal: two "legs" (the inbound party and the outbound party),
each a voiced tone with harmonics at a per-SID frequency — the inbound leg always below 400 Hz,
the outbound leg always above 600 Hz, so a test can tell the legs apart — shaped by a syllable
envelope inside each second and by a turn-taking amplitude envelope from second to second (one
party talks, the other is nearly silent, now and then both pause), so a waveform is never flat.

- Dual-channel audio has the inbound leg on the left channel and the outbound leg on the right.
- Mono audio is the sum of the legs the track records (``both``, ``inbound`` or ``outbound``);
  a dual recording downmixed to one channel (``RequestedChannels=1``) is the same sum.

Synthesis is cheap: one-second blocks per frequency, syllable shape and loudness step (the
per-second envelope is quantized to ``LEVELS`` steps) are computed once per process and cached,
and each second of output is then a single ``audioop.add`` of the two legs (plus two
``tostereo`` for two channels), so a 60-minute WAV streams from small chunks faster than a
socket carries it.
"""

from __future__ import annotations

import array
import collections
import math
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import warnings
from collections.abc import Iterator

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import audioop  # stdlib up to 3.12; the audioop-lts package provides it from 3.13

from .sids import hashed_int

SAMPLE_RATE = 8000
SAMPLE_WIDTH = 2
MP3_BITRATE = "32k"
#: The inbound leg's possible base frequencies (Hz), and the outbound leg's.
LEG_FREQUENCIES = ((220.0, 260.0, 300.0, 340.0), (640.0, 700.0, 760.0, 820.0))
TRACKS = ("both", "inbound", "outbound")
_VARIANTS = 4
_PEAK = 14000

#: Loudness steps of the per-second envelope (quantized so that scaled blocks can be cached).
LEVELS = 40

_blocks: dict[tuple[float, int], bytes] = {}
_scaled_blocks: dict[tuple[float, int, int], bytes] = {}
_blocks_lock = threading.Lock()


def leg_frequency(sid: str, leg: int) -> float:
    """The base frequency of leg 0 (inbound) or leg 1 (outbound) of this recording."""
    h = hashed_int(sid, "legs")
    return LEG_FREQUENCIES[leg][(h >> (8 * leg)) % len(LEG_FREQUENCIES[leg])]


def _block(freq: float, variant: int) -> bytes:
    """One second of a voiced tone (with harmonics) under a syllable envelope: 2..5 syllables."""
    key = (freq, variant)
    block = _blocks.get(key)
    if block is not None:
        return block
    syllables = 2 + variant
    samples = array.array("h", bytes(SAMPLE_RATE * SAMPLE_WIDTH))
    w = 2 * math.pi * freq / SAMPLE_RATE
    for i in range(SAMPLE_RATE):
        phase = (i * syllables / SAMPLE_RATE) % 1.0
        envelope = 0.5 - 0.5 * math.cos(2 * math.pi * phase)  # one raised-cosine bump per syllable
        wave = math.sin(w * i) + 0.35 * math.sin(2 * w * i) + 0.15 * math.sin(3 * w * i)
        samples[i] = int(_PEAK / 1.5 * envelope * wave)
    if sys.byteorder != "little":
        samples.byteswap()
    block = samples.tobytes()
    with _blocks_lock:
        _blocks[key] = block
    return block


def _scaled(freq: float, variant: int, level: int) -> bytes:
    """The block at ``level / LEVELS`` of full scale (cached: at most 8 x 4 x 41 blocks of 16 kB)."""
    key = (freq, variant, level)
    block = _scaled_blocks.get(key)
    if block is None:
        block = audioop.mul(_block(freq, variant), SAMPLE_WIDTH, level / LEVELS)
        with _blocks_lock:
            _scaled_blocks[key] = block
    return block


def _leg_envelopes(sid: str) -> Iterator[tuple[float, int, float, int]]:
    """Per second: (inbound factor, inbound variant, outbound factor, outbound variant)."""
    rng = random.Random(hashed_int(sid, "envelope"))
    turn = rng.randrange(2)
    while True:
        r = rng.random()
        if r < 0.12:
            turn = 2  # both pause
        elif r < 0.38:
            turn = (1 - turn) if turn != 2 else rng.randrange(2)
        speak = 0.45 + 0.55 * rng.random()
        listen = 0.06 * rng.random()
        if turn == 0:
            a, b = speak, listen
        elif turn == 1:
            a, b = listen, speak
        else:
            a, b = 0.03 * rng.random(), 0.03 * rng.random()
        yield a, rng.randrange(_VARIANTS), b, rng.randrange(_VARIANTS)


def _check(channels: int, track: str) -> None:
    if channels not in (1, 2):
        raise ValueError("channels must be 1 or 2")
    if track not in TRACKS:
        raise ValueError(f"track must be one of {', '.join(TRACKS)}")


def pcm_seconds(sid: str, duration_s: float, channels: int = 1, track: str = "both") -> Iterator[bytes]:
    """The recording's PCM one second at a time (the last piece may be shorter)."""
    _check(channels, track)
    total_frames = max(0, int(round(duration_s * SAMPLE_RATE)))
    full, rest = divmod(total_frames, SAMPLE_RATE)
    f0, f1 = leg_frequency(sid, 0), leg_frequency(sid, 1)
    use0, use1 = track in ("both", "inbound"), track in ("both", "outbound")
    envelopes = _leg_envelopes(sid)
    tostereo, add = audioop.tostereo, audioop.add
    for second in range(full + (1 if rest else 0)):
        a, va, b, vb = next(envelopes)
        leg0 = _scaled(f0, va, round(a * LEVELS) if use0 else 0)
        leg1 = _scaled(f1, vb, round(b * LEVELS) if use1 else 0)
        if channels == 2:
            out = add(tostereo(leg0, 2, 1, 0), tostereo(leg1, 2, 0, 1), 2)
        else:
            out = add(leg0, leg1, 2)  # the sum of the legs: the same as a downmix of the dual file
        if second == full:  # the partial last second
            out = out[: rest * SAMPLE_WIDTH * channels]
        yield out


def synthesize_pcm(sid: str, duration_s: float, channels: int = 1, track: str = "both") -> bytes:
    """All of the recording's PCM at once (tests; short recordings)."""
    return b"".join(pcm_seconds(sid, duration_s, channels, track))


def pcm_size(duration_s: float, channels: int) -> int:
    return max(0, int(round(duration_s * SAMPLE_RATE))) * SAMPLE_WIDTH * channels


def stream_pcm(sid: str, duration_s: float, channels: int = 1, track: str = "both",
               chunk_seconds: int = 4) -> Iterator[bytes]:
    """The PCM in chunks of ``chunk_seconds`` seconds (64 KiB-ish: memory stays flat)."""
    pending: list[bytes] = []
    for piece in pcm_seconds(sid, duration_s, channels, track):
        pending.append(piece)
        if len(pending) >= chunk_seconds:
            yield b"".join(pending)
            pending.clear()
    if pending:
        yield b"".join(pending)


def wav_header(data_size: int, channels: int) -> bytes:
    """The 44-byte RIFF/WAVE header of 8 kHz 16-bit PCM."""
    byte_rate = SAMPLE_RATE * SAMPLE_WIDTH * channels
    return struct.pack(
        "<4sI4s4sIHHIIHH4sI",
        b"RIFF", 36 + data_size, b"WAVE", b"fmt ", 16, 1, channels, SAMPLE_RATE, byte_rate,
        SAMPLE_WIDTH * channels, SAMPLE_WIDTH * 8, b"data", data_size,
    )


def wav_size(duration_s: float, channels: int) -> int:
    return 44 + pcm_size(duration_s, channels)


def stream_wav(sid: str, duration_s: float, channels: int = 1, track: str = "both",
               chunk_seconds: int = 4) -> Iterator[bytes]:
    """The WAV file: its header, then the PCM in chunks. Exactly :func:`wav_size` bytes."""
    yield wav_header(pcm_size(duration_s, channels), channels)
    yield from stream_pcm(sid, duration_s, channels, track, chunk_seconds)


def synthesize_wav(sid: str, duration_s: float, channels: int = 1, track: str = "both") -> bytes:
    return b"".join(stream_wav(sid, duration_s, channels, track))


# -- MP3 -----------------------------------------------------------------------------------------


class Mp3Unavailable(RuntimeError):
    """ffmpeg is missing or failed."""


def ffmpeg_path() -> str | None:
    return shutil.which("ffmpeg")


def encode_mp3(sid: str, duration_s: float, channels: int = 1, track: str = "both") -> bytes:
    """Encode the recording as a 32 kbps MP3 with ffmpeg (libmp3lame).

    The output goes to a temporary file rather than a pipe so that ffmpeg can go back and fill in
    the Xing/LAME header (frame count, encoder delay and padding): decoders then trim the padding
    and the decoded length matches the recording's duration.
    """
    binary = ffmpeg_path()
    if binary is None:
        raise Mp3Unavailable("ffmpeg is not installed")
    _check(channels, track)
    fd, path = tempfile.mkstemp(prefix="rec-tui-emulator-", suffix=".mp3")
    os.close(fd)
    try:
        process = subprocess.Popen(
            [binary, "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
             "-f", "s16le", "-ar", str(SAMPLE_RATE), "-ac", str(channels), "-i", "pipe:0",
             "-codec:a", "libmp3lame", "-b:a", MP3_BITRATE, "-f", "mp3", path],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        assert process.stdin is not None
        try:
            for chunk in stream_pcm(sid, duration_s, channels, track, chunk_seconds=16):
                process.stdin.write(chunk)
            process.stdin.close()
        except BrokenPipeError:
            pass
        stderr = process.stderr.read() if process.stderr else b""
        if process.wait() != 0:
            raise Mp3Unavailable(f"ffmpeg failed: {stderr.decode(errors='replace').strip()[:300]}")
        with open(path, "rb") as handle:
            return handle.read()
    finally:
        try:
            os.unlink(path)
        except OSError:
            pass


class Mp3Cache:
    """A small LRU of encoded MP3s keyed by (sid, duration, channels, track); one encode per key."""

    def __init__(self, max_entries: int = 8) -> None:
        self.max_entries = max_entries
        self._entries: collections.OrderedDict[tuple, bytes] = collections.OrderedDict()
        self._lock = threading.Lock()
        self._key_locks: dict[tuple, threading.Lock] = {}
        self.encodes = 0

    def get(self, sid: str, duration_s: float, channels: int, track: str) -> bytes:
        key = (sid, duration_s, channels, track)
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:
            with self._lock:
                if key in self._entries:
                    return self._entries[key]
            data = encode_mp3(sid, duration_s, channels, track)
            with self._lock:
                self.encodes += 1
                self._entries[key] = data
                while len(self._entries) > self.max_entries:
                    self._entries.popitem(last=False)
                self._key_locks.pop(key, None)
            return data
