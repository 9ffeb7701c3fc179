"""Deleting from the recordings list (``x``): one confirmation, progress, each failure reported.

Driven through Pilot over the emulator; what was really deleted is read from the emulator's
store and request log, never from the code under test.
"""

from __future__ import annotations

import re

import pytest
from textual.widgets import ProgressBar

from rec_tui.api import RecordingFilter
from rec_tui.emulator import FaultConfig
from rec_tui.ui.app import RecTuiApp
from rec_tui.ui.formatting import format_date, format_duration
from rec_tui.ui.screens.delete import DeleteProgressScreen, show_result
from rec_tui.ui.screens.dialogs import ConfirmScreen

from ui_support import emulator_config, no_blinking, recordings_screen, settle

from datetime import timezone


def notes(app: RecTuiApp, severity: str | None = None) -> list[str]:
    return [f"{n.title}\n{n.message}" for n in app._notifications if severity is None or n.severity == severity]


def deletes(emu) -> list[str]:
    return [path for method, path, _ in emu.request_log if method == "DELETE"]


def deleted_in_store(emu) -> set[str]:
    return {sid for sid, r in emu.store.recordings.items() if r.status == "deleted"}


def loaded(screen, status: str | None = None, count: int | None = None):
    rows = [r for r in screen.table.all_recordings if status is None or r.status == status]
    return rows if count is None else rows[:count]


async def put_cursor(pilot, sid: str) -> None:
    screen = recordings_screen(pilot)
    assert screen.table.move_cursor_to_sid(sid)
    await pilot.pause()


async def mark(pilot, sids) -> None:
    for sid in sids:
        await put_cursor(pilot, sid)
        await pilot.press("space")
    await pilot.pause()


def body_text(app) -> str:
    return str(app.screen.query_one("#confirm-body").render())


# -- one recording ---------------------------------------------------------------------------------


async def test_delete_asks_naming_sid_date_duration_then_deletes(emulator, make_app):
    app = make_app(emulator)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        screen = recordings_screen(pilot)
        target = loaded(screen, "completed")[2]
        before = deleted_in_store(emulator)
        await put_cursor(pilot, target.sid)
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        body = body_text(app)
        assert target.sid in body
        assert format_date(target.date_created, timezone.utc) in body
        assert f"duration {format_duration(target.duration)}" in body
        assert "cannot be recovered" in body
        assert app.focused.id == "cancel"
        assert deletes(emulator) == []
        await pilot.press("left", "enter")
        await settle(pilot)
        assert app.screen is screen
        assert deletes(emulator) == [f"/2010-04-01/Accounts/{emulator.account_sid}/Recordings/{target.sid}.json"]
        assert deleted_in_store(emulator) - before == {target.sid}
        assert target.sid not in {r.sid for r in screen.table.all_recordings}
        assert any(f"Deleted {target.sid}" in n for n in notes(app, "information"))
        assert screen.detail.recording is not None and screen.detail.recording.sid != target.sid


@pytest.mark.parametrize("keys", [("escape",), ("enter",), ("left", "right", "enter")],
                         ids=["escape", "enter-on-cancel", "back-to-cancel"])
async def test_cancelling_the_confirmation_deletes_nothing(emulator, make_app, keys):
    app = make_app(emulator)
    async with app.run_test(notifications=True) as pilot:
        await settle(pilot)
        screen = recordings_screen(pilot)
        target = loaded(screen, "completed")[0]
        await put_cursor(pilot, target.sid)
        await pilot.press("delete")  # the other key for it
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press(*keys)
        await settle(pilot)
        assert app.screen is screen
        assert deletes(emulator) == []
        assert emulator.store.recordings[target.sid].status == "completed"
        assert target.sid in {r.sid for r in screen.table.all_recordings}
        assert any("Nothing deleted" in n for n in notes(app))


async def test_a_recording_that_is_not_completed_cannot_be_deleted(emulator, make_app):
    app = make_app(emulator)
    async with app.run_test(notifications=True) as pilot:
        await settle(pilot)
        screen = recordings_screen(pilot)
        live = next(r for r in screen.table.all_recordings if r.status == "in-progress")
        await put_cursor(pilot, live.sid)
        await pilot.press("x")
        await settle(pilot)
        assert app.screen is screen  # no confirmation: there is nothing it could delete
        assert deletes(emulator) == []
        assert any(f"{live.sid} is in-progress: only completed recordings can be deleted" in n
                   for n in notes(app, "warning"))


