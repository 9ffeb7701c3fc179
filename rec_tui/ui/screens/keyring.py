"""What the app says when the OS keyring cannot keep a secret safely.

* :class:`NoKeyringScreen`: no usable backend (a headless server: keyring's ``fail.Keyring``):
  the choices — environment variables for this run, or a Secret Service / other backend — instead
  of a traceback;
* :class:`PlaintextKeyringScreen`: the active backend would keep the secret in a plain file
  (keyrings.alt's ``PlaintextKeyring``): warns and asks; "no" is the default, so it is never chosen
  silently.

The texts come from :mod:`rec_tui.credentials` (one wording for the CLI and the UI).
"""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalGroup, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from rec_tui.credentials import KEYRING_CHOICES


def preformatted(message: str) -> Group:
    """Plain text rendered by Rich, which keeps each line's indentation when it wraps (the
    choices are indented lists and commands)."""
    return Group(*(Text(line) for line in message.splitlines()))


class NoKeyringScreen(ModalScreen[None]):
    """No OS keyring: explain the choices. ``message`` is a :class:`KeyringUnavailable` text."""

    BINDING_GROUP_TITLE = "No keyring"
    BINDINGS = [Binding("escape", "close", "Close")]

    def __init__(self, message: str = "") -> None:
        super().__init__()
        self.message = message or ("rec-tui found no usable OS keyring. Secrets are only ever kept in an "
                                   "OS keyring, never in a file. Choose one:\n" + KEYRING_CHOICES)

    def compose(self) -> ComposeResult:
        with Vertical(id="no-keyring-dialog", classes="dialog"):
            yield Static("No OS keyring to keep the secret in", classes="dialog-title")
            with VerticalScroll(id="no-keyring-body"):
                yield Static(preformatted(self.message), id="no-keyring-message")
            yield Static("Nothing was saved. Quit (q), set it up, and start rec-tui again.", classes="dialog-hint")
            with HorizontalGroup(classes="dialog-buttons"):
                yield Button("Close", variant="primary", id="close", compact=True)

    def on_mount(self) -> None:
        self.query_one("#close", Button).focus()

    def action_close(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#close")
    def _close(self) -> None:
        self.action_close()


class PlaintextKeyringScreen(ModalScreen[bool]):
    """The keyring backend stores plain text: dismisses True only if the user says "save anyway"."""

    BINDING_GROUP_TITLE = "Plain-text keyring"
    BINDINGS = [Binding("escape", "refuse", "Don't save")]

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(id="plaintext-dialog", classes="dialog"):
            yield Static("⚠ This keyring keeps secrets in plain text", classes="dialog-title")
            with VerticalScroll(id="plaintext-body"):
                yield Static(preformatted(self.message), id="plaintext-message")
            with HorizontalGroup(classes="dialog-buttons"):
                yield Button("Don't save", variant="primary", id="refuse", compact=True)
                yield Button("Save in plain text anyway", variant="error", id="accept", compact=True)

    def on_mount(self) -> None:
        self.query_one("#refuse", Button).focus()  # enter keeps the safe answer

    def action_refuse(self) -> None:
        self.dismiss(False)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "accept")
