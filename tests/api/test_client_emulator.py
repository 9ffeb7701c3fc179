"""The API client against the embedded emulator, over real loopback sockets (no mocked transport).

The emulator runs on a fixed clock and seed, so every expectation here is computed from what the
emulator serves through plain HTTP (``raw``), never hard-coded.
"""

from __future__ import annotations

import io
import wave
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import httpx
import pytest

from rec_tui.api import (
    AuthenticationError,
    NotFoundError,
    Recording,
    RecordingFilter,
    RecordingsClient,
    custom_endpoint,
)
from rec_tui.api.models import Transcription
from rec_tui.emulator import Emulator, EmulatorConfig, ManualClock

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def emu():
    with Emulator(EmulatorConfig(seed=11, recordings=180, clock=ManualClock(NOW))) as running:
        yield running


@pytest.fixture(scope="module")
def raw(emu):
    """Plain HTTP on the same emulator: the ground truth the client's answers are checked against."""
    with httpx.Client(base_url=f"{emu.base_url}/2010-04-01/Accounts/{emu.account_sid}/",
                      auth=(emu.account_sid, emu.auth_token), timeout=30) as http:
        yield http


def all_raw(raw: httpx.Client, params: dict | None = None) -> list[dict]:
    body = raw.get("Recordings.json", params={"PageSize": 1000, **(params or {})}).json()
    assert body["next_page_uri"] is None, "the seeded account fits in one page of 1000"
    return body["recordings"]


@pytest.fixture
async def client(emu):
    async with RecordingsClient(custom_endpoint(emu.base_url), emu.account_sid, emu.account_sid,
                                emu.auth_token) as c:
        yield c


# -- paging ------------------------------------------------------------------------------------

