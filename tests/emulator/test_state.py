"""The recording state machine (create, pause, resume, stop, delete) and live calls, on a ManualClock."""

from __future__ import annotations

import io
import wave

import pytest

from .support import Api, assert_error, make_emulator


class Live:
    """The live calls of an emulator, by what they show."""

    def __init__(self, api: Api) -> None:
        self.api = api
        self.store = api.emu.store

    def calls(self) -> list[dict]:
        return [c for c in self.api.json("Calls.json", {"Status": "in-progress"})["calls"]]

    def own_active(self, call_sid: str) -> list[dict]:
        recs = self.api.json(f"Calls/{call_sid}/Recordings.json")["recordings"]
        return [r for r in recs if r["status"] in ("in-progress", "paused") and r["conference_sid"] is None]

    def call_with(self, count: int, status: str | None = None) -> tuple[str, list[dict]]:
        for call in self.calls():
            if self.store.calls[call["sid"]].conference_sid:
                continue
            active = self.own_active(call["sid"])
            if len(active) == count and (status is None or all(r["status"] == status for r in active)):
                return call["sid"], active
        raise AssertionError(f"no live call with {count} active recording(s)")


@pytest.fixture
def live(fresh_api) -> Live:
    return Live(fresh_api)


def advance(api: Api, seconds: float) -> None:
    api.emu.config.clock.advance(seconds)


def rec_path(call_sid: str, sid: str) -> str:
    return f"Calls/{call_sid}/Recordings/{sid}.json"


def test_create_pause_skip_resume_stop_process_complete(fresh_api, live):
    api = fresh_api
    call_sid, _ = live.call_with(0)
    created = api.post(f"Calls/{call_sid}/Recordings.json", data={"RecordingChannels": "dual"})
    assert created.status_code == 201
    rec = created.json()
    assert (rec["status"], rec["source"], rec["channels"], rec["track"], rec["duration"]) == (
        "in-progress", "StartCallRecordingAPI", 2, "both", "0")
    assert rec["price"] is None and rec["call_sid"] == call_sid and rec["conference_sid"] is None
    sid = rec["sid"]
    assert api.json("Recordings.json", {"PageSize": 1})["recordings"][0]["sid"] == sid  # newest first
    advance(api, 10)
    assert api.json(rec_path(call_sid, sid))["duration"] == "10"
    paused = api.post(rec_path(call_sid, sid), data={"Status": "paused", "PauseBehavior": "skip"}).json()
    assert paused["status"] == "paused" and paused["duration"] == "10"
    advance(api, 20)
    fetched = api.json(f"Recordings/{sid}.json")
    assert (fetched["status"], fetched["duration"]) == ("paused", "10")  # skip: the pause is not recorded
    assert api.post(rec_path(call_sid, sid), data={"Status": "in-progress"}).json()["status"] == "in-progress"
    advance(api, 5)
    assert api.json(rec_path(call_sid, sid))["duration"] == "15"
    stopped = api.post(rec_path(call_sid, sid), data={"Status": "stopped"}).json()
    assert (stopped["status"], stopped["duration"]) == ("stopped", "15")  # the in-flight status
    for path in (rec_path(call_sid, sid), f"Recordings/{sid}.json"):
        assert api.json(path)["status"] == "processing"
    assert_error(api.get(f"Recordings/{sid}.wav"), 404, 20404)
    advance(api, 2.9)
    assert api.json(f"Recordings/{sid}.json")["status"] == "processing"
    advance(api, 0.2)
    done = api.json(f"Recordings/{sid}.json")
    assert (done["status"], done["duration"], done["price"], done["price_unit"]) == ("completed", "15", "-0.00250", "USD")
    with wave.open(io.BytesIO(api.get(f"Recordings/{sid}.wav").content)) as wav:
        assert wav.getnframes() == 15 * 8000 and wav.getnchannels() == 2
    # Stopped is final.
    for status in ("in-progress", "paused", "stopped"):
        assert_error(api.post(rec_path(call_sid, sid), data={"Status": status}), 400, 21220)


def test_pause_with_silence_is_counted(fresh_api, live):
    api = fresh_api
    call_sid, _ = live.call_with(0)
    sid = api.post(f"Calls/{call_sid}/Recordings.json").json()["sid"]
    advance(api, 10)
    paused = api.post(rec_path(call_sid, sid), data={"Status": "paused"}).json()  # silence is the default
    assert paused["status"] == "paused"
    advance(api, 20)
    assert api.json(rec_path(call_sid, sid))["duration"] == "30"
    api.post(rec_path(call_sid, sid), data={"Status": "in-progress"})
    advance(api, 5)
    api.post(rec_path(call_sid, sid), data={"Status": "stopped"})
    advance(api, 3)
    done = api.json(f"Recordings/{sid}.json")
    assert (done["status"], done["duration"], done["channels"]) == ("completed", "35", 1)


