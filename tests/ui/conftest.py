"""Fixtures for the app's Pilot and snapshot tests: a deterministic emulator and an app factory.

The emulator's clock is fixed at 2026-11-20 12:00 UTC and its data seeded, and the app shows
times in UTC, so every run (and every snapshot) sees the same rows.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timezone

import pytest

from rec_tui.api import RecordingsClient, custom_endpoint
from rec_tui.ui.app import RecTuiApp, StartTarget
from rec_tui.ui.connection import Connection, connection_for_emulator

from ui_support import NO_RETRY, EmulatorData, emulator_config

try:
    from rec_tui.emulator import Emulator
except ImportError:  # pragma: no cover - only while the emulator has not landed
    Emulator = None  # type: ignore[assignment,misc]


@pytest.fixture(autouse=True)
def immediate_detail_pane(monkeypatch):
    """The detail pane follows the cursor without its throttle, so a test sees it at once."""
    from rec_tui.ui.screens.recordings import RecordingsScreen

    monkeypatch.setattr(RecordingsScreen, "DETAIL_INTERVAL", 0)


@pytest.fixture(scope="session")
def shared_emulator():
    """One emulator for the tests that only read."""
    with Emulator(emulator_config()) as emu:
        yield emu


@pytest.fixture
def emulator():
    """A fresh emulator per test, for tests that change its data, stop it or count requests."""
    with Emulator(emulator_config()) as emu:
        yield emu


def make_connection(emu, *, token: str | None = None) -> Connection:
    if token is None:
        return connection_for_emulator(emu, retry=NO_RETRY)
    client = RecordingsClient(custom_endpoint(emu.base_url), emu.account_sid, emu.account_sid, token,
                              retry=NO_RETRY)
    return Connection(client, "Emulator", emu.account_sid, "demo")


AppFactory = Callable[..., RecTuiApp]


@pytest.fixture
def make_app() -> AppFactory:
    """``make_app(emu, start=StartTarget(...), token=None)``: the app on ``emu``, times in UTC."""

    def make(emu, *, start: StartTarget = StartTarget(), token: str | None = None,
             app_class: type[RecTuiApp] = RecTuiApp) -> RecTuiApp:
        return app_class(make_connection(emu, token=token), display_tz=timezone.utc, start=start)

    return make


@pytest.fixture(scope="module")
def emulator_data(shared_emulator):
    """Read the shared emulator's data over plain HTTP (what tests pick their targets from)."""
    data = EmulatorData(shared_emulator)
    yield data
    data.http.close()
