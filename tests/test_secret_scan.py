"""A planted secret never reaches the media cache, saved files, logs or error reports.

The emulator's auth token is replaced by a known, unmistakable secret; the app's client then reads,
downloads (bulk, cancelled, failed, saved elsewhere) under injected faults, with every logger at
DEBUG writing to a file. Afterwards every file in the cache and the save-as directory (names and
bytes), the log file, and each error's message, repr and full traceback are scanned for the secret
in every form it travels in (as is, in the Basic header's base64, percent-encoded).
(``tests/test_secret_leaks.py`` covers the credential flows: login, profiles, keyring, screens.)
"""

from __future__ import annotations

import asyncio
import base64
import logging
import traceback
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote

import pytest

from rec_tui.api import ApiError, RecordingsClient, RetryPolicy, custom_endpoint
from rec_tui.media import BulkDownload, DownloadItem, MediaCache, MediaError, download, save_as
from rec_tui.ui.connection import connection_for_emulator

emulator = pytest.importorskip("rec_tui.emulator")

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)
SECRET = "pl4nted-S3cr3t/9f2c+e71a=4b08d"  # '/', '+', '=' so its encoded forms differ from it
WRONG_SECRET = "wr0ng-S3cr3t/5d1e+aa90=c3f7"


def forms(account_sid: str, secret: str) -> list[bytes]:
    """Every form a secret travels in, as bytes to search for."""
    basic = base64.b64encode(f"{account_sid}:{secret}".encode())
    return [secret.encode(), basic, quote(secret, safe="").encode(), base64.b64encode(secret.encode())]


def leaks(data: bytes, needles: list[bytes]) -> list[bytes]:
    return [needle for needle in needles if needle in data]


def scan_tree(root: Path, needles: list[bytes]) -> dict[str, list[bytes]]:
    found = {}
    for path in sorted(root.rglob("*")):
        hits = leaks(str(path.relative_to(root)).encode(), needles)
        if path.is_file():
            hits += leaks(path.read_bytes(), needles)
        if hits:
            found[str(path)] = hits
    return found


def report(error: BaseException) -> bytes:
    """What a user or a bug report could see of an error: message, repr, attributes, traceback."""
    parts = [str(error), repr(error), repr(vars(error)) if hasattr(error, "__dict__") else "",
             "".join(traceback.format_exception(error))]
    return "\n".join(parts).encode()


def test_the_scanner_finds_the_secret_in_each_form(tmp_path):
    needles = forms("AC" + "1" * 32, SECRET)
    (tmp_path / "clean.wav").write_bytes(b"RIFF nothing to see")
    assert scan_tree(tmp_path, needles) == {}
    for i, needle in enumerate(needles):
        (tmp_path / f"f{i}").write_bytes(b"prefix " + needle + b" suffix")
    (tmp_path / f"named-{quote(SECRET, safe='')}").write_bytes(b"")
    assert len(scan_tree(tmp_path, needles)) == len(needles) + 1


async def test_no_secret_in_cache_files_logs_or_errors_of_the_download_and_fault_flows(tmp_path):
    log_file = tmp_path / "debug.log"
    handler = logging.FileHandler(log_file, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)  # httpx and httpcore included: what a user turning on debugging gets
    errors: list[BaseException] = []
    cache_root, chosen = tmp_path / "cache", tmp_path / "saved"
    chosen.mkdir()
    config = emulator.EmulatorConfig(seed=5, recordings=40, clock=emulator.ManualClock(NOW), live_calls=0)
    emu = emulator.Emulator(config)
    emu.auth_token = SECRET
    try:
        with emu:
            targets = [emu.store.add_recording(duration=2 + i % 3, channels=1 + i % 2) for i in range(10)]
            absent = emu.store.add_recording(duration=0, status="absent", error_code=16102)
            emu.faults = emulator.FaultConfig(error_rate=0.08, rate_limit_rate=0.08, retry_after_s=0,
                                              reset_before_rate=0.04, reset_during_rate=0.04, truncate_rate=0.06,
                                              malformed_rate=0.04, seed=99)
            quick = RetryPolicy(attempts=3, sleep=lambda s: asyncio.sleep(s / 100))
            connection = connection_for_emulator(emu, retry=quick)
            client = connection.client
            cache = MediaCache(emu.account_sid, cache_root)
            try:
                for call in (lambda: client.list_recordings(page_size=20), lambda: client.fetch_recording(absent.sid),
                             lambda: client.list_transcriptions(targets[0].sid), lambda: client.list_calls(None)):
                    for _ in range(4):
                        try:
                            await call()
                        except ApiError as exc:
                            errors.append(exc)
                items = [DownloadItem(r.sid, cache.path_for(r.sid, None, "wav", None if i % 2 else 2),
                                      lambda r=r, i=i: client.media_stream(r.sid, "wav", None if i % 2 else 2))
                         for i, r in enumerate([*targets, absent])]
                for round_ in range(4):
                    bulk = BulkDownload(items, concurrency=3)
                    if round_ == 0:  # one run cancelled half-way
                        bulk.subscribe(lambda b, s: b.cancel() if b.progress().files_ok >= 3 else None)
                    result = await bulk.run()
                    errors.extend(s.error for s in result.failures if s.error is not None)
                assert len(cache.files()) >= 5, "the flows must have written files for the scan to mean anything"
                for r in targets[:3]:
                    try:
                        await save_as(lambda r=r: client.media_stream(r.sid), chosen, r.sid, cache=cache)
                        await save_as(lambda r=r: client.media_stream(r.sid, "mp3"), chosen, r.sid, fmt="mp3")
                    except MediaError as exc:
                        errors.append(exc)
            finally:
                await connection.aclose()

            # The wrong secret, too, must not be echoed back by an authentication failure.
            emu.faults = emulator.FaultConfig()
            async with RecordingsClient(custom_endpoint(emu.base_url), emu.account_sid, emu.account_sid,
                                        WRONG_SECRET, retry=quick) as wrong:
                try:
                    await wrong.list_recordings()
                except ApiError as exc:
                    errors.append(exc)
                try:
                    await download(lambda: wrong.media_stream(targets[0].sid), tmp_path / "wrong" / "x.wav")
                except MediaError as exc:
                    errors.append(exc)
                assert repr(wrong).count(WRONG_SECRET) == 0
            account_sid = emu.account_sid
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
        handler.close()

    needles = forms(account_sid, SECRET) + forms(account_sid, WRONG_SECRET)
    assert any(status in log_file.read_text() for status in ("HTTP/1.1 401", "401 Unauthorized")), \
        "the log must hold the flows' requests for the scan to mean anything"
    assert len(errors) >= 5 and any("401" in str(e) for e in errors)
    assert scan_tree(cache_root, needles) == {}
    assert scan_tree(chosen, needles) == {}
    assert leaks(log_file.read_bytes(), needles) == []
    assert {repr(e)[:80]: leaks(report(e), needles) for e in errors if leaks(report(e), needles)} == {}
