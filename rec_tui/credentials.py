"""Secrets and the OS keyring (no Textual here).

A profile (:mod:`rec_tui.config`) says *which* account; its secret (Auth Token, API key secret or
SignalWire API token) lives only in the OS keyring, under service ``rec-tui`` and username
``profile:<name>``.

Rules this module keeps:

* A secret is always carried in a :class:`Secret`, whose ``repr``/``str``/``format`` show
  ``'********'`` and which refuses to be pickled or copied into another process. Tracebacks that
  show locals (Textual's do) therefore show ``Secret('********')``.
* Exceptions raised here never contain a secret, and are raised outside the ``except`` block of
  the original keyring error, so neither the original exception nor its traceback frames (whose
  locals hold the plain value inside the keyring library) are chained to them.
* The keyring backend is checked before use: no backend → :class:`KeyringUnavailable` with the
  choices; a plaintext backend (``keyrings.alt``) → :class:`InsecureKeyring` unless the caller passes
  ``allow_insecure=True`` after the user confirmed.

Keyring calls can block (D-Bus): call them from a worker thread in the UI.
"""

from __future__ import annotations

import hmac
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:  # config imports this module at run time, not the other way round
    from rec_tui.config import Profile, ProfileStore

log = logging.getLogger("rec_tui.credentials")

SERVICE = "rec-tui"
MASK = "********"

__all__ = [
    "MASK", "SERVICE", "Credentials", "CredentialsError", "InsecureKeyring", "KeyringAccessError",
    "KeyringLocked", "KeyringStatus", "KeyringUnavailable", "LogoutResult", "Secret", "SecretNotFound",
    "check_keyring", "credentials_for", "delete_secret", "keyring_status", "keyring_username",
    "load_credentials", "load_secret", "logout", "save_secret",
]


# --------------------------------------------------------------------------------------------
# Secret and Credentials


