"""Profiles: validation, the profiles file, environment variables, and the twilio-cli import."""

from __future__ import annotations

import json
import os
import stat
import sys
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rec_tui import config
from rec_tui.config import (
    ENV_PROFILE_NAME,
    ConfigError,
    EnvProfileError,
    Profile,
    ProfileError,
    ProfileNotFound,
    ProfileStore,
    TwilioCliImport,
    default_config_dir,
    import_twilio_cli,
    make_profile,
    profile_from_env,
    profile_name_from,
    validate_profile,
    write_atomic,
)
from rec_tui.credentials import Secret

ACCOUNT = "AC" + "0123456789abcdef" * 2
ACCOUNT2 = "AC" + "a" * 32
API_KEY = "SK" + "fedcba9876543210" * 2
PROJECT = "6f1c1a2e-9f0b-4c3d-8e7f-0a1b2c3d4e5f"
PLANTED = "pl4nted-S3CRET-value-7d1e"


def twilio(name="prod", **fields):
    return make_profile(name, "twilio", account_sid=fields.pop("account_sid", ACCOUNT), **fields)


def signalwire(name="sw", **fields):
    return make_profile(name, "signalwire", account_sid=fields.pop("account_sid", PROJECT),
                        space=fields.pop("space", "example"), **fields)


def custom(name="emu", **fields):
    return make_profile(name, "custom", account_sid=fields.pop("account_sid", ACCOUNT),
                        base_url=fields.pop("base_url", "http://127.0.0.1:8080"), **fields)


# --------------------------------------------------------------------------------------------
# Validation


@pytest.mark.parametrize(
    "profile",
    [
        twilio(),
        twilio(api_key_sid=API_KEY),
        twilio(account_sid="AC" + ACCOUNT[2:].upper()),
        twilio(region="au1", edge="sydney"),
        twilio(region="ie1"),  # the default edge is filled in
        twilio(edge="sydney"),  # us1 is implied
        twilio(name="eu.prod_2-b"),
        signalwire(),
        signalwire(space="my-space-2"),
        custom(),
        custom(base_url="http://localhost:9000/"),
        custom(base_url="http://[::1]:9000"),
        custom(base_url="http://127.8.9.10"),
        custom(base_url="https://api.example.com/prefix"),
        custom(account_sid=PROJECT, api_key_sid=API_KEY),
    ],
    ids=lambda profile: f"{profile.provider}-{profile.name}-{profile.region}-{profile.edge}-{profile.base_url}",
)
def test_valid_profiles(profile):
    assert validate_profile(profile) == {}
    assert profile.check() is profile


@pytest.mark.parametrize(
    ("profile", "field", "words"),
    [
        (twilio(name=""), "name", "name"),
        (twilio(name="has space"), "name", "letters"),
        (twilio(name="-dash"), "name", "starting"),
        (twilio(name="x" * 65), "name", "64"),
        (twilio(account_sid=""), "account_sid", "Account SID"),
        (twilio(account_sid="AC123"), "account_sid", "32 hex"),
        (twilio(account_sid=PROJECT), "account_sid", "32 hex"),
        (twilio(auth_method="api_key"), "api_key_sid", "SK"),
        (twilio(api_key_sid="SK123"), "api_key_sid", "32 hex"),
        (twilio(api_key_sid=ACCOUNT), "api_key_sid", "SK"),
        (twilio(auth_method="auth_token", api_key_sid=API_KEY), "api_key_sid", "api_key"),
        (Profile("p", account_sid=ACCOUNT, auth_method="password"), "auth_method", "auth_token"),
        (twilio(region="AU 1"), "region", "lower-case"),
        (Profile("p", account_sid=ACCOUNT, region="Au1", edge="sydney"), "region", "lower-case"),
        (twilio(region="au1", edge="syd_ney"), "edge", "lower-case"),
        (twilio(region="zz9"), "edge", "set the edge"),
        (twilio(space="example"), "space", "SignalWire"),
        (twilio(base_url="https://x.example"), "base_url", "custom"),
        (signalwire(account_sid=ACCOUNT), "account_sid", "UUID"),
        (signalwire(account_sid=""), "account_sid", "Project ID"),
        (signalwire(space=""), "space", "space name"),
        (signalwire(space="under_score"), "space", "lower-case"),
        (signalwire(auth_method="api_key"), "auth_method", "API token"),
        (signalwire(api_key_sid=API_KEY), "api_key_sid", "not used"),
        (signalwire(region="us1"), "region", "only used for Twilio"),
        (custom(base_url=""), "base_url", "base URL"),
        (custom(base_url="http://10.0.0.5:8080"), "base_url", "https"),
        (custom(base_url="http://api.example.com"), "base_url", "https"),
        (custom(base_url="http://127.0.0.1.example.com"), "base_url", "https"),
        (custom(base_url="ftp://127.0.0.1"), "base_url", "http(s)"),
        (custom(base_url="https://user:pw@api.example.com"), "base_url", "password"),
        (custom(base_url="https://api.example.com/?x=1"), "base_url", "query"),
        (custom(base_url="https://api.example.com:99999"), "base_url", "valid"),
        (custom(base_url="127.0.0.1:8080"), "base_url", "http(s)"),
        (custom(base_url="https://api.example.com/a path"), "base_url", "spaces"),
        (custom(account_sid="nope"), "account_sid", "UUID"),
        (Profile("p", provider="twilio-ish", account_sid=ACCOUNT), "provider", "twilio"),
    ],
)
def test_invalid_profiles_say_which_field_and_why(profile, field, words):
    errors = validate_profile(profile)
    assert field in errors, errors
    assert words in errors[field]
    with pytest.raises(ProfileError) as info:
        profile.check()
    assert info.value.errors == errors


