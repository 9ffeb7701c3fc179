"""Every field of one recording, human-formatted and exact (full SIDs, both time zones)."""

from __future__ import annotations

import json
from datetime import tzinfo
from typing import Any

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style
from rich.text import Lines, Text
from textual import events
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style as VisualStyle
from textual.visual import Visual, visualize

from rec_tui.api.models import Recording
from rec_tui.ui.widgets.scroll_bar import ScrollBarStrips, set_virtual_size
from rec_tui.ui.widgets.text_viewer import VIM_SCROLL_BINDINGS
from rec_tui.ui.formatting import (
    MISSING,
    error_link,
    format_date_pair,
    format_duration_long,
    format_price_long,
    literal,
    literal_text,
    status_text,
)

Rows = list[tuple[str, Text]]
Section = tuple[str, Rows]

CHANNEL_NAMES = {1: "mono", 2: "dual"}


def _value(value: Any) -> Text:
    return literal_text(value) if value not in (None, "") else Text(MISSING, style="dim")


def _link(url: str) -> Text:
    # Shown literally; the OSC 8 link (where the terminal supports it) only on URLs we build.
    return Text(url, style=Style(underline=True, link=url))


def recording_sections(recording: Recording, tz: tzinfo | None) -> list[Section]:
    """The recording as titled sections of (label, value) rows, in reading order."""
    r = recording
    main: Rows = [
        ("SID", _value(r.sid)),
        ("Status", status_text(r.status)),
    ]
    if r.error_code is not None:
        main.append(("Error", Text(str(r.error_code), style="bold red")))
        main.append(("Error docs", _link(error_link(r.error_code))))
    channels = Text(MISSING, style="dim") if r.channels is None else Text(
        f"{r.channels} ({CHANNEL_NAMES[r.channels]})" if r.channels in CHANNEL_NAMES else str(r.channels))
    main += [
        ("Duration", Text(format_duration_long(r.duration))),
        ("Price", Text(format_price_long(r.price, r.price_unit))),
        ("Channels", channels),
        ("Source", _value(r.source)),
        ("Track", _value(r.track)),
    ]
    times: Rows = [
        ("Created", Text(format_date_pair(r.date_created, tz))),
        ("Updated", Text(format_date_pair(r.date_updated, tz))),
        ("Started", Text(format_date_pair(r.start_time, tz))),
    ]
    owners: Rows = [
        ("Call", _value(r.call_sid)),
        ("Conference", _value(r.conference_sid)),
        ("Account", _value(r.account_sid)),
    ]
    resource: Rows = [
        ("API version", _value(r.api_version)),
        ("URI", _value(r.uri)),
        ("Media URL", _value(r.media_url)),
    ]
    if r.encryption_details:
        encryption: Rows = [("Encrypted", Text("encrypted", style="bold yellow"))]
        encryption += [(literal(key), _value(_plain(value))) for key, value in r.encryption_details.items()]
    else:
        encryption = [("Encrypted", Text("no"))]
    sections: list[Section] = [
        ("Recording", main),
        ("Time", times),
        ("Belongs to", owners),
        ("Resource", resource),
        ("Encryption", encryption),
    ]
    if r.subresource_uris:
        sections.append(("Subresources", [(literal(k), _value(_plain(v))) for k, v in r.subresource_uris.items()]))
    if r.extra:
        sections.append(("Other fields", [(literal(k), _value(_plain(v))) for k, v in r.extra.items()]))
    if r.problems:
        sections.append(("Problems", [("", Text(literal(p), style="red")) for p in r.problems]))
    return sections


