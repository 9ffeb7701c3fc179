"""Benchmark 4: download a 60-minute WAV over loopback, rec-tui against curl in the same run.

The emulator (another process) serves one 60-minute dual-channel recording
(``EmulatorConfig(long_recording_seconds=3600)``). rec-tui downloads it the way the app does,
:func:`rec_tui.media.download` over the client's ``media_stream`` (temporary file, fsync, WAV
check, rename), in a fresh process whose RSS is sampled every 5 ms; curl fetches the same URL to
a file. They alternate, A B B A …, and each round's ratio is taken from its own pair.

    .venv/bin/python -m bench.bench_download [--runs 5]

curl's time includes starting the curl process (a few ms); rec-tui's is the ``download()`` call.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import TOKEN_VARIABLE, EmulatorProcess, RssSampler, emit, median, run_json

SECONDS = 3600


def rec_tui_download(base_url: str, account_sid: str, token: str, sid: str, dest: Path) -> dict:
    from rec_tui.api import RecordingsClient, custom_endpoint
    from rec_tui.media import download

    async def run() -> dict:
        async with RecordingsClient(custom_endpoint(base_url), account_sid, account_sid, token) as client:
            gc.collect()
            with RssSampler() as rss:
                t = time.perf_counter()
                result = await download(lambda: client.media_stream(sid), dest)
                seconds = time.perf_counter() - t
            return {"seconds": seconds, "bytes": result.size, "rss_growth_mb": rss.growth_mb,
                    "rss_start_mb": rss.start_mb}

    return asyncio.run(run())


def curl_download(url: str, account_sid: str, token: str, dest: Path) -> dict:
    # The credentials go in on stdin (a curl config), not in argv where ps would show them.
    config = f'user = "{account_sid}:{token}"\n'
    t = time.perf_counter()
    subprocess.run(["curl", "-sSf", "-K", "-", "-o", str(dest), url], input=config, text=True, check=True)
    seconds = time.perf_counter() - t
    return {"seconds": seconds, "bytes": dest.stat().st_size}


def bench(runs: int) -> dict:
    rows: dict[str, list[dict]] = {"rec-tui": [], "curl": []}
    with EmulatorProcess(recordings=3, long_recording_seconds=SECONDS) as emu, \
            tempfile.TemporaryDirectory(prefix="rec-tui-bench-") as tmp:
        url = f"{emu.base_url}/2010-04-01/Accounts/{emu.account_sid}/Recordings/{emu.long_sid}.wav"
        for i in range(runs + 1):  # round 0 warms the emulator's audio cache and the page cache
            order = ("rec-tui", "curl") if i % 2 == 0 else ("curl", "rec-tui")
            for name in order:
                dest = Path(tmp) / f"{name}-{i}.wav"
                if name == "curl":
                    row = curl_download(url, emu.account_sid, emu.auth_token, dest)
                else:
                    row = run_json(["-m", "bench.bench_download", "--worker", emu.base_url, emu.account_sid,
                                    emu.long_sid, str(dest)], env=emu.env())
                if i:
                    rows[name].append(row)
                dest.unlink()
    sizes = {r["bytes"] for rs in rows.values() for r in rs}
    if len(sizes) != 1:
        raise RuntimeError(f"the two downloads differ in size: {sizes}")
    size = sizes.pop()
    ratios = [(size / a["seconds"]) / (size / b["seconds"]) for a, b in zip(rows["rec-tui"], rows["curl"])]
    return {
        "runs": runs,
        "bytes": size,
        "rec-tui": median(r["seconds"] for r in rows["rec-tui"]),
        "curl": median(r["seconds"] for r in rows["curl"]),
        "throughput_ratio": median(ratios),
        "rss_growth_mb": median(r["rss_growth_mb"] for r in rows["rec-tui"]),
        "rss_growth_max_mb": max(r["rss_growth_mb"] for r in rows["rec-tui"]),
    }


def report(s: dict) -> list[str]:
    mb = s["bytes"] / 1e6
    return [
        f"download of a 60-minute dual-channel WAV ({mb:.1f} MB) over loopback (median of {s['runs']})",
        f"  rec-tui download()  {s['rec-tui'] * 1000:6.0f} ms   {mb / s['rec-tui']:6.0f} MB/s   "
        f"RSS growth {s['rss_growth_mb']:.1f} MB (max {s['rss_growth_max_mb']:.1f}; target < 20 MB)",
        f"  curl                {s['curl'] * 1000:6.0f} ms   {mb / s['curl']:6.0f} MB/s",
        f"  rec-tui / curl      throughput {s['throughput_ratio']:.2f}×  (target ≥ 0.8×)",
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--worker", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        base_url, account_sid, sid, dest = args.worker
        emit(rec_tui_download(base_url, account_sid, os.environ[TOKEN_VARIABLE], sid, Path(dest)))
        return
    summary = bench(args.runs)
    if args.json:
        emit(summary)
    else:
        print("\n".join(report(summary)))


if __name__ == "__main__":
    sys.exit(main())
