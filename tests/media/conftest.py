"""Shared helpers for the media tests: synthesized audio and a loopback media server."""

from __future__ import annotations

import array
import errno
import io
import math
import random
import socket
import threading
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from rec_tui.media.decode import Pcm
from rec_tui.media.download import exclusive_open
from rec_tui.media.wav import wav_header

ACCOUNT = "AC" + "0123456789abcdef" * 2
RATE = 8000


def sid(n: int) -> str:
    return f"RE{n:032x}"


def noise(seconds: float, *, seed: int = 1, amp: int = 12000, rate: int = RATE) -> list[int]:
    """Deterministic, non-periodic samples: a wrong offset can never compare equal by accident."""
    rng = random.Random(seed)
    return [rng.randint(-amp, amp) for _ in range(int(seconds * rate))]


def tone(seconds: float, *, freq: float = 440.0, amp: int = 12000, rate: int = RATE) -> list[int]:
    return [int(amp * math.sin(2 * math.pi * freq * i / rate)) for i in range(int(seconds * rate))]


def pcm_of(*channels: list[int], rate: int = RATE) -> Pcm:
    """16-bit PCM interleaving the given channels (all the same length)."""
    assert len({len(c) for c in channels}) == 1
    samples = array.array("h", [s for frame in zip(*channels) for s in frame])
    return Pcm(samples.tobytes(), len(channels), 2, rate)


def wav_bytes(pcm: Pcm) -> bytes:
    return wav_header(pcm.channels, pcm.sample_width, pcm.frame_rate, len(pcm.data)) + pcm.data


def write_wav(path: Path, pcm: Pcm) -> Path:
    path.write_bytes(wav_bytes(pcm))
    return path


# -- a loopback media server --------------------------------------------------------------------


@dataclass
class Reply:
    """How the server answers one request."""

    body: bytes = b""
    status: int = 200
    #: Send only this many body bytes, then drop the connection (Content-Length still says all).
    cut_after: int | None = None
    #: Send ``hold_after`` bytes, then wait for ``release`` before sending the rest.
    hold_after: int | None = None
    release: threading.Event = field(default_factory=threading.Event)
    #: Content-Length to announce; None = the true length; "omit" = none (body ends at close).
    length: int | str | None = None
    content_type: str = "audio/x-wav"


class MediaServer:
    """Serves scripted replies per path over a real socket and counts requests per path."""

    def __init__(self) -> None:
        self.routes: dict[str, deque[Reply] | Reply] = {}
        self.hits: Counter[str] = Counter()
        self.auth: dict[str, list[str | None]] = defaultdict(list)
        self.held = threading.Event()  # set when a hold_after reply has sent its first part
        self._replies: list[Reply] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                path = self.path.split("?")[0]
                server.hits[path] += 1
                server.auth[path].append(self.headers.get("Authorization"))
                reply = server._next(path)
                body = reply.body
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type if reply.status == 200 else "application/json")
                if reply.length != "omit":
                    self.send_header("Content-Length", str(len(body) if reply.length is None else reply.length))
                else:
                    self.send_header("Connection", "close")
                    self.close_connection = True
                self.end_headers()
                try:
                    if reply.cut_after is not None:
                        self.wfile.write(body[: reply.cut_after])
                        self.wfile.flush()
                        self.close_connection = True
                        self.connection.shutdown(socket.SHUT_RDWR)
                        return
                    if reply.hold_after is not None:
                        self.wfile.write(body[: reply.hold_after])
                        self.wfile.flush()
                        server.held.set()
                        reply.release.wait(30)
                        body = body[reply.hold_after :]
                    self.wfile.write(body)
                    if reply.length not in (None, "omit"):
                        self.close_connection = True
                except OSError:
                    pass  # the client went away (a cancelled download): nothing to do

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)

    def _next(self, path: str) -> Reply:
        route = self.routes.get(path)
        if route is None:
            reply = Reply(b'{"code": 20404, "message": "The requested resource was not found", "status": 404}', 404)
        elif isinstance(route, deque):
            reply = route.popleft() if len(route) > 1 else route[0]
        else:
            reply = route
        self._replies.append(reply)
        return reply

    def add(self, path: str, *replies: Reply) -> str:
        """Script ``path``; the last reply repeats. Returns the absolute URL."""
        self.routes[path] = deque(replies)
        return self.base_url + path

    def media_path(self, recording_sid: str, fmt: str = "wav") -> str:
        return f"/2010-04-01/Accounts/{ACCOUNT}/Recordings/{recording_sid}.{fmt}"

    def close(self) -> None:
        for reply in self._replies:
            reply.release.set()
        for route in self.routes.values():
            for reply in route if isinstance(route, deque) else [route]:
                reply.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def media_server():
    server = MediaServer()
    server.thread.start()
    yield server
    server.close()


@pytest.fixture
async def http():
    async with httpx.AsyncClient(timeout=10) as client:
        yield client


def opener_for(http: httpx.AsyncClient, url: str, auth: tuple[str, str] = (ACCOUNT, "token")):
    """The ``open_stream`` shape the API client's ``media_stream`` has, built on plain httpx."""
    return lambda: http.stream("GET", url, auth=auth)


def leftovers(directory: Path) -> list[str]:
    """Everything in ``directory`` (temporary files included)."""
    return sorted(p.name for p in directory.iterdir()) if directory.exists() else []


class FullDisk(io.BufferedWriter):
    """A file that accepts ``budget`` bytes, then fails like a full disk."""

    def __init__(self, raw, budget: int) -> None:
        super().__init__(raw)
        self.budget = budget

    def write(self, data) -> int:
        if len(data) > self.budget:
            raise OSError(errno.ENOSPC, "No space left on device")
        self.budget -= len(data)
        return super().write(data)


def full_disk_after(budget: int):
    """A ``download`` opener whose file fails like a full disk after ``budget`` bytes."""
    def opener(path: Path):
        return FullDisk(exclusive_open(path).detach(), budget)

    return opener
