"""Live recordings through the client against the emulator, over real sockets, on a ManualClock.

Every transition (create, pause skip/silence, resume, stop, processing, completed, delete) and
every refusal (Twilio's error code and message as the client raises them), plus live calls that
end on their own while someone is looking at them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

import pytest

from rec_tui.api import (ApiError, NotFoundError, Recording, RecordingFilter, RecordingsClient, RetryPolicy,
                         custom_endpoint)
from rec_tui.api.sids import CURRENT
from rec_tui.emulator import Emulator, EmulatorConfig, FaultConfig, ManualClock

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)
PROCESSING_SECONDS = 3.0


@pytest.fixture
def emu():
    """A fresh emulator per test: these tests change its state."""
    config = EmulatorConfig(seed=23, recordings=120, clock=ManualClock(NOW), processing_seconds=PROCESSING_SECONDS)
    with Emulator(config) as running:
        yield running


@pytest.fixture
async def client(emu):
    async with RecordingsClient(custom_endpoint(emu.base_url), emu.account_sid, emu.account_sid,
                                emu.auth_token) as c:
        yield c


def advance(emu, seconds: float) -> None:
    emu.config.clock.advance(seconds)


@dataclass
class LiveCall:
    sid: str
    own_active: list[Recording]  # the call's own active recordings (not its conference's)
    in_conference: bool


async def live_calls(client: RecordingsClient) -> list[LiveCall]:
    found = []
    for call in (await client.list_calls("in-progress")).items:
        recordings = (await client.list_call_recordings(call.sid)).items
        found.append(LiveCall(call.sid, [r for r in recordings if r.is_active and not r.conference_sid],
                              any(r.conference_sid for r in recordings)))
    return found


async def call_with(client: RecordingsClient, count: int, status: str | None = None) -> LiveCall:
    for call in await live_calls(client):
        if call.in_conference or len(call.own_active) != count:
            continue
        if status is None or all(r.status == status for r in call.own_active):
            return call
    raise AssertionError(f"no live call with {count} active recording(s)")


async def live_conference(client: RecordingsClient) -> tuple[str, Recording]:
    conference = (await client.list_conferences("in-progress")).items[0]
    recordings = (await client.list_conference_recordings(conference.sid)).items
    (active,) = [r for r in recordings if r.is_active]
    return conference.sid, active


async def refused(request, status: int, code: int) -> ApiError:
    with pytest.raises(ApiError) as caught:
        await request
    error = caught.value
    assert (error.status, error.code) == (status, code), str(error)
    assert error.message and error.more_info == f"https://www.twilio.com/docs/errors/{code}"
    return error


async def first_recording(client: RecordingsClient, wanted) -> Recording:
    async for recording in client.iter_recordings():
        if wanted(recording):
            return recording
    raise AssertionError("no such recording")


def sent(emu, method: str) -> int:
    return sum(1 for m, *_ in emu.request_log if m == method)


# -- transitions -----------------------------------------------------------------------------------


async def test_start_pause_skip_resume_stop_processing_completed(emu, client):
    call = await call_with(client, 0)
    created = await client.create_call_recording(call.sid, channels="dual", track="both")
    assert (created.status, created.channels, created.track, created.source, created.duration) == (
        "in-progress", 2, "both", "StartCallRecordingAPI", 0)
    assert created.call_sid == call.sid and created.conference_sid is None and created.price is None
    sid = created.sid
    assert (await client.list_recordings(page_size=1)).items[0].sid == sid  # newest first

    advance(emu, 10)
    paused = await client.update_recording(sid, "paused", call_sid=call.sid, pause_behavior="skip")
    assert (paused.sid, paused.status, paused.duration) == (sid, "paused", 10)
    advance(emu, 20)
    still = await client.fetch_recording(sid)
    assert (still.status, still.duration) == ("paused", 10)  # skip: the paused time is not recorded

    resumed = await client.update_recording(sid, "in-progress", call_sid=call.sid)
    assert resumed.status == "in-progress"
    advance(emu, 5)
    stopped = await client.update_recording(sid, "stopped", call_sid=call.sid)
    assert (stopped.status, stopped.duration) == ("stopped", 15)  # the update answers the in-flight status
    assert (await client.fetch_recording(sid)).status == "processing"  # a fetch never shows "stopped"
    with pytest.raises(NotFoundError):
        async with client.media_stream(sid):
            pass  # no media while processing

    advance(emu, PROCESSING_SECONDS - 0.1)
    assert (await client.fetch_recording(sid)).status == "processing"
    advance(emu, 0.2)
    done = await client.fetch_recording(sid)
    assert (done.status, done.duration, done.channels, str(done.price), done.price_unit) == (
        "completed", 15, 2, "-0.00250", "USD")
    async with client.media_stream(sid) as response:
        assert response.status_code == 200 and int(response.headers["Content-Length"]) > 15 * 8000 * 2 * 2


async def test_pause_without_a_behavior_is_silence_and_the_pause_is_recorded(emu, client):
    call = await call_with(client, 0)
    sid = (await client.create_call_recording(call.sid)).sid
    advance(emu, 10)
    assert (await client.update_recording(sid, "paused", call_sid=call.sid)).status == "paused"
    advance(emu, 20)
    assert (await client.fetch_recording(sid)).duration == 30  # silence: the pause is in the file
    await client.update_recording(sid, "in-progress", call_sid=call.sid)
    advance(emu, 5)
    await client.update_recording(sid, "stopped", call_sid=call.sid)
    advance(emu, PROCESSING_SECONDS)
    done = await client.fetch_recording(sid)
    assert (done.status, done.duration, done.channels) == ("completed", 35, 1)  # mono is the default


async def test_pause_silence_explicitly_and_setting_the_same_status_again(emu, client):
    call = await call_with(client, 1, "in-progress")
    (recording,) = call.own_active
    assert (await client.update_recording(recording.sid, "in-progress", call_sid=call.sid)).status == "in-progress"
    paused = await client.update_recording(recording.sid, "paused", call_sid=call.sid, pause_behavior="silence")
    again = await client.update_recording(recording.sid, "paused", call_sid=call.sid, pause_behavior="skip")
    assert paused.status == again.status == "paused"


async def test_twilio_current_acts_on_the_only_active_recording(emu, client):
    one = await call_with(client, 1, "in-progress")
    (recording,) = one.own_active
    paused = await client.update_recording(CURRENT, "paused", call_sid=one.sid)
    assert (paused.sid, paused.status) == (recording.sid, "paused")
    assert (await client.update_recording(CURRENT, "in-progress", call_sid=one.sid)).sid == recording.sid
    stopped = await client.update_recording(CURRENT, "stopped", call_sid=one.sid)
    assert (stopped.sid, stopped.status) == (recording.sid, "stopped")
    # Nothing active is left on that call: Twilio.CURRENT names nothing.
    await refused(client.update_recording(CURRENT, "paused", call_sid=one.sid), 404, 20404)


async def test_twilio_current_with_several_active_recordings_is_refused(emu, client):
    two = await call_with(client, 2)
    error = await refused(client.update_recording(CURRENT, "paused", call_sid=two.sid), 400, 16108)
    assert "more than one" in error.message
    for recording in (await client.list_call_recordings(two.sid)).items:
        assert recording.status == "in-progress"  # neither was touched
    # By SID each one can still be paused.
    first = two.own_active[0]
    assert (await client.update_recording(first.sid, "paused", call_sid=two.sid)).status == "paused"


async def test_twilio_current_on_a_call_with_no_recording_is_not_found(emu, client):
    idle = await call_with(client, 0)
    await refused(client.update_recording(CURRENT, "in-progress", call_sid=idle.sid), 404, 20404)


async def test_conference_recordings_pause_and_resume_but_are_never_stopped(emu, client):
    conference_sid, recording = await live_conference(client)
    paused = await client.update_recording(recording.sid, "paused", conference_sid=conference_sid,
                                           pause_behavior="skip")
    assert (paused.status, paused.conference_sid) == ("paused", conference_sid)
    assert (await client.fetch_recording(recording.sid)).status == "paused"
    # Twilio.CURRENT works on a conference too (the guide's "Pause a conference recording with
    # Twilio.CURRENT").
    assert (await client.update_recording(CURRENT, "in-progress", conference_sid=conference_sid)).sid == recording.sid
    for target in (recording.sid, CURRENT):
        error = await refused(client.update_recording(target, "stopped", conference_sid=conference_sid), 400, 20001)
        assert "conference" in error.message
    # Not through its participant call's path either: it is still the conference's recording.
    error = await refused(client.update_recording(recording.sid, "stopped", call_sid=recording.call_sid), 400, 20001)
    assert "conference" in error.message
    assert (await client.fetch_recording(recording.sid)).status == "in-progress"


async def test_updates_of_a_finished_recording_are_refused(emu, client):
    finished = await first_recording(client, lambda r: r.status == "completed" and not r.conference_sid)
    for status in ("paused", "in-progress", "stopped"):
        error = await refused(client.update_recording(finished.sid, status, call_sid=finished.call_sid), 400, 21220)
        assert finished.sid in error.message and "completed" in error.message
    # A recording that was just stopped is final as well.
    call = await call_with(client, 1, "in-progress")
    (recording,) = call.own_active
    await client.update_recording(recording.sid, "stopped", call_sid=call.sid)
    for status in ("in-progress", "paused", "stopped"):
        await refused(client.update_recording(recording.sid, status, call_sid=call.sid), 400, 21220)


async def test_an_update_naming_another_calls_recording_is_not_found(emu, client):
    call = await call_with(client, 1, "in-progress")
    other = await call_with(client, 0)
    await refused(client.update_recording(call.own_active[0].sid, "paused", call_sid=other.sid), 404, 20404)
    assert (await client.fetch_recording(call.own_active[0].sid)).status == "in-progress"


async def test_the_client_checks_its_arguments_before_sending(emu, client):
    call = await call_with(client, 1, "in-progress")
    sid = call.own_active[0].sid
    before = len(emu.request_log)
    bad_calls = [
        client.update_recording(sid, "processing", call_sid=call.sid),
        client.update_recording(sid, "paused", call_sid=call.sid, pause_behavior="mute"),
        client.update_recording(sid, "paused"),  # neither a call nor a conference
        client.update_recording("RE12", "paused", call_sid=call.sid),
        client.create_call_recording(call.sid, channels="stereo"),
        client.create_call_recording(call.sid, track="left"),
        client.create_call_recording(call.sid, trim="yes"),
        client.create_call_recording(call.sid, status_callback="ftp://example.com/cb"),
        client.create_call_recording(call.sid, status_callback_method="PUT"),
        client.create_call_recording(call.sid, status_callback_events=["finished"]),
        client.create_call_recording("CA12"),
        client.delete_recording("../../Calls"),
    ]
    for request in bad_calls:
        with pytest.raises(ValueError):
            await request
    assert len(emu.request_log) == before


# -- create ----------------------------------------------------------------------------------------


async def test_create_sends_every_option(emu, client):
    call = await call_with(client, 0)
    recording = await client.create_call_recording(
        call.sid, channels="mono", track="inbound", trim="trim-silence",
        status_callback="https://example.com/recording-status", status_callback_method="GET",
        status_callback_events=["in-progress", "completed", "absent"])
    assert (recording.channels, recording.track, recording.status) == (1, "inbound", "in-progress")
    stored = emu.store.recordings[recording.sid]
    assert stored.options == {"trim": "trim-silence", "callback": "https://example.com/recording-status",
                              "callback_method": "GET", "callback_events": ["in-progress", "completed", "absent"]}
    # The call now has an active recording that Twilio.CURRENT finds.
    assert (await client.update_recording(CURRENT, "paused", call_sid=call.sid)).sid == recording.sid


async def test_create_on_a_call_that_is_not_in_progress_is_refused(emu, client):
    ended = (await client.list_calls("completed")).items[0]
    before = len(emu.store)
    error = await refused(client.create_call_recording(ended.sid, channels="dual"), 400, 21220)
    assert ended.sid in error.message and "in-progress" in error.message
    assert len(emu.store) == before
    await refused(client.create_call_recording("CA" + "0" * 32), 404, 20404)


async def test_a_create_or_an_update_is_never_repeated(emu, client):
    call = await call_with(client, 0)
    emu.faults = FaultConfig(error_rate=1.0, methods=("POST",))
    before = sent(emu, "POST")
    with pytest.raises(ApiError) as caught:
        await client.create_call_recording(call.sid)
    assert caught.value.status in (500, 503)
    assert sent(emu, "POST") == before + 1  # one attempt: a repeat could start a second recording
    live = await call_with(client, 1, "in-progress")
    with pytest.raises(ApiError):
        await client.update_recording(live.own_active[0].sid, "paused", call_sid=live.sid)
    assert sent(emu, "POST") == before + 2
    emu.faults = FaultConfig()
    assert (await client.fetch_recording(live.own_active[0].sid)).status == "in-progress"


# -- delete ----------------------------------------------------------------------------------------


async def test_delete_a_completed_recording_keeps_its_metadata(emu, client):
    recording = await first_recording(client, lambda r: r.status == "completed")
    assert await client.delete_recording(recording.sid) is None
    with pytest.raises(NotFoundError):
        await client.fetch_recording(recording.sid)
    kept = await client.fetch_recording(recording.sid, include_soft_deleted=True)
    assert (kept.status, kept.duration, kept.date_created) == ("deleted", recording.duration, recording.date_created)
    listed = [r.sid async for r in client.iter_recordings()]
    assert recording.sid not in listed
    with_deleted = {r.sid: r async for r in client.iter_recordings(RecordingFilter(include_soft_deleted=True))}
    assert with_deleted[recording.sid].status == "deleted"
    with pytest.raises(NotFoundError):
        async with client.media_stream(recording.sid):
            pass  # the media is gone
    # Deleting it again: it is no longer there to delete.
    await refused(client.delete_recording(recording.sid), 404, 20404)


async def test_deleted_metadata_is_kept_for_forty_days(emu, client):
    recording = await first_recording(client, lambda r: r.status == "completed")
    await client.delete_recording(recording.sid)
    advance(emu, 40 * 86400 - 60)
    assert (await client.fetch_recording(recording.sid, include_soft_deleted=True)).status == "deleted"
    advance(emu, 120)
    with pytest.raises(NotFoundError):
        await client.fetch_recording(recording.sid, include_soft_deleted=True)
    assert recording.sid not in [r.sid async for r in client.iter_recordings(
        RecordingFilter(include_soft_deleted=True))]


@pytest.mark.parametrize("status", ["in-progress", "paused", "processing", "absent"])
async def test_only_completed_recordings_can_be_deleted(emu, client, status):
    everything = [r async for r in client.iter_recordings()]
    recording = next(r for r in everything if r.status == status)
    error = await refused(client.delete_recording(recording.sid), 400, 20001)
    assert status in error.message
    assert (await client.fetch_recording(recording.sid)).status == status


async def test_delete_of_an_unknown_recording_is_not_found(emu, client):
    await refused(client.delete_recording("RE" + "0" * 32), 404, 20404)


async def test_a_delete_whose_answer_was_lost_is_done_on_the_retry(emu):
    """The first DELETE is applied but its answer lost; the retry meets a 404 and takes it as done."""
    recording = emu.store.add_recording(duration=30)
    emu.faults = FaultConfig(reset_before_rate=1.0, methods=("DELETE",))

    async def no_wait(_seconds: float) -> None:
        emu.faults = FaultConfig()  # the network recovers before the next attempt

    retry = RetryPolicy(attempts=3, sleep=no_wait)
    async with RecordingsClient(custom_endpoint(emu.base_url), emu.account_sid, emu.account_sid,
                                emu.auth_token, retry=retry) as client:
        assert await client.delete_recording(recording.sid) is None
        assert sent(emu, "DELETE") == 2
        assert (await client.fetch_recording(recording.sid, include_soft_deleted=True)).status == "deleted"


# -- live calls come and go ------------------------------------------------------------------------


async def test_a_call_that_ends_on_its_own_finishes_its_recordings(emu, client):
    call = await call_with(client, 1, "in-progress")
    (recording,) = call.own_active
    store_call = emu.store.calls[call.sid]
    # Move to a moment after the call's scheduled end: it ends by itself.
    for _ in range(40):
        advance(emu, 60)
        if (await client.fetch_call(call.sid)).status != "in-progress":
            break
    ended = await client.fetch_call(call.sid)
    assert ended.status == "completed" and ended.end_time is not None
    after = await client.fetch_recording(recording.sid)
    assert after.status in ("processing", "completed")
    advance(emu, PROCESSING_SECONDS)
    done = await client.fetch_recording(recording.sid)
    assert done.status == "completed"
    assert done.duration == store_call.end - int(recording.date_created.timestamp())
    # Nothing can be done to it or on its call any more.
    await refused(client.update_recording(recording.sid, "paused", call_sid=call.sid), 400, 21220)
    await refused(client.create_call_recording(call.sid), 400, 21220)
    # Other calls replaced it.
    now_live = {c.sid for c in await live_calls(client)}
    assert call.sid not in now_live and now_live


async def test_new_live_calls_keep_appearing(emu, client):
    first = {c.sid for c in await live_calls(client)}
    seen: set[str] = set()
    for _ in range(30):
        advance(emu, 60)
        calls = (await client.list_calls("in-progress")).items
        assert calls, "there is always something live"
        seen.update(c.sid for c in calls)
    assert len(seen - first) >= 3
