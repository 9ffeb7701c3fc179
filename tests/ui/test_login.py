"""The login form, the start screen, profile switching, the keyring screens and the twilio-cli
import, driven with Pilot against the emulator and the throw-away Secret Service
(scripts/with-test-session.sh).
"""

from __future__ import annotations

import json

import keyring
import pytest
from textual.widgets import Input, Select, Static

from rec_tui.config import ProfileStore, make_profile
from rec_tui.credentials import SERVICE, Secret, save_secret
from rec_tui.ui.screens.keyring import NoKeyringScreen, PlaintextKeyringScreen
from rec_tui.ui.screens.login import LoginScreen, TwilioImportScreen
from rec_tui.ui.screens.recordings import RecordingsScreen
from rec_tui.ui.screens.start import StartScreen
from tests.cli_support import home  # noqa: F401 - autouse: a home of its own
from tests.keyring_support import (  # noqa: F401 - fixtures
    ToEmulator,
    login_app,
    no_keyring,
    plaintext_keyring,
    real_keyring,
    restore_keyring,
    shows,
    store,
    svg_text,
    write_twilio_cli_config,
)

from ui_support import emulator_config, settle, type_into

SIZE = (100, 32)


async def fill_form(pilot, **values) -> None:
    """Set the provider/auth selects, type the secret and short fields key by key like a user;
    long SIDs and URLs are pasted (set at once: typing them adds nothing but time)."""
    screen = pilot.app.screen
    assert isinstance(screen, LoginScreen)
    for name in ("provider", "auth_method"):
        if name in values:
            screen.query_one(f"#login-{name}", Select).value = values.pop(name)
            await pilot.pause()
    for name, text in values.items():
        field = screen.query_one(f"#login-{name}", Input)
        field.value = ""
        if name == "secret" or len(text) <= 12:
            await type_into(pilot, f"#login-{name}", text)
        else:
            field.focus()
            field.insert_text_at_cursor(text)
        await pilot.pause()


def field_error(screen, name: str) -> str:
    widget = screen.query_one(f"#error-{name}", Static)
    return str(widget.content) if widget.display else ""


async def log_in_to(pilot, emu, *, name="work", token=None, settled=True) -> None:
    await fill_form(pilot, name=name, provider="custom", account_sid=emu.account_sid, base_url=emu.base_url,
                    secret=token if token is not None else emu.auth_token)
    await pilot.press("ctrl+s")
    if settled:
        await settle(pilot)


async def wait_for_screen(pilot, kind, rounds: int = 500):
    """For a question asked from inside a worker: ``settle`` would wait for that worker, which
    waits for the answer."""
    for _ in range(rounds):
        if isinstance(pilot.app.screen, kind):
            await pilot.pause()
            return pilot.app.screen
        await pilot.pause(0.02)
    raise AssertionError(f"{kind.__name__} did not open; the screen is {pilot.app.screen!r}")


# -- first run ---------------------------------------------------------------------------------


async def test_first_run_wrong_token_is_refused_with_the_services_message_then_the_right_one_saves(
        emulator, store, real_keyring):
    app = login_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert app.screen.query_one("#login-name", Input).value == "default"  # the first profile's name

        await log_in_to(pilot, emulator, token="not-the-token")
        assert isinstance(app.screen, LoginScreen)
        status = str(app.screen.query_one("#login-status", Static).content)
        assert "refused these credentials" in status and "Authenticate" in status and "20003" in status
        assert not store.path.exists()  # nothing saved
        assert keyring.get_password(SERVICE, "profile:work") is None

        await fill_form(pilot, secret=emulator.auth_token)
        await pilot.press("enter")  # enter in a field logs in too
        await settle(pilot)
        assert isinstance(app.screen, RecordingsScreen)
        assert app.screen.table.loaded_count > 0
        header = svg_text(app.export_screenshot())
        assert "profile work" in header and "connected" in header

    saved = ProfileStore(store.config_dir).load()
    assert saved.default == "work"
    assert saved.get("work") == make_profile("work", "custom", account_sid=emulator.account_sid,
                                             base_url=emulator.base_url)
    assert emulator.auth_token not in store.path.read_text()
    assert keyring.get_password(SERVICE, "profile:work") == emulator.auth_token


