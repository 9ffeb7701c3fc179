"""The rec-tui application shell: one connection, one client, the screens and the shared helpers.

How later screens plug in:

* a screen lives in ``rec_tui/ui/screens/``; open it with ``app.push_screen(MyScreen())``;
* its ``BINDINGS`` (with descriptions) appear in the footer, the help screen (``?``) and the
  command palette by themselves; commands without a key come from ``palette_commands()`` on the
  screen or on the app (see :mod:`rec_tui.ui.commands`);
* API calls go through ``await app.api(app.client.something(...))`` inside a worker: that keeps
  the connection state in the header and the spinners right; failures go to
  ``app.notify_error(exc)``.

Profiles (:mod:`rec_tui.ui.profiles`): without a connection the app opens on the start screen,
which reads a saved profile's secret from the keyring or shows the login form; a login or a
profile switch from the palette hands the new connection to :meth:`RecTuiApp.use_connection`,
which closes the old one's screens and client (one client per app at a time).
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Awaitable, Iterable
from datetime import tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from textual.app import App
from textual.binding import Binding
from textual.reactive import var

from rec_tui.api import ApiError, AuthenticationError, NetworkError, RecordingFilter
from rec_tui.api.models import Recording
from rec_tui.ui.commands import PaletteCommand, RecTuiCommands
from rec_tui.ui.connection import Connection, StartTarget, connection_for_profile
from rec_tui.ui.formatting import error_link, literal, literal_lines
from rec_tui.ui.media import media_controller
from rec_tui.ui.screens.recordings import RecordingsScreen

if TYPE_CHECKING:  # imported when first needed: neither is on the first screen of a --demo or profile start
    from rec_tui.config import ProfileStore

T = TypeVar("T")

#: The cyclic garbage collector's thresholds while the app runs (Python's are 700, 10, 10). One
#: screen update allocates tens of thousands of short-lived containers (Textual's strips and their
#: caches): at 700 the young generation was collected dozens of times per update, promoting what
#: was still in use into older generations walked later, which doubled the CPU of a table repaint
#: (bench/RESULTS.md, round 4). The loaded recordings themselves are kept out of full collections by
#: the table (``gc.freeze``).
GC_THRESHOLDS = (20_000, 50, 20)

STYLESHEET = Path(__file__).with_name("app.tcss")
#: The live view's palette entry: named as the recordings list's ``a`` binding is, so the
#: palette shows it once there.
LIVE_COMMAND = "Live calls — pause, resume, stop or start recordings of live calls"


class RecTuiApp(App[None]):
    """Triage call recordings: ``RecTuiApp(connection, display_tz=None, start=StartTarget())``.

    ``connection`` None: open ``start_profile`` from ``profiles`` (its secret from the keyring),
    or the login form when that is None too.
    """

    CSS_PATH = STYLESHEET  # absolute, so subclasses elsewhere (tests) find it too
    TITLE = "rec-tui"
    BINDING_GROUP_TITLE = "General"
    COMMANDS = App.COMMANDS | {RecTuiCommands}
    NOTIFICATION_TIMEOUT = 6
    #: Seconds between the live view's automatic refreshes (0: only on r); set it before
    #: opening the view (tests use a long one, so that nothing refreshes unasked).
    live_refresh_interval: float = 5.0
    #: ``rec-tui login --profile NAME``: the login form opens with this profile name (with the
    #: profile's settings when it exists, to replace its secret).
    login_name: str | None = None

    BINDINGS = [
        Binding("question_mark", "help", "Help", tooltip="list every key of this screen"),
        Binding("q", "quit", "Quit"),
        Binding("ctrl+p", "command_palette", "palette", show=False, priority=True,
                tooltip="every action by name; paste a RE/CA/CF SID to jump to it"),
    ]

    #: ``connecting`` until the first answer, then ``connected``; ``error`` after a network or
    #: authentication failure (until the next answer); ``signed-out`` before any connection.
    #: Both are ``var``s: their watchers update what shows them; a ``reactive`` would also repaint
    #: the whole screen on every change (twice per request: ~15 ms a page at 160x50).
    connection_state: var[str] = var("connecting")
    #: API requests running now (spinners show while it is above zero).
    requests_in_flight: var[int] = var(0)

    def __init__(
        self,
        connection: Connection | None,
        *,
        display_tz: tzinfo | None = None,
        start: StartTarget = StartTarget(),
        profiles: ProfileStore | None = None,
        start_profile: str | None = None,
    ) -> None:
        super().__init__()
        self.connection = connection
        self.display_tz = display_tz
        self.start = start
        self._profiles = profiles
        self.start_profile = start_profile
        #: Extra RecordingsClient options for the connections the app makes (tests: transport, retry).
        self.client_options: dict[str, Any] = {}
        if connection is None:
            self.connection_state = "signed-out"

    @property
    def profiles(self) -> ProfileStore:
        """The saved profiles (an empty, unloaded store when none was given)."""
        if self._profiles is None:
            from rec_tui.config import ProfileStore

            self._profiles = ProfileStore()
        return self._profiles

    @profiles.setter
    def profiles(self, store: ProfileStore) -> None:
        self._profiles = store

    @property
    def client(self):
        """The one shared :class:`~rec_tui.api.RecordingsClient`."""
        if self.connection is None:
            raise RuntimeError("not connected yet: no profile is open")
        return self.connection.client

    # -- life cycle ---------------------------------------------------------------------------

    def get_default_screen(self):
        if self.connection is None:
            from rec_tui.ui.screens.start import StartScreen

            return StartScreen(self.start_profile)
        return RecordingsScreen(self.start.initial_filter(), display_tz=self.display_tz)

    @property
    def recordings_screen(self) -> RecordingsScreen:
        return self.screen_stack[0]  # type: ignore[return-value]

    def on_load(self) -> None:
        # Before the first screen is built (~50 ms), unless the command line has already sent it.
        if self.connection is not None:
            self.connection.request_first_page(self.start.initial_filter())

    def on_mount(self) -> None:
        self._gc_thresholds = gc.get_threshold()
        gc.set_threshold(*GC_THRESHOLDS)
        for warning in self._profiles.warnings if self._profiles is not None else ():
            self.notify(warning, title="profiles.toml", severity="warning", markup=False, timeout=12)
        if self.start.recording and self.connection is not None:
            self.open_recording_sid(self.start.recording)

    async def on_unmount(self) -> None:
        gc.set_threshold(*self._gc_thresholds)
        if self.connection is not None:
            await self.connection.aclose()

    # -- connections --------------------------------------------------------------------------

    def connection_for(self, profile, secret) -> Connection:
        """A new connection for a profile and its secret (not yet the app's: see use_connection)."""
        return connection_for_profile(profile, secret, **self.client_options)

    def use_connection(self, connection: Connection):
        """Make ``connection`` the app's one connection: the screens of the old one close, a fresh
        recordings list opens, then the old client is closed. Runs as an app worker, so the
        screen that asked (and is replaced) does not cancel it."""
        return self.run_worker(self._use_connection(connection), group="connection", exclusive=True,
                               exit_on_error=True)

    async def _use_connection(self, connection: Connection) -> None:
        old, first = self.connection, self.connection is None
        # Downloads and players of the old account stop first, while its client is still open
        # (running downloads are asked about: the user may stay).
        if old is not None and old is not connection:
            try:
                go_on = await media_controller(self).prepare_switch(old, connection)
            except asyncio.CancelledError:  # a newer switch replaced this one while it asked
                await connection.aclose()
                raise
            if not go_on:
                await connection.aclose()  # the user stays: the new client is not needed
                return
        self.connection = connection
        self.connection_state = "connecting"
        # The start filter (--call/--conference) belongs to the first account only. The new list's
        # first page is asked for now, while the screens close and the list is built.
        filter = self.start.initial_filter() if first else RecordingFilter()
        connection.request_first_page(filter)
        while len(self.screen_stack) > 1:
            await self.pop_screen()
        base = self.screen_stack[0]
        if not base._result_callbacks:
            # Textual (issue #2650) gives the default screen no result callback, and
            # switch_screen pops one: give it an empty one so the base screen can be replaced.
            base._push_result_callback(self, None)
        await self.switch_screen(RecordingsScreen(filter, display_tz=self.display_tz))
        if old is not None and old is not connection:
            await old.aclose()
        if first and self.start.recording:  # a deep link given with --profile
            self.open_recording_sid(self.start.recording)

    # -- shared helpers -----------------------------------------------------------------------

    async def api(self, request: Awaitable[T]) -> T:
        """Await one API request, keeping ``connection_state`` and ``requests_in_flight`` right."""
        self.requests_in_flight += 1
        try:
            result = await request
        except (AuthenticationError, NetworkError):
            self.connection_state = "error"
            raise
        except ApiError:
            self.connection_state = "connected"  # the service answered, just not with a yes
            raise
        else:
            self.connection_state = "connected"
            return result
        finally:
            self.requests_in_flight -= 1

    def notify_error(self, error: BaseException, *, action: str = "") -> None:
        """A failed request as an error notification: Twilio's code, message and link."""
        if isinstance(error, ApiError):
            head = [f"Error {error.code}"] if error.code is not None else []
            if error.status is not None:
                head.append(f"HTTP {error.status}")
            title = " · ".join(head) or "Request failed"
            body = error.message
            link = error.more_info or (error_link(error.code) if error.code is not None else None)
            if link:
                body += "\n" + link
        else:
            title, body = "Error", str(error) or type(error).__name__
        if action:
            title = f"{action} failed · {title}"
        self.notify(literal_lines(body), title=literal(title), severity="error", markup=False, timeout=12)

    def copy_text(self, text: str, what: str) -> None:
        """Copy to the clipboard with OSC 52 (works over SSH) and say what was copied."""
        self.copy_to_clipboard(text)
        self.notify(f"copied {what}: {literal(text)}", title="Clipboard", markup=False, timeout=3)

    # -- navigation used by screens, deep links and the palette --------------------------------

    def open_recording(self, recording: Recording) -> None:
        from rec_tui.ui.screens.recording import RecordingScreen

        self.push_screen(RecordingScreen(recording, display_tz=self.display_tz))

    def open_recording_sid(self, sid: str) -> None:
        from rec_tui.ui.screens.recording import RecordingScreen

        self.push_screen(RecordingScreen(sid=sid, display_tz=self.display_tz))

    def show_recordings(self, filter: RecordingFilter) -> None:
        """Back to the recordings list, showing ``filter`` (the previous filter is remembered)."""
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.recordings_screen.apply_filter(filter)

    def show_recordings_of(self, *, call_sid: str | None = None, conference_sid: str | None = None) -> None:
        self.show_recordings(RecordingFilter(call_sid=call_sid, conference_sid=conference_sid))

    # -- actions -------------------------------------------------------------------------------

    def action_help(self) -> None:
        from rec_tui.ui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
            return
        self.push_screen(HelpScreen(self.screen))

    def palette_commands(self) -> Iterable[PaletteCommand]:
        from rec_tui.ui.profiles import profile_commands

        if self.connection is not None:
            yield PaletteCommand("Recordings list", "back to the list of recordings", self._to_list)
            yield PaletteCommand(LIVE_COMMAND, "key a on the recordings list", self.open_live)
        yield from profile_commands(self)

    def open_live(self) -> None:
        from rec_tui.ui.screens.live import open_live

        open_live(self)

    def _to_list(self) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()

