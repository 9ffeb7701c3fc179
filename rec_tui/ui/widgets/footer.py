"""A compact footer that drops its least important keys when they do not fit.

Textual's :class:`~textual.widgets.Footer` cuts off whatever passes the right edge, and the app's
keys (``?`` help, ``q`` quit) come last: on a narrow terminal, or with the player's keys in front,
those were the first to go. :class:`FittingFooter` hides the keys of ``drop_order`` instead,
first listed first, until the rest fits; every key stays in the help screen (``?``) and the
command palette. Keys not listed are never hidden by it.

Footer rebuilds all its keys whenever the screen's bindings may have changed (a focus change, a
``refresh_bindings``): seven times while the recordings screen opens, ~15 ms each. Most of those
show the same keys, or the same keys with one enabled or disabled: :class:`FittingFooter` skips
the first and updates the second in place.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from textual import events
from textual.widgets import Footer
from textual.widgets._footer import FooterKey  # Textual exports no name for the key widgets


class ShownKey(NamedTuple):
    """What Footer.compose makes a FooterKey from (one per action, the action's first binding)."""

    key: str
    key_display: str
    description: str
    action: str
    group: object
    tooltip: str
    enabled: bool


class FittingFooter(Footer):
    """``FittingFooter(drop_order)``: ``drop_order`` names actions (as the bindings spell them,
    e.g. ``"seek(30)"``), the first to hide first."""

    def __init__(self, drop_order: Iterable[str], *, id: str | None = None) -> None:
        super().__init__(compact=True, show_command_palette=False, id=id)
        self.drop_order = tuple(drop_order)
        #: The keys of the last compose (None: not composed with bindings yet).
        self._composed: tuple[ShownKey, ...] | None = None

    def wanted_keys(self) -> tuple[ShownKey, ...]:
        """The keys Footer.compose would make now, in its order."""
        first_of_action: dict[str, ShownKey] = {}
        for _node, binding, enabled, tooltip in self.screen.active_bindings.values():
            if binding.show and binding.action not in first_of_action:
                first_of_action[binding.action] = ShownKey(
                    binding.key, self.app.get_key_display(binding), binding.description, binding.action,
                    binding.group, tooltip, enabled)
        return tuple(first_of_action.values())

    async def recompose(self) -> None:
        if not self._bindings_ready or not self.is_attached:
            await super().recompose()
            return
        wanted = self.wanted_keys()
        composed = self._composed
        if composed is not None and [key[:-1] for key in composed] == [key[:-1] for key in wanted]:
            if composed != wanted:
                self._update_enabled(wanted)
            return
        await super().recompose()
        self._composed = wanted
        self.fit()

    def _update_enabled(self, wanted: tuple[ShownKey, ...]) -> None:
        """The same keys as composed, some now enabled or disabled: as FooterKey shows that."""
        for widget, key in zip(self.query(FooterKey), wanted):
            widget._disabled = not key.enabled  # what a click on the key checks
            widget.set_class(not key.enabled, "-disabled")
        self._composed = wanted

    def on_resize(self, event: events.Resize) -> None:
        self.fit()

    def fit(self) -> None:
        """Show every key, then hide those of ``drop_order`` until the others fit."""
        keys = list(self.query(FooterKey))
        if not self.size.width:  # not laid out yet: on_resize comes
            return
        widths = {key: key.render().cell_len + key.styles.margin.width for key in keys}
        # The last key's margin may fall off the edge.
        room = self.size.width + 1
        used = sum(widths.values())
        shown = set(keys)
        for action in self.drop_order:
            if used <= room:
                break
            for key in keys:
                if key.action == action and key in shown:
                    shown.discard(key)
                    used -= widths[key]
        for key in keys:
            key.display = key in shown

    @property
    def shown_actions(self) -> list[str]:
        """The actions of the keys on show, left to right (tests, help)."""
        return [key.action for key in self.query(FooterKey) if key.display]
