"""Snapshots of the player bar (waveform and playhead) and of a bulk download in progress, at 80×24
and 120×40.

Deterministic by construction: seeded emulator data on a fixed clock and port, a fake sound card
and a fake clock for positions and rates, and a gate that holds chosen transfers after their first
64 KiB, so "in progress" is the same state every run (no sleeps, no timing).
Accept changes with ``--snapshot-update`` after looking at every changed SVG.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rec_tui.emulator import FaultConfig
from rec_tui.media import FileState

from media_support import FakeBackend, FakeClock, Gate, cache_root, controller, cursor_to, pick, wait_for_bulk  # noqa: F401
from ui_support import emulator_config, no_blinking, recordings_screen, settle

SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
#: The detail pane shows media URLs, which name the port (not test_snapshots.py's port: both may run).
SNAPSHOT_PORT = 47741


@pytest.fixture(scope="module")
def shared_emulator():
    from rec_tui.emulator import Emulator

    try:
        emu = Emulator(emulator_config(), port=SNAPSHOT_PORT).start()
    except OSError as exc:  # pragma: no cover - another process holds the port
        pytest.fail(f"port {SNAPSHOT_PORT} is taken ({exc}); the snapshots need it for stable media URLs")
    yield emu
    emu.stop()


@SIZES
def test_player_with_waveform(snap_compare, shared_emulator, make_app, cache_root, size):
    async def run_before(pilot) -> None:
        await settle(pilot)
        media = controller(pilot)
        media.backend = FakeBackend()
        clock = media.clock = FakeClock()
        recording = pick(recordings_screen(pilot), channels=2, min_duration=20)[0]
        await cursor_to(pilot, recording)
        await pilot.press("o")
        await settle(pilot)
        bar = pilot.app.screen.query_one("#player")
        assert bar.state_label == "playing"
        clock.now += round(recording.duration * 0.4)
        bar.tick()
        await pilot.pause()
        no_blinking(pilot)

    assert snap_compare(make_app(shared_emulator), terminal_size=size, run_before=run_before)


@SIZES
def test_bulk_download_in_progress(snap_compare, shared_emulator, make_app, cache_root, size):
    async def run_before(pilot) -> None:
        await settle(pilot)
        media = controller(pilot)
        clock = media.clock = FakeClock()
        media.concurrency = 2
        # In table order: done, failed, held, held, queued (two at a time, first come first served).
        screen = recordings_screen(pilot)
        chosen = {r.sid for r in pick(screen, channels=1, min_duration=20, count=5)}
        items = [r for r in screen.table.all_recordings if r.sid in chosen]
        failing = items[1]
        shared_emulator.faults = FaultConfig(error_rate=1.0, paths=(rf"/Recordings/{failing.sid}\.wav$",))
        gate = Gate(media, {items[2].sid, items[3].sid})
        for recording in items:
            await cursor_to(pilot, recording)
            screen.table.action_toggle_mark()
        await pilot.press("d")
        job = media.job
        await gate.wait_held()
        await wait_for_bulk(job.bulk, lambda b: [s.state for s in b.statuses[:2]] == [FileState.DONE,
                                                                                      FileState.FAILED])
        shared_emulator.faults = FaultConfig()
        clock.now += 10.0
        # The folder is a temporary directory here; show where it would be for a user.
        job.folder = Path.home() / ".cache" / "rec-tui" / "media" / shared_emulator.account_sid
        pilot.app.screen.flush()
        await pilot.pause()

    assert snap_compare(make_app(shared_emulator), terminal_size=size, run_before=run_before)
