"""The emulator's SignalWire flavour, over real sockets, checked against SignalWire's reference
(``shared/reference/docs/002_55a805cef688da7f.txt``): base path, Project ID and token, UUID SIDs,
statuses, sources, fields; and the API client reading it into the same models."""

from __future__ import annotations

import io
import re
import uuid
import wave
from datetime import timedelta
from email.utils import parsedate_to_datetime

import httpx
import pytest

from rec_tui.api import NotFoundError, RecordingFilter, RecordingsClient, custom_endpoint
from rec_tui.emulator import Emulator

from .support import RFC2822, assert_error, make_emulator

#: The reference's lists, copied from the document.
SIGNALWIRE_STATUSES = {"paused", "in-progress", "stopped"}
SIGNALWIRE_SOURCES = {"DialVerb", "Conference", "OutBoundApi", "Trunking", "RecordVerb", "StartCallRecordingApi",
                      "StartConferenceRecording"}
SIGNALWIRE_FIELDS = {"account_sid", "api_version", "call_sid", "conference_sid", "channels", "date_created",
                     "date_updated", "end_time", "price", "price_unit", "duration", "sid", "source", "status",
                     "error_code", "uri", "subresource_uris"}
TWILIO_SID = re.compile(r"(?<![0-9A-Za-z])[A-Z]{2}[0-9a-fA-F]{32}(?![0-9A-Za-z])")


class SignalWire:
    """httpx on a SignalWire-flavoured emulator, paths relative to the project's account path."""

    def __init__(self, emu: Emulator) -> None:
        self.emu = emu
        self.root = f"/api/laml/2010-04-01/Accounts/{emu.account_sid}"
        self.http = httpx.Client(base_url=emu.base_url, auth=(emu.account_sid, emu.auth_token), timeout=30)

    def get(self, path: str, **params) -> httpx.Response:
        # No params at all when there are none: httpx would drop a page URI's own query for {}.
        return self.http.get(path if path.startswith("/") else f"{self.root}/{path}", params=params or None)

    def json(self, path: str, **params) -> dict:
        response = self.get(path, **params)
        assert response.status_code == 200, response.text
        return response.json()

    def all_recordings(self, **params) -> list[dict]:
        body = self.json("Recordings.json", PageSize=100, **params)
        items = list(body["recordings"])
        while body["next_page_uri"]:
            body = self.json(body["next_page_uri"])
            items += body["recordings"]
        return items


@pytest.fixture(scope="module")
def sw_emu():
    with make_emulator(flavour="signalwire", recordings=300) as running:
        yield running


@pytest.fixture(scope="module")
def sw(sw_emu):
    api = SignalWire(sw_emu)
    yield api
    api.http.close()


@pytest.fixture(scope="module")
def recordings(sw) -> list[dict]:
    return sw.all_recordings()


@pytest.fixture
def fresh_sw():
    with make_emulator(flavour="signalwire", recordings=40) as running:
        api = SignalWire(running)
        yield api
        api.http.close()


