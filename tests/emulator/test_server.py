"""The server itself: authentication, HTTP/1.1 keep-alive and lengths, the request log, stop, serve()."""

from __future__ import annotations

import base64
import os
import re
import signal
import socket
import subprocess
import sys

import httpx
import pytest

from rec_tui.emulator import Emulator, EmulatorConfig, demo_credentials

from .support import assert_error


def _challenge(response: httpx.Response) -> None:
    assert_error(response, 401, 20003)
    assert response.json()["message"] == "Authenticate"
    assert response.headers["www-authenticate"] == 'Basic realm="Twilio API"'


@pytest.mark.parametrize("path", ["Recordings.json", "Calls.json", "Recordings/RE" + "0" * 32 + ".wav",
                                  "Transcriptions.json", "Nope.json"])
def test_wrong_or_missing_credentials_are_refused(api, path):
    url = api.url(path)
    _challenge(httpx.get(api.emu.base_url + url))
    _challenge(httpx.get(api.emu.base_url + url, auth=(api.emu.account_sid, "wrong-token")))
    _challenge(httpx.get(api.emu.base_url + url, auth=(api.emu.api_key_sid, api.emu.auth_token)))
    _challenge(httpx.get(api.emu.base_url + url, headers={"Authorization": "Basic !!not-base64"}))
    _challenge(httpx.get(api.emu.base_url + url, headers={"Authorization": "Bearer " + api.emu.auth_token}))


def test_another_accounts_sid_in_the_path_is_refused(api):
    other = "AC" + "1" * 32
    _challenge(api.http.get(f"/2010-04-01/Accounts/{other}/Recordings.json"))
    _challenge(api.http.get("/2010-04-01/Accounts/not-an-account/Recordings.json"))


def test_api_key_works_with_the_account_sid_in_the_path(api):
    emu = api.emu
    with httpx.Client(base_url=emu.base_url, auth=(emu.api_key_sid, emu.api_key_secret)) as key_client:
        assert key_client.get(api.url("Recordings.json")).status_code == 200
        _challenge(key_client.get("/2010-04-01/Accounts/AC" + "2" * 32 + "/Recordings.json"))
    _challenge(httpx.get(emu.base_url + api.url("Recordings.json"), auth=(emu.api_key_sid, "nope")))


def test_credentials_are_deterministic_per_seed():
    a, b, c = demo_credentials(7), demo_credentials(7), demo_credentials(8)
    assert a == b and a != c
    account_sid, token, key_sid, secret = a
    assert re.fullmatch(r"AC[0-9a-f]{32}", account_sid) and re.fullmatch(r"SK[0-9a-f]{32}", key_sid)
    assert re.fullmatch(r"[0-9a-f]{32}", token) and re.fullmatch(r"[0-9A-Za-z]{32}", secret)


def test_paths_outside_the_api_are_404(api):
    for path in ("/", "/2010-04-01", "/2010-04-01/Accounts/", "/favicon.ico"):
        assert_error(api.http.get(path), 404, 20404)


