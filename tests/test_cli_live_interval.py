"""``--live-interval SECONDS`` and ``$REC_TUI_LIVE_INTERVAL``: the live view's refresh interval."""

from __future__ import annotations

import pytest

from rec_tui import cli
from rec_tui.ui.app import RecTuiApp
from rec_tui.ui.screens.live import LiveScreen
from tests.cli_support import captured_app  # noqa: F401 - a fixture


@pytest.mark.parametrize(("value", "message"), [
    ("0", "must be 1 to 3600 seconds, got '0'"),
    ("0.5", "must be 1 to 3600 seconds, got '0.5'"),
    ("-5", "must be 1 to 3600 seconds, got '-5'"),
    ("3601", "must be 1 to 3600 seconds, got '3601'"),
    ("nan", "must be 1 to 3600 seconds, got 'nan'"),
    ("inf", "must be 1 to 3600 seconds, got 'inf'"),
    ("five", "not a number of seconds: 'five'"),
    ("", "not a number of seconds: ''"),
])
def test_a_bad_interval_is_an_argparse_error(capsys, captured_app, value, message):
    with pytest.raises(SystemExit) as exit_info:
        cli.main([f"--live-interval={value}", "--demo"], environ={})
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert f"argument --live-interval: {message}" in err and err.startswith("usage: rec-tui")
    assert captured_app == []


@pytest.mark.parametrize("value", ["0", "abc", "0.99", "1e9"])
def test_a_bad_interval_in_the_environment_is_refused_naming_the_variable(capsys, captured_app, value):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--demo", "--count", "3"], environ={"REC_TUI_LIVE_INTERVAL": value})
    assert exit_info.value.code == 2
    assert "error: REC_TUI_LIVE_INTERVAL: " in capsys.readouterr().err
    assert captured_app == []


@pytest.mark.parametrize(("argv", "environ", "expected"), [
    ([], {}, 5.0),  # the default
    (["--live-interval", "1"], {}, 1.0),
    (["--live-interval", "2.5"], {}, 2.5),
    (["--live-interval", "3600"], {}, 3600.0),
    ([], {"REC_TUI_LIVE_INTERVAL": " 12 "}, 12.0),
    ([], {"REC_TUI_LIVE_INTERVAL": ""}, 5.0),  # empty: unset
    (["--live-interval", "2"], {"REC_TUI_LIVE_INTERVAL": "30"}, 2.0),  # the option wins
    (["--live-interval", "2"], {"REC_TUI_LIVE_INTERVAL": "nonsense"}, 2.0),  # and is not even read
])
def test_the_interval_reaches_the_app(captured_app, argv, environ, expected):
    assert cli.main(["--demo", "--count", "3", *argv], environ=environ) == 0
    (app,) = captured_app
    assert app.live_refresh_interval == expected


def test_the_live_view_of_the_app_the_cli_builds_refreshes_at_that_interval(monkeypatch):
    """``rec-tui --demo --live-interval 2.5``, then ``a``: the live view's timer and status line."""
    seen = {}

    async def settle(pilot) -> None:
        for _ in range(20):
            await pilot.pause()
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            if not any(worker.is_running for worker in pilot.app.workers):
                return

    async def drive(app: RecTuiApp) -> None:
        async with app.run_test() as pilot:
            await settle(pilot)
            await pilot.press("a")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, LiveScreen)
            seen["interval"] = screen.refresh_interval
            seen["timer"] = screen._timer._interval
            seen["status"] = screen.status.message
            screen.set_refresh_interval(0)

    # The CLI runs the app on the loop that sent its first request (the request belongs to it).
    monkeypatch.setattr(RecTuiApp, "run", lambda self, *a, loop, **k: loop.run_until_complete(drive(self)))
    assert cli.main(["--demo", "--seed", "3", "--count", "12", "--live-interval", "2.5"],
                    environ={"REC_TUI_LIVE_INTERVAL": "30"}) == 0
    assert seen["interval"] == 2.5 and seen["timer"] == 2.5
    assert "auto-refresh every 2.5 s" in seen["status"]
