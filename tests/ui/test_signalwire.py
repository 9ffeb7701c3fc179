"""The app against the emulator's SignalWire flavour: the list, the detail and the download flows
with UUID SIDs, SignalWire's statuses, sources and ``end_time``, and no Add-ons."""

from __future__ import annotations

import httpx
import pytest
from textual.widgets import DataTable

from rec_tui.api import RecordingFilter
from rec_tui.ui.app import StartTarget
from rec_tui.ui.screens.recording import RecordingScreen
from rec_tui.ui.screens.transcription import TranscriptionScreen

from ui_support import emulator_config, recordings_screen, settle

try:
    from rec_tui.emulator import Emulator
except ImportError:  # pragma: no cover - only while the emulator has not landed
    Emulator = None  # type: ignore[assignment,misc]


class SignalWireData:
    """What the SignalWire-flavoured emulator serves, read over plain HTTP (the tests' ground truth)."""

    def __init__(self, emu) -> None:
        self.root = emu.api_root
        self.http = httpx.Client(auth=(emu.account_sid, emu.auth_token), timeout=10)

    def get(self, path: str, **params) -> dict:
        response = self.http.get(f"{self.root}/{path}", params=params or None)
        response.raise_for_status()
        return response.json()

    def recordings(self, **params) -> list[dict]:
        return self.get("Recordings.json", PageSize=1000, **params)["recordings"]

    def media(self, sid: str) -> bytes:
        response = self.http.get(f"{self.root}/Recordings/{sid}.wav")
        response.raise_for_status()
        return response.content


@pytest.fixture(scope="module")
def sw_emulator():
    with Emulator(emulator_config(flavour="signalwire")) as emu:
        yield emu


@pytest.fixture(scope="module")
def sw_data(sw_emulator):
    data = SignalWireData(sw_emulator)
    yield data
    data.http.close()


def finished(recordings: list[dict]) -> list[dict]:
    return [r for r in recordings if r["status"] == "stopped" and r["error_code"] is None and int(r["duration"])]


# -- the list ----------------------------------------------------------------------------------


async def test_the_list_shows_signalwires_recordings(sw_emulator, sw_data, make_app):
    served = sw_data.recordings()
    app = make_app(sw_emulator)
    async with app.run_test() as pilot:  # 80×24: one page fills more than the screen
        await settle(pilot)
        screen = recordings_screen(pilot)
        identity = str(app.screen.query_one("#header-identity").content)
        assert "SignalWire" in identity and sw_emulator.account_sid[:6] in identity
        assert app.connection_state == "connected"
        rows = screen.table.all_recordings
        assert screen.status.message == "page 1 · rows 1–50 · more available"
        assert [r.sid for r in rows] == [r["sid"] for r in served[:50]]
        assert {r.status for r in rows} <= {"in-progress", "paused", "stopped"}
        assert all(r.problems == () for r in rows)
        # The detail pane follows the cursor: a UUID in full, SignalWire's source name.
        await pilot.press("j")
        current = screen.table.cursor_recording
        assert current.sid in screen.detail.plain_text
        assert f"Source: {current.source}" in screen.detail.plain_text
        # Paging follows SignalWire's own page URIs (PageToken=PA{uuid}).
        await pilot.press("n")
        await settle(pilot)
        assert screen.status.message == "page 2 · rows 51–100 · more available"
        assert [r.sid for r in screen.table.all_recordings] == [r["sid"] for r in served[50:100]]


async def test_filter_by_a_call_uuid(sw_emulator, sw_data, make_app):
    target = finished(sw_data.recordings())[3]
    expected = [r["sid"] for r in sw_data.recordings(CallSid=target["call_sid"])]
    app = make_app(sw_emulator, start=StartTarget(call=target["call_sid"]))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = recordings_screen(pilot)
        assert screen.filter == RecordingFilter(call_sid=target["call_sid"])
        assert [r.sid for r in screen.table.all_recordings] == expected


# -- the detail --------------------------------------------------------------------------------


async def test_the_detail_shows_a_finished_recording_as_signalwire_sends_it(sw_emulator, sw_data, make_app):
    recording = next(r for r in finished(sw_data.recordings()) if r["source"] == "OutBoundApi")
    app = make_app(sw_emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = recordings_screen(pilot)
        assert screen.table.move_cursor_to_sid(recording["sid"])
        screen.table.focus()
        await pilot.press("enter")
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, RecordingScreen)
        text = detail.fields.plain_text
        for line in (f"SID: {recording['sid']}", "Status: stopped", "Source: OutBoundApi",
                     f"Account: {sw_emulator.account_sid}", f"Call: {recording['call_sid']}",
                     f"URI: {recording['uri']}", f"end_time: {recording['end_time']}",
                     f"({recording['duration']} second"):
            assert line in text, line
        # SignalWire has no Add-ons: their 404 is not an error for the user.
        assert not detail.query_one("#add-ons", DataTable).display
        assert [n for n in app._notifications if n.severity == "error"] == []


async def test_a_transcription_opens_from_the_detail(sw_emulator, sw_data, make_app):
    for recording in finished(sw_data.recordings()):
        items = sw_data.get(f"Recordings/{recording['sid']}/Transcriptions.json")["transcriptions"]
        done = [t for t in items if t["status"] == "completed" and len((t["transcription_text"] or "").split()) > 3]
        if done:
            break
    else:
        pytest.fail("the seeded SignalWire data has no transcribed recording")
    app = make_app(sw_emulator, start=StartTarget(recording=recording["sid"]))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, RecordingScreen)
        table = detail.query_one("#transcriptions", DataTable)
        keys = [row.value for row in table.rows]
        assert keys == [t["sid"] for t in items]
        table.focus()
        table.move_cursor(row=keys.index(done[0]["sid"]))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TranscriptionScreen)
        assert app.screen.viewer.text.split() == done[0]["transcription_text"].split()


# -- the download ------------------------------------------------------------------------------


async def test_d_downloads_a_stopped_recording(sw_emulator, sw_data, make_app, tmp_path, monkeypatch):
    # SignalWire's finished recordings are "stopped": the app asks Recording.has_media, not "completed".
    monkeypatch.setenv("REC_TUI_CACHE_DIR", str(tmp_path / "cache"))
    from rec_tui.ui.media import media_controller

    recording = min(finished(sw_data.recordings()[:50]), key=lambda r: int(r["duration"]))
    app = make_app(sw_emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = recordings_screen(pilot)
        assert screen.table.move_cursor_to_sid(recording["sid"])
        screen.table.focus()
        await pilot.press("d")
        await settle(pilot)
        target = next(r for r in screen.table.all_recordings if r.sid == recording["sid"])
        path = media_controller(app).cache_path(target)
        # Under the project's UUID, named by the recording's UUID, byte for byte what was served.
        assert path.parent == tmp_path / "cache" / sw_emulator.account_sid
        assert path.name.startswith(recording["sid"] + "_") and path.suffix == ".wav"
        assert path.read_bytes() == sw_data.media(recording["sid"])
        assert [n for n in app._notifications if n.severity == "error"] == []
