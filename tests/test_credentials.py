"""Secrets and the keyring: the Secret type, backend checks, error wrapping, and round trips
against a real Secret Service.

The tests marked ``keyring`` need the throw-away gnome-keyring that
``scripts/with-test-session.sh`` starts in a private D-Bus session; they never use any other
Secret Service (it might be yours), and skip with the reason otherwise.
"""

from __future__ import annotations

import copy
import io
import json
import os
import pickle
import uuid

import keyring
import keyring.errors
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail, null
from keyring.backends.chainer import ChainerBackend

from rec_tui import credentials
from rec_tui.config import ProfileStore, make_profile
from rec_tui.credentials import (
    MASK,
    SERVICE,
    Credentials,
    CredentialsError,
    InsecureKeyring,
    KeyringAccessError,
    KeyringLocked,
    KeyringUnavailable,
    Secret,
    SecretNotFound,
    check_keyring,
    credentials_for,
    delete_secret,
    keyring_status,
    keyring_username,
    load_credentials,
    load_secret,
    logout,
    save_secret,
)
from tests.keyring_support import real_keyring, restore_keyring  # noqa: F401 - fixtures

ACCOUNT = "AC" + "0123456789abcdef" * 2
API_KEY = "SK" + "fedcba9876543210" * 2
PLANTED = "pl4nted-S3CRET-value-7d1e"


# --------------------------------------------------------------------------------------------
# Backends used by the tests


class MemoryKeyring(KeyringBackend):
    """A well-behaved in-memory backend (not plaintext by name or module)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.store.get((service, username))

    def set_password(self, service, username, password):
        self.store[(service, username)] = password

    def delete_password(self, service, username):
        try:
            del self.store[(service, username)]
        except KeyError:
            raise keyring.errors.PasswordDeleteError("no such password") from None


class PlaintextKeyring(MemoryKeyring):
    """Looks like keyrings.alt's PlaintextKeyring (same module and class name, priority 0.5)."""

    priority = 0.5  # type: ignore[assignment]
    file_path = "/home/someone/.local/share/python_keyring/keyring_pass.cfg"


PlaintextKeyring.__module__ = "keyrings.alt.file"


class LowPriorityAltKeyring(MemoryKeyring):
    priority = 0.9  # type: ignore[assignment]


LowPriorityAltKeyring.__module__ = "keyrings.alt.Gnome"


class MyPlaintextStore(MemoryKeyring):
    """Says "plaintext" in its name: treated as insecure wherever it comes from."""


class RaisingKeyring(MemoryKeyring):
    """Raises ``error`` from every operation; the error text carries the password it was given."""

    def __init__(self, error: type[BaseException]) -> None:
        super().__init__()
        self.error = error

    def set_password(self, service, username, password):
        raise self.error(f"backend choked on {password!r} for {username}")

    def get_password(self, service, username):
        raise self.error(f"backend could not read {username}")

    def delete_password(self, service, username):
        raise self.error(f"backend could not delete {username}")


class EmptyChainer(ChainerBackend):
    backends = ()  # type: ignore[assignment]


def chainer_of(*backends):
    class Chainer(ChainerBackend):
        pass

    Chainer.backends = tuple(backends)  # type: ignore[assignment]
    return Chainer()


@pytest.fixture
def memory():
    return MemoryKeyring()


def assert_unchained(exc: BaseException) -> None:
    """Nothing from inside the keyring library (whose frames hold the plain value) is attached."""
    assert exc.__cause__ is None
    assert exc.__context__ is None


# --------------------------------------------------------------------------------------------
# Secret and Credentials


def test_secret_hides_itself_everywhere():
    secret = Secret(PLANTED)
    assert secret.reveal() == PLANTED
    for shown in (repr(secret), str(secret), f"{secret}", f"{secret!r}", f"{secret:>20}", "%s" % secret,
                  "{}".format(secret), repr([secret]), repr({"k": secret})):
        assert PLANTED not in shown
        assert MASK in shown
    assert repr(secret) == "Secret('********')"


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_secret_cannot_be_pickled(protocol):
    with pytest.raises(TypeError, match="cannot be pickled"):
        pickle.dumps(Secret(PLANTED), protocol=protocol)
    with pytest.raises(TypeError):
        pickle.dumps(Credentials(ACCOUNT, Secret(PLANTED)), protocol=protocol)