async def test_pages_forward_then_back_cover_the_list_exactly(client, raw):
    expected = [r["sid"] for r in all_raw(raw)]
    pages = [await client.list_recordings(page_size=40)]
    while pages[-1].has_next:
        pages.append(await client.next_page(pages[-1]))
    assert len(pages) == -(-len(expected) // 40) >= 4
    assert [r.sid for p in pages for r in p.items] == expected
    assert [p.page for p in pages] == list(range(len(pages)))
    assert pages[2].position().startswith("page 3 · rows 81–120")

    back = [pages[-1]]
    while back[-1].previous_page_uri:
        back.append(await client.previous_page(back[-1]))
    assert [[r.sid for r in p.items] for p in reversed(back)] == [[r.sid for r in p.items] for p in pages]
    assert back[-1].page == 0 and await client.previous_page(back[-1]) is None


async def test_iterating_follows_next_page_uri_to_the_end(client, raw):
    expected = [r["sid"] for r in all_raw(raw)]
    assert [r.sid async for r in client.iter_recordings(page_size=25)] == expected
    assert [r.sid async for r in client.iter_recordings(page_size=25, limit=30)] == expected[:30]


async def test_page_size_out_of_range(client, raw):
    with pytest.raises(ValueError):  # refused before sending
        await client.list_recordings(page_size=1001)
    for size in (0, 1001):  # and the service's own answer, for anyone who sends it anyway
        response = raw.get("Recordings.json", params={"PageSize": size})
        assert response.status_code == 400 and response.json()["status"] == 400


# -- filters -----------------------------------------------------------------------------------

def gmt_day(recording: dict) -> date:
    from email.utils import parsedate_to_datetime

    return parsedate_to_datetime(recording["date_created"]).astimezone(timezone.utc).date()


async def listed(client, filter: RecordingFilter) -> list[Recording]:
    return [r async for r in client.iter_recordings(filter, page_size=1000)]


async def test_date_filters_match_the_gmt_day_rules(client, raw):
    """``DateCreated<=D`` / ``>=D`` compare with 00:00 GMT of D, as the docs and the live API do."""
    everything = all_raw(raw)
    day = gmt_day(everything[len(everything) // 2])
    on = await listed(client, RecordingFilter(created_on=day))
    before = await listed(client, RecordingFilter(created_before=day))
    after = await listed(client, RecordingFilter(created_after=day))
    assert on and [r.sid for r in on] == [r["sid"] for r in everything if gmt_day(r) == day]
    assert before and [r.sid for r in before] == [r["sid"] for r in everything if gmt_day(r) < day]
    assert [r.sid for r in after] == [r["sid"] for r in everything if gmt_day(r) >= day]
    next_day = day + timedelta(days=1)
    one_day = await listed(client, RecordingFilter(created_after=day, created_before=next_day))
    assert [r.sid for r in one_day] == [r.sid for r in on]
    assert all(r.date_created.tzinfo is not None for r in on)


async def test_call_and_conference_filters(client, raw):
    everything = all_raw(raw)
    call_sid = next(r["call_sid"] for r in everything if r["conference_sid"] is None)
    by_call = await listed(client, RecordingFilter(call_sid=call_sid))
    assert by_call and {r.call_sid for r in by_call} == {call_sid}
    assert [r.sid for r in by_call] == [r["sid"] for r in everything if r["call_sid"] == call_sid]
    assert [r.sid for r in (await client.list_call_recordings(call_sid)).items] == [r.sid for r in by_call]

    conference_sid = next(r["conference_sid"] for r in everything if r["conference_sid"])
    by_conference = await listed(client, RecordingFilter(conference_sid=conference_sid))
    assert by_conference and {r.conference_sid for r in by_conference} == {conference_sid}
    conference_list = await client.list_conference_recordings(conference_sid)
    assert [r.sid for r in conference_list.items] == [r.sid for r in by_conference]


async def test_soft_deleted_recordings_only_with_include_soft_deleted(client, raw):
    default = await listed(client, RecordingFilter())
    with_deleted = await listed(client, RecordingFilter(include_soft_deleted=True))
    deleted = [r for r in with_deleted if r.status == "deleted"]
    assert deleted, "the seed has soft-deleted recordings"
    assert all(r.status != "deleted" for r in default)
    assert {r.sid for r in with_deleted} - {r.sid for r in default} == {r.sid for r in deleted}
    # metadata kept
    assert all(r.duration is not None and r.date_created for r in deleted)


async def test_a_malformed_sid_in_a_filter_is_refused_by_the_service(emu, raw):
    response = raw.get("Recordings.json", params={"CallSid": "CA-not-a-sid"})
    assert response.status_code == 400 and response.json()["code"]


# -- models ------------------------------------------------------------------------------------

async def test_every_field_typed_and_reachable(client, raw):
    truth = {r["sid"]: r for r in all_raw(raw)}
    recordings = await listed(client, RecordingFilter())
    for recording in recordings:
        source = truth[recording.sid]
        assert recording.problems == ()
        assert recording.duration == int(source["duration"])
        assert recording.price == (Decimal(str(source["price"])) if source["price"] is not None else None)
        assert recording.date_created.tzinfo is not None
        assert recording.media_url == source["media_url"] and recording.uri == source["uri"]
        assert recording.subresource_uris == source["subresource_uris"]
        assert recording.encryption_details == source["encryption_details"]
        assert recording.track == source["track"] and recording.error_code == source["error_code"]
    assert any(r.encryption_details for r in recordings)
    assert any(r.status == "absent" and r.error_code for r in recordings)
    assert {r.source for r in recordings} >= {"DialVerb", "Conference", "OutboundAPI", "RecordVerb"}


async def test_fetch_one_recording_and_its_transcriptions(client, raw):
    with_text = next(r for r in all_raw(raw)
                     if raw.get(f"Recordings/{r['sid']}/Transcriptions.json").json()["transcriptions"])
    recording = await client.fetch_recording(with_text["sid"])
    assert recording.sid == with_text["sid"] and recording.status == with_text["status"]
    transcriptions = (await client.list_transcriptions(recording.sid)).items
    assert transcriptions and all(isinstance(t, Transcription) for t in transcriptions)
    one = await client.fetch_transcription(transcriptions[0].sid)
    assert one.recording_sid == recording.sid and one.transcription_text


# -- errors ------------------------------------------------------------------------------------

async def test_wrong_credentials_are_an_authentication_error_with_code_20003(emu):
    async with RecordingsClient(custom_endpoint(emu.base_url), emu.account_sid, emu.account_sid,
                                "0" * 32) as wrong:
        with pytest.raises(AuthenticationError) as caught:
            await wrong.list_recordings()
        with pytest.raises(AuthenticationError):
            await wrong.check_credentials()
    assert caught.value.status == 401 and caught.value.code == 20003
    assert "0" * 32 not in str(caught.value)


async def test_an_api_key_and_its_secret_work(emu):
    async with RecordingsClient(custom_endpoint(emu.base_url), emu.account_sid, emu.api_key_sid,
                                emu.api_key_secret) as keyed:
        await keyed.check_credentials()
        assert (await keyed.list_recordings(page_size=5)).items


async def test_another_accounts_sid_in_the_path_is_refused(emu):
    other = "AC" + "1" * 32
    async with RecordingsClient(custom_endpoint(emu.base_url), other, emu.account_sid, emu.auth_token) as c:
        with pytest.raises(AuthenticationError):
            await c.list_recordings()


async def test_unknown_recording_is_the_services_404_body(client):
    missing = "RE" + "0" * 32
    with pytest.raises(NotFoundError) as caught:
        await client.fetch_recording(missing)
    error = caught.value
    assert error.status == 404 and error.code == 20404
    assert missing in error.message and error.more_info.startswith("https://")


# -- media -------------------------------------------------------------------------------------

async def media_bytes(client, sid: str, fmt: str, channels: int | None = None) -> bytes:
    async with client.media_stream(sid, fmt, channels) as response:
        return await response.aread()


async def test_media_is_a_wav_of_the_recordings_length_and_channels(client, raw):
    recordings = [r for r in all_raw(raw) if r["status"] == "completed"]
    mono = next(r for r in recordings if r["channels"] == 1)
    dual = next(r for r in recordings if r["channels"] == 2)
    for recording, requested in ((mono, None), (dual, None), (dual, 1), (dual, 2)):
        data = await media_bytes(client, recording["sid"], "wav", requested)
        with wave.open(io.BytesIO(data)) as wav:
            assert wav.getnchannels() == (requested or recording["channels"])
            assert wav.getframerate() == 8000 and wav.getsampwidth() == 2
            assert wav.getnframes() == int(recording["duration"]) * 8000


async def test_two_channels_of_a_mono_conference_recording_is_404(client, raw):
    conference = next(r for r in all_raw(raw)
                      if r["status"] == "completed" and r["source"] == "Conference" and r["channels"] == 1)
    with pytest.raises(NotFoundError):
        await media_bytes(client, conference["sid"], "wav", 2)


async def test_no_media_for_a_recording_that_is_not_completed(client, raw):
    absent = next(r for r in all_raw(raw) if r["status"] == "absent")
    with pytest.raises(NotFoundError) as caught:
        await media_bytes(client, absent["sid"], "wav")
    assert caught.value.code == 20404


async def test_mp3_decodes_to_the_recordings_length(client, raw, tmp_path):
    from pydub import AudioSegment

    recording = next(r for r in all_raw(raw) if r["status"] == "completed" and int(r["duration"]) >= 3)
    data = await media_bytes(client, recording["sid"], "mp3")
    assert data[:3] == b"ID3" or data[0] == 0xFF
    audio = AudioSegment.from_file(io.BytesIO(data), format="mp3")
    assert abs(len(audio) / 1000 - int(recording["duration"])) < 0.2


async def test_live_recordings_are_in_progress_with_a_growing_duration():
    with Emulator(EmulatorConfig(seed=11, recordings=20, clock=ManualClock(NOW))) as emu:
        async with RecordingsClient(custom_endpoint(emu.base_url), emu.account_sid, emu.account_sid,
                                    emu.auth_token) as client:
            await check_live_recording_grows(emu, client)


async def check_live_recording_grows(emu, client):
    calls = (await client.list_calls()).items
    assert calls and all(c.status == "in-progress" for c in calls)
    live = [r for call in calls for r in (await client.list_call_recordings(call.sid)).items
            if r.status == "in-progress"]
    assert live, "some live call is being recorded"
    before = live[0].duration or 0
    emu.config.clock.advance(20)
    after = await client.fetch_recording(live[0].sid)
    assert after.status == "in-progress" and after.duration == before + 20
