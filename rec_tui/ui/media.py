"""Media in the UI: the app's one :class:`MediaController` (cache, downloads, playback checks) and
the ``d`` / ``s`` / ``o`` keys shared by the screens that show recordings.

A screen gets the keys by adding :data:`MEDIA_BINDINGS` to its ``BINDINGS``, mixing in
:class:`MediaActions` and implementing ``media_recordings()`` (what ``d``/``s`` act on) and
``media_current()`` (what ``o`` plays); ``o`` uses the screen's :class:`PlayerBar`.
``media_controller(app)`` gives the app's controller (made on first use).

Everything slow runs in workers: bulk downloads in an app-level worker (they go on while the
downloads panel is hidden, and stop cleanly when the app exits), the playback probe, cache
look-ups, file copies and decoding in threads. Tests swap ``backend`` (a fake simpleaudio),
``clock`` (positions, rates and ETAs) and ``open_stream`` (a gated transfer) on the controller.

A profile switch (``RecTuiApp.use_connection``) calls :meth:`MediaController.prepare_switch`
first: running downloads are asked about, then cancelled and awaited, and the players stopped,
all before the old account's client closes; the cache follows the account by itself.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Callable, Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.binding import Binding
from textual.worker import Worker, WorkerCancelled, WorkerError, WorkerFailed

from rec_tui.api.models import Recording
from rec_tui.media import (
    BulkDownload,
    BulkResult,
    DownloadItem,
    InvalidSidError,
    MediaCache,
    MediaError,
    PlaybackStatus,
    check_recording_sid,
    ffmpeg_available,
    playback_status,
)
from rec_tui.media.download import OpenStream, copy_atomic
from rec_tui.ui.commands import PaletteCommand
from rec_tui.ui.formatting import literal

if TYPE_CHECKING:
    from rec_tui.media.playback import Backend

log = logging.getLogger("rec_tui.ui")

MEDIA_BINDINGS = [
    Binding("d", "download", "Download", show=False,
            tooltip="the marked recordings, or this one, into the media cache"),
    Binding("s", "save_as", "Save as", show=False,
            tooltip="the marked recordings, or this one, into a directory you pick (WAV or MP3)"),
    Binding("o", "play", "Play", show=False,
            tooltip="play or pause this recording (downloaded first unless cached)"),
]

#: Channels choices of "save as": None = as recorded.
CHANNEL_CHOICES = (None, 1, 2)


# -- human units ------------------------------------------------------------------------------


def format_bytes(count: float | None) -> str:
    """``812 B``, ``64.0 KB``, ``1.2 MB`` (decimal units, as download tools show them)."""
    if count is None:
        return "?"
    for unit in ("B", "KB", "MB", "GB"):
        if abs(count) < 1000 or unit == "GB":
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1000
    return f"{count:.1f} GB"  # pragma: no cover - the loop always returns


def format_rate(rate: float) -> str:
    return f"{format_bytes(rate)}/s" if rate > 0 else "—/s"


def format_clock(seconds: float | None) -> str:
    """``1:05``, ``1:02:03``; ``—`` when unknown."""
    if seconds is None:
        return "—"
    seconds = max(0, int(seconds))
    minutes, secs = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


# -- what can be downloaded ------------------------------------------------------------------------


def media_problem(recording: Recording) -> str | None:
    """Why this recording has no media to fetch, or None when it has."""
    try:
        check_recording_sid(recording.sid)
    except InvalidSidError as exc:
        return str(exc)
    if recording.status is not None and not recording.has_media:  # SignalWire: "stopped" (has_media)
        return f"no media: the recording is {recording.status}"
    if recording.encrypted:
        return "encrypted: the media can only be decrypted with your private key"
    return None


@dataclass
class DownloadJob:
    """One run of ``d`` or ``s``: what the downloads panel shows."""

    bulk: BulkDownload
    recordings: dict[str, Recording]
    #: None: the media cache; else the directory the user picked.
    directory: Path | None
    target_label: str
    fmt: str = "wav"
    channels: int | None = None
    #: Where the files go (the cache's account directory, or ``directory``).
    folder: Path | None = None
    #: (SID, reason) of recordings left out before starting (no media yet, deleted, …).
    skipped: list[tuple[str, str]] = field(default_factory=list)
    #: SIDs of the files copied from the cache into ``directory`` instead of being downloaded again.
    copied: set[str] = field(default_factory=set)
    phase: str = "starting"  # starting, copying, downloading, finished
    cancel_requested: bool = False
    #: Called after every phase change (the panel redraws its title).
    listeners: list[Callable[[], None]] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        # Subscribed before any panel: when the bulk download reports its end, the job is
        # already "finished" for the listeners that follow.
        self.bulk.subscribe(lambda bulk, status: self.set_phase("finished") if status is None else None)

    def set_phase(self, phase: str) -> None:
        self.phase = phase
        for listener in list(self.listeners):
            listener()

    @property
    def running(self) -> bool:
        return self.phase != "finished"

    @property
    def result(self) -> BulkResult | None:
        return self.bulk.result() if self.phase == "finished" else None

    @property
    def title(self) -> str:
        count = len(self.bulk.items)
        what = f"{count} recording" + ("" if count == 1 else "s")
        verb = {"finished": "Downloaded", "copying": "Copying"}.get(self.phase, "Downloading")
        if self.phase == "finished" and self.cancel_requested:
            verb = "Cancelled: downloading"
        return f"{verb} {what} {self.target_label}"

    def cancel(self) -> None:
        """Cancel what is queued or running; finished files stay."""
        self.cancel_requested = True
        self.bulk.cancel()


class MediaController:
    """Per app: the media cache of the connected account, the current download job, playback checks."""

    def __init__(self, app: Any, *, cache_root: Path | str | None = None) -> None:
        self.app = app
        self._cache_root = cache_root
        self._cache: MediaCache | None = None
        #: simpleaudio, or a fake in tests (None: import simpleaudio when needed).
        self.backend: Backend | None = None
        #: Clock of players and downloads (positions, rates, ETAs).
        self.clock: Callable[[], float] = time.monotonic
        self.concurrency = 4
        self.job: DownloadJob | None = None
        #: The app worker running ``job`` (a switch waits for it to stop).
        self._job_worker: Worker[None] | None = None
        self.last_directory: Path | None = None
        self._playback: PlaybackStatus | None = None
        #: The player bar playing now: starting another one stops it.
        self.active_bar: Any = None

    # -- cache and transfers -----------------------------------------------------------------

    @property
    def cache(self) -> MediaCache:
        """The connected account's cache (it follows a profile switch); raises :class:`MediaError`
        for an account SID unfit for a path."""
        account = self.app.connection.account_sid
        if self._cache is None or self._cache.account_sid != account:
            self._cache = MediaCache(account, self._cache_root)
        return self._cache

    def open_stream(self, sid: str, fmt: str = "wav", channels: int | None = None) -> OpenStream:
        """How to fetch one file: the app's client (credentials stay on the API's origin)."""
        client = self.app.client
        return lambda: client.media_stream(sid, fmt, channels)

    def cache_path(self, recording: Recording, fmt: str = "wav", channels: int | None = None) -> Path:
        return self.cache.path_for(recording.sid, recording.date_created, fmt, channels)

    def playable_file(self, recording: Recording) -> Path | None:
        """A cached file to play (blocking: call it in a thread): the WAV, else an MP3 if ffmpeg
        can decode it."""
        wav = self.cache.cached(recording.sid, recording.date_created, "wav")
        if wav is not None:
            return wav
        mp3 = self.cache.cached(recording.sid, recording.date_created, "mp3")
        if mp3 is not None and ffmpeg_available():
            return mp3
        return None

    # -- playback -------------------------------------------------------------------------------

    async def playback(self) -> PlaybackStatus:
        """Can this machine play audio? Probed in a thread; a "no" is probed again next time (the
        user may have fixed the set-up meanwhile)."""
        if self._playback is None or not self._playback.available:
            backend = self.backend
            again = self._playback is not None
            self._playback = await asyncio.to_thread(playback_status, backend=backend, refresh=again)
        return self._playback

    def claim_playback(self, bar: Any) -> None:
        """``bar`` starts playing: any other bar stops."""
        previous, self.active_bar = self.active_bar, bar
        if previous is not None and previous is not bar:
            previous.stop_playback()

    def release_playback(self, bar: Any) -> None:
        if self.active_bar is bar:
            self.active_bar = None

    # -- downloads ------------------------------------------------------------------------------

    def download(self, recordings: Sequence[Recording], *, directory: Path | None = None,
                 fmt: str = "wav", channels: int | None = None) -> DownloadJob | None:
        """Start downloading ``recordings`` (into the cache, or into ``directory``) and show the
        downloads panel. One job at a time: while one runs, this only shows it."""
        if self.job is not None and self.job.running:
            self.app.notify("A download is still running: cancel it (c) or wait for it to finish.",
                            title="Downloads", severity="warning")
            self.show_downloads()
            return None
        try:
            cache = self.cache
        except MediaError as exc:
            self.app.notify_error(exc, action="Download")
            return None
        wanted: list[Recording] = []
        skipped: list[tuple[str, str]] = []
        seen: set[str] = set()
        for recording in recordings:
            problem = media_problem(recording)
            if problem is not None:
                skipped.append((recording.sid or "?", problem))
            elif recording.sid not in seen:
                seen.add(recording.sid)
                wanted.append(recording)
        if not wanted:
            reason = skipped[0][1] if len(skipped) == 1 else f"none of the {len(skipped)} has media"
            self.app.notify(f"Nothing to download: {reason}.", title="Downloads", severity="warning")
            return None
        items = []
        for recording in wanted:
            if directory is None:
                dest = cache.path_for(recording.sid, recording.date_created, fmt, channels)
            else:
                dest = directory / cache.path_for(recording.sid, recording.date_created, fmt, channels).name
            items.append(DownloadItem(recording.sid, dest, self.open_stream(recording.sid, fmt, channels)))
        bulk = BulkDownload(items, self.concurrency, reuse=True, clock=self.clock)
        label = "to the cache" if directory is None else f"to {directory}"
        job = DownloadJob(bulk, {r.sid: r for r in wanted}, directory, label, fmt, channels,
                          folder=directory if directory is not None else cache.directory, skipped=skipped)
        self.job = job
        self._job_worker = self.app.run_worker(self._run(job), group="media-downloads", name="downloads",
                                               exit_on_error=False)
        self.show_downloads()
        return job

    def retry_failed(self) -> DownloadJob | None:
        """A new job for the failed files of the last one (same target, format and channels)."""
        job = self.job
        if job is None or job.running or job.result is None or not job.result.failures:
            return None
        recordings = [job.recordings[status.sid] for status in job.result.failures]
        return self.download(recordings, directory=job.directory, fmt=job.fmt, channels=job.channels)

    async def _run(self, job: DownloadJob) -> None:
        if job.directory is not None:
            job.set_phase("copying")
            try:
                await self._copy_cached(job)
            except Exception:  # a bug must not leave the job hanging: download them instead
                log.exception("copying cached files failed")
        if not job.cancel_requested:
            job.set_phase("downloading")
        await job.bulk.run()  # its end (or cancellation) sets the phase to "finished"
        self._announce(job)

    async def _copy_cached(self, job: DownloadJob) -> None:
        """Save-as: files already in the cache are copied, not fetched again (the bulk download
        then finds them in place and marks them ``cached``)."""
        cache = self.cache
        for item in job.bulk.items:
            if job.cancel_requested:
                break
            recording = job.recordings[item.sid]

            def copy(item: DownloadItem = item, recording: Recording = recording) -> bool:
                source = cache.cached(item.sid, recording.date_created, job.fmt, job.channels)
                if source is None or item.dest.exists():
                    return False
                copy_atomic(source, item.dest)
                return True

            try:
                if await asyncio.to_thread(copy):
                    job.copied.add(item.sid)
            except MediaError:
                pass  # e.g. disk full: the download that follows reports it for this file

    def _announce(self, job: DownloadJob) -> None:
        result = job.result
        if result is None:
            return
        ok = len(result.completed)
        parts = [f"{ok} of {len(job.bulk.items)} saved {job.target_label}"]
        if result.failures:
            parts.append(f"{len(result.failures)} failed")
        if result.cancelled:
            parts.append(f"{len(result.cancelled)} cancelled")
        severity = "error" if result.failures else ("warning" if result.cancelled else "information")
        self.app.notify(" · ".join(parts), title="Downloads", severity=severity, markup=False)

    def show_downloads(self) -> None:
        from rec_tui.ui.screens.downloads import DownloadsScreen

        if isinstance(self.app.screen, DownloadsScreen):
            self.app.screen.show_job(self.job)
            return
        self.app.push_screen(DownloadsScreen(self.job))

    def default_directory(self) -> Path:
        """Where "save as" proposes to save: the last directory used, else Downloads, else home."""
        if self.last_directory is not None:
            return self.last_directory
        try:
            import platformdirs

            downloads = Path(platformdirs.user_downloads_dir())
            if downloads.is_dir():
                return downloads
        except Exception:  # no desktop directories here (a server): fall back to home
            pass
        return Path.home()

    # -- a profile switch -----------------------------------------------------------------------

    def running_downloads(self) -> int:
        """Files of the current job not yet finished (queued, copying or downloading)."""
        job = self.job
        if job is None or not job.running:
            return 0
        return sum(1 for status in job.bulk.statuses if not status.state.finished)

    async def prepare_switch(self, old: Any, new: Any) -> bool:
        """Before the app changes from connection ``old`` to ``new`` (call it from a worker, while
        ``old`` is still open): False when downloads run and the user chose to stay (nothing has
        changed then); True after :meth:`reset_for_switch`."""
        count = self.running_downloads()
        if count:
            was, to = _connection_name(old), _connection_name(new)
            dialog = switch_confirmation(count, was, to)
            try:
                confirmed = await self.app.push_screen_wait(dialog)
            except asyncio.CancelledError:
                # A newer switch (from the palette, over this question) replaced this one: the
                # question is void, and answering it later would do nothing.
                if self.app.screen is dialog:
                    self.app.pop_screen()
                raise
            if not confirmed:
                self.app.notify(f"Still on {was}: switch to {to} from the palette (ctrl+p) when the "
                                "downloads are done.", title="Profiles", markup=False)
                return False
        await self.reset_for_switch()
        return True

    async def reset_for_switch(self) -> None:
        """Leave nothing of the current account running, while its client is still open.

        The players stop (their sound device released; a file being fetched for one is dropped),
        a running download job is cancelled and awaited, so its transfers have ended (cancelled
        files leave nothing behind, finished ones stay) before the client closes. The job is then
        forgotten: the downloads panel belongs to the next account, and a retry of the old job
        would ask the new account for recordings it does not have. The cache follows by itself.
        """
        from rec_tui.ui.widgets.player_bar import PlayerBar

        stopping: list[Worker[Any]] = []
        for screen in self.app.screen_stack:
            for bar in screen.query(PlayerBar):
                stopping.extend(worker for worker in self.app.workers if worker.node is bar)
                bar.close()
        self.active_bar = None
        job, worker = self.job, self._job_worker
        self.job = self._job_worker = None
        if job is not None and job.running:
            job.cancel()
            if worker is not None:
                stopping.append(worker)
        for worker in stopping:
            with suppress(WorkerCancelled, WorkerFailed, WorkerError):
                await worker.wait()

    def palette_commands(self) -> Iterable[PaletteCommand]:
        job = self.job
        help = "the downloads panel" if job is None else job.title
        yield PaletteCommand("Downloads", help, self.show_downloads)


def _connection_name(connection: Any) -> str:
    """``profile work``, or the account SID for a connection without a profile (``--demo``, env)."""
    name = getattr(connection, "profile_name", None)
    return literal(f"profile {name}" if name else f"account {connection.account_sid}")


def switch_confirmation(count: int, was: str, to: str) -> Any:
    """The question before a switch cancels ``count`` running downloads of ``was``."""
    from rec_tui.ui.screens.dialogs import ConfirmScreen

    running = f"{count} download is" if count == 1 else f"{count} downloads are"
    them = "it" if count == 1 else "them"
    body = Text.assemble(
        (f"{running} running for {was}; switching cancels {them}.", "bold"), "\n\n",
        "Files already downloaded stay; the cancelled ones leave nothing behind. Cancel to stay "
        "and let them finish (the downloads panel shows them), then switch.",
    )
    return ConfirmScreen(f"Switch to {to}?", body, "Switch", id="switch-confirm")


def media_controller(app: Any) -> MediaController:
    """The app's one :class:`MediaController`, made on first use."""
    controller = getattr(app, "_rec_tui_media", None)
    if controller is None:
        # Kept on the app object itself so that it lives (and dies) with the app.
        controller = app._rec_tui_media = MediaController(app)
    return controller


