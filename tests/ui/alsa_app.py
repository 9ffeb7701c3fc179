"""Runs the app headless in a fresh process (ALSA reads its configuration once per process), plays
one recording with ``o`` through the real simpleaudio, and prints one JSON line about the result.

Usage: python alsa_app.py '<json spec>' with "channels" (1 or 2: which kind of recording to play)
and optionally "keys" (pressed in the bar after the first play, e.g. ["2", "s", "space"]: the second
leg, from the start). Prints {"phase", "state", "message", "path", "leg"}.
"""

from __future__ import annotations

import asyncio
import json
import sys
from datetime import datetime, timezone


async def wait_played(bar) -> None:
    """Until the device has taken the whole buffer (the null slave does not pace: quick)."""
    player = bar.player
    if player is not None and player.is_playing:
        await asyncio.to_thread(player.wait_done)  # the UI does nothing else meanwhile
        bar.tick()


async def main(spec: dict) -> dict:
    from rec_tui.api import RetryPolicy
    from rec_tui.emulator import Emulator, EmulatorConfig, ManualClock
    from rec_tui.ui.app import RecTuiApp
    from rec_tui.ui.connection import connection_for_emulator
    from rec_tui.ui.media import media_controller

    clock = ManualClock(datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc))
    with Emulator(EmulatorConfig(seed=7, recordings=60, clock=clock)) as emu:
        app = RecTuiApp(connection_for_emulator(emu, retry=RetryPolicy(attempts=1)), display_tz=timezone.utc)
        async with app.run_test(size=(120, 40)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            screen = app.screen
            rows = sorted((r for r in screen.table.all_recordings if r.status == "completed"
                           and r.channels == spec["channels"] and (r.duration or 0) >= 2),
                          key=lambda r: r.duration)
            screen.table.move_cursor_to_sid(rows[0].sid)
            await pilot.press("o")
            await app.workers.wait_for_complete()
            await pilot.pause()
            bar = screen.query_one("#player")
            for key in spec.get("keys", []):
                await wait_played(bar)
                await pilot.press(key)
            await wait_played(bar)
            media = media_controller(app)
            return {"phase": bar.phase, "state": bar.state_label, "message": bar.message,
                    "path": str(media.cache_path(rows[0])),
                    "leg": bar.player.leg.value if bar.player is not None else None}


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(json.loads(sys.argv[1])))))
