"""The app on the emulator with ``rec-tui --demo --chaos``'s faults: still usable, no error shown.

The app's own retry policy, with its sleeps shortened a hundredfold so the test is quick; the
user pages back and forth and opens recordings until the emulator has injected several faults.
"""

from __future__ import annotations

import asyncio
from datetime import timezone

from rec_tui.api import RetryPolicy
from rec_tui.emulator import Emulator, FaultConfig
from rec_tui.ui.app import RecTuiApp
from rec_tui.ui.connection import connection_for_emulator
from rec_tui.ui.screens.recording import RecordingScreen

from ui_support import emulator_config, recordings_screen, settle

FAULT_KINDS = ("error", "rate_limit", "reset_before", "reset_during", "truncate", "malformed")


async def quick_sleep(seconds: float) -> None:
    await asyncio.sleep(seconds / 100)


async def test_the_app_stays_usable_under_demo_chaos():
    faults = FaultConfig.chaos(seed=4)
    faults.latency_s = 0.01  # the demo's slowness is for people; the faults are what is tested
    with Emulator(emulator_config(faults=faults)) as emu:
        connection = connection_for_emulator(emu, retry=RetryPolicy(sleep=quick_sleep))
        app = RecTuiApp(connection, display_tz=timezone.utc)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            screen = recordings_screen(pilot)
            screen.set_page_size(20)  # small pages: each press is cheap
            await settle(pilot)
            assert screen.table.loaded_count >= 20
            presses = 0
            while sum(emu.stats[k] for k in FAULT_KINDS) < 3:
                presses += 1
                assert presses <= 60, f"too few faults injected: {dict(emu.stats)}"
                # The actions behind the n and p keys (a key press costs far longer under Pilot).
                await screen.run_action("next_page" if presses % 6 < 3 else "previous_page")
                await settle(pilot)
                assert screen.table.loaded_count >= 20
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, RecordingScreen) and app.screen.recording is not None
            await pilot.press("escape")
            await settle(pilot)
            errors = [f"{n.title}: {n.message}" for n in app._notifications if n.severity == "error"]
            assert errors == []
            assert app.connection_state == "connected"