def test_messages_do_not_repeat_the_values():
    bad = "ACnot-a-sid-but-maybe-a-pasted-token"
    errors = validate_profile(twilio(account_sid=bad, api_key_sid="SK" + bad, region="zz9"))
    assert errors
    for message in errors.values():
        assert bad not in message and "zz9" not in message


def test_make_profile_cleans_what_people_type():
    profile = make_profile(" prod ", " Twilio ", account_sid=f"  {ACCOUNT}\n", api_key_sid=f" {API_KEY} ",
                           region=" AU1 ", edge=" Sydney ", space=" ", base_url="")
    assert profile == Profile("prod", "twilio", ACCOUNT, "api_key", API_KEY, "au1", "sydney")
    for space in ("Example", "example.signalwire.com", "https://example.signalwire.com/", " EXAMPLE.signalwire.com "):
        assert signalwire(space=space).space == "example"
    assert custom(base_url="http://127.0.0.1:8080/").base_url == "http://127.0.0.1:8080"


@pytest.mark.parametrize(
    ("region", "edge", "host"),
    [
        (None, None, "api.twilio.com"),
        ("au1", "sydney", "api.sydney.au1.twilio.com"),
        ("ie1", None, "api.dublin.ie1.twilio.com"),
        ("jp1", None, "api.tokyo.jp1.twilio.com"),
        (None, "sydney", "api.sydney.us1.twilio.com"),
        ("us1", "roaming", "api.roaming.us1.twilio.com"),
    ],
)
def test_twilio_region_and_edge_follow_the_sdk(region, edge, host):
    profile = twilio(region=region, edge=edge)
    assert profile.api_host == host
    endpoint = profile.endpoint()
    assert endpoint.origin == f"https://{host}"
    assert endpoint.api_root == "/2010-04-01"


def test_endpoints_for_signalwire_and_custom():
    endpoint = signalwire().endpoint()
    assert (endpoint.origin, endpoint.api_root) == ("https://example.signalwire.com", "/api/laml/2010-04-01")
    endpoint = custom().endpoint()
    assert (endpoint.origin, endpoint.api_root) == ("http://127.0.0.1:8080", "/2010-04-01")
    with pytest.raises(ProfileError):
        custom(base_url="http://10.1.1.1").endpoint()


def test_username_and_labels():
    assert twilio().username == ACCOUNT and twilio().secret_label == "Auth Token"
    assert twilio(api_key_sid=API_KEY).username == API_KEY
    assert twilio(api_key_sid=API_KEY).secret_label == "API key secret"
    assert signalwire().username == PROJECT and signalwire().secret_label == "API token"
    described = twilio(api_key_sid=API_KEY, region="au1").describe()
    assert "prod" in described and "Twilio" in described and "api.sydney.au1.twilio.com" in described


