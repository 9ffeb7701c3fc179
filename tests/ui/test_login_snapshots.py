"""Snapshots of the login form (a masked secret; a refusal) and the no-keyring screen, at 80×24
and 120×40.

Accept changes with ``pytest tests/ui/test_login_snapshots.py --snapshot-update`` after looking at
every changed SVG under ``__snapshots__/test_login_snapshots/``.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input, Select

from rec_tui.config import ProfileStore
from tests.keyring_support import login_app, memory_keyring, no_keyring, restore_keyring  # noqa: F401

from ui_support import emulator_config, no_blinking, settle

SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
#: The refusal names the emulator's URL: it listens on this port (others: 47731 lists, 47741 media,
#: 47743 delete, 47732 screenshots).
SNAPSHOT_PORT = 47751


@pytest.fixture(autouse=True)
def empty_home(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))  # no twilio-cli profiles to offer


@pytest.fixture(scope="module")
def fixed_port_emulator():
    from rec_tui.emulator import Emulator

    try:
        emu = Emulator(emulator_config(), port=SNAPSHOT_PORT).start()
    except OSError as exc:  # pragma: no cover - another process holds the port
        pytest.fail(f"port {SNAPSHOT_PORT} is taken ({exc}); the snapshot shows the emulator's URL")
    yield emu
    emu.stop()


def first_run(tmp_path):
    return login_app(ProfileStore(tmp_path / "config"))


async def fill(pilot, selects: dict[str, str], fields: dict[str, str]) -> None:
    screen = pilot.app.screen
    for name, value in selects.items():
        screen.query_one(f"#login-{name}", Select).value = value
        await pilot.pause()
    for name, value in fields.items():
        field = screen.query_one(f"#login-{name}", Input)
        field.value = value
    await pilot.pause()
    field = screen.query_one("#login-secret", Input)
    field.focus()
    field.cursor_position = len(field.value)


@SIZES
def test_login_form_with_a_masked_secret(snap_compare, tmp_path, memory_keyring, fixed_port_emulator, size):
    emu = fixed_port_emulator

    async def run_before(pilot) -> None:
        await settle(pilot)
        await fill(pilot, {"auth_method": "api_key"}, {
            "name": "sydney", "account_sid": emu.account_sid, "api_key_sid": emu.api_key_sid,
            "secret": emu.api_key_secret, "region": "au1", "edge": "sydney"})
        await settle(pilot)
        field = pilot.app.screen.query_one("#login-secret", Input)
        field.cursor_position = len(field.value)  # focusing selected it all
        await pilot.pause()
        no_blinking(pilot)

    assert snap_compare(first_run(tmp_path), terminal_size=size, run_before=run_before)


@SIZES
def test_login_refused(snap_compare, tmp_path, memory_keyring, fixed_port_emulator, size):
    emu = fixed_port_emulator

    async def run_before(pilot) -> None:
        await settle(pilot)
        await fill(pilot, {"provider": "custom"}, {
            "name": "emulator", "account_sid": emu.account_sid, "base_url": emu.base_url,
            "secret": "0" * 32})
        await pilot.press("ctrl+s")
        await settle(pilot)
        no_blinking(pilot)

    assert snap_compare(first_run(tmp_path), terminal_size=size, run_before=run_before)


@SIZES
def test_no_keyring(snap_compare, tmp_path, no_keyring, size):
    async def run_before(pilot) -> None:
        await settle(pilot)
        no_blinking(pilot)

    assert snap_compare(first_run(tmp_path), terminal_size=size, run_before=run_before)
