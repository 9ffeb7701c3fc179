"""Fixtures for tests that drive ``rec_tui.cli.main`` (import them by name: ``# noqa: F401``)."""

from __future__ import annotations

import pytest

from rec_tui.ui.app import RecTuiApp


@pytest.fixture
def captured_app(monkeypatch):
    """``RecTuiApp.run`` replaced: the CLI builds the app without starting a terminal UI; the
    apps it would have run are in the returned list."""
    apps: list[RecTuiApp] = []
    monkeypatch.setattr(RecTuiApp, "run", lambda self, *a, **k: apps.append(self))
    return apps


@pytest.fixture
def config_dir(tmp_path):
    """Where ``REC_TUI_CONFIG_DIR`` points the profiles."""
    return tmp_path / "config"


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    """A home of its own (in every module that imports this fixture): no twilio-cli config unless
    a test writes one."""
    path = tmp_path / "home"
    path.mkdir()
    monkeypatch.setenv("HOME", str(path))
    return path