def test_setting_the_current_status_again_is_harmless(fresh_api, live):
    api = fresh_api
    call_sid, (rec,) = live.call_with(1, "in-progress")
    assert api.post(rec_path(call_sid, rec["sid"]), data={"Status": "in-progress"}).json()["status"] == "in-progress"
    api.post(rec_path(call_sid, rec["sid"]), data={"Status": "paused", "PauseBehavior": "skip"})
    again = api.post(rec_path(call_sid, rec["sid"]), data={"Status": "paused"})
    assert again.status_code == 200 and again.json()["status"] == "paused"


def test_twilio_current(fresh_api, live):
    api = fresh_api
    one, (rec,) = live.call_with(1, "in-progress")
    paused = api.post(rec_path(one, "Twilio.CURRENT"), data={"Status": "paused"})
    assert paused.status_code == 200 and (paused.json()["sid"], paused.json()["status"]) == (rec["sid"], "paused")
    assert api.post(rec_path(one, "Twilio.CURRENT"), data={"Status": "in-progress"}).json()["status"] == "in-progress"
    two, _ = live.call_with(2)
    body = assert_error(api.post(rec_path(two, "Twilio.CURRENT"), data={"Status": "paused"}), 400, 16108)
    assert "more than one" in body["message"]
    idle, _ = live.call_with(0)
    assert_error(api.post(rec_path(idle, "Twilio.CURRENT"), data={"Status": "paused"}), 404, 20404)
    stopped = api.post(rec_path(one, "Twilio.CURRENT"), data={"Status": "stopped"}).json()
    assert (stopped["sid"], stopped["status"]) == (rec["sid"], "stopped")
    assert_error(api.post(rec_path(one, "Twilio.CURRENT"), data={"Status": "paused"}), 404, 20404)  # none left


def test_conference_recordings_pause_and_resume_but_never_stop(fresh_api):
    api = fresh_api
    conf = api.json("Conferences.json", {"Status": "in-progress"})["conferences"][0]["sid"]
    (rec,) = [r for r in api.json(f"Conferences/{conf}/Recordings.json")["recordings"] if r["status"] == "in-progress"]
    path = f"Conferences/{conf}/Recordings/{rec['sid']}.json"
    current = f"Conferences/{conf}/Recordings/Twilio.CURRENT.json"
    assert api.post(current, data={"Status": "paused", "PauseBehavior": "skip"}).json()["status"] == "paused"
    assert api.json(path)["status"] == "paused"
    assert api.post(path, data={"Status": "in-progress"}).json()["status"] == "in-progress"
    for target in (path, current):
        body = assert_error(api.post(target, data={"Status": "stopped"}), 400, 20001)
        assert "conference" in body["message"]
    assert api.json(path)["status"] == "in-progress"


def test_update_refusals(fresh_api, live):
    api = fresh_api
    call_sid, (rec,) = live.call_with(1, "in-progress")
    path = rec_path(call_sid, rec["sid"])
    assert_error(api.post(path, data={}), 400, 20001)  # Status is required
    for status in ("processing", "completed", "absent", "deleted", "PAUSED", ""):
        assert_error(api.post(path, data={"Status": status}), 400, 20001)
    assert_error(api.post(path, data={"Status": "paused", "PauseBehavior": "mute"}), 400, 20001)
    finished = next(r for r in api.emu.store.all_recordings() if r.status == "completed" and not r.conference_sid)
    for status in ("paused", "in-progress", "stopped"):
        assert_error(api.post(rec_path(finished.call_sid, finished.sid), data={"Status": status}), 400, 21220)
    other, _ = live.call_with(0)
    assert_error(api.post(rec_path(other, rec["sid"]), data={"Status": "paused"}), 404, 20404)
    assert_error(api.post(rec_path("CA" + "0" * 32, rec["sid"]), data={"Status": "paused"}), 404, 20404)
    assert_error(api.post(rec_path(call_sid, "Twilio.SOMETHING"), data={"Status": "paused"}), 404, 20404)
    assert api.json(path)["status"] == "in-progress"  # nothing changed


@pytest.mark.parametrize("data", [
    {"RecordingChannels": "stereo"}, {"RecordingChannels": "Mono"}, {"RecordingTrack": "left"},
    {"Trim": "yes"}, {"RecordingStatusCallback": "not a url"}, {"RecordingStatusCallback": "ftp://x.example/cb"},
    {"RecordingStatusCallbackMethod": "PUT"}, {"RecordingStatusCallbackEvent": "in-progress finished"},
    {"RecordingStatusCallbackEvent": ["completed", "ringing"]},
])
def test_create_validates_every_parameter(fresh_api, live, data):
    api = fresh_api
    call_sid, _ = live.call_with(0)
    before = len(api.emu.store)
    body = assert_error(api.post(f"Calls/{call_sid}/Recordings.json", data=data), 400, 20001)
    assert next(iter(data)) in body["message"]
    assert len(api.emu.store) == before


