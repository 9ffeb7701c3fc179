"""The table's scroll bar, drawn by ScrollBarStrips instead of Textual's Rich renderable."""

from __future__ import annotations

import pytest
from textual.scrollbar import ScrollBarRender
from textual.visual import Visual, visualize

from rec_tui.ui.widgets.recording_table import RecordingTable
from rec_tui.ui.widgets.scroll_bar import ScrollBarStrips
from tests.ui.test_recording_table import TableApp, make


def drawn(bar, renderer) -> list[list[tuple]]:
    """The bar's lines as Textual draws them with ``renderer``: (text, style) per segment."""
    bar.renderer = renderer
    width, height = bar.size
    strips = Visual.to_strips(bar, visualize(bar, bar.render()), width, height, bar.visual_style)
    return [[(segment.text, segment.style) for segment in strip] for strip in strips]


@pytest.mark.parametrize("rows", [30, 60, 500, 100_000])
async def test_the_bar_draws_what_textuals_renderer_draws(rows):
    app = TableApp([make(i) for i in range(min(rows, 600))])
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(RecordingTable)
        if rows > 600:  # a long list without loading it: only the range matters to the bar
            table.virtual_size = table.virtual_size.with_height(rows + 1)
        await pilot.pause()
        bar = table.vertical_scrollbar
        assert table.show_vertical_scrollbar
        for fraction in (0, 0.013, 0.5, 0.77, 1):
            table.scroll_to(y=table.max_scroll_y * fraction, animate=False)
            await pilot.pause()
            ours = drawn(bar, ScrollBarStrips)
            textual = drawn(bar, ScrollBarRender)
            assert len(ours) == bar.size.height
            assert ours == textual, (rows, fraction)


async def test_clicking_the_bar_below_the_thumb_pages_down_and_dragging_the_thumb_scrolls():
    app = TableApp([make(i) for i in range(500)])
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(RecordingTable)
        await pilot.pause()
        bar = table.vertical_scrollbar
        assert table.scroll_y == 0
        x = bar.region.x - table.region.x
        await pilot.click(RecordingTable, offset=(x, table.size.height - 2))
        await pilot.pause()
        assert table.scroll_y > 0  # the track's segments still carry Textual's click actions
        paged = table.scroll_y
        await pilot.mouse_down(RecordingTable, offset=(x, 1))  # the thumb, near the top
        await pilot.hover(RecordingTable, offset=(x, table.size.height - 3))
        await pilot.mouse_up(RecordingTable, offset=(x, table.size.height - 3))
        await pilot.pause()
        assert table.scroll_y > paged