def test_secret_is_not_serialized_by_accident():
    secret = Secret(PLANTED)
    with pytest.raises(TypeError):
        json.dumps({"token": secret})
    with pytest.raises(TypeError):
        vars(secret)
    with pytest.raises(TypeError):
        secret.__reduce_ex__(2)
    assert copy.copy(secret) is secret
    assert copy.deepcopy({"s": secret})["s"] is secret


def test_secret_is_immutable_and_compares_by_value():
    secret = Secret(PLANTED)
    with pytest.raises(AttributeError):
        secret._value = "other"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del secret._value
    assert secret == Secret(PLANTED)
    assert secret != Secret(PLANTED + "x")
    assert secret != PLANTED  # a Secret is not a str
    assert hash(secret) == hash(Secret(PLANTED))
    assert Secret(secret) == secret
    assert not Secret("")
    assert secret
    with pytest.raises(TypeError):
        Secret(1234)  # type: ignore[arg-type]


def test_credentials_are_safe_to_print():
    creds = Credentials(API_KEY, Secret(PLANTED))
    for shown in (repr(creds), str(creds), f"{creds}"):
        assert PLANTED not in shown
        assert API_KEY in shown
    assert Credentials(API_KEY, PLANTED).secret == Secret(PLANTED)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("fields", "username"),
    [
        ({"account_sid": ACCOUNT}, ACCOUNT),
        ({"account_sid": ACCOUNT, "api_key_sid": API_KEY}, API_KEY),
        ({"provider": "signalwire", "account_sid": "12345678-1234-1234-1234-123456789abc", "space": "example"},
         "12345678-1234-1234-1234-123456789abc"),
    ],
)
def test_basic_auth_username_follows_the_auth_method(fields, username):
    profile = make_profile("p", **fields)
    assert profile.validate() == {}
    assert credentials_for(profile, Secret(PLANTED)) == Credentials(username, Secret(PLANTED))


def test_keyring_username():
    assert keyring_username("prod") == "profile:prod"
    assert keyring_username(make_profile("eu.prod", account_sid=ACCOUNT)) == "profile:eu.prod"
    with pytest.raises(ValueError):
        keyring_username("")


# --------------------------------------------------------------------------------------------
# No usable backend


@pytest.mark.parametrize("backend", [fail.Keyring(), null.Keyring(), EmptyChainer()],
                         ids=["fail", "null", "empty-chainer"])
def test_no_backend_explains_the_choices(backend):
    status = keyring_status(backend)
    assert status.state == "unavailable" and not status.ok
    for operation in (lambda: save_secret("prod", Secret(PLANTED), backend=backend),
                      lambda: load_secret("prod", backend=backend),
                      lambda: delete_secret("prod", backend=backend)):
        with pytest.raises(KeyringUnavailable) as info:
            operation()
        message = str(info.value)
        for choice in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_API_KEY", "SIGNALWIRE_TOKEN",
                       "gnome-keyring", "D-Bus", "KWallet", "Keychain", "Credential Locker"):
            assert choice in message
        assert "Traceback" not in message
        assert PLANTED not in message
        assert_unchained(info.value)


def test_no_backend_through_the_global_keyring(restore_keyring):
    keyring.set_keyring(fail.Keyring())
    with pytest.raises(KeyringUnavailable, match="no usable OS keyring") as info:
        save_secret("prod", Secret(PLANTED))
    assert "keyring.backends.fail.Keyring" in str(info.value)
    assert_unchained(info.value)


def test_no_keyring_error_from_a_backend_becomes_keyring_unavailable():
    backend = RaisingKeyring(keyring.errors.NoKeyringError)
    with pytest.raises(KeyringUnavailable) as info:
        save_secret("prod", Secret(PLANTED), backend=backend)
    assert PLANTED not in str(info.value)
    assert_unchained(info.value)


