"""Downloads over real loopback sockets: atomic, checked, cancellable, cached."""

from __future__ import annotations

import asyncio
import base64
from datetime import date

import pytest

from rec_tui.media.download import Progress, download, save_as
from rec_tui.media.errors import DiskFullError, DownloadError, InvalidSidError, MediaError
from rec_tui.media.paths import MediaCache

from .conftest import ACCOUNT, Reply, full_disk_after, leftovers, noise, opener_for, pcm_of, sid, wav_bytes

DAY = date(2026, 11, 20)


@pytest.fixture
def wav():
    return wav_bytes(pcm_of(noise(3.0, seed=3)))  # 48 044 bytes


@pytest.fixture
def cache(tmp_path):
    return MediaCache(ACCOUNT, tmp_path / "cache")


async def test_bytes_are_exactly_what_the_server_sent(media_server, http, cache, wav):
    url = media_server.add(media_server.media_path(sid(1)), Reply(wav))
    seen: list[Progress] = []
    result = await download(opener_for(http, url), cache.path_for(sid(1), DAY), progress=seen.append, chunk_size=4096)
    assert result.path == cache.directory / f"{sid(1)}_2026-11-20.wav"
    assert result.path.read_bytes() == wav
    assert result.size == len(wav) and not result.cached
    assert leftovers(cache.directory) == [result.path.name]
    # Progress: monotonic, ends complete.
    assert [p.done for p in seen] == sorted(p.done for p in seen)
    assert seen[-1].done == seen[-1].total == len(wav) and seen[-1].fraction == 1.0
    assert all(p.total == len(wav) for p in seen)
    # Credentials were sent (by the caller's stream) — the download layer itself adds nothing.
    expected = "Basic " + base64.b64encode(f"{ACCOUNT}:token".encode()).decode()
    assert media_server.auth[media_server.media_path(sid(1))] == [expected]


async def test_rate_and_eta_come_from_the_clock(media_server, http, cache, wav):
    url = media_server.add("/r.wav", Reply(wav))
    ticks = iter(range(1000))
    seen: list[Progress] = []
    await download(opener_for(http, url), cache.path_for(sid(1)), progress=seen.append, chunk_size=8192,
                   clock=lambda: float(next(ticks)))
    first = seen[0]  # one tick (1 s) after the start, 8192 bytes in
    assert first.done == 8192 and first.rate == 8192.0
    assert first.eta == pytest.approx((len(wav) - 8192) / 8192.0)
    assert seen[-1].eta == 0.0


async def test_cut_connection_leaves_nothing_and_a_retry_succeeds(media_server, http, cache, wav):
    url = media_server.add("/cut.wav", Reply(wav, cut_after=20_000), Reply(wav))
    dest = cache.path_for(sid(2), DAY)
    with pytest.raises(DownloadError, match="connection closed before the whole file arrived") as info:
        await download(opener_for(http, url), dest, chunk_size=4096)
    assert info.value.retryable
    assert not dest.exists()
    assert leftovers(cache.directory) == []
    result = await download(opener_for(http, url), dest)
    assert dest.read_bytes() == wav and not result.cached
    assert media_server.hits["/cut.wav"] == 2


async def test_content_length_larger_than_the_body_is_detected(media_server, http, cache, wav):
    url = media_server.add("/short.wav", Reply(wav, length=len(wav) + 100))
    dest = cache.path_for(sid(3))
    with pytest.raises(DownloadError, match=f"of {len(wav) + 100} bytes"):
        await download(opener_for(http, url), dest)
    assert leftovers(cache.directory) == []


async def test_truncated_wav_without_content_length_is_detected(media_server, http, cache, wav):
    # No Content-Length: the body ends when the connection closes, so only the WAV header can tell.
    url = media_server.add("/trunc.wav", Reply(wav[:30_000], length="omit"))
    dest = cache.path_for(sid(4))
    with pytest.raises(DownloadError, match="broken WAV file .*truncated"):
        await download(opener_for(http, url), dest)
    assert leftovers(cache.directory) == []


async def test_not_a_wav_is_detected(media_server, http, cache):
    url = media_server.add("/html.wav", Reply(b"<html>login page</html>", content_type="text/html"))
    with pytest.raises(DownloadError, match="broken WAV file .*no RIFF/WAVE header"):
        await download(opener_for(http, url), cache.path_for(sid(4)))
    assert leftovers(cache.directory) == []


async def test_an_html_page_is_not_taken_for_an_mp3(media_server, http, cache):
    url = media_server.add("/r.mp3", Reply(b"<!doctype html><p>Service unavailable</p>", content_type="text/html"))
    with pytest.raises(DownloadError, match="broken MP3 file .*no ID3 tag or MPEG frame"):
        await download(opener_for(http, url), cache.path_for(sid(5), DAY, "mp3"))
    assert leftovers(cache.directory) == []


async def test_mp3_is_stored_as_sent(media_server, http, cache):
    body = b"ID3" + bytes(range(256)) * 50
    url = media_server.add("/r.mp3", Reply(body, content_type="audio/mpeg"))
    result = await download(opener_for(http, url), cache.path_for(sid(5), DAY, "mp3"))
    assert result.path.name.endswith(".mp3") and result.path.read_bytes() == body


@pytest.mark.parametrize("status,retryable", [(404, False), (401, False), (503, True)])
async def test_http_errors(media_server, http, cache, status, retryable):
    url = media_server.add("/err.wav", Reply(b'{"message": "nope"}', status=status))
    with pytest.raises(DownloadError, match=f"HTTP {status}") as info:
        await download(opener_for(http, url), cache.path_for(sid(6)))
    assert info.value.retryable is retryable
    assert leftovers(cache.directory) == []


