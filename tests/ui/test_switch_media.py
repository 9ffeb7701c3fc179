"""Media across a profile switch: a running download asks first and is cancelled cleanly before the
old client closes, the player stops and lets go of the device, the downloads panel and the media
cache follow the account.

Two emulators (two accounts) saved as profiles "one" and "two" in an in-memory keyring; the
switch goes through the command palette as a user's does. Transfers are held mid-body by a gate,
so "a download is running" is a state the test controls.
"""

from __future__ import annotations

import pytest
from textual.command import CommandList

from rec_tui.media import FileState
from rec_tui.ui.media import switch_confirmation
from rec_tui.ui.screens.dialogs import ConfirmScreen
from rec_tui.ui.screens.downloads import DownloadsScreen
from rec_tui.ui.screens.recordings import RecordingsScreen
from rec_tui.ui.widgets.player_bar import PlayerBar
from tests.keyring_support import login_app, memory_keyring, restore_keyring, shows, store  # noqa: F401 - fixtures

from media_support import (  # noqa: F401 - cache_root is a fixture
    FakeClock,
    Gate,
    cache_root,
    controller,
    cursor_to,
    fake_player,
    pick,
)
from test_login import saved_profile, wait_for_screen
from ui_support import emulator_config, recordings_screen, settle, until

SIZE = (120, 40)


@pytest.fixture
def accounts(store, memory_keyring):
    """Two accounts, saved as profiles "one" (opened first) and "two"."""
    from rec_tui.emulator import Emulator

    with Emulator(emulator_config(seed=7)) as first, Emulator(emulator_config(seed=8)) as second:
        saved_profile(store, first, "one")
        saved_profile(store, second, "two")
        yield first, second


def media_requests(emu, sid: str) -> list[str]:
    return [target for method, target, _ in emu.request_log if method == "GET" and f"/Recordings/{sid}." in target]