def test_unreachable_secret_service_is_a_clear_error(monkeypatch):
    """A Secret Service backend whose session bus is gone (e.g. an SSH session without one)."""
    pytest.importorskip("secretstorage")
    from keyring.backends import SecretService

    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/rec-tui-test-bus")
    backend = SecretService.Keyring()
    with pytest.raises(CredentialsError) as info:
        save_secret("prod", Secret(PLANTED), backend=backend)
    assert "save the secret" in str(info.value)
    assert PLANTED not in str(info.value)
    assert_unchained(info.value)


# --------------------------------------------------------------------------------------------
# Plaintext backends


@pytest.mark.parametrize("backend_class", [PlaintextKeyring, LowPriorityAltKeyring, MyPlaintextStore])
def test_plaintext_backend_needs_confirmation(backend_class):
    backend = backend_class()
    status = keyring_status(backend)
    assert status.state == "insecure"
    with pytest.raises(InsecureKeyring) as info:
        save_secret("prod", Secret(PLANTED), backend=backend)
    assert backend_class.__name__ in info.value.backend_name
    assert "plain" in str(info.value) and "confirm" in str(info.value)
    assert "gnome-keyring" in str(info.value)
    assert backend.store == {}  # nothing was written before the user said yes

    save_secret("prod", Secret(PLANTED), backend=backend, allow_insecure=True)
    assert backend.store == {(SERVICE, "profile:prod"): PLANTED}
    assert load_secret("prod", backend=backend) == Secret(PLANTED)  # reading exposes nothing new
    with pytest.raises(InsecureKeyring):
        load_secret("prod", backend=backend, allow_insecure=False)
    assert delete_secret("prod", backend=backend)


def test_plaintext_backend_names_its_file():
    with pytest.raises(InsecureKeyring) as info:
        check_keyring(PlaintextKeyring())
    assert info.value.location == PlaintextKeyring.file_path
    assert PlaintextKeyring.file_path in str(info.value)
    assert info.value.backend_name == "keyrings.alt.file.PlaintextKeyring"


def test_chainer_is_judged_by_the_backend_that_would_store(memory):
    assert keyring_status(chainer_of(PlaintextKeyring(), memory)).state == "insecure"
    assert keyring_status(chainer_of(memory, PlaintextKeyring())).state == "ok"


def test_plaintext_backend_picked_by_keyring_is_not_used_silently(restore_keyring):
    keyring.set_keyring(PlaintextKeyring())
    with pytest.raises(InsecureKeyring):
        save_secret("prod", Secret(PLANTED))


# --------------------------------------------------------------------------------------------
# Errors from a working backend


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (keyring.errors.KeyringLocked, KeyringLocked),
        (keyring.errors.PasswordSetError, KeyringAccessError),
        (keyring.errors.InitError, KeyringAccessError),
        (OSError, KeyringAccessError),
        (RuntimeError, KeyringAccessError),
    ],
)
def test_backend_errors_are_wrapped_without_the_secret(error, expected):
    backend = RaisingKeyring(error)
    with pytest.raises(expected) as info:
        save_secret("prod", Secret(PLANTED), backend=backend)
    assert PLANTED not in str(info.value)
    assert MASK in str(info.value)  # the backend's own text, scrubbed
    assert "'prod'" in str(info.value)
    assert_unchained(info.value)
    for operation in (load_secret, delete_secret):
        with pytest.raises(expected) as info:
            operation("prod", backend=backend)
        assert_unchained(info.value)


def test_locked_backend_message_says_what_to_do():
    with pytest.raises(KeyringLocked) as info:
        load_secret("prod", backend=RaisingKeyring(keyring.errors.KeyringLocked))
    assert "locked" in str(info.value)
    assert "environment variables" in str(info.value)


def test_missing_secret(memory):
    with pytest.raises(SecretNotFound, match="rec-tui login --profile prod"):
        load_secret("prod", backend=memory)
    assert delete_secret("prod", backend=memory) is False


def test_save_needs_a_secret_object(memory):
    with pytest.raises(TypeError):
        save_secret("prod", PLANTED, backend=memory)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        save_secret("prod", Secret("   "), backend=memory)
    assert memory.store == {}