def _plain(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return value


class FieldGrid:
    """(label, value) rows: labels in a column of their own, each value wrapped under itself.

    What ``Table.grid(padding=(0, 1), expand=True)`` with a ``no_wrap`` label column (at least
    11 cells) and a folding value column draws, made directly: a Rich ``Table`` measures every
    cell each time Textual measures or paints the pane, ~30 ms a frame when the cursor moves
    (issue 8: the longest stalls of infinite scroll were those frames).
    """

    LABEL_MIN = 11

    def __init__(self, rows: Rows, label_style: str = "dim") -> None:
        self.rows = rows
        self.label_style = label_style
        self._wrapped: tuple[int, list[Lines]] | None = None  # (value width, each value's lines)

    def _label_width(self, width: int) -> int:
        wanted = max([self.LABEL_MIN, *(Text(label).cell_len for label, _ in self.rows)])
        return max(0, min(wanted, width - 2))

    def _value_lines(self, console: Console, value_width: int) -> list[Lines]:
        """Each value wrapped and padded to ``value_width`` (the padding takes the value's style,
        as in a table). Kept for the last width: the pane is measured, then painted, at one width."""
        if self._wrapped is None or self._wrapped[0] != value_width:
            wrapped = []
            for _, value in self.rows:
                lines = value.wrap(console, value_width, overflow="fold")
                for line in lines:
                    line.truncate(value_width, pad=True)
                wrapped.append(lines)
            self._wrapped = (value_width, wrapped)
        return self._wrapped[1]

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(options.max_width, options.max_width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        label_width = self._label_width(width)
        value_width = max(1, width - label_width - 1)
        pad_style = console.get_style(self.label_style)
        label_style = pad_style + console.get_style("bold")
        gap = Segment(" ", pad_style)
        new_line = Segment.line()
        for (label, _), lines in zip(self.rows, self._value_lines(console, value_width)):
            label_text = Text(label)
            label_text.truncate(label_width, overflow="ellipsis", pad=True)
            # Joined, as Text renders itself: the join carries each line's own style.
            rendered = Segment.split_and_crop_lines(Text("\n").join(lines).render(console), value_width, pad=True,
                                                    include_new_lines=False)
            for index, segments in enumerate(rendered):
                if index == 0:
                    yield Segment(label_text.plain, label_style)
                else:
                    yield Segment(" " * label_width, pad_style)
                yield gap
                yield from segments
                yield new_line


def render_sections(sections: list[Section]) -> Group:
    parts: list[Any] = []
    for index, (title, rows) in enumerate(sections):
        heading = Text(title, style="bold underline")
        if index:
            heading = Text("\n") + heading
        parts += [heading, FieldGrid(rows)]
    return Group(*parts)


def sections_plain_text(sections: list[Section]) -> str:
    """The same content as plain text (tests and copy): ``Label: value`` lines."""
    lines = []
    for title, rows in sections:
        lines.append(f"[{title}]")
        lines += [f"{label}: {value.plain}" if label else value.plain for label, value in rows]
    return "\n".join(lines)


class RecordingDetail(ScrollView, can_focus=True):
    """A scrollable view of one recording's fields; ``show(recording)`` or ``show_message(text)``.

    Drawn through the line API, as the table is: what it shows is a list of lines made when it
    changes, and another recording of another height changes only the scroll range. As a Static
    in a scrolling container, a recording taller than the pane re-measured and repainted the
    whole screen when shown (a layout pass: 25-45 ms with the table full, the longest stalls while
    rows arrive).
    """

    BINDING_GROUP_TITLE = "Detail"
    BINDINGS = VIM_SCROLL_BINDINGS
    # The scroll bar always shows (its track when everything fits): a bar that comes and goes
    # between recordings lays the whole screen out again each time.
    DEFAULT_CSS = """
    RecordingDetail {
        overflow-x: hidden;
        overflow-y: scroll;
    }
    """

    def __init__(self, display_tz: tzinfo | None = None, *, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.display_tz = display_tz
        self.recording: Recording | None = None
        self.plain_text = ""
        self._content: RenderableType = Text("")
        self._lines: list[Strip] = []
        self._lines_style: VisualStyle | None = None  # the colours _lines were made in
        self._made_for = 0  # the pane's width when _lines were made

    def show(self, recording: Recording | None, *, placeholder: str = "No recording selected") -> None:
        if recording is None:
            self.show_message(placeholder)
            return
        if recording is self.recording:
            # Already shown (the list calls this on every quick-filter key): nothing to redo.
            return
        same = self.recording is not None and self.recording.sid == recording.sid
        self.recording = recording
        sections = recording_sections(recording, self.display_tz)
        self.plain_text = sections_plain_text(sections)
        self._set_content(render_sections(sections), keep_scroll=same)

    def show_message(self, message: str | Text) -> None:
        self.recording = None
        text = message if isinstance(message, Text) else Text(message, style="dim italic")
        self.plain_text = text.plain
        self._set_content(text, keep_scroll=False)

    @property
    def shown_lines(self) -> list[str]:
        """The text of every line of what is shown, scrolled or not (tests)."""
        return [strip.text.rstrip() for strip in self._lines]

    def on_mount(self) -> None:
        self.vertical_scrollbar.renderer = ScrollBarStrips  # redrawn with every recording shown

    def _set_content(self, content: RenderableType, *, keep_scroll: bool) -> None:
        self._content = content
        self._make_lines()
        if not keep_scroll:
            self.scroll_home(animate=False)
        self.refresh()

    def _make_lines(self) -> None:
        """Lay the content out at the pane's width beside the scroll bar; the scroll range follows."""
        width = self.content_region.width
        self._made_for = width
        if width <= 0:
            self._lines = []
            return  # not laid out yet: on_resize makes them
        width = max(1, width - self.styles.scrollbar_size_vertical)
        lines = self._render_at(width)
        self._lines = lines
        set_virtual_size(self, Size(width, len(lines)))

    def _render_at(self, width: int) -> list[Strip]:
        self._lines_style = style = self.visual_style
        return Visual.to_strips(self, visualize(self, self._content), width, None, style)

    def on_resize(self, event: events.Resize) -> None:
        if self.content_region.width != self._made_for:
            self._make_lines()
            self.refresh()

    def render_lines(self, crop: Region) -> list[Strip]:
        if self._lines and self.visual_style != self._lines_style:
            # Focus tint or theme: the same lines in new colours (styles do not change the wrapping).
            self._lines = self._render_at(self.virtual_size.width)
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        if index < len(self._lines):
            return self._lines[index]
        return Strip.blank(self.scrollable_content_region.width, self.visual_style.rich_style)
