"""Clocks for the emulator: the real one, and a manual one that tests move by hand.

Everything that changes with time in the emulator (live calls growing and ending, recordings
leaving ``processing``) is derived lazily from ``clock.now()`` on each request, so a
:class:`ManualClock` controls it completely: nothing moves until the test moves the clock.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:  # an aware UTC datetime
        ...


class SystemClock:
    """Real time (UTC)."""

    def now(self) -> datetime:
        return datetime.now(timezone.utc)

    def __repr__(self) -> str:
        return "SystemClock()"


def _aware(value: datetime) -> datetime:
    if not isinstance(value, datetime):
        raise TypeError(f"expected a datetime, got {type(value).__name__}")
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


class ManualClock:
    """A clock that only moves when told: ``now()``, ``advance(seconds)``, ``set(dt)``.

    A naive datetime is taken as UTC. Thread-safe (the emulator reads it from its server threads).
    """

    def __init__(self, start: datetime | None = None) -> None:
        self._lock = threading.Lock()
        self._now = _aware(start) if start is not None else datetime.now(timezone.utc)

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> datetime:
        """Move forward by ``seconds`` (negative values are refused) and return the new time."""
        if seconds < 0:
            raise ValueError("a ManualClock only moves forward; use set() to jump")
        with self._lock:
            self._now = self._now + timedelta(seconds=seconds)
            return self._now

    def set(self, value: datetime) -> None:
        with self._lock:
            self._now = _aware(value)

    def __repr__(self) -> str:
        return f"ManualClock({self.now().isoformat()})"


def epoch(clock: Clock) -> float:
    """The clock's time as seconds since the epoch (UTC)."""
    return _aware(clock.now()).timestamp()
