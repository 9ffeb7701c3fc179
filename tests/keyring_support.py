"""Fixtures and helpers for the profile, login and secret-leak tests.

Import the fixtures into a test module (``from tests.keyring_support import real_keyring``).
``real_keyring`` is the throw-away gnome-keyring of ``scripts/with-test-session.sh`` and nothing
else (it might be yours): the tests that need it skip without it, saying why.
"""

from __future__ import annotations

import html
import os
import re
from datetime import timezone
from pathlib import Path

import httpx
import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail

from rec_tui.api import RetryPolicy
from rec_tui.config import ProfileStore
from rec_tui.credentials import SERVICE

NO_RETRY = RetryPolicy(attempts=1)


@pytest.fixture
def restore_keyring():
    previous = keyring.get_keyring()
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def real_keyring(restore_keyring):
    """The throw-away Secret Service, installed as keyring's backend; emptied of rec-tui items after."""
    reason = os.environ.get("REC_TUI_NO_TEST_KEYRING")
    if reason:
        pytest.skip(f"no test Secret Service: {reason}")
    if os.environ.get("REC_TUI_TEST_KEYRING") != "1":
        pytest.skip("keyring tests only use the throw-away Secret Service of scripts/with-test-session.sh, "
                    "never your own: run them through it")
    secretstorage = pytest.importorskip("secretstorage")
    from keyring.backends import SecretService

    try:
        SecretService.Keyring.priority  # noqa: B018 - raises when the service is not reachable
    except RuntimeError as exc:
        pytest.skip(f"Secret Service not reachable: {exc}")
    backend = SecretService.Keyring()
    keyring.set_keyring(backend)
    yield backend
    connection = secretstorage.dbus_init()
    try:
        for item in secretstorage.search_items(connection, {"service": SERVICE}):
            item.delete()
    finally:
        connection.close()


@pytest.fixture
def no_keyring(restore_keyring):
    """What a bare ``pip install keyring`` gets on a headless server."""
    keyring.set_keyring(fail.Keyring())


class MemoryKeyring(KeyringBackend):
    """A well-behaved, secure-looking backend in memory: for tests that need a keyring that works
    everywhere (snapshots), not the real one."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.values.get((service, username))

    def set_password(self, service, username, password):
        self.values[(service, username)] = password

    def delete_password(self, service, username):
        self.values.pop((service, username), None)


class PlaintextKeyring(MemoryKeyring):
    """Poses as keyrings.alt's PlaintextKeyring (its module and class name); keeps the values in
    memory so a test can see what it was given."""

    priority = 0.5  # type: ignore[assignment]

    def __init__(self, file_path: str = "/tmp/keyring_pass.cfg") -> None:
        super().__init__()
        self.file_path = file_path


PlaintextKeyring.__module__ = "keyrings.alt.file"


@pytest.fixture
def plaintext_keyring(restore_keyring, tmp_path):
    backend = PlaintextKeyring(str(tmp_path / "keyring_pass.cfg"))
    keyring.set_keyring(backend)
    return backend


@pytest.fixture
def memory_keyring(restore_keyring):
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    return backend


@pytest.fixture
def store(tmp_path) -> ProfileStore:
    """An empty profiles store in its own directory."""
    return ProfileStore(tmp_path / "config").load()


class ToEmulator(httpx.AsyncBaseTransport):
    """Sends requests for Twilio's and SignalWire's hosts (api.sydney.au1.twilio.com,
    example.signalwire.com, …) to the emulator, others
    where they were going, and remembers the hosts asked for. Shared by the app's clients:
    closing one keeps it open."""

    def __init__(self, emu) -> None:
        self.target = httpx.URL(emu.base_url)
        self.inner = httpx.AsyncHTTPTransport()
        self.hosts: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.hosts.append(request.url.host)
        if request.url.host.endswith((".twilio.com", ".signalwire.com")):
            request.url = request.url.copy_with(scheme=self.target.scheme, host=self.target.host,
                                                port=self.target.port)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        pass  # closed by the test (see close())

    async def close(self) -> None:
        await self.inner.aclose()


def login_app(store: ProfileStore, *, start_profile: str | None = None, connection=None, transport=None):
    """The app with no connection yet (first run, or opening ``start_profile``), times in UTC."""
    from rec_tui.ui.app import RecTuiApp

    app = RecTuiApp(connection, profiles=store, start_profile=start_profile, display_tz=timezone.utc)
    app.client_options = {"retry": NO_RETRY}
    if transport is not None:
        app.client_options["transport"] = transport
    return app


def write_twilio_cli_config(home: Path, text: str) -> Path:
    path = home / ".twilio-cli" / "config.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


_SVG_TEXT = re.compile(r'<text class="[^"]*" x="([0-9.]+)" y="([0-9.]+)" textLength="([0-9.]+)"[^>]*>(.*?)</text>')


def svg_text(svg: str) -> str:
    """The text of a Textual SVG screenshot, one line per terminal row, each span at its column
    (spans are placed by their x position; entities decoded)."""
    rows: dict[float, dict[int, str]] = {}
    cell = None
    for x, y, length, raw in _SVG_TEXT.findall(svg):
        text = html.unescape(raw).replace("\xa0", " ")
        if cell is None and text:
            cell = float(length) / len(text)
        rows.setdefault(float(y), {})[round(float(x) / cell) if cell else 0] = text
    lines = []
    for y in sorted(rows):
        line = ""
        for column in sorted(rows[y]):
            line = line.ljust(column) + rows[y][column]
        lines.append(line.rstrip())
    return "\n".join(lines)


_NOT_TEXT = re.compile(r"[\s│╭╮╰╯─▏▕▎▊▔▁]+")


def squash(text: str) -> str:
    """``text`` without whitespace and box lines, so wrapped text compares as a whole."""
    return _NOT_TEXT.sub("", text)


def shows(app, *needles: str) -> bool:
    """Whether the screen shows every one of ``needles`` (wrapping and spacing ignored)."""
    text = squash(svg_text(app.export_screenshot()))
    return all(squash(needle) in text for needle in needles)
