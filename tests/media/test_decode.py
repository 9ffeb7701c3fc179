"""Decoding WAV (native) and MP3 (ffmpeg) to PCM; choosing a leg; clear errors."""

from __future__ import annotations

import array
import shutil
import subprocess

import pytest

from rec_tui.media import decode as decode_module
from rec_tui.media.decode import FFMPEG_HINT, Leg, Pcm, decode_file, ffmpeg_available, select_leg
from rec_tui.media.errors import DecodeError, FfmpegMissingError, MediaError
from rec_tui.media.waveform import rms_buckets
from rec_tui.media.wav import wav_header

from .conftest import noise, pcm_of, tone, wav_bytes, write_wav

needs_ffmpeg = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg is not installed")


def ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-v", "error", "-y", *args], check=True)


def samples(pcm: Pcm) -> list[int]:
    assert pcm.sample_width == 2
    return array.array("h", pcm.data).tolist()


def test_wav_decodes_natively_to_the_same_frames(tmp_path):
    original = pcm_of(noise(2.0, seed=5))
    decoded = decode_file(write_wav(tmp_path / "a.wav", original))
    assert decoded == original
    assert decoded.duration == 2.0 and decoded.frames == 16000


def test_dual_channel_legs_split_correctly(tmp_path):
    left, right = noise(1.5, seed=1), noise(1.5, seed=2)
    decoded = decode_file(write_wav(tmp_path / "call.wav", pcm_of(left, right)))
    assert decoded.channels == 2
    assert select_leg(decoded, Leg.BOTH) is decoded
    first, second = select_leg(decoded, Leg.FIRST), select_leg(decoded, "second")
    assert (first.channels, second.channels) == (1, 1)
    assert samples(first) == left and samples(second) == right


def test_a_mono_recording_has_no_legs(tmp_path):
    decoded = decode_file(write_wav(tmp_path / "m.wav", pcm_of(noise(0.5))))
    with pytest.raises(MediaError, match="single channel"):
        select_leg(decoded, Leg.FIRST)


def test_8_bit_wav_comes_out_16_bit(tmp_path):
    data = bytes([128, 255, 0, 128] * 1000)  # unsigned 8-bit: silence, max, min, silence
    (tmp_path / "u8.wav").write_bytes(wav_header(1, 1, 8000, len(data)) + data)
    decoded = decode_file(tmp_path / "u8.wav")
    assert decoded.sample_width == 2 and decoded.frames == 4000
    assert samples(decoded)[:4] == [0, 127 << 8, -128 << 8, 0]


