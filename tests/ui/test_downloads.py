"""Downloads through Pilot: ``d`` (the row or the marked rows), ``s`` (save as), the downloads panel
with its overall progress (bytes, rate, ETA), per-file states, cancel with one key, failures
listed at the end, retry, and downloads that go on while the panel is hidden.

Transfers come from the emulator; a gate holds chosen ones mid-body, so "in progress" is a state
the test controls, and a fake clock makes rates and ETAs exact.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from textual.widgets import DataTable, Input, ProgressBar, Select

from rec_tui.emulator import FaultConfig
from rec_tui.media import FileState
from rec_tui.ui.commands import RecTuiCommands
from rec_tui.ui.media import format_bytes
from rec_tui.ui.screens.downloads import DownloadsScreen
from rec_tui.ui.screens.save_as import SaveAsScreen

from media_support import (  # noqa: F401 - cache_root is a fixture
    FakeClock,
    Gate,
    cache_root,
    controller,
    cursor_to,
    pick,
    wait_for_bulk,
)
from ui_support import recordings_screen, settle

NAME = re.compile(r"RE[0-9a-f]{32}_\d{4}-\d{2}-\d{2}(_ch[12])?\.(wav|mp3)")


def served(emulator_data, sid: str, ext: str = "wav", channels: int | None = None) -> bytes:
    params = {"RequestedChannels": channels} if channels else None
    response = emulator_data.http.get(f"{emulator_data.root}/Recordings/{sid}.{ext}", params=params)
    response.raise_for_status()
    return response.content


def media_requests(emu, sid: str) -> list[str]:
    return [target for method, target, _ in emu.request_log if method == "GET" and f"/Recordings/{sid}." in target]


def panel(pilot) -> DownloadsScreen:
    screen = pilot.app.screen
    assert isinstance(screen, DownloadsScreen), f"expected the downloads panel, got {screen!r}"
    return screen


def rows(screen: DownloadsScreen) -> dict[str, list[str]]:
    """Short SID → the row's cells as text."""
    table = screen.query_one("#downloads-files", DataTable)
    out = {}
    for key in table.rows:
        cells = [str(cell) for cell in table.get_row(key)]
        out[cells[0]] = cells
    return out


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector).content)


async def mark(pilot, recordings) -> None:
    table = recordings_screen(pilot).table
    for recording in recordings:
        await cursor_to(pilot, recording)
        table.action_toggle_mark()
    await pilot.pause()


def short(sid: str) -> str:
    return f"{sid[:6]}…{sid[-4:]}"


# -- d -----------------------------------------------------------------------------------------


