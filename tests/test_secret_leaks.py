"""Secrets never show: plant known secrets, run the login, switch, import and logout flows, and
look for them everywhere they could end up.

Scanned: every screen rendered along the way (``app.export_screenshot()``, as SVG and as the
text it shows), everything logged (every logger, DEBUG and up), stdout/stderr, the profiles file
and its directory, and every file under ``tests/**/__snapshots__/`` and ``screenshots/``. Besides
each secret itself, the scan looks for its HTTP Basic form (base64 of ``user:secret``).

The flows use the throw-away Secret Service of scripts/with-test-session.sh.
"""

from __future__ import annotations

import base64
import json
import logging
from pathlib import Path

import pytest
from keyring.backend import KeyringBackend
from keyring.errors import PasswordSetError
from textual.app import App
from textual.widgets import Input

from rec_tui import cli
from rec_tui.config import ProfileStore
from rec_tui.emulator import Emulator
from rec_tui.emulator.server import demo_credentials
from tests.keyring_support import (  # noqa: F401 - fixtures
    ToEmulator,
    login_app,
    real_keyring,
    restore_keyring,
    squash,
    svg_text,
    write_twilio_cli_config,
)
from tests.ui.ui_support import emulator_config, settle, type_into

ROOT = Path(__file__).resolve().parent.parent
#: A wrong secret typed into the form (it is refused, and must not show either).
WRONG = "pl4nted-WRONG-s3cret-9f2c71"
SIZE = (110, 36)


def demo_secrets() -> set[str]:
    """The emulator's secrets for every seed the tests, snapshots and screenshots use."""
    secrets = set()
    for seed in range(0, 21):
        _, token, _, key_secret = demo_credentials(seed)
        secrets |= {token, key_secret}
        try:
            from rec_tui.emulator import signalwire

            secrets.add(signalwire.credentials(seed)[2])
        except (ImportError, AttributeError, IndexError, TypeError):
            pass
    return secrets


def forms(secret: str, users: tuple[str, ...] = ()) -> set[str]:
    """The secret and its Authorization header forms for the given user names."""
    found = {secret}
    for user in users:
        found.add(base64.b64encode(f"{user}:{secret}".encode()).decode())
    return found


class Scan:
    """Collects what the flows produced, then says where a secret showed."""

    def __init__(self) -> None:
        self.screens: list[tuple[str, str]] = []

    async def shot(self, pilot, label: str) -> None:
        await pilot.pause()
        self.screens.append((label, pilot.app.export_screenshot()))

    def leaks(self, secrets: set[str], texts: dict[str, str]) -> list[str]:
        places = dict(texts)
        for label, svg in self.screens:
            places[f"screen {label} (SVG)"] = svg
            places[f"screen {label} (text)"] = squash(svg_text(svg))
        return [f"{name} in {where}" for where, text in places.items()
                for name, secret in ((s[:6] + "…", s) for s in secrets) if secret in text]


# -- the scanner can fail ----------------------------------------------------------------------


async def test_the_scan_finds_a_secret_that_is_shown():
    """A secret in a plain Input with the cursor in its middle is split across SVG spans: the
    text scan must still find it (else the tests below could never fail)."""

    class Shows(App):
        def compose(self):
            yield Input(WRONG, id="plain")

    scan = Scan()
    app = Shows()
    async with app.run_test(size=(60, 5)) as pilot:
        app.query_one("#plain", Input).cursor_position = 7
        await scan.shot(pilot, "plain input")
    assert scan.leaks({WRONG}, {}) == [f"{WRONG[:6]}… in screen plain input (text)"]


# -- the flows ----------------------------------------------------------------------------------------