async def test_a_refused_delete_shows_twilios_code_and_message(emulator, make_app):
    app = make_app(emulator)
    async with app.run_test(notifications=True) as pilot:
        await settle(pilot)
        screen = recordings_screen(pilot)
        target = loaded(screen, "completed")[0]
        # Someone else deletes it first: the app's delete meets the 404 the API answers.
        with emulator.store.lock:
            emulator.store.delete_recording(emulator.store.recordings[target.sid], emulator.store.now)
        await put_cursor(pilot, target.sid)
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("left", "enter")
        await settle(pilot)
        progress = app.screen
        assert isinstance(progress, DeleteProgressScreen)  # it stays open to report
        report = str(progress.query_one("#delete-failure-list").render())
        assert target.sid in report and "Error 20404 · HTTP 404" in report
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        errors = notes(app, "error")
        assert errors and "Error 20404" in errors[-1] and target.sid in errors[-1]
        assert target.sid in {r.sid for r in screen.table.all_recordings}  # nothing claimed


# -- several ---------------------------------------------------------------------------------------


async def test_bulk_delete_with_one_failure(emulator, make_app):
    app = make_app(emulator)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        screen = recordings_screen(pilot)
        targets = loaded(screen, "completed", 4)
        live = next(r for r in screen.table.all_recordings if r.status == "in-progress")
        failing = targets[1]
        emulator.faults = FaultConfig(error_rate=1.0, methods=("DELETE",),
                                      paths=(re.escape(f"/Recordings/{failing.sid}.json") + "$",))
        before = deleted_in_store(emulator)
        await mark(pilot, [t.sid for t in targets] + [live.sid])
        assert screen.table.marked_sids == {t.sid for t in targets} | {live.sid}
        assert "5 marked" in screen.status.message
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        body = body_text(app)
        assert "4 recordings" in body and "cannot be recovered" in body
        assert all(t.sid in body for t in targets)
        assert f"Left alone, not completed: {live.sid} (in-progress)" in body
        assert str(app.screen.query_one("#confirm").label) == "Delete 4"
        await pilot.press("left", "enter")
        await settle(pilot)

        progress = app.screen
        assert isinstance(progress, DeleteProgressScreen)
        bar = progress.query_one("#delete-progress", ProgressBar)
        assert (bar.total, bar.progress) == (4, 4)
        assert str(progress.query_one("#delete-title").render()) == "Deleted 3 of 4 · 1 failed"
        report = str(progress.query_one("#delete-failure-list").render())
        assert failing.sid in report and re.search(r"Error 205(00|03) · HTTP 50[03]", report)
        assert all(t.sid not in report for t in targets if t is not failing)
        # Exactly the three others went; nothing else was touched.
        assert deleted_in_store(emulator) - before == {t.sid for t in targets if t is not failing}
        assert emulator.store.recordings[failing.sid].status == "completed"
        assert emulator.store.recordings[live.sid].status == "in-progress"
        assert sorted(deletes(emulator)) == sorted(
            f"/2010-04-01/Accounts/{emulator.account_sid}/Recordings/{t.sid}.json" for t in targets)

        await pilot.press("enter")  # Close has the focus
        await settle(pilot)
        assert app.screen is screen
        shown = {r.sid for r in screen.table.all_recordings}
        assert shown & {t.sid for t in targets} == {failing.sid}
        assert screen.table.marked_sids == {failing.sid, live.sid}  # a retry is one x away
        assert any("Deleted 3 recordings" in n for n in notes(app, "information"))
        errors = notes(app, "error")
        assert len(errors) == 1 and failing.sid in errors[0]


async def test_bulk_delete_in_a_list_with_soft_deleted_recordings_keeps_the_rows(emulator, make_app):
    app = make_app(emulator)
    async with app.run_test(notifications=True) as pilot:
        await settle(pilot)
        screen = recordings_screen(pilot)
        screen.apply_filter(RecordingFilter(include_soft_deleted=True))
        await settle(pilot)
        targets = loaded(screen, "completed", 3)
        await mark(pilot, [t.sid for t in targets])
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("left", "enter")
        await settle(pilot)
        assert app.screen is screen  # everything went: the progress dialog closed by itself
        rows = {r.sid: r for r in screen.table.all_recordings}
        assert all(rows[t.sid].status == "deleted" for t in targets)
        assert screen.table.marked_sids == frozenset()
        assert "marked" not in screen.status.message


