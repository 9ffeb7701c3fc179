"""What the app is connected to: one shared client, and how to describe it in the header."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from rec_tui.api import RecordingsClient, custom_endpoint

log = logging.getLogger("rec_tui.ui")


@dataclass
class Connection:
    """One account on one provider. The app owns it: it closes the client when it exits."""

    client: RecordingsClient
    provider_label: str
    account_sid: str
    profile_name: str | None = None
    #: An embedded emulator (``--demo``) that lives as long as the app; stopped on exit.
    emulator: Any | None = None

    async def aclose(self) -> None:
        await self.client.aclose()
        if self.emulator is not None:
            emulator, self.emulator = self.emulator, None
            stop_emulator(emulator)


def stop_emulator(emulator: Any) -> None:
    """Stop an embedded emulator, however it spells it (it is also a context manager)."""
    for name in ("stop", "close"):
        method = getattr(emulator, name, None)
        if callable(method):
            method()
            return
    emulator.__exit__(None, None, None)


def connection_for_profile(profile: Any, secret: Any, **client_options: Any) -> Connection:
    """A connection for a :class:`rec_tui.config.Profile` and its :class:`~rec_tui.credentials.Secret`."""
    client = RecordingsClient(profile.endpoint(), profile.account_sid, profile.username, secret, **client_options)
    return Connection(client=client, provider_label=profile.provider_label, account_sid=profile.account_sid,
                      profile_name=profile.name)


def connection_for_emulator(emulator: Any, *, profile_name: str = "demo", owns_emulator: bool = False,
                            **client_options: Any) -> Connection:
    """A connection to a running emulator with its own demo credentials (Account SID + token).

    ``owns_emulator``: stop the emulator when the app exits (the ``--demo`` case).
    """
    # The SignalWire flavour serves under /api/laml, with a Project ID and an API token.
    signalwire = getattr(getattr(emulator, "config", None), "flavour", "twilio") == "signalwire"
    endpoint = custom_endpoint(getattr(emulator, "endpoint_url", emulator.base_url),
                               provider="signalwire" if signalwire else "custom")
    client = RecordingsClient(endpoint, emulator.account_sid, emulator.account_sid, emulator.auth_token,
                              **client_options)
    return Connection(
        client=client,
        provider_label="Emulator (SignalWire)" if signalwire else "Emulator",
        account_sid=emulator.account_sid,
        profile_name=profile_name,
        emulator=emulator if owns_emulator else None,
    )
