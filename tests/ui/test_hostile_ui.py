"""The app on the emulator's hostile recordings: every value shown literally, columns aligned,
nothing interpreted (no markup, no escape sequence, no link), nothing crashes.

The emulator (``hostile=True``) serves one recording in six with hostile field values: Rich markup
with ``[link=…]`` and an unbalanced ``[``, ANSI escapes, control characters and NUL, 10,000-character
fields, emoji and right-to-left text, nulls where values are expected, numbers where text is.
"""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from rec_tui.emulator import Emulator
from rec_tui.emulator.models import HOSTILE_RECORDING_FIELDS, hostile_recording_fields
from rec_tui.ui.formatting import MISSING, literal
from rec_tui.ui.screens.recording import RecordingScreen

from ui_support import emulator_config, recordings_screen, settle

#: C0 and C1 controls, DEL, and the bidi/zero-width characters that reorder or hide text.
FORBIDDEN = {chr(c) for c in (*range(0x20), *range(0x7F, 0xA0))} | set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u200d")


def check_screen(app, where: str) -> str:
    """Every line of the whole screen is exactly as wide as the terminal, holds no control or
    reordering character and links nowhere a hostile value pointed; returns the screen's text."""
    width = app.size.width
    lines = []
    for y, strip in enumerate(app.screen._compositor.render_strips()):
        text = "".join(segment.text for segment in strip)
        assert strip.cell_length == width and cell_len(text) == width, (where, y, text)
        bad = FORBIDDEN & set(text)
        assert not bad, (where, y, sorted(map(hex, map(ord, bad))), text)
        for segment in strip:
            link = segment.style.link if segment.style else None
            assert not link or "evil.example" not in link and not link.startswith("file:"), (where, link)
        lines.append(text)
    return "\n".join(lines)


def table_is_aligned(table, where: str) -> None:
    """Column separators sit at the same cell on every line of the table, header included."""
    lines = []
    for y in range(table.size.height):
        strip = table.render_line(y)
        lines.append([(segment.text, cell_len(segment.text)) for segment in strip])
    boundaries = []
    left = 2  # the marks gutter
    for column in table.columns:
        left += column.width + 1
        boundaries.append(left - 1)
    for y, segments in enumerate(lines):
        chars = []
        for text, _ in segments:
            for ch in text:
                chars.extend([ch] + [""] * (cell_len(ch) - 1))
        for x in boundaries[:-1]:
            if x < len(chars):
                assert chars[x] == " ", (where, y, x, "".join(chars))


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_hostile_recordings_are_shown_literally_and_aligned(make_app, size):
    with Emulator(emulator_config(hostile=True)) as emu:
        app = make_app(emu)
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            screen = recordings_screen(pilot)
            screen.set_page_size(500)  # all 250 on one page, every kind of hostile value among them
            await settle(pilot)
            table = screen.table
            assert table.loaded_count == 250
            hostile = [r for r in table.recordings if hostile_recording_fields(r.sid)]
            served = {id(hostile_recording_fields(r.sid)) for r in hostile}
            assert served == {id(variant) for variant in HOSTILE_RECORDING_FIELDS}

            seen_kinds = set()
            for recording in hostile:
                fields = hostile_recording_fields(recording.sid)
                if id(fields) in seen_kinds:
                    continue  # one recording of each kind is enough
                seen_kinds.add(id(fields))
                assert table.move_cursor_to_sid(recording.sid)
                await pilot.pause()
                where = f"{recording.sid} {sorted(fields)}"
                shown = check_screen(app, where)
                table_is_aligned(table, where)
                detail = screen.detail.plain_text
                for key in ("source", "track"):
                    value = fields.get(key, "unset")
                    if isinstance(value, str) and value != "unset":
                        # The literal text, markup and all (escapes as visible symbols).
                        assert literal(value)[:200] in detail, (where, key)
                    elif value is None:
                        assert f"{key.capitalize()}: {MISSING}" in detail, (where, detail)
                    elif isinstance(value, (int, float)):
                        assert f"{key.capitalize()}: {value}" in detail, (where, detail)
                if isinstance(fields.get("source"), str) and "[bold red]" in fields["source"]:
                    assert "[bold red]DialVerb[/bold red]" in shown

            # Sorting by every column copes with nulls, numbers and text side by side.
            for key in ("D", "I", "L", "S", "O", "C", "P", "D"):
                await pilot.press(key)
                await pilot.pause()
                check_screen(app, f"sorted by {key}")
                table_is_aligned(table, f"sorted by {key}")
            assert table.loaded_count == 250


async def test_the_recording_screen_of_each_kind_of_hostile_recording(make_app):
    with Emulator(emulator_config(hostile=True)) as emu:
        app = make_app(emu)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            screen = recordings_screen(pilot)
            screen.set_page_size(500)
            await settle(pilot)
            first_of_kind = {}
            for recording in screen.table.recordings:
                fields = hostile_recording_fields(recording.sid)
                if fields is not None:
                    first_of_kind.setdefault(id(fields), recording)
            assert len(first_of_kind) == len(HOSTILE_RECORDING_FIELDS)
            # Markup and links, escapes, 10,000 characters, nulls, numbers: the kinds that reach the
            # recording screen's own widgets differently (the others are the list's concern).
            kinds = [HOSTILE_RECORDING_FIELDS[i] for i in (0, 1, 3, 5, 6)]
            for recording in (first_of_kind[id(kind)] for kind in kinds):
                assert screen.table.move_cursor_to_sid(recording.sid)
                await pilot.pause()
                await pilot.press("enter")
                await settle(pilot)
                assert isinstance(app.screen, RecordingScreen), recording.sid
                check_screen(app, f"recording screen of {recording.sid}")
                await pilot.press("escape")
                await settle(pilot)
                assert app.screen is screen
            errors = [n for n in app._notifications if n.severity == "error"]
            assert errors == []
