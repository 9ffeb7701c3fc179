"""The ``rec-tui`` command: arguments, deep links, credentials from the environment, --demo."""

from __future__ import annotations

import subprocess
import sys

import pytest

from rec_tui import __version__, cli
from rec_tui.ui.app import RecTuiApp, StartTarget
from tests.cli_support import captured_app  # noqa: F401 - a fixture

ACCOUNT = "AC" + "12" * 16
KEY = "SK" + "34" * 16
TOKEN = "s3cr3t-token-value"
CALL = "CA" + "ab" * 16
CONFERENCE = "CF" + "cd" * 16
RECORDING = "RE" + "ef" * 16


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"rec-tui {__version__}"


def test_python_dash_m_runs_the_cli():
    done = subprocess.run([sys.executable, "-m", "rec_tui", "--version"], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == f"rec-tui {__version__}"


@pytest.mark.parametrize("option,value,kind", [
    ("--recording", "RE123", "recording"),
    ("--recording", CALL, "recording"),
    ("--call", "CA../../etc", "call"),
    ("--conference", RECORDING, "conference"),
])
def test_bad_deep_links_are_refused(capsys, option, value, kind):
    with pytest.raises(SystemExit) as exit_info:
        cli.main([option, value], environ={})
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert f"not a {kind} SID" in err and "34 characters" in err


def test_only_one_deep_link(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--call", CALL, "--conference", CONFERENCE], environ={})
    assert exit_info.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


def test_without_credentials_or_profiles_opens_the_login_form(tmp_path, captured_app):
    # First run: no environment account, no saved profile (tests/test_cli_profiles.py has more).
    assert cli.main([], environ={"REC_TUI_CONFIG_DIR": str(tmp_path)}) == 0
    (app,) = captured_app
    assert app.connection is None and app.start_profile is None


@pytest.mark.parametrize("environ,variable", [
    ({"TWILIO_ACCOUNT_SID": ACCOUNT}, "TWILIO_AUTH_TOKEN"),
    ({"TWILIO_AUTH_TOKEN": TOKEN}, "TWILIO_ACCOUNT_SID"),
    ({"TWILIO_ACCOUNT_SID": "AC123", "TWILIO_AUTH_TOKEN": TOKEN}, "TWILIO_ACCOUNT_SID"),
    ({"TWILIO_ACCOUNT_SID": ACCOUNT, "TWILIO_API_KEY": KEY}, "TWILIO_API_SECRET"),
    ({"TWILIO_ACCOUNT_SID": ACCOUNT, "TWILIO_API_KEY": "nope", "TWILIO_API_SECRET": TOKEN}, "TWILIO_API_KEY"),
    ({"SIGNALWIRE_SPACE": "example", "SIGNALWIRE_TOKEN": TOKEN}, "SIGNALWIRE_PROJECT_ID"),
    ({"TWILIO_ACCOUNT_SID": ACCOUNT, "TWILIO_AUTH_TOKEN": TOKEN, "TWILIO_REGION": "bad region!"},
     "TWILIO_REGION"),
])
def test_incomplete_credentials_are_named_and_the_secret_never_printed(capsys, captured_app, environ, variable):
    assert cli.main([], environ=environ) == 2
    err = capsys.readouterr().err
    assert err.startswith("rec-tui: ") and variable in err
    assert TOKEN not in err
    assert captured_app == []


def test_twilio_auth_token_from_the_environment(captured_app, capsys):
    environ = {"TWILIO_ACCOUNT_SID": ACCOUNT, "TWILIO_AUTH_TOKEN": TOKEN}
    assert cli.main(["--call", CALL], environ=environ) == 0
    (app,) = captured_app
    connection = app.connection
    assert connection.provider_label == "Twilio"
    assert connection.account_sid == ACCOUNT
    assert connection.client.endpoint.origin == "https://api.twilio.com"
    assert connection.client.username == ACCOUNT
    assert connection.profile_name == "environment"
    assert TOKEN not in repr(connection.client)
    assert app.start == StartTarget(call=CALL)
    assert app.display_tz is None
    assert TOKEN not in capsys.readouterr().out


def test_twilio_api_key_with_region_and_edge(captured_app):
    environ = {"TWILIO_ACCOUNT_SID": ACCOUNT, "TWILIO_API_KEY": KEY, "TWILIO_API_SECRET": TOKEN,
               "TWILIO_REGION": "ie1", "TWILIO_EDGE": "dublin"}
    assert cli.main(["--recording", RECORDING, "--utc"], environ=environ) == 0
    (app,) = captured_app
    assert app.connection.client.endpoint.origin == "https://api.dublin.ie1.twilio.com"
    assert app.connection.client.username == KEY
    assert app.connection.account_sid == ACCOUNT
    assert app.start == StartTarget(recording=RECORDING)
    assert app.display_tz is not None and app.display_tz.utcoffset(None).total_seconds() == 0


def test_signalwire_from_the_environment(captured_app):
    project = "0b5c5b1e-3d9a-4c56-9f0e-2d7b8a1c4e6f"
    environ = {"SIGNALWIRE_SPACE": "example", "SIGNALWIRE_PROJECT_ID": project, "SIGNALWIRE_TOKEN": TOKEN}
    assert cli.main(["--conference", CONFERENCE], environ=environ) == 0
    (app,) = captured_app
    assert app.connection.provider_label == "SignalWire"
    assert app.connection.client.endpoint.origin == "https://example.signalwire.com"
    assert app.connection.client.endpoint.api_root == "/api/laml/2010-04-01"
    assert app.start == StartTarget(conference=CONFERENCE)


def test_seed_and_count_need_demo(capsys, captured_app):
    environ = {"TWILIO_ACCOUNT_SID": ACCOUNT, "TWILIO_AUTH_TOKEN": TOKEN}
    assert cli.main(["--seed", "3"], environ=environ) == 2
    assert "--demo" in capsys.readouterr().err


def test_emulator_subcommand_arguments():
    args = cli.build_parser().parse_args(["emulator", "--port", "9000", "--seed", "3", "--count", "40"])
    assert (args.command, args.port, args.emulator_seed, args.emulator_count) == ("emulator", 9000, 3, 40)
    with pytest.raises(SystemExit):
        cli.build_parser().parse_args(["emulator", "--port", "70000"])


# -- with the emulator ---------------------------------------------------------------------------

emulator = pytest.importorskip("rec_tui.emulator")
needs_emulator = pytest.mark.skipif(not hasattr(emulator, "Emulator"), reason="the emulator has not landed yet")


@needs_emulator
def test_demo_opens_on_a_running_emulator_and_stops_it(monkeypatch):
    import httpx

    seen = {}
    captured_app: list[RecTuiApp] = []

    def fake_run(self, *args, **kwargs):
        emu = self.connection.emulator
        seen["base_url"] = emu.base_url
        response = httpx.get(f"{emu.base_url}/2010-04-01/Accounts/{emu.account_sid}/Recordings.json",
                             auth=(emu.account_sid, emu.auth_token), params={"PageSize": 1000})
        seen["count"] = len(response.json()["recordings"])
        captured_app.append(self)

    monkeypatch.setattr(RecTuiApp, "run", fake_run)
    assert cli.main(["--demo", "--seed", "3", "--count", "12"], environ={}) == 0
    (app,) = captured_app
    assert seen["count"] == 12
    assert seen["base_url"].startswith("http://127.0.0.1:")
    assert app.connection.provider_label == "Emulator"
    with pytest.raises(httpx.HTTPError):  # stopped once the app is done
        httpx.get(seen["base_url"], timeout=2)


@needs_emulator
def test_emulator_subcommand_serves_with_the_given_options(monkeypatch):
    calls = []
    monkeypatch.setattr(emulator, "serve", lambda host, port, config: calls.append((host, port, config)))
    assert cli.main(["emulator", "--port", "9123", "--seed", "5", "--count", "30"], environ={}) == 0
    ((host, port, config),) = calls
    assert (host, port) == ("127.0.0.1", 9123)
    assert config.seed == 5 and config.recordings == 30


def test_demo_asks_for_the_first_page_before_the_app_runs_on_the_loop_it_runs_on(monkeypatch):
    """The command line sends the list's first request, then imports Textual (in a thread) and
    runs the app on the same loop: the answer is there when the list is built."""
    from rec_tui.api import RecordingFilter

    seen = {}

    def fake_run(self, *args, loop, **kwargs):
        async def first_page():
            sent = self.connection.take_first_page(RecordingFilter(), 50)
            seen["sent before the app ran"] = sent is not None
            seen["page"] = await sent if sent is not None else None

        loop.run_until_complete(first_page())

    monkeypatch.setattr(RecTuiApp, "run", fake_run)
    assert cli.main(["--demo", "--seed", "3", "--count", "12"], environ={}) == 0
    assert seen["sent before the app ran"]
    assert len(seen["page"].items) == 12