async def test_fields_are_checked_for_the_provider_before_any_request(emulator, store, real_keyring):
    transport = ToEmulator(emulator)
    app = login_app(store, transport=transport)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        await fill_form(pilot, account_sid="AC123", region="AU1!", secret="x")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "34 characters" in field_error(screen, "account_sid")
        assert "region" in field_error(screen, "region")
        assert app.focused is screen.query_one("#login-account_sid")
        assert transport.hosts == []

        # SignalWire: a Project ID (UUID) and a space; no region, edge or auth method.
        await fill_form(pilot, provider="signalwire")
        assert str(screen.query_one("#label-account_sid").content) == "Project ID"
        assert str(screen.query_one("#label-secret").content) == "API token"
        assert not screen.query_one("#row-region").display and not screen.query_one("#row-auth_method").display
        assert screen.query_one("#row-space").display
        await fill_form(pilot, account_sid=emulator.account_sid, space="my space", secret="x")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "UUID" in field_error(screen, "account_sid")
        assert "space name" in field_error(screen, "space")
        assert transport.hosts == []

        # Typing into a marked field clears its message.
        await fill_form(pilot, space="example")
        assert field_error(screen, "space") == ""
        assert "https://example.signalwire.com/api/laml/2010-04-01" in svg_text(app.export_screenshot())

        # An API key: its SID field appears and the secret is called what it is.
        await fill_form(pilot, provider="twilio", auth_method="api_key")
        assert screen.query_one("#row-api_key_sid").display
        assert str(screen.query_one("#label-secret").content) == "API key secret"
    await transport.close()


async def test_twilio_region_and_edge_pick_the_host_and_are_saved(emulator, store, real_keyring):
    transport = ToEmulator(emulator)
    app = login_app(store, transport=transport)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await fill_form(pilot, name="au", account_sid=emulator.account_sid, region="au1", edge="sydney",
                        auth_method="api_key", api_key_sid=emulator.api_key_sid, secret=emulator.api_key_secret)
        assert "https://api.sydney.au1.twilio.com/2010-04-01" in svg_text(app.export_screenshot())
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, RecordingsScreen)
        assert transport.hosts[0] == "api.sydney.au1.twilio.com"
        assert set(transport.hosts) == {"api.sydney.au1.twilio.com"}
    saved = ProfileStore(store.config_dir).load().get("au")
    assert (saved.provider, saved.region, saved.edge, saved.auth_method, saved.api_key_sid) == (
        "twilio", "au1", "sydney", "api_key", emulator.api_key_sid)
    assert keyring.get_password(SERVICE, "profile:au") == emulator.api_key_secret
    await transport.close()


async def test_signalwire_login_against_its_flavour_of_the_emulator(store, real_keyring):
    from rec_tui.emulator import Emulator

    with Emulator(emulator_config(flavour="signalwire")) as signalwire:
        transport = ToEmulator(signalwire)
        app = login_app(store, transport=transport)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await fill_form(pilot, name="sw", provider="signalwire", account_sid=signalwire.account_sid,
                            space="example.signalwire.com", secret=signalwire.auth_token)
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert isinstance(app.screen, RecordingsScreen)
            assert app.screen.table.loaded_count > 0
            assert set(transport.hosts) == {"example.signalwire.com"}
            assert shows(app, "SignalWire", "profile sw")
        await transport.close()
    saved = ProfileStore(store.config_dir).load().get("sw")
    assert (saved.provider, saved.space, saved.account_sid) == ("signalwire", "example", signalwire.account_sid)
    assert keyring.get_password(SERVICE, "profile:sw") == signalwire.auth_token


async def test_escape_leaves_the_form_and_the_start_screen_says_what_to_do(store, real_keyring):
    app = login_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, StartScreen)
        assert shows(app, "Not logged in", "rec-tui --demo", "TWILIO_ACCOUNT_SID")
        assert shows(app, "○ not logged in")  # the header's state
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)


async def test_a_name_in_use_is_refused(emulator, store, real_keyring):
    store.add(make_profile("work", "custom", account_sid=emulator.account_sid, base_url=emulator.base_url))
    app = login_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.screen.query_one("#login-name", Input).value == ""  # "default" only on a first run
        await log_in_to(pilot, emulator, name="work")
        assert "exists" in field_error(app.screen, "name")
        assert keyring.get_password(SERVICE, "profile:work") is None


