"""Deleting recordings from the list: the one under the cursor, or every marked one at once.

``x`` (or ``delete``) on the recordings screen calls :func:`request_delete`:

1. only *completed* recordings can be deleted (the API refuses the rest): the others are left
   alone, and the confirmation says so;
2. one confirmation (:func:`~rec_tui.ui.screens.dialogs.delete_confirmation`) names the SID, date
   and duration of each (or the count and the first few), and says the media cannot be recovered;
3. :class:`DeleteProgressScreen` sends the deletes (a few at a time), shows the progress, can be
   stopped (what has not started is then left alone), and reports each failure with Twilio's code
   and message; it closes by itself when everything went;
4. the list drops the deleted rows (or shows them ``deleted`` when it lists soft-deleted ones);
   failed and untouched rows stay marked, so a retry is one ``x`` away.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import tzinfo
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalGroup, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, ProgressBar, Static

from rec_tui.api import ApiError, Recording
from rec_tui.ui.formatting import literal
from rec_tui.ui.screens.dialogs import delete_confirmation, describe_recording

if TYPE_CHECKING:
    from rec_tui.ui.screens.recordings import RecordingsScreen

#: Deletes in flight at once: quick for a few hundred, gentle on the API's concurrency limits.
CONCURRENCY = 4
#: Failures also raised as error notifications (the report lists every one).
NOTIFIED_FAILURES = 5


@dataclass
class DeleteReport:
    deleted: list[Recording] = field(default_factory=list)
    failed: list[tuple[Recording, ApiError]] = field(default_factory=list)
    #: Not sent because the run was stopped.
    not_attempted: list[Recording] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.deleted) + len(self.failed) + len(self.not_attempted)


def error_line(error: ApiError) -> str:
    """``Error 20404 · HTTP 404: message`` — Twilio's code and message, shown literally."""
    head = []
    if error.code is not None:
        head.append(f"Error {error.code}")
    if error.status is not None:
        head.append(f"HTTP {error.status}")
    prefix = " · ".join(head)
    return literal(f"{prefix}: {error.message}" if prefix else error.message)


async def delete_all(app: Any, recordings: Sequence[Recording], *,
                     progress: Callable[[DeleteReport], None] | None = None,
                     stopped: Callable[[], bool] = lambda: False,
                     concurrency: int = CONCURRENCY) -> DeleteReport:
    """Delete each recording (through ``app.api``); the report keeps the given order."""
    report = DeleteReport()
    outcome: dict[int, tuple[str, ApiError | None]] = {}
    gate = asyncio.Semaphore(concurrency)

    async def one(index: int, recording: Recording) -> None:
        async with gate:
            if stopped():
                outcome[index] = ("skipped", None)
                return
            try:
                await app.api(app.client.delete_recording(recording.sid))
            except ApiError as error:
                outcome[index] = ("failed", error)
                report.failed.append((recording, error))
            else:
                outcome[index] = ("deleted", None)
                report.deleted.append(recording)
            if progress is not None:
                progress(report)

    await asyncio.gather(*(one(i, r) for i, r in enumerate(recordings)))
    ordered = DeleteReport()
    for index, recording in enumerate(recordings):
        kind, error = outcome.get(index, ("skipped", None))
        if kind == "deleted":
            ordered.deleted.append(recording)
        elif kind == "failed":
            assert error is not None
            ordered.failed.append((recording, error))
        else:
            ordered.not_attempted.append(recording)
    return ordered


class DeleteProgressScreen(ModalScreen[DeleteReport]):
    """Deletes ``recordings`` with a progress bar; stays open to report failures or a stop."""

    BINDING_GROUP_TITLE = "Deleting"
    BINDINGS = [Binding("escape", "stop_or_close", "Stop / close")]

    def __init__(self, recordings: Sequence[Recording], tz: tzinfo | None = None) -> None:
        super().__init__()
        self.recordings = list(recordings)
        self.tz = tz
        self.report: DeleteReport | None = None
        self._stop = False

    def compose(self) -> ComposeResult:
        count = len(self.recordings)
        noun = "recording" if count == 1 else "recordings"
        with Vertical(id="delete-dialog", classes="dialog"):
            yield Static(f"Deleting {count} {noun}…", id="delete-title", classes="dialog-title")
            yield ProgressBar(total=count, show_eta=False, id="delete-progress")
            yield Static(id="delete-counts")
            with VerticalScroll(id="delete-failures"):
                yield Static(id="delete-failure-list")
            with HorizontalGroup(classes="dialog-buttons"):
                yield Button("Stop", variant="warning", id="delete-stop", compact=True)
                yield Button("Close", id="delete-close", compact=True)

    def on_mount(self) -> None:
        self.query_one("#delete-failures").display = False
        self.query_one("#delete-close").display = False
        self._show_counts(DeleteReport())
        self._run()

    def _show_counts(self, report: DeleteReport) -> None:
        done = len(report.deleted) + len(report.failed)
        self.query_one("#delete-progress", ProgressBar).update(progress=done)
        text = Text(f"{done} of {len(self.recordings)} done · {len(report.deleted)} deleted")
        if report.failed:
            text.append(f" · {len(report.failed)} failed", style="bold red")
        if self._stop and self.report is None:
            text.append(" · stopping after the requests under way…", style="italic")
        self.query_one("#delete-counts", Static).update(text)

    @work(exclusive=True, group="delete")
    async def _run(self) -> None:
        report = await delete_all(self.app, self.recordings, progress=self._show_counts, stopped=lambda: self._stop)
        self.report = report
        if not report.failed and not report.not_attempted:
            self.dismiss(report)
            return
        self._show_report(report)

    def _show_report(self, report: DeleteReport) -> None:
        title = f"Deleted {len(report.deleted)} of {len(self.recordings)}"
        if report.failed:
            title += f" · {len(report.failed)} failed"
        if report.not_attempted:
            title += f" · {len(report.not_attempted)} left alone (stopped)"
        self.query_one("#delete-title", Static).update(Text(title))
        self._show_counts(report)
        lines: list[Text] = []
        for recording, error in report.failed:
            lines.append(Text(describe_recording(recording, self.tz), style="bold"))
            lines.append(Text("  " + error_line(error), style="red"))
        if report.not_attempted:
            lines.append(Text(f"Not sent (stopped): {len(report.not_attempted)}; they stay marked.", style="yellow"))
        self.query_one("#delete-failure-list", Static).update(Text("\n").join(lines))
        self.query_one("#delete-failures").display = True
        self.query_one("#delete-stop").display = False
        close = self.query_one("#delete-close", Button)
        close.display = True
        close.focus()

    def action_stop_or_close(self) -> None:
        if self.report is not None:
            self.dismiss(self.report)
        elif not self._stop:
            self._stop = True
            self.query_one("#delete-stop", Button).disabled = True
            self._show_counts(DeleteReport())

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_stop_or_close()