def test_traceback_with_locals_does_not_show_the_secret():
    """Textual shows tracebacks with locals: render one the way it does and look."""
    from rich.console import Console
    from rich.traceback import Traceback

    def store_it():
        secret = Secret(PLANTED)
        save_secret("prod", secret, backend=RaisingKeyring(keyring.errors.PasswordSetError))

    try:
        store_it()
    except CredentialsError as exc:
        error = exc
    console = Console(file=io.StringIO(), width=200, record=True)
    console.print(Traceback.from_exception(type(error), error, error.__traceback__, show_locals=True))
    text = console.export_text()
    assert "save_secret" in text and "Secret('********')" in text
    assert PLANTED not in text


# --------------------------------------------------------------------------------------------
# In-memory round trips (run everywhere)


def test_round_trip_switch_and_logout_in_memory(tmp_path, memory):
    _round_trip_switch_and_logout(tmp_path, memory)


def test_logout_keeps_the_profile_when_the_keyring_fails(tmp_path):
    store = ProfileStore(tmp_path)
    store.add(make_profile("prod", account_sid=ACCOUNT))
    store.save()
    with pytest.raises(KeyringUnavailable):
        logout("prod", store, backend=fail.Keyring())
    assert "prod" in ProfileStore(tmp_path).load()  # not orphaning a secret we could not delete
    result = logout("prod", store, backend=fail.Keyring(), force=True)
    assert result.profile_removed and not result.secret_removed
    assert "prod" not in ProfileStore(tmp_path).load()


def _round_trip_switch_and_logout(config_dir, backend):
    suffix = uuid.uuid4().hex[:8]
    first, second = f"prod-{suffix}", f"staging-{suffix}"
    store = ProfileStore(config_dir)
    store.add(make_profile(first, account_sid=ACCOUNT))
    store.add(make_profile(second, account_sid=ACCOUNT, api_key_sid=API_KEY, region="ie1", edge="dublin"))
    store.save()
    save_secret(store.get(first), Secret(PLANTED + "-1"), backend=backend)
    save_secret(store.get(second), Secret("first try"), backend=backend)
    save_secret(store.get(second), Secret(PLANTED + "-2"), backend=backend)  # replaces

    reloaded = ProfileStore(config_dir).load()
    assert reloaded.default == first
    assert load_credentials(reloaded.get(), backend=backend) == Credentials(ACCOUNT, Secret(PLANTED + "-1"))
    reloaded.set_default(second)
    reloaded.save()
    again = ProfileStore(config_dir).load()
    assert load_credentials(again.get(), backend=backend) == Credentials(API_KEY, Secret(PLANTED + "-2"))

    result = logout(second, again, backend=backend)
    assert result.secret_removed and result.profile_removed
    assert "Logged out" in result.message
    after = ProfileStore(config_dir).load()
    assert after.names() == [first] and after.default == first
    with pytest.raises(SecretNotFound):
        load_secret(second, backend=backend)
    assert load_secret(first, backend=backend) == Secret(PLANTED + "-1")

    nothing = logout(second, after, backend=backend)
    assert not nothing.secret_removed and not nothing.profile_removed
    assert "nothing to do" in nothing.message
    logout(first, after, backend=backend)
    assert len(ProfileStore(config_dir).load()) == 0
    for path in config_dir.rglob("*"):
        if path.is_file():
            assert PLANTED.encode() not in path.read_bytes()


# --------------------------------------------------------------------------------------------
# The real Secret Service (scripts/with-test-session.sh)


@pytest.fixture
def secret_service(real_keyring):
    """The throw-away gnome-keyring's Secret Service backend (emptied of rec-tui items after)."""
    return real_keyring


@pytest.mark.keyring
def test_real_secret_service_is_recognised_as_secure(secret_service):
    status = keyring_status()
    assert status.ok, status
    assert status.backend_name == "keyring.backends.SecretService.Keyring"


@pytest.mark.keyring
def test_real_round_trip_switch_and_logout(tmp_path, secret_service):
    _round_trip_switch_and_logout(tmp_path, None)  # None: keyring's global backend