async def test_the_secret_field_is_masked_and_not_copied(emulator, store, real_keyring):
    app = login_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await fill_form(pilot, secret=emulator.auth_token)
        field = app.screen.query_one("#login-secret", Input)
        assert field.password
        text = svg_text(app.export_screenshot())
        assert emulator.auth_token not in text and "•" * 8 in text
        await pilot.press("ctrl+a", "ctrl+c", "ctrl+x")
        assert emulator.auth_token not in (app.clipboard or "")
        assert field.value == emulator.auth_token  # cut did not take it out either


# -- saved profiles ------------------------------------------------------------------------------


def saved_profile(store, emu, name: str):
    profile = store.add(make_profile(name, "custom", account_sid=emu.account_sid, base_url=emu.base_url))
    store.save()
    save_secret(profile, Secret(emu.auth_token))
    return profile


async def test_a_saved_profile_opens_from_the_keyring(emulator, store, real_keyring):
    saved_profile(store, emulator, "work")
    app = login_app(store, start_profile="work")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, RecordingsScreen)
        assert app.connection.profile_name == "work"
        assert app.screen.table.loaded_count > 0


async def test_a_profile_without_its_secret_asks_for_it_again(emulator, store, real_keyring):
    profile = store.add(make_profile("work", "custom", account_sid=emulator.account_sid, base_url=emulator.base_url))
    store.save()
    app = login_app(store, start_profile="work")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LoginScreen) and screen.prefill == profile
        assert screen.query_one("#login-base_url", Input).value == emulator.base_url
        assert app.focused is screen.query_one("#login-secret")
        assert "No secret is stored for profile work" in svg_text(app.export_screenshot())
        await type_into(pilot, "#login-secret", emulator.auth_token)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RecordingsScreen)
    assert keyring.get_password(SERVICE, "profile:work") == emulator.auth_token


async def test_switch_profiles_from_the_palette(store, real_keyring):
    from rec_tui.emulator import Emulator

    with Emulator(emulator_config(seed=7)) as first, Emulator(emulator_config(seed=8)) as second:
        saved_profile(store, first, "one")
        saved_profile(store, second, "two")
        app = login_app(store, start_profile="one")
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            old = app.connection
            assert app.screen.table.loaded_count > 0
            await pilot.press("enter")  # a recording's screen on top: it closes with the switch
            await settle(pilot)
            await pilot.press("ctrl+p")
            await pilot.pause()
            await pilot.press(*"Switch to profile two")
            await settle(pilot)
            await pilot.press("enter")
            await settle(pilot)
            assert app.connection.profile_name == "two"
            assert app.connection.account_sid == second.account_sid
            assert len(app.screen_stack) == 1 and isinstance(app.screen, RecordingsScreen)
            assert app.screen.table.loaded_count > 0
            assert old.client._http.is_closed  # one client per app at a time
            assert second.account_sid[:6] in svg_text(app.export_screenshot())
            # Listed in the palette: the other profile, never the current one.
            names = [command.name for command in app.palette_commands()]
            assert "Switch to profile one" in names and "Switch to profile two" not in names


async def test_log_in_to_another_account_from_the_palette(store, real_keyring, shared_emulator, make_app):
    from rec_tui.emulator import Emulator

    app = make_app(shared_emulator)
    app.profiles = store
    with Emulator(emulator_config(seed=9)) as other:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("ctrl+p")
            await pilot.pause()
            await pilot.press(*"Log in to another")
            await settle(pilot)
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, LoginScreen)
            await log_in_to(pilot, other, name="other")
            assert isinstance(app.screen, RecordingsScreen)
            assert app.connection.account_sid == other.account_sid
    assert keyring.get_password(SERVICE, "profile:other") == other.auth_token


# -- keyring trouble -------------------------------------------------------------------------------


async def test_no_keyring_explains_the_choices_instead_of_a_form(store, no_keyring):
    app = login_app(store)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, NoKeyringScreen)
        assert shows(app, "No OS keyring")
        assert shows(app, "TWILIO_ACCOUNT_SID", "SIGNALWIRE_TOKEN")  # environment variables for this run
        assert shows(app, "gnome-keyring", "Secret Service")  # or a backend
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, StartScreen)
    assert not store.path.exists()


