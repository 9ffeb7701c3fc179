"""Injected faults: each one observably happens, only where configured, deterministically."""

from __future__ import annotations

import base64
import socket
import time

import httpx
import pytest

from rec_tui.emulator import FaultConfig

from .support import Api, assert_error, make_emulator


@pytest.fixture
def faulty():
    with make_emulator(recordings=40, live_calls=0) as emu:
        api = Api(emu)
        yield emu, api
        api.close()


def raw_get(emu, path: str) -> tuple[int | None, int, bytes, bool]:
    """GET on a raw socket: (status, announced length, body bytes received, reset?).

    (A reset may make the kernel drop bytes not yet read, even the head: status is then None.)"""
    token = base64.b64encode(f"{emu.account_sid}:{emu.auth_token}".encode()).decode()
    request = f"GET {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Basic {token}\r\n\r\n".encode()
    with socket.create_connection(("127.0.0.1", emu.port), timeout=10) as sock:
        sock.sendall(request)
        data, reset = b"", False
        while True:
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                reset = True
                break
            if not chunk:
                break
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    if not _:
        assert reset, data
        return None, 1, b"", reset
    lines = head.decode().split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return int(lines[0].split()[1]), int(headers["content-length"]), body, reset


def test_no_faults_by_default(faulty):
    emu, api = faulty
    assert not emu.faults.active
    for _ in range(30):
        assert api.get("Recordings.json", params={"PageSize": 5}).status_code == 200
    assert set(emu.stats) == {"requests"}


def test_error_faults_answer_5xx_and_do_not_process(faulty):
    emu, api = faulty
    tr = emu.store.transcription_list()[0]
    emu.faults = FaultConfig(error_rate=1.0, seed=1)
    seen = set()
    for _ in range(12):
        response = api.delete(f"Transcriptions/{tr.sid}.json")
        body = assert_error(response, response.status_code)
        seen.add((response.status_code, body["code"]))
    assert seen == {(500, 20500), (503, 20503)}
    assert emu.stats["error"] == 12
    emu.faults = FaultConfig()
    assert api.get(f"Transcriptions/{tr.sid}.json").status_code == 200  # never deleted


def test_rate_limit_faults_answer_429_with_retry_after(faulty):
    emu, api = faulty
    emu.faults = FaultConfig(rate_limit_rate=1.0, retry_after_s=2)
    response = api.get("Recordings.json")
    assert_error(response, 429, 20429)
    assert response.headers["retry-after"] == "2"
    emu.faults = FaultConfig(rate_limit_rate=1.0, retry_after_s=0.5)
    assert api.get("Calls.json").headers["retry-after"] == "0.5"
    assert emu.stats["rate_limit"] == 2


def test_latency_is_added(faulty):
    emu, api = faulty
    emu.faults = FaultConfig(latency_s=0.25)
    started = time.monotonic()
    assert api.get("Recordings.json").status_code == 200
    assert time.monotonic() - started >= 0.25
    assert emu.stats["latency"] == 1


def test_reset_before_loses_the_answer_but_the_request_was_applied(faulty):
    emu, api = faulty
    tr = emu.store.transcription_list()[0]
    emu.faults = FaultConfig(reset_before_rate=1.0, methods=("DELETE",))
    with pytest.raises(httpx.TransportError):
        api.delete(f"Transcriptions/{tr.sid}.json")
    assert emu.stats["reset_before"] == 1
    assert api.get("Calls.json").status_code == 200  # other methods are untouched
    emu.faults = FaultConfig()
    assert_error(api.delete(f"Transcriptions/{tr.sid}.json"), 404, 20404)  # a retry finds it gone


def test_reset_during_sends_part_of_the_body_then_resets(faulty):
    emu, api = faulty
    rec = next(r for r in emu.store.all_recordings() if r.status == "completed" and r.duration >= 20)
    path = f"{api.root}/Recordings/{rec.sid}.wav"
    emu.faults = FaultConfig(reset_during_rate=1.0)
    status, length, body, reset = raw_get(emu, path)
    assert status in (200, None) and len(body) < length
    assert reset or (status == 200 and body.startswith(b"RIFF"))
    with pytest.raises(httpx.TransportError):
        api.get(path)
    with pytest.raises(httpx.TransportError):
        api.get("Recordings.json")
    assert emu.stats["reset_during"] == 3


def test_truncate_announces_more_than_it_sends(faulty):
    emu, api = faulty
    emu.faults = FaultConfig(truncate_rate=1.0, paths=(r"/Recordings\.json$",))
    status, length, body, reset = raw_get(emu, f"{api.root}/Recordings.json")
    assert status == 200 and 0 < len(body) < length and not reset
    with pytest.raises(httpx.RemoteProtocolError):
        api.get("Recordings.json")
    assert api.get("Calls.json").status_code == 200  # the pattern limits it
    assert emu.stats["truncate"] == 2


def test_malformed_is_a_200_with_broken_json(faulty):
    emu, api = faulty
    emu.faults = FaultConfig(malformed_rate=1.0)
    for path in ("Recordings.json", "Calls.json", f"Recordings/{emu.store.all_recordings()[5].sid}.json"):
        response = api.get(path)
        assert response.status_code == 200 and response.headers["content-type"] == "application/json"
        assert int(response.headers["content-length"]) == len(response.content)
        with pytest.raises(ValueError):
            response.json()
    assert emu.stats["malformed"] == 3


def test_faults_limited_to_paths_and_methods(faulty):
    emu, api = faulty
    rec = next(r for r in emu.store.all_recordings() if r.status == "completed")
    emu.faults = FaultConfig(error_rate=1.0, paths=(r"\.mp3$", r"/Calls\.json"), methods=("GET",))
    assert api.get(f"Recordings/{rec.sid}.mp3").status_code in (500, 503)
    assert api.get("Calls.json").status_code in (500, 503)
    assert api.get(f"Recordings/{rec.sid}.wav").status_code == 200
    assert api.get("Recordings.json").status_code == 200
    assert api.post("Calls.json").status_code == 405  # POST is not a faulted method


def test_fault_sequences_are_deterministic():
    config = dict(error_rate=0.25, rate_limit_rate=0.25, malformed_rate=0.2, seed=11)

    def outcomes(emu, api) -> list[int]:
        seen = []
        for _ in range(40):
            response = api.get("Recordings.json", params={"PageSize": 2})
            if response.status_code == 200:
                try:
                    response.json()
                    seen.append(200)
                except ValueError:
                    seen.append(-1)
            else:
                seen.append(response.status_code)
        return seen

    with make_emulator(recordings=10, faults=FaultConfig(**config)) as a, make_emulator(recordings=10) as b:
        api_a, api_b = Api(a), Api(b)
        b.faults = FaultConfig(**config)
        first = outcomes(a, api_a)
        assert first == outcomes(b, api_b)
        assert {200, -1, 429} <= set(first) and ({500, 503} & set(first))
        a.faults = FaultConfig(**config)  # a new config starts the sequence again
        assert outcomes(a, api_a) == first
        api_a.close()
        api_b.close()


def test_fault_config_is_checked():
    with pytest.raises(ValueError):
        FaultConfig(error_rate=1.5)
    with pytest.raises(ValueError):
        FaultConfig(error_rate=0.6, truncate_rate=0.6)
    with pytest.raises(ValueError):
        FaultConfig(latency_s=-1)
    assert FaultConfig(paths=r"\.wav$").applies_to("GET", "/x/Recordings/RE1.wav")
    assert not FaultConfig(methods="post").applies_to("GET", "/x")
