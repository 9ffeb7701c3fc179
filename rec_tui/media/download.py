"""Streaming a recording's media to disk: constant memory, atomic, checked, cancellable.

The HTTP side is not ours: callers pass ``open_stream``, a zero-argument callable returning an async
context manager that yields an ``httpx.Response`` opened with ``stream=True`` — the API client's
``media_stream(sid, fmt, channels)`` has exactly that shape (and handles credentials), and in tests
``lambda: http.stream("GET", url)`` does too.

Every transfer writes to a hidden temporary file in the target directory, fsyncs it, checks it
(status, Content-Length, WAV structure) and only then renames it over the final name with
``os.replace``; whatever goes wrong — a failure, a cancellation, a full disk — the temporary file is
removed and nothing appears under the final name.

A download's writes and syncs run in a thread of its own (:class:`_WriterThread`), fed through a
bounded queue: the event loop only hands bytes over, and the file is ``fdatasync``-ed every
``SYNC_BYTES`` on the way, so the closing ``fsync`` has little left to flush.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import os
import secrets
import shutil
import threading
import time
from collections import deque
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import BinaryIO, Callable, Iterable, Sequence

import httpx

from .errors import DecodeError, DiskFullError, DownloadError, MediaError
from .paths import PART_MARKER, MediaCache, check_format, media_filename
from .wav import read_wav_info

log = logging.getLogger(__name__)

OpenStream = Callable[[], AbstractAsyncContextManager[httpx.Response]]
#: Opens the temporary file for writing; injectable so tests can simulate a full disk.
FileOpener = Callable[[Path], BinaryIO]

CHUNK_SIZE = 64 * 1024
#: The event loop hands a download's chunks to its writer thread this many bytes at a time.
BATCH_BYTES = 1024 * 1024
#: Bytes a download may have queued for its writer thread before the event loop waits (memory bound).
QUEUE_BYTES = 8 * 1024 * 1024
#: The writer thread fdatasyncs every this many bytes: a 60-minute WAV's single closing fsync
#: took ~130 ms, this way the page cache is flushed while the rest still arrives.
SYNC_BYTES = 8 * 1024 * 1024
_DISK_FULL = {errno.ENOSPC, errno.EDQUOT}


@dataclass(frozen=True)
class Progress:
    """One file's transfer so far. ``total`` is None when the server sent no Content-Length."""

    done: int
    total: int | None
    rate: float  # bytes per second since the transfer started
    eta: float | None  # seconds left, None when unknown

    @property
    def fraction(self) -> float | None:
        return min(1.0, self.done / self.total) if self.total else None


@dataclass(frozen=True)
class DownloadResult:
    path: Path
    size: int
    #: True when the file was already complete and no request was made.
    cached: bool = False