def test_profile_name_from():
    assert profile_name_from("my profile/1") == "my-profile-1"
    assert profile_name_from("---") == "imported"
    assert twilio(name=profile_name_from("x" * 100 + " y")).validate() == {}


# --------------------------------------------------------------------------------------------
# The profiles file


def test_config_dir_from_parameter_environment_and_platformdirs(tmp_path, monkeypatch):
    assert ProfileStore(tmp_path / "a").path == tmp_path / "a" / "profiles.toml"
    assert ProfileStore(environ={"REC_TUI_CONFIG_DIR": str(tmp_path / "b")}).path == tmp_path / "b" / "profiles.toml"
    monkeypatch.setenv("REC_TUI_CONFIG_DIR", str(tmp_path / "c"))
    assert ProfileStore().path == tmp_path / "c" / "profiles.toml"
    monkeypatch.delenv("REC_TUI_CONFIG_DIR")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    if sys.platform.startswith("linux"):
        assert default_config_dir() == tmp_path / "xdg" / "rec-tui"
    assert default_config_dir({"REC_TUI_CONFIG_DIR": "~/x"}) == Path.home() / "x"


def test_store_round_trip(tmp_path):
    store = ProfileStore(tmp_path)
    profiles = [
        twilio("prod", api_key_sid=API_KEY, region="au1", edge="sydney"),
        twilio("plain"),
        signalwire("sw.eu"),
        custom("emulator"),
    ]
    for profile in profiles:
        store.add(profile)
    store.set_default("sw.eu")
    store.save()
    loaded = ProfileStore(tmp_path).load()
    assert loaded.profiles == tuple(profiles)
    assert loaded.names() == ["prod", "plain", "sw.eu", "emulator"]
    assert loaded.default == "sw.eu"
    assert loaded.get() == profiles[2]
    assert loaded.warnings == []
    assert len(loaded) == 4 and "plain" in loaded and list(loaded) == profiles
    text = store.path.read_text()
    assert "No secrets here" in text
    assert tomllib.loads(text)["profiles"]["prod"] == {
        "provider": "twilio", "account_sid": ACCOUNT, "auth_method": "api_key", "api_key_sid": API_KEY,
        "region": "au1", "edge": "sydney",
    }


def test_store_add_remove_default(tmp_path):
    store = ProfileStore(tmp_path)
    assert store.default is None and store.names() == []
    with pytest.raises(ProfileNotFound, match="log in"):
        store.get()
    store.add(twilio("a"))
    store.add(twilio("b"))
    assert store.default == "a"  # the first profile becomes the default
    store.add(twilio("c"), make_default=True)
    assert store.default == "c"
    with pytest.raises(ConfigError, match="exists"):
        store.add(twilio("c"))
    store.add(twilio("c", account_sid=ACCOUNT2), replace=True)
    assert store.get("c").account_sid == ACCOUNT2
    with pytest.raises(ProfileError):
        store.add(twilio("d", account_sid="bad"))
    with pytest.raises(TypeError):
        store.add({"name": "e"})  # type: ignore[arg-type]
    assert store.remove("c").name == "c"
    assert store.default == "a"  # the first remaining one
    with pytest.raises(ProfileNotFound, match="'zzz'.*a, b"):
        store.get("zzz")
    with pytest.raises(KeyError):  # also a KeyError, for callers that expect one
        store.remove("zzz")
    store.set_default("b")
    store.rename("b", "bee")
    assert store.names() == ["a", "bee"] and store.default == "bee"
    with pytest.raises(ConfigError):
        store.rename("a", "bee")
    store.remove("a")
    store.remove("bee")
    assert store.default is None
    store.save()
    assert len(ProfileStore(tmp_path).load()) == 0
    assert "ProfileStore(" in repr(store)