async def test_complete_cached_file_is_reused_without_a_request(media_server, http, cache, wav):
    path = media_server.media_path(sid(7))
    url = media_server.add(path, Reply(wav))
    dest = cache.path_for(sid(7), DAY)
    first = await download(opener_for(http, url), dest)
    second = await download(opener_for(http, url), dest)
    assert not first.cached and second.cached and second.size == len(wav)
    assert media_server.hits[path] == 1
    # reuse=False forces a fresh transfer.
    await download(opener_for(http, url), dest, reuse=False)
    assert media_server.hits[path] == 2


async def test_a_partial_file_is_not_taken_for_a_cached_one(media_server, http, cache, wav):
    url = media_server.add("/p.wav", Reply(wav))
    dest = cache.path_for(sid(8))
    cache.ensure()
    (cache.directory / f".{dest.name}.part-deadbeef").write_bytes(wav[:100])
    result = await download(opener_for(http, url), dest)
    assert not result.cached and dest.read_bytes() == wav


async def test_cancellation_mid_download_leaves_nothing(media_server, http, cache, wav):
    reply = Reply(wav, hold_after=8192)
    url = media_server.add("/slow.wav", reply)
    dest = cache.path_for(sid(9), DAY)
    started = asyncio.Event()

    def on_progress(p: Progress) -> None:
        started.set()

    task = asyncio.create_task(download(opener_for(http, url), dest, progress=on_progress, chunk_size=1024))
    await started.wait()
    assert any(".part-" in name for name in leftovers(cache.directory))  # it really was mid-transfer
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    reply.release.set()
    assert leftovers(cache.directory) == []


async def test_disk_full_is_a_clear_error_and_leaves_nothing(media_server, http, cache, wav):
    url = media_server.add("/big.wav", Reply(wav))
    dest = cache.path_for(sid(10), DAY)
    with pytest.raises(DiskFullError, match=f"disk full while saving {dest.name}") as info:
        await download(opener_for(http, url), dest, opener=full_disk_after(10_000), chunk_size=4096)
    assert not info.value.retryable
    assert leftovers(cache.directory) == []


async def test_crafted_sids_never_reach_the_file_system(tmp_path, cache):
    for bad in ("../../etc/passwd", "RE" + "0" * 32 + "/../../x", "RE" + "0" * 32 + "\x00"):
        with pytest.raises(InvalidSidError):
            cache.path_for(bad)
        with pytest.raises(InvalidSidError):
            await save_as(lambda: None, tmp_path, bad)
    assert leftovers(tmp_path) == []


async def test_save_as_copies_the_cached_file_without_a_request(media_server, http, cache, wav, tmp_path):
    path = media_server.media_path(sid(11))
    url = media_server.add(path, Reply(wav))
    await download(opener_for(http, url), cache.path_for(sid(11), DAY))
    target = tmp_path / "Music"
    target.mkdir()
    result = await save_as(opener_for(http, url), target, sid(11), DAY, cache=cache)
    assert result.path == target / f"{sid(11)}_2026-11-20.wav"
    assert result.path.read_bytes() == wav
    assert media_server.hits[path] == 1
    assert leftovers(target) == [result.path.name]


async def test_save_as_downloads_when_not_cached_and_keeps_existing_files(media_server, http, cache, wav, tmp_path):
    path = media_server.media_path(sid(12))
    url = media_server.add(path, Reply(wav))
    result = await save_as(opener_for(http, url), tmp_path, sid(12), DAY, cache=cache)
    assert result.path.read_bytes() == wav and not result.cached
    again = await save_as(opener_for(http, url), tmp_path, sid(12), DAY, cache=cache)
    assert again.cached and media_server.hits[path] == 1
    await save_as(opener_for(http, url), tmp_path, sid(12), DAY, cache=cache, overwrite=True)
    assert media_server.hits[path] == 2
    assert leftovers(tmp_path) == [result.path.name]


async def test_save_as_to_a_missing_directory(tmp_path):
    with pytest.raises(MediaError, match="not an existing directory"):
        await save_as(lambda: None, tmp_path / "nope", sid(1))


async def test_save_as_disk_full_leaves_nothing(media_server, http, cache, wav, tmp_path):
    url = media_server.add("/x.wav", Reply(wav))
    await download(opener_for(http, url), cache.path_for(sid(13)))
    target = tmp_path / "usb"
    target.mkdir()
    with pytest.raises(DiskFullError, match="disk full"):
        await save_as(opener_for(http, url), target, sid(13), cache=cache, opener=full_disk_after(1000))
    assert leftovers(target) == []


async def test_works_with_the_api_clients_media_stream(media_server, cache, wav):
    """The real client's ``media_stream`` has the shape ``download`` expects (errors included)."""
    api = pytest.importorskip("rec_tui.api.client")
    providers = pytest.importorskip("rec_tui.api.providers")
    media_server.add(media_server.media_path(sid(14)), Reply(wav))
    async with api.RecordingsClient(providers.custom_endpoint(media_server.base_url), ACCOUNT, ACCOUNT, "token") as client:
        result = await download(lambda: client.media_stream(sid(14), "wav"), cache.path_for(sid(14)))
        assert result.path.read_bytes() == wav
        with pytest.raises(DownloadError, match="HTTP 404"):
            await download(lambda: client.media_stream(sid(15), "wav"), cache.path_for(sid(15)))
    assert leftovers(cache.directory) == [result.path.name]
