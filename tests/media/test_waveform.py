"""The loudness envelope follows loud and quiet sections."""

from __future__ import annotations

import pytest

from rec_tui.media.decode import Pcm
from rec_tui.media.waveform import envelope, envelopes, rms_buckets

from .conftest import noise, pcm_of, tone


def test_envelope_follows_loud_and_quiet_sections():
    loud, quiet = tone(1.0, amp=20000), tone(1.0, amp=1000)
    pcm = pcm_of(loud + quiet + loud + quiet)
    env = envelope(pcm, 40)
    assert len(env) == 40 and max(env) == 1.0 and min(env) >= 0.0
    for i, value in enumerate(env):
        if (i // 10) % 2 == 0:
            assert value > 0.95
        else:
            assert value == pytest.approx(0.05, abs=0.01)


def test_absolute_scale():
    pcm = pcm_of(tone(1.0, amp=16384))
    (value,) = envelope(pcm, 1, peak=32767)
    assert value == pytest.approx(16384 / 2**0.5 / 32767, rel=0.01)


def test_silence_is_all_zeros():
    assert envelope(pcm_of([0] * 8000), 10) == [0.0] * 10


def test_more_buckets_than_frames():
    env = envelope(pcm_of([1000, -1000, 1000]), 8)
    assert len(env) == 8 and env.count(0.0) == 5 and max(env) == 1.0


def test_per_leg_envelopes_share_a_scale():
    pcm = pcm_of(noise(2.0, amp=16000), noise(2.0, seed=9, amp=2000))
    leg1, leg2 = envelopes(pcm, 20)
    assert max(leg1) == 1.0
    assert all(a > 4 * b for a, b in zip(leg1, leg2))
    assert envelope(pcm, 20, "second") != leg2  # alone, the quiet leg is scaled to its own peak
    assert max(envelope(pcm, 20, "second")) == 1.0


def test_mono_envelopes_is_one_list():
    assert len(envelopes(pcm_of(noise(0.5)), 5)) == 1


def test_ten_minutes_is_handled_in_one_pass():
    pcm = Pcm(bytes(8000 * 2 * 600), 1, 2, 8000)
    assert rms_buckets(pcm, 200) == [0.0] * 200


def test_bucket_count_must_be_positive():
    with pytest.raises(ValueError):
        envelope(pcm_of([0]), 0)
