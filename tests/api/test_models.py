"""Parsing the contract's own examples, and the lenient-but-exact field rules."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from decimal import Decimal

import pytest

from rec_tui.api import models
from rec_tui.api.errors import MalformedResponseError
from rec_tui.api.models import (
    LIST_KEYS,
    AddOnPayload,
    AddOnResult,
    Call,
    Conference,
    Page,
    Recording,
    RecordingSubresources,
    Transcription,
)

from tests.contract import CONTRACT_PATH as CONTRACT

MODEL_BY_KEY = {key: model for model, key in LIST_KEYS.items()}


def contract_examples():
    spec = json.loads(CONTRACT.read_text())
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method not in ("get", "post"):
                continue
            for status, response in operation.get("responses", {}).items():
                content = response.get("content", {}).get("application/json", {})
                for name, example in content.get("examples", {}).items():
                    yield pytest.param(path, example["value"], id=f"{method} {path.split('{AccountSid}/')[-1]} {status} {name}")


def model_for(path: str):
    tail = path.rsplit("/", 1)[-1]
    if "Payloads" in path:
        return AddOnPayload
    if "AddOnResults" in path:
        return AddOnResult
    if "Transcriptions" in path:
        return Transcription
    if "Recordings" in path:
        return Recording
    if tail.startswith("Calls") or "/Calls/{Sid}" in path:
        return Call
    return Conference


@pytest.mark.parametrize(("path", "body"), list(contract_examples()))
def test_every_contract_example_parses_without_problems(path, body):
    if "/Data.json" in path:
        pytest.skip("payload data is an opaque document")
    list_keys = [key for key in MODEL_BY_KEY if key in body]
    if list_keys:
        model = MODEL_BY_KEY[list_keys[0]]
        page = Page.from_json(model, body)
        items = page.items
        assert page.page_size >= 0 and page.first_page_uri
    else:
        items = [model_for(path).from_json(body)]
    for item in items:
        assert item.problems == ()
        assert item.sid


def recording_json(**overrides):
    body = {
        "account_sid": "AC" + "a" * 32,
        "api_version": "2010-04-01",
        "call_sid": "CA" + "b" * 32,
        "conference_sid": None,
        "date_created": "Fri, 14 Oct 2016 21:56:34 +0000",
        "date_updated": "Fri, 14 Oct 2016 21:56:38 +0000",
        "start_time": "Fri, 14 Oct 2016 21:56:34 +0000",
        "duration": "4",
        "sid": "RE" + "c" * 32,
        "price": "-0.00250",
        "price_unit": "USD",
        "status": "completed",
        "channels": 2,
        "source": "DialVerb",
        "error_code": None,
        "uri": "/2010-04-01/Accounts/AC.../Recordings/RE....json",
        "encryption_details": None,
        "subresource_uris": {"transcriptions": "/x.json"},
        "media_url": "https://api.twilio.com/2010-04-01/Accounts/AC/Recordings/RE",
        "track": "both",
    }
    body.update(overrides)
    return body


def test_recording_fields_are_typed():
    rec = Recording.from_json(recording_json())
    assert rec.date_created == datetime(2016, 10, 14, 21, 56, 34, tzinfo=timezone.utc)
    assert rec.duration == 4
    assert rec.price == Decimal("-0.00250")
    assert rec.channels == 2 and rec.track == "both" and rec.has_media


@pytest.mark.parametrize("price", ["-0.00250", -0.0025, 0, "0"])
def test_price_accepts_string_and_number(price):
    assert Recording.from_json(recording_json(price=price)).price == Decimal(str(price))


def test_unknown_status_source_and_fields_are_kept():
    rec = Recording.from_json(recording_json(status="transcoding", source="OutBoundApi", end_time="x"))
    assert rec.status == "transcoding" and rec.source == "OutBoundApi"
    assert rec.extra == {"end_time": "x"}


def test_unreadable_field_is_kept_as_a_problem_not_an_exception():
    rec = Recording.from_json(recording_json(date_created="yesterday", price={"x": 1}, duration="long"))
    assert rec.date_created is None and rec.price is None and rec.duration is None
    assert len(rec.problems) == 3
    assert any("date_created" in p and "yesterday" in p for p in rec.problems)
    assert rec.sid == "RE" + "c" * 32  # the rest of the recording survives


def test_numbers_where_text_is_expected_become_text():
    rec = Recording.from_json(recording_json(api_version=2010, source=7))
    assert rec.api_version == "2010" and rec.source == "7" and rec.problems == ()


@pytest.mark.parametrize("body", [None, [], "recording", 3])
def test_a_resource_that_is_not_an_object_is_malformed(body):
    with pytest.raises(MalformedResponseError):
        Recording.from_json(body)


@pytest.mark.parametrize(
    "envelope",
    [{"page": 0}, {"recordings": {}}, {"recordings": [1]}, {"recordings": [], "page": "x"}, {"recordings": [], "next_page_uri": 5}],
)
def test_broken_envelopes_are_malformed(envelope):
    with pytest.raises(MalformedResponseError):
        Page.from_json(Recording, envelope)


def test_position_line():
    page = Page.from_json(
        Recording,
        {"recordings": [recording_json()] * 50, "page": 2, "page_size": 50, "start": 100, "end": 149,
         "next_page_uri": "/next", "previous_page_uri": "/prev", "first_page_uri": "/first", "uri": "/this"},
    )
    assert page.position() == "page 3 · rows 101–150 · more available"


def twilio_recording(sid: str, account: str = "AC" + "1" * 32, **subresources: str) -> dict:
    base = f"/2010-04-01/Accounts/{account}/Recordings/{sid}"
    names = subresources or {"add_on_results": "/AddOnResults.json", "transcriptions": "/Transcriptions.json"}
    return {"sid": sid, "uri": base + ".json", "subresource_uris": {k: base + v for k, v in names.items()}}


def test_usual_subresource_uris_are_kept_compact_and_read_as_sent():
    one, two = twilio_recording("RE" + "a" * 32), twilio_recording("RE" + "b" * 32)
    first, second = Recording.from_json(one), Recording.from_json(two)
    uris = first.subresource_uris
    assert isinstance(uris, RecordingSubresources)
    assert uris == one["subresource_uris"] and dict(uris) == one["subresource_uris"]
    assert list(uris.items()) == list(one["subresource_uris"].items())  # the order sent
    assert uris["transcriptions"] == one["subresource_uris"]["transcriptions"] and "x" not in uris
    assert uris.get("nothing") is None and len(uris) == 2
    assert repr(uris) == repr(one["subresource_uris"])
    assert uris._uri is first.uri  # no second copy of the URI
    assert uris._names is second.subresource_uris._names  # one pair tuple for all such recordings
    assert first == Recording.from_json(json.loads(json.dumps(one))) and first != second


@pytest.mark.parametrize("subresources, uri", [
    ({"transcriptions": "/elsewhere/Transcriptions.json"}, "/2010-04-01/Accounts/AC1/Recordings/RE1.json"),
    ({"transcriptions": 7}, "/2010-04-01/Accounts/AC1/Recordings/RE1.json"),
    ({"transcriptions": "/2010-04-01/Accounts/AC1/Recordings/RE1/T.json"}, None),
    ({"transcriptions": "/2010-04-01/Accounts/AC1/Recordings/RE1/T.json"}, "/2010-04-01/Accounts/AC1/Recordings/RE1"),
])
def test_other_subresource_uris_stay_the_dict_sent(subresources, uri):
    recording = Recording.from_json({"sid": "RE1", "uri": uri, "subresource_uris": subresources})
    assert type(recording.subresource_uris) is dict and recording.subresource_uris == subresources


def test_unusual_suffixes_do_not_grow_the_shared_table_without_bound():
    for i in range(200):  # hostile data: a different suffix each time
        data = twilio_recording(f"RE{i:032x}", transcriptions=f"/T{i}.json")
        recording = Recording.from_json(data)
        assert recording.subresource_uris == data["subresource_uris"]
    assert len(models._SUBRESOURCE_NAMES) <= models._SUBRESOURCE_NAME_SETS