def exclusive_open(path: Path) -> BinaryIO:
    """Create ``path`` for writing, failing if it exists; owner-only, like the cache directory."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600)
    return os.fdopen(fd, "wb")


def _fsync_dir(directory: Path) -> None:
    # Makes the rename itself durable; not possible everywhere (e.g. Windows), hence best effort.
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _os_error(exc: OSError, dest: Path) -> DownloadError:
    if exc.errno in _DISK_FULL:
        return DiskFullError(f"disk full while saving {dest.name} to {dest.parent}; nothing was kept")
    return DownloadError(f"cannot write {dest}: {exc.strerror or exc}", retryable=False)


class _AtomicFile:
    """A temporary file beside ``dest`` that either becomes ``dest`` (``commit``) or vanishes."""

    def __init__(self, dest: Path, opener: FileOpener) -> None:
        self.dest = dest
        self.tmp = dest.parent / f".{dest.name}{PART_MARKER}{secrets.token_hex(6)}"
        self.file = opener(self.tmp)
        self.committed = False

    def sync(self) -> None:
        self.file.flush()
        os.fsync(self.file.fileno())

    def commit(self, fmt: str | None, *, synced: bool = False) -> int:
        """Make the file durable (unless ``synced`` already), check it is a ``fmt`` file (None: no
        check), rename it into place."""
        if not synced:
            self.sync()
        self.file.close()
        size = os.path.getsize(self.tmp)
        if fmt is not None:
            with open(self.tmp, "rb") as check:
                try:
                    _check_content(check, size, fmt)
                except DecodeError as exc:
                    raise DownloadError(
                        f"{self.dest.name}: the server sent a broken {fmt.upper()} file ({exc})", retryable=True
                    ) from exc
        os.replace(self.tmp, self.dest)
        self.committed = True
        _fsync_dir(self.dest.parent)
        return size

    def discard(self) -> None:
        with contextlib.suppress(OSError):
            self.file.close()
        if not self.committed:
            with contextlib.suppress(OSError):
                os.unlink(self.tmp)


def _datasync(fd: int) -> None:
    # fdatasync skips the metadata fsync would add; not on every system (e.g. macOS).
    getattr(os, "fdatasync", os.fsync)(fd)


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


class _WriterThread:
    """Writes one :class:`_AtomicFile` in a thread, off the event loop, and syncs it as it goes.

    The loop hands chunks over with ``put``, gathered into batches of ``BATCH_BYTES`` (one lock and
    one wake-up per batch, not per chunk), and waits while ``QUEUE_BYTES`` are queued; ``finish``
    waits until everything is written and fsynced. An error in the thread (ENOSPC, EIO from a sync)
    is raised by the next hand-over or by ``finish``. ``stop`` makes the thread drop what is queued
    and waits for it to let go of the file; the caller then discards the file.
    """

    def __init__(self, out: _AtomicFile, loop: asyncio.AbstractEventLoop) -> None:
        self._out = out
        self._loop = loop
        self._batch: list[bytes] = []
        self._batch_bytes = 0
        self._lock = threading.Condition()
        self._batches: deque[list[bytes]] = deque()
        self._queued = 0
        self._closing = False  # no more batches: write the rest, fsync, exit
        self._abort = False  # exit now, write nothing more
        self._error: BaseException | None = None
        self._space: asyncio.Future[None] | None = None  # the loop waiting for the queue to drain
        self._exited: asyncio.Future[None] = loop.create_future()
        self._thread = threading.Thread(target=self._run, name=f"write {out.tmp.name}", daemon=True)
        self._thread.start()

    async def put(self, chunk: bytes) -> None:
        self._batch.append(chunk)
        self._batch_bytes += len(chunk)
        if self._batch_bytes >= BATCH_BYTES:
            await self._hand_over()

    async def _hand_over(self) -> None:
        with self._lock:
            self._raise_error()
            if self._batch:
                self._batches.append(self._batch)
                self._queued += self._batch_bytes
                self._batch, self._batch_bytes = [], 0
                self._lock.notify()
            if self._queued <= QUEUE_BYTES:
                return
            self._space = space = self._loop.create_future()
        await space
        with self._lock:
            self._raise_error()

    async def finish(self) -> None:
        await self._hand_over()
        with self._lock:
            self._closing = True
            self._lock.notify()
        await self._join()
        self._raise_error()

    def abort(self) -> None:
        """Tell the thread to write nothing more (it finishes the write in progress)."""
        with self._lock:
            self._abort = True
            self._batches.clear()
            self._lock.notify()

    async def stop(self) -> None:
        self.abort()
        await self._join()

    async def _join(self) -> None:
        # Shielded: a cancellation of ``finish`` must not lose the signal ``stop`` then awaits.
        await asyncio.shield(self._exited)
        self._thread.join()  # it has signalled from its last lines: at once

    def _raise_error(self) -> None:
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def _signal(self, future: asyncio.Future[None]) -> None:
        # The loop may be gone already (a download abandoned at interpreter exit).
        with contextlib.suppress(RuntimeError):
            self._loop.call_soon_threadsafe(_resolve, future)

    def _run(self) -> None:
        file = self._out.file
        unsynced = 0
        try:
            while True:
                with self._lock:
                    while not (self._batches or self._closing or self._abort):
                        self._lock.wait()
                    if self._abort:
                        return
                    if not self._batches:  # closing, all written
                        break
                    batch = self._batches.popleft()
                size = 0
                for chunk in batch:
                    if self._abort:  # cancelled: not another byte
                        return
                    file.write(chunk)
                    size += len(chunk)
                del batch
                with self._lock:
                    self._queued -= size
                    if self._space is not None and self._queued <= QUEUE_BYTES // 2:
                        self._signal(self._space)
                        self._space = None
                unsynced += size
                if unsynced >= SYNC_BYTES:
                    file.flush()
                    _datasync(file.fileno())
                    unsynced = 0
            self._out.sync()
        except BaseException as exc:  # carried to the loop: raised by the next hand-over or finish()
            with self._lock:
                self._error = exc
                self._batches.clear()
        finally:
            with self._lock:
                if self._space is not None:
                    self._signal(self._space)
                    self._space = None
            self._signal(self._exited)


def _check_content(file: BinaryIO, size: int, fmt: str) -> None:
    """WAV: the whole chunk structure must match the size. MP3: it must at least start like one
    (an ID3 tag or a frame sync), which catches an HTML error page sent with status 200."""
    if fmt == "wav":
        read_wav_info(file, size)
        return
    head = file.read(3)
    if not (head == b"ID3" or (len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0)):
        raise DecodeError("no ID3 tag or MPEG frame at the start")


def _content_length(response: httpx.Response) -> int | None:
    value = response.headers.get("Content-Length")
    if value is None:
        return None
    value = value.strip()
    if not (value.isascii() and value.isdigit()):
        raise DownloadError(f"the server sent an invalid Content-Length: {value[:40]!r}")
    return int(value)


def _check_response(response: httpx.Response, dest: Path) -> None:
    status = response.status_code
    if status != 200:
        retryable = status >= 500 or status in (408, 429)
        raise DownloadError(
            f"the server answered HTTP {status} {response.reason_phrase} for {dest.name}", retryable=retryable
        )


def _infer_format(dest: Path, fmt: str | None) -> str:
    if fmt is None:
        fmt = dest.suffix.lstrip(".").lower()
    return check_format(fmt)


def _failure_message(exc: BaseException, dest: Path, done: int, total: int | None) -> DownloadError:
    where = f" after {done} of {total} bytes" if total is not None else (f" after {done} bytes" if done else "")
    if isinstance(exc, httpx.RemoteProtocolError):
        text = "the connection closed before the whole file arrived"
    elif isinstance(exc, httpx.TimeoutException):
        text = "the transfer timed out"
    elif isinstance(exc, httpx.TransportError):
        text = f"the connection failed ({type(exc).__name__})"
    else:
        # e.g. the API client's ApiError/NetworkError: their text is already meant for users.
        text = str(exc) or type(exc).__name__
    status = getattr(exc, "status", None)
    retryable = not (isinstance(status, int) and 400 <= status < 500 and status not in (408, 429))
    return DownloadError(f"downloading {dest.name} failed{where}: {text}", retryable=retryable)


async def download(
    open_stream: OpenStream,
    dest: Path | str,
    *,
    fmt: str | None = None,
    progress: Callable[[Progress], None] | None = None,
    reuse: bool = True,
    chunk_size: int = CHUNK_SIZE,
    opener: FileOpener = exclusive_open,
    clock: Callable[[], float] = time.monotonic,
) -> DownloadResult:
    """Stream one recording's media to ``dest`` atomically.

    ``fmt`` ("wav"/"mp3") defaults to ``dest``'s suffix; WAV files are checked structurally. With
    ``reuse`` an existing ``dest`` (complete by construction) is returned without a request.
    Raises :class:`DownloadError` (:class:`DiskFullError` for ENOSPC); on any failure or
    cancellation nothing is left under ``dest`` and the temporary file is gone.
    """
    dest = Path(dest)
    fmt = _infer_format(dest, fmt)
    if reuse and dest.is_file():
        return DownloadResult(dest, dest.stat().st_size, cached=True)
    try:
        dest.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise _os_error(exc, dest) from exc

    out: _AtomicFile | None = None
    writer: _WriterThread | None = None
    done, total = 0, None
    try:
        async with open_stream() as response:
            _check_response(response, dest)
            total = _content_length(response)
            out = _AtomicFile(dest, opener)
            writer = _WriterThread(out, asyncio.get_running_loop())
            start = clock()
            try:
                async for chunk in response.aiter_bytes(chunk_size):
                    await writer.put(chunk)
                    done += len(chunk)
                    if progress is not None:
                        progress(_progress(done, total, start, clock()))
            except BaseException:
                writer.abort()  # now, not after the response has been closed
                raise
            # Raw bytes off the wire: what Content-Length counts, even with a Content-Encoding.
            received = response.num_bytes_downloaded
        if total is not None and received != total:
            raise DownloadError(f"{dest.name}: received {received} bytes but Content-Length said {total}")
        await writer.finish()
        size = out.commit(fmt, synced=True)
        if progress is not None:
            progress(Progress(done, total if total is not None else done, _rate(done, start, clock()), 0.0))
        return DownloadResult(dest, size)
    except OSError as exc:
        raise _os_error(exc, dest) from exc
    except MediaError:
        raise
    except Exception as exc:
        raise _failure_message(exc, dest, done, total) from exc
    finally:
        # Also runs on asyncio.CancelledError, which the except clauses above let through.
        try:
            if writer is not None:
                await writer.stop()  # at once when it has exited already
        finally:
            # Even if a second cancellation cut the wait short: closing the file ends the
            # thread's next write, and the name is gone either way.
            if out is not None:
                out.discard()


def _rate(done: int, start: float, now: float) -> float:
    elapsed = now - start
    return done / elapsed if elapsed > 0 else 0.0


def _progress(done: int, total: int | None, start: float, now: float) -> Progress:
    rate = _rate(done, start, now)
    eta = (max(total - done, 0) / rate) if (total is not None and rate > 0) else None
    return Progress(done, total, rate, eta)


def copy_atomic(source: Path | str, dest: Path | str, *, opener: FileOpener = exclusive_open) -> DownloadResult:
    """Copy a complete file to ``dest`` with the same temp-fsync-rename discipline (for "save as")."""
    source, dest = Path(source), Path(dest)
    out: _AtomicFile | None = None
    try:
        out = _AtomicFile(dest, opener)
        with open(source, "rb") as src:
            shutil.copyfileobj(src, out.file, CHUNK_SIZE)
        # Already validated when it entered the cache: no second WAV walk.
        size = out.commit(None)
        return DownloadResult(dest, size)
    except OSError as exc:
        raise _os_error(exc, dest) from exc
    finally:
        if out is not None:
            out.discard()


async def save_as(
    open_stream: OpenStream,
    directory: Path | str,
    recording_sid: str,
    day: date | datetime | None = None,
    fmt: str = "wav",
    channels: int | None = None,
    *,
    cache: MediaCache | None = None,
    overwrite: bool = False,
    progress: Callable[[Progress], None] | None = None,
    opener: FileOpener = exclusive_open,
) -> DownloadResult:
    """Save a recording into a directory the user chose, under the same safe file name.

    A complete copy in ``cache`` is copied (no request); otherwise the media is downloaded straight
    into ``directory``. An existing file of that name is kept (``cached=True``) unless ``overwrite``.
    """
    directory = Path(directory).expanduser()
    if not directory.is_dir():
        raise MediaError(f"cannot save to {directory}: not an existing directory")
    name = media_filename(recording_sid, day, fmt, channels)
    dest = directory / name
    if not overwrite and dest.is_file():
        return DownloadResult(dest, dest.stat().st_size, cached=True)
    source = cache.cached(recording_sid, day, fmt, channels) if cache is not None else None
    if source is not None and source.resolve() != dest.resolve():
        # A thread: a long recording is tens of MB and the UI's event loop must not stall.
        return await asyncio.to_thread(copy_atomic, source, dest, opener=opener)
    return await download(open_stream, dest, fmt=fmt, progress=progress, reuse=False, opener=opener)


# -- many files ------------------------------------------------------------------------------------


class FileState(str, Enum):
    QUEUED = "queued"
    DOWNLOADING = "downloading"
    DONE = "done"
    CACHED = "cached"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def finished(self) -> bool:
        return self not in (FileState.QUEUED, FileState.DOWNLOADING)


@dataclass(frozen=True)
class DownloadItem:
    """One file of a bulk download.

    Typically ``DownloadItem(r.sid, cache.path_for(r.sid, r.date_created, "wav"),
    lambda r=r: client.media_stream(r.sid, "wav"))``.
    """

    sid: str
    dest: Path
    open_stream: OpenStream


@dataclass
class FileStatus:
    """Live state of one item; the same object is updated in place as the download moves on."""

    index: int
    sid: str
    dest: Path
    state: FileState = FileState.QUEUED
    done: int = 0
    total: int | None = None
    rate: float = 0.0
    reason: str | None = None
    error: BaseException | None = field(default=None, repr=False)


@dataclass(frozen=True)
class BulkProgress:
    files_total: int
    files_finished: int
    files_ok: int  # done + cached
    files_failed: int
    files_cancelled: int
    bytes_done: int
    #: Sum of the sizes known so far (a file's size is known once its response has started).
    bytes_known: int
    rate: float
    #: Rough: files not started yet are assumed to be as large as the average known one.
    eta: float | None


@dataclass(frozen=True)
class BulkResult:
    completed: list[DownloadResult]
    failures: list[FileStatus]
    cancelled: list[FileStatus]

    @property
    def ok(self) -> bool:
        return not self.failures and not self.cancelled


Listener = Callable[["BulkDownload", "FileStatus | None"], None]


class BulkDownload:
    """Download many recordings with a concurrency limit; observable, cancellable as a whole.

    Poll ``statuses`` / ``progress()``, or ``subscribe(callback)``: the callback gets
    ``(bulk, status)`` after every change of one file (``status`` None for whole-run changes).
    Callbacks run on the event loop; an exception in one is logged, not raised into the downloads.
    Failures do not stop the others; they are collected in the :class:`BulkResult`.
    """

    def __init__(
        self,
        items: Iterable[DownloadItem],
        concurrency: int = 4,
        *,
        reuse: bool = True,
        chunk_size: int = CHUNK_SIZE,
        opener: FileOpener = exclusive_open,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self.items: list[DownloadItem] = list(items)
        self.concurrency = concurrency
        self.statuses: list[FileStatus] = [FileStatus(i, it.sid, Path(it.dest)) for i, it in enumerate(self.items)]
        self._reuse = reuse
        self._chunk_size = chunk_size
        self._opener = opener
        self._clock = clock
        self._listeners: list[Listener] = []
        self._tasks: dict[int, asyncio.Task[None]] = {}
        self._results: dict[int, DownloadResult] = {}
        self._cancelled = False
        self._started: float | None = None
        self._finished = asyncio.Event()
        self.running = False

    # -- observation ---------------------------------------------------------------------------

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Register ``listener``; returns a function that unregisters it."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def _notify(self, status: FileStatus | None) -> None:
        for listener in list(self._listeners):
            try:
                listener(self, status)
            except Exception:
                log.exception("bulk download listener failed")

    def progress(self) -> BulkProgress:
        states = [s.state for s in self.statuses]
        done = sum(s.done for s in self.statuses)
        known = [s.total for s in self.statuses if s.total is not None]
        bytes_known = sum(known)
        elapsed = (self._clock() - self._started) if self._started is not None else 0.0
        rate = done / elapsed if elapsed > 0 else 0.0
        eta: float | None = None
        pending_unknown = sum(1 for s in self.statuses if s.total is None and not s.state.finished)
        if rate > 0 and known:
            remaining = sum(max(s.total - s.done, 0) for s in self.statuses if s.total is not None and not s.state.finished)
            remaining += pending_unknown * (bytes_known / len(known))
            eta = remaining / rate
        return BulkProgress(
            files_total=len(states),
            files_finished=sum(st.finished for st in states),
            files_ok=sum(st in (FileState.DONE, FileState.CACHED) for st in states),
            files_failed=states.count(FileState.FAILED),
            files_cancelled=states.count(FileState.CANCELLED),
            bytes_done=done,
            bytes_known=bytes_known,
            rate=rate,
            eta=eta,
        )

    async def wait_finished(self) -> None:
        """Returns once ``run`` has finished (for a second observer)."""
        await self._finished.wait()

    # -- control -------------------------------------------------------------------------------

    def cancel(self) -> None:
        """Cancel everything still queued or running; completed files are kept."""
        self._cancelled = True
        for index in range(len(self.statuses)):
            self.cancel_item(index)

    def cancel_item(self, index: int) -> None:
        """Cancel one file (queued or running); the others go on."""
        status = self.statuses[index]
        if status.state is FileState.QUEUED:
            # Shown at once: a task cancelled before its first step never runs its handler.
            self._set(status, FileState.CANCELLED, "cancelled")
        task = self._tasks.get(index)
        if task is not None:
            task.cancel()

    def _set(self, status: FileStatus, state: FileState, reason: str | None = None) -> None:
        status.state = state
        status.reason = reason
        self._notify(status)

    async def run(self) -> BulkResult:
        """Run all downloads; returns when every file is done, cached, failed or cancelled.

        Cancelling the task running this cancels the downloads (cleaning up their temporary
        files) before the cancellation propagates.
        """
        if self.running or self._finished.is_set():
            raise RuntimeError("a BulkDownload runs once")
        self.running = True
        self._started = self._clock()
        semaphore = asyncio.Semaphore(self.concurrency)
        self._tasks = {
            st.index: asyncio.create_task(self._one(st, it, semaphore))
            for st, it in zip(self.statuses, self.items)
            if st.state is FileState.QUEUED  # not cancelled before run()
        }
        try:
            if self._tasks:
                await asyncio.wait(self._tasks.values())
        except asyncio.CancelledError:
            self._cancelled = True
            for task in self._tasks.values():
                task.cancel()
            # Let each download remove its temporary file before we go.
            await asyncio.wait(self._tasks.values())
            raise
        finally:
            for status in self.statuses:
                if not status.state.finished:
                    self._set(status, FileState.CANCELLED, "cancelled")
            self.running = False
            self._finished.set()
            self._notify(None)
        return self.result()

    def result(self) -> BulkResult:
        return BulkResult(
            completed=[self._results[i] for i in sorted(self._results)],
            failures=[s for s in self.statuses if s.state is FileState.FAILED],
            cancelled=[s for s in self.statuses if s.state is FileState.CANCELLED],
        )

    async def _one(self, status: FileStatus, item: DownloadItem, semaphore: asyncio.Semaphore) -> None:
        def on_progress(p: Progress) -> None:
            status.done, status.total, status.rate = p.done, p.total, p.rate
            self._notify(status)

        try:
            async with semaphore:
                self._set(status, FileState.DOWNLOADING)
                result = await download(
                    item.open_stream,
                    item.dest,
                    progress=on_progress,
                    reuse=self._reuse,
                    chunk_size=self._chunk_size,
                    opener=self._opener,
                    clock=self._clock,
                )
        except asyncio.CancelledError:
            # Our own task, cancelled by cancel()/cancel_item()/run() being cancelled: a state,
            # not an error. run() re-raises its own cancellation itself.
            status.done = 0
            self._set(status, FileState.CANCELLED, "cancelled")
            return
        except MediaError as exc:
            status.error = exc
            self._set(status, FileState.FAILED, str(exc))
            return
        except Exception as exc:  # a bug or an unexpected client error: report it, keep going
            log.exception("unexpected failure downloading %s", item.sid)
            status.error = exc
            self._set(status, FileState.FAILED, f"{type(exc).__name__}: {exc}")
            return
        self._results[status.index] = result
        status.done = status.total = result.size
        self._set(status, FileState.CACHED if result.cached else FileState.DONE)


async def download_many(
    items: Sequence[DownloadItem],
    concurrency: int = 4,
    *,
    listener: Listener | None = None,
    reuse: bool = True,
    opener: FileOpener = exclusive_open,
) -> BulkResult:
    """Convenience: run a :class:`BulkDownload` to the end and return its result."""
    bulk = BulkDownload(items, concurrency, reuse=reuse, opener=opener)
    if listener is not None:
        bulk.subscribe(listener)
    return await bulk.run()
