"""A loudness envelope for drawing a recording (e.g. in a Textual ``Sparkline``).

RMS per bucket over frame-aligned byte ranges with ``audioop.rms`` on memoryviews: no copies, so a
10-minute 8 kHz file takes a few milliseconds.
"""

from __future__ import annotations

import warnings

from .decode import Leg, Pcm, select_leg

with warnings.catch_warnings():
    # Deprecated in 3.11-3.12, gone in 3.13 where the audioop-lts package provides it.
    warnings.simplefilter("ignore", DeprecationWarning)
    import audioop

__all__ = ["envelope", "envelopes", "rms_buckets"]


def rms_buckets(pcm: Pcm, buckets: int) -> list[float]:
    """Raw RMS (in sample units) of ``buckets`` consecutive, equal-as-possible slices of ``pcm``.

    Channels are mixed (the RMS of all interleaved samples). Buckets beyond the number of frames
    are 0.0.
    """
    if buckets < 1:
        raise ValueError("buckets must be at least 1")
    view = memoryview(pcm.data)
    width, fw, frames = pcm.sample_width, pcm.frame_width, pcm.frames
    out: list[float] = []
    for i in range(buckets):
        start = i * frames // buckets
        end = (i + 1) * frames // buckets
        out.append(float(audioop.rms(view[start * fw : end * fw], width)) if end > start else 0.0)
    return out


def envelope(pcm: Pcm, buckets: int = 200, leg: Leg | str = Leg.BOTH, *, peak: float | None = None) -> list[float]:
    """Loudness per bucket scaled to 0..1.

    By default the loudest bucket is 1.0 (so a quiet call is still readable); pass ``peak`` (in
    sample units, e.g. ``32767`` for full scale 16-bit) to scale absolutely instead. Silence is all
    zeros.
    """
    values = rms_buckets(select_leg(pcm, leg), buckets)
    top = float(peak) if peak is not None else max(values, default=0.0)
    if top <= 0:
        return [0.0] * len(values)
    return [min(1.0, v / top) for v in values]


def envelopes(pcm: Pcm, buckets: int = 200) -> list[list[float]]:
    """One envelope per leg of a dual-channel recording (a single one for mono), on a shared scale
    so the louder leg looks louder."""
    if pcm.channels < 2:
        return [envelope(pcm, buckets)]
    raw = [rms_buckets(select_leg(pcm, leg), buckets) for leg in (Leg.FIRST, Leg.SECOND)]
    top = max((max(r, default=0.0) for r in raw), default=0.0)
    if top <= 0:
        return [[0.0] * buckets for _ in raw]
    return [[v / top for v in r] for r in raw]