async def test_no_keyring_when_opening_a_saved_profile(emulator, store, no_keyring):
    store.add(make_profile("work", "custom", account_sid=emulator.account_sid, base_url=emulator.base_url))
    app = login_app(store, start_profile="work")
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, NoKeyringScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, StartScreen)
        assert "Could not open profile work" in svg_text(app.export_screenshot())


async def test_a_plaintext_keyring_is_only_used_when_the_user_says_so(emulator, store, plaintext_keyring):
    app = login_app(store)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await log_in_to(pilot, emulator, settled=False)
        await wait_for_screen(pilot, PlaintextKeyringScreen)
        assert shows(app, "plain text", plaintext_keyring.file_path)
        await pilot.press("enter")  # the focused answer is "Don't save"
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert "Nothing was saved" in svg_text(app.export_screenshot())
        assert plaintext_keyring.values == {} and not store.path.exists()

        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, PlaintextKeyringScreen)
        await pilot.click("#accept")
        await settle(pilot)
        assert isinstance(app.screen, RecordingsScreen)
    assert plaintext_keyring.values == {(SERVICE, "profile:work"): emulator.auth_token}
    assert ProfileStore(store.config_dir).load().names() == ["work"]


# -- twilio-cli ----------------------------------------------------------------------------------------


def twilio_cli_config(emu) -> str:
    return json.dumps({
        "profiles": {
            "main": {"accountSid": emu.account_sid, "apiKey": emu.api_key_sid, "apiSecret": emu.api_key_secret,
                     "region": "ie1"},
        },
        "projects": [{"id": "old", "accountSid": emu.account_sid}],  # secret in the keychain: not importable
        "activeProfile": "main",
    })


async def test_twilio_cli_profiles_are_offered_and_imported(emulator, store, real_keyring, home):
    path = write_twilio_cli_config(home, twilio_cli_config(emulator))
    transport = ToEmulator(emulator)
    app = login_app(store, transport=transport)
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(pilot)
        assert shows(app, "twilio-cli has 1 profile", str(path))
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert isinstance(app.screen, TwilioImportScreen)
        assert shows(app, "main → profile main", "old: not imported", "plain-text copy remains in", str(path))
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, RecordingsScreen)
        assert app.connection.profile_name == "main"
        assert transport.hosts and set(transport.hosts) == {"api.dublin.ie1.twilio.com"}
        assert app.screen.table.loaded_count > 0
        notices = " ".join(str(n.message) for n in app._notifications)
        assert "plain-text copy" in notices and str(path) in notices
    saved = ProfileStore(store.config_dir).load().get("main")
    assert (saved.api_key_sid, saved.region, saved.edge) == (emulator.api_key_sid, "ie1", None)
    assert keyring.get_password(SERVICE, "profile:main") == emulator.api_key_secret
    assert emulator.api_key_secret in path.read_text()  # twilio-cli's own file is left alone
    await transport.close()


async def test_an_imported_profile_is_not_offered_again(emulator, store, real_keyring, home):
    write_twilio_cli_config(home, twilio_cli_config(emulator))
    store.add(make_profile("mine", "twilio", account_sid=emulator.account_sid, api_key_sid=emulator.api_key_sid))
    app = login_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert not app.screen.query_one("#login-import-offer").display
        assert "twilio-cli" not in svg_text(app.export_screenshot())


# -- saving ------------------------------------------------------------------------------------------


async def test_a_profile_that_cannot_be_written_leaves_no_secret_behind(tmp_path, real_keyring):
    from types import SimpleNamespace

    from rec_tui.ui.profiles import save_profile

    (tmp_path / "not-a-dir").write_text("")
    store = ProfileStore(tmp_path / "not-a-dir" / "config")
    profile = make_profile("work", "twilio", account_sid="AC" + "ab" * 16)
    with pytest.raises(OSError):
        await save_profile(SimpleNamespace(profiles=store), profile, Secret("t0ken-that-stays-nowhere"),
                           allow_insecure=False)
    assert keyring.get_password(SERVICE, "profile:work") is None
    assert "work" not in store and store.default is None