def _raw_exchange(emu, requests: list[bytes]) -> list[tuple[bytes, dict[str, str], bytes]]:
    """Send requests one after the other on ONE connection; read each answer by Content-Length."""
    answers = []
    with socket.create_connection(("127.0.0.1", emu.port), timeout=10) as sock:
        reader = sock.makefile("rb")
        for request in requests:
            sock.sendall(request)
            status = reader.readline()
            headers: dict[str, str] = {}
            while (line := reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode().partition(":")
                headers[name.strip().lower()] = value.strip()
            head_only = request.startswith(b"HEAD ")
            answers.append((status, headers, b"" if head_only else reader.read(int(headers["content-length"]))))
    return answers


def _request(emu, method: str, path: str, body: bytes = b"", auth: bool = True) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1"]
    if auth:
        token = base64.b64encode(f"{emu.account_sid}:{emu.auth_token}".encode()).decode()
        lines.append(f"Authorization: Basic {token}")
    if body:
        lines += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def test_keep_alive_and_content_length_on_every_answer(fresh):
    root = f"/2010-04-01/Accounts/{fresh.account_sid}"
    store = fresh.store
    completed = next(r for r in store.all_recordings() if r.status == "completed" and r.duration < 30)
    tr = store.transcription_list()[0]
    answers = _raw_exchange(fresh, [
        _request(fresh, "GET", f"{root}/Recordings.json?PageSize=2"),
        _request(fresh, "GET", f"{root}/Recordings/RE{'0' * 32}.json"),
        _request(fresh, "GET", f"{root}/Recordings.json", auth=False),
        _request(fresh, "GET", f"{root}/Recordings/{completed.sid}.wav"),
        _request(fresh, "DELETE", f"{root}/Transcriptions/{tr.sid}.json"),
        _request(fresh, "POST", f"{root}/Calls/CA{'0' * 32}/Recordings.json", b"RecordingTrack=both"),
        _request(fresh, "PUT", f"{root}/Calls.json"),
        _request(fresh, "HEAD", f"{root}/Recordings/{completed.sid}.wav"),
        _request(fresh, "GET", f"{root}/Calls.json?PageSize=1"),
    ])
    statuses = [int(status.split()[1]) for status, _, _ in answers]
    assert statuses == [200, 404, 401, 200, 204, 404, 405, 200, 200]
    for status, headers, body in answers:
        assert "content-length" in headers
        assert headers.get("connection") != "close"
        assert re.fullmatch(r"RQ[0-9a-f]{32}", headers["twilio-request-id"])
    assert answers[4][1]["content-length"] == "0" and answers[4][2] == b""
    wav_length = int(answers[3][1]["content-length"])
    assert wav_length == 44 + completed.duration * 8000 * 2 * completed.channels == len(answers[3][2])
    assert answers[7][1]["content-length"] == str(wav_length)  # HEAD: the length, and no body follows
    assert answers[8][2].startswith(b'{"calls"')


def test_request_log_keeps_headers_but_never_the_authorization(fresh_api):
    fresh_api.get("Recordings.json", params={"PageSize": 3}, headers={"X-Test": "yes"})
    method, path, headers = fresh_api.emu.request_log[-1]
    assert method == "GET" and path == fresh_api.url("Recordings.json") + "?PageSize=3"
    assert headers["X-Test"] == "yes"
    assert not any(name.lower() == "authorization" for name in headers)
    assert fresh_api.emu.stats["requests"] == len(fresh_api.emu.request_log)


def test_stop_closes_the_listener_and_open_connections():
    emu = Emulator(EmulatorConfig(seed=3, recordings=5)).start()
    client = httpx.Client(auth=(emu.account_sid, emu.auth_token))
    url = emu.api_root + "/Recordings.json"
    assert client.get(url).status_code == 200  # a keep-alive connection is now open
    emu.stop()
    assert not emu.running
    with pytest.raises(httpx.TransportError):
        client.get(url)
    with pytest.raises(httpx.TransportError):
        httpx.get(url, timeout=2)
    emu.stop()  # twice is fine
    client.close()


def test_not_started_has_no_base_url():
    emu = Emulator(EmulatorConfig(seed=3, recordings=5))
    with pytest.raises(RuntimeError):
        emu.base_url
    assert len(emu.store) >= 5  # the data exists before the server starts


def test_serve_prints_the_url_and_credentials_and_stops_on_interrupt():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # A test run started in the background inherits an ignored SIGINT; ctrl+c at a terminal is default.
    code = ("import signal; signal.signal(signal.SIGINT, signal.default_int_handler); "
            "from rec_tui.emulator import serve, EmulatorConfig; "
            f"serve('127.0.0.1', {port}, EmulatorConfig(seed=5, recordings=7))")
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        lines = [process.stdout.readline() for _ in range(7)]
        text = "".join(lines)
        account_sid, token, key_sid, secret = demo_credentials(5)
        assert f"http://127.0.0.1:{port}" in lines[0]
        for value in (account_sid, token, key_sid, secret):
            assert value in text
        response = httpx.get(f"http://127.0.0.1:{port}/2010-04-01/Accounts/{account_sid}/Recordings.json",
                             auth=(account_sid, token))
        assert len(response.json()["recordings"]) == 7
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0
