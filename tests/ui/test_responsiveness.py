"""Work the list does not do: each of these cost a layout pass of the whole screen (tens of
milliseconds with 100k rows loaded) on every key or every page."""

from __future__ import annotations

from textual.widgets import Static

from ui_support import recordings_screen, settle


async def test_quick_filter_keys_leave_the_detail_pane_alone_while_the_cursor_stays(shared_emulator, make_app):
    app = make_app(shared_emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = recordings_screen(pilot)
        target = screen.table.cursor_recording
        assert target is not None and screen.detail.recording is target
        fields = screen.detail.query_one("#detail-fields", Static)
        updates = []
        original = fields.update
        fields.update = lambda *args, **kwargs: (updates.append(args), original(*args, **kwargs))[1]
        await pilot.press("slash", *target.sid[:6])  # every row matches "RE…": the cursor stays
        await settle(pilot)
        assert screen.table.cursor_recording is target
        assert screen.detail.recording is target and target.sid in screen.detail.plain_text
        assert updates == []
        await pilot.press(*"zzzz")  # nothing matches: the pane says so (quoting each key's needle)
        await settle(pilot)
        assert updates and "No loaded recording matches" in screen.detail.plain_text


async def test_the_status_line_changes_without_a_layout_pass(shared_emulator, make_app):
    app = make_app(shared_emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = recordings_screen(pilot)
        message = screen.status.query_one("#status-message", Static)
        layouts = []
        original = message.refresh

        def refresh(*regions, **kwargs):
            if kwargs.get("layout"):
                layouts.append(kwargs)
            return original(*regions, **kwargs)

        message.refresh = refresh
        screen.status.show("page 9 · rows 401–450 · more available")
        await pilot.pause()
        assert screen.status.message == "page 9 · rows 401–450 · more available"
        assert layouts == []