@pytest.mark.keyring
def test_real_entry_is_where_other_tools_expect_it(secret_service):
    import secretstorage

    name = f"prod-{uuid.uuid4().hex[:8]}"
    save_secret(name, Secret(PLANTED))
    assert keyring.get_password(SERVICE, f"profile:{name}") == PLANTED
    connection = secretstorage.dbus_init()
    try:
        items = list(secretstorage.search_items(connection, {"service": SERVICE, "username": f"profile:{name}"}))
        assert len(items) == 1
        assert items[0].get_secret() == PLANTED.encode()
        assert PLANTED not in items[0].get_label()
    finally:
        connection.close()
    assert delete_secret(name)
    assert keyring.get_password(SERVICE, f"profile:{name}") is None


@pytest.fixture
def locked_collection(secret_service):
    """A separate collection in the throw-away keyring, created and later unlocked through
    gnome-keyring's internal master-password interface (no prompt needed)."""
    import secretstorage
    from secretstorage.util import DBusAddressWrapper, format_secret, open_session

    connection = secretstorage.dbus_init()
    session = open_session(connection)
    internal = DBusAddressWrapper("/org/freedesktop/secrets",
                                  "org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface", connection)
    password = uuid.uuid4().hex.encode()
    try:
        (path,) = internal.call("CreateWithMasterPassword", "a{sv}(oayays)",
                                {"org.freedesktop.Secret.Collection.Label": ("s", "rec-tui lock test")},
                                format_secret(session, password, "text/plain"))
    except Exception as exc:  # noqa: BLE001 - not gnome-keyring, or a version without it
        connection.close()
        pytest.skip(f"cannot create a test collection: {type(exc).__name__}: {exc}")
    collection = secretstorage.Collection(connection, path, session=session)

    def unlock():
        internal.call("UnlockWithMasterPassword", "o(oayays)", path,
                      format_secret(session, password, "text/plain"))

    yield path, collection, unlock
    try:
        unlock()
        collection.delete()
    finally:
        connection.close()


@pytest.mark.keyring
def test_real_locked_collection(locked_collection):
    from keyring.backends import SecretService

    path, collection, unlock = locked_collection
    backend = SecretService.Keyring()
    backend.preferred_collection = path
    save_secret("prod", Secret(PLANTED), backend=backend)
    collection.lock()
    assert collection.is_locked()
    # gnome-keyring tries to show an unlock prompt, cannot (no display), and the call fails.
    for operation in (lambda: load_secret("prod", backend=backend),
                      lambda: save_secret("prod", Secret(PLANTED), backend=backend),
                      lambda: delete_secret("prod", backend=backend)):
        with pytest.raises(KeyringLocked, match="locked") as info:
            operation()
        assert PLANTED not in str(info.value)
        assert_unchained(info.value)
    unlock()
    assert load_secret("prod", backend=backend) == Secret(PLANTED)
    assert delete_secret("prod", backend=backend)


@pytest.mark.keyring
def test_real_missing_collection(secret_service):
    from keyring.backends import SecretService

    backend = SecretService.Keyring()
    backend.preferred_collection = "/org/freedesktop/secrets/collection/rec_2dtui_2dno_2dsuch"
    with pytest.raises(KeyringAccessError, match="collection") as info:
        save_secret("prod", Secret(PLANTED), backend=backend)
    assert not isinstance(info.value, KeyringLocked)
    assert PLANTED not in str(info.value)
    assert_unchained(info.value)


def test_module_keeps_secret_helpers_public():
    for name in credentials.__all__:
        assert hasattr(credentials, name), name


# --------------------------------------------------------------------------------------------
# The planted secret goes through every flow and shows up nowhere


def render_traceback(error: BaseException) -> str:
    """The traceback as Textual shows it, with every frame's locals, from the first rec_tui frame
    on (the test's own frames above it hold the plain values it planted)."""
    from rich.console import Console
    from rich.traceback import Traceback

    tb = error.__traceback__
    while tb is not None and f"{os.sep}rec_tui{os.sep}" not in tb.tb_frame.f_code.co_filename:
        tb = tb.tb_next
    assert tb is not None, "raised from rec_tui"
    console = Console(file=io.StringIO(), width=240, record=True)
    console.print(Traceback.from_exception(type(error), error, tb, show_locals=True,
                                           locals_max_string=10_000, locals_max_length=1_000))
    return console.export_text()


