"""Benchmark 2: list every recording of a 10,000-recording account (PageSize 1000).

rec-tui's :class:`~rec_tui.api.RecordingsClient` against the official ``twilio`` Python SDK on the
same emulator in the same run. The SDK is pointed at the emulator by the documented route, a
custom HTTP client (a ``TwilioHttpClient`` that rewrites ``https://api.twilio.com`` to the
emulator's address); everything else is the SDK as shipped.

Each listing runs in a fresh process (so RSS is its own), the two alternate, A B B A …, twice:
*warm*, where each client first makes one small call (``PageSize=1``: the connection, and the
modules both load on their first request — anyio's asyncio backend for httpx, the SDK's resource
classes), so the figures compare listing with listing; and *cold*, the listing as a process's
first call. The target is read on the warm figures; both are printed.

    .venv/bin/python -m bench.bench_listing [--recordings 10000] [--runs 7]

Figures: wall time of the listing (and the client process's CPU time: the emulator's share of the
wall time is the same for both), and memory: peak RSS growth (``ru_maxrss`` after the listing
minus RSS before it) and the growth still held at the end (both hold every recording in a list).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import sys
import time

from bench.common import TOKEN_VARIABLE, EmulatorProcess, emit, median, peak_rss_mb, rss_mb, run_json

TWILIO_ORIGIN = "https://api.twilio.com"


def list_with_rec_tui(base_url: str, account_sid: str, token: str, warm: bool) -> int:
    from rec_tui.api import RecordingsClient, custom_endpoint

    async def run() -> int:
        async with RecordingsClient(custom_endpoint(base_url), account_sid, account_sid, token) as client:
            if warm:
                await client.list_recordings(page_size=1)
            return await measure(lambda: collect(client))

    async def collect(client) -> list:
        return [r async for r in client.iter_recordings(page_size=1000)]

    return asyncio.run(run())


def list_with_sdk(base_url: str, account_sid: str, token: str, warm: bool) -> int:
    from twilio.http.http_client import TwilioHttpClient
    from twilio.rest import Client

    class EmulatorHttpClient(TwilioHttpClient):
        """The SDK's own HTTP client, sending to the emulator instead of api.twilio.com."""

        def request(self, method, url, *args, **kwargs):
            if url.startswith(TWILIO_ORIGIN):
                url = base_url + url[len(TWILIO_ORIGIN):]
            return super().request(method, url, *args, **kwargs)

    client = Client(account_sid, token, http_client=EmulatorHttpClient())
    if warm:
        client.recordings.list(page_size=1, limit=1)

    async def collect() -> list:
        return client.recordings.list(page_size=1000)

    return asyncio.run(measure(collect))


RESULT: dict = {}


async def measure(collect) -> int:
    gc.collect()
    before = rss_mb()
    t, cpu = time.perf_counter(), time.process_time()
    items = await collect()
    seconds, cpu = time.perf_counter() - t, time.process_time() - cpu
    RESULT.update(seconds=seconds, cpu_seconds=cpu, count=len(items), peak_growth_mb=peak_rss_mb() - before,
                  held_growth_mb=rss_mb() - before)
    return len(items)


def worker(args: argparse.Namespace) -> None:
    run = list_with_rec_tui if args.client == "rec-tui" else list_with_sdk
    run(args.base_url, args.account_sid, args.token, args.warm)
    emit(RESULT)


def bench(recordings: int = 10_000, runs: int = 7) -> dict:
    summary: dict = {"recordings": recordings, "runs": runs}
    with EmulatorProcess(recordings=recordings) as emu:
        for mode in ("warm", "cold"):
            results: dict[str, list[dict]] = {"rec-tui": [], "sdk": []}
            for i in range(runs):
                order = ("rec-tui", "sdk") if i % 2 == 0 else ("sdk", "rec-tui")
                for name in order:
                    results[name].append(run_json(["-m", "bench.bench_listing", "--worker", name, mode,
                                                   emu.base_url, emu.account_sid], env=emu.env()))
            summary[mode] = summarize(results, recordings)
    return summary


def summarize(results: dict[str, list[dict]], recordings: int) -> dict:
    summary = {}
    for name, rows in results.items():
        counts = {r["count"] for r in rows}
        if counts != {recordings}:
            raise RuntimeError(f"{name} listed {counts} recordings, expected {recordings}")
        summary[name] = {key: median(r[key] for r in rows)
                         for key in ("seconds", "cpu_seconds", "peak_growth_mb", "held_growth_mb")}
        summary[name]["all_seconds"] = [round(r["seconds"], 4) for r in rows]
    # Ratios of the same run: the medians of per-round ratios (each round ran both back to back).
    time_ratios = [a["seconds"] / b["seconds"] for a, b in zip(results["rec-tui"], results["sdk"])]
    mem_ratios = [a["peak_growth_mb"] / b["peak_growth_mb"] for a, b in zip(results["rec-tui"], results["sdk"])]
    summary["time_ratio"] = median(time_ratios)
    summary["memory_ratio"] = median(mem_ratios)
    return summary


def report(s: dict) -> list[str]:
    lines = [f"listing {s['recordings']:,} recordings, PageSize 1000 (median of {s['runs']}, fresh process each)"]
    for mode, label in (("warm", "after one small call"), ("cold", "as the process's first call")):
        m = s[mode]
        r, k = m["rec-tui"], m["sdk"]
        lines += [
            f"  {mode}: {label}",
            f"    rec-tui client   {r['seconds'] * 1000:7.0f} ms (CPU {r['cpu_seconds'] * 1000:4.0f} ms)   "
            f"peak RSS +{r['peak_growth_mb']:5.1f} MB   held +{r['held_growth_mb']:5.1f} MB",
            f"    twilio SDK       {k['seconds'] * 1000:7.0f} ms (CPU {k['cpu_seconds'] * 1000:4.0f} ms)   "
            f"peak RSS +{k['peak_growth_mb']:5.1f} MB   held +{k['held_growth_mb']:5.1f} MB",
            f"    rec-tui / SDK    time {m['time_ratio']:.2f}×" + ("  (target ≤ 0.5×)" if mode == "warm" else "")
            + f"   peak memory {m['memory_ratio']:.2f}×" + ("  (target < 1×)" if mode == "warm" else ""),
        ]
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--recordings", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--worker", choices=("rec-tui", "sdk"), help=argparse.SUPPRESS)
    parser.add_argument("worker_args", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        args.client = args.worker
        mode, args.base_url, args.account_sid = args.worker_args
        args.warm = mode == "warm"
        args.token = os.environ[TOKEN_VARIABLE]
        worker(args)
        return
    summary = bench(args.recordings, args.runs)
    if args.json:
        emit(summary)
    else:
        print("\n".join(report(summary)))


if __name__ == "__main__":
    sys.exit(main())
