"""``rec-tui login --profile NAME`` (or ``rec-tui --profile NAME login``): the app the CLI builds
opens the login form as NAME's: the name filled in; for a saved profile, its settings, and the
form says that logging in replaces its secret. Driven with Pilot; the full login runs against
the emulator and the throw-away Secret Service (scripts/with-test-session.sh)."""

from __future__ import annotations

import keyring
import pytest
from textual.widgets import Input, Static

from rec_tui import cli
from rec_tui.config import ProfileStore, make_profile
from rec_tui.credentials import SERVICE, Secret, save_secret
from rec_tui.ui.screens.login import LoginScreen
from rec_tui.ui.screens.recordings import RecordingsScreen
from tests.keyring_support import memory_keyring, real_keyring, restore_keyring, shows  # noqa: F401 - fixtures
from tests.cli_support import captured_app, config_dir, home  # noqa: F401 - fixtures (home: autouse)

from ui_support import settle, type_into

SIZE = (100, 32)
ACCOUNT = "AC" + "12" * 16


def env(config_dir) -> dict[str, str]:
    return {"REC_TUI_CONFIG_DIR": str(config_dir)}


def status(screen) -> str:
    return str(screen.query_one("#login-status", Static).content)


@pytest.mark.parametrize("argv", [
    ["login", "--profile", "staging"],
    ["--profile", "staging", "login"],
    ["login", "--profile", "  staging "],  # trimmed, as the form trims what is typed
    ["--profile", "other", "login", "--profile", "staging"],  # the last one given
])
def test_both_spellings_name_the_profile_of_the_login_form(captured_app, config_dir, argv):
    assert cli.main(argv, environ=env(config_dir)) == 0
    (app,) = captured_app
    assert app.login_name == "staging"
    assert app.connection is None and app.start_profile is None  # the login form, not a saved profile


def test_login_without_a_profile_names_none(captured_app, config_dir):
    assert cli.main(["login"], environ=env(config_dir)) == 0
    assert captured_app[0].login_name is None


@pytest.mark.parametrize("name", ["bad name", "_x", "a" * 65, "prod/../x", "  "])
def test_an_impossible_profile_name_is_refused_before_the_form(capsys, captured_app, config_dir, name):
    assert cli.main(["login", "--profile", name], environ=env(config_dir)) == 2
    err = capsys.readouterr().err
    assert err.startswith("rec-tui: login --profile: ")
    assert ("1–64 letters" in err) or ("give the profile a name" in err)
    assert captured_app == []


async def test_a_new_name_is_filled_in_and_the_form_asks_for_the_account(captured_app, config_dir, memory_keyring):
    store = ProfileStore(config_dir)
    store.add(make_profile("prod", "twilio", account_sid=ACCOUNT))
    store.save()
    assert cli.main(["login", "--profile", "staging"], environ=env(config_dir)) == 0
    (app,) = captured_app
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LoginScreen) and screen.prefill is None
        assert screen.query_one("#login-name", Input).value == "staging"
        assert screen.query_one("#login-account_sid", Input).value == ""
        assert app.focused is screen.query_one("#login-account_sid")
        assert "exists" not in status(screen)


async def test_an_existing_name_opens_its_settings_and_logging_in_replaces_its_secret(
        captured_app, config_dir, emulator, real_keyring):
    store = ProfileStore(config_dir)
    profile = store.add(make_profile("work", "custom", account_sid=emulator.account_sid, base_url=emulator.base_url))
    store.add(make_profile("prod", "twilio", account_sid=ACCOUNT), make_default=True)
    store.save()
    save_secret(profile, Secret("the-old-token"))

    assert cli.main(["login", "--profile", "work"], environ=env(config_dir)) == 0
    (app,) = captured_app
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LoginScreen) and screen.prefill == profile
        assert screen.query_one("#login-name", Input).value == "work"
        assert screen.query_one("#login-base_url", Input).value == emulator.base_url
        assert app.focused is screen.query_one("#login-secret")
        assert status(screen) == ("Profile work exists: logging in replaces its Auth Token in the OS keyring "
                                  "(and its settings).")
        assert shows(app, "Profile work exists: logging in replaces its Auth Token")

        await type_into(pilot, "#login-secret", emulator.auth_token)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RecordingsScreen)
        assert app.connection.profile_name == "work"

    assert keyring.get_password(SERVICE, "profile:work") == emulator.auth_token
    saved = ProfileStore(config_dir).load()
    assert saved.names() == ["work", "prod"] and saved.default == "work"
    assert saved.get("work") == profile