@pytest.mark.keyring
async def test_no_secret_shows_in_login_switch_import_and_logout(tmp_path, monkeypatch, capsys, caplog,
                                                                 real_keyring):
    caplog.set_level(logging.DEBUG)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    config_dir = tmp_path / "config"
    store = ProfileStore(config_dir).load()
    scan = Scan()

    with Emulator(emulator_config(seed=7)) as first, Emulator(emulator_config(seed=8)) as second:
        secrets = (forms(WRONG, (first.account_sid,)) | forms(first.auth_token, (first.account_sid,))
                   | forms(second.auth_token, (second.account_sid,))
                   | forms(second.api_key_secret, (second.api_key_sid,)))
        # twilio-cli's config holds the second emulator's API key secret in plain text.
        cli_config = write_twilio_cli_config(home, json.dumps({"profiles": {"cli": {
            "accountSid": second.account_sid, "apiKey": second.api_key_sid, "apiSecret": second.api_key_secret}}}))
        transport = ToEmulator(second)

        app = login_app(store, transport=transport)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = app.screen
            screen.query_one("#login-provider").value = "custom"
            await pilot.pause()
            screen.query_one("#login-name", Input).value = "first"
            screen.query_one("#login-account_sid", Input).value = first.account_sid
            screen.query_one("#login-base_url", Input).value = first.base_url
            await type_into(pilot, "#login-secret", WRONG[:10])
            await scan.shot(pilot, "typing the secret")
            await pilot.press(*WRONG[10:])
            await scan.shot(pilot, "wrong secret typed")
            await pilot.press("enter")
            await settle(pilot)
            await scan.shot(pilot, "wrong secret refused")
            assert "refused" in svg_text(app.export_screenshot())

            screen.query_one("#login-secret", Input).value = ""
            await type_into(pilot, "#login-secret", first.auth_token)
            await scan.shot(pilot, "right secret typed")
            await pilot.press("enter")
            await settle(pilot)
            await scan.shot(pilot, "logged in")
            assert app.connection.profile_name == "first"

            # Log in again from the palette: the import of twilio-cli's profile.
            await pilot.press("ctrl+p")
            await pilot.press(*"Log in to another")
            await settle(pilot)
            await scan.shot(pilot, "palette")
            await pilot.press("enter")
            await settle(pilot)
            await scan.shot(pilot, "login form with the import offer")
            await pilot.press("ctrl+t")
            await settle(pilot)
            await scan.shot(pilot, "import")
            await pilot.press("ctrl+s")
            await settle(pilot)
            await scan.shot(pilot, "imported")
            assert app.connection.profile_name == "cli"

            # Switch back and forth.
            for name in ("first", "cli"):
                await pilot.press("ctrl+p")
                await pilot.press(*f"Switch to profile {name}")
                await settle(pilot)
                await scan.shot(pilot, f"palette switch to {name}")
                await pilot.press("enter")
                await settle(pilot)
                await scan.shot(pilot, f"switched to {name}")
                assert app.connection.profile_name == name
            await pilot.press("question_mark")
            await settle(pilot)
            await scan.shot(pilot, "help")
            # Reprs of what holds the secrets (a traceback with locals shows these).
            reprs = "\n".join(repr(x) for x in (app.connection, app.connection.client, app.profiles,
                                                 app.connection.client._http.auth))
        await transport.close()

    # Logout, and a wrong environment, from the command line.
    environ = {"REC_TUI_CONFIG_DIR": str(config_dir)}
    assert cli.main(["logout", "first"], environ=environ) == 0
    assert cli.main(["logout", "cli"], environ=environ) == 0
    assert cli.main(["--profile", "gone"], environ=environ) == 2
    assert cli.main([], environ={**environ, "TWILIO_ACCOUNT_SID": "AC12", "TWILIO_AUTH_TOKEN": WRONG}) == 2
    output = capsys.readouterr()

    texts = {
        "the log": "\n".join(record.getMessage() for record in caplog.records),
        "the log (formatted)": caplog.text,
        "stdout": output.out,
        "stderr": output.err,
        "reprs": reprs,
    }
    for path in config_dir.rglob("*"):
        if path.is_file():
            texts[str(path)] = path.read_text(errors="replace")
    leaks = scan.leaks(secrets, texts)
    assert leaks == []
    # The scan had something to look at.
    assert len(scan.screens) >= 14 and caplog.records and "logged out" in output.out.lower()
    assert second.api_key_secret in cli_config.read_text()  # twilio-cli's own copy is left alone


@pytest.mark.keyring
async def test_a_keyring_error_quoting_the_secret_is_shown_scrubbed(tmp_path, monkeypatch, restore_keyring):
    """A backend whose error message contains the password it was given."""
    import keyring

    class Choking(KeyringBackend):
        priority = 1  # type: ignore[assignment]

        def get_password(self, service, username):
            return None

        def set_password(self, service, username, password):
            raise PasswordSetError(f"backend choked on {password!r}")

        def delete_password(self, service, username):
            pass

    keyring.set_keyring(Choking())
    monkeypatch.setenv("HOME", str(tmp_path))
    scan = Scan()
    with Emulator(emulator_config(seed=7)) as emu:
        app = login_app(ProfileStore(tmp_path / "config"))
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = app.screen
            screen.query_one("#login-provider").value = "custom"
            await pilot.pause()
            screen.query_one("#login-account_sid", Input).value = emu.account_sid
            screen.query_one("#login-base_url", Input).value = emu.base_url
            screen.query_one("#login-secret", Input).value = emu.auth_token
            await pilot.press("ctrl+s")
            await settle(pilot)
            await scan.shot(pilot, "keyring error")
            text = squash(svg_text(app.export_screenshot()))
            assert squash("Nothing was saved") in text and "PasswordSetError" in text
        assert scan.leaks({emu.auth_token}, {}) == []


def test_snapshots_and_screenshots_hold_no_secret():
    files = [path for path in ROOT.glob("tests/**/__snapshots__/**/*") if path.is_file()]
    files += [path for path in (ROOT / "screenshots").rglob("*") if path.is_file()]
    assert any("test_login_snapshots" in str(path) for path in files)  # the masked-secret snapshot
    secrets = demo_secrets() | {WRONG}
    leaks = []
    for path in files:
        data = path.read_text(errors="replace")
        text = squash(svg_text(data)) if path.suffix == ".svg" else ""
        leaks += [f"{secret[:6]}… in {path.relative_to(ROOT)}" for secret in secrets
                  if secret in data or secret in text]
    assert leaks == []
