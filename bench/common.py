"""Shared pieces of the benchmarks: an emulator in its own process, timing helpers, the machine.

The emulator always runs in a separate process: in-process, its threads would compete with the
measured code for the GIL and show up as the measured code's own time (or event-loop stalls).
"""

from __future__ import annotations

import asyncio
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
TOKEN_VARIABLE = "REC_TUI_BENCH_TOKEN"


def rss_mb(pid: int | str = "self") -> float:
    """Resident set size now, in MiB (Linux /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def peak_rss_mb() -> float:
    """This process's high-water RSS (ru_maxrss), in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class RssSampler:
    """Samples this process's RSS from a thread every ``interval`` s: the peak between start and stop."""

    def __init__(self, interval: float = 0.005) -> None:
        self.interval = interval
        self.start_mb = self.peak_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.peak_mb = max(self.peak_mb, rss_mb())

    def __enter__(self) -> "RssSampler":
        self.start_mb = self.peak_mb = rss_mb()
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak_mb = max(self.peak_mb, rss_mb())

    @property
    def growth_mb(self) -> float:
        return self.peak_mb - self.start_mb


class LagMonitor:
    """A task that wakes every millisecond and records how late it was: event-loop stalls.

    ``max_stall`` is the longest single stall; ``blocked`` adds up the stalls of at least
    ``threshold`` seconds (shorter ones are scheduling noise nobody sees).
    """

    def __init__(self, threshold: float = 0.010) -> None:
        self.threshold = threshold
        self.max_stall = 0.0
        self.blocked = 0.0
        self.stalls: list[float] = []
        self._task: asyncio.Task | None = None

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            before = loop.time()
            await asyncio.sleep(0.001)
            late = loop.time() - before - 0.001
            if late > self.max_stall:
                self.max_stall = late
            if late >= self.threshold:
                self.blocked += late
                self.stalls.append(late)

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    def reset(self) -> None:
        self.max_stall = self.blocked = 0.0
        self.stalls = []

    def stop(self) -> None:
        if self._task:
            self._task.cancel()


class CallbackClock:
    """Times every event-loop callback in wall-clock and in CPU time of the loop's thread.

    A stall seen by :class:`LagMonitor` on a busy machine is partly the OS running other
    processes; a callback's CPU time is the loop's own work, whatever the load. ``blocked_cpu``
    adds up the callbacks that used at least ``threshold`` seconds of CPU.
    """

    def __init__(self, threshold: float = 0.010) -> None:
        self.threshold = threshold
        self.reset()

    def reset(self) -> None:
        self.max_wall = self.max_cpu = self.blocked_cpu = 0.0

    def __enter__(self) -> "CallbackClock":
        import asyncio.events

        self._original = original = asyncio.events.Handle._run
        clock = self

        def timed_run(handle) -> None:
            wall, cpu = time.perf_counter(), time.thread_time()
            try:
                original(handle)
            finally:
                cpu = time.thread_time() - cpu
                clock.max_wall = max(clock.max_wall, time.perf_counter() - wall)
                if cpu > clock.max_cpu:
                    clock.max_cpu = cpu
                if cpu >= clock.threshold:
                    clock.blocked_cpu += cpu

        asyncio.events.Handle._run = timed_run
        return self

    def __exit__(self, *exc) -> None:
        import asyncio.events

        asyncio.events.Handle._run = self._original


def median(values) -> float:
    values = list(values)
    return statistics.median(values) if values else float("nan")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


@dataclass
class EmulatorInfo:
    base_url: str
    account_sid: str
    auth_token: str
    long_sid: str | None
    pid: int

    def env(self) -> dict[str, str]:
        """The environment for a helper process: the (fake, demo) token travels here, not in argv."""
        return {**os.environ, TOKEN_VARIABLE: self.auth_token}


class EmulatorProcess:
    """``with EmulatorProcess(recordings=10_000) as emu:`` an emulator served by another process.

    It stops when its stdin closes, so it never outlives the benchmark.
    """

    def __init__(self, recordings: int = 250, seed: int = 1, long_recording_seconds: int | None = None,
                 live_calls: int = 0) -> None:
        self.args = [PYTHON, "-m", "bench.emulator_process", "--recordings", str(recordings), "--seed", str(seed),
                     "--live-calls", str(live_calls)]
        if long_recording_seconds:
            self.args += ["--long", str(long_recording_seconds)]
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> EmulatorInfo:
        self.proc = subprocess.Popen(self.args, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        if not line:
            self.proc.wait()
            raise RuntimeError("the emulator process did not start")
        data = json.loads(line)
        return EmulatorInfo(pid=self.proc.pid, **data)

    def __exit__(self, *exc) -> None:
        if self.proc is not None:
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def run_json(args: list[str], timeout: float = 600, env: dict | None = None) -> dict:
    """Run a benchmark helper in a fresh process; it prints one JSON object as its last line."""
    out = subprocess.run([PYTHON, *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout,
                         env=env if env is not None else None)
    if out.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({out.returncode}):\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def machine() -> dict[str, str]:
    """What the figures were measured on."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "unknown"
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kib / 2**20:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    from importlib.metadata import version

    versions = {}
    for name in ("textual", "httpx", "twilio", "requests"):
        try:
            versions[name] = version(name)
        except Exception:
            versions[name] = "-"
    return {
        "cpu": f"{cpu} × {os.cpu_count()}",
        "memory": mem,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "packages": ", ".join(f"{k} {v}" for k, v in versions.items()),
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "when": time.strftime("%Y-%m-%d %H:%M %Z"),
    }


def emit(result: dict) -> None:
    """The last line a benchmark helper prints: its figures as JSON (read by :func:`run_json`)."""
    print(json.dumps(result), flush=True)
