"""The download's writer thread: failures in it (a full disk, a failed sync) fail the download with
the usual errors and leave nothing behind; cancelling while it writes leaves nothing either."""

from __future__ import annotations

import asyncio
import errno
import importlib
import io
import os
import threading
from pathlib import Path

import pytest

from rec_tui.media.download import Progress, download, exclusive_open
from rec_tui.media.errors import DiskFullError, DownloadError

from .conftest import Reply, full_disk_after, leftovers, noise, opener_for, pcm_of, wav_bytes

# The module, not the ``download`` function the package exports under the same name.
download_module = importlib.import_module("rec_tui.media.download")

DEST = "RE" + "0" * 31 + "1.wav"
MiB = 1024 * 1024

# A writer thread that lost an error would leave the download waiting: fail, don't hang for long.
pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def small_batches(monkeypatch):
    """Hand-overs, the queue bound and the periodic sync at sizes a test body crosses many times."""
    monkeypatch.setattr(download_module, "BATCH_BYTES", 64 * 1024)
    monkeypatch.setattr(download_module, "QUEUE_BYTES", 256 * 1024)
    monkeypatch.setattr(download_module, "SYNC_BYTES", 128 * 1024)


def writer_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("write ") and t.is_alive()]


def body(size: int) -> bytes:
    # Only the failure paths read this, and they fail before the WAV check: any bytes will do.
    return bytes(range(256)) * (size // 256)


async def test_disk_full_mid_download_fails_before_the_rest_arrives(media_server, http, tmp_path, small_batches):
    # The server holds back everything after 4 MiB; the disk fills after 100 kB. The loop cannot get
    # more than the queue bound ahead of the writer, so the error must reach it while the server
    # still holds: the download fails mid-transfer, not only once the whole body has come in.
    reply = Reply(body(6 * MiB), hold_after=4 * MiB)
    url = media_server.add("/big.wav", reply)
    dest = tmp_path / DEST
    seen: list[Progress] = []
    with pytest.raises(DiskFullError, match=f"disk full while saving {dest.name}") as info:
        await download(opener_for(http, url), dest, progress=seen.append,
                       opener=full_disk_after(100_000))
    assert seen and seen[-1].done <= 4 * MiB
    assert not info.value.retryable
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize(
    ("code", "error", "message"),
    [
        (errno.EIO, DownloadError, f"cannot write .*{DEST}: Input/output error"),
        (errno.ENOSPC, DiskFullError, f"disk full while saving {DEST}"),
    ],
)
async def test_a_failed_periodic_sync_fails_the_download(media_server, http, tmp_path, small_batches, monkeypatch,
                                                         code, error, message):
    syncs = []

    def failing_fdatasync(fd: int) -> None:
        syncs.append(fd)
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "fdatasync", failing_fdatasync)
    url = media_server.add("/r.wav", Reply(body(1 * MiB)))
    dest = tmp_path / DEST
    with pytest.raises(error, match=message) as info:
        await download(opener_for(http, url), dest)
    assert type(info.value) is error
    assert syncs  # it failed where we said, in a sync on the way, not somewhere else
    assert leftovers(tmp_path) == []


async def test_a_failed_final_fsync_fails_the_download(media_server, http, tmp_path, monkeypatch):
    wav = wav_bytes(pcm_of(noise(1.0, seed=5)))  # complete and valid: only the fsync fails

    def failing_fsync(fd: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "fsync", failing_fsync)
    url = media_server.add("/r.wav", Reply(wav))
    dest = tmp_path / DEST
    with pytest.raises(DownloadError, match="Input/output error") as info:
        await download(opener_for(http, url), dest)
    assert not isinstance(info.value, DiskFullError)
    assert leftovers(tmp_path) == []


class StalledWrite(io.BufferedWriter):
    """A file whose second write blocks until ``proceed`` is set (a slow disk, mid-write)."""

    def __init__(self, raw) -> None:
        super().__init__(raw)
        self.writes = 0
        self.writing = threading.Event()
        self.proceed = threading.Event()

    def write(self, data) -> int:
        self.writes += 1
        if self.writes == 2:
            self.writing.set()
            self.proceed.wait(10)
        return super().write(data)


async def test_cancelling_while_the_thread_writes_leaves_nothing(media_server, http, tmp_path, small_batches):
    reply = Reply(body(2 * MiB), hold_after=1 * MiB)
    url = media_server.add("/slow.wav", reply)
    dest = tmp_path / DEST
    file = None
    opened = asyncio.Event()

    def opener(path: Path) -> StalledWrite:
        nonlocal file
        file = StalledWrite(exclusive_open(path).detach())
        opened.set()
        return file

    task = asyncio.create_task(download(opener_for(http, url), dest, opener=opener))
    await opened.wait()
    loop = asyncio.get_running_loop()
    assert await loop.run_in_executor(None, lambda: file.writing.wait(10))
    assert any(".part-" in name for name in leftovers(tmp_path))  # it really was mid-write
    task.cancel()
    loop.call_soon(file.proceed.set)  # the write in progress finishes; the cancellation waits for it
    with pytest.raises(asyncio.CancelledError):
        await task
    assert file.closed
    assert leftovers(tmp_path) == []
    assert writer_threads() == []  # the cancellation waited for the thread to let go of the file


async def test_progress_comes_in_whole_chunks_however_the_socket_delivers(media_server, http, tmp_path):
    wav = wav_bytes(pcm_of(noise(3.0, seed=3)))  # 48 044 bytes
    reply = Reply(wav, hold_after=5001)  # the first read ends mid-chunk
    url = media_server.add("/r.wav", reply)
    seen: list[Progress] = []

    def on_progress(p: Progress) -> None:
        seen.append(p)
        reply.release.set()

    result = await download(opener_for(http, url), tmp_path / DEST, progress=on_progress, chunk_size=4096)
    assert result.path.read_bytes() == wav
    assert writer_threads() == []
    assert [p.done for p in seen] == [*range(4096, len(wav), 4096), len(wav), len(wav)]
