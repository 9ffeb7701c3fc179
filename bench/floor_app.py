"""The start-up floor: a bare Textual app that paints one line (see bench_startup.py)."""

from textual.app import App, ComposeResult
from textual.widgets import Static


class Floor(App):
    def compose(self) -> ComposeResult:
        yield Static("floor: first line painted")


if __name__ == "__main__":
    Floor().run()
