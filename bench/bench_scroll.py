"""Benchmark 3: the real app with 100,000 recordings loaded by infinite scroll.

Runs :class:`~rec_tui.ui.app.RecTuiApp` headless (``run_test``) over an emulator in another
process holding 100,000 recordings, at 1000 rows per page, and keeps pressing ``G`` (last row) so
infinite scroll fetches page after page. Measured:

* event-loop blocking while rows arrive: a task that wakes every millisecond records how late it
  wakes (the longest stall, and the sum of the stalls of 10 ms or more); and every callback of the
  loop is timed in CPU time of its thread, which other processes on a busy machine do not inflate;
* a cursor move (``down``): key press → the next screen update rendered, including turning it
  into the terminal's escape sequences (the only step headless skips is the write itself);
* the quick filter over the 100k rows: each key typed into it → the first screen update after
  the table applied it;
* RSS of the whole app with the 100k rows loaded (the emulator is another process).

    .venv/bin/python -m bench.bench_scroll [--recordings 100000] [--runs 3]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import sys
import time

from bench.common import CallbackClock, EmulatorProcess, LagMonitor, emit, median, rss_mb, run_json

TARGETS = {"max_stall": 0.050, "blocked": 0.5, "cursor": 0.030, "filter": 0.100, "rss": 300}


class DisplayClock:
    """Wraps ``App._display`` to time every screen update, turned into terminal output as a real
    driver would (headless apps skip that step, so it is done here)."""

    def __init__(self, app) -> None:
        from textual._compositor import CompositorUpdate

        self.times: list[float] = []
        original = app._display

        def display(screen, renderable) -> None:
            original(screen, renderable)
            if isinstance(renderable, CompositorUpdate):
                renderable.render_segments(app.console)
            if renderable is not None:
                self.times.append(time.perf_counter())

        app._display = display

    def first_after(self, t: float) -> float | None:
        return next((x for x in self.times if x >= t), None)


def press(app, key: str) -> None:
    """A key as the terminal driver sends it (Pilot's press also waits for idle, which would
    slow the loops down a lot on a busy machine without changing what is measured)."""
    from textual import events
    from textual.keys import _character_to_key

    name = _character_to_key(key) if len(key) == 1 and not key.isalnum() else key
    app._driver.send_message(events.Key(name, key if len(key) == 1 else None))


async def wait_for(predicate, timeout: float = 60.0) -> None:
    deadline = time.perf_counter() + timeout
    while not predicate():
        if time.perf_counter() > deadline:
            raise TimeoutError("the app did not get there in time")
        await asyncio.sleep(0.002)


async def run_app(base_url: str, account_sid: str, token: str, recordings: int) -> dict:
    from rec_tui.api import RecordingsClient, custom_endpoint
    from rec_tui.ui.app import RecTuiApp
    from rec_tui.ui.connection import Connection
    from rec_tui.ui.widgets.recording_table import RecordingTable

    gc.collect()
    rss_start = rss_mb()
    client = RecordingsClient(custom_endpoint(base_url), account_sid, account_sid, token)
    app = RecTuiApp(Connection(client=client, provider_label="Emulator", account_sid=account_sid))
    result: dict = {}
    async with app.run_test(size=(160, 50)):
        screen = app.recordings_screen
        table = screen.query_one(RecordingTable)
        await wait_for(lambda: table.loaded_count > 0)
        screen.set_page_size(1000)
        await wait_for(lambda: table.loaded_count == 1000 and not screen._activity)
        clock = DisplayClock(app)
        lag = LagMonitor()
        lag.start()
        await asyncio.sleep(0.05)
        lag.reset()
        callbacks = CallbackClock().__enter__()

        # -- infinite scroll to the end
        t0 = time.perf_counter()
        pages = 1
        while table.loaded_count < recordings:
            before = table.loaded_count
            press(app, "G")
            await wait_for(lambda: table.loaded_count > before)
            pages += 1
        await wait_for(lambda: not screen._activity)
        result["scroll_seconds"] = time.perf_counter() - t0
        result["pages"] = pages
        result["max_stall"] = lag.max_stall
        result["blocked"] = lag.blocked
        result["stalls_over_50ms"] = sum(1 for s in lag.stalls if s > 0.050)
        callbacks.__exit__()
        result["max_callback_cpu"] = callbacks.max_cpu
        result["blocked_cpu"] = callbacks.blocked_cpu
        result["loaded"] = table.loaded_count
        gc.collect()
        result["rss_mb"] = rss_mb()
        result["rss_start_mb"] = rss_start

        # -- cursor moves, in the middle of the 100k rows (one key at a time, as a person presses)
        table.move_cursor_to_sid(table.all_recordings[recordings // 2].sid)
        await asyncio.sleep(0.3)
        cursor = []
        for i in range(40):
            row = table.cursor_index
            t = time.perf_counter()
            press(app, "down" if i % 2 == 0 else "up")
            await wait_for(lambda: table.cursor_index != row and clock.first_after(t) is not None)
            cursor.append(clock.first_after(t) - t)
            await asyncio.sleep(0.15)
        result["cursor"] = median(cursor)
        result["cursor_max"] = max(cursor)

        # -- quick filter, typed key by key, then cleared
        applied: list[float] = []
        original = table.set_quick_filter

        def timed_filter(text: str) -> None:
            original(text)
            applied.append(time.perf_counter())

        table.set_quick_filter = timed_filter  # type: ignore[method-assign]
        filter_times = []
        for needle in ("completed", "absent", "RE4"):
            press(app, "slash")
            await asyncio.sleep(0.2)
            for char in needle:
                applied.clear()
                t = time.perf_counter()
                press(app, char)
                await wait_for(lambda: bool(applied) and clock.first_after(applied[0]) is not None)
                filter_times.append(clock.first_after(applied[0]) - t)
                await asyncio.sleep(0.1)
            result.setdefault("filter_rows", {})[needle] = table.visible_count
            press(app, "escape")
            await asyncio.sleep(0.3)
        result["filter"] = median(filter_times)
        result["filter_max"] = max(filter_times)
        lag.stop()
    return result


def worker(base_url: str, account_sid: str, token: str, recordings: int) -> None:
    emit(asyncio.run(run_app(base_url, account_sid, token, recordings)))


def bench(recordings: int = 100_000, runs: int = 3) -> dict:
    rows = []
    with EmulatorProcess(recordings=recordings) as emu:
        for _ in range(runs):
            rows.append(run_json(["-m", "bench.bench_scroll", "--worker", emu.base_url, emu.account_sid,
                                  str(recordings)], env=emu.env(), timeout=900))
    summary = {key: median(r[key] for r in rows)
               for key in ("scroll_seconds", "max_stall", "blocked", "stalls_over_50ms", "max_callback_cpu",
                           "blocked_cpu", "cursor", "cursor_max", "filter", "filter_max", "rss_mb", "rss_start_mb")}
    summary["worst_stall"] = max(r["max_stall"] for r in rows)
    summary["pages"] = rows[0]["pages"]
    summary["recordings"] = recordings
    summary["runs"] = runs
    summary["filter_rows"] = rows[0]["filter_rows"]
    return summary


def report(s: dict) -> list[str]:
    t = TARGETS
    return [
        f"{s['recordings']:,} recordings by infinite scroll, {s['pages']} pages of 1000 (median of {s['runs']}, "
        f"fresh app each)",
        f"  scroll to the end           {s['scroll_seconds']:6.1f} s",
        f"  longest event-loop stall    {s['max_stall'] * 1000:6.1f} ms   (worst run {s['worst_stall'] * 1000:.1f} ms; "
        f"target < {t['max_stall'] * 1000:.0f} ms)",
        f"  blocked in total (≥10 ms)   {s['blocked'] * 1000:6.0f} ms   (target < {t['blocked'] * 1000:.0f} ms)",
        f"  the loop's own work (CPU)   longest callback {s['max_callback_cpu'] * 1000:.1f} ms, "
        f"callbacks ≥10 ms {s['blocked_cpu'] * 1000:.0f} ms in all (what the stalls are on an idle machine)",
        f"  cursor move → repainted     {s['cursor'] * 1000:6.1f} ms   (max {s['cursor_max'] * 1000:.1f} ms; "
        f"target < {t['cursor'] * 1000:.0f} ms)",
        f"  quick filter key → shown    {s['filter'] * 1000:6.1f} ms   (max {s['filter_max'] * 1000:.1f} ms; "
        f"target < {t['filter'] * 1000:.0f} ms)",
        f"  RSS with 100k rows          {s['rss_mb']:6.0f} MB   (at start {s['rss_start_mb']:.0f} MB; "
        f"target < {t['rss']} MB)",
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--recordings", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--worker", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        import os

        from bench.common import TOKEN_VARIABLE

        base_url, account_sid, recordings = args.worker
        worker(base_url, account_sid, os.environ[TOKEN_VARIABLE], int(recordings))
        return
    summary = bench(args.recordings, args.runs)
    if args.json:
        emit(summary)
    else:
        print("\n".join(report(summary)))


if __name__ == "__main__":
    sys.exit(main())
