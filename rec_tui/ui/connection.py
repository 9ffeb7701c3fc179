"""What the app is connected to: one shared client, and how to describe it in the header; where
the app opens (:class:`StartTarget`) and the first page of recordings it asks for at launch.

No Textual here: the command line builds the connection and sends the first request before
Textual is imported (see :func:`rec_tui.cli.run_app`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import Any

from rec_tui.api import RecordingFilter, RecordingsClient, custom_endpoint
from rec_tui.api.models import Page, Recording

log = logging.getLogger("rec_tui.ui")


#: Rows per page of the recordings list until the user picks another size.
DEFAULT_PAGE_SIZE = 50


@dataclass(frozen=True)
class StartTarget:
    """Where the app opens (``--recording`` / ``--call`` / ``--conference`` deep links)."""

    recording: str | None = None
    call: str | None = None
    conference: str | None = None

    def initial_filter(self) -> RecordingFilter:
        return RecordingFilter(call_sid=self.call, conference_sid=self.conference)


@dataclass(frozen=True)
class FirstPage:
    """The recordings list's first page, requested ahead of the list screen, which takes it."""

    filter: RecordingFilter
    page_size: int
    task: asyncio.Task[Page[Recording]]

    def discard(self) -> None:
        """Not wanted after all. Cancelling also marks a failure it already had as seen, so asyncio
        does not log it as "exception was never retrieved" when the app has quit."""
        self.task.cancel()


@dataclass
class Connection:
    """One account on one provider. The app owns it: it closes the client when it exits."""

    client: RecordingsClient
    provider_label: str
    account_sid: str
    profile_name: str | None = None
    #: An embedded emulator (``--demo``) that lives as long as the app; stopped on exit.
    emulator: Any | None = None
    _first_page: FirstPage | None = field(default=None, repr=False)

    def request_first_page(self, filter: RecordingFilter, page_size: int = DEFAULT_PAGE_SIZE) -> None:
        """Send the list's first request now, on the running loop; while it waits to be taken,
        later calls do nothing.

        The command line sends it before importing Textual, the app as soon as it runs or is
        handed a new connection: the answer (a network round trip on a real account) arrives
        while the screens are being built instead of after them.
        """
        if self._first_page is None:
            task = asyncio.get_running_loop().create_task(self.client.list_recordings(filter, page_size))
            self._first_page = FirstPage(filter, page_size, task)

    def take_first_page(self, filter: RecordingFilter, page_size: int) -> Awaitable[Page[Recording]] | None:
        """The request sent ahead, if it asked for this list (it is handed over once); None
        otherwise (one for another list is cancelled)."""
        first, self._first_page = self._first_page, None
        if first is None:
            return None
        if (first.filter, first.page_size) == (filter, page_size):
            return first.task
        first.discard()
        return None

    async def aclose(self) -> None:
        if self._first_page is not None:  # never shown: the app quit before the list asked for it
            self._first_page.discard()
            self._first_page = None
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
