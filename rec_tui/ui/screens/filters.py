"""The filter form (``f``): the API's own list filters, checked before anything is sent."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalGroup, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Static

from rec_tui.api import FilterError, RecordingFilter

#: (field, label, placeholder) in the order shown.
TEXT_FIELDS = (
    ("created_on", "Created on", "YYYY-MM-DD"),
    ("created_after", "On or after", "YYYY-MM-DD"),
    ("created_before", "Before", "YYYY-MM-DD"),
    ("call_sid", "Call SID", "CA… (34 characters)"),
    ("conference_sid", "Conference SID", "CF… (34 characters)"),
)


def _text(value: object) -> str:
    return "" if value is None else str(value)


class FilterScreen(ModalScreen[RecordingFilter | None]):
    """Dismisses with the new :class:`RecordingFilter`, or None when cancelled."""

    BINDING_GROUP_TITLE = "Filters"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "apply", "Apply"),
        Binding("ctrl+r", "clear", "Clear all", tooltip="empty every field"),
    ]

    def __init__(self, current: RecordingFilter, *, focus_field: str | None = None) -> None:
        super().__init__()
        self.current = current
        self.focus_field = focus_field
        self._checked_values: dict[str, object] = {}  # the values the shown messages are about

    def compose(self) -> ComposeResult:
        with Vertical(id="filter-dialog", classes="dialog"):
            yield Static("Filter recordings", classes="dialog-title")
            with VerticalScroll(id="filter-fields"):
                for name, label, placeholder in TEXT_FIELDS:
                    with HorizontalGroup(classes="filter-row"):
                        yield Label(label, classes="filter-label")
                        yield Input(_text(getattr(self.current, name)), placeholder=placeholder,
                                    id=f"filter-{name}", compact=True)
                    yield Static(id=f"error-{name}", classes="field-error")
                yield Checkbox("Include soft-deleted recordings", self.current.include_soft_deleted,
                               id="filter-include_soft_deleted", compact=True)
            yield Static("GMT days, as the API filters them ('before' excludes its day). enter applies, esc cancels.",
                         classes="dialog-hint")
            with HorizontalGroup(classes="dialog-buttons"):
                yield Button("Apply", variant="primary", id="apply", compact=True)
                yield Button("Clear all", id="clear", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def on_mount(self) -> None:
        for name, *_ in TEXT_FIELDS:
            self.query_one(f"#error-{name}").display = False
        target = self.focus_field if self.focus_field in {n for n, *_ in TEXT_FIELDS} else "created_on"
        self.query_one(f"#filter-{target}", Input).focus()

    def values(self) -> dict[str, object]:
        values: dict[str, object] = {name: self.query_one(f"#filter-{name}", Input).value
                                     for name, *_ in TEXT_FIELDS}
        values["include_soft_deleted"] = self.query_one("#filter-include_soft_deleted", Checkbox).value
        return values

    def show_errors(self, errors: dict[str, str]) -> None:
        self._checked_values = self.values()
        for name, *_ in TEXT_FIELDS:
            message = errors.get(name)
            widget = self.query_one(f"#error-{name}", Static)
            widget.display = bool(message)
            widget.update(Text(f"↳ {message}" if message else ""))
            self.query_one(f"#filter-{name}", Input).set_class(bool(message), "-invalid")

    def action_apply(self) -> None:
        try:
            result = RecordingFilter.parse(**self.values())  # type: ignore[arg-type]
        except FilterError as error:
            self.show_errors(error.errors)
            first = next((name for name, *_ in TEXT_FIELDS if name in error.errors), None)
            if first:
                self.query_one(f"#filter-{first}", Input).focus()
            return
        self.dismiss(result)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_clear(self) -> None:
        for name, *_ in TEXT_FIELDS:
            self.query_one(f"#filter-{name}", Input).value = ""
        self.query_one("#filter-include_soft_deleted", Checkbox).value = False
        self.show_errors({})

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_apply()

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        # An edited field's old message no longer applies.
        name = (event.input.id or "").removeprefix("filter-")
        if self._checked_values.get(name) == event.value:
            return
        error = self.query(f"#error-{name}")
        if error and error.first().display:
            error.first().display = False
            event.input.remove_class("-invalid")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        {"apply": self.action_apply, "clear": self.action_clear, "cancel": self.action_cancel}[event.button.id or "cancel"]()
