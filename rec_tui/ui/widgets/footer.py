"""A compact footer that drops its least important keys when they do not fit.

Textual's :class:`~textual.widgets.Footer` cuts off whatever passes the right edge, and the app's
keys (``?`` help, ``q`` quit) come last: on a narrow terminal, or with the player's keys in front,
those were the first to go. :class:`FittingFooter` hides the keys of ``drop_order`` instead,
first listed first, until the rest fits; every key stays in the help screen (``?``) and the
command palette. Keys not listed are never hidden by it.

It draws every key itself, on its one line, as Textual's compact footer draws them (the same
theme colours, a dimmed disabled key, the hover colour, a click presses the key, the binding's
tooltip). Textual's footer is a widget per key, rebuilt whenever the focus or the bindings change:
opening the recordings list built its 13 keys up to three times, 50-150 ms on this project's
2-core machine, most of the time between the first page's arrival and its rows on screen. Here a
change of keys is a new list of texts and one repaint.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget


class FooterKey(NamedTuple):
    """One key on show: what the footer draws (one per action, the action's first binding)."""

    key: str
    key_display: str
    description: str
    action: str
    tooltip: str
    enabled: bool


class FittingFooter(Widget, can_focus=False):
    """``FittingFooter(drop_order)``: ``drop_order`` names actions (as the bindings spell them,
    e.g. ``"seek(30)"``), the first to hide first."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {
        "fitting-footer--item",
        "fitting-footer--item-hover",
        "fitting-footer--key",
        "fitting-footer--description",
    }
    # Textual's compact Footer and FooterKey, as one widget.
    DEFAULT_CSS = """
    FittingFooter {
        dock: bottom;
        height: 1;
        width: 1fr;
        color: $footer-foreground;
        background: $footer-background;
        text-wrap: nowrap;
        text-overflow: clip;
        & > .fitting-footer--item {
            background: $footer-item-background;
        }
        & > .fitting-footer--item-hover {
            color: $footer-key-foreground;
            background: $block-hover-background;
        }
        & > .fitting-footer--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .fitting-footer--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
    }
    """

    def __init__(self, drop_order: Iterable[str], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.drop_order = tuple(dict.fromkeys(drop_order))  # each action hidden once
        #: Every key the bindings show now, left to right.
        self.keys: tuple[FooterKey, ...] = ()
        #: The keys that fit, with their first column and width.
        self._shown: list[tuple[FooterKey, int, int]] = []
        self._hovered: str | None = None  # the action under the mouse

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.update_keys()

    def _bindings_changed(self, screen: Screen) -> None:
        if self.is_attached and screen is self.screen:
            self.update_keys()

    def wanted_keys(self) -> tuple[FooterKey, ...]:
        """The keys the screen's bindings show now, in Footer's order."""
        first_of_action: dict[str, FooterKey] = {}
        for _node, binding, enabled, tooltip in self.screen.active_bindings.values():
            if binding.show and binding.action not in first_of_action:
                first_of_action[binding.action] = FooterKey(
                    binding.key, self.app.get_key_display(binding), binding.description, binding.action,
                    tooltip, enabled)
        return tuple(first_of_action.values())

    def update_keys(self) -> None:
        keys = self.wanted_keys()
        if keys != self.keys:
            self.keys = keys
            self.fit()

    def on_resize(self, event: events.Resize) -> None:
        self.fit()

    @staticmethod
    def _label(key: FooterKey) -> str:
        return f"{key.key_display} {key.description}" if key.description else key.key_display

    def fit(self) -> None:
        """Show every key, then hide those of ``drop_order`` until the others fit."""
        widths = [cell_len(self._label(key)) + 1 for key in self.keys]  # + the gap after it
        room = self.size.width + 1  # the last key's gap may fall off the edge
        used = sum(widths)
        hidden: set[str] = set()
        for action in self.drop_order:
            if used <= room:
                break
            for key, width in zip(self.keys, widths):
                if key.action == action:  # one key per action (wanted_keys)
                    hidden.add(action)
                    used -= width
                    break
        shown = []
        column = 0
        for key, width in zip(self.keys, widths):
            if key.action not in hidden:
                shown.append((key, column, width - 1))
                column += width
        self._shown = shown
        self.refresh()

    @property
    def shown_actions(self) -> list[str]:
        """The actions of the keys on show, left to right (tests, help)."""
        return [key.action for key, _, _ in self._shown]

    @property
    def shown_width(self) -> int:
        """Columns the keys on show take (without the last one's gap)."""
        if not self._shown:
            return 0
        _, column, width = self._shown[-1]
        return column + width

    def render(self) -> Text:
        item = self.get_component_rich_style("fitting-footer--item", partial=True)
        hover = self.get_component_rich_style("fitting-footer--item-hover", partial=True)
        key_style = self.get_component_rich_style("fitting-footer--key", partial=True)
        description_style = self.get_component_rich_style("fitting-footer--description", partial=True)
        dim = Style(dim=True)
        line = Text(no_wrap=True, end="")
        for index, (key, _, _) in enumerate(self._shown):
            label = Text.assemble((key.key_display, key_style))
            if key.description:
                label.append(" " + key.description, description_style)
            base = hover if key.action == self._hovered else item
            label.stylize_before(base + dim if not key.enabled else base)
            if index:
                line.append(" ")
            line.append_text(label)
        return line

    # -- the mouse ------------------------------------------------------------------------------

    def _key_at(self, x: int) -> FooterKey | None:
        for key, column, width in self._shown:
            if column <= x < column + width:
                return key
        return None

    def on_mouse_move(self, event: events.MouseMove) -> None:
        key = self._key_at(event.x)
        action = key.action if key is not None else None
        if action != self._hovered:
            self._hovered = action
            self.tooltip = (key.tooltip or None) if key is not None else None
            self.refresh()

    def on_leave(self, event: events.Leave) -> None:
        if self._hovered is not None:
            self._hovered = None
            self.tooltip = None
            self.refresh()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        key = self._key_at(event.x)
        if key is None:
            return
        if key.enabled:
            self.app.simulate_key(key.key)
        else:
            self.app.bell()
