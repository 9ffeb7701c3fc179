"""Bulk downloads: concurrency limit, per-file states, failures collected, cancellation."""

from __future__ import annotations

import asyncio

import pytest

from rec_tui.media.download import BulkDownload, DownloadItem, FileState, download_many
from rec_tui.media.paths import MediaCache

from .conftest import ACCOUNT, Reply, leftovers, noise, opener_for, pcm_of, sid, wav_bytes


@pytest.fixture
def cache(tmp_path):
    return MediaCache(ACCOUNT, tmp_path / "cache")


def wav_for(n: int) -> bytes:
    return wav_bytes(pcm_of(noise(1.0, seed=n)))


def items_for(media_server, http, cache, numbers, replies=None):
    items = []
    for n in numbers:
        path = media_server.media_path(sid(n))
        url = media_server.add(path, *(replies or {}).get(n, [Reply(wav_for(n))]))
        items.append(DownloadItem(sid(n), cache.path_for(sid(n)), opener_for(http, url)))
    return items


async def test_one_failure_does_not_stop_the_others(media_server, http, cache):
    items = items_for(media_server, http, cache, range(1, 7),
                      replies={3: [Reply(b'{"message": "gone"}', status=404)],
                               5: [Reply(wav_for(5), cut_after=3000)]})
    events = []
    result = await download_many(items, concurrency=2, listener=lambda bulk, st: events.append(st))
    assert [s.sid for s in result.failures] == [sid(3), sid(5)]
    assert "HTTP 404" in result.failures[0].reason
    assert "connection closed" in result.failures[1].reason
    assert not result.ok and result.cancelled == []
    assert sorted(r.path.name for r in result.completed) == sorted(cache.path_for(sid(n)).name for n in (1, 2, 4, 6))
    for n in (1, 2, 4, 6):
        assert cache.path_for(sid(n)).read_bytes() == wav_for(n)
    assert leftovers(cache.directory) == sorted(cache.path_for(sid(n)).name for n in (1, 2, 4, 6))
    assert events[-1] is None  # the whole-run "finished" notification


async def test_concurrency_limit_and_observable_progress(media_server, http, cache):
    items = items_for(media_server, http, cache, range(1, 9))
    bulk = BulkDownload(items, concurrency=3)
    most = 0
    seen_states = set()

    def watch(b: BulkDownload, status) -> None:
        nonlocal most
        most = max(most, sum(s.state is FileState.DOWNLOADING for s in b.statuses))
        if status is not None:
            seen_states.add(status.state)

    bulk.subscribe(watch)
    assert [s.state for s in bulk.statuses] == [FileState.QUEUED] * 8
    result = await bulk.run()
    assert result.ok and len(result.completed) == 8
    assert most == 3
    assert seen_states == {FileState.DOWNLOADING, FileState.DONE}
    progress = bulk.progress()
    total = sum(len(wav_for(n)) for n in range(1, 9))
    assert (progress.files_total, progress.files_finished, progress.files_ok, progress.files_failed) == (8, 8, 8, 0)
    assert progress.bytes_done == progress.bytes_known == total
    assert progress.eta in (None, 0.0)


async def test_cached_files_are_not_requested_again(media_server, http, cache):
    items = items_for(media_server, http, cache, [1, 2, 3])
    await download_many(items[:2])
    bulk = BulkDownload(items)
    result = await bulk.run()
    assert [s.state for s in bulk.statuses] == [FileState.CACHED, FileState.CACHED, FileState.DONE]
    assert len(result.completed) == 3 and [r.cached for r in result.completed] == [True, True, False]
    assert [media_server.hits[media_server.media_path(sid(n))] for n in (1, 2, 3)] == [1, 1, 1]


async def test_cancel_as_a_whole_keeps_completed_files(media_server, http, cache):
    held = Reply(wav_for(2), hold_after=4096)
    items = items_for(media_server, http, cache, [1, 2, 3], replies={2: [held]})
    bulk = BulkDownload(items, concurrency=1, chunk_size=1024)

    def cancel_when_second_is_under_way(b: BulkDownload, status) -> None:
        if status is not None and status.index == 1 and status.done > 0:
            b.cancel()

    bulk.subscribe(cancel_when_second_is_under_way)
    result = await bulk.run()
    held.release.set()
    assert [s.state for s in bulk.statuses] == [FileState.DONE, FileState.CANCELLED, FileState.CANCELLED]
    assert [s.sid for s in result.cancelled] == [sid(2), sid(3)]
    assert result.failures == []
    assert leftovers(cache.directory) == [cache.path_for(sid(1)).name]
    assert media_server.hits[media_server.media_path(sid(3))] == 0


async def test_cancelling_the_running_task_cleans_up_and_propagates(media_server, http, cache):
    held = [Reply(wav_for(n), hold_after=4096) for n in (1, 2)]
    items = items_for(media_server, http, cache, [1, 2], replies={1: [held[0]], 2: [held[1]]})
    bulk = BulkDownload(items, concurrency=2, chunk_size=1024)
    both_started = asyncio.Event()
    bulk.subscribe(lambda b, st: both_started.set() if all(s.done > 0 for s in b.statuses) else None)
    task = asyncio.create_task(bulk.run())
    await both_started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    for reply in held:
        reply.release.set()
    assert [s.state for s in bulk.statuses] == [FileState.CANCELLED, FileState.CANCELLED]
    assert leftovers(cache.directory) == []


async def test_cancel_one_file(media_server, http, cache):
    held = Reply(wav_for(1), hold_after=4096)
    items = items_for(media_server, http, cache, [1, 2], replies={1: [held]})
    bulk = BulkDownload(items, concurrency=2, chunk_size=1024)
    bulk.subscribe(lambda b, st: b.cancel_item(0) if st is not None and st.index == 0 and st.done > 0 else None)
    result = await bulk.run()
    held.release.set()
    assert [s.state for s in bulk.statuses] == [FileState.CANCELLED, FileState.DONE]
    assert [r.path for r in result.completed] == [cache.path_for(sid(2))]


async def test_cancel_before_run_starts_nothing(media_server, http, cache):
    bulk = BulkDownload(items_for(media_server, http, cache, [1, 2]))
    bulk.cancel()
    result = await bulk.run()
    assert [s.state for s in result.cancelled] == [FileState.CANCELLED] * 2
    assert sum(media_server.hits.values()) == 0


async def test_a_failing_listener_does_not_break_downloads(media_server, http, cache):
    bulk = BulkDownload(items_for(media_server, http, cache, [1]))

    def broken(b, st):
        raise RuntimeError("listener bug")

    bulk.subscribe(broken)
    assert (await bulk.run()).ok
