"""The detail pane: every field, and its scroll height following what it shows."""

from __future__ import annotations

from datetime import timezone

from textual.app import App, ComposeResult
from textual.geometry import Region

from rec_tui.ui.widgets.recording_detail import RecordingDetail
from tests.ui.test_recording_table import make


class DetailApp(App):
    def compose(self) -> ComposeResult:
        yield RecordingDetail(timezone.utc, id="detail")


def shown_text(detail: RecordingDetail) -> str:
    """The pane's lines as drawn (what is scrolled into view)."""
    return "\n".join(strip.text for strip in detail.render_lines(Region(0, 0, *detail.region.size)))


async def test_a_taller_recording_grows_the_scroll_height_and_an_equal_one_replaces_the_text():
    app = DetailApp()
    async with app.run_test(size=(60, 20)) as pilot:
        detail = app.query_one(RecordingDetail)
        plain, same_shape = make(0), make(9)  # both completed, same fields
        detail.show(plain)
        await pilot.pause()
        height = detail.virtual_size.height
        assert plain.sid in shown_text(detail)

        detail.show(same_shape)  # as many lines: no layout pass, the new text all the same
        await pilot.pause()
        assert detail.virtual_size.height == height
        assert same_shape.sid in shown_text(detail) and plain.sid not in shown_text(detail)

        extra = {"end_time": "Fri, 20 Nov 2026 14:05:00 +0000", "region": "us1", "edge": "ashburn"}
        taller = make(18, encryption_details={"encryption_public_key_sid": "CR" + "1" * 32,
                                              "encryption_cek": "x" * 300, "encryption_iv": "y" * 16}, **extra)
        detail.show(taller)
        await pilot.pause()
        assert detail.virtual_size.height > height
        detail.scroll_end(animate=False)
        await pilot.pause()
        assert detail.scroll_y == detail.max_scroll_y > 0
        assert "ashburn" in shown_text(detail)

        detail.show(plain)  # and back: shorter again
        await pilot.pause()
        assert detail.virtual_size.height == height


async def test_recordings_that_fit_the_pane_replace_each_other_whole():
    """In a pane taller than either recording, a shorter one after a taller one leaves none of
    the taller one's lines."""
    app = DetailApp()
    async with app.run_test(size=(60, 70)) as pilot:
        detail = app.query_one(RecordingDetail)
        taller = make(18, end_time="Fri, 20 Nov 2026 14:05:00 +0000", region="us1", edge="ashburn")
        detail.show(taller)
        await pilot.pause()
        assert "ashburn" in shown_text(detail)
        detail.show(make(0))
        await pilot.pause()
        lines = shown_text(detail).splitlines()
        assert make(0).sid in "\n".join(lines) and "ashburn" not in "\n".join(lines)
        assert detail.max_scroll_y == 0
        assert len(lines) == detail.region.height


async def test_showing_a_recording_of_another_height_needs_no_layout_of_the_screen():
    # A layout pass re-measures and repaints the whole screen (25-45 ms with the table full).
    # At 40 lines the plain recordings fit and the tall one does not: the scroll bar stays.
    app = DetailApp()
    async with app.run_test(size=(60, 40)) as pilot:
        detail = app.query_one(RecordingDetail)
        detail.show(make(0))
        await pilot.pause()
        layouts = []
        refresh_layout = app.screen._refresh_layout
        app.screen._refresh_layout = lambda *a, **k: (layouts.append(a), refresh_layout(*a, **k))[1]
        taller = make(18, encryption_details={"encryption_public_key_sid": "CR" + "1" * 32,
                                              "encryption_cek": "x" * 600, "encryption_iv": "y" * 16})
        fits = []
        for recording in (taller, make(9), taller):
            height = detail.virtual_size.height
            detail.show(recording)
            await pilot.pause()
            assert recording.sid in shown_text(detail)
            assert detail.virtual_size.height != height
            assert detail.show_vertical_scrollbar
            fits.append(detail.virtual_size.height <= detail.size.height)
        assert fits == [False, True, False]  # across the pane's height and back
        assert layouts == []


async def test_the_pane_rewraps_at_its_width_and_leaves_room_for_its_scroll_bar():
    app = DetailApp()
    async with app.run_test(size=(100, 20)) as pilot:
        detail = app.query_one(RecordingDetail)
        recording = make(18, encryption_details={"encryption_cek": "x" * 300})
        detail.show(recording)
        await pilot.pause()
        wide = detail.virtual_size.height
        assert detail.show_vertical_scrollbar
        # Every line fits beside the scroll bar: nothing is drawn under it.
        assert all(len(line) <= detail.scrollable_content_region.width for line in detail.shown_lines)
        assert "x" * 40 in "".join(detail.shown_lines)
        await pilot.resize_terminal(50, 20)
        await pilot.pause()
        assert detail.virtual_size.height > wide
        assert all(len(line) <= detail.scrollable_content_region.width for line in detail.shown_lines)
        assert recording.sid in "".join(detail.shown_lines)


async def test_focus_recolours_the_lines():
    class TintedApp(DetailApp):
        CSS = "RecordingDetail { background: #202020; } RecordingDetail:focus { background-tint: white 20%; }"

    app = TintedApp()
    async with app.run_test(size=(60, 20)) as pilot:
        detail = app.query_one(RecordingDetail)
        app.set_focus(None)
        detail.show(make(0))
        await pilot.pause()
        before = detail.render_lines(Region(0, 0, 60, 1))[0]
        detail.focus()
        await pilot.pause()
        after = detail.render_lines(Region(0, 0, 60, 1))[0]
        assert after.text == before.text
        # Each time, the whole line (text and the padding past it) is in the pane's colour.
        (unfocused,) = {segment.style.bgcolor for segment in before}
        (focused,) = {segment.style.bgcolor for segment in after}
        assert focused != unfocused


async def test_the_pane_scrolls_by_keys():
    app = DetailApp()
    async with app.run_test(size=(60, 20)) as pilot:
        detail = app.query_one(RecordingDetail)
        recording = make(18, end_time="Fri, 20 Nov 2026 14:05:00 +0000", region="us1", edge="ashburn")
        detail.show(recording)
        detail.focus()
        await pilot.pause()
        assert detail.max_scroll_y > 0 and "ashburn" not in shown_text(detail)
        await pilot.press("G")
        await pilot.pause()
        assert detail.scroll_y == detail.max_scroll_y and "ashburn" in shown_text(detail)
        await pilot.press("g", "j", "j")
        await pilot.pause()
        assert detail.scroll_y == 2
        top = shown_text(detail).splitlines()[0]
        assert detail.shown_lines[2].strip() and top.strip() == detail.shown_lines[2].strip()