def test_wav_decodes_without_ffmpeg(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    original = pcm_of(noise(0.5))
    assert decode_file(write_wav(tmp_path / "a.wav", original)) == original


@pytest.mark.parametrize(
    "damage,match",
    [
        (lambda b: b[:-1000], "corrupt: WAV file is truncated"),
        (lambda b: b"RIFX" + b[4:], "corrupt: not a WAV file"),
        (lambda b: b[:36] + b"junk" + b[40:], "corrupt: WAV file has no data chunk|corrupt: WAV file is truncated"),
    ],
)
def test_corrupt_wav(tmp_path, damage, match):
    (tmp_path / "bad.wav").write_bytes(damage(wav_bytes(pcm_of(noise(0.5)))))
    with pytest.raises(DecodeError, match=match):
        decode_file(tmp_path / "bad.wav")


def test_empty_wav(tmp_path):
    (tmp_path / "empty.wav").write_bytes(wav_header(1, 2, 8000, 0))
    with pytest.raises(DecodeError, match="contains no audio"):
        decode_file(tmp_path / "empty.wav")


def test_unknown_format_and_missing_file(tmp_path):
    with pytest.raises(MediaError, match="unsupported media format"):
        decode_file(tmp_path / "a.ogg")
    with pytest.raises(MediaError, match="cannot read"):
        decode_file(tmp_path / "missing.wav")
    with pytest.raises(MediaError, match="cannot read"):
        decode_file(tmp_path / "missing.mp3")


@needs_ffmpeg
def test_mp3_decodes_to_the_right_frames(tmp_path):
    # 1 s loud, 1 s quiet, 1 s loud — lossy, so compare shape, not bytes.
    loud, quiet = tone(1.0, amp=16000), tone(1.0, amp=500)
    source = write_wav(tmp_path / "src.wav", pcm_of(loud + quiet + loud))
    ffmpeg("-i", str(source), "-codec:a", "libmp3lame", "-b:a", "32k", str(tmp_path / "r.mp3"))
    decoded = decode_file(tmp_path / "r.mp3")
    assert (decoded.channels, decoded.frame_rate, decoded.sample_width) == (1, 8000, 2)
    # ffmpeg trims the encoder delay using the LAME header; allow one MP3 frame of slack.
    assert abs(decoded.frames - 24000) <= 1152
    first, middle, last = rms_buckets(decoded, 3)
    assert first > 10 * middle and last > 10 * middle


@needs_ffmpeg
def test_dual_channel_mp3_legs(tmp_path):
    source = write_wav(tmp_path / "src.wav", pcm_of(tone(1.0, amp=16000), tone(1.0, freq=300, amp=300)))
    # Plain stereo, not joint stereo, so the legs stay apart.
    ffmpeg("-i", str(source), "-codec:a", "libmp3lame", "-b:a", "64k", "-joint_stereo", "0", str(tmp_path / "r.mp3"))
    decoded = decode_file(tmp_path / "r.mp3")
    assert decoded.channels == 2
    (leg1,), (leg2,) = rms_buckets(select_leg(decoded, Leg.FIRST), 1), rms_buckets(select_leg(decoded, Leg.SECOND), 1)
    assert leg1 > 20 * leg2


@needs_ffmpeg
def test_mu_law_wav_goes_through_ffmpeg(tmp_path, monkeypatch):
    source = write_wav(tmp_path / "src.wav", pcm_of(tone(0.5, amp=16000)))
    ffmpeg("-i", str(source), "-acodec", "pcm_mulaw", str(tmp_path / "ulaw.wav"))
    decoded = decode_file(tmp_path / "ulaw.wav")
    assert (decoded.sample_width, decoded.frames) == (2, 4000)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(FfmpegMissingError, match=r"this WAV encoding \(mu-law\) needs ffmpeg"):
        decode_file(tmp_path / "ulaw.wav")


@needs_ffmpeg
def test_corrupt_mp3(tmp_path):
    (tmp_path / "bad.mp3").write_bytes(b"\x00garbage" * 100)
    with pytest.raises(DecodeError, match="bad.mp3 is corrupt or not a MP3 file"):
        decode_file(tmp_path / "bad.mp3")


def test_mp3_without_ffmpeg_on_path(tmp_path, monkeypatch):
    (tmp_path / "r.mp3").write_bytes(b"ID3" + bytes(100))
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setattr(decode_module.AudioSegment, "converter", "ffmpeg")
    assert not ffmpeg_available()
    with pytest.raises(FfmpegMissingError) as info:
        decode_file(tmp_path / "r.mp3")
    assert str(info.value) == FFMPEG_HINT == "MP3 needs ffmpeg: apt install ffmpeg"


def test_mp3_with_a_converter_that_is_gone(tmp_path, monkeypatch):
    (tmp_path / "r.mp3").write_bytes(b"ID3" + bytes(100))
    monkeypatch.setattr(decode_module.AudioSegment, "converter", str(tmp_path / "no-such-ffmpeg"))
    with pytest.raises(FfmpegMissingError, match="MP3 needs ffmpeg"):
        decode_file(tmp_path / "r.mp3")


def test_pcm_offsets_are_frame_aligned_and_clamped():
    pcm = pcm_of(noise(1.0), noise(1.0, seed=2))  # stereo: 4 bytes a frame
    assert pcm.offset(0.5) == 4000 * 4
    assert pcm.offset(0.50001) % 4 == 0
    assert pcm.offset(-3) == 0 and pcm.offset(99) == len(pcm.data)
