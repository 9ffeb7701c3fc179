"""A scripted loopback HTTP server: each request gets the next scripted answer, all are recorded."""

from __future__ import annotations

import json
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class Answer:
    status: int = 200
    body: bytes | dict | list | None = None
    headers: dict[str, str] = field(default_factory=dict)
    #: Drop the connection without answering (a reset before any response).
    drop: bool = False


class ScriptedServer:
    def __init__(self) -> None:
        self.script: deque[Answer] = deque()
        self.default = Answer(404, {"code": 20404, "message": "not scripted", "status": 404})
        self.requests: list[dict] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                server.requests.append(
                    {"method": self.command, "path": self.path, "headers": dict(self.headers), "body": body}
                )
                answer = server.script.popleft() if server.script else server.default
                if answer.drop:
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                payload = answer.body
                if isinstance(payload, (dict, list)):
                    payload = json.dumps(payload).encode()
                payload = payload or b""
                self.send_response(answer.status)
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                if "Content-Type" not in answer.headers:
                    self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_DELETE = _answer

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self.thread.start()

    def add(self, *answers: Answer) -> None:
        self.script.extend(answers)

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def scripted():
    server = ScriptedServer()
    yield server
    server.close()


@pytest.fixture
def other_host():
    """A second loopback origin (another port) that records what it is sent."""
    server = ScriptedServer()
    server.default = Answer(200, b"RIFF-not-really", {"Content-Type": "audio/x-wav"})
    yield server
    server.close()


class Sleeps(list):
    """A retry policy's ``sleep`` that only records the delays asked for."""

    async def __call__(self, seconds):
        self.append(seconds)


@pytest.fixture
def sleeps():
    return Sleeps()
