"""Benchmark of the virtual recordings table (rec_tui/ui/widgets/recording_table.py).

Runs the real widget headless in ``App.run_test()`` and prints medians; it asserts nothing.

    .venv/bin/python bench/bench_table.py [--rows 100000] [--runs 5]

Figures:

* set_recordings(100k): the call itself, and the longest event-loop stall until the screen has
  been refreshed (a 1 ms ticker task measures how late it wakes up);
* infinite scroll: 1000-row pages appended up to 100k, per append the call, the longest stall
  (call + refresh) and the total;
* cursor move + repaint: the action, plus the widget's own ``render_lines`` during the refresh,
  and the longest stall of a whole key press;
* quick filter over 100k rows: ``set_quick_filter`` for broad, narrow, typed-as-you-go and clearing
  needles;
* RSS: before the data, with 100k Recording objects alone, and with them loaded in the table.

Targets (not asserted): append < 50 ms, cursor move < 30 ms, filter < 100 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import sys
import time
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from textual.app import App, ComposeResult  # noqa: E402
from textual.geometry import Region  # noqa: E402

from rec_tui.api.models import Recording  # noqa: E402
from rec_tui.ui.widgets.recording_table import RecordingTable  # noqa: E402

STATUSES = ("completed",) * 6 + ("processing", "absent", "deleted", "in-progress", "paused", "stopped")
SOURCES = ("OutboundAPI", "DialVerb", "Conference", "StartCallRecordingAPI", "RecordVerb", "Trunking")
T0 = datetime(2026, 11, 20, 14, 3, 11, tzinfo=timezone.utc)


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def make_recordings(n: int) -> list[Recording]:
    """n distinct, realistic recordings (every SID, date and price its own object)."""
    templates = []
    for i in range(500):
        status = STATUSES[i % len(STATUSES)]
        templates.append(Recording.from_json({
            "account_sid": "AC" + "a1" * 16, "api_version": "2010-04-01",
            "call_sid": f"CA{i:032x}", "conference_sid": f"CF{i:032x}" if i % 7 == 3 else None,
            "date_created": format_datetime(T0), "date_updated": format_datetime(T0),
            "start_time": format_datetime(T0), "duration": "-1" if status == "in-progress" else str(i * 37 % 5000),
            "sid": f"RE{i:032x}", "price": f"-{(1 + i % 9) * 0.0025:.4f}", "price_unit": "USD",
            "status": status, "channels": 1 + i % 2, "source": SOURCES[i % len(SOURCES)],
            "error_code": 16107 if status == "absent" else None,
            "uri": f"/2010-04-01/Accounts/AC{'a1' * 16}/Recordings/RE{i:032x}.json",
            "encryption_details": None, "subresource_uris": {"transcriptions": "/x.json"},
            "media_url": f"https://api.twilio.com/2010-04-01/Accounts/AC{'a1' * 16}/Recordings/RE{i:032x}",
            "track": ("both", "inbound", "outbound")[i % 3],
        }))
    rows = []
    for i in range(n):
        t = templates[i % len(templates)]
        created = T0 - timedelta(seconds=41 * i)
        rows.append(replace(
            t, sid=f"RE{i:08x}{(i * 2654435761) % 16**24:024x}", call_sid=f"CA{(i * 40503) % 16**32:032x}",
            date_created=created, date_updated=created, start_time=created,
            uri=f"/2010-04-01/Accounts/AC{'a1' * 16}/Recordings/RE{i:032x}.json",
        ))
    return rows


class LagMonitor:
    """A task that wakes every millisecond and records how late it was: event-loop stalls."""

    def __init__(self) -> None:
        self.max_stall = 0.0
        self._task: asyncio.Task | None = None

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            before = loop.time()
            await asyncio.sleep(0.001)
            self.max_stall = max(self.max_stall, loop.time() - before - 0.001)

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    def reset(self) -> None:
        self.max_stall = 0.0

    def stop(self) -> None:
        if self._task:
            self._task.cancel()


class BenchApp(App):
    def __init__(self) -> None:
        super().__init__()
        self.near_end = 0

    def compose(self) -> ComposeResult:
        yield RecordingTable(display_tz=timezone.utc)

    def on_recording_table_near_end(self, _message) -> None:
        self.near_end += 1


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


async def bench(rows_n: int, runs: int) -> None:
    gc.collect()
    rss_start = rss_mb()
    t = time.perf_counter()
    rows = make_recordings(rows_n)
    made = time.perf_counter() - t
    gc.collect()
    rss_data = rss_mb()
    print(f"{rows_n:,} recordings built in {made:.1f} s; RSS {rss_start:.0f} MB → {rss_data:.0f} MB "
          f"(the data alone: {rss_data - rss_start:.0f} MB)")

    app = BenchApp()
    lag = LagMonitor()
    async with app.run_test(size=(160, 50)) as pilot:
        table = app.query_one(RecordingTable)
        await pilot.pause()
        lag.start()

        # --- set_recordings(100k)
        calls, stalls = [], []
        for _ in range(runs):
            table.set_recordings([])
            await pilot.pause()
            gc.collect()
            lag.reset()
            t = time.perf_counter()
            table.set_recordings(rows)
            calls.append(time.perf_counter() - t)
            await pilot.pause()
            stalls.append(lag.max_stall)
        print(f"\nset_recordings({rows_n:,})            call {ms(median(calls))}   "
              f"longest stall {ms(median(stalls))}   (median of {runs})")

        # --- infinite scroll: 1000-row pages
        page = 1000
        maxima, totals, stall_max, per_append = [], [], [], []
        for _ in range(max(runs // 2, 1)):
            table.set_recordings(rows[:page])
            await pilot.pause()
            gc.collect()
            times, stall = [], 0.0
            for start in range(page, rows_n, page):
                await pilot.press("G")  # the user is at the bottom, as when scrolling for more
                lag.reset()
                t = time.perf_counter()
                table.append_recordings(rows[start:start + page])
                times.append(time.perf_counter() - t)
                await pilot.pause()
                stall = max(stall, lag.max_stall)
            maxima.append(max(times))
            totals.append(sum(times))
            stall_max.append(stall)
            per_append.extend(times)
        print(f"append 1000-row pages to {rows_n:,}    call median {ms(median(per_append))}   "
              f"max {ms(median(maxima))}   total {ms(median(totals))}   longest stall {ms(median(stall_max))}")

        # The longest stalls above are the cyclic GC walking 100k Recording objects (a full
        # collection), not the table. An app can take them off the event loop's worst case by
        # moving the loaded pages out of the collector's reach after each load:
        table.set_recordings(rows[:page])
        await pilot.pause()
        gc.collect()
        gc.freeze()
        stall, times = 0.0, []
        for start in range(page, rows_n, page):
            await pilot.press("G")
            lag.reset()
            t = time.perf_counter()
            table.append_recordings(rows[start:start + page])
            times.append(time.perf_counter() - t)
            await pilot.pause()
            stall = max(stall, lag.max_stall)
            gc.freeze()
        gc.unfreeze()
        print(f"  … with gc.freeze() after each page       call median {ms(median(times))}   "
              f"max {ms(max(times))}   longest stall {ms(stall)}")

        # Same with a sort and a filter active.
        table.set_recordings(rows[:page])
        table.sort_by("duration")
        table.set_quick_filter("completed")
        await pilot.pause()
        times = []
        for start in range(page, rows_n, page):
            t = time.perf_counter()
            table.append_recordings(rows[start:start + page])
            times.append(time.perf_counter() - t)
        await pilot.pause()
        print(f"  … sorted by duration + filtered          call median {ms(median(times))}   max {ms(max(times))}")
        table.set_quick_filter("")
        table.sort_by("date", descending=True)
        await pilot.pause()

        # --- cursor move + repaint
        render_times: list[float] = []
        original = table.render_lines

        def timed_render_lines(crop: Region):
            t0 = time.perf_counter()
            try:
                return original(crop)
            finally:
                render_times.append(time.perf_counter() - t0)

        table.render_lines = timed_render_lines  # type: ignore[method-assign]
        table.move_cursor_to_sid(rows[rows_n // 2].sid)
        await pilot.pause()
        actions, renders, stalls, full = [], [], [], []
        for i in range(60):
            render_times.clear()
            lag.reset()
            t = time.perf_counter()
            if i % 20 < 18:
                table.action_cursor_down()
            else:
                table.action_page_down()
            actions.append(time.perf_counter() - t)
            await pilot.pause()
            renders.append(sum(render_times))
            stalls.append(lag.max_stall)
        for _ in range(10):  # every line of a screen after the strip cache was dropped (resize, theme)
            table._cache.clear()
            t = time.perf_counter()
            for y in range(table.size.height):
                table.render_line(y)
            full.append(time.perf_counter() - t)
        presses = []
        for _ in range(20):
            lag.reset()
            await pilot.press("down")
            presses.append(lag.max_stall)
        table.render_lines = original  # type: ignore[method-assign]
        print(f"cursor move (down/pagedown)           action {ms(median(actions))}   "
              f"render {ms(median(renders))}   longest stall {ms(median(stalls))} "
              f"(worst {ms(max(stalls))}: a cyclic GC pass)")
        print(f"  key press 'down' end to end          longest stall {ms(median(presses))}")
        print(f"  full repaint, cold strip cache       {ms(median(full))}   ({table.size.width}×{table.size.height})")

        # --- quick filter over 100k
        await pilot.pause()
        needles = {
            "broad  'completed' (~50%)": "completed",
            "narrow  SID fragment (1 row)": rows[rows_n // 3].sid[3:15],
            "none  'zzzz'": "zzzz",
            "all  '2026'": "2026",
        }
        print(f"quick filter over {rows_n:,} rows")
        for label, needle in needles.items():
            times = []
            for _ in range(runs):
                table.set_quick_filter("")
                gc.collect()
                t = time.perf_counter()
                table.set_quick_filter(needle)
                times.append(time.perf_counter() - t)
            print(f"  {label:34} {ms(median(times))}   → {table.visible_count:,} rows")
        times = []
        for _ in range(runs):
            table.set_quick_filter("completed")
            t = time.perf_counter()
            table.set_quick_filter("")
            times.append(time.perf_counter() - t)
        print(f"  {'clear (back to all rows)':34} {ms(median(times))}")
        typed = "absent 161"
        per_key = []
        for _ in range(runs):
            table.set_quick_filter("")
            for n in range(1, len(typed) + 1):
                t = time.perf_counter()
                table.set_quick_filter(typed[:n])
                per_key.append(time.perf_counter() - t)
        print(f"  {'typed as you go, per key':34} {ms(median(per_key))} median, {ms(max(per_key))} max")
        table.sort_by("status")
        times = []
        for _ in range(runs):
            table.set_quick_filter("")
            t = time.perf_counter()
            table.set_quick_filter("absent")
            times.append(time.perf_counter() - t)
        print(f"  {'sorted by status, broad':34} {ms(median(times))}")
        times = []
        for key in ("duration", "sid", "price", "date"):
            t = time.perf_counter()
            table.sort_by(key)
            times.append(time.perf_counter() - t)
        print(f"sort_by over {rows_n:,} rows                median {ms(median(times))}   max {ms(max(times))}")
        table.set_quick_filter("")
        table.sort_by("date", descending=True)
        await pilot.pause()

        gc.collect()
        rss_table = rss_mb()
        own = (sum(map(sys.getsizeof, table._hay)) + sys.getsizeof(table._hay) + sys.getsizeof(table._all)
               + sys.getsizeof(table._order) + sys.getsizeof(table._view) + sys.getsizeof(table._index)
               + 28 * len(table._order))  # the int objects of the row numbers
        print(f"\nRSS with {rows_n:,} rows loaded: {rss_table:.0f} MB, {rss_table - rss_data:.0f} MB over the data "
              f"(a high-water mark: it keeps the garbage of the runs above)")
        print(f"  the table's own structures: {own / 2**20:.0f} MB (search strings, row lists, SID index); "
              f"strip cache {len(table._cache)} lines")
        lag.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    asyncio.run(bench(args.rows, args.runs))


if __name__ == "__main__":
    main()