def _planted_secret_flows(tmp_path, caplog, backend):
    import dataclasses
    import logging

    from rec_tui.config import ConfigError, EnvProfileError, import_twilio_cli, profile_from_env

    caplog.set_level(logging.DEBUG)  # every logger: ours, keyring's, secretstorage's
    config_dir = tmp_path / "config"
    errors: list[BaseException] = []
    shown: list[object] = []

    def expect_error(operation, kind=Exception):
        try:
            operation()
        except kind as exc:
            errors.append(exc)
        else:
            raise AssertionError("expected an error")

    # Environment variables, complete and not.
    profile, secret = profile_from_env({"TWILIO_ACCOUNT_SID": ACCOUNT, "TWILIO_API_KEY": API_KEY,
                                        "TWILIO_API_SECRET": PLANTED})
    for partial in ({"TWILIO_API_SECRET": PLANTED}, {"SIGNALWIRE_TOKEN": PLANTED},
                    {"TWILIO_ACCOUNT_SID": "AC" + PLANTED, "TWILIO_AUTH_TOKEN": PLANTED},
                    {"TWILIO_ACCOUNT_SID": ACCOUNT, "TWILIO_AUTH_TOKEN": PLANTED, "SIGNALWIRE_SPACE": "example",
                     "SIGNALWIRE_PROJECT_ID": "12345678-1234-1234-1234-123456789abc", "SIGNALWIRE_TOKEN": PLANTED}):
        expect_error(lambda partial=partial: profile_from_env(partial), EnvProfileError)

    # Save it as a profile.
    store = ProfileStore(config_dir)
    env_profile = store.add(dataclasses.replace(profile, name="from-env"))
    save_secret(env_profile, secret, backend=backend)

    # Import from twilio-cli (its file holds the plain secret: it lives outside the config dir).
    cli_file = tmp_path / "twilio-cli" / "config.json"
    cli_file.parent.mkdir()
    cli_file.write_text(json.dumps({"profiles": {"cli prod": {"accountSid": ACCOUNT, "apiKey": API_KEY,
                                                              "apiSecret": PLANTED}}, "activeProfile": "cli prod"}))
    imported = import_twilio_cli(cli_file)
    (item,) = imported.importable
    store.add(item.profile)
    save_secret(item.profile, item.secret, backend=backend)
    store.save()
    shown += [imported, item, imported.notice(item)]
    broken = tmp_path / "twilio-cli" / "broken.json"
    broken.write_text('{"profiles": {"x": {"apiSecret": "' + PLANTED + '"')
    expect_error(lambda: import_twilio_cli(broken), ConfigError)

    # Load it back, the way the app will.
    reloaded = ProfileStore(config_dir).load()
    for name in ("from-env", "cli-prod"):
        credentials = load_credentials(reloaded.get(name), backend=backend)
        assert credentials.secret.reveal() == PLANTED
        shown.append(credentials)

    # Failures on the way.
    for failing in (RaisingKeyring(keyring.errors.PasswordSetError), RaisingKeyring(keyring.errors.KeyringLocked),
                    RaisingKeyring(OSError), fail.Keyring(), PlaintextKeyring()):
        expect_error(lambda failing=failing: save_secret("from-env", secret, backend=failing), CredentialsError)

    # Log out of both.
    shown.append(logout("from-env", reloaded, backend=backend))
    shown.append(logout("cli-prod", reloaded, backend=backend))
    expect_error(lambda: load_secret("cli-prod", backend=backend), SecretNotFound)

    shown += [profile, secret, store, reloaded, env_profile, item.profile, caplog.text]
    for obj in shown:
        assert PLANTED not in repr(obj) and PLANTED not in str(obj), obj
    for record in caplog.records:
        assert PLANTED not in record.getMessage()
        assert PLANTED not in repr(record.args)
        assert PLANTED not in (record.exc_text or "")
    for error in errors:
        assert PLANTED not in str(error) and PLANTED not in repr(error), error
        assert PLANTED not in render_traceback(error), error
    files = [path for path in config_dir.rglob("*") if path.is_file()]
    assert files  # profiles.toml at least
    for path in files:
        assert PLANTED.encode() not in path.read_bytes(), path
    return errors


