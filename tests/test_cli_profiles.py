"""``rec-tui login``, ``rec-tui logout [NAME]``, ``--profile NAME`` and which account opens.

Precedence without ``--profile``: the environment's account (as twilio-cli), else the default
saved profile, else the login form. ``login`` always opens the form.
"""

from __future__ import annotations

import keyring
import pytest

from rec_tui import cli
from rec_tui.config import ProfileStore, make_profile
from rec_tui.credentials import SERVICE, Secret, save_secret
from tests.keyring_support import no_keyring, real_keyring, restore_keyring  # noqa: F401 - fixtures
from tests.cli_support import captured_app, config_dir  # noqa: F401 - fixtures

ACCOUNT = "AC" + "12" * 16
OTHER = "AC" + "56" * 16
TOKEN = "s3cr3t-t0ken-for-the-cli-tests"


@pytest.fixture
def saved(config_dir):
    """Two saved profiles, "prod" the default."""
    store = ProfileStore(config_dir)
    store.add(make_profile("prod", "twilio", account_sid=ACCOUNT))
    store.add(make_profile("eu", "twilio", account_sid=OTHER, region="ie1"))
    store.save()
    return store


def env(config_dir, **more) -> dict[str, str]:
    return {"REC_TUI_CONFIG_DIR": str(config_dir), **more}


TWILIO_ENV = {"TWILIO_ACCOUNT_SID": OTHER, "TWILIO_AUTH_TOKEN": TOKEN}


def test_the_default_profile_opens_when_the_environment_names_no_account(captured_app, saved, config_dir):
    assert cli.main([], environ=env(config_dir)) == 0
    (app,) = captured_app
    assert app.connection is None and app.start_profile == "prod"
    assert app.profiles.names() == ["prod", "eu"]


def test_the_environment_wins_over_the_default_profile(captured_app, saved, config_dir):
    assert cli.main([], environ=env(config_dir, **TWILIO_ENV)) == 0
    (app,) = captured_app
    assert app.connection.profile_name == "environment" and app.connection.account_sid == OTHER
    assert app.start_profile is None


def test_profile_option_wins_over_the_environment(captured_app, saved, config_dir):
    assert cli.main(["--profile", "eu", "--utc"], environ=env(config_dir, **TWILIO_ENV)) == 0
    (app,) = captured_app
    assert app.connection is None and app.start_profile == "eu"


def test_an_unknown_profile_is_refused_naming_the_known_ones(capsys, captured_app, saved, config_dir):
    assert cli.main(["--profile", "nope"], environ=env(config_dir)) == 2
    err = capsys.readouterr().err
    assert "no profile named 'nope'" in err and "prod, eu" in err
    assert captured_app == []


def test_login_opens_the_form_whatever_else_is_configured(captured_app, saved, config_dir):
    assert cli.main(["login"], environ=env(config_dir, **TWILIO_ENV)) == 0
    (app,) = captured_app
    assert app.connection is None and app.start_profile is None  # → the login form


def test_demo_takes_no_profile(capsys, captured_app, config_dir):
    assert cli.main(["--demo", "--profile", "prod"], environ=env(config_dir)) == 2
    assert "--demo" in capsys.readouterr().err and captured_app == []


def test_a_broken_profiles_file_is_reported(capsys, captured_app, config_dir):
    config_dir.mkdir()
    (config_dir / "profiles.toml").write_text("version = [\n")
    assert cli.main([], environ=env(config_dir)) == 2
    err = capsys.readouterr().err
    assert "not valid TOML" in err and "profiles.toml" in err
    assert captured_app == []


def test_a_secret_pasted_into_the_profiles_file_is_warned_about_and_never_shown(captured_app, config_dir):
    config_dir.mkdir()
    (config_dir / "profiles.toml").write_text(
        f'version = 1\ndefault = "p"\n[profiles.p]\naccount_sid = "{ACCOUNT}"\nauth_token = "{TOKEN}"\n')
    assert cli.main([], environ=env(config_dir)) == 0
    (app,) = captured_app
    assert any("looks like a secret" in warning for warning in app.profiles.warnings)
    assert not any(TOKEN in warning for warning in app.profiles.warnings)


# -- logout --------------------------------------------------------------------------------------


@pytest.mark.keyring
def test_logout_removes_the_secret_and_the_profile(capsys, saved, config_dir, real_keyring):
    save_secret("eu", Secret(TOKEN))
    save_secret("prod", Secret(TOKEN + "-prod"))
    assert cli.main(["logout", "eu"], environ=env(config_dir)) == 0
    out = capsys.readouterr().out
    assert "removed profile 'eu'" in out and "deleted its secret" in out and TOKEN not in out
    assert keyring.get_password(SERVICE, "profile:eu") is None
    assert keyring.get_password(SERVICE, "profile:prod") == TOKEN + "-prod"
    assert ProfileStore(config_dir).load().names() == ["prod"]


@pytest.mark.keyring
def test_logout_without_a_name_logs_out_of_the_default_profile(capsys, saved, config_dir, real_keyring):
    save_secret("prod", Secret(TOKEN))
    assert cli.main(["logout"], environ=env(config_dir)) == 0
    assert "removed profile 'prod'" in capsys.readouterr().out
    after = ProfileStore(config_dir).load()
    assert after.names() == ["eu"] and after.default == "eu"
    assert keyring.get_password(SERVICE, "profile:prod") is None


@pytest.mark.keyring
def test_logout_of_an_unknown_profile_does_nothing_and_says_so(capsys, saved, config_dir, real_keyring):
    assert cli.main(["logout", "nope"], environ=env(config_dir)) == 1
    assert "nothing to do" in capsys.readouterr().out
    assert ProfileStore(config_dir).load().names() == ["prod", "eu"]


def test_logout_with_no_profiles_at_all(capsys, config_dir):
    assert cli.main(["logout"], environ=env(config_dir)) == 1
    assert "no saved profile" in capsys.readouterr().err


def test_logout_without_a_keyring_keeps_the_profile_unless_forced(capsys, saved, config_dir, no_keyring):
    assert cli.main(["logout", "eu"], environ=env(config_dir)) == 1
    err = capsys.readouterr().err
    assert "no usable OS keyring" in err and "--force" in err and "was kept" in err
    assert ProfileStore(config_dir).load().names() == ["prod", "eu"]

    assert cli.main(["logout", "eu", "--force"], environ=env(config_dir)) == 0
    assert "removed profile 'eu'" in capsys.readouterr().out
    assert ProfileStore(config_dir).load().names() == ["prod"]