def is_uuid4(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        parsed = uuid.UUID(value)
    except ValueError:
        return False
    return str(parsed) == value and parsed.version == 4 and parsed.variant == uuid.RFC_4122


# -- the account: base path, Project ID, token ------------------------------------------------


def test_project_id_and_token_on_the_laml_base_path(sw_emu, sw):
    assert is_uuid4(sw_emu.account_sid)
    assert sw_emu.api_root == f"{sw_emu.base_url}/api/laml/2010-04-01/Accounts/{sw_emu.account_sid}"
    assert sw_emu.endpoint_url == f"{sw_emu.base_url}/api/laml"
    assert sw_emu.api_key_sid is None  # SignalWire has no API keys
    body = sw.json("Recordings.json", PageSize=5)
    assert len(body["recordings"]) == 5
    assert body["uri"].startswith(sw.root + "/Recordings.json?")


def test_wrong_token_and_other_paths_are_refused(sw_emu, sw):
    wrong = httpx.get(f"{sw_emu.api_root}/Recordings.json", auth=(sw_emu.account_sid, sw_emu.auth_token + "x"))
    assert_error(wrong, 401, 20003)
    # Twilio's base path and a Twilio-form account do not exist at SignalWire.
    assert_error(sw.get(f"/2010-04-01/Accounts/{sw_emu.account_sid}/Recordings.json"), 404, 20404)
    twilio_account = "AC" + sw_emu.account_sid.replace("-", "")
    assert_error(sw.get(f"/api/laml/2010-04-01/Accounts/{twilio_account}/Recordings.json"), 404, 20404)


def test_the_same_seed_serves_the_same_project_and_recordings():
    with make_emulator(flavour="signalwire", recordings=30) as one, \
            make_emulator(flavour="signalwire", recordings=30) as two:
        a, b = SignalWire(one), SignalWire(two)
        assert (one.account_sid, one.auth_token) == (two.account_sid, two.auth_token)
        assert [r["sid"] for r in a.all_recordings()] == [r["sid"] for r in b.all_recordings()]
        a.http.close()
        b.http.close()


# -- what a recording looks like --------------------------------------------------------------


def test_every_sid_served_is_a_version_4_uuid(sw, recordings):
    assert len(recordings) == 300
    for rec in recordings:
        assert is_uuid4(rec["sid"]) and is_uuid4(rec["account_sid"]) and is_uuid4(rec["call_sid"]), rec
        assert rec["conference_sid"] is None or is_uuid4(rec["conference_sid"])
    assert len({r["sid"] for r in recordings}) == 300
    # The store's SIDs, as the emulator says clients see them, are what was served.
    with sw.emu.store.lock:
        listed = {sw.emu.served_sid(sid) for sid, rec in sw.emu.store.recordings.items() if rec.status != "deleted"}
    assert listed == {r["sid"] for r in recordings}
    calls = sw.json("Calls.json", PageSize=50)["calls"]
    assert calls and all(is_uuid4(call["sid"]) for call in calls)
    # Nowhere in a page (URIs, page tokens, subresources) is there a Twilio-form SID.
    page = sw.get("Recordings.json", PageSize=100)
    assert not TWILIO_SID.search(page.text)
    assert "PageToken=PA" in page.json()["next_page_uri"]


def test_recordings_have_signalwires_fields_statuses_and_sources(recordings):
    for rec in recordings:
        assert set(rec) == SIGNALWIRE_FIELDS, sorted(set(rec) ^ SIGNALWIRE_FIELDS)
        assert rec["status"] in SIGNALWIRE_STATUSES
        assert rec["source"] in SIGNALWIRE_SOURCES
        assert rec["uri"] == f"/api/laml/2010-04-01/Accounts/{rec['account_sid']}/Recordings/{rec['sid']}.json"
        assert rec["subresource_uris"] == {"transcriptions": rec["uri"][:-5] + "/Transcriptions.json"}
    assert {r["status"] for r in recordings} == SIGNALWIRE_STATUSES
    # The seeded mix uses SignalWire's spellings of the API sources.
    assert {"OutBoundApi", "StartCallRecordingApi", "StartConferenceRecording"} <= {r["source"] for r in recordings}


def test_a_finished_recording_has_an_end_time_and_an_active_one_has_none(recordings):
    finished = [r for r in recordings if r["status"] == "stopped"]
    assert finished
    for rec in finished:
        assert RFC2822.match(rec["end_time"]), rec["end_time"]
        ended = parsedate_to_datetime(rec["end_time"])
        assert ended - parsedate_to_datetime(rec["date_created"]) == timedelta(seconds=int(rec["duration"]))
    for rec in recordings:
        if rec["status"] != "stopped":
            assert rec["end_time"] is None


def test_prices_read_as_signalwires_reference_shows_them(recordings):
    priced = [r["price"] for r in recordings if r["price"] is not None]
    assert "-0.0025" in priced  # a one-minute recording, as in the reference's example
    assert all(not p.endswith("0") for p in priced)


def test_a_failed_recording_is_stopped_with_an_error_code_and_no_media(sw, recordings):
    failed = [r for r in recordings if r["error_code"] is not None]
    assert failed
    rec = failed[0]
    assert rec["status"] == "stopped" and rec["duration"] == "0"
    assert_error(sw.get(f"Recordings/{rec['sid']}.wav"), 404, 20404)


# -- reading: fetch, media, filters, paging ----------------------------------------------------


def test_fetch_by_uuid_and_media_with_and_without_extension(sw, recordings):
    rec = next(r for r in recordings if r["status"] == "stopped" and r["error_code"] is None
               and 0 < int(r["duration"]) < 30)
    assert sw.json(f"Recordings/{rec['sid']}.json") == rec
    for path in (f"Recordings/{rec['sid']}", f"Recordings/{rec['sid']}.wav"):
        response = sw.get(path)
        assert response.status_code == 200 and response.headers["content-type"] == "audio/x-wav"
        with wave.open(io.BytesIO(response.content)) as wav:
            assert round(wav.getnframes() / wav.getframerate()) == int(rec["duration"])
            assert wav.getnchannels() == rec["channels"]


def test_a_twilio_form_sid_is_not_found(sw, recordings):
    rec = recordings[10]
    twilio_form = "RE" + rec["sid"].replace("-", "")
    assert_error(sw.get(f"Recordings/{twilio_form}.json"), 404, 20404)
    body = assert_error(sw.get("Recordings.json", CallSid="CA" + rec["call_sid"].replace("-", "")), 400, 20001)
    assert "UUID" in body["message"]


def test_filter_by_call_and_conference_uuid(sw, recordings):
    call_sid = next(r["call_sid"] for r in recordings[20:] if r["conference_sid"] is None)
    expected = [r["sid"] for r in recordings if r["call_sid"] == call_sid]
    assert [r["sid"] for r in sw.json("Recordings.json", CallSid=call_sid)["recordings"]] == expected
    assert [r["sid"] for r in sw.json(f"Calls/{call_sid}/Recordings.json")["recordings"]] == expected
    conference_sid = next(r["conference_sid"] for r in recordings if r["conference_sid"])
    expected = [r["sid"] for r in recordings if r["conference_sid"] == conference_sid]
    got = sw.json(f"Conferences/{conference_sid}/Recordings.json")["recordings"]
    assert [r["sid"] for r in got] == expected and expected


def test_paging_both_ways_with_uuid_page_tokens(sw, recordings):
    first = sw.json("Recordings.json", PageSize=40)
    second = sw.json(first["next_page_uri"])
    assert [r["sid"] for r in second["recordings"]] == [r["sid"] for r in recordings[40:80]]
    token = dict(httpx.URL(first["next_page_uri"]).params)["PageToken"]
    assert token == "PA" + recordings[39]["sid"]
    back = sw.json(second["previous_page_uri"])
    assert [r["sid"] for r in back["recordings"]] == [r["sid"] for r in recordings[:40]]


def test_transcriptions_are_served_and_add_ons_and_xml_are_not(sw, recordings):
    found = None
    for rec in recordings:
        items = sw.json(f"Recordings/{rec['sid']}/Transcriptions.json")["transcriptions"]
        if items:
            found = rec, items
            break
    assert found is not None
    rec, items = found
    assert all(is_uuid4(t["sid"]) and t["recording_sid"] == rec["sid"] for t in items)
    assert_error(sw.get(f"Recordings/{rec['sid']}/AddOnResults.json"), 404, 20404)
    assert_error(sw.get(f"Recordings/{rec['sid']}.xml"), 404, 20404)


# -- changes: the state machine in SignalWire's words -----------------------------------------


def test_stop_a_live_recording_then_fetch_download_and_delete(fresh_sw):
    sw = fresh_sw
    live = next(r for r in sw.all_recordings() if r["status"] == "in-progress" and r["conference_sid"] is None)
    path = f"Calls/{live['call_sid']}/Recordings/{live['sid']}.json"
    paused = sw.http.post(f"{sw.root}/{path}", data={"Status": "paused"})
    assert paused.status_code == 200 and paused.json()["status"] == "paused"
    stopped = sw.http.post(f"{sw.root}/{path}", data={"Status": "stopped"})
    assert stopped.status_code == 200, stopped.text
    assert stopped.json()["status"] == "stopped" and is_uuid4(stopped.json()["sid"])
    fetched = sw.json(f"Recordings/{live['sid']}.json")
    assert fetched["status"] == "stopped" and fetched["end_time"] is not None
    # Finished is finished: the media is there at once, without Twilio's processing stage.
    assert sw.get(f"Recordings/{live['sid']}.wav").status_code == 200
    done = next(r for r in sw.all_recordings() if r["status"] == "stopped" and r["error_code"] is None
                and r["sid"] != live["sid"] and int(r["duration"]) > 0)
    assert sw.http.delete(f"{sw.root}/Recordings/{done['sid']}.json").status_code == 204
    # Gone, whatever a Twilio client asks for.
    assert_error(sw.get(f"Recordings/{done['sid']}.json", IncludeSoftDeleted="true"), 404, 20404)
    assert done["sid"] not in {r["sid"] for r in sw.all_recordings(IncludeSoftDeleted="true")}


def test_start_a_recording_on_a_live_call(fresh_sw):
    sw = fresh_sw
    call = sw.json("Calls.json", Status="in-progress")["calls"][0]
    created = sw.http.post(f"{sw.root}/Calls/{call['sid']}/Recordings.json", data={"RecordingChannels": "dual"})
    assert created.status_code == 201, created.text
    body = created.json()
    assert is_uuid4(body["sid"]) and body["call_sid"] == call["sid"]
    assert body["status"] == "in-progress" and body["source"] == "StartCallRecordingApi"


# -- the client reads it into the same models --------------------------------------------------


async def test_the_client_keeps_signalwires_values(sw_emu, recordings, tmp_path):
    client = RecordingsClient(custom_endpoint(sw_emu.endpoint_url, provider="signalwire"), sw_emu.account_sid,
                              sw_emu.account_sid, sw_emu.auth_token)
    async with client:
        page = await client.list_recordings(page_size=100)
        assert [r.sid for r in page.items] == [r["sid"] for r in recordings[:100]]
        assert all(r.problems == () for r in page.items)
        finished = next(r for r in page.items if r.status == "stopped" and r.error_code is None and r.duration)
        assert finished.has_media and finished.end_time is not None
        assert finished.end_time == finished.date_created + timedelta(seconds=finished.duration)
        assert finished.extra["end_time"] == next(r["end_time"] for r in recordings if r["sid"] == finished.sid)
        assert {r.source for r in page.items} <= SIGNALWIRE_SOURCES
        assert not any(r.has_media for r in page.items if r.status in ("in-progress", "paused") or r.error_code)
        fetched = await client.fetch_recording(finished.sid)
        assert fetched == finished
        second = await client.next_page(page)
        assert [r.sid for r in second.items] == [r["sid"] for r in recordings[100:200]]
        calls = await client.list_recordings(RecordingFilter(call_sid=finished.call_sid))
        assert finished.sid in {r.sid for r in calls.items}
        async with client.media_stream(finished.sid) as response:
            data = await response.aread()
        assert data[:4] == b"RIFF"
        with pytest.raises(NotFoundError):
            await client.list_add_on_results(finished.sid)
        with pytest.raises(ValueError):
            await client.list_recordings_xml(legacy=True)  # SignalWire has no 2008-08-01 API


# -- rec-tui --demo --flavour signalwire ---------------------------------------------------------


def test_the_demo_opens_on_a_signalwire_emulator(monkeypatch, capsys):
    from rec_tui import cli
    from rec_tui.ui.app import RecTuiApp

    seen = {}

    def fake_run(self, *args, **kwargs):
        emu = self.connection.emulator
        client = self.connection.client
        seen.update(flavour=emu.config.flavour, label=self.connection.provider_label,
                    root=client.endpoint.api_root, account=client.account_sid == emu.account_sid)
        response = httpx.get(f"{emu.api_root}/Recordings.json", auth=(emu.account_sid, emu.auth_token))
        seen["sids"] = [r["sid"] for r in response.json()["recordings"]]

    monkeypatch.setattr(RecTuiApp, "run", fake_run)
    assert cli.main(["--demo", "--flavour", "signalwire", "--count", "12"], environ={}) == 0
    assert seen["flavour"] == "signalwire" and seen["label"] == "Emulator (SignalWire)"
    assert seen["root"] == "/api/laml/2010-04-01" and seen["account"]
    assert len(seen["sids"]) == 12 and all(is_uuid4(sid) for sid in seen["sids"])
    # Only with --demo; and the standalone emulator takes it too.
    assert cli.main(["--flavour", "signalwire"], environ={}) == 2
    assert "--flavour" in capsys.readouterr().err
    args = cli.build_parser().parse_args(["emulator", "--flavour", "signalwire"])
    assert cli._emulator_config(None, None, args.emulator_flavour).flavour == "signalwire"
    with pytest.raises(SystemExit):
        cli.build_parser().parse_args(["--demo", "--flavour", "plivo"])
