"""A compact footer that drops its least important keys when they do not fit.

Textual's :class:`~textual.widgets.Footer` cuts off whatever passes the right edge, and the app's
keys (``?`` help, ``q`` quit) come last: on a narrow terminal, or with the player's keys in front,
those were the first to go. :class:`FittingFooter` hides the keys of ``drop_order`` instead,
first listed first, until the rest fits; every key stays in the help screen (``?``) and the
command palette. Keys not listed are never hidden by it.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual import events
from textual.widgets import Footer
from textual.widgets._footer import FooterKey  # Textual exports no name for the key widgets


class FittingFooter(Footer):
    """``FittingFooter(drop_order)``: ``drop_order`` names actions (as the bindings spell them,
    e.g. ``"seek(30)"``), the first to hide first."""

    def __init__(self, drop_order: Iterable[str], *, id: str | None = None) -> None:
        super().__init__(compact=True, show_command_palette=False, id=id)
        self.drop_order = tuple(drop_order)

    async def recompose(self) -> None:
        # Footer rebuilds its keys whenever the focus or the bindings change.
        await super().recompose()
        self.fit()

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
