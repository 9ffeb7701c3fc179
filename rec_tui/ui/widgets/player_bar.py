"""The player bar: play / pause / stop, seek, call legs, and a waveform with the playhead.

``PlayerBar.play_recording(recording)`` (the ``o`` key of a screen) shows the bar, focuses it and
plays the recording: from the media cache when it is there, otherwise after downloading it into the
cache with a progress bar. The bar says plainly when playback cannot happen (no simpleaudio, no
audio device — the usual case over SSH —, ffmpeg missing) and what to do instead; downloading and
saving keep working either way.

The waveform is a Textual :class:`~textual.widgets.Sparkline` of the recording's RMS envelope,
one row per call leg for a dual-channel recording; the played part takes the accent colour and the
playhead column is highlighted.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any, ClassVar

from rich.console import Console, ConsoleOptions, RenderResult
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import ProgressBar, Sparkline, Static

from rec_tui.api.models import Recording
from rec_tui.api.sids import short_sid
from rec_tui.media import Leg, MediaError, Pcm, PlaybackUnavailable, Player, PlayerState, decode_file, download
from rec_tui.media.download import Progress
from rec_tui.media.waveform import envelope, envelopes
from rec_tui.ui.formatting import literal_lines
from rec_tui.ui.media import MediaController, format_bytes, format_clock, format_rate, media_controller, media_problem

#: Envelope resolution: more buckets than any terminal has columns (the Sparkline merges them).
WAVE_BUCKETS = 480
#: Seconds between position updates while playing.
TICK = 0.25
#: Said after any "cannot play" message: the other media keys do not need audio.
STILL_WORKS = "Downloading (d) and saving to a directory (s) still work."

LEG_CYCLE = (Leg.BOTH, Leg.FIRST, Leg.SECOND)
STATE_LABELS = {
    PlayerState.PLAYING: ("▶", "playing"),
    PlayerState.PAUSED: ("‖", "paused"),
    PlayerState.STOPPED: ("■", "stopped"),
    PlayerState.ENDED: ("■", "ended"),
}


class _Playhead:
    """Wraps a Sparkline renderable: columns before ``column`` get ``played``, ``column`` gets ``head``."""

    def __init__(self, inner: Any, column: int, played: Style, head: Style) -> None:
        self.inner, self.column, self.played, self.head = inner, column, played, head

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        column = 0
        for segment in console.render(self.inner, options):
            if segment.text == "\n":
                column = 0
                yield segment
                continue
            if segment.control:
                yield segment
                continue
            # The Sparkline draws one single-cell character per column.
            for char in segment.text:
                style = segment.style or Style()
                if column < self.column:
                    style += self.played
                elif column == self.column:
                    style += self.head
                yield Segment(char, style)
                column += 1


class Waveform(Sparkline):
    """A Sparkline of loudness (0..1 values) with an optional playhead (``playhead``: 0..1)."""

    COMPONENT_CLASSES: ClassVar[set[str]] = Sparkline.COMPONENT_CLASSES | {"waveform--played", "waveform--playhead"}
    DEFAULT_CSS = """
    Waveform {
        width: 1fr;
    }
    Waveform > .waveform--played {
        color: $accent;
    }
    Waveform > .waveform--playhead {
        background: $accent;
    }
    """

    playhead: reactive[float | None] = reactive(None)

    def render(self) -> Any:
        inner = super().render()
        width = self.size.width
        if self.playhead is None or width <= 0:
            return inner
        column = min(width - 1, max(0, int(self.playhead * width)))
        _, base = self.background_colors
        played = Style(color=(base + self.get_component_styles("waveform--played").color).rich_color)
        head = Style(bgcolor=(base + self.get_component_styles("waveform--playhead").background).rich_color)
        return _Playhead(inner, column, played, head)


def _decode_cached(media: MediaController, recording: Recording) -> Pcm | None:
    """The recording's cached file, decoded; None when there is none (it is downloaded then). A
    cache that cannot even be looked up is left to the download, which says why."""
    try:
        path = media.playable_file(recording)
    except MediaError:
        return None
    return None if path is None else decode_file(path)


def _retrieve(future: asyncio.Future) -> None:
    # A decode nobody waits for any more (the player was closed): its error is not news.
    if not future.cancelled():
        future.exception()


def _waves(pcm: Pcm) -> list[list[float]]:
    """One envelope per leg (dual-channel), or the one of the mono recording."""
    if pcm.channels >= 2:
        return envelopes(pcm, WAVE_BUCKETS)
    return [envelope(pcm, WAVE_BUCKETS)]


class PlayerBar(Vertical, can_focus=True):
    """Plays one recording at a time; hidden until ``play_recording`` is called."""

    BINDING_GROUP_TITLE = "Player"
    # Its own CSS (not app.tcss): the bar is used by several screens and hidden until used.
    DEFAULT_CSS = """
    PlayerBar {
        display: none;
        height: auto;
        padding: 0 1;
        border-top: hkey $panel-lighten-2;
        background: $surface;
    }
    PlayerBar:focus {
        border-top: hkey $accent;
        background-tint: $foreground 4%;
    }
    PlayerBar #player-title {
        height: 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    PlayerBar #player-message {
        height: auto;
        color: $text-warning;
    }
    PlayerBar #player-progress {
        height: 1;
    }
    PlayerBar #player-waves {
        height: auto;
    }
    PlayerBar Waveform.-single {
        height: 2;
    }
    PlayerBar .wave-row {
        height: 1;
    }
    PlayerBar .wave-label {
        width: 2;
        color: $text-muted;
    }
    PlayerBar .wave-row.-muted Waveform > .sparkline--max-color,
    PlayerBar .wave-row.-muted Waveform > .sparkline--min-color,
    PlayerBar .wave-row.-muted Waveform > .waveform--played {
        color: $text-disabled;
    }
    """
    BINDINGS = [
        Binding("space", "toggle", "Play/Pause"),
        Binding("o", "toggle", "Play/Pause", show=False),
        Binding("s", "stop", "Stop", tooltip="stop and go back to the start"),
        Binding("left,h", "seek(-5)", "−5 s"),
        Binding("right,l", "seek(5)", "+5 s"),
        Binding("left_square_bracket,shift+left", "seek(-30)", "−30 s"),
        Binding("right_square_bracket,shift+right", "seek(30)", "+30 s"),
        Binding("v", "cycle_leg", "Leg", tooltip="both legs → first leg → second leg (dual-channel recordings)"),
        Binding("b", "leg('both')", "Both legs", show=False),
        Binding("1", "leg('first')", "First leg", show=False),
        Binding("2", "leg('second')", "Second leg", show=False),
        Binding("escape", "leave", "Back to the list", tooltip="playing goes on; a stopped player closes"),
    ]

    #: idle (hidden), checking, downloading, decoding, ready (a Player exists), error
    phase: reactive[str] = reactive("idle")

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.recording: Recording | None = None
        self.player: Player | None = None
        self.message = ""
        self._progress: Progress | None = None
        self._timer: Timer | None = None
        #: Where the focus was before ``o`` (esc goes back there).
        self._came_from: Any = None

    def compose(self) -> ComposeResult:
        yield Static(id="player-title")
        yield Static(id="player-message")
        yield ProgressBar(id="player-progress", show_eta=False)
        yield Vertical(id="player-waves")

    def on_mount(self) -> None:
        self.display = False
        self._timer = self.set_interval(TICK, self.tick, pause=True)

    def on_unmount(self) -> None:
        self._close_player()

    # -- what the bar shows -----------------------------------------------------------------

    @property
    def media(self) -> MediaController:
        return media_controller(self.app)

    @property
    def waveforms(self) -> list[Waveform]:
        return list(self.query(Waveform))

    @property
    def title_text(self) -> str:
        return str(self.query_one("#player-title", Static).content)

    def _sid(self) -> str:
        return short_sid(self.recording.sid) if self.recording is not None and self.recording.sid else "?"

    def update_view(self) -> None:
        """Redraw the title line, the message, the progress bar and the playhead."""
        title = Text()
        phase = self.phase
        sid = self._sid()
        if phase == "ready" and self.player is not None:
            player = self.player
            icon, label = STATE_LABELS[player.state]
            title.append(f"{icon} {label}", style="bold")
            title.append(f" · {sid} · ")
            title.append(f"{format_clock(player.position)} / {format_clock(player.duration)}", style="bold")
            title.append(" · ")
            title.append_text(self._legs_text())
            playhead = player.position / player.duration if player.duration else 0.0
            for wave in self.waveforms:
                wave.playhead = playhead
        elif phase == "downloading":
            title.append("⇣ downloading", style="bold")
            title.append(f" · {sid} · ")
            progress = self._progress
            if progress is None:
                title.append("connecting…")
            else:
                title.append(f"{format_bytes(progress.done)} of {format_bytes(progress.total)}")
                title.append(f" · {format_rate(progress.rate)} · ETA {format_clock(progress.eta)}")
        elif phase == "checking":
            title.append("… ", style="bold")
            title.append(f"{sid} · checking the audio device")
        elif phase == "decoding":
            title.append("… ", style="bold")
            title.append(f"{sid} · decoding")
        elif phase == "error":
            title.append("✕ cannot play", style="bold")
            title.append(f" · {sid}")
        self.query_one("#player-title", Static).update(title)
        message = self.query_one("#player-message", Static)
        message.display = bool(self.message)
        message.update(Text(literal_lines(self.message)))  # may quote the server's error text
        self.query_one("#player-progress").display = phase == "downloading"
        self.query_one("#player-waves").display = phase == "ready"

    def _legs_text(self) -> Text:
        player = self.player
        if player is None or player.channels < 2:
            return Text("mono", style="dim")
        text = Text("legs: ", style="dim")
        for leg, label in ((Leg.BOTH, "both"), (Leg.FIRST, "1"), (Leg.SECOND, "2")):
            text.append(f" {label} ", style="reverse bold" if leg is player.leg else "")
        return text

    def watch_phase(self, phase: str) -> None:
        self.set_class(phase == "error", "-error")
        if self.is_mounted:
            self.update_view()

    # -- loading ---------------------------------------------------------------------------------

    def play_recording(self, recording: Recording) -> None:
        """``o``: play ``recording``, or play/pause it if the bar already has it."""
        self.display = True
        focused = self.screen.focused
        if focused is not None and focused is not self:
            self._came_from = focused
        self.focus()
        same = self.recording is not None and recording.sid == self.recording.sid
        if same and self.player is not None:
            self.action_toggle()
            return
        if same and self.phase in ("checking", "downloading", "decoding"):
            return  # already on its way
        self._close_player()
        self.recording = recording
        problem = media_problem(recording)
        if problem is not None:
            self._fail(f"Nothing to play: {problem}.", other_keys=False)
            return
        self._load(recording)

    def _fail(self, message: str, *, other_keys: bool = True) -> None:
        self._pause_timer()
        self.message = f"{message} {STILL_WORKS}" if other_keys else message
        self.phase = "error"
        self.update_view()

    @work(exclusive=True, group="player")
    async def _load(self, recording: Recording) -> None:
        media = self.media
        self.message = ""
        self._progress = None
        self.phase = "checking"
        # A cached file is found and decoded while the device is checked and the bar drawn (a
        # frame of the whole screen): the sound starts that much sooner.
        cached = asyncio.ensure_future(asyncio.to_thread(_decode_cached, media, recording))
        cached.add_done_callback(_retrieve)
        status = await media.playback()
        if not status.available:
            self._fail(status.message)
            return
        try:
            pcm = await cached
        except MediaError as exc:  # corrupt, or ffmpeg missing
            self._fail(str(exc))
            return
        if pcm is None:
            try:
                self.phase = "downloading"
                result = await download(media.open_stream(recording.sid), media.cache_path(recording),
                                        progress=self._on_progress, clock=media.clock)
            except MediaError as exc:
                self._fail(f"Download failed: {exc}", other_keys=False)
                return
            try:
                self.phase = "decoding"
                pcm = await asyncio.to_thread(decode_file, result.path)
            except MediaError as exc:  # corrupt, or ffmpeg missing
                self._fail(str(exc))
                return
        self.player = Player(pcm, backend=media.backend, clock=media.clock, on_end=self._ended)
        self.phase = "ready"
        self._start()
        if self.phase != "ready":
            return  # the device refused: nothing plays, no waveform to follow
        # The sound first: the waveform of a 10-minute call takes ~0.3 s to compute and draw.
        waves = await asyncio.to_thread(_waves, pcm)
        if self.query("#player-waves"):  # gone if the app closed meanwhile
            await self._show_waves(waves)
            self.update_view()  # the playhead, on the new waveforms

    def _on_progress(self, progress: Progress) -> None:
        self._progress = progress
        bar = self.query_one("#player-progress", ProgressBar)
        bar.update(total=progress.total, progress=progress.done)
        self.update_view()

    async def _show_waves(self, waves: Sequence[Sequence[float]]) -> None:
        box = self.query_one("#player-waves", Vertical)
        await box.remove_children()
        rows = []
        for index, data in enumerate(waves):
            if len(waves) == 1:
                rows.append(Waveform(list(data), classes="-single"))
            else:
                rows.append(Horizontal(Static(f"{index + 1}", classes="wave-label"),
                                       Waveform(list(data), id=f"wave-{index + 1}"), classes="wave-row"))
        await box.mount_all(rows)
        self._mark_legs()

    def _mark_legs(self) -> None:
        if self.player is None:
            return
        leg = self.player.leg
        for index, row in enumerate(self.query(".wave-row")):
            row.set_class(leg is not Leg.BOTH and leg.channel != index, "-muted")

    # -- playing -------------------------------------------------------------------------------

    def _start(self) -> None:
        player = self.player
        if player is None:
            return
        self.media.claim_playback(self)
        try:
            player.play()
        except PlaybackUnavailable as exc:
            self.media.release_playback(self)
            self._fail(str(exc))
            return
        self.message = ""
        self._resume_timer()
        self.update_view()

    def _ended(self) -> None:
        self._pause_timer()
        self.media.release_playback(self)

    def tick(self) -> None:
        """Follow the position (a timer calls it while playing)."""
        if self.player is not None:
            self.player.poll()
        self.update_view()

    def stop_playback(self) -> None:
        """Another bar started playing: pause here (the position stays)."""
        if self.player is not None:
            self.player.pause()
        self._pause_timer()
        self.update_view()

    def _close_player(self) -> None:
        self.workers.cancel_group(self, "player")
        if self.player is not None:
            self.player.close()
            self.player = None
        self._pause_timer()
        self.media.release_playback(self)

    def _pause_timer(self) -> None:
        if self._timer is not None:
            self._timer.pause()

    def _resume_timer(self) -> None:
        if self._timer is not None:
            self._timer.resume()

    # -- actions ---------------------------------------------------------------------------------

    def action_toggle(self) -> None:
        player = self.player
        if player is None:
            if self.phase == "error" and self.recording is not None:
                self.play_recording_again()
            return
        if player.is_playing:
            player.pause()
            self._pause_timer()
            self.media.release_playback(self)
            self.update_view()
        else:
            self._start()

    def play_recording_again(self) -> None:
        """Retry after a failure (the user may have fixed the audio set-up meanwhile)."""
        recording = self.recording
        if recording is not None and media_problem(recording) is None:
            self._close_player()
            self._load(recording)

    def action_stop(self) -> None:
        if self.phase in ("checking", "downloading", "decoding"):
            self.workers.cancel_group(self, "player")
            self.message = "Cancelled."
            self.phase = "error"
            return
        if self.player is not None:
            self.player.stop()
            self._pause_timer()
            self.media.release_playback(self)
            self.update_view()

    def action_seek(self, seconds: float) -> None:
        if self.player is None:
            return
        try:
            self.player.seek(seconds)
        except PlaybackUnavailable as exc:
            self._fail(str(exc))
            return
        self.update_view()

    def action_cycle_leg(self) -> None:
        if self.player is None:
            return
        index = LEG_CYCLE.index(self.player.leg)
        self.action_leg(LEG_CYCLE[(index + 1) % len(LEG_CYCLE)].value)

    def action_leg(self, leg: str) -> None:
        player = self.player
        if player is None:
            return
        if player.channels < 2:
            self.notify("This recording has a single channel: both call legs are mixed together.",
                        title="Player", timeout=4)
            return
        try:
            player.set_leg(Leg(leg))
        except PlaybackUnavailable as exc:
            self._fail(str(exc))
            return
        self._mark_legs()
        self.update_view()

    def action_leave(self) -> None:
        """Back to the list; a bar with nothing playing closes."""
        playing = self.player is not None and self.player.is_playing
        loading = self.phase in ("checking", "downloading", "decoding")
        if not playing and not loading:
            self.close()
        back = self._came_from
        if back is not None and back.is_attached and back.display and back.focusable:
            back.focus()
        else:
            self.screen.focus_next()

    def close(self) -> None:
        """Stop and hide the bar."""
        self._close_player()
        self.recording = None
        self.message = ""
        self.phase = "idle"
        self.display = False

    @property
    def state_label(self) -> str:
        """``playing`` / ``paused`` / … for the ready phase, else the phase (tests, status lines)."""
        if self.phase == "ready" and self.player is not None:
            return STATE_LABELS[self.player.state][1]
        return self.phase