async def test_d_downloads_the_row_under_the_cursor(emulator, emulator_data, make_app, cache_root):
    app = make_app(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        media = controller(pilot)
        recording = pick(recordings_screen(pilot), min_duration=3)[0]
        await cursor_to(pilot, recording)
        await pilot.press("d")
        await settle(pilot)
        screen = panel(pilot)
        path = media.cache_path(recording)
        assert NAME.fullmatch(path.name) and path.parent == cache_root / emulator.account_sid
        assert path.read_bytes() == served(emulator_data, recording.sid)
        assert text_of(screen, "#downloads-title") == "Downloaded 1 recording to the cache"
        size = format_bytes(path.stat().st_size)
        assert text_of(screen, "#downloads-summary").startswith(f"{size} of {size} · 1 of 1 files · 1 saved")
        assert rows(screen)[short(recording.sid)][1:3] == ["downloaded", size]
        assert rows(screen)[short(recording.sid)][4] == recording.date_created.date().isoformat()
        bar = screen.query_one("#downloads-progress", ProgressBar)
        assert bar.percentage == 1.0
        assert not screen.query_one("#downloads-failures").display
        # Again: already in the cache, no second request.
        await pilot.press("escape", "d")
        await settle(pilot)
        assert rows(panel(pilot))[short(recording.sid)][1] == "in cache"
        assert len(media_requests(emulator, recording.sid)) == 1


async def test_marked_rows_one_failure_listed_at_the_end_completed_kept_then_retried(
        emulator, emulator_data, make_app, cache_root):
    app = make_app(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        media = controller(pilot)
        screen = recordings_screen(pilot)
        good_a, bad, good_b = pick(screen, min_duration=3, count=3)
        live = next(r for r in screen.table.all_recordings if r.status == "in-progress")
        emulator.faults = FaultConfig(error_rate=1.0, paths=(rf"/Recordings/{bad.sid}\.wav$",))
        await mark(pilot, [good_a, bad, live, good_b])
        await pilot.press("d")
        await settle(pilot)
        downloads = panel(pilot)
        job = media.job
        assert [s.sid for s in job.bulk.statuses] == [r.sid for r in screen.table.all_recordings
                                                      if r.sid in {good_a.sid, bad.sid, good_b.sid}]
        shown = rows(downloads)
        assert shown[short(good_a.sid)][1] == shown[short(good_b.sid)][1] == "downloaded"
        assert shown[short(bad.sid)][1] == "failed"
        assert re.fullmatch(r"HTTP 50[03] · error \d+", shown[short(bad.sid)][3])
        for recording in (good_a, good_b):
            assert media.cache_path(recording).read_bytes() == served(emulator_data, recording.sid)
        assert not media.cache_path(bad).exists()
        assert sorted(p.name for p in media.cache.directory.iterdir()) == sorted(
            media.cache_path(r).name for r in (good_a, good_b))  # no temporary file left
        summary = text_of(downloads, "#downloads-summary")
        assert "3 of 3 files · 2 saved · 1 failed · 1 skipped" in summary
        failures = text_of(downloads, "#downloads-failures")
        assert failures.startswith("Failed (1) — r retries them:\n  " + bad.sid)
        assert "Skipped (1), nothing to download:\n  " + live.sid + "  no media: the recording is in-progress" in failures
        assert any(n.severity == "error" and "2 of 3 saved to the cache · 1 failed" in n.message
                   for n in app._notifications)

        emulator.faults = FaultConfig()
        await pilot.press("r")
        await settle(pilot)
        retried = panel(pilot)
        assert [s.sid for s in media.job.bulk.statuses] == [bad.sid]
        assert rows(retried)[short(bad.sid)][1] == "downloaded"
        assert media.cache_path(bad).read_bytes() == served(emulator_data, bad.sid)
        assert not retried.query_one("#downloads-failures").display


async def test_progress_rate_eta_and_cancel_with_one_key(emulator, make_app, cache_root):
    app = make_app(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        media = controller(pilot)
        clock = media.clock = FakeClock(1000.0)
        quick, *held = pick(recordings_screen(pilot), channels=1, min_duration=20, count=3)
        gate = Gate(media, {r.sid for r in held})
        await mark(pilot, [quick, *held])
        await pilot.press("d")
        job = media.job
        await gate.wait_held()
        await wait_for_bulk(job.bulk, lambda b: b.statuses[0].state is FileState.DONE)
        clock.now += 10.0
        downloads = panel(pilot)
        downloads.flush()
        await pilot.pause()

        progress = job.bulk.progress()
        quick_size = media.cache_path(quick).stat().st_size
        assert progress.bytes_done == quick_size + 2 * 64 * 1024
        shown = rows(downloads)
        assert shown[short(quick.sid)][1] == "downloaded"
        for recording in held:
            state, moved = shown[short(recording.sid)][1:3]
            assert state == "downloading" and moved.startswith("65.5 KB of ")
        summary = text_of(downloads, "#downloads-summary")
        rate = progress.bytes_done / 10.0
        assert summary.startswith(f"{format_bytes(progress.bytes_done)} of {format_bytes(progress.bytes_known)}"
                                  f" · {format_bytes(rate)}/s · ETA ")
        assert "1 of 3 files · 1 saved" in summary
        eta = (progress.bytes_known - progress.bytes_done) / rate
        assert f"ETA {int(eta) // 60}:{int(eta) % 60:02d}" in summary
        bar = downloads.query_one("#downloads-progress", ProgressBar)
        assert bar.progress == progress.bytes_done and bar.total == progress.bytes_known
        assert text_of(downloads, "#downloads-title") == "Downloading 3 recordings to the cache"

        await pilot.press("c")  # one key cancels everything
        await settle(pilot)
        assert not job.running
        shown = rows(downloads)
        assert [shown[short(r.sid)][1] for r in held] == ["cancelled", "cancelled"]
        assert shown[short(quick.sid)][1] == "downloaded"
        assert text_of(downloads, "#downloads-title") == "Cancelled: downloading 3 recordings to the cache"
        # The finished file is kept; the cancelled ones left nothing, not even a temporary file.
        assert [p.name for p in media.cache.directory.iterdir()] == [media.cache_path(quick).name]
        assert any(n.severity == "warning" and "2 cancelled" in n.message for n in app._notifications)
        gate.open()


async def test_hidden_panel_keeps_downloading_and_comes_back(emulator, make_app, cache_root):
    app = make_app(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        media = controller(pilot)
        recording = pick(recordings_screen(pilot), min_duration=20)[0]
        gate = Gate(media, {recording.sid})
        await cursor_to(pilot, recording)
        await pilot.press("d")
        await gate.wait_held()
        await pilot.press("escape")
        assert not isinstance(app.screen, DownloadsScreen) and media.job.running
        # d while a job runs does not start another: it shows the running one.
        await pilot.press("d")
        await pilot.pause()
        assert panel(pilot).job is media.job
        assert any("still running" in n.message for n in app._notifications)
        await pilot.press("escape")
        await pilot.pause()
        commands = {c.name: c for c in RecTuiCommands(app.screen)._commands()}
        assert commands["Downloads"].help == "Downloading 1 recording to the cache"
        gate.open()
        await settle(pilot)
        assert media.cache_path(recording).is_file() and not media.job.running
        commands["Downloads"].callback()
        await pilot.pause()
        assert rows(panel(pilot))[short(recording.sid)][1] == "downloaded"


async def test_nothing_to_download_for_a_recording_without_media(emulator, make_app, cache_root):
    app = make_app(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = recordings_screen(pilot)
        live = next(r for r in screen.table.all_recordings if r.status == "in-progress")
        await cursor_to(pilot, live)
        await pilot.press("d")
        await pilot.pause()
        assert app.screen is screen and controller(pilot).job is None
        assert any(n.message == "Nothing to download: no media: the recording is in-progress."
                   for n in app._notifications)
        assert media_requests(emulator, live.sid) == []


async def test_the_panel_without_a_download(emulator, make_app, cache_root):
    app = make_app(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        controller(pilot).show_downloads()
        await pilot.pause()
        assert text_of(panel(pilot), "#downloads-summary").startswith("Nothing downloaded yet")
        await pilot.press("c", "r", "escape")  # nothing to cancel or retry: harmless
        assert app.screen is recordings_screen(pilot)


# -- s -----------------------------------------------------------------------------------------


async def save_as(pilot, directory: Path | str, *, fmt: str = "wav", channels: int = 0) -> SaveAsScreen:
    await pilot.press("s")
    await pilot.pause()
    dialog = pilot.app.screen
    assert isinstance(dialog, SaveAsScreen)
    dialog.query_one("#save-directory", Input).value = str(directory)
    dialog.query_one("#save-format", Select).value = fmt
    dialog.query_one("#save-channels", Select).value = channels
    await pilot.pause()
    dialog.query_one("#save-directory", Input).focus()
    await pilot.press("enter")
    await pilot.pause()
    return dialog


async def test_save_as_copies_what_is_cached_and_downloads_the_rest(
        emulator, emulator_data, make_app, cache_root, tmp_path):
    target = tmp_path / "saved"
    target.mkdir()
    app = make_app(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        media = controller(pilot)
        cached, fresh = pick(recordings_screen(pilot), min_duration=3, count=2)
        await cursor_to(pilot, cached)
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("escape")
        await mark(pilot, [cached, fresh])
        await save_as(pilot, target)
        await settle(pilot)
        downloads = panel(pilot)
        names = sorted(p.name for p in target.iterdir())
        assert names == sorted(media.cache_path(r).name for r in (cached, fresh))
        for recording in (cached, fresh):
            assert (target / media.cache_path(recording).name).read_bytes() == served(emulator_data, recording.sid)
        assert len(media_requests(emulator, cached.sid)) == 1  # copied from the cache
        assert len(media_requests(emulator, fresh.sid)) == 1
        assert not media.cache_path(fresh).exists()  # save as does not fill the cache
        shown = rows(downloads)
        size = format_bytes((target / media.cache_path(cached).name).stat().st_size)
        assert shown[short(cached.sid)][1:4] == ["saved", size, "copied from the cache"]
        assert shown[short(fresh.sid)][1:4:2] == ["saved", ""]
        assert text_of(downloads, "#downloads-title") == f"Downloaded 2 recordings to {target.resolve()}"
        assert media.job.copied == {cached.sid} and media.last_directory == target.resolve()
        # Again into the same directory: both are there already and kept as they are.
        await pilot.press("escape")
        await save_as(pilot, target)
        await settle(pilot)
        shown = rows(panel(pilot))
        assert [shown[short(r.sid)][3] for r in (cached, fresh)] == ["already there: kept"] * 2
        assert len(media_requests(emulator, fresh.sid)) == 1


async def test_save_as_mp3_with_both_legs(emulator, emulator_data, make_app, cache_root, tmp_path):
    app = make_app(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        recording = pick(recordings_screen(pilot), channels=2, min_duration=3)[0]
        await cursor_to(pilot, recording)
        await save_as(pilot, tmp_path, fmt="mp3", channels=2)
        await settle(pilot)
        [saved] = [p for p in tmp_path.iterdir() if p.suffix == ".mp3"]
        assert NAME.fullmatch(saved.name) and saved.name.endswith("_ch2.mp3")
        assert saved.read_bytes() == served(emulator_data, recording.sid, "mp3", 2)
        assert media_requests(emulator, recording.sid)[-1].endswith(".mp3?RequestedChannels=2")


async def test_save_as_dual_of_a_single_channel_recording_explains_the_404(
        emulator, make_app, cache_root, tmp_path):
    app = make_app(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = recordings_screen(pilot)
        single = [r for r in screen.table.all_recordings if r.status == "completed" and r.channels == 1
                  and r.source in ("Conference", "StartConferenceRecordingAPI", "RecordVerb")]
        if not single:
            pytest.skip("no <Conference>/<Record> recording among the loaded rows")
        await cursor_to(pilot, single[0])
        await save_as(pilot, tmp_path, channels=2)
        await settle(pilot)
        failures = text_of(panel(pilot), "#downloads-failures")
        assert "HTTP 404" in failures or "not found" in failures.lower()
        assert "no dual-channel file: <Conference> and <Record> recordings have one channel" in failures
        assert list(tmp_path.iterdir()) == []


async def test_save_as_refuses_a_directory_that_is_not_there(emulator, make_app, cache_root, tmp_path):
    app = make_app(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await cursor_to(pilot, pick(recordings_screen(pilot), min_duration=3)[0])
        dialog = await save_as(pilot, tmp_path / "nope")
        assert app.screen is dialog
        error = dialog.query_one("#save-error")
        assert error.display and str(error.content) == f"{tmp_path / 'nope'} is not an existing directory"
        await pilot.press("x")  # editing the field clears the message
        assert not error.display
        assert controller(pilot).job is None
        await pilot.press("escape")
        assert app.screen is recordings_screen(pilot) and controller(pilot).job is None
