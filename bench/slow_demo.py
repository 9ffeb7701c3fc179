"""``rec-tui --demo`` with a round trip of ``SLOW_DEMO_LATENCY`` seconds (default 0.2) added to
every answer of the emulator: the demo as it starts against a far-away service (see
bench_startup.py). The app itself is unchanged; only the emulator answers later.

    python bench/slow_demo.py
"""

import os
import sys

import rec_tui.emulator
from rec_tui import cli
from rec_tui.emulator import Emulator, FaultConfig

LATENCY = float(os.environ.get("SLOW_DEMO_LATENCY", "0.2"))


class SlowEmulator(Emulator):
    def __enter__(self):
        self.faults = FaultConfig(latency_s=LATENCY)
        return super().__enter__()


if __name__ == "__main__":
    rec_tui.emulator.Emulator = SlowEmulator  # what run_app starts for --demo
    sys.exit(cli.main(["--demo", *sys.argv[1:]]))
