"""Every operation of the contract, answered by the emulator and validated against its schema.

The schema is Twilio's OpenAPI file in shared/reference, with the two documented allowances
patched into the loaded schema (``price`` may be a string; enum ``$ref`` fields may be null):
the server itself is held to the full schema, and every field the schema lists must be present.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import pytest

from rec_tui.emulator.models import SINGLE_CHANNEL_SOURCES

from .support import Api, assert_error, make_emulator

A = "/2010-04-01/Accounts/{AccountSid}"
UNKNOWN = {"RE": "RE" + "0" * 32, "CA": "CA" + "0" * 32, "CF": "CF" + "0" * 32, "TR": "TR" + "0" * 32,
           "XR": "XR" + "0" * 32, "XH": "XH" + "0" * 32}


@dataclass
class World:
    """One emulator and the SIDs each operation works on (destructive ones get their own)."""

    emu: Any
    api: Api
    ids: dict[str, str] = field(default_factory=dict)


def _pick(items, taken: set, predicate: Callable[[Any], bool]):
    for item in items:
        if item.sid not in taken and predicate(item):
            taken.add(item.sid)
            return item
    raise AssertionError("the seeded data lacks a resource this test needs")


@pytest.fixture(scope="module")
def world():
    with make_emulator() as emu:
        api = Api(emu)
        store = emu.store
        taken: set[str] = set()
        recs = store.all_recordings()
        trs = store.transcription_list()
        results = sorted(store.add_on_results.values(), key=lambda r: r.key)
        ids: dict[str, str] = {}
        plain = lambda r: r.status == "completed" and r.conference_sid is None  # noqa: E731
        in_conf = lambda r: r.status == "completed" and r.conference_sid is not None  # noqa: E731

        rec = _pick(recs, taken, lambda r: plain(r) and store.transcription_list(r.sid) and r.dual_available)
        ids.update(rec=rec.sid, call=rec.call_sid, tr_of_rec=store.transcription_list(rec.sid)[0].sid)
        taken.update(t.sid for t in store.transcription_list(rec.sid))
        conf_rec = _pick(recs, taken, in_conf)
        ids.update(conf=conf_rec.conference_sid, conf_rec=conf_rec.sid)
        ids["tr"] = _pick(trs, taken, lambda t: True).sid
        result = _pick(results, taken, lambda r: len(r.payloads) >= 1)
        ids.update(addon_rec=result.reference_sid, result=result.sid, payload=result.payloads[0].sid)
        # Targets of DELETEs, none of them used above.
        ids["del_rec"] = _pick(recs, taken, plain).sid
        del_call_rec = _pick(recs, taken, plain)
        ids.update(del_call_rec=del_call_rec.sid, del_call=del_call_rec.call_sid)
        del_conf_rec = _pick(recs, taken, in_conf)
        ids.update(del_conf_rec=del_conf_rec.sid, del_conf=del_conf_rec.conference_sid)
        del_tr_of_rec = _pick(trs, taken, lambda t: True)
        ids.update(del_tr_rec=del_tr_of_rec.recording_sid, del_tr_of_rec=del_tr_of_rec.sid)
        ids["del_tr"] = _pick(trs, taken, lambda t: True).sid
        del_result = _pick(results, taken, lambda r: True)
        ids.update(del_result_rec=del_result.reference_sid, del_result=del_result.sid)
        del_payload_result = _pick(results, taken, lambda r: len(r.payloads) >= 1)
        ids.update(del_payload_rec=del_payload_result.reference_sid, del_payload_result=del_payload_result.sid,
                   del_payload=del_payload_result.payloads[0].sid)
        # Live: a call with one active recording, a call with none, the live conference.
        live_calls = [c for c in store.call_list() if c.status == "in-progress" and c.conference_sid is None]
        one = next(c for c in live_calls if len(store.active_recordings(call_sid=c.sid)) == 1
                   and store.active_recordings(call_sid=c.sid)[0].status == "in-progress")
        ids.update(live_call=one.sid, live_rec=store.active_recordings(call_sid=one.sid)[0].sid)
        ids["idle_call"] = next(c for c in live_calls if not store.active_recordings(call_sid=c.sid)).sid
        live_conf = next(c for c in store.conference_list() if c.status == "in-progress")
        ids.update(live_conf=live_conf.sid, live_conf_rec=store.active_recordings(conference_sid=live_conf.sid)[0].sid)
        yield World(emu, api, ids)
        api.close()


def _op(path: str, status: int, **request: Any) -> tuple[str, dict, int]:
    return path, request, status


# (path template, method) -> world -> (concrete path, request kwargs, expected status)
OPERATIONS: dict[tuple[str, str], Callable[[World], tuple[str, dict, int]]] = {
    (A + "/Recordings.json", "get"): lambda w: _op("Recordings.json", 200, params={"PageSize": 20}),
    (A + "/Recordings/{Sid}.json", "get"): lambda w: _op(f"Recordings/{w.ids['rec']}.json", 200),
    (A + "/Recordings/{Sid}.json", "delete"): lambda w: _op(f"Recordings/{w.ids['del_rec']}.json", 204),
    (A + "/Calls/{CallSid}/Recordings.json", "get"): lambda w: _op(f"Calls/{w.ids['call']}/Recordings.json", 200),
    (A + "/Calls/{CallSid}/Recordings.json", "post"): lambda w: _op(
        f"Calls/{w.ids['idle_call']}/Recordings.json", 201,
        data={"RecordingChannels": "dual", "RecordingTrack": "both", "Trim": "do-not-trim",
              "RecordingStatusCallback": "https://example.com/cb", "RecordingStatusCallbackMethod": "POST",
              "RecordingStatusCallbackEvent": ["in-progress", "completed"]}),
    (A + "/Calls/{CallSid}/Recordings/{Sid}.json", "get"): lambda w: _op(
        f"Calls/{w.ids['call']}/Recordings/{w.ids['rec']}.json", 200),
    (A + "/Calls/{CallSid}/Recordings/{Sid}.json", "post"): lambda w: _op(
        f"Calls/{w.ids['live_call']}/Recordings/{w.ids['live_rec']}.json", 200,
        data={"Status": "paused", "PauseBehavior": "skip"}),
    (A + "/Calls/{CallSid}/Recordings/{Sid}.json", "delete"): lambda w: _op(
        f"Calls/{w.ids['del_call']}/Recordings/{w.ids['del_call_rec']}.json", 204),
    (A + "/Conferences/{ConferenceSid}/Recordings.json", "get"): lambda w: _op(
        f"Conferences/{w.ids['conf']}/Recordings.json", 200),
    (A + "/Conferences/{ConferenceSid}/Recordings/{Sid}.json", "get"): lambda w: _op(
        f"Conferences/{w.ids['conf']}/Recordings/{w.ids['conf_rec']}.json", 200),
    (A + "/Conferences/{ConferenceSid}/Recordings/{Sid}.json", "post"): lambda w: _op(
        f"Conferences/{w.ids['live_conf']}/Recordings/{w.ids['live_conf_rec']}.json", 200,
        data={"Status": "paused"}),
    (A + "/Conferences/{ConferenceSid}/Recordings/{Sid}.json", "delete"): lambda w: _op(
        f"Conferences/{w.ids['del_conf']}/Recordings/{w.ids['del_conf_rec']}.json", 204),
    (A + "/Recordings/{RecordingSid}/Transcriptions.json", "get"): lambda w: _op(
        f"Recordings/{w.ids['rec']}/Transcriptions.json", 200),
    (A + "/Recordings/{RecordingSid}/Transcriptions/{Sid}.json", "get"): lambda w: _op(
        f"Recordings/{w.ids['rec']}/Transcriptions/{w.ids['tr_of_rec']}.json", 200),
    (A + "/Recordings/{RecordingSid}/Transcriptions/{Sid}.json", "delete"): lambda w: _op(
        f"Recordings/{w.ids['del_tr_rec']}/Transcriptions/{w.ids['del_tr_of_rec']}.json", 204),
    (A + "/Transcriptions.json", "get"): lambda w: _op("Transcriptions.json", 200, params={"PageSize": 30}),
    (A + "/Transcriptions/{Sid}.json", "get"): lambda w: _op(f"Transcriptions/{w.ids['tr']}.json", 200),
    (A + "/Transcriptions/{Sid}.json", "delete"): lambda w: _op(f"Transcriptions/{w.ids['del_tr']}.json", 204),
    (A + "/Recordings/{ReferenceSid}/AddOnResults.json", "get"): lambda w: _op(
        f"Recordings/{w.ids['addon_rec']}/AddOnResults.json", 200),
    (A + "/Recordings/{ReferenceSid}/AddOnResults/{Sid}.json", "get"): lambda w: _op(
        f"Recordings/{w.ids['addon_rec']}/AddOnResults/{w.ids['result']}.json", 200),
    (A + "/Recordings/{ReferenceSid}/AddOnResults/{Sid}.json", "delete"): lambda w: _op(
        f"Recordings/{w.ids['del_result_rec']}/AddOnResults/{w.ids['del_result']}.json", 204),
    (A + "/Recordings/{ReferenceSid}/AddOnResults/{AddOnResultSid}/Payloads.json", "get"): lambda w: _op(
        f"Recordings/{w.ids['addon_rec']}/AddOnResults/{w.ids['result']}/Payloads.json", 200),
    (A + "/Recordings/{ReferenceSid}/AddOnResults/{AddOnResultSid}/Payloads/{Sid}.json", "get"): lambda w: _op(
        f"Recordings/{w.ids['addon_rec']}/AddOnResults/{w.ids['result']}/Payloads/{w.ids['payload']}.json", 200),
    (A + "/Recordings/{ReferenceSid}/AddOnResults/{AddOnResultSid}/Payloads/{Sid}.json", "delete"): lambda w: _op(
        f"Recordings/{w.ids['del_payload_rec']}/AddOnResults/{w.ids['del_payload_result']}/Payloads/"
        f"{w.ids['del_payload']}.json", 204),
    (A + "/Recordings/{ReferenceSid}/AddOnResults/{AddOnResultSid}/Payloads/{PayloadSid}/Data.json", "get"):
        lambda w: _op(f"Recordings/{w.ids['addon_rec']}/AddOnResults/{w.ids['result']}/Payloads/"
                      f"{w.ids['payload']}/Data.json", 307),
    (A + "/Calls.json", "get"): lambda w: _op("Calls.json", 200, params={"PageSize": 25}),
    (A + "/Calls/{Sid}.json", "get"): lambda w: _op(f"Calls/{w.ids['live_call']}.json", 200),
    (A + "/Conferences.json", "get"): lambda w: _op("Conferences.json", 200),
    (A + "/Conferences/{Sid}.json", "get"): lambda w: _op(f"Conferences/{w.ids['live_conf']}.json", 200),
}


def test_every_operation_of_the_contract_is_exercised(contract):
    assert set(contract.operations()) == set(OPERATIONS)


@pytest.mark.parametrize("template,method", list(OPERATIONS), ids=lambda v: v.replace(A, "") if "/" in v else v)
def test_operation_answers_as_the_contract_says(world, contract, template, method):
    path, request, expected = OPERATIONS[(template, method)](world)
    assert str(expected) in contract.statuses(template, method)
    response = world.api.http.request(method.upper(), world.api.url(path), **request)
    assert response.status_code == expected, response.text
    if expected == 204:
        assert response.content == b""
        assert response.headers["content-length"] == "0"
        return
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    contract.validate(template, method, expected, body)
    if expected == 307:
        assert response.headers["location"] == body["redirect_to"]
        data = world.api.http.get(body["redirect_to"], auth=None)
        assert data.status_code == 200 and "result" in data.json()


def test_lists_are_never_empty_in_the_contract_walk(world):
    """The walk above validated real items, not just empty envelopes."""
    for template, method in OPERATIONS:
        if method == "get" and template.endswith("s.json"):
            path, request, _ = OPERATIONS[(template, method)](world)
            body = world.api.json(path, request.get("params"))
            key = next(k for k, v in body.items() if isinstance(v, list))
            assert body[key], f"{path} listed nothing"


def _unknown(template: str, world: World) -> str | None:
    """The template with real parents and an unknown SID of the right kind for its last SID."""
    names = {"{CallSid}": world.ids["call"], "{ConferenceSid}": world.ids["conf"],
             "{RecordingSid}": world.ids["rec"], "{ReferenceSid}": world.ids["addon_rec"],
             "{AddOnResultSid}": world.ids["result"], "{PayloadSid}": world.ids["payload"]}
    kinds = [("/Payloads/{Sid}", "XH"), ("/AddOnResults/{Sid}", "XR"), ("/Transcriptions/{Sid}", "TR"),
             ("/Calls/{Sid}", "CA"), ("/Conferences/{Sid}", "CF"), ("/Recordings/{Sid}", "RE")]
    path = template.replace(A + "/", "")
    for marker, prefix in kinds:
        if marker in template:
            path = path.replace("{Sid}", UNKNOWN[prefix])
            break
    else:
        return None
    for name, value in names.items():
        path = path.replace(name, value)
    return path


INSTANCE_OPERATIONS = [(t, m) for t, m in OPERATIONS if "{Sid}" in t or "{PayloadSid}" in t]


@pytest.mark.parametrize("template,method", INSTANCE_OPERATIONS, ids=lambda v: v.replace(A, "") if "/" in v else v)
def test_unknown_instances_are_404_with_twilios_error_body(world, template, method):
    path = _unknown(template, world)
    if path is None:  # Data.json: its SID is the payload's
        path = _unknown(template.replace("{PayloadSid}", "{Sid}"), world)
    data = {"Status": "paused"} if method == "post" else None
    response = world.api.http.request(method.upper(), world.api.url(path), data=data)
    body = assert_error(response, 404, 20404)
    assert body["message"] == f"The requested resource {world.api.url(path)} was not found"


@pytest.mark.parametrize("path", [
    "Recordings/not-a-sid.json", "Recordings/RE123.json", "Calls/CAxyz/Recordings/RE00.json", "Calls/nope.json",
    "Conferences/CF.json", "Transcriptions/TRzz.json", "Recordings.csv", "Nope.json", "Recordings/RE0/Whatever.json",
])
def test_malformed_path_sids_and_unknown_paths_are_404(api, path):
    assert_error(api.get(path), 404, 20404)


def test_400_answers_have_twilios_error_shape(world):
    api = world.api
    for response in (
        api.get("Recordings.json", params={"PageSize": 0}),
        api.get("Recordings.json", params={"CallSid": "CA123"}),
        api.post(f"Calls/{world.ids['idle_call']}/Recordings.json", data={"RecordingChannels": "stereo"}),
        api.post(f"Calls/{world.ids['live_call']}/Recordings/{world.ids['live_rec']}.json", data={"Status": "done"}),
    ):
        assert_error(response, 400, 20001)


def test_wrong_method_is_405(api):
    response = api.http.put(api.url("Recordings.json"))
    body = assert_error(response, 405, 20004)
    assert "GET" in response.headers["allow"] and "PUT" in body["message"]
    assert_error(api.post("Recordings.json", data={"Status": "paused"}), 405, 20004)
    assert_error(api.delete("Calls.json"), 405, 20004)


def test_account_recordings_carry_track_and_media_url(api):
    rec = api.json("Recordings.json")["recordings"][0]
    assert rec["track"] in ("inbound", "outbound", "both")
    assert rec["media_url"] == api.emu.base_url + rec["uri"][: -len(".json")]


def test_single_channel_sources_are_mono(api):
    for rec in api.json("Recordings.json", {"PageSize": 1000})["recordings"]:
        if rec["source"] in SINGLE_CHANNEL_SOURCES:
            assert rec["channels"] == 1
