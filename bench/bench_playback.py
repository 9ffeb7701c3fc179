"""Benchmark 5: playback of a cached 10-minute WAV, key press → first audio bytes at the device.

The device is real ALSA, through simpleaudio, into a file: a private ``HOME`` holds an
``~/.asoundrc`` whose default PCM is the ``file`` plugin (over the ``null`` device) writing to
``out.raw``. Another process watches that file every 0.2 ms; "first audio bytes" is the moment
the recording's own first samples are in it.

The 10-minute recording comes from the emulator (another process), downloaded once into a
media cache beforehand, so each press plays a cached file:

* ``app``: the real app (headless), on the recording's screen, key ``o``: the player bar finds the
  cached file, decodes it, draws the waveform and starts playing;
* ``media``: the media layer alone, what that key does underneath: ``decode_file`` + ``Player.play``.

    .venv/bin/python -m bench.bench_playback [--runs 9]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import subprocess
import tempfile
import time
from pathlib import Path

from bench.common import PYTHON, TOKEN_VARIABLE, EmulatorProcess, emit, median, run_json

SECONDS = 600
ASOUNDRC = """pcm.!default {{
  type file
  slave.pcm "null"
  file "{path}"
  format "raw"
}}
"""


class DeviceWatch:
    """Watches the device file from another process: when did ``head`` (the recording's first
    bytes) land? A process, not a thread: a thread of the measured process would wait for the GIL
    while the app works (decoding, drawing), and report its own delay as the app's."""

    def __init__(self, path: Path, head: bytes) -> None:
        self.path = path
        self.head = head
        self._proc: subprocess.Popen | None = None

    def __enter__(self) -> "DeviceWatch":
        self._proc = subprocess.Popen([PYTHON, "-c", WATCHER, str(self.path), self.head.hex()],
                                      stdout=subprocess.PIPE, text=True)
        if self._proc.stdout.readline().strip() != "ready":
            raise RuntimeError("the device watcher did not start")
        return self

    def wait(self, timeout: float = 10.0) -> float:
        """perf_counter() (CLOCK_MONOTONIC: the same clock in every process) of the first bytes."""
        try:
            out, _ = self._proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise TimeoutError("no audio reached the device") from None
        return float(out.strip())

    def __exit__(self, *exc) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()


WATCHER = """
import sys, time
path, head = sys.argv[1], bytes.fromhex(sys.argv[2])
print("ready", flush=True)
while True:
    try:
        with open(path, "rb") as f:
            if head in f.read(1 << 16):
                print(time.perf_counter(), flush=True)
                break
    except FileNotFoundError:
        pass
    time.sleep(0.0002)
"""


def first_bytes(pcm) -> bytes:
    """The first 256 bytes of the PCM from the first non-silent frame (silence is not unique)."""
    data = bytes(pcm.data[: pcm.frame_rate * pcm.frame_width * 5])
    start = next((i for i in range(0, len(data), pcm.frame_width) if any(data[i:i + pcm.frame_width])), 0)
    return data[start:start + 256]


def prepare(base_url: str, account_sid: str, token: str, sid: str, cache_root: Path) -> Path:
    from rec_tui.api import RecordingsClient, custom_endpoint
    from rec_tui.media import MediaCache, download

    async def run() -> Path:
        async with RecordingsClient(custom_endpoint(base_url), account_sid, account_sid, token) as client:
            recording = await client.fetch_recording(sid)
            dest = MediaCache(account_sid, cache_root).path_for(sid, recording.date_created, "wav")
            return (await download(lambda: client.media_stream(sid), dest)).path

    return asyncio.run(run())


def media_runs(path: Path, device: Path, runs: int) -> list[float]:
    from rec_tui.media import Player, decode_file, playback_status

    head = first_bytes(decode_file(path))
    playback_status()  # the app probes the device once, before the first play
    times = []
    for _ in range(runs):
        device.unlink(missing_ok=True)
        with DeviceWatch(device, head) as watch:
            t = time.perf_counter()
            player = Player(decode_file(path))
            player.play()
            times.append(watch.wait() - t)
        player.stop()
    return times