def test_missing_file_is_an_empty_store(tmp_path):
    store = ProfileStore(tmp_path / "nowhere").load()
    assert len(store) == 0 and store.default is None and store.warnings == []
    assert not (tmp_path / "nowhere").exists()  # loading creates nothing


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_file_mode_0600_and_directory_0700(tmp_path):
    old_umask = os.umask(0o022)
    try:
        store = ProfileStore(tmp_path / "new-dir")
        store.add(twilio())
        store.save()
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(store.path.parent.stat().st_mode) == 0o700
    store.path.chmod(0o644)  # someone loosened it: the next save tightens it again
    store.save()
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600


def test_atomic_write_keeps_the_old_file_when_replacing_fails(tmp_path, monkeypatch):
    store = ProfileStore(tmp_path)
    store.add(twilio("old"))
    store.save()
    before = store.path.read_bytes()
    store.add(twilio("new"))

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(config.os, "replace", broken_replace)
    with pytest.raises(OSError):
        store.save()
    assert store.path.read_bytes() == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["profiles.toml"]  # no temp file left


def test_atomic_write_syncs_and_replaces_in_the_same_directory(tmp_path, monkeypatch):
    synced, replaced = [], []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(config.os, "fsync", lambda fd: (synced.append(fd), real_fsync(fd))[1])
    monkeypatch.setattr(config.os, "replace", lambda a, b: (replaced.append((Path(a), Path(b))), real_replace(a, b))[1])
    target = tmp_path / "profiles.toml"
    write_atomic(target, b"version = 1\n")
    assert target.read_bytes() == b"version = 1\n"
    assert len(synced) >= 1  # the file (and, on POSIX, the directory)
    ((source, destination),) = replaced
    assert source.parent == destination.parent == tmp_path and source != destination


def test_interrupted_write_leaves_no_partial_file(tmp_path, monkeypatch):
    target = tmp_path / "profiles.toml"
    target.write_text("version = 1\n")

    def failing_fsync(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(config.os, "fsync", failing_fsync)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, b"version = 1\n# a much longer new text\n")
    assert target.read_text() == "version = 1\n"
    assert [path.name for path in tmp_path.iterdir()] == ["profiles.toml"]


def test_malformed_file(tmp_path):
    path = tmp_path / "profiles.toml"
    path.write_text('version = 1\n[profiles.prod\nauth_token = "' + PLANTED + '"\n')
    with pytest.raises(ConfigError, match="not valid TOML") as info:
        ProfileStore(tmp_path).load()
    assert str(path) in str(info.value)
    assert PLANTED not in str(info.value)
    assert info.value.__context__ is None


def test_other_format_version(tmp_path):
    (tmp_path / "profiles.toml").write_text("version = 2\n")
    with pytest.raises(ConfigError, match="version 2"):
        ProfileStore(tmp_path).load()


def test_unknown_keys_invalid_profiles_and_pasted_secrets_are_reported(tmp_path):
    (tmp_path / "profiles.toml").write_text(f"""
version = 1
default = "gone"
colour = "blue"

[profiles.prod]
provider = "twilio"
account_sid = "{ACCOUNT}"
auth_token = "{PLANTED}"
nickname = "p"

[profiles.broken]
provider = "twilio"
account_sid = "AC123"

[profiles.odd]
provider = "twilio"
account_sid = 42
""")
    store = ProfileStore(tmp_path).load()
    assert store.names() == ["prod"]
    assert store.default is None
    text = "\n".join(store.warnings)
    assert "'auth_token' that looks like a secret" in text and "rec-tui login" in text
    assert "unknown key 'nickname'" in text and "unknown key 'colour'" in text
    assert "'broken'" in text and "skipped" in text
    assert "'odd'" in text
    assert "'gone' does not exist" in text
    assert PLANTED not in text and PLANTED not in repr(store) and PLANTED not in repr(store.profiles)
    # Saving rewrites the file without the pasted secret.
    store.save()
    assert PLANTED not in store.path.read_text()


def test_a_secret_cannot_be_smuggled_into_the_file(tmp_path):
    store = ProfileStore(tmp_path)
    sneaky = Profile("prod", account_sid=ACCOUNT)
    object.__setattr__(sneaky, "region", Secret(PLANTED))
    store._profiles["prod"] = sneaky  # bypassing add()'s validation on purpose
    with pytest.raises(TypeError):
        store.save()
    assert not store.path.exists()


names = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{0,20}", fullmatch=True)
labels = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?", fullmatch=True)
hex32 = st.text("0123456789abcdefABCDEF", min_size=32, max_size=32)


@st.composite
def valid_profiles(draw):
    name = draw(names)
    provider = draw(st.sampled_from(["twilio", "signalwire", "custom"]))
    if provider == "signalwire":
        return signalwire(name, account_sid=str(draw(st.uuids())), space=draw(labels))
    key = draw(st.none() | hex32.map(lambda h: "SK" + h))
    account = "AC" + draw(hex32)
    if provider == "custom":
        url = draw(st.sampled_from(["http://127.0.0.1:8080", "https://api.example.com", "http://[::1]:1",
                                    "https://h.example/ü-path"]))
        return custom(name, account_sid=account, api_key_sid=key, base_url=url)
    edge = draw(st.none() | labels)
    region = draw(st.sampled_from(sorted(config.TWILIO_REGION_DEFAULT_EDGE)) | labels) if edge else draw(
        st.none() | st.sampled_from(sorted(config.TWILIO_REGION_DEFAULT_EDGE)))
    return twilio(name, account_sid=account, api_key_sid=key, region=region, edge=edge)


@settings(max_examples=60, deadline=None)
@given(st.lists(valid_profiles(), min_size=1, max_size=5, unique_by=lambda p: p.name), st.data())
def test_any_valid_profiles_round_trip(tmp_path_factory, profiles, data):
    directory = tmp_path_factory.mktemp("store")
    store = ProfileStore(directory)
    for profile in profiles:
        assert profile.validate() == {}, profile
        store.add(profile)
    default = data.draw(st.sampled_from([p.name for p in profiles]))
    store.set_default(default)
    store.save()
    loaded = ProfileStore(directory).load()
    assert loaded.profiles == tuple(profiles)
    assert loaded.default == default
    assert loaded.warnings == []


# --------------------------------------------------------------------------------------------
# Environment variables


def test_no_account_in_the_environment():
    assert profile_from_env({}) is None
    assert profile_from_env({"TWILIO_REGION": "au1", "TWILIO_EDGE": "sydney", "PATH": "/bin"}) is None
    assert profile_from_env({"TWILIO_ACCOUNT_SID": "  ", "TWILIO_AUTH_TOKEN": ""}) is None


def test_twilio_auth_token_from_the_environment():
    profile, secret = profile_from_env({"TWILIO_ACCOUNT_SID": f" {ACCOUNT} ", "TWILIO_AUTH_TOKEN": f"{PLANTED}\n"})
    assert profile == Profile(ENV_PROFILE_NAME, "twilio", ACCOUNT, "auth_token")
    assert secret.reveal() == PLANTED
    assert profile.username == ACCOUNT


def test_twilio_api_key_from_the_environment_wins_over_the_token():
    profile, secret = profile_from_env({
        "TWILIO_ACCOUNT_SID": ACCOUNT, "TWILIO_AUTH_TOKEN": "token", "TWILIO_API_KEY": API_KEY,
        "TWILIO_API_SECRET": PLANTED, "TWILIO_REGION": "AU1", "TWILIO_EDGE": "sydney",
    })
    assert profile == Profile(ENV_PROFILE_NAME, "twilio", ACCOUNT, "api_key", API_KEY, "au1", "sydney")
    assert secret == Secret(PLANTED)
    assert profile.username == API_KEY


def test_signalwire_from_the_environment():
    profile, secret = profile_from_env({
        "SIGNALWIRE_SPACE": "example.signalwire.com", "SIGNALWIRE_PROJECT_ID": PROJECT, "SIGNALWIRE_TOKEN": PLANTED,
    })
    assert profile == Profile(ENV_PROFILE_NAME, "signalwire", PROJECT, "auth_token", space="example")
    assert secret == Secret(PLANTED)


