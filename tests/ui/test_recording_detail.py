"""The detail pane: every field, and its scroll height following what it shows."""

from __future__ import annotations

from datetime import timezone

from textual.app import App, ComposeResult

from rec_tui.ui.widgets.recording_detail import RecordingDetail
from tests.ui.test_recording_table import make


class DetailApp(App):
    def compose(self) -> ComposeResult:
        yield RecordingDetail(timezone.utc, id="detail")


def shown_text(detail: RecordingDetail) -> str:
    return "\n".join(strip.text for strip in detail.query_one("#detail-fields").render_lines(
        detail.query_one("#detail-fields").content_region.reset_offset))


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
    """In a pane taller than either recording, the fields fill the pane (no layout pass between
    two such recordings): a shorter one after a taller one leaves none of the taller one's lines."""
    app = DetailApp()
    async with app.run_test(size=(60, 70)) as pilot:
        detail = app.query_one(RecordingDetail)
        fields = detail.query_one("#detail-fields")
        taller = make(18, end_time="Fri, 20 Nov 2026 14:05:00 +0000", region="us1", edge="ashburn")
        detail.show(taller)
        await pilot.pause()
        assert "ashburn" in shown_text(detail)
        assert fields.outer_size.height == detail.scrollable_content_region.height  # the pane, filled
        detail.show(make(0))
        await pilot.pause()
        lines = shown_text(detail).splitlines()
        assert make(0).sid in "\n".join(lines) and "ashburn" not in "\n".join(lines)
        assert detail.max_scroll_y == 0
        assert len(lines) == detail.scrollable_content_region.height