async def ask_to_switch(pilot, name: str = "two") -> None:
    """The palette's "Switch to profile NAME" (waiting for the palette itself, not for every
    worker: a held download is one)."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*f"Switch to profile {name}")
    wanted = f"Switch to profile {name}"

    def offered() -> bool:
        commands = pilot.app.screen.query(CommandList)
        if not commands:
            return False
        options = commands.first()
        return options.highlighted is not None and wanted in str(options.get_option_at_index(0).prompt)

    assert await until(pilot, offered)
    await pilot.press("enter")


async def switch(pilot, name: str = "two") -> None:
    await ask_to_switch(pilot, name)
    await settle(pilot)
    assert pilot.app.connection.profile_name == name


def record_connections(app) -> list:
    """Every connection the app makes from now on (the switch makes one per profile chosen)."""
    made: list = []
    connection_for = app.connection_for
    app.connection_for = lambda profile, secret: made.append(connection_for(profile, secret)) or made[-1]
    return made


async def on_a_recording(pilot, min_duration: int):
    """The list settled, a fake sound card, the cursor on a mono recording of ``min_duration`` s
    or more: (the media controller, the recording)."""
    await settle(pilot)
    media = fake_player(pilot)
    recording = pick(recordings_screen(pilot), channels=1, min_duration=min_duration)[0]
    await cursor_to(pilot, recording)
    return media, recording


def switching(app) -> bool:
    return any(worker.is_running and worker.group in ("profile", "connection") for worker in app.workers)


async def start_held_download(pilot, count: int = 3):
    """``d`` on ``count`` marked recordings: the first finishes, the others stay held mid-body."""
    media = controller(pilot)
    media.clock = FakeClock()
    screen = recordings_screen(pilot)
    quick, *held = pick(screen, channels=1, min_duration=20, count=count)
    gate = Gate(media, {r.sid for r in held})
    for recording in (quick, *held):
        await cursor_to(pilot, recording)
        screen.table.action_toggle_mark()
    await pilot.press("d")
    job = media.job
    await gate.wait_held()
    assert await until(pilot, lambda: job.bulk.statuses[0].state is FileState.DONE)
    await pilot.press("escape")  # hide the panel: the downloads go on
    await pilot.pause()
    assert isinstance(pilot.app.screen, RecordingsScreen) and job.running
    return job, gate, quick, held


async def test_switching_while_downloads_run_asks_first_and_staying_changes_nothing(accounts, store, cache_root):
    first, _ = accounts
    app = login_app(store, start_profile="one")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        job, gate, quick, held = await start_held_download(pilot)
        made = record_connections(app)
        await ask_to_switch(pilot)
        dialog = await wait_for_screen(pilot, ConfirmScreen)
        assert shows(app, "Switch to profile two?", "2 downloads are running for profile one; switching cancels them.")
        assert app.focused is dialog.query_one("#cancel")  # the safe answer has the focus
        await pilot.press("escape")
        assert await until(pilot, lambda: not switching(app))
        # Nothing changed: the same account, its list, its downloads still going.
        assert app.connection.profile_name == "one" and app.connection.account_sid == first.account_sid
        assert isinstance(app.screen, RecordingsScreen)
        assert job.running and controller(pilot).job is job
        assert not app.connection.client._http.is_closed
        assert [c.profile_name for c in made] == ["two"] and made[0].client._http.is_closed  # not kept
        assert any("Still on profile one: switch to profile two" in n.message for n in app._notifications)
        gate.open()
        await settle(pilot)
        assert [s.state for s in job.bulk.statuses] == [FileState.DONE] * 3
        for recording in (quick, *held):
            assert controller(pilot).cache_path(recording).is_file()


async def test_a_confirmed_switch_cancels_the_downloads_before_the_old_client_closes(accounts, store, cache_root):
    first, second = accounts
    app = login_app(store, start_profile="one")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        media = controller(pilot)
        job, gate, quick, held = await start_held_download(pilot)
        old = app.connection
        folder, kept = media.cache.directory, media.cache_path(quick).name
        seen_at_close: list[list[FileState]] = []
        close = old.client.aclose

        async def aclose() -> None:
            seen_at_close.append([s.state for s in job.bulk.statuses])
            await close()

        old.client.aclose = aclose
        await ask_to_switch(pilot)
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("tab", "enter")  # to the Switch button, on purpose
        await settle(pilot)
        assert app.connection.profile_name == "two" and app.connection.account_sid == second.account_sid
        assert old.client._http.is_closed
        # Every download had stopped before the old client closed: cancelled, not failed.
        assert seen_at_close == [[FileState.DONE, FileState.CANCELLED, FileState.CANCELLED]]
        assert not job.running and job.cancel_requested
        # The finished file stays; the cancelled ones left nothing, not even a temporary file.
        assert [p.name for p in folder.iterdir()] == [kept]
        assert not any(n.severity == "error" for n in app._notifications)
        assert any("2 cancelled" in n.message for n in app._notifications)
        # The downloads panel belongs to the new account: no job of the old one in it.
        assert media.job is None
        media.show_downloads()
        await pilot.pause()
        assert isinstance(app.screen, DownloadsScreen)
        assert shows(app, "Nothing downloaded yet")
        gate.open()


async def test_the_switch_stops_the_player_and_releases_the_device(accounts, store, cache_root):
    app = login_app(store, start_profile="one")
    async with app.run_test(size=SIZE) as pilot:
        media, recording = await on_a_recording(pilot, min_duration=3)
        await pilot.press("o")
        await settle(pilot)
        playing = media.backend.music[-1][0]
        assert playing.is_playing() and media.active_bar is not None
        await switch(pilot)  # nothing downloads in the panel: no question asked
        assert playing.stopped and not playing.is_playing()
        assert media.active_bar is None
        assert isinstance(app.screen, RecordingsScreen) and not shows(app, "playing")


async def test_a_recording_being_fetched_for_the_player_is_dropped_with_the_switch(accounts, store, cache_root):
    app = login_app(store, start_profile="one")
    async with app.run_test(size=SIZE) as pilot:
        media, recording = await on_a_recording(pilot, min_duration=20)
        gate = Gate(media, {recording.sid})  # the player's fetch is held mid-body
        await pilot.press("o")
        await gate.wait_held()
        assert app.screen.query_one(PlayerBar).phase == "downloading"
        folder = media.cache.directory
        assert [p for p in folder.iterdir()]  # the partial file
        await ask_to_switch(pilot)  # a player's fetch is no download of the panel: no question
        assert await until(pilot, lambda: app.connection.profile_name == "two" and not switching(app))
        assert list(folder.iterdir()) == [] and media.backend.music == []
        assert not any(n.severity == "error" for n in app._notifications)
        gate.open()


async def test_the_cache_follows_the_account(accounts, store, cache_root):
    first, second = accounts
    app = login_app(store, start_profile="one")
    async with app.run_test(size=SIZE) as pilot:
        media, recording = await on_a_recording(pilot, min_duration=3)
        await pilot.press("d")
        await settle(pilot)
        cached = media.playable_file(recording)
        assert cached is not None and cached.parent == cache_root / first.account_sid
        await pilot.press("escape")
        await switch(pilot)
        assert media.job is None  # its retry would ask account two for account one's recordings
        # Account two has no such file: account one's is not offered (it stays on disk).
        assert media.cache.directory == cache_root / second.account_sid
        assert media.playable_file(recording) is None and cached.is_file()
        await switch(pilot, "one")
        # Back on account one, its file plays without a second request.
        assert media.playable_file(recording) == cached
        await cursor_to(pilot, recording)
        await pilot.press("o")
        await settle(pilot)
        assert media.backend.music and len(media_requests(first, recording.sid)) == 1


def test_one_download_is_named_in_the_singular():
    from rich.text import Text

    dialog = switch_confirmation(1, "profile work", "account AC0123")
    assert dialog.title_text == "Switch to account AC0123?"
    assert isinstance(dialog.body, Text)
    assert dialog.body.plain.startswith("1 download is running for profile work; switching cancels it.")


async def test_a_second_switch_asked_over_the_question_replaces_it(accounts, store, cache_root):
    """The palette still opens over the question: choosing another profile there voids the first
    question (it closes, and the client made for it is closed) and asks about the new one."""
    _, second = accounts
    saved_profile(store, second, "three")
    app = login_app(store, start_profile="one")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        job, gate, _, _ = await start_held_download(pilot)
        made = record_connections(app)
        await ask_to_switch(pilot, "two")
        await wait_for_screen(pilot, ConfirmScreen)
        await ask_to_switch(pilot, "three")
        assert await until(pilot, lambda: shows(app, "Switch to profile three?"))
        assert [c.profile_name for c in made] == ["two", "three"]
        assert await until(pilot, lambda: made[0].client._http.is_closed)  # the void question's client
        assert sum(isinstance(screen, ConfirmScreen) for screen in app.screen_stack) == 1
        assert not shows(app, "Switch to profile two?")
        await pilot.press("tab", "enter")  # Switch
        await settle(pilot)
        assert app.connection.profile_name == "three" and not made[1].client._http.is_closed
        assert not job.running
        assert not any(isinstance(screen, ConfirmScreen) for screen in app.screen_stack)
        gate.open()
