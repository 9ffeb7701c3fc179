"""Configuration of the emulator: :class:`EmulatorConfig` and :class:`FaultConfig`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .clock import SystemClock

FLAVOURS = ("twilio", "signalwire")


@dataclass
class FaultConfig:
    """Faults the server injects, for reliability tests. The default injects nothing.

    Per matching request one draw from a generator seeded with ``seed`` picks at most one of the
    rate-driven faults (the rates are cumulative probabilities, so keep their sum <= 1):

    - ``error_rate``: a 500 or 503 with Twilio's error body; the request is *not* processed.
    - ``rate_limit_rate``: a 429 (code 20429) with ``Retry-After: retry_after_s``; not processed.
    - ``reset_before_rate``: the request *is* processed, then the connection is closed before any
      byte of the response (a lost answer: a retried DELETE then meets a 404).
    - ``reset_during_rate``: processed; status line, headers and part of the body are sent, then the
      connection is aborted (RST).
    - ``truncate_rate``: processed; ``Content-Length`` announces the whole body but only part of it
      is sent before the connection is closed normally (FIN).
    - ``malformed_rate``: processed; answered with a 200 whose JSON body is broken.

    ``latency_s`` is added before every matching response. ``paths`` (regular expressions searched
    in the request path, e.g. ``r"\\.mp3$"`` or ``"/Recordings.json"``) and ``methods`` limit which
    requests are affected; empty means all.
    """

    error_rate: float = 0.0
    rate_limit_rate: float = 0.0
    latency_s: float = 0.0
    reset_before_rate: float = 0.0
    reset_during_rate: float = 0.0
    truncate_rate: float = 0.0
    malformed_rate: float = 0.0
    retry_after_s: float = 1.0
    seed: int = 0
    paths: tuple[str, ...] = ()
    methods: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in ("error_rate", "rate_limit_rate", "reset_before_rate", "reset_during_rate",
                     "truncate_rate", "malformed_rate"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be within 0..1, got {value!r}")
        if self.total_rate > 1.0 + 1e-9:
            raise ValueError("the fault rates add up to more than 1")
        if self.latency_s < 0 or self.retry_after_s < 0:
            raise ValueError("latency_s and retry_after_s must not be negative")
        if isinstance(self.paths, str):
            self.paths = (self.paths,)
        if isinstance(self.methods, str):
            self.methods = (self.methods,)
        self.paths = tuple(self.paths)
        self.methods = tuple(m.upper() for m in self.methods)
        self._patterns = [re.compile(p) for p in self.paths]

    @classmethod
    def chaos(cls, seed: int = 0) -> "FaultConfig":
        """The faults of ``rec-tui --demo --chaos``: about one request in ten goes wrong in some
        way, and every answer takes a little longer, so the app's retries, spinners and error
        messages can be watched without the demo becoming unusable."""
        return cls(error_rate=0.03, rate_limit_rate=0.03, retry_after_s=1, reset_before_rate=0.01,
                   reset_during_rate=0.01, truncate_rate=0.01, malformed_rate=0.01, latency_s=0.1, seed=seed)

    @property
    def total_rate(self) -> float:
        return (self.error_rate + self.rate_limit_rate + self.reset_before_rate + self.reset_during_rate
                + self.truncate_rate + self.malformed_rate)

    @property
    def active(self) -> bool:
        return self.total_rate > 0 or self.latency_s > 0

    def applies_to(self, method: str, path: str) -> bool:
        if self.methods and method.upper() not in self.methods:
            return False
        if self._patterns and not any(p.search(path) for p in self._patterns):
            return False
        return True


@dataclass
class EmulatorConfig:
    """What the emulator serves.

    - ``seed``: the same seed and clock time give the same SIDs, data, credentials and audio.
    - ``recordings``: how many recordings a default list shows at start (live ones included;
      soft-deleted ones, visible only with ``IncludeSoftDeleted``, come on top).
    - ``clock``: any object with ``now()`` returning an aware UTC datetime; real time by default.
    - ``processing_seconds``: a stopped or ended recording is ``processing`` for this many clock
      seconds, then ``completed``.
    - ``live_calls``: in-progress calls kept alive (each ends after a while and is replaced).
    - ``faults``: see :class:`FaultConfig`; no faults by default.
    - ``flavour``: ``"twilio"``, or ``"signalwire"``: SignalWire's Twilio-compatible API (base path
      ``/api/laml/2010-04-01``, UUID SIDs, its statuses, sources and fields; see ``signalwire.py``).
    - ``hostile``: seed some free-text fields (transcription text, caller names, conference names)
      with strings that try to break a terminal UI (escape sequences, markup, bidi, very long), and
      serve one recording in six with hostile field values (markup, escapes, controls, 10,000
      characters, emoji, nulls, numbers for text: ``models.HOSTILE_RECORDING_FIELDS``). The
      seeded data, and everything served without ``hostile``, stay the same.
    - ``days``: how far back the seeded recordings go.
    - ``long_recording_seconds``: if set, one extra completed dual-channel recording of this length.
    - ``transcription_rate``: share of completed recordings with transcriptions.
    """

    seed: int = 1
    recordings: int = 250
    clock: Any = field(default_factory=SystemClock)
    processing_seconds: float = 3.0
    live_calls: int = 4
    faults: FaultConfig = field(default_factory=FaultConfig)
    flavour: str = "twilio"
    hostile: bool = False
    days: int = 30
    long_recording_seconds: int | None = None
    transcription_rate: float = 0.15

    def __post_init__(self) -> None:
        if self.clock is None:
            self.clock = SystemClock()
        if not hasattr(self.clock, "now"):
            raise TypeError("clock must have a now() method")
        if self.recordings < 0:
            raise ValueError("recordings must not be negative")
        if self.live_calls < 0:
            raise ValueError("live_calls must not be negative")
        if self.processing_seconds < 0:
            raise ValueError("processing_seconds must not be negative")
        if self.days < 1:
            raise ValueError("days must be at least 1")
        if self.flavour not in FLAVOURS:
            raise ValueError(f"unknown flavour {self.flavour!r} (known: {', '.join(FLAVOURS)})")
        if self.faults is None:
            self.faults = FaultConfig()
        if self.long_recording_seconds is not None and self.long_recording_seconds < 1:
            raise ValueError("long_recording_seconds must be at least 1")
