"""The WAV structure check behind "a download counts only when complete"."""

from __future__ import annotations

import io
import struct

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rec_tui.media.errors import DecodeError
from rec_tui.media.wav import read_wav_info, wav_header

from .conftest import noise, pcm_of, wav_bytes

WAV = wav_bytes(pcm_of(noise(0.25, seed=4), noise(0.25, seed=5)))


def info_of(data: bytes):
    return read_wav_info(io.BytesIO(data), len(data))


def test_complete_file():
    info = info_of(WAV)
    assert (info.channels, info.frame_rate, info.sample_width, info.frames) == (2, 8000, 2, 2000)
    assert (info.data_offset, info.data_size, info.duration) == (44, 8000, 0.25)


def test_extra_chunks_are_walked():
    listed = b"LIST" + struct.pack("<I", 5) + b"abcde" + b"\x00"  # odd size: one pad byte
    data = WAV[:36] + listed + WAV[36:]
    data = data[:4] + struct.pack("<I", len(data) - 8) + data[8:]
    assert info_of(data).data_offset == 44 + len(listed)


@given(st.integers(min_value=0, max_value=len(WAV) - 1))
def test_every_truncation_is_rejected(cut):
    with pytest.raises(DecodeError):
        info_of(WAV[:cut])


@given(st.binary(min_size=1, max_size=64))
def test_trailing_garbage_is_rejected(extra):
    with pytest.raises(DecodeError):
        info_of(WAV + extra * 2)


def test_header_that_lies_about_the_data_size():
    lying = WAV[:40] + struct.pack("<I", 9000) + WAV[44:]
    with pytest.raises(DecodeError, match="truncated"):
        info_of(lying)


def test_impossible_formats():
    with pytest.raises(DecodeError, match="impossible format"):
        info_of(wav_header(0, 2, 8000, 0))
    with pytest.raises(DecodeError, match="middle of a sample frame"):
        info_of(wav_header(2, 2, 8000, 6) + bytes(6))
