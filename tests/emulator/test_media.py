"""Media: WAV and MP3 over HTTP, RequestedChannels, legs, and the pure audio synthesis."""

from __future__ import annotations

import io
import math
import shutil
import warnings
import wave

import pytest

from rec_tui.emulator import audio
from rec_tui.emulator.models import SINGLE_CHANNEL_SOURCES

from .support import Api, assert_error, make_emulator


def goertzel(samples: list[int], freq: float, rate: int = 8000) -> float:
    """Signal power at ``freq``."""
    coeff = 2 * math.cos(2 * math.pi * freq / rate)
    s1 = s2 = 0.0
    for x in samples:
        s1, s2 = x + coeff * s1 - s2, s1
    return s1 * s1 + s2 * s2 - coeff * s1 * s2


def read_wav(data: bytes) -> tuple[wave._wave_params, bytes]:
    with wave.open(io.BytesIO(data)) as wav:
        return wav.getparams(), wav.readframes(wav.getnframes())


def channel(frames: bytes, channels: int, index: int) -> list[int]:
    values = memoryview(frames).cast("h")
    return list(values[index::channels])


def completed(api, predicate=lambda r: True, longest: int = 40) -> dict:
    for rec in api.json("Recordings.json", {"PageSize": 1000})["recordings"]:
        if rec["status"] == "completed" and 3 <= int(rec["duration"]) <= longest and predicate(rec):
            return rec
    raise AssertionError("no such recording in the seeded data")


@pytest.mark.parametrize("suffix", ["", ".wav"])
def test_wav_has_exactly_the_metadata_duration_and_channels(api, suffix):
    for channels in (1, 2):
        rec = completed(api, lambda r: r["channels"] == channels)
        response = api.get(f"Recordings/{rec['sid']}{suffix}")
        assert response.status_code == 200
        assert response.headers["content-type"] == "audio/x-wav"
        assert int(response.headers["content-length"]) == len(response.content)
        params, frames = read_wav(response.content)
        assert (params.nchannels, params.sampwidth, params.framerate) == (channels, 2, 8000)
        assert params.nframes == int(rec["duration"]) * 8000 == len(frames) // (2 * channels)


def test_media_url_serves_the_wav(api):
    rec = completed(api)
    response = api.http.get(rec["media_url"])
    assert response.status_code == 200 and response.content == api.get(f"Recordings/{rec['sid']}.wav").content


def test_requested_channels(api):
    dual = completed(api, lambda r: r["channels"] == 2)
    mono = api.get(f"Recordings/{dual['sid']}.wav", params={"RequestedChannels": 1})
    params, mono_frames = read_wav(mono.content)
    assert params.nchannels == 1 and params.nframes == int(dual["duration"]) * 8000
    _, stereo_frames = read_wav(api.get(f"Recordings/{dual['sid']}.wav").content)
    left, right = channel(stereo_frames, 2, 0), channel(stereo_frames, 2, 1)
    mixed = channel(mono_frames, 1, 0)
    assert all(abs(m - (a + b)) <= 1 for m, a, b in zip(mixed[:4000], left[:4000], right[:4000]))  # a downmix
    two = api.get(f"Recordings/{dual['sid']}.wav", params={"RequestedChannels": 2})
    assert two.content == api.get(f"Recordings/{dual['sid']}.wav").content

    # A mono call recording is stored dual-channel: RequestedChannels=2 gives both legs...
    mono_call = completed(api, lambda r: r["channels"] == 1 and r["source"] not in SINGLE_CHANNEL_SOURCES
                          and r["track"] == "both")
    params, _ = read_wav(api.get(f"Recordings/{mono_call['sid']}.wav", params={"RequestedChannels": 2}).content)
    assert params.nchannels == 2
    # ... but a <Record> or conference recording has one channel only: Not Found, as the guide says.
    single = completed(api, lambda r: r["source"] in SINGLE_CHANNEL_SOURCES)
    assert_error(api.get(f"Recordings/{single['sid']}.wav", params={"RequestedChannels": 2}), 404, 20404)
    assert_error(api.get(f"Recordings/{single['sid']}.mp3", params={"RequestedChannels": 2}), 404, 20404)
    assert api.get(f"Recordings/{single['sid']}", params={"RequestedChannels": 1}).status_code == 200
    for bad in ("3", "0", "two"):
        assert_error(api.get(f"Recordings/{dual['sid']}.wav", params={"RequestedChannels": bad}), 400, 20001)


def test_legs_are_distinguishable(api):
    rec = completed(api, lambda r: r["channels"] == 2 and r["track"] == "both", longest=300)
    _, frames = read_wav(api.get(f"Recordings/{rec['sid']}.wav").content)
    f0, f1 = audio.leg_frequency(rec["sid"], 0), audio.leg_frequency(rec["sid"], 1)
    assert f0 < 400 < 600 < f1
    left, right = channel(frames, 2, 0), channel(frames, 2, 1)
    assert goertzel(left, f0) > 100 * goertzel(left, f1)
    assert goertzel(right, f1) > 100 * goertzel(right, f0)


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="MP3 needs ffmpeg")
def test_mp3_decodes_to_the_duration(api):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from pydub import AudioSegment
    for channels in (1, 2):
        rec = completed(api, lambda r: r["channels"] == channels, longest=20)
        response = api.get(f"Recordings/{rec['sid']}.mp3")
        assert response.status_code == 200 and response.headers["content-type"] == "audio/mpeg"
        assert int(response.headers["content-length"]) == len(response.content)
        decoded = AudioSegment.from_file(io.BytesIO(response.content), format="mp3")
        assert abs(decoded.duration_seconds - int(rec["duration"])) <= 0.1
        assert decoded.channels == channels and decoded.frame_rate == 8000
        assert api.get(f"Recordings/{rec['sid']}.mp3").content == response.content  # cached, identical


