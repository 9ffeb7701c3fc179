"""A second start-up floor: Textual's stock widgets laid out as rec-tui's first screen is, with
fixed data and no network, no emulator and no rec-tui code (see bench_startup.py).

A header, a hidden input, a 50-row DataTable beside a detail pane, a status line with a select,
and a footer of 13 keys: what any Textual app must build and paint to show a page of rows. It
shows how much of rec-tui's start-up is Textual's cost for such a screen rather than rec-tui's.
"""

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Container, Horizontal
from textual.widgets import DataTable, Footer, Header, Input, Select, Static

COLUMNS = ("", "Date", "SID", "Duration", "Status", "Channels", "Source")
STATUSES = ("completed", "in-progress", "paused", "stopped", "absent")
SOURCES = ("OutboundAPI", "DialVerb", "StartCallRecordingAPI", "Conference", "Trunking")


def rows(count: int = 50) -> list[tuple[str, ...]]:
    return [
        ("", f"2026-11-{23 - n // 24:02d} {23 - n % 24:02d}:{(n * 7) % 60:02d}", f"RE{n:032x}"[:14] + "…",
         f"{n % 9}:{(n * 13) % 60:02d}", STATUSES[n % 5], "2" if n % 3 else "1", SOURCES[n % 5])
        for n in range(count)
    ]


class ScreenFloor(App):
    CSS = """
    #body { height: 1fr; }
    DataTable { width: 2fr; }
    #detail { width: 1fr; border: round $primary; padding: 0 1; }
    #status { height: 1; }
    #status Select { width: 12; }
    """
    BINDINGS = [Binding(key, key, f"action {key}") for key in "abcdefghijklm"]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="quick filter", compact=True)
        with Horizontal(id="body"):
            yield DataTable(cursor_type="row")
            yield Static("\n".join(f"Field {n}: value {n}" for n in range(20)), id="detail")
        with Container(id="status"):
            yield Select([(str(n), n) for n in (20, 50, 100, 1000)], value=50, allow_blank=False, compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Input).display = False
        table = self.query_one(DataTable)
        table.add_columns(*COLUMNS)
        table.add_rows(rows())


if __name__ == "__main__":
    ScreenFloor().run()
