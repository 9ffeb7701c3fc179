"""The downloads panel: one overall progress bar (bytes, rate, ETA), a row per file, cancel with ``c``.

Opened by ``d`` / ``s`` (and the palette's "Downloads"). Hiding it (``esc``) does not stop
anything: the job runs in an app worker. When the job ends, the failures (and the recordings
left out for having no media) are listed below the files, with their reasons; files that
finished are always kept, also after a cancel.

File states change the row at once; byte counts are redrawn a few times a second.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, ProgressBar, Static

from rec_tui.api.sids import short_sid
from rec_tui.media import BulkDownload, FileState, FileStatus
from rec_tui.ui.formatting import literal
from rec_tui.ui.media import DownloadJob, display_path, format_bytes, format_clock, format_rate, media_controller

#: Seconds between redraws of byte counts (state changes show at once).
REDRAW_INTERVAL = 0.2

STATE_STYLES = {
    FileState.QUEUED: "dim",
    FileState.DOWNLOADING: "bold cyan",
    FileState.DONE: "green",
    FileState.CACHED: "green",
    FileState.FAILED: "bold red",
    FileState.CANCELLED: "yellow",
}

NOTE_WIDTH = 40
#: (label, key, width): fixed widths where values change (rows must not shift); what matters most
#: first, so that an 80-column terminal shows it without scrolling sideways.
COLUMNS = (("Recording", "sid", 11), ("State", "state", 11), ("Progress", "progress", 25),
           ("Note", "note", None), ("Date", "date", 10))


def _state_label(job: DownloadJob, status: FileStatus) -> str:
    if status.state is FileState.CACHED:
        return "in cache" if job.directory is None else "saved"
    if status.state is FileState.DONE:
        return "downloaded" if job.directory is None else "saved"
    return status.state.value


def _file_progress(status: FileStatus) -> str:
    if status.state is FileState.QUEUED:
        return ""
    if status.state in (FileState.DONE, FileState.CACHED):
        return format_bytes(status.done)
    if status.total:
        percent = min(100, status.done * 100 // status.total)
        return f"{format_bytes(status.done)} of {format_bytes(status.total)} {percent:>3}%"
    return format_bytes(status.done) if status.done else ""


def _note(job: DownloadJob, status: FileStatus) -> str:
    if status.state is FileState.FAILED:
        return _short_reason(status)
    if status.state is FileState.CACHED and job.directory is not None:
        return "copied from the cache" if status.sid in job.copied else "already there: kept"
    return ""


def _short_reason(status: FileStatus) -> str:
    """A few words for the row (the whole reason is listed below the files at the end)."""
    cause = status.error.__cause__ if status.error is not None else None
    code = getattr(cause, "status", None)
    if isinstance(code, int):
        text = f"HTTP {code}"
        if getattr(cause, "code", None) is not None:
            text += f" · error {cause.code}"
        return text
    reason = status.reason or "failed"
    text = reason.rsplit(": ", 1)[-1]
    return text if len(text) <= NOTE_WIDTH else text[: NOTE_WIDTH - 1] + "…"


def _failure_reason(job: DownloadJob, status: FileStatus) -> str:
    reason = status.reason or "failed"
    cause = status.error.__cause__ if status.error is not None else None
    if job.channels == 2 and getattr(cause, "status", None) == 404:
        reason += " (no dual-channel file: <Conference> and <Record> recordings have one channel)"
    return reason


class DownloadsScreen(ModalScreen[None]):
    """``DownloadsScreen(job)``: the job's progress; ``show_job`` switches to another job."""

    BINDING_GROUP_TITLE = "Downloads"
    DEFAULT_CSS = """
    DownloadsScreen {
        align: center middle;
    }
    /* Not the app's .dialog class: app.tcss would win over this DEFAULT_CSS (and set 76 columns). */
    #downloads-dialog {
        width: 110;
        max-width: 100%;
        height: 90%;
        border: round $primary;
        background: $surface;
        padding: 0 1;
    }
    #downloads-dialog .dialog-title {
        margin-bottom: 0;
    }
    #downloads-progress {
        height: 1;
        width: 100%;
    }
    #downloads-progress Bar {
        width: 1fr;
    }
    #downloads-summary {
        height: auto;
        margin-bottom: 1;
    }
    #downloads-files {
        height: 1fr;
        scrollbar-size-vertical: 1;
    }
    #downloads-failures {
        height: auto;
        max-height: 10;
        margin-top: 1;
    }
    """
    BINDINGS = [
        Binding("c", "cancel", "Cancel all", tooltip="stop every download; finished files are kept"),
        Binding("r", "retry", "Retry failed"),
        Binding("escape,q", "close", "Hide", tooltip="downloads go on in the background"),
    ]

    def __init__(self, job: DownloadJob | None) -> None:
        super().__init__()
        self.job = job
        self._unsubscribe = lambda: None
        self._shown: dict[int, FileState] = {}
        self._dirty: set[int] = set()

    def compose(self) -> ComposeResult:
        with Vertical(id="downloads-dialog"):
            yield Static(id="downloads-title", classes="dialog-title")
            yield ProgressBar(id="downloads-progress", show_eta=False)
            yield Static(id="downloads-summary")
            yield DataTable(id="downloads-files", cursor_type="row", zebra_stripes=True)
            yield Static(id="downloads-failures")
            yield Static("c cancels everything (finished files are kept) · r retries the failures · "
                         "esc hides this panel (downloads go on)", classes="dialog-hint")

    @property
    def files(self) -> DataTable:
        return self.query_one("#downloads-files", DataTable)

    def on_mount(self) -> None:
        for label, key, width in COLUMNS:
            self.files.add_column(label, key=key, width=width)
        self.show_job(self.job)
        self.set_interval(REDRAW_INTERVAL, self.flush)
        self.files.focus()

    def on_unmount(self) -> None:
        self._unsubscribe()

    # -- following a job -------------------------------------------------------------------------

    def show_job(self, job: DownloadJob | None) -> None:
        self._unsubscribe()
        self.job = job
        table = self.files
        table.clear()
        self._shown.clear()
        self._dirty.clear()
        if job is None:
            self.query_one("#downloads-title", Static).update("Downloads")
            self.query_one("#downloads-summary", Static).update(
                "Nothing downloaded yet: d downloads the marked recordings (or the one under the cursor), "
                "s saves them to a directory.")
            self.query_one("#downloads-progress").display = False
            self.query_one("#downloads-failures").display = False
            return
        for status in job.bulk.statuses:
            recording = job.recordings.get(status.sid)
            day = recording.date_created.date().isoformat() if recording and recording.date_created else ""
            table.add_row(*self._cells(status, day), key=str(status.index))
            self._shown[status.index] = status.state
        unsubscribe_bulk = job.bulk.subscribe(self._on_file)
        job.listeners.append(self._on_phase)

        def unsubscribe() -> None:
            unsubscribe_bulk()
            if self._on_phase in job.listeners:
                job.listeners.remove(self._on_phase)

        self._unsubscribe = unsubscribe
        self.query_one("#downloads-progress").display = True
        self._update_summary()

    def _cells(self, status: FileStatus, day: str) -> list[Text]:
        job = self.job
        assert job is not None
        return [
            Text(short_sid(status.sid)),
            Text(_state_label(job, status), style=STATE_STYLES[status.state]),
            Text(_file_progress(status)),
            Text(literal(_note(job, status)), style="red" if status.state is FileState.FAILED else "dim"),
            Text(day),
        ]

    def _on_file(self, bulk: BulkDownload, status: FileStatus | None) -> None:
        if status is None:
            self.flush()
            return
        if self._shown.get(status.index) is not status.state:
            self._update_row(status)  # a state change shows at once
            self._update_summary()
        else:
            self._dirty.add(status.index)

    def _on_phase(self) -> None:
        self.flush()

    def _update_row(self, status: FileStatus) -> None:
        job = self.job
        if job is None:
            return
        key = str(status.index)
        table = self.files
        table.update_cell(key, "state", Text(_state_label(job, status), style=STATE_STYLES[status.state]))
        table.update_cell(key, "progress", Text(_file_progress(status)))
        table.update_cell(key, "note", Text(literal(_note(job, status)),
                                            style="red" if status.state is FileState.FAILED else "dim"),
                          update_width=True)
        self._shown[status.index] = status.state

    def flush(self) -> None:
        """Redraw the rows whose bytes moved, the summary and the progress bar."""
        job = self.job
        if job is None:
            return
        dirty, self._dirty = self._dirty, set()
        for index in sorted(dirty):
            self._update_row(job.bulk.statuses[index])
        for status in job.bulk.statuses:
            if self._shown.get(status.index) is not status.state:
                self._update_row(status)
        self._update_summary()

    def _update_summary(self) -> None:
        job = self.job
        if job is None:
            return
        progress = job.bulk.progress()
        statuses = job.bulk.statuses
        known = [s.total for s in statuses if s.total is not None]
        unknown = sum(1 for s in statuses if s.total is None and not s.state.finished)
        # Files not started yet count as large as the average known one (the bar must not jump back).
        estimate = progress.bytes_known + (unknown * progress.bytes_known / len(known) if known else 0)
        bar = self.query_one("#downloads-progress", ProgressBar)
        finished = not job.running
        if finished:
            bar.update(total=max(progress.bytes_known, progress.bytes_done, 1),
                       progress=progress.bytes_done if progress.bytes_known else 1)
        elif known:
            bar.update(total=max(estimate, 1), progress=progress.bytes_done)
        else:
            bar.update(total=None)
        self.query_one("#downloads-title", Static).update(Text(literal(job.title)))

        parts = [f"{format_bytes(progress.bytes_done)} of {format_bytes(estimate) if known else '?'}"]
        if not finished:
            parts += [format_rate(progress.rate), f"ETA {format_clock(progress.eta)}"]
        parts.append(f"{progress.files_finished} of {progress.files_total} files")
        if progress.files_ok:
            parts.append(f"{progress.files_ok} saved")
        if progress.files_failed:
            parts.append(f"{progress.files_failed} failed")
        if progress.files_cancelled:
            parts.append(f"{progress.files_cancelled} cancelled")
        if job.skipped:
            parts.append(f"{len(job.skipped)} skipped")
        if job.phase == "copying":
            parts.append("copying files already in the cache…")
        summary = Text(" · ".join(parts))
        if job.folder is not None:
            summary.append(f"\nfolder: {literal(display_path(job.folder))}", style="dim")
        self.query_one("#downloads-summary", Static).update(summary)
        self._update_failures(finished)

    def _update_failures(self, finished: bool) -> None:
        job = self.job
        box = self.query_one("#downloads-failures", Static)
        failures = [s for s in job.bulk.statuses if s.state is FileState.FAILED] if (job and finished) else []
        skipped = job.skipped if job else []
        if not failures and not skipped:
            box.display = False
            return
        text = Text()
        if failures:
            text.append(f"Failed ({len(failures)}) — r retries them:\n", style="bold red")
            for status in failures:
                text.append(f"  {status.sid}  ", style="bold")
                text.append(literal(_failure_reason(job, status)) + "\n")
        if skipped:
            text.append(f"Skipped ({len(skipped)}), nothing to download:\n", style="bold yellow")
            for sid, reason in skipped:
                text.append(f"  {literal(sid)}  ", style="bold")
                text.append(literal(reason) + "\n")
        text.rstrip()
        box.update(text)
        box.display = True

    # -- actions ---------------------------------------------------------------------------------

    def action_cancel(self) -> None:
        if self.job is not None and self.job.running:
            self.job.cancel()
            self.flush()

    def action_retry(self) -> None:
        job = self.job
        if job is None or job.running:
            return
        if job.result is None or not job.result.failures:
            self.notify("Nothing to retry: no download failed.", title="Downloads", timeout=3)
            return
        media_controller(self.app).retry_failed()

    def action_close(self) -> None:
        self.dismiss(None)
