"""The recordings screen's footer: the triage keys (o play, d download, s save as, a live calls)
show when they fit; when they do not, the least important go first, never help and quit (which
Textual's footer used to cut off at the right edge, e.g. with the player's keys in front)."""

from __future__ import annotations

import pytest
from textual.widgets._footer import FooterKey

from rec_tui.ui.widgets.footer import FittingFooter
from rec_tui.ui.widgets.player_bar import PlayerBar
from tests.keyring_support import svg_text

from media_support import cache_root, cursor_to, fake_player, pick  # noqa: F401 - fixture
from ui_support import recordings_screen, settle

LIST_ALL = ["activate", "toggle_mark", "quick_filter", "filters", "next_page", "previous_page", "refresh",
            "download", "save_as", "play", "live", "help", "quit"]


def footer_line(app) -> str:
    return svg_text(app.export_screenshot()).splitlines()[-1]


def shown(app) -> list[str]:
    return app.screen.query_one(FittingFooter).shown_actions


@pytest.mark.parametrize("width, expected", [
    (120, LIST_ALL),
    (100, [a for a in LIST_ALL if a != "live"]),
    (80, ["activate", "toggle_mark", "quick_filter", "filters", "refresh", "download", "play", "help", "quit"]),
])
async def test_the_triage_keys_show_as_far_as_they_fit(shared_emulator, make_app, width, expected):
    app = make_app(shared_emulator)
    async with app.run_test(size=(width, 24)) as pilot:
        await settle(pilot)
        assert shown(app) == expected
        keys = [key for key in app.screen.query(FooterKey) if key.display]
        assert max(key.region.right for key in keys) <= width  # nothing cut off at the edge
        line = footer_line(app)
        assert line.endswith("? Help q Quit") and "o Play" in line and "d Download" in line


async def test_a_narrower_terminal_gets_its_keys_back_when_it_widens(shared_emulator, make_app):
    app = make_app(shared_emulator)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "live" not in shown(app)
        await pilot.resize_terminal(120, 24)
        await settle(pilot)
        assert shown(app) == LIST_ALL


@pytest.mark.parametrize("width", [80, 120])
async def test_with_the_player_focused_help_and_quit_stay(emulator, make_app, cache_root, width):
    app = make_app(emulator)
    async with app.run_test(size=(width, 30)) as pilot:
        await settle(pilot)
        media = fake_player(pilot)
        await cursor_to(pilot, pick(recordings_screen(pilot), channels=1, min_duration=3)[0])
        await pilot.press("o")
        await settle(pilot)
        assert app.focused is app.screen.query_one(PlayerBar)
        actions = shown(app)
        assert actions[:2] == ["toggle", "stop"] and "leave" in actions and actions[-2:] == ["help", "quit"]
        line = footer_line(app)
        assert "esc Back to the list" in line and line.endswith("? Help q Quit")