def test_create_options_and_refusals(fresh_api, live):
    api = fresh_api
    call_sid, _ = live.call_with(0)
    rec = api.post(f"Calls/{call_sid}/Recordings.json", data={
        "RecordingTrack": "inbound", "Trim": "trim-silence", "RecordingStatusCallback": "https://example.com/rec",
        "RecordingStatusCallbackMethod": "get", "RecordingStatusCallbackEvent": "in-progress completed absent"})
    assert rec.status_code == 201
    body = rec.json()
    assert (body["channels"], body["track"]) == (1, "inbound")
    stored = api.emu.store.recordings[body["sid"]]
    assert stored.options == {"trim": "trim-silence", "callback": "https://example.com/rec", "callback_method": "GET",
                              "callback_events": ["in-progress", "completed", "absent"]}
    # Now that call has an active recording, Twilio.CURRENT finds it.
    assert api.post(rec_path(call_sid, "Twilio.CURRENT"), data={"Status": "paused"}).json()["sid"] == body["sid"]
    done = next(c for c in api.json("Calls.json", {"Status": "completed"})["calls"])
    assert_error(api.post(f"Calls/{done['sid']}/Recordings.json"), 400, 21220)
    assert_error(api.post("Calls/CA" + "0" * 32 + "/Recordings.json"), 404, 20404)
    assert_error(api.post("Calls/CA12/Recordings.json"), 404, 20404)


def test_delete_and_its_refusals(fresh_api):
    api = fresh_api
    store = api.emu.store
    rec = next(r for r in store.all_recordings() if r.status == "completed" and not r.conference_sid)
    assert api.delete(f"Recordings/{rec.sid}.json").status_code == 204
    assert_error(api.get(f"Recordings/{rec.sid}.json"), 404, 20404)
    body = api.json(f"Recordings/{rec.sid}.json", {"IncludeSoftDeleted": "true"})
    assert body["status"] == "deleted" and body["duration"] == str(rec.duration)
    assert_error(api.get(f"Recordings/{rec.sid}.wav"), 404, 20404)
    assert_error(api.delete(f"Recordings/{rec.sid}.json"), 404, 20404)  # already deleted: not there to delete
    for status in ("absent", "processing", "in-progress", "paused"):
        other = next(r for r in store.all_recordings() if r.status == status)
        body = assert_error(api.delete(f"Recordings/{other.sid}.json"), 400, 20001)
        assert status in body["message"]
    via_call = next(r for r in store.all_recordings() if r.status == "completed" and not r.conference_sid)
    wrong = next(r for r in store.all_recordings() if r.call_sid != via_call.call_sid)
    assert_error(api.delete(rec_path(wrong.call_sid, via_call.sid)), 404, 20404)
    assert api.delete(rec_path(via_call.call_sid, via_call.sid)).status_code == 204
    in_conf = next(r for r in store.all_recordings() if r.status == "completed" and r.conference_sid)
    assert_error(api.delete(f"Conferences/CF{'0' * 32}/Recordings/{in_conf.sid}.json"), 404, 20404)
    assert api.delete(f"Conferences/{in_conf.conference_sid}/Recordings/{in_conf.sid}.json").status_code == 204
    assert api.json(f"Recordings/{in_conf.sid}.json", {"IncludeSoftDeleted": "true"})["status"] == "deleted"


def test_deleting_transcriptions_and_add_on_results(fresh_api):
    api = fresh_api
    store = api.emu.store
    tr = store.transcription_list()[0]
    assert api.delete(f"Recordings/{tr.recording_sid}/Transcriptions/{tr.sid}.json").status_code == 204
    assert_error(api.get(f"Transcriptions/{tr.sid}.json"), 404, 20404)
    assert tr.sid not in [t["sid"] for t in api.json("Transcriptions.json", {"PageSize": 1000})["transcriptions"]]
    assert_error(api.delete(f"Transcriptions/{tr.sid}.json"), 404, 20404)
    other = store.transcription_list()[0]
    assert_error(api.delete(f"Recordings/RE{'0' * 32}/Transcriptions/{other.sid}.json"), 404, 20404)
    result = next(r for r in store.add_on_results.values() if r.payloads)
    base = f"Recordings/{result.reference_sid}/AddOnResults/{result.sid}"
    payload = result.payloads[0]
    assert api.delete(f"{base}/Payloads/{payload.sid}.json").status_code == 204
    assert_error(api.get(f"{base}/Payloads/{payload.sid}.json"), 404, 20404)
    assert api.delete(f"{base}.json").status_code == 204
    assert_error(api.get(f"{base}.json"), 404, 20404)
    assert_error(api.get(f"{base}/Payloads.json"), 404, 20404)
    assert result.sid not in [r["sid"] for r in api.json(f"Recordings/{result.reference_sid}/AddOnResults.json")
                              ["add_on_results"]]