async def app_runs(base_url: str, account_sid: str, token: str, sid: str, cache_root: Path, path: Path,
                   device: Path, runs: int) -> list[float]:
    from textual import events

    from rec_tui.api import RecordingsClient, custom_endpoint
    from rec_tui.media import decode_file
    from rec_tui.ui.app import RecTuiApp, StartTarget
    from rec_tui.ui.connection import Connection
    from rec_tui.ui.media import MediaController, media_controller
    from rec_tui.ui.widgets.player_bar import PlayerBar

    head = first_bytes(decode_file(path))
    times = []
    for _ in range(runs):
        client = RecordingsClient(custom_endpoint(base_url), account_sid, account_sid, token)
        app = RecTuiApp(Connection(client=client, provider_label="Emulator", account_sid=account_sid),
                        start=StartTarget(recording=sid))
        async with app.run_test(size=(120, 40)):
            controller = media_controller(app)
            assert isinstance(controller, MediaController)
            controller._cache_root = cache_root
            await _wait(lambda: app.screen.query(PlayerBar) and getattr(app.screen, "recording", None) is not None)
            # The screen has loaded (the recording, its transcriptions, add-ons) and is idle.
            await asyncio.sleep(0.3)
            await _wait(lambda: app.requests_in_flight == 0)
            await asyncio.sleep(0.3)
            device.unlink(missing_ok=True)
            with DeviceWatch(device, head) as watch:
                t = time.perf_counter()
                app._driver.send_message(events.Key("o", "o"))
                times.append(await asyncio.to_thread(watch.wait) - t)
            bar = app.screen.query_one(PlayerBar)
            if bar.player is not None:
                bar.player.stop()
    return times


async def _wait(predicate, timeout: float = 30.0) -> None:
    deadline = time.perf_counter() + timeout
    while not predicate():
        if time.perf_counter() > deadline:
            raise TimeoutError("the app did not get there in time")
        await asyncio.sleep(0.005)


def ui_available() -> bool:
    try:
        import rec_tui.ui.media  # noqa: F401
        import rec_tui.ui.widgets.player_bar  # noqa: F401
    except ImportError:
        return False
    return True


def worker(mode: str, base_url: str, account_sid: str, sid: str, cache_root: str, runs: int) -> None:
    token = os.environ[TOKEN_VARIABLE]
    device = Path(os.environ["HOME"]) / "out.raw"
    path = prepare(base_url, account_sid, token, sid, Path(cache_root))
    if mode == "media":
        times = media_runs(path, device, runs)
    else:
        times = asyncio.run(app_runs(base_url, account_sid, token, sid, Path(cache_root), path, device, runs))
    emit({"times": times})


def bench(runs: int) -> dict:
    summary: dict = {"runs": runs}
    with EmulatorProcess(recordings=3, long_recording_seconds=SECONDS) as emu, \
            tempfile.TemporaryDirectory(prefix="rec-tui-bench-") as home:
        Path(home, ".asoundrc").write_text(ASOUNDRC.format(path=Path(home) / "out.raw"))
        env = {**emu.env(), "HOME": home}
        for mode in ("media", "app") if ui_available() else ("media",):
            row = run_json(["-m", "bench.bench_playback", "--worker", mode, emu.base_url, emu.account_sid,
                            emu.long_sid, str(Path(home) / "cache"), str(runs)], env=env)
            summary[mode] = median(row["times"])
            summary[f"{mode}_max"] = max(row["times"])
    return summary


def report(s: dict) -> list[str]:
    lines = [f"playback of a cached 10-minute WAV, key → first audio bytes at the ALSA file device "
             f"(median of {s['runs']})"]
    if "app" in s:
        lines.append(f"  the app, key o             {s['app'] * 1000:6.1f} ms   (max {s['app_max'] * 1000:.1f} ms; "
                     "target < 150 ms)")
    lines.append(f"  media layer (decode+play)  {s['media'] * 1000:6.1f} ms   (max {s['media_max'] * 1000:.1f} ms)")
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--worker", nargs=6, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        mode, base_url, account_sid, sid, cache_root, runs = args.worker
        worker(mode, base_url, account_sid, sid, cache_root, int(runs))
        return
    summary = bench(args.runs)
    if args.json:
        emit(summary)
    else:
        print("\n".join(report(summary)))


if __name__ == "__main__":
    sys.exit(main())
