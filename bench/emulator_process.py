"""An emulator for the benchmarks, in a process of its own (see :class:`bench.common.EmulatorProcess`).

Prints one JSON line (base URL, demo credentials, the SID of the long recording if asked for),
then serves until its stdin closes.
"""

from __future__ import annotations

import argparse
import json
import sys

from rec_tui.emulator import Emulator, EmulatorConfig


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--recordings", type=int, default=250)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--live-calls", type=int, default=0)
    parser.add_argument("--long", type=int, default=None, help="add a recording this many seconds long")
    args = parser.parse_args()
    config = EmulatorConfig(seed=args.seed, recordings=args.recordings, live_calls=args.live_calls,
                            long_recording_seconds=args.long)
    with Emulator(config) as emu:
        long_sid = None
        if args.long:
            long_sid = next(r.sid for r in emu.store.all_recordings() if r.duration == args.long)
        print(json.dumps({"base_url": emu.base_url, "account_sid": emu.account_sid, "auth_token": emu.auth_token,
                          "long_sid": long_sid}), flush=True)
        sys.stdin.read()  # until the benchmark closes our stdin (or exits)


if __name__ == "__main__":
    main()
