"""Dialogs for changes that matter: confirmations, the pause choice and the start-recording form.

They are built so that nothing irreversible happens by accident: a confirmation opens with
*Cancel* focused (the dangerous button is reached on purpose, with tab or ←), ``esc`` always
cancels, and the start form checks every field before anything is sent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any
from urllib.parse import urlsplit

from rich.console import RenderableType
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalGroup, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, OptionList, RadioButton, RadioSet, Static
from textual.widgets.option_list import Option

from rec_tui.api import Recording
from rec_tui.ui.formatting import format_date, format_duration, literal

# -- confirmation ----------------------------------------------------------------------------------


class ConfirmScreen(ModalScreen[bool]):
    """A question about something that cannot be undone; dismisses True only on the confirm button."""

    BINDING_GROUP_TITLE = "Confirm"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("left,right", "app.focus_previous", "Other button", show=False),
    ]

    def __init__(self, title: str, body: RenderableType, confirm_label: str, *, hint: str = "",
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self.title_text = title
        self.body = body
        self.confirm_label = confirm_label
        self.hint = hint or f"Cancel has the focus: tab or ← then enter to {confirm_label.lower()}; esc cancels."

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog confirm-dialog"):
            yield Static(Text(self.title_text), classes="dialog-title")
            yield Static(self.body, id="confirm-body")
            yield Static(Text(self.hint), classes="dialog-hint")
            with HorizontalGroup(classes="dialog-buttons"):
                yield Button(self.confirm_label, variant="error", id="confirm", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()

    def action_cancel(self) -> None:
        self.dismiss(False)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm")


def when(value: datetime | None, tz: tzinfo | None) -> str:
    """``2026-11-19 09:12:44 UTC``: the date as the list shows it, with its zone named."""
    if value is None:
        return format_date(None, tz)
    return f"{format_date(value, tz)} {value.astimezone(tz).tzname() or ''}".rstrip()


def describe_recording(recording: Recording, tz: tzinfo | None) -> str:
    """``RE… · created 2026-11-19 09:12:44 UTC · 3:12`` (API values shown literally)."""
    return (f"{literal(recording.sid)} · created {when(recording.date_created, tz)}"
            f" · {format_duration(recording.duration)}")


#: How many recordings a bulk confirmation names one by one before "… and N more".
LISTED_IN_CONFIRMATION = 6


def delete_confirmation(recordings: Sequence[Recording], tz: tzinfo | None, *,
                        left_alone: Sequence[Recording] = ()) -> ConfirmScreen:
    """The confirmation of a delete: the SID, date and duration of what goes, and that it is final.

    ``left_alone``: marked recordings that will not be deleted (not completed), named as such.
    """
    lines: list[Text] = []
    if len(recordings) == 1:
        (recording,) = recordings
        title = "Delete this recording?"
        lines.append(Text(literal(recording.sid), style="bold"))
        lines.append(Text(f"created {when(recording.date_created, tz)} · "
                          f"duration {format_duration(recording.duration)}"))
        label = "Delete"
    else:
        total = sum(r.duration or 0 for r in recordings)
        title = f"Delete {len(recordings)} marked recordings?"
        lines.append(Text(f"{len(recordings)} recordings · {format_duration(total)} in all", style="bold"))
        for recording in recordings[:LISTED_IN_CONFIRMATION]:
            lines.append(Text("  " + describe_recording(recording, tz)))
        if len(recordings) > LISTED_IN_CONFIRMATION:
            lines.append(Text(f"  … and {len(recordings) - LISTED_IN_CONFIRMATION} more"))
        label = f"Delete {len(recordings)}"
    lines.append(Text(""))
    lines.append(Text("The media will be deleted and cannot be recovered.", style="bold red"))
    lines.append(Text("Its metadata stays listed, with status deleted, for 40 days.", style="dim"))
    if left_alone:
        sample = ", ".join(f"{literal(r.sid)} ({literal(r.status)})" for r in left_alone[:3])
        more = f" and {len(left_alone) - 3} more" if len(left_alone) > 3 else ""
        lines.append(Text(f"Left alone, not completed: {sample}{more}.", style="yellow"))
    return ConfirmScreen(title, Text("\n").join(lines), label, id="delete-confirm")


# -- pause: skip or silence ------------------------------------------------------------------------

PAUSE_CHOICES = (
    ("silence", "Silence", "the pause is recorded as silence (Twilio's default)"),
    ("skip", "Skip", "the pause is left out of the recording"),
)


class PauseChoiceScreen(ModalScreen[str | None]):
    """Asks how to pause: dismisses ``"skip"``, ``"silence"`` or None (cancelled)."""

    BINDING_GROUP_TITLE = "Pause"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, recording_sid: str, where: str) -> None:
        super().__init__()
        self.recording_sid = recording_sid
        self.where = where

    def compose(self) -> ComposeResult:
        options = []
        for key, name, description in PAUSE_CHOICES:
            prompt = Text.assemble((f"{name:<8}", "bold"), description)
            options.append(Option(prompt, id=key))
        with Vertical(id="pause-dialog", classes="dialog"):
            yield Static(Text(f"Pause recording {literal(self.recording_sid)}"), classes="dialog-title")
            yield Static(Text(f"on {self.where}. While paused:"))
            yield OptionList(*options, id="pause-choice", markup=False, compact=True)
            yield Static("↑/↓ choose · enter pauses · esc cancels", classes="dialog-hint")

    def on_mount(self) -> None:
        choices = self.query_one("#pause-choice", OptionList)
        choices.highlighted = 0
        choices.focus()

    @on(OptionList.OptionSelected, "#pause-choice")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


# -- start recording -------------------------------------------------------------------------------

CHANNEL_CHOICES = (("mono", "mono"), ("dual", "dual (one channel per leg)"))
TRACK_CHOICES = (("both", "both"), ("inbound", "inbound"), ("outbound", "outbound"))
TRIM_CHOICES = (("do-not-trim", "do not trim"), ("trim-silence", "trim silence"))
METHOD_CHOICES = (("POST", "POST"), ("GET", "GET"))
EVENT_CHOICES = ("in-progress", "completed", "absent")
DEFAULT_EVENTS = ("completed",)


class FormError(ValueError):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class StartOptions:
    """What the start form asks for, as :meth:`RecordingsClient.create_call_recording` takes it."""

    channels: str = "mono"
    track: str = "both"
    trim: str = "do-not-trim"
    status_callback: str | None = None
    status_callback_method: str | None = None
    status_callback_events: tuple[str, ...] = field(default_factory=tuple)

    @classmethod
    def parse(cls, *, channels: str, track: str, trim: str, callback: str, method: str,
              events: Sequence[str]) -> StartOptions:
        """Check the form's values; raises :class:`FormError` naming each bad field."""
        errors: dict[str, str] = {}
        for name, value, choices in (("channels", channels, CHANNEL_CHOICES), ("track", track, TRACK_CHOICES),
                                     ("trim", trim, TRIM_CHOICES), ("method", method, METHOD_CHOICES)):
            if value not in {key for key, _ in choices}:
                errors[name] = f"choose one of {', '.join(key for key, _ in choices)}"
        url = callback.strip()
        if url:
            parts = urlsplit(url)
            if any(ch.isspace() for ch in url) or any(ord(ch) < 32 for ch in url):
                errors["callback"] = "a URL has no spaces or control characters"
            elif parts.scheme not in ("http", "https") or not parts.hostname:
                errors["callback"] = "an absolute http:// or https:// URL, e.g. https://example.com/status"
            elif len(url) > 2000:
                errors["callback"] = "at most 2000 characters"
            if not events:
                errors["events"] = "choose at least one event to be called back for"
        elif method != "POST" or tuple(events) != DEFAULT_EVENTS:
            errors["callback"] = "the method and events need a status callback URL (or leave them at POST, completed)"
        if errors:
            raise FormError(errors)
        if not url:
            return cls(channels, track, trim)
        return cls(channels, track, trim, url, method, tuple(e for e in EVENT_CHOICES if e in events))

    def request_options(self) -> dict[str, Any]:
        """Keyword arguments for ``create_call_recording``: every choice is sent explicitly."""
        options: dict[str, Any] = {"channels": self.channels, "track": self.track, "trim": self.trim}
        if self.status_callback:
            options.update(status_callback=self.status_callback, status_callback_method=self.status_callback_method,
                           status_callback_events=list(self.status_callback_events))
        return options


