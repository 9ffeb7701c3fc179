""""Save as" (``s``): which directory, which format (WAV or MP3), which channels."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Select, Static

from rec_tui.ui.media import writable_directory


@dataclass(frozen=True)
class SaveRequest:
    directory: Path
    fmt: str = "wav"
    #: ``RequestedChannels``: None = as recorded, 1 = both legs mixed, 2 = one leg per channel.
    channels: int | None = None


FORMATS = [("WAV (lossless, larger)", "wav"), ("MP3 (smaller)", "mp3")]
CHANNELS = [
    ("as recorded", 0),
    ("mono: both legs mixed (RequestedChannels=1)", 1),
    ("dual: one leg per channel (RequestedChannels=2)", 2),
]


class SaveAsScreen(ModalScreen[SaveRequest | None]):
    """``SaveAsScreen(count, directory)``: dismissed with a :class:`SaveRequest`, or None."""

    BINDING_GROUP_TITLE = "Save as"
    DEFAULT_CSS = """
    SaveAsScreen {
        align: center middle;
    }
    #save-dialog .filter-label {
        width: 12;
    }
    #save-dialog Select {
        width: 1fr;
    }
    #save-error {
        padding-left: 12;
    }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save"),
    ]

    def __init__(self, count: int, directory: Path) -> None:
        super().__init__()
        self.count = count
        self.directory = directory

    def compose(self) -> ComposeResult:
        what = "this recording" if self.count == 1 else f"{self.count} recordings"
        with Vertical(id="save-dialog", classes="dialog"):
            yield Static(f"Save {what} as…", classes="dialog-title")
            with Horizontal(classes="filter-row"):
                yield Static("Directory", classes="filter-label")
                yield Input(str(self.directory), id="save-directory", compact=True)
            yield Static(id="save-error", classes="field-error")
            with Horizontal(classes="filter-row"):
                yield Static("Format", classes="filter-label")
                yield Select(FORMATS, value="wav", allow_blank=False, compact=True, id="save-format")
            with Horizontal(classes="filter-row"):
                yield Static("Channels", classes="filter-label")
                yield Select(CHANNELS, value=0, allow_blank=False, compact=True, id="save-channels")
            yield Static("Files are named RE…_<date>.<format>; a file already there is kept. "
                         "Recordings already in the cache are copied, not downloaded again.",
                         classes="dialog-hint")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel", id="save-cancel", compact=True)
                yield Button("Save", id="save-ok", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.query_one("#save-error").display = False
        self.query_one("#save-directory", Input).focus()

    @on(Input.Changed, "#save-directory")
    def _directory_changed(self) -> None:
        self.query_one("#save-error").display = False

    @on(Input.Submitted, "#save-directory")
    @on(Button.Pressed, "#save-ok")
    def action_save(self) -> None:
        directory, problem = writable_directory(self.query_one("#save-directory", Input).value)
        error = self.query_one("#save-error", Static)
        if directory is None:
            error.update(Text(problem))  # a typed path is not markup
            error.display = True
            self.query_one("#save-directory", Input).focus()
            return
        fmt = self.query_one("#save-format", Select).value
        channels = self.query_one("#save-channels", Select).value
        self.dismiss(SaveRequest(directory, str(fmt), int(channels) or None))  # type: ignore[arg-type]

    @on(Button.Pressed, "#save-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