def test_planted_secret_appears_nowhere(tmp_path, caplog, memory):
    errors = _planted_secret_flows(tmp_path, caplog, memory)
    assert len(errors) >= 10
    assert memory.store == {}  # logout removed both


@pytest.mark.keyring
def test_planted_secret_appears_nowhere_with_the_real_secret_service(tmp_path, caplog, secret_service):
    _planted_secret_flows(tmp_path, caplog, None)


# --------------------------------------------------------------------------------------------
# scripts/with-test-session.sh

SCRIPT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "scripts",
                      "with-test-session.sh")
PROBE = r"""
import json, os, sys
from rec_tui.credentials import Secret, keyring_status, load_secret, save_secret
status = keyring_status()
if status.ok and os.environ.get("REC_TUI_TEST_KEYRING") == "1":  # only ever the throw-away keyring
    save_secret("probe", Secret("v"))
    assert load_secret("probe").reveal() == "v"
names = ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR", "REC_TUI_CONFIG_DIR",
         "REC_TUI_TEST_KEYRING", "REC_TUI_NO_TEST_KEYRING", "DBUS_SESSION_BUS_ADDRESS")
print(json.dumps({"env": {name: os.environ.get(name) for name in names}, "backend": status.backend_name,
                  "ok": status.ok}))
sys.exit(7)
"""


def run_script(*args, env=None):
    import subprocess
    import sys

    return subprocess.run([SCRIPT, sys.executable, "-c", PROBE, *args], capture_output=True, text=True,
                          timeout=120, env=env, cwd=os.path.dirname(os.path.dirname(SCRIPT)))


def test_script_runs_the_command_in_a_private_keyring_session(tmp_path):
    import shutil

    if not (shutil.which("dbus-run-session") and shutil.which("gnome-keyring-daemon")):
        pytest.skip("needs dbus-run-session and gnome-keyring-daemon (apt install dbus gnome-keyring)")
    env = {**os.environ, "HOME": str(tmp_path / "real-home"), "DBUS_SESSION_BUS_ADDRESS": "unix:path=/nonexistent"}
    result = run_script(env=env)
    assert result.returncode == 7, result.stderr  # the command's own status
    report = json.loads(result.stdout.strip().splitlines()[-1])
    inside = report["env"]
    session_dir = os.path.dirname(inside["HOME"])
    assert os.path.basename(session_dir).startswith("rec-tui-test-session.")
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR", "REC_TUI_CONFIG_DIR"):
        assert inside[name].startswith(session_dir + os.sep), name
    assert inside["DBUS_SESSION_BUS_ADDRESS"] != "unix:path=/nonexistent"
    if inside["REC_TUI_NO_TEST_KEYRING"]:
        pytest.skip(f"the session started, but: {inside['REC_TUI_NO_TEST_KEYRING']}")
    assert inside["REC_TUI_TEST_KEYRING"] == "1"
    assert report["ok"] and report["backend"] == "keyring.backends.SecretService.Keyring"
    assert not os.path.exists(session_dir)  # removed afterwards, keyring files and all
    assert not (tmp_path / "real-home").exists()  # the real HOME was never touched


def test_script_without_the_tools_still_runs_the_command(tmp_path):
    import shutil

    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("needs bash")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "bash").symlink_to(bash)
    result = run_script(env={**os.environ, "PATH": str(bin_dir), "HOME": str(tmp_path / "home"),
                             "DBUS_SESSION_BUS_ADDRESS": "unix:path=/nonexistent", "REC_TUI_TEST_KEYRING": "1"})
    assert result.returncode == 7, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    reason = report["env"]["REC_TUI_NO_TEST_KEYRING"]
    assert "dbus-run-session" in reason and "gnome-keyring-daemon" in reason
    assert report["env"]["REC_TUI_TEST_KEYRING"] is None
    assert "keyring tests will be skipped" in result.stderr
