"""Profiles: which account on which provider (no Textual, and never a secret).

A :class:`Profile` names an account: Twilio (optionally with a region and edge), SignalWire
(a space and a Project ID) or any Twilio-compatible base URL (e.g. the emulator). Its secret lives
in the OS keyring (:mod:`rec_tui.credentials`); nothing in this module writes one anywhere.

Profiles come from three places:

* ``profiles.toml`` in ``platformdirs.user_config_dir("rec-tui")`` (or ``$REC_TUI_CONFIG_DIR``),
  read and written by :class:`ProfileStore`;
* environment variables, like Twilio's own tools (:func:`profile_from_env`);
* an import from twilio-cli's ``~/.twilio-cli/config.json`` (:func:`import_twilio_cli`).

The file format (``version = 1``)::

    # rec-tui profiles. No secrets here: they live in the OS keyring (service "rec-tui").
    version = 1
    default = "prod"

    [profiles."prod"]
    provider = "twilio"
    account_sid = "AC…"
    auth_method = "api_key"
    api_key_sid = "SK…"
    region = "au1"
    edge = "sydney"

    [profiles."sw"]
    provider = "signalwire"
    account_sid = "<project id, a UUID>"
    auth_method = "auth_token"
    space = "example"

Fields that are unset are left out. Unknown keys are ignored with a warning (see
:attr:`ProfileStore.warnings`); a key that looks like a secret gets a warning telling the user to
remove it, and its value is never read.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import os
import re
import tempfile
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from rec_tui.credentials import Secret

log = logging.getLogger("rec_tui.config")

APP_NAME = "rec-tui"
CONFIG_DIR_ENV = "REC_TUI_CONFIG_DIR"
PROFILES_FILE = "profiles.toml"
FORMAT_VERSION = 1

PROVIDERS = ("twilio", "signalwire", "custom")
PROVIDER_LABELS = {"twilio": "Twilio", "signalwire": "SignalWire", "custom": "Custom"}
AUTH_METHODS = ("auth_token", "api_key")
#: The name given to a profile built from environment variables.
ENV_PROFILE_NAME = "environment"

#: Twilio's default edge for each processing region. Twilio's SDKs (late 2025 on) and twilio-cli
#: fill the edge in from this table when only a region is given, because the ``api.{region}.twilio.com``
#: form is being retired; an edge without a region implies ``us1``.
TWILIO_REGION_DEFAULT_EDGE = {
    "au1": "sydney",
    "br1": "sao-paulo",
    "de1": "frankfurt",
    "ie1": "dublin",
    "jp1": "tokyo",
    "jp2": "osaka",
    "sg1": "singapore",
    "us1": "ashburn",
    "us2": "umatilla",
}

_ACCOUNT_SID = re.compile(r"AC[0-9a-fA-F]{32}")
_API_KEY_SID = re.compile(r"SK[0-9a-fA-F]{32}")
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_DNS_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
_PROFILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
#: Keys that look like somebody put a secret into profiles.toml by hand.
_SECRETISH = re.compile(r"token|secret|password|passwd|credential|auth_?key", re.IGNORECASE)


class ConfigError(ValueError):
    """A profile, the profiles file or an import source is not usable. Never holds a secret."""


class ProfileError(ConfigError):
    """A profile failed validation; ``errors`` maps field names to messages."""

    def __init__(self, errors: Mapping[str, str], name: str | None = None) -> None:
        self.errors = dict(errors)
        prefix = f"profile {name!r}: " if name else ""
        super().__init__(prefix + "; ".join(f"{key}: {message}" for key, message in self.errors.items()))


class ProfileNotFound(ConfigError, KeyError):
    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else "profile not found"


class EnvProfileError(ConfigError):
    """The environment names an account, but not completely or not correctly."""


# --------------------------------------------------------------------------------------------
# Profile


@dataclass(frozen=True, slots=True)
class Profile:
    """One account on one provider. Validate with :func:`validate_profile` / :meth:`check`."""

    name: str
    provider: str = "twilio"
    #: Twilio Account SID (``AC`` + 32 hex); SignalWire Project ID (a UUID); either for custom.
    account_sid: str = ""
    auth_method: str = "auth_token"
    #: ``SK`` + 32 hex, only with ``auth_method == "api_key"`` (not used for SignalWire).
    api_key_sid: str | None = None
    region: str | None = None  # Twilio processing region, e.g. "au1"
    edge: str | None = None  # Twilio edge location, e.g. "sydney"
    space: str | None = None  # SignalWire space: "example" for example.signalwire.com
    base_url: str | None = None  # custom: e.g. the emulator's "http://127.0.0.1:8080"

    @property
    def username(self) -> str:
        """The HTTP Basic username: the API Key SID with an API key, else the Account SID /
        Project ID."""
        if self.auth_method == "api_key" and self.api_key_sid:
            return self.api_key_sid
        return self.account_sid

    @property
    def provider_label(self) -> str:
        return PROVIDER_LABELS.get(self.provider, self.provider)

    @property
    def secret_label(self) -> str:
        """What the secret is called for this profile, for prompts."""
        if self.provider == "signalwire":
            return "API token"
        return "API key secret" if self.auth_method == "api_key" else "Auth Token"

    def validate(self) -> dict[str, str]:
        return validate_profile(self)

    def check(self) -> Profile:
        """``self`` if valid, else :class:`ProfileError` with every problem."""
        errors = validate_profile(self)
        if errors:
            raise ProfileError(errors, self.name or None)
        return self

    def twilio_region_edge(self) -> tuple[str | None, str | None]:
        """The (region, edge) Twilio's SDKs would use: an edge alone implies ``us1``; a known
        region alone gets its default edge."""
        region, edge = self.region, self.edge
        if edge and not region:
            region = "us1"
        if region and not edge:
            edge = TWILIO_REGION_DEFAULT_EDGE.get(region)
        return region, edge

    @property
    def api_host(self) -> str:
        """The API's host (and port), for display."""
        if self.provider == "twilio":
            region, edge = self.twilio_region_edge()
            return ".".join(part for part in ("api", edge, region, "twilio.com") if part)
        if self.provider == "signalwire":
            return f"{self.space}.signalwire.com"
        return urlsplit(self.base_url or "").netloc

    def endpoint(self):
        """The :class:`rec_tui.api.Endpoint` for this profile (imports the API package)."""
        from rec_tui.api.providers import custom_endpoint, signalwire_endpoint, twilio_endpoint

        self.check()
        if self.provider == "twilio":
            return twilio_endpoint(*self.twilio_region_edge())
        if self.provider == "signalwire":
            return signalwire_endpoint(self.space or "")
        return custom_endpoint(self.base_url or "")

    def describe(self) -> str:
        """e.g. ``prod — Twilio AC0123…cdef (API key) at api.sydney.au1.twilio.com``."""
        sid = self.account_sid
        short = f"{sid[:6]}…{sid[-4:]}" if len(sid) > 12 else sid
        how = self.secret_label.removesuffix(" secret")
        return f"{self.name} — {self.provider_label} {short} ({how}) at {self.api_host}"

    def to_dict(self) -> dict[str, str]:
        """The non-empty fields except ``name`` (the TOML table of this profile)."""
        out: dict[str, str] = {}
        for spec in fields(self):
            value = getattr(self, spec.name)
            if spec.name != "name" and value not in (None, ""):
                if not isinstance(value, str):  # belt and braces: only plain strings are written
                    raise TypeError(f"profile field {spec.name} is not a string")
                out[spec.name] = value
        return out