class StartRecordingScreen(ModalScreen[StartOptions | None]):
    """The start-recording form for one live call; dismisses :class:`StartOptions` or None."""

    BINDING_GROUP_TITLE = "Start recording"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "start", "Start recording"),
    ]

    def __init__(self, call_sid: str, description: str = "") -> None:
        super().__init__()
        self.call_sid = call_sid
        self.description = description

    def compose(self) -> ComposeResult:
        def radio_row(name: str, label: str, choices: tuple[tuple[str, str], ...], default: str) -> ComposeResult:
            with HorizontalGroup(classes="form-row"):
                yield Label(label, classes="form-label")
                with RadioSet(id=f"start-{name}", compact=True):
                    for key, text in choices:
                        yield RadioButton(text, value=key == default, name=key, compact=True)
            yield Static(id=f"start-error-{name}", classes="field-error")

        with Vertical(id="start-dialog", classes="dialog"):
            yield Static(Text(f"Start recording call {literal(self.call_sid)}"), classes="dialog-title")
            if self.description:
                yield Static(Text(self.description), classes="dialog-subtitle")
            yield from radio_row("channels", "Channels", CHANNEL_CHOICES, "mono")
            yield from radio_row("track", "Track", TRACK_CHOICES, "both")
            yield from radio_row("trim", "Trim", TRIM_CHOICES, "do-not-trim")
            with HorizontalGroup(classes="form-row"):
                yield Label("Status callback", classes="form-label")
                yield Input(placeholder="optional: https://… called as the recording changes",
                            id="start-callback", compact=True)
            yield Static(id="start-error-callback", classes="field-error")
            yield from radio_row("method", "Callback method", METHOD_CHOICES, "POST")
            with HorizontalGroup(classes="form-row"):
                yield Label("Callback events", classes="form-label")
                for event in EVENT_CHOICES:
                    yield Checkbox(event, event in DEFAULT_EVENTS, id=f"start-event-{event}", compact=True)
            yield Static(id="start-error-events", classes="field-error")
            yield Static("Only an in-progress call can be recorded. ctrl+s starts · esc cancels.",
                         classes="dialog-hint")
            with HorizontalGroup(classes="dialog-buttons"):
                yield Button("Start recording", variant="primary", id="start", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def on_mount(self) -> None:
        for error in self.query(".field-error"):
            error.display = False
        self.query_one("#start-channels", RadioSet).focus()

    def _choice(self, name: str) -> str:
        pressed = self.query_one(f"#start-{name}", RadioSet).pressed_button
        return pressed.name if pressed is not None and pressed.name else ""

    def values(self) -> dict[str, Any]:
        return {
            "channels": self._choice("channels"),
            "track": self._choice("track"),
            "trim": self._choice("trim"),
            "callback": self.query_one("#start-callback", Input).value,
            "method": self._choice("method"),
            "events": [e for e in EVENT_CHOICES if self.query_one(f"#start-event-{e}", Checkbox).value],
        }

    def show_errors(self, errors: dict[str, str]) -> None:
        for widget in self.query(".field-error"):
            name = (widget.id or "").removeprefix("start-error-")
            message = errors.get(name)
            widget.display = bool(message)
            widget.update(Text(f"↳ {message}" if message else ""))
        self.query_one("#start-callback", Input).set_class("callback" in errors, "-invalid")

    def action_start(self) -> None:
        try:
            options = StartOptions.parse(**self.values())
        except FormError as error:
            self.show_errors(error.errors)
            if "callback" in error.errors:
                self.query_one("#start-callback", Input).focus()
            return
        self.dismiss(options)

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted, "#start-callback")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_start()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "start":
            self.action_start()
        else:
            self.action_cancel()
