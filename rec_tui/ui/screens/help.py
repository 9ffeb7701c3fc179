"""Help (``?``): every key active on the screen below, grouped by where it applies.

Generated from the screen's active bindings (its focused widget's, the screen's and the app's),
so a new screen or widget documents its keys by declaring them.
"""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

#: Groups for widgets that do not name their own ``BINDING_GROUP_TITLE``.
GROUP_TITLES = {"RecordingTable": "Table", "DataTable": "List", "Input": "Input"}

EXTRA_NOTES = (
    ("mouse", "click a row to select it, double-click to open, scroll with the wheel"),
    ("ctrl+p", "the command palette: every action here, plus paste a RE/CA/CF SID to jump to it"),
)


def _from_textual_screen(node: object, binding: Binding) -> bool:
    """A binding every Textual screen has (tab, shift+tab, copy): listed with the app's keys."""
    if not isinstance(node, Screen):
        return False
    for cls in type(node).__mro__:
        declared = cls.__dict__.get("BINDINGS", ())
        # Compared by action: a "ctrl+c,super+c" binding is split into one Binding per key.
        if any(isinstance(b, Binding) and b.action == binding.action for b in declared):
            return cls.__module__.startswith("textual.")
    return False


def help_groups(screen: Screen) -> list[tuple[str, list[tuple[str, str]]]]:
    """[(group title, [(keys, description), …]), …] for the bindings active on ``screen``."""
    app = screen.app
    app_title = getattr(app, "BINDING_GROUP_TITLE", None) or "App"
    groups: dict[str, dict[tuple[int, str], tuple[list[str], str]]] = {}
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if binding.system:
            continue
        node = active.node
        if _from_textual_screen(node, binding):
            title = app_title
        else:
            title = getattr(node, "BINDING_GROUP_TITLE", None) or GROUP_TITLES.get(type(node).__name__) \
                or type(node).__name__
        description = binding.description or binding.action.replace("_", " ")
        if binding.tooltip:
            description = f"{description} — {binding.tooltip}"
        entries = groups.setdefault(title, {})
        keys, _ = entries.setdefault((id(node), binding.action), ([], description))
        shown = app.get_key_display(binding)
        if shown not in keys:
            keys.append(shown)
    # The screen's own keys first (what one looks for), the widgets' next, the app's last.
    screen_title = getattr(screen, "BINDING_GROUP_TITLE", None) or type(screen).__name__
    ordered = sorted(groups.items(), key=lambda item: (item[0] != screen_title, item[0] == app_title))
    return [(title, [(" ".join(keys), text) for keys, text in entries.values()]) for title, entries in ordered]


def render_help(groups: list[tuple[str, list[tuple[str, str]]]]) -> Group:
    parts = []
    for title, rows in groups:
        parts.append(Text(title, style="bold underline"))
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True, min_width=10)
        grid.add_column(ratio=1)
        for keys, description in rows:
            grid.add_row(Text(keys), Text(description))
        parts += [grid, Text("")]
    notes = Table.grid(padding=(0, 2))
    notes.add_column(style="bold", no_wrap=True, min_width=10)
    notes.add_column(ratio=1)
    for keys, description in EXTRA_NOTES:
        notes.add_row(Text(keys), Text(description))
    parts += [Text("Also", style="bold underline"), notes]
    return Group(*parts)


class HelpScreen(ModalScreen[None]):
    """``HelpScreen(screen)``: the keys of ``screen`` (captured when help opens)."""

    BINDING_GROUP_TITLE = "Help"
    BINDINGS = [
        Binding("escape,q,question_mark", "close", "Close help"),
        Binding("j", "scroll('down')", "Scroll down", show=False),
        Binding("k", "scroll('up')", "Scroll up", show=False),
    ]

    def __init__(self, screen: Screen) -> None:
        super().__init__()
        self.groups = help_groups(screen)
        self.screen_title = getattr(screen, "BINDING_GROUP_TITLE", None) or type(screen).__name__

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog", classes="dialog"):
            yield Static(f"Keys · {self.screen_title}", classes="dialog-title")
            with VerticalScroll(id="help-body"):
                yield Static(render_help(self.groups), id="help-text")
            yield Static("esc, q or ? closes · j/k scroll", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()

    def action_close(self) -> None:
        self.dismiss()

    def action_scroll(self, direction: str) -> None:
        body = self.query_one("#help-body", VerticalScroll)
        if direction == "down":
            body.scroll_down()
        else:
            body.scroll_up()
