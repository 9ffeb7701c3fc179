"""Run every benchmark and print its medians and same-run ratios against the targets.

    .venv/bin/python -m bench              (also: make bench)
    .venv/bin/python -m bench --only listing,download --quick

Each benchmark is also a module of its own (``python -m bench.bench_startup`` …) with ``--runs``.
They are not tests: nothing is asserted, and pytest does not collect them. On a shared or busy
machine the absolute figures move; the ratios are measured pairwise in the same run (A B B A …),
which is why they are the figures to compare.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import shutil
import sys
import time

from bench import bench_download, bench_listing, bench_playback, bench_scroll, bench_startup
from bench.common import machine

def _missing_program(name: str) -> str | None:
    return None if shutil.which(name) else f"needs {name} (apt install {name})"


def _missing_module(module: str, extra: str) -> str | None:
    return None if importlib.util.find_spec(module) else f"needs the {extra} extra: .venv/bin/pip install -e '.[{extra}]'"


#: What each benchmark needs beyond rec-tui itself: None when it is there, else why it is skipped.
PREREQUISITES = {
    "startup": lambda: _missing_program("tmux"),
    "listing": lambda: _missing_module("twilio", "bench"),
    "download": lambda: _missing_program("curl"),
    "playback": lambda: _missing_module("simpleaudio", "audio"),
}

BENCHMARKS = {
    "startup": (bench_startup, {"runs": 9}, {"runs": 3}),
    "listing": (bench_listing, {"runs": 7}, {"runs": 3}),
    "scroll": (bench_scroll, {"runs": 3}, {"runs": 1, "recordings": 20_000}),
    "download": (bench_download, {"runs": 5}, {"runs": 2}),
    "playback": (bench_playback, {"runs": 9}, {"runs": 3}),
}


def targets_met(name: str, s: dict) -> list[tuple[str, bool]]:
    """(what, met) per target of the issue."""
    if name == "startup":
        return [("start-up ≤ 1.3× the floor", s["ratio"] <= 1.3)]
    if name == "listing":
        return [("listing ≤ 0.5× the SDK's time", s["warm"]["time_ratio"] <= 0.5),
                ("listing: less memory than the SDK", s["warm"]["memory_ratio"] < 1.0)]
    if name == "scroll":
        t = bench_scroll.TARGETS
        return [("no stall over 50 ms while rows arrive", s["max_stall"] < t["max_stall"]),
                ("< 0.5 s blocked in total", s["blocked"] < t["blocked"]),
                ("cursor move repaints < 30 ms", s["cursor"] < t["cursor"]),
                ("quick filter over 100k < 100 ms", s["filter"] < t["filter"]),
                ("RSS with 100k rows < 300 MB", s["rss_mb"] < t["rss"])]
    if name == "download":
        return [("download ≥ 0.8× curl's throughput", s["throughput_ratio"] >= 0.8),
                ("RSS growth during the download < 20 MB", s["rss_growth_mb"] < 20)]
    if name == "playback":
        key = "app" if "app" in s else "media"
        return [(f"playback key → audio < 150 ms ({key})", s[key] < 0.150)]
    return []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", help=f"comma-separated subset of: {', '.join(BENCHMARKS)}")
    parser.add_argument("--quick", action="store_true", help="fewer runs (and 20k rows for scroll): a smoke run")
    parser.add_argument("--json", metavar="FILE", help="also write every figure to FILE")
    args = parser.parse_args(argv)
    names = args.only.split(",") if args.only else list(BENCHMARKS)
    unknown = set(names) - set(BENCHMARKS)
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")

    info = machine()
    print("machine: " + " · ".join(f"{k} {v}" for k, v in info.items()), flush=True)
    results: dict = {"machine": info}
    verdicts: list[tuple[str, bool]] = []
    for name in names:
        module, full, quick = BENCHMARKS[name]
        options = quick if args.quick else full
        print(f"\n== {name} ({', '.join(f'{k}={v}' for k, v in options.items())})", flush=True)
        missing = PREREQUISITES.get(name, lambda: None)()
        if missing:
            print(f"  skipped: {missing}")
            verdicts.append((f"{name}: not measured ({missing})", False))
            continue
        t = time.perf_counter()
        summary = module.bench(**options)
        print("\n".join(module.report(summary)))
        print(f"  ({time.perf_counter() - t:.0f} s)", flush=True)
        results[name] = summary
        verdicts += targets_met(name, summary)

    print("\n== targets")
    for what, met in verdicts:
        print(f"  {'met   ' if met else 'MISSED'}  {what}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