def test_a_page_token_naming_a_removed_item_still_works(fresh_api):
    api = fresh_api
    first = api.json("Transcriptions.json", {"PageSize": 2})
    last = first["transcriptions"][-1]["sid"]
    assert api.delete(f"Transcriptions/{last}.json").status_code == 204
    second = api.json(first["next_page_uri"])
    everything = [t["sid"] for t in api.json("Transcriptions.json", {"PageSize": 1000})["transcriptions"]]
    assert [t["sid"] for t in second["transcriptions"]] == everything[1:3]


# -- live calls ----------------------------------------------------------------------------------


def test_the_demo_starts_with_the_interesting_live_cases(fresh_api, live):
    calls = live.calls()
    assert len([c for c in calls if not live.store.calls[c["sid"]].conference_sid]) == 4
    live.call_with(1, "in-progress")
    live.call_with(2)
    live.call_with(0)
    live.call_with(1, "paused")
    conferences = fresh_api.json("Conferences.json", {"Status": "in-progress"})["conferences"]
    assert len(conferences) == 1
    recs = fresh_api.json(f"Conferences/{conferences[0]['sid']}/Recordings.json")["recordings"]
    assert [r["status"] for r in recs] == ["in-progress"]


def test_live_durations_grow_with_the_clock(fresh_api, live):
    api = fresh_api
    call_sid, (rec,) = live.call_with(1, "in-progress")
    before = int(rec["duration"])
    _, (paused,) = live.call_with(1, "paused")
    advance(api, 42)
    assert int(api.json(rec_path(call_sid, rec["sid"]))["duration"]) == before + 42
    assert api.json(f"Recordings/{paused['sid']}.json")["duration"] == paused["duration"]  # skip-paused
    listed = {r["sid"]: r for r in api.json("Recordings.json")["recordings"]}
    assert int(listed[rec["sid"]]["duration"]) == before + 42


def test_calls_end_on_their_own_and_new_ones_replace_them(fresh_api, live):
    api = fresh_api
    store = live.store
    first = {c["sid"]: c for c in live.calls()}
    first_recs = {r.sid: r for r in store.all_recordings() if r.active}
    count = len(store)
    in_progress_seen: set[str] = set()
    conferences_seen: set[str] = set()
    for _ in range(60):  # one hour in one-minute steps
        advance(api, 60)
        now_live = live.calls()
        assert 1 <= len([c for c in now_live if not store.calls[c["sid"]].conference_sid]) <= 4
        in_progress_seen.update(c["sid"] for c in now_live)
        live_confs = api.json("Conferences.json", {"Status": "in-progress"})["conferences"]
        assert len(live_confs) <= 1
        conferences_seen.update(c["sid"] for c in live_confs)
    for sid in first:
        call = api.json(f"Calls/{sid}.json")
        assert call["status"] == "completed" and call["end_time"] and call["duration"]
    for sid, rec in first_recs.items():
        body = api.json(f"Recordings/{sid}.json")
        assert body["status"] == "completed" and body["price"]
        if rec.pause_behavior != "skip":
            # Recorded from its start to its call's end.
            call = store.calls[rec.call_sid]
            assert int(body["duration"]) == call.end - rec.created
    assert len(in_progress_seen - set(first)) >= 8  # replacements kept coming
    assert len(conferences_seen) >= 2
    assert len(store) > count  # their recordings were added


def test_live_calls_are_the_same_whatever_the_request_pattern():
    def snapshot(emu) -> list:
        api = Api(emu)
        try:
            calls = api.json("Calls.json", {"PageSize": 1000})["calls"]
            recs = api.json("Recordings.json", {"PageSize": 1000})["recordings"]
            return [(c["sid"], c["status"], c["end_time"]) for c in calls] + \
                   [(r["sid"], r["status"], r["duration"], r["date_updated"]) for r in recs]
        finally:
            api.close()

    with make_emulator(recordings=20) as a, make_emulator(recordings=20) as b:
        a.config.clock.advance(5000)
        api = Api(b)
        for _ in range(50):
            b.config.clock.advance(100)
            api.json("Calls.json", {"Status": "in-progress"})
        api.close()
        assert snapshot(a) == snapshot(b)