PROFILE_FIELDS = tuple(spec.name for spec in fields(Profile))


def _clean(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def make_profile(name: str, provider: str = "twilio", *, account_sid: str | None = "",
                 auth_method: str | None = None, api_key_sid: str | None = None, region: str | None = None,
                 edge: str | None = None, space: str | None = None, base_url: str | None = None) -> Profile:
    """A :class:`Profile` from what a person typed: whitespace trimmed, empty → unset, region /
    edge / space lower-cased, ``example.signalwire.com`` or ``https://example.signalwire.com/``
    → ``example``, ``auth_method`` defaulting to ``api_key`` when an API Key SID is given.
    Not validated: call :func:`validate_profile`."""
    provider_clean = (_clean(provider) or "twilio").lower()
    key = _clean(api_key_sid)
    method = (_clean(auth_method) or ("api_key" if key and provider_clean != "signalwire" else "auth_token")).lower()
    space_clean = _clean(space)
    if space_clean:
        space_clean = space_clean.lower()
        if "://" in space_clean:
            space_clean = urlsplit(space_clean).hostname or space_clean
        space_clean = space_clean.rstrip("/")
        if space_clean.endswith(".signalwire.com"):
            space_clean = space_clean[: -len(".signalwire.com")]
    base = _clean(base_url)
    return Profile(
        name=_clean(name) or "",
        provider=provider_clean,
        account_sid=_clean(account_sid) or "",
        auth_method=method,
        api_key_sid=key,
        region=(_clean(region) or "").lower() or None,
        edge=(_clean(edge) or "").lower() or None,
        space=space_clean,
        base_url=base.rstrip("/") if base else None,
    )


def is_loopback_host(host: str | None) -> bool:
    if not host:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_base_url(url: str) -> str | None:
    """None if ``url`` is an acceptable API base URL, else why not."""
    if any(char.isspace() or ord(char) < 32 or ord(char) == 127 for char in url):
        return "must not contain spaces or control characters"
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        return "not a valid URL"
    if parts.scheme not in ("http", "https") or not host:
        return "must be an http(s) URL, e.g. https://api.example.com"
    if parts.username or parts.password:
        return "must not contain a user name or password (the secret goes in the keyring)"
    if parts.query or parts.fragment:
        return "must not have a query (?…) or fragment (#…)"
    if parts.scheme == "http" and not is_loopback_host(host):
        return ("must use https:// (plain http is only allowed to this machine: 127.0.0.1, ::1 or "
                "localhost), because credentials go with every request")
    return None


def validate_profile(profile: Profile) -> dict[str, str]:
    """Every problem with ``profile``, as ``{field: message}`` (empty when valid) for a form to
    show beside its fields. Messages never repeat the values."""
    errors: dict[str, str] = {}
    if not profile.name:
        errors["name"] = "give the profile a name, e.g. prod"
    elif not _PROFILE_NAME.fullmatch(profile.name):
        errors["name"] = ("use 1–64 letters, digits, '.', '_' or '-', starting with a letter or digit")

    provider = profile.provider
    if provider not in PROVIDERS:
        errors["provider"] = f"choose one of: {', '.join(PROVIDERS)}"
        return errors
    if profile.auth_method not in AUTH_METHODS:
        errors["auth_method"] = "choose auth_token or api_key"

    sid = profile.account_sid
    if provider == "twilio":
        if not sid:
            errors["account_sid"] = "enter your Account SID (AC followed by 32 hex digits)"
        elif not _ACCOUNT_SID.fullmatch(sid):
            errors["account_sid"] = "an Account SID is AC followed by 32 hex digits (34 characters)"
    elif provider == "signalwire":
        if not sid:
            errors["account_sid"] = "enter your SignalWire Project ID (a UUID)"
        elif not _UUID.fullmatch(sid):
            errors["account_sid"] = ("a SignalWire Project ID is a UUID "
                                     "(xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)")
    else:
        if not sid:
            errors["account_sid"] = "enter the Account SID (AC followed by 32 hex digits, or a UUID)"
        elif not (_ACCOUNT_SID.fullmatch(sid) or _UUID.fullmatch(sid)):
            errors["account_sid"] = "an Account SID is AC followed by 32 hex digits, or a UUID"

    if provider == "signalwire":
        if profile.auth_method == "api_key":
            errors["auth_method"] = "SignalWire uses the Project ID with an API token: choose auth_token"
        if profile.api_key_sid:
            errors["api_key_sid"] = "not used for SignalWire (the Project ID is the user name)"
    elif profile.auth_method == "api_key":
        if not profile.api_key_sid:
            errors["api_key_sid"] = "enter the API Key SID (SK followed by 32 hex digits)"
        elif not _API_KEY_SID.fullmatch(profile.api_key_sid):
            errors["api_key_sid"] = "an API Key SID is SK followed by 32 hex digits (34 characters)"
    elif profile.api_key_sid:
        errors["api_key_sid"] = "only used with auth_method api_key"

    if provider == "twilio":
        for key in ("region", "edge"):
            value = getattr(profile, key)
            if value is not None and not _DNS_LABEL.fullmatch(value):
                errors[key] = f"a Twilio {key} is lower-case letters, digits and '-', e.g. " + (
                    "au1" if key == "region" else "sydney")
        if (profile.region and not profile.edge and "region" not in errors
                and profile.region not in TWILIO_REGION_DEFAULT_EDGE):
            errors["edge"] = ("Twilio has no default edge for this region: set the edge too "
                              "(e.g. region au1 with edge sydney, ie1 with dublin, jp1 with tokyo)")
    else:
        for key in ("region", "edge"):
            if getattr(profile, key):
                errors[key] = "only used for Twilio"

    if provider == "signalwire":
        if not profile.space:
            errors["space"] = "enter your SignalWire space name: example for example.signalwire.com"
        elif not _DNS_LABEL.fullmatch(profile.space):
            errors["space"] = ("a space name is lower-case letters, digits and '-': "
                               "example for example.signalwire.com")
    elif profile.space:
        errors["space"] = "only used for SignalWire"

    if provider == "custom":
        if not profile.base_url:
            errors["base_url"] = "enter the API's base URL, e.g. http://127.0.0.1:8080 for the emulator"
        else:
            problem = check_base_url(profile.base_url)
            if problem:
                errors["base_url"] = problem
    elif profile.base_url:
        errors["base_url"] = "only used for a custom provider"
    return errors


# --------------------------------------------------------------------------------------------
# The profiles file


def default_config_dir(environ: Mapping[str, str] | None = None) -> Path:
    """``$REC_TUI_CONFIG_DIR`` if set, else ``platformdirs.user_config_dir("rec-tui")``."""
    environ = os.environ if environ is None else environ
    override = environ.get(CONFIG_DIR_ENV, "").strip()
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def _toml_string(value: str) -> str:
    # A JSON string literal (ASCII, \" \\ \n \uXXXX escapes) is also a TOML basic string.
    return json.dumps(value, ensure_ascii=True)


def write_atomic(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same directory: fsync, chmod
    ``mode``, rename over ``path``, fsync the directory. A crash leaves the old file or the new
    one, never a mix; readers never see a partial file."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            if hasattr(os, "fchmod"):
                os.fchmod(handle.fileno(), mode)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        try:
            os.unlink(tmp_name)
        except OSError:
            pass
        raise
    if hasattr(os, "O_DIRECTORY"):
        try:
            dir_fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
        except OSError:
            return
        try:
            os.fsync(dir_fd)
        except OSError:
            pass
        finally:
            os.close(dir_fd)


def _mask_secretish(table: dict[str, Any]) -> None:
    for key, value in table.items():
        if isinstance(value, dict):
            _mask_secretish(value)
        elif _SECRETISH.search(key):
            table[key] = Secret(value if isinstance(value, str) else "")


class ProfileStore:
    """The saved profiles and the default one, in ``profiles.toml``. Never holds a secret.

    Changes are in memory until :meth:`save`. ``load``/``save`` return ``self`` for chaining.
    """

    def __init__(self, config_dir: str | os.PathLike[str] | None = None, *,
                 environ: Mapping[str, str] | None = None) -> None:
        self.config_dir = Path(config_dir).expanduser() if config_dir is not None else default_config_dir(environ)
        self._profiles: dict[str, Profile] = {}
        self._default: str | None = None
        #: Problems found while loading that did not stop it (unknown keys, invalid profiles…).
        self.warnings: list[str] = []

    @property
    def path(self) -> Path:
        return self.config_dir / PROFILES_FILE

    # -- reading -----------------------------------------------------------------------------

    def load(self) -> ProfileStore:
        """Read the file (a missing file is an empty store). Invalid profiles are skipped with a
        warning; a file that is not TOML raises :class:`ConfigError`."""
        self._profiles, self._default, self.warnings = {}, None, []
        problem = None
        try:
            document = tomllib.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            log.debug("no profiles file at %s", self.path)
            return self
        except (OSError, UnicodeDecodeError) as exc:
            problem = f"cannot read {self.path}: {getattr(exc, 'strerror', None) or type(exc).__name__}"
        except tomllib.TOMLDecodeError as exc:
            problem = f"{self.path} is not valid TOML ({exc}); fix or remove it"
        if problem is not None:
            raise ConfigError(problem)
        _mask_secretish(document)  # a hand-pasted token must not show in a traceback's locals
        version = document.get("version", FORMAT_VERSION)
        if version != FORMAT_VERSION:
            raise ConfigError(f"{self.path} has format version {version!r}; this rec-tui reads version "
                              f"{FORMAT_VERSION}. Upgrade rec-tui, or move the file away.")
        for key in document:
            if key not in ("version", "default", "profiles"):
                self._warn_key(key, None)
        tables = document.get("profiles", {})
        if not isinstance(tables, dict):
            raise ConfigError(f"{self.path}: 'profiles' must be a table of profiles")
        for name, table in tables.items():
            if not isinstance(table, dict):
                self.warnings.append(f"profile {name!r} is not a table; skipped")
                continue
            values: dict[str, Any] = {}
            for key, value in table.items():
                if key in PROFILE_FIELDS and key != "name":
                    values[key] = value if isinstance(value, str) else None
                    if not isinstance(value, str):
                        self.warnings.append(f"profile {name!r}: {key} must be a string; ignored")
                else:
                    self._warn_key(key, name)
            profile = Profile(name=name, **values)
            errors = validate_profile(profile)
            if errors:
                self.warnings.append(str(ProfileError(errors, name)) + " (skipped)")
                continue
            self._profiles[name] = profile
        default = document.get("default")
        if isinstance(default, str) and default in self._profiles:
            self._default = default
        elif default is not None:
            self.warnings.append(f"the default profile {default!r} does not exist")
        for message in self.warnings:  # the caller shows them; logged for --debug runs
            log.info("%s: %s", self.path, message)
        log.debug("loaded %d profile(s) from %s", len(self._profiles), self.path)
        return self

    def _warn_key(self, key: str, profile: str | None) -> None:
        where = f"profile {profile!r}" if profile else "the top level"
        if _SECRETISH.search(key):
            self.warnings.append(
                f"{where} has a key {key!r} that looks like a secret. rec-tui never reads secrets from "
                f"this file: delete it from {self.path} and store the secret with rec-tui login."
            )
        else:
            self.warnings.append(f"{where}: unknown key {key!r} ignored")

    # -- writing -----------------------------------------------------------------------------

    def dumps(self) -> str:
        """The file's text."""
        lines = [
            '# rec-tui profiles. No secrets here: they live in the OS keyring (service "rec-tui").',
            f"version = {FORMAT_VERSION}",
        ]
        if self._default is not None:
            lines.append(f"default = {_toml_string(self._default)}")
        for name, profile in self._profiles.items():
            lines.append("")
            lines.append(f"[profiles.{_toml_string(name)}]")
            for key, value in profile.to_dict().items():
                lines.append(f"{key} = {_toml_string(value)}")
        return "\n".join(lines) + "\n"

    def save(self) -> ProfileStore:
        """Write the file atomically, mode 0600 (directory 0700 when created)."""
        write_atomic(self.path, self.dumps().encode("utf-8"))
        log.debug("saved %d profile(s) to %s", len(self._profiles), self.path)
        return self

    # -- changing ----------------------------------------------------------------------------

    def add(self, profile: Profile, *, replace: bool = False, make_default: bool = False) -> Profile:
        """Add a valid ``profile`` (the first one becomes the default)."""
        if not isinstance(profile, Profile):
            raise TypeError("add() takes a Profile")
        profile.check()
        if profile.name in self._profiles and not replace:
            raise ConfigError(f"a profile named {profile.name!r} exists already")
        self._profiles[profile.name] = profile
        if make_default or self._default is None:
            self._default = profile.name
        return profile

    def remove(self, name: str) -> Profile:
        """Remove ``name``; if it was the default, the first remaining profile becomes the default."""
        profile = self.get(name)
        del self._profiles[name]
        if self._default == name:
            self._default = next(iter(self._profiles), None)
        return profile

    def get(self, name: str | None = None) -> Profile:
        """The profile called ``name``, or the default one when ``name`` is None."""
        if name is None:
            if self._default is None:
                raise ProfileNotFound("no default profile: log in first (rec-tui login)")
            name = self._default
        try:
            return self._profiles[name]
        except KeyError:
            known = ", ".join(self._profiles) or "none"
            raise ProfileNotFound(f"no profile named {name!r} (profiles: {known})") from None

    def set_default(self, name: str) -> Profile:
        profile = self.get(name)
        self._default = name
        return profile

    def rename(self, old: str, new: str) -> Profile:
        """Rename a profile (its keyring entry must be moved by the caller)."""
        profile = replace(self.get(old), name=new).check()
        if new != old and new in self._profiles:
            raise ConfigError(f"a profile named {new!r} exists already")
        self._profiles = {(new if key == old else key): (profile if key == old else value)
                          for key, value in self._profiles.items()}
        if self._default == old:
            self._default = new
        return profile

    # -- looking -----------------------------------------------------------------------------

    @property
    def default(self) -> str | None:
        return self._default

    @property
    def profiles(self) -> tuple[Profile, ...]:
        return tuple(self._profiles.values())

    def names(self) -> list[str]:
        return list(self._profiles)

    def __contains__(self, name: object) -> bool:
        return name in self._profiles

    def __iter__(self) -> Iterator[Profile]:
        return iter(tuple(self._profiles.values()))

    def __len__(self) -> int:
        return len(self._profiles)

    def __repr__(self) -> str:
        return f"ProfileStore({str(self.path)!r}, profiles={self.names()!r}, default={self._default!r})"


# --------------------------------------------------------------------------------------------
# Environment variables

TWILIO_ENV = ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_API_KEY", "TWILIO_API_SECRET")
TWILIO_LOCATION_ENV = ("TWILIO_REGION", "TWILIO_EDGE")
SIGNALWIRE_ENV = ("SIGNALWIRE_SPACE", "SIGNALWIRE_PROJECT_ID", "SIGNALWIRE_TOKEN")
_SECRET_ENV = frozenset({"TWILIO_AUTH_TOKEN", "TWILIO_API_SECRET", "SIGNALWIRE_TOKEN"})
_FIELD_ENV = {
    "twilio": {"account_sid": "TWILIO_ACCOUNT_SID", "api_key_sid": "TWILIO_API_KEY", "region": "TWILIO_REGION",
               "edge": "TWILIO_EDGE"},
    "signalwire": {"account_sid": "SIGNALWIRE_PROJECT_ID", "space": "SIGNALWIRE_SPACE"},
}


def _read_env(environ: Mapping[str, str]) -> dict[str, str | Secret]:
    """The variables we use, stripped, empty ones dropped; secrets wrapped at once."""
    values: dict[str, str | Secret] = {}
    for name in TWILIO_ENV + TWILIO_LOCATION_ENV + SIGNALWIRE_ENV:
        if (environ.get(name) or "").strip():
            values[name] = Secret(environ[name].strip()) if name in _SECRET_ENV else environ[name].strip()
    return values


def profile_from_env(environ: Mapping[str, str] | None = None) -> tuple[Profile, Secret] | None:
    """A profile named ``environment`` and its secret from Twilio's or SignalWire's variables.

    Twilio: ``TWILIO_ACCOUNT_SID`` with ``TWILIO_AUTH_TOKEN``, or with ``TWILIO_API_KEY`` and
    ``TWILIO_API_SECRET`` (preferred when both are set, as twilio-cli does); optional
    ``TWILIO_REGION`` / ``TWILIO_EDGE``. SignalWire: ``SIGNALWIRE_SPACE``,
    ``SIGNALWIRE_PROJECT_ID`` and ``SIGNALWIRE_TOKEN``. None when neither is named (region/edge
    alone do not name an account); :class:`EnvProfileError` listing what is missing or wrong
    (variable names only, never values) for a partial or invalid set, or when both are complete.
    """
    values = _read_env(os.environ if environ is None else environ)
    # Raised from here, once no frame holds the environment or the values read from it (a
    # traceback that shows locals would show them, and a mistyped variable may hold a secret).
    del environ
    result, problem = _profile_from_values(values)
    del values
    if problem is not None:
        raise EnvProfileError(problem)
    if result is not None:
        log.debug("profile from environment: %s", result[0].describe())
    return result


def _missing(values: Mapping[str, object], *names: str) -> list[str]:
    return [name for name in names if name not in values]


_Result = tuple[tuple[Profile, Secret] | None, str | None]


def _profile_from_values(values: dict[str, str | Secret]) -> _Result:
    """(profile and secret, None), (None, what is wrong), or (None, None) when no account is named."""
    found: list[tuple[Profile, Secret]] = []
    problems: list[str] = []
    if any(name in values for name in TWILIO_ENV):
        result, problem = _twilio_from_values(values)
        found += [result] if result else []
        problems += [problem] if problem else []
    if any(name in values for name in SIGNALWIRE_ENV):
        result, problem = _signalwire_from_values(values)
        found += [result] if result else []
        problems += [problem] if problem else []
    if problems:
        return None, "; ".join(problems)
    if len(found) > 1:
        return None, ("both Twilio (TWILIO_…) and SignalWire (SIGNALWIRE_…) credentials are set in the "
                      "environment: unset one of them")
    return (found[0] if found else None), None


def _twilio_from_values(values: dict[str, str | Secret]) -> _Result:
    missing = _missing(values, "TWILIO_ACCOUNT_SID")
    if "TWILIO_API_KEY" in values or "TWILIO_API_SECRET" in values:
        missing += _missing(values, "TWILIO_API_KEY", "TWILIO_API_SECRET")
        method, secret_name = "api_key", "TWILIO_API_SECRET"
    else:
        if "TWILIO_AUTH_TOKEN" not in values:
            missing.append("TWILIO_AUTH_TOKEN (or TWILIO_API_KEY and TWILIO_API_SECRET)")
        method, secret_name = "auth_token", "TWILIO_AUTH_TOKEN"
    if missing:
        return None, "Twilio credentials in the environment are incomplete: set " + ", ".join(missing)
    profile = make_profile(
        ENV_PROFILE_NAME, "twilio", account_sid=str(values["TWILIO_ACCOUNT_SID"]), auth_method=method,
        api_key_sid=str(values["TWILIO_API_KEY"]) if method == "api_key" else None,
        region=str(values.get("TWILIO_REGION") or "") or None, edge=str(values.get("TWILIO_EDGE") or "") or None,
    )
    return _env_result(profile, values[secret_name], "twilio")  # type: ignore[arg-type]


def _signalwire_from_values(values: dict[str, str | Secret]) -> _Result:
    missing = _missing(values, *SIGNALWIRE_ENV)
    if missing:
        return None, "SignalWire credentials in the environment are incomplete: set " + ", ".join(missing)
    profile = make_profile(ENV_PROFILE_NAME, "signalwire", account_sid=str(values["SIGNALWIRE_PROJECT_ID"]),
                           space=str(values["SIGNALWIRE_SPACE"]))
    return _env_result(profile, values["SIGNALWIRE_TOKEN"], "signalwire")  # type: ignore[arg-type]


def _env_result(profile: Profile, secret: Secret, provider: str) -> _Result:
    errors = validate_profile(profile)
    if errors:
        names = _FIELD_ENV[provider]
        return None, "; ".join(f"{names.get(key, key)}: {message}" for key, message in errors.items())
    return (profile, secret), None


# --------------------------------------------------------------------------------------------
# twilio-cli import


def default_twilio_cli_config() -> Path:
    return Path.home() / ".twilio-cli" / "config.json"


TWILIO_CLI_PLAINTEXT_NOTICE = (
    "Imported into the OS keyring. twilio-cli keeps its own plain-text copy of the API key secret "
    "in {path}; rec-tui leaves that file alone. If you no longer use twilio-cli with this profile, "
    "remove it there (twilio profiles:remove {profile}), or revoke the key in the Twilio Console "
    "and create a new one."
)

TWILIO_CLI_KEYCHAIN_PROBLEM = (
    "twilio-cli keeps this profile's API key secret in the system keychain (older twilio-cli), "
    "not in {path}, so it cannot be imported from there. Run twilio profiles:port with a current "
    "twilio-cli first, or log in to rec-tui with the API key secret or Auth Token."
)


@dataclass(frozen=True)
class ImportedProfile:
    """One twilio-cli profile. Importable when :attr:`secret` is set and :attr:`problem` is None."""

    source_id: str
    profile: Profile
    secret: Secret | None = None
    problem: str | None = None
    active: bool = False

    @property
    def importable(self) -> bool:
        return self.secret is not None and self.problem is None


@dataclass(frozen=True)
class TwilioCliImport:
    path: Path
    profiles: tuple[ImportedProfile, ...] = ()
    active_profile: str | None = None

    @property
    def importable(self) -> tuple[ImportedProfile, ...]:
        return tuple(item for item in self.profiles if item.importable)

    def notice(self, item: ImportedProfile | None = None) -> str:
        """What to tell the user after storing an imported secret in the keyring."""
        return TWILIO_CLI_PLAINTEXT_NOTICE.format(path=self.path, profile=item.source_id if item else "<name>")


def profile_name_from(text: str) -> str:
    """A valid profile name made from ``text`` (other characters become '-')."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", text.strip()).strip("-._")[:64]
    return name or "imported"


def import_twilio_cli(path: str | os.PathLike[str] | None = None) -> TwilioCliImport:
    """The profiles in twilio-cli's ``config.json``.

    Current twilio-cli (cli-core 6+) writes ``"profiles": {"<id>": {"accountSid", "apiKey",
    "apiSecret", "region"?, "edge"?}}`` and ``"activeProfile"`` — the secret in plain text.
    Older versions wrote ``"projects": [{"id", "accountSid", "region"?}]`` with ``"activeProject"``
    and kept the key and secret in the system keychain: those come back with a :attr:`problem`.
    A missing file gives no profiles; unreadable or malformed JSON raises :class:`ConfigError`.
    """
    source = Path(path).expanduser() if path is not None else default_twilio_cli_config()
    document = _load_twilio_cli(source)
    if document is None:
        return TwilioCliImport(source)
    active = document.get("activeProfile") or document.get("activeProject")
    active = active if isinstance(active, str) else None
    top_edge = document.get("edge") if isinstance(document.get("edge"), str) else None
    items: list[ImportedProfile] = []
    seen: set[str] = set()
    profiles = document.get("profiles")
    if isinstance(profiles, dict):
        for source_id, entry in profiles.items():
            if isinstance(entry, dict):
                items.append(_imported(str(source_id), entry, source, active, top_edge))
                seen.add(str(source_id))
    projects = document.get("projects")
    if isinstance(projects, list):
        for entry in projects:
            if isinstance(entry, dict) and isinstance(entry.get("id"), str) and entry["id"] not in seen:
                items.append(_imported(entry["id"], entry, source, active, top_edge, legacy=True))
    log.debug("twilio-cli config %s: %d profile(s), %d importable", source, len(items),
              sum(item.importable for item in items))
    return TwilioCliImport(source, tuple(items), active)


def _load_twilio_cli(source: Path) -> dict[str, Any] | None:
    """Parse the file with every secret wrapped before returning; errors are raised from a frame
    that no longer holds the file's text (a traceback with locals would show it)."""
    problem = None
    document = None
    try:
        document = json.loads(source.read_bytes(), object_hook=_wrap_cli_secrets)
    except FileNotFoundError:
        return None
    except OSError as exc:
        problem = f"cannot read {source}: {exc.strerror or type(exc).__name__}"
    except ValueError as exc:  # JSONDecodeError (its .doc is the whole file: not kept) or bad UTF-8
        where = f" (line {exc.lineno}, column {exc.colno})" if isinstance(exc, json.JSONDecodeError) else ""
        problem = f"{source} is not valid twilio-cli JSON{where}"
    if problem is not None:
        raise ConfigError(problem)
    if not isinstance(document, dict):
        raise ConfigError(f"{source} is not a twilio-cli config file (expected a JSON object)")
    return document


def _wrap_cli_secrets(obj: dict[str, Any]) -> dict[str, Any]:
    for key in ("apiSecret", "authToken"):
        if isinstance(obj.get(key), str):
            obj[key] = Secret(obj[key].strip())
    return obj


def _imported(source_id: str, entry: dict[str, Any], source: Path, active: str | None, top_edge: str | None,
              *, legacy: bool = False) -> ImportedProfile:
    def text(key: str) -> str | None:
        value = entry.get(key)
        return value.strip() or None if isinstance(value, str) else None

    api_key = text("apiKey")
    secret = entry.get("apiSecret")
    secret = secret if isinstance(secret, Secret) and secret else None
    account = text("accountSid") or ""
    # twilio-cli's environment-style profiles use the Account SID as the "API key" with the
    # Auth Token as its secret.
    auth_token = api_key is not None and api_key == account
    profile = make_profile(
        profile_name_from(source_id), "twilio", account_sid=account,
        auth_method="auth_token" if auth_token else "api_key",
        api_key_sid=None if auth_token else api_key,
        region=text("region"), edge=text("edge") or top_edge,
    )
    problem = None
    if legacy or (secret is None and api_key is None):
        problem = TWILIO_CLI_KEYCHAIN_PROBLEM.format(path=source)
    elif secret is None:
        problem = f"twilio-cli has no API key secret for this profile in {source}"
    else:
        errors = validate_profile(profile)
        if errors:
            problem = "; ".join(f"{key}: {message}" for key, message in errors.items())
    return ImportedProfile(source_id, profile, None if problem else secret, problem, source_id == active)


__all__ = [
    "APP_NAME", "AUTH_METHODS", "CONFIG_DIR_ENV", "ENV_PROFILE_NAME", "FORMAT_VERSION", "PROFILES_FILE",
    "PROVIDERS", "PROVIDER_LABELS", "TWILIO_CLI_KEYCHAIN_PROBLEM", "TWILIO_CLI_PLAINTEXT_NOTICE",
    "TWILIO_REGION_DEFAULT_EDGE", "ConfigError", "EnvProfileError", "ImportedProfile", "Profile",
    "ProfileError", "ProfileNotFound", "ProfileStore", "TwilioCliImport", "check_base_url",
    "default_config_dir", "default_twilio_cli_config", "import_twilio_cli", "is_loopback_host",
    "make_profile", "profile_from_env", "profile_name_from", "validate_profile", "write_atomic",
]