class MediaActions:
    """Mixed into a screen: ``d`` download, ``s`` save as, ``o`` play (see the module docstring)."""

    @property
    def media(self) -> MediaController:
        return media_controller(self.app)  # type: ignore[attr-defined]

    def media_palette_commands(self) -> Iterable[PaletteCommand]:
        return self.media.palette_commands()

    def media_recordings(self) -> list[Recording]:  # pragma: no cover - each screen defines it
        raise NotImplementedError

    def media_current(self) -> Recording | None:  # pragma: no cover - each screen defines it
        raise NotImplementedError

    def action_download(self) -> None:
        recordings = self.media_recordings()
        if recordings:
            self.media.download(recordings)

    def action_save_as(self) -> None:
        from rec_tui.ui.screens.save_as import SaveAsScreen, SaveRequest

        recordings = self.media_recordings()
        if not recordings:
            return
        media = self.media

        def done(request: SaveRequest | None) -> None:
            if request is not None:
                media.last_directory = request.directory
                media.download(recordings, directory=request.directory, fmt=request.fmt,
                               channels=request.channels)

        self.app.push_screen(SaveAsScreen(len(recordings), media.default_directory()), done)  # type: ignore[attr-defined]

    def action_play(self) -> None:
        from rec_tui.ui.widgets.player_bar import PlayerBar

        recording = self.media_current()
        if recording is None:
            return
        bar = self.query_one(PlayerBar)  # type: ignore[attr-defined]
        bar.play_recording(recording)


def display_path(path: Path) -> str:
    """``~/…`` for a path under the home directory."""
    try:
        return "~/" + str(path.relative_to(Path.home()))
    except ValueError:
        return str(path)


def writable_directory(text: str) -> tuple[Path | None, str]:
    """(directory, "") for an existing, writable directory; (None, why not) otherwise."""
    if not text.strip():
        return None, "give a directory"
    path = Path(os.path.expanduser(text.strip()))
    if not path.is_dir():
        return None, f"{path} is not an existing directory"
    if not os.access(path, os.W_OK | os.X_OK):
        return None, f"{path} is not writable"
    return path.resolve(), ""
