"""Helpers for the player and download tests: a fake simpleaudio, a fake clock, a gate that holds
chosen transfers mid-body, and event-driven waits (no sleeps)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from textual.pilot import Pilot

from rec_tui.api.models import Recording
from rec_tui.media import BulkDownload
from rec_tui.ui.media import MediaController, media_controller
from rec_tui.ui.screens.recordings import RecordingsScreen
from tests.media.fake_audio import FakeBackend, FakeClock, FakePlay, SimpleaudioError  # noqa: F401 - re-exported

#: Longest wait for something the emulator does on its own thread (never reached when all is well).
TIMEOUT = 30


class NoDeviceBackend(FakeBackend):
    def play_buffer(self, *args):
        raise SimpleaudioError("Error opening PCM device. -- CODE: -2 -- MSG: No such file or directory")


class _HeldResponse:
    """An ``httpx.Response`` whose body stops after ``after`` bytes until the gate opens."""

    def __init__(self, response: httpx.Response, gate: "Gate", sid: str) -> None:
        self._response, self._gate, self._sid = response, gate, sid

    def __getattr__(self, name: str):
        return getattr(self._response, name)

    async def aiter_bytes(self, chunk_size: int | None = None):
        sent = 0
        async for chunk in self._response.aiter_bytes(chunk_size):
            yield chunk
            sent += len(chunk)
            if sent >= self._gate.after and not self._gate.opened.is_set():
                self._gate.arrived(self._sid)
                await self._gate.opened.wait()


class Gate:
    """Holds the transfers of ``sids`` after their first ``after`` bytes until ``open()``.

    Installed on the app's media controller, it wraps ``open_stream``; the other transfers run
    freely. ``await gate.wait_held()`` returns once every held transfer has stopped at its mark.
    """

    def __init__(self, media: MediaController, sids, after: int = 64 * 1024) -> None:
        self.sids = set(sids)
        self.after = after
        self.opened = asyncio.Event()
        self.held: set[str] = set()
        self._all_held = asyncio.Event()
        original = media.open_stream

        def open_stream(sid: str, fmt: str = "wav", channels: int | None = None):
            inner = original(sid, fmt, channels)
            if sid not in self.sids:
                return inner

            @asynccontextmanager
            async def held():
                async with inner() as response:
                    yield _HeldResponse(response, self, sid)

            return held

        media.open_stream = open_stream  # type: ignore[method-assign]

    def arrived(self, sid: str) -> None:
        self.held.add(sid)
        if self.held >= self.sids:
            self._all_held.set()

    async def wait_held(self) -> None:
        await asyncio.wait_for(self._all_held.wait(), TIMEOUT)

    def open(self) -> None:
        self.opened.set()


async def wait_for_bulk(bulk: BulkDownload, predicate: Callable[[BulkDownload], bool]) -> None:
    """Wait (on the download's own notifications) until ``predicate(bulk)`` holds."""
    reached = asyncio.Event()

    def check(b: BulkDownload, status) -> None:
        if predicate(b):
            reached.set()

    unsubscribe = bulk.subscribe(check)
    try:
        check(bulk, None)
        await asyncio.wait_for(reached.wait(), TIMEOUT)
    finally:
        unsubscribe()


@pytest.fixture
def cache_root(tmp_path, monkeypatch) -> Path:
    """A private media cache for the test (``REC_TUI_CACHE_DIR``)."""
    root = tmp_path / "cache"
    monkeypatch.setenv("REC_TUI_CACHE_DIR", str(root))
    return root


def pick(screen: RecordingsScreen, *, channels: int | None = None, shortest: bool = True,
         count: int = 1, min_duration: int = 1, exclude: set[str] = frozenset()) -> list[Recording]:
    """Completed recordings among the loaded rows (short ones first: quick to fetch and decode)."""
    rows = [r for r in screen.table.all_recordings
            if r.status == "completed" and not r.encrypted and (r.duration or 0) >= min_duration
            and (channels is None or r.channels == channels) and r.sid not in exclude]
    if shortest:
        rows.sort(key=lambda r: r.duration or 0)
    if len(rows) < count:
        pytest.skip(f"only {len(rows)} such recordings are loaded")
    return rows[:count]


async def cursor_to(pilot: Pilot, recording: Recording) -> None:
    screen = pilot.app.screen
    assert screen.table.move_cursor_to_sid(recording.sid)
    screen.table.focus()
    await pilot.pause()


def controller(pilot: Pilot) -> MediaController:
    return media_controller(pilot.app)


def fake_player(pilot: Pilot) -> MediaController:
    """The app's media controller, playing into a fake sound card on a fake clock."""
    media = controller(pilot)
    media.backend, media.clock = FakeBackend(), FakeClock()
    return media
