"""Snapshots of the main screens at 80×24 and 120×40 (fixed clock, fixed seed, times in UTC).

Accept changes with ``pytest tests/ui/test_snapshots.py --snapshot-update`` after looking at
every changed SVG under ``__snapshots__/test_snapshots/``.
"""

from __future__ import annotations

from datetime import date

import pytest

from rec_tui.api import RecordingFilter
from rec_tui.ui.app import StartTarget

from ui_support import emulator_config, no_blinking, settle

SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
#: The emulator's media URLs name its port, so the snapshots' emulator always listens on this one.
SNAPSHOT_PORT = 47731


@pytest.fixture(scope="module")
def shared_emulator():
    """Overrides conftest's: the same data, on a fixed port (media URLs show it)."""
    from rec_tui.emulator import Emulator

    try:
        emu = Emulator(emulator_config(), port=SNAPSHOT_PORT).start()
    except OSError as exc:  # pragma: no cover - another process holds the port
        pytest.fail(f"port {SNAPSHOT_PORT} is taken ({exc}); the snapshots need it for stable media URLs")
    yield emu
    emu.stop()


def after(*keys: str, then=None):
    """A ``run_before`` that waits for the app to settle, presses ``keys``, settles again."""

    async def run_before(pilot) -> None:
        await settle(pilot)
        if keys:
            await pilot.press(*keys)
            await settle(pilot)
        if then is not None:
            await then(pilot)
            await settle(pilot)
        no_blinking(pilot)

    return run_before


@SIZES
def test_list(snap_compare, shared_emulator, make_app, size):
    assert snap_compare(make_app(shared_emulator), terminal_size=size, run_before=after("j", "j"))


@SIZES
def test_detail(snap_compare, shared_emulator, emulator_data, make_app, size):
    recording, _ = emulator_data.recording_with_transcription()
    app = make_app(shared_emulator, start=StartTarget(recording=recording["sid"]))
    assert snap_compare(app, terminal_size=size, run_before=after())


@SIZES
def test_transcription(snap_compare, shared_emulator, emulator_data, make_app, size):
    recording, _ = emulator_data.recording_with_transcription()
    app = make_app(shared_emulator, start=StartTarget(recording=recording["sid"]))
    assert snap_compare(app, terminal_size=size, run_before=after("enter"))


@SIZES
def test_filters_open(snap_compare, shared_emulator, make_app, size):
    async def fill(pilot) -> None:
        form = pilot.app.screen
        form.query_one("#filter-created_after").value = "2026-11-01"
        form.query_one("#filter-created_before").value = "2026-11-3O"  # a letter O: invalid
        form.query_one("#filter-call_sid").value = "CA12"
        form.action_apply()

    assert snap_compare(make_app(shared_emulator), terminal_size=size, run_before=after("f", then=fill))


@SIZES
def test_help(snap_compare, shared_emulator, make_app, size):
    assert snap_compare(make_app(shared_emulator), terminal_size=size, run_before=after("question_mark"))


@SIZES
def test_empty_result(snap_compare, shared_emulator, make_app, size):
    async def nothing_matches(pilot) -> None:
        pilot.app.screen.apply_filter(RecordingFilter(created_on=date(2001, 1, 1)))

    assert snap_compare(make_app(shared_emulator), terminal_size=size, run_before=after(then=nothing_matches))


@SIZES
def test_api_error(snap_compare, shared_emulator, make_app, size):
    app = make_app(shared_emulator, token="0" * 32)
    assert snap_compare(app, terminal_size=size, run_before=after())
