"""Benchmark 1: start-up in a real terminal (tmux), launch → first rows painted.

``rec-tui --demo`` against the floor, a bare Textual app that paints one line
(``bench/floor_app.py``), alternating in the same run (after two unmeasured warm-ups of each).
A third program, the *screen floor* (``bench/screen_floor_app.py``), is Textual's stock widgets
laid out as rec-tui's first screen with 50 fixed rows (no network, no rec-tui code): its ratio to
the floor is what Textual itself costs to show such a screen, the part of the target no app code
can remove. A fourth, ``bench/slow_demo.py``, is the demo with 200 ms added to each of the
emulator's answers: the start-up against a far-away service.

A private tmux server (``tmux -L``) runs each program in a new 120×40 session; the clock starts
just before ``tmux new-session`` and stops when ``tmux capture-pane`` first shows the target:
for the floor its line, for rec-tui a first table row (date, SID). Polling costs a few
milliseconds of resolution, the same for both.

    .venv/bin/python -m bench.bench_startup [--runs 9]
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

from bench.common import PYTHON, ROOT, emit, median

ROW = re.compile(r"^\s*\d{4}-\d\d-\d\d \d\d:\d\d\s+RE[0-9a-f]{4}", re.M)
PROGRAMS = {
    "floor": ([PYTHON, str(ROOT / "bench" / "floor_app.py")], re.compile(r"floor: first line painted")),
    # A table row: "  2026-11-23 08:18 RE578e77…be9f     6:23 in-progress"
    # python -m rec_tui is what the rec-tui script runs (its main), from this tree.
    "rec-tui": ([PYTHON, "-m", "rec_tui", "--demo"], ROW),
    "screen floor": ([PYTHON, str(ROOT / "bench" / "screen_floor_app.py")], ROW),
    # The demo with 200 ms added to each answer: how much of a far-away service's round trip
    # the start-up hides (the first page is requested before Textual is imported).
    "rec-tui, 200 ms away": ([PYTHON, str(ROOT / "bench" / "slow_demo.py")], ROW),
}
TIMEOUT = 30.0


class Tmux:
    """A private tmux server for the benchmark (its own socket name, so nobody else's sessions).

    Its programs get bytecode caching, in a private cache directory: an installed rec-tui has its
    ``.pyc`` files, like Textual in site-packages, but a shell with PYTHONDONTWRITEBYTECODE (or a
    tree never imported before) would make rec-tui alone compile its sources at every start.
    """

    def __init__(self, pycache: str) -> None:
        self.socket = f"rec-tui-bench-{os.getpid()}"
        self.env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        self.env["PYTHONPYCACHEPREFIX"] = pycache

    def __call__(self, *args: str, check: bool = True) -> str:
        out = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, env=self.env)
        if check and out.returncode != 0:
            raise RuntimeError(f"tmux {' '.join(args)}: {out.stderr.strip()}")
        return out.stdout

    def __enter__(self) -> "Tmux":
        # A server that is already up, so its start-up is not counted against the first program.
        self("-f", "/dev/null", "new-session", "-d", "-s", "idle", "-x", "80", "-y", "24", "sleep 100000")
        return self

    def __exit__(self, *exc) -> None:
        self("kill-server", check=False)


def time_to_paint(tmux: Tmux, name: str, session: str) -> float:
    command, pattern = PROGRAMS[name]
    shell = " ".join(f"'{part}'" for part in command)
    t0 = time.perf_counter()
    tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "40", "-c", str(ROOT), shell)
    try:
        while True:
            screen = tmux("capture-pane", "-p", "-t", session, check=False)
            elapsed = time.perf_counter() - t0
            if pattern.search(screen):
                return elapsed
            if elapsed > TIMEOUT:
                raise RuntimeError(f"{name} painted nothing recognisable in {TIMEOUT:.0f} s:\n{screen}")
            time.sleep(0.003)
    finally:
        tmux("kill-session", "-t", session, check=False)


def bench(runs: int) -> dict:
    times: dict[str, list[float]] = {name: [] for name in PROGRAMS}
    ratios: dict[str, list[float]] = {name: [] for name in PROGRAMS if name != "floor"}  # each to the floor
    with tempfile.TemporaryDirectory(prefix="rec-tui-bench-pyc-") as pycache, Tmux(pycache) as tmux:
        names = tuple(PROGRAMS)
        for k, name in enumerate(names):  # warm-up: page cache, .pyc files
            for n in range(2):
                time_to_paint(tmux, name, f"warm{n}-{k}")
        for i in range(runs):
            order = names if i % 2 == 0 else names[::-1]
            got = {name: time_to_paint(tmux, name, f"run{i}-{names.index(name)}") for name in order}
            for name, seconds in got.items():
                times[name].append(seconds)
            for name in ratios:
                ratios[name].append(got[name] / got["floor"])
    return {
        "runs": runs,
        "floor": median(times["floor"]),
        "rec-tui": median(times["rec-tui"]),
        "ratio": median(ratios["rec-tui"]),
        "screen floor": median(times["screen floor"]),
        "screen ratio": median(ratios["screen floor"]),
        "slow": median(times["rec-tui, 200 ms away"]),
        "all": {k: [round(v, 4) for v in vs] for k, vs in times.items()},
    }


def report(s: dict) -> list[str]:
    return [
        f"start-up in tmux 120×40, launch → first rows painted (median of {s['runs']})",
        f"  bare Textual app (floor)  {s['floor'] * 1000:6.0f} ms",
        f"  rec-tui --demo            {s['rec-tui'] * 1000:6.0f} ms",
        f"  rec-tui / floor           {s['ratio']:.2f}×  (target ≤ 1.3×)",
        f"  screen floor              {s['screen floor'] * 1000:6.0f} ms   "
        "(Textual's stock widgets laid out as rec-tui's screen, fixed rows)",
        f"  screen floor / floor      {s['screen ratio']:.2f}×  (what Textual itself costs for such a screen)",
        f"  rec-tui, 200 ms away      {s['slow'] * 1000:6.0f} ms   "
        f"(the demo, each answer 200 ms later: {(s['slow'] - s['rec-tui']) * 1000:+.0f} ms)",
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    summary = bench(args.runs)
    if args.json:
        emit(summary)
    else:
        print("\n".join(report(summary)))


if __name__ == "__main__":
    sys.exit(main())