async def test_a_bulk_delete_can_be_stopped_and_leaves_the_rest_alone(make_app):
    from rec_tui.emulator import Emulator

    # Slow deletes, so that the stop arrives while they are under way.
    config = emulator_config(faults=FaultConfig(latency_s=0.3, methods=("DELETE",)))
    with Emulator(config) as emulator:
        app = make_app(emulator)
        async with app.run_test(notifications=True) as pilot:
            await settle(pilot)
            screen = recordings_screen(pilot)
            targets = loaded(screen, "completed", 10)
            await mark(pilot, [t.sid for t in targets])
            # What x and the confirmation open (pushed here: a key press waits for the whole run).
            progress = DeleteProgressScreen(targets)
            await app.push_screen(progress, lambda report: show_result(screen, report))
            await pilot.press("escape")  # stop
            await settle(pilot)
            report = progress.report
            assert report is not None and not report.failed
            assert len(report.deleted) + len(report.not_attempted) == 10
            assert len(report.not_attempted) >= 6  # at most the first few were under way
            assert "left alone (stopped)" in str(progress.query_one("#delete-title").render())
            went = {r.sid for r in report.deleted}
            assert deleted_in_store(emulator) & {t.sid for t in targets} == went
            await pilot.press("escape")
            await settle(pilot)
            assert screen.table.marked_sids == {r.sid for r in report.not_attempted}
            assert any("not sent (stopped)" in n for n in notes(app, "warning"))


async def test_nothing_marked_is_completed(emulator, make_app):
    app = make_app(emulator)
    async with app.run_test(notifications=True) as pilot:
        await settle(pilot)
        screen = recordings_screen(pilot)
        busy = [r for r in screen.table.all_recordings if r.status in ("in-progress", "paused", "processing")][:2]
        await mark(pilot, [r.sid for r in busy])
        await pilot.press("x")
        await settle(pilot)
        assert app.screen is screen and deletes(emulator) == []
        assert any("None of the 2 marked recordings is completed" in n for n in notes(app, "warning"))


# -- snapshots -------------------------------------------------------------------------------------

SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
#: The list's detail pane shows media URLs, which name the port: a fixed one of our own.
SNAPSHOT_PORT = 47743


@pytest.fixture(scope="module")
def snapshot_emulator():
    from rec_tui.emulator import Emulator

    try:
        emu = Emulator(emulator_config(), port=SNAPSHOT_PORT).start()
    except OSError as exc:  # pragma: no cover - another process holds the port
        pytest.fail(f"port {SNAPSHOT_PORT} is taken ({exc}); the snapshots need it for stable media URLs")
    yield emu
    emu.stop()


def confirm_delete(count: int):
    async def run_before(pilot) -> None:
        await settle(pilot)
        screen = recordings_screen(pilot)
        targets = loaded(screen, "completed", max(count, 1))
        if count == 1:
            await put_cursor(pilot, targets[0].sid)
        else:
            await mark(pilot, [t.sid for t in targets])
        await pilot.press("x")
        await settle(pilot)
        no_blinking(pilot)

    return run_before


@SIZES
def test_snapshot_delete_confirmation(snap_compare, snapshot_emulator, make_app, size):
    assert snap_compare(make_app(snapshot_emulator), terminal_size=size, run_before=confirm_delete(1))


def test_snapshot_bulk_delete_confirmation(snap_compare, snapshot_emulator, make_app):
    assert snap_compare(make_app(snapshot_emulator), terminal_size=(120, 40), run_before=confirm_delete(8))


# -- from a recording's screen ---------------------------------------------------------------------


async def open_recording(pilot, pick):
    """The list loaded, then the recording ``pick(rows)`` chooses opened: (list, recording, its screen)."""
    from rec_tui.ui.screens.recording import RecordingScreen

    await settle(pilot)
    screen = recordings_screen(pilot)
    target = pick(screen.table.all_recordings)
    await put_cursor(pilot, target.sid)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, RecordingScreen) and pilot.app.screen.recording.sid == target.sid
    return screen, target, pilot.app.screen


async def test_delete_from_the_recording_screen_updates_it_and_the_list_behind(emulator, make_app):
    app = make_app(emulator)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen, target, shown = await open_recording(pilot, lambda rows: [r for r in rows if r.status == "completed"][1])
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen) and target.sid in body_text(app)
        assert deletes(emulator) == []
        await pilot.press("left", "enter")
        await settle(pilot)
        assert app.screen is shown
        assert deletes(emulator) == [f"/2010-04-01/Accounts/{emulator.account_sid}/Recordings/{target.sid}.json"]
        assert emulator.store.recordings[target.sid].status == "deleted"
        # The screen shows it as the API now does (re-read with IncludeSoftDeleted) ...
        assert shown.recording.status == "deleted"
        assert "deleted" in shown.fields.plain_text
        # ... and the list behind no longer lists it.
        assert target.sid not in {r.sid for r in screen.table.all_recordings}
        assert any(f"Deleted {target.sid}" in n for n in notes(app, "information"))


async def test_delete_from_the_recording_screen_refuses_a_recording_that_is_not_completed(emulator, make_app):
    app = make_app(emulator)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        _, target, shown = await open_recording(
            pilot, lambda rows: next(r for r in rows if r.status in ("in-progress", "processing", "absent")))
        await pilot.press("x")
        await settle(pilot)
        assert app.screen is shown
        assert deletes(emulator) == []
        assert any("only completed recordings can be deleted" in n for n in notes(app, "warning"))
