"""Decoding WAV and MP3 files to raw PCM with pydub, and picking one leg of a dual-channel call.

WAV is read natively (no ffmpeg). MP3 goes through ffmpeg, which must be on PATH. Decoding a
10-minute MP3 takes a few tenths of a second: callers on an event loop should use a thread
(``asyncio.to_thread(decode_file, path)``).
"""

from __future__ import annotations

import shutil
import warnings
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from .errors import DecodeError, FfmpegMissingError, MediaError
from .wav import PCM_FORMATS, read_wav_info

with warnings.catch_warnings():
    # pydub warns at import when ffmpeg is missing; we say so ourselves, and only for MP3.
    warnings.simplefilter("ignore", RuntimeWarning)
    from pydub import AudioSegment
    from pydub.exceptions import CouldntDecodeError

FFMPEG_HINT = "MP3 needs ffmpeg: apt install ffmpeg"


class Leg(str, Enum):
    """Which part of a recording to hear or draw. Twilio's dual-channel files put the two call legs
    in channel 1 and channel 2 (which is which depends on how the recording was started)."""

    BOTH = "both"
    FIRST = "first"
    SECOND = "second"

    @property
    def channel(self) -> int | None:
        """0-based channel index, None for both."""
        return {Leg.BOTH: None, Leg.FIRST: 0, Leg.SECOND: 1}[self]


@dataclass(frozen=True)
class Pcm:
    """Interleaved signed little-endian PCM (16-bit after :func:`decode_file`), as simpleaudio plays it."""

    data: bytes
    channels: int
    sample_width: int  # bytes per sample
    frame_rate: int

    @property
    def frame_width(self) -> int:
        return self.channels * self.sample_width

    @property
    def frames(self) -> int:
        return len(self.data) // self.frame_width

    @property
    def duration(self) -> float:
        return self.frames / self.frame_rate

    def offset(self, seconds: float) -> int:
        """Byte offset of the frame at ``seconds``, clamped to the data; always frame-aligned."""
        frame = round(max(0.0, seconds) * self.frame_rate)
        return min(frame, self.frames) * self.frame_width

    def to_segment(self) -> AudioSegment:
        return AudioSegment(
            data=self.data, sample_width=self.sample_width, frame_rate=self.frame_rate, channels=self.channels
        )

    @classmethod
    def from_segment(cls, segment: AudioSegment) -> "Pcm":
        return cls(segment.raw_data, segment.channels, segment.sample_width, segment.frame_rate)


def ffmpeg_available() -> bool:
    """True when pydub's converter (normally ``ffmpeg``) can be found."""
    converter = AudioSegment.converter
    return bool(shutil.which(converter) or (Path(converter).is_absolute() and Path(converter).is_file()))


def _decode_wav(path: Path) -> AudioSegment:
    try:
        with open(path, "rb") as f:
            info = read_wav_info(f, path.stat().st_size)
            f.seek(0)
            data = f.read()
    except OSError as exc:
        raise MediaError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except DecodeError as exc:
        raise DecodeError(f"{path.name} is corrupt: {exc}") from exc
    if info.format_tag in (1, 0xFFFE):
        try:
            return AudioSegment(data=data)
        except (CouldntDecodeError, ValueError, IndexError) as exc:
            raise DecodeError(f"{path.name} is corrupt: {exc}") from exc
    # A valid WAV in another encoding (mu-law, A-law, float): only ffmpeg can read it.
    encoding = PCM_FORMATS.get(info.format_tag, f"format {info.format_tag}")
    return _decode_ffmpeg(path, "wav", f"this WAV encoding ({encoding}) needs ffmpeg: apt install ffmpeg")


def _decode_ffmpeg(path: Path, fmt: str, hint: str) -> AudioSegment:
    if not ffmpeg_available():
        raise FfmpegMissingError(hint)
    try:
        # codec= skips pydub's ffprobe call (a second external tool) and asks for 16-bit output.
        return AudioSegment.from_file(str(path.resolve()), format=fmt, codec=fmt if fmt == "mp3" else None)
    except CouldntDecodeError as exc:
        raise DecodeError(f"{path.name} is corrupt or not a {fmt.upper()} file: {_last_line(str(exc))}") from exc
    except FileNotFoundError as exc:
        # The converter vanished between the check and the call.
        raise FfmpegMissingError(hint) from exc
    except OSError as exc:
        raise MediaError(f"cannot read {path}: {exc.strerror or exc}") from exc


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:200] if lines else "unknown error"


def decode_file(path: Path | str, fmt: str | None = None) -> Pcm:
    """Decode a WAV or MP3 file (``fmt`` defaults to the suffix) to PCM.

    Raises :class:`FfmpegMissingError` for MP3 without ffmpeg, :class:`DecodeError` for a corrupt
    file. The result is always 16-bit.
    """
    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt == "wav":
        segment = _decode_wav(path)
    elif fmt == "mp3":
        if not path.is_file():
            raise MediaError(f"cannot read {path}: no such file")
        segment = _decode_ffmpeg(path, "mp3", FFMPEG_HINT)
    else:
        raise MediaError(f"unsupported media format {fmt!r} (expected wav or mp3)")
    if segment.sample_width != 2:
        # One sample format everywhere: pydub keeps 8-bit signed internally while WAV and ALSA's U8
        # are unsigned, and 24/32-bit phone audio gains nothing.
        segment = segment.set_sample_width(2)
    pcm = Pcm.from_segment(segment)
    if pcm.frames == 0:
        raise DecodeError(f"{path.name} contains no audio")
    return pcm


def select_leg(pcm: Pcm, leg: Leg | str) -> Pcm:
    """``pcm`` itself for BOTH; otherwise the chosen channel as mono (``split_to_mono``).

    A mono recording has no legs to choose from: asking for one raises :class:`MediaError`.
    """
    leg = Leg(leg)
    if leg is Leg.BOTH:
        return pcm
    if pcm.channels < 2:
        raise MediaError("this recording has a single channel: both call legs are mixed together")
    return Pcm.from_segment(pcm.to_segment().split_to_mono()[leg.channel])
