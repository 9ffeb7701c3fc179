"""The one-line header of every screen: where you are and what you are connected to."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import HorizontalGroup
from textual.widgets import Static

from rec_tui.api.sids import short_sid
from rec_tui.ui.formatting import literal

#: How each connection state is shown (the app's ``connection_state`` reactive).
CONNECTION_STATES = {
    "connecting": ("◌ connecting…", "yellow"),
    "connected": ("● connected", "green"),
    "error": ("✕ connection error", "bold red"),
    "signed-out": ("○ not logged in", "dim"),  # no connection yet (the start and login screens)
}


class AppHeader(HorizontalGroup):
    """``rec-tui › Recordings · Twilio · AC1234…abcd · profile work · ● connected``.

    ``location`` names the screen (breadcrumbs); the rest comes from ``app.connection`` and
    follows ``app.connection_state``.
    """

    def __init__(self, location: str = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._location = location

    def compose(self) -> ComposeResult:
        yield Static(id="header-location")
        yield Static(id="header-identity")
        yield Static(id="header-state")

    def on_mount(self) -> None:
        self.set_location(self._location)
        self.query_one("#header-identity", Static).update(self._identity())
        self.watch(self.app, "connection_state", self._show_state)

    def set_location(self, location: str) -> None:
        self._location = location
        text = Text("rec-tui", style="bold")
        if location:
            text.append(" › ")
            text.append(literal(location))
        self.query_one("#header-location", Static).update(text)

    def _identity(self) -> Text:
        connection = getattr(self.app, "connection", None)
        if connection is None:
            return Text()
        parts = [literal(connection.provider_label), short_sid(connection.account_sid)]
        if connection.profile_name:
            parts.append(f"profile {literal(connection.profile_name)}")
        return Text(" · ".join(parts))

    def _show_state(self, state: str) -> None:
        label, style = CONNECTION_STATES.get(state, (state, ""))
        self.query_one("#header-state", Static).update(Text(label, style=style))
