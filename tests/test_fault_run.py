"""The fault run: the app's client flows against a flaky service lose nothing and never crash.

More than 1000 operations — list and page (both ways), filtered lists, fetches, transcriptions,
add-on results, calls and conferences, and media downloads through :mod:`rec_tui.media` — go to
the emulator while it answers 5% of requests with a 500/503, 5% with a 429 (``Retry-After: 1``),
resets 2% of connections (half before the answer, half in the middle of its body) and cuts 2% of
bodies short. Every read must finally succeed with the right data, every finished download must be
byte-identical to what the service serves without faults, and no file may ever sit under a final
name without being complete. The counts are printed.

The client runs with the app's own retry policy; only its sleep is shortened a hundredfold (the
delays it *asks* for are checked against ``Retry-After``), so the run takes seconds.
Reads run one after another so the seeded fault sequence, and so the run, is the same every time.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections import Counter
from datetime import datetime, timezone

import httpx
import pytest

from rec_tui.api import RecordingFilter, RetryPolicy
from rec_tui.api.models import Call, Conference
from rec_tui.media import BulkDownload, DownloadError, DownloadItem, FileState, MediaCache
from rec_tui.media.paths import is_partial
from rec_tui.ui.connection import connection_for_emulator

emulator = pytest.importorskip("rec_tui.emulator")

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)
FAULTS = dict(error_rate=0.05, rate_limit_rate=0.05, reset_before_rate=0.01, reset_during_rate=0.01,
              truncate_rate=0.02, retry_after_s=1, seed=2026)
MIN_OPERATIONS = 1000
DOWNLOADS = 48
#: Rounds of "retry the failed ones" a user would need at most; far more than these rates call for.
MAX_ROUNDS = 10
RETRY_LOG = re.compile(r"retrying (\S+) (\S+) in ([0-9.]+) s after: (.*)")


async def quick_sleep(seconds: float) -> None:
    await asyncio.sleep(seconds / 100)


def media_plan(recordings) -> list[tuple[str, str, int | None]]:
    """(sid, format, RequestedChannels) per download: WAV mono/dual/default, and a few MP3s."""
    plan = []
    for i, rec in enumerate(recordings):
        fmt = "mp3" if i % 12 == 5 else "wav"
        plan.append((rec.sid, fmt, (None, 1, 2)[i % 3] if fmt == "wav" else None))
    return plan


async def reference_media(emu, plan, cache: MediaCache) -> dict[str, bytes]:
    """What the service serves without faults, by final file name (plain httpx, not our client)."""
    served = {}
    async with httpx.AsyncClient(auth=(emu.account_sid, emu.auth_token), timeout=30) as http:
        for sid, fmt, channels in plan:
            url = f"{emu.api_root}/Recordings/{sid}.{fmt}" + (f"?RequestedChannels={channels}" if channels else "")
            response = await http.get(url)
            response.raise_for_status()
            served[cache.path_for(sid, None, fmt, channels).name] = response.content
    return served


async def reference_listing(emu) -> list[str]:
    async with httpx.AsyncClient(auth=(emu.account_sid, emu.auth_token), timeout=30) as http:
        response = await http.get(f"{emu.api_root}/Recordings.json", params={"PageSize": 1000})
        response.raise_for_status()
        return [r["sid"] for r in response.json()["recordings"]]


async def read_flows(client, counts: Counter, expected_sids: list[str]) -> None:
    """What the screens do, one request after another; any exception fails the run."""

    async def read(coro):
        counts["reads"] += 1
        return await coro

    # The list, page by page to the end, then back to the start.
    pages = [await read(client.list_recordings(page_size=50))]
    while pages[-1].has_next:
        pages.append(await read(client.next_page(pages[-1])))
    listed = [r.sid for page in pages for r in page.items]
    assert listed == expected_sids, "paging under faults lost or repeated recordings"
    page = pages[-1]
    while page.has_previous:
        page = await read(client.previous_page(page))
    assert [r.sid for r in page.items] == [r.sid for r in pages[0].items]

    recordings = [r for page in pages for r in page.items]
    days = sorted({r.date_created.date() for r in recordings if r.date_created})
    for day in days[:: max(1, len(days) // 8)]:
        on_day = await read(client.list_recordings(RecordingFilter(created_on=day), page_size=1000))
        assert on_day.items and all(r.date_created.date() == day for r in on_day.items)

    # The detail pane and the recording screen of every recording.
    for rec in recordings:
        fetched = await read(client.fetch_recording(rec.sid))
        assert fetched.sid == rec.sid and fetched.status == rec.status
        transcriptions = await read(client.list_transcriptions(rec.sid))
        for tr in transcriptions.items:
            assert (await read(client.fetch_transcription(tr.sid))).recording_sid == rec.sid
        counts["transcriptions"] += len(transcriptions.items)
        results = await read(client.list_add_on_results(rec.sid))
        counts["add_on_results"] += len(results.items)

    # Jump to a call or a conference; the live lists.
    for call_sid in sorted({r.call_sid for r in recordings if r.call_sid})[:60]:
        assert (await read(client.fetch_call(call_sid))).sid == call_sid
        assert (await read(client.list_call_recordings(call_sid))).items
    for conference_sid in sorted({r.conference_sid for r in recordings if r.conference_sid})[:20]:
        assert (await read(client.fetch_conference(conference_sid))).sid == conference_sid
    calls = await read(client.list_calls(status=None, page_size=100))
    conferences = await read(client.list_conferences(status=None, page_size=100))
    assert all(isinstance(c, Call) for c in calls.items) and all(isinstance(c, Conference) for c in conferences.items)


async def download_flows(client, plan, cache: MediaCache, served: dict[str, bytes], counts: Counter) -> None:
    """Bulk downloads (4 at a time); failed files are retried as a user would, the first round is
    cancelled half-way once. The directory is checked every time a file finishes."""
    items = [DownloadItem(sid, cache.path_for(sid, None, fmt, channels),
                          lambda sid=sid, fmt=fmt, channels=channels: client.media_stream(sid, fmt, channels))
             for sid, fmt, channels in plan]
    violations: list[str] = []

    def check_directory() -> None:
        for path in cache.directory.iterdir():
            if is_partial(path):
                continue
            expected = served.get(path.name)
            if expected is None or path.stat().st_size != len(expected):
                violations.append(f"{path.name}: {path.stat().st_size} bytes under its final name")

    pending = items
    rounds = 0
    while pending:
        rounds += 1
        assert rounds <= MAX_ROUNDS, f"{len(pending)} downloads still failing after {MAX_ROUNDS} rounds"
        bulk = BulkDownload(pending, concurrency=4)
        cancel_at = [len(pending) // 2] if rounds == 1 else []

        def on_change(bulk, status, cancel_at=cancel_at):
            if status is None or not status.state.finished:
                return
            check_directory()
            if cancel_at and bulk.progress().files_ok >= cancel_at[0]:
                cancel_at.clear()
                counts["cancelled_rounds"] += 1
                bulk.cancel()

        bulk.subscribe(on_change)
        counts["download_attempts"] += len(pending)
        result = await bulk.run()
        for failure in result.failures:
            # Only transient faults may fail a download, and each says so.
            assert isinstance(failure.error, DownloadError) and failure.error.retryable, failure.reason
            counts["download_failures"] += 1
        counts["downloads_cancelled"] += len(result.cancelled)
        again = {s.index for s in result.failures} | {s.index for s in result.cancelled}
        pending = [item for i, item in enumerate(pending) if i in again]
        assert not [p.name for p in cache.directory.iterdir() if is_partial(p)], "temporary files left behind"
    counts["download_rounds"] = rounds
    assert violations == []
    assert all(s.state is not FileState.FAILED for s in bulk.statuses)
    final = {p.name: p.read_bytes() for p in cache.directory.iterdir()}
    assert final.keys() == served.keys()
    identical = sum(final[name] == data for name, data in served.items())
    assert identical == len(served), "a finished download differs from what the service serves"
    counts["downloads_identical"] = identical


async def test_fault_run(tmp_path, caplog, capsys):
    caplog.set_level(logging.DEBUG, logger="rec_tui")
    loop_errors: list[dict] = []
    asyncio.get_running_loop().set_exception_handler(lambda loop, context: loop_errors.append(context))
    counts: Counter = Counter()
    config = emulator.EmulatorConfig(seed=11, recordings=300, clock=emulator.ManualClock(NOW), live_calls=0,
                                     transcription_rate=0.3)
    with emulator.Emulator(config) as emu:
        # Short recordings to download, so the run moves little data.
        targets = [emu.store.add_recording(duration=1 + i % 5, channels=1 + i % 2) for i in range(DOWNLOADS)]
        plan = media_plan(targets)
        cache = MediaCache(emu.account_sid, tmp_path / "cache")
        served = await reference_media(emu, plan, cache)
        expected_sids = await reference_listing(emu)
        before = emu.stats["requests"]

        emu.faults = emulator.FaultConfig(**FAULTS)
        connection = connection_for_emulator(emu, retry=RetryPolicy(sleep=quick_sleep))
        try:
            await read_flows(connection.client, counts, expected_sids)
            await download_flows(connection.client, plan, cache, served, counts)
        finally:
            await connection.aclose()
        stats = Counter(emu.stats)
        http_requests = stats["requests"] - before

    retries = [RETRY_LOG.match(r.getMessage()) for r in caplog.records if r.name == "rec_tui.api"]
    retries = [m for m in retries if m]
    honoured = [float(m.group(3)) for m in retries if "HTTP 429" in m.group(4)]
    assert honoured and min(honoured) >= FAULTS["retry_after_s"], "a 429 was retried before its Retry-After"
    operations = counts["reads"] + counts["download_attempts"]
    assert operations >= MIN_OPERATIONS
    faults = {kind: stats[kind] for kind in ("error", "rate_limit", "reset_before", "reset_during", "truncate")}
    assert all(faults.values()), f"every kind of fault should have happened: {faults}"
    assert counts["cancelled_rounds"] == 1 and counts["downloads_cancelled"] > 0
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert loop_errors == []

    with capsys.disabled():
        print(f"\nfault run: {operations} operations ({counts['reads']} reads, {counts['download_attempts']} "
              f"download attempts) -> {http_requests} HTTP requests")
        print(f"  injected: 5xx {faults['error']}, 429 {faults['rate_limit']}, reset before answer "
              f"{faults['reset_before']}, reset mid-body {faults['reset_during']}, truncated {faults['truncate']}")
        print(f"  client retries {len(retries)} ({len(honoured)} after a 429, each waiting >= Retry-After); "
              f"every read succeeded")
        print(f"  downloads: {len(plan)} files, {counts['download_failures']} failed attempts retried, "
              f"{counts['downloads_cancelled']} cancelled and resumed, {counts['download_rounds']} rounds, "
              f"{counts['downloads_identical']} byte-identical, 0 incomplete files")
