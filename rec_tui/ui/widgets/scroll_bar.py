"""A vertical scroll bar drawn straight into strips.

Textual's :class:`~textual.scrollbar.ScrollBarRender` is a Rich renderable: each time the thumb
moves (every page infinite scroll loads, every jump of the table) it goes through a Rich console
render, the widget's styling wrapper and a split into lines — ~3 ms for a 47-line bar, a third of
a table repaint. :class:`ScrollBarStrips` makes the same segments with Textual's own
``render_bar`` (so clicks and drags on the bar keep working: they are in the segments' meta),
applies the widget's style the same way, and hands the lines over as strips.

Install it on one widget's bar with ``widget.vertical_scrollbar.renderer = ScrollBarStrips``
(Textual's documented hook).

:func:`set_virtual_size` changes a line-API view's scroll range without a layout pass of the
screen when only the range changes.
"""

from __future__ import annotations

from rich.color import Color
from rich.segment import Segment
from rich.style import Style as RichStyle
from textual.css.styles import RulesMap
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBarRender
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual

_DEFAULT_BACK = Color.parse("#555555")
_DEFAULT_BAR = Color.parse("bright_magenta")


class ScrollBarStrips(Visual):
    """What :class:`~textual.scrollbar.ScrollBarRender` draws for a vertical bar, as a Visual."""

    def __init__(self, virtual_size: int = 100, window_size: int = 0, position: float = 0,
                 thickness: int = 1, vertical: bool = True,
                 style: RichStyle | str = "bright_magenta on #555555") -> None:
        if not vertical:
            raise ValueError("ScrollBarStrips draws vertical scroll bars only")
        self.virtual_size = virtual_size
        self.window_size = window_size
        self.position = position
        self.thickness = thickness
        self.style = style if isinstance(style, RichStyle) else RichStyle.parse(style)

    def render_strips(self, width: int, height: int | None, style: Style,
                      options: RenderOptions) -> list[Strip]:
        if not height or width <= 0:
            return []
        bar = ScrollBarRender.render_bar(
            size=height,
            window_size=self.window_size,
            virtual_size=self.virtual_size,
            position=self.position,
            vertical=True,
            thickness=width,
            back_color=self.style.bgcolor or _DEFAULT_BACK,
            bar_color=self.style.color or _DEFAULT_BAR,
        )
        # As Widget.post_render's wrapper does: the widget's style under each segment's own.
        apply = style.rich_style.__add__
        return [Strip([Segment(segment.text, apply(segment.style))], width) for segment in bar.segments]

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.thickness

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self.virtual_size


def set_virtual_size(view: ScrollView, size: Size) -> None:
    """``view.virtual_size = size``, without laying the whole screen out again when nothing but
    the scroll range changes: same width, and the vertical scroll bar stays (always shown, or
    taller than the view before and after). Setting ``virtual_size`` (a layout reactive)
    re-measures and repaints every widget on the screen: 10-45 ms with the table full. The lines
    on show are the caller's to repaint."""
    old = view.virtual_size
    if size == old:
        return
    height = view.container_size.height
    bar_stays = view.show_vertical_scrollbar and (
        view.styles.overflow_y == "scroll" or (size.height > height and old.height > height))
    if view.is_mounted and size.width == old.width and height > 0 and bar_stays:
        view.set_reactive(type(view).virtual_size, size)
        view._scroll_update(size)  # what the reactive's watcher does, less the layout
        return
    view.virtual_size = size