# -- the recordings screen's side ------------------------------------------------------------------


def request_delete(screen: RecordingsScreen) -> None:
    """``x`` on the list: confirm, delete, then show what happened (see the module docstring)."""
    app = screen.app
    table = screen.table
    marked = table.marked_sids
    if marked:
        chosen = [r for r in table.all_recordings if r.sid in marked]
    else:
        current = table.cursor_recording
        if current is None:
            app.notify("No recording selected: nothing to delete", severity="warning", timeout=4)
            return
        chosen = [current]
    confirm_and_delete(app, chosen, screen.display_tz, lambda report: show_result(screen, report))


def request_delete_shown(screen: Any) -> None:
    """``x`` on a recording's screen: the same confirmation and delete for the recording shown.
    The list behind it (if any) learns the outcome as if the delete had been made there; the
    recording's screen then shows it as the API does (``deleted``, kept 40 days)."""
    app = screen.app
    recording = screen.recording
    if recording is None:
        app.notify("The recording is still loading: nothing to delete yet", severity="warning", timeout=4)
        return

    from rec_tui.ui.screens.recordings import RecordingsScreen  # it imports this module

    def done(report: DeleteReport | None) -> None:
        lists = [s for s in app.screen_stack if isinstance(s, RecordingsScreen)]
        if lists:
            show_result(lists[-1], report)
        elif report is not None:
            _notify_outcome(app, report)
        if report is not None and any(r.sid == recording.sid for r in report.deleted):
            screen.show_deleted(replace(recording, status="deleted"))

    confirm_and_delete(app, [recording], screen.display_tz, done)


def confirm_and_delete(app: Any, chosen: Sequence[Recording], tz: tzinfo | None,
                       on_report: Callable[[DeleteReport | None], None]) -> None:
    """Only completed recordings can be deleted: say so for the others, ask once naming the
    deletable ones, then delete them on the progress screen and hand its report to ``on_report``."""
    deletable = [r for r in chosen if r.status == "completed"]
    left_alone = [r for r in chosen if r.status != "completed"]
    if not deletable:
        if len(chosen) == 1:
            message = (f"{literal(chosen[0].sid)} is {literal(chosen[0].status)}: "
                       "only completed recordings can be deleted")
        else:
            message = f"None of the {len(chosen)} marked recordings is completed: only completed ones can be deleted"
        app.notify(message, title="Delete", severity="warning", markup=False, timeout=8)
        return

    def confirmed(yes: bool | None) -> None:
        if not yes:
            app.notify("Nothing deleted", title="Delete", timeout=3)
            return
        app.push_screen(DeleteProgressScreen(deletable, tz), on_report)

    app.push_screen(delete_confirmation(deletable, tz, left_alone=left_alone), confirmed)


def show_result(screen: RecordingsScreen, report: DeleteReport | None) -> None:
    """Apply a delete's outcome to the list, and say it: a notification each way."""
    if report is None:
        return
    app = screen.app
    table = screen.table
    if report.deleted:
        sids = {r.sid for r in report.deleted}
        if screen.filter.include_soft_deleted:
            # The list shows soft-deleted recordings: they stay, as the API now lists them.
            for recording in report.deleted:
                table.update_recording(replace(recording, status="deleted"))
            table.unmark_sids(sids)
            shown = screen.detail.recording
            if shown is not None and shown.sid in sids:
                screen.detail.show(table.cursor_recording)
        else:
            table.remove_sids(sids)
    _notify_outcome(app, report)


def _notify_outcome(app: Any, report: DeleteReport) -> None:
    """A notification for what was deleted, one per failure (up to a few), and what was not sent."""
    if report.deleted:
        count = len(report.deleted)
        noun = "recording" if count == 1 else "recordings"
        what = literal(report.deleted[0].sid) if count == 1 else f"{count} {noun}"
        app.notify(f"Deleted {what}; the media cannot be recovered.", title="Deleted", markup=False, timeout=6)
    for recording, error in report.failed[:NOTIFIED_FAILURES]:
        app.notify_error(error, action=f"Delete {recording.sid}")
    if len(report.failed) > NOTIFIED_FAILURES:
        app.notify(f"{len(report.failed) - NOTIFIED_FAILURES} more deletes failed; they stay marked.",
                   title="Delete", severity="error", timeout=12)
    if report.not_attempted:
        app.notify(f"{len(report.not_attempted)} not sent (stopped); they stay marked.", title="Delete",
                   severity="warning", timeout=8)
