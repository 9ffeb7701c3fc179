"""``c`` (and the palette's "Recordings of this call/conference") with SIDs the API sent: checked as
the filter form checks typed ones, a malformed one reported and never sent."""

from __future__ import annotations

import pytest

from rec_tui.api import RecordingFilter
from rec_tui.api.models import Recording
from rec_tui.emulator import Emulator
from rec_tui.emulator.models import hostile_recording_fields
from rec_tui.ui.screens.recording import RecordingScreen
from rec_tui.ui.screens.recordings import related_filter

from test_hostile_ui import check_screen
from ui_support import emulator_config, recordings_screen, settle

CALL = "CA" + "0123456789abcdef" * 2
CONFERENCE = "CF" + "fedcba9876543210" * 2
UUID = "6f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"


class Notes:
    """Stands in for the screen: keeps what it is told to show."""

    def __init__(self) -> None:
        self.shown: list[tuple[str, dict]] = []

    def notify(self, message: str, **options) -> None:
        self.shown.append((message, options))


def recording(call_sid=None, conference_sid=None) -> Recording:
    return Recording.from_json({"sid": "RE" + "1" * 32, "call_sid": call_sid, "conference_sid": conference_sid})


@pytest.mark.parametrize(("call_sid", "conference_sid", "kind", "expected"), [
    (CALL, None, "", RecordingFilter(call_sid=CALL)),
    (CALL, CONFERENCE, "", RecordingFilter(call_sid=CALL)),  # c: the call first
    (CALL, CONFERENCE, "conference", RecordingFilter(conference_sid=CONFERENCE)),
    (None, CONFERENCE, "", RecordingFilter(conference_sid=CONFERENCE)),
    (UUID, None, "", RecordingFilter(call_sid=UUID)),  # SignalWire, as the filter form accepts
    (None, UUID, "conference", RecordingFilter(conference_sid=UUID)),
    ("CA" + "0123456789ABCDEF" * 2, None, "call", RecordingFilter(call_sid="CA" + "0123456789ABCDEF" * 2)),
])
def test_a_well_formed_sid_gives_its_filter_and_says_nothing(call_sid, conference_sid, kind, expected):
    notes = Notes()
    assert related_filter(notes, recording(call_sid, conference_sid), kind) == expected
    assert notes.shown == []


@pytest.mark.parametrize(("call_sid", "conference_sid", "kind", "what"), [
    ("CA123", None, "", "call"),
    (" " + CALL, None, "", "call"),  # pasted text is stripped; what the API sent is taken as sent
    (CALL + "\n", None, "", "call"),
    ("CA../../Recordings.json?PageSize=1000", CONFERENCE, "", "call"),  # no quiet fall-back either
    ("RE" + "1" * 32, None, "call", "call"),  # the wrong kind of SID
    (CONFERENCE, None, "", "call"),
    (None, "CF\x1b[31m" + "0" * 30 + "\x00", "", "conference"),
    (CALL, "CFnot-a-sid", "conference", "conference"),
    (UUID.upper(), None, "", "call"),  # UUIDs are lower-case hex
])
def test_a_malformed_sid_is_reported_and_gives_no_filter(call_sid, conference_sid, kind, what):
    notes = Notes()
    assert related_filter(notes, recording(call_sid, conference_sid), kind) is None
    ((message, options),) = notes.shown
    assert f"malformed {what} SID" in message and "Nothing was requested" in message
    assert options["severity"] == "error" and options["markup"] is False
    assert "\x1b" not in message and "\x00" not in message  # shown as visible symbols


def test_a_long_malformed_sid_is_cut_in_the_message():
    notes = Notes()
    assert related_filter(notes, recording("CA" + "x" * 5000), "") is None
    ((message, _),) = notes.shown
    assert "CA" + "x" * 58 + "…" in message and len(message) < 300


def test_a_missing_sid_is_still_a_warning():
    notes = Notes()
    assert related_filter(notes, recording(), "") is None
    assert related_filter(notes, recording(conference_sid=CONFERENCE), "call") is None
    assert related_filter(notes, recording(call_sid=CALL), "conference") is None
    assert [(message, options["severity"]) for message, options in notes.shown] == [
        ("this recording names neither a call nor a conference", "warning"),
        ("this recording has no call SID", "warning"),
        ("this recording is not of a conference", "warning"),
    ]


def filtered_requests(emu, since: int) -> list[str]:
    """Requests after the first ``since`` that filter by a call or conference (or carry a hostile SID)."""
    return [target for _, target, _ in emu.request_log[since:]
            if any(part in target for part in ("CallSid", "ConferenceSid", "/Calls/", "/Conferences/", "evil"))]


def errors(app) -> list[str]:
    return [f"{n.title}\n{n.message}" for n in app._notifications if n.severity == "error"]


async def test_c_on_a_recording_with_hostile_sids_requests_nothing_and_says_why(make_app):
    with Emulator(emulator_config(hostile=True)) as emu:
        app = make_app(emu)
        async with app.run_test(size=(120, 40), notifications=True) as pilot:
            await settle(pilot)
            screen = recordings_screen(pilot)
            screen.set_page_size(500)
            await settle(pilot)
            target = next(r for r in screen.table.recordings
                          if "call_sid" in (hostile_recording_fields(r.sid) or {}))
            assert target.call_sid.startswith("CA../") and target.conference_sid.startswith("CF\x1b")
            assert screen.table.move_cursor_to_sid(target.sid)
            await pilot.pause()
            sent = len(emu.request_log)

            await pilot.press("c")
            await settle(pilot)
            assert screen.filter.is_empty and screen.history == []
            (error,) = errors(app)
            assert "Not a call SID" in error and "malformed call SID: CA../../Recordings.json?PageSize" in error
            shown = check_screen(app, "the list after c")  # the toast: literal, no link followed
            assert "malformed call SID" in shown

            # The palette's "Recordings of this conference" (its help is read as markup: the SID is
            # not shown there), then the conference SID in the notification, its escape shown as ␛.
            await pilot.press("ctrl+p")
            await pilot.pause()
            await pilot.press(*"Recordings of this conference")
            await settle(pilot)
            assert "malformed conference SID: see c" in check_screen(app, "the palette")
            await pilot.press("enter")
            await settle(pilot)
            assert app.screen is screen
            assert screen.filter.is_empty
            assert "malformed conference SID: CF␛[31m" in errors(app)[-1]
            assert "malformed conference SID" in check_screen(app, "the list after the conference command")

            # The same from the recording's own screen: it stays open.
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, RecordingScreen)
            detail = app.screen
            check_screen(app, "the recording screen")
            await pilot.press("c")
            await settle(pilot)
            assert app.screen is detail and screen.filter.is_empty
            assert len(errors(app)) == 3 and "malformed call SID" in errors(app)[-1]
            check_screen(app, "the recording screen after c")
            assert filtered_requests(emu, sent) == []

            # A recording with well-formed SIDs, in the same app: c still filters by its call.
            await pilot.press("escape")
            await settle(pilot)
            plain = next(r for r in screen.table.recordings if r.call_sid and hostile_recording_fields(r.sid) is None)
            assert screen.table.move_cursor_to_sid(plain.sid)
            await pilot.pause()
            await pilot.press("c")
            await settle(pilot)
            assert screen.filter == RecordingFilter(call_sid=plain.call_sid)
            assert any(f"CallSid={plain.call_sid}" in t for t in filtered_requests(emu, sent))
            assert len(errors(app)) == 3
