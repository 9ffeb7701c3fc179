"""The recordings screen's footer: the triage keys (o play, d download, s save as, a live calls)
show when they fit; when they do not, the least important go first, never help and quit (which
Textual's footer used to cut off at the right edge, e.g. with the player's keys in front)."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Button

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
        assert app.screen.query_one(FittingFooter).shown_width <= width  # nothing cut off at the edge
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


# -- the keys as Textual's footer shows them: dimmed when disabled, pressed by a click -------------


class KeysApp(App[None]):
    """A footer under a button: the app's keys, and the button's own while it has the focus;
    ``e`` is enabled or shown dimmed (check_action's None) as ``e_enabled`` says."""

    BINDINGS = [Binding("e", "toggle", "Toggle", tooltip="toggles"), Binding("q", "quit", "Quit")]
    e_enabled = True
    toggled = 0

    def compose(self) -> ComposeResult:
        yield self.make_button()
        yield FittingFooter(())

    def make_button(self) -> Button:
        return Button("press", id="button")

    def check_action(self, action: str, parameters) -> bool | None:
        return (True if self.e_enabled else None) if action == "toggle" else True

    def action_toggle(self) -> None:
        self.toggled += 1


class KeyedButton(Button):
    BINDINGS = [Binding("b", "press", "Press")]


class RenamingButton(Button):
    BINDINGS = [Binding("e", "toggle", "Toggle here")]

    def action_toggle(self) -> None:
        pass


def footer(app) -> FittingFooter:
    return app.screen.query_one(FittingFooter)


def key_styles(app, text: str):
    """The style of each cell of ``text`` on the footer's line."""
    line = footer(app).render()
    start = line.plain.index(text)
    return [line.get_style_at_offset(app.console, offset) for offset in range(start, start + len(text))]


async def test_a_key_disabled_shows_dimmed_and_a_click_on_it_does_nothing():
    app = KeysApp()
    async with app.run_test(size=(60, 5)) as pilot:
        await pilot.pause()
        assert footer(app).shown_actions == ["toggle", "quit"]
        assert not any(style.dim for style in key_styles(app, "e Toggle"))
        await pilot.click(FittingFooter, offset=(0, 0))
        assert app.toggled == 1
        app.e_enabled = False
        app.refresh_bindings()
        await pilot.pause()
        assert all(style.dim for style in key_styles(app, "e Toggle"))
        assert not any(style.dim for style in key_styles(app, "q Quit"))
        bells = []
        app.bell = lambda: bells.append(True)  # type: ignore[method-assign]
        await pilot.click(FittingFooter, offset=(2, 0))
        assert app.toggled == 1 and bells == [True]  # as Textual's footer answers a disabled key
        app.e_enabled = True
        app.refresh_bindings()
        await pilot.pause()
        assert not any(style.dim for style in key_styles(app, "e Toggle"))
        await pilot.click(FittingFooter, offset=(2, 0))
        assert app.toggled == 2 and bells == [True]


async def test_clicks_press_the_key_under_the_mouse_and_hover_shows_its_tooltip():
    app = KeysApp()
    async with app.run_test(size=(60, 5)) as pilot:
        await pilot.pause()
        assert footer_line(app).startswith("e Toggle q Quit")
        await pilot.hover(FittingFooter, offset=(3, 0))
        await pilot.pause()
        assert footer(app).tooltip == "toggles"
        hovered = key_styles(app, "e Toggle")[0]
        await pilot.hover(FittingFooter, offset=(40, 0))  # past the keys
        await pilot.pause()
        assert footer(app).tooltip is None and key_styles(app, "e Toggle")[0] != hovered
        quits = []
        app.action_quit = lambda: quits.append(True)  # type: ignore[method-assign]
        await pilot.click(FittingFooter, offset=(8, 0))  # the gap between the keys
        await pilot.click(FittingFooter, offset=(9, 0))  # "q"
        assert quits == [True] and app.toggled == 0


async def test_the_focused_widgets_keys_come_and_go_with_the_focus():
    app = KeysApp()
    app.make_button = lambda: KeyedButton("press", id="button")  # type: ignore[method-assign]
    async with app.run_test(size=(60, 5)) as pilot:
        await pilot.pause()
        assert footer(app).shown_actions == ["press", "toggle", "quit"]
        app.set_focus(None)
        await pilot.pause()
        assert footer(app).shown_actions == ["toggle", "quit"]
        assert footer_line(app).strip().startswith("e Toggle q Quit")


async def test_a_key_described_otherwise_is_shown_so():
    app = KeysApp()
    app.make_button = lambda: RenamingButton("press", id="button")  # type: ignore[method-assign]
    async with app.run_test(size=(60, 5)) as pilot:
        await pilot.pause()
        assert footer_line(app).strip().startswith("e Toggle here")
        app.set_focus(None)
        await pilot.pause()
        assert footer_line(app).strip().startswith("e Toggle q Quit")
