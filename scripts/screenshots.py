#!/usr/bin/env python3
"""Save SVG screenshots of rec-tui's main screens into screenshots/ (for the README).

Runs the app headless against the embedded emulator with a fixed seed and a fixed clock, times in
UTC, so the pictures only change when the UI does:

    .venv/bin/python scripts/screenshots.py [--out screenshots]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from collections.abc import Awaitable, Callable
from datetime import date, datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from textual.pilot import Pilot  # noqa: E402
from textual.widgets import Input  # noqa: E402

from rec_tui.api import RecordingFilter, RecordingsClient, RetryPolicy, custom_endpoint  # noqa: E402
from rec_tui.emulator import Emulator, EmulatorConfig, ManualClock  # noqa: E402
from rec_tui.ui.app import RecTuiApp, StartTarget  # noqa: E402
from rec_tui.ui.connection import Connection, connection_for_emulator  # noqa: E402
from rec_tui.ui.media import media_controller  # noqa: E402

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)
WIDE, NARROW = (120, 40), (80, 24)
PORT = 47732

Steps = Callable[[Pilot], Awaitable[None]]


async def settle(pilot: Pilot) -> None:
    for _ in range(20):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if not any(worker.is_running for worker in pilot.app.workers):
            break
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


def press(*keys: str) -> Steps:
    async def steps(pilot: Pilot) -> None:
        await pilot.press(*keys)
    return steps


async def shoot(connection: Connection, out: Path, name: str, size: tuple[int, int], steps: Steps | None = None,
                start: StartTarget = StartTarget()) -> None:
    app = RecTuiApp(connection, display_tz=timezone.utc, start=start)
    async with app.run_test(size=size, notifications=True) as pilot:
        await settle(pilot)
        if steps is not None:
            await steps(pilot)
            await settle(pilot)
        path = app.save_screenshot(filename=f"{name}.svg", path=str(out))
    print(f"saved {Path(path).relative_to(ROOT) if Path(path).is_relative_to(ROOT) else path}")


class SilentPlay:
    """What simpleaudio's ``play_buffer`` returns, for a machine with no sound card."""

    def __init__(self) -> None:
        self.playing = True

    def is_playing(self) -> bool:
        return self.playing

    def stop(self) -> None:
        self.playing = False

    def wait_done(self) -> None:
        self.playing = False


class SilentBackend:
    """A sound card that plays nothing: the player bar looks as it does with sound."""

    def play_buffer(self, data, channels, width, rate) -> SilentPlay:
        return SilentPlay()


def completed_row(pilot: Pilot, channels: int | None = None, min_duration: int = 20):
    table = pilot.app.screen.table
    return next(r for r in table.all_recordings if r.status == "completed" and not r.encrypted
                and (r.duration or 0) >= min_duration and (channels is None or r.channels == channels))


async def transcribed_recording(emu) -> str:
    """A recording with a transcription worth reading, and add-on results too if one has both."""
    client = RecordingsClient(custom_endpoint(emu.base_url), emu.account_sid, emu.account_sid, emu.auth_token)
    first = None
    async with client:
        async for recording in client.iter_recordings(page_size=1000):
            page = await client.list_transcriptions(recording.sid)
            if any(t.status == "completed" and len((t.transcription_text or "").split()) > 3 for t in page.items):
                if (await client.list_add_on_results(recording.sid)).items:
                    return recording.sid
                first = first or recording.sid
    if first is None:
        raise SystemExit("the seeded emulator has no transcribed recording")
    return first


async def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    # The player downloads into the media cache: a private one, not the user's.
    os.environ["REC_TUI_CACHE_DIR"] = tempfile.mkdtemp(prefix="rec-tui-screenshots-")
    # A fixed port: media URLs name it, and the pictures should not change from run to run.
    with Emulator(EmulatorConfig(seed=7, recordings=250, clock=ManualClock(NOW)), port=PORT) as emu:
        def connect(**options) -> Connection:
            return connection_for_emulator(emu, retry=RetryPolicy(attempts=1), **options)

        recording_sid = await transcribed_recording(emu)

        async def empty(pilot: Pilot) -> None:
            pilot.app.screen.apply_filter(RecordingFilter(created_on=date(2001, 1, 1)))

        async def filters(pilot: Pilot) -> None:
            await pilot.press("f")
            await pilot.pause()
            form = pilot.app.screen
            form.query_one("#filter-created_after", Input).value = "2026-11-01"
            form.query_one("#filter-call_sid", Input).value = "CA12"
            await pilot.pause()
            form.action_apply()

        async def quick_filter(pilot: Pilot) -> None:
            await pilot.press("slash", *"absent")

        async def palette(pilot: Pilot) -> None:
            await pilot.press("ctrl+p")
            await pilot.pause()
            await pilot.press(*"filter")

        async def delete_one(pilot: Pilot) -> None:
            pilot.app.screen.table.move_cursor_to_sid(completed_row(pilot).sid)
            await pilot.pause()
            await pilot.press("x")

        async def player(pilot: Pilot) -> None:
            media = media_controller(pilot.app)
            media.backend = SilentBackend()
            now = [1000.0]
            media.clock = lambda: now[0]
            recording = completed_row(pilot, channels=2, min_duration=60)
            pilot.app.screen.table.move_cursor_to_sid(recording.sid)
            await pilot.pause()
            await pilot.press("o")
            await settle(pilot)
            now[0] += round(recording.duration * 0.4)  # 40% played
            pilot.app.screen.query_one("#player").tick()

        await shoot(connect(), out, "recordings", WIDE, press("j", "j"))
        await shoot(connect(), out, "recordings-80x24", NARROW, press("j", "j"))
        await shoot(connect(), out, "recordings-200x60", (200, 60), press("j", "j"))
        await shoot(connect(), out, "quick-filter", WIDE, quick_filter)
        await shoot(connect(), out, "filters", WIDE, filters)
        await shoot(connect(), out, "recording-detail", WIDE, start=StartTarget(recording=recording_sid))
        await shoot(connect(), out, "transcription", WIDE, press("enter"), start=StartTarget(recording=recording_sid))
        await shoot(connect(), out, "help", WIDE, press("question_mark"))
        await shoot(connect(), out, "command-palette", WIDE, palette)
        await shoot(connect(), out, "empty-result", WIDE, empty)
        await shoot(connect(), out, "live-calls", WIDE, press("a"))
        await shoot(connect(), out, "delete-confirmation", WIDE, delete_one)
        await shoot(connect(), out, "player", WIDE, player)

        bad = RecordingsClient(custom_endpoint(emu.base_url), emu.account_sid, emu.account_sid, "0" * 32,
                               retry=RetryPolicy(attempts=1))
        await shoot(Connection(bad, "Emulator", emu.account_sid, "demo"), out, "api-error", WIDE)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots", help="folder for the SVG files")
    asyncio.run(main(parser.parse_args().out))
