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


# -- rebuilding the keys only when they change ---------------------------------------------------


from textual.app import App, ComposeResult  # noqa: E402
from textual.binding import Binding  # noqa: E402
from textual.widgets import Button  # noqa: E402


class KeysApp(App[None]):
    """A footer over a button: the app's keys, and the button's own (b) while it has the focus;
    ``e`` is enabled or shown dimmed (check_action's None) as ``e_enabled`` says."""

    BINDINGS = [Binding("e", "toggle", "Toggle"), Binding("q", "quit", "Quit")]
    e_enabled = True

    def compose(self) -> ComposeResult:
        yield Button("press", id="button")
        yield FittingFooter(())

    def check_action(self, action: str, parameters) -> bool | None:
        return (True if self.e_enabled else None) if action == "toggle" else True

    def action_toggle(self) -> None:
        pass


class KeyedButton(Button):
    BINDINGS = [Binding("b", "press", "Press")]


class KeysOnButtonApp(KeysApp):
    def compose(self) -> ComposeResult:
        yield KeyedButton("press", id="button")
        yield FittingFooter(())


def footer_keys(app) -> list[FooterKey]:
    return list(app.screen.query_one(FittingFooter).query(FooterKey))


async def test_the_same_keys_are_not_rebuilt():
    app = KeysApp()
    async with app.run_test(size=(60, 5)) as pilot:
        await pilot.pause()
        before = footer_keys(app)
        assert [key.action for key in before] == ["toggle", "quit"]
        app.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        assert footer_keys(app) == before  # the same widgets: nothing was removed and mounted again


async def test_a_key_disabled_or_enabled_again_dims_in_place():
    app = KeysApp()
    async with app.run_test(size=(60, 5)) as pilot:
        await pilot.pause()
        before = footer_keys(app)
        app.e_enabled = False
        app.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        keys = footer_keys(app)
        assert keys == before
        assert keys[0].has_class("-disabled") and keys[0]._disabled and not keys[1].has_class("-disabled")
        app.e_enabled = True
        app.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        assert not footer_keys(app)[0].has_class("-disabled") and not footer_keys(app)[0]._disabled


async def test_other_keys_are_composed_again():
    app = KeysOnButtonApp()
    async with app.run_test(size=(60, 5)) as pilot:
        await pilot.pause()
        assert [key.action for key in footer_keys(app)] == ["press", "toggle", "quit"]
        app.set_focus(None)
        await pilot.pause()
        await pilot.pause()
        assert [key.action for key in footer_keys(app)] == ["toggle", "quit"]
        assert footer_line(app).strip().startswith("e Toggle")


class RenamingButton(Button):
    BINDINGS = [Binding("e", "toggle", "Toggle here")]

    def action_toggle(self) -> None:
        pass


class RenamedKeyApp(KeysApp):
    def compose(self) -> ComposeResult:
        yield RenamingButton("press", id="button")
        yield FittingFooter(())


async def test_a_key_described_otherwise_is_shown_so():
    app = RenamedKeyApp()
    async with app.run_test(size=(60, 5)) as pilot:
        await pilot.pause()
        assert footer_line(app).strip().startswith("e Toggle here")
        app.set_focus(None)
        await pilot.pause()
        await pilot.pause()
        assert footer_line(app).strip().startswith("e Toggle q Quit")
