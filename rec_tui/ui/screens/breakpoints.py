"""Width classes (``HORIZONTAL_BREAKPOINTS``) set before a screen's widgets are styled.

Textual gives a screen its breakpoint class on the screen's first Resize, after every widget has
been styled once: adding the class then styles the whole screen again (~15 ms for the recordings
list, at every start). A screen that mixes this in takes its class from the app's size when it
composes, so its widgets are styled once, and that first Resize finds nothing to change.
"""

from __future__ import annotations

from textual.screen import Screen


class BreakpointsFromTheStart(Screen):
    """Mix in before Screen; call :meth:`preset_breakpoints` first thing in ``compose``."""

    def preset_breakpoints(self) -> None:
        breakpoints = self.HORIZONTAL_BREAKPOINTS
        if breakpoints is None:
            breakpoints = self.app.HORIZONTAL_BREAKPOINTS or []
        # Chosen by the method Screen._on_resize uses, so the Resize finds the same class.
        chosen = self._get_breakpoint_classes(self.app.size.width, breakpoints)
        # update=False: the screen's own styles do not depend on them, only its widgets', and
        # those are styled when they mount, after compose.
        self.update_classes({name: name in chosen for _, name in breakpoints}, update=False)