def test_only_completed_recordings_have_media(api):
    recs = api.json("Recordings.json", {"PageSize": 1000, "IncludeSoftDeleted": "true"})["recordings"]
    for status in ("absent", "processing", "in-progress", "paused", "deleted"):
        rec = next(r for r in recs if r["status"] == status)
        for suffix in ("", ".wav", ".mp3"):
            body = assert_error(api.get(f"Recordings/{rec['sid']}{suffix}"), 404, 20404)
            assert rec["sid"] in body["message"]
    assert_error(api.get("Recordings/RE" + "0" * 32 + ".wav"), 404, 20404)


def test_a_sixty_minute_recording_streams_with_its_length():
    with make_emulator(recordings=3, live_calls=0, long_recording_seconds=3600) as emu:
        rec = next(r for r in emu.store.all_recordings() if r.duration == 3600)
        import httpx

        with httpx.Client(auth=(emu.account_sid, emu.auth_token), timeout=60) as client:
            with client.stream("GET", f"{emu.api_root}/Recordings/{rec.sid}.wav",
                               params={"RequestedChannels": 1}) as response:
                assert int(response.headers["content-length"]) == 44 + 3600 * 8000 * 2 == 57_600_044
                total, first = 0, b""
                for chunk in response.iter_raw():
                    first = first or chunk
                    total += len(chunk)
        assert total == 57_600_044 and first.startswith(b"RIFF")


# -- the synthesis itself ------------------------------------------------------------------------


def test_synthesis_is_exact_deterministic_and_streams_the_same_bytes():
    sid = "RE" + "ab" * 16
    for duration, channels in ((0, 1), (1, 1), (7, 2), (2.5, 1), (3.25, 2)):
        pcm = audio.synthesize_pcm(sid, duration, channels)
        assert len(pcm) == round(duration * 8000) * 2 * channels == audio.pcm_size(duration, channels)
        assert b"".join(audio.stream_pcm(sid, duration, channels, chunk_seconds=2)) == pcm
        wav = b"".join(audio.stream_wav(sid, duration, channels))
        assert len(wav) == audio.wav_size(duration, channels) and wav[44:] == pcm
        params, frames = read_wav(wav)
        assert params.nframes * params.nchannels * 2 == len(pcm) and frames == pcm
    assert audio.synthesize_pcm(sid, 5, 2) == audio.synthesize_pcm(sid, 5, 2)
    assert audio.synthesize_pcm(sid, 5, 2) != audio.synthesize_pcm("RE" + "cd" * 16, 5, 2)


def test_the_envelope_varies_like_speech():
    sid = "RE" + "12" * 16
    pcm = audio.synthesize_pcm(sid, 30, 1)
    values = memoryview(pcm).cast("h")
    per_second = [math.sqrt(sum(v * v for v in values[i * 8000:(i + 1) * 8000:4]) / 2000) for i in range(30)]
    assert max(per_second) > 2000 and max(per_second) > 4 * min(per_second)
    assert len({round(v, -1) for v in per_second}) > 15  # not flat, not a handful of levels
    # Inside a second, syllables: the loudest second has near-silent gaps between louder bursts.
    loudest = max(range(30), key=lambda i: per_second[i])
    second = values[loudest * 8000:(loudest + 1) * 8000]
    peaks = [max(abs(v) for v in second[w:w + 80]) for w in range(0, 8000, 80)]  # 10 ms windows
    assert min(peaks) < 0.2 * max(peaks)


def test_tracks_select_legs():
    sid = "RE" + "34" * 16
    f0, f1 = audio.leg_frequency(sid, 0), audio.leg_frequency(sid, 1)
    inbound = list(memoryview(audio.synthesize_pcm(sid, 4, 1, "inbound")).cast("h"))
    outbound = list(memoryview(audio.synthesize_pcm(sid, 4, 1, "outbound")).cast("h"))
    both = list(memoryview(audio.synthesize_pcm(sid, 4, 1, "both")).cast("h"))
    assert goertzel(inbound, f0) > 1000 * goertzel(inbound, f1)
    assert goertzel(outbound, f1) > 1000 * goertzel(outbound, f0)
    assert all(abs(b - (i + o)) <= 1 for b, i, o in zip(both, inbound, outbound))
    with pytest.raises(ValueError):
        audio.synthesize_pcm(sid, 1, 3)
    with pytest.raises(ValueError):
        audio.synthesize_pcm(sid, 1, 1, "sideways")


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="MP3 needs ffmpeg")
def test_a_long_mp3_encode_does_not_hold_up_other_requests():
    import threading
    import time

    with make_emulator(recordings=3, live_calls=0, long_recording_seconds=1200) as emu:
        rec = next(r for r in emu.store.all_recordings() if r.duration == 1200)
        api = Api(emu)
        done = threading.Event()
        sizes = []

        def fetch_mp3() -> None:
            with Api(emu) as other:
                sizes.append(len(other.get(f"Recordings/{rec.sid}.mp3").content))
            done.set()

        worker = threading.Thread(target=fetch_mp3)
        worker.start()
        while emu.stats["requests"] < 1:
            time.sleep(0.01)
        assert api.get("Recordings.json").status_code == 200
        assert api.get(f"Recordings/{rec.sid}.json").status_code == 200
        assert not done.is_set()  # answered while the MP3 was still being encoded
        worker.join(timeout=120)
        assert sizes and sizes[0] > 1200 * 32000 // 8 * 0.9
        api.close()
