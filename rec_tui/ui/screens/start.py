"""The app's first screen while it has no connection yet.

With a saved profile to open (the default one, or ``--profile NAME``) it reads the secret from the
keyring in a worker thread and hands the connection to the app, which replaces this screen with
the recordings list. Without one (first run, ``rec-tui login``) it opens the login form. Whatever
goes wrong is said here, with what to do next, instead of a traceback.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static

from rec_tui.config import ConfigError
from rec_tui.credentials import CredentialsError
from rec_tui.ui.profiles import LoginResult, connection_for_saved, report_failure

NOT_LOGGED_IN = """\
Not logged in.

  l   log in to a Twilio or SignalWire account
      (the secret goes into the OS keyring)
  q   quit

Or start rec-tui with environment variables:
  Twilio:      TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN
               (or TWILIO_API_KEY and TWILIO_API_SECRET)
  SignalWire:  SIGNALWIRE_SPACE, SIGNALWIRE_PROJECT_ID, SIGNALWIRE_TOKEN
Or try it without an account:  rec-tui --demo"""


class StartScreen(Screen):
    """Opens ``profile_name`` from the keyring, or the login form when it is None."""

    BINDING_GROUP_TITLE = "Start"
    BINDINGS = [
        Binding("l", "login", "Log in"),
        Binding("r", "retry", "Try again", tooltip="read the profile's secret from the keyring again"),
    ]

    def __init__(self, profile_name: str | None = None) -> None:
        super().__init__()
        self.profile_name = profile_name
        self._opening = False

    def compose(self) -> ComposeResult:
        from rec_tui.ui.widgets.app_header import AppHeader

        yield AppHeader("Start")
        with Center(id="start-center"):
            with Vertical(id="start-box"):
                yield Static(id="start-message")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        if self.profile_name:
            self.action_retry()
        else:
            self.show(NOT_LOGGED_IN)
            self.action_login()

    def show(self, text: str) -> None:
        self.query_one("#start-message", Static).update(Text(text))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "retry":
            return bool(self.profile_name) and not self._opening
        return True

    def action_login(self) -> None:
        from rec_tui.ui.screens.login import LoginScreen

        self.app.push_screen(LoginScreen(profile_name=getattr(self.app, "login_name", None)),
                             callback=self._logged_in)

    def _logged_in(self, result: LoginResult | None) -> None:
        if result is None:
            if not self._opening:
                self.show(NOT_LOGGED_IN)
            return
        self.profile_name = result.profile.name
        if result.connection is not None:
            self.show(f"Opening {result.profile.describe()}…")
            self.app.use_connection(result.connection)
        else:
            self.action_retry()

    def action_retry(self) -> None:
        if self.profile_name:
            self._open(self.profile_name)

    @work(group="start", exclusive=True)
    async def _open(self, name: str) -> None:
        self._opening = True
        self.refresh_bindings()
        self.show(f"Opening profile {name}: reading its secret from the OS keyring…")
        try:
            connection = await connection_for_saved(self.app, name)
        except (ConfigError, CredentialsError, ValueError) as error:
            text = report_failure(self.app, error, name)
            self.show(f"Could not open profile {name}.\n\n{text}\n\n"
                      "  r   try again\n  l   log in (another account, or this one again)\n  q   quit")
            return
        finally:
            self._opening = False
            self.refresh_bindings()
        self.app.use_connection(connection)