class Secret:
    """A secret string that does not show itself.

    ``repr``, ``str`` and f-strings give ``'********'``; :meth:`reveal` gives the value, to be
    passed straight into the call that needs it (never stored in a plain local). Pickling,
    ``copy.copy``/``deepcopy`` through ``__reduce__`` and ``vars()`` are refused or empty, so a
    secret is not serialized by accident; ``json.dumps`` refuses it as it refuses any object.
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        if isinstance(value, Secret):
            value = value.reveal()
        if not isinstance(value, str):
            raise TypeError(f"a Secret wraps a str, not {type(value).__name__}")
        object.__setattr__(self, "_value", value)

    def reveal(self) -> str:
        """The plain value. Use it inline: ``client(password=secret.reveal())``."""
        return self._value

    def __repr__(self) -> str:
        return f"Secret({MASK!r})"

    def __str__(self) -> str:
        return MASK

    def __format__(self, spec: str) -> str:
        return format(MASK, spec)

    def __bool__(self) -> bool:
        return bool(self._value)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Secret):
            return NotImplemented
        return hmac.compare_digest(self._value.encode(), other._value.encode())

    def __hash__(self) -> int:
        return hash((Secret, self._value))

    def __setattr__(self, name: str, value: Any) -> NoReturn:
        raise AttributeError("a Secret is immutable")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError("a Secret is immutable")

    def __copy__(self) -> Secret:
        return self

    def __deepcopy__(self, memo: dict) -> Secret:
        return self

    def __reduce__(self) -> NoReturn:
        raise TypeError("a Secret cannot be pickled or serialized; store it in the OS keyring instead")

    def __reduce_ex__(self, protocol: object) -> NoReturn:
        self.__reduce__()

    def __getstate__(self) -> NoReturn:
        self.__reduce__()


@dataclass(frozen=True, slots=True)
class Credentials:
    """HTTP Basic credentials: ``username`` is the Account SID (Auth Token), the API Key SID (API
    key) or the Project ID (SignalWire); ``secret`` the matching secret. Safe to print."""

    username: str
    secret: Secret

    def __post_init__(self) -> None:
        if not isinstance(self.secret, Secret):
            object.__setattr__(self, "secret", Secret(self.secret))

    def __repr__(self) -> str:
        return f"Credentials(username={self.username!r}, secret={self.secret!r})"

    __str__ = __repr__

    def __reduce__(self) -> NoReturn:
        raise TypeError("Credentials cannot be pickled or serialized")

    def __reduce_ex__(self, protocol: object) -> NoReturn:
        self.__reduce__()


def credentials_for(profile: Profile, secret: Secret) -> Credentials:
    """The Basic-auth credentials for ``profile`` with its ``secret``."""
    return Credentials(profile.username, secret)


# --------------------------------------------------------------------------------------------
# Errors


class CredentialsError(Exception):
    """Base class: something about stored credentials. The message never holds a secret."""


class KeyringUnavailable(CredentialsError):
    """No usable keyring backend; the message explains the choices."""


class InsecureKeyring(CredentialsError):
    """The keyring backend would keep the secret in plain text (or prompt on the terminal).

    The caller must ask the user, then retry with ``allow_insecure=True``.
    """

    def __init__(self, message: str, backend_name: str, location: str | None = None) -> None:
        super().__init__(message)
        self.backend_name = backend_name
        self.location = location


class KeyringAccessError(CredentialsError):
    """The keyring backend exists but the operation failed (D-Bus error, missing collection…)."""


class KeyringLocked(KeyringAccessError):
    """The keyring (collection) is locked and could not be unlocked (e.g. no prompt possible)."""


class SecretNotFound(CredentialsError):
    """The keyring holds no secret for this profile."""


ENVIRONMENT_CHOICE = """\
  • For this run only, use environment variables instead of a saved profile:
      Twilio:      TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN
                   (or TWILIO_ACCOUNT_SID with TWILIO_API_KEY and TWILIO_API_SECRET)
      SignalWire:  SIGNALWIRE_SPACE, SIGNALWIRE_PROJECT_ID and SIGNALWIRE_TOKEN"""

KEYRING_CHOICES = ENVIRONMENT_CHOICE + """
  • Linux: install and start a Secret Service, e.g. GNOME Keyring
      (sudo apt install gnome-keyring; it needs a D-Bus session: on a desktop it runs already,
       over SSH start one around rec-tui; it asks for the keyring's password:
       dbus-run-session -- bash -c 'read -rsp "Keyring password: " pw; echo
         printf %s "$pw" | gnome-keyring-daemon --unlock --components=secrets >/dev/null; exec rec-tui'
      ), or KWallet (KDE).
  • macOS: the Keychain, and Windows: the Credential Locker, work without any set-up."""


def _unavailable_message(backend_name: str, what: str) -> str:
    return (
        f"rec-tui cannot {what}: no usable OS keyring (the keyring library chose {backend_name}).\n"
        "Secrets are only ever kept in an OS keyring, never in a file. Choose one:\n" + KEYRING_CHOICES
    )


def _insecure_message(backend_name: str, location: str | None, what: str) -> str:
    where = f" ({location})" if location else ""
    return (
        f"The keyring backend {backend_name} keeps secrets in a plain or weakly protected file{where} "
        "that anything running as you can read. rec-tui will only "
        f"{what} there if you confirm. Safer choices:\n" + KEYRING_CHOICES
    )


# --------------------------------------------------------------------------------------------
# Backend checks


@dataclass(frozen=True)
class KeyringStatus:
    """What :func:`keyring_status` found. ``state`` is "ok", "unavailable" or "insecure"."""

    state: str
    backend_name: str
    message: str = ""
    location: str | None = None
    backend: Any = field(default=None, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return self.state == "ok"


def _backend_name(backend: object) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


def _priority(backend: object) -> float | None:
    try:
        return float(backend.priority)  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - a backend's priority may raise when it is not viable
        return None


def _is_unusable(backend: object) -> bool:
    from keyring.backends import fail, null

    return isinstance(backend, (fail.Keyring, null.Keyring))


def _is_plaintext(backend: object) -> bool:
    """keyrings.alt's file backends (plain, or encrypted with a terminal password prompt, which
    would also break a full-screen UI), and anything that calls itself plaintext."""
    cls = type(backend)
    module, name = cls.__module__.lower(), cls.__qualname__.lower()
    if "plaintext" in module or "plaintext" in name:
        return True
    if module.startswith("keyrings.alt"):
        if module.startswith("keyrings.alt.file"):
            return True
        priority = _priority(backend)
        return priority is None or priority <= 1
    return False


def _writing_backend(backend: object) -> object | None:
    """The backend that actually receives a ``set_password`` (the chainer's first)."""
    from keyring.backends.chainer import ChainerBackend

    if isinstance(backend, ChainerBackend):
        backends = list(backend.backends)
        return backends[0] if backends else None
    return backend


def keyring_status(backend: object | None = None, *, what: str = "save the secret") -> KeyringStatus:
    """Classify ``backend`` (default: ``keyring.get_keyring()``) without raising."""
    import keyring

    if backend is None:
        try:
            backend = keyring.get_keyring()
        except Exception as exc:  # noqa: BLE001 - the keyring library's own set-up failed
            name = f"none ({type(exc).__name__})"
            return KeyringStatus("unavailable", name, _unavailable_message(name, what))
    target = _writing_backend(backend)
    if target is None or _is_unusable(target):
        name = _backend_name(backend if target is None else target)
        return KeyringStatus("unavailable", name, _unavailable_message(name, what), backend=backend)
    name = _backend_name(target)
    if _is_plaintext(target):
        location = getattr(target, "file_path", None)
        location = str(location) if isinstance(location, (str, Path)) else None
        return KeyringStatus("insecure", name, _insecure_message(name, location, what), location, backend=backend)
    return KeyringStatus("ok", name, backend=backend)


def check_keyring(backend: object | None = None, *, allow_insecure: bool = False,
                  what: str = "save the secret") -> object:
    """Return the backend to use, or raise :class:`KeyringUnavailable` / :class:`InsecureKeyring`."""
    status = keyring_status(backend, what=what)
    if status.state == "unavailable":
        log.info("keyring unavailable: %s", status.backend_name)
        raise KeyringUnavailable(status.message)
    if status.state == "insecure":
        if not allow_insecure:
            log.info("keyring backend %s is not secure; the user must confirm", status.backend_name)
            raise InsecureKeyring(status.message, status.backend_name, status.location)
        log.info("using the insecure keyring backend %s as confirmed by the user", status.backend_name)
    return status.backend


# --------------------------------------------------------------------------------------------
# Secrets in the keyring


def keyring_username(profile: Profile | str) -> str:
    """The keyring username under service ``rec-tui``: ``profile:<name>``."""
    name = profile if isinstance(profile, str) else profile.name
    if not name:
        raise ValueError("a profile needs a name")
    return f"profile:{name}"


def _profile_name(profile: Profile | str) -> str:
    return profile if isinstance(profile, str) else profile.name


def _describe_failure(exc: BaseException, secret: Secret | None) -> tuple[type[CredentialsError], str]:
    """A safe class and text for a keyring/D-Bus exception (secret scrubbed, length bounded)."""
    from keyring import errors

    text = str(exc).strip()
    if secret is not None and secret.reveal():
        text = text.replace(secret.reveal(), MASK)
    text = text[:200] or "no details"
    kind: type[CredentialsError] = KeyringAccessError
    if isinstance(exc, errors.KeyringLocked) or type(exc).__name__ in ("LockedException", "PromptDismissedException"):
        kind = KeyringLocked
    elif isinstance(exc, errors.NoKeyringError):
        kind = KeyringUnavailable
    return kind, f"{type(exc).__name__}: {text}"


def _failure(kind: type[CredentialsError], action: str, name: str, backend: object, detail: str) -> CredentialsError:
    backend_name = _backend_name(backend)
    if kind is KeyringUnavailable:
        return KeyringUnavailable(_unavailable_message(backend_name, action) + f"\n({detail})")
    if kind is KeyringLocked:
        return KeyringLocked(
            f"Could not {action} for profile {name!r}: the keyring is locked and could not be unlocked "
            f"({detail}). Unlock it (e.g. log in to the desktop session, or run "
            "gnome-keyring-daemon --unlock), or use environment variables for this run."
        )
    return KeyringAccessError(f"Could not {action} for profile {name!r} in {backend_name}: {detail}")


def save_secret(profile: Profile | str, secret: Secret, *, allow_insecure: bool = False,
                backend: object | None = None) -> None:
    """Store ``secret`` for ``profile`` in the OS keyring (replacing any previous one)."""
    if not isinstance(secret, Secret):
        raise TypeError("save_secret takes a Secret (wrap the value as soon as it is read)")
    if not secret.reveal().strip():
        raise ValueError("the secret is empty")
    name = _profile_name(profile)
    username = keyring_username(name)
    target = check_keyring(backend, allow_insecure=allow_insecure, what="save the secret")
    failure = None
    try:
        target.set_password(SERVICE, username, secret.reveal())  # type: ignore[attr-defined]
    except Exception as exc:  # noqa: BLE001 - every backend error becomes ours, without the secret
        failure = _describe_failure(exc, secret)
    if failure is not None:  # raised here, outside the except block: nothing chained
        raise _failure(failure[0], "save the secret", name, target, failure[1])
    log.info("saved the secret for profile %r in %s", name, _backend_name(target))


def load_secret(profile: Profile | str, *, allow_insecure: bool = True, backend: object | None = None) -> Secret:
    """The secret stored for ``profile``; :class:`SecretNotFound` if there is none.

    Reading from a plaintext backend exposes nothing new, so it is allowed by default; pass
    ``allow_insecure=False`` to refuse it as well.
    """
    name = _profile_name(profile)
    username = keyring_username(name)
    target = check_keyring(backend, allow_insecure=allow_insecure, what="read the secret")
    failure = None
    found: Secret | None = None
    try:
        found = _wrap(target.get_password(SERVICE, username))  # type: ignore[attr-defined]
    except Exception as exc:  # noqa: BLE001
        failure = _describe_failure(exc, None)
    if failure is not None:
        raise _failure(failure[0], "read the secret", name, target, failure[1])
    if found is None:
        raise SecretNotFound(
            f"No secret is stored for profile {name!r} in the keyring ({_backend_name(target)}). "
            f"Log in again to store it (rec-tui login --profile {name})."
        )
    log.debug("loaded the secret for profile %r from %s", name, _backend_name(target))
    return found


def _wrap(value: str | None) -> Secret | None:
    return None if value is None else Secret(value)


def load_credentials(profile: Profile, *, backend: object | None = None) -> Credentials:
    """:func:`load_secret` paired with the profile's Basic-auth username."""
    return credentials_for(profile, load_secret(profile, backend=backend))


def delete_secret(profile: Profile | str, *, backend: object | None = None) -> bool:
    """Remove the secret for ``profile``; False if there was none."""
    name = _profile_name(profile)
    username = keyring_username(name)
    target = check_keyring(backend, allow_insecure=True, what="delete the secret")
    failure = None
    existed = True
    try:
        # Look first: most backends raise the same PasswordDeleteError for "none stored" as for
        # a real failure to delete.
        if target.get_password(SERVICE, username) is None:  # type: ignore[attr-defined]
            existed = False
        else:
            target.delete_password(SERVICE, username)  # type: ignore[attr-defined]
    except Exception as exc:  # noqa: BLE001
        failure = _describe_failure(exc, None)
    if failure is not None:
        raise _failure(failure[0], "delete the secret", name, target, failure[1])
    log.info("%s the secret for profile %r in %s", "deleted" if existed else "found no",
             name, _backend_name(target))
    return existed


# --------------------------------------------------------------------------------------------
# Logout


@dataclass(frozen=True)
class LogoutResult:
    name: str
    secret_removed: bool
    profile_removed: bool

    @property
    def message(self) -> str:
        if not self.profile_removed and not self.secret_removed:
            return f"No profile {self.name!r} and no stored secret for it: nothing to do."
        parts = []
        if self.profile_removed:
            parts.append(f"removed profile {self.name!r}")
        parts.append("deleted its secret from the keyring" if self.secret_removed
                     else "no secret was stored in the keyring")
        return "Logged out: " + ", ".join(parts) + "."


def logout(name: str, store: ProfileStore | None = None, *, backend: object | None = None,
           force: bool = False) -> LogoutResult:
    """Delete ``name``'s secret from the keyring, then remove the profile and save the store.

    If the keyring cannot be used, the profile is kept (so the secret is not orphaned) and the
    error is raised, unless ``force`` is true: then only the profile is removed.
    """
    from rec_tui.config import ProfileStore

    if store is None:
        store = ProfileStore().load()
    try:
        secret_removed = delete_secret(name, backend=backend)
    except CredentialsError:
        if not force:
            raise
        log.info("logout %r: keyring not usable, removing the profile only (forced)", name)
        secret_removed = False
    profile_removed = name in store
    if profile_removed:
        store.remove(name)
        store.save()
    result = LogoutResult(name, secret_removed, profile_removed)
    log.info("%s", result.message)
    return result