@pytest.mark.parametrize(
    ("environ", "missing", "present"),
    [
        ({"TWILIO_AUTH_TOKEN": PLANTED}, ["TWILIO_ACCOUNT_SID"], []),
        ({"TWILIO_ACCOUNT_SID": ACCOUNT}, ["TWILIO_AUTH_TOKEN", "TWILIO_API_KEY and TWILIO_API_SECRET"], []),
        ({"TWILIO_ACCOUNT_SID": ACCOUNT, "TWILIO_API_KEY": API_KEY}, ["TWILIO_API_SECRET"], ["TWILIO_API_KEY,"]),
        ({"TWILIO_ACCOUNT_SID": ACCOUNT, "TWILIO_API_SECRET": PLANTED}, ["TWILIO_API_KEY"], []),
        ({"TWILIO_API_SECRET": PLANTED}, ["TWILIO_ACCOUNT_SID", "TWILIO_API_KEY"], []),
        ({"SIGNALWIRE_TOKEN": PLANTED}, ["SIGNALWIRE_SPACE", "SIGNALWIRE_PROJECT_ID"], ["SIGNALWIRE_TOKEN"]),
        ({"SIGNALWIRE_SPACE": "x", "SIGNALWIRE_PROJECT_ID": PROJECT}, ["SIGNALWIRE_TOKEN"], ["SIGNALWIRE_SPACE,"]),
    ],
)
def test_partial_sets_list_what_is_missing(environ, missing, present):
    with pytest.raises(EnvProfileError, match="incomplete") as info:
        profile_from_env(environ)
    message = str(info.value)
    for name in missing:
        assert name in message
    for text in present:
        assert text not in message
    for value in environ.values():
        assert value not in message or value in ("x",)


@pytest.mark.parametrize(
    ("environ", "variable"),
    [
        ({"TWILIO_ACCOUNT_SID": "AC" + PLANTED, "TWILIO_AUTH_TOKEN": PLANTED}, "TWILIO_ACCOUNT_SID"),
        ({"TWILIO_ACCOUNT_SID": ACCOUNT, "TWILIO_API_KEY": "SK" + PLANTED, "TWILIO_API_SECRET": PLANTED},
         "TWILIO_API_KEY"),
        ({"TWILIO_ACCOUNT_SID": ACCOUNT, "TWILIO_AUTH_TOKEN": PLANTED, "TWILIO_REGION": "au_1"}, "TWILIO_REGION"),
        ({"TWILIO_ACCOUNT_SID": ACCOUNT, "TWILIO_AUTH_TOKEN": PLANTED, "TWILIO_REGION": "zz9"}, "TWILIO_EDGE"),
        ({"SIGNALWIRE_SPACE": "example", "SIGNALWIRE_PROJECT_ID": ACCOUNT, "SIGNALWIRE_TOKEN": PLANTED},
         "SIGNALWIRE_PROJECT_ID"),
        ({"SIGNALWIRE_SPACE": "bad_space", "SIGNALWIRE_PROJECT_ID": PROJECT, "SIGNALWIRE_TOKEN": PLANTED},
         "SIGNALWIRE_SPACE"),
    ],
)
def test_invalid_values_name_the_variable_not_the_value(environ, variable):
    with pytest.raises(EnvProfileError) as info:
        profile_from_env(environ)
    assert variable in str(info.value)
    assert PLANTED.lower() not in str(info.value).lower()
    assert info.value.__context__ is None


def test_both_providers_in_the_environment_is_ambiguous():
    with pytest.raises(EnvProfileError, match="unset one"):
        profile_from_env({"TWILIO_ACCOUNT_SID": ACCOUNT, "TWILIO_AUTH_TOKEN": PLANTED, "SIGNALWIRE_SPACE": "example",
                          "SIGNALWIRE_PROJECT_ID": PROJECT, "SIGNALWIRE_TOKEN": PLANTED})


def test_environment_defaults_to_os_environ(monkeypatch):
    for name in config.TWILIO_ENV + config.SIGNALWIRE_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TWILIO_ACCOUNT_SID", ACCOUNT)
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", PLANTED)
    profile, secret = profile_from_env()
    assert profile.account_sid == ACCOUNT and secret == Secret(PLANTED)


# --------------------------------------------------------------------------------------------
# twilio-cli import

