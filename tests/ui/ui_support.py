"""Helpers for driving the app under Pilot (no sleeps: wait for workers and the message queue)."""

from __future__ import annotations

from datetime import date, datetime, timezone
from email.utils import parsedate_to_datetime

import httpx
import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from rec_tui.api import RetryPolicy
from rec_tui.ui.screens.recordings import RecordingsScreen

try:
    from rec_tui.emulator import EmulatorConfig, ManualClock
except ImportError:  # pragma: no cover - only while the emulator has not landed
    EmulatorConfig = ManualClock = None  # type: ignore[assignment,misc]

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)
SEED = 7
RECORDINGS = 250
#: No retries in tests: a failure shows at once, and nothing waits on a backoff timer.
NO_RETRY = RetryPolicy(attempts=1)


def emulator_config(**overrides):
    """The tests' emulator: fixed seed, fixed clock (2026-11-20 12:00 UTC)."""
    if EmulatorConfig is None:  # pragma: no cover
        pytest.skip("the emulator has not landed yet")
    options = dict(seed=SEED, recordings=RECORDINGS, clock=ManualClock(NOW))
    options.update(overrides)
    return EmulatorConfig(**options)


async def settle(pilot: Pilot, rounds: int = 20) -> None:
    """Wait until no worker runs and the screen has processed what they posted."""
    app = pilot.app
    for _ in range(rounds):
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        if not any(worker.is_running for worker in app.workers):
            return
    raise AssertionError("workers kept starting")


async def until(pilot: Pilot, condition, rounds: int = 200) -> bool:
    """Pause until ``condition()`` holds (a worker has reached some point), at most ``rounds``
    times; returns whether it held. For states a request reaches on its own schedule."""
    for _ in range(rounds):
        if condition():
            return True
        await pilot.pause()
    return bool(condition())


def recordings_screen(pilot: Pilot) -> RecordingsScreen:
    screen = pilot.app.screen
    assert isinstance(screen, RecordingsScreen), f"expected the recordings screen, got {screen!r}"
    return screen


async def type_into(pilot: Pilot, selector: str, text: str) -> None:
    field = pilot.app.screen.query_one(selector, Input)
    field.focus()
    await pilot.pause()
    await pilot.press(*text)


def gmt_day(rfc2822: str) -> date:
    return parsedate_to_datetime(rfc2822).astimezone(timezone.utc).date()


def day_of(value: datetime) -> date:
    return value.astimezone(timezone.utc).date()


def no_blinking(pilot: Pilot) -> None:
    """Stop cursor blinking so a snapshot never catches a half-blinked cursor."""
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False


class EmulatorData:
    """Look-ups over the emulator's API, independent of the code under test."""

    def __init__(self, emu) -> None:
        self.emu = emu
        self.root = f"{emu.base_url}/2010-04-01/Accounts/{emu.account_sid}"
        self.http = httpx.Client(auth=(emu.account_sid, emu.auth_token), timeout=10)

    def get(self, path: str, **params) -> dict:
        response = self.http.get(f"{self.root}/{path}", params=params)
        response.raise_for_status()
        return response.json()

    def recordings(self, **params) -> list[dict]:
        params.setdefault("PageSize", 1000)
        return self.get("Recordings.json", **params)["recordings"]

    def transcriptions(self, recording_sid: str) -> list[dict]:
        return self.get(f"Recordings/{recording_sid}/Transcriptions.json")["transcriptions"]

    def add_on_results(self, recording_sid: str) -> list[dict]:
        return self.get(f"Recordings/{recording_sid}/AddOnResults.json")["add_on_results"]

    def recording_with_add_on_results(self) -> tuple[dict, list[dict]]:
        for recording in self.recordings():
            results = self.add_on_results(recording["sid"])
            if results:
                return recording, results
        pytest.skip("the seeded emulator has no add-on results")

    def recording_with_transcription(self) -> tuple[dict, dict]:
        """The first recording with a completed transcription that has real text."""
        for recording in self.recordings():
            for transcription in self.transcriptions(recording["sid"]):
                text = transcription.get("transcription_text") or ""
                if transcription.get("status") == "completed" and len(text.split()) > 3:
                    return recording, transcription
        pytest.skip("the seeded emulator has no transcribed recording")
