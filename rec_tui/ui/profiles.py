"""Profiles in the app: open one, save a checked login, switch from the command palette.

The keyring calls block (D-Bus, maybe an unlock prompt), so they run in worker threads
(``asyncio.to_thread`` inside the workers); the profiles file is written there too. Secrets are
carried in :class:`~rec_tui.credentials.Secret` from the moment they are read until the client
is built, and nothing here shows, logs or stores one anywhere but in the keyring.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from rec_tui.config import ConfigError, Profile
from rec_tui.credentials import (
    CredentialsError,
    KeyringUnavailable,
    Secret,
    SecretNotFound,
    delete_secret,
    keyring_status,
    load_secret,
    save_secret,
)
from rec_tui.ui.commands import PaletteCommand
from rec_tui.ui.connection import Connection

if TYPE_CHECKING:
    from textual.app import App

log = logging.getLogger("rec_tui.ui")


@dataclass
class LoginResult:
    """A saved profile; ``connection`` is the checked client when the login made one (an import
    does not: the profile is then opened from the keyring)."""

    profile: Profile
    connection: Connection | None = None


# -- the keyring, from the UI ------------------------------------------------------------------


async def keyring_permission(app: App) -> bool | None:
    """Whether and how a secret may be saved: False for a safe backend, True when the user
    accepted a plaintext one, None when nothing may be saved (the reason has been shown).

    Call it from a worker: it waits for the user's answer.
    """
    from rec_tui.ui.screens.keyring import NoKeyringScreen, PlaintextKeyringScreen

    status = await asyncio.to_thread(keyring_status)
    if status.state == "unavailable":
        await app.push_screen_wait(NoKeyringScreen(status.message))
        return None
    if status.state == "insecure":
        if not await app.push_screen_wait(PlaintextKeyringScreen(status.message)):
            return None
        return True
    return False


async def save_profile(app: Any, profile: Profile, secret: Secret, *, allow_insecure: bool,
                       replace: bool = False) -> None:
    """The secret into the keyring, then the profile into the file (made the default: the
    account one logged in to last opens next time). Raises CredentialsError / ConfigError / OSError.

    If the file cannot be written, a new secret is taken out of the keyring again, so nothing
    is left there that no profile names.
    """
    store = app.profiles
    if profile.name in store and not replace:
        raise ConfigError(f"a profile named {profile.name!r} exists already")
    await asyncio.to_thread(save_secret, profile, secret, allow_insecure=allow_insecure)
    previous = store.get(profile.name) if profile.name in store else None
    previous_default = store.default
    store.add(profile, replace=True, make_default=True)
    try:
        await asyncio.to_thread(store.save)
    except BaseException:
        if previous is None:
            store.remove(profile.name)
            try:
                await asyncio.to_thread(delete_secret, profile)
            except CredentialsError:
                log.info("could not take the secret of unsaved profile %r out of the keyring", profile.name)
        else:
            store.add(previous, replace=True)
        if previous_default is not None and previous_default in store:
            store.set_default(previous_default)
        raise
    log.info("saved profile %s", profile.describe())


async def connection_for_saved(app: Any, name: str) -> Connection:
    """A connection for saved profile ``name`` with its secret from the keyring.

    Raises ConfigError (no such profile), CredentialsError (keyring), ValueError (endpoint).
    """
    profile = app.profiles.get(name)
    secret = await asyncio.to_thread(load_secret, profile)
    return app.connection_for(profile, secret)


# -- flows -------------------------------------------------------------------------------------


def report_failure(app: Any, error: BaseException, profile_name: str | None = None) -> str:
    """Show why a profile could not be opened; returns the same text for a screen's body.

    No keyring → the no-keyring screen; no stored secret → the login form for that profile.
    """
    from rec_tui.ui.screens.keyring import NoKeyringScreen

    text = str(error) or type(error).__name__
    if isinstance(error, KeyringUnavailable):
        app.push_screen(NoKeyringScreen(text))
    elif isinstance(error, SecretNotFound) and profile_name and profile_name in app.profiles:
        app.notify(text, title="Log in again", severity="warning", markup=False)
        start_login(app, profile=app.profiles.get(profile_name))
    else:
        app.notify(text, title="Cannot open the profile", severity="error", markup=False, timeout=12)
    return text


def open_profile(app: Any, name: str) -> None:
    """Switch the app to saved profile ``name`` (an app worker: survives the screens it replaces)."""

    async def run() -> None:
        try:
            connection = await connection_for_saved(app, name)
        except (ConfigError, CredentialsError, ValueError) as error:
            report_failure(app, error, name)
            return
        app.use_connection(connection)

    app.run_worker(run(), group="profile", exclusive=True, name=f"open profile {name}")


def finish_login(app: Any, result: LoginResult | None) -> None:
    """After the login form: use the checked connection, or open the imported profile."""
    if result is None:
        return
    if result.connection is not None:
        app.use_connection(result.connection)
    else:
        open_profile(app, result.profile.name)


def start_login(app: Any, profile: Profile | None = None) -> None:
    """Open the login form (prefilled with ``profile`` to store its secret again)."""
    from rec_tui.ui.screens.login import LoginScreen

    app.push_screen(LoginScreen(profile=profile), callback=partial(finish_login, app))


def profile_commands(app: Any) -> Iterator[PaletteCommand]:
    """Palette entries: switch to each other saved profile, log in to another account."""
    current = app.connection.profile_name if app.connection is not None else None
    for profile in app.profiles:
        if profile.name != current:
            yield PaletteCommand(f"Switch to profile {profile.name}", profile.describe(),
                                 partial(open_profile, app, profile.name))
    yield PaletteCommand("Log in to another account…",
                         "check the credentials and save a profile (the secret goes into the OS keyring)",
                         partial(start_login, app))