MODERN = {
    "edge": None,
    "email": {},
    "prompts": {},
    "projects": [],
    "profiles": {
        "prod": {"accountSid": ACCOUNT, "apiKey": API_KEY, "apiSecret": PLANTED, "region": "au1", "edge": "sydney"},
        "dev box": {"accountSid": ACCOUNT2, "apiKey": "SK" + "1" * 32, "apiSecret": "dev-secret"},
        "nosecret": {"accountSid": ACCOUNT2, "apiKey": "SK" + "2" * 32},
        "badsid": {"accountSid": "AC-nope", "apiKey": "SK" + "3" * 32, "apiSecret": "s3"},
    },
    "activeProfile": "prod",
}

LEGACY = {
    "edge": "dublin",
    "email": {},
    "prompts": {},
    "projects": [{"id": "old", "accountSid": ACCOUNT, "region": "ie1"}],
    "activeProject": "old",
}


def write_json(path: Path, document) -> Path:
    path.write_text(json.dumps(document, indent=2))
    return path


def test_import_current_twilio_cli(tmp_path):
    source = write_json(tmp_path / "config.json", MODERN)
    result = import_twilio_cli(source)
    assert isinstance(result, TwilioCliImport)
    assert result.path == source and result.active_profile == "prod"
    by_id = {item.source_id: item for item in result.profiles}
    assert set(by_id) == {"prod", "dev box", "nosecret", "badsid"}

    prod = by_id["prod"]
    assert prod.importable and prod.active
    assert prod.profile == Profile("prod", "twilio", ACCOUNT, "api_key", API_KEY, "au1", "sydney")
    assert prod.secret == Secret(PLANTED)

    dev = by_id["dev box"]
    assert dev.importable and not dev.active
    assert dev.profile.name == "dev-box" and dev.profile.username == "SK" + "1" * 32

    assert not by_id["nosecret"].importable and "no API key secret" in by_id["nosecret"].problem
    assert not by_id["badsid"].importable and "account_sid" in by_id["badsid"].problem
    assert by_id["badsid"].secret is None
    assert [item.source_id for item in result.importable] == ["prod", "dev box"]

    notice = result.notice(prod)
    assert str(source) in notice and "plain-text copy" in notice and "twilio profiles:remove prod" in notice
    for shown in (repr(result), repr(prod), notice, str(result.profiles)):
        assert PLANTED not in shown


def test_import_legacy_twilio_cli_explains_the_keychain(tmp_path):
    result = import_twilio_cli(write_json(tmp_path / "config.json", LEGACY))
    (old,) = result.profiles
    assert not old.importable and old.active
    assert "keychain" in old.problem and "profiles:port" in old.problem
    assert old.profile.region == "ie1" and old.profile.edge == "dublin"  # the top-level edge applies


def test_import_auth_token_style_profile(tmp_path):
    document = {"profiles": {"tok": {"accountSid": ACCOUNT, "apiKey": ACCOUNT, "apiSecret": PLANTED}}}
    (item,) = import_twilio_cli(write_json(tmp_path / "config.json", document)).profiles
    assert item.importable
    assert item.profile.auth_method == "auth_token" and item.profile.api_key_sid is None


def test_import_missing_file(tmp_path):
    result = import_twilio_cli(tmp_path / "nope.json")
    assert result.profiles == () and result.importable == ()


def test_import_default_path(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    write_json(tmp_path / "config.json", MODERN)
    (tmp_path / ".twilio-cli").mkdir()
    write_json(tmp_path / ".twilio-cli" / "config.json", MODERN)
    assert config.default_twilio_cli_config() == tmp_path / ".twilio-cli" / "config.json"
    assert len(import_twilio_cli().profiles) == 4


@pytest.mark.parametrize("content", [
    '{"profiles": {"prod": {"apiSecret": "' + PLANTED + '",}}}',
    b'{"profiles": "\xff' + PLANTED.encode() + b'"}',
    "[1, 2]",
])
def test_import_malformed_file_does_not_show_its_content(tmp_path, content):
    path = tmp_path / "config.json"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(ConfigError) as info:
        import_twilio_cli(path)
    assert str(path) in str(info.value)
    assert PLANTED not in str(info.value)
    assert info.value.__context__ is None and info.value.__cause__ is None


def test_import_unreadable_file(tmp_path):
    with pytest.raises(ConfigError, match="cannot read"):
        import_twilio_cli(tmp_path)  # a directory


def test_module_exports():
    for name in config.__all__:
        assert hasattr(config, name), name
