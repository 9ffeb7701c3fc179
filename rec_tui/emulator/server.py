"""The emulator's HTTP server: :class:`Emulator` (embedded, background thread) and :func:`serve`.

Standard library only: a ``ThreadingHTTPServer`` speaking HTTP/1.1 with keep-alive, a correct
``Content-Length`` on every answer, daemon threads, no logging to the console. Every answer goes
through one send path (:meth:`Emulator._send`), where :class:`~rec_tui.emulator.config.FaultConfig`
faults hook in.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import logging
import random
import socket
import struct
import sys
import threading
import time
from collections import Counter
from email.utils import formatdate
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from . import signalwire, xmlforms
from .api import LEGACY_PREFIX, Api, Query, Response, error_response
from .audio import Mp3Cache
from .config import EmulatorConfig, FaultConfig
from .errors import (INTERNAL_ERROR, SERVICE_UNAVAILABLE, TOO_MANY_REQUESTS, ApiError, not_found, unauthorized)
from .models import Renderer
from .sids import hashed_sid
from .store import Store

log = logging.getLogger(__name__)
_ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def demo_credentials(seed: int) -> tuple[str, str, str, str]:
    """(Account SID, Auth Token, API Key SID, API Key secret) of the fake account for ``seed``."""
    account_sid = hashed_sid("AC", "rec-tui-emulator", seed, "account")
    auth_token = hashlib.md5(f"rec-tui-emulator:{seed}:auth-token".encode()).hexdigest()
    api_key_sid = hashed_sid("SK", "rec-tui-emulator", seed, "api-key")
    digest = hashlib.sha256(f"rec-tui-emulator:{seed}:api-key-secret".encode()).digest()
    secret = "".join(_ALPHANUMERIC[b % len(_ALPHANUMERIC)] for b in digest[:32])
    return account_sid, auth_token, api_key_sid, secret


class FaultInjector:
    """Draws the fault (if any) for each request, in request order, from ``config.seed``."""

    KINDS = ("reset_before", "error", "rate_limit", "reset_during", "truncate", "malformed")

    def __init__(self, config: FaultConfig) -> None:
        self.config = config
        self.rng = random.Random(config.seed)
        self.lock = threading.Lock()

    def decide(self, method: str, path: str) -> tuple[str | None, float, int]:
        """(fault kind or None, added latency, status for an error fault)."""
        config = self.config
        if not config.active or not config.applies_to(method, path):
            return None, 0.0, 0
        with self.lock:
            r = self.rng.random()
            flip = self.rng.random()
        rates = (config.reset_before_rate, config.error_rate, config.rate_limit_rate, config.reset_during_rate,
                 config.truncate_rate, config.malformed_rate)
        acc = 0.0
        for kind, rate in zip(self.KINDS, rates):
            acc += rate
            if r < acc:
                return kind, config.latency_s, (500 if flip < 0.5 else 503)
        return None, config.latency_s, 0


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, handler, emulator: Emulator) -> None:
        self.emulator = emulator
        self.connections: set[socket.socket] = set()
        self.aborted: set[socket.socket] = set()
        self.conn_lock = threading.Lock()
        super().__init__(address, handler)

    def finish_request(self, request, client_address) -> None:
        with self.conn_lock:
            self.connections.add(request)
        try:
            super().finish_request(request, client_address)
        finally:
            with self.conn_lock:
                self.connections.discard(request)

    def shutdown_request(self, request) -> None:
        with self.conn_lock:
            aborted = request in self.aborted
            self.aborted.discard(request)
        if aborted:  # close at once: with SO_LINGER 0 this sends a reset, not a graceful FIN
            self.close_request(request)
            return
        super().shutdown_request(request)

    def handle_error(self, request, client_address) -> None:  # quiet: log, never print
        log.debug("error serving %s", client_address, exc_info=True)

    def close_connections(self) -> None:
        with self.conn_lock:
            connections = list(self.connections)
        for conn in connections:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "rec-tui-emulator"
    sys_version = ""

    def setup(self) -> None:
        super().setup()
        try:
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet server
        log.debug("%s - %s", self.address_string(), format % args)

    def _dispatch(self) -> None:
        self.server.emulator._serve(self)  # type: ignore[attr-defined]

    do_GET = do_POST = do_DELETE = do_PUT = do_PATCH = do_HEAD = do_OPTIONS = _dispatch


class _Aborted(Exception):
    pass


class Emulator:
    """A Twilio-compatible Recordings API on loopback, seeded with demo data.

    ``with Emulator(EmulatorConfig(seed=7)) as emu: emu.base_url ...`` or ``start()``/``stop()``.
    """

    def __init__(self, config: EmulatorConfig | None = None, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self.config = config if config is not None else EmulatorConfig()
        self.host = host
        self.port = port
        self.account_sid, self.auth_token, self.api_key_sid, self.api_key_secret = demo_credentials(self.config.seed)
        internal_account = self.account_sid
        renderer_class = Renderer
        #: The SignalWire flavour's request/answer translation (None: Twilio's own form).
        self.dialect: signalwire.Dialect | None = None
        if self.config.flavour == "signalwire":
            # A Project ID and an API token; no API keys. Inside, the account keeps a Twilio-form SID.
            internal_account, self.account_sid, self.auth_token = signalwire.credentials(self.config.seed)
            self.api_key_sid = self.api_key_secret = None
            renderer_class = signalwire.SignalWireRenderer
            self.dialect = signalwire.Dialect()
        self.store = Store(self.config, internal_account)
        self.renderer = renderer_class(internal_account, "", self.config.hostile)
        self.mp3_cache = Mp3Cache()
        self.api = Api(self.store, self.renderer, self.mp3_cache)
        self.api.processing_has_media = self.dialect is not None
        #: (method, path with query, headers without Authorization) of every request received.
        self.request_log: list[tuple[str, str, dict[str, str]]] = []
        #: Counts: "requests", and one per fault kind injected ("error", "rate_limit", "latency", ...).
        self.stats: Counter[str] = Counter()
        self._injector = FaultInjector(self.config.faults)
        self._log_lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._base_url: str | None = None

    # -- lifecycle ------------------------------------------------------------------------------

    def start(self) -> Emulator:
        if self._server is not None:
            return self
        server = _Server((self.host, self.port), _Handler, self)
        port = server.server_address[1]
        shown = "127.0.0.1" if self.host in ("", "0.0.0.0") else self.host
        self._base_url = f"http://{shown}:{port}"
        self.port = port
        self.renderer.base_url = self._base_url
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=f"rec-tui-emulator:{port}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        server.close_connections()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._server is not None

    @property
    def base_url(self) -> str:
        if self._base_url is None:
            raise RuntimeError("the emulator has not been started")
        return self._base_url

    @property
    def api_root(self) -> str:
        """``base_url`` + ``/2010-04-01/Accounts/AC…`` (SignalWire: ``/api/laml/2010-04-01/Accounts/{uuid}``)."""
        return f"{self.endpoint_url}/2010-04-01/Accounts/{self.account_sid}"

    @property
    def endpoint_url(self) -> str:
        """The base URL for :func:`rec_tui.api.custom_endpoint`: ``base_url``, plus ``/api/laml`` for SignalWire."""
        return self.base_url + ("/api/laml" if self.dialect is not None else "")

    def served_sid(self, sid: str) -> str:
        """A SID of the store (``store.recordings`` keys, ...) as clients see it: a UUID for SignalWire."""
        return signalwire.as_uuid(sid) if self.dialect is not None else sid

    @property
    def clock(self) -> Any:
        return self.config.clock

    @property
    def faults(self) -> FaultConfig:
        return self._injector.config

    @faults.setter
    def faults(self, config: FaultConfig | None) -> None:
        self._injector = FaultInjector(config or FaultConfig())

    def __repr__(self) -> str:
        where = self._base_url or "not started"
        return f"<Emulator {where} seed={self.config.seed} recordings={len(self.store)}>"

    # -- requests -------------------------------------------------------------------------------

    def _authorized(self, header: str | None, account: str) -> bool:
        if not header or not header[:6].lower() == "basic ":
            return False
        try:
            decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return False
        user, sep, password = decoded.partition(":")
        if not sep or account != self.store.account_sid:
            return False
        if hmac.compare_digest(user.encode(), self.account_sid.encode()):
            return hmac.compare_digest(password.encode(), self.auth_token.encode())
        if self.api_key_sid is not None and hmac.compare_digest(user.encode(), self.api_key_sid.encode()):
            return hmac.compare_digest(password.encode(), self.api_key_secret.encode())
        return False

    @staticmethod
    def _read_body(handler: BaseHTTPRequestHandler) -> bytes:
        if handler.headers.get("Transfer-Encoding", "").lower() == "chunked":
            parts = []
            while True:
                size_line = handler.rfile.readline(1024)
                size = int(size_line.split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while handler.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(parts)
                parts.append(handler.rfile.read(size))
                handler.rfile.readline(1024)
        length = int(handler.headers.get("Content-Length") or 0)
        return handler.rfile.read(length) if length > 0 else b""

    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        method = handler.command
        target = handler.path
        try:
            body = self._read_body(handler)
        except (ValueError, OSError):
            handler.close_connection = True
            self._send(handler, error_response(ApiError(400, 20001, "Malformed request body")), None, method)
            return
        parts = urlsplit(target)
        path = unquote(parts.path)
        headers = {k: v for k, v in handler.headers.items() if k.lower() != "authorization"}
        with self._log_lock:
            self.request_log.append((method, target, headers))
            self.stats["requests"] += 1
        fault, latency, error_status = self._injector.decide(method, path)
        try:
            if fault == "error":
                raise ApiError(error_status, INTERNAL_ERROR if error_status == 500 else SERVICE_UNAVAILABLE,
                               "Internal Server Error (injected)" if error_status == 500
                               else "Service Unavailable (injected)")
            if fault == "rate_limit":
                retry = self.faults.retry_after_s
                raise ApiError(429, TOO_MANY_REQUESTS, "Too Many Requests (injected)",
                               {"Retry-After": f"{retry:g}" if retry != int(retry) else str(int(retry))})
            response = self._answer(method, path, parts.query, body, handler)
        except ApiError as error:
            response = error_response(error)
        except Exception:  # a bug in the emulator: answer like Twilio would, keep serving
            log.exception("emulator error on %s %s", method, target)
            response = error_response(ApiError(500, INTERNAL_ERROR, "Internal Server Error"))
        if fault in ("error", "rate_limit"):
            with self._log_lock:
                self.stats[fault] += 1
        self._send(handler, self._in_form(response, path), fault, method, latency)

    def _in_form(self, response: Response, path: str) -> Response:
        """The answer in the request's form: SignalWire's SIDs and paths; an XML request's error as XML."""
        if (response.stream is not None or not response.body or response.content_type != "application/json"
                or isinstance(response, signalwire.Served)):
            return response
        if self.dialect is not None:
            return Response(response.status, self.dialect.outbound(response.body), headers=response.headers)
        if response.status >= 400 and (path.endswith(".xml") or path.startswith(LEGACY_PREFIX)):
            return Response(response.status, xmlforms.error(response.status, response.body), "application/xml",
                            headers=response.headers)
        return response

    def _answer(self, method: str, path: str, query_string: str, body: bytes,
                handler: BaseHTTPRequestHandler) -> Response:
        if self.dialect is not None:
            try:
                path, query_string = self.dialect.inbound(path, query_string)
            except ApiError as error:  # about the request as sent: already in SignalWire's form
                return signalwire.Served.of(error_response(error))
        query = Query(parse_qsl(query_string, keep_blank_values=True))
        if path.startswith("/emulator/add-on-data/"):
            if method not in ("GET", "HEAD"):
                raise not_found(path)
            return self.api.handle(method, path, query, Query([]))
        account = Api.account_of(path)
        if account is None:
            raise not_found(path)
        if not self._authorized(handler.headers.get("Authorization"), account):
            raise unauthorized()
        form = Query([])
        content_type = handler.headers.get("Content-Type", "")
        if body and "application/x-www-form-urlencoded" in content_type:
            form = Query(parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True))
        return self.api.handle(method, path, query, form)

    # -- the one send path ----------------------------------------------------------------------

    def _send(self, handler: BaseHTTPRequestHandler, response: Response, fault: str | None, method: str,
              latency: float = 0.0) -> None:
        if latency > 0:
            with self._log_lock:
                self.stats["latency"] += 1
            time.sleep(latency)
        try:
            if fault == "reset_before":
                self._count(fault)
                self._abort(handler)
                return
            if fault == "malformed":
                self._count(fault)
                response = self._malformed(response)
            length = response.content_length
            head = self._head(handler, response, length)
            if method == "HEAD" or response.status in (204, 304):
                handler.wfile.write(head)
                self._close_stream(response)
                return
            if fault in ("reset_during", "truncate"):
                self._count(fault)
                self._send_partial(handler, response, head, length, abort=fault == "reset_during")
                return
            if response.stream is None:
                handler.wfile.write(head + (response.body or b""))
                return
            handler.wfile.write(head)
            for chunk in response.stream:
                handler.wfile.write(chunk)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError, OSError):
            handler.close_connection = True
            self._close_stream(response)

    def _count(self, fault: str) -> None:
        with self._log_lock:
            self.stats[fault] += 1

    @staticmethod
    def _close_stream(response: Response) -> None:
        close = getattr(response.stream, "close", None)
        if close is not None:
            close()

    def _head(self, handler: BaseHTTPRequestHandler, response: Response, length: int) -> bytes:
        status = response.status
        try:
            reason = HTTPStatus(status).phrase
        except ValueError:
            reason = ""
        lines = [f"HTTP/1.1 {status} {reason}"]
        headers = {"Date": formatdate(usegmt=True), "Twilio-Request-Id": self._request_id()}
        if status != 204:
            headers["Content-Type"] = response.content_type
        headers["Content-Length"] = str(length if status != 204 else 0)
        headers.update(response.headers)
        if handler.close_connection:
            headers["Connection"] = "close"
        for name, value in headers.items():
            lines.append(f"{name}: {value}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", errors="replace")

    def _request_id(self) -> str:
        with self._log_lock:
            n = self.stats["requests"]
        return hashed_sid("RQ", self.account_sid, n)

    @staticmethod
    def _malformed(response: Response) -> Response:
        """A 200 whose JSON is cut off in the middle (whatever the real answer was)."""
        if response.stream is None and response.content_type == "application/json" and response.body:
            text = response.body[: max(1, len(response.body) // 2)]
        else:
            text = json.dumps({"recordings": [{"sid": "RE" + "0" * 32, "status": "completed"}]}).encode()[:40]
        Emulator._close_stream(response)
        return Response(200, text + b"\x00}{", "application/json")

    def _abort(self, handler: BaseHTTPRequestHandler) -> None:
        """Drop the connection without a (further) byte: a reset."""
        conn = handler.connection
        try:
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
        server = self._server
        if server is not None:
            with server.conn_lock:
                server.aborted.add(conn)
        handler.close_connection = True

    def _send_partial(self, handler: BaseHTTPRequestHandler, response: Response, head: bytes, length: int,
                      *, abort: bool) -> None:
        """Headers announcing ``length`` bytes, then only about half of them."""
        budget = length // 2
        handler.wfile.write(head)
        for chunk in response.chunks():
            if budget <= 0:
                break
            piece = chunk[:budget]
            handler.wfile.write(piece)
            budget -= len(piece)
        self._close_stream(response)
        if abort:
            # A reset makes the peer's kernel drop what it has not read yet: give the partial body
            # a moment to get there first, so the client sees it and then the reset.
            time.sleep(0.05)
            self._abort(handler)
        else:
            handler.close_connection = True


def serve(host: str = "127.0.0.1", port: int = 8080, config: EmulatorConfig | None = None) -> None:
    """Run the emulator in the foreground until interrupted (ctrl+c); print where and how to log in.

    The credentials printed are the emulator's own fake demo account, derived from the seed.
    """
    emulator = Emulator(config, host=host, port=port).start()
    out = sys.stdout
    print(f"rec-tui emulator listening on {emulator.base_url}", file=out)
    print(f"  API root        {emulator.api_root}", file=out)
    if emulator.dialect is not None:
        print(f"  Project ID      {emulator.account_sid}", file=out)
        print(f"  API token       {emulator.auth_token}", file=out)
    else:
        print(f"  Account SID     {emulator.account_sid}", file=out)
        print(f"  Auth Token      {emulator.auth_token}", file=out)
        print(f"  API Key SID     {emulator.api_key_sid}", file=out)
        print(f"  API Key secret  {emulator.api_key_secret}", file=out)
    print(f"  {len(emulator.store)} recordings, seed {emulator.config.seed}; demo credentials of a fake "
          "account. Press ctrl+c to stop.", file=out, flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        emulator.stop()
