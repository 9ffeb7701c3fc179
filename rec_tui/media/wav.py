"""Just enough RIFF/WAVE parsing to tell a complete WAV file from a truncated or corrupt one.

A download is only accepted when the RIFF size, the chunk list and the ``data`` chunk all agree
with the number of bytes on disk; this catches a body that was cut short even when the server
sent no Content-Length.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import BinaryIO

from .errors import DecodeError

#: Names of the WAV format tags phone recordings use (for messages); only 1 and 0xFFFE are
#: plain PCM that pydub reads natively.
PCM_FORMATS = {1: "PCM", 0xFFFE: "extensible PCM", 3: "float", 6: "A-law", 7: "mu-law"}


@dataclass(frozen=True)
class WavInfo:
    format_tag: int
    channels: int
    frame_rate: int
    sample_width: int  # bytes per sample (one channel)
    data_offset: int  # where the sample bytes start
    data_size: int  # length of the ``data`` chunk in bytes

    @property
    def frame_width(self) -> int:
        return self.channels * self.sample_width

    @property
    def frames(self) -> int:
        return self.data_size // self.frame_width if self.frame_width else 0

    @property
    def duration(self) -> float:
        return self.frames / self.frame_rate if self.frame_rate else 0.0


def read_wav_info(file: BinaryIO, size: int) -> WavInfo:
    """Walk the chunks of a WAV file of ``size`` bytes; raise :class:`DecodeError` if inconsistent."""
    file.seek(0)
    head = file.read(12)
    if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        raise DecodeError("not a WAV file (no RIFF/WAVE header)")
    riff_size = struct.unpack("<I", head[4:8])[0]
    # RIFF size counts everything after the first 8 bytes; allow one pad byte either way.
    if abs((riff_size + 8) - size) > 1:
        raise DecodeError(f"WAV file is truncated or padded: header says {riff_size + 8} bytes, file has {size}")
    pos = 12
    fmt: tuple[int, int, int, int] | None = None
    data: tuple[int, int] | None = None
    while pos + 8 <= size:
        file.seek(pos)
        chunk_id, chunk_size = struct.unpack("<4sI", file.read(8))
        body = pos + 8
        if body + chunk_size > size:
            raise DecodeError(
                f"WAV file is truncated: chunk {chunk_id!r} needs {chunk_size} bytes, {size - body} left"
            )
        if chunk_id == b"fmt ":
            if chunk_size < 16:
                raise DecodeError("WAV file has a short fmt chunk")
            tag, channels, rate, _byte_rate, _align, bits = struct.unpack("<HHIIHH", file.read(16))
            fmt = (tag, channels, rate, bits)
        elif chunk_id == b"data":
            data = (body, chunk_size)
        pos = body + chunk_size + (chunk_size & 1)  # chunks are word-aligned
    if fmt is None:
        raise DecodeError("WAV file has no fmt chunk")
    if data is None:
        raise DecodeError("WAV file has no data chunk")
    tag, channels, rate, bits = fmt
    if channels < 1 or rate < 1 or bits < 1 or bits % 8:
        raise DecodeError(f"WAV file has an impossible format ({channels} ch, {rate} Hz, {bits} bits)")
    info = WavInfo(tag, channels, rate, bits // 8, data[0], data[1])
    if info.data_size % info.frame_width:
        raise DecodeError("WAV data chunk ends in the middle of a sample frame")
    return info


def wav_header(channels: int, sample_width: int, frame_rate: int, data_size: int) -> bytes:
    """A canonical 44-byte PCM WAV header (used by tests and by "export leg as WAV")."""
    block_align = channels * sample_width
    return b"RIFF" + struct.pack(
        "<I4s4sIHHIIHH4sI",
        36 + data_size,
        b"WAVE",
        b"fmt ",
        16,
        1,
        channels,
        frame_rate,
        frame_rate * block_align,
        block_align,
        sample_width * 8,
        b"data",
        data_size,
    )
